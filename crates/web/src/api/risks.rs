//! Risk analysis (BSI 200-3): an object's risks, the register, acceptance, measure links, the
//! federation view, the threats and the risk matrix.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use verbund_app::risks::{
    self as svc, AcceptDraft, FederationRisks, NewRisks, ObjectRisks, RegisterQuery, ThreatDraft,
};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::risk::RawRisk;
use verbund_domain::risk::RiskMatrix;
use verbund_domain::risk::model::{Risk, Threat};
use verbund_domain::{RiskId, StructureObjectId};

use super::{ApiJson, ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// Query of the register.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RiskQuery {
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 25, 1 to 200).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
    /// Only risks of this organisation.
    #[param(nullable = false)]
    pub org: Option<i64>,
    /// Only risks of this object.
    #[param(nullable = false)]
    pub object: Option<i64>,
    /// Current category: `gering`, `mittel`, `hoch`, `sehr_hoch`.
    #[param(nullable = false)]
    pub category: Option<String>,
    /// `vermeiden`, `reduzieren`, `uebertragen`, `akzeptieren`, `unbehandelt` (no treatment or
    /// a lapsed acceptance) or `abgelaufen` (lapsed acceptances).
    #[param(nullable = false)]
    pub treatment: Option<String>,
}

/// The risk register: the risks the caller sees, worst first (`acceptance: lapsed` marks an
/// acceptance whose expiry date has passed; such a risk counts as untreated).
#[utoipa::path(get, path = "/risks", operation_id = "list_risks", params(RiskQuery), tag = "risks",
    responses((status = 200, body = Page<Risk>), (status = 404, body = ErrorBody, description = "`org` names an organisation the caller cannot see.")))]
pub async fn list(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<RiskQuery>,
) -> AppResult<Json<Page<Risk>>> {
    let page = PageRequest::checked(q.page, q.per_page, verbund_domain::page::DEFAULT_PER_PAGE)?;
    let rq = RegisterQuery {
        org: q.org,
        object: q.object,
        category: q.category,
        treatment: q.treatment,
    };
    Ok(Json(svc::register(&st, &u.actor, &rq, page).await?))
}

/// An object's risk analysis: its risks, the threats suggested for it (by type and high basic
/// values) and the other threats.
#[utoipa::path(get, path = "/structure/objects/{id}/risks", operation_id = "list_object_risks", params(("id" = i64, Path)), tag = "risks",
    responses((status = 200, body = ObjectRisks)))]
pub async fn object_risks(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<ObjectRisks>> {
    Ok(Json(
        svc::object_risks(&st, &u.actor, StructureObjectId(id))
            .await?
            .1,
    ))
}

/// Adds risks for an object whose need is hoch or sehr hoch in a basic value: one per threat,
/// with the same rating (an object without a high need, an unknown threat or one it has a risk
/// for already is 422).
#[utoipa::path(post, path = "/structure/objects/{id}/risks", operation_id = "create_risks", params(("id" = i64, Path)), request_body = NewRisks, tag = "risks",
    responses((status = 201, body = Vec<Risk>), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<NewRisks>,
) -> AppResult<(StatusCode, Json<Vec<Risk>>)> {
    let r = svc::create(&st, &u.audit(), &u.actor, StructureObjectId(id), &d).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// One risk with its measures.
#[utoipa::path(get, path = "/risks/{id}", operation_id = "get_risk", params(("id" = i64, Path)), tag = "risks",
    responses((status = 200, body = Risk)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Risk>> {
    Ok(Json(svc::get(&st, &u.actor, RiskId(id)).await?))
}

/// Changes a risk's ratings, treatment and justification (`revision` guards against lost
/// updates). Acceptance is recorded with `POST /risks/{id}/accept`.
#[utoipa::path(put, path = "/risks/{id}", operation_id = "update_risk", params(("id" = i64, Path)), request_body = RawRisk, tag = "risks",
    responses((status = 200, body = Risk), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(raw): ApiJson<RawRisk>,
) -> AppResult<Json<Risk>> {
    let rev = raw.revision;
    Ok(Json(
        svc::update(&st, &u.audit(), &u.actor, RiskId(id), rev, &raw).await?,
    ))
}

/// Deletes a risk.
#[utoipa::path(delete, path = "/risks/{id}", operation_id = "delete_risk", params(("id" = i64, Path)), tag = "risks",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    svc::delete(&st, &u.audit(), &u.actor, RiskId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records the acceptance of a risk: `approver` must hold the management role in the risk's
/// member, `expires_on` must lie after today (422 otherwise). After that day the acceptance
/// has lapsed and the risk counts as untreated.
#[utoipa::path(post, path = "/risks/{id}/accept", operation_id = "accept_risk", params(("id" = i64, Path)), request_body = AcceptDraft, tag = "risks",
    responses((status = 200, body = Risk), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn accept(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<AcceptDraft>,
) -> AppResult<Json<Risk>> {
    Ok(Json(
        svc::accept(&st, &u.audit(), &u.actor, RiskId(id), &d).await?,
    ))
}

/// A measure to link or unlink.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MeasureLink {
    /// A measure of the risk's member.
    pub measure: i64,
}

/// Links a measure of the risk's member to the risk (another member's measure or one linked
/// already is 422).
#[utoipa::path(post, path = "/risks/{id}/measures", operation_id = "link_risk_measure", params(("id" = i64, Path)), request_body = MeasureLink, tag = "risks",
    responses((status = 200, body = Risk), (status = 403, body = ErrorBody)))]
pub async fn link_measure(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<MeasureLink>,
) -> AppResult<Json<Risk>> {
    Ok(Json(
        svc::link_measure(&st, &u.audit(), &u.actor, RiskId(id), d.measure, true).await?,
    ))
}

/// Removes the link between a risk and a measure (404 if there is none).
#[utoipa::path(post, path = "/risks/{id}/measures/unlink", operation_id = "unlink_risk_measure", params(("id" = i64, Path)), request_body = MeasureLink, tag = "risks",
    responses((status = 200, body = Risk), (status = 403, body = ErrorBody)))]
