-- Scoring rule of the BSI IT-Grundschutz-Check (SQLite/PostgreSQL alike; keep both files in
-- step): a justified "entbehrlich" is out of the score (numerator and denominator),
--   score = (yes + partial / 2) / (total - justified not applicable),
-- and a member that has answered nothing is not yet assessed and left out of the comparison.
-- compared_bp is the score as the federation comparison counts it: NULL while nothing is
-- answered or there is no score; averages, minimum and maximum read only this column.
ALTER TABLE assessments ADD COLUMN compared_bp BIGINT;
ALTER TABLE assessment_topics ADD COLUMN compared_bp BIGINT;

-- Scores again from the stored counts (the tallies' points are recomputed when read).
UPDATE assessments SET
    score_bp = (SELECT CASE WHEN d > 0 THEN (n * 2 + d) / (d * 2) ELSE 0 END FROM (SELECT
        (tally_json::json->>'yes')::bigint * 10000 + (tally_json::json->>'partial')::bigint * 5000 AS n,
        (tally_json::json->>'total')::bigint - (tally_json::json->>'not_applicable')::bigint
            + (tally_json::json->>'not_applicable_unjustified')::bigint AS d) x);
UPDATE assessments SET compared_bp = CASE WHEN answered > 0 AND (tally_json::json->>'total')::bigint
    - (tally_json::json->>'not_applicable')::bigint + (tally_json::json->>'not_applicable_unjustified')::bigint > 0
    THEN score_bp END;
UPDATE assessment_topics SET
    score_bp = (SELECT CASE WHEN d > 0 THEN (n * 2 + d) / (d * 2) ELSE 0 END FROM (SELECT
        (tally_json::json->>'yes')::bigint * 10000 + (tally_json::json->>'partial')::bigint * 5000 AS n,
        (tally_json::json->>'total')::bigint - (tally_json::json->>'not_applicable')::bigint
            + (tally_json::json->>'not_applicable_unjustified')::bigint AS d) x);
UPDATE assessment_topics SET compared_bp = CASE WHEN answered > 0 AND (tally_json::json->>'total')::bigint
    - (tally_json::json->>'not_applicable')::bigint + (tally_json::json->>'not_applicable_unjustified')::bigint > 0
    THEN score_bp END;
-- A snapshot's score is that of its topics' tallies taken together.
UPDATE assessment_snapshots SET
    score_bp = (SELECT CASE WHEN d > 0 THEN (n * 2 + d) / (d * 2) ELSE 0 END FROM (SELECT
        -- SUM(bigint) is numeric in PostgreSQL; back to bigint for integer division.
        SUM((e->'tally'->>'yes')::bigint)::bigint * 10000 + SUM((e->'tally'->>'partial')::bigint)::bigint * 5000 AS n,
        SUM((e->'tally'->>'total')::bigint)::bigint - SUM((e->'tally'->>'not_applicable')::bigint)::bigint
            + SUM((e->'tally'->>'not_applicable_unjustified')::bigint)::bigint AS d
        FROM json_array_elements(assessment_snapshots.topics_json::json) e) x);

-- Minimum and maximum of the comparison: one index probe each, NULLs skipped.
CREATE INDEX assessments_catalog_compared ON assessments (catalog_id, compared_bp);
CREATE INDEX assessment_topics_compared ON assessment_topics (catalog_id, topic_index, compared_bp);

DELETE FROM assessment_score_sums;
INSERT INTO assessment_score_sums (catalog_id, topic_index, members, sum_bp)
    SELECT catalog_id, -1, COUNT(*), SUM(compared_bp) FROM assessments
    WHERE compared_bp IS NOT NULL GROUP BY catalog_id;
INSERT INTO assessment_score_sums (catalog_id, topic_index, members, sum_bp)
    SELECT catalog_id, topic_index, COUNT(*), SUM(compared_bp) FROM assessment_topics
    WHERE compared_bp IS NOT NULL GROUP BY catalog_id, topic_index;
