// Measures (Realisierungsplan): create, change, status, notes, list with filters, bulk
// creation from unmet answers and the office's templates. See `crate::measures`.

use verbund_domain::measure as measure_dom;

const MEASURE_SELECT: &str = "SELECT m.id, m.org_id, g.name AS org_name, m.template_id, m.title, m.description, \
     m.owner_user_id, u.display_name AS owner_name, m.due_on, m.priority, m.status, m.cost_cents, m.effort_days, \
     m.revision, m.created_at_ms, m.updated_at_ms, m.done_at_ms, \
     (SELECT COUNT(*) FROM measure_requirements r WHERE r.measure_id = m.id) AS linked, \
     (SELECT COUNT(*) FROM measure_requirements r JOIN assessment_answers a \
        ON a.assessment_id = r.assessment_id AND a.node_id = r.node_id \
        WHERE r.measure_id = m.id AND a.status = 'yes') AS met \
     FROM measures m JOIN organisations g ON g.id = m.org_id LEFT JOIN users u ON u.id = m.owner_user_id";

/// Sort rank of the priority code in SQL (most urgent first), then the deadline.
const MEASURE_ORDER: &str = "CASE m.priority WHEN 'sehr_hoch' THEN 0 WHEN 'hoch' THEN 1 WHEN 'mittel' THEN 2 ELSE 3 END, \
     m.due_on IS NULL, m.due_on, m.id";

#[derive(sqlx::FromRow)]
struct MeasureRow {
    id: i64,
    org_id: i64,
    org_name: String,
    template_id: Option<i64>,
    title: String,
    description: Option<String>,
    owner_user_id: Option<i64>,
    owner_name: Option<String>,
    due_on: Option<String>,
    priority: String,
    status: String,
    cost_cents: Option<i64>,
    effort_days: Option<f64>,
    revision: i64,
    created_at_ms: i64,
    updated_at_ms: i64,
    done_at_ms: Option<i64>,
    linked: i64,
    met: i64,
}

fn corrupt_measure(what: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("stored measure {what} is invalid").into(),
    ))
}

impl MeasureRow {
    fn into_measure(self, today: &str) -> Result<measure_dom::model::Measure> {
        let status = measure_dom::MeasureStatus::parse(&self.status)
            .map_err(|_| corrupt_measure("status"))?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(measure_dom::model::Measure {
            id: verbund_domain::MeasureId(self.id),
            org_id: OrgId(self.org_id),
            org_name: self.org_name,
            template_id: self.template_id.map(verbund_domain::MeasureTemplateId),
            overdue: measure_dom::rules::is_overdue(status, self.due_on.as_deref(), today),
            link: measure_dom::rules::link_state_counts(
                status,
                count(self.linked),
                count(self.met),
            ),
            title: self.title,
            description: self.description,
            owner_user_id: self.owner_user_id.map(UserId),
            owner_name: self.owner_name,
            due_on: self.due_on,
            priority: measure_dom::Priority::parse(&self.priority)
                .map_err(|_| corrupt_measure("priority"))?,
            status,
            cost_cents: self.cost_cents,
            effort_days: self.effort_days,
            revision: self.revision,
            created_at_ms: self.created_at_ms,
            updated_at_ms: self.updated_at_ms,
            done_at_ms: self.done_at_ms,
        })
    }
}

/// SQL condition: measure `m` lies in `scope` and, for a measure owner, is their own.
fn measure_visible(scope: &Scope, owner_only: Option<UserId>) -> String {
    match owner_only {
        Some(u) => format!(
            "{} AND m.owner_user_id = {}",
            scope_sql(scope, "m.org_id"),
            u.0
        ),
        None => scope_sql(scope, "m.org_id"),
    }
}

async fn fetch_measure<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    visible: &str,
    id: i64,
    today: &str,
) -> Result<measure_dom::model::Measure> {
    let row: Option<MeasureRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{MEASURE_SELECT} WHERE m.id = $1 AND {visible}"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await?;
    row.ok_or(StoreError::NotFound)?.into_measure(today)
}

