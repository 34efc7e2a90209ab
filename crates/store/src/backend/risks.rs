// Risk analysis (BSI 200-3): the federation's threats, its risk matrix, and the risks of
// members' objects with their measures. A risk belongs to its object's organisation; writes
// need that organisation in the write scope, reads in the read scope. See `crate::risks`.

const RISK_SELECT: &str = "SELECT r.id, r.org_id, g.name AS org_name, r.object_id, o.short_id, o.name AS object_name, \
     t.id AS threat_id, t.source, t.code, t.name AS threat_name, t.description, t.goals, \
     r.frequency, r.impact, r.category, r.frequency_after, r.impact_after, r.category_after, r.treatment, \
     r.justification, r.approver_user_id, u.display_name AS approver_name, r.accepted_at_ms, r.expires_on, r.revision, \
     r.created_at_ms, r.updated_at_ms \
     FROM risks r JOIN organisations g ON g.id = r.org_id JOIN structure_objects o ON o.id = r.object_id \
     JOIN threats t ON t.id = r.threat_id LEFT JOIN users u ON u.id = r.approver_user_id";

#[derive(sqlx::FromRow)]
struct RiskRow {
    id: i64,
    org_id: i64,
    org_name: String,
    object_id: i64,
    short_id: String,
    object_name: String,
    threat_id: i64,
    source: String,
    code: String,
    threat_name: String,
    description: Option<String>,
    goals: String,
    frequency: String,
    impact: String,
    category: String,
    frequency_after: Option<String>,
    impact_after: Option<String>,
    category_after: Option<String>,
    treatment: Option<String>,
    justification: Option<String>,
    approver_user_id: Option<i64>,
    approver_name: Option<String>,
    accepted_at_ms: Option<i64>,
    expires_on: Option<String>,
    revision: i64,
    created_at_ms: i64,
    updated_at_ms: i64,
}

fn risk_code<T>(v: &str, parse: fn(&str) -> std::result::Result<T, &'static str>) -> Result<T> {
    parse(v).map_err(|_| corrupt_structure("risk code"))
}

fn risk_opt<T>(
    v: Option<&str>,
    parse: fn(&str) -> std::result::Result<T, &'static str>,
) -> Result<Option<T>> {
    v.map(|s| risk_code(s, parse)).transpose()
}

impl TryFrom<RiskRow> for verbund_domain::risk::model::Risk {
    type Error = StoreError;
    fn try_from(r: RiskRow) -> Result<Self> {
        use verbund_domain::risk::{Frequency, Impact, RiskCategory, Treatment};
        Ok(Self {
            id: verbund_domain::RiskId(r.id),
            org_id: OrgId(r.org_id),
            org_name: r.org_name,
            object_id: StructureObjectId(r.object_id),
            object_short_id: r.short_id,
            object_name: r.object_name,
            threat: verbund_domain::risk::model::Threat {
                id: verbund_domain::ThreatId(r.threat_id),
                source: r.source,
                code: r.code,
                name: r.threat_name,
                description: r.description,
                goals: r.goals,
            },
            frequency: risk_code(&r.frequency, Frequency::parse)?,
            impact: risk_code(&r.impact, Impact::parse)?,
            category: risk_code(&r.category, RiskCategory::parse)?,
            frequency_after: risk_opt(r.frequency_after.as_deref(), Frequency::parse)?,
            impact_after: risk_opt(r.impact_after.as_deref(), Impact::parse)?,
            category_after: risk_opt(r.category_after.as_deref(), RiskCategory::parse)?,
            treatment: risk_opt(r.treatment.as_deref(), Treatment::parse)?,
            justification: r.justification,
            approver_id: r.approver_user_id.map(UserId),
            approver_name: r.approver_name,
            accepted_at_ms: r.accepted_at_ms,
            expires_on: r.expires_on,
            acceptance: verbund_domain::risk::AcceptanceState::None,
            untreated: r.treatment.is_none(),
            revision: r.revision,
            created_at_ms: r.created_at_ms,
            updated_at_ms: r.updated_at_ms,
            measures: Vec::new(),
        })
    }
}

