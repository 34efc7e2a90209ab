//! The crisis pact (Pakt für Cyberresilienz): the office creates pacts and adds members (also
//! partners outside the federation); each member keeps its registry of lendable resources and
//! its alarm chain; an authorised member user declares a crisis (or an exercise), which alerts
//! every contact of the pact by e-mail and the pact's webhook (a job, so it survives
//! restarts); members log the timeline, ask for help, get matching suggestions from the other
//! members' registries, and lenders accept or decline; the declaring member closes the crisis
//! with lessons learned.
//!
//! Reading needs `ReadOrg` in a member of the pact (the office reads all); writing for a member
//! needs `EditOrg` there. Something outside the reader's pacts is 404; the own member's object
//! with a role that may not change it is 403.

use serde::{Deserialize, Serialize};
use verbund_domain::authz::{Actor, Denied, Permission, Role};
use verbund_domain::pact::matching::{Candidate, PactMatch, Wanted, rank};
use verbund_domain::pact::model::{
    Pact, PactContact, PactCrisis, PactEntry, PactLoan, PactRequest, PactResource,
};
use verbund_domain::pact::{
    DeclareRule, EntryKind, LoanStatus, RawRequest, RawResource, Severity, pact_fields,
    parse_coordinates,
};
use verbund_domain::validation::{
    ValidationErrors, optional_multiline, optional_text, required_text,
};
use verbund_domain::{
    OrgId, PactContactId, PactCrisisId, PactEntryId, PactId, PactLoanId, PactRequestId,
    PactResourceId,
};
use verbund_store::{AuditActor, ContactFields, CrisisFields, LoanDecision, PactFields};

use crate::Services;
use crate::error::{Error, Result};

fn read_scope(actor: &Actor) -> verbund_domain::authz::Scope {
    actor.scope(Permission::ReadOrg)
}

fn write_scope(actor: &Actor) -> verbund_domain::authz::Scope {
    actor.scope(Permission::EditOrg)
}

/// 404 when the actor does not see `org`, 403 when it sees it but may not edit it.
fn may_write(actor: &Actor, org: OrgId) -> Result<()> {
    actor.check(Permission::EditOrg, org).map_err(|d| match d {
        Denied::NotFound => Error::NotFound,
        Denied::Forbidden => Error::Forbidden,
    })
}

fn office(actor: &Actor) -> Result<()> {
    actor
        .check_office(Permission::ManageFederation)
        .map_err(|d| match d {
            Denied::NotFound => Error::NotFound,
            Denied::Forbidden => Error::Forbidden,
        })
}

/// Whether the actor may create and change pacts and their members.
pub fn is_pact_office(actor: &Actor) -> bool {
    actor.check_office(Permission::ManageFederation).is_ok()
}

/// The member the actor acts for in `pact`: `org` if given (it must be a member), else the
/// first member the actor may edit; `None` for a reader that edits no member.
pub fn acting_org(actor: &Actor, pact: &Pact, org: Option<i64>) -> Result<OrgId> {
    if let Some(o) = org {
        let o = OrgId(o);
        if !pact.has_member(o) {
            return Err(ValidationErrors::single("org", "error-pact-not-member").into());
        }
        return Ok(o);
    }
    let w = write_scope(actor);
    if let Some(m) = pact
        .members
        .iter()
        .find(|m| !w.is_all() && w.contains(m.org_id))
    {
        return Ok(m.org_id);
    }
    if let Some(m) = pact
        .members
        .iter()
        .find(|m| actor.sees(m.org_id) && !actor.is_office())
    {
        // A member user without the right to write: its own member, then 403.
        return Ok(m.org_id);
    }
    Err(ValidationErrors::single("org", "error-required").into())
}

/// The pacts the actor belongs to (all for the office).
pub async fn list(st: &Services, actor: &Actor) -> Result<Vec<Pact>> {
    Ok(st.store.list_pacts(&read_scope(actor)).await?)
}

/// A pact with every member's registry and alarm chain and its crises.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PactView {
    /// The pact and its members.
    pub pact: Pact,
    /// The members' resources.
    pub resources: Vec<PactResource>,
    /// The members' alarm chains.
    pub contacts: Vec<PactContact>,
    /// Its crises and exercises, open first.
    pub crises: Vec<PactCrisis>,
}

