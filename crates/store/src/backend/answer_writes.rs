// Writing assessment answers: each change updates the tallies, score sums and audit trail
// in the same transaction.

fn answer_json(a: &AssessAnswer) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or(serde_json::Value::Null)
}

/// How a write of answers is audited.
enum AnswerAudit<'a> {
    /// One entry for a single changed answer; several changed answers (a bulk change, an
    /// import, a migration) are one entry with every row inside.
    PerAnswer,
    /// One entry for the whole change on the assessment, every changed row (answer ID,
    /// requirement, before and after) inside it, plus `extra` fields in `after`.
    Grouped {
        action: &'a str,
        extra: serde_json::Value,
    },
}

/// An answer as stored in a row of `assessment_answers`.
fn stored_answer(r: &<DB as sqlx::Database>::Row) -> Result<AssessAnswer> {
    let due: Option<String> = r.try_get("due_on")?;
    Ok(AssessAnswer {
        status: status_of(&r.try_get::<String, _>("status")?)?,
        justification: r.try_get("justification")?,
        owner: r.try_get("owner")?,
        due_on: due
            .as_deref()
            .and_then(|d| verbund_domain::validation::parse_date(d).ok()),
        comment: r.try_get("comment")?,
    })
}

/// Which assessment a write goes to: given, or the one of an answer (so a single answer's
/// write needs no lookup before the transaction).
#[derive(Clone, Copy)]
enum WriteTarget {
    Assessment(i64),
    OfAnswer(i64),
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
    let (_, rows) = write_answers(
        &mut tx,
        by,
        scope,
        WriteTarget::Assessment(id),
        changes,
        AnswerAudit::PerAnswer,
    )
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// Sets one answer of whichever assessment in `scope` it belongs to; `NotFound` when there is
/// none in `scope`. Returns the assessment's ID and the row as stored.
pub(crate) async fn set_answer(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    answer_id: AnswerId,
    version: Option<i64>,
    answer: &AssessAnswer,
) -> Result<(i64, crate::assessments::AnswerRow)> {
    let mut tx = begin_write(pool).await?;
    let (id, rows) = write_answers(
        &mut tx,
        by,
        scope,
        WriteTarget::OfAnswer(answer_id.0),
        &[(answer_id, version, answer.clone())],
        AnswerAudit::PerAnswer,
    )
    .await?;
    tx.commit().await?;
    let row = rows.into_iter().next().ok_or(StoreError::NotFound)?;
    Ok((id, row))
}

/// Sets answers inside the caller's transaction; returns the IDs asked for.
async fn set_answers_in(
    tx: &mut Tx,
    by: &AuditActor,
    scope: &Scope,
    id: i64,
    changes: &[(AnswerId, Option<i64>, AssessAnswer)],
    audit: AnswerAudit<'_>,
) -> Result<Vec<i64>> {
    write_answers(tx, by, scope, WriteTarget::Assessment(id), changes, audit).await?;
    Ok(changes.iter().map(|c| c.0.0).collect())
}

/// Sets answers inside the caller's transaction. Returns the assessment's ID and the rows
/// asked for as they are now (in catalog order), built from what was read and written here
/// instead of being read again.
async fn write_answers(
    tx: &mut Tx,
    by: &AuditActor,
    scope: &Scope,
    target: WriteTarget,
    changes: &[(AnswerId, Option<i64>, AssessAnswer)],
    audit: AnswerAudit<'_>,
) -> Result<(i64, Vec<crate::assessments::AnswerRow>)> {
    let now = now_ms();
    // Touching the assessment row first locks it (PostgreSQL), so concurrent writers of the
    // same assessment update its tallies one after the other.
    let which = match target {
        WriteTarget::Assessment(_) => "$1",
        WriteTarget::OfAnswer(_) => "(SELECT assessment_id FROM assessment_answers WHERE id = $1)",
    };
    let touched: Option<(i64, i64, i64, String)> =
        sqlx::query_as(AssertSqlSafe(format!("UPDATE assessments SET updated_at_ms = $2, revision = revision + 1 WHERE id = {which} AND {} RETURNING id, org_id, catalog_id, tally_json", scope_sql(scope, "org_id"))))
            .bind(match target {
                WriteTarget::Assessment(id) | WriteTarget::OfAnswer(id) => id,
            })
            .bind(now)
            .fetch_optional(&mut **tx)
            .await?;
    let (id, org, catalog_id, tally_json) = crate::assessments::found(touched)?;
    let org = OrgId(org);
    let ids: Vec<i64> = changes.iter().map(|c| c.0.0).collect();
    if ids.is_empty() {
        return Ok((id, vec![]));
    }
    // The rows with their texts, and the tally of each one's topic, in one read.
    let select = ANSWER_SELECT.replacen(
        " FROM assessment_answers a",
        ", t.tally_json FROM assessment_answers a",
        1,
    );
    let found = bind_answer_ids(
        sqlx::query(AssertSqlSafe(format!(
            "{select} LEFT JOIN assessment_topics t ON t.assessment_id = a.assessment_id AND t.topic_index = a.topic_index \
             WHERE a.assessment_id = $1 AND {} ORDER BY a.position",
            answer_id_match(&ids)
        )))
        .bind(id),
        &ids,
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut rows = Vec::with_capacity(found.len());
    let mut topics = std::collections::BTreeMap::new();
    for r in &found {
        let row = answer_from_row(r)?;
        if let std::collections::btree_map::Entry::Vacant(e) = topics.entry(row.topic_index)
            && let Some(j) = r.try_get::<Option<String>, _>("tally_json")?
        {
            e.insert((from_json::<Tally>(&j, "tally")?, false));
        }
        rows.push(row);
    }
    let current: std::collections::HashMap<i64, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.id.0, i)).collect();
    let (mut grouped_before, mut grouped_after) = (Vec::new(), Vec::new());
    let mut overall: Tally = from_json(&tally_json, "tally")?;
    let overall_before = compared(&overall);
    let topics_before: std::collections::HashMap<i64, Option<i64>> =
        topics.iter().map(|(i, (t, _))| (*i, compared(t))).collect();
    let mut audited: Vec<(i64, serde_json::Value, serde_json::Value)> = Vec::new();
    for (answer_id, expected, new) in changes {
        let row = current
            .get(&answer_id.0)
            .and_then(|i| rows.get_mut(*i))
            .ok_or(StoreError::NotFound)?;
        if expected.is_some_and(|v| v != row.version) {
            return Err(StoreError::Stale);
        }
        let (topic, before) = (&row.topic_index, &row.answer);
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
        if let AnswerAudit::PerAnswer = audit {
            audited.push((answer_id.0, answer_json(before), answer_json(new)));
        } else {
            let requirement = row.ref_id.clone();
            grouped_before.push(serde_json::json!({"answer_id": answer_id.0, "requirement": requirement, "answer": answer_json(before)}));
            grouped_after.push(serde_json::json!({"answer_id": answer_id.0, "requirement": requirement, "answer": answer_json(new)}));
        }
        row.answer = new.clone();
        row.version += 1;
        row.updated_at_ms = Some(now);
        row.updated_by = Some(by.label.clone());
    }
    if let AnswerAudit::Grouped { action, extra } = audit
        && !grouped_after.is_empty()
    {
        let mut after = serde_json::json!({ "rows": grouped_after });
        if let (Some(a), serde_json::Value::Object(x)) = (after.as_object_mut(), extra) {
            a.extend(x);
        }
        append_audit(
            tx,
            by,
            Change {
                org_id: Some(org),
                action,
                object_type: "assessment",
                object_id: id.to_string(),
                before: serde_json::json!({ "rows": grouped_before }),
                after,
            },
        )
        .await?;
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
    Ok((id, rows))
}
