//! Measures / implementation plan (Realisierungsplan): list, create (free or from answers),
//! change, status, notes, bulk creation from unmet answers, the office's templates.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use verbund_app::measures as svc;
use verbund_domain::measure::input::RawMeasure;
use verbund_domain::measure::model::{
    Measure, MeasureDetail, MeasureFilter, MeasureNote, MeasureTemplate, TemplateProgress,
};
use verbund_domain::measure::{MeasureStatus, Priority};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{
    AnswerId, AssessmentId, MeasureId, MeasureTemplateId, OrgId, StructureObjectId, UserId,
};
use verbund_store::MeasureLinks;

use super::{ApiJson, ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// Query of the measure list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeasureQuery {
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 25, 1 to 200).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
    /// Only measures of this organisation.
    #[param(nullable = false)]
    pub org: Option<i64>,
    /// Only this status (`offen`, `in_arbeit`, `umgesetzt`, `geprueft`).
    #[param(nullable = false)]
    pub status: Option<String>,
    /// Only this priority (`sehr_hoch`, `hoch`, `mittel`, `niedrig`).
    #[param(nullable = false)]
    pub priority: Option<String>,
    /// Only measures of this owner (user id).
    #[param(nullable = false)]
    pub owner: Option<i64>,
    /// Only overdue measures (open, deadline before today in the federation's time zone).
    #[param(nullable = false)]
    pub overdue: Option<bool>,
    /// Only measures pushed from this template.
    #[param(nullable = false)]
    pub template: Option<i64>,
    /// Search in title and description.
    #[param(nullable = false)]
    pub q: Option<String>,
}

/// Parses an optional code filter; empty means none.
fn code<T>(
    v: Option<&str>,
    field: &str,
    parse: fn(&str) -> Result<T, &'static str>,
) -> Result<Option<T>, ValidationErrors> {
    v.map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| parse(v).map_err(|c| ValidationErrors::single(field, c)))
        .transpose()
}

impl MeasureQuery {
    /// The filter (shared with the UI's list and board).
    pub fn filter(&self) -> Result<MeasureFilter, ValidationErrors> {
        Ok(MeasureFilter {
            org: self.org.map(OrgId),
            status: code(self.status.as_deref(), "status", MeasureStatus::parse)?,
            priority: code(self.priority.as_deref(), "priority", Priority::parse)?,
            owner: self.owner.map(UserId),
            overdue: self.overdue.unwrap_or(false),
            template: self.template.map(MeasureTemplateId),
            search: self.q.clone(),
            today: String::new(),
        })
    }
}

/// Measures the caller can see, most urgent first (priority, then deadline): every measure of
/// its members, or for a measure owner their own.
#[utoipa::path(get, path = "/measures", operation_id = "list_measures", params(MeasureQuery), tag = "measures",
    responses((status = 200, body = Page<Measure>), (status = 404, body = ErrorBody, description = "`org` names an organisation the caller cannot see.")))]
pub async fn list(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<MeasureQuery>,
) -> AppResult<Json<Page<Measure>>> {
    let filter = q.filter()?;
    let page = PageRequest::checked(q.page, q.per_page, verbund_domain::page::DEFAULT_PER_PAGE)?;
    Ok(Json(svc::list(&st, &u.actor, &filter, page).await?))
}

/// A new measure with what it works on.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MeasureIn {
    /// The measure's fields.
    #[serde(flatten)]
    pub measure: RawMeasure,
    /// Answers (requirements of the member's assessments) the measure works on.
    #[serde(default)]
    pub answer_ids: Vec<i64>,
    /// Target objects of the member the measure works on.
    #[serde(default)]
    pub object_ids: Vec<i64>,
}

