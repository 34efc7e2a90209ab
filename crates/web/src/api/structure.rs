//! Structure analysis (BSI 200-2): target objects, links, protection needs, providers,
//! inventory import and export.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use verbund_app::assessments::ExportFormat;
use verbund_app::structure::{self as svc, ImportSummary, LinkDraft, NeedDraft};
use verbund_app::structure_report as report_svc;
use verbund_domain::org::Organisation;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::structure::model::{Link, Need, ObjectDetail, ObjectFilter, TargetObject};
use verbund_domain::structure::needs::StructureSettings;
use verbund_domain::structure::{ObjectType, RawObject};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, StructureLinkId, StructureObjectId};

use super::{ApiJson, ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::download::Download;
use crate::error::{AppResult, ErrorBody};

/// Query of the object list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObjectQuery {
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 25, 1 to 200).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
    /// Only objects of this organisation.
    #[param(nullable = false)]
    pub org: Option<i64>,
    /// Only objects of this type (code, e.g. `server`).
    #[param(nullable = false)]
    pub object_type: Option<String>,
    /// Search in short id and name.
    #[param(nullable = false)]
    pub q: Option<String>,
    /// Only provider objects.
    #[param(nullable = false)]
    pub providers: Option<bool>,
}

/// Target objects the caller can see: its members' and the provider objects they rely on.
#[utoipa::path(get, path = "/structure/objects", operation_id = "list_structure_objects", params(ObjectQuery), tag = "structure",
    responses((status = 200, body = Page<TargetObject>), (status = 404, body = ErrorBody, description = "`org` names an organisation the caller cannot see.")))]
pub async fn list(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<ObjectQuery>,
) -> AppResult<Json<Page<TargetObject>>> {
    let object_type = q
        .object_type
        .as_deref()
        .filter(|t| !t.is_empty())
        .map(|t| ObjectType::parse(t).map_err(|c| ValidationErrors::single("object_type", c)))
        .transpose()?;
    let filter = ObjectFilter {
        org: q.org.map(OrgId),
        object_type,
        search: q.q,
        providers_only: q.providers.unwrap_or(false),
    };
    let page = PageRequest::checked(q.page, q.per_page, verbund_domain::page::DEFAULT_PER_PAGE)?;
    Ok(Json(svc::list(&st, &u.actor, &filter, page).await?))
}

/// Creates a target object of an organisation (a member's, or a provider's by the office).
#[utoipa::path(post, path = "/organisations/{id}/structure/objects", operation_id = "create_structure_object", params(("id" = i64, Path)), request_body = RawObject, tag = "structure",
    responses((status = 201, body = TargetObject), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(raw): ApiJson<RawObject>,
) -> AppResult<(StatusCode, Json<TargetObject>)> {
    let o = svc::create(&st, &u.audit(), &u.actor, OrgId(id), &raw).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// One object with its needs per goal, inheritance paths, links and (for a provider object)
/// the contributions the caller may see — a member only its own.
#[utoipa::path(get, path = "/structure/objects/{id}", operation_id = "get_structure_object", params(("id" = i64, Path)), tag = "structure",
    responses((status = 200, body = ObjectDetail)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<ObjectDetail>> {
    Ok(Json(
        svc::detail(&st, &u.actor, StructureObjectId(id)).await?,
    ))
}

/// Changes an object (all fields; `revision` from the last read guards against lost updates).
#[utoipa::path(put, path = "/structure/objects/{id}", operation_id = "update_structure_object", params(("id" = i64, Path)), request_body = RawObject, tag = "structure",
    responses((status = 200, body = TargetObject), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(raw): ApiJson<RawObject>,
) -> AppResult<Json<TargetObject>> {
    let rev = raw.revision;
    Ok(Json(
        svc::update(&st, &u.audit(), &u.actor, StructureObjectId(id), rev, &raw).await?,
    ))
}

/// Deletes an object with its links; needs that came from it are recomputed.
#[utoipa::path(delete, path = "/structure/objects/{id}", operation_id = "delete_structure_object", params(("id" = i64, Path)), tag = "structure",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    svc::delete(&st, &u.audit(), &u.actor, StructureObjectId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A need set by a person for one goal.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NeedIn {
    /// `confidentiality`, `integrity` or `availability`.
    pub goal: String,
    /// The rest.
    #[serde(flatten)]
    pub need: NeedDraft,
}

/// Sets (or with an empty `value` clears) the need a person set for one goal, with a mandatory
/// justification; a deviation (`cumulation`, `other` raise above the calculated need,
/// `distribution` lowers below it). Everything depending on the object is recomputed.
#[utoipa::path(put, path = "/structure/objects/{id}/needs", operation_id = "set_structure_need", params(("id" = i64, Path)), request_body = NeedIn, tag = "structure",
    responses((status = 200, body = Need), (status = 403, body = ErrorBody)))]
pub async fn set_need(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(n): ApiJson<NeedIn>,
) -> AppResult<Json<Need>> {
    Ok(Json(
        svc::set_need(
            &st,
            &u.audit(),
            &u.actor,
            StructureObjectId(id),
            &n.goal,
            &n.need,
        )
        .await?,
    ))
}

