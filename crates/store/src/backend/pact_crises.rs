// Crises of a pact: declaration (with the alert job), the append-only timeline, help requests
// and loans, closing with lessons learned. A crisis is visible where its pact is.

const CRISIS_SELECT: &str = "SELECT c.id, c.pact_id, p.name AS pact_name, c.org_id, o.name AS org_name, c.severity, \
     c.affected_services, c.summary, c.exercise, c.status, c.lessons_learned, c.declared_at_ms, c.closed_at_ms \
     FROM pact_crises c JOIN pacts p ON p.id = c.pact_id JOIN organisations o ON o.id = c.org_id";

#[derive(sqlx::FromRow)]
struct CrisisRow {
    id: i64,
    pact_id: i64,
    pact_name: String,
    org_id: i64,
    org_name: String,
    severity: String,
    affected_services: String,
    summary: String,
    exercise: i64,
    status: String,
    lessons_learned: Option<String>,
    declared_at_ms: i64,
    closed_at_ms: Option<i64>,
}

impl TryFrom<CrisisRow> for verbund_domain::pact::model::PactCrisis {
    type Error = StoreError;
    fn try_from(r: CrisisRow) -> Result<Self> {
        Ok(Self {
            id: verbund_domain::PactCrisisId(r.id),
            pact_id: verbund_domain::PactId(r.pact_id),
            pact_name: r.pact_name,
            org_id: OrgId(r.org_id),
            org_name: r.org_name,
            severity: pact_code(&r.severity, verbund_domain::pact::Severity::parse)?,
            affected_services: r.affected_services,
            summary: r.summary,
            exercise: r.exercise != 0,
            open: r.status == "open",
            lessons_learned: r.lessons_learned,
            declared_at_ms: r.declared_at_ms,
            closed_at_ms: r.closed_at_ms,
        })
    }
}

async fn fetch_crises(
    tx: &mut Tx,
    scope: &Scope,
    cond: &str,
) -> Result<Vec<verbund_domain::pact::model::PactCrisis>> {
    let rows: Vec<CrisisRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{CRISIS_SELECT} WHERE {cond} AND {} ORDER BY c.status DESC, c.declared_at_ms DESC, c.id DESC",
        pact_visible(scope, "c.pact_id")
    )))
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

