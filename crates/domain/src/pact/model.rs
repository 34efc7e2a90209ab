//! Pact objects as stored and shown.

use serde::Serialize;

use super::{
    Coordinates, DeclareRule, EntryKind, EquipmentType, LoanStatus, Need, ResourceKind, Severity,
    Skill, Window,
};
use crate::{
    OrgId, PactContactId, PactCrisisId, PactEntryId, PactId, PactLoanId, PactRequestId,
    PactResourceId, UserId,
};

/// A pact.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pact {
    /// ID.
    pub id: PactId,
    /// Name.
    pub name: String,
    /// What the partners agreed.
    pub description: Option<String>,
    /// Who may declare a crisis.
    pub declare_rule: DeclareRule,
    /// Where alerts are POSTed as JSON (SMS or messenger gateway).
    pub webhook_url: Option<String>,
    /// The members.
    pub members: Vec<PactMember>,
}

impl Pact {
    /// Whether `org` is a member.
    pub fn has_member(&self, org: OrgId) -> bool {
        self.members.iter().any(|m| m.org_id == org)
    }

    /// The member entry of `org`.
    pub fn member(&self, org: OrgId) -> Option<&PactMember> {
        self.members.iter().find(|m| m.org_id == org)
    }
}

/// A member of a pact.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PactMember {
    /// The organisation.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// A partner outside the federation (not billed by the office).
    pub external: bool,
    /// Town-hall coordinates.
    pub coordinates: Option<Coordinates>,
}

/// A registered resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PactResource {
    /// ID.
    pub id: PactResourceId,
    /// The lending member.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Kind.
    pub kind: ResourceKind,
    /// Name.
    pub name: String,
    /// Skills.
    pub skills: Vec<Skill>,
    /// Equipment type.
    pub equipment_type: Option<EquipmentType>,
    /// Count.
    pub count: i64,
    /// Location.
    pub location: Option<String>,
    /// On-call phone.
    pub phone: Option<String>,
    /// Availability.
    pub window: Window,
    /// Notes.
    pub note: Option<String>,
    /// When the member last confirmed the entry (ms since epoch).
    pub confirmed_at_ms: i64,
}

/// A contact of a member's alarm chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PactContact {
    /// ID.
    pub id: PactContactId,
    /// The member.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Position in the chain (1 is called first).
    pub position: i64,
    /// Name.
    pub name: String,
    /// Function (e.g. IT lead, mayor).
    pub function: Option<String>,
    /// Landline.
    pub phone: Option<String>,
    /// Mobile.
    pub mobile: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

/// A crisis or exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PactCrisis {
    /// ID.
    pub id: PactCrisisId,
    /// The pact.
    pub pact_id: PactId,
    /// The pact's name.
    pub pact_name: String,
    /// The affected member that declared it.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Severity.
    pub severity: Severity,
    /// Affected services.
    pub affected_services: String,
    /// Summary.
    pub summary: String,
    /// An exercise, not a real crisis.
    pub exercise: bool,
    /// Still open.
    pub open: bool,
    /// Lessons learned (at closing).
    pub lessons_learned: Option<String>,
    /// Declared when.
    pub declared_at_ms: i64,
    /// Closed when.
    pub closed_at_ms: Option<i64>,
}

/// An entry of a crisis timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PactEntry {
    /// ID (increasing: the board reads new entries by ID).
    pub id: PactEntryId,
    /// The crisis.
    pub crisis_id: PactCrisisId,
    /// Kind.
    pub kind: EntryKind,
    /// Text.
    pub text: String,
    /// The member of the author.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Author.
    pub user_id: Option<UserId>,
    /// Author's name.
    pub user_name: Option<String>,
    /// The entry this one corrects.
    pub corrects: Option<PactEntryId>,
    /// When.
    pub created_at_ms: i64,
}

/// A help request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PactRequest {
    /// ID.
    pub id: PactRequestId,
    /// The crisis.
    pub crisis_id: PactCrisisId,
    /// The requesting member.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// What.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub need: Need,
    /// How many.
    pub count: i64,
    /// When.
    pub window: Window,
    /// Where.
    pub location: Option<String>,
    /// Details.
    pub note: Option<String>,
    /// When asked.
    pub created_at_ms: i64,
    /// The resources asked for it.
    pub loans: Vec<PactLoan>,
}

/// A resource asked for a request, and the lender's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PactLoan {
    /// ID.
    pub id: PactLoanId,
    /// The request.
    pub request_id: PactRequestId,
    /// The resource.
    pub resource_id: PactResourceId,
    /// Its name.
    pub resource_name: String,
    /// The lender.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// Status.
    pub status: LoanStatus,
    /// Hours worked (for settlement).
    pub hours: Option<f64>,
    /// Costs in cents (for settlement).
    pub cost_cents: Option<i64>,
    /// Notes.
    pub note: Option<String>,
}
