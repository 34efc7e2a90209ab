-- Key figures (population, staff, IT workplaces) belong to the office: members propose a
-- change, the office accepts or rejects it (SQLite/PostgreSQL alike apart from the ID column;
-- keep both files in step). Each organisation records when its figures last changed, so an
-- issued statement can say how current the values it used were.
ALTER TABLE organisations ADD COLUMN figures_changed_at_ms BIGINT;

CREATE TABLE key_figure_proposals (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    -- The figures when proposed and the proposed ones (NULL = unknown).
    previous_population BIGINT,
    previous_staff BIGINT,
    previous_it_workplaces BIGINT,
    population BIGINT,
    staff BIGINT,
    it_workplaces BIGINT,
    reason TEXT,
    -- open, accepted, rejected
    status TEXT NOT NULL,
    proposed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    proposed_by_name TEXT NOT NULL,
    proposed_at_ms BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    decided_by_name TEXT,
    decided_at_ms BIGINT,
    decision_note TEXT
);
CREATE INDEX key_figure_proposals_org ON key_figure_proposals (org_id, id);
CREATE INDEX key_figure_proposals_status ON key_figure_proposals (status, id);
-- At most one open proposal per organisation, also under concurrent proposals.
CREATE UNIQUE INDEX key_figure_proposals_one_open ON key_figure_proposals (org_id) WHERE status = 'open';
