-- IT-Grundschutz-Check (BSI 200-2). SQLite and PostgreSQL differ only in the ID columns; keep
-- both files in step.
--
-- Design. One row per target object and requirement of a module assigned to it (a requirement
-- is a direct child of the module's node, e.g. SYS.1.1.A1; its sentence nodes A1.1, A1.2, …
-- are its text, read from the catalog when shown). The rows are written when a module is
-- assigned, in the same transaction, and keyed by (object, requirement), so a requirement
-- reached through two modules is one row.
--
-- The check reuses the assessment engine's *semantics* — the same answer (status ja /
-- teilweise / nein / entbehrlich with mandatory justification, owner, date, note as
-- `comment`), the same validation, the same scoring (verbund_domain::assessment::Tally) — but
-- not `assessment_answers`: those rows are one per member and node (UNIQUE (assessment_id,
-- node_id)), carry topic tallies, score sums, snapshots, evidence and the heatmap that all
-- assume one row per requirement and member, and hold 3.3 M rows at scale. Rebuilding that
-- table to add an object key would change what the measures and risks work (running in
-- parallel) relies on; a table of its own keeps `assessments`, `catalog_nodes` and the
-- answers of member-wide assessments unchanged.
--
-- Unassigning a module keeps the rows with their answers and marks them inactive
-- (active = 0); assigning it again brings them back. Deleting an object deletes its rows.
--
-- Level (basis / standard / high) is stored per row, from the implementation groups of the
-- requirement and its sentences (verbund_domain::structure::check::Level::of_groups; the
-- backfill below mirrors it). Whether a high-level row applies is NOT stored: it is read from
-- the object's effective needs (structure_needs.effective) when the check is read, so rows
-- appear and drop out exactly when the need changes — in the transaction that recomputes the
-- need — and their answers stay.
--
-- fulfilled_by names another object (a higher-level object of the member, or a provider
-- object the member relies on) whose row for the same requirement the row counts with.
CREATE TABLE check_rows (
    id INTEGER PRIMARY KEY,
    object_id BIGINT NOT NULL REFERENCES structure_objects(id) ON DELETE CASCADE,
    catalog_id BIGINT NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
    module_node_id BIGINT NOT NULL REFERENCES catalog_nodes(id) ON DELETE CASCADE,
    node_id BIGINT NOT NULL REFERENCES catalog_nodes(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    level TEXT NOT NULL,
    active BIGINT NOT NULL,
    status TEXT NOT NULL,
    justification TEXT,
    owner TEXT,
    due_on TEXT,
    comment TEXT,
    fulfilled_by BIGINT REFERENCES structure_objects(id) ON DELETE SET NULL,
    updated_at_ms BIGINT,
    updated_by TEXT,
    version BIGINT NOT NULL,
    UNIQUE (object_id, node_id)
);
CREATE INDEX check_rows_object ON check_rows (object_id, active, position);
CREATE INDEX check_rows_fulfilled_by ON check_rows (fulfilled_by);
-- Requirements of a module and sentences of a requirement are read by parent.
CREATE INDEX catalog_nodes_check_parent ON catalog_nodes (catalog_id, parent_urn);

-- Rows for the modules assigned before this migration.
INSERT INTO check_rows (object_id, catalog_id, module_node_id, node_id, position, level, active, status, version)
SELECT m.object_id, m.catalog_id, m.node_id, r.id, r.position,
    CASE
        WHEN r.groups_json LIKE '%"B"%' OR EXISTS (SELECT 1 FROM catalog_nodes s WHERE s.catalog_id = r.catalog_id AND s.parent_urn = r.urn AND s.groups_json LIKE '%"B"%') THEN 'basis'
        WHEN r.groups_json LIKE '%"S"%' OR EXISTS (SELECT 1 FROM catalog_nodes s WHERE s.catalog_id = r.catalog_id AND s.parent_urn = r.urn AND s.groups_json LIKE '%"S"%') THEN 'standard'
        WHEN r.groups_json LIKE '%"H"%' OR r.groups_json LIKE '%"E"%' OR EXISTS (SELECT 1 FROM catalog_nodes s WHERE s.catalog_id = r.catalog_id AND s.parent_urn = r.urn AND (s.groups_json LIKE '%"H"%' OR s.groups_json LIKE '%"E"%')) THEN 'high'
        ELSE 'standard'
    END,
    1, 'unanswered', 0
FROM structure_modules m
JOIN catalog_nodes mn ON mn.id = m.node_id
JOIN catalog_nodes r ON r.catalog_id = mn.catalog_id AND r.parent_urn = mn.urn;
