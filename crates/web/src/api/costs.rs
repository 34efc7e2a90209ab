//! Cost sharing: budgets, subsidies, keys, preview, comparison and issued statements.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use verbund_domain::{BudgetLineId, CostKeyId, StatementId, SubsidyId};
use verbund_store::{StoredBudgetLine, StoredKey, StoredStatement, StoredSubsidy};

use super::{ApiJson, ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::download::Download;
use crate::error::{AppResult, ErrorBody};
use verbund_app::costs::{self, BudgetOut, KeyDraft, LineDraft, SubsidyDraft};
use verbund_app::statements::{self, CompareRow, Preview};
use verbund_domain::OrgId;
use verbund_domain::settings::FederationSettings;

/// `?year=2026`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Budget year (2000–2100).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: i32,
}

/// `?year=2026` (optional).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearFilter {
    /// Only statements of this year.
    #[param(nullable = false)]
    pub year: Option<i32>,
}

/// `?year=2026&key=3`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// Budget year (2000–2100).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// Key version.
    pub key: i64,
}

/// `?year=2026&a=3&b=4`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// Budget year (2000–2100).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// First key version.
    pub a: i64,
    /// Second key version.
    pub b: i64,
}

/// Copy a year's budget.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyIn {
    /// Source year.
    pub from: i32,
    /// Target year (must have no budget yet).
    pub to: i32,
    /// Yearly index in basis points, e.g. 250 = +2.5 % per year.
    #[serde(default)]
    pub index_bp: i32,
}

/// Issue a statement.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueIn {
    /// Year.
    pub year: i32,
    /// Key version.
    pub key_id: i64,
    /// Due date (`2027-03-31` or `31.03.2027`); default: today plus the settings' payment days.
    #[serde(default)]
    pub due_on: Option<String>,
    /// Payment references replacing the pattern's, by member ID (`{"12": "VB-2026-12"}`); a
    /// key that is no member ID is refused with 422.
    #[serde(default)]
    pub references: std::collections::BTreeMap<String, String>,
    /// The fingerprint of a draft (`POST /costs/statements/draft`): 409 if the figures changed since.
    #[serde(default)]
    pub fingerprint: Option<String>,
}

/// The budget of a year (office).
#[utoipa::path(get, path = "/costs/budget", operation_id = "get_budget", params(YearQuery), tag = "costs", responses((status = 200, body = BudgetOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn budget(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> AppResult<Json<BudgetOut>> {
    Ok(Json(costs::budget(&st, &u.actor, q.year).await?))
}

/// Appends a budget line to a year (office). Amounts in cents (`amount_cents`) or as typed (`amount`: "85.000,00").
#[utoipa::path(post, path = "/costs/budget-lines", operation_id = "create_budget_line", params(YearQuery), request_body = LineDraft, tag = "costs", responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_line(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<YearQuery>,
    ApiJson(d): ApiJson<LineDraft>,
) -> AppResult<(StatusCode, Json<StoredBudgetLine>)> {
    let year = q.year;
    Ok((
        StatusCode::CREATED,
        Json(costs::add_line(&st, &u.audit(), &u.actor, year, &d).await?),
    ))
}

/// Changes a budget line (office).
#[utoipa::path(put, path = "/costs/budget-lines/{id}", operation_id = "update_budget_line", params(("id" = i64, Path)), request_body = LineDraft, tag = "costs", responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
pub async fn update_line(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<LineDraft>,
) -> AppResult<Json<StoredBudgetLine>> {
    Ok(Json(
        costs::update_line(&st, &u.audit(), &u.actor, BudgetLineId(id), &d).await?,
    ))
}

/// Deletes a budget line (office).
#[utoipa::path(delete, path = "/costs/budget-lines/{id}", operation_id = "delete_budget_line", params(("id" = i64, Path)), tag = "costs", responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_line(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    costs::delete_line(&st, &u.audit(), &u.actor, BudgetLineId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Copies a year's budget into an empty later year, indexed per year (office).
#[utoipa::path(post, path = "/costs/budget/copy", operation_id = "copy_budget", request_body = CopyIn, tag = "costs", responses((status = 201, body = Vec<Object>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn copy_budget(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(b): ApiJson<CopyIn>,
) -> AppResult<(StatusCode, Json<Vec<StoredBudgetLine>>)> {
    Ok((
        StatusCode::CREATED,
        Json(costs::copy_budget(&st, &u.audit(), &u.actor, b.from, b.to, b.index_bp).await?),
    ))
}

