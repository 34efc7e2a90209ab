//! Modelling (BSI 200-2): modules assigned to target objects, suggestions, the modelling table
//! and coverage gaps of a member, the office's coverage view, and the suggestion rules.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use verbund_app::modelling::{self as svc, AssignDraft, Coverage, Modelling, ObjectModules};
use verbund_domain::structure::modelling::{Assignment, Module, ModuleRules};
use verbund_domain::{OrgId, StructureObjectId};

use super::{ApiJson, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// The modules assigned to an object and the modules the federation's rules suggest for it in
/// addition (only modules an imported catalog offers).
#[utoipa::path(get, path = "/structure/objects/{id}/modules", operation_id = "list_object_modules", params(("id" = i64, Path)), tag = "structure",
    responses((status = 200, body = ObjectModules)))]
pub async fn object_modules(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<ObjectModules>> {
    Ok(Json(
        svc::object_modules(&st, &u.actor, StructureObjectId(id)).await?,
    ))
}

/// Assigns a module to an object: by catalog node (`node_id`) or by reference (`module`, e.g.
/// `SYS.1.1`, from the newest catalog revisions, optionally in `catalog_id`). An unknown module
/// or one assigned already is 422.
#[utoipa::path(post, path = "/structure/objects/{id}/modules", operation_id = "assign_module", params(("id" = i64, Path)), request_body = AssignDraft, tag = "structure",
    responses((status = 201, body = Assignment), (status = 403, body = ErrorBody)))]
pub async fn assign(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<AssignDraft>,
) -> AppResult<(StatusCode, Json<Assignment>)> {
    let a = svc::assign(&st, &u.audit(), &u.actor, StructureObjectId(id), &d).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// Removes a module from an object.
#[utoipa::path(delete, path = "/structure/modules/{id}", operation_id = "unassign_module", params(("id" = i64, Path)), tag = "structure",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn unassign(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    svc::unassign(&st, &u.audit(), &u.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The modules on offer: the top-level nodes (with a reference) of the newest revision of
/// every imported catalog.
#[utoipa::path(get, path = "/structure/modules", operation_id = "list_catalog_modules", tag = "structure",
    responses((status = 200, body = Vec<Module>)))]
pub async fn modules(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<Vec<Module>>> {
    Ok(Json(svc::catalog_modules(&st, &u.actor).await?))
}

/// An organisation's modelling: its objects with their modules, the modules used, and the
/// coverage gaps (objects without modules; suggested modules no object has).
#[utoipa::path(get, path = "/organisations/{id}/structure/modelling", operation_id = "get_modelling", params(("id" = i64, Path)), tag = "structure",
    responses((status = 200, body = Modelling)))]
pub async fn modelling(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Modelling>> {
    Ok(Json(svc::modelling(&st, &u.actor, OrgId(id)).await?))
}

/// Coverage per organisation as counts (office only).
#[utoipa::path(get, path = "/structure/coverage", operation_id = "get_federation_coverage", tag = "structure",
    responses((status = 200, body = Vec<Coverage>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn coverage(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<Vec<Coverage>>> {
    Ok(Json(svc::federation_coverage(&st, &u.actor).await?))
}

/// The federation's suggestion rules (the built-in defaults until the office saves its own).
#[utoipa::path(get, path = "/structure/module-rules", operation_id = "get_module_rules", tag = "structure",
    responses((status = 200, body = ModuleRules)))]
pub async fn rules(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<ModuleRules>> {
    Ok(Json(svc::rules(&st, &u.actor).await?))
}

/// Saves the suggestion rules (office): each rule an object type, optionally a tag and a
/// product word, and 1–50 module references.
#[utoipa::path(put, path = "/structure/module-rules", operation_id = "save_module_rules", request_body = ModuleRules, tag = "structure",
    responses((status = 200, body = ModuleRules), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn save_rules(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(r): ApiJson<ModuleRules>,
) -> AppResult<Json<ModuleRules>> {
    Ok(Json(svc::save_rules(&st, &u.audit(), &u.actor, r).await?))
}
