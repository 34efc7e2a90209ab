//! The signed-in user's own account: profile, password, language, second factor, sessions.
//!
//! Every function acts on the caller's own account only (the user ID comes from the session
//! or token, never from the request), so no scope is needed beyond that.

use verbund_domain::UserId;
use verbund_domain::authz::Actor;
use verbund_domain::user::{User, check_password};
use verbund_domain::validation::ValidationErrors;
use verbund_store::{ApiToken, AuditActor, UserChange};

use crate::Services;
use crate::auth::Session;
use crate::crypto;
use crate::error::Result;

/// What the profile page shows.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The account.
    pub user: User,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// The user's API tokens (also revoked and expired ones).
    pub tokens: Vec<ApiToken>,
}

/// The caller's profile.
pub async fn profile(svc: &Services, user: UserId) -> Result<Profile> {
    Ok(Profile {
        user: svc.store.get_user_unscoped(user).await?,
        recovery_codes_left: svc.store.recovery_codes_left(user).await?,
        tokens: svc.store.list_tokens(user).await?,
    })
}

async fn password_matches(svc: &Services, user: UserId, password: &str) -> Result<bool> {
    let login = svc.store.login_user_by_id(user).await?;
    Ok(match login.password_hash {
        Some(h) => crypto::verify_password(password.to_owned(), h).await,
        None => false,
    })
}

/// Changes the caller's password and ends their other sessions (they may belong to whoever
/// knew the old one). Field errors: `current`, `new`, `repeat`.
pub async fn change_password(
    svc: &Services,
    by: &AuditActor,
    session: &Session,
    current: &str,
    new: &str,
    repeat: &str,
) -> Result<()> {
    let user = session.user.id;
    if !password_matches(svc, user, current).await? {
        return Err(ValidationErrors::single("current", "error-password-wrong").into());
    }
    check_password(new).map_err(|code| ValidationErrors::single("new", code))?;
    if new != repeat {
        return Err(ValidationErrors::single("repeat", "error-password-mismatch").into());
    }
    let hash = crypto::hash_password(new.to_owned()).await?;
    svc.store.set_password(by, user, &hash).await?;
    svc.store
        .delete_user_sessions(user, Some(&session.id_hash))
        .await?;
    Ok(())
}

/// Sets the caller's language (`de` or `en`; anything else is German).
pub async fn set_language(
    svc: &Services,
    by: &AuditActor,
    actor: &Actor,
    code: &str,
) -> Result<()> {
    let locale = if code.trim().to_ascii_lowercase().starts_with("en") {
        "en"
    } else {
        "de"
    };
    let change = UserChange {
        locale: Some(locale.into()),
        ..Default::default()
    };
    // Everybody may change their own account; the scope reaches exactly that.
    let own = verbund_domain::authz::SystemAccess::for_reason("the user's own account");
    svc.store
        .update_user(
            by,
            &verbund_domain::authz::Scope::system(&own),
            actor.user_id,
            &change,
        )
        .await?;
    Ok(())
}

/// A second factor being set up: the secret and the `otpauth://` address for the QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// Base32 secret (also shown for typing in).
    pub secret: String,
    /// `otpauth://` URL for authenticator apps.
    pub url: String,
}

/// Starts setting up the second factor; `None` if it is already on.
pub async fn start_mfa(svc: &Services, by: &AuditActor, user: UserId) -> Result<Option<Enrolment>> {
    let login = svc.store.login_user_by_id(user).await?;
    if login.totp_enabled {
        return Ok(None);
    }
    let secret = crypto::new_totp_secret();
    svc.store
        .set_totp(by, login.id, Some(&secret), false, &[])
        .await?;
    let url = crypto::totp_url(&secret, &login.email);
    Ok(Some(Enrolment { secret, url }))
}

/// What confirming the second factor came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MfaConfirmation {
    /// Nothing is being set up (already on, or never started).
    NotEnrolling,
    /// The code did not match; the enrolment goes on.
    WrongCode(Enrolment),
    /// Switched on; the one-time recovery codes are shown once.
    Enabled {
        /// Ten recovery codes (only their hashes are stored).
        recovery_codes: Vec<String>,
    },
}

/// Confirms the second factor with a code from the app and switches it on.
pub async fn confirm_mfa(
    svc: &Services,
    by: &AuditActor,
    user: UserId,
    code: &str,
) -> Result<MfaConfirmation> {
    let login = svc.store.login_user_by_id(user).await?;
    let Some(secret) = login.totp_secret.clone().filter(|_| !login.totp_enabled) else {
        return Ok(MfaConfirmation::NotEnrolling);
    };
    if !crypto::check_totp(&secret, code) {
        let url = crypto::totp_url(&secret, &login.email);
        return Ok(MfaConfirmation::WrongCode(Enrolment { secret, url }));
    }
    let codes = crypto::recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| crypto::sha256_hex(c)).collect();
    svc.store
        .set_totp(by, login.id, Some(&secret), true, &hashes)
        .await?;
    Ok(MfaConfirmation::Enabled {
        recovery_codes: codes,
    })
}

/// Switches the second factor off after checking the password (field error `mfa_password`).
pub async fn disable_mfa(
    svc: &Services,
    by: &AuditActor,
    user: UserId,
    password: &str,
) -> Result<()> {
    if !password_matches(svc, user, password).await? {
        return Err(ValidationErrors::single("mfa_password", "error-password-wrong").into());
    }
    svc.store.set_totp(by, user, None, false, &[]).await?;
    Ok(())
}

/// Ends every session of the caller but the current one; returns how many ended.
pub async fn end_other_sessions(svc: &Services, session: &Session) -> Result<u64> {
    Ok(svc
        .store
        .delete_user_sessions(session.user.id, Some(&session.id_hash))
        .await?)
}
