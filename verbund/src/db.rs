//! Opening the database every command works on.

use anyhow::Context;
use verbund_store::Store;

/// Connects and brings the schema up to date first: every command expects the current schema.
pub async fn open(url: &str) -> anyhow::Result<Store> {
    let store = Store::connect(url)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))?;
    store
        .migrate(true)
        .await
        .context("migrating the database")?;
    Ok(store)
}

/// Hides a password in a database URL before it is logged.
fn redact(url: &str) -> String {
    verbund_store::without_password(url)
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_password_in_url() {
        assert_eq!(
            super::redact("postgres://app:s3cret@db:5432/verbund"),
            "postgres://app:***@db:5432/verbund"
        );
        assert_eq!(super::redact("sqlite://verbund.db"), "sqlite://verbund.db");
    }
}
