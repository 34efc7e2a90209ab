//! Background jobs, the mail outbox, reminder settings and calendar feeds.
//!
//! Jobs and mails belong to the federation as a whole: the runner reads and writes them with
//! the office-wide functions (`*_federation_wide` for the reads that cross members). A feed
//! belongs to its user and serves only the measures that user owns.

use serde::Serialize;
use verbund_domain::authz::SystemAccess;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::reminder::ReminderSettings;
use verbund_domain::{FederationId, JobId, MeasureId, OrgId, OutboxMailId, UserId};

use crate::{AuditActor, Db, Result, Store, backend};

/// A job as stored.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Job {
    /// ID.
    pub id: JobId,
    /// The federation.
    pub federation_id: FederationId,
    /// `verbund_domain::reminder::JobKind` code.
    pub kind: String,
    /// Names a recurring job once.
    pub dedupe_key: String,
    /// JSON parameters of the job.
    pub payload: String,
    /// `scheduled`, `running`, `done`, `failed`.
    pub state: String,
    /// When it runs (next).
    pub run_at_ms: i64,
    /// Attempts since the last success.
    pub attempts: i64,
    /// The last failure's message.
    pub last_error: Option<String>,
    /// The runner holding it.
    pub lease_owner: Option<String>,
    /// Until when it holds it.
    pub lease_until_ms: Option<i64>,
    /// Start of the last run.
    pub last_started_ms: Option<i64>,
    /// End of the last run.
    pub last_finished_ms: Option<i64>,
    /// What the last successful run did, in words.
    pub last_result: Option<String>,
}

/// A mail of the outbox.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMail {
    /// ID.
    pub id: OutboxMailId,
    /// The federation.
    pub federation_id: FederationId,
    /// Why it is sent (`vorab`, `heute`, `ueberfaellig`, `wochenuebersicht`, …).
    pub kind: String,
    /// Kind/period/recipient/measure: unique.
    pub dedupe_key: String,
    /// The stable Message-ID header.
    pub message_id: String,
    /// The recipient's account.
    pub recipient_user_id: Option<UserId>,
    /// The address.
    pub to_address: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// Optional HTML body.
    pub body_html: Option<String>,
    /// `pending`, `sending`, `sent`, `failed`.
    pub state: String,
    /// Delivery attempts.
    pub attempts: i64,
    /// The last failure's message.
    pub last_error: Option<String>,
    /// Earliest next attempt.
    pub next_attempt_ms: i64,
    /// When it was enqueued.
    pub created_at_ms: i64,
    /// When the SMTP server accepted it.
    pub sent_at_ms: Option<i64>,
}

/// A mail to enqueue.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// Why it is sent.
    pub kind: String,
    /// Unique key (see `verbund_domain::reminder::dedupe_key`).
    pub dedupe_key: String,
    /// Message-ID header.
    pub message_id: String,
    /// The recipient's account.
    pub recipient: Option<UserId>,
    /// The address.
    pub to_address: String,
    /// Subject (one line).
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// Optional HTML body.
    pub body_html: Option<String>,
}

/// An open measure with a deadline and an owner, as reminders and feeds need it.
#[derive(Debug, Clone)]
pub struct ReminderCandidate {
    /// The measure.
    pub measure_id: MeasureId,
    /// Its title as typed.
    pub title: String,
    /// Deadline `YYYY-MM-DD`.
    pub due_on: String,
    /// Status code.
    pub status: String,
    /// The member.
    pub org_id: OrgId,
    /// The member's name.
    pub org_name: String,
    /// The owner.
    pub owner: UserId,
    /// The owner's address.
    pub email: String,
    /// The owner's language (`de`/`en`).
    pub locale: String,
    /// The owner's name.
    pub display_name: String,
}

/// A user's calendar feed (the token itself is never stored).
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarFeed {
    /// When the current URL was made.
    pub created_at_ms: i64,
    /// When a calendar last fetched it (to the hour).
    pub last_used_ms: Option<i64>,
}

impl Store {
    /// Creates job `dedupe_key` unless it exists; `true` if created.
    pub async fn ensure_job(
        &self,
        fed: FederationId,
        kind: &str,
        dedupe_key: &str,
        run_at_ms: i64,
    ) -> Result<bool> {
        dispatch!(self.ensure_job(fed, kind, dedupe_key, run_at_ms))
    }

    /// Claims one due job for runner `owner` until `now + lease_ms` (also one whose earlier
    /// runner's lease ended), or `None`. At most one runner gets a job, on both databases.
    pub async fn claim_job(&self, owner: &str, now: i64, lease_ms: i64) -> Result<Option<Job>> {
        dispatch!(self.claim_job(owner, now, lease_ms))
    }

    /// Records a run's success: a recurring job is scheduled at `next_run_ms`, a one-off one is
    /// done. `false` if `owner` no longer holds the job.
    pub async fn finish_job(
        &self,
        id: JobId,
        owner: &str,
        now: i64,
        next_run_ms: Option<i64>,
        result: &str,
    ) -> Result<bool> {
        dispatch!(self.finish_job(id, owner, now, next_run_ms, result))
    }

    /// Records a failure: retried at `retry_at_ms`, or failed for good with `None`.
    pub async fn fail_job(
        &self,
        id: JobId,
        owner: &str,
        now: i64,
        error: &str,
        retry_at_ms: Option<i64>,
    ) -> Result<bool> {
        dispatch!(self.fail_job(id, owner, now, error, retry_at_ms))
    }

    /// The federation's jobs (office view; authorize before calling).
    pub async fn list_jobs_federation_wide(
        &self,
        fed: FederationId,
        page: PageRequest,
    ) -> Result<Page<Job>> {
        dispatch!(self.list_jobs_federation_wide(fed, page))
    }