/// The links from an organisation's objects (the dependency graph).
#[utoipa::path(get, path = "/organisations/{id}/structure/links", operation_id = "list_structure_links", params(("id" = i64, Path)), tag = "structure",
    responses((status = 200, body = Vec<Link>)))]
pub async fn links(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Vec<Link>>> {
    Ok(Json(svc::links(&st, &u.actor, OrgId(id)).await?))
}

/// Adds a link `from → to` (to an object of the same member or to a provider object).
#[utoipa::path(post, path = "/structure/links", operation_id = "create_structure_link", request_body = LinkDraft, tag = "structure",
    responses((status = 201, body = Link), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_link(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(d): ApiJson<LinkDraft>,
) -> AppResult<(StatusCode, Json<Link>)> {
    let l = svc::add_link(&st, &u.audit(), &u.actor, &d).await?;
    Ok((StatusCode::CREATED, Json(l)))
}

/// Removes a link.
#[utoipa::path(delete, path = "/structure/links/{id}", operation_id = "delete_structure_link", params(("id" = i64, Path)), tag = "structure",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_link(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    svc::remove_link(&st, &u.audit(), &u.actor, StructureLinkId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The federation's settings: which link types pass needs on (and which way), the cumulation
/// threshold, the damage-scenario thresholds.
#[utoipa::path(get, path = "/structure/settings", operation_id = "get_structure_settings", tag = "structure",
    responses((status = 200, body = StructureSettings), (status = 404, body = ErrorBody)))]
pub async fn settings(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<StructureSettings>> {
    Ok(Json(svc::settings(&st, &u.actor).await?))
}

/// Saves the settings (office); a changed propagation recomputes every object.
#[utoipa::path(put, path = "/structure/settings", operation_id = "save_structure_settings", request_body = StructureSettings, tag = "structure",
    responses((status = 200, body = StructureSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn save_settings(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(s): ApiJson<StructureSettings>,
) -> AppResult<Json<StructureSettings>> {
    Ok(Json(
        svc::save_settings(&st, &u.audit(), &u.actor, s).await?,
    ))
}

/// The provider organisations (office only).
#[utoipa::path(get, path = "/structure/providers", operation_id = "list_structure_providers", tag = "structure",
    responses((status = 200, body = Vec<Organisation>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn providers(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<Vec<Organisation>>> {
    Ok(Json(svc::providers(&st, &u.actor).await?))
}

/// `?format=xlsx|csv`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportIn {
    /// `xlsx` (default) or `csv`.
    #[param(value_type = Option<ExportFormat>, inline, nullable = false)]
    pub format: Option<ExportFormat>,
}

/// An organisation's inventory (objects, their links and effective needs) as XLSX or CSV,
/// importable again.
#[utoipa::path(get, path = "/organisations/{id}/structure/export", operation_id = "export_structure", params(("id" = i64, Path), ExportIn), tag = "structure",
    responses((status = 200, description = "The inventory as a download: XLSX workbook (`format=xlsx`) or semicolon-separated UTF-8 text (`format=csv`).",
        content((super::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (super::Binary = "text/csv")))))]
pub async fn export(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<ExportIn>,
) -> AppResult<Download> {
    Ok(Download(
        svc::export(
            &st,
            &u.actor,
            OrgId(id),
            q.format.unwrap_or(ExportFormat::Xlsx),
        )
        .await?,
    ))
}

/// Imports an inventory (XLSX or CSV, columns as in the export): objects created or updated by
/// short id, links added. Any bad row refuses the whole file (400, line and column in
/// `detail`); a file over the limits is 413. Nothing changes either way.
#[utoipa::path(post, path = "/organisations/{id}/structure/import", operation_id = "import_structure", params(("id" = i64, Path)),
    request_body(content = super::Binary, content_type = "application/octet-stream", description = "An inventory as exported by `export_structure` (XLSX or CSV)."), tag = "structure",
    responses((status = 200, body = ImportSummary), (status = 400, body = ErrorBody, description = "The file is not readable, or rows are bad (line and column in `detail`); nothing changed."),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody, description = "The file exceeds an import limit; nothing changed.")))]
pub async fn import(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    body: Bytes,
) -> AppResult<Json<ImportSummary>> {
    Ok(Json(
        svc::import(&st, &u.audit(), &u.actor, OrgId(id), &body).await?,
    ))
}

/// An organisation's report "Strukturanalyse und Schutzbedarfsfeststellung": objects, needs
/// per basic value (set, calculated, effective, deviation, justification) with the inheritance
/// path, links, and the provider objects it relies on with only its own contribution.
#[utoipa::path(get, path = "/organisations/{id}/structure/report", operation_id = "structure_report", params(("id" = i64, Path), crate::extract::ReportQuery), tag = "structure",
    responses((status = 200, description = "The report as a download: tagged PDF (`format=pdf`) or XLSX workbook (`format=xlsx`).",
        content((super::Binary = "application/pdf"), (super::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, body = ErrorBody, description = "No such organisation, or not one the caller may see.")))]
pub async fn report(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<crate::extract::ReportQuery>,
) -> AppResult<Download> {
    Ok(Download(
        report_svc::report(&st, &u.actor, OrgId(id), q.format()).await?,
    ))
}
