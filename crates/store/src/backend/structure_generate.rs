// Bulk generation of members' structure analyses for the demo at scale and the benchmarks
// (see `crate::generate::StructureTemplate`): multi-row INSERTs, set-based need rows, one
// recompute and one audit entry per call.

/// Links per multi-row INSERT (4 parameters each).
const GENERATED_LINK_BATCH: usize = 4000;
/// Needs set per `UPDATE … FROM (VALUES …)` (6 parameters each).
const GENERATED_NEED_BATCH: usize = 1000;

pub(crate) async fn generate_structures(
    pool: &Pool<DB>,
    by: &AuditActor,
    shared: i64,
    template: &crate::generate::StructureTemplate,
    members: &[(OrgId, Vec<crate::generate::GeneratedNeed>)],
) -> Result<usize> {
    let n = template.objects.len();
    let in_range = |i: usize| i < n;
    if members.is_empty()
        || !template
            .links
            .iter()
            .all(|&(f, t, _)| in_range(f) && in_range(t))
        || !template.shared_links.iter().all(|&(f, _)| in_range(f))
        || !members
            .iter()
            .all(|(_, needs)| needs.iter().all(|&(i, ..)| in_range(i)))
    {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_write(pool).await?;
    let provider: Option<i64> = sqlx::query_scalar(
        "SELECT o.id FROM structure_objects o JOIN organisations g ON g.id = o.org_id \
         WHERE o.id = $1 AND g.kind = 'provider'",
    )
    .bind(shared)
    .fetch_optional(&mut *tx)
    .await?;
    if provider.is_none() {
        return Err(StoreError::NotFound);
    }
    let now = now_ms();
    let rows: Vec<(i64, &st::ObjectInput)> = members
        .iter()
        .flat_map(|(org, _)| template.objects.iter().map(move |o| (org.0, o)))
        .collect();
    let ids: std::collections::HashMap<(i64, String), i64> = insert_objects(&mut tx, &rows)
        .await?
        .into_iter()
        .map(|(id, org, short)| ((org, short), id))
        .collect();
    let id_of = |org: OrgId, i: usize| -> Result<i64> {
        ids.get(&(org.0, template.objects[i].short_id.as_str().to_owned()))
            .copied()
            .ok_or(StoreError::NotFound)
    };
    let mut links: Vec<(i64, i64, &'static str)> = Vec::new();
    let mut created: Vec<i64> = Vec::with_capacity(rows.len());
    for (org, _) in members {
        for i in 0..n {
            created.push(id_of(*org, i)?);
        }
        for &(f, t, lt) in &template.links {
            links.push((id_of(*org, f)?, id_of(*org, t)?, lt.code()));
        }
        for &(f, lt) in &template.shared_links {
            links.push((id_of(*org, f)?, shared, lt.code()));
        }
    }
    for chunk in links.chunks(GENERATED_LINK_BATCH) {
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO structure_links (from_id, to_id, link_type, created_at_ms) ",
        );
        qb.push_values(chunk, |mut b, (f, t, lt)| {
            b.push_bind(*f).push_bind(*t).push_bind(*lt).push_bind(now);
        });
        qb.build().execute(&mut *tx).await?;
    }
    let mut needs: Vec<(i64, &'static str, &'static str, &'static str)> = Vec::new();
    for (org, set) in members {
        for &(i, goal, value, why) in set {
            needs.push((id_of(*org, i)?, goal.code(), value.code(), why));
        }
    }
    for chunk in needs.chunks(GENERATED_NEED_BATCH) {
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "UPDATE structure_needs SET manual = v.column3, justification = v.column4, set_by_name = v.column5, \
             set_at_ms = v.column6 FROM (VALUES ",
        );
        for (k, (id, goal, value, why)) in chunk.iter().enumerate() {
            if k > 0 {
                qb.push(", ");
            }
            qb.push("(CAST(")
                .push_bind(*id)
                .push(" AS BIGINT), CAST(")
                .push_bind(*goal)
                .push(" AS TEXT), CAST(")
                .push_bind(*value)
                .push(" AS TEXT), CAST(")
                .push_bind(*why)
                .push(" AS TEXT), CAST(")
                .push_bind(by.label.as_str())
                .push(" AS TEXT), CAST(")
                .push_bind(now)
                .push(" AS BIGINT))");
        }
        qb.push(") AS v WHERE structure_needs.object_id = v.column1 AND structure_needs.goal = v.column2");
        qb.build().execute(&mut *tx).await?;
    }
    recompute_structure(&mut tx, &created).await?;
    let orgs: Vec<i64> = members.iter().map(|(o, _)| o.0).collect();
    let (first, last) = (orgs[0], orgs[orgs.len() - 1]);
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "structure.generate",
            object_type: "organisation",
            object_id: format!("{first}-{last}"),
            before: serde_json::Value::Null,
            after: serde_json::json!({
                "members": orgs.len(),
                "objects": created.len(),
                "links": links.len(),
                "shared_object": shared,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created.len())
}