/// Writes the 47 elementary threats of the federation if any is missing (first use).
async fn ensure_elementary_threats(tx: &mut Tx, federation: FederationId) -> Result<()> {
    let have: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM threats WHERE federation_id = $1 AND source = 'bsi'",
    )
    .bind(federation.0)
    .fetch_one(&mut **tx)
    .await?;
    let all = verbund_domain::risk::threats::ELEMENTARY;
    if usize::try_from(have).unwrap_or(0) >= all.len() {
        return Ok(());
    }
    let now = now_ms();
    for t in all {
        sqlx::query(
            "INSERT INTO threats (federation_id, source, code, name, description, goals, created_at_ms) \
             VALUES ($1, 'bsi', $2, $3, $4, $5, $6) ON CONFLICT (federation_id, source, code) DO NOTHING",
        )
        .bind(federation.0)
        .bind(t.code())
        .bind(t.name)
        .bind(t.description)
        .bind(t.goals)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn first_federation(tx: &mut Tx) -> Result<Option<FederationId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM federations ORDER BY id LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?;
    Ok(id.map(FederationId))
}

type ThreatTuple = (i64, String, String, String, Option<String>, String);

fn threat_of(t: ThreatTuple) -> verbund_domain::risk::model::Threat {
    verbund_domain::risk::model::Threat {
        id: verbund_domain::ThreatId(t.0),
        source: t.1,
        code: t.2,
        name: t.3,
        description: t.4,
        goals: t.5,
    }
}

/// The federation's threats (elementary first, by number; then the others by code).
pub(crate) async fn list_threats(
    pool: &Pool<DB>,
) -> Result<Vec<verbund_domain::risk::model::Threat>> {
    let mut tx = begin_write(pool).await?;
    let Some(fed) = first_federation(&mut tx).await? else {
        return Ok(Vec::new());
    };
    ensure_elementary_threats(&mut tx, fed).await?;
    let rows: Vec<ThreatTuple> = sqlx::query_as(
        "SELECT id, source, code, name, description, goals FROM threats WHERE federation_id = $1 \
         ORDER BY CASE WHEN source = 'bsi' THEN 0 ELSE 1 END, CASE WHEN source = 'bsi' THEN LENGTH(code) ELSE 0 END, code, id",
    )
    .bind(fed.0)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(rows.into_iter().map(threat_of).collect())
}

/// Adds a threat of the office's own (source `federation`) or from a library, audited.
pub(crate) async fn create_threat(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    t: &crate::NewThreat<'_>,
) -> Result<verbund_domain::risk::model::Threat> {
    let mut tx = begin_write(pool).await?;
    ensure_elementary_threats(&mut tx, federation).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO threats (federation_id, source, code, name, description, goals, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(federation.0)
    .bind(t.source)
    .bind(t.code)
    .bind(t.name)
    .bind(t.description)
    .bind(t.goals)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::unique(e, "code"))?;
    let t = threat_of((
        id,
        t.source.to_owned(),
        t.code.to_owned(),
        t.name.to_owned(),
        t.description.map(str::to_owned),
        t.goals.to_owned(),
    ));
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "risk.threat.create",
            object_type: "threat",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&t),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

async fn load_risk_matrix(tx: &mut Tx) -> Result<verbund_domain::risk::RiskMatrix> {
    let json: Option<String> = sqlx::query_scalar(
        "SELECT r.matrix_json FROM risk_matrix r JOIN federations f ON f.id = r.federation_id ORDER BY f.id LIMIT 1",
    )
    .fetch_optional(&mut **tx)
    .await?;
    json.map_or_else(|| Ok(Default::default()), |j| from_json(&j, "risk matrix"))
}

pub(crate) async fn risk_matrix(pool: &Pool<DB>) -> Result<verbund_domain::risk::RiskMatrix> {
    let mut tx = begin_snapshot(pool).await?;
    let m = load_risk_matrix(&mut tx).await?;
    tx.commit().await?;
    Ok(m)
}

/// The categories of a rating before and after, and the rank that counts now.
fn categories(
    m: &verbund_domain::risk::RiskMatrix,
    input: &verbund_domain::risk::RiskInput,
) -> (
    verbund_domain::risk::RiskCategory,
    Option<verbund_domain::risk::RiskCategory>,
    i64,
) {
    let before = m.category(input.before);
    let after = input.after.map(|a| m.category(a));
    let rank = after.unwrap_or(before).index() as i64;
    (before, after, rank)
}

