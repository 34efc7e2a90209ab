//! Organisations and memberships.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use verbund_domain::org::{Membership, MembershipDraft, OrgDraft, Organisation};
use verbund_domain::page::Page;
use verbund_domain::{MembershipId, OrgId};

use super::{ApiJson, IdPath, ListQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppError, AppResult, ErrorBody};
use verbund_app::orgs;

/// Organisations visible to the caller (members see only their own).
#[utoipa::path(get, path = "/organisations", operation_id = "list_organisations", params(ListQuery), tag = "organisations",
    responses((status = 200, body = Page<Organisation>)))]
pub async fn list(
    State(st): State<AppState>,
    u: ApiUser,
    q: ListQuery,
) -> AppResult<Json<Page<Organisation>>> {
    Ok(Json(
        orgs::list_orgs(&st, &u.actor, q.q.as_deref(), q.page()?).await?,
    ))
}

/// Creates a member organisation (office only).
#[utoipa::path(post, path = "/organisations", operation_id = "create_organisation", request_body = OrgDraft, tag = "organisations",
    responses((status = 201, body = Organisation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(d): ApiJson<OrgDraft>,
) -> AppResult<(StatusCode, Json<Organisation>)> {
    Ok((
        StatusCode::CREATED,
        Json(orgs::create_org(&st, &u.audit(), &u.actor, &d).await?),
    ))
}

/// One organisation.
#[utoipa::path(get, path = "/organisations/{id}", operation_id = "get_organisation", params(("id" = i64, Path)), tag = "organisations",
    responses((status = 200, body = Organisation)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Organisation>> {
    Ok(Json(orgs::get_org(&st, &u.actor, OrgId(id)).await?))
}

/// Replaces an organisation's facts. Send `If-Match: "<version>"` to fail with 409 if someone
/// else changed it since you read it.
#[utoipa::path(put, path = "/organisations/{id}", operation_id = "update_organisation",
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^"?[0-9]{1,9}"?$"#, description = "The version read before (`\"3\"`); a different current version answers 409.")),
    request_body = OrgDraft, tag = "organisations",
    responses((status = 200, body = Organisation), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    headers: HeaderMap,
    ApiJson(d): ApiJson<OrgDraft>,
) -> AppResult<Json<Organisation>> {
    let version = match headers.get(header::IF_MATCH) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim_matches('"').parse().ok())
                .ok_or_else(|| AppError::bad("error-if-match"))?,
        ),
    };
    Ok(Json(
        orgs::update_org(&st, &u.audit(), &u.actor, OrgId(id), version, &d).await?,
    ))
}

/// Membership periods of an organisation, newest first.
#[utoipa::path(get, path = "/organisations/{id}/memberships", operation_id = "list_memberships", params(("id" = i64, Path)), tag = "organisations",
    responses((status = 200, body = Vec<Membership>)))]
pub async fn memberships(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Vec<Membership>>> {
    Ok(Json(
        orgs::list_memberships(&st, &u.actor, OrgId(id)).await?,
    ))
}

/// Adds a membership period (office only).
#[utoipa::path(post, path = "/organisations/{id}/memberships", operation_id = "create_membership", params(("id" = i64, Path)), request_body = MembershipDraft, tag = "organisations",
    responses((status = 201, body = Membership), (status = 403, body = ErrorBody)))]
pub async fn add_membership(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<MembershipDraft>,
) -> AppResult<(StatusCode, Json<Membership>)> {
    Ok((
        StatusCode::CREATED,
        Json(orgs::add_membership(&st, &u.audit(), &u.actor, OrgId(id), &d).await?),
    ))
}

/// Replaces a membership period (office only).
#[utoipa::path(put, path = "/memberships/{id}", operation_id = "update_membership", params(("id" = i64, Path)), request_body = MembershipDraft, tag = "organisations",
    responses((status = 200, body = Membership), (status = 403, body = ErrorBody)))]
pub async fn update_membership(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<MembershipDraft>,
) -> AppResult<Json<Membership>> {
    Ok(Json(
        orgs::update_membership(&st, &u.audit(), &u.actor, MembershipId(id), &d).await?,
    ))
}

/// Deletes a membership period (office only; to end one, set its end date instead).
#[utoipa::path(delete, path = "/memberships/{id}", operation_id = "delete_membership", params(("id" = i64, Path)), tag = "organisations",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_membership(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    orgs::delete_membership(&st, &u.audit(), &u.actor, MembershipId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
