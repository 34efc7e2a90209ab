//! A whole topic (module) marked *entbehrlich* with one justification, and undoing that.

use serde::Deserialize;
use verbund_domain::AssessmentId;
use verbund_domain::authz::{Actor, Permission};
use verbund_store::{AuditActor, GroupChange};

use super::org_of;
use crate::Services;
use crate::error::Result;

/// A topic to mark *entbehrlich*, with the reason that holds for every requirement in it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicNotApplicableIn {
    /// The topic (index from 0, as in the assessment's `topics`).
    pub topic: i64,
    /// Why the topic does not apply, e.g. "Keine IBM-Z-Großrechner im Einsatz."
    pub justification: String,
}

/// Marks every requirement of a topic *entbehrlich* (needs `AnswerAssessments`); returns the
/// change, which [`undo`] reverses. Another member's assessment is not found.
pub async fn mark_topic_not_applicable(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: AssessmentId,
    d: &TopicNotApplicableIn,
) -> Result<GroupChange> {
    org_of(st, actor, id, Permission::AnswerAssessments).await?;
    Ok(st
        .store
        .mark_topic_not_applicable(
            by,
            &actor.scope(Permission::AnswerAssessments),
            id,
            d.topic,
            &d.justification,
        )
        .await?)
}

/// One group change the actor may read.
pub async fn group_change(st: &Services, actor: &Actor, change_id: i64) -> Result<GroupChange> {
    Ok(st
        .store
        .group_change(&actor.scope(Permission::ReadAssessments), change_id)
        .await?)
}

/// Restores the answers a group change replaced (needs `AnswerAssessments` on its member).
/// Undone already: stale (409); rows answered again since: a field error naming each.
pub async fn undo(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    change_id: i64,
) -> Result<GroupChange> {
    let change = group_change(st, actor, change_id).await?;
    actor.check(Permission::AnswerAssessments, change.org_id)?;
    Ok(st
        .store
        .undo_group_change(by, &actor.scope(Permission::AnswerAssessments), change_id)
        .await?)
}
