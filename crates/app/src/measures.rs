//! Measures / implementation plan (Realisierungsplan): measures from unmet requirements (one or
//! all at once), free measures, status workflow, progress notes, and the office's templates.
//!
//! Permissions (see `verbund_domain::measure::rules::MeasureAccess`): `ManageAssessments`
//! (coordinators for their member, the office ISB everywhere) creates, changes, deletes and
//! checks (geprüft); management (`ReadStructure`) reads; the measure owner reads and
//! progresses (status, notes) only the measures they own. Templates are the office's.

use verbund_domain::authz::{Actor, Permission};
use verbund_domain::measure::input::{RawMeasure, validate_note};
use verbund_domain::measure::model::{
    Measure, MeasureDetail, MeasureFilter, MeasureNote, MeasureTemplate, TemplateProgress,
};
use verbund_domain::measure::rules::{MeasureAccess, berlin_today, check_transition};
use verbund_domain::measure::{MeasureStatus, Priority};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{AnswerId, AssessmentId, MeasureId, MeasureTemplateId, OrgId, UserId};
use verbund_store::{AuditActor, MeasureLinks, StoreError};

use crate::Services;
use crate::error::{Error, Result};

/// Today in the federation's time zone (`YYYY-MM-DD`): what "overdue" refers to.
pub fn today(st: &Services) -> String {
    berlin_today(st.now_ms())
}

/// Whether the actor reads every measure of the members it reaches (not only its own).
fn reads_all(actor: &Actor) -> bool {
    !actor.scope(Permission::ReadStructure).is_empty()
}

/// Measures the actor may see: every measure of the members whose structure it reads, or (a
/// measure owner) its own. `filter.today` is set here.
pub async fn list(
    st: &Services,
    actor: &Actor,
    filter: &MeasureFilter,
    page: PageRequest,
) -> Result<Page<Measure>> {
    if let Some(org) = filter.org {
        actor.check(Permission::ReadOrg, org)?;
    }
    let filter = MeasureFilter {
        today: today(st),
        ..filter.clone()
    };
    let page = if reads_all(actor) {
        st.store
            .list_measures(&actor.scope(Permission::ReadStructure), None, &filter, page)
            .await?
    } else {
        st.store
            .list_measures(
                &actor.scope(Permission::ReadAssessments),
                Some(actor.user_id),
                &filter,
                page,
            )
            .await?
    };
    Ok(page)
}

/// One measure the actor may see (404 otherwise).
pub async fn get(st: &Services, actor: &Actor, id: MeasureId) -> Result<Measure> {
    let today = today(st);
    match st
        .store
        .get_measure(&actor.scope(Permission::ReadStructure), None, id, &today)
        .await
    {
        Err(StoreError::NotFound) => Ok(st
            .store
            .get_measure(
                &actor.scope(Permission::ReadAssessments),
                Some(actor.user_id),
                id,
                &today,
            )
            .await?),
        other => Ok(other?),
    }
}

/// A measure with links and notes.
pub async fn detail(st: &Services, actor: &Actor, id: MeasureId) -> Result<MeasureDetail> {
    let m = get(st, actor, id).await?;
    let (scope, owner) = progress_scope(actor, m.org_id);
    Ok(st
        .store
        .measure_detail(&scope, owner, id, &today(st))
        .await?)
}

/// The scope and owner filter through which the actor works on measures of `org`.
fn progress_scope(actor: &Actor, org: OrgId) -> (verbund_domain::authz::Scope, Option<UserId>) {
    match MeasureAccess::of(actor, org) {
        MeasureAccess::Manage => (actor.scope(Permission::ManageAssessments), None),
        MeasureAccess::Read => (actor.scope(Permission::ReadStructure), None),
        MeasureAccess::OwnOnly | MeasureAccess::None => (
            actor.scope(Permission::ReadAssessments),
            Some(actor.user_id),
        ),
    }
}

/// Users who may own a measure of `org` (holding a role there).
pub async fn owner_candidates(
    st: &Services,
    actor: &Actor,
    org: OrgId,
) -> Result<Vec<(UserId, String)>> {
    actor.check(Permission::ReadOrg, org)?;
    Ok(st
        .store
        .measure_owner_candidates(&actor.scope(Permission::ReadOrg), org)
        .await?)
}

