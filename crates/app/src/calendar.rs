//! Calendar feeds: a secret URL per user serving the deadlines of the open measures the user
//! owns (iCalendar). The token is shown once; only its SHA-256 is stored. Regenerating
//! replaces it, revoking deletes it: the old URL then answers 404.

use verbund_domain::UserId;
use verbund_store::{AuditActor, CalendarFeed, ReminderCandidate};

use crate::Services;
use crate::crypto::{random_token, sha256_hex};
use crate::error::{Error, Result};

/// Deadlines in a feed at most.
pub const FEED_LIMIT: i64 = 2000;

/// The user's feed, if any (without its token).
pub async fn status(st: &Services, user: UserId) -> Result<Option<CalendarFeed>> {
    Ok(st.store.calendar_feed(user).await?)
}

/// Creates the user's feed or gives it a new URL; returns the token (shown once).
pub async fn create(st: &Services, by: &AuditActor, user: UserId) -> Result<String> {
    let token = format!("vcal_{}", random_token(32));
    st.store
        .set_calendar_feed(by, user, &sha256_hex(&token))
        .await?;
    Ok(token)
}

/// Revokes the user's feed; `NotFound` if there is none.
pub async fn revoke(st: &Services, by: &AuditActor, user: UserId) -> Result<()> {
    if st.store.revoke_calendar_feed(by, user).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// The feed behind `token`: the owner's language and open deadlines. An unknown, revoked or
/// malformed token, or a deactivated account, is `NotFound`.
pub async fn feed(st: &Services, token: &str) -> Result<(String, Vec<ReminderCandidate>)> {
    if !token.starts_with("vcal_")
        || token.len() > 100
        || !token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Error::NotFound);
    }
    let Some((user, locale)) = st
        .store
        .calendar_feed_user(&sha256_hex(token), st.now_ms())
        .await?
    else {
        return Err(Error::NotFound);
    };
    Ok((locale, st.store.feed_measures(user, FEED_LIMIT).await?))
}
