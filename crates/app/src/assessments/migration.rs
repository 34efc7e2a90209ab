//! Moving an assessment to a newer revision of its catalog: preview, then migrate with the
//! answers and evidence carried over by URN.

use serde::Serialize;
use verbund_domain::assessment::AnswerStatus;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{AssessmentId, CatalogId};
use verbund_store::AuditActor;

use super::org_of;
use crate::Services;
use crate::error::Result;

/// What moving an assessment to another revision of its catalog would do.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MigrationPreview {
    /// The revision the assessment answers now.
    #[schema(value_type = i64)]
    pub from_catalog: CatalogId,
    /// The revision it would move to.
    #[schema(value_type = i64)]
    pub to_catalog: CatalogId,
    /// Requirement differences (added start open; removed lose their answers in the new assessment).
    #[schema(value_type = Object)]
    pub diff: verbund_domain::catalog::CatalogDiff,
    /// Answered requirements that the new revision no longer has.
    pub answers_dropped: usize,
}

/// Newer revisions of the assessment's catalog (same URN), newest first.
pub async fn newer_revisions(
    st: &Services,
    actor: &Actor,
    id: AssessmentId,
) -> Result<Vec<verbund_store::CatalogSummary>> {
    let a = org_of(st, actor, id, Permission::ReadAssessments).await?;
    let fed = crate::federation(&st.store).await?;
    let all = st.store.catalogs(fed.id).await?;
    let urn = all
        .iter()
        .find(|c| c.id == a.catalog_id)
        .map(|c| c.urn.clone())
        .unwrap_or_default();
    Ok(all
        .into_iter()
        .filter(|c| c.urn == urn && c.revision > a.catalog_revision)
        .collect())
}

/// The diff preview before moving assessment `id` to revision `to`.
pub async fn migration_preview(
    st: &Services,
    actor: &Actor,
    id: AssessmentId,
    to: CatalogId,
) -> Result<MigrationPreview> {
    let a = org_of(st, actor, id, Permission::ReadAssessments).await?;
    if !newer_revisions(st, actor, id)
        .await?
        .iter()
        .any(|c| c.id == to)
    {
        return Err(ValidationErrors::single("catalog_id", "error-not-a-revision").into());
    }
    let (_, old) = crate::catalogs::get(st, a.catalog_id).await?;
    let (_, new) = crate::catalogs::get(st, to).await?;
    let diff = verbund_domain::catalog::diff(&old, &new);
    let removed: std::collections::HashSet<&str> =
        diff.removed.iter().map(|d| d.urn.as_str()).collect();
    let answers = st
        .store
        .current_answers(&actor.scope(Permission::ReadAssessments), id)
        .await?;
    let answers_dropped = answers
        .iter()
        .filter(|(urn, s, _)| *s != AnswerStatus::Unanswered && removed.contains(urn.as_str()))
        .count();
    Ok(MigrationPreview {
        from_catalog: a.catalog_id,
        to_catalog: to,
        diff,
        answers_dropped,
    })
}

/// Moves assessment `id` to revision `to` (a new assessment; the old one is kept).
pub async fn migrate(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: AssessmentId,
    to: CatalogId,
) -> Result<AssessmentId> {
    org_of(st, actor, id, Permission::ManageAssessments).await?;
    if !newer_revisions(st, actor, id)
        .await?
        .iter()
        .any(|c| c.id == to)
    {
        return Err(ValidationErrors::single("catalog_id", "error-not-a-revision").into());
    }
    Ok(st
        .store
        .migrate_assessment(by, &actor.scope(Permission::ManageAssessments), id, to)
        .await?)
}
