//! Subscriptions to CSAF providers (office): register by the URL of `provider-metadata.json`,
//! list with the newest run, the runs of one provider, walk one now, remove.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use verbund_app::advisories::Mailer;
use verbund_app::csaf_feed::{self as svc, ProviderOut};
use verbund_domain::CsafProviderId;
use verbund_store::{CsafProvider, ProviderRun};

use super::advisories::mail_parts;
use super::{ApiJson, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// A provider to subscribe to.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CsafProviderIn {
    /// URL of the provider's `provider-metadata.json` (`https://` or `http://`, at most 500
    /// characters).
    pub metadata_url: String,
}

/// A provider with its runs, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CsafProviderRunsOut {
    /// The provider.
    pub provider: CsafProvider,
    /// Its last 20 runs.
    pub runs: Vec<ProviderRun>,
}

/// Subscribes to a CSAF provider (office). The hourly job walks it from then on; 201 for a
/// new provider, 200 with the existing one for a URL already registered; 422
/// `error-csaf-provider-url` for an unusable URL.
#[utoipa::path(post, path = "/csaf-providers", operation_id = "create_csaf_provider", request_body = CsafProviderIn, tag = "advisories",
    responses((status = 201, body = CsafProvider), (status = 200, body = CsafProvider, description = "Already registered."),
        (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(d): ApiJson<CsafProviderIn>,
) -> AppResult<(StatusCode, Json<CsafProvider>)> {
    let (p, created) = svc::register(&st, &u.audit(), &u.actor, &d.metadata_url).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(p)))
}

/// The subscribed providers with their newest run (office).
#[utoipa::path(get, path = "/csaf-providers", operation_id = "list_csaf_providers", tag = "advisories",
    responses((status = 200, body = Vec<ProviderOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<Vec<ProviderOut>>> {
    Ok(Json(svc::list(&st, &u.actor).await?))
}

/// One provider with its last 20 runs: counts (listed, fetched, imported, unchanged,
/// failed) and each failed document with its reason (office).
#[utoipa::path(get, path = "/csaf-providers/{id}", operation_id = "get_csaf_provider", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 200, body = CsafProviderRunsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<CsafProviderRunsOut>> {
    let (provider, runs) = svc::runs(&st, &u.actor, CsafProviderId(id)).await?;
    Ok(Json(CsafProviderRunsOut { provider, runs }))
}

/// Walks the provider now and answers the run (office). Failed documents are listed in the
/// run; the request itself fails only if the database does.
#[utoipa::path(post, path = "/csaf-providers/{id}/run", operation_id = "run_csaf_provider", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 200, body = ProviderRun), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn run(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<ProviderRun>> {
    let (texts, site) = mail_parts(&st);
    let mailer = Mailer {
        texts: &texts,
        site: &site,
    };
    let r = svc::run_now(&st, &u.audit(), &u.actor, CsafProviderId(id), Some(&mailer)).await?;
    Ok(Json(r))
}

/// Ends the subscription (office); imported advisories stay.
#[utoipa::path(delete, path = "/csaf-providers/{id}", operation_id = "delete_csaf_provider", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    svc::remove(&st, &u.audit(), &u.actor, CsafProviderId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
