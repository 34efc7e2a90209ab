-- Security advisories (CSAF 2.0) and the warnings they give members (issue 15).
-- Keep in step with ../postgres/0029_advisories.sql (only the ID columns differ).
-- Codes: verbund_domain::advisory::{Tlp, Severity, ProductState, WarningState} and
-- verbund_domain::advisory::matcher::Confidence.

-- The newest revision of each advisory (tracking id unique per federation): a newer revision
-- replaces the row's content and `revision` counts the replacements. `model_json` is the
-- advisory as Verbund matches it (products, remediations), `document_json` the document as
-- imported, `import_warnings` what the import noted (JSON array of "pointer: message").
CREATE TABLE advisories (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id) ON DELETE CASCADE,
    tracking_id TEXT NOT NULL,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    publisher TEXT NOT NULL,
    tlp TEXT NOT NULL,
    severity TEXT NOT NULL,
    -- highest CVSS base score × 10 (integer, so both backends agree), NULL without scores
    score_tenths BIGINT,
    cves TEXT NOT NULL DEFAULT '[]',
    released TEXT NOT NULL,
    summary TEXT NOT NULL,
    change_summary TEXT,
    model_json TEXT NOT NULL,
    document_json TEXT NOT NULL,
    import_warnings TEXT NOT NULL DEFAULT '[]',
    revision BIGINT NOT NULL DEFAULT 1,
    imported_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    UNIQUE (federation_id, tracking_id)
);
CREATE INDEX advisories_recent ON advisories (federation_id, updated_at_ms);

-- The advisory's products (first ident flattened) for display and search.
CREATE TABLE advisory_products (
    id INTEGER PRIMARY KEY,
    advisory_id BIGINT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
    product_id TEXT NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    vendor TEXT,
    product TEXT,
    version TEXT,
    version_range TEXT,
    cpe TEXT,
    purl TEXT,
    UNIQUE (advisory_id, product_id)
);

-- One warning per advisory and member: the matched objects (JSON array of
-- verbund_domain::advisory::WarningMatch), the best confidence, the state and who acted.
CREATE TABLE advisory_warnings (
    id INTEGER PRIMARY KEY,
    advisory_id BIGINT NOT NULL REFERENCES advisories(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    confidence TEXT NOT NULL,
    severity TEXT NOT NULL,
    deadline_on TEXT,
    matches_json TEXT NOT NULL,
    closed_reason TEXT,
    acknowledged_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    acknowledged_at_ms BIGINT,
    done_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    done_at_ms BIGINT,
    measure_id BIGINT REFERENCES measures(id) ON DELETE SET NULL,
    revision BIGINT NOT NULL DEFAULT 1,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    UNIQUE (advisory_id, org_id)
);
CREATE INDEX advisory_warnings_org ON advisory_warnings (org_id, state);
CREATE INDEX advisory_warnings_state ON advisory_warnings (state, severity, deadline_on);