async fn eligible(st: &Services, actor: &Actor, org: OrgId) -> Result<Vec<UserId>> {
    Ok(owner_candidates(st, actor, org)
        .await?
        .into_iter()
        .map(|(u, _)| u)
        .collect())
}

/// Creates a measure of `org`, linked to `links` (answers and objects of `org`).
pub async fn create(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
    raw: &RawMeasure,
    links: &MeasureLinks,
) -> Result<Measure> {
    actor.check(Permission::ManageAssessments, org)?;
    let input = raw.validate(&eligible(st, actor, org).await?)?;
    Ok(st
        .store
        .create_measure(
            by,
            &actor.scope(Permission::ManageAssessments),
            org,
            &input,
            links,
            &today(st),
        )
        .await?)
}

fn manage(actor: &Actor, org: OrgId) -> Result<()> {
    if MeasureAccess::of(actor, org) == MeasureAccess::Manage {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Changes a measure's data (title, owner, deadline, priority, cost, effort).
pub async fn update(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: MeasureId,
    raw: &RawMeasure,
) -> Result<Measure> {
    let m = get(st, actor, id).await?;
    manage(actor, m.org_id)?;
    let input = raw.validate(&eligible(st, actor, m.org_id).await?)?;
    Ok(st
        .store
        .update_measure(
            by,
            &actor.scope(Permission::ManageAssessments),
            id,
            raw.revision,
            &input,
            &today(st),
        )
        .await?)
}

/// Moves a measure to `status` (code) along the workflow; the owner may progress their own,
/// only a coordinator or the office checks (geprüft). `revision`, if given, must be current.
pub async fn set_status(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: MeasureId,
    status: &str,
    revision: Option<i64>,
) -> Result<Measure> {
    let m = get(st, actor, id).await?;
    let access = MeasureAccess::of(actor, m.org_id);
    if !access.may_progress(actor.user_id, m.owner_user_id) {
        return Err(Error::Forbidden);
    }
    let to = MeasureStatus::parse(status).map_err(|c| ValidationErrors::single("status", c))?;
    check_transition(m.status, to, access == MeasureAccess::Manage)
        .map_err(|c| ValidationErrors::single("status", c))?;
    if revision.is_some_and(|r| r != m.revision) {
        return Err(Error::Stale);
    }
    let (scope, owner) = progress_scope(actor, m.org_id);
    Ok(st
        .store
        .set_measure_status(
            by,
            &scope,
            owner,
            id,
            (m.status, m.revision),
            to,
            &today(st),
        )
        .await?)
}

/// Deletes a measure.
pub async fn delete(st: &Services, by: &AuditActor, actor: &Actor, id: MeasureId) -> Result<()> {
    let m = get(st, actor, id).await?;
    manage(actor, m.org_id)?;
    st.store
        .delete_measure(
            by,
            &actor.scope(Permission::ManageAssessments),
            id,
            &today(st),
        )
        .await?;
    Ok(())
}

/// Appends a progress note (the owner to their own measures, coordinators and the office to
/// Replaces the target objects a measure works on (coordinator of its member, office); objects
/// of another member are refused (`object_ids` `error-measure-link`).
pub async fn set_objects(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: MeasureId,
    objects: &[verbund_domain::StructureObjectId],
) -> Result<MeasureDetail> {
    if objects.len() > 500 {
        return Err(
            ValidationErrors::single("object_ids", "error-measure-too-many-objects").into(),
        );
    }
    let m = get(st, actor, id).await?;
    manage(actor, m.org_id)?;
    st.store
        .set_measure_objects(
            by,
            &actor.scope(Permission::ManageAssessments),
            id,
            objects,
            &today(st),
        )
        .await?;
    detail(st, actor, id).await
}

/// any).
pub async fn add_note(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: MeasureId,
    body: &str,
) -> Result<MeasureNote> {
    let m = get(st, actor, id).await?;
    if !MeasureAccess::of(actor, m.org_id).may_progress(actor.user_id, m.owner_user_id) {
        return Err(Error::Forbidden);
    }
    let body = validate_note(body)?;
    let (scope, owner) = progress_scope(actor, m.org_id);
    Ok(st
        .store
        .add_measure_note(by, &scope, owner, id, &body, &today(st))
        .await?)
}

/// How many measures a bulk creation from the assessment's unmet answers would create (403
/// for a reader who may not create them).
pub async fn bulk_preview(st: &Services, actor: &Actor, assessment: AssessmentId) -> Result<i64> {
    let (org, n) = st
        .store
        .unmet_without_measure_count(&actor.scope(Permission::ReadAssessments), assessment)
        .await?;
    actor.check(Permission::ManageAssessments, org)?;
    Ok(n)
}

/// Creates one measure per unmet answer (nein, teilweise) of the assessment that no measure
/// works on yet, in one transaction. `priority` defaults to mittel.
pub async fn bulk_create(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    assessment: AssessmentId,
    priority: Option<&str>,
) -> Result<Vec<MeasureId>> {
    let (org, _) = st
        .store
        .unmet_without_measure_count(&actor.scope(Permission::ReadAssessments), assessment)
        .await?;
    actor.check(Permission::ManageAssessments, org)?;
    let priority = match priority.map(str::trim).filter(|p| !p.is_empty()) {
        None => Priority::Medium,
        Some(p) => Priority::parse(p).map_err(|c| ValidationErrors::single("priority", c))?,
    };
    Ok(st
        .store
        .create_measures_from_unmet(
            by,
            &actor.scope(Permission::ManageAssessments),
            assessment,
            None,
            priority,
        )
        .await?)
}

/// One click from an unmet answer (nein, teilweise): a measure titled after the requirement,
/// linked to it. `None` when the answer is met or a measure works on it already.
pub async fn create_from_answer(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    answer: AnswerId,
) -> Result<Option<MeasureId>> {
    let (assessment, org) = st
        .store
        .answer_assessment(&actor.scope(Permission::ReadAssessments), answer)
        .await?;
    actor.check(Permission::ManageAssessments, org)?;
    let ids = st
        .store
        .create_measures_from_unmet(
            by,
            &actor.scope(Permission::ManageAssessments),
            assessment,
            Some(answer),
            Priority::Medium,
        )
        .await?;
    Ok(ids.first().copied())
}

fn office(actor: &Actor) -> Result<verbund_domain::authz::Scope> {
    actor.check_office(Permission::ManageAssessments)?;
    Ok(actor.scope(Permission::ManageAssessments))
}

/// The federation's templates (office).
pub async fn templates(st: &Services, actor: &Actor) -> Result<Vec<MeasureTemplate>> {
    let scope = office(actor)?;
    let fed = crate::federation(&st.store).await?;
    Ok(st
        .store
        .list_measure_templates_federation_wide(&scope, fed.id)
        .await?)
}

/// One template with each member's progress (office).
pub async fn template_progress(
    st: &Services,
    actor: &Actor,
    id: MeasureTemplateId,
) -> Result<(MeasureTemplate, Vec<TemplateProgress>)> {
    let scope = office(actor)?;
    let t = st
        .store
        .get_measure_template_federation_wide(&scope, id)
        .await?;
    let rows = st
        .store
        .measure_template_progress_federation_wide(&scope, id, &today(st))
        .await?;
    Ok((t, rows))
}

/// Creates a template (title, description, priority, deadline; owner and cost are the
/// members' to set).
pub async fn create_template(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    raw: &RawMeasure,
) -> Result<MeasureTemplate> {
    let scope = office(actor)?;
    // A template has no owner (each member names its own); an owner that is no ID at all is
    // still refused, as for a measure.
    if raw
        .owner_user_id
        .as_deref()
        .map(str::trim)
        .is_some_and(|o| !o.is_empty() && o.parse::<i64>().is_err())
    {
        return Err(ValidationErrors::single("owner_user_id", "error-measure-owner").into());
    }
    let raw = RawMeasure {
        owner_user_id: None,
        cost_euros: None,
        effort_days: None,
        ..raw.clone()
    };
    let input = raw.validate(&[])?;
    let fed = crate::federation(&st.store).await?;
    Ok(st
        .store
        .create_measure_template_federation_wide(by, &scope, fed.id, &input)
        .await?)
}

/// Pushes a template to every member (`orgs` empty) or the named ones, creating one measure
/// per member that has none from it yet. Returns the new measures.
pub async fn push_template(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: MeasureTemplateId,
    orgs: &[OrgId],
) -> Result<Vec<MeasureId>> {
    let scope = office(actor)?;
    Ok(st
        .store
        .push_measure_template_federation_wide(by, &scope, id, (!orgs.is_empty()).then_some(orgs))
        .await?)
}
