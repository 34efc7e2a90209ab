// Assessments: answers with tallies maintained on write. See `crate::assessments`.

use verbund_domain::assessment::{Answer as AssessAnswer, AnswerStatus, Tally};

/// Rows per multi-row INSERT of answers (9 parameters each).
const ANSWER_BATCH: usize = 400;

/// The topics of a catalog for assessments: every root node with at least one assessable
/// node at or below it, in document order. Returns, per node in input order, the topic index
/// of assessable nodes (`None` for the others), and the topics as (node index, topic index).
fn topics_of(nodes: &[(String, Option<String>, bool)]) -> (Vec<Option<i64>>, Vec<usize>) {
    let index: std::collections::HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.0.as_str(), i))
        .collect();
    let root_of = |mut i: usize| {
        // Imported catalogs are validated (no cycles); the step limit only guards bad data.
        for _ in 0..nodes.len() {
            match nodes[i].1.as_deref().and_then(|p| index.get(p)) {
                Some(&p) => i = p,
                None => break,
            }
        }
        i
    };
    let roots: Vec<Option<usize>> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| n.2.then(|| root_of(i)))
        .collect();
    let mut topics: Vec<usize> = roots.iter().flatten().copied().collect();
    topics.sort_unstable();
    topics.dedup();
    let pos: std::collections::HashMap<usize, i64> = topics
        .iter()
        .enumerate()
        .map(|(t, &r)| (r, i64::try_from(t).unwrap_or(i64::MAX)))
        .collect();
    (
        roots
            .iter()
            .map(|r| r.and_then(|r| pos.get(&r).copied()))
            .collect(),
        topics,
    )
}

fn tally_text(t: &Tally) -> Result<String> {
    json_text(t)
}

/// The `score_bp` column: the score, 0 without one.
fn bp(t: &Tally) -> i64 {
    t.score_bp().map_or(0, i64::from)
}

/// The `compared_bp` column: the score as the federation comparison counts it, `None`
/// while nothing is answered (not yet assessed) or without a score.
fn compared(t: &Tally) -> Option<i64> {
    t.compared_score_bp().map(i64::from)
}

/// One (topic index or -1, members, score) change of the federation-wide sums when a
/// tally's compared score goes from `before` to `after`: a member counts while it has one.
fn sum_change(index: i64, before: Option<i64>, after: Option<i64>) -> (i64, i64, i64) {
    (
        index,
        i64::from(after.is_some()) - i64::from(before.is_some()),
        after.unwrap_or(0) - before.unwrap_or(0),
    )
}

fn status_code(s: AnswerStatus) -> &'static str {
    s.as_str()
}

fn status_of(code: &str) -> Result<AnswerStatus> {
    AnswerStatus::parse(code).ok_or_else(|| {
        StoreError::Db(sqlx::Error::Decode(
            format!("stored answer status {code:?} is invalid").into(),
        ))
    })
}

/// An assessable node as answer rows store it: node id, position, topic index, priority.
type CatalogItem = (i64, i64, i64, Option<String>);

/// The assessable items and topics of a catalog revision, as assessments store them.
struct CatalogItems {
    /// Every assessable node, in document order.
    items: Vec<CatalogItem>,
    /// Node ID of every topic, in topic order.
    topic_nodes: Vec<i64>,
}

/// Loads the items and topics of catalog revision `catalog_id` (`NotFound` outside `federation`).
async fn catalog_items(
    tx: &mut Tx,
    federation: FederationId,
    catalog_id: i64,
) -> Result<CatalogItems> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM catalogs WHERE id = $1 AND federation_id = $2")
            .bind(catalog_id)
            .bind(federation.0)
            .fetch_optional(&mut **tx)
            .await?;
    crate::assessments::found(found)?;
    let rows = sqlx::query("SELECT id, urn, parent_urn, assessable, groups_json FROM catalog_nodes WHERE catalog_id = $1 ORDER BY position").bind(catalog_id).fetch_all(&mut **tx).await?;
    let mut nodes = Vec::with_capacity(rows.len());
    let mut meta = Vec::with_capacity(rows.len());
    for r in &rows {
        nodes.push((
            r.try_get::<String, _>("urn")?,
            r.try_get::<Option<String>, _>("parent_urn")?,
            r.try_get::<i64, _>("assessable")? != 0,
        ));
        let groups: Vec<String> =
            from_json(&r.try_get::<String, _>("groups_json")?, "node groups")?;
        meta.push((r.try_get::<i64, _>("id")?, groups.into_iter().next()));
    }
    let (topic_of, topics) = topics_of(&nodes);
    let items = topic_of
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            t.map(|t| {
                (
                    meta[i].0,
                    i64::try_from(i).unwrap_or(i64::MAX),
                    t,
                    meta[i].1.clone(),
                )
            })
        })
        .collect();
    Ok(CatalogItems {
        items,
        topic_nodes: topics.iter().map(|&n| meta[n].0).collect(),
    })
}

