// IT-Grundschutz-Check: rows per object and requirement of its modules, written when a module
// is assigned (inactive when it is removed), answered like assessment answers, and read with
// their scope (level against the object's effective need) and fulfilment by reference. See
// `crate::check` and migration 0026.

/// Whether the row's object has a high or very high effective need for any goal.
const CHECK_HIGH_NEED: &str = "EXISTS (SELECT 1 FROM structure_needs hn WHERE hn.object_id = r.object_id AND hn.effective IN ('high', 'very_high'))";

const CHECK_FROM: &str = "FROM check_rows r JOIN structure_objects o ON o.id = r.object_id \
     JOIN organisations g ON g.id = o.org_id JOIN catalog_nodes n ON n.id = r.node_id \
     JOIN catalog_nodes mn ON mn.id = r.module_node_id \
     LEFT JOIN check_rows f ON f.object_id = r.fulfilled_by AND f.node_id = r.node_id AND f.active = 1 \
     LEFT JOIN structure_objects fo ON fo.id = r.fulfilled_by \
     LEFT JOIN organisations fg ON fg.id = fo.org_id";

/// The status a row counts with: its own, or the fulfilling object's (offen without a row).
const CHECK_EFFECTIVE: &str =
    "CASE WHEN r.fulfilled_by IS NULL THEN r.status ELSE COALESCE(f.status, 'unanswered') END";

fn check_select() -> String {
    format!(
        "SELECT r.id, r.object_id, o.org_id, o.short_id, o.name AS object_name, r.catalog_id, mn.ref_id AS module_ref, \
         r.node_id, n.urn, n.ref_id, n.name, n.description, r.level, CAST(CASE WHEN {CHECK_HIGH_NEED} THEN 1 ELSE 0 END AS BIGINT) AS high_need, \
         r.status, r.justification, r.owner, r.due_on, r.comment, r.fulfilled_by, fo.short_id AS f_short_id, fo.name AS f_name, \
         fg.name AS f_org, f.status AS f_status, r.version, r.updated_by, r.updated_at_ms {CHECK_FROM}"
    )
}

/// A row of [`check_select`] (the text is filled in afterwards).
fn check_row_of(r: &<DB as sqlx::Database>::Row) -> Result<(st::check::CheckRow, String)> {
    let level = st::check::Level::parse(&r.try_get::<String, _>("level")?)
        .map_err(|_| corrupt_structure("check level"))?;
    let high: i64 = r.try_get("high_need")?;
    let need = (high == 1).then_some(st::Category::High);
    let answer = stored_answer(r)?;
    let fulfilled: Option<i64> = r.try_get("fulfilled_by")?;
    let reference = match fulfilled {
        None => None,
        Some(id) => {
            let s: Option<String> = r.try_get("f_status")?;
            Some(st::check::Reference {
                object_id: StructureObjectId(id),
                short_id: r.try_get("f_short_id")?,
                name: r.try_get("f_name")?,
                org_name: r.try_get("f_org")?,
                status: s.as_deref().map(status_of).transpose()?.unwrap_or_default(),
            })
        }
    };
    let effective_status = reference.as_ref().map_or(answer.status, |x| x.status);
    let description: Option<String> = r.try_get("description")?;
    let ref_id: Option<String> = r.try_get("ref_id")?;
    let module_ref: Option<String> = r.try_get("module_ref")?;
    Ok((
        st::check::CheckRow {
            id: r.try_get("id")?,
            object_id: StructureObjectId(r.try_get("object_id")?),
            org_id: OrgId(r.try_get("org_id")?),
            object_short_id: r.try_get("short_id")?,
            object_name: r.try_get("object_name")?,
            catalog_id: CatalogId(r.try_get("catalog_id")?),
            module_ref: module_ref.unwrap_or_default(),
            node_id: r.try_get("node_id")?,
            ref_id: ref_id.unwrap_or_default(),
            name: r.try_get("name")?,
            text: description.unwrap_or_default(),
            level,
            in_scope: st::check::applies(level, need),
            answer,
            fulfilled_by: reference,
            effective_status,
            version: r.try_get("version")?,
            updated_by: r.try_get("updated_by")?,
            updated_at_ms: r.try_get("updated_at_ms")?,
        },
        r.try_get("urn")?,
    ))
}

