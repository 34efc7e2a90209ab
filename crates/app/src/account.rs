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

/// A password change as entered.
#[derive(Debug, Clone, Default)]
pub struct PasswordChange {
    /// The current password.
    pub current: String,
    /// The new one.
    pub new: String,
    /// The new one again.
    pub repeat: String,
    /// Also revoke every API token of the account.
    pub revoke_tokens: bool,
}

/// What signing out elsewhere ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignedOut {
    /// Sessions ended.
    pub sessions: u64,
    /// API tokens revoked.
    pub tokens: u64,
}

/// Changes the caller's password and ends their sessions but `keep` (they may belong to
/// whoever knew the old one), with `revoke_tokens` also their API tokens. Field errors:
/// `current`, `new`, `repeat`.
pub async fn change_password(
    svc: &Services,
    by: &AuditActor,
    user: UserId,
    keep: Option<&str>,
    change: &PasswordChange,
) -> Result<SignedOut> {
    if !password_matches(svc, user, &change.current).await? {
        return Err(ValidationErrors::single("current", "error-password-wrong").into());
    }
    check_password(&change.new).map_err(|code| ValidationErrors::single("new", code))?;
    if change.new != change.repeat {
        return Err(ValidationErrors::single("repeat", "error-password-mismatch").into());
    }
    let hash = crypto::hash_password(change.new.clone()).await?;
    svc.store.set_password(by, user, &hash).await?;
    sign_out(svc, by, user, keep, change.revoke_tokens).await
}

async fn sign_out(
    svc: &Services,
    by: &AuditActor,
    user: UserId,
    keep: Option<&str>,
    revoke_tokens: bool,
) -> Result<SignedOut> {
    let sessions = svc.store.delete_user_sessions(user, keep).await?;
    let tokens = if revoke_tokens {
        svc.store.revoke_user_tokens(by, user).await?
    } else {
        0
    };
    Ok(SignedOut { sessions, tokens })
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
        .set_totp(by, login.id, Some(&secret), false, None, &[])
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
    let Some(step) = crypto::totp_step(&secret, code, svc.now_ms()) else {
        let url = crypto::totp_url(&secret, &login.email);
        return Ok(MfaConfirmation::WrongCode(Enrolment { secret, url }));
    };
    let codes = crypto::recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| crypto::sha256_hex(c)).collect();
    // The confirming code counts as used: it cannot sign in afterwards.
    svc.store
        .set_totp(by, login.id, Some(&secret), true, Some(step), &hashes)
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
    svc.store.set_totp(by, user, None, false, None, &[]).await?;
    Ok(())
}

/// Ends every session of the caller but `keep` (none from the API), with `revoke_tokens`
/// also every API token (the calling one included).
pub async fn end_other_sessions(
    svc: &Services,
    by: &AuditActor,
    user: UserId,
    keep: Option<&str>,
    revoke_tokens: bool,
) -> Result<SignedOut> {
    sign_out(svc, by, user, keep, revoke_tokens).await
}