/// Subsidies (office).
#[utoipa::path(get, path = "/costs/subsidies", operation_id = "list_subsidies", tag = "costs", responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn subsidies(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<Vec<StoredSubsidy>>> {
    Ok(Json(costs::subsidies(&st, &u.actor).await?))
}

/// Creates a subsidy (office).
#[utoipa::path(post, path = "/costs/subsidies", operation_id = "create_subsidy", request_body = SubsidyDraft, tag = "costs", responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_subsidy(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(d): ApiJson<SubsidyDraft>,
) -> AppResult<(StatusCode, Json<StoredSubsidy>)> {
    Ok((
        StatusCode::CREATED,
        Json(costs::save_subsidy(&st, &u.audit(), &u.actor, None, &d).await?),
    ))
}

/// Changes a subsidy (office).
#[utoipa::path(put, path = "/costs/subsidies/{id}", operation_id = "update_subsidy", params(("id" = i64, Path)), request_body = SubsidyDraft, tag = "costs", responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
pub async fn update_subsidy(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<SubsidyDraft>,
) -> AppResult<Json<StoredSubsidy>> {
    Ok(Json(
        costs::save_subsidy(&st, &u.audit(), &u.actor, Some(SubsidyId(id)), &d).await?,
    ))
}

/// Deletes a subsidy (office).
#[utoipa::path(delete, path = "/costs/subsidies/{id}", operation_id = "delete_subsidy", params(("id" = i64, Path)), tag = "costs", responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_subsidy(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    costs::delete_subsidy(&st, &u.audit(), &u.actor, SubsidyId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Allocation key versions (office).
#[utoipa::path(get, path = "/costs/keys", operation_id = "list_cost_keys", tag = "costs", responses((status = 200, body = Vec<Object>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn keys(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<Vec<StoredKey>>> {
    Ok(Json(costs::keys(&st, &u.actor).await?))
}

/// Creates a key (office).
#[utoipa::path(post, path = "/costs/keys", operation_id = "create_cost_key", request_body = KeyDraft, tag = "costs", responses((status = 201, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_key(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(d): ApiJson<KeyDraft>,
) -> AppResult<(StatusCode, Json<StoredKey>)> {
    Ok((
        StatusCode::CREATED,
        Json(costs::save_key(&st, &u.audit(), &u.actor, None, &d).await?),
    ))
}

