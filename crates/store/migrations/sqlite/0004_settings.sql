-- Federation settings (letterhead, named comparison) as one JSON document per federation.
-- Keep in step with ../postgres/0004_settings.sql.

CREATE TABLE federation_settings (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL UNIQUE REFERENCES federations(id),
    settings_json TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL
);
