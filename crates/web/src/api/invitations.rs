//! Invitations: what a member's coordinator sent, and the caller's own to accept or decline.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use verbund_domain::InvitationId;
use verbund_domain::authz::Role;
use verbund_store::Invitation;

use super::IdPath;
use super::users::GrantOut;
use crate::AppState;
use crate::context::ApiUser;
use crate::error::AppResult;
use verbund_app::invitations;

/// An invitation as the inviting member sees it: the address it typed, never the account.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SentInvitationOut {
    /// ID.
    pub id: i64,
    /// The address as typed.
    pub email: String,
    /// The member offering the role.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// The role offered.
    pub role: Role,
    /// `pending`, `accepted` or `declined`.
    pub status: String,
    /// Sent (Unix ms).
    pub created_at_ms: i64,
    /// Accepted or declined (Unix ms).
    pub decided_at_ms: Option<i64>,
}

impl From<Invitation> for SentInvitationOut {
    fn from(i: Invitation) -> Self {
        Self {
            id: i.id.0,
            email: i.email,
            org_id: i.org_id.0,
            org_name: i.org_name,
            role: i.role,
            status: i.status.code().to_owned(),
            created_at_ms: i.created_at_ms,
            decided_at_ms: i.decided_at_ms,
        }
    }
}

/// A pending invitation to the caller.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OwnInvitationOut {
    /// ID (for accepting or declining).
    pub id: i64,
    /// The member offering the role.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// The role offered.
    pub role: Role,
    /// Who invited (e-mail).
    pub invited_by: String,
    /// Sent (Unix ms).
    pub created_at_ms: i64,
}

/// Invitations sent by the members the caller manages users in, newest first.
#[utoipa::path(get, path = "/invitations", operation_id = "list_sent_invitations", tag = "users", responses((status = 200, body = Vec<SentInvitationOut>)))]
pub async fn sent(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<Vec<SentInvitationOut>>> {
    let list = invitations::sent(&st, &u.actor).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// The caller's pending invitations.
#[utoipa::path(get, path = "/me/invitations", operation_id = "list_my_invitations", tag = "account", responses((status = 200, body = Vec<OwnInvitationOut>)))]
pub async fn mine(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<Vec<OwnInvitationOut>>> {
    let list = invitations::mine(&st, u.user.id).await?;
    Ok(Json(
        list.into_iter()
            .map(|i| OwnInvitationOut {
                id: i.id.0,
                org_id: i.org_id.0,
                org_name: i.org_name,
                role: i.role,
                invited_by: i.invited_by,
                created_at_ms: i.created_at_ms,
            })
            .collect(),
    ))
}

/// Accepts one of the caller's pending invitations: the role is granted.
#[utoipa::path(post, path = "/me/invitations/{id}/accept", operation_id = "accept_invitation", params(("id" = i64, Path)), tag = "account",
    responses((status = 200, body = GrantOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn accept(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<GrantOut>> {
    let g = invitations::accept(&st, &u.audit(), u.user.id, InvitationId(id)).await?;
    Ok(Json(g.into()))
}

/// Declines one of the caller's pending invitations.
#[utoipa::path(post, path = "/me/invitations/{id}/decline", operation_id = "decline_invitation", params(("id" = i64, Path)), tag = "account",
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn decline(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    invitations::decline(&st, &u.audit(), u.user.id, InvitationId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
