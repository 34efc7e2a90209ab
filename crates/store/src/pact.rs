//! The crisis pact (Pakt für Cyberresilienz): pacts, members with town-hall coordinates, each
//! member's registry of lendable resources and alarm chain, crises with an append-only
//! timeline, help requests and loans.
//!
//! Isolation: a pact, its crises, and the registries and alarm chains of its members are
//! visible to a reader whose `scope` contains any member of the pact (the office reaches all).
//! Nothing else of a partner becomes visible: assessments, costs and risks keep their own
//! scopes. Writes take a `write` scope that must contain the member written for (else
//! `NotFound`). Creating pacts and setting members is office work: the caller authorizes.
//! Every write is audited in its transaction.

use verbund_domain::authz::Scope;
use verbund_domain::pact::model::{
    Pact, PactContact, PactCrisis, PactEntry, PactLoan, PactRequest, PactResource,
};
use verbund_domain::pact::{
    Coordinates, DeclareRule, EntryKind, LoanStatus, RequestInput, ResourceInput, Severity,
};
use verbund_domain::{
    FederationId, OrgId, PactContactId, PactCrisisId, PactEntryId, PactId, PactLoanId,
    PactRequestId, PactResourceId,
};

use crate::{AuditActor, Db, Result, Store, backend};

/// A pact's validated fields.
#[derive(Debug, Clone)]
pub struct PactFields {
    /// Name (unique in the federation).
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Who may declare a crisis.
    pub declare_rule: DeclareRule,
    /// Alert webhook.
    pub webhook_url: Option<String>,
}

/// A contact's validated fields.
#[derive(Debug, Clone)]
pub struct ContactFields {
    /// Name.
    pub name: String,
    /// Function.
    pub function: Option<String>,
    /// Landline.
    pub phone: Option<String>,
    /// Mobile.
    pub mobile: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

/// A crisis declaration's validated fields.
#[derive(Debug, Clone)]
pub struct CrisisFields {
    /// Severity.
    pub severity: Severity,
    /// Affected services.
    pub affected_services: String,
    /// Summary.
    pub summary: String,
    /// An exercise.
    pub exercise: bool,
    /// Text of the first timeline entry.
    pub first_entry: String,
}

/// The lender's answer to a loan.
#[derive(Debug, Clone)]
pub struct LoanDecision {
    /// Accepted or declined.
    pub status: LoanStatus,
    /// Hours worked.
    pub hours: Option<f64>,
    /// Costs in cents.
    pub cost_cents: Option<i64>,
    /// Notes.
    pub note: Option<String>,
}

/// What recording a generated emergency handbook found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandbookStand {
    /// The content differs from the last generated one (or none was generated before).
    pub changed: bool,
    /// When the content last changed (ms since epoch): the "Stand" printed on it.
    pub changed_at_ms: i64,
    /// When it was generated before (ms since epoch), if ever.
    pub previous_generated_at_ms: Option<i64>,
}

/// A resource and a member's registry.
pub type Registry = (Vec<PactResource>, Vec<PactContact>);

impl Store {
    /// The pacts `scope` reaches (by membership), by name.
    pub async fn list_pacts(&self, scope: &Scope) -> Result<Vec<Pact>> {
        dispatch!(self.list_pacts(scope))
    }

    /// One pact `scope` reaches.
    pub async fn get_pact(&self, scope: &Scope, id: PactId) -> Result<Pact> {
        dispatch!(self.get_pact(scope, id))
    }

    /// Creates (`id` None) or changes a pact, audited (office: authorize before calling). A
    /// name in use is `name` `error-duplicate`.
    pub async fn save_pact(
        &self,
        by: &AuditActor,
        fed: FederationId,
        id: Option<PactId>,
        f: &PactFields,
    ) -> Result<Pact> {
        dispatch!(self.save_pact(by, fed, id, f))
    }

    /// Adds a member to a pact or changes its coordinates (or removes it), audited (office).
    #[allow(clippy::too_many_arguments)]
    pub async fn set_pact_member(
        &self,
        by: &AuditActor,
        pact: PactId,
        org: OrgId,
        external: bool,
        at: Option<Coordinates>,
        remove: bool,
    ) -> Result<Pact> {
        dispatch!(self.set_pact_member(by, pact, org, external, at, remove))
    }

