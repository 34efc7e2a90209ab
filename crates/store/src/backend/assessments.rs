// Assessments: starting, listing and reading them with their topics. Answers (with tallies
// maintained on write), snapshots, evidence, the heatmap and migration to a new catalog
// revision are in the sibling files `mod.rs` includes with this one. See `crate::assessments`.

// Imported here once for all of those files: they share one module per backend.
use verbund_domain::assessment::{Answer as AssessAnswer, AnswerStatus, Tally};

/// Rows per multi-row INSERT of answers (9 parameters each).
const ANSWER_BATCH: usize = 400;

pub(crate) async fn start_assessments(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    federation: FederationId,
    catalog_id: i64,
    orgs: &[OrgId],
) -> Result<Vec<i64>> {
    let mut tx = begin_write(pool).await?;
    let created = create_assessments(&mut tx, by, scope, federation, catalog_id, orgs).await?;
    tx.commit().await?;
    Ok(created)
}

/// Creates assessments inside the caller's transaction (see `start_assessments`).
/// Organisations of `orgs` outside `scope` or the federation fail the whole call with `NotFound`.
async fn create_assessments(
    tx: &mut Tx,
    by: &AuditActor,
    scope: &Scope,
    federation: FederationId,
    catalog_id: i64,
    orgs: &[OrgId],
) -> Result<Vec<i64>> {
    let catalog = catalog_items(tx, federation, catalog_id).await?;
    let (per_topic, overall) = catalog.tallies(
        catalog
            .items
            .iter()
            .map(|_| (AnswerStatus::Unanswered, false)),
    );
    let CatalogItems { items, topic_nodes } = catalog;
    let existing: std::collections::HashSet<i64> =
        sqlx::query_scalar("SELECT org_id FROM assessments WHERE catalog_id = $1")
            .bind(catalog_id)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .collect();
    let members: Vec<i64> = if orgs.is_empty() {
        vec![]
    } else {
        let list: Vec<String> = orgs.iter().map(|o| o.0.to_string()).collect();
        sqlx::query_scalar(AssertSqlSafe(format!("SELECT id FROM organisations WHERE federation_id = $1 AND kind <> 'provider' AND id IN ({}) AND {} ORDER BY id", list.join(","), scope_sql(scope, "id"))))
            .bind(federation.0)
            .fetch_all(&mut **tx)
            .await?
    };
    if members.len() != orgs.iter().collect::<std::collections::BTreeSet<_>>().len() {
        return Err(StoreError::NotFound);
    }
    let now = now_ms();
    let mut created = Vec::new();
    for org in members.into_iter().filter(|o| !existing.contains(o)) {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessments (federation_id, org_id, catalog_id, created_at_ms, created_by, updated_at_ms, total, answered, score_bp, compared_bp, tally_json) \
             VALUES ($1, $2, $3, $4, $5, $4, $6, 0, $7, $8, $9) RETURNING id",
        )
        .bind(federation.0)
        .bind(org)
        .bind(catalog_id)
        .bind(now)
        .bind(&by.label)
        .bind(i64::from(overall.total))
        .bind(bp(&overall))
        .bind(compared(&overall))
        .bind(tally_text(&overall)?)
        .fetch_one(&mut **tx)
        .await?;
        if !topic_nodes.is_empty() {
            let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
                "INSERT INTO assessment_topics (assessment_id, catalog_id, topic_index, topic_node_id, total, answered, score_bp, compared_bp, tally_json) ",
            );
            let mut encoded = Vec::with_capacity(topic_nodes.len());
            for t in &per_topic {
                encoded.push(tally_text(t)?);
            }
            qb.push_values(topic_nodes.iter().enumerate(), |mut b, (t, &node)| {
                b.push_bind(id)
                    .push_bind(catalog_id)
                    .push_bind(i64::try_from(t).unwrap_or(i64::MAX))
                    .push_bind(node)
                    .push_bind(i64::from(per_topic[t].total))
                    .push_bind(0_i64)
                    .push_bind(bp(&per_topic[t]))
                    .push_bind(compared(&per_topic[t]))
                    .push_bind(encoded[t].clone());
            });
            qb.build().execute(&mut **tx).await?;
        }
        for chunk in items.chunks(ANSWER_BATCH) {
            let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
                "INSERT INTO assessment_answers (assessment_id, node_id, position, topic_index, priority, status, version) ",
            );
            qb.push_values(chunk, |mut b, it| {
                b.push_bind(id)
                    .push_bind(it.0)
                    .push_bind(it.1)
                    .push_bind(it.2)
                    .push_bind(it.3.clone())
                    .push_bind("unanswered")
                    .push_bind(1_i64);
            });
            qb.build().execute(&mut **tx).await?;
        }
        append_audit(
            tx,
            by,
            Change {
                org_id: Some(OrgId(org)),
                action: "assessment.start",
                object_type: "assessment",
                object_id: id.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::json!({"catalog_id": catalog_id, "requirements": items.len()}),
            },
        )
        .await?;
        created.push(id);
    }
    // New assessments have nothing answered, so they count only once answered (kept general).
    let n = i64::try_from(created.len()).unwrap_or(i64::MAX);
    let times = |(t, members, sum): (i64, i64, i64)| (t, n * members, n * sum);
    let sums: Vec<(i64, i64, i64)> =
        std::iter::once(times(sum_change(-1, None, compared(&overall))))
            .chain(per_topic.iter().enumerate().map(|(t, tally)| {
                times(sum_change(
                    i64::try_from(t).unwrap_or(i64::MAX),
                    None,
                    compared(tally),
                ))
            }))
            .collect();
    add_score_sums(tx, catalog_id, &sums).await?;
    Ok(created)
}