impl CatalogItems {
    /// The tally of every topic and the overall tally of `answers` (one per item, in order).
    fn tallies(
        &self,
        answers: impl IntoIterator<Item = (AnswerStatus, bool)>,
    ) -> (Vec<Tally>, Tally) {
        let mut per_topic = vec![Tally::default(); self.topic_nodes.len()];
        let mut overall = Tally::default();
        for (it, (status, justified)) in self.items.iter().zip(answers) {
            if let Some(t) = usize::try_from(it.2)
                .ok()
                .and_then(|t| per_topic.get_mut(t))
            {
                t.add(status, justified);
            }
            overall.add(status, justified);
        }
        (per_topic, overall)
    }
}

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
        sqlx::query_scalar(AssertSqlSafe(format!("SELECT id FROM organisations WHERE federation_id = $1 AND id IN ({}) AND {} ORDER BY id", list.join(","), scope_sql(scope, "id"))))
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

/// Adds to the federation-wide score sums of `catalog_id`, per (topic index, -1 for overall):
/// `members` more assessments and `delta_bp` more score. Only assessments (topics) with a
/// compared score count (`compared_bp`: at least one answer and a score), so members that
/// have not assessed yet stay out of the averages. Called after the change's audit
/// entry: writers are then already serialized on the audit head and never deadlock here.
async fn add_score_sums(tx: &mut Tx, catalog_id: i64, changes: &[(i64, i64, i64)]) -> Result<()> {
    let changes: Vec<&(i64, i64, i64)> = changes.iter().filter(|c| c.1 != 0 || c.2 != 0).collect();
    if changes.is_empty() {
        return Ok(());
    }
    let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
        "INSERT INTO assessment_score_sums (catalog_id, topic_index, members, sum_bp) ",
    );
    qb.push_values(changes, |mut b, &(topic, members, delta_bp)| {
        b.push_bind(catalog_id)
            .push_bind(topic)
            .push_bind(members)
            .push_bind(delta_bp);
    });
    qb.push(" ON CONFLICT (catalog_id, topic_index) DO UPDATE SET members = assessment_score_sums.members + excluded.members, sum_bp = assessment_score_sums.sum_bp + excluded.sum_bp");
    qb.build().execute(&mut **tx).await?;
    Ok(())
}

