//! Security advisories (CSAF) and members' warnings.
//!
//! The office imports advisories (`office` scope: the whole federation, else `NotFound`);
//! the matching itself is pure (`verbund_domain::advisory::matcher`) and runs in the app
//! between [`Store::advisory_inventory_federation_wide`] and [`Store::save_advisory`], which
//! replaces an older revision and reconciles the warnings in one transaction.
//!
//! Reading follows the structure analysis' scope: a member sees only its own warnings
//! (never the unconfirmed name-only ones), and an advisory only if its TLP allows:
//! CLEAR/GREEN always, AMBER/RED only with a warning of its own for it. The office (a scope
//! reaching all) sees everything.

use verbund_domain::advisory::matcher::{Confidence, InventoryItem};
use verbund_domain::advisory::records::{
    AdvisoryProductRow, AdvisoryRecord, Warning, WarningMatch,
};
use verbund_domain::advisory::{Advisory, Severity, WarningState};
use verbund_domain::authz::Scope;
use verbund_domain::{
    AdvisoryId, AdvisoryWarningId, FederationId, MeasureId, OrgId, StructureObjectId, UserId,
};

use crate::{AuditActor, Db, Result, Store, backend};

/// An inventory object with product data, as the matcher needs it.
#[derive(Debug, Clone)]
pub struct InventoryObject {
    /// The matcher's view.
    pub item: InventoryItem,
    /// Its organisation.
    pub org_id: OrgId,
    /// Whether that organisation is a provider.
    pub provider: bool,
    /// Short id.
    pub short_id: String,
    /// Name.
    pub name: String,
}

/// A warning to write for one member.
#[derive(Debug, Clone)]
pub struct NewWarning {
    /// The member.
    pub org_id: OrgId,
    /// Best confidence over the matches (name only → unconfirmed).
    pub confidence: Confidence,
    /// The matched objects.
    pub matches: Vec<WarningMatch>,
    /// Deadline (`YYYY-MM-DD`) for a new warning.
    pub deadline_on: String,
}

/// What saving an advisory did.
#[derive(Debug, Clone, Default)]
pub struct SaveOutcome {
    /// The advisory.
    pub advisory_id: Option<AdvisoryId>,
    /// Whether it was new (else a newer revision replaced the old one).
    pub created: bool,
    /// Warnings that became open now (to be mailed): warning and member.
    pub opened: Vec<(AdvisoryWarningId, OrgId)>,
    /// Warnings waiting for the office to confirm.
    pub unconfirmed: usize,
    /// Warnings still pending from before (matches updated).
    pub kept: usize,
    /// Warnings closed because the revision says fixed/not affected or no longer matches.
    pub closed: usize,
}

/// Which warnings to list.
#[derive(Debug, Clone, Default)]
pub struct WarningFilter {
    /// Of one advisory.
    pub advisory: Option<AdvisoryId>,
    /// Of one member.
    pub org: Option<OrgId>,
    /// Only open and acknowledged ones.
    pub pending_only: bool,
    /// Only these severities.
    pub severities: Vec<Severity>,
    /// Only unconfirmed ones (office).
    pub unconfirmed_only: bool,
}

/// A user to mail about a warning.
#[derive(Debug, Clone)]
pub struct WarningRecipient {
    /// The account.
    pub user_id: UserId,
    /// Address.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Language.
    pub locale: String,
}

impl Store {
    /// The stored version of an advisory (by tracking id), if imported.
    pub async fn advisory_version_federation_wide(
        &self,
        tracking_id: &str,
    ) -> Result<Option<String>> {
        dispatch!(self.advisory_version_federation_wide(tracking_id))
    }

    /// Every object with product data (vendor, product, CPE or PURL) across the federation,
    /// not retired, and which members rely on which provider object (directly or through the
    /// provider's own links). `office` must reach all members.
    pub async fn advisory_inventory_federation_wide(
        &self,
        office: &Scope,
    ) -> Result<(Vec<InventoryObject>, Vec<(StructureObjectId, OrgId)>)> {
        dispatch!(self.advisory_inventory_federation_wide(office))
    }

    /// Saves an advisory (new, or a newer revision replacing the stored one) with its
    /// products, and reconciles its warnings: new ones open (name-only ones unconfirmed),
    /// existing ones get the new matches, pending ones of members no longer matched close.
    /// Audited. `office` must reach all members.
    #[expect(
        clippy::too_many_arguments,
        reason = "one transaction over the whole import"
    )]
    pub async fn save_advisory(
        &self,
        by: &AuditActor,
        office: &Scope,
        federation: FederationId,
        advisory: &Advisory,
        document_json: &str,
        import_warnings: &[String],
        warnings: &[NewWarning],
        suppressed: &[OrgId],
    ) -> Result<SaveOutcome> {
        dispatch!(self.save_advisory(
            by,
            office,
            federation,
            advisory,
            document_json,
            import_warnings,
            warnings,
            suppressed
        ))
    }

    /// The advisories `scope` may read, newest first.
    pub async fn list_advisories(&self, scope: &Scope) -> Result<Vec<AdvisoryRecord>> {
        dispatch!(self.list_advisories(scope))
    }

    /// One advisory `scope` may read, with its products and matching model.
    pub async fn get_advisory(
        &self,
        scope: &Scope,
        id: AdvisoryId,
    ) -> Result<(AdvisoryRecord, Vec<AdvisoryProductRow>, Advisory)> {
        dispatch!(self.get_advisory(scope, id))
    }

    /// The original document of an advisory `scope` may read.
    pub async fn advisory_document(&self, scope: &Scope, id: AdvisoryId) -> Result<String> {
        dispatch!(self.advisory_document(scope, id))
    }

    /// Warnings in `scope` by filter, most urgent first (members never see unconfirmed ones).
    pub async fn list_advisory_warnings(
        &self,
        scope: &Scope,
        filter: &WarningFilter,
    ) -> Result<Vec<Warning>> {
        dispatch!(self.list_advisory_warnings(scope, filter))
    }

    /// One warning in `scope`.
    pub async fn get_advisory_warning(
        &self,
        scope: &Scope,
        id: AdvisoryWarningId,
    ) -> Result<Warning> {
        dispatch!(self.get_advisory_warning(scope, id))
    }

    /// Moves a warning of a member in `write` to `to` if its state is one of `from` (else
    /// `Stale`), recording who and when; audited.
    pub async fn set_advisory_warning_state(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: AdvisoryWarningId,
        from: &[WarningState],
        to: WarningState,
    ) -> Result<Warning> {
        dispatch!(self.set_advisory_warning_state(by, write, id, from, to))
    }

    /// Records the measure made from a warning; audited.
    pub async fn link_advisory_warning_measure(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: AdvisoryWarningId,
        measure: MeasureId,
    ) -> Result<Warning> {
        dispatch!(self.link_advisory_warning_measure(by, write, id, measure))
    }

    /// Active coordinators of `org` (whom a warning is mailed to), for the office's import.
    pub async fn advisory_recipients_federation_wide(
        &self,
        office: &Scope,
        org: OrgId,
    ) -> Result<Vec<WarningRecipient>> {
        dispatch!(self.advisory_recipients_federation_wide(office, org))
    }
}
