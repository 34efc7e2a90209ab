//! IT-Grundschutz-Check: a member's check rows (objects × requirements of their modules) with
//! filters and tallies per level, one row, answering a row (optionally: fulfilled by another
//! object), an object's rows, and the office's comparison of Basis and Standard fulfilment.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use verbund_app::check::{self as svc, Check, CheckAnswerIn};
use verbund_domain::assessment::AnswerStatus;
use verbund_domain::page::PageRequest;
use verbund_domain::structure::check::{CheckFilter, CheckRow, Level, MemberFulfilment};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, StructureObjectId};

use super::{ApiJson, ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// Query of the check list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 25, 1 to 200).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
    /// Only this object's rows.
    #[param(nullable = false)]
    pub object: Option<i64>,
    /// Only this module's rows (reference, e.g. `SYS.1.1`).
    #[param(nullable = false)]
    pub module: Option<String>,
    /// Only this level: `basis`, `standard`, `high`.
    #[param(nullable = false)]
    pub level: Option<String>,
    /// Only rows counting with this status (`unanswered`, `yes`, `partial`, `no`,
    /// `not_applicable`).
    #[param(nullable = false)]
    pub status: Option<String>,
    /// Also rows out of scope (high-level requirements of objects without a high need).
    #[param(nullable = false)]
    pub all: Option<bool>,
}

impl CheckQuery {
    /// The filter; an unknown level or status is a field error.
    pub fn filter(&self) -> Result<CheckFilter, ValidationErrors> {
        let given = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let level = given(&self.level)
            .map(|l| Level::parse(&l).map_err(|c| ValidationErrors::single("level", c)))
            .transpose()?;
        let status = given(&self.status)
            .map(|s| {
                AnswerStatus::parse(&s)
                    .ok_or_else(|| ValidationErrors::single("status", "error-status"))
            })
            .transpose()?;
        Ok(CheckFilter {
            object: self.object.map(StructureObjectId),
            module: given(&self.module),
            level,
            status,
            with_out_of_scope: self.all.unwrap_or(false),
        })
    }
}

/// The check of an organisation (a member; a provider for the office): one page of rows and
/// the tallies per level over every row in scope.
#[utoipa::path(get, path = "/organisations/{id}/check", operation_id = "get_check", params(("id" = i64, Path), CheckQuery), tag = "check",
    responses((status = 200, body = Check), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<CheckQuery>,
) -> AppResult<Json<Check>> {
    let filter = q.filter()?;
    let page = PageRequest::checked(q.page, q.per_page, verbund_domain::page::DEFAULT_PER_PAGE)?;
    Ok(Json(
        svc::check(&st, &u.actor, OrgId(id), &filter, page).await?,
    ))
}

/// The check rows of one object (in scope or not).
#[utoipa::path(get, path = "/structure/objects/{id}/check", operation_id = "list_object_check_rows", params(("id" = i64, Path)), tag = "check",
    responses((status = 200, body = Vec<CheckRow>), (status = 404, body = ErrorBody)))]
pub async fn object_rows(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Vec<CheckRow>>> {
    Ok(Json(
        svc::object_rows(&st, &u.actor, StructureObjectId(id)).await?,
    ))
}

/// One check row.
#[utoipa::path(get, path = "/check/rows/{id}", operation_id = "get_check_row", params(("id" = i64, Path)), tag = "check",
    responses((status = 200, body = CheckRow), (status = 404, body = ErrorBody)))]
pub async fn row(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<CheckRow>> {
    Ok(Json(svc::row(&st, &u.actor, id).await?))
}

/// Answers a check row: status (entbehrlich needs a justification), owner, date,
/// implementation note (`comment`), and optionally `fulfilled_by`, another object with the same
/// requirement whose answer this row then counts with.
#[utoipa::path(put, path = "/check/rows/{id}", operation_id = "answer_check_row", params(("id" = i64, Path)), request_body = CheckAnswerIn, tag = "check",
    responses((status = 200, body = CheckRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<CheckAnswerIn>,
) -> AppResult<Json<CheckRow>> {
    Ok(Json(svc::answer(&st, &u.audit(), &u.actor, id, &d).await?))
}

/// Basis and Standard fulfilment per member (office only).
#[utoipa::path(get, path = "/check/comparison", operation_id = "get_check_comparison", tag = "check",
    responses((status = 200, body = Vec<MemberFulfilment>), (status = 404, body = ErrorBody)))]
pub async fn comparison(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<Vec<MemberFulfilment>>> {
    Ok(Json(svc::comparison(&st, &u.actor).await?))
}
