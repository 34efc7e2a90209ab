// What the committee view and the dashboards read beyond the heatmap: answers per catalog,
// the snapshots behind the federation trend, and when each member last took one.

pub(crate) async fn answers_by_catalog(
    pool: &Pool<DB>,
    federation: FederationId,
) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT catalog_id, CAST(COALESCE(SUM(answered), 0) AS BIGINT) FROM assessments WHERE federation_id = $1 GROUP BY catalog_id ORDER BY catalog_id",
    )
    .bind(federation.0)
    .fetch_all(pool)
    .await?)
}

pub(crate) async fn snapshot_points(
    pool: &Pool<DB>,
    scope: &Scope,
    catalog_id: i64,
) -> Result<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT s.assessment_id, s.taken_at_ms, s.score_bp FROM assessment_snapshots s JOIN assessments a ON a.id = s.assessment_id \
         WHERE a.catalog_id = $1 AND {} ORDER BY s.taken_at_ms, s.id",
        scope_sql(scope, "a.org_id")
    )))
    .bind(catalog_id)
    .fetch_all(pool)
    .await?)
}

/// Assessment, member, name, newest snapshot, answered and total.
type SnapshotAgeRow = (i64, i64, String, Option<i64>, i64, i64);

pub(crate) async fn last_snapshots(
    pool: &Pool<DB>,
    scope: &Scope,
    catalog_id: i64,
    limit: i64,
) -> Result<Vec<crate::MemberSnapshotAge>> {
    // Members that never took a snapshot come first: theirs is the oldest state of all.
    let rows: Vec<SnapshotAgeRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT x.id, x.org_id, x.name, x.last, x.answered, x.total FROM (SELECT a.id, a.org_id, o.name, a.answered, a.total, \
         (SELECT MAX(s.taken_at_ms) FROM assessment_snapshots s WHERE s.assessment_id = a.id) AS last \
         FROM assessments a JOIN organisations o ON o.id = a.org_id WHERE a.catalog_id = $1 AND {}) x \
         ORDER BY CASE WHEN x.last IS NULL THEN 0 ELSE 1 END, x.last, x.name, x.org_id LIMIT $2",
        scope_sql(scope, "a.org_id")
    )))
    .bind(catalog_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, org, name, last, answered, total)| crate::MemberSnapshotAge {
                assessment_id: AssessmentId(id),
                org_id: OrgId(org),
                name,
                last_snapshot_ms: last,
                answered,
                total,
            },
        )
        .collect())
}

pub(crate) async fn weakest_member(
    pool: &Pool<DB>,
    scope: &Scope,
    catalog_id: i64,
) -> Result<Option<(i64, String, i64)>> {
    // Members that have answered nothing have no compared score and are not the weakest.
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT o.id, o.name, a.compared_bp FROM assessments a JOIN organisations o ON o.id = a.org_id \
         WHERE a.catalog_id = $1 AND a.compared_bp IS NOT NULL AND {} ORDER BY a.compared_bp, o.name, o.id LIMIT 1",
        scope_sql(scope, "a.org_id")
    )))
    .bind(catalog_id)
    .fetch_optional(pool)
    .await?)
}
