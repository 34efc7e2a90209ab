//! Assessments: start, answer (single and bulk), snapshots and comparison, export/import,
//! evidence files, and the federation comparison (heatmap).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use verbund_domain::page::{DEFAULT_PER_PAGE, Page, PageRequest};
use verbund_domain::{AnswerId, AssessmentId, CatalogId, EvidenceId, SnapshotId};
use verbund_store::{AnswerRow, EvidenceMeta, GroupChange, StoredAssessment, StoredSnapshot};

use super::{ApiJson, ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::download::Download;
use crate::error::{AppResult, ErrorBody};
use verbund_app::assessments::{
    self as svc, AnswerIn, AnswersQuery, AssessmentOut, BulkIn, Comparison, ImportOutcome, StartIn,
    TopicNotApplicableIn,
};
use verbund_app::comparison::{self, Heatmap, HeatmapQuery};

/// Assessments created.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Started {
    /// IDs of the new assessments (members that had one already are skipped).
    #[schema(value_type = Vec<i64>)]
    pub created: Vec<AssessmentId>,
}

/// Starts assessments of a catalog revision: for the members named, or (office) for every member.
#[utoipa::path(post, path = "/assessments", operation_id = "start_assessments", request_body = StartIn, tag = "assessments", responses((status = 201, body = Started), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn start(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(d): ApiJson<StartIn>,
) -> AppResult<(StatusCode, Json<Started>)> {
    Ok((
        StatusCode::CREATED,
        Json(Started {
            created: svc::start(&st, &u.audit(), &u.actor, &d).await?,
        }),
    ))
}

/// `?catalog=3&page=1&per_page=25`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListIn {
    /// Only this catalog revision.
    #[param(nullable = false)]
    pub catalog: Option<i64>,
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 25, 1 to 200; outside that range the request is refused with 422).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
}

/// Assessments the caller may read.
#[utoipa::path(get, path = "/assessments", operation_id = "list_assessments", params(ListIn), tag = "assessments", responses((status = 200, body = Page<StoredAssessment>)))]
pub async fn list(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<ListIn>,
) -> AppResult<Json<Page<StoredAssessment>>> {
    let page = PageRequest::checked(q.page, q.per_page, DEFAULT_PER_PAGE)?;
    Ok(Json(
        svc::list(&st, &u.actor, q.catalog.map(CatalogId), page).await?,
    ))
}

/// One assessment with progress and score, overall and per topic.
#[utoipa::path(get, path = "/assessments/{id}", operation_id = "get_assessment", params(("id" = i64, Path)), tag = "assessments", responses((status = 200, body = AssessmentOut)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<AssessmentOut>> {
    Ok(Json(svc::get(&st, &u.actor, AssessmentId(id)).await?))
}

/// Answer rows, filtered; `all=true` returns every row.
#[utoipa::path(get, path = "/assessments/{id}/answers", operation_id = "list_answers", params(("id" = i64, Path), AnswersQuery), tag = "assessments", responses((status = 200, body = Page<AnswerRow>)))]
pub async fn answers(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<AnswersQuery>,
    headers: axum::http::HeaderMap,
) -> AppResult<axum::response::Response> {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let gzip = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let list = svc::answers_json(&st, &u.actor, AssessmentId(id), &q, gzip).await?;
    let mut res = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        list.bytes,
    )
        .into_response();
    // The response layer compresses only what has no Content-Encoding yet.
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if list.gzip {
        res.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    Ok(res)
}

