// Allocation keys and the cost statements issued with them.

type KeyRow = (i64, String, i64, String, String, i64, Option<i64>);
type StatementRow = (i64, i64, i64, i64, String, String);

const KEY_COLUMNS: &str =
    "id, name, version, definition_json, standalone_json, created_at_ms, locked_at_ms";

fn key_from_row(r: KeyRow) -> Result<StoredKey> {
    Ok(StoredKey {
        id: CostKeyId(r.0),
        key: AllocationKey {
            name: r.1,
            root: from_json(&r.3, "key definition")?,
        },
        version: r.2,
        standalone: from_json(&r.4, "standalone costs")?,
        created_at_ms: r.5,
        locked: r.6.is_some(),
    })
}

pub(crate) async fn cost_keys(pool: &Pool<DB>, federation: FederationId) -> Result<Vec<StoredKey>> {
    let rows: Vec<KeyRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {KEY_COLUMNS} FROM cost_keys WHERE federation_id = $1 ORDER BY name, version DESC"
    )))
    .bind(federation.0)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(key_from_row).collect()
}

async fn fetch_key<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    federation: FederationId,
    id: i64,
) -> Result<StoredKey> {
    let row: Option<KeyRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {KEY_COLUMNS} FROM cost_keys WHERE id = $1 AND federation_id = $2"
    )))
    .bind(id)
    .bind(federation.0)
    .fetch_optional(ex)
    .await?;
    key_from_row(row.ok_or(StoreError::NotFound)?)
}

pub(crate) async fn cost_key(
    pool: &Pool<DB>,
    federation: FederationId,
    id: i64,
) -> Result<StoredKey> {
    fetch_key(pool, federation, id).await
}

pub(crate) async fn save_cost_key(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    id: Option<i64>,
    key: &AllocationKey,
    standalone: &StandaloneCosts,
) -> Result<StoredKey> {
    let mut tx = begin_write(pool).await?;
    let before = match id {
        Some(id) => Some(fetch_key(&mut *tx, federation, id).await?),
        None => None,
    };
    // A key used by an issued statement stays as it was: the change becomes a new version.
    let update_in_place = before
        .as_ref()
        .is_some_and(|b| !b.locked && b.key.name == key.name);
    let new_version = match &before {
        Some(b) if update_in_place => b.version,
        _ => {
            let max: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(version) FROM cost_keys WHERE federation_id = $1 AND name = $2",
            )
            .bind(federation.0)
            .bind(&key.name)
            .fetch_one(&mut *tx)
            .await?;
            max.unwrap_or(0) + 1
        }
    };
    let definition = json_text(&key.root)?;
    let standalone_json = json_text(standalone)?;
    let row: KeyRow = if update_in_place {
        sqlx::query_as(AssertSqlSafe(format!("UPDATE cost_keys SET definition_json = $1, standalone_json = $2 WHERE id = $3 RETURNING {KEY_COLUMNS}")))
            .bind(&definition)
            .bind(&standalone_json)
            .bind(id.unwrap_or_default())
            .fetch_one(&mut *tx)
            .await?
    } else {
        sqlx::query_as(AssertSqlSafe(format!(
            "INSERT INTO cost_keys (federation_id, name, version, definition_json, standalone_json, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {KEY_COLUMNS}"
        )))
        .bind(federation.0)
        .bind(&key.name)
        .bind(new_version)
        .bind(&definition)
        .bind(&standalone_json)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?
    };
    let after = key_from_row(row)?;
    let action = if update_in_place {
        "cost_key.update"
    } else {
        "cost_key.create"
    };
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action,
            object_type: "cost_key",
            object_id: after.id.to_string(),
            before: before.as_ref().map_or(serde_json::Value::Null, to_json),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn issue_statement(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    year: i32,
    key_id: i64,
    document: &StatementDocument,
) -> Result<StoredStatement> {
    let document = serde_json::to_value(document)
        .map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))?;
    let mut tx = begin_write(pool).await?;
    fetch_key(&mut *tx, federation, key_id).await?;
    let now = now_ms();
    sqlx::query("UPDATE cost_keys SET locked_at_ms = COALESCE(locked_at_ms, $1) WHERE id = $2")
        .bind(now)
        .bind(key_id)
        .execute(&mut *tx)
        .await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO cost_statements (federation_id, year, key_id, issued_at_ms, issued_by, document_json) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(federation.0)
        .bind(i64::from(year))
        .bind(key_id)
        .bind(now)
        .bind(&by.label)
        .bind(document.to_string())
        .fetch_one(&mut *tx)
        .await?;
    insert_member_parts(&mut tx, id, &document).await?;
    let st = StoredStatement {
        id: StatementId(id),
        year,
        key_id: CostKeyId(key_id),
        issued_at_ms: now,
        issued_by: by.label.clone(),
        document,
    };
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "statement.issue",
            object_type: "cost_statement",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({"year": year, "key_id": key_id}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(st)
}

