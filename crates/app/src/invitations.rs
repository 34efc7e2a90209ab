//! Invitations: how a member's coordinator adds a person without learning whether that person
//! has an account already.
//!
//! A coordinator (any actor whose user scope does not reach every account) who adds a user
//! always creates an invitation: for an address with an account, to that account; for a new
//! address, to a new account (with the name and password given). The answer, the coordinator's
//! lists and the member's audit entries are the same in both cases; the role takes effect
//! when the account's owner accepts it after signing in. The office sees every account anyway
//! and creates users directly ([`crate::users::create_user`]).

use verbund_domain::authz::{Actor, Permission};
use verbund_domain::{InvitationId, UserId};
use verbund_store::{AuditActor, Invitation, UserGrant};

use crate::Services;
use crate::error::Result;

/// Invitations sent by the members the actor manages users in, newest first.
pub async fn sent(st: &Services, actor: &Actor) -> Result<Vec<Invitation>> {
    Ok(st
        .store
        .list_invitations(&actor.scope(Permission::ManageUsers))
        .await?)
}

/// The user's own pending invitations.
pub async fn mine(st: &Services, user: UserId) -> Result<Vec<Invitation>> {
    Ok(st.store.own_invitations(user).await?)
}

/// Accepts one of the user's pending invitations: the role is granted. `NotFound` for anyone
/// else's invitation and for one decided already.
pub async fn accept(
    st: &Services,
    by: &AuditActor,
    user: UserId,
    id: InvitationId,
) -> Result<UserGrant> {
    let (_, grant) = st.store.decide_invitation(by, user, id, true).await?;
    grant.ok_or_else(|| crate::Error::Internal("an accepted invitation grants a role".into()))
}

/// Declines one of the user's pending invitations; `NotFound` as for [`accept`].
pub async fn decline(st: &Services, by: &AuditActor, user: UserId, id: InvitationId) -> Result<()> {
    st.store.decide_invitation(by, user, id, false).await?;
    Ok(())
}
