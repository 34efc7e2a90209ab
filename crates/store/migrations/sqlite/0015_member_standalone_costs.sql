-- What each member would pay doing information security alone (standalone cost), for the
-- savings figures of its statement (SQLite/PostgreSQL alike apart from the ID column; keep
-- both files in step). Office data: the office sets it per member; a key's common figure
-- applies to members without one.
CREATE TABLE member_standalone_costs (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL UNIQUE REFERENCES organisations(id) ON DELETE CASCADE,
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    updated_at_ms BIGINT NOT NULL
);