/// One pact the actor belongs to, with registry, contacts and crises.
pub async fn get(st: &Services, actor: &Actor, id: PactId) -> Result<PactView> {
    let scope = read_scope(actor);
    let pact = st.store.get_pact(&scope, id).await?;
    let (resources, contacts) = st.store.pact_registry(&scope, id).await?;
    let crises = st.store.list_pact_crises(&scope, Some(id)).await?;
    Ok(PactView {
        pact,
        resources,
        contacts,
        crises,
    })
}

/// A pact as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PactIn {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// What the partners agreed.
    #[serde(default)]
    pub description: Option<String>,
    /// `coordinator` (default) or `coordinator_or_management`.
    #[serde(default)]
    pub declare_rule: Option<String>,
    /// Alerts are POSTed here as JSON (`http://…`; empty: none).
    #[serde(default)]
    pub webhook_url: Option<String>,
}

/// Creates (`id` None) or changes a pact (office).
pub async fn save(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: Option<PactId>,
    d: &PactIn,
) -> Result<Pact> {
    office(actor)?;
    let (name, description, declare_rule, webhook_url) = pact_fields(
        d.name.as_deref(),
        d.description.as_deref(),
        d.declare_rule.as_deref(),
        d.webhook_url.as_deref(),
    )?;
    let fed = crate::federation(&st.store).await?;
    let f = PactFields {
        name,
        description,
        declare_rule,
        webhook_url,
    };
    Ok(st.store.save_pact(by, fed.id, id, &f).await?)
}

/// A pact member as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PactMemberIn {
    /// The organisation.
    #[serde(default)]
    pub org: Option<i64>,
    /// A partner outside the federation.
    #[serde(default)]
    pub external: Option<bool>,
    /// Town-hall latitude (decimal degrees).
    #[serde(default)]
    pub lat: Option<String>,
    /// Town-hall longitude.
    #[serde(default)]
    pub lon: Option<String>,
    /// Remove the member instead.
    #[serde(default)]
    pub remove: Option<bool>,
}

/// Adds a member, changes its coordinates or removes it (office).
pub async fn set_member(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    pact: PactId,
    d: &PactMemberIn,
) -> Result<Pact> {
    office(actor)?;
    let mut e = ValidationErrors::default();
    let org = d.org.filter(|o| *o > 0);
    if org.is_none() {
        e.add("org", "error-required");
    }
    let at = e
        .check("lat", parse_coordinates(d.lat.as_deref(), d.lon.as_deref()))
        .flatten();
    let org = e.into_result(org)?.unwrap_or_default();
    // The pact must exist (404 otherwise) before the organisation is checked.
    st.store.get_pact(&read_scope(actor), pact).await?;
    Ok(st
        .store
        .set_pact_member(
            by,
            pact,
            OrgId(org),
            d.external.unwrap_or(false),
            at,
            d.remove.unwrap_or(false),
        )
        .await?)
}

/// A member's own registry and alarm chain.
pub async fn registry(st: &Services, actor: &Actor, org: OrgId) -> Result<verbund_store::Registry> {
    crate::orgs::get_org(st, actor, org).await?;
    Ok(st.store.member_registry(&read_scope(actor), org).await?)
}

/// Adds a resource to `org`'s registry.
pub async fn create_resource(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
    raw: &RawResource,
) -> Result<PactResource> {
    may_write(actor, org)?;
    crate::orgs::get_org(st, actor, org).await?;
    let input = raw.validate()?;
    Ok(st
        .store
        .save_pact_resource(by, &write_scope(actor), org, None, Some(&input))
        .await?)
}

async fn own_resource(st: &Services, actor: &Actor, id: PactResourceId) -> Result<PactResource> {
    let r = st.store.get_pact_resource(&read_scope(actor), id).await?;
    may_write(actor, r.org_id)?;
    Ok(r)
}

/// Changes a resource (and confirms it).
pub async fn update_resource(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: PactResourceId,
    raw: &RawResource,
) -> Result<PactResource> {
    let r = own_resource(st, actor, id).await?;
    let input = raw.validate()?;
    Ok(st
        .store
        .save_pact_resource(by, &write_scope(actor), r.org_id, Some(id), Some(&input))
        .await?)
}