async fn crisis_in(
    tx: &mut Tx,
    scope: &Scope,
    id: i64,
) -> Result<verbund_domain::pact::model::PactCrisis> {
    fetch_crises(tx, scope, &format!("c.id = {id}"))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

pub(crate) async fn list_pact_crises(
    pool: &Pool<DB>,
    scope: &Scope,
    pact: Option<verbund_domain::PactId>,
) -> Result<Vec<verbund_domain::pact::model::PactCrisis>> {
    let mut tx = begin_snapshot(pool).await?;
    let cond = pact.map_or_else(|| "1=1".to_owned(), |p| format!("c.pact_id = {}", p.0));
    let r = fetch_crises(&mut tx, scope, &cond).await?;
    tx.commit().await?;
    Ok(r)
}

pub(crate) async fn get_pact_crisis(
    pool: &Pool<DB>,
    scope: &Scope,
    id: verbund_domain::PactCrisisId,
) -> Result<verbund_domain::pact::model::PactCrisis> {
    let mut tx = begin_snapshot(pool).await?;
    let c = crisis_in(&mut tx, scope, id.0).await?;
    tx.commit().await?;
    Ok(c)
}

async fn is_pact_member(tx: &mut Tx, pact: i64, org: OrgId) -> Result<bool> {
    let n: Option<i64> =
        sqlx::query_scalar("SELECT id FROM pact_members WHERE pact_id = $1 AND org_id = $2")
            .bind(pact)
            .bind(org.0)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(n.is_some())
}

async fn insert_entry(
    tx: &mut Tx,
    crisis: i64,
    org: OrgId,
    user: Option<UserId>,
    kind: verbund_domain::pact::EntryKind,
    text: &str,
    corrects: Option<i64>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO pact_crisis_entries (crisis_id, org_id, user_id, kind, text, corrects_entry_id, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(crisis)
    .bind(org.0)
    .bind(user.map(|u| u.0))
    .bind(kind.code())
    .bind(text)
    .bind(corrects)
    .bind(now_ms())
    .fetch_one(&mut **tx)
    .await?)
}

/// Declares a crisis for member `org` of `pact` (the caller decided the actor may), writes
/// the first timeline entry and the alert job (mails, webhook); audited.
pub(crate) async fn declare_pact_crisis(
    pool: &Pool<DB>,
    by: &AuditActor,
    scope: &Scope,
    pact: verbund_domain::PactId,
    org: OrgId,
    d: &crate::CrisisFields,
) -> Result<verbund_domain::pact::model::PactCrisis> {
    let mut tx = begin_write(pool).await?;
    let p = load_pact(&mut tx, scope, pact.0).await?;
    if !p.has_member(org) {
        return Err(pact_invalid("org", "error-pact-not-member"));
    }
    let fed: i64 = sqlx::query_scalar("SELECT federation_id FROM pacts WHERE id = $1")
        .bind(pact.0)
        .fetch_one(&mut *tx)
        .await?;
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO pact_crises (pact_id, org_id, severity, affected_services, summary, exercise, status, declared_by, declared_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id",
    )
    .bind(pact.0)
    .bind(org.0)
    .bind(d.severity.code())
    .bind(&d.affected_services)
    .bind(&d.summary)
    .bind(i64::from(d.exercise))
    .bind(by.user_id.map(|u| u.0))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    insert_entry(
        &mut tx,
        id,
        org,
        by.user_id,
        verbund_domain::pact::EntryKind::System,
        &d.first_entry,
        None,
    )
    .await?;
    {
        // The alert job mails every contact of the pact and calls the webhook, if any.
        sqlx::query(
            "INSERT INTO jobs (federation_id, kind, dedupe_key, payload, state, run_at_ms, created_at_ms, updated_at_ms) \
             VALUES ($1, 'pact_alert', $2, $3, 'scheduled', $4, $4, $4)",
        )
        .bind(fed)
        .bind(format!("pact_alert:{id}"))
        .bind(serde_json::json!({ "crisis_id": id }).to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let after = crisis_in(&mut tx, scope, id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "pact.crisis.declare",
            object_type: "pact_crisis",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

type EntryTuple = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
    i64,
);

/// Timeline entries of a visible crisis with an ID above `after`, oldest first (at most
/// `limit`).
pub(crate) async fn pact_entries(
    pool: &Pool<DB>,
    scope: &Scope,
    crisis: verbund_domain::PactCrisisId,
    after: i64,
    limit: i64,
) -> Result<Vec<verbund_domain::pact::model::PactEntry>> {
    let rows: Vec<EntryTuple> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT e.id, e.crisis_id, e.kind, e.text, e.org_id, o.name, e.user_id, u.display_name, e.corrects_entry_id, e.created_at_ms \
         FROM pact_crisis_entries e JOIN pact_crises c ON c.id = e.crisis_id JOIN organisations o ON o.id = e.org_id \
         LEFT JOIN users u ON u.id = e.user_id \
         WHERE e.crisis_id = $1 AND e.id > $2 AND {} ORDER BY e.id LIMIT $3",
        pact_visible(scope, "c.pact_id")
    )))
    .bind(crisis.0)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(
            |(id, c, kind, text, org, org_name, user, user_name, corrects, at)| {
                Ok(verbund_domain::pact::model::PactEntry {
                    id: verbund_domain::PactEntryId(id),
                    crisis_id: verbund_domain::PactCrisisId(c),
                    kind: pact_code(&kind, verbund_domain::pact::EntryKind::parse)?,
                    text,
                    org_id: OrgId(org),
                    org_name,
                    user_id: user.map(UserId),
                    user_name,
                    corrects: corrects.map(verbund_domain::PactEntryId),
                    created_at_ms: at,
                })
            },
        )
        .collect()
}

/// Checks that the crisis is visible, open, and that `org` (the author's member) is in the
/// pact and in `write`; returns the crisis.
async fn open_crisis_for(
    tx: &mut Tx,
    read: &Scope,
    write: &Scope,
    crisis: i64,
    org: OrgId,
) -> Result<verbund_domain::pact::model::PactCrisis> {
    let c = crisis_in(tx, read, crisis).await?;
    if !write.contains(org) || !is_pact_member(tx, c.pact_id.0, org).await? {
        return Err(pact_invalid("org", "error-pact-not-member"));
    }
    if !c.open {
        return Err(pact_invalid("crisis", "error-pact-crisis-closed"));
    }
    Ok(c)
}

/// Appends an entry (log, decision, correction of an entry of the same crisis), audited.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn add_pact_entry(
    pool: &Pool<DB>,
    by: &AuditActor,
    read: &Scope,
    write: &Scope,
    crisis: verbund_domain::PactCrisisId,
    org: OrgId,
    kind: verbund_domain::pact::EntryKind,
    text: &str,
    corrects: Option<verbund_domain::PactEntryId>,
) -> Result<verbund_domain::PactEntryId> {
    let mut tx = begin_write(pool).await?;
    open_crisis_for(&mut tx, read, write, crisis.0, org).await?;
    if let Some(c) = corrects {
        let same: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM pact_crisis_entries WHERE id = $1 AND crisis_id = $2",
        )
        .bind(c.0)
        .bind(crisis.0)
        .fetch_optional(&mut *tx)
        .await?;
        if same.is_none() {
            return Err(pact_invalid("corrects", "error-pact-entry-unknown"));
        }
    }
    let id = insert_entry(
        &mut tx,
        crisis.0,
        org,
        by.user_id,
        kind,
        text,
        corrects.map(|c| c.0),
    )
    .await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "pact.entry.create",
            object_type: "pact_crisis",
            object_id: crisis.0.to_string(),
            before: serde_json::Value::Null,
            after: serde_json::json!({ "entry": id, "kind": kind.code(), "text": text, "corrects": corrects }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(verbund_domain::PactEntryId(id))
}

