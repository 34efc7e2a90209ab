// Security advisories and members' warnings. See `crate::advisories` for the rules.

const WARNING_SELECT: &str = "SELECT w.id, w.advisory_id, a.tracking_id, a.title, a.tlp, w.org_id, g.name AS org_name, \
     w.state, w.confidence, w.severity, w.deadline_on, w.matches_json, w.closed_reason, \
     ua.display_name AS ack_name, w.acknowledged_at_ms, ud.display_name AS done_name, w.done_at_ms, \
     w.measure_id, w.revision, w.created_at_ms, w.updated_at_ms \
     FROM advisory_warnings w JOIN advisories a ON a.id = w.advisory_id \
     JOIN organisations g ON g.id = w.org_id \
     LEFT JOIN users ua ON ua.id = w.acknowledged_by LEFT JOIN users ud ON ud.id = w.done_by";

#[derive(sqlx::FromRow)]
struct WarningRow {
    id: i64,
    advisory_id: i64,
    tracking_id: String,
    title: String,
    tlp: String,
    org_id: i64,
    org_name: String,
    state: String,
    confidence: String,
    severity: String,
    deadline_on: Option<String>,
    matches_json: String,
    closed_reason: Option<String>,
    ack_name: Option<String>,
    acknowledged_at_ms: Option<i64>,
    done_name: Option<String>,
    done_at_ms: Option<i64>,
    measure_id: Option<i64>,
    revision: i64,
    created_at_ms: i64,
    updated_at_ms: i64,
}

fn advisory_code<T>(v: &str, parse: fn(&str) -> std::result::Result<T, &'static str>) -> Result<T> {
    parse(v).map_err(|_| {
        StoreError::Db(sqlx::Error::Decode(
            format!("stored advisory code {v:?} is invalid").into(),
        ))
    })
}

impl TryFrom<WarningRow> for verbund_domain::advisory::records::Warning {
    type Error = StoreError;
    fn try_from(r: WarningRow) -> Result<Self> {
        use verbund_domain::advisory::{Severity, Tlp, WarningState, matcher::Confidence};
        Ok(Self {
            id: verbund_domain::AdvisoryWarningId(r.id),
            advisory_id: verbund_domain::AdvisoryId(r.advisory_id),
            tracking_id: r.tracking_id,
            title: r.title,
            tlp: advisory_code(&r.tlp, Tlp::parse)?,
            org_id: OrgId(r.org_id),
            org_name: r.org_name,
            state: advisory_code(&r.state, WarningState::parse)?,
            confidence: advisory_code(&r.confidence, Confidence::parse)?,
            severity: advisory_code(&r.severity, Severity::parse)?,
            deadline_on: r.deadline_on,
            overdue: false,
            matches: from_json(&r.matches_json, "warning matches")?,
            closed_reason: r.closed_reason,
            acknowledged_by_name: r.ack_name,
            acknowledged_at_ms: r.acknowledged_at_ms,
            done_by_name: r.done_name,
            done_at_ms: r.done_at_ms,
            measure_id: r.measure_id.map(verbund_domain::MeasureId),
            revision: r.revision,
            created_at_ms: r.created_at_ms,
            updated_at_ms: r.updated_at_ms,
        })
    }
}

const ADVISORY_COLUMNS: &str = "a.id, a.tracking_id, a.version, a.title, a.category, a.publisher, a.tlp, a.severity, \
     a.score_tenths, a.cves, a.released, a.summary, a.change_summary, a.import_warnings, a.revision, \
     a.imported_at_ms, a.updated_at_ms";

#[derive(sqlx::FromRow)]
struct AdvisoryRow {
    id: i64,
    tracking_id: String,
    version: String,
    title: String,
    category: String,
    publisher: String,
    tlp: String,
    severity: String,
    score_tenths: Option<i64>,
    cves: String,
    released: String,
    summary: String,
    change_summary: Option<String>,
    import_warnings: String,
    revision: i64,
    imported_at_ms: i64,
    updated_at_ms: i64,
    pending: i64,
    unconfirmed: i64,
}

