-- Crisis pact (Pakt für Cyberresilienz): pacts of organisations, each member's registry of
-- lendable resources and its alarm chain, crises with an append-only timeline, help requests
-- and loans. SQLite and PostgreSQL differ only in the ID columns, and the
-- append-only trigger; keep both files in step. Codes: verbund_domain::pact.

CREATE TABLE pacts (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    -- who may declare a crisis: 'coordinator' or 'coordinator_or_management'
    declare_rule TEXT NOT NULL DEFAULT 'coordinator',
    -- alerts are POSTed here as JSON (SMS or messenger gateway)
    webhook_url TEXT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    UNIQUE (federation_id, name)
);

-- Members: any organisation of this installation; `external` marks a partner outside the
-- federation (not billed by the office). Coordinates of the town hall for matching.
CREATE TABLE pact_members (
    id INTEGER PRIMARY KEY,
    pact_id BIGINT NOT NULL REFERENCES pacts(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    external BIGINT NOT NULL DEFAULT 0,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    created_at_ms BIGINT NOT NULL,
    UNIQUE (pact_id, org_id)
);
CREATE INDEX pact_members_org ON pact_members (org_id);

-- A member's registry (shared with every pact it belongs to).
CREATE TABLE pact_resources (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    -- skill codes, comma-separated
    skills TEXT NOT NULL DEFAULT '',
    equipment_type TEXT,
    count BIGINT NOT NULL DEFAULT 1,
    location TEXT,
    phone TEXT,
    available_from TEXT,
    available_until TEXT,
    note TEXT,
    confirmed_at_ms BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
CREATE INDEX pact_resources_org ON pact_resources (org_id, kind);

-- A member's alarm chain, in call order.
CREATE TABLE pact_contacts (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    function TEXT,
    phone TEXT,
    mobile TEXT,
    email TEXT,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX pact_contacts_org ON pact_contacts (org_id, position);

CREATE TABLE pact_crises (
    id INTEGER PRIMARY KEY,
    pact_id BIGINT NOT NULL REFERENCES pacts(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    severity TEXT NOT NULL,
    affected_services TEXT NOT NULL,
    summary TEXT NOT NULL,
    exercise BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open',
    lessons_learned TEXT,
    declared_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    declared_at_ms BIGINT NOT NULL,
    closed_at_ms BIGINT
);
CREATE INDEX pact_crises_pact ON pact_crises (pact_id, status, id);

-- The timeline: append-only (a correction is a new entry naming the corrected one); the board
-- reads new entries by increasing ID.
CREATE TABLE pact_crisis_entries (
    id INTEGER PRIMARY KEY,
    crisis_id BIGINT NOT NULL REFERENCES pact_crises(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    corrects_entry_id BIGINT REFERENCES pact_crisis_entries(id),
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX pact_crisis_entries_crisis ON pact_crisis_entries (crisis_id, id);
CREATE TRIGGER pact_crisis_entries_append_only BEFORE UPDATE ON pact_crisis_entries
BEGIN
    SELECT RAISE(ABORT, 'pact_crisis_entries is append-only');
END;

CREATE TABLE pact_requests (
    id INTEGER PRIMARY KEY,
    crisis_id BIGINT NOT NULL REFERENCES pact_crises(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    need_kind TEXT NOT NULL,
    need_code TEXT NOT NULL,
    count BIGINT NOT NULL,
    from_date TEXT,
    until_date TEXT,
    location TEXT,
    note TEXT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX pact_requests_crisis ON pact_requests (crisis_id, id);

-- A resource asked for a request; the lender accepts or declines; hours and costs for the
-- settlement between the partners.
CREATE TABLE pact_loans (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES pact_requests(id) ON DELETE CASCADE,
    resource_id BIGINT NOT NULL REFERENCES pact_resources(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'asked',
    hours DOUBLE PRECISION,
    cost_cents BIGINT,
    note TEXT,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    decided_at_ms BIGINT,
    created_at_ms BIGINT NOT NULL,
    UNIQUE (request_id, resource_id)
);
CREATE INDEX pact_loans_org ON pact_loans (org_id);