/// Recomputes the score sums from the stored tallies (after a restore; they are not backed up).
pub(crate) async fn rebuild_score_sums(tx: &mut Tx) -> Result<()> {
    sqlx::query("DELETE FROM assessment_score_sums")
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO assessment_score_sums (catalog_id, topic_index, members, sum_bp) SELECT catalog_id, -1, COUNT(*), SUM(compared_bp) FROM assessments WHERE compared_bp IS NOT NULL GROUP BY catalog_id",
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO assessment_score_sums (catalog_id, topic_index, members, sum_bp) SELECT catalog_id, topic_index, COUNT(*), SUM(compared_bp) FROM assessment_topics \
         WHERE compared_bp IS NOT NULL GROUP BY catalog_id, topic_index",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

const ASSESSMENT_SELECT: &str = "SELECT a.id, a.org_id, o.name AS org_name, a.catalog_id, c.name AS catalog_name, c.revision, a.created_at_ms, a.created_by, a.updated_at_ms, a.tally_json \
     FROM assessments a JOIN organisations o ON o.id = a.org_id JOIN catalogs c ON c.id = a.catalog_id";

fn assessment_from_row(
    r: &<DB as sqlx::Database>::Row,
) -> Result<crate::assessments::StoredAssessment> {
    Ok(crate::assessments::StoredAssessment {
        id: r.try_get("id")?,
        org_id: OrgId(r.try_get("org_id")?),
        org_name: r.try_get("org_name")?,
        catalog_id: r.try_get("catalog_id")?,
        catalog_name: r.try_get("catalog_name")?,
        catalog_revision: r.try_get("revision")?,
        created_at_ms: r.try_get("created_at_ms")?,
        created_by: r.try_get("created_by")?,
        updated_at_ms: r.try_get("updated_at_ms")?,
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

const ANSWER_SELECT: &str = "SELECT a.id, n.urn, n.ref_id, n.name, n.description, n.guidance, a.topic_index, a.priority, a.status, a.justification, a.owner, a.due_on, a.comment, \
     a.version, a.updated_at_ms, a.updated_by, (SELECT COUNT(*) FROM evidence e WHERE e.answer_id = a.id) AS evidence_count \
     FROM assessment_answers a JOIN catalog_nodes n ON n.id = a.node_id";

fn answer_from_row(r: &<DB as sqlx::Database>::Row) -> Result<crate::assessments::AnswerRow> {
    let due: Option<String> = r.try_get("due_on")?;
    Ok(crate::assessments::AnswerRow {
        id: r.try_get("id")?,
        urn: r.try_get("urn")?,
        ref_id: r.try_get("ref_id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        guidance: r.try_get("guidance")?,
        topic_index: r.try_get("topic_index")?,
        priority: r.try_get("priority")?,
        answer: AssessAnswer {
            status: status_of(&r.try_get::<String, _>("status")?)?,
            justification: r.try_get("justification")?,
            owner: r.try_get("owner")?,
            due_on: due
                .as_deref()
                .and_then(|d| verbund_domain::validation::parse_date(d).ok()),
            comment: r.try_get("comment")?,
        },
        version: r.try_get("version")?,
        updated_at_ms: r.try_get("updated_at_ms")?,
        updated_by: r.try_get("updated_by")?,
        evidence_count: r.try_get("evidence_count")?,
    })
}

/// Appends ` WHERE …` with the conditions of `f` that are given (unused conditions would cost
/// a scan each on some plans), binding their values.
fn push_answer_filter(
    qb: &mut sqlx::QueryBuilder<DB>,
    id: i64,
    f: &crate::assessments::AnswerFilter,
    owner: Option<&str>,
    q: Option<&str>,
) {
    qb.push(" WHERE a.assessment_id = ").push_bind(id);
    if let Some(t) = f.topic {
        qb.push(" AND a.topic_index = ").push_bind(t);
    }
    if let Some(s) = f.status {
        qb.push(" AND a.status = ").push_bind(status_code(s));
    }
    if let Some(p) = f.priority.as_deref() {
        qb.push(" AND a.priority = ").push_bind(p);
    }
    if let Some(o) = owner {
        qb.push(" AND LOWER(a.owner) LIKE ")
            .push_bind(o)
            .push(" ESCAPE '\\'");
    }
    if let Some(q) = q {
        qb.push(" AND LOWER(COALESCE(n.ref_id, '') || ' ' || COALESCE(n.name, '') || ' ' || COALESCE(n.description, '')) LIKE ").push_bind(q).push(" ESCAPE '\\'");
    }
}

/// The answer columns of [`ANSWER_SELECT`] without the node texts (those come from the cache).
const ANSWER_STATE_SELECT: &str = "SELECT a.id, a.node_id, a.topic_index, a.priority, a.status, a.justification, a.owner, a.due_on, a.comment, \
     a.version, a.updated_at_ms, a.updated_by, (SELECT COUNT(*) FROM evidence e WHERE e.answer_id = a.id) AS evidence_count FROM assessment_answers a";

/// The node texts of catalog revision `catalog_id`, from the cache or loaded into it.
async fn node_texts(
    pool: &Pool<DB>,
    cache: &crate::assessments::NodeTextCache,
    catalog_id: i64,
) -> Result<std::sync::Arc<crate::assessments::NodeTexts>> {
    if let Some(texts) = cache.get(catalog_id) {
        return Ok(texts);
    }
    let rows = sqlx::query_as::<_, (i64, String, Option<String>, Option<String>, Option<String>, Option<String>)>(
        "SELECT id, urn, ref_id, name, description, guidance FROM catalog_nodes WHERE catalog_id = $1",
    )
    .bind(catalog_id)
    .fetch_all(pool)
    .await?;
    let texts: crate::assessments::NodeTexts = rows
        .into_iter()
        .map(|(id, urn, ref_id, name, description, guidance)| {
            (
                id,
                crate::assessments::NodeText {
                    urn,
                    ref_id,
                    name,
                    description,
                    guidance,
                },
            )
        })
        .collect();
    let texts = std::sync::Arc::new(texts);
    cache.put(catalog_id, texts.clone());
    Ok(texts)
}

fn answer_from_state_row(
    r: &<DB as sqlx::Database>::Row,
    texts: &crate::assessments::NodeTexts,
) -> Result<crate::assessments::AnswerRow> {
    let due: Option<String> = r.try_get("due_on")?;
    let node = texts
        .get(&r.try_get::<i64, _>("node_id")?)
        .ok_or(StoreError::NotFound)?;
    Ok(crate::assessments::AnswerRow {
        id: r.try_get("id")?,
        urn: node.urn.clone(),
        ref_id: node.ref_id.clone(),
        name: node.name.clone(),
        description: node.description.clone(),
        guidance: node.guidance.clone(),
        topic_index: r.try_get("topic_index")?,
        priority: r.try_get("priority")?,
        answer: AssessAnswer {
            status: status_of(&r.try_get::<String, _>("status")?)?,
            justification: r.try_get("justification")?,
            owner: r.try_get("owner")?,
            due_on: due
                .as_deref()
                .and_then(|d| verbund_domain::validation::parse_date(d).ok()),
            comment: r.try_get("comment")?,
        },
        version: r.try_get("version")?,
        updated_at_ms: r.try_get("updated_at_ms")?,
        updated_by: r.try_get("updated_by")?,
        evidence_count: r.try_get("evidence_count")?,
    })
}

pub(crate) async fn answers(
    pool: &Pool<DB>,
    cache: &crate::assessments::NodeTextCache,
    scope: &Scope,
    id: i64,
    f: &crate::assessments::AnswerFilter,
    page: Option<PageRequest>,
) -> Result<Page<crate::assessments::AnswerRow>> {
    let catalog_id: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT catalog_id FROM assessments WHERE id = $1 AND {}",
        scope_sql(scope, "org_id")
    )))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let texts = node_texts(pool, cache, crate::assessments::found(catalog_id)?).await?;
    let (owner, q) = (
        like_pattern(f.owner.as_deref()),
        like_pattern(f.q.as_deref()),
    );
    // Every answer has its node (foreign key), so only the text search needs the join.
    let join = if q.is_some() {
        " JOIN catalog_nodes n ON n.id = a.node_id"
    } else {
        ""
    };
    let mut select: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(ANSWER_STATE_SELECT);
    select.push(join);
    push_answer_filter(&mut select, id, f, owner.as_deref(), q.as_deref());
    select.push(" ORDER BY a.position");
    let Some(page) = page else {
        let rows = select.build().fetch_all(pool).await?;
        let items = rows
            .iter()
            .map(|r| answer_from_state_row(r, &texts))
            .collect::<Result<Vec<_>>>()?;
        let n = u32::try_from(items.len()).unwrap_or(u32::MAX).max(1);
        return Ok(Page {
            total: i64::from(n),
            items,
            page: 1,
            per_page: n,
        });
    };
    let mut count: sqlx::QueryBuilder<DB> =
        sqlx::QueryBuilder::new("SELECT COUNT(*) FROM assessment_answers a");
    count.push(join);
    push_answer_filter(&mut count, id, f, owner.as_deref(), q.as_deref());
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    select
        .push(" LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let rows = select.build().fetch_all(pool).await?;
    let items = rows
        .iter()
        .map(|r| answer_from_state_row(r, &texts))
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

pub(crate) async fn answers_by_id(
    pool: &Pool<DB>,
    scope: &Scope,
    id: i64,
    answer_ids: &[i64],
) -> Result<Vec<crate::assessments::AnswerRow>> {
    assessment_org(pool, scope, id).await?;
    answer_rows_by_id(pool, id, answer_ids).await
}

/// Answer rows by ID of assessment `id`, whose scope the caller has checked.
async fn answer_rows_by_id(
    pool: &Pool<DB>,
    id: i64,
    answer_ids: &[i64],
) -> Result<Vec<crate::assessments::AnswerRow>> {
    if answer_ids.is_empty() {
        return Ok(vec![]);
    }
    let rows = sqlx::query(AssertSqlSafe(format!(
        "{ANSWER_SELECT} WHERE a.assessment_id = $1 AND a.id IN ({}) ORDER BY a.position",
        id_list(answer_ids)
    )))
    .bind(id)
    .fetch_all(pool)
    .await?;
    let items = rows
        .iter()
        .map(answer_from_row)
        .collect::<Result<Vec<_>>>()?;
    let mut unique = answer_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if items.len() != unique.len() {
        return Err(StoreError::NotFound);
    }
    Ok(items)
}

pub(crate) async fn answer_ids_by_urn(
    pool: &Pool<DB>,
    scope: &Scope,
    id: i64,
) -> Result<Vec<(String, i64)>> {
    assessment_org(pool, scope, id).await?;
    Ok(sqlx::query_as("SELECT n.urn, a.id FROM assessment_answers a JOIN catalog_nodes n ON n.id = a.node_id WHERE a.assessment_id = $1 ORDER BY a.position").bind(id).fetch_all(pool).await?)
}

fn answer_json(a: &AssessAnswer) -> serde_json::Value {
    serde_json::to_value(a).unwrap_or(serde_json::Value::Null)
}

pub(crate) async fn set_answers(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: i64,
    changes: &[(i64, Option<i64>, AssessAnswer)],
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
    changes: &[(i64, Option<i64>, AssessAnswer)],
) -> Result<Vec<i64>> {
    let now = now_ms();
    // Touching the assessment row first locks it (PostgreSQL), so concurrent writers of the
    // same assessment update its tallies one after the other.
    let touched: Option<(i64, i64, String)> =
        sqlx::query_as(AssertSqlSafe(format!("UPDATE assessments SET updated_at_ms = $2 WHERE id = $1 AND {} RETURNING org_id, catalog_id, tally_json", scope_sql(scope, "org_id"))))
            .bind(id)
            .bind(now)
            .fetch_optional(&mut **tx)
            .await?;
    let (org, catalog_id, tally_json) = crate::assessments::found(touched)?;
    let org = OrgId(org);
    let ids: Vec<i64> = changes.iter().map(|c| c.0).collect();
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
    for (answer_id, expected, new) in changes {
        let (topic, version, before) = current.get_mut(answer_id).ok_or(StoreError::NotFound)?;
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
        .bind(answer_id)
        .bind(status_code(new.status))
        .bind(&new.justification)
        .bind(&new.owner)
        .bind(new.due_on.map(format_date))
        .bind(&new.comment)
        .bind(now)
        .bind(&by.label)
        .execute(&mut **tx)
        .await?;
        append_audit(
            tx,
            by,
            Change {
                org_id: Some(org),
                action: "answer.update",
                object_type: "assessment_answer",
                object_id: answer_id.to_string(),
                before: answer_json(before),
                after: answer_json(new),
            },
        )
        .await?;
        *before = new.clone();
        *version += 1;
    }
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
        id: r.try_get("id")?,
        assessment_id: r.try_get("assessment_id")?,
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
        id: snapshot_id,
        assessment_id: id,
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

const EVIDENCE_COLUMNS: &str = "e.id, e.answer_id, e.file_name, e.content_type, e.size_bytes, e.sha256, e.uploaded_at_ms, e.uploaded_by";

fn evidence_from_row(r: &<DB as sqlx::Database>::Row) -> Result<crate::assessments::EvidenceMeta> {
    Ok(crate::assessments::EvidenceMeta {
        id: r.try_get("id")?,
        answer_id: r.try_get("answer_id")?,
        file_name: r.try_get("file_name")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        uploaded_at_ms: r.try_get("uploaded_at_ms")?,
        uploaded_by: r.try_get("uploaded_by")?,
    })
}

/// The answer's assessment and member if it lies inside `scope`.
async fn answer_owner<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    scope: &Scope,
    answer_id: i64,
) -> Result<(i64, OrgId)> {
    let row: Option<(i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT a.assessment_id, s.org_id FROM assessment_answers a JOIN assessments s ON s.id = a.assessment_id WHERE a.id = $1 AND {}",
        scope_sql(scope, "s.org_id")
    )))
    .bind(answer_id)
    .fetch_optional(ex)
    .await?;
    crate::assessments::found(row).map(|(a, o)| (a, OrgId(o)))
}

pub(crate) async fn add_evidence(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    answer_id: i64,
    e: &crate::assessments::NewEvidence,
    sha256: &str,
) -> Result<crate::assessments::EvidenceMeta> {
    use base64::Engine;
    let mut tx = begin_write(pool).await?;
    let (assessment_id, org) = answer_owner(&mut *tx, scope, answer_id).await?;
    let size = i64::try_from(e.content.len()).unwrap_or(i64::MAX);
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO evidence (answer_id, assessment_id, file_name, content_type, size_bytes, sha256, content_b64, uploaded_at_ms, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(answer_id)
    .bind(assessment_id)
    .bind(&e.file_name)
    .bind(&e.content_type)
    .bind(size)
    .bind(sha256)
    .bind(base64::engine::general_purpose::STANDARD.encode(&e.content))
    .bind(now)
    .bind(&by.label)
    .fetch_one(&mut *tx)
    .await?;
    let meta = crate::assessments::EvidenceMeta {
        id,
        answer_id,
        file_name: e.file_name.clone(),
        content_type: e.content_type.clone(),
        size_bytes: size,
        sha256: sha256.to_owned(),
        uploaded_at_ms: now,
        uploaded_by: by.label.clone(),
    };
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "evidence.add",
            object_type: "evidence",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&meta),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(meta)
}

pub(crate) async fn evidence_list(
    pool: &Pool<DB>,
    scope: &Scope,
    answer_id: i64,
) -> Result<Vec<crate::assessments::EvidenceMeta>> {
    answer_owner(pool, scope, answer_id).await?;
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {EVIDENCE_COLUMNS} FROM evidence e WHERE e.answer_id = $1 ORDER BY e.id"
    )))
    .bind(answer_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(evidence_from_row).collect()
}

