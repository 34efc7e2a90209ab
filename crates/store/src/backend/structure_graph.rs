// Protection needs: the recompute after every change (incremental: only the part downstream
// of what changed, with its unchanged predecessors given as fixed), setting a need, the
// federation's settings, and the object detail with its inheritance paths.

/// The settings of the (only) federation; defaults when none were saved.
async fn load_structure_settings(tx: &mut Tx) -> Result<st::needs::StructureSettings> {
    let json: Option<String> = sqlx::query_scalar(
        "SELECT s.settings_json FROM structure_settings s JOIN federations f ON f.id = s.federation_id ORDER BY f.id LIMIT 1",
    )
    .fetch_optional(&mut **tx)
    .await?;
    json.map_or_else(
        || Ok(Default::default()),
        |j| from_json(&j, "structure settings"),
    )
}

pub(crate) async fn structure_settings(pool: &Pool<DB>) -> Result<st::needs::StructureSettings> {
    let mut tx = begin_snapshot(pool).await?;
    let s = load_structure_settings(&mut tx).await?;
    tx.commit().await?;
    Ok(s)
}

pub(crate) async fn save_structure_settings(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    s: &st::needs::StructureSettings,
) -> Result<()> {
    let mut tx = begin_write(pool).await?;
    let before = load_structure_settings(&mut tx).await?;
    sqlx::query(
        "INSERT INTO structure_settings (federation_id, settings_json, updated_at_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (federation_id) DO UPDATE SET settings_json = excluded.settings_json, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(federation.0)
    .bind(json_text(s)?)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    if before.propagation != s.propagation {
        // Which links pass needs changed: every object may be affected.
        let all: Vec<i64> = sqlx::query_scalar("SELECT id FROM structure_objects ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
        recompute_structure(&mut tx, &all).await?;
    }
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "structure.settings.update",
            object_type: "structure_settings",
            object_id: federation.0.to_string(),
            before: to_json(&before),
            after: to_json(s),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow, Clone)]
struct NeedRow {
    object_id: i64,
    goal: String,
    manual: Option<String>,
    deviation: Option<String>,
    justification: Option<String>,
    set_by_name: Option<String>,
    set_at_ms: Option<i64>,
    calculated: Option<String>,
    effective: Option<String>,
    own: i64,
    stale: i64,
    origin_kind: String,
    origin_object_id: Option<i64>,
    origin_link_type: Option<String>,
}

const NEED_COLUMNS: &str = "object_id, goal, manual, deviation, justification, set_by_name, set_at_ms, calculated, \
     effective, own, stale, origin_kind, origin_object_id, origin_link_type";

fn goal_index(goal: &str) -> Result<usize> {
    st::Goal::parse(goal)
        .map(st::Goal::index)
        .map_err(|_| corrupt_structure("goal"))
}

async fn need_rows(tx: &mut Tx, ids: &[i64]) -> Result<Vec<NeedRow>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<NeedRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {NEED_COLUMNS} FROM structure_needs WHERE object_id IN ({}) ORDER BY object_id, goal",
            id_list(chunk)
        )))
        .fetch_all(&mut **tx)
        .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// (org, is provider, in_cycle) per object.
async fn object_owners(
    tx: &mut Tx,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, (i64, bool, bool)>> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, i64, bool, i64)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT o.id, o.org_id, g.kind = 'provider', o.in_cycle FROM structure_objects o \
             JOIN organisations g ON g.id = o.org_id WHERE o.id IN ({})",
            id_list(chunk)
        )))
        .fetch_all(&mut **tx)
        .await?;
        for (id, org, provider, cycle) in rows {
            out.insert(id, (org, provider, cycle != 0));
        }
    }
    Ok(out)
}

type Contribs = Vec<(i64, st::PerGoal<Option<st::Category>>)>;

/// A stored contribution: (object or organisation key, member or name, C, I, A).
type ContribRow<K> = (i64, K, Option<String>, Option<String>, Option<String>);