pub(crate) async fn list_measures(
    pool: &Pool<DB>,
    scope: &Scope,
    owner_only: Option<UserId>,
    filter: &measure_dom::model::MeasureFilter,
    page: PageRequest,
) -> Result<Page<measure_dom::model::Measure>> {
    let today = filter.today.as_str();
    let cond = format!(
        "{} AND ($1 IS NULL OR m.org_id = $1) AND ($2 IS NULL OR m.status = $2) AND ($3 IS NULL OR m.priority = $3) \
         AND ($4 IS NULL OR m.owner_user_id = $4) AND ($5 IS NULL OR m.template_id = $5) \
         AND ($6 IS NULL OR LOWER(m.title) LIKE $6 ESCAPE '\\' OR LOWER(COALESCE(m.description, '')) LIKE $6 ESCAPE '\\') \
         AND ($7 = '' OR (m.status IN ('offen','in_arbeit') AND m.due_on < $7))",
        measure_visible(scope, owner_only)
    );
    let overdue = if filter.overdue {
        today.to_owned()
    } else {
        String::new()
    };
    let pattern = like_pattern(filter.search.as_deref());
    macro_rules! binds {
        ($q:expr) => {
            $q.bind(filter.org.map(|o| o.0))
                .bind(filter.status.map(|s| s.code()))
                .bind(filter.priority.map(|p| p.code()))
                .bind(filter.owner.map(|u| u.0))
                .bind(filter.template.map(|t| t.0))
                .bind(&pattern)
                .bind(&overdue)
        };
    }
    let total: i64 = binds!(sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM measures m WHERE {cond}"
    ))))
    .fetch_one(pool)
    .await?;
    let rows: Vec<MeasureRow> = binds!(sqlx::query_as(AssertSqlSafe(format!(
        "{MEASURE_SELECT} WHERE {cond} ORDER BY {MEASURE_ORDER} LIMIT $8 OFFSET $9"
    ))))
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(pool)
    .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| r.into_measure(today))
            .collect::<Result<Vec<_>>>()?,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// Every measure of `org` in plan order (priority, then deadline) with the references of the
/// requirements each works on, for the PDF and XLSX plan.
pub(crate) async fn plan_measures(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
    today: &str,
) -> Result<Vec<measure_dom::plan::PlanEntry>> {
    if !scope.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_snapshot(pool).await?;
    let rows: Vec<MeasureRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{MEASURE_SELECT} WHERE m.org_id = $1 ORDER BY {MEASURE_ORDER}"
    )))
    .bind(org.0)
    .fetch_all(&mut *tx)
    .await?;
    let refs: Vec<(i64, String)> = sqlx::query_as(
        "SELECT r.measure_id, n.ref_id FROM measure_requirements r \
         JOIN measures m ON m.id = r.measure_id JOIN catalog_nodes n ON n.id = r.node_id \
         WHERE m.org_id = $1 AND n.ref_id IS NOT NULL ORDER BY r.measure_id, n.ref_id",
    )
    .bind(org.0)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut by_measure: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for (m, r) in refs {
        by_measure.entry(m).or_default().push(r);
    }
    rows.into_iter()
        .map(|r| {
            let measure = r.into_measure(today)?;
            let requirements = by_measure.remove(&measure.id.0).unwrap_or_default();
            Ok(measure_dom::plan::PlanEntry {
                measure,
                requirements,
            })
        })
        .collect()
}

pub(crate) async fn get_measure(
    pool: &Pool<DB>,
    scope: &Scope,
    owner_only: Option<UserId>,
    id: verbund_domain::MeasureId,
    today: &str,
) -> Result<measure_dom::model::Measure> {
    fetch_measure(pool, &measure_visible(scope, owner_only), id.0, today).await
}

/// (assessment, answer, reference, name, status) of a requirement a measure works on.
type LinkedRequirementRow = (i64, i64, Option<String>, Option<String>, String);

