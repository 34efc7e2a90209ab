-- Crisis pact: the emergency handbook per member. The content hash of the last generated
-- handbook and when its content last changed (the "Stand" printed on it); generating it again
-- with unchanged content keeps the date. SQLite and PostgreSQL differ only in the ID column.
CREATE TABLE pact_handbooks (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL UNIQUE REFERENCES organisations(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    changed_at_ms BIGINT NOT NULL,
    generated_at_ms BIGINT NOT NULL
);
