-- One row per member of an issued statement: the statement reduced to that member's own
-- figures (its bill, share, savings) plus the totals (SQLite/PostgreSQL alike apart from the
-- ID column; keep both files in step). A member's read selects only its own rows, so it never
-- loads the other members' bills. Rows of statements issued before this migration are written
-- by the program after migrating (the reduction is done in Rust, not in SQL).
CREATE TABLE statement_members (
    id INTEGER PRIMARY KEY,
    statement_id BIGINT NOT NULL REFERENCES cost_statements(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    -- Position of the member's bill in the statement (statement order).
    position BIGINT NOT NULL,
    part_json TEXT NOT NULL,
    UNIQUE (statement_id, org_id)
);
CREATE INDEX statement_members_org ON statement_members (org_id, statement_id);
