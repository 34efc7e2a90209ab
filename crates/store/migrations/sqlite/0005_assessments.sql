-- Assessments (SQLite/PostgreSQL alike). Keep in step with ../postgres/0005_assessments.sql.
-- One assessment per member and catalog revision; one answer row per assessable node, created
-- with the assessment. Tallies per topic and per assessment are maintained on every write, so
-- progress, scores and the federation comparison never count answers at read time.

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id),
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    catalog_id BIGINT NOT NULL REFERENCES catalogs(id),
    created_at_ms BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    total BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    score_bp BIGINT NOT NULL,
    tally_json TEXT NOT NULL,
    UNIQUE (org_id, catalog_id)
);
CREATE INDEX assessments_catalog_score ON assessments (catalog_id, score_bp);

CREATE TABLE assessment_topics (
    id INTEGER PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    catalog_id BIGINT NOT NULL REFERENCES catalogs(id),
    topic_index BIGINT NOT NULL,
    topic_node_id BIGINT NOT NULL REFERENCES catalog_nodes(id),
    total BIGINT NOT NULL,
    answered BIGINT NOT NULL,
    score_bp BIGINT NOT NULL,
    tally_json TEXT NOT NULL,
    UNIQUE (assessment_id, topic_index)
);
CREATE INDEX assessment_topics_stats ON assessment_topics (catalog_id, topic_index, score_bp);

CREATE TABLE assessment_answers (
    id INTEGER PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    node_id BIGINT NOT NULL REFERENCES catalog_nodes(id),
    position BIGINT NOT NULL,
    topic_index BIGINT NOT NULL,
    priority TEXT,
    status TEXT NOT NULL,
    justification TEXT,
    owner TEXT,
    due_on TEXT,
    comment TEXT,
    updated_at_ms BIGINT,
    updated_by TEXT,
    version BIGINT NOT NULL,
    UNIQUE (assessment_id, node_id)
);
CREATE INDEX assessment_answers_order ON assessment_answers (assessment_id, position);

CREATE TABLE assessment_snapshots (
    id INTEGER PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    taken_at_ms BIGINT NOT NULL,
    taken_by TEXT NOT NULL,
    answered BIGINT NOT NULL,
    total BIGINT NOT NULL,
    score_bp BIGINT NOT NULL,
    topics_json TEXT NOT NULL,
    answers_json TEXT NOT NULL
);
CREATE INDEX assessment_snapshots_taken ON assessment_snapshots (assessment_id, taken_at_ms);

-- Evidence files as base64 text: portable between both backends and included in backups.
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    answer_id BIGINT NOT NULL REFERENCES assessment_answers(id) ON DELETE CASCADE,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content_b64 TEXT NOT NULL,
    uploaded_at_ms BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL
);
CREATE INDEX evidence_answer ON evidence (answer_id);
