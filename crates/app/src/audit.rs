//! Reading the audit log (writing happens in the store, in the same transaction as the change):
//! filtered by organisation, person, period, kind of change and object, paged or in batches
//! for the CSV export.

use serde::Deserialize;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::localtime::berlin_midnight_ms;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::validation::{ValidationErrors, parse_date};
use verbund_domain::{OrgId, UserId};
use verbund_store::{AuditEntry, AuditFilter, RequirementLabel};

use crate::Services;
use crate::error::Result;

/// The most entries one CSV export holds (a longer log is narrowed by the filters).
pub const EXPORT_LIMIT: usize = 50_000;

/// The filters as typed into the form or the query string (empty means "any").
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this organisation (ID).
    #[param(value_type = Option<i64>, nullable = false)]
    pub org: Option<String>,
    /// Only changes by this person (user ID).
    #[param(value_type = Option<i64>, nullable = false)]
    pub person: Option<String>,
    /// From this day (TT.MM.JJJJ or YYYY-MM-DD, Berlin time, inclusive).
    #[param(nullable = false)]
    pub from: Option<String>,
    /// Until this day (inclusive).
    #[param(nullable = false)]
    pub to: Option<String>,
    /// Kind of change, e.g. `org.update`, `answer.bulk_update`.
    #[param(nullable = false)]
    pub kind: Option<String>,
    /// Kind of object, e.g. `organisation`, `assessment_answer`.
    #[param(nullable = false)]
    pub object: Option<String>,
    /// One object's ID (with `object`).
    #[param(nullable = false)]
    pub object_id: Option<String>,
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 25, 1 to 200; outside that range the request is refused with 422).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A code like `org.update` or `assessment_answer`: what the log writes, nothing else.
fn code(e: &mut ValidationErrors, field: &str, v: &Option<String>) -> Option<String> {
    let v = given(v)?;
    let ok = v.len() <= 64
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'.');
    e.check(field, ok.then(|| v.to_owned()).ok_or("error-audit-code"))
}

impl AuditQuery {
    /// The store filter; field errors for malformed values (422, not an empty list).
    pub fn filter(&self) -> Result<AuditFilter> {
        let mut e = ValidationErrors::default();
        let id = |e: &mut ValidationErrors, field: &str, v: &Option<String>| {
            given(v).and_then(|s| e.check(field, s.parse::<i64>().map_err(|_| "error-number")))
        };
        let org = id(&mut e, "org", &self.org).map(OrgId);
        let actor = id(&mut e, "person", &self.person).map(UserId);
        let from = given(&self.from).and_then(|d| e.check("from", parse_date(d)));
        let to = given(&self.to).and_then(|d| e.check("to", parse_date(d)));
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("to", "error-period-order");
        }
        let action = code(&mut e, "kind", &self.kind);
        let object_type = code(&mut e, "object", &self.object);
        let object_id = given(&self.object_id).map(str::to_owned);
        if object_id.as_ref().is_some_and(|i| i.len() > 64) {
            e.add("object_id", "error-too-long");
        }
        Ok(e.into_result(AuditFilter {
            org,
            actor,
            from_ms: from.map(berlin_midnight_ms),
            to_ms: to.and_then(|t| t.next_day()).map(berlin_midnight_ms),
            action,
            object_type,
            object_id,
            before_seq: None,
        })?)
    }
}

/// Audit entries the actor may read, optionally for one organisation.
pub async fn list_audit(
    st: &Services,
    actor: &Actor,
    org: Option<OrgId>,
    page: PageRequest,
) -> Result<Page<AuditEntry>> {
    let f = AuditFilter {
        org,
        ..AuditFilter::default()
    };
    list_audit_filtered(st, actor, &f, page).await
}

/// One page of the entries the actor may read that match `f`, newest first. An organisation
/// outside the actor's reach is not found.
pub async fn list_audit_filtered(
    st: &Services,
    actor: &Actor,
    f: &AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditEntry>> {
    if let Some(o) = f.org {
        actor.check(Permission::ReadAudit, o)?;
    }
    Ok(st
        .store
        .list_audit_filtered(&actor.scope(Permission::ReadAudit), f, page)
        .await?)
}

/// Every matching entry for the export, newest first, at most [`EXPORT_LIMIT`] (read in
/// batches, so a long log never sits in one query).
pub async fn export_audit(
    st: &Services,
    actor: &Actor,
    f: &AuditFilter,
) -> Result<Vec<AuditEntry>> {
    if let Some(o) = f.org {
        actor.check(Permission::ReadAudit, o)?;
    }
    let scope = actor.scope(Permission::ReadAudit);
    let mut f = f.clone();
    let mut out: Vec<AuditEntry> = Vec::new();
    loop {
        let batch = st.store.audit_batch(&scope, &f, 1_000).await?;
        let Some(last) = batch.last() else { break };
        f.before_seq = Some(last.entry.record.seq);
        out.extend(batch);
        if out.len() >= EXPORT_LIMIT {
            out.truncate(EXPORT_LIMIT);
            break;
        }
    }
    Ok(out)
}

/// The people who appear in the log the actor may read: `(user id, label)`.
pub async fn people(st: &Services, actor: &Actor) -> Result<Vec<(i64, String)>> {
    Ok(st
        .store
        .audit_people(&actor.scope(Permission::ReadAudit))
        .await?)
}

/// The requirements behind the answer IDs that `entries` mention (single and bulk changes),
/// as far as the actor may read them.
pub async fn requirements(
    st: &Services,
    actor: &Actor,
    entries: &[AuditEntry],
) -> Result<Vec<RequirementLabel>> {
    let mut ids: Vec<i64> = Vec::new();
    for e in entries {
        let r = &e.entry.record;
        match r.object_type.as_str() {
            "assessment_answer" => ids.extend(r.object_id.parse::<i64>().ok()),
            "assessment" if r.action == "answer.bulk_update" => {
                let after: serde_json::Value = serde_json::from_str(&r.after).unwrap_or_default();
                if let Some(rows) = after["rows"].as_array() {
                    ids.extend(rows.iter().filter_map(|x| x["answer_id"].as_i64()));
                }
            }
            _ => {}
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let mut out = Vec::new();
    // The answer list of one SQL statement stays short whatever the page holds.
    for chunk in ids.chunks(500) {
        out.extend(
            st.store
                .answer_requirements(&actor.scope(Permission::ReadAssessments), chunk)
                .await?,
        );
    }
    Ok(out)
}
