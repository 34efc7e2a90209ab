-- Jobs, the mail outbox, reminder settings and calendar feeds (issue 13, reminders and feeds).
-- Keep in step with ../postgres/0025_jobs_mail.sql (only the ID columns differ).
-- Codes: verbund_domain::reminder::{JobKind, JobState, MailState, ReminderKind}.

-- Background jobs stored in the database, so they survive restarts and several instances on
-- one PostgreSQL share them. A runner claims a due job with one conditional UPDATE … RETURNING
-- (state scheduled and run_at reached, or running with an ended lease), so only one runner
-- holds a job at a time. `dedupe_key` names a recurring job once (e.g. 'reminders').
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL DEFAULT '{}',
    state TEXT NOT NULL DEFAULT 'scheduled',
    run_at_ms BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    lease_owner TEXT,
    lease_until_ms BIGINT,
    last_started_ms BIGINT,
    last_finished_ms BIGINT,
    last_result TEXT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (state, run_at_ms);

-- Mails waiting for, or done with, delivery. Any feature enqueues here; the UNIQUE dedupe key
-- (kind/period/recipient/measure) makes enqueuing the same mail twice a no-op. Subject and
-- bodies are rendered when enqueued, in the recipient's language.
CREATE TABLE outbox_mails (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL,
    recipient_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_ms BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until_ms BIGINT,
    created_at_ms BIGINT NOT NULL,
    sent_at_ms BIGINT
);
CREATE INDEX outbox_mails_due ON outbox_mails (state, next_attempt_ms);
CREATE INDEX outbox_mails_recent ON outbox_mails (federation_id, id);

-- Reminder settings per federation (defaults when no row: 7 days ahead, digest on Monday).
CREATE TABLE reminder_settings (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL UNIQUE REFERENCES federations(id) ON DELETE CASCADE,
    days_before BIGINT NOT NULL,
    digest_weekday BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- A user's secret calendar feed URL: only the token's SHA-256 is stored; one feed per user
-- (regenerating replaces it, revoking deletes it).
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at_ms BIGINT NOT NULL,
    last_used_ms BIGINT
);
