// Reading the audit log with filters (person, period, kind of change, object), the people
// who appear in it, and the requirements that answer entries refer to.

fn push_audit_filter(qb: &mut sqlx::QueryBuilder<DB>, scope: &Scope, f: &crate::AuditFilter) {
    // Only the conditions asked for are written, so each query can start from the index of
    // its most selective filter.
    qb.push(" WHERE ");
    match f.org {
        Some(o) => {
            qb.push("org_id = ").push_bind(o.0);
        }
        None => {
            qb.push(scope_sql(scope, "org_id"));
        }
    }
    if let Some(u) = f.actor {
        qb.push(" AND actor_user_id = ").push_bind(u.0);
    }
    if let Some(from) = f.from_ms {
        qb.push(" AND at_ms >= ").push_bind(from);
    }
    if let Some(to) = f.to_ms {
        qb.push(" AND at_ms < ").push_bind(to);
    }
    if let Some(a) = &f.action {
        qb.push(" AND action = ").push_bind(a.clone());
    }
    if let Some(t) = &f.object_type {
        qb.push(" AND object_type = ").push_bind(t.clone());
    }
    if let Some(i) = &f.object_id {
        qb.push(" AND object_id = ").push_bind(i.clone());
    }
    if let Some(before) = f.before_seq {
        qb.push(" AND seq < ").push_bind(before);
    }
}

pub(crate) async fn list_audit_filtered(
    pool: &Pool<DB>,
    scope: &Scope,
    f: &crate::AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditEntry>> {
    if f.org.is_some_and(|o| !scope.contains(o)) {
        return Err(StoreError::NotFound);
    }
    let mut count: sqlx::QueryBuilder<DB> =
        sqlx::QueryBuilder::new("SELECT COUNT(*) FROM audit_log");
    push_audit_filter(&mut count, scope, f);
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
    let mut select: sqlx::QueryBuilder<DB> =
        sqlx::QueryBuilder::new(format!("SELECT {AUDIT_COLUMNS} FROM audit_log"));
    push_audit_filter(&mut select, scope, f);
    select
        .push(" ORDER BY seq DESC LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let rows = select.build().fetch_all(pool).await?;
    let items = rows
        .iter()
        .map(audit_from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

pub(crate) async fn audit_batch(
    pool: &Pool<DB>,
    scope: &Scope,
    f: &crate::AuditFilter,
    n: i64,
) -> Result<Vec<AuditEntry>> {
    if f.org.is_some_and(|o| !scope.contains(o)) {
        return Err(StoreError::NotFound);
    }
    let mut select: sqlx::QueryBuilder<DB> =
        sqlx::QueryBuilder::new(format!("SELECT {AUDIT_COLUMNS} FROM audit_log"));
    push_audit_filter(&mut select, scope, f);
    select.push(" ORDER BY seq DESC LIMIT ").push_bind(n);
    let rows = select.build().fetch_all(pool).await?;
    rows.iter().map(audit_from_row).collect()
}

pub(crate) async fn audit_people(pool: &Pool<DB>, scope: &Scope) -> Result<Vec<(i64, String)>> {
    // Grouping by user walks the (actor_user_id, seq) index; the label is the newest one.
    Ok(sqlx::query_as(AssertSqlSafe(format!(
        "SELECT actor_user_id, MAX(actor_label) FROM audit_log WHERE actor_user_id IS NOT NULL AND {} \
         GROUP BY actor_user_id ORDER BY MAX(actor_label) LIMIT 500",
        scope_sql(scope, "org_id")
    )))
    .fetch_all(pool)
    .await?)
}

/// Answer ID, requirement reference, name, translations (JSON) and catalog name.
type RequirementRow = (i64, Option<String>, Option<String>, String, String);

pub(crate) async fn answer_requirements(
    pool: &Pool<DB>,
    scope: &Scope,
    answer_ids: &[i64],
) -> Result<Vec<crate::RequirementLabel>> {
    if answer_ids.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<String> = answer_ids.iter().map(i64::to_string).collect();
    let rows: Vec<RequirementRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT a.id, n.ref_id, n.name, n.translations_json, c.name FROM assessment_answers a \
             JOIN assessments s ON s.id = a.assessment_id JOIN catalog_nodes n ON n.id = a.node_id \
             JOIN catalogs c ON c.id = s.catalog_id WHERE a.id IN ({}) AND {}",
        ids.join(","),
        scope_sql(scope, "s.org_id")
    )))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, ref_id, name, tr, catalog)| crate::RequirementLabel {
            answer_id: AnswerId(id),
            ref_id,
            name,
            translations: serde_json::from_str(&tr).unwrap_or_default(),
            catalog,
        })
        .collect())
}
