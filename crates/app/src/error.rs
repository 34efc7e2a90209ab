//! The application's error: what an operation can fail with, independent of how it is shown.
//! The web layer maps it to an HTTP status and a translated message; the CLI to an exit code
//! and a German sentence. Database or IO text is kept in `Internal` for the log only.

use verbund_domain::authz::Denied;
use verbund_domain::validation::ValidationErrors;
use verbund_store::StoreError;

/// Everything an operation can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Does not exist, or belongs to another member (never told apart).
    #[error("not found")]
    NotFound,
    /// The caller's own object, but the role lacks the right.
    #[error("forbidden")]
    Forbidden,
    /// Not authenticated (unknown, expired or revoked credentials).
    #[error("unauthorized")]
    Unauthorized,
    /// Field errors.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// Someone else changed the object in the meantime.
    #[error("conflict")]
    Stale,
    /// The input is malformed as a whole (`code` is the translation key; `detail` names the
    /// place, e.g. a line and column, for people and developers).
    #[error("bad input: {code}: {detail}")]
    BadInput {
        /// Stable code, also the translation key of the message.
        code: &'static str,
        /// Detail, e.g. the parser's message with line and column.
        detail: String,
    },
    /// The input is larger than allowed as a whole (an upload that unpacks to too much, a
    /// table with too many rows); `code` is the translation key, `detail` names the limit.
    #[error("too large: {code}: {detail}")]
    TooLarge {
        /// Stable code, also the translation key of the message.
        code: &'static str,
        /// Which limit, in German, e.g. "Die Tabelle hat mehr als 50.000 Zeilen …".
        detail: String,
    },
    /// The installation is not set up for this yet (e.g. no federation exists); `code` is the
    /// translation key of what to do next.
    #[error("not set up: {code}")]
    NotSetUp {
        /// Stable code.
        code: &'static str,
    },
    /// Too many failed attempts from this client address until this time (Unix ms).
    #[error("throttled until {until_ms}")]
    Throttled {
        /// End of the refusal.
        until_ms: i64,
    },
    /// Something broke on our side (database, IO, a bug); the text is for the log only.
    #[error("internal: {0}")]
    Internal(String),
}

impl Error {
    /// Malformed input without detail.
    pub fn bad(code: &'static str) -> Self {
        Self::BadInput {
            code,
            detail: String::new(),
        }
    }

    /// Stable machine-readable code, also the translation key of the message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "error-not-found",
            Self::Forbidden => "error-forbidden",
            Self::Unauthorized => "error-unauthorized",
            Self::Invalid(_) => "error-validation",
            Self::Stale => "error-stale",
            Self::BadInput { code, .. } | Self::TooLarge { code, .. } | Self::NotSetUp { code } => {
                code
            }
            Self::Throttled { .. } => "error-rate-limited",
            Self::Internal(_) => "error-internal",
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Invalid(v) => Self::Invalid(v),
            StoreError::Stale => Self::Stale,
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<Denied> for Error {
    fn from(d: Denied) -> Self {
        match d {
            Denied::NotFound => Self::NotFound,
            Denied::Forbidden => Self::Forbidden,
        }
    }
}

/// Result of an operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;
