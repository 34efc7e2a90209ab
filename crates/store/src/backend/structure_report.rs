// Structure analysis: one member's whole analysis for the report (objects, needs with paths,
// links, the provider objects it relies on with its own contribution). See `structure.rs`.

/// Every link matching `cond` (SQL over `l`, `f`, `t`), without the list views' limit: a
/// report or an export must hold all of them.
async fn select_all_links(
    tx: &mut Tx,
    cond: &str,
    config: &st::PropagationConfig,
) -> Result<Vec<st::model::Link>> {
    let rows: Vec<LinkRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{LINK_SELECT} WHERE {cond} ORDER BY f.short_id, t.short_id, l.link_type, l.id"
    )))
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(|r| link_of(r, config)).collect()
}

pub(crate) async fn member_structure(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<st::model::MemberStructure> {
    if !scope.contains(org) {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_snapshot(pool).await?;
    let org_name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(org.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let rows: Vec<ObjectRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{OBJECT_SELECT} WHERE o.org_id = $1 ORDER BY o.short_id, o.id"
    )))
    .bind(org.0)
    .fetch_all(&mut *tx)
    .await?;
    let objects = rows
        .into_iter()
        .map(st::model::TargetObject::try_from)
        .collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = objects.iter().map(|o| o.id.0).collect();
    let mut needs_by: std::collections::HashMap<i64, Vec<st::model::Need>> =
        std::collections::HashMap::new();
    for r in need_rows(&mut tx, &ids).await? {
        needs_by.entry(r.object_id).or_default().push(need_of(&r)?);
    }
    for v in needs_by.values_mut() {
        v.sort_by_key(|n| n.goal.index());
    }
    let by_id: std::collections::HashMap<i64, &st::model::TargetObject> =
        objects.iter().map(|o| (o.id.0, o)).collect();
    let mut out = Vec::with_capacity(objects.len());
    for o in &objects {
        let needs = needs_by.get(&o.id.0).cloned().unwrap_or_default();
        // Paths stay inside the member: an origin at another organisation's object ends it.
        let paths = st::Goal::EACH
            .iter()
            .map(|&goal| {
                let lookup = |k: i64| {
                    by_id.get(&k)?;
                    let n = needs_by.get(&k)?.iter().find(|n| n.goal == goal)?;
                    let origin = match (n.origin, n.origin_object) {
                        (st::model::OriginKind::Link, Some(from)) => st::inherit::Origin::Link {
                            from: from.0,
                            link_type: n.origin_link_type.unwrap_or(st::LinkType::RunsOn),
                        },
                        (st::model::OriginKind::Cycle, Some(via)) => {
                            st::inherit::Origin::Cycle { via: via.0 }
                        }
                        _ => st::inherit::Origin::Unset,
                    };
                    Some((n.own, origin))
                };
                st::path_of(o.id.0, lookup, MAX_PATH)
                    .into_iter()
                    .filter_map(|step| {
                        let s = by_id.get(&step.object)?;
                        let n = needs_by
                            .get(&step.object)?
                            .iter()
                            .find(|n| n.goal == goal)?;
                        Some(st::model::PathEntry {
                            object: st::model::ObjectRef {
                                id: s.id,
                                org_id: s.org_id,
                                provider: s.provider,
                                short_id: s.short_id.clone(),
                                name: s.name.clone(),
                                object_type: s.object_type,
                            },
                            effective: n.effective,
                            own: n.own,
                            origin: n.origin,
                            link_type: n.origin_link_type,
                        })
                    })
                    .collect()
            })
            .collect();
        out.push(st::model::ObjectNeeds {
            object: o.clone(),
            needs,
            paths,
        });
    }
    let config = load_structure_settings(&mut tx).await?.propagation;
    let links = select_all_links(&mut tx, &format!("f.org_id = {}", org.0), &config).await?;
    let rows: Vec<ObjectRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{OBJECT_SELECT} WHERE g.kind = 'provider' AND (o.id IN (SELECT l.to_id FROM structure_links l \
         JOIN structure_objects f ON f.id = l.from_id WHERE f.org_id = $1) \
         OR o.id IN (SELECT c.object_id FROM structure_contributions c WHERE c.member_org_id = $1)) \
         ORDER BY g.name, o.short_id, o.id"
    )))
    .bind(org.0)
    .fetch_all(&mut *tx)
    .await?;
    let contributions: Vec<ContribRow<i64>> = sqlx::query_as(
        "SELECT object_id, member_org_id, confidentiality, integrity, availability FROM structure_contributions \
         WHERE member_org_id = $1",
    )
    .bind(org.0)
    .fetch_all(&mut *tx)
    .await?;
    let mut provider_objects = Vec::with_capacity(rows.len());
    for r in rows {
        let object = st::model::TargetObject::try_from(r)?;
        let contribution = match contributions.iter().find(|c| c.0 == object.id.0) {
            Some((_, _, c, i, a)) => st::model::NeedTriple {
                confidentiality: need_category(c.as_deref())?,
                integrity: need_category(i.as_deref())?,
                availability: need_category(a.as_deref())?,
            },
            None => st::model::NeedTriple::default(),
        };
        provider_objects.push(st::model::ProviderUse {
            object,
            contribution,
        });
    }
    tx.commit().await?;
    Ok(st::model::MemberStructure {
        org_id: org,
        org_name,
        objects: out,
        links,
        provider_objects,
    })
}