/// Fills in each row's text: the descriptions of its sentence nodes, one per line (the
/// requirement's own description where it has no sentences).
async fn with_check_texts(
    tx: &mut Tx,
    rows: Vec<(st::check::CheckRow, String)>,
) -> Result<Vec<st::check::CheckRow>> {
    let mut out = Vec::with_capacity(rows.len());
    for (mut row, urn) in rows {
        let sentences: Vec<Option<String>> = sqlx::query_scalar(
            "SELECT description FROM catalog_nodes WHERE catalog_id = $1 AND parent_urn = $2 ORDER BY position",
        )
        .bind(row.catalog_id.0)
        .bind(&urn)
        .fetch_all(&mut **tx)
        .await?;
        let text: Vec<String> = sentences.into_iter().flatten().collect();
        if !text.is_empty() {
            row.text = text.join("\n");
        }
        out.push(row);
    }
    Ok(out)
}

/// Writes (or re-activates) the rows of module node `module` for `object`, inside the
/// assignment's transaction. Returns how many requirements the module has.
async fn activate_check_rows(tx: &mut Tx, object: i64, module: i64) -> Result<usize> {
    let requirements: Vec<(i64, i64, i64, String, String)> = sqlx::query_as(
        "SELECT r.id, r.catalog_id, r.position, r.urn, r.groups_json FROM catalog_nodes mn \
         JOIN catalog_nodes r ON r.catalog_id = mn.catalog_id AND r.parent_urn = mn.urn \
         WHERE mn.id = $1 ORDER BY r.position",
    )
    .bind(module)
    .fetch_all(&mut **tx)
    .await?;
    let sentences: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.parent_urn, s.groups_json FROM catalog_nodes mn \
         JOIN catalog_nodes r ON r.catalog_id = mn.catalog_id AND r.parent_urn = mn.urn \
         JOIN catalog_nodes s ON s.catalog_id = r.catalog_id AND s.parent_urn = r.urn WHERE mn.id = $1",
    )
    .bind(module)
    .fetch_all(&mut **tx)
    .await?;
    let mut groups: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for (parent, json) in sentences {
        let g: Vec<String> = from_json(&json, "node groups")?;
        groups.entry(parent).or_default().extend(g);
    }
    let now = now_ms();
    for (node, catalog, position, urn, json) in &requirements {
        let mut all: Vec<String> = from_json(json, "node groups")?;
        all.extend(groups.remove(urn).unwrap_or_default());
        let level = st::check::Level::of_groups(all.iter().map(String::as_str));
        sqlx::query(
            "INSERT INTO check_rows (object_id, catalog_id, module_node_id, node_id, position, level, active, status, version, updated_at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, 1, 'unanswered', 0, $7) \
             ON CONFLICT (object_id, node_id) DO UPDATE SET active = 1, module_node_id = excluded.module_node_id",
        )
        .bind(object)
        .bind(catalog)
        .bind(module)
        .bind(node)
        .bind(position)
        .bind(level.code())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(requirements.len())
}

