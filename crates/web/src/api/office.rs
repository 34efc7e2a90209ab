//! The office's tools in the API: the dashboard per role, the committee report of the
//! comparison, and one-time password-reset links.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use verbund_app::comparison::HeatmapQuery;
use verbund_app::dashboard::{self, RoleDashboard};
use verbund_app::{committee, password_reset};
use verbund_domain::{CatalogId, UserId};

use super::{ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::download::Download;
use crate::error::{AppResult, ErrorBody};

/// The start page's figures for the caller's roles: the federation (office) or the own
/// assessments (members).
#[utoipa::path(get, path = "/dashboard", operation_id = "get_dashboard", tag = "dashboard",
    responses((status = 200, body = RoleDashboard)))]
pub async fn dashboard(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<RoleDashboard>> {
    Ok(Json(dashboard::role_dashboard(&st, &u.actor).await?))
}

/// `?catalog=3`: the catalog revision (default: the one with the most answers).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Catalog revision.
    #[param(nullable = false)]
    pub catalog: Option<i64>,
}

impl ReportQuery {
    fn heatmap(&self) -> HeatmapQuery {
        HeatmapQuery {
            catalog: self.catalog.map(CatalogId),
            ..HeatmapQuery::default()
        }
    }
}

/// The committee report of the comparison as a PDF: federation level, trend, spread,
/// per-member values as the caller may see them and each member's last snapshot date.
#[utoipa::path(get, path = "/heatmap/report/pdf", operation_id = "get_committee_report_pdf", params(ReportQuery), tag = "assessments",
    responses((status = 200, content_type = "application/pdf", body = super::Binary, description = "The report as a PDF download."),
        (status = 404, body = ErrorBody, description = "Nothing to compare yet.")))]
pub async fn report_pdf(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> AppResult<Download> {
    Ok(Download(
        committee::report_pdf(&st, &u.actor, &q.heatmap()).await?,
    ))
}

/// The committee report as an XLSX workbook.
#[utoipa::path(get, path = "/heatmap/report/xlsx", operation_id = "get_committee_report_xlsx", params(ReportQuery), tag = "assessments",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = super::Binary, description = "The report as an XLSX download."),
        (status = 404, body = ErrorBody, description = "Nothing to compare yet.")))]
pub async fn report_xlsx(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> AppResult<Download> {
    Ok(Download(
        committee::report_xlsx(&st, &u.actor, &q.heatmap()).await?,
    ))
}

/// An issued reset link.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResetLinkOut {
    /// The link to pass on to the user (shown once; only its hash is stored).
    pub url: String,
    /// Expiry, Unix milliseconds.
    pub expires_at_ms: i64,
}

/// Issues a one-time password-reset link for a local account (federation administration).
/// It works once, for 24 hours; an older unused link stops working; using it ends every
/// session and revokes every API token of the account.
#[utoipa::path(post, path = "/users/{id}/password-reset", operation_id = "issue_password_reset", params(("id" = i64, Path)), tag = "users",
    responses((status = 201, body = ResetLinkOut), (status = 403, body = ErrorBody)))]
pub async fn password_reset(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<(StatusCode, Json<ResetLinkOut>)> {
    let r = password_reset::issue(&st, &u.audit(), &u.actor, UserId(id)).await?;
    Ok((
        StatusCode::CREATED,
        Json(ResetLinkOut {
            url: format!(
                "{}/reset/{}",
                st.config.base_url.trim_end_matches('/'),
                r.token
            ),
            expires_at_ms: r.expires_at_ms,
        }),
    ))
}
