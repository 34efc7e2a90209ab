//! Re-matching one inventory object after it was created, changed or deleted: the stored
//! advisories' models (for the app's cache), the object as the matcher sees it, the members
//! relying on a provider's object, and the reconciliation of exactly the warnings that name
//! the object or should now.

use verbund_domain::advisory::Advisory;
use verbund_domain::advisory::Severity;
use verbund_domain::authz::Scope;
use verbund_domain::{AdvisoryId, AdvisoryWarningId, OrgId, StructureObjectId};

use crate::{AuditActor, Db, InventoryObject, NewWarning, Result, Store, backend};

/// What one object's matches against one advisory are, per member.
#[derive(Debug, Clone)]
pub struct ObjectWarning {
    /// The advisory.
    pub advisory_id: AdvisoryId,
    /// Its severity (for a new warning).
    pub severity: Severity,
    /// The member's warning holding only this object's matches.
    pub warning: NewWarning,
}

/// What re-matching one object changed.
#[derive(Debug, Clone, Default)]
pub struct RematchOutcome {
    /// Warnings that became open (advisory, warning, member).
    pub opened: Vec<(AdvisoryId, AdvisoryWarningId, OrgId)>,
    /// Warnings whose matches changed and stay as they were otherwise.
    pub updated: usize,
    /// Warnings closed because no object of the member matches any more.
    pub closed: usize,
}

impl Store {
    /// A stamp that changes whenever an advisory is imported or revised (count, newest
    /// change, sum of revisions): the app's model cache compares it.
    pub async fn advisory_models_stamp(&self) -> Result<(i64, i64, i64)> {
        dispatch!(self.advisory_models_stamp())
    }

    /// Every stored advisory's matching model. `office` must reach all members.
    pub async fn advisory_models_federation_wide(
        &self,
        office: &Scope,
    ) -> Result<Vec<(AdvisoryId, Advisory)>> {
        dispatch!(self.advisory_models_federation_wide(office))
    }

    /// The object as the matcher sees it; `None` if it is gone, retired or has no product
    /// data. `office` must reach all members.
    pub async fn advisory_inventory_object(
        &self,
        office: &Scope,
        id: StructureObjectId,
    ) -> Result<Option<InventoryObject>> {
        dispatch!(self.advisory_inventory_object(office, id))
    }

    /// The members relying on a provider's object (directly or through the provider's own
    /// links), as pairs for the matcher's grouping.
    pub async fn provider_object_dependents(
        &self,
        office: &Scope,
        id: StructureObjectId,
    ) -> Result<Vec<(StructureObjectId, OrgId)>> {
        dispatch!(self.provider_object_dependents(office, id))
    }

    /// Reconciles the warnings for one object in one transaction: in every warning that
    /// names it (of the members in `scan_orgs`, all when `None`) its matches are replaced by
    /// `fresh`; a warning left without matches closes (`no_match`), one that gains matches
    /// opens (name-only: unconfirmed), a closed one reopens. Audited per warning.
    pub async fn rematch_advisory_object(
        &self,
        by: &AuditActor,
        office: &Scope,
        object: StructureObjectId,
        scan_orgs: Option<&[OrgId]>,
        fresh: &[ObjectWarning],
    ) -> Result<RematchOutcome> {
        dispatch!(self.rematch_advisory_object(by, office, object, scan_orgs, fresh))
    }
}
