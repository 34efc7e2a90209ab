//! One-time password-reset links for local accounts: an administrator issues one, the user
//! opens it and sets a new password. The token is random, stored only as its SHA-256,
//! expires after [`RESET_VALID_MS`], works once, and using it ends every session and
//! revokes every API token of the account (whoever had them, the password is new now).

use std::net::IpAddr;
use verbund_domain::UserId;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::user::check_password;
use verbund_domain::validation::ValidationErrors;
use verbund_store::AuditActor;

use crate::Services;
use crate::crypto::{hash_password, random_token, sha256_hex};
use crate::error::{Error, Result};

/// How long a link is valid: 24 hours.
pub const RESET_VALID_MS: i64 = 24 * 60 * 60 * 1000;

/// An issued link's secret part and when it expires.
#[derive(Debug, Clone)]
pub struct IssuedReset {
    /// The token to put into the link (`/reset/{token}`); shown once, never stored.
    pub token: String,
    /// Expiry, Unix ms.
    pub expires_at_ms: i64,
}

/// Issues a reset link for user `id` (federation administration only: members get not
/// found for users they cannot see, the office ISB forbidden). A user who signs in through
/// an identity provider only, or a deactivated one, gets no link (field error `user`).
/// An older unused link of the user stops working.
pub async fn issue(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: UserId,
) -> Result<IssuedReset> {
    let user = st
        .store
        .get_user(&actor.scope(Permission::ReadUsers), id)
        .await?;
    actor
        .check_office(Permission::ManageOfficeRoles)
        .map_err(|_| Error::Forbidden)?;
    if user.disabled {
        return Err(ValidationErrors::single("user", "error-reset-disabled").into());
    }
    if st.store.has_external_identity(id).await? {
        return Err(ValidationErrors::single("user", "error-reset-not-local").into());
    }
    let token = random_token(32);
    let expires_at_ms = st.now_ms() + RESET_VALID_MS;
    st.store
        .create_password_reset(by, id, &sha256_hex(&token), expires_at_ms)
        .await?;
    Ok(IssuedReset {
        token,
        expires_at_ms,
    })
}

/// The rule of the reset-link counter: as many misses per address and window as sign-ins
/// may fail from one address (by default 20 in 5 minutes, then 5 minutes refused).
fn reset_rule(st: &Services) -> verbund_domain::signin::Rule {
    verbund_domain::signin::Rule {
        limit: Some(st.auth.max_address_failures),
        window_ms: i64::try_from(st.auth.address_window.as_millis()).unwrap_or(i64::MAX),
    }
}

/// Whether `token` is a valid link now (for showing the form); not found otherwise. Every
/// miss from `client` counts like a failed sign-in; at the limit the address is refused
/// ([`Error::Throttled`]) before the link is looked up, valid or not.
pub async fn check(st: &Services, token: &str, client: IpAddr) -> Result<UserId> {
    let key = verbund_domain::signin::reset_key(client);
    let now = st.now_ms();
    let refused = |counters: &[verbund_store::LoginCounter]| {
        counters
            .iter()
            .filter_map(|c| c.blocked_until_ms)
            .filter(|&t| t > now)
            .max()
    };
    if let Some(until_ms) = refused(&st.store.login_counters(&[key.as_str()]).await?) {
        return Err(Error::Throttled { until_ms });
    }
    match st
        .store
        .password_reset_user(&sha256_hex(token), now)
        .await?
    {
        Some(user) => Ok(user),
        None => {
            let counters = st
                .store
                .count_login_failure(&[(key.as_str(), reset_rule(st))], now)
                .await?;
            tracing::info!("password reset link not valid");
            Err(match refused(&counters) {
                Some(until_ms) => Error::Throttled { until_ms },
                None => Error::NotFound,
            })
        }
    }
}

/// Sets the new password through the link. Field errors `new` (too weak) and `repeat`
/// (differs); not found if the link is unknown, used, expired or the user deactivated;
/// throttled as [`check`] is.
pub async fn complete(
    st: &Services,
    token: &str,
    new: &str,
    repeat: &str,
    client: IpAddr,
) -> Result<UserId> {
    check(st, token, client).await?;
    check_password(new).map_err(|code| ValidationErrors::single("new", code))?;
    if new != repeat {
        return Err(ValidationErrors::single("repeat", "error-password-mismatch").into());
    }
    let hash = hash_password(new.to_owned()).await?;
    st.store
        .use_password_reset(&sha256_hex(token), &hash, st.now_ms())
        .await?
        .ok_or(Error::NotFound)
}