async fn contributions_of(
    tx: &mut Tx,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Contribs>> {
    let mut out: std::collections::HashMap<i64, Contribs> = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<ContribRow<i64>> =
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT object_id, member_org_id, confidentiality, integrity, availability FROM structure_contributions \
                 WHERE object_id IN ({}) ORDER BY object_id, member_org_id",
                id_list(chunk)
            )))
            .fetch_all(&mut **tx)
            .await?;
        for (obj, org, c, i, a) in rows {
            out.entry(obj).or_default().push((
                org,
                [
                    need_category(c.as_deref())?,
                    need_category(i.as_deref())?,
                    need_category(a.as_deref())?,
                ],
            ));
        }
    }
    Ok(out)
}

fn origin_of(row: &NeedRow) -> Result<st::inherit::Origin<i64>> {
    Ok(match (row.origin_kind.as_str(), row.origin_object_id) {
        ("link", Some(from)) => st::inherit::Origin::Link {
            from,
            link_type: st::LinkType::parse(row.origin_link_type.as_deref().unwrap_or(""))
                .map_err(|_| corrupt_structure("origin link type"))?,
        },
        ("cycle", Some(via)) => st::inherit::Origin::Cycle { via },
        _ => st::inherit::Origin::Unset,
    })
}

/// Recomputes the needs downstream of `changed` (objects whose settings or incoming links
/// changed; ids of deleted objects are ignored) and writes what differs, inside `tx`.
async fn recompute_structure(tx: &mut Tx, changed: &[i64]) -> Result<()> {
    use st::inherit::{Edge, Fixed, Graph, Node, NodeState, Origin, Setting};
    let config = load_structure_settings(tx).await?.propagation;
    // The downstream closure, walked one layer per query. Every object of the closure is in
    // exactly one frontier, so the links fetched on the way are all links touching it.
    let mut scope: std::collections::BTreeSet<i64> = changed.iter().copied().collect();
    let mut frontier: Vec<i64> = scope.iter().copied().collect();
    let mut touched: Vec<(i64, i64, st::LinkType)> = Vec::new();
    while !frontier.is_empty() {
        let front: std::collections::HashSet<i64> = frontier.iter().copied().collect();
        let mut next = Vec::new();
        for (f, t, lt) in links_touching(tx, &frontier).await? {
            if let Some((src, dst)) = config.flow(lt, f, t)
                && front.contains(&src)
                && scope.insert(dst)
            {
                next.push(dst);
            }
            touched.push((f, t, lt));
        }
        frontier = next;
    }
    touched.sort_unstable();
    touched.dedup();
    let ids: Vec<i64> = scope.into_iter().collect();
    let owners = object_owners(tx, &ids).await?;
    let ids: Vec<i64> = ids.into_iter().filter(|i| owners.contains_key(i)).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let in_scope: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let flows: Vec<(i64, i64, st::LinkType)> = touched
        .into_iter()
        .filter(|&(f, t, lt)| {
            config
                .flow(lt, f, t)
                .is_some_and(|(_, dst)| in_scope.contains(&dst))
        })
        .collect();
    let fixed_ids: Vec<i64> = {
        let mut v: Vec<i64> = flows
            .iter()
            .filter_map(|&(f, t, lt)| config.flow(lt, f, t))
            .map(|(src, _)| src)
            .filter(|s| !in_scope.contains(s))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    // Grouped by object: the graph may hold tens of thousands of objects (every member's
    // object relying on a shared provider object), so no scan per object.
    let mut stored = rows_by_object(need_rows(tx, &ids).await?);
    let fixed_inputs = fixed_inputs(tx, &fixed_ids).await?;
    let fixed_providers: Vec<i64> = fixed_ids
        .iter()
        .copied()
        .filter(|id| fixed_inputs.get(id).is_some_and(|f| f.1))
        .collect();
    let mut fixed_contribs = contributions_of(tx, &fixed_providers).await?;
    let old_contribs = contributions_of(tx, &ids).await?;

    let mut index: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
    let mut nodes = Vec::with_capacity(ids.len() + fixed_ids.len());
    let mut stored_by_node: Vec<[Option<NeedRow>; 3]> = Vec::new();
    for &id in &ids {
        let (owner, provider, _) = owners[&id];
        let mut settings = [None; 3];
        let mut rows: [Option<NeedRow>; 3] = Default::default();
        for r in stored.remove(&id).unwrap_or_default() {
            let g = goal_index(&r.goal)?;
            if let Some(m) = r.manual.as_deref() {
                settings[g] = Some(Setting {
                    value: st::Category::parse(m).map_err(|_| corrupt_structure("need"))?,
                    deviation: r
                        .deviation
                        .as_deref()
                        .map(st::Deviation::parse)
                        .transpose()
                        .map_err(|_| corrupt_structure("deviation"))?,
                });
            }
            rows[g] = Some(r);
        }
        index.insert(id, nodes.len());
        stored_by_node.push(rows);
        nodes.push(Node {
            key: id,
            owner,
            provider,
            state: NodeState::Open(settings),
        });
    }
    for &id in &fixed_ids {
        let Some(&(owner, provider, effective)) = fixed_inputs.get(&id) else {
            continue;
        };
        index.insert(id, nodes.len());
        nodes.push(Node {
            key: id,
            owner,
            provider,
            state: NodeState::Fixed(Fixed {
                effective,
                contributions: fixed_contribs.remove(&id).unwrap_or_default(),
            }),
        });
    }
    let edges = flows
        .iter()
        .filter_map(|&(f, t, link_type)| {
            Some(Edge {
                from: *index.get(&f)?,
                to: *index.get(&t)?,
                link_type,
            })
        })
        .collect();
    let graph = Graph { nodes, edges };
    let out = st::inherit::compute(&graph, &config);

    let mut writes = StructureWrites::default();
    for (k, &id) in ids.iter().enumerate() {
        let o = &out[k];
        for goal in st::Goal::EACH {
            let g = goal.index();
            let (kind, obj, lt) = match o.calc_origin[g] {
                Origin::Unset => ("unset", None, None),
                Origin::Link { from, link_type } => {
                    ("link", Some(graph.nodes[from].key), Some(link_type.code()))
                }
                Origin::Cycle { via } => ("cycle", Some(graph.nodes[via].key), None),
            };
            let w = NeedWrite {
                object_id: id,
                goal: goal.code(),
                calculated: o.calculated[g].map(|c| c.code()),
                effective: o.effective[g].map(|c| c.code()),
                own: i64::from(o.own[g]),
                stale: i64::from(o.stale[g]),
                origin_kind: kind,
                origin_object_id: obj,
                origin_link_type: lt,
            };
            if !stored_by_node[k][g].as_ref().is_some_and(|r| w.matches(r)) {
                writes.needs.push(w);
            }
        }
        if owners[&id].2 != o.cycle {
            writes.cycle.push((id, o.cycle));
        }
        let old = old_contribs.get(&id).map(Vec::as_slice).unwrap_or_default();
        if old != o.contributions.as_slice() {
            writes.contributions(id, old, &o.contributions);
        }
    }
    writes.apply(tx).await
}

/// (org, is provider, effective C/I/A) of the objects whose outcome a recompute takes as
/// given: one row per object, in large batches (a provider object shared by 11,000 members
/// has tens of thousands of them).
async fn fixed_inputs(
    tx: &mut Tx,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, (i64, bool, st::PerGoal<Option<st::Category>>)>> {
    type FixedRow = (
        i64,
        i64,
        bool,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(FIXED_BATCH) {
        let rows: Vec<FixedRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT o.id, o.org_id, g.kind = 'provider', nc.effective, ni.effective, na.effective \
             FROM structure_objects o JOIN organisations g ON g.id = o.org_id \
             LEFT JOIN structure_needs nc ON nc.object_id = o.id AND nc.goal = 'confidentiality' \
             LEFT JOIN structure_needs ni ON ni.object_id = o.id AND ni.goal = 'integrity' \
             LEFT JOIN structure_needs na ON na.object_id = o.id AND na.goal = 'availability' \
             WHERE o.id IN ({})",
            id_list(chunk)
        )))
        .fetch_all(&mut **tx)
        .await?;
        for (id, org, provider, c, i, a) in rows {
            let effective = [
                need_category(c.as_deref())?,
                need_category(i.as_deref())?,
                need_category(a.as_deref())?,
            ];
            out.insert(id, (org, provider, effective));
        }
    }
    Ok(out)
}

