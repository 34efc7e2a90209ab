-- A counter bumped by every write that changes what an assessment's answer list shows
-- (answers, evidence). Readers cache the serialised list per revision; several instances
-- on one database stay correct because the counter lives here, not in a process.
ALTER TABLE assessments ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