const ASSESSMENT_SELECT: &str = "SELECT a.id, a.org_id, o.name AS org_name, a.catalog_id, c.name AS catalog_name, c.revision, a.created_at_ms, a.created_by, a.updated_at_ms, a.tally_json, a.revision AS answers_revision \
     FROM assessments a JOIN organisations o ON o.id = a.org_id JOIN catalogs c ON c.id = a.catalog_id";

fn assessment_from_row(
    r: &<DB as sqlx::Database>::Row,
) -> Result<crate::assessments::StoredAssessment> {
    Ok(crate::assessments::StoredAssessment {
        id: AssessmentId(r.try_get("id")?),
        org_id: OrgId(r.try_get("org_id")?),
        org_name: r.try_get("org_name")?,
        catalog_id: CatalogId(r.try_get("catalog_id")?),
        catalog_name: r.try_get("catalog_name")?,
        catalog_revision: r.try_get("revision")?,
        created_at_ms: r.try_get("created_at_ms")?,
        created_by: r.try_get("created_by")?,
        updated_at_ms: r.try_get("updated_at_ms")?,
        revision: r.try_get("answers_revision")?,
        tally: from_json(&r.try_get::<String, _>("tally_json")?, "tally")?,
    })
}

pub(crate) async fn assessments(
    pool: &Pool<DB>,
    scope: &Scope,
    catalog_id: Option<i64>,
    page: PageRequest,
) -> Result<Page<crate::assessments::StoredAssessment>> {
    let filter = format!(
        "{} AND ($1 IS NULL OR a.catalog_id = $1)",
        scope_sql(scope, "a.org_id")
    );
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM assessments a WHERE {filter}"
    )))
    .bind(catalog_id)
    .fetch_one(pool)
    .await?;
    let rows = sqlx::query(AssertSqlSafe(format!("{ASSESSMENT_SELECT} WHERE {filter} ORDER BY o.name, c.name, c.revision DESC, a.id LIMIT $2 OFFSET $3")))
        .bind(catalog_id)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(pool)
        .await?;
    let items = rows
        .iter()
        .map(assessment_from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// The revision of an assessment inside `scope` (see migration 0009).
pub(crate) async fn assessment_revision(pool: &Pool<DB>, scope: &Scope, id: i64) -> Result<i64> {
    let row: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT revision FROM assessments WHERE id = $1 AND {}",
        scope_sql(scope, "org_id")
    )))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    crate::assessments::found(row)
}

