//! Operations shared by the HTML and the JSON handlers: authorize, validate, call the store.
//!
//! Each function checks the permission first (so another member's object answers 404 whatever
//! the body says), then validates, then makes one store call with the actor's scope.

use verbund_domain::authz::{Actor, Permission, Role};
use verbund_domain::org::{Membership, MembershipDraft, OrgDraft, OrgKind, Organisation};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::user::{User, UserDraft};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{ApiTokenId, MembershipId, OrgId, RoleAssignmentId, UserId};
use verbund_store::{ApiToken, AuditActor, AuditEntry, UserChange, UserGrant};

use crate::AppState;
use crate::crypto::{hash_password, random_token, sha256_hex};
use crate::error::{AppError, AppResult};

/// Organisations the actor can see.
pub async fn list_orgs(
    st: &AppState,
    actor: &Actor,
    search: Option<&str>,
    page: PageRequest,
) -> AppResult<Page<Organisation>> {
    Ok(st
        .store
        .list_orgs(&actor.scope(Permission::ReadOrg), search, page)
        .await?)
}

/// One organisation.
pub async fn get_org(st: &AppState, actor: &Actor, id: OrgId) -> AppResult<Organisation> {
    actor.check(Permission::ReadOrg, id)?;
    Ok(st
        .store
        .get_org(&actor.scope(Permission::ReadOrg), id)
        .await?)
}

/// Creates a member organisation (office only).
pub async fn create_org(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    draft: &OrgDraft,
) -> AppResult<Organisation> {
    actor.check_office(Permission::ManageFederation)?;
    let input = draft.validate()?;
    if input.kind == OrgKind::Office {
        return Err(ValidationErrors::single("kind", "error-kind-office").into());
    }
    let fed = st.store.federation().await?.ok_or(AppError::NotFound)?;
    Ok(st.store.create_org(by, fed.id, &input).await?)
}

/// Changes an organisation's facts. Members may not turn themselves into the office.
pub async fn update_org(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: OrgId,
    version: Option<i64>,
    draft: &OrgDraft,
) -> AppResult<Organisation> {
    actor.check(Permission::EditOrg, id)?;
    let input = draft.validate()?;
    let current = st
        .store
        .get_org(&actor.scope(Permission::EditOrg), id)
        .await?;
    if (input.kind == OrgKind::Office) != (current.kind == OrgKind::Office) {
        return Err(ValidationErrors::single("kind", "error-kind-office").into());
    }
    Ok(st
        .store
        .update_org(by, &actor.scope(Permission::EditOrg), id, version, &input)
        .await?)
}

/// Membership periods of an organisation.
pub async fn list_memberships(
    st: &AppState,
    actor: &Actor,
    org: OrgId,
) -> AppResult<Vec<Membership>> {
    actor.check(Permission::ReadOrg, org)?;
    Ok(st
        .store
        .list_memberships(&actor.scope(Permission::ReadOrg), org)
        .await?)
}

