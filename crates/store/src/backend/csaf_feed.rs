// Subscriptions to CSAF providers. See `crate::csaf_feed` for the rules.

type ProviderTuple = (i64, String, Option<String>, i64, Option<i64>);

fn provider_from(t: ProviderTuple) -> crate::CsafProvider {
    crate::CsafProvider {
        id: verbund_domain::CsafProviderId(t.0),
        metadata_url: t.1,
        publisher: t.2,
        created_at_ms: t.3,
        last_run_at_ms: t.4,
    }
}

const PROVIDER_SELECT: &str =
    "SELECT id, metadata_url, publisher, created_at_ms, last_run_at_ms FROM csaf_providers";

pub(crate) async fn create_csaf_provider(
    pool: &Pool<DB>,
    by: &AuditActor,
    office: &Scope,
    federation: FederationId,
    metadata_url: &str,
) -> Result<(crate::CsafProvider, bool)> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_write(pool).await?;
    let existing: Option<ProviderTuple> = sqlx::query_as(AssertSqlSafe(format!(
        "{PROVIDER_SELECT} WHERE federation_id = $1 AND metadata_url = $2"
    )))
    .bind(federation.0)
    .bind(metadata_url)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(t) = existing {
        tx.commit().await?;
        return Ok((provider_from(t), false));
    }
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO csaf_providers (federation_id, metadata_url, created_at_ms) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(federation.0)
    .bind(metadata_url)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "csaf_provider.create",
            object_type: "csaf_provider",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({ "metadata_url": metadata_url }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((
        crate::CsafProvider {
            id: verbund_domain::CsafProviderId(id),
            metadata_url: metadata_url.to_owned(),
            publisher: None,
            created_at_ms: now,
            last_run_at_ms: None,
        },
        true,
    ))
}

pub(crate) async fn delete_csaf_provider(
    pool: &Pool<DB>,
    by: &AuditActor,
    office: &Scope,
    id: verbund_domain::CsafProviderId,
) -> Result<()> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_write(pool).await?;
    let url: Option<String> =
        sqlx::query_scalar("DELETE FROM csaf_providers WHERE id = $1 RETURNING metadata_url")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(url) = url else {
        return Err(StoreError::NotFound);
    };
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "csaf_provider.delete",
            object_type: "csaf_provider",
            object_id: id.0.to_string(),
            before: serde_json::json!({ "metadata_url": url }),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn list_csaf_providers_federation_wide(
    pool: &Pool<DB>,
    office: &Scope,
) -> Result<Vec<crate::CsafProvider>> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let rows: Vec<ProviderTuple> =
        sqlx::query_as(AssertSqlSafe(format!("{PROVIDER_SELECT} ORDER BY id")))
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(provider_from).collect())
}

pub(crate) async fn get_csaf_provider(
    pool: &Pool<DB>,
    office: &Scope,
    id: verbund_domain::CsafProviderId,
) -> Result<crate::CsafProvider> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let row: Option<ProviderTuple> =
        sqlx::query_as(AssertSqlSafe(format!("{PROVIDER_SELECT} WHERE id = $1")))
            .bind(id.0)
            .fetch_optional(pool)
            .await?;
    row.map(provider_from).ok_or(StoreError::NotFound)
}

type DocTuple = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) async fn csaf_provider_documents(
    pool: &Pool<DB>,
    office: &Scope,
    id: verbund_domain::CsafProviderId,
) -> Result<Vec<crate::ProviderDocumentState>> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let rows: Vec<DocTuple> = sqlx::query_as(
        "SELECT url, listed_changed, etag, last_modified, digest, tracking_id, version \
         FROM csaf_provider_documents WHERE provider_id = $1 ORDER BY url",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(url, listed_changed, etag, last_modified, digest, tracking_id, version)| {
                crate::ProviderDocumentState {
                    url,
                    listed_changed,
                    etag,
                    last_modified,
                    digest,
                    tracking_id,
                    version,
                }
            },
        )
        .collect())
}

pub(crate) async fn save_csaf_provider_document(
    pool: &Pool<DB>,
    office: &Scope,
    id: verbund_domain::CsafProviderId,
    d: &crate::ProviderDocumentState,
) -> Result<()> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO csaf_provider_documents (provider_id, url, listed_changed, etag, last_modified, digest, tracking_id, version, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (provider_id, url) DO UPDATE SET listed_changed = excluded.listed_changed, \
         etag = excluded.etag, last_modified = excluded.last_modified, digest = excluded.digest, \
         tracking_id = excluded.tracking_id, version = excluded.version, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(id.0)
    .bind(&d.url)
    .bind(&d.listed_changed)
    .bind(&d.etag)
    .bind(&d.last_modified)
    .bind(&d.digest)
    .bind(&d.tracking_id)
    .bind(&d.version)
    .bind(now_ms())
    .execute(pool)
    .await?;
    Ok(())
}

pub(crate) async fn save_csaf_provider_run(
    pool: &Pool<DB>,
    office: &Scope,
    r: &crate::ProviderRun,
    publisher: Option<&str>,
) -> Result<i64> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_write(pool).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO csaf_provider_runs (provider_id, started_at_ms, finished_at_ms, listed, fetched, imported, unchanged, failed, error, failures_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(r.provider_id.0)
    .bind(r.started_at_ms)
    .bind(r.finished_at_ms)
    .bind(r.listed)
    .bind(r.fetched)
    .bind(r.imported)
    .bind(r.unchanged)
    .bind(r.failed)
    .bind(&r.error)
    .bind(json_text(&r.failures)?)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE csaf_providers SET last_run_at_ms = $2, publisher = COALESCE($3, publisher) WHERE id = $1",
    )
    .bind(r.provider_id.0)
    .bind(r.finished_at_ms)
    .bind(publisher)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

type RunTuple = (
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<String>,
    String,
);

pub(crate) async fn list_csaf_provider_runs(
    pool: &Pool<DB>,
    office: &Scope,
    id: verbund_domain::CsafProviderId,
    limit: i64,
) -> Result<Vec<crate::ProviderRun>> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let rows: Vec<RunTuple> = sqlx::query_as(
        "SELECT id, provider_id, started_at_ms, finished_at_ms, listed, fetched, imported, unchanged, failed, error, failures_json \
         FROM csaf_provider_runs WHERE provider_id = $1 ORDER BY started_at_ms DESC, id DESC LIMIT $2",
    )
    .bind(id.0)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|t| {
            Ok(crate::ProviderRun {
                id: t.0,
                provider_id: verbund_domain::CsafProviderId(t.1),
                started_at_ms: t.2,
                finished_at_ms: t.3,
                listed: t.4,
                fetched: t.5,
                imported: t.6,
                unchanged: t.7,
                failed: t.8,
                error: t.9,
                failures: from_json(&t.10, "run failures")?,
            })
        })
        .collect()
}