/// Confirms that a resource is still available ("last confirmed" becomes now).
pub async fn confirm_resource(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: PactResourceId,
) -> Result<PactResource> {
    let r = own_resource(st, actor, id).await?;
    Ok(st
        .store
        .save_pact_resource(by, &write_scope(actor), r.org_id, Some(id), None)
        .await?)
}

/// Deletes a resource.
pub async fn delete_resource(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: PactResourceId,
) -> Result<PactResource> {
    own_resource(st, actor, id).await?;
    Ok(st
        .store
        .delete_pact_resource(by, &write_scope(actor), id)
        .await?)
}

/// A contact of the alarm chain as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PactContactIn {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Function (IT lead, mayor …).
    #[serde(default)]
    pub function: Option<String>,
    /// Landline.
    #[serde(default)]
    pub phone: Option<String>,
    /// Mobile.
    #[serde(default)]
    pub mobile: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
}

/// Appends a contact to `org`'s alarm chain (at least one channel).
pub async fn add_contact(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
    d: &PactContactIn,
) -> Result<PactContact> {
    may_write(actor, org)?;
    crate::orgs::get_org(st, actor, org).await?;
    let mut e = ValidationErrors::default();
    let name = e.check("name", required_text(d.name.as_deref().unwrap_or(""), 200));
    let function = e
        .check("function", optional_text(d.function.as_deref(), 200))
        .flatten();
    let phone = e
        .check("phone", optional_text(d.phone.as_deref(), 50))
        .flatten();
    let mobile = e
        .check("mobile", optional_text(d.mobile.as_deref(), 50))
        .flatten();
    let email = e
        .check("email", optional_text(d.email.as_deref(), 254))
        .flatten();
    if email
        .as_deref()
        .is_some_and(|m| !m.contains('@') || m.contains(' '))
    {
        e.add("email", "error-email");
    }
    if phone.is_none() && mobile.is_none() && email.is_none() {
        e.add("phone", "error-pact-contact-channel");
    }
    let name = e.into_result(name)?.unwrap_or_default();
    let c = ContactFields {
        name,
        function,
        phone,
        mobile,
        email,
    };
    Ok(st
        .store
        .add_pact_contact(by, &write_scope(actor), org, &c)
        .await?)
}

/// Removes a contact of a member the actor may edit.
pub async fn delete_contact(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: PactContactId,
) -> Result<PactContact> {
    match st
        .store
        .delete_pact_contact(by, &write_scope(actor), id)
        .await
    {
        Err(verbund_store::StoreError::NotFound) => {
            // The own member's contact with a role that may not change it: 403; else 404.
            for g in &actor.grants {
                if let Ok((_, cs)) = st.store.member_registry(&read_scope(actor), g.org_id).await
                    && cs.iter().any(|c| c.id == id)
                {
                    return Err(Error::Forbidden);
                }
            }
            Err(Error::NotFound)
        }
        r => Ok(r?),
    }
}

/// A crisis declaration as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PactCrisisIn {
    /// The affected member (default: the caller's member in the pact).
    #[serde(default)]
    pub org: Option<i64>,
    /// `low`, `medium`, `high`, `critical`.
    #[serde(default)]
    pub severity: Option<String>,
    /// Affected services.
    #[serde(default)]
    pub affected_services: Option<String>,
    /// What happened.
    #[serde(default)]
    pub summary: Option<String>,
    /// An exercise (Übung), not a real crisis.
    #[serde(default)]
    pub exercise: Option<bool>,
}

/// Whether the actor may declare a crisis for `org` under the pact's rule: the office, or a
/// coordinator (or, if the rule says so, management) of `org`.
pub fn may_declare(actor: &Actor, pact: &Pact, org: OrgId) -> bool {
    let office = actor.grants.iter().any(|g| {
        g.org_id == actor.office_org && matches!(g.role, Role::OfficeIsb | Role::FederationAdmin)
    });
    office
        || actor.grants.iter().any(|g| {
            g.org_id == org
                && (g.role == Role::Coordinator
                    || (g.role == Role::Management
                        && pact.declare_rule == DeclareRule::CoordinatorOrManagement))
        })
}

