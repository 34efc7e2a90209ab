// Catalog items, topics and tallies of assessments, the federation-wide score sums kept
// from them, and the answer status codes every assessment query reads and writes.

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
