//! The start page: what the user can reach, at a glance.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use verbund_domain::authz::{Permission, Scope};
use verbund_store::UserGrant;

use super::{Layout, fmt_ms, render};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppError;

/// One line of the recent-changes list.
pub struct RecentChange {
    pub when: String,
    pub who: String,
    pub action: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    l: Layout,
    office: bool,
    org_count: i64,
    user_count: i64,
    roles: Vec<UserGrant>,
    recent: Vec<RecentChange>,
}

pub async fn show(State(st): State<AppState>, cu: CurrentUser) -> Result<Response, AppError> {
    let a = cu.actor();
    let org_count = st.store.count_orgs(&a.scope(Permission::ReadOrg)).await?;
    let user_count = st
        .store
        .count_users(&a.scope(Permission::ReadUsers))
        .await?;
    let roles = st.store.user_grants(&Scope::All, a.user_id).await?;
    let audit_scope = a.scope(Permission::ReadAudit);
    let recent = st
        .store
        .recent_audit(&audit_scope, 5)
        .await?
        .into_iter()
        .map(|e| RecentChange {
            when: fmt_ms(e.entry.record.at_ms),
            who: e.entry.record.actor_label,
            action: cu.ctx.lang.t(&format!(
                "action-{}",
                e.entry.record.action.replace('.', "-")
            )),
        })
        .collect();
    Ok(render(&Dashboard {
        l: Layout::user(&cu, "dashboard-title", "dashboard"),
        office: a.is_office(),
        org_count,
        user_count,
        roles,
        recent,
    }))
}
