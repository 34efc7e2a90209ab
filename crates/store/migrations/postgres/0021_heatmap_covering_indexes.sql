-- The heatmap reads, per request, the answered count of every assessment of the federation (to
-- open on the catalog with the most answers) and the topic cells of one page of assessments.
-- Both read the table rows behind an index today; with the columns in the index they are
-- index-only (measured on 11,000 members, SQLite: about 3 ms and 1-2 ms down to 1 ms each).
DROP INDEX assessments_federation_catalog;
CREATE INDEX assessments_federation_catalog ON assessments (federation_id, catalog_id, answered);
CREATE INDEX assessment_topics_cells ON assessment_topics (assessment_id, topic_index, score_bp, compared_bp);