impl TryFrom<AdvisoryRow> for verbund_domain::advisory::records::AdvisoryRecord {
    type Error = StoreError;
    fn try_from(r: AdvisoryRow) -> Result<Self> {
        use verbund_domain::advisory::{Severity, Tlp};
        #[expect(clippy::cast_precision_loss, reason = "scores are at most 100 tenths")]
        let max_score = r.score_tenths.map(|t| t as f64 / 10.0);
        Ok(Self {
            id: verbund_domain::AdvisoryId(r.id),
            tracking_id: r.tracking_id,
            version: r.version,
            title: r.title,
            category: r.category,
            publisher: r.publisher,
            tlp: advisory_code(&r.tlp, Tlp::parse)?,
            severity: advisory_code(&r.severity, Severity::parse)?,
            max_score,
            cves: from_json(&r.cves, "advisory CVEs")?,
            released: r.released,
            summary: r.summary,
            change_summary: r.change_summary,
            import_warnings: from_json(&r.import_warnings, "advisory import warnings")?,
            revision: r.revision,
            imported_at_ms: r.imported_at_ms,
            updated_at_ms: r.updated_at_ms,
            pending_warnings: r.pending,
            unconfirmed_warnings: r.unconfirmed,
        })
    }
}

/// The SQL condition for advisories `scope` may read (alias `a`).
fn advisory_visible_sql(scope: &Scope) -> String {
    if scope.is_all() {
        return "1=1".to_owned();
    }
    format!(
        "(a.tlp IN ('clear', 'green') OR EXISTS (SELECT 1 FROM advisory_warnings vw WHERE vw.advisory_id = a.id \
         AND vw.state <> 'unconfirmed' AND {}))",
        scope_sql(scope, "vw.org_id")
    )
}

fn advisory_select(scope: &Scope) -> String {
    let unconfirmed = if scope.is_all() {
        "(SELECT COUNT(*) FROM advisory_warnings cw WHERE cw.advisory_id = a.id AND cw.state = 'unconfirmed')".to_owned()
    } else {
        "CAST(0 AS BIGINT)".to_owned()
    };
    format!(
        "SELECT {ADVISORY_COLUMNS}, \
         (SELECT COUNT(*) FROM advisory_warnings pw WHERE pw.advisory_id = a.id AND pw.state IN ('open', 'acknowledged') AND {}) AS pending, \
         {unconfirmed} AS unconfirmed FROM advisories a WHERE {}",
        scope_sql(scope, "pw.org_id"),
        advisory_visible_sql(scope)
    )
}

pub(crate) async fn advisory_version_federation_wide(
    pool: &Pool<DB>,
    tracking_id: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT version FROM advisories WHERE tracking_id = $1 ORDER BY id LIMIT 1",
    )
    .bind(tracking_id)
    .fetch_optional(pool)
    .await?)
}

