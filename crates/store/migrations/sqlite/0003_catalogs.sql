-- Requirement catalogs (SQLite). Keep in step with ../postgres/0003_catalogs.sql.
-- A catalog urn can be imported several times: each different content is a new revision;
-- assessments will point at one revision and keep it.

CREATE TABLE catalogs (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id),
    urn TEXT NOT NULL,
    revision BIGINT NOT NULL,
    ref_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    version TEXT NOT NULL,
    locale TEXT NOT NULL,
    provider TEXT,
    copyright TEXT,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    node_count BIGINT NOT NULL,
    assessable_count BIGINT NOT NULL,
    meta_json TEXT NOT NULL,
    imported_at_ms BIGINT NOT NULL,
    imported_by TEXT NOT NULL,
    UNIQUE (federation_id, urn, revision)
);
CREATE INDEX catalogs_hash ON catalogs (federation_id, content_hash);

CREATE TABLE catalog_nodes (
    id INTEGER PRIMARY KEY,
    catalog_id BIGINT NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    urn TEXT NOT NULL,
    parent_urn TEXT,
    ref_id TEXT,
    name TEXT,
    description TEXT,
    guidance TEXT,
    assessable BIGINT NOT NULL,
    depth BIGINT NOT NULL,
    groups_json TEXT NOT NULL,
    translations_json TEXT NOT NULL,
    UNIQUE (catalog_id, urn)
);
CREATE INDEX catalog_nodes_position ON catalog_nodes (catalog_id, position);