/// Marks the rows of a removed module inactive; their answers stay for a later assignment.
async fn deactivate_check_rows(tx: &mut Tx, object: i64, module: i64) -> Result<()> {
    sqlx::query("UPDATE check_rows SET active = 0 WHERE object_id = $1 AND module_node_id = $2")
        .bind(object)
        .bind(module)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Appends the filter's conditions (org, object, module, level, status, scope).
fn push_check_filter(
    qb: &mut sqlx::QueryBuilder<DB>,
    visible: &str,
    org: i64,
    f: &st::check::CheckFilter,
) {
    qb.push(" WHERE r.active = 1 AND o.org_id = ")
        .push_bind(org)
        .push(" AND ")
        .push(visible.to_owned());
    if let Some(o) = f.object {
        qb.push(" AND r.object_id = ").push_bind(o.0);
    }
    if let Some(m) = f.module.as_deref() {
        qb.push(" AND UPPER(mn.ref_id) = ")
            .push_bind(m.trim().to_ascii_uppercase());
    }
    if let Some(l) = f.level {
        qb.push(" AND r.level = ").push_bind(l.code());
    }
    if let Some(s) = f.status {
        qb.push(format!(" AND {CHECK_EFFECTIVE} = "))
            .push_bind(s.as_str());
    }
    if !f.with_out_of_scope {
        qb.push(format!(" AND (r.level <> 'high' OR {CHECK_HIGH_NEED})"));
    }
}

pub(crate) async fn check_rows(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
    filter: &st::check::CheckFilter,
    page: PageRequest,
) -> Result<Page<st::check::CheckRow>> {
    let visible = visible_sql(scope);
    let mut tx = begin_snapshot(pool).await?;
    let mut qb = sqlx::QueryBuilder::<DB>::new(format!("SELECT COUNT(*) {CHECK_FROM}"));
    push_check_filter(&mut qb, &visible, org.0, filter);
    let total: i64 = qb.build_query_scalar().fetch_one(&mut *tx).await?;
    let mut qb = sqlx::QueryBuilder::<DB>::new(check_select());
    push_check_filter(&mut qb, &visible, org.0, filter);
    qb.push(" ORDER BY o.short_id, o.id, r.position, r.id LIMIT ")
        .push_bind(page.limit())
        .push(" OFFSET ")
        .push_bind(page.offset());
    let rows = qb
        .build()
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(check_row_of)
        .collect::<Result<Vec<_>>>()?;
    let items = with_check_texts(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(Page {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

async fn fetch_check_row(tx: &mut Tx, cond: &str, id: i64) -> Result<st::check::CheckRow> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "{} WHERE r.id = $1 AND {cond}",
        check_select()
    )))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let row = check_row_of(&row)?;
    Ok(with_check_texts(tx, vec![row]).await?.remove(0))
}

pub(crate) async fn get_check_row(
    pool: &Pool<DB>,
    scope: &Scope,
    id: i64,
) -> Result<st::check::CheckRow> {
    let mut tx = begin_snapshot(pool).await?;
    let r = fetch_check_row(&mut tx, &visible_sql(scope), id).await?;
    tx.commit().await?;
    Ok(r)
}

#[expect(
    clippy::too_many_arguments,
    reason = "one write with its scopes and lock"
)]
pub(crate) async fn answer_check_row(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    read: &Scope,
    id: i64,
    version: Option<i64>,
    answer: &verbund_domain::assessment::Answer,
    fulfilled_by: Option<StructureObjectId>,
) -> Result<st::check::CheckRow> {
    let mut tx = begin_write(pool).await?;
    let before = fetch_check_row(&mut tx, &scope_sql(write, "o.org_id"), id).await?;
    if version.is_some_and(|v| v != before.version) {
        return Err(StoreError::Stale);
    }
    if let Some(f) = fulfilled_by {
        let visible = visible_sql(read);
        let seen: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT o.id FROM structure_objects o JOIN organisations g ON g.id = o.org_id WHERE o.id = $1 AND {visible}"
        )))
        .bind(f.0)
        .fetch_optional(&mut *tx)
        .await?;
        if seen.is_none() {
            return Err(StoreError::Invalid(
                verbund_domain::validation::ValidationErrors::single(
                    "fulfilled_by",
                    "error-check-reference-unknown",
                ),
            ));
        }
        let has: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM check_rows WHERE object_id = $1 AND node_id = $2 AND active = 1",
        )
        .bind(f.0)
        .bind(before.node_id)
        .fetch_optional(&mut *tx)
        .await?;
        st::check::check_reference(before.object_id, f, has.is_some())?;
    }
    sqlx::query(
        "UPDATE check_rows SET status = $2, justification = $3, owner = $4, due_on = $5, comment = $6, fulfilled_by = $7, \
         version = version + 1, updated_at_ms = $8, updated_by = $9 WHERE id = $1",
    )
    .bind(id)
    .bind(answer.status.as_str())
    .bind(&answer.justification)
    .bind(&answer.owner)
    .bind(answer.due_on.map(format_date))
    .bind(&answer.comment)
    .bind(fulfilled_by.map(|f| f.0))
    .bind(now_ms())
    .bind(&by.label)
    .execute(&mut *tx)
    .await?;
    let after = fetch_check_row(&mut tx, "1=1", id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "check.answer",
            object_type: "check_row",
            object_id: id.to_string(),
            before: check_audit_json(&before),
            after: check_audit_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// What the audit keeps of a row: the requirement, the answer and the reference.
fn check_audit_json(r: &st::check::CheckRow) -> serde_json::Value {
    serde_json::json!({
        "object_id": r.object_id,
        "requirement": r.ref_id,
        "answer": r.answer,
        "fulfilled_by": r.fulfilled_by.as_ref().map(|f| f.object_id),
    })
}

/// Rows of active modules grouped by what the scoring needs: organisation, level, high need,
/// effective status, whether that status has a justification, count.
type CheckCount = (i64, String, i64, String, i64, i64);

async fn check_counts(tx: &mut Tx, cond: &str, bind_org: Option<i64>) -> Result<Vec<CheckCount>> {
    let sql = format!(
        "SELECT o.org_id, r.level, CAST(CASE WHEN {CHECK_HIGH_NEED} THEN 1 ELSE 0 END AS BIGINT) AS high, {CHECK_EFFECTIVE} AS eff, \
         CAST(CASE WHEN (CASE WHEN r.fulfilled_by IS NULL THEN r.justification ELSE f.justification END) IS NULL THEN 0 ELSE 1 END AS BIGINT) AS justified, \
         COUNT(*) {CHECK_FROM} WHERE r.active = 1 AND {cond} GROUP BY o.org_id, r.level, 3, 4, 5"
    );
    Ok(sqlx::query_as(AssertSqlSafe(sql))
        .bind(bind_org)
        .fetch_all(&mut **tx)
        .await?)
}

fn tallies_of(rows: &[CheckCount]) -> Result<st::check::LevelTallies> {
    let mut facts = Vec::new();
    for (_, level, high, eff, justified, count) in rows {
        let level = st::check::Level::parse(level).map_err(|_| corrupt_structure("check level"))?;
        let fact = st::check::RowFacts {
            level,
            need: (*high == 1).then_some(st::Category::High),
            status: (status_of(eff)?, *justified == 1),
        };
        for _ in 0..*count {
            facts.push(fact);
        }
    }
    Ok(st::check::LevelTallies::of(facts))
}

pub(crate) async fn check_summary(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<st::check::LevelTallies> {
    let cond = format!("o.org_id = $1 AND {}", visible_sql(scope));
    let mut tx = begin_snapshot(pool).await?;
    let rows = check_counts(&mut tx, &cond, Some(org.0)).await?;
    tx.commit().await?;
    tallies_of(&rows)
}

pub(crate) async fn check_fulfilment(pool: &Pool<DB>) -> Result<Vec<st::check::MemberFulfilment>> {
    let mut tx = begin_snapshot(pool).await?;
    let rows = check_counts(
        &mut tx,
        "($1 IS NULL OR o.org_id = $1) AND g.kind <> 'provider'",
        None,
    )
    .await?;
    let names: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM organisations WHERE id IN (SELECT o.org_id FROM check_rows r JOIN structure_objects o ON o.id = r.object_id) ORDER BY name, id",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut by_org: std::collections::HashMap<i64, Vec<CheckCount>> =
        std::collections::HashMap::new();
    for r in rows {
        by_org.entry(r.0).or_default().push(r);
    }
    let mut out = Vec::new();
    for (org, name) in names {
        let Some(mine) = by_org.remove(&org) else {
            continue;
        };
        let t = tallies_of(&mine)?;
        out.push(st::check::MemberFulfilment {
            org_id: OrgId(org),
            org_name: name,
            basis: t.basis,
            standard: t.standard,
        });
    }
    Ok(out)
}
