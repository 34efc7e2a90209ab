// The heatmap of a catalog revision: one row of topic scores per member's assessment, and the
// score statistics per topic.

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
        .persistent(false) // a new ID list every page: not worth a slot in the statement cache
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
                    assessment_id: AssessmentId(id),
                    org_id: OrgId(org),
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
