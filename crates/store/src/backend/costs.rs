type KeyRow = (i64, String, i64, String, String, i64, Option<i64>);
type LineRow = (i64, i64, i64, String, i64, String);
type SubsidyRow = (i64, String, i64, i64, i64, String);
type StatementRow = (i64, i64, i64, i64, String, String);

fn json_text<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| {
        StoreError::Db(sqlx::Error::Decode(
            format!("stored {what} is invalid: {e}").into(),
        ))
    })
}

fn category_of(code: &str) -> Result<CostCategory> {
    from_json(&format!("\"{code}\""), "cost category")
}

fn category_code(c: CostCategory) -> Result<String> {
    Ok(json_text(&c)?.trim_matches('"').to_owned())
}

const LINE_COLUMNS: &str = "id, year, position, category, amount_cents, note";

fn line_from_row(r: LineRow) -> Result<StoredBudgetLine> {
    Ok(StoredBudgetLine {
        id: r.0,
        year: i32::try_from(r.1).unwrap_or_default(),
        position: r.2,
        line: BudgetLine::new(category_of(&r.3)?, Cents(r.4), r.5),
    })
}

pub(crate) async fn budget_lines(
    pool: &Pool<DB>,
    federation: FederationId,
    year: i32,
) -> Result<Vec<StoredBudgetLine>> {
    let rows: Vec<LineRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {LINE_COLUMNS} FROM budget_lines WHERE federation_id = $1 AND year = $2 ORDER BY position, id"
    )))
    .bind(federation.0)
    .bind(i64::from(year))
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(line_from_row).collect()
}

pub(crate) async fn budget_years(pool: &Pool<DB>, federation: FederationId) -> Result<Vec<i32>> {
    let rows: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT year FROM budget_lines WHERE federation_id = $1 ORDER BY year",
    )
    .bind(federation.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|y| i32::try_from(y).ok())
        .collect())
}

async fn insert_line(
    tx: &mut Tx,
    by: &AuditActor,
    federation: FederationId,
    year: i32,
    line: &BudgetLine,
) -> Result<StoredBudgetLine> {
    let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM budget_lines WHERE federation_id = $1 AND year = $2")
        .bind(federation.0)
        .bind(i64::from(year))
        .fetch_one(&mut **tx)
        .await?;
    let row: LineRow = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO budget_lines (federation_id, year, position, category, amount_cents, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {LINE_COLUMNS}"
    )))
    .bind(federation.0)
    .bind(i64::from(year))
    .bind(position)
    .bind(category_code(line.category)?)
    .bind(line.amount.0)
    .bind(&line.note)
    .fetch_one(&mut **tx)
    .await?;
    let stored = line_from_row(row)?;
    append_audit(
        tx,
        by,
        Change {
            org_id: None,
            action: "budget.create",
            object_type: "budget_line",
            object_id: stored.id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&stored),
        },
    )
    .await?;
    Ok(stored)
}

pub(crate) async fn add_budget_line(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    year: i32,
    line: &BudgetLine,
) -> Result<StoredBudgetLine> {
    let mut tx = begin_write(pool).await?;
    let stored = insert_line(&mut tx, by, federation, year, line).await?;
    tx.commit().await?;
    Ok(stored)
}

async fn fetch_line(tx: &mut Tx, federation: FederationId, id: i64) -> Result<StoredBudgetLine> {
    let row: Option<LineRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {LINE_COLUMNS} FROM budget_lines WHERE id = $1 AND federation_id = $2"
    )))
    .bind(id)
    .bind(federation.0)
    .fetch_optional(&mut **tx)
    .await?;
    line_from_row(row.ok_or(StoreError::NotFound)?)
}

pub(crate) async fn update_budget_line(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    id: i64,
    line: &BudgetLine,
) -> Result<StoredBudgetLine> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_line(&mut tx, federation, id).await?;
    sqlx::query(
        "UPDATE budget_lines SET category = $1, amount_cents = $2, note = $3 WHERE id = $4",
    )
    .bind(category_code(line.category)?)
    .bind(line.amount.0)
    .bind(&line.note)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let after = StoredBudgetLine {
        line: line.clone(),
        ..before.clone()
    };
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "budget.update",
            object_type: "budget_line",
            object_id: id.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn delete_budget_line(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    id: i64,
) -> Result<StoredBudgetLine> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_line(&mut tx, federation, id).await?;
    sqlx::query("DELETE FROM budget_lines WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "budget.delete",
            object_type: "budget_line",
            object_id: id.to_string(),
            before: to_json(&before),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

pub(crate) async fn replace_budget(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    year: i32,
    lines: &[BudgetLine],
) -> Result<Vec<StoredBudgetLine>> {
    let mut tx = begin_write(pool).await?;
    let existing: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM budget_lines WHERE federation_id = $1 AND year = $2",
    )
    .bind(federation.0)
    .bind(i64::from(year))
    .fetch_one(&mut *tx)
    .await?;
    if existing > 0 {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single("year", "error-budget-exists"),
        ));
    }
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        out.push(insert_line(&mut tx, by, federation, year, l).await?);
    }
    tx.commit().await?;
    Ok(out)
}

