//! Crisis pact (Pakt für Cyberresilienz): pacts and members, each member's registry and alarm
//! chain, crises with timeline, help requests, matching and loans.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use verbund_app::pact::{
    self as svc, PactCloseIn, PactContactIn, PactCrisisIn, PactCrisisView, PactDecisionIn,
    PactEntryIn, PactHelpIn, PactIn, PactLoanIn, PactMemberIn, PactView,
};
use verbund_domain::pact::RawResource;
use verbund_domain::pact::matching::PactMatch;
use verbund_domain::pact::model::{
    Pact, PactContact, PactCrisis, PactLoan, PactRequest, PactResource,
};
use verbund_domain::{
    OrgId, PactContactId, PactCrisisId, PactId, PactLoanId, PactRequestId, PactResourceId,
};

use super::{ApiJson, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// A member's registry and alarm chain.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PactRegistryOut {
    /// Lendable resources.
    pub resources: Vec<PactResource>,
    /// The alarm chain, in call order.
    pub contacts: Vec<PactContact>,
}

/// The new entry's ID.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PactEntryOut {
    /// ID of the entry.
    pub id: i64,
}

/// The pacts the caller's members belong to (the office: all).
#[utoipa::path(get, path = "/pacts", operation_id = "list_pacts", tag = "pacts",
    responses((status = 200, body = Vec<Pact>)))]
pub async fn list(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<Vec<Pact>>> {
    Ok(Json(svc::list(&st, &u.actor).await?))
}

/// Creates a pact (office).
#[utoipa::path(post, path = "/pacts", operation_id = "create_pact", request_body = PactIn, tag = "pacts",
    responses((status = 201, body = Pact), (status = 404, body = ErrorBody, description = "Not the office.")))]
pub async fn create(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(d): ApiJson<PactIn>,
) -> AppResult<(StatusCode, Json<Pact>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::save(&st, &u.audit(), &u.actor, None, &d).await?),
    ))
}

/// A pact with every member's registry, alarm chain and the crises.
#[utoipa::path(get, path = "/pacts/{id}", operation_id = "get_pact", params(("id" = i64, Path)), tag = "pacts",
    responses((status = 200, body = PactView)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<PactView>> {
    Ok(Json(svc::get(&st, &u.actor, PactId(id)).await?))
}

/// Changes a pact (office).
#[utoipa::path(put, path = "/pacts/{id}", operation_id = "update_pact", params(("id" = i64, Path)), request_body = PactIn, tag = "pacts",
    responses((status = 200, body = Pact)))]
pub async fn update(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<PactIn>,
) -> AppResult<Json<Pact>> {
    Ok(Json(
        svc::save(&st, &u.audit(), &u.actor, Some(PactId(id)), &d).await?,
    ))
}

/// Adds a member (any organisation of this installation; `external` for a partner outside
/// the federation), changes its town-hall coordinates, or removes it (office).
#[utoipa::path(post, path = "/pacts/{id}/members", operation_id = "set_pact_member", params(("id" = i64, Path)), request_body = PactMemberIn, tag = "pacts",
    responses((status = 200, body = Pact)))]
pub async fn set_member(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<PactMemberIn>,
) -> AppResult<Json<Pact>> {
    Ok(Json(
        svc::set_member(&st, &u.audit(), &u.actor, PactId(id), &d).await?,
    ))
}

/// Declares a crisis (or an exercise) for a member: the office, a coordinator of the member
/// or, if the pact's rule allows, its management. Every contact of the pact gets an alert
/// mail and the pact's webhook is called (by a background job).
#[utoipa::path(post, path = "/pacts/{id}/crises", operation_id = "declare_pact_crisis", params(("id" = i64, Path)), request_body = PactCrisisIn, tag = "pacts",
    responses((status = 201, body = PactCrisis), (status = 403, body = ErrorBody)))]
pub async fn declare(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<PactCrisisIn>,
) -> AppResult<(StatusCode, Json<PactCrisis>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::declare(&st, &u.audit(), &u.actor, PactId(id), &d).await?),
    ))
}

/// A member's own registry and alarm chain.
#[utoipa::path(get, path = "/organisations/{id}/pact-registry", operation_id = "get_pact_registry", params(("id" = i64, Path)), tag = "pacts",
    responses((status = 200, body = PactRegistryOut)))]
pub async fn registry(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<PactRegistryOut>> {
    let (resources, contacts) = svc::registry(&st, &u.actor, OrgId(id)).await?;
    Ok(Json(PactRegistryOut {
        resources,
        contacts,
    }))
}

/// Adds a resource to a member's registry.
#[utoipa::path(post, path = "/organisations/{id}/pact-resources", operation_id = "create_pact_resource", params(("id" = i64, Path)), request_body = RawResource, tag = "pacts",
    responses((status = 201, body = PactResource), (status = 403, body = ErrorBody)))]
pub async fn create_resource(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<RawResource>,
) -> AppResult<(StatusCode, Json<PactResource>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::create_resource(&st, &u.audit(), &u.actor, OrgId(id), &d).await?),
    ))
}

/// Changes a resource (which also confirms it).
#[utoipa::path(put, path = "/pact-resources/{id}", operation_id = "update_pact_resource", params(("id" = i64, Path)), request_body = RawResource, tag = "pacts",
    responses((status = 200, body = PactResource), (status = 403, body = ErrorBody)))]
pub async fn update_resource(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<RawResource>,
) -> AppResult<Json<PactResource>> {
    Ok(Json(
        svc::update_resource(&st, &u.audit(), &u.actor, PactResourceId(id), &d).await?,
    ))
}