/// Ids per `IN (…)` list when loading the fixed predecessors of a recompute.
const FIXED_BATCH: usize = 2000;

/// The rows of `rows` per object.
fn rows_by_object(rows: Vec<NeedRow>) -> std::collections::HashMap<i64, Vec<NeedRow>> {
    let mut out: std::collections::HashMap<i64, Vec<NeedRow>> = std::collections::HashMap::new();
    for r in rows {
        out.entry(r.object_id).or_default().push(r);
    }
    out
}

fn need_of(r: &NeedRow) -> Result<st::model::Need> {
    let origin = origin_of(r)?;
    Ok(st::model::Need {
        goal: st::Goal::parse(&r.goal).map_err(|_| corrupt_structure("goal"))?,
        manual: need_category(r.manual.as_deref())?,
        deviation: r
            .deviation
            .as_deref()
            .map(st::Deviation::parse)
            .transpose()
            .map_err(|_| corrupt_structure("deviation"))?,
        justification: r.justification.clone(),
        set_by: r.set_by_name.clone(),
        set_at_ms: r.set_at_ms,
        calculated: need_category(r.calculated.as_deref())?,
        effective: need_category(r.effective.as_deref())?,
        own: r.own != 0,
        stale: r.stale != 0,
        origin: match origin {
            st::inherit::Origin::Unset => st::model::OriginKind::Unset,
            st::inherit::Origin::Link { .. } => st::model::OriginKind::Link,
            st::inherit::Origin::Cycle { .. } => st::model::OriginKind::Cycle,
        },
        origin_object: r.origin_object_id.map(StructureObjectId),
        origin_link_type: match origin {
            st::inherit::Origin::Link { link_type, .. } => Some(link_type),
            _ => None,
        },
    })
}