const SUBSIDY_COLUMNS: &str = "id, name, total_cents, first_year, last_year, application_json";

fn subsidy_from_row(r: SubsidyRow) -> Result<StoredSubsidy> {
    let application: SubsidyApplication = from_json(&r.5, "subsidy application")?;
    let subsidy = Subsidy::new(
        r.1,
        Cents(r.2),
        i32::try_from(r.3).unwrap_or_default(),
        i32::try_from(r.4).unwrap_or_default(),
        application,
    )
    .map_err(|e| {
        StoreError::Db(sqlx::Error::Decode(
            format!("stored subsidy is invalid: {e}").into(),
        ))
    })?;
    Ok(StoredSubsidy { id: r.0, subsidy })
}

pub(crate) async fn subsidies(
    pool: &Pool<DB>,
    federation: FederationId,
) -> Result<Vec<StoredSubsidy>> {
    let rows: Vec<SubsidyRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {SUBSIDY_COLUMNS} FROM subsidies WHERE federation_id = $1 ORDER BY first_year, id"
    )))
    .bind(federation.0)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(subsidy_from_row).collect()
}

async fn fetch_subsidy(tx: &mut Tx, federation: FederationId, id: i64) -> Result<StoredSubsidy> {
    let row: Option<SubsidyRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {SUBSIDY_COLUMNS} FROM subsidies WHERE id = $1 AND federation_id = $2"
    )))
    .bind(id)
    .bind(federation.0)
    .fetch_optional(&mut **tx)
    .await?;
    subsidy_from_row(row.ok_or(StoreError::NotFound)?)
}

pub(crate) async fn save_subsidy(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    id: Option<i64>,
    s: &Subsidy,
) -> Result<StoredSubsidy> {
    let mut tx = begin_write(pool).await?;
    let before = match id {
        None => None,
        Some(id) => Some(fetch_subsidy(&mut tx, federation, id).await?),
    };
    let sched = s.schedule();
    let (first, last) = (
        sched.first().map_or(0, |y| y.year),
        sched.last().map_or(0, |y| y.year),
    );
    let app = json_text(s.application())?;
    let new_id: i64 = match id {
        None => sqlx::query_scalar("INSERT INTO subsidies (federation_id, name, total_cents, first_year, last_year, application_json) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(federation.0)
            .bind(s.name())
            .bind(s.total().0)
            .bind(i64::from(first))
            .bind(i64::from(last))
            .bind(&app)
            .fetch_one(&mut *tx)
            .await?,
        Some(id) => {
            sqlx::query("UPDATE subsidies SET name = $1, total_cents = $2, first_year = $3, last_year = $4, application_json = $5 WHERE id = $6")
                .bind(s.name())
                .bind(s.total().0)
                .bind(i64::from(first))
                .bind(i64::from(last))
                .bind(&app)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            id
        }
    };
    let after = StoredSubsidy {
        id: new_id,
        subsidy: s.clone(),
    };
    let action = if before.is_some() {
        "subsidy.update"
    } else {
        "subsidy.create"
    };
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action,
            object_type: "subsidy",
            object_id: new_id.to_string(),
            before: before.as_ref().map_or(serde_json::Value::Null, to_json),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn delete_subsidy(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    id: i64,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_subsidy(&mut tx, federation, id).await?;
    sqlx::query("DELETE FROM subsidies WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "subsidy.delete",
            object_type: "subsidy",
            object_id: id.to_string(),
            before: to_json(&before),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const KEY_COLUMNS: &str =
    "id, name, version, definition_json, standalone_json, created_at_ms, locked_at_ms";

fn key_from_row(r: KeyRow) -> Result<StoredKey> {
    Ok(StoredKey {
        id: r.0,
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
        id,
        year,
        key_id,
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
        id: r.0,
        year: i32::try_from(r.1).unwrap_or_default(),
        key_id: r.2,
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
        "SELECT {ORG_COLUMNS} FROM organisations WHERE federation_id = $1 AND kind <> 'office' ORDER BY name, id"
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
