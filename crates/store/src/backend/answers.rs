// Reading assessment answers: lists with filters, by ID and by URN, and who owns an answer.

const ANSWER_SELECT: &str = "SELECT a.id, n.urn, n.ref_id, n.name, n.description, n.guidance, p.ref_id AS parent_ref_id, p.name AS parent_name, a.topic_index, a.priority, a.status, a.justification, a.owner, a.due_on, a.comment, \
     a.version, a.updated_at_ms, a.updated_by, (SELECT COUNT(*) FROM evidence e WHERE e.answer_id = a.id) AS evidence_count \
     FROM assessment_answers a JOIN catalog_nodes n ON n.id = a.node_id \
     LEFT JOIN catalog_nodes p ON p.catalog_id = n.catalog_id AND p.urn = n.parent_urn AND p.parent_urn IS NOT NULL";

/// A row of `ANSWER_SELECT`: the node's texts come with it.
fn answer_from_row(r: &<DB as sqlx::Database>::Row) -> Result<crate::assessments::AnswerRow> {
    let node = crate::assessments::NodeText {
        urn: r.try_get("urn")?,
        ref_id: r.try_get("ref_id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        guidance: r.try_get("guidance")?,
        parent_ref_id: r.try_get("parent_ref_id")?,
        parent_name: r.try_get("parent_name")?,
    };
    answer_with_texts(r, &node)
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
    // The parent is named only when it is a requirement itself (it has a parent): a topic's
    // name is shown by the topic filter already.
    let rows = sqlx::query(
        "SELECT n.id, n.urn, n.ref_id, n.name, n.description, n.guidance, p.ref_id AS parent_ref_id, p.name AS parent_name \
         FROM catalog_nodes n LEFT JOIN catalog_nodes p ON p.catalog_id = n.catalog_id AND p.urn = n.parent_urn AND p.parent_urn IS NOT NULL \
         WHERE n.catalog_id = $1",
    )
    .bind(catalog_id)
    .fetch_all(pool)
    .await?;
    let mut texts = crate::assessments::NodeTexts::with_capacity(rows.len());
    for r in &rows {
        texts.insert(
            r.try_get("id")?,
            crate::assessments::NodeText {
                urn: r.try_get("urn")?,
                ref_id: r.try_get("ref_id")?,
                name: r.try_get("name")?,
                description: r.try_get("description")?,
                guidance: r.try_get("guidance")?,
                parent_ref_id: r.try_get("parent_ref_id")?,
                parent_name: r.try_get("parent_name")?,
            },
        );
    }
    let texts = std::sync::Arc::new(texts);
    cache.put(catalog_id, texts.clone());
    Ok(texts)
}

/// A row of answer state only (`node_id`, no texts): the texts come from the revision's cache.
fn answer_from_state_row(
    r: &<DB as sqlx::Database>::Row,
    texts: &crate::assessments::NodeTexts,
) -> Result<crate::assessments::AnswerRow> {
    let node = texts
        .get(&r.try_get::<i64, _>("node_id")?)
        .ok_or(StoreError::NotFound)?;
    answer_with_texts(r, node)
}

/// The one mapper of an answer row: its state columns plus the requirement's texts.
fn answer_with_texts(
    r: &<DB as sqlx::Database>::Row,
    node: &crate::assessments::NodeText,
) -> Result<crate::assessments::AnswerRow> {
    Ok(crate::assessments::AnswerRow {
        id: AnswerId(r.try_get("id")?),
        urn: node.urn.clone(),
        ref_id: node.ref_id.clone(),
        name: node.name.clone(),
        description: node.description.clone(),
        guidance: node.guidance.clone(),
        parent_ref_id: node.parent_ref_id.clone(),
        parent_name: node.parent_name.clone(),
        topic_index: r.try_get("topic_index")?,
        priority: r.try_get("priority")?,
        answer: stored_answer(r)?,
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

/// The condition on `a.id` for `ids`: `a.id = $2` for one ID (bind it with [`bind_answer_ids`]:
/// one statement, prepared once per connection), else the list inlined.
fn answer_id_match(ids: &[i64]) -> String {
    match ids {
        [_] => "a.id = $2".to_owned(),
        _ => format!("a.id IN ({})", id_list(ids)),
    }
}

/// Binds the one ID of [`answer_id_match`]; a query with an inlined list is not kept in the
/// connection's statement cache, where each new list would push out a statement worth keeping
/// (and cost a prepare, on PostgreSQL a round trip, every time).
fn bind_answer_ids<'q>(
    q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    ids: &[i64],
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments> {
    match ids {
        [one] => q.bind(*one),
        _ => q.persistent(false),
    }
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
    let rows = bind_answer_ids(
        sqlx::query(AssertSqlSafe(format!(
            "{ANSWER_SELECT} WHERE a.assessment_id = $1 AND {} ORDER BY a.position",
            answer_id_match(answer_ids)
        )))
        .bind(id),
        answer_ids,
    )
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

pub(crate) async fn answer_assessment(
    pool: &Pool<DB>,
    scope: &Scope,
    answer_id: i64,
) -> Result<(i64, OrgId)> {
    answer_owner(pool, scope, answer_id).await
}
