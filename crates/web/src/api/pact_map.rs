//! The crisis pact's dependency map and blast radius.

use axum::Json;
use axum::extract::State;
use verbund_app::pact_map::{self as svc, OutageChoice, PactMapView};
use verbund_domain::PactId;

use super::{ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// The pact's dependency map: every provider object with the members an outage of it reaches.
/// With `object` (a provider object) or `provider` (all of its objects): the affected members,
/// worst hit first, with their affected processes ordered by protection need (only for
/// members whose structure analysis the caller reads: its own, the office all; of a partner
/// only the provider objects it is reached through) and a declaration draft for each member
/// the caller may declare a crisis for (send it to `POST /pacts/{id}/crises`).
#[utoipa::path(get, path = "/pacts/{id}/dependency-map", operation_id = "get_pact_dependency_map",
    params(("id" = i64, Path), OutageChoice), tag = "pacts",
    responses((status = 200, body = PactMapView),
        (status = 404, body = ErrorBody, description = "Not a pact of the caller."),
        (status = 422, body = ErrorBody, description = "The choice names no provider object of the map.")))]
pub async fn dependency_map(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<OutageChoice>,
) -> AppResult<Json<PactMapView>> {
    Ok(Json(svc::map(&st, &u.actor, PactId(id), q).await?))
}

/// A member's offline emergency handbook (PDF): emergency card, first steps, alarm chain, the
/// pact partners with what they can lend, and the member's business processes by protection
/// need with their dependencies. The "Stand" printed is when the content last changed; the
/// header `X-Verbund-Handbook-Changed` says whether it changed since the last generation.
/// For whoever reads the member's structure analysis.
#[utoipa::path(get, path = "/organisations/{id}/pact-handbook", operation_id = "get_pact_handbook",
    params(("id" = i64, Path)), tag = "pacts",
    responses((status = 200, description = "The handbook as tagged PDF.", content((super::Binary = "application/pdf"))),
        (status = 403, body = ErrorBody, description = "Own member, but the role may not read its structure analysis."),
        (status = 404, body = ErrorBody, description = "Not an organisation of the caller.")))]
pub async fn handbook(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<axum::response::Response> {
    let h =
        verbund_app::pact_handbook::handbook(&st, &u.audit(), &u.actor, verbund_domain::OrgId(id))
            .await?;
    Ok(crate::ui::pact_files::handbook_response(h))
}

/// A crisis' settlement between the partners (XLSX): sheet "Leistungen" with hours and costs
/// of each accepted loan and their sums, sheet "Summen" per member (lent, received, balance).
#[utoipa::path(get, path = "/pact-crises/{id}/settlement", operation_id = "get_pact_settlement",
    params(("id" = i64, Path)), tag = "pacts",
    responses((status = 200, description = "The workbook.", content((super::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, body = ErrorBody, description = "Not a crisis of the caller's pacts.")))]
pub async fn settlement(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<crate::download::Download> {
    Ok(crate::download::Download(
        verbund_app::pact_settlement::settlement(&st, &u.actor, verbund_domain::PactCrisisId(id))
            .await?,
    ))
}
