-- Measures (Realisierungsplan) and their links: the table that the measures, risk and reminder
-- features share. Every table has an `id` (the backup pages through tables by it). SQLite and PostgreSQL differ only in the ID columns; keep both files in step.
-- Status and priority codes: verbund_domain::measure::{MeasureStatus, Priority}.

-- A measure the office offers to every member; pushing it creates one measure per member
-- (measures.template_id), so the office follows each member's progress in one table.
CREATE TABLE measure_templates (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT,
    priority TEXT NOT NULL DEFAULT 'mittel',
    -- deadline given to the members' measures ('YYYY-MM-DD'), if any
    due_on TEXT,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);

CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    template_id BIGINT REFERENCES measure_templates(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT,
    -- the person responsible; reminders and the iCal feed go to this user
    owner_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- deadline as a calendar date in the federation's time zone ('YYYY-MM-DD')
    due_on TEXT,
    priority TEXT NOT NULL DEFAULT 'mittel',
    status TEXT NOT NULL DEFAULT 'offen',
    cost_cents BIGINT,
    effort_days DOUBLE PRECISION,
    revision BIGINT NOT NULL DEFAULT 1,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    -- set when the status becomes umgesetzt/geprueft
    done_at_ms BIGINT
);
CREATE INDEX measures_org ON measures (org_id, status, due_on);
CREATE INDEX measures_owner_due ON measures (owner_user_id, due_on);
CREATE INDEX measures_due ON measures (due_on, status);
CREATE INDEX measures_template ON measures (template_id, org_id);

-- What a measure works on: a requirement of an assessment (an unmet answer), a target object,
-- or a risk (the risk feature adds its own link table referencing measures). One row per link.
CREATE TABLE measure_requirements (
    id INTEGER PRIMARY KEY,
    measure_id BIGINT NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    assessment_id BIGINT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    node_id BIGINT NOT NULL REFERENCES catalog_nodes(id) ON DELETE CASCADE,
    UNIQUE (measure_id, assessment_id, node_id)
);
CREATE INDEX measure_requirements_answer ON measure_requirements (assessment_id, node_id);

CREATE TABLE measure_objects (
    id INTEGER PRIMARY KEY,
    measure_id BIGINT NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    object_id BIGINT NOT NULL REFERENCES structure_objects(id) ON DELETE CASCADE,
    UNIQUE (measure_id, object_id)
);
CREATE INDEX measure_objects_object ON measure_objects (object_id);

-- Progress notes: appended, never edited.
CREATE TABLE measure_notes (
    id INTEGER PRIMARY KEY,
    measure_id BIGINT NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
    author_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX measure_notes_measure ON measure_notes (measure_id, created_at_ms);