fn label(exercise: bool) -> &'static str {
    if exercise { "ÜBUNG – " } else { "" }
}

/// Declares a crisis (or exercise); the alert job mails the pact's contacts and calls the
/// webhook.
pub async fn declare(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    pact: PactId,
    d: &PactCrisisIn,
) -> Result<PactCrisis> {
    let p = st.store.get_pact(&read_scope(actor), pact).await?;
    let org = acting_org(actor, &p, d.org)?;
    if !actor.sees(org) {
        return Err(Error::NotFound);
    }
    if !may_declare(actor, &p, org) {
        return Err(Error::Forbidden);
    }
    let mut e = ValidationErrors::default();
    let severity = match d
        .severity
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            e.add("severity", "error-required");
            None
        }
        Some(s) => e.check("severity", Severity::parse(s)),
    };
    let services = e.check(
        "affected_services",
        required_text(d.affected_services.as_deref().unwrap_or(""), 500),
    );
    let summary = e
        .check("summary", optional_multiline(d.summary.as_deref(), 4000))
        .flatten();
    if summary.is_none() && !e.0.iter().any(|f| f.field == "summary") {
        e.add("summary", "error-required");
    }
    let (Some(severity), Some(services), Some(summary)) = (severity, services, summary) else {
        return Err(e.into());
    };
    let exercise = d.exercise.unwrap_or(false);
    let f = CrisisFields {
        severity,
        first_entry: format!(
            "{}Krise ausgerufen ({}): {}",
            label(exercise),
            severity.code(),
            services
        ),
        affected_services: services,
        summary,
        exercise,
    };
    Ok(st
        .store
        .declare_pact_crisis(by, &read_scope(actor), pact, org, &f)
        .await?)
}

/// A crisis with its timeline and requests.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PactCrisisView {
    /// The crisis.
    pub crisis: PactCrisis,
    /// Its pact.
    pub pact: Pact,
    /// The timeline, oldest first.
    pub entries: Vec<PactEntry>,
    /// Help requests with their loans.
    pub requests: Vec<PactRequest>,
}

/// Entries read per board update at most.
pub const ENTRY_PAGE: i64 = 500;

/// A crisis the actor sees, with timeline and requests.
pub async fn crisis(st: &Services, actor: &Actor, id: PactCrisisId) -> Result<PactCrisisView> {
    let scope = read_scope(actor);
    let crisis = st.store.get_pact_crisis(&scope, id).await?;
    let pact = st.store.get_pact(&scope, crisis.pact_id).await?;
    let mut entries = Vec::new();
    loop {
        let after = entries.last().map_or(0, |e: &PactEntry| e.id.0);
        let page = st.store.pact_entries(&scope, id, after, ENTRY_PAGE).await?;
        let done = (page.len() as i64) < ENTRY_PAGE;
        entries.extend(page);
        if done {
            break;
        }
    }
    let requests = st.store.pact_requests(&scope, id).await?;
    Ok(PactCrisisView {
        crisis,
        pact,
        entries,
        requests,
    })
}

/// The crisis if the actor sees it (404 otherwise).
pub async fn visible_crisis(st: &Services, actor: &Actor, id: PactCrisisId) -> Result<PactCrisis> {
    Ok(st.store.get_pact_crisis(&read_scope(actor), id).await?)
}

/// Timeline entries after `after` (for the live board; empty when the crisis is not visible).
pub async fn entries_after(
    st: &Services,
    actor: &Actor,
    id: PactCrisisId,
    after: i64,
) -> Result<Vec<PactEntry>> {
    Ok(st
        .store
        .pact_entries(&read_scope(actor), id, after, ENTRY_PAGE)
        .await?)
}

/// A timeline entry as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PactEntryIn {
    /// The author's member (default: the caller's member in the pact, the office: the
    /// affected member).
    #[serde(default)]
    pub org: Option<i64>,
    /// `log` (default), `decision` or `correction`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Text.
    #[serde(default)]
    pub text: Option<String>,
    /// The entry a correction corrects (required for `correction`).
    #[serde(default)]
    pub corrects: Option<i64>,
}

