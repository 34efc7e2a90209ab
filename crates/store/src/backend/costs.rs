// Budget lines and subsidies of a federation. Allocation keys and cost statements are in
// `cost_statements.rs`.

type LineRow = (i64, i64, i64, String, i64, String);
type SubsidyRow = (i64, String, i64, i64, i64, String);

fn category_of(code: &str) -> Result<CostCategory> {
    from_json(&format!("\"{code}\""), "cost category")
}

fn category_code(c: CostCategory) -> Result<String> {
    Ok(json_text(&c)?.trim_matches('"').to_owned())
}

const LINE_COLUMNS: &str = "id, year, position, category, amount_cents, note";

fn line_from_row(r: LineRow) -> Result<StoredBudgetLine> {
    Ok(StoredBudgetLine {
        id: BudgetLineId(r.0),
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

pub(crate) async fn budget_line(
    pool: &Pool<DB>,
    federation: FederationId,
    id: i64,
) -> Result<StoredBudgetLine> {
    let row: Option<LineRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {LINE_COLUMNS} FROM budget_lines WHERE id = $1 AND federation_id = $2"
    )))
    .bind(id)
    .bind(federation.0)
    .fetch_optional(pool)
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
    Ok(StoredSubsidy {
        id: SubsidyId(r.0),
        subsidy,
    })
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
        id: SubsidyId(new_id),
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
