//! API tokens: created with a secret shown once, stored as its SHA-256.

use verbund_domain::validation::ValidationErrors;
use verbund_domain::{ApiTokenId, UserId};
use verbund_store::{ApiToken, AuditActor};

use crate::Services;
use crate::crypto::{random_token, sha256_hex};
use crate::error::Result;

/// Creates an API token; returns the secret (shown once) and its record.
pub async fn create_token(
    st: &Services,
    by: &AuditActor,
    user: UserId,
    name: &str,
    valid_days: Option<i64>,
) -> Result<(String, ApiToken)> {
    let name = verbund_domain::validation::required_text(name, 100)
        .map_err(|c| ValidationErrors::single("name", c))?;
    let expires = match valid_days {
        None => None,
        Some(d) if (1..=3650).contains(&d) => Some(verbund_store::now_ms() + d * 86_400_000),
        Some(_) => return Err(ValidationErrors::single("valid_days", "error-range").into()),
    };
    let secret = format!("vbd_{}", random_token(32));
    let prefix = secret.chars().take(10).collect::<String>();
    let t = st
        .store
        .create_token(by, user, &name, &prefix, &sha256_hex(&secret), expires)
        .await?;
    Ok((secret, t))
}

/// Revokes one of the user's own tokens.
pub async fn revoke_token(
    st: &Services,
    by: &AuditActor,
    user: UserId,
    id: ApiTokenId,
) -> Result<()> {
    Ok(st.store.revoke_token(by, user, id).await?)
}

/// The user's tokens, also revoked and expired ones (secrets are never stored).
pub async fn list(st: &Services, user: UserId) -> Result<Vec<ApiToken>> {
    Ok(st.store.list_tokens(user).await?)
}
