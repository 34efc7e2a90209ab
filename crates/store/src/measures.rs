//! Measures of the implementation plan (Realisierungsplan): CRUD scoped by [`Scope`], progress
//! notes, bulk creation from unmet answers, and the office's templates pushed to members.
//!
//! Scopes: `write` is the caller's scope for creating and changing measures (coordinators
//! and the office); `scope` with `owner_only` for reading and progressing: a measure owner
//! passes `Some(own id)` and reaches only the measures they own. `today` is the Berlin date
//! (`YYYY-MM-DD`) the overdue flag refers to. Every change is audited in its transaction.

use verbund_domain::authz::Scope;
use verbund_domain::measure::input::MeasureInput;
use verbund_domain::measure::model::{
    Measure, MeasureDetail, MeasureFilter, MeasureNote, MeasureTemplate, TemplateProgress,
};
use verbund_domain::measure::{MeasureStatus, Priority};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::{
    AnswerId, AssessmentId, FederationId, MeasureId, MeasureTemplateId, OrgId, StructureObjectId,
    UserId,
};

use crate::{AuditActor, Db, Result, Store, StoreError, backend};

/// What a new measure works on: answers (requirements of an assessment) and target objects,
/// all of the measure's organisation (anything else is the field error `error-measure-link`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureLinks {
    /// Answers; the first is kept as the answer the measure was created from.
    pub answers: Vec<AnswerId>,
    /// Target objects.
    pub objects: Vec<StructureObjectId>,
}

impl Store {
    /// Measures in `scope` (only `owner_only`'s own if given), filtered, in plan order:
    /// priority, then deadline.
    pub async fn list_measures(
        &self,
        scope: &Scope,
        owner_only: Option<UserId>,
        filter: &MeasureFilter,
        page: PageRequest,
    ) -> Result<Page<Measure>> {
        dispatch!(self.list_measures(scope, owner_only, filter, page))
    }

    /// Every measure of `org` in plan order (for the plan as PDF and XLSX).
    pub async fn plan_measures(
        &self,
        scope: &Scope,
        org: OrgId,
        today: &str,
    ) -> Result<Vec<verbund_domain::measure::plan::PlanEntry>> {
        dispatch!(self.plan_measures(scope, org, today))
    }

    /// One visible measure.
    pub async fn get_measure(
        &self,
        scope: &Scope,
        owner_only: Option<UserId>,
        id: MeasureId,
        today: &str,
    ) -> Result<Measure> {
        dispatch!(self.get_measure(scope, owner_only, id, today))
    }

    /// A visible measure with its linked requirements (current answers), objects and notes.
    pub async fn measure_detail(
        &self,
        scope: &Scope,
        owner_only: Option<UserId>,
        id: MeasureId,
        today: &str,
    ) -> Result<MeasureDetail> {
        dispatch!(self.measure_detail(scope, owner_only, id, today))
    }

    /// Users holding a role in `org` (who may own its measures), by name.
    pub async fn measure_owner_candidates(
        &self,
        scope: &Scope,
        org: OrgId,
    ) -> Result<Vec<(UserId, String)>> {
        dispatch!(self.measure_owner_candidates(scope, org))
    }

    /// Creates a measure of `org` (status offen) with its links.
    pub async fn create_measure(
        &self,
        by: &AuditActor,
        write: &Scope,
        org: OrgId,
        input: &MeasureInput,
        links: &MeasureLinks,
        today: &str,
    ) -> Result<Measure> {
        dispatch!(self.create_measure(by, write, org, input, links, today))
    }

    /// Changes a measure's data; `revision` (if given) must match (`Stale` otherwise).
    pub async fn update_measure(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: MeasureId,
        revision: Option<i64>,
        input: &MeasureInput,
        today: &str,
    ) -> Result<Measure> {
        dispatch!(self.update_measure(by, write, id, revision, input, today))
    }