/// One key version (office).
#[utoipa::path(get, path = "/costs/keys/{id}", operation_id = "get_cost_key", params(("id" = i64, Path)), tag = "costs", responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
pub async fn key(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<StoredKey>> {
    Ok(Json(costs::key(&st, &u.actor, CostKeyId(id)).await?))
}

/// Changes a key; if a statement was issued with this version, a new version is created and returned (office).
#[utoipa::path(put, path = "/costs/keys/{id}", operation_id = "update_cost_key", params(("id" = i64, Path)), request_body = KeyDraft, tag = "costs", responses((status = 200, body = Object), (status = 403, body = ErrorBody)))]
pub async fn update_key(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<KeyDraft>,
) -> AppResult<Json<StoredKey>> {
    Ok(Json(
        costs::save_key(&st, &u.audit(), &u.actor, Some(CostKeyId(id)), &d).await?,
    ))
}

/// Computes a year's statement with a key version without issuing it (office).
#[utoipa::path(get, path = "/costs/preview", operation_id = "preview_statement", params(PreviewQuery), tag = "costs",
    responses((status = 200, body = Preview), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn preview(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<PreviewQuery>,
) -> AppResult<Json<Preview>> {
    Ok(Json(
        statements::preview(&st, &u.actor, q.year, CostKeyId(q.key)).await?,
    ))
}

/// What every member pays under two key versions (office).
#[utoipa::path(get, path = "/costs/compare", operation_id = "compare_cost_keys", params(CompareQuery), tag = "costs",
    responses((status = 200, body = Vec<CompareRow>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn compare(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> AppResult<Json<Vec<CompareRow>>> {
    Ok(Json(
        statements::compare(&st, &u.actor, q.year, CostKeyId(q.a), CostKeyId(q.b)).await?,
    ))
}

/// Issued statements: all for the office; members get only their own part (`?year=` optional).
#[utoipa::path(get, path = "/costs/statements", operation_id = "list_statements", params(YearFilter), tag = "costs",
    responses((status = 200, body = Vec<StoredStatement>), (status = 403, body = ErrorBody)))]
pub async fn statements(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<YearFilter>,
) -> AppResult<Json<Vec<StoredStatement>>> {
    Ok(Json(statements::statements(&st, &u.actor, q.year).await?))
}

/// Issues a year's statement with a key version: stored unchangeably with its payment terms, the key version is locked (office). Check it with `POST /costs/statements/draft` first and pass its `fingerprint`.
#[utoipa::path(post, path = "/costs/statements", operation_id = "issue_statement", request_body = IssueIn, tag = "costs", responses((status = 201, body = StoredStatement), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "The figures changed since the draft with this fingerprint.")))]
pub async fn issue(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(b): ApiJson<IssueIn>,
) -> AppResult<(StatusCode, Json<StoredStatement>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            statements::issue(
                &st,
                &u.audit(),
                &u.actor,
                b.year,
                CostKeyId(b.key_id),
                &statements::IssueOptions {
                    due_on: b.due_on,
                    references: super::cost_issue::references_by_member(b.references)?,
                    fingerprint: b.fingerprint,
                },
            )
            .await?,
        ),
    ))
}

/// One issued statement (members: their own part only).
#[utoipa::path(get, path = "/costs/statements/{id}", operation_id = "get_statement", params(("id" = i64, Path)), tag = "costs", responses((status = 200, body = StoredStatement), (status = 403, body = ErrorBody)))]
pub async fn statement(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<StoredStatement>> {
    Ok(Json(
        statements::statement(&st, &u.actor, StatementId(id)).await?,
    ))
}

/// `?member=12`: the member a statement document is printed for.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// Member organisation; required for the office's PDFs, optional otherwise (members always get their own).
    #[param(nullable = false)]
    pub member: Option<i64>,
}

/// One member's statement as a PDF letter (members: their own only).
#[utoipa::path(get, path = "/costs/statements/{id}/pdf", operation_id = "get_statement_pdf", params(("id" = i64, Path), MemberQuery), tag = "costs",
    responses((status = 200, content_type = "application/pdf", body = super::Binary, description = "The letter as a PDF download."),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "The office did not name a `member`.")))]
pub async fn statement_pdf(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<MemberQuery>,
) -> AppResult<Download> {
    Ok(Download(
        statements::statement_pdf(&st, &u.actor, StatementId(id), q.member.map(OrgId)).await?,
    ))
}

/// The calculation as an XLSX workbook: whole (office) or one member's part.
#[utoipa::path(get, path = "/costs/statements/{id}/xlsx", operation_id = "get_statement_xlsx", params(("id" = i64, Path), MemberQuery), tag = "costs",
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = super::Binary, description = "The workbook as an XLSX download."),
        (status = 403, body = ErrorBody)))]
pub async fn statement_xlsx(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<MemberQuery>,
) -> AppResult<Download> {
    Ok(Download(
        statements::statement_xlsx(&st, &u.actor, StatementId(id), q.member.map(OrgId)).await?,
    ))
}

/// Federation settings: letterhead and whether members see each other by name (office).
#[utoipa::path(get, path = "/settings", operation_id = "get_settings", tag = "settings", responses((status = 200, body = FederationSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn settings(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<FederationSettings>> {
    Ok(Json(verbund_app::settings::get(&st, &u.actor).await?))
}

/// Replaces the federation settings (office).
#[utoipa::path(put, path = "/settings", operation_id = "update_settings", request_body = FederationSettings, tag = "settings", responses((status = 200, body = FederationSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn save_settings(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(s): ApiJson<FederationSettings>,
) -> AppResult<Json<FederationSettings>> {
    Ok(Json(
        verbund_app::settings::save(&st, &u.audit(), &u.actor, s).await?,
    ))
}
