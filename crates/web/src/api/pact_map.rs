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
