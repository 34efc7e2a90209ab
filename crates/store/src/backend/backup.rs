/// Tables in the order a restore must insert them (parents first). Sessions are not kept:
/// a restored system starts with everyone logged out.
const BACKUP_TABLES: &[&str] = &[
    "federations",
    "organisations",
    "memberships",
    "users",
    "external_identities",
    "role_assignments",
    "role_invitations",
    "recovery_codes",
    "api_tokens",
    "budget_lines",
    "subsidies",
    "cost_keys",
    "cost_statements",
    "statement_members",
    "catalogs",
    "catalog_nodes",
    "federation_settings",
    "assessments",
    "assessment_topics",
    "assessment_answers",
    "assessment_snapshots",
    "evidence",
    "key_figure_proposals",
    "audit_log",
    "audit_head",
];

/// Tables whose rows are derived from other tables: backed up for readers of the file, but
/// written again after a restore rather than read back.
const DERIVED_TABLES: &[&str] = &["statement_members"];

/// Tables added after the first backup format: a backup of an older schema lacks them, and
/// they start empty.
const ADDED_TABLES: &[&str] = &["role_invitations", "key_figure_proposals"];

fn cell_to_json(row: &<DB as sqlx::Database>::Row, i: usize) -> Result<serde_json::Value> {
    use sqlx::ValueRef;
    if row.try_get_raw(i)?.is_null() {
        return Ok(serde_json::Value::Null);
    }
    // Columns are BIGINT or TEXT on both backends; try the integer first.
    if let Ok(n) = row.try_get::<i64, _>(i) {
        return Ok(n.into());
    }
    Ok(row.try_get::<String, _>(i)?.into())
}

pub(crate) async fn backup(pool: &Pool<DB>) -> Result<serde_json::Value> {
    use sqlx::Column;
    let mut tx = begin_snapshot(pool).await?;
    let mut tables = serde_json::Map::new();
    for table in BACKUP_TABLES {
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT * FROM {table} ORDER BY id")))
            .fetch_all(&mut *tx)
            .await?;
        let columns: Vec<String> = rows
            .first()
            .map(|r| r.columns().iter().map(|c| c.name().to_owned()).collect())
            .unwrap_or_default();
        let mut data = Vec::with_capacity(rows.len());
        for r in &rows {
            let cells = (0..columns.len())
                .map(|i| cell_to_json(r, i))
                .collect::<Result<Vec<_>>>()?;
            data.push(serde_json::Value::Array(cells));
        }
        tables.insert(
            (*table).to_owned(),
            serde_json::json!({ "columns": columns, "rows": data }),
        );
    }
    let migration: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(serde_json::json!({
        "format": "verbund-backup",
        "format_version": 1,
        "schema_version": migration,
        "created_at_ms": now_ms(),
        "tables": tables,
    }))
}

fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::Backup(msg.into())
}

fn valid_ident(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub(crate) async fn restore(
    pool: &Pool<DB>,
    snapshot: &serde_json::Value,
) -> Result<RestoreSummary> {
    if snapshot.get("format").and_then(|v| v.as_str()) != Some("verbund-backup") {
        return Err(bad("not a Verbund backup (field \"format\")"));
    }
    let ours: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(pool)
        .await?;
    let theirs = snapshot.get("schema_version").and_then(|v| v.as_i64());
    if theirs > ours {
        return Err(bad(format!(
            "backup has schema {theirs:?}, this program only knows {ours:?}: update the program first"
        )));
    }
    let tables = snapshot
        .get("tables")
        .and_then(|v| v.as_object())
        .ok_or_else(|| bad("field \"tables\" missing"))?;
    let mut tx = begin_write(pool).await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *tx)
        .await?;
    let orgs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
        .fetch_one(&mut *tx)
        .await?;
    if existing + orgs > 0 {
        return Err(bad(
            "the target database is not empty: restore only into a new database",
        ));
    }
    sqlx::query("DELETE FROM audit_head")
        .execute(&mut *tx)
        .await?;
    let mut summary = RestoreSummary::default();
    for table in BACKUP_TABLES {
        // Derived rows are written again below from the restored statements, in this
        // program's format (a backup's copy may come from an older one).
        if DERIVED_TABLES.contains(table) {
            continue;
        }
        let Some(t) = tables.get(*table) else {
            if ADDED_TABLES.contains(table) {
                continue;
            }
            return Err(bad(format!("table {table} missing")));
        };
        let columns: Vec<&str> = t
            .get("columns")
            .and_then(|c| c.as_array())
            .map(|a| a.iter().filter_map(|c| c.as_str()).collect())
            .unwrap_or_default();
        if let Some(c) = columns.iter().find(|c| !valid_ident(c)) {
            return Err(bad(format!("table {table}: invalid column name {c:?}")));
        }
        let rows = t
            .get("rows")
            .and_then(|r| r.as_array())
            .ok_or_else(|| bad(format!("table {table}: rows missing")))?;
        for (n, row) in rows.iter().enumerate() {
            let cells = row
                .as_array()
                .filter(|c| c.len() == columns.len())
                .ok_or_else(|| {
                    bad(format!(
                        "table {table}, row {}: wrong number of values",
                        n + 1
                    ))
                })?;
            // NULL is written literally: PostgreSQL rejects a NULL parameter typed as text for a BIGINT column.
            let mut params = 0;
            let values: Vec<String> = cells
                .iter()
                .map(|c| {
                    if c.is_null() {
                        "NULL".to_owned()
                    } else {
                        params += 1;
                        format!("${params}")
                    }
                })
                .collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                columns.join(", "),
                values.join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql)).persistent(false);
            for c in cells {
                q =
                    match c {
                        serde_json::Value::Null => q,
                        serde_json::Value::Number(n) => q.bind(n.as_i64().ok_or_else(|| {
                            bad(format!("table {table}, row {}: not an integer", n))
                        })?),
                        serde_json::Value::String(s) => q.bind(s.clone()),
                        _ => {
                            return Err(bad(format!(
                                "table {table}, row {}: unsupported value",
                                n + 1
                            )));
                        }
                    };
            }
            q.execute(&mut *tx).await?;
        }
        if *table != "audit_head" {
            reset_id_sequence(&mut tx, table).await?;
        }
        summary.tables.push(((*table).to_owned(), rows.len()));
    }
    rebuild_score_sums(&mut tx).await?;
    complete_members_in(&mut tx).await?;
    tx.commit().await?;
    Ok(summary)
}
