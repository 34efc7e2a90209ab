//! The audit log page (office: all members; members: their own organisation).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::OrgId;
use verbund_domain::authz::Permission;
use verbund_domain::page::{Page, PageRequest};

use super::users::OrgOption;
use super::{Layout, fmt_ms, render};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::service;

#[derive(Deserialize, Default)]
pub struct Params {
    org: Option<String>,
    page: Option<u32>,
}

/// One entry as shown.
pub struct Row {
    pub seq: i64,
    pub when: String,
    pub who: String,
    pub org: String,
    pub action: String,
    pub object: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    rows: Vec<Row>,
    page: Page<()>,
    orgs: Vec<OrgOption>,
    sel_org: String,
    pager_extra: String,
}

fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()).unwrap_or_else(|| json.to_owned())
}

pub async fn list(State(st): State<AppState>, cu: CurrentUser, Query(p): Query<Params>) -> AppResult<Response> {
    let org = p.org.as_deref().and_then(|o| o.parse::<i64>().ok()).map(OrgId);
    let entries = service::list_audit(&st, cu.actor(), org, PageRequest::new(p.page, Some(50))).await?;
    let orgs: Vec<OrgOption> = st
        .store
        .list_orgs(&cu.actor().scope(Permission::ReadAudit), None, PageRequest::new(Some(1), Some(200)))
        .await?
        .items
        .into_iter()
        .map(|o| OrgOption { id: o.id, name: o.name })
        .collect();
    let name_of = |id: Option<i64>| id.and_then(|i| orgs.iter().find(|o| o.id.0 == i)).map(|o| o.name.clone()).unwrap_or_else(|| "–".into());
    let lang = cu.ctx.lang;
    let rows = entries
        .items
        .iter()
        .map(|e| {
            let r = &e.entry.record;
            Row {
                seq: r.seq,
                when: fmt_ms(r.at_ms),
                who: r.actor_label.clone(),
                org: name_of(r.org_id),
                action: lang.t(&format!("action-{}", r.action.replace('.', "-"))),
                object: format!("{} #{}", r.object_type, r.object_id),
                before: pretty(&r.before),
                after: pretty(&r.after),
            }
        })
        .collect();
    let page = Page { items: vec![], page: entries.page, per_page: entries.per_page, total: entries.total };
    Ok(render(&AuditPage { l: Layout::user(&cu, "audit-title", "audit"), rows, page, orgs, pager_extra: format!("&org={}", org.map(|o| o.to_string()).unwrap_or_default()), sel_org: org.map(|o| o.to_string()).unwrap_or_default() }))
}