/// The crisis, the author's member, and 403/404 decided.
async fn crisis_writer(
    st: &Services,
    actor: &Actor,
    id: PactCrisisId,
    org: Option<i64>,
) -> Result<(PactCrisis, OrgId)> {
    let c = st.store.get_pact_crisis(&read_scope(actor), id).await?;
    let p = st.store.get_pact(&read_scope(actor), c.pact_id).await?;
    let org = if org.is_none() && actor.is_office() {
        c.org_id
    } else {
        acting_org(actor, &p, org)?
    };
    may_write(actor, org)?;
    Ok((c, org))
}

/// Appends a log entry, decision or correction.
pub async fn add_entry(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: PactCrisisId,
    d: &PactEntryIn,
) -> Result<PactEntryId> {
    let (_, org) = crisis_writer(st, actor, id, d.org).await?;
    let mut e = ValidationErrors::default();
    let kind = match d.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(EntryKind::Log),
        Some(k) => e.check(
            "kind",
            EntryKind::parse(k).and_then(|k| {
                if k == EntryKind::System {
                    Err("error-pact-entry-kind")
                } else {
                    Ok(k)
                }
            }),
        ),
    };
    let text = e
        .check("text", optional_multiline(d.text.as_deref(), 4000))
        .flatten();
    if text.is_none() && !e.0.iter().any(|f| f.field == "text") {
        e.add("text", "error-required");
    }
    let corrects = d.corrects.filter(|c| *c > 0).map(PactEntryId);
    if kind == Some(EntryKind::Correction) && corrects.is_none() {
        e.add("corrects", "error-required");
    }
    let (Some(kind), Some(text)) = (kind, text) else {
        return Err(e.into());
    };
    e.into_result(())?;
    let corrects = if kind == EntryKind::Correction {
        corrects
    } else {
        None
    };
    Ok(st
        .store
        .add_pact_entry(
            by,
            &read_scope(actor),
            &write_scope(actor),
            id,
            org,
            kind,
            &text,
            corrects,
        )
        .await?)
}

/// A help request as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PactHelpIn {
    /// The requesting member (default: the caller's member in the pact).
    #[serde(default)]
    pub org: Option<i64>,
    /// `skill` or `equipment`.
    #[serde(default)]
    pub need_kind: Option<String>,
    /// A skill code or an equipment type code.
    #[serde(default)]
    pub need: Option<String>,
    /// How many (default 1).
    #[serde(default)]
    pub count: Option<i64>,
    /// From (`YYYY-MM-DD`).
    #[serde(default)]
    pub from: Option<String>,
    /// Until (`YYYY-MM-DD`).
    #[serde(default)]
    pub until: Option<String>,
    /// Where.
    #[serde(default)]
    pub location: Option<String>,
    /// Details.
    #[serde(default)]
    pub note: Option<String>,
}

/// Adds a help request.
pub async fn add_request(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: PactCrisisId,
    d: &PactHelpIn,
) -> Result<PactRequest> {
    let (_, org) = crisis_writer(st, actor, id, d.org).await?;
    let raw = RawRequest {
        need_kind: d.need_kind.clone(),
        need: d.need.clone(),
        count: d.count,
        from: d.from.clone(),
        until: d.until.clone(),
        location: d.location.clone(),
        note: d.note.clone(),
    };
    let r = raw.validate()?;
    let text = format!("Hilfeersuchen: {} × {}", r.count, r.need.codes().1);
    Ok(st
        .store
        .add_pact_request(
            by,
            &read_scope(actor),
            &write_scope(actor),
            id,
            org,
            &r,
            &text,
        )
        .await?)
}

/// The resources of the other pact members that fit a request, best first.
pub async fn matches(st: &Services, actor: &Actor, id: PactRequestId) -> Result<Vec<PactMatch>> {
    let scope = read_scope(actor);
    let (c, r) = st.store.get_pact_request(&scope, id).await?;
    let pact = st.store.get_pact(&scope, c.pact_id).await?;
    let (resources, _) = st.store.pact_registry(&scope, c.pact_id).await?;
    let at = |o: OrgId| pact.member(o).and_then(|m| m.coordinates);
    let candidates: Vec<Candidate<'_>> = resources
        .iter()
        .map(|res| Candidate {
            resource: res,
            at: at(res.org_id),
        })
        .collect();
    let wanted = Wanted {
        org_id: r.org_id,
        need: r.need,
        count: r.count,
        window: r.window,
        at: at(r.org_id),
    };
    Ok(rank(&wanted, &candidates))
}

