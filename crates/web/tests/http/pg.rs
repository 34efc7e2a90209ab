//! The message for a PostgreSQL test database that cannot be reached.

/// Why the PostgreSQL tests stop: names `VERBUND_TEST_PG`, the URL without its password, and
/// the error.
pub fn unreachable(url: &str, err: &dyn std::fmt::Display) -> String {
    format!(
        "PostgreSQL test database unreachable at {} (VERBUND_TEST_PG; {err}): \
         start PostgreSQL and point VERBUND_TEST_PG at a database the tests may write to, \
         or run `bash .ci/run`, which does both",
        without_password(url)
    )
}

pub use verbund_store::without_password;