/// Closes an open crisis with lessons learned (the declaring member in `write`, or the
/// office), audited.
pub(crate) async fn close_pact_crisis(
    pool: &Pool<DB>,
    by: &AuditActor,
    read: &Scope,
    write: &Scope,
    crisis: verbund_domain::PactCrisisId,
    lessons: Option<&str>,
    entry_text: &str,
) -> Result<verbund_domain::pact::model::PactCrisis> {
    let mut tx = begin_write(pool).await?;
    let before = crisis_in(&mut tx, read, crisis.0).await?;
    if !write.contains(before.org_id) {
        return Err(StoreError::NotFound);
    }
    if !before.open {
        return Err(pact_invalid("crisis", "error-pact-crisis-closed"));
    }
    let now = now_ms();
    sqlx::query("UPDATE pact_crises SET status = 'closed', lessons_learned = $1, closed_at_ms = $2 WHERE id = $3")
        .bind(lessons)
        .bind(now)
        .bind(crisis.0)
        .execute(&mut *tx)
        .await?;
    insert_entry(
        &mut tx,
        crisis.0,
        before.org_id,
        by.user_id,
        verbund_domain::pact::EntryKind::System,
        entry_text,
        None,
    )
    .await?;
    let after = crisis_in(&mut tx, read, crisis.0).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "pact.crisis.close",
            object_type: "pact_crisis",
            object_id: crisis.0.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

type RequestTuple = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);
type LoanTuple = (
    i64,
    i64,
    i64,
    String,
    i64,
    String,
    String,
    Option<f64>,
    Option<i64>,
    Option<String>,
);

fn loan_of(t: LoanTuple) -> Result<verbund_domain::pact::model::PactLoan> {
    let (id, request, resource, resource_name, org, org_name, status, hours, cost, note) = t;
    Ok(verbund_domain::pact::model::PactLoan {
        id: verbund_domain::PactLoanId(id),
        request_id: verbund_domain::PactRequestId(request),
        resource_id: verbund_domain::PactResourceId(resource),
        resource_name,
        org_id: OrgId(org),
        org_name,
        status: pact_code(&status, verbund_domain::pact::LoanStatus::parse)?,
        hours,
        cost_cents: cost,
        note,
    })
}

const LOAN_SELECT: &str = "SELECT l.id, l.request_id, l.resource_id, r.name, l.org_id, o.name, l.status, l.hours, l.cost_cents, l.note \
     FROM pact_loans l JOIN pact_resources r ON r.id = l.resource_id JOIN organisations o ON o.id = l.org_id";

