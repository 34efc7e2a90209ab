//! The start page: what the user can reach, at a glance.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use verbund_app::dashboard;
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
    /// "You have n open invitations" (0: no banner).
    invitations_text: Option<String>,
}

pub async fn show(State(st): State<AppState>, cu: CurrentUser) -> Result<Response, AppError> {
    let a = cu.actor();
    let o = dashboard::overview(&st, a, 5).await?;
    let recent = o
        .recent
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
    let open = verbund_app::invitations::mine(&st, cu.session.user.id)
        .await?
        .len();
    let invitations_text =
        (open > 0).then(|| cu.ctx.lang.t_count("invitations-banner", open as i64));
    Ok(render(&Dashboard {
        l: Layout::user(&cu, "dashboard-title", "dashboard"),
        office: a.is_office(),
        org_count: o.org_count,
        user_count: o.user_count,
        roles: o.roles,
        recent,
        invitations_text,
    }))
}