pub(crate) async fn measure_detail(
    pool: &Pool<DB>,
    scope: &Scope,
    owner_only: Option<UserId>,
    id: verbund_domain::MeasureId,
    today: &str,
) -> Result<measure_dom::model::MeasureDetail> {
    let measure = fetch_measure(pool, &measure_visible(scope, owner_only), id.0, today).await?;
    let reqs: Vec<LinkedRequirementRow> = sqlx::query_as(
        "SELECT a.assessment_id, a.id, n.ref_id, n.name, a.status FROM measure_requirements r \
         JOIN assessment_answers a ON a.assessment_id = r.assessment_id AND a.node_id = r.node_id \
         JOIN catalog_nodes n ON n.id = r.node_id WHERE r.measure_id = $1 ORDER BY a.position, a.id",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let requirements = reqs
        .into_iter()
        .map(|(s, a, ref_id, name, status)| {
            Ok(measure_dom::model::LinkedRequirement {
                assessment_id: AssessmentId(s),
                answer_id: AnswerId(a),
                ref_id,
                name,
                status: verbund_domain::assessment::AnswerStatus::parse(&status)
                    .ok_or_else(|| corrupt_measure("answer status"))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let objects: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT o.id, o.short_id, o.name FROM measure_objects mo JOIN structure_objects o ON o.id = mo.object_id \
         WHERE mo.measure_id = $1 ORDER BY o.short_id, o.id",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let notes: Vec<(i64, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT n.id, u.display_name, n.body, n.created_at_ms FROM measure_notes n \
         LEFT JOIN users u ON u.id = n.author_user_id WHERE n.measure_id = $1 ORDER BY n.created_at_ms, n.id",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    Ok(measure_dom::model::MeasureDetail {
        measure,
        requirements,
        objects: objects
            .into_iter()
            .map(|(id, short_id, name)| measure_dom::model::LinkedObject {
                object_id: StructureObjectId(id),
                short_id,
                name,
            })
            .collect(),
        notes: notes
            .into_iter()
            .map(
                |(id, author_name, body, created_at_ms)| measure_dom::model::MeasureNote {
                    id,
                    author_name,
                    body,
                    created_at_ms,
                },
            )
            .collect(),
    })
}

/// Users holding any role in `org` (who may own its measures): id and display name.
pub(crate) async fn measure_owner_candidates(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<Vec<(UserId, String)>> {
    if !scope.contains(org) {
        return Err(StoreError::NotFound);
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name FROM role_assignments ra JOIN users u ON u.id = ra.user_id \
         WHERE ra.org_id = $1 AND u.disabled_at_ms IS NULL ORDER BY u.display_name, u.id",
    )
    .bind(org.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, n)| (UserId(id), n)).collect())
}

/// Links answers and objects of `org` to measure `id`; anything not of `org` is a field error.
async fn link_measure(tx: &mut Tx, id: i64, org: OrgId, links: &crate::MeasureLinks) -> Result<()> {
    for a in &links.answers {
        let done = sqlx::query(
            "INSERT INTO measure_requirements (measure_id, assessment_id, node_id) \
             SELECT $1, a.assessment_id, a.node_id FROM assessment_answers a JOIN assessments s ON s.id = a.assessment_id \
             WHERE a.id = $2 AND s.org_id = $3 ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(a.0)
        .bind(org.0)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT a.id FROM assessment_answers a JOIN assessments s ON s.id = a.assessment_id WHERE a.id = $1 AND s.org_id = $2",
            )
            .bind(a.0)
            .bind(org.0)
            .fetch_optional(&mut **tx)
            .await?;
            if exists.is_none() {
                return Err(verbund_domain::validation::ValidationErrors::single(
                    "answer_ids",
                    "error-measure-link",
                )
                .into());
            }
        }
    }
    for o in &links.objects {
        let done = sqlx::query(
            "INSERT INTO measure_objects (measure_id, object_id) SELECT $1, o.id FROM structure_objects o \
             WHERE o.id = $2 AND o.org_id = $3 ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(o.0)
        .bind(org.0)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            let exists: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM structure_objects WHERE id = $1 AND org_id = $2",
            )
            .bind(o.0)
            .bind(org.0)
            .fetch_optional(&mut **tx)
            .await?;
            if exists.is_none() {
                return Err(verbund_domain::validation::ValidationErrors::single(
                    "object_ids",
                    "error-measure-link",
                )
                .into());
            }
        }
    }
    Ok(())
}

async fn measure_audit(
    tx: &mut Tx,
    by: &AuditActor,
    action: &str,
    org: OrgId,
    id: i64,
    before: serde_json::Value,
    after: serde_json::Value,
) -> Result<()> {
    append_audit(
        tx,
        by,
        Change {
            org_id: Some(org),
            action,
            object_type: "measure",
            object_id: id.to_string(),
            before,
            after,
        },
    )
    .await
}

pub(crate) async fn create_measure(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    org: OrgId,
    input: &measure_dom::input::MeasureInput,
    links: &crate::MeasureLinks,
    today: &str,
) -> Result<measure_dom::model::Measure> {
    if !write.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_write(pool).await?;
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO measures (org_id, title, description, owner_user_id, due_on, priority, status, cost_cents, \
         effort_days, origin_answer_id, created_at_ms, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, 'offen', $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(org.0)
    .bind(&input.title)
    .bind(&input.description)
    .bind(input.owner.map(|u| u.0))
    .bind(&input.due_on)
    .bind(input.priority.code())
    .bind(input.cost_cents)
    .bind(input.effort_days)
    .bind(links.answers.first().map(|a| a.0))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    link_measure(&mut tx, id, org, links).await?;
    let after = fetch_measure(&mut *tx, "1=1", id, today).await?;
    measure_audit(
        &mut tx,
        by,
        "measure.create",
        org,
        id,
        serde_json::Value::Null,
        to_json(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn update_measure(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::MeasureId,
    revision: Option<i64>,
    input: &measure_dom::input::MeasureInput,
    today: &str,
) -> Result<measure_dom::model::Measure> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_measure(&mut *tx, &scope_sql(write, "m.org_id"), id.0, today).await?;
    let done = sqlx::query(
        "UPDATE measures SET title = $1, description = $2, owner_user_id = $3, due_on = $4, priority = $5, \
         cost_cents = $6, effort_days = $7, revision = revision + 1, updated_at_ms = $8 \
         WHERE id = $9 AND ($10 IS NULL OR revision = $10)",
    )
    .bind(&input.title)
    .bind(&input.description)
    .bind(input.owner.map(|u| u.0))
    .bind(&input.due_on)
    .bind(input.priority.code())
    .bind(input.cost_cents)
    .bind(input.effort_days)
    .bind(now_ms())
    .bind(id.0)
    .bind(revision)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Stale);
    }
    let after = fetch_measure(&mut *tx, "1=1", id.0, today).await?;
    measure_audit(
        &mut tx,
        by,
        "measure.update",
        before.org_id,
        id.0,
        to_json(&before),
        to_json(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

#[expect(
    clippy::too_many_arguments,
    reason = "scope, owner, expected state and target"
)]
pub(crate) async fn set_measure_status(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    owner_only: Option<UserId>,
    id: verbund_domain::MeasureId,
    from: (measure_dom::MeasureStatus, i64),
    to: measure_dom::MeasureStatus,
    today: &str,
) -> Result<measure_dom::model::Measure> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_measure(&mut *tx, &measure_visible(scope, owner_only), id.0, today).await?;
    if before.status != from.0 || before.revision != from.1 {
        return Err(StoreError::Stale);
    }
    let now = now_ms();
    let done_at = match (before.status.is_open(), to.is_open()) {
        (true, false) => Some(now),
        (false, false) => before.done_at_ms,
        (_, true) => None,
    };
    sqlx::query(
        "UPDATE measures SET status = $1, done_at_ms = $2, revision = revision + 1, updated_at_ms = $3 WHERE id = $4",
    )
    .bind(to.code())
    .bind(done_at)
    .bind(now)
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    let after = fetch_measure(&mut *tx, "1=1", id.0, today).await?;
    measure_audit(
        &mut tx,
        by,
        "measure.status",
        before.org_id,
        id.0,
        to_json(&before),
        to_json(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn delete_measure(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::MeasureId,
    today: &str,
) -> Result<measure_dom::model::Measure> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_measure(&mut *tx, &scope_sql(write, "m.org_id"), id.0, today).await?;
    sqlx::query("DELETE FROM measures WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    measure_audit(
        &mut tx,
        by,
        "measure.delete",
        before.org_id,
        id.0,
        to_json(&before),
        serde_json::Value::Null,
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

/// Replaces the target objects measure `id` works on; an object not of the measure's member
/// is a field error (`object_ids`), and nothing changes.
pub(crate) async fn set_measure_objects(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::MeasureId,
    objects: &[StructureObjectId],
    today: &str,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let m = fetch_measure(&mut *tx, &scope_sql(write, "m.org_id"), id.0, today).await?;
    let before: Vec<i64> = sqlx::query_scalar(
        "SELECT object_id FROM measure_objects WHERE measure_id = $1 ORDER BY object_id",
    )
    .bind(id.0)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM measure_objects WHERE measure_id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    let links = crate::MeasureLinks {
        answers: Vec::new(),
        objects: objects.to_vec(),
    };
    link_measure(&mut tx, id.0, m.org_id, &links).await?;
    let mut after: Vec<i64> = objects.iter().map(|o| o.0).collect();
    after.sort_unstable();
    after.dedup();
    measure_audit(
        &mut tx,
        by,
        "measure.objects",
        m.org_id,
        id.0,
        serde_json::json!({ "object_ids": before }),
        serde_json::json!({ "object_ids": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn add_measure_note(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    owner_only: Option<UserId>,
    id: verbund_domain::MeasureId,
    body: &str,
    today: &str,
) -> Result<measure_dom::model::MeasureNote> {
    let mut tx = begin_write(pool).await?;
    let m = fetch_measure(&mut *tx, &measure_visible(scope, owner_only), id.0, today).await?;
    let now = now_ms();
    let note_id: i64 = sqlx::query_scalar(
        "INSERT INTO measure_notes (measure_id, author_user_id, body, created_at_ms) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(id.0)
    .bind(by.user_id.map(|u| u.0))
    .bind(body)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let author_name: Option<String> = match by.user_id {
        Some(u) => {
            sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1")
                .bind(u.0)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    let note = measure_dom::model::MeasureNote {
        id: note_id,
        author_name,
        body: body.to_owned(),
        created_at_ms: now,
    };
    measure_audit(
        &mut tx,
        by,
        "measure.note",
        m.org_id,
        id.0,
        serde_json::Value::Null,
        to_json(&note),
    )
    .await?;
    tx.commit().await?;
    Ok(note)
}

/// The unmet answers (*nein*/*teilweise*) of an assessment in `scope` that no measure works on
/// yet: what a bulk creation would create.
const UNMET_WITHOUT_MEASURE: &str = "FROM assessment_answers a JOIN assessments s ON s.id = a.assessment_id \
     JOIN catalog_nodes n ON n.id = a.node_id \
     WHERE a.assessment_id = $1 AND a.status IN ('no','partial') \
     AND NOT EXISTS (SELECT 1 FROM measure_requirements r WHERE r.assessment_id = a.assessment_id AND r.node_id = a.node_id)";

pub(crate) async fn unmet_without_measure_count(
    pool: &Pool<DB>,
    scope: &Scope,
    assessment: AssessmentId,
) -> Result<(OrgId, i64)> {
    let org: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT s.org_id FROM assessments s WHERE s.id = $1 AND {}",
        scope_sql(scope, "s.org_id")
    )))
    .bind(assessment.0)
    .fetch_optional(pool)
    .await?;
    let org = org.ok_or(StoreError::NotFound)?;
    let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) {UNMET_WITHOUT_MEASURE}"
    )))
    .bind(assessment.0)
    .fetch_one(pool)
    .await?;
    Ok((OrgId(org), n))
}

pub(crate) async fn create_measures_from_unmet(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    assessment: AssessmentId,
    only: Option<AnswerId>,
    priority: measure_dom::Priority,
) -> Result<Vec<verbund_domain::MeasureId>> {
    let mut tx = begin_write(pool).await?;
    let org: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT s.org_id FROM assessments s WHERE s.id = $1 AND {}",
        scope_sql(write, "s.org_id")
    )))
    .bind(assessment.0)
    .fetch_optional(&mut *tx)
    .await?;
    let org = OrgId(org.ok_or(StoreError::NotFound)?);
    let before_max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM measures")
        .fetch_one(&mut *tx)
        .await?;
    // One statement creates every measure; the answer it came from is kept in
    // origin_answer_id, so a second statement links all of them.
    let ids: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "INSERT INTO measures (org_id, title, priority, status, origin_answer_id, created_at_ms, updated_at_ms) \
         SELECT s.org_id, SUBSTR(TRIM(COALESCE(n.ref_id || ' ', '') || COALESCE(n.name, n.urn)), 1, 200), $2, 'offen', a.id, $3, $3 \
         {UNMET_WITHOUT_MEASURE} AND ($4 IS NULL OR a.id = $4) ORDER BY a.position, a.id RETURNING id"
    )))
    .bind(assessment.0)
    .bind(priority.code())
    .bind(now_ms())
    .bind(only.map(|a| a.0))
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO measure_requirements (measure_id, assessment_id, node_id) \
         SELECT m.id, a.assessment_id, a.node_id FROM measures m JOIN assessment_answers a ON a.id = m.origin_answer_id \
         WHERE m.id > $1 AND a.assessment_id = $2 \
         AND NOT EXISTS (SELECT 1 FROM measure_requirements r WHERE r.measure_id = m.id)",
    )
    .bind(before_max)
    .bind(assessment.0)
    .execute(&mut *tx)
    .await?;
    let mut ids = ids;
    ids.sort_unstable();
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "measure.bulk_create",
            object_type: "assessment",
            object_id: assessment.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({ "priority": priority.code(), "count": ids.len(), "measure_ids": ids }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ids.into_iter().map(verbund_domain::MeasureId).collect())
}

