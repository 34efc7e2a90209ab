-- Structure analysis and protection needs (BSI-Standard 200-2). SQLite and PostgreSQL differ
-- only in the ID columns; keep both files in step. Organisations of kind 'provider' (no schema
-- change: kind is text) own objects that members' objects link to.

-- Per federation: which link types pass needs on, the cumulation threshold and the
-- damage-scenario thresholds (JSON of verbund_domain::structure::needs::StructureSettings).
CREATE TABLE structure_settings (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL UNIQUE REFERENCES federations(id) ON DELETE CASCADE,
    settings_json TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

-- Target objects. Later features key rows by this id (check rows, crisis-pact blast radius).
CREATE TABLE structure_objects (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    short_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    object_type TEXT NOT NULL,
    owner TEXT,
    location TEXT,
    count BIGINT NOT NULL DEFAULT 1,
    status TEXT NOT NULL,
    -- JSON array of strings
    tags TEXT NOT NULL DEFAULT '[]',
    product TEXT,
    vendor TEXT,
    version TEXT,
    cpe TEXT,
    purl TEXT,
    -- 1 while the object lies on a cycle of the dependency graph (flagged for review)
    in_cycle BIGINT NOT NULL DEFAULT 0,
    revision BIGINT NOT NULL DEFAULT 1,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    UNIQUE (org_id, short_id)
);
CREATE INDEX structure_objects_list ON structure_objects (org_id, object_type, short_id);

-- from depends on to ("from runs on to"); may cross from a member's object to a provider's.
CREATE TABLE structure_links (
    id INTEGER PRIMARY KEY,
    from_id BIGINT NOT NULL REFERENCES structure_objects(id) ON DELETE CASCADE,
    to_id BIGINT NOT NULL REFERENCES structure_objects(id) ON DELETE CASCADE,
    link_type TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    UNIQUE (from_id, to_id, link_type)
);
CREATE INDEX structure_links_to ON structure_links (to_id, from_id);

-- One row per object and goal (confidentiality, integrity, availability): what a person set
-- (manual, deviation, justification), what inheritance gives (calculated), what applies
-- (effective) and where it came from (origin_*: 'unset', 'link' or 'cycle' with the object;
-- following origins gives the inheritance path).
CREATE TABLE structure_needs (
    id INTEGER PRIMARY KEY,
    object_id BIGINT NOT NULL REFERENCES structure_objects(id) ON DELETE CASCADE,
    goal TEXT NOT NULL,
    manual TEXT,
    deviation TEXT,
    justification TEXT,
    set_by_name TEXT,
    set_at_ms BIGINT,
    calculated TEXT,
    effective TEXT,
    own BIGINT NOT NULL DEFAULT 0,
    stale BIGINT NOT NULL DEFAULT 0,
    origin_kind TEXT NOT NULL DEFAULT 'unset',
    origin_object_id BIGINT,
    origin_link_type TEXT,
    UNIQUE (object_id, goal)
);

-- For provider objects: the highest need each member passes on (visible to that member only).
CREATE TABLE structure_contributions (
    id INTEGER PRIMARY KEY,
    object_id BIGINT NOT NULL REFERENCES structure_objects(id) ON DELETE CASCADE,
    member_org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    confidentiality TEXT,
    integrity TEXT,
    availability TEXT,
    UNIQUE (object_id, member_org_id)
);
CREATE INDEX structure_contributions_member ON structure_contributions (member_org_id, object_id);
