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
use verbund_app::audit;

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
    pub changes: Vec<FieldChange>,
}

/// One field that differs between before and after.
#[derive(Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
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

fn show(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "–".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields that differ between the before and after JSON of an entry: what a reader wants to
/// know, and much less to render than both documents in full.
pub fn changes(before: &str, after: &str) -> Vec<FieldChange> {
    let parse =
        |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap_or(serde_json::Value::Null);
    let (b, a) = (parse(before), parse(after));
    let empty = serde_json::Map::new();
    let (bo, ao) = (
        b.as_object().unwrap_or(&empty),
        a.as_object().unwrap_or(&empty),
    );
    if bo.is_empty() && ao.is_empty() {
        return if b == a {
            vec![]
        } else {
            vec![FieldChange {
                field: String::new(),
                before: show(Some(&b)),
                after: show(Some(&a)),
            }]
        };
    }
    let mut keys: Vec<&String> = bo.keys().chain(ao.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| bo.get(*k) != ao.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: show(bo.get(k)),
            after: show(ao.get(k)),
        })
        .collect()
}

pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<Params>,
) -> AppResult<Response> {
    let org = p
        .org
        .as_deref()
        .and_then(|o| o.parse::<i64>().ok())
        .map(OrgId);
    let entries =
        audit::list_audit(&st, cu.actor(), org, PageRequest::new(p.page, Some(25))).await?;
    let orgs: Vec<OrgOption> = verbund_app::orgs::choices(&st, cu.actor(), Permission::ReadAudit)
        .await?
        .into_iter()
        .map(|o| OrgOption {
            id: o.id,
            name: o.name,
        })
        .collect();
    let name_of = |id: Option<i64>| {
        id.and_then(|i| orgs.iter().find(|o| o.id.0 == i))
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "–".into())
    };
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
                changes: changes(&r.before, &r.after),
            }
        })
        .collect();
    let page = Page {
        items: vec![],
        page: entries.page,
        per_page: entries.per_page,
        total: entries.total,
    };
    Ok(render(&AuditPage {
        l: Layout::user(&cu, "audit-title", "audit"),
        rows,
        page,
        orgs,
        pager_extra: format!("&org={}", org.map(|o| o.to_string()).unwrap_or_default()),
        sel_org: org.map(|o| o.to_string()).unwrap_or_default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::{FieldChange, changes};

    fn fc(f: &str, b: &str, a: &str) -> FieldChange {
        FieldChange {
            field: f.into(),
            before: b.into(),
            after: a.into(),
        }
    }

    #[test]
    fn only_changed_fields_are_listed() {
        let before = r#"{"name":"Nauheim","population":10840,"version":1,"ags":"06433009"}"#;
        let after = r#"{"name":"Nauheim","population":10900,"version":2,"ags":"06433009"}"#;
        assert_eq!(
            changes(before, after),
            vec![fc("population", "10840", "10900"), fc("version", "1", "2")]
        );
    }

    #[test]
    fn creation_lists_every_field_and_deletion_too() {
        assert_eq!(
            changes("null", r#"{"role":"coordinator","org_name":"Raunheim"}"#),
            vec![
                fc("org_name", "–", "Raunheim"),
                fc("role", "–", "coordinator")
            ]
        );
        assert_eq!(changes(r#"{"id":3}"#, "null"), vec![fc("id", "3", "–")]);
        assert_eq!(changes("null", "null"), vec![]);
    }
}