    /// The resources and contacts of every member of a pact `scope` reaches.
    pub async fn pact_registry(&self, scope: &Scope, pact: PactId) -> Result<Registry> {
        dispatch!(self.pact_registry(scope, pact))
    }

    /// A member's own resources and alarm chain (`org` inside `scope`).
    pub async fn member_registry(&self, scope: &Scope, org: OrgId) -> Result<Registry> {
        dispatch!(self.member_registry(scope, org))
    }

    /// Creates, changes (`id` and `input`) or confirms (`id` alone) a resource of `org`,
    /// audited.
    pub async fn save_pact_resource(
        &self,
        by: &AuditActor,
        write: &Scope,
        org: OrgId,
        id: Option<PactResourceId>,
        input: Option<&ResourceInput>,
    ) -> Result<PactResource> {
        dispatch!(self.save_pact_resource(by, write, org, id, input))
    }

    /// One resource of a member in `scope`.
    pub async fn get_pact_resource(
        &self,
        scope: &Scope,
        id: PactResourceId,
    ) -> Result<PactResource> {
        dispatch!(self.get_pact_resource(scope, id))
    }

    /// Deletes a resource of a member in `write`, audited.
    pub async fn delete_pact_resource(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: PactResourceId,
    ) -> Result<PactResource> {
        dispatch!(self.delete_pact_resource(by, write, id))
    }

    /// Appends a contact to `org`'s alarm chain, audited.
    pub async fn add_pact_contact(
        &self,
        by: &AuditActor,
        write: &Scope,
        org: OrgId,
        c: &ContactFields,
    ) -> Result<PactContact> {
        dispatch!(self.add_pact_contact(by, write, org, c))
    }

    /// Removes a contact, audited.
    pub async fn delete_pact_contact(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: PactContactId,
    ) -> Result<PactContact> {
        dispatch!(self.delete_pact_contact(by, write, id))
    }

    /// Crises of the pacts `scope` reaches (of one pact if given), open first, newest first.
    pub async fn list_pact_crises(
        &self,
        scope: &Scope,
        pact: Option<PactId>,
    ) -> Result<Vec<PactCrisis>> {
        dispatch!(self.list_pact_crises(scope, pact))
    }

    /// One crisis `scope` reaches.
    pub async fn get_pact_crisis(&self, scope: &Scope, id: PactCrisisId) -> Result<PactCrisis> {
        dispatch!(self.get_pact_crisis(scope, id))
    }

    /// Declares a crisis for member `org` (the caller checked the pact's rule), with its first
    /// entry and, if the pact has a webhook, the alert job; audited. `org` outside the pact
    /// is `org` `error-pact-not-member`.
    pub async fn declare_pact_crisis(
        &self,
        by: &AuditActor,
        scope: &Scope,
        pact: PactId,
        org: OrgId,
        d: &CrisisFields,
    ) -> Result<PactCrisis> {
        dispatch!(self.declare_pact_crisis(by, scope, pact, org, d))
    }

    /// Timeline entries with an ID above `after`, oldest first, at most `limit`.
    pub async fn pact_entries(
        &self,
        scope: &Scope,
        crisis: PactCrisisId,
        after: i64,
        limit: i64,
    ) -> Result<Vec<PactEntry>> {
        dispatch!(self.pact_entries(scope, crisis, after, limit))
    }

