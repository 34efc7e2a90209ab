//! Invitations: a role in a member offered to an account, accepted or declined by its owner.

use verbund_domain::authz::Scope;
use verbund_domain::{InvitationId, UserId};

use crate::{AuditActor, Db, Invitation, NewInvitation, Result, Store, UserGrant, backend};

impl Store {
    /// Offers `new.role` in `new.org` (inside `scope`, else `NotFound`) to the account with
    /// `new.user`'s address, creating the account (without any role) if there is none. The
    /// inviting member's audit entries are the same either way; the account's creation or the
    /// match is recorded at installation level. Offering a role that is pending already keeps
    /// that invitation.
    pub async fn invite(
        &self,
        by: &AuditActor,
        scope: &Scope,
        new: &NewInvitation,
    ) -> Result<Invitation> {
        dispatch!(self.invite(by, scope, new))
    }

    /// Invitations of the members inside `scope`, newest first (at most 500).
    pub async fn list_invitations(&self, scope: &Scope) -> Result<Vec<Invitation>> {
        dispatch!(self.list_invitations(scope))
    }

    /// The user's pending invitations, oldest first.
    pub async fn own_invitations(&self, user: UserId) -> Result<Vec<Invitation>> {
        dispatch!(self.own_invitations(user))
    }

    /// Accepts (granting the role, unless held already) or declines one of the user's pending
    /// invitations; `NotFound` for anyone else's or a decided one.
    pub async fn decide_invitation(
        &self,
        by: &AuditActor,
        user: UserId,
        id: InvitationId,
        accept: bool,
    ) -> Result<(Invitation, Option<UserGrant>)> {
        dispatch!(self.decide_invitation(by, user, id, accept))
    }
}