async fn evidence_row<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    scope: &Scope,
    evidence_id: i64,
) -> Result<(crate::assessments::EvidenceMeta, String, OrgId)> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {EVIDENCE_COLUMNS}, e.content_b64, s.org_id FROM evidence e JOIN assessments s ON s.id = e.assessment_id WHERE e.id = $1 AND {}",
        scope_sql(scope, "s.org_id")
    )))
    .bind(evidence_id)
    .fetch_optional(ex)
    .await?;
    let row = crate::assessments::found(row)?;
    Ok((
        evidence_from_row(&row)?,
        row.try_get("content_b64")?,
        OrgId(row.try_get("org_id")?),
    ))
}

pub(crate) async fn evidence(
    pool: &Pool<DB>,
    scope: &Scope,
    evidence_id: i64,
) -> Result<(crate::assessments::EvidenceMeta, Vec<u8>)> {
    use base64::Engine;
    let (meta, b64, _) = evidence_row(pool, scope, evidence_id).await?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))?;
    Ok((meta, bytes))
}

pub(crate) async fn delete_evidence(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    evidence_id: i64,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let (meta, _, org) = evidence_row(&mut *tx, scope, evidence_id).await?;
    sqlx::query("DELETE FROM evidence WHERE id = $1")
        .bind(evidence_id)
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "evidence.delete",
            object_type: "evidence",
            object_id: evidence_id.to_string(),
            before: to_json(&meta),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn heatmap_rows(
    pool: &Pool<DB>,
    scope: &Scope,
    catalog_id: i64,
    sort: crate::assessments::HeatmapSort,
    page: PageRequest,
) -> Result<Page<crate::assessments::HeatmapRow>> {
    use crate::assessments::HeatmapSort;
    let filter = format!("a.catalog_id = $1 AND {}", scope_sql(scope, "a.org_id"));
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM assessments a WHERE {filter}"
    )))
    .bind(catalog_id)
    .fetch_one(pool)
    .await?;
    // Each order starts from the index that delivers it (SQLite keeps the join order of CROSS
    // JOIN), so a page of 11,000 members reads about one page of rows instead of sorting all.
    // (PostgreSQL plans CROSS JOIN with WHERE like any inner join.)
    let (from, join_on, key, order, topic) = match sort {
        HeatmapSort::Name => (
            "organisations o CROSS JOIN assessments a",
            "a.org_id = o.id AND o.federation_id = (SELECT c.federation_id FROM catalogs c WHERE c.id = $1)",
            "0",
            "o.name, o.id",
            None,
        ),
        HeatmapSort::Score => (
            "assessments a JOIN organisations o ON o.id = a.org_id",
            "1=1",
            "a.score_bp",
            "a.score_bp, o.name, o.id",
            None,
        ),
        HeatmapSort::Topic(t) => (
            "assessment_topics t CROSS JOIN assessments a JOIN organisations o ON o.id = a.org_id",
            "a.id = t.assessment_id AND t.catalog_id = $1 AND t.topic_index = $4",
            "t.score_bp",
            "t.score_bp, o.name, o.id",
            Some(t),
        ),
    };
    // The page is chosen first, so the latest snapshot is looked up for its rows only.
    let mut q = sqlx::query_as::<_, (i64, i64, String, i64, Option<i64>, i64, i64, Option<i64>)>(AssertSqlSafe(format!(
        "SELECT p.id, p.org_id, p.name, p.score_bp, p.compared_bp, p.answered, p.total, \
         (SELECT s.score_bp FROM assessment_snapshots s WHERE s.assessment_id = p.id ORDER BY s.taken_at_ms DESC, s.id DESC LIMIT 1) \
         FROM (SELECT a.id, a.org_id, o.name, a.score_bp, a.compared_bp, a.answered, a.total, {key} AS sort_key FROM {from} WHERE {join_on} AND {filter} ORDER BY {order} LIMIT $2 OFFSET $3) p \
         ORDER BY p.sort_key, p.name, p.org_id"
    )))
    .bind(catalog_id)
    .bind(page.limit())
    .bind(page.offset());
    if let Some(t) = topic {
        q = q.bind(t);
    }
    let rows = q.fetch_all(pool).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut scores: std::collections::HashMap<i64, (Vec<i64>, Vec<bool>)> =
        std::collections::HashMap::new();
    if !ids.is_empty() {
        let cells: Vec<(i64, i64, i64, Option<i64>)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT assessment_id, topic_index, score_bp, compared_bp FROM assessment_topics WHERE assessment_id IN ({}) ORDER BY assessment_id, topic_index",
            id_list(&ids)
        )))
        .fetch_all(pool)
        .await?;
        for (a, _, s, c) in cells {
            let entry = scores.entry(a).or_default();
            entry.0.push(s);
            entry.1.push(c.is_some());
        }
    }
    let items = rows
        .into_iter()
        .map(
            |(id, org, name, score, compared, answered, total, previous)| {
                let (topics, topics_assessed) = scores.remove(&id).unwrap_or_default();
                crate::assessments::HeatmapRow {
                    assessment_id: id,
                    org_id: org,
                    name,
                    score_bp: score,
                    assessed: compared.is_some(),
                    answered,
                    progress_bp: if total > 0 {
                        (answered * 10_000 + total / 2) / total
                    } else {
                        0
                    },
                    topics,
                    topics_assessed,
                    previous_bp: previous,
                }
            },
        )
        .collect();
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

