-- Measures created from an answer remember it: the bulk creation inserts every measure with
-- one INSERT … SELECT and links them all with a second statement joining on this column.
-- Also what "created from a nein/teilweise row" points back to.
ALTER TABLE measures ADD COLUMN origin_answer_id BIGINT REFERENCES assessment_answers(id) ON DELETE SET NULL;
CREATE INDEX measures_origin_answer ON measures (origin_answer_id);
