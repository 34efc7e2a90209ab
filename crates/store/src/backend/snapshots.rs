// Assessment snapshots: the answers and scores of an assessment frozen at one moment.

pub(crate) async fn current_answers(
    pool: &Pool<DB>,
    scope: &Scope,
    id: i64,
) -> Result<Vec<crate::assessments::SnapshotAnswer>> {
    assessment_org(pool, scope, id).await?;
    snapshot_answers(pool, id).await
}

async fn snapshot_answers<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    id: i64,
) -> Result<Vec<crate::assessments::SnapshotAnswer>> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT n.urn, a.status, a.justification FROM assessment_answers a JOIN catalog_nodes n ON n.id = a.node_id WHERE a.assessment_id = $1 ORDER BY a.position",
    )
    .bind(id)
    .fetch_all(ex)
    .await?;
    rows.into_iter()
        .map(|(urn, s, j)| Ok((urn, status_of(&s)?, j.is_some_and(|j| !j.trim().is_empty()))))
        .collect()
}

const SNAPSHOT_COLUMNS: &str = "s.id, s.assessment_id, s.name, s.taken_at_ms, s.taken_by, s.answered, s.total, s.score_bp, s.topics_json";

fn snapshot_from_row(
    r: &<DB as sqlx::Database>::Row,
    tally: Tally,
) -> Result<crate::assessments::StoredSnapshot> {
    Ok(crate::assessments::StoredSnapshot {
        id: SnapshotId(r.try_get("id")?),
        assessment_id: AssessmentId(r.try_get("assessment_id")?),
        name: r.try_get("name")?,
        taken_at_ms: r.try_get("taken_at_ms")?,
        taken_by: r.try_get("taken_by")?,
        tally,
        topics: from_json(&r.try_get::<String, _>("topics_json")?, "snapshot topics")?,
    })
}

fn snapshot_tally(topics: &[crate::assessments::TopicScore]) -> Tally {
    let mut t = Tally::default();
    for x in topics {
        t.merge(&x.tally);
    }
    t
}

pub(crate) async fn take_snapshot(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: i64,
    name: &str,
) -> Result<crate::assessments::StoredSnapshot> {
    let mut tx = begin_write(pool).await?;
    let org = assessment_org(&mut *tx, scope, id).await?;
    let topics = topic_rows(&mut *tx, id).await?;
    let answers = snapshot_answers(&mut *tx, id).await?;
    let tally = snapshot_tally(&topics);
    let now = now_ms();
    let snapshot_id: i64 = sqlx::query_scalar(
        "INSERT INTO assessment_snapshots (assessment_id, name, taken_at_ms, taken_by, answered, total, score_bp, topics_json, answers_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(id)
    .bind(name)
    .bind(now)
    .bind(&by.label)
    .bind(i64::from(tally.answered()))
    .bind(i64::from(tally.total))
    .bind(bp(&tally))
    .bind(json_text(&topics)?)
    .bind(json_text(&answers)?)
    .fetch_one(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "snapshot.create",
            object_type: "assessment_snapshot",
            object_id: snapshot_id.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({"assessment_id": id, "name": name, "score_bp": bp(&tally)}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(crate::assessments::StoredSnapshot {
        id: SnapshotId(snapshot_id),
        assessment_id: AssessmentId(id),
        name: name.to_owned(),
        taken_at_ms: now,
        taken_by: by.label.clone(),
        tally,
        topics,
    })
}

pub(crate) async fn snapshots(
    pool: &Pool<DB>,
    scope: &Scope,
    id: i64,
) -> Result<Vec<crate::assessments::StoredSnapshot>> {
    assessment_org(pool, scope, id).await?;
    let rows = sqlx::query(AssertSqlSafe(format!("SELECT {SNAPSHOT_COLUMNS} FROM assessment_snapshots s WHERE s.assessment_id = $1 ORDER BY s.taken_at_ms DESC, s.id DESC")))
        .bind(id)
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            let topics: Vec<crate::assessments::TopicScore> =
                from_json(&r.try_get::<String, _>("topics_json")?, "snapshot topics")?;
            snapshot_from_row(r, snapshot_tally(&topics))
        })
        .collect()
}

pub(crate) async fn snapshot(
    pool: &Pool<DB>,
    scope: &Scope,
    snapshot_id: i64,
) -> Result<(
    crate::assessments::StoredSnapshot,
    Vec<crate::assessments::SnapshotAnswer>,
)> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {SNAPSHOT_COLUMNS}, s.answers_json FROM assessment_snapshots s JOIN assessments a ON a.id = s.assessment_id WHERE s.id = $1 AND {}",
        scope_sql(scope, "a.org_id")
    )))
    .bind(snapshot_id)
    .fetch_optional(pool)
    .await?;
    let row = crate::assessments::found(row)?;
    let topics: Vec<crate::assessments::TopicScore> =
        from_json(&row.try_get::<String, _>("topics_json")?, "snapshot topics")?;
    let answers = from_json(
        &row.try_get::<String, _>("answers_json")?,
        "snapshot answers",
    )?;
    Ok((snapshot_from_row(&row, snapshot_tally(&topics))?, answers))
}