pub(crate) async fn heatmap_stats(
    pool: &Pool<DB>,
    catalog_id: i64,
) -> Result<Vec<(i64, crate::assessments::TopicStats)>> {
    // Count and sum come from the maintained sums; minimum and maximum are one index probe
    // each (both databases answer MIN/MAX over an index prefix without scanning, skipping
    // NULLs). Only compared scores count: members that have answered nothing are left out.
    let rows = sqlx::query_as::<_, (i64, i64, i64, i64, i64)>(
        "SELECT s.topic_index, s.members, s.sum_bp, \
         COALESCE(CASE WHEN s.topic_index < 0 THEN (SELECT MIN(a.compared_bp) FROM assessments a WHERE a.catalog_id = s.catalog_id) \
              ELSE (SELECT MIN(t.compared_bp) FROM assessment_topics t WHERE t.catalog_id = s.catalog_id AND t.topic_index = s.topic_index) END, 0), \
         COALESCE(CASE WHEN s.topic_index < 0 THEN (SELECT MAX(a.compared_bp) FROM assessments a WHERE a.catalog_id = s.catalog_id) \
              ELSE (SELECT MAX(t.compared_bp) FROM assessment_topics t WHERE t.catalog_id = s.catalog_id AND t.topic_index = s.topic_index) END, 0) \
         FROM assessment_score_sums s WHERE s.catalog_id = $1 AND s.members > 0 ORDER BY s.topic_index",
    )
    .bind(catalog_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(t, n, sum, min, max)| {
            let stats = crate::assessments::TopicStats {
                members: n,
                average_bp: (sum + n / 2) / n,
                min_bp: min,
                max_bp: max,
            };
            (t, stats)
        })
        .collect())
}

