//! Deciding who may act on an assessment, an answer or an evidence file before anything of
//! the request is read (so another member's object is "not found" whatever was sent), and the
//! small reads the pages need around them.

use verbund_domain::authz::{Actor, Permission};
use verbund_domain::{AnswerId, AssessmentId, EvidenceId, OrgId};
use verbund_store::AnswerRow;

use crate::Services;
use crate::error::{Error, Result};

/// What an upload or an action is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// One answer (requirement row) of an assessment.
    Answer(AnswerId),
    /// A whole assessment.
    Assessment(AssessmentId),
}

/// Checks `p` on the member the target belongs to; returns that member.
pub async fn authorize(
    st: &Services,
    actor: &Actor,
    target: Target,
    p: Permission,
) -> Result<OrgId> {
    let scope = actor.scope(Permission::ReadAssessments);
    let org = match target {
        Target::Answer(id) => st.store.answer_assessment(&scope, id).await?.1,
        Target::Assessment(id) => st.store.assessment(&scope, id).await?.org_id,
    };
    actor.check(p, org)?;
    Ok(org)
}

/// One answer row with its assessment's ID.
pub async fn answer_row(
    st: &Services,
    actor: &Actor,
    answer_id: AnswerId,
) -> Result<(AssessmentId, AnswerRow)> {
    let scope = actor.scope(Permission::ReadAssessments);
    let (assessment, _) = st.store.answer_assessment(&scope, answer_id).await?;
    let row = st
        .store
        .answers_by_id(&scope, assessment, &[answer_id])
        .await?
        .into_iter()
        .next()
        .ok_or(Error::NotFound)?;
    Ok((assessment, row))
}

/// Every answer row of an assessment, in catalog order (for naming requirements in a comparison).
pub async fn all_answers(
    st: &Services,
    actor: &Actor,
    assessment: AssessmentId,
) -> Result<Vec<AnswerRow>> {
    Ok(st
        .store
        .answers(
            &actor.scope(Permission::ReadAssessments),
            assessment,
            &Default::default(),
            None,
        )
        .await?
        .items)
}

/// The answer an evidence file belongs to.
pub async fn evidence_answer(
    st: &Services,
    actor: &Actor,
    evidence: EvidenceId,
) -> Result<AnswerId> {
    let (meta, _) = st
        .store
        .evidence(&actor.scope(Permission::ReadAssessments), evidence)
        .await?;
    Ok(meta.answer_id)
}

/// The priority (or requirement level) groups used in an assessment's catalog, for filters.
pub async fn priorities(
    st: &Services,
    actor: &Actor,
    assessment: AssessmentId,
) -> Result<Vec<String>> {
    let a = st
        .store
        .assessment(&actor.scope(Permission::ReadAssessments), assessment)
        .await?;
    Ok(st.store.catalog_groups(a.catalog_id).await?)
}
