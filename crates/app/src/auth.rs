//! Signing in: password, lockout, second factor, sessions and API tokens.
//!
//! Failed passwords and failed second factors count towards the same lockout (one path,
//! [`count_failure`]); an unknown address costs the same hashing time as a known one, so
//! response times do not reveal which addresses have accounts.

use verbund_domain::UserId;
use verbund_domain::authz::Actor;
use verbund_domain::user::User;
use verbund_store::{LoginUser, NewSession};

use crate::crypto::{self, DUMMY_HASH, random_token, sha256_hex};
use crate::error::{Error, Result};
use crate::{Services, millis};

/// Session stage while the second factor is still missing.
pub const STAGE_MFA: &str = "mfa";
/// Session stage of a fully signed-in user.
pub const STAGE_FULL: &str = "full";

/// A live session as the request layer needs it.
#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the cookie token (the session's key).
    pub id_hash: String,
    /// [`STAGE_FULL`], or [`STAGE_MFA`] while the second factor is pending.
    pub stage: String,
    /// The user.
    pub user: User,
    /// Their roles.
    pub actor: Actor,
    /// The session's CSRF token.
    pub csrf: String,
}

/// What a password login came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// A session was created; `token` goes into the cookie. With `mfa_pending` the session
    /// only allows entering the second factor.
    SignedIn {
        /// The session token (secret; only its hash is stored).
        token: String,
        /// Whether the second factor is still to be entered.
        mfa_pending: bool,
        /// Who signed in.
        user: UserId,
    },
    /// Unknown address, wrong password, deactivated or password-less account (never told apart).
    Failed,
    /// The account is locked until this time (Unix ms).
    Locked {
        /// End of the lock.
        until_ms: i64,
    },
}

/// What entering the second factor came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaOutcome {
    /// The session is now fully signed in.
    Done,
    /// Wrong code (counted towards the lockout).
    Failed,
    /// The account is locked; the session was ended.
    Locked,
}

/// Counts a failed attempt; returns the lock's end if this attempt locks the account.
async fn count_failure(svc: &Services, user: &LoginUser) -> Result<Option<i64>> {
    let until = svc.now_ms() + millis(svc.auth.lockout);
    let max = svc.auth.max_login_failures;
    svc.store.record_login_failure(user.id, max, until).await?;
    tracing::info!(user = %user.id, "login failed");
    Ok((user.failed_logins + 1 >= max).then_some(until))
}

/// Checks e-mail and password; on success creates a session (pending the second factor if
/// the user has one).
pub async fn login(svc: &Services, email: &str, password: &str) -> Result<LoginOutcome> {
    let Some(user) = svc.store.login_user(email).await? else {
        crypto::verify_password(password.to_owned(), DUMMY_HASH.to_owned()).await;
        return Ok(LoginOutcome::Failed);
    };
    if let Some(until_ms) = user.locked_until_ms.filter(|&t| t > svc.now_ms()) {
        return Ok(LoginOutcome::Locked { until_ms });
    }
    let hash = user
        .password_hash
        .clone()
        .unwrap_or_else(|| DUMMY_HASH.to_owned());
    let ok = crypto::verify_password(password.to_owned(), hash).await
        && user.password_hash.is_some()
        && !user.disabled;
    if !ok {
        return Ok(match count_failure(svc, &user).await? {
            Some(until_ms) => LoginOutcome::Locked { until_ms },
            None => LoginOutcome::Failed,
        });
    }
    svc.store.record_login_success(user.id).await?;
    let token = random_token(32);
    let stage = if user.totp_enabled {
        STAGE_MFA
    } else {
        STAGE_FULL
    };
    svc.store
        .create_session(&NewSession {
            id_hash: sha256_hex(&token),
            user_id: user.id,
            stage: stage.into(),
            csrf_token: random_token(24),
            expires_at_ms: svc.now_ms() + millis(svc.auth.session_ttl),
        })
        .await?;
    tracing::info!(user = %user.id, stage, "login");
    Ok(LoginOutcome::SignedIn {
        token,
        mfa_pending: user.totp_enabled,
        user: user.id,
    })
}

/// Checks the second factor (TOTP code or a one-time recovery code) of a session waiting for it.
pub async fn second_factor(svc: &Services, session: &Session, code: &str) -> Result<MfaOutcome> {
    let user = svc.store.login_user_by_id(session.user.id).await?;
    if user.locked_until_ms.is_some_and(|t| t > svc.now_ms()) {
        svc.store.delete_session(&session.id_hash).await?;
        return Ok(MfaOutcome::Locked);
    }
    let code = code.trim();
    let ok = match &user.totp_secret {
        Some(secret) if crypto::check_totp(secret, code) => true,
        _ => {
            let normalized = crypto::normalize_recovery_code(code);
            svc.store
                .use_recovery_code(user.id, &sha256_hex(&normalized))
                .await?
        }
    };
    if !ok {
        count_failure(svc, &user).await?;
        return Ok(MfaOutcome::Failed);
    }
    svc.store.record_login_success(user.id).await?;
    svc.store
        .set_session_stage(&session.id_hash, STAGE_FULL)
        .await?;
    Ok(MfaOutcome::Done)
}

/// The live session of a cookie token, if any (expired, idle and deactivated users' sessions
/// are none).
pub async fn session(svc: &Services, token: &str) -> Result<Option<Session>> {
    let id_hash = sha256_hex(token);
    let idle = millis(svc.auth.session_idle);
    let Some((rec, user, actor)) = svc.store.load_session(&id_hash, svc.now_ms(), idle).await?
    else {
        return Ok(None);
    };
    if user.disabled {
        return Ok(None);
    }
    Ok(Some(Session {
        id_hash,
        stage: rec.stage,
        user,
        actor,
        csrf: rec.csrf_token,
    }))
}

/// Ends a session.
pub async fn logout(svc: &Services, session: &Session) -> Result<()> {
    Ok(svc.store.delete_session(&session.id_hash).await?)
}

/// The user and roles behind an API token; unknown, expired or revoked tokens and
/// deactivated users are [`Error::Unauthorized`].
pub async fn token(svc: &Services, token: &str) -> Result<(User, Actor)> {
    svc.store
        .token_actor(&sha256_hex(token), svc.now_ms())
        .await?
        .ok_or(Error::Unauthorized)
}
