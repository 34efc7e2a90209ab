-- Cost sharing (SQLite). Keep in step with ../postgres/0002_costs.sql.
-- Amounts are integer cents; key definitions, subsidy rules and issued statements are JSON
-- documents of the domain types (verbund_domain::costs), so a statement can be reproduced.

CREATE TABLE budget_lines (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id),
    year BIGINT NOT NULL,
    position BIGINT NOT NULL,
    category TEXT NOT NULL,
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX budget_lines_year ON budget_lines (federation_id, year, position);

CREATE TABLE subsidies (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id),
    name TEXT NOT NULL,
    total_cents BIGINT NOT NULL CHECK (total_cents >= 0),
    first_year BIGINT NOT NULL,
    last_year BIGINT NOT NULL,
    application_json TEXT NOT NULL
);
CREATE INDEX subsidies_federation ON subsidies (federation_id, first_year);

CREATE TABLE cost_keys (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id),
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    definition_json TEXT NOT NULL,
    standalone_json TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    -- Set when a statement was issued with this version: from then on it is immutable.
    locked_at_ms BIGINT,
    UNIQUE (federation_id, name, version)
);

CREATE TABLE cost_statements (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id),
    year BIGINT NOT NULL,
    key_id BIGINT NOT NULL REFERENCES cost_keys(id),
    issued_at_ms BIGINT NOT NULL,
    issued_by TEXT NOT NULL,
    document_json TEXT NOT NULL
);
CREATE INDEX cost_statements_year ON cost_statements (federation_id, year, issued_at_ms);
