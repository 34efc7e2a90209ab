//! Organisations and their membership periods.
//!
//! Each function checks the permission first (so another member's object answers 404 whatever
//! the body says), then validates, then makes one store call with the actor's scope.

use verbund_domain::authz::{Actor, Permission};
use verbund_domain::org::{Membership, MembershipDraft, OrgDraft, OrgKind, Organisation};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{MembershipId, OrgId};
use verbund_store::AuditActor;

use crate::Services;
use crate::error::Result;

/// Organisations the actor can see.
pub async fn list_orgs(
    st: &Services,
    actor: &Actor,
    search: Option<&str>,
    page: PageRequest,
) -> Result<Page<Organisation>> {
    Ok(st
        .store
        .list_orgs(&actor.scope(Permission::ReadOrg), search, page)
        .await?)
}

/// One organisation.
pub async fn get_org(st: &Services, actor: &Actor, id: OrgId) -> Result<Organisation> {
    actor.check(Permission::ReadOrg, id)?;
    Ok(st
        .store
        .get_org(&actor.scope(Permission::ReadOrg), id)
        .await?)
}

/// Creates a member organisation (office only).
pub async fn create_org(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    draft: &OrgDraft,
) -> Result<Organisation> {
    actor.check_office(Permission::ManageFederation)?;
    let input = draft.validate()?;
    if input.kind == OrgKind::Office {
        return Err(ValidationErrors::single("kind", "error-kind-office").into());
    }
    let fed = crate::federation(&st.store).await?;
    Ok(st.store.create_org(by, fed.id, &input).await?)
}

/// Changes an organisation's facts. Members may not turn themselves into the office, and only
/// the office sets key figures: a member's edit keeps the figures it leaves out and refuses
/// changed ones (the member proposes them, see [`crate::key_figures`]).
pub async fn update_org(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: OrgId,
    version: Option<i64>,
    draft: &OrgDraft,
) -> Result<Organisation> {
    actor.check(Permission::EditOrg, id)?;
    let input = draft.validate()?;
    let current = st
        .store
        .get_org(&actor.scope(Permission::EditOrg), id)
        .await?;
    let input = if actor.check(Permission::SetKeyFigures, id).is_ok() {
        input
    } else {
        verbund_domain::key_figures::member_edit(&current, input)?
    };
    if (input.kind == OrgKind::Office) != (current.kind == OrgKind::Office) {
        return Err(ValidationErrors::single("kind", "error-kind-office").into());
    }
    // A provider is not billed: a member turning itself into one would move its costs onto
    // the others, so only the office changes that kind.
    if (input.kind == OrgKind::Provider) != (current.kind == OrgKind::Provider)
        && actor.check_office(Permission::ManageFederation).is_err()
    {
        return Err(ValidationErrors::single("kind", "error-kind-provider").into());
    }
    Ok(st
        .store
        .update_org(by, &actor.scope(Permission::EditOrg), id, version, &input)
        .await?)
}

/// Membership periods of an organisation.
pub async fn list_memberships(st: &Services, actor: &Actor, org: OrgId) -> Result<Vec<Membership>> {
    actor.check(Permission::ReadOrg, org)?;
    Ok(st
        .store
        .list_memberships(&actor.scope(Permission::ReadOrg), org)
        .await?)
}

/// Adds a membership period (office only).
pub async fn add_membership(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
    draft: &MembershipDraft,
) -> Result<Membership> {
    actor.check(Permission::ReadOrg, org)?;
    actor.check_office(Permission::ManageFederation)?;
    let input = draft.validate()?;
    Ok(st
        .store
        .add_membership(by, &actor.scope(Permission::ManageFederation), org, &input)
        .await?)
}

/// Changes a membership period (office only).
pub async fn update_membership(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: MembershipId,
    draft: &MembershipDraft,
) -> Result<Membership> {
    let m = st
        .store
        .get_membership(&actor.scope(Permission::ReadOrg), id)
        .await?;
    actor.check(Permission::ManageFederation, m.org_id)?;
    let input = draft.validate()?;
    Ok(st
        .store
        .update_membership(by, &actor.scope(Permission::ManageFederation), id, &input)
        .await?)
}

/// Deletes a membership period (office only).
pub async fn delete_membership(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: MembershipId,
) -> Result<Membership> {
    let m = st
        .store
        .get_membership(&actor.scope(Permission::ReadOrg), id)
        .await?;
    actor.check(Permission::ManageFederation, m.org_id)?;
    st.store
        .delete_membership(by, &actor.scope(Permission::ManageFederation), id)
        .await?;
    Ok(m)
}

/// Organisations in which the actor may do `p`, for a selection list (the first 200 by name).
pub async fn choices(st: &Services, actor: &Actor, p: Permission) -> Result<Vec<Organisation>> {
    Ok(st
        .store
        .list_orgs(&actor.scope(p), None, PageRequest::new(Some(1), Some(200)))
        .await?
        .items)
}