/// Writes one row per member of statement `id` holding that member's part of `document`
/// (skipping members that have one already, so it can complete a statement twice).
async fn insert_member_parts(tx: &mut Tx, id: i64, document: &serde_json::Value) -> Result<()> {
    let doc: StatementDocument = serde_json::from_value(document.clone()).map_err(|e| {
        StoreError::Db(sqlx::Error::Decode(
            format!("statement {id}: stored document is invalid: {e}").into(),
        ))
    })?;
    for (position, bill) in doc.statement.bills.iter().enumerate() {
        let Some(part) = crate::costs::member_part(&doc, bill.member) else {
            continue;
        };
        sqlx::query("INSERT INTO statement_members (statement_id, org_id, position, part_json) VALUES ($1, $2, $3, $4) ON CONFLICT (statement_id, org_id) DO NOTHING")
            .bind(id)
            .bind(bill.member.0)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(json_text(&part)?)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Completes the member rows of every statement without any (see `Store::complete_statement_members`).
async fn complete_members_in(tx: &mut Tx) -> Result<u64> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT s.id, s.document_json FROM cost_statements s WHERE NOT EXISTS (SELECT 1 FROM statement_members m WHERE m.statement_id = s.id) ORDER BY s.id",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut done = 0;
    for (id, text) in rows {
        let document: serde_json::Value = from_json(&text, "statement")?;
        insert_member_parts(tx, id, &document).await?;
        done += 1;
    }
    Ok(done)
}

pub(crate) async fn complete_statement_members(pool: &Pool<DB>) -> Result<u64> {
    let mut tx = begin_write(pool).await?;
    let done = complete_members_in(&mut tx).await?;
    tx.commit().await?;
    Ok(done)
}

fn statement_from_row(r: StatementRow) -> Result<StoredStatement> {
    Ok(StoredStatement {
        id: StatementId(r.0),
        year: i32::try_from(r.1).unwrap_or_default(),
        key_id: CostKeyId(r.2),
        issued_at_ms: r.3,
        issued_by: r.4,
        document: from_json(&r.5, "statement")?,
    })
}

/// The columns of a member's part of a statement (`s` the statement, `m` its member row).
const MEMBER_PART_COLUMNS: &str =
    "s.id, s.year, s.key_id, s.issued_at_ms, s.issued_by, m.part_json";

/// Restricts member rows `m` to the first member inside `scope` of each statement.
fn first_member_in(scope: &Scope) -> String {
    format!(
        "{} AND m.position = (SELECT MIN(m2.position) FROM statement_members m2 WHERE m2.statement_id = m.statement_id AND {})",
        scope_sql(scope, "m.org_id"),
        scope_sql(scope, "m2.org_id")
    )
}

pub(crate) async fn statements(
    pool: &Pool<DB>,
    scope: &Scope,
    federation: FederationId,
    year: Option<i32>,
) -> Result<Vec<StoredStatement>> {
    let rows: Vec<StatementRow> = if scope.is_all() {
        sqlx::query_as(
            "SELECT id, year, key_id, issued_at_ms, issued_by, document_json FROM cost_statements WHERE federation_id = $1 AND ($2 IS NULL OR year = $2) ORDER BY year DESC, issued_at_ms DESC, id DESC",
        )
        .bind(federation.0)
        .bind(year.map(i64::from))
        .fetch_all(pool)
        .await?
    } else {
        sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {MEMBER_PART_COLUMNS} FROM statement_members m JOIN cost_statements s ON s.id = m.statement_id \
             WHERE s.federation_id = $1 AND ($2 IS NULL OR s.year = $2) AND {} ORDER BY s.year DESC, s.issued_at_ms DESC, s.id DESC",
            first_member_in(scope)
        )))
        .bind(federation.0)
        .bind(year.map(i64::from))
        .fetch_all(pool)
        .await?
    };
    rows.into_iter().map(statement_from_row).collect()
}

pub(crate) async fn statement(
    pool: &Pool<DB>,
    scope: &Scope,
    federation: FederationId,
    id: i64,
) -> Result<StoredStatement> {
    let row: Option<StatementRow> = if scope.is_all() {
        sqlx::query_as("SELECT id, year, key_id, issued_at_ms, issued_by, document_json FROM cost_statements WHERE id = $1 AND federation_id = $2")
            .bind(id)
            .bind(federation.0)
            .fetch_optional(pool)
            .await?
    } else {
        sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {MEMBER_PART_COLUMNS} FROM statement_members m JOIN cost_statements s ON s.id = m.statement_id \
             WHERE s.id = $1 AND s.federation_id = $2 AND {}",
            first_member_in(scope)
        )))
        .bind(id)
        .bind(federation.0)
        .fetch_optional(pool)
        .await?
    };
    statement_from_row(row.ok_or(StoreError::NotFound)?)
}

pub(crate) async fn member_rows(
    pool: &Pool<DB>,
    federation: FederationId,
) -> Result<Vec<(Organisation, Vec<Membership>)>> {
    let orgs: Vec<OrgRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {ORG_COLUMNS} FROM organisations WHERE federation_id = $1 AND kind NOT IN ('office', 'provider') ORDER BY name, id"
    )))
    .bind(federation.0)
    .fetch_all(pool)
    .await?;
    let ms: Vec<MembershipRow> = sqlx::query_as(
        "SELECT m.id, m.org_id, m.starts_on, m.ends_on, m.note FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE o.federation_id = $1 ORDER BY m.starts_on",
    )
    .bind(federation.0)
    .fetch_all(pool)
    .await?;
    let mut by_org: std::collections::HashMap<i64, Vec<Membership>> =
        std::collections::HashMap::new();
    for m in ms {
        let m: Membership = m.try_into()?;
        by_org.entry(m.org_id.0).or_default().push(m);
    }
    orgs.into_iter()
        .map(|r| {
            let o: Organisation = r.try_into()?;
            let ms = by_org.remove(&o.id.0).unwrap_or_default();
            Ok((o, ms))
        })
        .collect()
}