/// Sets one answer (status, justification, owner, due date, comment; `version` for optimistic locking).
#[utoipa::path(put, path = "/answers/{id}", operation_id = "update_answer", params(("id" = i64, Path)), request_body = AnswerIn, tag = "assessments",
    responses((status = 200, body = AnswerRow), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn answer(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<AnswerIn>,
) -> AppResult<Json<AnswerRow>> {
    Ok(Json(
        svc::answer(&st, &u.audit(), &u.actor, AnswerId(id), &d).await?,
    ))
}

/// Changes many answers at once (status, justification, owner, due date); all or nothing.
#[utoipa::path(post, path = "/assessments/{id}/answers/bulk", operation_id = "bulk_update_answers", params(("id" = i64, Path)), request_body = BulkIn, tag = "assessments", responses((status = 200, body = Vec<AnswerRow>), (status = 403, body = ErrorBody)))]
pub async fn bulk(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<BulkIn>,
) -> AppResult<Json<Vec<AnswerRow>>> {
    Ok(Json(
        svc::bulk(&st, &u.audit(), &u.actor, AssessmentId(id), &d).await?,
    ))
}

/// Marks every requirement of one topic (a module such as SYS.1.8) *entbehrlich* with one
/// justification; owners, due dates and comments stay. Audited as one entry with its rows;
/// the returned change can be undone.
#[utoipa::path(post, path = "/assessments/{id}/not-applicable", operation_id = "mark_topic_not_applicable", params(("id" = i64, Path)), request_body = TopicNotApplicableIn, tag = "assessments",
    responses((status = 201, body = GroupChange), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn topic_not_applicable(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<TopicNotApplicableIn>,
) -> AppResult<(StatusCode, Json<GroupChange>)> {
    let c = svc::mark_topic_not_applicable(&st, &u.audit(), &u.actor, AssessmentId(id), &d).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Undoes a topic marked *entbehrlich*: every answer it changed is restored exactly. Undone
/// already: 409; answered again since: 422 naming each such requirement (nothing restored).
#[utoipa::path(post, path = "/assessment-changes/{id}/undo", operation_id = "undo_group_change", params(("id" = i64, Path)), tag = "assessments",
    responses((status = 200, body = GroupChange), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn undo_group_change(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<GroupChange>> {
    Ok(Json(svc::undo(&st, &u.audit(), &u.actor, id).await?))
}

/// A snapshot's name.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotIn {
    /// Name, e.g. "Stand Jahresbericht 2026".
    pub name: String,
}

/// Snapshots of an assessment, newest first.
#[utoipa::path(get, path = "/assessments/{id}/snapshots", operation_id = "list_snapshots", params(("id" = i64, Path)), tag = "assessments", responses((status = 200, body = Vec<StoredSnapshot>)))]
pub async fn snapshots(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Vec<StoredSnapshot>>> {
    Ok(Json(svc::snapshots(&st, &u.actor, AssessmentId(id)).await?))
}

/// Freezes the current state.
#[utoipa::path(post, path = "/assessments/{id}/snapshots", operation_id = "create_snapshot", params(("id" = i64, Path)), request_body = SnapshotIn, tag = "assessments", responses((status = 201, body = StoredSnapshot), (status = 403, body = ErrorBody)))]
pub async fn snapshot(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<SnapshotIn>,
) -> AppResult<(StatusCode, Json<StoredSnapshot>)> {
    Ok((
        StatusCode::CREATED,
        Json(svc::snapshot(&st, &u.audit(), &u.actor, AssessmentId(id), &d.name).await?),
    ))
}

/// `?from=4&to=7` (without `to`: the current answers).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareIn {
    /// Earlier snapshot.
    pub from: i64,
    /// Later snapshot; omitted: now.
    #[param(nullable = false)]
    pub to: Option<i64>,
}

/// What improved and what regressed between two snapshots (or a snapshot and now).
#[utoipa::path(get, path = "/assessments/{id}/compare", operation_id = "compare_snapshots", params(("id" = i64, Path), CompareIn), tag = "assessments", responses((status = 200, body = Comparison)))]
pub async fn compare(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<CompareIn>,
) -> AppResult<Json<Comparison>> {
    Ok(Json(
        svc::compare(
            &st,
            &u.actor,
            AssessmentId(id),
            SnapshotId(q.from),
            q.to.map(SnapshotId),
        )
        .await?,
    ))
}

/// `?format=xlsx|csv`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportIn {
    /// `xlsx` (default) or `csv`.
    #[param(value_type = Option<svc::ExportFormat>, inline, nullable = false)]
    pub format: Option<svc::ExportFormat>,
}

/// Every answer as an XLSX workbook (importable again) or CSV.
#[utoipa::path(get, path = "/assessments/{id}/export", operation_id = "export_answers", params(("id" = i64, Path), ExportIn), tag = "assessments",
    responses((status = 200, description = "The answers as a download: XLSX workbook (`format=xlsx`) or semicolon-separated UTF-8 text (`format=csv`).",
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
            AssessmentId(id),
            q.format.unwrap_or(svc::ExportFormat::Xlsx),
        )
        .await?,
    ))
}

/// Imports answers from an exported XLSX or CSV file (request body). Any bad row refuses the
/// whole file (400 with line numbers); a file over the import limits (an XLSX that unpacks to
/// more than 64 MiB per part, 128 MiB in all or more than 100 : 1, more than 50,000 rows or
/// 64 columns) is refused with 413 naming the limit. Nothing changes either way.
#[utoipa::path(post, path = "/assessments/{id}/import", operation_id = "import_answers", params(("id" = i64, Path)),
    request_body(content = super::Binary, content_type = "application/octet-stream", description = "A file exported by `export_answers` (XLSX or CSV), filled in."), tag = "assessments",
    responses((status = 200, body = ImportOutcome), (status = 400, body = ErrorBody, description = "The file is not a readable export, or rows are bad (line numbers in `detail`); nothing changed."),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody, description = "The file exceeds an import limit (size, unpacked size, compression ratio, rows, columns); nothing changed.")))]
