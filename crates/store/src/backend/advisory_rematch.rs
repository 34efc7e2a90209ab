// Re-matching one inventory object. See `crate::advisory_rematch` for the rules.

pub(crate) async fn advisory_models_stamp(pool: &Pool<DB>) -> Result<(i64, i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT COUNT(*), COALESCE(MAX(updated_at_ms), 0), CAST(COALESCE(SUM(revision), 0) AS BIGINT) FROM advisories",
    )
    .fetch_one(pool)
    .await?)
}

pub(crate) async fn advisory_models_federation_wide(
    pool: &Pool<DB>,
    office: &Scope,
) -> Result<
    Vec<(
        verbund_domain::AdvisoryId,
        verbund_domain::advisory::Advisory,
    )>,
> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, model_json FROM advisories ORDER BY id")
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|(id, m)| {
            Ok((
                verbund_domain::AdvisoryId(id),
                from_json(&m, "advisory model")?,
            ))
        })
        .collect()
}

pub(crate) async fn advisory_inventory_object(
    pool: &Pool<DB>,
    office: &Scope,
    id: StructureObjectId,
) -> Result<Option<crate::InventoryObject>> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let row: Option<InventoryTuple> = sqlx::query_as(
        "SELECT o.id, o.org_id, g.kind, o.short_id, o.name, o.vendor, o.product, o.version, o.cpe, o.purl \
         FROM structure_objects o JOIN organisations g ON g.id = o.org_id \
         WHERE o.id = $1 AND o.status <> 'retired' AND (o.product IS NOT NULL OR o.cpe IS NOT NULL OR o.purl IS NOT NULL)",
    )
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(inventory_object))
}

pub(crate) async fn provider_object_dependents(
    pool: &Pool<DB>,
    office: &Scope,
    id: StructureObjectId,
) -> Result<Vec<(StructureObjectId, OrgId)>> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let mut seen = std::collections::HashSet::from([id.0]);
    let mut frontier = vec![id.0];
    let mut members = std::collections::BTreeSet::new();
    while !frontier.is_empty() {
        let list = frontier
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT l.from_id, f.org_id, g.kind FROM structure_links l \
             JOIN structure_objects f ON f.id = l.from_id JOIN organisations g ON g.id = f.org_id \
             WHERE l.to_id IN ({list})"
        )))
        .fetch_all(pool)
        .await?;
        frontier.clear();
        for (from, org, kind) in rows {
            if kind == "provider" {
                if seen.insert(from) {
                    frontier.push(from);
                }
            } else {
                members.insert(org);
            }
        }
    }
    Ok(members.into_iter().map(|m| (id, OrgId(m))).collect())
}

