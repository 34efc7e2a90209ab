-- A whole topic (module) marked entbehrlich at once, kept so the change can be undone: the
-- rows it changed with their previous answers and the version each row had right after it.
-- Keep in step with ../postgres/0014_assessment_group_changes.sql.
CREATE TABLE assessment_group_changes (
    id INTEGER PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES organisations(id),
    topic_index BIGINT NOT NULL,
    justification TEXT NOT NULL,
    rows_json TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    undone_at_ms BIGINT,
    undone_by TEXT
);
CREATE INDEX assessment_group_changes_assessment ON assessment_group_changes (assessment_id, id);