pub async fn import(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    body: Bytes,
) -> AppResult<Json<ImportOutcome>> {
    Ok(Json(
        svc::import(&st, &u.audit(), &u.actor, AssessmentId(id), &body).await?,
    ))
}

/// Evidence files of an answer.
#[utoipa::path(get, path = "/answers/{id}/evidence", operation_id = "list_evidence", params(("id" = i64, Path)), tag = "assessments", responses((status = 200, body = Vec<EvidenceMeta>)))]
pub async fn evidence_list(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Vec<EvidenceMeta>>> {
    Ok(Json(svc::evidence_list(&st, &u.actor, AnswerId(id)).await?))
}

/// `?file_name=protokoll.pdf`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadIn {
    /// The file's name.
    pub file_name: String,
}

/// Attaches an evidence file (request body, up to 10 MiB; PDF, PNG, JPEG, Office/OpenDocument, text).
#[utoipa::path(post, path = "/answers/{id}/evidence", operation_id = "add_evidence", params(("id" = i64, Path), UploadIn),
    request_body(content = super::Binary, content_type = "application/octet-stream", description = "The file; its type is checked by content and name."), tag = "assessments",
    responses((status = 201, body = EvidenceMeta), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "Empty, larger than 10 MiB, or not an accepted file type (field `file`).")))]
pub async fn add_evidence(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<UploadIn>,
    body: Bytes,
) -> AppResult<(StatusCode, Json<EvidenceMeta>)> {
    let f = svc::EvidenceIn {
        file_name: q.file_name,
        content: body.to_vec(),
    };
    Ok((
        StatusCode::CREATED,
        Json(svc::add_evidence(&st, &u.audit(), &u.actor, AnswerId(id), f).await?),
    ))
}

/// Downloads an evidence file.
#[utoipa::path(get, path = "/evidence/{id}", operation_id = "get_evidence", params(("id" = i64, Path)), tag = "assessments",
    responses((status = 200, description = "The file as a download, with the type it was recognised as when it was attached.",
        content((super::Binary = "application/pdf"), (super::Binary = "image/png"), (super::Binary = "image/jpeg"), (super::Binary = "text/plain"), (super::Binary = "application/octet-stream")))))]
pub async fn evidence(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Download> {
    Ok(Download(
        svc::evidence(&st, &u.actor, EvidenceId(id)).await?,
    ))
}

/// Deletes an evidence file.
#[utoipa::path(delete, path = "/evidence/{id}", operation_id = "delete_evidence", params(("id" = i64, Path)), tag = "assessments", responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_evidence(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    svc::delete_evidence(&st, &u.audit(), &u.actor, EvidenceId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The federation comparison: members × topics with average and spread. Members see their
/// own row and the anonymised average unless the federation allows named comparison.
#[utoipa::path(get, path = "/heatmap", operation_id = "get_heatmap", params(HeatmapQuery), tag = "assessments", responses((status = 200, body = Heatmap), (status = 404, body = ErrorBody)))]
pub async fn heatmap(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<HeatmapQuery>,
) -> AppResult<Json<Heatmap>> {
    Ok(Json(comparison::heatmap(&st, &u.actor, &q).await?))
}

/// `?to=7`: the catalog revision to move to.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MigrateQuery {
    /// Target catalog revision (a newer revision of the same catalog).
    pub to: i64,
}

/// Preview of moving an assessment to a newer catalog revision: added, removed and changed requirements.
#[utoipa::path(get, path = "/assessments/{id}/migration", operation_id = "preview_migration", params(("id" = i64, Path), MigrateQuery), tag = "assessments", responses((status = 200, body = svc::MigrationPreview)))]
pub async fn migration(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<MigrateQuery>,
) -> AppResult<Json<svc::MigrationPreview>> {
    Ok(Json(
        svc::migration_preview(&st, &u.actor, AssessmentId(id), CatalogId(q.to)).await?,
    ))
}

/// The target revision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrateIn {
    /// Newer revision of the same catalog.
    pub catalog_id: i64,
}

/// Moves an assessment to a newer catalog revision: a new assessment with the answers and
/// evidence of every requirement that is still there; the old assessment is kept.
#[utoipa::path(post, path = "/assessments/{id}/migrate", operation_id = "migrate_assessment", params(("id" = i64, Path)), request_body = MigrateIn, tag = "assessments", responses((status = 201, body = Started), (status = 403, body = ErrorBody)))]
pub async fn migrate(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<MigrateIn>,
) -> AppResult<(StatusCode, Json<Started>)> {
    let new_id = svc::migrate(
        &st,
        &u.audit(),
        &u.actor,
        AssessmentId(id),
        CatalogId(d.catalog_id),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Started {
            created: vec![new_id],
        }),
    ))
}