pub(crate) async fn rematch_advisory_object(
    pool: &Pool<DB>,
    by: &AuditActor,
    office: &Scope,
    object: StructureObjectId,
    scan_orgs: Option<&[OrgId]>,
    fresh: &[crate::ObjectWarning],
) -> Result<crate::RematchOutcome> {
    use verbund_domain::advisory::WarningState;
    use verbund_domain::advisory::matcher::Confidence;
    use verbund_domain::advisory::records::WarningMatch;
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let now = now_ms();
    let mut tx = begin_write(pool).await?;
    // Warnings naming the object now: its id is the first field of each match.
    let orgs = scan_orgs.map(|o| {
        o.iter()
            .map(|x| x.0.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    });
    let org_filter = match &orgs {
        Some(l) if l.is_empty() => " AND 1 = 0".to_owned(),
        Some(l) => format!(" AND org_id IN ({l})"),
        None => String::new(),
    };
    let rows: Vec<(i64, i64, i64, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT id, advisory_id, org_id, state, matches_json FROM advisory_warnings \
         WHERE (matches_json LIKE $1 OR matches_json LIKE $2){org_filter}"
    )))
    .bind(format!("%\"object_id\":{},%", object.0))
    .bind(format!("%\"object_id\":{}}}%", object.0))
    .fetch_all(&mut *tx)
    .await?;
    type Slot = (Option<(i64, String, Vec<WarningMatch>)>, Option<usize>);
    let mut slots: std::collections::BTreeMap<(i64, i64), Slot> = std::collections::BTreeMap::new();
    for (wid, adv, org, state, m) in rows {
        let matches: Vec<WarningMatch> = from_json(&m, "warning matches")?;
        slots.insert((adv, org), (Some((wid, state, matches)), None));
    }
    for (i, f) in fresh.iter().enumerate() {
        let key = (f.advisory_id.0, f.warning.org_id.0);
        if let Some(slot) = slots.get_mut(&key) {
            slot.1 = Some(i);
            continue;
        }
        let old: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT id, state, matches_json FROM advisory_warnings WHERE advisory_id = $1 AND org_id = $2",
        )
        .bind(key.0)
        .bind(key.1)
        .fetch_optional(&mut *tx)
        .await?;
        let old = match old {
            Some((wid, state, m)) => Some((wid, state, from_json(&m, "warning matches")?)),
            None => None,
        };
        slots.insert(key, (old, Some(i)));
    }
    let mut out = crate::RematchOutcome::default();
    for ((adv, org), (old, fresh_i)) in slots {
        let new_matches: &[WarningMatch] = fresh_i.map_or(&[], |i| &fresh[i].warning.matches);
        let (old_matches, wid, state) = match &old {
            Some((wid, state, m)) => (m.as_slice(), Some(*wid), WarningState::parse(state).ok()),
            None => (&[][..], None, None),
        };
        let mut merged: Vec<WarningMatch> = old_matches
            .iter()
            .filter(|m| m.object_id != object)
            .cloned()
            .collect();
        merged.extend(new_matches.iter().cloned());
        if merged == old_matches {
            continue;
        }
        let confidence = merged.iter().map(|m| m.confidence).max();
        let audit_after = serde_json::json!({"object": object.0, "objects": merged.len()});
        match (wid, confidence) {
            (None, None) => {}
            (None, Some(c)) => {
                let Some(f) = fresh_i.map(|i| &fresh[i]) else {
                    continue;
                };
                let st = if c == Confidence::NameOnly {
                    WarningState::Unconfirmed
                } else {
                    WarningState::Open
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO advisory_warnings (advisory_id, org_id, state, confidence, severity, deadline_on, matches_json, \
                     created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                )
                .bind(adv)
                .bind(org)
                .bind(st.code())
                .bind(c.code())
                .bind(f.severity.code())
                .bind(&f.warning.deadline_on)
                .bind(json_text(&merged)?)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                if st == WarningState::Open {
                    out.opened.push((
                        verbund_domain::AdvisoryId(adv),
                        verbund_domain::AdvisoryWarningId(id),
                        OrgId(org),
                    ));
                }
                append_audit(
                    &mut tx,
                    by,
                    Change {
                        org_id: Some(OrgId(org)),
                        action: "advisory_warning.create",
                        object_type: "advisory_warning",
                        object_id: id.to_string(),
                        before: serde_json::Value::Null,
                        after: audit_after,
                    },
                )
                .await?;
            }
            (Some(wid), None) => {
                let pending =
                    state.is_some_and(|s| s.is_pending() || s == WarningState::Unconfirmed);
                let sql = if pending {
                    "UPDATE advisory_warnings SET matches_json = $2, state = 'closed', closed_reason = 'no_match', revision = revision + 1, updated_at_ms = $3 WHERE id = $1"
                } else {
                    "UPDATE advisory_warnings SET matches_json = $2, revision = revision + 1, updated_at_ms = $3 WHERE id = $1"
                };
                sqlx::query(sql)
                    .bind(wid)
                    .bind(json_text(&merged)?)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                if pending {
                    out.closed += 1;
                } else {
                    out.updated += 1;
                }
                append_audit(
                    &mut tx,
                    by,
                    Change {
                        org_id: Some(OrgId(org)),
                        action: if pending {
                            "advisory_warning.close"
                        } else {
                            "advisory_warning.update"
                        },
                        object_type: "advisory_warning",
                        object_id: wid.to_string(),
                        before: serde_json::json!({"state": state.map(|s| s.code())}),
                        after: audit_after,
                    },
                )
                .await?;
            }
            (Some(wid), Some(c)) => {
                let current = state.unwrap_or(WarningState::Open);
                let fresh_state = if c == Confidence::NameOnly {
                    WarningState::Unconfirmed
                } else {
                    WarningState::Open
                };
                let next = match current {
                    WarningState::Closed | WarningState::Unconfirmed => fresh_state,
                    other => other,
                };
                let reopened = current == WarningState::Closed;
                let deadline = fresh_i.map(|i| fresh[i].warning.deadline_on.clone());
                sqlx::query(
                    "UPDATE advisory_warnings SET state = $2, confidence = $3, matches_json = $4, \
                     closed_reason = CASE WHEN $2 = 'closed' THEN closed_reason ELSE NULL END, \
                     deadline_on = CASE WHEN $5 THEN COALESCE($6, deadline_on) ELSE deadline_on END, \
                     revision = revision + 1, updated_at_ms = $7 WHERE id = $1",
                )
                .bind(wid)
                .bind(next.code())
                .bind(c.code())
                .bind(json_text(&merged)?)
                .bind(reopened)
                .bind(deadline)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if next == WarningState::Open
                    && current != WarningState::Open
                    && current != WarningState::Acknowledged
                {
                    out.opened.push((
                        verbund_domain::AdvisoryId(adv),
                        verbund_domain::AdvisoryWarningId(wid),
                        OrgId(org),
                    ));
                } else {
                    out.updated += 1;
                }
                append_audit(
                    &mut tx,
                    by,
                    Change {
                        org_id: Some(OrgId(org)),
                        action: "advisory_warning.update",
                        object_type: "advisory_warning",
                        object_id: wid.to_string(),
                        before: serde_json::json!({"state": current.code()}),
                        after: audit_after,
                    },
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(out)
}