/// Sets (or with `None` clears) what a person set on `object` for `goal`, checked against the
/// object's current calculated need, and recomputes everything downstream.
pub(crate) async fn set_structure_need(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    object: StructureObjectId,
    goal: st::Goal,
    value: Option<(st::Category, Option<st::Deviation>, String)>,
) -> Result<st::model::Need> {
    let mut tx = begin_write(pool).await?;
    let obj = fetch_writable(&mut tx, write, object.0).await?;
    let row = need_rows(&mut tx, &[object.0])
        .await?
        .into_iter()
        .find(|r| r.goal == goal.code())
        .ok_or(StoreError::NotFound)?;
    let before = need_of(&row)?;
    let manual = match value {
        Some((v, d, j)) => Some(st::needs::ManualNeed::new(v, d, &j, before.calculated)?),
        None => None,
    };
    sqlx::query(
        "UPDATE structure_needs SET manual = $1, deviation = $2, justification = $3, set_by_name = $4, set_at_ms = $5 \
         WHERE object_id = $6 AND goal = $7",
    )
    .bind(manual.as_ref().map(|m| m.value.code()))
    .bind(manual.as_ref().and_then(|m| m.deviation.map(|d| d.code())))
    .bind(manual.as_ref().map(|m| m.justification.clone()))
    .bind(manual.as_ref().map(|_| by.label.clone()))
    .bind(manual.as_ref().map(|_| now_ms()))
    .bind(object.0)
    .bind(goal.code())
    .execute(&mut *tx)
    .await?;
    recompute_structure(&mut tx, &[object.0]).await?;
    let after_row = need_rows(&mut tx, &[object.0])
        .await?
        .into_iter()
        .find(|r| r.goal == goal.code())
        .ok_or(StoreError::NotFound)?;
    let after = need_of(&after_row)?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(obj.org_id),
            action: "structure.need.set",
            object_type: "structure_object",
            object_id: object.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
