//! Key-figure proposals: a member's coordinator proposes new population, staff or IT-workplace
//! figures; the office accepts (they become the organisation's figures) or rejects them.

use verbund_domain::authz::{Actor, Permission};
use verbund_domain::key_figures::{
    DecisionDraft, KeyFigureProposal, KeyFigures, ProposalDraft, ProposalStatus,
};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::{KeyFigureProposalId, OrgId};
use verbund_store::AuditActor;

use crate::Services;
use crate::error::Result;

/// Proposes new figures for `org` (whoever may edit the organisation; the office can also set
/// them directly).
pub async fn propose(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
    draft: &ProposalDraft,
) -> Result<KeyFigureProposal> {
    actor.check(Permission::EditOrg, org)?;
    let scope = actor.scope(Permission::EditOrg);
    let current = st.store.get_org(&scope, org).await?;
    let input = draft.validate(&KeyFigures::of(&current))?;
    Ok(st
        .store
        .propose_key_figures(by, &scope, org, &input)
        .await?)
}

/// Proposals the actor can see, newest first.
pub async fn list(
    st: &Services,
    actor: &Actor,
    org: Option<OrgId>,
    status: Option<ProposalStatus>,
    page: PageRequest,
) -> Result<Page<KeyFigureProposal>> {
    if let Some(o) = org {
        actor.check(Permission::ReadOrg, o)?;
    }
    Ok(st
        .store
        .list_key_figure_proposals(&actor.scope(Permission::ReadOrg), org, status, page)
        .await?)
}

/// One proposal.
pub async fn get(
    st: &Services,
    actor: &Actor,
    id: KeyFigureProposalId,
) -> Result<KeyFigureProposal> {
    Ok(st
        .store
        .get_key_figure_proposal(&actor.scope(Permission::ReadOrg), id)
        .await?)
}

/// Accepts or rejects an open proposal (office only; a member's own proposal answers 403, one
/// of another member 404). Deciding a decided proposal is `Stale` (from the store).
pub async fn decide(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: KeyFigureProposalId,
    accept: bool,
    draft: &DecisionDraft,
) -> Result<KeyFigureProposal> {
    let p = get(st, actor, id).await?;
    actor.check(Permission::SetKeyFigures, p.org_id)?;
    let note = draft.validate()?;
    // A decided proposal is refused by the store's conditional update (Stale).
    Ok(st
        .store
        .decide_key_figure_proposal(
            by,
            &actor.scope(Permission::SetKeyFigures),
            id,
            accept,
            note.as_deref(),
        )
        .await?)
}