    /// Sets the status of a visible measure that still has status and revision `from`
    /// (`Stale` otherwise: the caller checked the transition from that state). Sets or clears
    /// the done time.
    #[expect(
        clippy::too_many_arguments,
        reason = "scope, owner, expected state and target"
    )]
    pub async fn set_measure_status(
        &self,
        by: &AuditActor,
        scope: &Scope,
        owner_only: Option<UserId>,
        id: MeasureId,
        from: (MeasureStatus, i64),
        to: MeasureStatus,
        today: &str,
    ) -> Result<Measure> {
        dispatch!(self.set_measure_status(by, scope, owner_only, id, from, to, today))
    }

    /// Deletes a measure with its links and notes.
    pub async fn delete_measure(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: MeasureId,
        today: &str,
    ) -> Result<Measure> {
        dispatch!(self.delete_measure(by, write, id, today))
    }

    /// Replaces the target objects a measure of `write` works on (objects of its member only:
    /// anything else is the field error `object_ids`), audited.
    pub async fn set_measure_objects(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: MeasureId,
        objects: &[verbund_domain::StructureObjectId],
        today: &str,
    ) -> Result<()> {
        dispatch!(self.set_measure_objects(by, write, id, objects, today))
    }

    /// Appends a progress note to a visible measure.
    pub async fn add_measure_note(
        &self,
        by: &AuditActor,
        scope: &Scope,
        owner_only: Option<UserId>,
        id: MeasureId,
        body: &str,
        today: &str,
    ) -> Result<MeasureNote> {
        dispatch!(self.add_measure_note(by, scope, owner_only, id, body, today))
    }

    /// The member of an assessment in `scope` and how many of its unmet answers (nein,
    /// teilweise) no measure works on yet: the preview of a bulk creation.
    pub async fn unmet_without_measure_count(
        &self,
        scope: &Scope,
        assessment: AssessmentId,
    ) -> Result<(OrgId, i64)> {
        dispatch!(self.unmet_without_measure_count(scope, assessment))
    }

    /// Creates one measure per unmet answer of the assessment (only `only`, if given) that no
    /// measure works on yet, each linked to its requirement, in one transaction with one audit entry (titled with
    /// the requirement's reference and name, status offen). Returns the new measures.
    pub async fn create_measures_from_unmet(
        &self,
        by: &AuditActor,
        write: &Scope,
        assessment: AssessmentId,
        only: Option<AnswerId>,
        priority: Priority,
    ) -> Result<Vec<MeasureId>> {
        dispatch!(self.create_measures_from_unmet(by, write, assessment, only, priority))
    }

    /// The federation's measure templates, newest first, with how many measures were pushed
    /// and are done. Office-wide: `office` must reach every organisation.
    pub async fn list_measure_templates_federation_wide(
        &self,
        office: &Scope,
        fed: FederationId,
    ) -> Result<Vec<MeasureTemplate>> {
        office_only(office)?;
        dispatch!(self.list_measure_templates(fed))
    }

    /// One template (office-wide, as above).
    pub async fn get_measure_template_federation_wide(
        &self,
        office: &Scope,
        id: MeasureTemplateId,
    ) -> Result<MeasureTemplate> {
        office_only(office)?;
        dispatch!(self.get_measure_template(id))
    }

    /// Creates a template (title, description, priority and deadline of `input`).
    pub async fn create_measure_template_federation_wide(
        &self,
        by: &AuditActor,
        office: &Scope,
        fed: FederationId,
        input: &MeasureInput,
    ) -> Result<MeasureTemplate> {
        office_only(office)?;
        dispatch!(self.create_measure_template(by, fed, input))
    }

    /// Pushes a template to every member (`None`) or the named members, in one transaction:
    /// one measure per member that has none from this template yet. A named organisation that
    /// is not a member of the federation is the field error `orgs` and nothing is created.
    pub async fn push_measure_template_federation_wide(
        &self,
        by: &AuditActor,
        office: &Scope,
        id: MeasureTemplateId,
        orgs: Option<&[OrgId]>,
    ) -> Result<Vec<MeasureId>> {
        office_only(office)?;
        dispatch!(self.push_measure_template(by, id, orgs))
    }

    /// Each member's measure from a template: status, owner, deadline, done (office-wide).
    pub async fn measure_template_progress_federation_wide(
        &self,
        office: &Scope,
        id: MeasureTemplateId,
        today: &str,
    ) -> Result<Vec<TemplateProgress>> {
        office_only(office)?;
        dispatch!(self.measure_template_progress(id, today))
    }
}

fn office_only(office: &Scope) -> Result<()> {
    if office.is_all() {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}