async fn fetch_requests(
    tx: &mut Tx,
    cond: &str,
) -> Result<Vec<verbund_domain::pact::model::PactRequest>> {
    use verbund_domain::pact::{Need, Window};
    let rows: Vec<RequestTuple> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT q.id, q.crisis_id, q.org_id, o.name, q.need_kind, q.need_code, q.count, q.from_date, q.until_date, q.location, q.note, q.created_at_ms \
         FROM pact_requests q JOIN organisations o ON o.id = q.org_id WHERE {cond} ORDER BY q.id"
    )))
    .fetch_all(&mut **tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, crisis, org, org_name, nk, nc, count, from, until, location, note, at) in rows {
        let loans: Vec<LoanTuple> = sqlx::query_as(AssertSqlSafe(format!(
            "{LOAN_SELECT} WHERE l.request_id = $1 ORDER BY l.id"
        )))
        .bind(id)
        .fetch_all(&mut **tx)
        .await?;
        out.push(verbund_domain::pact::model::PactRequest {
            id: verbund_domain::PactRequestId(id),
            crisis_id: verbund_domain::PactCrisisId(crisis),
            org_id: OrgId(org),
            org_name,
            need: Need::parse(&nk, &nc).map_err(|_| pact_corrupt("need"))?,
            count,
            window: Window {
                from: pact_date(from)?,
                until: pact_date(until)?,
            },
            location,
            note,
            created_at_ms: at,
            loans: loans.into_iter().map(loan_of).collect::<Result<_>>()?,
        });
    }
    Ok(out)
}

/// The help requests of a visible crisis with their loans.
pub(crate) async fn pact_requests(
    pool: &Pool<DB>,
    scope: &Scope,
    crisis: verbund_domain::PactCrisisId,
) -> Result<Vec<verbund_domain::pact::model::PactRequest>> {
    let mut tx = begin_snapshot(pool).await?;
    crisis_in(&mut tx, scope, crisis.0).await?;
    let r = fetch_requests(&mut tx, &format!("q.crisis_id = {}", crisis.0)).await?;
    tx.commit().await?;
    Ok(r)
}

/// One help request of a visible crisis, with its crisis.
pub(crate) async fn get_pact_request(
    pool: &Pool<DB>,
    scope: &Scope,
    id: verbund_domain::PactRequestId,
) -> Result<(
    verbund_domain::pact::model::PactCrisis,
    verbund_domain::pact::model::PactRequest,
)> {
    let mut tx = begin_snapshot(pool).await?;
    let r = fetch_requests(&mut tx, &format!("q.id = {}", id.0))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    let c = crisis_in(&mut tx, scope, r.crisis_id.0).await?;
    tx.commit().await?;
    Ok((c, r))
}