/// Creates a measure of a member (coordinator, office), optionally linked to answers and
/// target objects of that member.
#[utoipa::path(post, path = "/organisations/{id}/measures", operation_id = "create_measure", params(("id" = i64, Path)), request_body = MeasureIn, tag = "measures",
    responses((status = 201, body = Measure), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MeasureIn>,
) -> AppResult<(StatusCode, Json<Measure>)> {
    let links = MeasureLinks {
        answers: body.answer_ids.into_iter().map(AnswerId).collect(),
        objects: body.object_ids.into_iter().map(StructureObjectId).collect(),
    };
    let m = svc::create(&st, &u.audit(), &u.actor, OrgId(id), &body.measure, &links).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// One measure with its linked requirements (current answers, and whether they are all
/// *ja*), objects and progress notes.
#[utoipa::path(get, path = "/measures/{id}", operation_id = "get_measure", params(("id" = i64, Path)), tag = "measures",
    responses((status = 200, body = MeasureDetail)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<MeasureDetail>> {
    Ok(Json(svc::detail(&st, &u.actor, MeasureId(id)).await?))
}

/// Changes a measure's data (all fields; `revision` guards against lost updates).
#[utoipa::path(put, path = "/measures/{id}", operation_id = "update_measure", params(("id" = i64, Path)), request_body = RawMeasure, tag = "measures",
    responses((status = 200, body = Measure), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(raw): ApiJson<RawMeasure>,
) -> AppResult<Json<Measure>> {
    Ok(Json(
        svc::update(&st, &u.audit(), &u.actor, MeasureId(id), &raw).await?,
    ))
}

/// Deletes a measure with its links and notes.
#[utoipa::path(delete, path = "/measures/{id}", operation_id = "delete_measure", params(("id" = i64, Path)), tag = "measures",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    svc::delete(&st, &u.audit(), &u.actor, MeasureId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A status change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StatusIn {
    /// `offen`, `in_arbeit`, `umgesetzt` or `geprueft`.
    #[serde(default)]
    pub status: String,
    /// Revision from the last read.
    pub revision: Option<i64>,
}

/// Moves a measure along the workflow: open work freely, *umgesetzt* back to *in Arbeit*;
/// *geprueft* (from *umgesetzt*) and reopening a checked measure only by a coordinator or the
/// office. The owner progresses their own measures.
#[utoipa::path(put, path = "/measures/{id}/status", operation_id = "set_measure_status", params(("id" = i64, Path)), request_body = StatusIn, tag = "measures",
    responses((status = 200, body = Measure), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_status(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<StatusIn>,
) -> AppResult<Json<Measure>> {
    Ok(Json(
        svc::set_status(
            &st,
            &u.audit(),
            &u.actor,
            MeasureId(id),
            &body.status,
            body.revision,
        )
        .await?,
    ))
}

/// A progress note.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NoteIn {
    /// Text (required, up to 4,000 characters).
    #[serde(default)]
    pub body: String,
}

/// Appends a progress note (notes are never changed).
#[utoipa::path(post, path = "/measures/{id}/notes", operation_id = "add_measure_note", params(("id" = i64, Path)), request_body = NoteIn, tag = "measures",
    responses((status = 201, body = MeasureNote), (status = 403, body = ErrorBody)))]
pub async fn add_note(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<NoteIn>,
) -> AppResult<(StatusCode, Json<MeasureNote>)> {
    let n = svc::add_note(&st, &u.audit(), &u.actor, MeasureId(id), &body.body).await?;
    Ok((StatusCode::CREATED, Json(n)))
}

/// How many measures a bulk creation would create.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BulkPreview {
    /// Unmet answers (nein, teilweise) without a measure.
    pub count: i64,
}

/// Preview of the bulk creation: unmet answers of the assessment no measure works on yet.
#[utoipa::path(get, path = "/assessments/{id}/measures/bulk", operation_id = "preview_bulk_measures", params(("id" = i64, Path)), tag = "measures",
    responses((status = 200, body = BulkPreview), (status = 403, body = ErrorBody)))]
pub async fn bulk_preview(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<BulkPreview>> {
    let count = svc::bulk_preview(&st, &u.actor, AssessmentId(id)).await?;
    Ok(Json(BulkPreview { count }))
}

/// Options of the bulk creation.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MeasureBulkIn {
    /// Priority of the new measures (default `mittel`).
    pub priority: Option<String>,
}

/// The measures a bulk creation or a template push created.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    /// Their ids.
    pub measure_ids: Vec<MeasureId>,
}

/// Creates one measure per unmet answer (nein, teilweise) of the assessment that no measure
/// works on yet, each linked to its requirement, in one transaction.
#[utoipa::path(post, path = "/assessments/{id}/measures/bulk", operation_id = "create_bulk_measures", params(("id" = i64, Path)), request_body = MeasureBulkIn, tag = "measures",
    responses((status = 201, body = Created), (status = 403, body = ErrorBody)))]
pub async fn bulk_create(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MeasureBulkIn>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let measure_ids = svc::bulk_create(
        &st,
        &u.audit(),
        &u.actor,
        AssessmentId(id),
        body.priority.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { measure_ids })))
}

