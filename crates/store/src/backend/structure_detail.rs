// Structure analysis: one object as a reader sees it — needs, inheritance paths (followed only
// through objects visible to the reader), links, a provider object's contributions (a member
// only its own) and the cumulation hint. See `structure.rs`.

/// Longest inheritance path shown.
const MAX_PATH: usize = 50;

pub(crate) async fn structure_object_detail(
    pool: &Pool<DB>,
    scope: &Scope,
    id: StructureObjectId,
) -> Result<st::model::ObjectDetail> {
    let mut tx = begin_snapshot(pool).await?;
    let visible = visible_sql(scope);
    let object = fetch_object(&mut *tx, &visible, id.0).await?;
    let settings = load_structure_settings(&mut tx).await?;
    let rows = need_rows(&mut tx, &[id.0]).await?;
    let mut needs = rows.iter().map(need_of).collect::<Result<Vec<_>>>()?;
    needs.sort_by_key(|n| n.goal.index());
    // Paths: follow origins while the objects stay visible to the reader.
    let mut cache: std::collections::HashMap<i64, (st::model::TargetObject, Vec<NeedRow>)> =
        std::collections::HashMap::new();
    cache.insert(id.0, (object.clone(), rows));
    let mut paths = Vec::new();
    for goal in st::Goal::EACH {
        let mut chain: Vec<i64> = Vec::new();
        let mut next = Some(id.0);
        while let Some(k) = next.take() {
            if chain.len() >= MAX_PATH || chain.contains(&k) {
                break;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(k) {
                let Ok(o) = fetch_object(&mut *tx, &visible, k).await else {
                    break;
                };
                let r = need_rows(&mut tx, &[k]).await?;
                slot.insert((o, r));
            }
            chain.push(k);
            let (_, r) = &cache[&k];
            let Some(row) = r.iter().find(|r| r.goal == goal.code()) else {
                break;
            };
            if row.own == 0 {
                next = match origin_of(row)? {
                    st::inherit::Origin::Link { from, .. } => Some(from),
                    st::inherit::Origin::Cycle { via } => Some(via),
                    st::inherit::Origin::Unset => None,
                };
            }
        }
        let mut path = Vec::new();
        for k in chain {
            let (o, r) = &cache[&k];
            let Some(row) = r.iter().find(|r| r.goal == goal.code()) else {
                continue;
            };
            let n = need_of(row)?;
            path.push(st::model::PathEntry {
                object: st::model::ObjectRef {
                    id: o.id,
                    org_id: o.org_id,
                    provider: o.provider,
                    short_id: o.short_id.clone(),
                    name: o.name.clone(),
                    object_type: o.object_type,
                },
                effective: n.effective,
                own: n.own,
                origin: n.origin,
                link_type: n.origin_link_type,
            });
        }
        paths.push(path);
    }
    // A member sees origins only where the path is visible to it.
    for (n, p) in needs.iter_mut().zip(&paths) {
        if !n.own && p.len() < 2 {
            n.origin_object = None;
        }
    }
    let config = &settings.propagation;
    let depends_on = select_links(&mut *tx, &format!("l.from_id = {}", id.0), config).await?;
    let own_from = if scope.is_all() {
        "1=1".to_owned()
    } else {
        format!(
            "({} OR (fg.kind = 'provider' AND EXISTS (SELECT 1 FROM structure_contributions vc WHERE vc.object_id = f.id AND {})))",
            scope_sql(scope, "f.org_id"),
            scope_sql(scope, "vc.member_org_id")
        )
    };
    let used_by = select_links(
        &mut *tx,
        &format!("l.to_id = {} AND {own_from}", id.0),
        config,
    )
    .await?;
    let depends_on = if scope.is_all() || scope.contains(object.org_id) {
        depends_on
    } else {
        // A provider object seen by a member: only what the member may see downstream.
        let mut v = Vec::new();
        for l in depends_on {
            if fetch_object(&mut *tx, &visible, l.to.id.0).await.is_ok() {
                v.push(l);
            }
        }
        v
    };
    let contributions = if object.provider {
        let rows: Vec<ContribRow<String>> =
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT c.member_org_id, g.name, c.confidentiality, c.integrity, c.availability FROM structure_contributions c \
                 JOIN organisations g ON g.id = c.member_org_id WHERE c.object_id = $1 AND {} ORDER BY g.name, g.id",
                scope_sql(scope, "c.member_org_id")
            )))
            .bind(id.0)
            .fetch_all(&mut *tx)
            .await?;
        rows.into_iter()
            .map(|(org, name, c, i, a)| {
                Ok(st::model::Contribution {
                    org_id: OrgId(org),
                    org_name: name,
                    needs: st::model::NeedTriple {
                        confidentiality: need_category(c.as_deref())?,
                        integrity: need_category(i.as_deref())?,
                        availability: need_category(a.as_deref())?,
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?
    } else {
        Vec::new()
    };
    let cumulation_hints = cumulation_hints_for(&mut tx, &settings, id.0, &needs).await?;
    tx.commit().await?;
    Ok(st::model::ObjectDetail {
        object,
        needs,
        paths,
        depends_on,
        used_by,
        contributions,
        cumulation_hints,
    })
}

/// Goals where the object is normal although at least the threshold of normal-need objects
/// pass their need to it (counted over all of them, whoever owns them: only the count shows).
async fn cumulation_hints_for(
    tx: &mut Tx,
    settings: &st::needs::StructureSettings,
    id: i64,
    needs: &[st::model::Need],
) -> Result<Vec<st::Goal>> {
    let preds: Vec<i64> = links_touching(tx, &[id])
        .await?
        .into_iter()
        .filter_map(|(f, t, lt)| settings.propagation.flow(lt, f, t))
        .filter(|&(src, dst)| dst == id && src != id)
        .map(|(src, _)| src)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let rows = need_rows(tx, &preds).await?;
    let mut hints = Vec::new();
    for n in needs {
        if n.effective != Some(st::Category::Normal)
            || n.deviation == Some(st::Deviation::Cumulation)
        {
            continue;
        }
        let normal = rows
            .iter()
            .filter(|r| r.goal == n.goal.code() && r.effective.as_deref() == Some("normal"))
            .count();
        if normal >= settings.cumulation_threshold as usize {
            hints.push(n.goal);
        }
    }
    Ok(hints)
}
