//! The start page per role: the office sees the federation's level and trend, progress per
//! member, the oldest snapshots and recent changes in words; a member its own score,
//! progress and open items.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use verbund_app::dashboard::{self, FederationView, OwnAssessment};
use verbund_domain::assessment::format_bp_de;
use verbund_domain::comparison::format_pp;
use verbund_store::UserGrant;

use super::trend::{TrendChart, trend_chart};
use super::{Layout, fmt_ms, render};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppError;
use crate::i18n::Lang;

/// One line of the recent-changes list.
pub struct RecentChange {
    pub when: String,
    pub who: String,
    pub text: String,
}

/// A member's line in the office's progress table.
pub struct ProgressLine {
    pub name: String,
    pub org_id: i64,
    pub score: String,
    pub progress: String,
    pub progress_bp: i64,
}

/// A member whose snapshot is oldest.
pub struct AgeLine {
    pub name: String,
    pub assessment_id: i64,
    pub last: String,
}

/// The office's part, formatted.
pub struct OfficePart {
    pub catalog: String,
    pub level: String,
    pub spread: Option<String>,
    pub weakest: Option<String>,
    pub chart: TrendChart,
    pub members: Vec<ProgressLine>,
    pub more: bool,
    pub oldest: Vec<AgeLine>,
}

/// A member's own assessment, formatted.
pub struct OwnLine {
    pub a: OwnAssessment,
    pub score: String,
    pub progress: String,
    pub open: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    l: Layout,
    office: bool,
    org_count: String,
    user_count: String,
    roles: Vec<UserGrant>,
    recent: Vec<RecentChange>,
    /// "You have n open invitations" (0: no banner).
    invitations_text: Option<String>,
    fed: Option<OfficePart>,
    own: Vec<OwnLine>,
}

fn pct(bp: i64) -> String {
    format_bp_de(u32::try_from(bp.max(0)).unwrap_or(0))
}

fn office_part(lang: Lang, f: FederationView) -> OfficePart {
    let pp = lang.t("unit-pp");
    OfficePart {
        catalog: format!(
            "{} ({} {})",
            f.catalog.name,
            lang.t("catalog-revision"),
            f.catalog.revision
        ),
        level: f
            .overall
            .map(|o| {
                lang.t_args(
                    "dashboard-level",
                    &[
                        ("level", pct(o.average_bp)),
                        ("count", o.members.to_string()),
                    ],
                )
            })
            .unwrap_or_else(|| lang.t("heatmap-not-assessed")),
        spread: f.overall.and_then(|o| match (o.min_bp, o.max_bp) {
            (Some(min), Some(max)) => {
                Some(lang.t_args("dashboard-spread", &[("min", pct(min)), ("max", pct(max))]))
            }
            _ => None,
        }),
        weakest: f.weakest.map(|w| {
            lang.t_args(
                "heatmap-weakest-named",
                &[
                    ("name", w.name),
                    ("score", pct(w.score_bp)),
                    ("gap", format_pp(-w.below_average_bp, &pp)),
                ],
            )
        }),
        chart: trend_chart(lang, &f.trend),
        more: f.member_count > i64::try_from(f.members.len()).unwrap_or(0),
        members: f
            .members
            .iter()
            .map(|r| ProgressLine {
                name: r.name.clone(),
                org_id: r.org_id.0,
                score: if r.assessed {
                    pct(r.score_bp)
                } else {
                    lang.t("heatmap-not-assessed")
                },
                progress: pct(r.progress_bp),
                progress_bp: r.progress_bp,
            })
            .collect(),
        oldest: f
            .oldest_snapshots
            .into_iter()
            .map(|a| AgeLine {
                name: a.name,
                assessment_id: a.assessment_id.0,
                last: a
                    .last_snapshot_ms
                    .map(|ms| fmt_ms(ms).chars().take(10).collect())
                    .unwrap_or_else(|| lang.t("dashboard-never")),
            })
            .collect(),
    }
}

pub async fn show(State(st): State<AppState>, cu: CurrentUser) -> Result<Response, AppError> {
    let a = cu.actor();
    let lang = cu.ctx.lang;
    let o = dashboard::overview(&st, a, 8).await?;
    let reqs = verbund_app::audit::requirements(&st, a, &o.recent).await?;
    let recent = super::audit::describe(lang, &o.recent, &reqs)
        .into_iter()
        .map(|d| RecentChange {
            when: fmt_ms(d.at_ms),
            text: d.sentence(lang),
            who: d.who,
        })
        .collect();
    let role = dashboard::role_dashboard(&st, a).await?;
    let open = verbund_app::invitations::mine(&st, cu.session.user.id)
        .await?
        .len();
    let invitations_text = (open > 0).then(|| lang.t_count("invitations-banner", open as i64));
    let own = role
        .own
        .into_iter()
        .map(|a| OwnLine {
            score: a
                .score_bp
                .map(format_bp_de)
                .unwrap_or_else(|| lang.t("heatmap-not-assessed")),
            progress: format_bp_de(a.progress_bp.unwrap_or(0)),
            open: lang.t_args(
                "dashboard-open-items",
                &[
                    ("unanswered", a.unanswered.to_string()),
                    ("no", a.no.to_string()),
                    ("partial", a.partial.to_string()),
                ],
            ),
            a,
        })
        .collect();
    Ok(render(&Dashboard {
        l: Layout::user(&cu, "dashboard-title", "dashboard"),
        office: a.is_office(),
        org_count: super::num(o.org_count),
        user_count: super::num(o.user_count),
        roles: o.roles,
        recent,
        invitations_text,
        fed: role.federation.map(|f| office_part(lang, f)),
        own,
    }))
}
