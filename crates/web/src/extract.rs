//! Extractors shared by the UI and the API handlers: every malformed request becomes our error
//! body instead of axum's plain text, and a non-numeric `{id}` is simply not found.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use verbund_domain::page::{DEFAULT_PER_PAGE, PageRequest};

use crate::error::AppError;

/// A JSON body; syntax errors, unknown fields, wrong types and oversized bodies become 4xx errors.
///
/// JSON does not tell `2` and `2.0` apart, and neither does the JSON Schema in our OpenAPI
/// document (`type: integer` admits `2.0`), so a whole number written with a fraction is read
/// as that integer before the body is mapped onto `T`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let mut value = match axum::Json::<Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(JsonRejection::JsonSyntaxError(e)) => {
                return Err(AppError::BadRequest {
                    code: "error-json-syntax",
                    detail: e.body_text(),
                });
            }
            // 415: the body may be fine, but we only read JSON.
            Err(JsonRejection::MissingJsonContentType(_)) => {
                return Err(AppError::bad("error-content-type"));
            }
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::bad("error-too-large"));
            }
            Err(e) => {
                return Err(AppError::BadRequest {
                    code: "error-bad-request",
                    detail: e.body_text(),
                });
            }
        };
        // Every body we read is an object; serde would also fill a struct from an array.
        if !value.is_object() {
            return Err(AppError::BadRequest {
                code: "error-json-data",
                detail: "the body must be a JSON object".to_owned(),
            });
        }
        whole_floats_to_integers(&mut value);
        serde_path_to_error::deserialize(value)
            .map(Self)
            .map_err(|e| AppError::BadRequest {
                code: "error-json-data",
                detail: format!("{}: {}", e.path(), e.inner()),
            })
    }
}

/// Replaces every number with a zero fraction (`-526.0`) by that integer, where the float is
/// exact: within ±2^53. Beyond that a float stands for many integers — and an integer literal
/// outside the `i64` range (`-9223372036854775809`) arrives as a float that rounds to
/// `i64::MIN`, which must stay an out-of-range number and be refused, not become a valid ID.
fn whole_floats_to_integers(value: &mut Value) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() <= EXACT
            {
                // Whole and exactly representable (checked above): the cast is exact.
                *n = (f as i64).into();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_floats_to_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_floats_to_integers),
        _ => {}
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
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 25, 1 to 200; outside that range the request is refused with 422).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
    /// Search in names (and AGS / e-mail).
    #[param(nullable = false)]
    pub q: Option<String>,
}

impl ListQuery {
    /// The page request; a page or page size out of range is a field error (422).
    pub fn page(&self) -> Result<PageRequest, AppError> {
        Ok(PageRequest::checked(
            self.page,
            self.per_page,
            DEFAULT_PER_PAGE,
        )?)
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

/// The first file field of a multipart upload: name and bytes.
pub async fn first_file(mut m: axum::extract::Multipart) -> Result<(String, Vec<u8>), AppError> {
    while let Some(field) = m.next_field().await.map_err(|e| upload_error(e.status()))? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload").to_owned();
            let bytes = field.bytes().await.map_err(|e| upload_error(e.status()))?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Ok((String::new(), Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::whole_floats_to_integers;
    use serde_json::json;

    #[test]
    fn whole_floats_become_integers_everywhere_in_a_body() {
        let mut v =
            json!({"a": -526.0, "b": [0.0, 2.5, 7], "c": {"d": 1e3}, "e": 1e300, "f": "2.0"});
        whole_floats_to_integers(&mut v);
        assert_eq!(
            v,
            json!({"a": -526, "b": [0, 2.5, 7], "c": {"d": 1000}, "e": 1e300, "f": "2.0"})
        );
        assert!(v["a"].is_i64());
    }

    #[test]
    fn large_whole_numbers_are_read_exactly() {
        // Without serde_json's float_roundtrip this parsed as 2251799813685247.25.
        let mut v: serde_json::Value = serde_json::from_str("[2251799813685247.0]").unwrap();
        whole_floats_to_integers(&mut v);
        assert_eq!(v, json!([2_251_799_813_685_247_i64]));
    }

    #[test]
    fn integers_beyond_the_i64_range_stay_out_of_range() {
        // serde_json reads these as floats; -2^63-1 rounds to exactly i64::MIN as a float.
        let mut v: serde_json::Value =
            serde_json::from_str("[-9223372036854775809, 9223372036854775808.0]").unwrap();
        whole_floats_to_integers(&mut v);
        assert!(v[0].is_f64() && v[1].is_f64(), "{v}");
    }
}

/// `?format=xlsx|csv` of the UI's export downloads (XLSX when absent).
#[derive(Deserialize)]
pub struct ExportParams {
    /// The file format asked for.
    pub format: Option<verbund_app::assessments::ExportFormat>,
}

/// `?format=pdf|xlsx` of report downloads (structure report, implementation plan); PDF when
/// absent. UI and API share it.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `pdf` (default) or `xlsx`.
    #[param(value_type = Option<verbund_app::file::ReportFormat>, inline, nullable = false)]
    pub format: Option<verbund_app::file::ReportFormat>,
}

impl ReportQuery {
    /// The format asked for, PDF when none was.
    pub fn format(&self) -> verbund_app::file::ReportFormat {
        self.format.unwrap_or(verbund_app::file::ReportFormat::Pdf)
    }
}
