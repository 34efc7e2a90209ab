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

/// The structure analysis every generated member gets (see [`Store::generate_structures`]):
/// objects, links among them, links from them to one shared provider object, and needs set on
/// some of them.
#[derive(Debug, Clone)]
pub struct StructureTemplate {
    /// The member's objects (short ids unique within the template).
    pub objects: Vec<verbund_domain::structure::ObjectInput>,
    /// Links `(from, to, type)` between objects of the template (indices into `objects`).
    pub links: Vec<(usize, usize, verbund_domain::structure::LinkType)>,
    /// Links `(from, type)` from an object of the template to the shared provider object.
    pub shared_links: Vec<(usize, verbund_domain::structure::LinkType)>,
}

/// A need set on a generated member's object: (object index in the template, goal, value,
/// justification).
pub type GeneratedNeed = (
    usize,
    verbund_domain::structure::Goal,
    verbund_domain::structure::Category,
    &'static str,
);

impl Store {
    /// Gives each member of `members` the objects and links of `template` (none may have
    /// objects yet), links them to the provider object `shared`, sets the needs given per
    /// member and computes every need (including the provider object's and what lies below it)
    /// — one transaction, one audit entry, multi-row statements throughout. Returns the
    /// number of objects created. Fails with `NotFound` if `shared` is no provider's object or
    /// a template index is out of range, with a field error on `short_id` if a member
    /// already has an object of the template's short ids.
    pub async fn generate_structures(
        &self,
        by: &AuditActor,
        shared: verbund_domain::StructureObjectId,
        template: &StructureTemplate,
        members: &[(OrgId, Vec<GeneratedNeed>)],
    ) -> Result<usize> {
        dispatch!(self.generate_structures(by, shared.0, template, members))
    }
}
