-- The audit log is filtered by person, period, kind of change and object; each filter is
-- an index prefix followed by seq, so a page of the newest matching entries is read in order
-- without sorting the whole log.
CREATE INDEX audit_log_actor_seq ON audit_log (actor_user_id, seq);
CREATE INDEX audit_log_action_seq ON audit_log (action, seq);
CREATE INDEX audit_log_object_seq ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_at ON audit_log (at_ms);

-- One-time password-reset links an administrator issues for a local account. Only the
-- SHA-256 of the token is kept; like sessions, the rows are not part of a backup.
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
