-- Subscriptions to CSAF providers (issue 15): the office registers a provider by the URL of
-- its provider-metadata.json; the job `csaf_providers` walks it and imports new or changed
-- documents. Keep in step with ../postgres/0034_csaf_providers.sql (only the ID columns differ).

CREATE TABLE csaf_providers (
    id INTEGER PRIMARY KEY,
    federation_id BIGINT NOT NULL REFERENCES federations(id) ON DELETE CASCADE,
    metadata_url TEXT NOT NULL,
    -- publisher.name from the metadata (NULL until the first run read it)
    publisher TEXT,
    created_at_ms BIGINT NOT NULL,
    last_run_at_ms BIGINT,
    UNIQUE (federation_id, metadata_url)
);

-- Per document URL what the last successful fetch saw: the listing's timestamp, ETag,
-- Last-Modified and the verified digest; a document whose listing timestamp is unchanged
-- is not fetched again, one whose server answers 304 is not imported again.
CREATE TABLE csaf_provider_documents (
    id INTEGER PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES csaf_providers(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    listed_changed TEXT,
    etag TEXT,
    last_modified TEXT,
    digest TEXT,
    tracking_id TEXT,
    version TEXT,
    updated_at_ms BIGINT NOT NULL,
    UNIQUE (provider_id, url)
);

-- Every run's result: counts and the failures (JSON array of {url, error}).
CREATE TABLE csaf_provider_runs (
    id INTEGER PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES csaf_providers(id) ON DELETE CASCADE,
    started_at_ms BIGINT NOT NULL,
    finished_at_ms BIGINT NOT NULL,
    listed BIGINT NOT NULL,
    fetched BIGINT NOT NULL,
    imported BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    -- a failure of the run as a whole (metadata or listing unreadable), else NULL
    error TEXT,
    failures_json TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX csaf_provider_runs_recent ON csaf_provider_runs (provider_id, started_at_ms);
