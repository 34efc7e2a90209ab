// A risk library's threats, reference controls (as measure templates) and requirement→threat
// links, written in one transaction; and the threats behind a member's unmet requirements.

pub(crate) async fn import_risk_library_federation_wide(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    lib: &verbund_domain::risk::library::RiskLibrary,
) -> Result<crate::risks::RiskLibraryImported> {
    let mut tx = begin_write(pool).await?;
    ensure_elementary_threats(&mut tx, federation).await?;
    let now = now_ms();
    let source = lib.source();
    let mut report = crate::risks::RiskLibraryImported::default();
    let mut threat_ids = std::collections::HashMap::new();
    for t in &lib.threats {
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM threats WHERE federation_id = $1 AND urn = $2")
                .bind(federation.0)
                .bind(&t.urn)
                .fetch_optional(&mut *tx)
                .await?;
        let id = match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE threats SET code = $1, name = $2, description = $3 WHERE id = $4",
                )
                .bind(&t.ref_id)
                .bind(&t.name)
                .bind(&t.description)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::unique(e, "code"))?;
                report.threats_updated += 1;
                id
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO threats (federation_id, source, code, name, description, goals, urn, created_at_ms) \
                     VALUES ($1, $2, $3, $4, $5, '', $6, $7) RETURNING id",
                )
                .bind(federation.0)
                .bind(&source)
                .bind(&t.ref_id)
                .bind(&t.name)
                .bind(&t.description)
                .bind(&t.urn)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| StoreError::unique(e, "code"))?;
                report.threats_new += 1;
                id
            }
        };
        threat_ids.insert(t.urn.as_str(), id);
    }
    // The library's links replace what an earlier import of it brought.
    sqlx::query(
        "DELETE FROM requirement_threats WHERE threat_id IN \
         (SELECT id FROM threats WHERE federation_id = $1 AND source = $2)",
    )
    .bind(federation.0)
    .bind(&source)
    .execute(&mut *tx)
    .await?;
    for chunk in lib.links.chunks(500) {
        let rows: Vec<(&str, i64)> = chunk
            .iter()
            .filter_map(|(req, t)| Some((req.as_str(), *threat_ids.get(t.as_str())?)))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let mut qb: sqlx::QueryBuilder<DB> = sqlx::QueryBuilder::new(
            "INSERT INTO requirement_threats (federation_id, requirement_urn, threat_id) ",
        );
        qb.push_values(&rows, |mut b, (req, t)| {
            b.push_bind(federation.0).push_bind(*req).push_bind(*t);
        });
        qb.push(" ON CONFLICT (requirement_urn, threat_id) DO NOTHING");
        report.links += qb
            .build()
            .persistent(false)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    for c in &lib.controls {
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM measure_templates WHERE federation_id = $1 AND urn = $2",
        )
        .bind(federation.0)
        .bind(&c.urn)
        .fetch_optional(&mut *tx)
        .await?;
        let title = format!("{} {}", c.ref_id, c.name);
        match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE measure_templates SET title = $1, description = $2, updated_at_ms = $3 WHERE id = $4",
                )
                .bind(&title)
                .bind(&c.description)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                report.controls_updated += 1;
            }
            None => {
                sqlx::query(
                    "INSERT INTO measure_templates (federation_id, title, description, priority, urn, created_by, created_at_ms, updated_at_ms) \
                     VALUES ($1, $2, $3, 'mittel', $4, $5, $6, $6)",
                )
                .bind(federation.0)
                .bind(&title)
                .bind(&c.description)
                .bind(&c.urn)
                .bind(by.user_id.map(|u| u.0))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                report.controls_new += 1;
            }
        }
    }
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "risk.library.import",
            object_type: "risk_library",
            object_id: lib.urn.clone(),
            before: serde_json::Value::Null,
            after: serde_json::json!({
                "name": lib.name,
                "threats_new": report.threats_new,
                "threats_updated": report.threats_updated,
                "controls_new": report.controls_new,
                "controls_updated": report.controls_updated,
                "links": report.links,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Threats that imported libraries link to requirements `org` answered *nein* or *teilweise*
/// (in any assessment) or left unmet in an object's IT-Grundschutz check.
pub(crate) async fn threats_of_unmet_requirements(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
    object: StructureObjectId,
) -> Result<Vec<verbund_domain::ThreatId>> {
    if !scope.contains(org) {
        return Err(StoreError::NotFound);
    }
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT rt.threat_id FROM requirement_threats rt \
         JOIN catalog_nodes n ON n.urn = rt.requirement_urn \
         WHERE EXISTS (SELECT 1 FROM assessment_answers a JOIN assessments s ON s.id = a.assessment_id \
                       WHERE a.node_id = n.id AND s.org_id = $1 AND a.status IN ('no', 'partial')) \
            OR EXISTS (SELECT 1 FROM check_rows c WHERE c.node_id = n.id AND c.object_id = $2 \
                       AND c.active = 1 AND c.status IN ('no', 'partial')) \
         ORDER BY rt.threat_id",
    )
    .bind(org.0)
    .bind(object.0)
    .fetch_all(pool)
    .await?;
    Ok(ids.into_iter().map(verbund_domain::ThreatId).collect())
}
