//! Extractors shared by the UI and the API handlers: every malformed request becomes our error
//! body instead of axum's plain text, and a non-numeric `{id}` is simply not found.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use verbund_domain::page::PageRequest;

use crate::error::AppError;

/// A JSON body; syntax errors, unknown fields, wrong types and oversized bodies become 4xx errors.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(AppError::BadRequest {
                code: "error-json-data",
                detail: e.body_text(),
            }),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(AppError::BadRequest {
                code: "error-json-syntax",
                detail: e.body_text(),
            }),
            Err(JsonRejection::MissingJsonContentType(_)) => {
                Err(AppError::bad("error-content-type"))
            }
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::bad("error-too-large"))
            }
            Err(e) => Err(AppError::BadRequest {
                code: "error-bad-request",
                detail: e.body_text(),
            }),
        }
    }
}

/// The `{id}` path parameter; anything but an integer is simply not found.
pub struct IdPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| Self(id))
            .map_err(|_| AppError::NotFound)
    }
}

/// Query of list endpoints: `?page=2&per_page=50&q=heim`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// 1-based page (default 1).
    pub page: Option<u32>,
    /// Rows per page (default 25, at most 200).
    pub per_page: Option<u32>,
    /// Search in names (and AGS / e-mail).
    pub q: Option<String>,
    /// Only this organisation (audit log).
    pub org: Option<i64>,
}

impl ListQuery {
    /// The page request, clamped.
    pub fn page(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ListQuery {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<ListQuery>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| q)
            .map_err(|e| AppError::BadRequest {
                code: "error-query",
                detail: e.body_text(),
            })
    }
}

/// Query parameters; malformed ones are a 400 with our error body.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Self(v))
            .map_err(|e| AppError::BadRequest {
                code: "error-query",
                detail: e.body_text(),
            })
    }
}

/// Largest accepted file upload (catalogs, answer imports) for UI and API alike (the NIST
/// SP 800-53 OSCAL catalog is 3 MB).
pub const IMPORT_LIMIT: usize = 32 * 1024 * 1024;

/// The error of a multipart upload that could not be read: too large (413; the route's limit
/// layer names its limit) or malformed (400).
pub fn upload_error(status: StatusCode) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge {
            limit_bytes: IMPORT_LIMIT,
        }
    } else {
        AppError::bad("error-upload")
    }
}
