-- Federation comparison at scale (SQLite/PostgreSQL alike; keep both files in step).
-- Sums of the members' scores per catalog revision and topic (topic_index -1: overall),
-- maintained on every write like the tallies, so the comparison's averages never read every
-- member's row; minimum and maximum come from the score indexes (one probe each). Derived
-- data: not in backups, rebuilt after a restore.
CREATE TABLE assessment_score_sums (
    catalog_id BIGINT NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
    topic_index BIGINT NOT NULL,
    members BIGINT NOT NULL,
    sum_bp BIGINT NOT NULL,
    PRIMARY KEY (catalog_id, topic_index)
);
INSERT INTO assessment_score_sums (catalog_id, topic_index, members, sum_bp)
    SELECT catalog_id, -1, COUNT(*), SUM(score_bp) FROM assessments GROUP BY catalog_id;
INSERT INTO assessment_score_sums (catalog_id, topic_index, members, sum_bp)
    SELECT catalog_id, topic_index, COUNT(*), SUM(score_bp) FROM assessment_topics GROUP BY catalog_id, topic_index;

-- The comparison counts assessments per catalog revision of a federation.
CREATE INDEX assessments_federation_catalog ON assessments (federation_id, catalog_id);