    /// Appends an entry written for member `org` (in `write` and in the pact), audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_pact_entry(
        &self,
        by: &AuditActor,
        read: &Scope,
        write: &Scope,
        crisis: PactCrisisId,
        org: OrgId,
        kind: EntryKind,
        text: &str,
        corrects: Option<PactEntryId>,
    ) -> Result<PactEntryId> {
        dispatch!(self.add_pact_entry(by, read, write, crisis, org, kind, text, corrects))
    }

    /// Closes a crisis with lessons learned, audited.
    pub async fn close_pact_crisis(
        &self,
        by: &AuditActor,
        read: &Scope,
        write: &Scope,
        crisis: PactCrisisId,
        lessons: Option<&str>,
        entry_text: &str,
    ) -> Result<PactCrisis> {
        dispatch!(self.close_pact_crisis(by, read, write, crisis, lessons, entry_text))
    }

    /// The help requests of a crisis with their loans.
    pub async fn pact_requests(
        &self,
        scope: &Scope,
        crisis: PactCrisisId,
    ) -> Result<Vec<PactRequest>> {
        dispatch!(self.pact_requests(scope, crisis))
    }

    /// One help request and its crisis.
    pub async fn get_pact_request(
        &self,
        scope: &Scope,
        id: PactRequestId,
    ) -> Result<(PactCrisis, PactRequest)> {
        dispatch!(self.get_pact_request(scope, id))
    }

    /// Adds a help request of member `org`, audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_pact_request(
        &self,
        by: &AuditActor,
        read: &Scope,
        write: &Scope,
        crisis: PactCrisisId,
        org: OrgId,
        r: &RequestInput,
        entry_text: &str,
    ) -> Result<PactRequest> {
        dispatch!(self.add_pact_request(by, read, write, crisis, org, r, entry_text))
    }

    /// Asks a resource for a request, audited; `entry_text(resource, lender)` words the entry.
    pub async fn ask_pact_loan(
        &self,
        by: &AuditActor,
        read: &Scope,
        write: &Scope,
        request: PactRequestId,
        resource: PactResourceId,
        entry_text: &(dyn Fn(&str, &str) -> String + Sync),
    ) -> Result<PactLoan> {
        dispatch!(self.ask_pact_loan(by, read, write, request, resource, entry_text))
    }

    /// The lender decides on a loan (or records hours and costs), audited.
    pub async fn decide_pact_loan(
        &self,
        by: &AuditActor,
        read: &Scope,
        write: &Scope,
        loan: PactLoanId,
        d: &LoanDecision,
        entry_text: &str,
    ) -> Result<PactLoan> {
        dispatch!(self.decide_pact_loan(by, read, write, loan, d, entry_text))
    }

    /// The crisis, its pact and every contact of the pact's members (for the alert job; the
    /// system reads it, no user).
    pub async fn pact_alert_facts_system(
        &self,
        crisis: PactCrisisId,
    ) -> Result<(PactCrisis, Pact, Vec<PactContact>)> {
        dispatch!(self.pact_alert_facts(crisis))
    }

    /// The dependency map of a pact `scope` reaches: every provider object with the pact
    /// members an outage of it reaches (names only, nothing of their structure).
    pub async fn pact_dependency_map(
        &self,
        scope: &Scope,
        pact: PactId,
    ) -> Result<Vec<verbund_domain::pact::blast::ProviderService>> {
        dispatch!(self.pact_dependency_map(scope, pact))
    }

    /// The pact members an outage of the provider objects `failed` reaches (other objects in
    /// `failed` are ignored), worst hit first. Members outside `detail` (the reader's
    /// structure scope) keep only their name and the provider objects they are reached
    /// through: no processes, no object count.
    pub async fn pact_blast_radius(
        &self,
        scope: &Scope,
        detail: &Scope,
        pact: PactId,
        failed: &[verbund_domain::StructureObjectId],
    ) -> Result<Vec<verbund_domain::pact::blast::AffectedMember>> {
        dispatch!(self.pact_blast_radius(scope, detail, pact, failed))
    }

    /// `org`'s structure objects and every provider's, with effective needs, and the links
    /// among them (`org` outside `scope`: `NotFound`). For the emergency handbook.
    pub async fn member_dependency_graph(
        &self,
        scope: &Scope,
        org: OrgId,
    ) -> Result<(
        Vec<verbund_domain::pact::blast::DepObject>,
        Vec<verbund_domain::pact::blast::DepLink>,
    )> {
        dispatch!(self.member_dependency_graph(scope, org))
    }

    /// Records that `org`'s emergency handbook was generated with content `hash`: a new
    /// hash moves the "Stand" to now (audited as `pact.handbook.change`), the same hash keeps
    /// it. The caller authorizes.
    pub async fn record_pact_handbook(
        &self,
        by: &AuditActor,
        org: OrgId,
        hash: &str,
    ) -> Result<HandbookStand> {
        dispatch!(self.record_pact_handbook(by, org, hash))
    }
}