/// Adds a membership period (office only).
pub async fn add_membership(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    org: OrgId,
    draft: &MembershipDraft,
) -> AppResult<Membership> {
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
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: MembershipId,
    draft: &MembershipDraft,
) -> AppResult<Membership> {
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
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: MembershipId,
) -> AppResult<Membership> {
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

/// Users the actor can see.
pub async fn list_users(
    st: &AppState,
    actor: &Actor,
    search: Option<&str>,
    page: PageRequest,
) -> AppResult<Page<User>> {
    Ok(st
        .store
        .list_users(&actor.scope(Permission::ReadUsers), search, page)
        .await?)
}

/// One user with the roles the actor can see.
pub async fn get_user(
    st: &AppState,
    actor: &Actor,
    id: UserId,
) -> AppResult<(User, Vec<UserGrant>)> {
    let scope = actor.scope(Permission::ReadUsers);
    let user = match st.store.get_user(&scope, id).await {
        // A user visible through a role the actor may not read users in is their own: 403.
        Err(verbund_store::StoreError::NotFound)
            if st
                .store
                .get_user(&actor.scope(Permission::ReadOrg), id)
                .await
                .is_ok() =>
        {
            return Err(AppError::Forbidden);
        }
        other => other?,
    };
    let grants = st.store.user_grants(&scope, id).await?;
    Ok((user, grants))
}

/// Creates a user with a first role in `org`.
pub async fn create_user(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    draft: &UserDraft,
    org: OrgId,
    role: Role,
) -> AppResult<User> {
    actor.check_grant(role, org)?;
    let new = draft.validate()?;
    let hash = match &new.password {
        Some(p) => Some(hash_password(p.clone()).await?),
        None => None,
    };
    Ok(st
        .store
        .create_user(by, &new, hash.as_deref(), Some((org, role)))
        .await?)
}

/// Grants a role to a visible user.
pub async fn grant_role(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    user: UserId,
    org: OrgId,
    role: Role,
) -> AppResult<UserGrant> {
    st.store
        .get_user(&actor.scope(Permission::ReadUsers), user)
        .await?;
    actor.check_grant(role, org)?;
    Ok(st
        .store
        .add_grant(by, &actor.scope(Permission::ManageUsers), user, org, role)
        .await?)
}

/// Revokes a role assignment. Nobody can revoke their own last office administration role.
pub async fn revoke_role(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: RoleAssignmentId,
) -> AppResult<UserGrant> {
    let g = st
        .store
        .get_grant(&actor.scope(Permission::ReadUsers), id)
        .await?;
    actor.check_grant(g.role, g.org_id)?;
    if g.user_id == actor.user_id && g.role == Role::FederationAdmin {
        return Err(ValidationErrors::single("role", "error-own-admin-role").into());
    }
    st.store
        .remove_grant(by, &actor.scope(Permission::ManageUsers), id)
        .await?;
    Ok(g)
}

/// Deactivates or reactivates a user (federation administration).
pub async fn set_user_disabled(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: UserId,
    disabled: bool,
) -> AppResult<User> {
    st.store
        .get_user(&actor.scope(Permission::ReadUsers), id)
        .await?;
    actor.check_office(Permission::ManageOfficeRoles)?;
    if id == actor.user_id && disabled {
        return Err(ValidationErrors::single("disabled", "error-disable-self").into());
    }
    let change = UserChange {
        disabled: Some(disabled),
        ..Default::default()
    };
    Ok(st
        .store
        .update_user(by, &verbund_domain::authz::Scope::All, id, &change)
        .await?)
}

/// Audit entries the actor may read, optionally for one organisation.
pub async fn list_audit(
    st: &AppState,
    actor: &Actor,
    org: Option<OrgId>,
    page: PageRequest,
) -> AppResult<Page<AuditEntry>> {
    if let Some(o) = org {
        actor.check(Permission::ReadAudit, o)?;
    }
    Ok(st
        .store
        .list_audit(&actor.scope(Permission::ReadAudit), org, page)
        .await?)
}

/// Creates an API token; returns the secret (shown once) and its record.
pub async fn create_token(
    st: &AppState,
    by: &AuditActor,
    user: UserId,
    name: &str,
    valid_days: Option<i64>,
) -> AppResult<(String, ApiToken)> {
    let name = verbund_domain::validation::required_text(name, 100)
        .map_err(|c| ValidationErrors::single("name", c))?;
    let expires = match valid_days {
        None => None,
        Some(d) if (1..=3650).contains(&d) => Some(verbund_store::now_ms() + d * 86_400_000),
        Some(_) => return Err(ValidationErrors::single("valid_days", "error-range").into()),
    };
    let secret = format!("vbd_{}", random_token(32));
    let prefix = secret.chars().take(10).collect::<String>();
    let t = st
        .store
        .create_token(by, user, &name, &prefix, &sha256_hex(&secret), expires)
        .await?;
    Ok((secret, t))
}

/// Revokes one of the user's own tokens.
pub async fn revoke_token(
    st: &AppState,
    by: &AuditActor,
    user: UserId,
    id: ApiTokenId,
) -> AppResult<()> {
    Ok(st.store.revoke_token(by, user, id).await?)
}