#[derive(sqlx::FromRow)]
struct TemplateRow {
    id: i64,
    title: String,
    description: Option<String>,
    priority: String,
    due_on: Option<String>,
    created_at_ms: i64,
    pushed: i64,
    done: i64,
}

const TEMPLATE_SELECT: &str = "SELECT t.id, t.title, t.description, t.priority, t.due_on, t.created_at_ms, \
     (SELECT COUNT(*) FROM measures m WHERE m.template_id = t.id) AS pushed, \
     (SELECT COUNT(*) FROM measures m WHERE m.template_id = t.id AND m.status IN ('umgesetzt','geprueft')) AS done \
     FROM measure_templates t";

impl TryFrom<TemplateRow> for measure_dom::model::MeasureTemplate {
    type Error = StoreError;
    fn try_from(r: TemplateRow) -> Result<Self> {
        Ok(Self {
            id: verbund_domain::MeasureTemplateId(r.id),
            title: r.title,
            description: r.description,
            priority: measure_dom::Priority::parse(&r.priority)
                .map_err(|_| corrupt_measure("priority"))?,
            due_on: r.due_on,
            pushed: r.pushed,
            done: r.done,
            created_at_ms: r.created_at_ms,
        })
    }
}

pub(crate) async fn list_measure_templates(
    pool: &Pool<DB>,
    fed: FederationId,
) -> Result<Vec<measure_dom::model::MeasureTemplate>> {
    let rows: Vec<TemplateRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{TEMPLATE_SELECT} WHERE t.federation_id = $1 ORDER BY t.created_at_ms DESC, t.id DESC"
    )))
    .bind(fed.0)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

