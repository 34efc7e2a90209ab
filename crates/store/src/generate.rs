//! Bulk generation of synthetic data: members and assessments for the demo at scale and for
//! benchmarks. Unlike the interactive calls, one call writes many rows with multi-row
//! INSERTs in one transaction and records them in ONE audit entry (`org.generate`,
//! `assessment.generate`) instead of one per row. Callers pass a chunk at a time (about
//! 100 members for assessments, 1,000 for members) to keep transactions short and to report
//! progress in between. Office-level actions: authorize before calling.

use verbund_domain::assessment::Answer;
use verbund_domain::org::{MembershipInput, OrgInput};
use verbund_domain::{AssessmentId, CatalogId, FederationId, OrgId};

use crate::{AuditActor, Db, Result, Store, backend};

impl Store {
    /// Creates organisations in federation `fed`, each with one membership period
    /// `membership`, in one transaction with one audit entry. Returns their IDs in input
    /// order. A duplicate AGS fails the whole call with a field error on `ags`.
    pub async fn generate_members(
        &self,
        by: &AuditActor,
        fed: FederationId,
        orgs: &[OrgInput],
        membership: &MembershipInput,
    ) -> Result<Vec<OrgId>> {
        dispatch!(self.generate_members(by, fed, orgs, membership))
    }

    /// Creates assessments of catalog revision `catalog_id` with their answers already
    /// given: per member, one answer per assessable requirement in catalog order. Topic and
    /// overall tallies are computed here, exactly as [`Store::set_answers`] would maintain
    /// them. One transaction, one audit entry. Returns the assessment IDs in input order.
    ///
    /// Fails with `NotFound` for an unknown catalog or a member outside `fed`, with a field
    /// error on `answers` if a member's answer count differs from the catalog's requirements,
    /// and on `orgs` if a member already has an assessment of this revision.
    pub async fn generate_assessments(
        &self,
        by: &AuditActor,
        fed: FederationId,
        catalog_id: CatalogId,
        members: &[(OrgId, Vec<Answer>)],
    ) -> Result<Vec<AssessmentId>> {
        let ids = dispatch!(self.generate_assessments(by, fed, catalog_id.0, members))?;
        Ok(ids.into_iter().map(AssessmentId).collect())
    }
}
