-- Foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql.
-- Timestamps are Unix milliseconds (BIGINT), dates ISO text, flags nullable timestamps:
-- the same values on both backends, so a backup moves between them unchanged.

CREATE TABLE federations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    office_org_id BIGINT,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    ags TEXT UNIQUE,
    population BIGINT,
    staff BIGINT,
    it_workplaces BIGINT,
    address TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX organisations_federation_name ON organisations (federation_id, name);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    note TEXT
);
CREATE INDEX memberships_org ON memberships (org_id, starts_on);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    locale TEXT NOT NULL DEFAULT 'de',
    totp_secret TEXT,
    totp_enabled_at_ms BIGINT,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until_ms BIGINT,
    disabled_at_ms BIGINT,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE external_identities (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    UNIQUE (issuer, subject)
);

CREATE TABLE role_assignments (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    UNIQUE (user_id, org_id, role)
);
CREATE INDEX role_assignments_org ON role_assignments (org_id, user_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at_ms BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at_ms BIGINT NOT NULL,
    last_used_ms BIGINT,
    expires_at_ms BIGINT,
    revoked_at_ms BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- No foreign keys: the log outlives the users and organisations it mentions.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    at_ms BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor_label TEXT NOT NULL,
    org_id BIGINT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_org_seq ON audit_log (org_id, seq);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