pub(crate) async fn assessment(
    pool: &Pool<DB>,
    scope: &Scope,
    id: i64,
) -> Result<crate::assessments::StoredAssessment> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "{ASSESSMENT_SELECT} WHERE a.id = $1 AND {}",
        scope_sql(scope, "a.org_id")
    )))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    assessment_from_row(&crate::assessments::found(row)?)
}

/// The assessment's member if it lies inside `scope`.
async fn assessment_org<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    scope: &Scope,
    id: i64,
) -> Result<OrgId> {
    let org: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT org_id FROM assessments WHERE id = $1 AND {}",
        scope_sql(scope, "org_id")
    )))
    .bind(id)
    .fetch_optional(ex)
    .await?;
    crate::assessments::found(org).map(OrgId)
}

async fn topic_rows<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    id: i64,
) -> Result<Vec<crate::assessments::TopicScore>> {
    let rows = sqlx::query(
        "SELECT t.topic_index, n.ref_id, n.name, n.urn, t.tally_json FROM assessment_topics t JOIN catalog_nodes n ON n.id = t.topic_node_id \
         WHERE t.assessment_id = $1 ORDER BY t.topic_index",
    )
    .bind(id)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            let name: Option<String> = r.try_get("name")?;
            let ref_id: Option<String> = r.try_get("ref_id")?;
            Ok(crate::assessments::TopicScore {
                topic_index: r.try_get("topic_index")?,
                name: name
                    .or_else(|| ref_id.clone())
                    .map_or_else(|| r.try_get::<String, _>("urn"), Ok)?,
                ref_id,
                tally: from_json(&r.try_get::<String, _>("tally_json")?, "tally")?,
            })
        })
        .collect()
}

pub(crate) async fn assessment_topics(
    pool: &Pool<DB>,
    scope: &Scope,
    id: i64,
) -> Result<Vec<crate::assessments::TopicScore>> {
    assessment_org(pool, scope, id).await?;
    topic_rows(pool, id).await
}

pub(crate) async fn catalog_topics(
    pool: &Pool<DB>,
    federation: FederationId,
    catalog_id: i64,
) -> Result<Vec<(i64, Option<String>, String)>> {
    // Any assessment of the revision has the same topics; without one there is nothing to compare.
    let first: Option<i64> = sqlx::query_scalar("SELECT MIN(a.id) FROM assessments a JOIN catalogs c ON c.id = a.catalog_id WHERE a.catalog_id = $1 AND c.federation_id = $2")
        .bind(catalog_id)
        .bind(federation.0)
        .fetch_one(pool)
        .await?;
    let Some(first) = first else {
        return Ok(vec![]);
    };
    Ok(topic_rows(pool, first)
        .await?
        .into_iter()
        .map(|t| (t.topic_index, t.ref_id, t.name))
        .collect())
}

pub(crate) async fn assessment_counts_by_catalog(
    pool: &Pool<DB>,
    federation: FederationId,
) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as("SELECT catalog_id, COUNT(*) FROM assessments WHERE federation_id = $1 GROUP BY catalog_id ORDER BY catalog_id").bind(federation.0).fetch_all(pool).await?)
}

pub(crate) async fn catalog_groups(pool: &Pool<DB>, catalog_id: i64) -> Result<Vec<String>> {
    let meta: Option<String> = sqlx::query_scalar("SELECT meta_json FROM catalogs WHERE id = $1")
        .bind(catalog_id)
        .fetch_optional(pool)
        .await?;
    let meta: serde_json::Value = from_json(&crate::assessments::found(meta)?, "catalog metadata")?;
    Ok(meta["implementation_groups"]
        .as_array()
        .map(|g| {
            g.iter()
                .filter_map(|x| x["ref_id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}
