//! One ID newtype per entity, so an organisation ID can never be passed where a user ID is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A federation (Verbund): the office plus its member organisations.
    FederationId,
    /// An organisation: the office itself or a member authority.
    OrgId,
    /// A person who can log in.
    UserId,
    /// One membership period of an organisation in the federation.
    MembershipId,
    /// One role a user holds in one organisation.
    RoleAssignmentId,
    /// A personal API token.
    ApiTokenId,
    /// A role in a member offered to an account, which its owner accepts or declines.
    InvitationId,
    /// One entry of the audit log.
    AuditEntryId,
    /// One imported catalog revision.
    CatalogId,
    /// One member's assessment of one catalog revision.
    AssessmentId,
    /// One answer of an assessment (one requirement).
    AnswerId,
    /// A frozen state of an assessment.
    SnapshotId,
    /// One evidence file attached to an answer.
    EvidenceId,
    /// One version of a cost allocation key.
    CostKeyId,
    /// One issued cost statement.
    StatementId,
    /// One line of a year's budget.
    BudgetLineId,
    /// One subsidy.
    SubsidyId,
    /// A member's proposal to change its key figures (population, staff, IT workplaces).
    KeyFigureProposalId,
    /// A target object of the structure analysis.
    StructureObjectId,
    /// A dependency link between two target objects.
    StructureLinkId,
    /// One measure of a member's implementation plan (Realisierungsplan).
    MeasureId,
    /// A measure the office offers to all members (pushed as one measure per member).
    MeasureTemplateId,
    /// One entry of a risk register (object × threat).
    RiskId,
    /// An elementary or federation-defined threat.
    ThreatId,
    /// A scheduled job stored in the database.
    JobId,
    /// One mail of the outbox.
    OutboxMailId,
    /// A crisis pact (Pakt für Cyberresilienz).
    PactId,
    /// A resource a member registers for its pacts (person, remote support, equipment).
    PactResourceId,
    /// One contact of a member's alarm chain.
    PactContactId,
    /// A crisis (or exercise) declared in a pact.
    PactCrisisId,
    /// One entry of a crisis timeline.
    PactEntryId,
    /// A help request in a crisis.
    PactRequestId,
    /// A resource asked for a help request (a loan).
    PactLoanId,
    /// One imported security advisory (CSAF), the newest revision of its tracking id.
    AdvisoryId,
    /// One member's warning for one advisory.
    AdvisoryWarningId,
    /// A CSAF provider the office subscribed to (by its provider-metadata.json).
    CsafProviderId,
);