/// Saves the matrix and rewrites every risk's categories by it, audited (one entry).
pub(crate) async fn save_risk_matrix(
    pool: &Pool<DB>,
    by: &AuditActor,
    federation: FederationId,
    matrix: &verbund_domain::risk::RiskMatrix,
) -> Result<()> {
    use verbund_domain::risk::{Frequency, Impact, Rating};
    let mut tx = begin_write(pool).await?;
    let before = load_risk_matrix(&mut tx).await?;
    sqlx::query(
        "INSERT INTO risk_matrix (federation_id, matrix_json, updated_at_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (federation_id) DO UPDATE SET matrix_json = excluded.matrix_json, updated_at_ms = excluded.updated_at_ms",
    )
    .bind(federation.0)
    .bind(json_text(matrix)?)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    // Every (frequency, impact) pair is one UPDATE per column: 16 + 16 statements, set-based.
    for f in Frequency::ALL {
        for i in Impact::ALL {
            let c = matrix.category(Rating {
                frequency: *f,
                impact: *i,
            });
            sqlx::query("UPDATE risks SET category = $1 WHERE frequency = $2 AND impact = $3 AND category <> $1")
                .bind(c.code())
                .bind(f.code())
                .bind(i.code())
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE risks SET category_after = $1 WHERE frequency_after = $2 AND impact_after = $3 AND category_after <> $1")
                .bind(c.code())
                .bind(f.code())
                .bind(i.code())
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query(
        "UPDATE risks SET current_rank = CASE COALESCE(category_after, category) \
         WHEN 'gering' THEN 0 WHEN 'mittel' THEN 1 WHEN 'hoch' THEN 2 ELSE 3 END",
    )
    .execute(&mut *tx)
    .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: None,
            action: "risk.matrix.update",
            object_type: "risk_matrix",
            object_id: federation.0.to_string(),
            before: to_json(&before),
            after: to_json(matrix),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn fetch_risk<'e, E: sqlx::Executor<'e, Database = DB>>(
    ex: E,
    cond: &str,
    id: i64,
) -> Result<verbund_domain::risk::model::Risk> {
    let row: Option<RiskRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{RISK_SELECT} WHERE r.id = $1 AND {cond}"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

async fn risk_measures_of(
    tx: &mut Tx,
    risk: i64,
) -> Result<Vec<verbund_domain::risk::model::LinkedMeasure>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT m.id, m.title, m.status FROM risk_measures rm JOIN measures m ON m.id = rm.measure_id \
         WHERE rm.risk_id = $1 ORDER BY m.id",
    )
    .bind(risk)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, status)| verbund_domain::risk::model::LinkedMeasure {
                id: verbund_domain::MeasureId(id),
                title,
                status,
            },
        )
        .collect())
}

async fn risk_with_measures(
    tx: &mut Tx,
    cond: &str,
    id: i64,
) -> Result<verbund_domain::risk::model::Risk> {
    let mut r = fetch_risk(&mut **tx, cond, id).await?;
    r.measures = risk_measures_of(tx, id).await?;
    Ok(r)
}

pub(crate) async fn get_risk(
    pool: &Pool<DB>,
    scope: &Scope,
    id: verbund_domain::RiskId,
) -> Result<verbund_domain::risk::model::Risk> {
    let mut tx = begin_snapshot(pool).await?;
    let r = risk_with_measures(&mut tx, &scope_sql(scope, "r.org_id"), id.0).await?;
    tx.commit().await?;
    Ok(r)
}

/// Creates a risk for a writable object, audited. A threat of another federation is
/// `threat` `error-risk-threat-unknown`; a second risk for the same threat `error-duplicate`.
pub(crate) async fn create_risk(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    object: StructureObjectId,
    threat: verbund_domain::ThreatId,
    input: &verbund_domain::risk::RiskInput,
) -> Result<verbund_domain::risk::model::Risk> {
    let mut tx = begin_write(pool).await?;
    let o = fetch_writable(&mut tx, write, object.0).await?;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM threats WHERE id = $1")
        .bind(threat.0)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single(
                "threat",
                "error-risk-threat-unknown",
            ),
        ));
    }
    let m = load_risk_matrix(&mut tx).await?;
    let (cat, cat_after, rank) = categories(&m, input);
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO risks (org_id, object_id, threat_id, frequency, impact, category, frequency_after, impact_after, \
         category_after, current_rank, treatment, justification, created_at_ms, updated_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(o.org_id.0)
    .bind(object.0)
    .bind(threat.0)
    .bind(input.before.frequency.code())
    .bind(input.before.impact.code())
    .bind(cat.code())
    .bind(input.after.map(|a| a.frequency.code()))
    .bind(input.after.map(|a| a.impact.code()))
    .bind(cat_after.map(|c| c.code()))
    .bind(rank)
    .bind(input.treatment.map(|t| t.code()))
    .bind(input.justification.as_deref())
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::unique(e, "threat"))?;
    let after = risk_with_measures(&mut tx, "1=1", id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(o.org_id),
            action: "risk.create",
            object_type: "risk",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// The acceptance to record with a change: approver, expiry date (`YYYY-MM-DD`).
pub(crate) type AcceptanceRecord<'a> = Option<(UserId, &'a str)>;

