// The crisis pact's dependency map and blast radius, and a member's dependency graph for its
// emergency handbook: the structure analysis' objects and links of some members together with
// every provider's objects. See `crate::pact` for who sees what.

/// `(id, org, org name, provider, short id, name, type)` of an object.
type DepRow = (i64, i64, String, bool, String, String, String);

/// The objects of the organisations `cond` selects (on `x.org_id`, binding `$1`) and of every
/// provider, with their effective needs, and the links among them.
async fn dep_graph(
    tx: &mut Tx,
    cond: &str,
    bind: i64,
) -> Result<(
    Vec<verbund_domain::pact::blast::DepObject>,
    Vec<verbund_domain::pact::blast::DepLink>,
)> {
    use verbund_domain::pact::blast::{DepLink, DepObject};
    let of = |x: &str, g: &str| {
        format!(
            "({g}.kind = 'provider' OR {})",
            cond.replace("x.", &format!("{x}."))
        )
    };
    let rows: Vec<DepRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT o.id, o.org_id, g.name, g.kind = 'provider', o.short_id, o.name, o.object_type \
         FROM structure_objects o JOIN organisations g ON g.id = o.org_id WHERE {} ORDER BY o.id",
        of("o", "g")
    )))
    .bind(bind)
    .fetch_all(&mut **tx)
    .await?;
    let needs: Vec<(i64, String, Option<String>)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT n.object_id, n.goal, n.effective FROM structure_needs n \
         JOIN structure_objects o ON o.id = n.object_id JOIN organisations g ON g.id = o.org_id \
         WHERE {} ORDER BY n.object_id",
        of("o", "g")
    )))
    .bind(bind)
    .fetch_all(&mut **tx)
    .await?;
    let mut by_object: std::collections::HashMap<i64, [Option<st::Category>; 3]> =
        std::collections::HashMap::new();
    for (id, goal, effective) in needs {
        let Some(e) = effective else { continue };
        let goal = st::Goal::parse(&goal).map_err(|_| corrupt_structure("goal"))?;
        let cat = st::Category::parse(&e).map_err(|_| corrupt_structure("need"))?;
        by_object.entry(id).or_default()[goal.index()] = Some(cat);
    }
    let mut objects = Vec::with_capacity(rows.len());
    for (id, org, org_name, provider, short_id, name, t) in rows {
        objects.push(DepObject {
            id: StructureObjectId(id),
            org_id: OrgId(org),
            org_name,
            provider,
            short_id,
            name,
            object_type: st::ObjectType::parse(&t).map_err(|_| corrupt_structure("type"))?,
            needs: by_object.get(&id).copied().unwrap_or_default(),
        });
    }
    let links: Vec<(i64, i64, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT l.from_id, l.to_id, l.link_type FROM structure_links l \
         JOIN structure_objects a ON a.id = l.from_id JOIN organisations ga ON ga.id = a.org_id \
         JOIN structure_objects b ON b.id = l.to_id JOIN organisations gb ON gb.id = b.org_id \
         WHERE {} AND {} ORDER BY l.id",
        of("a", "ga"),
        of("b", "gb")
    )))
    .bind(bind)
    .fetch_all(&mut **tx)
    .await?;
    let links = links
        .into_iter()
        .map(|(from, to, t)| {
            Ok(DepLink {
                from: StructureObjectId(from),
                to: StructureObjectId(to),
                link_type: st::LinkType::parse(&t).map_err(|_| corrupt_structure("link"))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((objects, links))
}

const PACT_MEMBERS: &str =
    "x.org_id IN (SELECT pm.org_id FROM pact_members pm WHERE pm.pact_id = $1)";

pub(crate) async fn pact_dependency_map(
    pool: &Pool<DB>,
    scope: &Scope,
    pact: verbund_domain::PactId,
) -> Result<Vec<verbund_domain::pact::blast::ProviderService>> {
    let mut tx = begin_snapshot(pool).await?;
    load_pact(&mut tx, scope, pact.0).await?;
    let (objects, links) = dep_graph(&mut tx, PACT_MEMBERS, pact.0).await?;
    tx.commit().await?;
    Ok(verbund_domain::pact::blast::dependency_map(
        &objects, &links,
    ))
}

pub(crate) async fn pact_blast_radius(
    pool: &Pool<DB>,
    scope: &Scope,
    detail: &Scope,
    pact: verbund_domain::PactId,
    failed: &[StructureObjectId],
) -> Result<Vec<verbund_domain::pact::blast::AffectedMember>> {
    let mut tx = begin_snapshot(pool).await?;
    load_pact(&mut tx, scope, pact.0).await?;
    let (objects, links) = dep_graph(&mut tx, PACT_MEMBERS, pact.0).await?;
    tx.commit().await?;
    // Only provider objects can fail here: a member's own object is no outage of the pact.
    let failed: Vec<StructureObjectId> = failed
        .iter()
        .copied()
        .filter(|f| objects.iter().any(|o| o.id == *f && o.provider))
        .collect();
    let mut out = verbund_domain::pact::blast::blast_radius(&objects, &links, &failed);
    // A partner learns that a member is affected and through which provider object, nothing
    // of its structure.
    for m in &mut out {
        if !detail.contains(m.org_id) {
            m.processes.clear();
            m.objects = 0;
        }
    }
    Ok(out)
}

pub(crate) async fn member_dependency_graph(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<(
    Vec<verbund_domain::pact::blast::DepObject>,
    Vec<verbund_domain::pact::blast::DepLink>,
)> {
    if !scope.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_snapshot(pool).await?;
    let g = dep_graph(&mut tx, "x.org_id = $1", org.0).await?;
    tx.commit().await?;
    Ok(g)
}

pub(crate) async fn record_pact_handbook(
    pool: &Pool<DB>,
    by: &AuditActor,
    org: OrgId,
    hash: &str,
) -> Result<crate::HandbookStand> {
    let mut tx = begin_write(pool).await?;
    let now = now_ms();
    let before: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT content_hash, changed_at_ms, generated_at_ms FROM pact_handbooks WHERE org_id = $1",
    )
    .bind(org.0)
    .fetch_optional(&mut *tx)
    .await?;
    let changed = before.as_ref().is_none_or(|(h, _, _)| h != hash);
    let changed_at_ms = match &before {
        Some((_, at, _)) if !changed => *at,
        _ => now,
    };
    sqlx::query(
        "INSERT INTO pact_handbooks (org_id, content_hash, changed_at_ms, generated_at_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (org_id) DO UPDATE SET content_hash = excluded.content_hash, \
         changed_at_ms = excluded.changed_at_ms, generated_at_ms = excluded.generated_at_ms",
    )
    .bind(org.0)
    .bind(hash)
    .bind(changed_at_ms)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if changed {
        append_audit(
            &mut tx,
            by,
            Change {
                org_id: Some(org),
                action: "pact.handbook.change",
                object_type: "pact_handbook",
                object_id: org.0.to_string(),
                before: before.as_ref().map_or(
                    serde_json::Value::Null,
                    |(h, _, _)| serde_json::json!({"content_hash": h}),
                ),
                after: serde_json::json!({"content_hash": hash}),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(crate::HandbookStand {
        changed,
        changed_at_ms,
        previous_generated_at_ms: before.map(|(_, _, g)| g),
    })
}