/// Confirms a resource is still available ("last confirmed" becomes now).
#[utoipa::path(post, path = "/pact-resources/{id}/confirm", operation_id = "confirm_pact_resource", params(("id" = i64, Path)), tag = "pacts",
    responses((status = 200, body = PactResource), (status = 403, body = ErrorBody)))]
pub async fn confirm_resource(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<PactResource>> {
    Ok(Json(
        svc::confirm_resource(&st, &u.audit(), &u.actor, PactResourceId(id)).await?,
    ))
}

/// Deletes a resource.
#[utoipa::path(delete, path = "/pact-resources/{id}", operation_id = "delete_pact_resource", params(("id" = i64, Path)), tag = "pacts",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_resource(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    svc::delete_resource(&st, &u.audit(), &u.actor, PactResourceId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Appends a contact to a member's alarm chain (at least one of phone, mobile, e-mail).
#[utoipa::path(post, path = "/organisations/{id}/pact-contacts", operation_id = "create_pact_contact", params(("id" = i64, Path)), request_body = PactContactIn, tag = "pacts",
    responses((status = 201, body = PactContact), (status = 403, body = ErrorBody)))]
pub async fn create_contact(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<PactContactIn>,
) -> AppResult<(StatusCode, Json<PactContact>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::add_contact(&st, &u.audit(), &u.actor, OrgId(id), &d).await?),
    ))
}

/// Removes a contact from the alarm chain.
#[utoipa::path(delete, path = "/pact-contacts/{id}", operation_id = "delete_pact_contact", params(("id" = i64, Path)), tag = "pacts",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_contact(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    svc::delete_contact(&st, &u.audit(), &u.actor, PactContactId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A crisis with its timeline (append-only; corrections name the corrected entry) and help
/// requests with their loans.
#[utoipa::path(get, path = "/pact-crises/{id}", operation_id = "get_pact_crisis", params(("id" = i64, Path)), tag = "pacts",
    responses((status = 200, body = PactCrisisView)))]
pub async fn crisis(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<PactCrisisView>> {
    Ok(Json(svc::crisis(&st, &u.actor, PactCrisisId(id)).await?))
}

/// Appends a log entry, decision or correction to an open crisis.
#[utoipa::path(post, path = "/pact-crises/{id}/entries", operation_id = "add_pact_entry", params(("id" = i64, Path)), request_body = PactEntryIn, tag = "pacts",
    responses((status = 201, body = PactEntryOut), (status = 403, body = ErrorBody)))]
pub async fn add_entry(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<PactEntryIn>,
) -> AppResult<(StatusCode, Json<PactEntryOut>)> {
    let e = svc::add_entry(&st, &u.audit(), &u.actor, PactCrisisId(id), &d).await?;
    Ok((StatusCode::CREATED, Json(PactEntryOut { id: e.0 })))
}

/// Adds a help request to an open crisis.
#[utoipa::path(post, path = "/pact-crises/{id}/requests", operation_id = "add_pact_request", params(("id" = i64, Path)), request_body = PactHelpIn, tag = "pacts",
    responses((status = 201, body = PactRequest), (status = 403, body = ErrorBody)))]
pub async fn add_request(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<PactHelpIn>,
) -> AppResult<(StatusCode, Json<PactRequest>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::add_request(&st, &u.audit(), &u.actor, PactCrisisId(id), &d).await?),
    ))
}

/// Closes a crisis with lessons learned (the affected member or the office).
#[utoipa::path(post, path = "/pact-crises/{id}/close", operation_id = "close_pact_crisis", params(("id" = i64, Path)), request_body = PactCloseIn, tag = "pacts",
    responses((status = 200, body = PactCrisis), (status = 403, body = ErrorBody)))]
pub async fn close(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<PactCloseIn>,
) -> AppResult<Json<PactCrisis>> {
    Ok(Json(
        svc::close(&st, &u.audit(), &u.actor, PactCrisisId(id), &d).await?,
    ))
}

/// The other members' resources that fit a request, best first: available the whole time,
/// then nearest town hall, then enough alone, then most recently confirmed.
#[utoipa::path(get, path = "/pact-requests/{id}/matches", operation_id = "match_pact_request", params(("id" = i64, Path)), tag = "pacts",
    responses((status = 200, body = Vec<PactMatch>)))]
pub async fn matches(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Vec<PactMatch>>> {
    Ok(Json(svc::matches(&st, &u.actor, PactRequestId(id)).await?))
}

/// Asks a resource of another member for the request (the requesting member).
#[utoipa::path(post, path = "/pact-requests/{id}/loans", operation_id = "ask_pact_loan", params(("id" = i64, Path)), request_body = PactLoanIn, tag = "pacts",
    responses((status = 201, body = PactLoan), (status = 403, body = ErrorBody)))]
pub async fn ask_loan(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<PactLoanIn>,
) -> AppResult<(StatusCode, Json<PactLoan>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::ask_loan(&st, &u.audit(), &u.actor, PactRequestId(id), &d).await?),
    ))
}

/// The lender accepts or declines a loan, or records hours and costs for the settlement.
#[utoipa::path(post, path = "/pact-loans/{id}/decision", operation_id = "decide_pact_loan", params(("id" = i64, Path)), request_body = PactDecisionIn, tag = "pacts",
    responses((status = 200, body = PactLoan), (status = 403, body = ErrorBody)))]
pub async fn decide_loan(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<PactDecisionIn>,
) -> AppResult<Json<PactLoan>> {
    Ok(Json(
        svc::decide_loan(&st, &u.audit(), &u.actor, PactLoanId(id), &d).await?,
    ))
}