pub async fn unlink_measure(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(d): ApiJson<MeasureLink>,
) -> AppResult<Json<Risk>> {
    Ok(Json(
        svc::link_measure(&st, &u.audit(), &u.actor, RiskId(id), d.measure, false).await?,
    ))
}

/// The threats members rate hoch or sehr hoch most often. The office sees every threat; a
/// member sees a threat only when enough other members rate it so (the comparison's
/// anonymity rule), never which members.
#[utoipa::path(get, path = "/risks/federation", operation_id = "get_federation_risks", tag = "risks",
    responses((status = 200, body = FederationRisks)))]
pub async fn federation(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<FederationRisks>> {
    Ok(Json(svc::federation(&st, &u.actor).await?))
}

/// The federation's threats: the 47 elementary threats, the office's own and imported ones.
#[utoipa::path(get, path = "/risk-threats", operation_id = "list_risk_threats", tag = "risks",
    responses((status = 200, body = Vec<Threat>)))]
pub async fn threats(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<Vec<Threat>>> {
    Ok(Json(svc::list_threats(&st, &u.actor).await?))
}

/// Adds a threat of the federation's own (office).
#[utoipa::path(post, path = "/risk-threats", operation_id = "create_risk_threat", request_body = ThreatDraft, tag = "risks",
    responses((status = 201, body = Threat), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_threat(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(d): ApiJson<ThreatDraft>,
) -> AppResult<(StatusCode, Json<Threat>)> {
    let t = svc::create_threat(&st, &u.audit(), &u.actor, &d).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// The federation's risk matrix: `cells[frequency][impact]` from selten/vernachlässigbar.
#[utoipa::path(get, path = "/risk-matrix", operation_id = "get_risk_matrix", tag = "risks",
    responses((status = 200, body = RiskMatrix)))]
pub async fn matrix(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<RiskMatrix>> {
    Ok(Json(svc::matrix(&st, &u.actor).await?))
}

/// Saves the risk matrix (office): 4 × 4, and no cell lower than the cell left of it or above
/// it (422 otherwise). Every risk's category follows at once.
#[utoipa::path(put, path = "/risk-matrix", operation_id = "save_risk_matrix", request_body = RiskMatrix, tag = "risks",
    responses((status = 200, body = RiskMatrix), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn save_matrix(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(m): ApiJson<RiskMatrix>,
) -> AppResult<Json<RiskMatrix>> {
    Ok(Json(svc::save_matrix(&st, &u.audit(), &u.actor, m).await?))
}
