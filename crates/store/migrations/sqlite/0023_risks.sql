-- Risk analysis (BSI-Standard 200-3) for target objects with a high protection need. SQLite and
-- PostgreSQL differ only in the ID columns; keep both files in step.
-- Codes: verbund_domain::risk::{Frequency, Impact, RiskCategory, Treatment}.

-- Threats per federation: the 47 elementary threats (source 'bsi', code 'G 0.n', written on
-- first use from verbund_domain::risk::threats with Verbund's own descriptions), threats the
-- office defines (source 'federation') and threats imported from a library
-- (source 'import:<library urn>').
CREATE TABLE threats (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    -- basic values it touches: letters of 'CIA'
    goals TEXT NOT NULL DEFAULT '',
    created_at_ms BIGINT NOT NULL,
    UNIQUE (federation_id, source, code)
);

-- Per federation: the risk matrix (JSON of verbund_domain::risk::RiskMatrix); no row means
-- Verbund's default matrix.
CREATE TABLE risk_matrix (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL UNIQUE REFERENCES federations(id) ON DELETE CASCADE,
    matrix_json TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- One risk per object and threat. The categories are what the federation's matrix gives for
-- the ratings; a matrix change rewrites them in its transaction (so lists filter in SQL).
CREATE TABLE risks (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    object_id BIGINT NOT NULL REFERENCES structure_objects(id) ON DELETE CASCADE,
    threat_id BIGINT NOT NULL REFERENCES threats(id) ON DELETE CASCADE,
    frequency TEXT NOT NULL,
    impact TEXT NOT NULL,
    category TEXT NOT NULL,
    frequency_after TEXT,
    impact_after TEXT,
    category_after TEXT,
    -- the category that counts now: after treatment where assessed, else before (0-3)
    current_rank BIGINT NOT NULL,
    treatment TEXT,
    justification TEXT,
    -- acceptance: a management user of the member, when, and until when ('YYYY-MM-DD')
    approver_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    accepted_at_ms BIGINT,
    expires_on TEXT,
    revision BIGINT NOT NULL DEFAULT 1,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    UNIQUE (object_id, threat_id)
);
CREATE INDEX risks_org ON risks (org_id, current_rank, id);
CREATE INDEX risks_threat ON risks (threat_id, current_rank);

-- Measures that treat a risk (the measures of the implementation plan).
CREATE TABLE risk_measures (
    id INTEGER PRIMARY KEY,
    risk_id BIGINT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    measure_id BIGINT NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    created_at_ms BIGINT NOT NULL,
    UNIQUE (risk_id, measure_id)
);
CREATE INDEX risk_measures_measure ON risk_measures (measure_id);
