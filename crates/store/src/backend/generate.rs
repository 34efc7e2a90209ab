// Bulk generation of synthetic members and assessments (the demo at scale, benchmarks).
// See `crate::generate`. Each call is one transaction with one audit entry for all its rows.

/// Organisations (11 parameters each) or memberships (4) per multi-row INSERT.
const ORG_BATCH: usize = 1000;
/// Generated answer rows per multi-row INSERT: 13 parameters each stays below SQLite's 32,766.
const GENERATED_ANSWER_BATCH: usize = 2000;
/// Topic tally rows (8 parameters each) or assessments (10) per multi-row INSERT.
const TOPIC_BATCH: usize = 2000;

pub(crate) async fn generate_members(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    orgs: &[OrgInput],
    membership: &MembershipInput,
) -> Result<Vec<OrgId>> {
    if orgs.is_empty() {
        return Ok(vec![]);
    }
    let mut tx = begin_write(pool).await?;
    let now = now_ms();
    let mut ids: Vec<i64> = Vec::with_capacity(orgs.len());
    for chunk in orgs.chunks(ORG_BATCH) {
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO organisations (federation_id, name, kind, ags, population, staff, it_workplaces, address, version, created_at_ms, updated_at_ms) ",
        );
        qb.push_values(chunk, |mut b, o| {
            b.push_bind(federation.0)
                .push_bind(o.name.as_str())
                .push_bind(o.kind.code())
                .push_bind(o.ags.as_ref().map(|a| a.as_str()))
                .push_bind(o.population)
                .push_bind(o.staff)
                .push_bind(o.it_workplaces)
                .push_bind(o.address.as_deref())
                .push_bind(1_i64)
                .push_bind(now)
                .push_bind(now);
        });
        qb.push(" RETURNING id");
        let mut got: Vec<i64> = qb
            .build_query_scalar()
            .fetch_all(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, "ags"))?;
        // Both databases number the rows of one INSERT in the order given (SQLite: rowid
        // max + 1, PostgreSQL: one nextval per row); only RETURNING's order is unspecified.
        got.sort_unstable();
        ids.extend(got);
    }
    let starts = format_date(membership.starts_on);
    let ends = membership.ends_on.map(format_date);
    for chunk in ids.chunks(ORG_BATCH) {
        let mut qb: sqlx::QueryBuilder<DB> =
            sqlx::QueryBuilder::new("INSERT INTO memberships (org_id, starts_on, ends_on, note) ");
        qb.push_values(chunk, |mut b, id| {
            b.push_bind(*id)
                .push_bind(starts.as_str())
                .push_bind(ends.as_deref())
                .push_bind(membership.note.as_deref());
        });
        qb.build().execute(&mut *tx).await?;
    }
    let (first, last) = (ids[0], ids[ids.len() - 1]);
    append_audit(&mut tx, by, Change {
        org_id: None,
        action: "org.generate",
        object_type: "organisation",
        object_id: format!("{first}-{last}"),
        before: serde_json::Value::Null,
        after: serde_json::json!({"count": ids.len(), "first_id": first, "last_id": last, "membership_starts_on": starts}),
    })
    .await?;
    tx.commit().await?;
    Ok(ids.into_iter().map(OrgId).collect())
}

