// Writing assessment answers: each change updates the tallies, score sums and audit trail
// in the same transaction.

fn answer_json(a: &AssessAnswer) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or(serde_json::Value::Null)
}

/// One audit entry per changed answer, or, when a bulk change touched several, one entry
/// for the whole change with every row inside (what the reader sees as one action).
async fn audit_answer_changes(
    tx: &mut Tx,
    by: &AuditActor,
    org: OrgId,
    assessment: i64,
    mut rows: Vec<(i64, serde_json::Value, serde_json::Value)>,
) -> Result<()> {
    let change = if rows.len() == 1 {
        let (answer, before, after) = rows.remove(0);
        Change {
            org_id: Some(org),
            action: "answer.update",
            object_type: "assessment_answer",
            object_id: answer.to_string(),
            before,
            after,
        }
    } else if rows.is_empty() {
        return Ok(());
    } else {
        let list: Vec<serde_json::Value> = rows
            .into_iter()
            .map(|(answer, before, after)| {
                serde_json::json!({"answer_id": answer, "before": before, "after": after})
            })
            .collect();
        Change {
            org_id: Some(org),
            action: "answer.bulk_update",
            object_type: "assessment",
            object_id: assessment.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({"count": list.len(), "rows": list}),
        }
    };
    append_audit(tx, by, change).await
}

pub(crate) async fn set_answers(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: i64,
    changes: &[(AnswerId, Option<i64>, AssessAnswer)],
) -> Result<Vec<crate::assessments::AnswerRow>> {
    let mut tx = begin_write(pool).await?;
    let ids = set_answers_in(&mut tx, by, scope, id, changes).await?;
    tx.commit().await?;
    answers_by_id(pool, scope, id, &ids).await
}

/// Sets answers inside the caller's transaction; returns the IDs asked for.
async fn set_answers_in(
    tx: &mut Tx,
    by: &AuditActor,
    scope: &Scope,
    id: i64,
    changes: &[(AnswerId, Option<i64>, AssessAnswer)],
) -> Result<Vec<i64>> {
    let now = now_ms();
    // Touching the assessment row first locks it (PostgreSQL), so concurrent writers of the
    // same assessment update its tallies one after the other.
    let touched: Option<(i64, i64, String)> =
        sqlx::query_as(AssertSqlSafe(format!("UPDATE assessments SET updated_at_ms = $2, revision = revision + 1 WHERE id = $1 AND {} RETURNING org_id, catalog_id, tally_json", scope_sql(scope, "org_id"))))
            .bind(id)
            .bind(now)
            .fetch_optional(&mut **tx)
            .await?;
    let (org, catalog_id, tally_json) = crate::assessments::found(touched)?;
    let org = OrgId(org);
    let ids: Vec<i64> = changes.iter().map(|c| c.0.0).collect();
    if ids.is_empty() {
        return Ok(ids);
    }
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT id, topic_index, status, justification, owner, due_on, comment, version FROM assessment_answers WHERE assessment_id = $1 AND id IN ({})",
        id_list(&ids)
    )))
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let mut current = std::collections::HashMap::new();
    for r in &rows {
        let due: Option<String> = r.try_get("due_on")?;
        let a = AssessAnswer {
            status: status_of(&r.try_get::<String, _>("status")?)?,
            justification: r.try_get("justification")?,
            owner: r.try_get("owner")?,
            due_on: due
                .as_deref()
                .and_then(|d| verbund_domain::validation::parse_date(d).ok()),
            comment: r.try_get("comment")?,
        };
        current.insert(
            r.try_get::<i64, _>("id")?,
            (
                r.try_get::<i64, _>("topic_index")?,
                r.try_get::<i64, _>("version")?,
                a,
            ),
        );
    }
    let mut overall: Tally = from_json(&tally_json, "tally")?;
    let overall_before = compared(&overall);
    let topic_list: Vec<(i64, String)> = sqlx::query_as(
        "SELECT topic_index, tally_json FROM assessment_topics WHERE assessment_id = $1",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let mut topics = std::collections::BTreeMap::new();
    for (t, j) in topic_list {
        topics.insert(t, (from_json::<Tally>(&j, "tally")?, false));
    }
    let topics_before: std::collections::HashMap<i64, Option<i64>> =
        topics.iter().map(|(i, (t, _))| (*i, compared(t))).collect();
    let mut audited: Vec<(i64, serde_json::Value, serde_json::Value)> = Vec::new();
    for (answer_id, expected, new) in changes {
        let (topic, version, before) = current.get_mut(&answer_id.0).ok_or(StoreError::NotFound)?;
        if expected.is_some_and(|v| v != *version) {
            return Err(StoreError::Stale);
        }
        if before == new {
            continue;
        }
        let (old_key, new_key) = (
            (before.status, before.is_justified()),
            (new.status, new.is_justified()),
        );
        if old_key != new_key {
            overall.remove(old_key.0, old_key.1);
            overall.add(new_key.0, new_key.1);
            if let Some((t, dirty)) = topics.get_mut(topic) {
                t.remove(old_key.0, old_key.1);
                t.add(new_key.0, new_key.1);
                *dirty = true;
            }
        }
        sqlx::query(
            "UPDATE assessment_answers SET status = $2, justification = $3, owner = $4, due_on = $5, comment = $6, version = version + 1, updated_at_ms = $7, updated_by = $8 WHERE id = $1",
        )
        .bind(answer_id.0)
        .bind(status_code(new.status))
        .bind(&new.justification)
        .bind(&new.owner)
        .bind(new.due_on.map(format_date))
        .bind(&new.comment)
        .bind(now)
        .bind(&by.label)
        .execute(&mut **tx)
        .await?;
        audited.push((answer_id.0, answer_json(before), answer_json(new)));
        *before = new.clone();
        *version += 1;
    }
    audit_answer_changes(tx, by, org, id, audited).await?;
    // (topic index or -1, members, score change) for the federation-wide sums.
    let mut sums = vec![sum_change(-1, overall_before, compared(&overall))];
    for (index, (t, dirty)) in &topics {
        if *dirty {
            sums.push(sum_change(
                *index,
                topics_before.get(index).copied().flatten(),
                compared(t),
            ));
            sqlx::query("UPDATE assessment_topics SET answered = $3, score_bp = $4, compared_bp = $5, tally_json = $6 WHERE assessment_id = $1 AND topic_index = $2")
                .bind(id)
                .bind(index)
                .bind(i64::from(t.answered()))
                .bind(bp(t))
                .bind(compared(t))
                .bind(tally_text(t)?)
                .execute(&mut **tx)
                .await?;
        }
    }
    sqlx::query("UPDATE assessments SET answered = $2, score_bp = $3, compared_bp = $4, tally_json = $5 WHERE id = $1")
        .bind(id)
        .bind(i64::from(overall.answered()))
        .bind(bp(&overall))
        .bind(compared(&overall))
        .bind(tally_text(&overall)?)
        .execute(&mut **tx)
        .await?;
    add_score_sums(tx, catalog_id, &sums).await?;
    Ok(ids)
}
