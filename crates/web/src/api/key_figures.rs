//! Key-figure proposals: members propose population, staff and IT workplaces; the office
//! accepts or rejects.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use verbund_domain::key_figures::{
    DecisionDraft, KeyFigureProposal, ProposalDraft, ProposalStatus,
};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::{KeyFigureProposalId, OrgId};

use super::{ApiJson, ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::AppResult;
use verbund_app::key_figures;

/// Query of the proposal list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalQuery {
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 25, 1 to 200; outside that range the request is refused with 422).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
    /// Only this organisation.
    #[param(nullable = false)]
    pub org: Option<i64>,
    /// Only proposals in this state.
    #[param(nullable = false, inline)]
    pub status: Option<ProposalStatus>,
}

/// Key-figure proposals the caller can see (members: their own), newest first.
#[utoipa::path(get, path = "/key-figure-proposals", operation_id = "list_key_figure_proposals", params(ProposalQuery), tag = "organisations",
    responses((status = 200, body = Page<KeyFigureProposal>), (status = 400, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<ProposalQuery>,
) -> AppResult<Json<Page<KeyFigureProposal>>> {
    Ok(Json(
        key_figures::list(
            &st,
            &u.actor,
            q.org.map(OrgId),
            q.status,
            PageRequest::checked(q.page, q.per_page, verbund_domain::page::DEFAULT_PER_PAGE)?,
        )
        .await?,
    ))
}

/// Proposes new key figures for an organisation (figures left out keep their value). Only the
/// office sets figures directly; a member's coordinator proposes them here.
#[utoipa::path(post, path = "/organisations/{id}/key-figure-proposals", operation_id = "propose_key_figures", params(("id" = i64, Path)), request_body = ProposalDraft, tag = "organisations",
    responses((status = 201, body = KeyFigureProposal), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn propose(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<ProposalDraft>,
) -> AppResult<(StatusCode, Json<KeyFigureProposal>)> {
    Ok((
        StatusCode::CREATED,
        Json(key_figures::propose(&st, &u.audit(), &u.actor, OrgId(id), &d).await?),
    ))
}

/// One proposal.
#[utoipa::path(get, path = "/key-figure-proposals/{id}", operation_id = "get_key_figure_proposal", params(("id" = i64, Path)), tag = "organisations",
    responses((status = 200, body = KeyFigureProposal), (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<KeyFigureProposal>> {
    Ok(Json(
        key_figures::get(&st, &u.actor, KeyFigureProposalId(id)).await?,
    ))
}

/// Accepts an open proposal: its figures become the organisation's (office only).
#[utoipa::path(post, path = "/key-figure-proposals/{id}/accept", operation_id = "accept_key_figure_proposal", params(("id" = i64, Path)), request_body = DecisionDraft, tag = "organisations",
    responses((status = 200, body = KeyFigureProposal), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn accept(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<DecisionDraft>,
) -> AppResult<Json<KeyFigureProposal>> {
    decide(st, u, id, true, d).await
}

/// Rejects an open proposal (office only); the note tells the member why.
#[utoipa::path(post, path = "/key-figure-proposals/{id}/reject", operation_id = "reject_key_figure_proposal", params(("id" = i64, Path)), request_body = DecisionDraft, tag = "organisations",
    responses((status = 200, body = KeyFigureProposal), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn reject(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<DecisionDraft>,
) -> AppResult<Json<KeyFigureProposal>> {
    decide(st, u, id, false, d).await
}

async fn decide(
    st: AppState,
    u: ApiUser,
    id: i64,
    accept: bool,
    d: DecisionDraft,
) -> AppResult<Json<KeyFigureProposal>> {
    Ok(Json(
        key_figures::decide(
            &st,
            &u.audit(),
            &u.actor,
            KeyFigureProposalId(id),
            accept,
            &d,
        )
        .await?,
    ))
}