type InventoryTuple = (
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// An inventory row as the matcher's input.
fn inventory_object(
    (id, org, kind, short_id, name, vendor, product, version, cpe, purl): InventoryTuple,
) -> crate::InventoryObject {
    crate::InventoryObject {
        item: verbund_domain::advisory::matcher::InventoryItem {
            object_id: StructureObjectId(id),
            vendor,
            product,
            version,
            cpe,
            purl,
        },
        org_id: OrgId(org),
        provider: kind == "provider",
        short_id,
        name,
    }
}

pub(crate) async fn advisory_inventory_federation_wide(
    pool: &Pool<DB>,
    office: &Scope,
) -> Result<(Vec<crate::InventoryObject>, Vec<(StructureObjectId, OrgId)>)> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let mut tx = begin_snapshot(pool).await?;
    let rows: Vec<InventoryTuple> = sqlx::query_as(
        "SELECT o.id, o.org_id, g.kind, o.short_id, o.name, o.vendor, o.product, o.version, o.cpe, o.purl \
         FROM structure_objects o JOIN organisations g ON g.id = o.org_id \
         WHERE o.status <> 'retired' AND (o.product IS NOT NULL OR o.cpe IS NOT NULL OR o.purl IS NOT NULL) \
         ORDER BY o.id",
    )
    .fetch_all(&mut *tx)
    .await?;
    let objects = rows.into_iter().map(inventory_object).collect();
    // Links into provider objects: (from object, its org, whether that org is a provider, to object).
    let links: Vec<(i64, i64, String, i64)> = sqlx::query_as(
        "SELECT l.from_id, f.org_id, fg.kind, l.to_id FROM structure_links l \
         JOIN structure_objects f ON f.id = l.from_id JOIN organisations fg ON fg.id = f.org_id \
         JOIN structure_objects t ON t.id = l.to_id JOIN organisations tg ON tg.id = t.org_id \
         WHERE tg.kind = 'provider'",
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    // Members relying on each provider object: walk the provider's links upwards to the
    // members' objects.
    let mut up: std::collections::HashMap<i64, Vec<(i64, i64, bool)>> =
        std::collections::HashMap::new();
    for (from, org, kind, to) in links {
        up.entry(to)
            .or_default()
            .push((from, org, kind == "provider"));
    }
    let mut out = Vec::new();
    for &start in up.keys() {
        let mut seen = std::collections::HashSet::from([start]);
        let mut stack = vec![start];
        let mut members = std::collections::BTreeSet::new();
        while let Some(x) = stack.pop() {
            for &(from, org, provider) in up.get(&x).into_iter().flatten() {
                if provider {
                    if seen.insert(from) {
                        stack.push(from);
                    }
                } else {
                    members.insert(org);
                }
            }
        }
        out.extend(
            members
                .into_iter()
                .map(|m| (StructureObjectId(start), OrgId(m))),
        );
    }
    out.sort();
    Ok((objects, out))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one transaction over the whole import"
)]
pub(crate) async fn save_advisory(
    pool: &Pool<DB>,
    by: &AuditActor,
    office: &Scope,
    federation: FederationId,
    adv: &verbund_domain::advisory::Advisory,
    document_json: &str,
    import_warnings: &[String],
    warnings: &[crate::NewWarning],
    suppressed: &[OrgId],
) -> Result<crate::SaveOutcome> {
    use verbund_domain::advisory::WarningState;
    use verbund_domain::advisory::matcher::Confidence;
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let now = now_ms();
    let mut tx = begin_write(pool).await?;
    let existing: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, version FROM advisories WHERE federation_id = $1 AND tracking_id = $2",
    )
    .bind(federation.0)
    .bind(&adv.tracking_id)
    .fetch_optional(&mut *tx)
    .await?;
    #[expect(clippy::cast_possible_truncation, reason = "scores are 0–10")]
    let score = adv.max_score.map(|s| (s * 10.0).round() as i64);
    let model = json_text(adv)?;
    let cves = json_text(&adv.cves)?;
    let notes = json_text(&import_warnings)?;
    let (id, created, before) = match existing {
        Some((id, old_version)) => {
            sqlx::query(
                "UPDATE advisories SET version = $2, title = $3, category = $4, publisher = $5, tlp = $6, severity = $7, \
                 score_tenths = $8, cves = $9, released = $10, summary = $11, change_summary = $12, model_json = $13, \
                 document_json = $14, import_warnings = $15, revision = revision + 1, updated_at_ms = $16 WHERE id = $1",
            )
            .bind(id)
            .bind(&adv.version)
            .bind(&adv.title)
            .bind(&adv.category)
            .bind(&adv.publisher)
            .bind(adv.tlp.code())
            .bind(adv.severity.code())
            .bind(score)
            .bind(&cves)
            .bind(&adv.released)
            .bind(&adv.summary)
            .bind(&adv.change_summary)
            .bind(&model)
            .bind(document_json)
            .bind(&notes)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM advisory_products WHERE advisory_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (id, false, serde_json::json!({"version": old_version}))
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO advisories (federation_id, tracking_id, version, title, category, publisher, tlp, severity, \
                 score_tenths, cves, released, summary, change_summary, model_json, document_json, import_warnings, \
                 imported_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) \
                 RETURNING id",
            )
            .bind(federation.0)
            .bind(&adv.tracking_id)
            .bind(&adv.version)
            .bind(&adv.title)
            .bind(&adv.category)
            .bind(&adv.publisher)
            .bind(adv.tlp.code())
            .bind(adv.severity.code())
            .bind(score)
            .bind(&cves)
            .bind(&adv.released)
            .bind(&adv.summary)
            .bind(&adv.change_summary)
            .bind(&model)
            .bind(document_json)
            .bind(&notes)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            (id, true, serde_json::Value::Null)
        }
    };
    for p in &adv.products {
        let first = p.idents.first();
        let f = |g: fn(&verbund_domain::advisory::ProductIdent) -> &Option<String>| {
            first.and_then(|i| g(i).clone())
        };
        sqlx::query(
            "INSERT INTO advisory_products (advisory_id, product_id, name, state, vendor, product, version, version_range, cpe, purl) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (advisory_id, product_id) DO NOTHING",
        )
        .bind(id)
        .bind(&p.product_id)
        .bind(&p.name)
        .bind(p.state.code())
        .bind(f(|i| &i.vendor))
        .bind(f(|i| &i.product))
        .bind(f(|i| &i.version))
        .bind(f(|i| &i.version_range))
        .bind(f(|i| &i.cpe))
        .bind(f(|i| &i.purl))
        .execute(&mut *tx)
        .await?;
    }
    let old: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, org_id, state FROM advisory_warnings WHERE advisory_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    let old: std::collections::HashMap<i64, (i64, String)> = old
        .into_iter()
        .map(|(w, org, state)| (org, (w, state)))
        .collect();
    let mut outcome = crate::SaveOutcome {
        advisory_id: Some(verbund_domain::AdvisoryId(id)),
        created,
        ..crate::SaveOutcome::default()
    };
    let mut matched = std::collections::HashSet::new();
    for w in warnings {
        matched.insert(w.org_id.0);
        let fresh_state = if w.confidence == Confidence::NameOnly {
            WarningState::Unconfirmed
        } else {
            WarningState::Open
        };
        let matches = json_text(&w.matches)?;
        let (wid, state, action) = match old.get(&w.org_id.0) {
            None => {
                let wid: i64 = sqlx::query_scalar(
                    "INSERT INTO advisory_warnings (advisory_id, org_id, state, confidence, severity, deadline_on, matches_json, \
                     created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                )
                .bind(id)
                .bind(w.org_id.0)
                .bind(fresh_state.code())
                .bind(w.confidence.code())
                .bind(adv.severity.code())
                .bind(&w.deadline_on)
                .bind(&matches)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                (wid, fresh_state, "advisory_warning.create")
            }
            Some((wid, state)) => {
                let current = WarningState::parse(state).unwrap_or(WarningState::Open);
                let next = match current {
                    WarningState::Closed => fresh_state,
                    WarningState::Unconfirmed => fresh_state,
                    other => other,
                };
                let reopened = current == WarningState::Closed;
                sqlx::query(
                    "UPDATE advisory_warnings SET state = $2, confidence = $3, severity = $4, matches_json = $5, \
                     closed_reason = NULL, deadline_on = CASE WHEN $6 THEN $7 ELSE deadline_on END, \
                     revision = revision + 1, updated_at_ms = $8 WHERE id = $1",
                )
                .bind(wid)
                .bind(next.code())
                .bind(w.confidence.code())
                .bind(adv.severity.code())
                .bind(&matches)
                .bind(reopened)
                .bind(&w.deadline_on)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if next.is_pending() && !reopened && current != WarningState::Unconfirmed {
                    outcome.kept += 1;
                }
                // What the outcome counts: newly open (to mail), still unconfirmed, or neither.
                let counted = if next == WarningState::Unconfirmed {
                    WarningState::Unconfirmed
                } else if next == WarningState::Open
                    && !matches!(current, WarningState::Open | WarningState::Acknowledged)
                {
                    WarningState::Open
                } else {
                    WarningState::Done
                };
                (*wid, counted, "advisory_warning.update")
            }
        };
        match state {
            WarningState::Open => outcome
                .opened
                .push((verbund_domain::AdvisoryWarningId(wid), w.org_id)),
            WarningState::Unconfirmed => outcome.unconfirmed += 1,
            _ => {}
        }
        append_audit(
            &mut tx,
            by,
            Change {
                org_id: Some(w.org_id),
                action,
                object_type: "advisory_warning",
                object_id: wid.to_string(),
                before: serde_json::Value::Null,
                after: serde_json::json!({"advisory": adv.tracking_id, "version": adv.version, "confidence": w.confidence.code(), "objects": w.matches.len()}),
            },
        )
        .await?;
    }
    let suppressed: std::collections::HashSet<i64> = suppressed.iter().map(|o| o.0).collect();
    for (org, (wid, state)) in &old {
        if matched.contains(org) {
            continue;
        }
        let Ok(current) = WarningState::parse(state) else {
            continue;
        };
        if !(current.is_pending() || current == WarningState::Unconfirmed) {
            continue;
        }
        let reason = if suppressed.contains(org) {
            "fixed_or_not_affected"
        } else {
            "no_match"
        };
        sqlx::query("UPDATE advisory_warnings SET state = 'closed', closed_reason = $2, revision = revision + 1, updated_at_ms = $3 WHERE id = $1")
            .bind(wid)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        outcome.closed += 1;
        append_audit(
            &mut tx,
            by,
            Change {
                org_id: Some(OrgId(*org)),
                action: "advisory_warning.close",
                object_type: "advisory_warning",
                object_id: wid.to_string(),
                before: serde_json::json!({"state": state}),
                after: serde_json::json!({"state": "closed", "reason": reason, "version": adv.version}),
            },
        )
        .await?;
    }
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: if created {
                "advisory.import"
            } else {
                "advisory.revise"
            },
            object_type: "advisory",
            object_id: id.to_string(),
            before,
            after: serde_json::json!({
                "tracking_id": adv.tracking_id, "version": adv.version, "tlp": adv.tlp.code(),
                "severity": adv.severity.code(), "opened": outcome.opened.len(),
                "unconfirmed": outcome.unconfirmed, "closed": outcome.closed,
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

pub(crate) async fn list_advisories(
    pool: &Pool<DB>,
    scope: &Scope,
) -> Result<Vec<verbund_domain::advisory::records::AdvisoryRecord>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{} ORDER BY a.updated_at_ms DESC, a.id DESC LIMIT 500",
        advisory_select(scope)
    );
    let rows: Vec<AdvisoryRow> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(pool).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

type ProductTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

pub(crate) async fn get_advisory(
    pool: &Pool<DB>,
    scope: &Scope,
    id: verbund_domain::AdvisoryId,
) -> Result<(
    verbund_domain::advisory::records::AdvisoryRecord,
    Vec<verbund_domain::advisory::records::AdvisoryProductRow>,
    verbund_domain::advisory::Advisory,
)> {
    if scope.is_empty() {
        return Err(StoreError::NotFound);
    }
    let sql = format!("{} AND a.id = $1", advisory_select(scope));
    let row: AdvisoryRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(pool)
        .await?
        .ok_or(StoreError::NotFound)?;
    let model: String = sqlx::query_scalar("SELECT model_json FROM advisories WHERE id = $1")
        .bind(id.0)
        .fetch_one(pool)
        .await?;
    let products: Vec<ProductTuple> = sqlx::query_as(
        "SELECT product_id, name, state, vendor, product, version, version_range, cpe, purl FROM advisory_products \
         WHERE advisory_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(pool)
    .await?;
    let products = products
        .into_iter()
        .map(
            |(product_id, name, state, vendor, product, version, version_range, cpe, purl)| {
                Ok(verbund_domain::advisory::records::AdvisoryProductRow {
                    product_id,
                    name,
                    state: advisory_code(&state, verbund_domain::advisory::ProductState::parse)?,
                    vendor,
                    product,
                    version,
                    version_range,
                    cpe,
                    purl,
                })
            },
        )
        .collect::<Result<Vec<_>>>()?;
    Ok((
        row.try_into()?,
        products,
        from_json(&model, "advisory model")?,
    ))
}

pub(crate) async fn advisory_document(
    pool: &Pool<DB>,
    scope: &Scope,
    id: verbund_domain::AdvisoryId,
) -> Result<String> {
    if scope.is_empty() {
        return Err(StoreError::NotFound);
    }
    let sql = format!(
        "SELECT a.document_json FROM advisories a WHERE a.id = $1 AND {}",
        advisory_visible_sql(scope)
    );
    sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(pool)
        .await?
        .ok_or(StoreError::NotFound)
}

fn warning_scope_sql(scope: &Scope) -> String {
    if scope.is_all() {
        "1=1".to_owned()
    } else {
        format!(
            "w.state <> 'unconfirmed' AND {}",
            scope_sql(scope, "w.org_id")
        )
    }
}

pub(crate) async fn list_advisory_warnings(
    pool: &Pool<DB>,
    scope: &Scope,
    filter: &crate::WarningFilter,
) -> Result<Vec<verbund_domain::advisory::records::Warning>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut cond = vec![warning_scope_sql(scope)];
    if let Some(a) = filter.advisory {
        cond.push(format!("w.advisory_id = {}", a.0));
    }
    if let Some(o) = filter.org {
        cond.push(format!("w.org_id = {}", o.0));
    }
    if filter.pending_only {
        cond.push("w.state IN ('open', 'acknowledged')".to_owned());
    }
    if filter.unconfirmed_only {
        cond.push("w.state = 'unconfirmed'".to_owned());
    }
    if !filter.severities.is_empty() {
        let list: Vec<String> = filter
            .severities
            .iter()
            .map(|s| format!("'{}'", s.code()))
            .collect();
        cond.push(format!("w.severity IN ({})", list.join(", ")));
    }
    let sql = format!(
        "{WARNING_SELECT} WHERE {} ORDER BY CASE w.state WHEN 'open' THEN 0 WHEN 'unconfirmed' THEN 1 WHEN 'acknowledged' THEN 2 ELSE 3 END, \
         CASE w.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, w.deadline_on, w.id DESC LIMIT 1000",
        cond.join(" AND ")
    );
    let rows: Vec<WarningRow> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(pool).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

async fn warning_in(
    tx: &mut Tx,
    scope: &Scope,
    id: verbund_domain::AdvisoryWarningId,
) -> Result<verbund_domain::advisory::records::Warning> {
    if scope.is_empty() {
        return Err(StoreError::NotFound);
    }
    let sql = format!(
        "{WARNING_SELECT} WHERE w.id = $1 AND {}",
        warning_scope_sql(scope)
    );
    let row: WarningRow = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    row.try_into()
}

pub(crate) async fn get_advisory_warning(
    pool: &Pool<DB>,
    scope: &Scope,
    id: verbund_domain::AdvisoryWarningId,
) -> Result<verbund_domain::advisory::records::Warning> {
    let mut tx = begin_snapshot(pool).await?;
    let w = warning_in(&mut tx, scope, id).await?;
    tx.commit().await?;
    Ok(w)
}

pub(crate) async fn set_advisory_warning_state(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::AdvisoryWarningId,
    from: &[verbund_domain::advisory::WarningState],
    to: verbund_domain::advisory::WarningState,
) -> Result<verbund_domain::advisory::records::Warning> {
    use verbund_domain::advisory::WarningState;
    let mut tx = begin_write(pool).await?;
    let w = warning_in(&mut tx, write, id).await?;
    if !from.contains(&w.state) {
        return Err(StoreError::Stale);
    }
    let now = now_ms();
    let user = by.user_id.map(|u| u.0);
    let sql = match to {
        WarningState::Acknowledged => {
            "UPDATE advisory_warnings SET state = $2, acknowledged_by = $3, acknowledged_at_ms = $4, revision = revision + 1, updated_at_ms = $4 WHERE id = $1"
        }
        WarningState::Done => {
            "UPDATE advisory_warnings SET state = $2, done_by = $3, done_at_ms = $4, \
             acknowledged_by = COALESCE(acknowledged_by, $3), acknowledged_at_ms = COALESCE(acknowledged_at_ms, $4), revision = revision + 1, updated_at_ms = $4 WHERE id = $1"
        }
        _ => {
            "UPDATE advisory_warnings SET state = $2, revision = revision + 1, updated_at_ms = $4 WHERE id = $1 AND ($3 IS NULL OR $3 IS NOT NULL)"
        }
    };
    sqlx::query(sql)
        .bind(id.0)
        .bind(to.code())
        .bind(user)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(w.org_id),
            action: "advisory_warning.state",
            object_type: "advisory_warning",
            object_id: id.0.to_string(),
            before: serde_json::json!({"state": w.state.code()}),
            after: serde_json::json!({"state": to.code()}),
        },
    )
    .await?;
    let out = warning_in(&mut tx, write, id).await?;
    tx.commit().await?;
    Ok(out)
}

pub(crate) async fn link_advisory_warning_measure(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::AdvisoryWarningId,
    measure: verbund_domain::MeasureId,
) -> Result<verbund_domain::advisory::records::Warning> {
    let mut tx = begin_write(pool).await?;
    let w = warning_in(&mut tx, write, id).await?;
    let measure_org: Option<i64> = sqlx::query_scalar("SELECT org_id FROM measures WHERE id = $1")
        .bind(measure.0)
        .fetch_optional(&mut *tx)
        .await?;
    if measure_org != Some(w.org_id.0) {
        return Err(StoreError::NotFound);
    }
    sqlx::query("UPDATE advisory_warnings SET measure_id = $2, revision = revision + 1, updated_at_ms = $3 WHERE id = $1")
        .bind(id.0)
        .bind(measure.0)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(w.org_id),
            action: "advisory_warning.measure",
            object_type: "advisory_warning",
            object_id: id.0.to_string(),
            before: serde_json::json!({"measure_id": w.measure_id.map(|m| m.0)}),
            after: serde_json::json!({"measure_id": measure.0}),
        },
    )
    .await?;
    let out = warning_in(&mut tx, write, id).await?;
    tx.commit().await?;
    Ok(out)
}

pub(crate) async fn advisory_recipients_federation_wide(
    pool: &Pool<DB>,
    office: &Scope,
    org: OrgId,
) -> Result<Vec<crate::WarningRecipient>> {
    if !office.is_all() {
        return Err(StoreError::NotFound);
    }
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.locale FROM role_assignments ra JOIN users u ON u.id = ra.user_id \
         WHERE ra.org_id = $1 AND ra.role = 'coordinator' AND u.disabled_at_ms IS NULL ORDER BY u.id",
    )
    .bind(org.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, email, display_name, locale)| crate::WarningRecipient {
                user_id: UserId(id),
                email,
                display_name,
                locale,
            },
        )
        .collect())
}