pub(crate) async fn answer_assessment(
    pool: &Pool<DB>,
    scope: &Scope,
    answer_id: i64,
) -> Result<(i64, OrgId)> {
    answer_owner(pool, scope, answer_id).await
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

pub(crate) async fn migrate_assessment(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    id: i64,
    new_catalog: i64,
) -> Result<i64> {
    let mut tx = begin_write(pool).await?;
    let row: Option<(i64, i64, i64, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT a.org_id, a.federation_id, a.catalog_id, c.urn FROM assessments a JOIN catalogs c ON c.id = a.catalog_id WHERE a.id = $1 AND {}",
        scope_sql(scope, "a.org_id")
    )))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (org, federation, old_catalog, urn) = crate::assessments::found(row)?;
    let target: Option<String> =
        sqlx::query_scalar("SELECT urn FROM catalogs WHERE id = $1 AND federation_id = $2")
            .bind(new_catalog)
            .bind(federation)
            .fetch_optional(&mut *tx)
            .await?;
    if target.as_deref() != Some(urn.as_str()) || new_catalog == old_catalog {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single(
                "catalog_id",
                "error-not-a-revision",
            ),
        ));
    }
    let created = create_assessments(
        &mut tx,
        by,
        scope,
        FederationId(federation),
        new_catalog,
        &[OrgId(org)],
    )
    .await?;
    let Some(&new_id) = created.first() else {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single(
                "catalog_id",
                "error-already-migrated",
            ),
        ));
    };
    // Answers and evidence follow their requirement by URN; requirements the new revision
    // dropped keep their answers only in the old assessment.
    let rows = sqlx::query(
        "SELECT na.id AS new_id, oa.status, oa.justification, oa.owner, oa.due_on, oa.comment \
         FROM assessment_answers oa JOIN catalog_nodes onode ON onode.id = oa.node_id \
         JOIN catalog_nodes nnode ON nnode.urn = onode.urn AND nnode.catalog_id = $2 \
         JOIN assessment_answers na ON na.node_id = nnode.id AND na.assessment_id = $3 \
         WHERE oa.assessment_id = $1",
    )
    .bind(id)
    .bind(new_catalog)
    .bind(new_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut changes = Vec::with_capacity(rows.len());
    for r in &rows {
        let due: Option<String> = r.try_get("due_on")?;
        changes.push((
            r.try_get::<i64, _>("new_id")?,
            None,
            AssessAnswer {
                status: status_of(&r.try_get::<String, _>("status")?)?,
                justification: r.try_get("justification")?,
                owner: r.try_get("owner")?,
                due_on: due
                    .as_deref()
                    .and_then(|d| verbund_domain::validation::parse_date(d).ok()),
                comment: r.try_get("comment")?,
            },
        ));
    }
    set_answers_in(
        &mut tx,
        by,
        &Scope::system(&SystemAccess::for_reason(
            "answers carried over by a migration the caller was authorised for",
        )),
        new_id,
        &changes,
    )
    .await?;
    sqlx::query(
        "INSERT INTO evidence (answer_id, assessment_id, file_name, content_type, size_bytes, sha256, content_b64, uploaded_at_ms, uploaded_by) \
         SELECT na.id, $3, e.file_name, e.content_type, e.size_bytes, e.sha256, e.content_b64, e.uploaded_at_ms, e.uploaded_by \
         FROM evidence e JOIN assessment_answers oa ON oa.id = e.answer_id JOIN catalog_nodes onode ON onode.id = oa.node_id \
         JOIN catalog_nodes nnode ON nnode.urn = onode.urn AND nnode.catalog_id = $2 \
         JOIN assessment_answers na ON na.node_id = nnode.id AND na.assessment_id = $3 WHERE e.assessment_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .bind(new_catalog)
    .bind(new_id)
    .execute(&mut *tx)
    .await?;
    append_audit(&mut tx, by, Change {
        org_id: Some(OrgId(org)),
        action: "assessment.migrate",
        object_type: "assessment",
        object_id: new_id.to_string(),
        before: serde_json::json!({"assessment_id": id, "catalog_id": old_catalog}),
        after: serde_json::json!({"assessment_id": new_id, "catalog_id": new_catalog, "answers_carried_over": changes.len()}),
    })
    .await?;
    tx.commit().await?;
    Ok(new_id)
}
