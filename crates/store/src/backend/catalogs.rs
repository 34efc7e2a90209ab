const CATALOG_COLUMNS: &str = "id, urn, revision, ref_id, name, description, version, locale, provider, copyright, source, node_count, assessable_count, meta_json, imported_at_ms, imported_by";

fn catalog_from_row(r: &<DB as sqlx::Database>::Row) -> Result<CatalogSummary> {
    Ok(CatalogSummary {
        id: CatalogId(r.try_get("id")?),
        urn: r.try_get("urn")?,
        revision: r.try_get("revision")?,
        ref_id: r.try_get("ref_id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        version: r.try_get("version")?,
        locale: r.try_get("locale")?,
        provider: r.try_get("provider")?,
        copyright: r.try_get("copyright")?,
        source: r.try_get("source")?,
        node_count: r.try_get("node_count")?,
        assessable_count: r.try_get("assessable_count")?,
        meta: from_json(&r.try_get::<String, _>("meta_json")?, "catalog metadata")?,
        imported_at_ms: r.try_get("imported_at_ms")?,
        imported_by: r.try_get("imported_by")?,
    })
}

/// Rows per multi-row INSERT: 12 parameters each stays far below both backends' limits.
const NODE_BATCH: usize = 500;

pub(crate) async fn import_catalog(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    c: &Catalog,
    content_hash: &str,
) -> Result<(CatalogSummary, bool)> {
    let mut tx = begin_write(pool).await?;
    let existing = sqlx::query(AssertSqlSafe(format!(
        "SELECT {CATALOG_COLUMNS} FROM catalogs WHERE federation_id = $1 AND content_hash = $2"
    )))
    .bind(federation.0)
    .bind(content_hash)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(row) = existing {
        return Ok((catalog_from_row(&row)?, false));
    }
    let revision: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(revision), 0) + 1 FROM catalogs WHERE federation_id = $1 AND urn = $2",
    )
    .bind(federation.0)
    .bind(&c.urn)
    .fetch_one(&mut *tx)
    .await?;
    let meta = serde_json::json!({ "implementation_groups": c.implementation_groups, "translations": c.translations });
    let source = json_text(&c.source)?.trim_matches('"').to_owned();
    let row = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO catalogs (federation_id, urn, revision, ref_id, name, description, version, locale, provider, copyright, source, content_hash, node_count, assessable_count, meta_json, imported_at_ms, imported_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING {CATALOG_COLUMNS}"
    )))
    .bind(federation.0)
    .bind(&c.urn)
    .bind(revision)
    .bind(&c.ref_id)
    .bind(&c.name)
    .bind(&c.description)
    .bind(&c.version)
    .bind(&c.locale)
    .bind(&c.provider)
    .bind(&c.copyright)
    .bind(&source)
    .bind(content_hash)
    .bind(i64::try_from(c.nodes.len()).unwrap_or(i64::MAX))
    .bind(i64::try_from(c.assessable_count()).unwrap_or(i64::MAX))
    .bind(meta.to_string())
    .bind(now_ms())
    .bind(&by.label)
    .fetch_one(&mut *tx)
    .await?;
    let summary = catalog_from_row(&row)?;
    let mut encoded = Vec::with_capacity(c.nodes.len());
    for n in &c.nodes {
        encoded.push((
            json_text(&n.implementation_groups)?,
            json_text(&n.translations)?,
        ));
    }
    for (chunk_no, chunk) in c.nodes.chunks(NODE_BATCH).enumerate() {
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO catalog_nodes (catalog_id, position, urn, parent_urn, ref_id, name, description, guidance, assessable, depth, groups_json, translations_json) ",
        );
        qb.push_values(chunk.iter().enumerate(), |mut b, (i, n)| {
            let position = chunk_no * NODE_BATCH + i;
            let (groups, translations) = &encoded[position];
            b.push_bind(summary.id.0)
                .push_bind(i64::try_from(position).unwrap_or(i64::MAX))
                .push_bind(&n.urn)
                .push_bind(&n.parent_urn)
                .push_bind(&n.ref_id)
                .push_bind(&n.name)
                .push_bind(&n.description)
                .push_bind(&n.guidance)
                .push_bind(i64::from(n.assessable))
                .push_bind(i64::from(n.depth))
                .push_bind(groups)
                .push_bind(translations);
        });
        qb.build().execute(&mut *tx).await?;
    }
    append_audit(&mut tx, by, Change {
        org_id: None,
        action: "catalog.import",
        object_type: "catalog",
        object_id: summary.id.to_string(),
        before: serde_json::Value::Null,
        after: serde_json::json!({"urn": c.urn, "revision": revision, "name": c.name, "version": c.version, "nodes": c.nodes.len()}),
    })
    .await?;
    tx.commit().await?;
    Ok((summary, true))
}

pub(crate) async fn catalogs(
    pool: &Pool<DB>,
    federation: FederationId,
) -> Result<Vec<CatalogSummary>> {
    let rows = sqlx::query(AssertSqlSafe(format!("SELECT {CATALOG_COLUMNS} FROM catalogs WHERE federation_id = $1 ORDER BY name, revision DESC")))
        .bind(federation.0)
        .fetch_all(pool)
        .await?;
    rows.iter().map(catalog_from_row).collect()
}

pub(crate) async fn catalog(
    pool: &Pool<DB>,
    federation: FederationId,
    id: i64,
) -> Result<CatalogSummary> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {CATALOG_COLUMNS} FROM catalogs WHERE id = $1 AND federation_id = $2"
    )))
    .bind(id)
    .bind(federation.0)
    .fetch_optional(pool)
    .await?;
    catalog_from_row(&row.ok_or(StoreError::NotFound)?)
}

pub(crate) async fn catalog_nodes(
    pool: &Pool<DB>,
    federation: FederationId,
    id: i64,
) -> Result<Vec<CatalogNode>> {
    catalog(pool, federation, id).await?;
    let rows = sqlx::query(
        "SELECT urn, parent_urn, ref_id, name, description, guidance, assessable, depth, position, groups_json, translations_json \
         FROM catalog_nodes WHERE catalog_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let mut n = CatalogNode::new(r.try_get::<String, _>("urn")?);
            n.parent_urn = r.try_get("parent_urn")?;
            n.ref_id = r.try_get("ref_id")?;
            n.name = r.try_get("name")?;
            n.description = r.try_get("description")?;
            n.guidance = r.try_get("guidance")?;
            n.assessable = r.try_get::<i64, _>("assessable")? != 0;
            n.depth = u32::try_from(r.try_get::<i64, _>("depth")?).unwrap_or(0);
            n.order = u32::try_from(r.try_get::<i64, _>("position")?).unwrap_or(0);
            n.implementation_groups =
                from_json(&r.try_get::<String, _>("groups_json")?, "node groups")?;
            n.translations = from_json(
                &r.try_get::<String, _>("translations_json")?,
                "node translations",
            )?;
            Ok(n)
        })
        .collect()
}
