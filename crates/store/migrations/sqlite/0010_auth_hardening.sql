-- Sign-in hardening (issue 10). Keep in step with ../postgres/0010_auth_hardening.sql.

-- The time step (Unix seconds / 30) of the last TOTP code accepted for the user, so a code
-- is accepted only once: a login takes a code only if its step is greater (conditional UPDATE,
-- atomic on both backends). Confirming the enrolment counts as a use.
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- Failed sign-ins, counted per client address, per (account, address) and per account.
-- `key` is the SHA-256 of the kind and the values (no addresses or e-mails in clear); the
-- same keys are used for addresses with and without an account, so the counters reveal
-- nothing. Rows outside their window are deleted as failures come in. Replaces the per-user
-- lock (users.failed_logins, users.locked_until_ms, no longer read), which let anyone lock
-- any account.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start_ms BIGINT NOT NULL,
    blocked_until_ms BIGINT
);
CREATE INDEX login_throttle_window ON login_throttle (window_start_ms);

-- A role in a member offered to an existing account (a coordinator added an address that
-- already has an account, or created a new one): the account's owner accepts or declines it
-- after signing in. `email` is the address as the inviter typed it (the inviter's list shows
-- nothing else of the account).
CREATE TABLE role_invitations (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    email TEXT NOT NULL,
    invited_by_user_id BIGINT,
    invited_by_label TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at_ms BIGINT NOT NULL,
    decided_at_ms BIGINT
);
CREATE UNIQUE INDEX role_invitations_pending ON role_invitations (user_id, org_id, role) WHERE status = 'pending';
CREATE INDEX role_invitations_org ON role_invitations (org_id, status);
CREATE INDEX role_invitations_user ON role_invitations (user_id, status);
