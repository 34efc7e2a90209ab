//! Authentication, sessions and API tokens: the records sign-in and request authentication
//! read and write. Passwords and tokens arrive hashed; deciding whether a sign-in succeeds is
//! the application layer's.

use verbund_domain::authz::Actor;
use verbund_domain::user::User;
use verbund_domain::{ApiTokenId, UserId};

use crate::{
    ApiToken, AuditActor, Db, LoginUser, NewSession, Result, SessionRecord, Store, backend,
};

impl Store {
    /// The login record for an e-mail address.
    pub async fn login_user(&self, email: &str) -> Result<Option<LoginUser>> {
        dispatch!(self.login_user(email))
    }

    /// The login record of a user (for password change and MFA).
    pub async fn login_user_by_id(&self, id: UserId) -> Result<LoginUser> {
        dispatch!(self.login_user_by_id(id))
    }

    /// Sets a new password hash (audited without the hash).
    pub async fn set_password(&self, by: &AuditActor, id: UserId, hash: &str) -> Result<()> {
        dispatch!(self.set_password(by, id, hash))
    }

    /// Stores a TOTP secret; `enabled` switches MFA on, `None` secret switches it off.
    /// `used_step` is the time step of the code that confirmed it (no earlier or equal code
    /// signs in afterwards). Switching on or off replaces the recovery codes with
    /// `recovery_hashes`.
    pub async fn set_totp(
        &self,
        by: &AuditActor,
        id: UserId,
        secret: Option<&str>,
        enabled: bool,
        used_step: Option<i64>,
        recovery_hashes: &[String],
    ) -> Result<()> {
        dispatch!(self.set_totp(by, id, secret, enabled, used_step, recovery_hashes))
    }

    /// Marks an unused recovery code as used; `false` if none matched.
    pub async fn use_recovery_code(&self, id: UserId, code_hash: &str) -> Result<bool> {
        dispatch!(self.use_recovery_code(id, code_hash))
    }

    /// Number of unused recovery codes.
    pub async fn recovery_codes_left(&self, id: UserId) -> Result<i64> {
        dispatch!(self.recovery_codes_left(id))
    }

    // ---- sessions ----

    /// Stores a new session (only the hash of its token).
    pub async fn create_session(&self, s: &NewSession) -> Result<()> {
        dispatch!(self.create_session(s))
    }

    /// A live session and its user by token hash; expired or idle sessions are deleted and not returned.
    pub async fn load_session(
        &self,
        id_hash: &str,
        now_ms: i64,
        idle_ms: i64,
    ) -> Result<Option<(SessionRecord, User, Actor)>> {
        match dispatch!(self.load_session(id_hash, now_ms, idle_ms))? {
            Some((session, user, grants)) => {
                let actor = self.actor(user.id, grants).await?;
                Ok(Some((session, user, actor)))
            }
            None => Ok(None),
        }
    }

    /// Marks the session as fully authenticated (after MFA).
    pub async fn set_session_stage(&self, id_hash: &str, stage: &str) -> Result<()> {
        dispatch!(self.set_session_stage(id_hash, stage))
    }

    /// Ends one session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        dispatch!(self.delete_session(id_hash))
    }

    /// Ends every session of a user except `keep` ("log out everywhere else").
    pub async fn delete_user_sessions(&self, user: UserId, keep: Option<&str>) -> Result<u64> {
        dispatch!(self.delete_user_sessions(user, keep))
    }

    // ---- API tokens ----

    /// Stores a new API token (only its hash).
    pub async fn create_token(
        &self,
        by: &AuditActor,
        user: UserId,
        name: &str,
        prefix: &str,
        hash: &str,
        expires_at_ms: Option<i64>,
    ) -> Result<ApiToken> {
        dispatch!(self.create_token(by, user, name, prefix, hash, expires_at_ms))
    }

    /// The user's tokens, newest first.
    pub async fn list_tokens(&self, user: UserId) -> Result<Vec<ApiToken>> {
        dispatch!(self.list_tokens(user))
    }

    /// Revokes one of the user's tokens; `NotFound` for another user's token.
    pub async fn revoke_token(&self, by: &AuditActor, user: UserId, id: ApiTokenId) -> Result<()> {
        dispatch!(self.revoke_token(by, user, id))
    }

    /// The user and roles behind a live token with this hash, in one query (and records its
    /// use); `None` for unknown, revoked or expired tokens and deactivated users.
    pub async fn token_actor(&self, hash: &str, now_ms: i64) -> Result<Option<(User, Actor)>> {
        match dispatch!(self.token_principal(hash, now_ms))? {
            Some((user, grants)) => {
                let actor = self.actor(user.id, grants).await?;
                Ok(Some((user, actor)))
            }
            None => Ok(None),
        }
    }
}