/// The federation's measure templates with how many members got them and are done (office).
#[utoipa::path(get, path = "/measure-templates", operation_id = "list_measure_templates", tag = "measures",
    responses((status = 200, body = Vec<MeasureTemplate>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn templates(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<Vec<MeasureTemplate>>> {
    Ok(Json(svc::templates(&st, &u.actor).await?))
}

/// Creates a template (title, description, priority, deadline) (office).
#[utoipa::path(post, path = "/measure-templates", operation_id = "create_measure_template", request_body = RawMeasure, tag = "measures",
    responses((status = 201, body = MeasureTemplate), (status = 404, body = crate::error::ErrorBody)))]
pub async fn create_template(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(raw): ApiJson<RawMeasure>,
) -> AppResult<(StatusCode, Json<MeasureTemplate>)> {
    let t = svc::create_template(&st, &u.audit(), &u.actor, &raw).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// A template with each member's progress.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TemplateOut {
    /// The template.
    pub template: MeasureTemplate,
    /// One row per member that got it.
    pub members: Vec<TemplateProgress>,
}

/// A template and each member's measure from it: status, owner, deadline, done (office).
#[utoipa::path(get, path = "/measure-templates/{id}", operation_id = "get_measure_template", params(("id" = i64, Path)), tag = "measures",
    responses((status = 200, body = TemplateOut)))]
pub async fn template(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<TemplateOut>> {
    let (template, members) = svc::template_progress(&st, &u.actor, MeasureTemplateId(id)).await?;
    Ok(Json(TemplateOut { template, members }))
}

/// Which members get a template.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PushIn {
    /// Member ids; empty or missing: every member.
    #[serde(default)]
    pub orgs: Vec<i64>,
}

/// Pushes a template to every member (or the named ones) in one transaction: one measure per
/// member that has none from it yet (office).
#[utoipa::path(post, path = "/measure-templates/{id}/push", operation_id = "push_measure_template", params(("id" = i64, Path)), request_body = PushIn, tag = "measures",
    responses((status = 201, body = Created)))]
pub async fn push_template(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<PushIn>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let orgs: Vec<OrgId> = body.orgs.into_iter().map(OrgId).collect();
    let measure_ids =
        svc::push_template(&st, &u.audit(), &u.actor, MeasureTemplateId(id), &orgs).await?;
    Ok((StatusCode::CREATED, Json(Created { measure_ids })))
}

/// A member's implementation plan (Realisierungsplan) as a download: every measure sorted by
/// priority, then deadline, with owner, status, cost and effort, and the sums per priority
/// (all measures and the open ones). For whoever reads all of the member's measures.
#[utoipa::path(get, path = "/organisations/{id}/measures/plan", operation_id = "measure_plan", params(("id" = i64, Path), crate::extract::ReportQuery), tag = "measures",
    responses((status = 200, description = "The plan: tagged PDF (`format=pdf`) or XLSX workbook (`format=xlsx`).",
        content((super::Binary = "application/pdf"), (super::Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, body = ErrorBody, description = "No such organisation, or not one whose plan the caller may read.")))]
pub async fn plan(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<crate::extract::ReportQuery>,
) -> AppResult<crate::download::Download> {
    Ok(crate::download::Download(
        verbund_app::measure_plan::plan(&st, &u.actor, OrgId(id), q.format()).await?,
    ))
}

/// The target objects a measure works on (replaces the earlier assignment).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MeasureObjectsIn {
    /// Objects of the measure's member (at most 500); empty removes every assignment.
    #[serde(default)]
    pub object_ids: Vec<i64>,
}

/// Replaces the target objects a measure works on (coordinator of its member, office); an
/// object of another member is refused with 422 and nothing changes.
#[utoipa::path(put, path = "/measures/{id}/objects", operation_id = "set_measure_objects", params(("id" = i64, Path)), request_body = MeasureObjectsIn, tag = "measures",
    responses((status = 200, body = MeasureDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_objects(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<MeasureObjectsIn>,
) -> AppResult<Json<MeasureDetail>> {
    let objects: Vec<StructureObjectId> =
        body.object_ids.into_iter().map(StructureObjectId).collect();
    Ok(Json(
        svc::set_objects(&st, &u.audit(), &u.actor, MeasureId(id), &objects).await?,
    ))
}
