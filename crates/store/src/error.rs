//! Store errors: the few cases callers handle, plus the database error for everything else.

use verbund_domain::validation::ValidationErrors;

/// What a store call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The object does not exist or lies outside the caller's scope (the two are not told apart).
    #[error("nicht gefunden")]
    NotFound,
    /// Input conflicts with stored data (e.g. duplicate AGS or e-mail), as field errors.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// Someone else changed the object since it was read.
    #[error("das Objekt wurde inzwischen von jemand anderem geändert")]
    Stale,
    /// A migration failed.
    #[error("Migration fehlgeschlagen: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error (connection, SQL, constraint not mapped).
    #[error("Datenbankfehler: {0}")]
    Db(#[from] sqlx::Error),
    /// A backup file could not be read or written.
    #[error("Sicherung: {0}")]
    Backup(String),
}

impl StoreError {
    /// Maps a unique-constraint violation to a field error; other errors pass through.
    pub(crate) fn unique(e: sqlx::Error, field: &str) -> Self {
        match e.as_database_error() {
            Some(db) if db.is_unique_violation() => {
                Self::Invalid(ValidationErrors::single(field, "error-duplicate"))
            }
            _ => Self::Db(e),
        }
    }
}

/// Shorthand.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
