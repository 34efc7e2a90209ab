/// One change to record: what, where, before and after.
pub(crate) struct Change<'a> {
    pub org_id: Option<OrgId>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// Appends an entry to the hash chain inside the caller's transaction, so the change and its
/// record commit or roll back together. The head row's lock serializes concurrent writers.
pub(crate) async fn append_audit(tx: &mut Tx, by: &AuditActor, c: Change<'_>) -> Result<()> {
    let (seq, prev_hash): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut **tx)
            .await?;
    let record = AuditRecord {
        seq,
        at_ms: now_ms(),
        actor_user_id: by.user_id.map(|u| u.0),
        actor_label: by.label.clone(),
        org_id: c.org_id.map(|o| o.0),
        action: c.action.to_owned(),
        object_type: c.object_type.to_owned(),
        object_id: c.object_id,
        before: c.before.to_string(),
        after: c.after.to_string(),
    };
    let hash = record.hash(&prev_hash);
    sqlx::query(
        "INSERT INTO audit_log (seq, at_ms, actor_user_id, actor_label, org_id, action, object_type, object_id, before_json, after_json, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(record.seq)
    .bind(record.at_ms)
    .bind(record.actor_user_id)
    .bind(&record.actor_label)
    .bind(record.org_id)
    .bind(&record.action)
    .bind(&record.object_type)
    .bind(&record.object_id)
    .bind(&record.before)
    .bind(&record.after)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const AUDIT_COLUMNS: &str = "id, seq, at_ms, actor_user_id, actor_label, org_id, action, object_type, object_id, before_json, after_json, prev_hash, hash";

fn audit_from_row(r: &<DB as sqlx::Database>::Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: AuditEntryId(r.try_get("id")?),
        entry: ChainedRecord {
            record: AuditRecord {
                seq: r.try_get("seq")?,
                at_ms: r.try_get("at_ms")?,
                actor_user_id: r.try_get("actor_user_id")?,
                actor_label: r.try_get("actor_label")?,
                org_id: r.try_get("org_id")?,
                action: r.try_get("action")?,
                object_type: r.try_get("object_type")?,
                object_id: r.try_get("object_id")?,
                before: r.try_get("before_json")?,
                after: r.try_get("after_json")?,
            },
            prev_hash: r.try_get("prev_hash")?,
            hash: r.try_get("hash")?,
        },
    })
}

pub(crate) async fn list_audit(
    pool: &Pool<DB>,
    scope: &Scope,
    org: Option<OrgId>,
    page: PageRequest,
) -> Result<Page<AuditEntry>> {
    let filter = match org {
        Some(o) if !scope.contains(o) => return Err(StoreError::NotFound),
        Some(o) => format!("org_id = {}", o.0),
        None => scope_sql(scope, "org_id"),
    };
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM audit_log WHERE {filter}"
    )))
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE {filter} ORDER BY seq DESC LIMIT $1 OFFSET $2"
    )))
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(pool)
    .await?;
    let items = rows
        .iter()
        .map(audit_from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

pub(crate) async fn recent_audit(
    pool: &Pool<DB>,
    scope: &Scope,
    n: i64,
) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE {} ORDER BY seq DESC LIMIT $1",
        scope_sql(scope, "org_id")
    )))
    .bind(n)
    .fetch_all(pool)
    .await?;
    rows.iter().map(audit_from_row).collect()
}

pub(crate) async fn verify_audit(pool: &Pool<DB>) -> Result<ChainReport> {
    let mut tx = begin_snapshot(pool).await?;
    let (head_seq, head_hash): (i64, String) =
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
    let mut verifier = ChainVerifier::default();
    let mut problems = Vec::new();
    let mut after = i64::MIN;
    // Batches keep memory flat however long the log grows.
    loop {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 1000"
        )))
        .bind(after)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let e = audit_from_row(r)?;
            after = e.entry.record.seq;
            verifier.push_all(&e.entry, &mut problems);
        }
    }
    tx.commit().await?;
    Ok(verifier.finish_all(head_seq, &head_hash, problems))
}

/// The head of the chain: the newest sequence number and its hash.
pub(crate) async fn audit_head(pool: &Pool<DB>) -> Result<(i64, String)> {
    Ok(
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(pool)
            .await?,
    )
}

/// The stored hash of entry `seq`, if it exists.
pub(crate) async fn audit_hash_at(pool: &Pool<DB>, seq: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(seq)
            .fetch_optional(pool)
            .await?,
    )
}
