-- Logos: the federation's (org_id NULL; header and documents) and a member's coat of arms
-- (on the documents addressed to it). PNG or JPEG as checked on upload, stored as base64
-- text like evidence files so backups carry them. One logo per owner: a new upload replaces
-- the old one. Keep in step with ../postgres/0019_logos.sql (only the ID column differs).
CREATE TABLE logos (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id),
    org_id BIGINT REFERENCES organisations(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content_b64 TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
-- NULL org_id would not collide in a plain unique index.
CREATE UNIQUE INDEX logos_owner ON logos (federation_id, COALESCE(org_id, 0));