/// Changes a risk's ratings and treatment (`revision`, if given, must be current), audited.
/// With `acceptance` the treatment becomes acceptance with that approver and expiry; without
/// it, a change away from acceptance clears the approver and dates.
pub(crate) async fn update_risk(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::RiskId,
    revision: Option<i64>,
    input: &verbund_domain::risk::RiskInput,
    acceptance: AcceptanceRecord<'_>,
) -> Result<verbund_domain::risk::model::Risk> {
    let mut tx = begin_write(pool).await?;
    let cond = scope_sql(write, "r.org_id");
    let before = risk_with_measures(&mut tx, &cond, id.0).await?;
    if revision.is_some_and(|r| r != before.revision) {
        return Err(StoreError::Stale);
    }
    let m = load_risk_matrix(&mut tx).await?;
    let (cat, cat_after, rank) = categories(&m, input);
    let now = now_ms();
    let (treatment, approver, accepted_at, expires) = match acceptance {
        Some((user, expires)) => (
            Some(verbund_domain::risk::Treatment::Accept.code()),
            Some(user.0),
            Some(now),
            Some(expires.to_owned()),
        ),
        None if input.treatment == Some(verbund_domain::risk::Treatment::Accept) => (
            Some(verbund_domain::risk::Treatment::Accept.code()),
            before.approver_id.map(|u| u.0),
            before.accepted_at_ms,
            before.expires_on.clone(),
        ),
        None => (input.treatment.map(|t| t.code()), None, None, None),
    };
    sqlx::query(
        "UPDATE risks SET frequency = $1, impact = $2, category = $3, frequency_after = $4, impact_after = $5, \
         category_after = $6, current_rank = $7, treatment = $8, justification = $9, approver_user_id = $10, \
         accepted_at_ms = $11, expires_on = $12, revision = revision + 1, updated_at_ms = $13 WHERE id = $14",
    )
    .bind(input.before.frequency.code())
    .bind(input.before.impact.code())
    .bind(cat.code())
    .bind(input.after.map(|a| a.frequency.code()))
    .bind(input.after.map(|a| a.impact.code()))
    .bind(cat_after.map(|c| c.code()))
    .bind(rank)
    .bind(treatment)
    .bind(input.justification.as_deref())
    .bind(approver)
    .bind(accepted_at)
    .bind(expires)
    .bind(now)
    .bind(id.0)
    .execute(&mut *tx)
    .await?;
    let after = risk_with_measures(&mut tx, "1=1", id.0).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: if acceptance.is_some() {
                "risk.accept"
            } else {
                "risk.update"
            },
            object_type: "risk",
            object_id: id.0.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Deletes a risk with its measure links, audited.
pub(crate) async fn delete_risk(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::RiskId,
) -> Result<verbund_domain::risk::model::Risk> {
    let mut tx = begin_write(pool).await?;
    let before = risk_with_measures(&mut tx, &scope_sql(write, "r.org_id"), id.0).await?;
    sqlx::query("DELETE FROM risks WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "risk.delete",
            object_type: "risk",
            object_id: id.0.to_string(),
            before: to_json(&before),
            after: serde_json::Value::Null,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(before)
}

/// Links a measure of the risk's own member to a writable risk (`link = true`) or removes the
/// link, audited. A measure of another member is `measure` `error-risk-measure-unknown`.
pub(crate) async fn link_risk_measure(
    pool: &Pool<DB>,
    by: &AuditActor,
    write: &Scope,
    id: verbund_domain::RiskId,
    measure: verbund_domain::MeasureId,
    link: bool,
) -> Result<verbund_domain::risk::model::Risk> {
    let mut tx = begin_write(pool).await?;
    let cond = scope_sql(write, "r.org_id");
    let before = risk_with_measures(&mut tx, &cond, id.0).await?;
    let same_org: Option<i64> =
        sqlx::query_scalar("SELECT id FROM measures WHERE id = $1 AND org_id = $2")
            .bind(measure.0)
            .bind(before.org_id.0)
            .fetch_optional(&mut *tx)
            .await?;
    if same_org.is_none() {
        return Err(StoreError::Invalid(
            verbund_domain::validation::ValidationErrors::single(
                "measure",
                "error-risk-measure-unknown",
            ),
        ));
    }
    if link {
        sqlx::query(
            "INSERT INTO risk_measures (risk_id, measure_id, created_at_ms) VALUES ($1, $2, $3)",
        )
        .bind(id.0)
        .bind(measure.0)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::unique(e, "measure"))?;
    } else {
        let gone = sqlx::query("DELETE FROM risk_measures WHERE risk_id = $1 AND measure_id = $2")
            .bind(id.0)
            .bind(measure.0)
            .execute(&mut *tx)
            .await?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
    }
    let after = risk_with_measures(&mut tx, "1=1", id.0).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: if link {
                "risk.measure.link"
            } else {
                "risk.measure.unlink"
            },
            object_type: "risk",
            object_id: id.0.to_string(),
            before: to_json(&before.measures),
            after: to_json(&after.measures),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

fn risk_filter_sql(scope: &Scope, f: &verbund_domain::risk::model::RiskFilter) -> String {
    use verbund_domain::risk::model::TreatmentFilter;
    let treatment = match f.treatment {
        None => "1=1".to_owned(),
        Some(TreatmentFilter::Is(t)) => format!("r.treatment = '{}'", t.code()),
        Some(TreatmentFilter::Untreated) => {
            "(r.treatment IS NULL OR (r.treatment = 'akzeptieren' AND (r.expires_on IS NULL OR r.expires_on < $4)))".to_owned()
        }
        Some(TreatmentFilter::Lapsed) => {
            "(r.treatment = 'akzeptieren' AND (r.expires_on IS NULL OR r.expires_on < $4))".to_owned()
        }
    };
    format!(
        "{} AND ($1 IS NULL OR r.org_id = $1) AND ($2 IS NULL OR r.object_id = $2) AND ($3 IS NULL OR r.current_rank = $3) \
         AND ($4 IS NULL OR $4 = $4) AND {treatment}",
        scope_sql(scope, "r.org_id")
    )
}

/// The register: risks in `scope` by filter, worst first.
pub(crate) async fn list_risks(
    pool: &Pool<DB>,
    scope: &Scope,
    filter: &verbund_domain::risk::model::RiskFilter,
    page: PageRequest,
) -> Result<Page<verbund_domain::risk::model::Risk>> {
    let cond = risk_filter_sql(scope, filter);
    let org = filter.org.map(|o| o.0);
    let object = filter.object.map(|o| o.0);
    let rank = filter.category.map(|c| c.index() as i64);
    let mut tx = begin_snapshot(pool).await?;
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM risks r WHERE {cond}"
    )))
    .bind(org)
    .bind(object)
    .bind(rank)
    .bind(&filter.today)
    .fetch_one(&mut *tx)
    .await?;
    let rows: Vec<RiskRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{RISK_SELECT} WHERE {cond} ORDER BY r.current_rank DESC, g.name, o.short_id, t.code, r.id LIMIT $5 OFFSET $6"
    )))
    .bind(org)
    .bind(object)
    .bind(rank)
    .bind(&filter.today)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<Vec<_>>>()?,
        page: page.page,
        per_page: page.per_page,
        total,
    })
}

