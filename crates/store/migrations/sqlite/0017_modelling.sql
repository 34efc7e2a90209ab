-- Modelling (BSI 200-2): modules (Bausteine, a catalog's top-level nodes) assigned to target
-- objects, and the federation's rules that suggest modules by object type. SQLite and
-- PostgreSQL differ only in the ID columns; keep both files in step.

-- One row per object and module node. The catalog is kept beside the node so a module list
-- per catalog needs no join through the nodes.
CREATE TABLE structure_modules (
    id INTEGER PRIMARY KEY,
    object_id BIGINT NOT NULL REFERENCES structure_objects(id) ON DELETE CASCADE,
    catalog_id BIGINT NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
    node_id BIGINT NOT NULL REFERENCES catalog_nodes(id) ON DELETE CASCADE,
    assigned_at_ms BIGINT NOT NULL,
    assigned_by TEXT NOT NULL,
    UNIQUE (object_id, node_id)
);
CREATE INDEX structure_modules_node ON structure_modules (node_id, object_id);

-- Per federation: the suggestion rules (JSON of verbund_domain::structure::modelling::ModuleRules);
-- no row means the built-in default rules.
CREATE TABLE structure_module_rules (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL UNIQUE REFERENCES federations(id) ON DELETE CASCADE,
    rules_json TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
