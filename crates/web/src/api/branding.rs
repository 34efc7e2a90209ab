//! Logos in the API: the federation's (header, letterheads, committee report) and each
//! member's coat of arms (its statement letters). PNG or JPEG only, up to 512 KB and
//! 2,048 × 2,048 pixels; the type is taken from the file's first bytes.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use verbund_app::branding::{self, LogoFile};
use verbund_domain::OrgId;
use verbund_store::LogoMeta;

use super::IdPath;
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// A stored logo.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogoOut {
    /// `image/png` or `image/jpeg`.
    pub content_type: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// File size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the file (hex).
    pub sha256: String,
    /// Where the UI serves it (versioned: the URL changes with the file).
    pub url: String,
}

impl LogoOut {
    fn new(m: &LogoMeta, path: &str) -> Self {
        Self {
            content_type: m.format.content_type().to_owned(),
            width: m.width,
            height: m.height,
            size_bytes: m.size_bytes,
            sha256: m.sha256.clone(),
            url: format!("{path}?v={}", branding::version(m)),
        }
    }
}

/// A logo as an image response: its own type, shown inline, `nosniff` (set for every
/// response), cached briefly (the UI's versioned URLs are cached for good).
pub struct LogoImage(pub LogoFile, pub &'static str);

impl IntoResponse for LogoImage {
    fn into_response(self) -> Response {
        let LogoImage(f, cache) = self;
        let ext = f.meta.format.extension();
        let mut res = (
            [
                (header::CONTENT_TYPE, f.meta.format.content_type()),
                (header::CACHE_CONTROL, cache),
            ],
            f.bytes,
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"logo.{ext}\"")) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        res
    }
}

/// Revalidated on every use: the API's URLs carry no version.
const API_CACHE: &str = "private, no-cache";

/// The federation's logo (every signed-in user).
#[utoipa::path(get, path = "/branding/logo", operation_id = "get_federation_logo", tag = "settings",
    responses((status = 200, description = "The logo as uploaded.", content((super::Binary = "image/png"), (super::Binary = "image/jpeg"))),
        (status = 404, body = ErrorBody, description = "No logo uploaded.")))]
pub async fn federation_logo(State(st): State<AppState>, u: ApiUser) -> AppResult<LogoImage> {
    Ok(LogoImage(
        branding::federation_logo(&st, &u.actor).await?,
        API_CACHE,
    ))
}

/// Uploads (replaces) the federation's logo (office): the file as the body, PNG or JPEG.
#[utoipa::path(put, path = "/settings/logo", operation_id = "put_federation_logo", tag = "settings",
    request_body(description = "A PNG or JPEG file, at most 512 KB and 2,048 × 2,048 pixels.", content((super::Binary = "image/png"), (super::Binary = "image/jpeg"))),
    responses((status = 200, body = LogoOut), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "Not the office (members do not see the federation's settings)."),
        (status = 413, body = ErrorBody, description = "Larger than 512 KB (`error-logo-too-large`)."),
        (status = 422, body = ErrorBody, description = "Not a PNG or JPEG file, an unreadable header or too many pixels (`fields`: `file`).")))]
pub async fn put_federation_logo(
    State(st): State<AppState>,
    u: ApiUser,
    body: Bytes,
) -> AppResult<Json<LogoOut>> {
    let m = branding::set_federation_logo(&st, &u.audit(), &u.actor, body.to_vec()).await?;
    Ok(Json(LogoOut::new(&m, "/branding/logo")))
}

/// Removes the federation's logo (office).
#[utoipa::path(delete, path = "/settings/logo", operation_id = "delete_federation_logo", tag = "settings",
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "No logo uploaded, or not the office.")))]
pub async fn delete_federation_logo(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<StatusCode> {
    branding::remove_federation_logo(&st, &u.audit(), &u.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A member's coat of arms (whoever may read the organisation).
#[utoipa::path(get, path = "/organisations/{id}/logo", operation_id = "get_member_logo", params(("id" = i64, Path)), tag = "organisations",
    responses((status = 200, description = "The coat of arms as uploaded.", content((super::Binary = "image/png"), (super::Binary = "image/jpeg")))))]
pub async fn member_logo(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<LogoImage> {
    Ok(LogoImage(
        branding::member_logo(&st, &u.actor, OrgId(id)).await?,
        API_CACHE,
    ))
}

/// Uploads (replaces) a member's coat of arms (office only), printed on the letters
/// addressed to it.
#[utoipa::path(put, path = "/organisations/{id}/logo", operation_id = "put_member_logo", params(("id" = i64, Path)), tag = "organisations",
    request_body(description = "A PNG or JPEG file, at most 512 KB and 2,048 × 2,048 pixels.", content((super::Binary = "image/png"), (super::Binary = "image/jpeg"))),
    responses((status = 200, body = LogoOut), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Larger than 512 KB (`error-logo-too-large`)."),
        (status = 422, body = ErrorBody, description = "Not a PNG or JPEG file, an unreadable header or too many pixels (`fields`: `file`).")))]
pub async fn put_member_logo(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    body: Bytes,
) -> AppResult<Json<LogoOut>> {
    let m = branding::set_member_logo(&st, &u.audit(), &u.actor, OrgId(id), body.to_vec()).await?;
    Ok(Json(LogoOut::new(&m, &format!("/orgs/{id}/logo"))))
}

/// Removes a member's coat of arms (office only).
#[utoipa::path(delete, path = "/organisations/{id}/logo", operation_id = "delete_member_logo", params(("id" = i64, Path)), tag = "organisations",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_member_logo(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    branding::remove_member_logo(&st, &u.audit(), &u.actor, OrgId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
