//! Users and their roles: who may see whom, who may grant which role where.

use verbund_domain::authz::{Actor, Permission, Role};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::user::{User, UserDraft};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, RoleAssignmentId, UserId};
use verbund_store::{AuditActor, Invitation, NewInvitation, UserChange, UserGrant};

use crate::Services;
use crate::crypto::hash_password;
use crate::error::{Error, Result};

/// Users the actor can see.
pub async fn list_users(
    st: &Services,
    actor: &Actor,
    search: Option<&str>,
    page: PageRequest,
) -> Result<Page<User>> {
    Ok(st
        .store
        .list_users(&actor.scope(Permission::ReadUsers), search, page)
        .await?)
}

/// One user with the roles the actor can see.
pub async fn get_user(st: &Services, actor: &Actor, id: UserId) -> Result<(User, Vec<UserGrant>)> {
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
            return Err(Error::Forbidden);
        }
        other => other?,
    };
    let grants = st.store.user_grants(&scope, id).await?;
    Ok((user, grants))
}

/// What adding a user came to.
#[derive(Debug, Clone)]
pub enum Created {
    /// The office created the account with its first role.
    User(User),
    /// A member's coordinator invited the address (existing or new account: the same
    /// answer, see [`crate::invitations`]).
    Invited(Invitation),
}

/// Adds a user with a first role in `org`. The office (whose user scope reaches every account)
/// creates the account directly, and a taken address is a field error, as it sees every
/// account anyway. Anyone else invites the address ([`Created::Invited`]), whether it has an
/// account or not, and learns nothing about accounts outside its members. The password is
/// hashed in both cases, so the time taken does not tell either.
pub async fn create_user(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    draft: &UserDraft,
    org: OrgId,
    role: Role,
) -> Result<Created> {
    actor.check_grant(role, org)?;
    let new = draft.validate()?;
    let hash = match &new.password {
        Some(p) => Some(hash_password(p.clone()).await?),
        None => None,
    };
    if actor.scope(Permission::ReadUsers).is_all() {
        return Ok(Created::User(
            st.store
                .create_user(by, &new, hash.as_deref(), Some((org, role)))
                .await?,
        ));
    }
    let invitation = NewInvitation {
        user: new,
        password_hash: hash,
        org,
        role,
    };
    Ok(Created::Invited(
        st.store
            .invite(by, &actor.scope(Permission::ManageUsers), &invitation)
            .await?,
    ))
}

/// Grants a role to a visible user.
pub async fn grant_role(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    user: UserId,
    org: OrgId,
    role: Role,
) -> Result<UserGrant> {
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
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: RoleAssignmentId,
) -> Result<UserGrant> {
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
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: UserId,
    disabled: bool,
) -> Result<User> {
    st.store
        .get_user(&actor.scope(Permission::ReadUsers), id)
        .await?;
    // The user is visible to the actor (else 404 above): lacking the right is 403, as for
    // every own object.
    actor
        .check_office(Permission::ManageOfficeRoles)
        .map_err(|_| Error::Forbidden)?;
    if id == actor.user_id && disabled {
        return Err(ValidationErrors::single("disabled", "error-disable-self").into());
    }
    let change = UserChange {
        disabled: Some(disabled),
        ..Default::default()
    };
    Ok(st
        .store
        .update_user(by, &actor.scope(Permission::ManageOfficeRoles), id, &change)
        .await?)
}

/// The roles the actor holds (every user may read their own roles).
pub async fn own_grants(st: &Services, actor: &Actor) -> Result<Vec<UserGrant>> {
    let own = verbund_domain::authz::SystemAccess::for_reason("the user's own roles");
    Ok(st
        .store
        .user_grants(&verbund_domain::authz::Scope::system(&own), actor.user_id)
        .await?)
}
