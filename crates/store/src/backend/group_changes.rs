// A whole topic marked entbehrlich at once and undoing that: each one transaction, audited as
// one entry with its rows (see `verbund_domain::assessment::group` for the rules).

const GROUP_CHANGE_SELECT: &str = "SELECT id, assessment_id, org_id, topic_index, justification, row_count, created_at_ms, created_by, undone_at_ms FROM assessment_group_changes";

fn group_change_from_row(
    r: &<DB as sqlx::Database>::Row,
) -> Result<crate::assessments::GroupChange> {
    Ok(crate::assessments::GroupChange {
        id: r.try_get("id")?,
        assessment_id: AssessmentId(r.try_get("assessment_id")?),
        org_id: OrgId(r.try_get("org_id")?),
        topic_index: r.try_get("topic_index")?,
        justification: r.try_get("justification")?,
        row_count: r.try_get("row_count")?,
        created_at_ms: r.try_get("created_at_ms")?,
        created_by: r.try_get("created_by")?,
        undone_at_ms: r.try_get("undone_at_ms")?,
    })
}

pub(crate) async fn group_change(
    pool: &Pool<DB>,
    scope: &Scope,
    change_id: i64,
) -> Result<crate::assessments::GroupChange> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "{GROUP_CHANGE_SELECT} WHERE id = $1 AND {}",
        scope_sql(scope, "org_id")
    )))
    .bind(change_id)
    .fetch_optional(pool)
    .await?;
    group_change_from_row(&crate::assessments::found(row)?)
}

pub(crate) async fn mark_topic_not_applicable(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: i64,
    topic_index: i64,
    justification: &str,
) -> Result<crate::assessments::GroupChange> {
    let mut tx = begin_write(pool).await?;
    // A no-op update takes the assessment's row lock (PostgreSQL) before the rows are read,
    // so no other writer changes them between this read and the write below.
    let org: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "UPDATE assessments SET updated_at_ms = updated_at_ms WHERE id = $1 AND {} RETURNING org_id",
        scope_sql(scope, "org_id")
    )))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let org = crate::assessments::found(org)?;
    let rows = sqlx::query(
        "SELECT id, status, justification, owner, due_on, comment, version FROM assessment_answers WHERE assessment_id = $1 AND topic_index = $2 ORDER BY position",
    )
    .bind(id)
    .bind(topic_index)
    .fetch_all(&mut *tx)
    .await?;
    let current = rows
        .iter()
        .map(|r| {
            Ok(verbund_domain::assessment::group::CurrentRow {
                id: r.try_get("id")?,
                version: r.try_get("version")?,
                answer: stored_answer(r)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let (changes, record) =
        verbund_domain::assessment::group::mark_not_applicable(&current, justification)?;
    let justification = changes
        .first()
        .and_then(|c| c.1.justification.clone())
        .unwrap_or_else(|| justification.trim().to_owned());
    let now = now_ms();
    let change_id: i64 = sqlx::query_scalar(
        "INSERT INTO assessment_group_changes (assessment_id, org_id, topic_index, justification, rows_json, row_count, created_at_ms, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(id)
    .bind(org)
    .bind(topic_index)
    .bind(&justification)
    .bind(json_text(&record)?)
    .bind(i64::try_from(record.len()).unwrap_or(i64::MAX))
    .bind(now)
    .bind(&by.label)
    .fetch_one(&mut *tx)
    .await?;
    let writes: Vec<(AnswerId, Option<i64>, AssessAnswer)> = changes
        .into_iter()
        .zip(&record)
        .map(|((row, answer), r)| (AnswerId(row), Some(r.version_after - 1), answer))
        .collect();
    set_answers_in(
        &mut tx,
        by,
        scope,
        id,
        &writes,
        AnswerAudit::Grouped {
            action: "answer.group_not_applicable",
            extra: serde_json::json!({
                "change_id": change_id,
                "topic_index": topic_index,
                "justification": justification,
            }),
        },
    )
    .await?;
    let row = sqlx::query(AssertSqlSafe(format!(
        "{GROUP_CHANGE_SELECT} WHERE id = $1"
    )))
    .bind(change_id)
    .fetch_one(&mut *tx)
    .await?;
    let stored = group_change_from_row(&row)?;
    tx.commit().await?;
    Ok(stored)
}

pub(crate) async fn undo_group_change(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    change_id: i64,
) -> Result<crate::assessments::GroupChange> {
    let mut tx = begin_write(pool).await?;
    let found: Option<(i64, String, Option<i64>)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT assessment_id, rows_json, undone_at_ms FROM assessment_group_changes WHERE id = $1 AND {}",
        scope_sql(scope, "org_id")
    )))
    .bind(change_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (assessment, rows_json, undone) = crate::assessments::found(found)?;
    // Claiming the change first makes a second, concurrent undo find it undone.
    let claimed = sqlx::query(
        "UPDATE assessment_group_changes SET undone_at_ms = $2, undone_by = $3 WHERE id = $1 AND undone_at_ms IS NULL",
    )
    .bind(change_id)
    .bind(now_ms())
    .bind(&by.label)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if undone.is_some() || claimed == 0 {
        return Err(StoreError::Stale);
    }
    let record: Vec<verbund_domain::assessment::group::ChangedRow> =
        from_json(&rows_json, "group change")?;
    let ids: Vec<i64> = record.iter().map(|r| r.id).collect();
    let versions: Vec<(i64, i64)> = if ids.is_empty() {
        vec![]
    } else {
        sqlx::query_as(AssertSqlSafe(format!(
            "SELECT id, version FROM assessment_answers WHERE assessment_id = $1 AND id IN ({})",
            id_list(&ids)
        )))
        .persistent(false)
        .bind(assessment)
        .fetch_all(&mut *tx)
        .await?
    };
    let plan = match verbund_domain::assessment::group::undo_plan(&record, &versions) {
        Ok(plan) => plan,
        Err(changed) => {
            // Name each requirement answered again since, so the member knows what to check.
            let names: Vec<(i64, Option<String>)> = sqlx::query_as(AssertSqlSafe(format!(
                "SELECT a.id, n.ref_id FROM assessment_answers a JOIN catalog_nodes n ON n.id = a.node_id WHERE a.id IN ({}) ORDER BY a.position",
                id_list(&changed)
            )))
            .fetch_all(&mut *tx)
            .await?;
            let mut e = verbund_domain::validation::ValidationErrors::default();
            for (row, name) in names {
                let label = name.unwrap_or_else(|| row.to_string());
                e.add(&format!("rows:{label}"), "error-undo-changed-since");
            }
            if e.0.is_empty() {
                e.add("rows", "error-undo-changed-since");
            }
            return Err(e.into());
        }
    };
    let versions: std::collections::HashMap<i64, i64> = versions.into_iter().collect();
    let writes: Vec<(AnswerId, Option<i64>, AssessAnswer)> = plan
        .into_iter()
        .map(|(row, answer)| (AnswerId(row), versions.get(&row).copied(), answer))
        .collect();
    set_answers_in(
        &mut tx,
        by,
        scope,
        assessment,
        &writes,
        AnswerAudit::Grouped {
            action: "answer.group_undo",
            extra: serde_json::json!({ "change_id": change_id }),
        },
    )
    .await?;
    let row = sqlx::query(AssertSqlSafe(format!(
        "{GROUP_CHANGE_SELECT} WHERE id = $1"
    )))
    .bind(change_id)
    .fetch_one(&mut *tx)
    .await?;
    let stored = group_change_from_row(&row)?;
    tx.commit().await?;
    Ok(stored)
}
