//! Sign-in throttling counters, one-time TOTP steps and revoking all of a user's API tokens.

use verbund_domain::UserId;
use verbund_domain::signin::Rule;

use crate::{AuditActor, Db, LoginCounter, Result, Store, backend};

impl Store {
    /// The counters stored under `keys` (missing ones have no failures).
    pub async fn login_counters(&self, keys: &[&str]) -> Result<Vec<LoginCounter>> {
        dispatch!(self.login_counters(keys))
    }

    /// Counts one failed sign-in on each counter under its rule, atomically per counter (also
    /// with several instances on one database): an expired window starts again at 1, a counter
    /// reaching its limit is blocked for its window. Returns the counters as they now stand,
    /// and forgets counters whose window and block are over.
    pub async fn count_login_failure(
        &self,
        counters: &[(&str, Rule)],
        now_ms: i64,
    ) -> Result<Vec<LoginCounter>> {
        dispatch!(self.count_login_failure(counters, now_ms))
    }

    /// Forgets the counters under `keys` (after a successful sign-in).
    pub async fn clear_login_counters(&self, keys: &[&str]) -> Result<()> {
        dispatch!(self.clear_login_counters(keys))
    }

    /// Records a TOTP code's time step as used if it is later than the last one used (and the
    /// second factor is on); `false` if it is not — the code was used already, or an earlier
    /// one. One conditional statement, so two requests with the same code cannot both pass.
    pub async fn accept_totp_step(&self, user: UserId, step: i64) -> Result<bool> {
        dispatch!(self.accept_totp_step(user, step))
    }

    /// Revokes every active API token of the user (one audit entry listing them); returns how
    /// many.
    pub async fn revoke_user_tokens(&self, by: &AuditActor, user: UserId) -> Result<u64> {
        dispatch!(self.revoke_user_tokens(by, user))
    }
}