/// Asking for a resource.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PactLoanIn {
    /// The resource.
    #[serde(default)]
    pub resource: Option<i64>,
}

/// The requesting member asks a resource of another member for its request.
pub async fn ask_loan(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: PactRequestId,
    d: &PactLoanIn,
) -> Result<PactLoan> {
    let (_, r) = st.store.get_pact_request(&read_scope(actor), id).await?;
    may_write(actor, r.org_id)?;
    let Some(resource) = d.resource.filter(|r| *r > 0) else {
        return Err(ValidationErrors::single("resource", "error-required").into());
    };
    let text = |name: &str, lender: &str| format!("Angefragt: {name} ({lender})");
    Ok(st
        .store
        .ask_pact_loan(
            by,
            &read_scope(actor),
            &write_scope(actor),
            id,
            PactResourceId(resource),
            &text,
        )
        .await?)
}

/// The lender's answer.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PactDecisionIn {
    /// `accepted` or `declined`.
    #[serde(default)]
    pub status: Option<String>,
    /// Hours worked (settlement), 0–100,000.
    #[serde(default)]
    pub hours: Option<String>,
    /// Costs in euros (settlement), e.g. `1250,50`.
    #[serde(default)]
    pub cost: Option<String>,
    /// Notes.
    #[serde(default)]
    pub note: Option<String>,
}

fn number(v: Option<&str>, field: &str, e: &mut ValidationErrors) -> Option<f64> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    match v.replace(',', ".").parse::<f64>() {
        Ok(x) if x.is_finite() && (0.0..=100_000_000.0).contains(&x) => Some(x),
        _ => {
            e.add(field, "error-pact-number");
            None
        }
    }
}

/// The lender accepts or declines (or records hours and costs of an accepted loan).
pub async fn decide_loan(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: PactLoanId,
    d: &PactDecisionIn,
) -> Result<PactLoan> {
    let mut e = ValidationErrors::default();
    let status = match d.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.add("status", "error-required");
            None
        }
        Some(s) => e.check(
            "status",
            LoanStatus::parse(s).and_then(|s| {
                if s == LoanStatus::Asked {
                    Err("error-pact-loan-status")
                } else {
                    Ok(s)
                }
            }),
        ),
    };
    let hours = number(d.hours.as_deref(), "hours", &mut e);
    if hours.is_some_and(|h| h > 100_000.0) {
        e.add("hours", "error-pact-number");
    }
    let cost_cents = number(d.cost.as_deref(), "cost", &mut e).map(|c| (c * 100.0).round() as i64);
    let note = e
        .check("note", optional_multiline(d.note.as_deref(), 2000))
        .flatten();
    let status = e.into_result(status)?.unwrap_or(LoanStatus::Declined);
    let dec = LoanDecision {
        status,
        hours,
        cost_cents,
        note,
    };
    let text = match status {
        LoanStatus::Accepted => "Zusage für eine Anfrage",
        _ => "Absage für eine Anfrage",
    };
    Ok(st
        .store
        .decide_pact_loan(by, &read_scope(actor), &write_scope(actor), id, &dec, text)
        .await?)
}

/// Closing a crisis.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PactCloseIn {
    /// Lessons learned.
    #[serde(default)]
    pub lessons_learned: Option<String>,
}

/// Closes a crisis with lessons learned (the declaring member or the office).
pub async fn close(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: PactCrisisId,
    d: &PactCloseIn,
) -> Result<PactCrisis> {
    let c = st.store.get_pact_crisis(&read_scope(actor), id).await?;
    actor
        .check(Permission::EditOrg, c.org_id)
        .map_err(|_| Error::Forbidden)?;
    let lessons = optional_multiline(d.lessons_learned.as_deref(), 8000)
        .map_err(|code| ValidationErrors::single("lessons_learned", code))?;
    let text = format!("{}Krise beendet", label(c.exercise));
    Ok(st
        .store
        .close_pact_crisis(
            by,
            &read_scope(actor),
            &write_scope(actor),
            id,
            lessons.as_deref(),
            &text,
        )
        .await?)
}
