// Logos: the federation's (no organisation) and each member's coat of arms.

/// `org_id = $2` for a member's logo, `org_id IS NULL` for the federation's; the scope (for a
/// member's) is applied to the organisation column.
fn logo_owner_sql(org: Option<OrgId>, scope: &Scope) -> String {
    match org {
        Some(_) => format!("l.org_id = $2 AND {}", scope_sql(scope, "l.org_id")),
        None => "l.org_id IS NULL".to_owned(),
    }
}

fn logo_meta_row(r: &<DB as sqlx::Database>::Row) -> Result<LogoMeta> {
    let content_type: String = r.try_get("content_type")?;
    Ok(LogoMeta {
        format: verbund_domain::logo::LogoFormat::from_content_type(&content_type).ok_or_else(
            || {
                StoreError::Db(sqlx::Error::Decode(
                    format!("stored logo type {content_type} is unknown").into(),
                ))
            },
        )?,
        width: u32::try_from(r.try_get::<i64, _>("width")?).unwrap_or(0),
        height: u32::try_from(r.try_get::<i64, _>("height")?).unwrap_or(0),
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        updated_at_ms: r.try_get("updated_at_ms")?,
    })
}

pub(crate) async fn logo(
    pool: &Pool<DB>,
    scope: &Scope,
    federation: FederationId,
    org: Option<OrgId>,
) -> Result<Option<(LogoMeta, Vec<u8>)>> {
    use base64::Engine;
    let sql = format!(
        "SELECT l.content_type, l.width, l.height, l.size_bytes, l.sha256, l.updated_at_ms, l.content_b64 \
         FROM logos l WHERE l.federation_id = $1 AND {}",
        logo_owner_sql(org, scope)
    );
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(federation.0);
    if let Some(o) = org {
        q = q.bind(o.0);
    }
    let Some(row) = q.fetch_optional(pool).await? else {
        return Ok(None);
    };
    let meta = logo_meta_row(&row)?;
    let b64: String = row.try_get("content_b64")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| StoreError::Db(sqlx::Error::Decode(format!("stored logo: {e}").into())))?;
    Ok(Some((meta, bytes)))
}

pub(crate) async fn logo_meta(
    pool: &Pool<DB>,
    scope: &Scope,
    federation: FederationId,
    org: Option<OrgId>,
) -> Result<Option<LogoMeta>> {
    let sql = format!(
        "SELECT l.content_type, l.width, l.height, l.size_bytes, l.sha256, l.updated_at_ms \
         FROM logos l WHERE l.federation_id = $1 AND {}",
        logo_owner_sql(org, scope)
    );
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(federation.0);
    if let Some(o) = org {
        q = q.bind(o.0);
    }
    q.fetch_optional(pool)
        .await?
        .map(|r| logo_meta_row(&r))
        .transpose()
}

/// The member must be in the federation and in `scope`: otherwise `NotFound`.
async fn check_logo_owner(
    tx: &mut Tx,
    scope: &Scope,
    federation: FederationId,
    org: Option<OrgId>,
) -> Result<()> {
    let Some(o) = org else { return Ok(()) };
    let sql = format!(
        "SELECT id FROM organisations WHERE id = $1 AND federation_id = $2 AND {}",
        scope_sql(scope, "id")
    );
    let found: Option<i64> = sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(o.0)
        .bind(federation.0)
        .fetch_optional(&mut **tx)
        .await?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

fn logo_audit_value(m: &LogoMeta) -> serde_json::Value {
    serde_json::json!({
        "content_type": m.format.content_type(),
        "width": m.width,
        "height": m.height,
        "size_bytes": m.size_bytes,
        "sha256": m.sha256,
    })
}

async fn logo_meta_tx(
    tx: &mut Tx,
    federation: FederationId,
    org: Option<OrgId>,
) -> Result<Option<LogoMeta>> {
    let sql = format!(
        "SELECT l.content_type, l.width, l.height, l.size_bytes, l.sha256, l.updated_at_ms \
         FROM logos l WHERE l.federation_id = $1 AND {}",
        logo_owner_sql(
            org,
            &Scope::system(&SystemAccess::for_reason("checked by the caller"))
        )
    );
    let mut q = sqlx::query(AssertSqlSafe(sql)).bind(federation.0);
    if let Some(o) = org {
        q = q.bind(o.0);
    }
    q.fetch_optional(&mut **tx)
        .await?
        .map(|r| logo_meta_row(&r))
        .transpose()
}

fn logo_object_id(federation: FederationId, org: Option<OrgId>) -> String {
    match org {
        Some(o) => o.0.to_string(),
        None => format!("federation-{}", federation.0),
    }
}

pub(crate) async fn save_logo(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    federation: FederationId,
    org: Option<OrgId>,
    logo: &verbund_domain::logo::Logo,
    sha256: &str,
) -> Result<LogoMeta> {
    use base64::Engine;
    let mut tx = begin_write(pool).await?;
    check_logo_owner(&mut tx, scope, federation, org).await?;
    let before = logo_meta_tx(&mut tx, federation, org).await?;
    let delete = match org {
        Some(_) => "DELETE FROM logos WHERE federation_id = $1 AND org_id = $2",
        None => "DELETE FROM logos WHERE federation_id = $1 AND org_id IS NULL",
    };
    let mut q = sqlx::query(delete).bind(federation.0);
    if let Some(o) = org {
        q = q.bind(o.0);
    }
    q.execute(&mut *tx).await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO logos (federation_id, org_id, content_type, width, height, size_bytes, sha256, content_b64, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(federation.0)
    .bind(org.map(|o| o.0))
    .bind(logo.info.format.content_type())
    .bind(i64::from(logo.info.width))
    .bind(i64::from(logo.info.height))
    .bind(logo.bytes.len() as i64)
    .bind(sha256)
    .bind(base64::engine::general_purpose::STANDARD.encode(&logo.bytes))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let after = LogoMeta {
        format: logo.info.format,
        width: logo.info.width,
        height: logo.info.height,
        size_bytes: logo.bytes.len() as i64,
        sha256: sha256.to_owned(),
        updated_at_ms: now,
    };
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: org,
            action: "logo.update",
            object_type: "logo",
            object_id: logo_object_id(federation, org),
            before: before
                .as_ref()
                .map_or(serde_json::Value::Null, logo_audit_value),
            after: logo_audit_value(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Removes the logo; `false` if there was none (nothing audited then).
pub(crate) async fn delete_logo(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    federation: FederationId,
    org: Option<OrgId>,
) -> Result<bool> {
    let mut tx = begin_write(pool).await?;
    check_logo_owner(&mut tx, scope, federation, org).await?;
    let Some(before) = logo_meta_tx(&mut tx, federation, org).await? else {
        return Ok(false);
    };
    let delete = match org {
        Some(_) => "DELETE FROM logos WHERE federation_id = $1 AND org_id = $2",
        None => "DELETE FROM logos WHERE federation_id = $1 AND org_id IS NULL",
    };
    let mut q = sqlx::query(delete).bind(federation.0);
    if let Some(o) = org {
        q = q.bind(o.0);
    }
    q.execute(&mut *tx).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: org,
            action: "logo.delete",
            object_type: "logo",
            object_id: logo_object_id(federation, org),
            before: logo_audit_value(&before),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}