pub(crate) async fn generate_assessments(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    catalog_id: i64,
    members: &[(OrgId, Vec<AssessAnswer>)],
) -> Result<Vec<i64>> {
    if members.is_empty() {
        return Ok(vec![]);
    }
    let mut tx = begin_write(pool).await?;
    let catalog = catalog_items(&mut tx, federation, catalog_id).await?;
    if members
        .iter()
        .any(|(_, answers)| answers.len() != catalog.items.len())
    {
        return Err(
            verbund_domain::validation::ValidationErrors::single("answers", "error-count").into(),
        );
    }
    let orgs: Vec<i64> = members.iter().map(|(o, _)| o.0).collect();
    let unique: std::collections::BTreeSet<i64> = orgs.iter().copied().collect();
    let known: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM organisations WHERE federation_id = $1 AND id IN ({})",
        id_list(&orgs)
    )))
    .bind(federation.0)
    .fetch_one(&mut *tx)
    .await?;
    if usize::try_from(known).ok() != Some(unique.len()) {
        return Err(StoreError::NotFound);
    }
    let now = now_ms();
    let tallies: Vec<(Vec<Tally>, Tally)> = members
        .iter()
        .map(|(_, answers)| catalog.tallies(answers.iter().map(|a| (a.status, a.is_justified()))))
        .collect();
    for chunk in members
        .iter()
        .zip(&tallies)
        .collect::<Vec<_>>()
        .chunks(TOPIC_BATCH)
    {
        let encoded = chunk
            .iter()
            .map(|(_, (_, overall))| tally_text(overall))
            .collect::<Result<Vec<_>>>()?;
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO assessments (federation_id, org_id, catalog_id, created_at_ms, created_by, updated_at_ms, total, answered, score_bp, compared_bp, tally_json) ",
        );
        qb.push_values(
            chunk.iter().zip(encoded),
            |mut b, (((org, _), (_, overall)), json)| {
                b.push_bind(federation.0)
                    .push_bind(org.0)
                    .push_bind(catalog_id)
                    .push_bind(now)
                    .push_bind(by.label.as_str())
                    .push_bind(now)
                    .push_bind(i64::from(overall.total))
                    .push_bind(i64::from(overall.answered()))
                    .push_bind(bp(overall))
                    .push_bind(compared(overall))
                    .push_bind(json);
            },
        );
        qb.build()
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, "orgs"))?;
    }
    let created: std::collections::HashMap<i64, i64> =
        sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(format!(
            "SELECT org_id, id FROM assessments WHERE catalog_id = $1 AND org_id IN ({})",
            id_list(&orgs)
        )))
        .bind(catalog_id)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
    let ids = orgs
        .iter()
        .map(|o| created.get(o).copied().ok_or(StoreError::NotFound))
        .collect::<Result<Vec<i64>>>()?;
    // (assessment, topic index, topic node, tally) of every topic of every member.
    let topics: Vec<(i64, i64, i64, &Tally)> =
        ids.iter()
            .zip(&tallies)
            .flat_map(|(&id, (per_topic, _))| {
                catalog.topic_nodes.iter().zip(per_topic).enumerate().map(
                    move |(t, (&node, tally))| {
                        (id, i64::try_from(t).unwrap_or(i64::MAX), node, tally)
                    },
                )
            })
            .collect();
    for chunk in topics.chunks(TOPIC_BATCH) {
        let encoded = chunk
            .iter()
            .map(|t| tally_text(t.3))
            .collect::<Result<Vec<_>>>()?;
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO assessment_topics (assessment_id, catalog_id, topic_index, topic_node_id, total, answered, score_bp, compared_bp, tally_json) ",
        );
        qb.push_values(
            chunk.iter().zip(encoded),
            |mut b, ((id, index, node, tally), json)| {
                b.push_bind(*id)
                    .push_bind(catalog_id)
                    .push_bind(*index)
                    .push_bind(*node)
                    .push_bind(i64::from(tally.total))
                    .push_bind(i64::from(tally.answered()))
                    .push_bind(bp(tally))
                    .push_bind(compared(tally))
                    .push_bind(json);
            },
        );
        qb.build().execute(&mut *tx).await?;
    }
    let rows: Vec<(i64, &CatalogItem, &AssessAnswer)> = ids
        .iter()
        .zip(members)
        .flat_map(|(&id, (_, answers))| {
            catalog
                .items
                .iter()
                .zip(answers)
                .map(move |(item, answer)| (id, item, answer))
        })
        .collect();
    for chunk in rows.chunks(GENERATED_ANSWER_BATCH) {
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO assessment_answers (assessment_id, node_id, position, topic_index, priority, status, justification, owner, due_on, comment, updated_at_ms, updated_by, version) ",
        );
        qb.push_values(chunk, |mut b, (id, item, a)| {
            let answered = a.status != AnswerStatus::Unanswered;
            b.push_bind(*id)
                .push_bind(item.0)
                .push_bind(item.1)
                .push_bind(item.2)
                .push_bind(item.3.as_deref())
                .push_bind(status_code(a.status))
                .push_bind(a.justification.as_deref())
                .push_bind(a.owner.as_deref())
                .push_bind(a.due_on.map(format_date))
                .push_bind(a.comment.as_deref())
                .push_bind(answered.then_some(now))
                .push_bind(answered.then_some(by.label.as_str()))
                .push_bind(1_i64);
        });
        qb.build().execute(&mut *tx).await?;
    }
    let (first, last) = (
        ids.iter().min().copied().unwrap_or(0),
        ids.iter().max().copied().unwrap_or(0),
    );
    append_audit(&mut tx, by, Change {
        org_id: None,
        action: "assessment.generate",
        object_type: "assessment",
        object_id: format!("{first}-{last}"),
        before: serde_json::Value::Null,
        after: serde_json::json!({"catalog_id": catalog_id, "assessments": ids.len(), "answers": rows.len()}),
    })
    .await?;
    // Only members that have answered something count in the comparison (`compared`).
    let add = |(members, sum): (i64, i64), c: Option<i64>| {
        (members + i64::from(c.is_some()), sum + c.unwrap_or(0))
    };
    let (n, sum) = tallies
        .iter()
        .map(|(_, overall)| compared(overall))
        .fold((0, 0), add);
    let mut sums = vec![(-1, n, sum)];
    for t in 0..catalog.topic_nodes.len() {
        let (n, sum) = tallies
            .iter()
            .map(|(per_topic, _)| per_topic.get(t).and_then(compared))
            .fold((0, 0), add);
        sums.push((i64::try_from(t).unwrap_or(i64::MAX), n, sum));
    }
    add_score_sums(&mut tx, catalog_id, &sums).await?;
    tx.commit().await?;
    Ok(ids)
}
