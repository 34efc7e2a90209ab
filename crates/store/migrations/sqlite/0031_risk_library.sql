-- What risk libraries bring besides requirements (verbund_domain::risk::library): threats keep
-- their library URN, reference controls become measure templates (found again by URN on a
-- re-import), and requirement URNs link to the threats they counter, across every revision
-- of a catalog (a URN stays the same from one revision to the next). SQLite and PostgreSQL
-- differ only in the ID column; keep both files in step.
ALTER TABLE threats ADD COLUMN urn TEXT;
CREATE UNIQUE INDEX threats_urn ON threats (federation_id, urn);

ALTER TABLE measure_templates ADD COLUMN urn TEXT;
CREATE UNIQUE INDEX measure_templates_urn ON measure_templates (federation_id, urn);

CREATE TABLE requirement_threats (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id) ON DELETE CASCADE,
    requirement_urn TEXT NOT NULL,
    threat_id BIGINT NOT NULL REFERENCES threats(id) ON DELETE CASCADE,
    UNIQUE (requirement_urn, threat_id)
);
CREATE INDEX requirement_threats_threat ON requirement_threats (threat_id);
