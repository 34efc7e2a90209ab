//! One error type for every handler. 4xx carry a stable code (which is also the translation key
//! of the message); 5xx are logged with their cause and shown as a generic message, so database
//! or IO text never reaches a client.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use verbund_domain::authz::Denied;
use verbund_domain::validation::ValidationErrors;
use verbund_store::StoreError;

use crate::i18n::Lang;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Does not exist, or belongs to another member (never told apart).
    #[error("not found")]
    NotFound,
    /// The caller's own object, but the role lacks the right.
    #[error("forbidden")]
    Forbidden,
    /// Not logged in, or the token is invalid.
    #[error("unauthorized")]
    Unauthorized,
    /// CSRF token or Origin check failed.
    #[error("csrf check failed")]
    Csrf,
    /// Too many attempts from this address.
    #[error("rate limited")]
    RateLimited {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// The request body is larger than the route accepts.
    #[error("request body larger than {limit_bytes} bytes")]
    TooLarge {
        /// The route's limit.
        limit_bytes: usize,
    },
    /// Field errors.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// Someone else changed the object in the meantime.
    #[error("conflict")]
    Stale,
    /// The request is malformed (`code` is the translation key; `detail` is for developers).
    #[error("bad request: {code}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// Technical detail, e.g. the JSON parser's message.
        detail: String,
    },
    /// The request's content is larger than allowed as a whole (413), e.g. an upload that
    /// unpacks to too much; `detail` names the limit.
    #[error("too large: {code}")]
    ContentTooLarge {
        /// Stable code.
        code: &'static str,
        /// Which limit was exceeded, for people.
        detail: String,
    },
    /// Something broke on our side.
    #[error("internal: {0}")]
    Internal(String),
}

/// Codes of well-formed requests that break a rule of the domain (weights of a key that do not
/// add up to 100 %, a subsidy period outside its years, …): 422 like field errors, not 400,
/// which is kept for requests that cannot be read at all.
const RULE_CODES: &[&str] = &[
    "error-key",
    "error-subsidy",
    "error-budget",
    "error-statement",
    "error-savings",
];

impl AppError {
    /// A bad request without detail.
    pub fn bad(code: &'static str) -> Self {
        Self::BadRequest {
            code,
            detail: String::new(),
        }
    }

    /// HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Stale => StatusCode::CONFLICT,
            Self::BadRequest {
                code: "error-too-large",
                ..
            } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BadRequest {
                code: "error-content-type",
                ..
            } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::BadRequest { code, .. } if RULE_CODES.contains(code) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            // A request carrying a document that is no readable CSAF advisory is well-formed
            // (any bytes are a valid upload), its content is what is wrong.
            Self::BadRequest { code, .. } if code.starts_with("error-csaf-") => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::ContentTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable machine-readable code, also the translation key of the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "error-not-found",
            Self::Forbidden => "error-forbidden",
            Self::Unauthorized => "error-unauthorized",
            Self::Csrf => "error-csrf",
            Self::RateLimited { .. } => "error-rate-limited",
            Self::TooLarge { .. } => "error-too-large",
            Self::Invalid(_) => "error-validation",
            Self::Stale => "error-stale",
            Self::BadRequest { code, .. } | Self::ContentTooLarge { code, .. } => code,
            Self::Internal(_) => "error-internal",
        }
    }

    /// The translation key and arguments of the message (the code, unless the message names
    /// a figure).
    fn message_args(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            Self::TooLarge { limit_bytes } => (
                "error-too-large-limit",
                vec![("mb", (limit_bytes / (1024 * 1024)).max(1).to_string())],
            ),
            _ => (self.code(), Vec::new()),
        }
    }

    /// The error as a JSON body in `lang`.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        let fields = match self {
            Self::Invalid(v) => {
                v.0.iter()
                    .map(|e| FieldErrorBody {
                        field: e.field.clone(),
                        code: e.code.clone(),
                        message: lang.t(&e.code),
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let detail = match self {
            Self::BadRequest { detail, .. } | Self::ContentTooLarge { detail, .. }
                if !detail.is_empty() =>
            {
                Some(detail.clone())
            }
            _ => None,
        };
        let (key, args) = self.message_args();
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: lang.t_args(key, &args),
                detail,
                fields,
                limit_bytes: match self {
                    Self::TooLarge { limit_bytes } => Some(*limit_bytes),
                    _ => None,
                },
            },
        }
    }
}

/// JSON error body: `{"error": {"code", "message", "detail"?, "fields": [...]}}`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The error's content.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `error-validation`.
    pub code: String,
    /// Human-readable message (German unless the client asked for English).
    pub message: String,
    /// Technical detail for developers, e.g. which JSON field was unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field errors for `error-validation`.
    pub fields: Vec<FieldErrorBody>,
    /// For `error-too-large`: the largest body the route accepts, in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_bytes: Option<usize>,
}

/// One invalid field.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldErrorBody {
    /// Field name.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// Message.
    pub message: String,
}

/// Marker left on error responses so the UI layer can replace the JSON with a friendly page.
#[derive(Debug, Clone)]
pub struct ErrorMarker {
    /// The error's code.
    pub code: &'static str,
    /// Translation key of the message.
    pub message_key: &'static str,
    /// Arguments of the message.
    pub args: Vec<(&'static str, String)>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(%cause, "request failed");
        }
        let status = self.status();
        let mut res = (status, Json(self.body(Lang::De))).into_response();
        if let Self::RateLimited { retry_after_secs } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        let (message_key, args) = self.message_args();
        res.extensions_mut().insert(ErrorMarker {
            code: self.code(),
            message_key,
            args,
        });
        res
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Invalid(v) => Self::Invalid(v),
            StoreError::Stale => Self::Stale,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<verbund_app::Error> for AppError {
    fn from(e: verbund_app::Error) -> Self {
        use verbund_app::Error as E;
        match e {
            E::NotFound => Self::NotFound,
            E::Forbidden => Self::Forbidden,
            E::Unauthorized => Self::Unauthorized,
            E::Invalid(v) => Self::Invalid(v),
            E::Stale => Self::Stale,
            E::BadInput { code, detail } => Self::BadRequest { code, detail },
            E::TooLarge { code, detail } => Self::ContentTooLarge { code, detail },
            E::NotSetUp { code } => Self::BadRequest {
                code,
                detail: String::new(),
            },
            E::Throttled { until_ms } => Self::RateLimited {
                retry_after_secs: u64::try_from(
                    ((until_ms - verbund_store::now_ms()).max(1_000) + 999) / 1_000,
                )
                .unwrap_or(1),
            },
            E::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotFound => Self::NotFound,
            Denied::Forbidden => Self::Forbidden,
        }
    }
}

/// Result alias for handlers.
pub type AppResult<T> = Result<T, AppError>;
