//! Security advisories (CSAF 2.0): import (office), list and detail (TLP-aware), members'
//! warnings with acknowledge, done, confirm (office) and "Maßnahme anlegen".

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use verbund_app::advisories::{
    self as svc, AdvisoryDetailOut, AdvisoryImportOut, Mailer, WarningAction,
};
use verbund_app::reminders::{MailSite, Texts};
use verbund_domain::advisory::records::{AdvisoryRecord, Warning};
use verbund_domain::{AdvisoryId, AdvisoryWarningId, MeasureId, OrgId};
use verbund_store::WarningFilter;

use super::{ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// Mail texts from the translation files and links to this installation.
pub(crate) fn mail_parts(st: &AppState) -> (Texts, MailSite) {
    let texts: Texts = Arc::new(|lang, key, args| {
        verbund_i18n::Lang::parse(lang)
            .unwrap_or_default()
            .t_args(key, args)
    });
    (
        texts,
        MailSite {
            base_url: st.config.base_url.clone(),
        },
    )
}

/// `?file_name=…`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdvisoryUploadQuery {
    /// Name of the uploaded file, used in error messages.
    #[param(nullable = false)]
    pub file_name: Option<String>,
}

/// Imports a CSAF 2.0 document sent as the request body (JSON, up to 16 MiB; office). A newer
/// revision of a stored advisory replaces it and re-evaluates its warnings; the same or an
/// older version changes nothing (200, `outcome` `unchanged` or `older`). A bad document
/// answers 422 with `error-csaf-…` and the document and JSON pointer in `detail`.
#[utoipa::path(post, path = "/advisories", operation_id = "import_advisory", params(AdvisoryUploadQuery),
    request_body(content = super::Binary, content_type = "application/octet-stream", description = "The CSAF 2.0 document (JSON)."), tag = "advisories",
    responses((status = 201, body = AdvisoryImportOut, description = "A new advisory or a newer revision."),
        (status = 200, body = AdvisoryImportOut, description = "The same or an older version: nothing changed."),
        (status = 400, body = ErrorBody, description = "The query is malformed."),
        (status = 422, body = ErrorBody, description = "Not a readable CSAF 2.0 document (`error-csaf-…`, with the document and the JSON pointer of the field in `detail`); nothing was stored."),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn import(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<AdvisoryUploadQuery>,
    body: Bytes,
) -> AppResult<(StatusCode, Json<AdvisoryImportOut>)> {
    let name = q.file_name.unwrap_or_else(|| "upload.json".into());
    let (texts, site) = mail_parts(&st);
    let mailer = Mailer {
        texts: &texts,
        site: &site,
    };
    let out = svc::import(&st, &u.audit(), &u.actor, &body, &name, Some(&mailer)).await?;
    let status = if matches!(out.outcome.as_str(), "created" | "revised") {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(out)))
}

/// The advisories the caller may read, newest first (members: TLP:CLEAR and GREEN, AMBER and
/// RED only with a warning of their own).
#[utoipa::path(get, path = "/advisories", operation_id = "list_advisories", tag = "advisories",
    responses((status = 200, body = Vec<AdvisoryRecord>), (status = 403, body = ErrorBody)))]
pub async fn list(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<Vec<AdvisoryRecord>>> {
    Ok(Json(svc::list(&st, &u.actor).await?))
}

/// One advisory with products, remediations and the warnings the caller may see.
#[utoipa::path(get, path = "/advisories/{id}", operation_id = "get_advisory", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 200, body = AdvisoryDetailOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<AdvisoryDetailOut>> {
    Ok(Json(svc::detail(&st, &u.actor, AdvisoryId(id)).await?))
}

/// The advisory's CSAF document as imported.
#[utoipa::path(get, path = "/advisories/{id}/document", operation_id = "get_advisory_document", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn document(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<serde_json::Value>> {
    let text = svc::document(&st, &u.actor, AdvisoryId(id)).await?;
    let v = serde_json::from_str(&text).map_err(|e| verbund_app::Error::Internal(e.to_string()))?;
    Ok(Json(v))
}