    /// Puts mails into the outbox in one transaction; a mail whose dedupe key is there already
    /// is skipped. Returns how many were new.
    pub async fn enqueue_mails(
        &self,
        fed: FederationId,
        mails: &[NewMail],
        now: i64,
    ) -> Result<u64> {
        if mails.is_empty() {
            return Ok(0);
        }
        dispatch!(self.enqueue_mails(fed, mails, now))
    }

    /// Which of `keys` are in the outbox already (so a run renders only new mails).
    pub async fn existing_mail_keys(&self, keys: &[String]) -> Result<Vec<String>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        dispatch!(self.existing_mail_keys(keys))
    }

    /// Claims up to `limit` due mails for sender `owner` (state `sending`); first marks mails
    /// left in `sending` by a stopped sender as failed (never sent twice).
    pub async fn claim_mails(
        &self,
        owner: &str,
        now: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<OutboxMail>> {
        dispatch!(self.claim_mails(owner, now, lease_ms, limit))
    }

    /// The SMTP server accepted the mail.
    pub async fn mark_mail_sent(&self, id: OutboxMailId, owner: &str, now: i64) -> Result<bool> {
        dispatch!(self.mark_mail_sent(id, owner, now))
    }

    /// Delivery failed: retried at `retry_at_ms`, or failed for good with `None`.
    pub async fn mark_mail_failed(
        &self,
        id: OutboxMailId,
        owner: &str,
        error: &str,
        retry_at_ms: Option<i64>,
    ) -> Result<bool> {
        dispatch!(self.mark_mail_failed(id, owner, error, retry_at_ms))
    }

    /// The federation's outbox, newest first, optionally of one state (office view).
    pub async fn list_outbox_federation_wide(
        &self,
        fed: FederationId,
        state: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<OutboxMail>> {
        dispatch!(self.list_outbox_federation_wide(fed, state, page))
    }

    /// The federation's reminder settings (defaults until the office saves some).
    pub async fn reminder_settings(&self, fed: FederationId) -> Result<ReminderSettings> {
        dispatch!(self.reminder_settings(fed))
    }

    /// Saves the reminder settings, audited with before and after.
    pub async fn save_reminder_settings(
        &self,
        by: &AuditActor,
        fed: FederationId,
        s: ReminderSettings,
    ) -> Result<()> {
        dispatch!(self.save_reminder_settings(by, fed, s))
    }

    /// Open measures of every member with an owner and a deadline from `from` to `to`
    /// (`YYYY-MM-DD`, inclusive) whose reminder of `today` is not in the outbox yet, ordered by
    /// owner and deadline: the reminder run's input.
    pub async fn reminder_candidates_federation_wide(
        &self,
        fed: FederationId,
        from: &str,
        to: &str,
        today: &str,
    ) -> Result<Vec<ReminderCandidate>> {
        dispatch!(self.reminder_candidates_federation_wide(fed, from, to, today))
    }

    /// Every owner's open measures with a deadline, nearest first, at most `per_owner` each,
    /// with the owner's total, for owners without a digest of `week` (`2026-W50`) in the
    /// outbox: the weekly digest's input.
    pub async fn digest_rows_federation_wide(
        &self,
        fed: FederationId,
        per_owner: i64,
        week: &str,
    ) -> Result<Vec<(ReminderCandidate, i64)>> {
        dispatch!(self.digest_rows_federation_wide(fed, per_owner, week))
    }

    /// The user's calendar feed, if one exists.
    pub async fn calendar_feed(&self, user: UserId) -> Result<Option<CalendarFeed>> {
        dispatch!(self.calendar_feed(user))
    }

    /// Creates the user's feed or replaces its URL (the old one stops working), audited.
    pub async fn set_calendar_feed(
        &self,
        by: &AuditActor,
        user: UserId,
        token_hash: &str,
    ) -> Result<()> {
        dispatch!(self.set_calendar_feed(by, user, token_hash))
    }

    /// Revokes the user's feed (audited); `false` if there was none.
    pub async fn revoke_calendar_feed(&self, by: &AuditActor, user: UserId) -> Result<bool> {
        dispatch!(self.revoke_calendar_feed(by, user))
    }

    /// The active user (and language) behind a feed token's hash; notes the use.
    pub async fn calendar_feed_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(UserId, String)>> {
        dispatch!(self.calendar_feed_user(token_hash, now))
    }

    /// The open measures with a deadline that `user` owns, nearest first (at most `limit`).
    pub async fn feed_measures(&self, user: UserId, limit: i64) -> Result<Vec<ReminderCandidate>> {
        dispatch!(self.feed_measures(user, limit))
    }

    /// Inserts a measure as it is, without audit (seeding and tests; the measures feature
    /// writes its own audited rows). `access` names why.
    pub async fn seed_measure(
        &self,
        _access: &SystemAccess,
        org: OrgId,
        owner: Option<UserId>,
        title: &str,
        due_on: Option<&str>,
        status: &str,
    ) -> Result<MeasureId> {
        dispatch!(self.seed_measure(org, owner, title, due_on, status))
    }

    /// Generates `per_member` measures for every member of `fed` that has none, each member
    /// with a new measure owner (an account without password; every tenth in English),
    /// deadlines spread from 60 days before `today` to 300 after, every fifth done. One
    /// transaction, one audit entry; returns the number of measures (benchmarks, `demo --scale`).
    pub async fn generate_measures(
        &self,
        by: &AuditActor,
        fed: FederationId,
        per_member: i64,
        today: time::Date,
    ) -> Result<u64> {
        dispatch!(self.generate_measures(by, fed, per_member, today))
    }
}
