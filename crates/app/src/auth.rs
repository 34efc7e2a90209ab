//! Signing in: password, throttling, second factor, sessions and API tokens.
//!
//! Failed passwords and failed second factors feed the same counters (one path,
//! [`count_failure`]) per client address, per account and address, and per account; the rules
//! are `verbund_domain::signin`. Unknown addresses are counted and answered exactly like known
//! ones and cost the same hashing time, so neither answers nor response times reveal which
//! addresses have accounts. Nobody can lock an account: an address that fails too often is
//! refused (for that account, or for all), the account itself is only slowed down.

use std::net::IpAddr;
use std::time::Duration;

use verbund_domain::UserId;
use verbund_domain::authz::Actor;
use verbund_domain::signin::{Keys, Rule, account_delay_ms};
use verbund_domain::user::User;
use verbund_store::{LoginCounter, NewSession};

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
    /// The federation's name and logo for the page header.
    pub branding: verbund_store::Branding,
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
    /// This client address is refused (for this account, or for every account) until this
    /// time (Unix ms); the same for known and unknown accounts.
    Throttled {
        /// End of the refusal.
        until_ms: i64,
    },
}

/// What entering the second factor came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MfaOutcome {
    /// The session is now fully signed in.
    Done,
    /// Wrong or already used code (counted like a wrong password).
    Failed,
    /// This client address is refused for the account until this time (Unix ms); the session
    /// was ended.
    Throttled {
        /// End of the refusal.
        until_ms: i64,
    },
}

/// The counters of an attempt with their rules: address and (account, address) refuse
/// attempts at their limits, the account's only feeds the delay.
fn counters<'k>(svc: &Services, keys: &'k Keys) -> [(&'k str, Rule); 3] {
    let p = &svc.auth;
    [
        (
            keys.address.as_str(),
            Rule {
                limit: Some(p.max_address_failures),
                window_ms: millis(p.address_window),
            },
        ),
        (
            keys.pair.as_str(),
            Rule {
                limit: Some(p.max_login_failures),
                window_ms: millis(p.lockout),
            },
        ),
        (
            keys.account.as_str(),
            Rule {
                limit: None,
                window_ms: millis(p.lockout),
            },
        ),
    ]
}

/// The latest end of a refusal among `counters` that is still running.
fn refused_until(counters: &[LoginCounter], now_ms: i64) -> Option<i64> {
    counters
        .iter()
        .filter_map(|c| c.blocked_until_ms)
        .filter(|&t| t > now_ms)
        .max()
}

/// Counts a failed attempt on every counter; returns the end of a refusal it started.
async fn count_failure(svc: &Services, keys: &Keys) -> Result<Option<i64>> {
    let now = svc.now_ms();
    let counters = svc
        .store
        .count_login_failure(&counters(svc, keys), now)
        .await?;
    tracing::info!("sign-in failed");
    Ok(refused_until(&counters, now))
}

/// Whether the address is refused for this account (or for all), and the account's delay.
async fn admission(svc: &Services, keys: &Keys) -> Result<std::result::Result<Duration, i64>> {
    let now = svc.now_ms();
    let all = [
        keys.address.as_str(),
        keys.pair.as_str(),
        keys.account.as_str(),
    ];
    let counters = svc.store.login_counters(&all).await?;
    let refusing: Vec<LoginCounter> = counters
        .iter()
        .filter(|c| c.key != keys.account)
        .cloned()
        .collect();
    if let Some(until) = refused_until(&refusing, now) {
        return Ok(Err(until));
    }
    let window = millis(svc.auth.lockout);
    let account_failures = counters
        .iter()
        .find(|c| c.key == keys.account && c.window_start_ms > now - window)
        .map_or(0, |c| c.failures);
    let delay = account_delay_ms(
        account_failures,
        svc.auth.max_login_failures,
        u64::try_from(svc.auth.account_delay_base.as_millis()).unwrap_or(u64::MAX),
        u64::try_from(svc.auth.account_delay_max.as_millis()).unwrap_or(u64::MAX),
    );
    Ok(Ok(Duration::from_millis(delay)))
}

/// Checks e-mail and password from `client`; on success creates a session (pending the second
/// factor if the user has one). A refused address is answered before any lookup; an account
/// with recent failures is answered after its delay, whatever the password.
pub async fn login(
    svc: &Services,
    email: &str,
    password: &str,
    client: IpAddr,
) -> Result<LoginOutcome> {
    let keys = Keys::new(email, client);
    match admission(svc, &keys).await? {
        Err(until_ms) => return Ok(LoginOutcome::Throttled { until_ms }),
        Ok(delay) if !delay.is_zero() => tokio::time::sleep(delay).await,
        Ok(_) => {}
    }
    let user = svc.store.login_user(email).await?;
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_owned());
    // Verified for unknown and password-less accounts too: the same time either way.
    let matches = crypto::verify_password(password.to_owned(), hash).await;
    let user = match user {
        Some(u) if matches && u.password_hash.is_some() && !u.disabled => u,
        _ => {
            return Ok(match count_failure(svc, &keys).await? {
                Some(until_ms) => LoginOutcome::Throttled { until_ms },
                None => LoginOutcome::Failed,
            });
        }
    };
    if !user.totp_enabled {
        svc.store
            .clear_login_counters(&[&keys.pair, &keys.account])
            .await?;
    }
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

/// Checks the second factor (a TOTP code not used before, or a one-time recovery code) of a
/// session waiting for it, entered from `client`.
pub async fn second_factor(
    svc: &Services,
    session: &Session,
    code: &str,
    client: IpAddr,
) -> Result<MfaOutcome> {
    let keys = Keys::new(&session.user.email, client);
    if let Err(until_ms) = admission(svc, &keys).await? {
        svc.store.delete_session(&session.id_hash).await?;
        return Ok(MfaOutcome::Throttled { until_ms });
    }
    let user = svc.store.login_user_by_id(session.user.id).await?;
    let code = code.trim();
    let step = user
        .totp_secret
        .as_deref()
        .filter(|_| user.totp_enabled)
        .and_then(|secret| crypto::totp_step(secret, code, svc.now_ms()));
    let ok = match step {
        Some(step) => svc.store.accept_totp_step(user.id, step).await?,
        None => {
            let normalized = crypto::normalize_recovery_code(code);
            svc.store
                .use_recovery_code(user.id, &sha256_hex(&normalized))
                .await?
        }
    };
    if !ok {
        if let Some(until_ms) = count_failure(svc, &keys).await? {
            svc.store.delete_session(&session.id_hash).await?;
            return Ok(MfaOutcome::Throttled { until_ms });
        }
        return Ok(MfaOutcome::Failed);
    }
    svc.store
        .clear_login_counters(&[&keys.pair, &keys.account])
        .await?;
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
        branding: rec.branding,
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