/// Per threat: members and risks whose current category is hoch or sehr hoch, across the
/// whole federation (the caller decides who may see what), and whether `own` members are among
/// them.
pub(crate) async fn risk_threat_summary_federation_wide(
    pool: &Pool<DB>,
    own: &Scope,
) -> Result<Vec<verbund_domain::risk::model::ThreatSummary>> {
    let own_cond = scope_sql(own, "r2.org_id");
    let rows: Vec<(String, String, i64, i64, i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT t.code, t.name, COUNT(DISTINCT r.org_id), COUNT(*), SUM(CASE WHEN r.current_rank = 3 THEN 1 ELSE 0 END), \
         (SELECT COUNT(DISTINCT r2.org_id) FROM risks r2 WHERE r2.threat_id = t.id AND r2.current_rank >= 2 AND {own_cond}) \
         FROM risks r JOIN threats t ON t.id = r.threat_id WHERE r.current_rank >= 2 \
         GROUP BY t.id, t.code, t.name ORDER BY COUNT(DISTINCT r.org_id) DESC, COUNT(*) DESC, t.code LIMIT 20"
    )))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, members, risks, very_high, own)| {
            verbund_domain::risk::model::ThreatSummary {
                code,
                name,
                members,
                risks,
                very_high,
                own: own > 0,
            }
        })
        .collect())
}

/// The active users holding the management role in `org` (inside `scope`): the possible
/// approvers of an acceptance.
pub(crate) async fn risk_approvers(
    pool: &Pool<DB>,
    scope: &Scope,
    org: OrgId,
) -> Result<Vec<(UserId, String)>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT u.id, u.display_name FROM role_assignments ra JOIN users u ON u.id = ra.user_id \
         WHERE ra.org_id = $1 AND ra.role = 'management' AND u.disabled_at_ms IS NULL AND {} ORDER BY u.display_name, u.id",
        scope_sql(scope, "ra.org_id")
    )))
    .bind(org.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, n)| (UserId(id), n)).collect())
}