async fn fetch_template<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    id: i64,
) -> Result<measure_dom::model::MeasureTemplate> {
    let row: Option<TemplateRow> =
        sqlx::query_as(AssertSqlSafe(format!("{TEMPLATE_SELECT} WHERE t.id = $1")))
            .bind(id)
            .fetch_optional(ex)
            .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

pub(crate) async fn get_measure_template(
    pool: &Pool<DB>,
    id: verbund_domain::MeasureTemplateId,
) -> Result<measure_dom::model::MeasureTemplate> {
    fetch_template(pool, id.0).await
}

pub(crate) async fn create_measure_template(
    pool: &Pool<DB>,
    by: &AuditActor,
    fed: FederationId,
    input: &measure_dom::input::MeasureInput,
) -> Result<measure_dom::model::MeasureTemplate> {
    let mut tx = begin_write(pool).await?;
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO measure_templates (federation_id, title, description, priority, due_on, created_by, created_at_ms, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(fed.0)
    .bind(&input.title)
    .bind(&input.description)
    .bind(input.priority.code())
    .bind(&input.due_on)
    .bind(by.user_id.map(|u| u.0))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    let after = fetch_template(&mut *tx, id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "measure_template.create",
            object_type: "measure_template",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn push_measure_template(
    pool: &Pool<DB>,
    by: &AuditActor,
    id: verbund_domain::MeasureTemplateId,
    orgs: Option<&[OrgId]>,
) -> Result<Vec<verbund_domain::MeasureId>> {
    let mut tx = begin_write(pool).await?;
    let template = fetch_template(&mut *tx, id.0).await?;
    let only = match orgs {
        None => "1=1".to_owned(),
        Some([]) => "1=0".to_owned(),
        Some(list) => format!(
            "g.id IN ({})",
            list.iter()
                .map(|o| o.0.to_string())
                .collect::<Vec<_>>()
                .join(",")
        ),
    };
    if let Some(list) = orgs {
        // Every named organisation must be a member of the template's federation.
        let known: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM organisations g JOIN measure_templates t ON t.federation_id = g.federation_id \
             WHERE t.id = $1 AND g.kind NOT IN ('office','provider') AND {only}"
        )))
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await?;
        let mut distinct = list.to_vec();
        distinct.sort();
        distinct.dedup();
        if usize::try_from(known).unwrap_or(0) != distinct.len() {
            return Err(verbund_domain::validation::ValidationErrors::single(
                "orgs",
                "error-measure-template-orgs",
            )
            .into());
        }
    }
    let ids: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "INSERT INTO measures (org_id, template_id, title, description, priority, due_on, status, created_at_ms, updated_at_ms) \
         SELECT g.id, t.id, t.title, t.description, t.priority, t.due_on, 'offen', $2, $2 \
         FROM organisations g JOIN measure_templates t ON t.federation_id = g.federation_id \
         WHERE t.id = $1 AND g.kind NOT IN ('office','provider') AND {only} \
         AND NOT EXISTS (SELECT 1 FROM measures x WHERE x.template_id = t.id AND x.org_id = g.id) \
         ORDER BY g.id RETURNING id"
    )))
    .bind(id.0)
    .bind(now_ms())
    .fetch_all(&mut *tx)
    .await?;
    let mut ids = ids;
    ids.sort_unstable();
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "measure_template.push",
            object_type: "measure_template",
            object_id: id.to_string(),
            before: to_json(&template),
            after: serde_json::json!({ "measure_ids": ids }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ids.into_iter().map(verbund_domain::MeasureId).collect())
}

pub(crate) async fn measure_template_progress(
    pool: &Pool<DB>,
    id: verbund_domain::MeasureTemplateId,
    today: &str,
) -> Result<Vec<measure_dom::model::TemplateProgress>> {
    let rows: Vec<MeasureRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{MEASURE_SELECT} WHERE m.template_id = $1 ORDER BY g.name, m.id"
    )))
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let m = r.into_measure(today)?;
            Ok(measure_dom::model::TemplateProgress {
                org_id: m.org_id,
                org_name: m.org_name,
                measure_id: m.id,
                status: m.status,
                owner_name: m.owner_name,
                due_on: m.due_on,
                done_at_ms: m.done_at_ms,
                overdue: m.overdue,
            })
        })
        .collect()
}