/// Adds a help request of member `org`, with its timeline entry, audited.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn add_pact_request(
    pool: &Pool<DB>,
    by: &AuditActor,
    read: &Scope,
    write: &Scope,
    crisis: verbund_domain::PactCrisisId,
    org: OrgId,
    r: &verbund_domain::pact::RequestInput,
    entry_text: &str,
) -> Result<verbund_domain::pact::model::PactRequest> {
    let mut tx = begin_write(pool).await?;
    open_crisis_for(&mut tx, read, write, crisis.0, org).await?;
    let (nk, nc) = r.need.codes();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO pact_requests (crisis_id, org_id, need_kind, need_code, count, from_date, until_date, location, note, created_by, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(crisis.0)
    .bind(org.0)
    .bind(nk)
    .bind(nc)
    .bind(r.count)
    .bind(opt_date_text(r.window.from))
    .bind(opt_date_text(r.window.until))
    .bind(r.location.as_deref())
    .bind(r.note.as_deref())
    .bind(by.user_id.map(|u| u.0))
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await?;
    insert_entry(
        &mut tx,
        crisis.0,
        org,
        by.user_id,
        verbund_domain::pact::EntryKind::System,
        entry_text,
        None,
    )
    .await?;
    let after = fetch_requests(&mut tx, &format!("q.id = {id}"))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(org),
            action: "pact.request.create",
            object_type: "pact_request",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Asks a resource of another pact member for a request of a member in `write`, with its
/// timeline entry, audited. A resource of the requester itself, of a non-member, or asked
/// already is 422.
pub(crate) async fn ask_pact_loan(
    pool: &Pool<DB>,
    by: &AuditActor,
    read: &Scope,
    write: &Scope,
    request: verbund_domain::PactRequestId,
    resource: verbund_domain::PactResourceId,
    entry_text: &(dyn Fn(&str, &str) -> String + Sync),
) -> Result<verbund_domain::pact::model::PactLoan> {
    let mut tx = begin_write(pool).await?;
    let q = fetch_requests(&mut tx, &format!("q.id = {}", request.0))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    let c = open_crisis_for(&mut tx, read, write, q.crisis_id.0, q.org_id).await?;
    let all = Scope::system(&verbund_domain::authz::SystemAccess::for_reason(
        "pact loan",
    ));
    let r = resource_in(&mut tx, &all, resource.0)
        .await
        .map_err(|_| pact_invalid("resource", "error-pact-resource-unknown"))?;
    if r.org_id == q.org_id || !is_pact_member(&mut tx, c.pact_id.0, r.org_id).await? {
        return Err(pact_invalid("resource", "error-pact-resource-unknown"));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO pact_loans (request_id, resource_id, org_id, status, created_at_ms) VALUES ($1, $2, $3, 'asked', $4) RETURNING id",
    )
    .bind(request.0)
    .bind(resource.0)
    .bind(r.org_id.0)
    .bind(now_ms())
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::unique(e, "resource"))?;
    insert_entry(
        &mut tx,
        c.id.0,
        q.org_id,
        by.user_id,
        verbund_domain::pact::EntryKind::System,
        &entry_text(&r.name, &r.org_name),
        None,
    )
    .await?;
    let after = loan_by_id(&mut tx, id).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(q.org_id),
            action: "pact.loan.ask",
            object_type: "pact_loan",
            object_id: id.to_string(),
            before: serde_json::Value::Null,
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

async fn loan_by_id(tx: &mut Tx, id: i64) -> Result<verbund_domain::pact::model::PactLoan> {
    let t: Option<LoanTuple> =
        sqlx::query_as(AssertSqlSafe(format!("{LOAN_SELECT} WHERE l.id = $1")))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    loan_of(t.ok_or(StoreError::NotFound)?)
}

/// The lender (in `write`) accepts or declines a loan, or records hours and costs of an
/// accepted one; with a timeline entry, audited.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn decide_pact_loan(
    pool: &Pool<DB>,
    by: &AuditActor,
    read: &Scope,
    write: &Scope,
    loan: verbund_domain::PactLoanId,
    d: &crate::LoanDecision,
    entry_text: &str,
) -> Result<verbund_domain::pact::model::PactLoan> {
    let mut tx = begin_write(pool).await?;
    let before = loan_by_id(&mut tx, loan.0).await?;
    let q = fetch_requests(&mut tx, &format!("q.id = {}", before.request_id.0))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)?;
    let c = crisis_in(&mut tx, read, q.crisis_id.0).await?;
    if !write.contains(before.org_id) {
        return Err(StoreError::NotFound);
    }
    if !c.open {
        return Err(pact_invalid("crisis", "error-pact-crisis-closed"));
    }
    sqlx::query(
        "UPDATE pact_loans SET status = $1, hours = $2, cost_cents = $3, note = $4, decided_by = $5, decided_at_ms = $6 WHERE id = $7",
    )
    .bind(d.status.code())
    .bind(d.hours)
    .bind(d.cost_cents)
    .bind(d.note.as_deref())
    .bind(by.user_id.map(|u| u.0))
    .bind(now_ms())
    .bind(loan.0)
    .execute(&mut *tx)
    .await?;
    insert_entry(
        &mut tx,
        c.id.0,
        before.org_id,
        by.user_id,
        verbund_domain::pact::EntryKind::System,
        entry_text,
        None,
    )
    .await?;
    let after = loan_by_id(&mut tx, loan.0).await?;
    append_audit(
        &mut tx,
        by,
        Change {
            org_id: Some(before.org_id),
            action: "pact.loan.decide",
            object_type: "pact_loan",
            object_id: loan.0.to_string(),
            before: to_json(&before),
            after: to_json(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Everything the alert job needs, read by the system: the crisis and the e-mail addresses
/// of every contact of the pact's members.
pub(crate) async fn pact_alert_facts(
    pool: &Pool<DB>,
    crisis: verbund_domain::PactCrisisId,
) -> Result<(
    verbund_domain::pact::model::PactCrisis,
    verbund_domain::pact::model::Pact,
    Vec<verbund_domain::pact::model::PactContact>,
)> {
    let all = Scope::system(&verbund_domain::authz::SystemAccess::for_reason(
        "pact alert",
    ));
    let mut tx = begin_snapshot(pool).await?;
    let c = crisis_in(&mut tx, &all, crisis.0).await?;
    let p = load_pact(&mut tx, &all, c.pact_id.0).await?;
    let contacts = fetch_contacts(&mut tx, &member_orgs_cond(c.pact_id.0, "c.org_id")).await?;
    tx.commit().await?;
    Ok((c, p, contacts))
}