/// `?pending=&org=`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WarningQuery {
    /// Only open and acknowledged warnings.
    #[param(nullable = false)]
    pub pending: Option<bool>,
    /// Only warnings of this member.
    #[param(nullable = false)]
    pub org: Option<i64>,
    /// Only name-only warnings waiting for the office to confirm (office).
    #[param(nullable = false)]
    pub unconfirmed: Option<bool>,
}

/// Warnings the caller may see, most urgent first (a member: its own; never unconfirmed
/// ones; the office: all).
#[utoipa::path(get, path = "/advisory-warnings", operation_id = "list_advisory_warnings", params(WarningQuery), tag = "advisories",
    responses((status = 200, body = Vec<Warning>), (status = 403, body = ErrorBody)))]
pub async fn warnings(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<WarningQuery>,
) -> AppResult<Json<Vec<Warning>>> {
    let filter = WarningFilter {
        org: q.org.map(OrgId),
        pending_only: q.pending.unwrap_or(false),
        unconfirmed_only: q.unconfirmed.unwrap_or(false),
        ..WarningFilter::default()
    };
    Ok(Json(svc::warnings(&st, &u.actor, &filter).await?))
}

/// The office dashboard: open and acknowledged critical and high warnings across members.
#[utoipa::path(get, path = "/advisory-warnings/critical", operation_id = "critical_advisory_warnings", tag = "advisories",
    responses((status = 200, body = Vec<Warning>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn critical(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<Vec<Warning>>> {
    Ok(Json(svc::office_critical(&st, &u.actor).await?))
}

/// One warning.
#[utoipa::path(get, path = "/advisory-warnings/{id}", operation_id = "get_advisory_warning", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 200, body = Warning), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn warning(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Warning>> {
    Ok(Json(
        svc::warning(&st, &u.actor, AdvisoryWarningId(id)).await?,
    ))
}

async fn act(
    st: &AppState,
    u: &ApiUser,
    id: i64,
    action: WarningAction,
) -> AppResult<Json<Warning>> {
    let (texts, site) = mail_parts(st);
    let mailer = Mailer {
        texts: &texts,
        site: &site,
    };
    Ok(Json(
        svc::act(
            st,
            &u.audit(),
            &u.actor,
            AdvisoryWarningId(id),
            action,
            Some(&mailer),
        )
        .await?,
    ))
}

/// Acknowledges an open warning (coordinator of the member, or the office; 409 in another state).
#[utoipa::path(post, path = "/advisory-warnings/{id}/acknowledge", operation_id = "acknowledge_advisory_warning", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 200, body = Warning), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn acknowledge(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Warning>> {
    act(&st, &u, id, WarningAction::Acknowledge).await
}

/// Marks an open or acknowledged warning as dealt with ("erledigt").
#[utoipa::path(post, path = "/advisory-warnings/{id}/done", operation_id = "finish_advisory_warning", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 200, body = Warning), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn done(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Warning>> {
    act(&st, &u, id, WarningAction::Done).await
}

/// Office: confirms a name-only warning; the member sees it and its coordinators are mailed.
#[utoipa::path(post, path = "/advisory-warnings/{id}/confirm", operation_id = "confirm_advisory_warning", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 200, body = Warning), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<Warning>> {
    act(&st, &u, id, WarningAction::Confirm).await
}

/// The measure made from a warning.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WarningMeasureOut {
    /// The measure.
    pub measure_id: MeasureId,
}

/// Makes a measure of the member from the warning (or answers the one made before).
#[utoipa::path(post, path = "/advisory-warnings/{id}/measure", operation_id = "advisory_warning_measure", params(("id" = i64, Path)), tag = "advisories",
    responses((status = 201, body = WarningMeasureOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn measure(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<(StatusCode, Json<WarningMeasureOut>)> {
    let m = svc::create_measure(&st, &u.audit(), &u.actor, AdvisoryWarningId(id)).await?;
    Ok((
        StatusCode::CREATED,
        Json(WarningMeasureOut { measure_id: m }),
    ))
}
