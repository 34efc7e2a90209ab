//! Users and role assignments.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use verbund_domain::authz::Role;
use verbund_domain::page::Page;
use verbund_domain::user::{User, UserDraft};
use verbund_domain::{OrgId, RoleAssignmentId, UserId};
use verbund_store::UserGrant;

use super::{ApiJson, IdPath, ListQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};
use verbund_app::users::{self, Created};

/// A role assignment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GrantOut {
    /// Assignment ID (for revoking).
    pub id: i64,
    /// Organisation.
    pub org_id: i64,
    /// Organisation name.
    pub org_name: String,
    /// Role.
    pub role: Role,
}

impl From<UserGrant> for GrantOut {
    fn from(g: UserGrant) -> Self {
        Self {
            id: g.id.0,
            org_id: g.org_id.0,
            org_name: g.org_name,
            role: g.role,
        }
    }
}

/// A user with the roles the caller may see.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserOut {
    /// The user.
    #[serde(flatten)]
    pub user: User,
    /// Roles.
    pub roles: Vec<GrantOut>,
}

/// New user with a first role.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserIn {
    /// E-mail (login).
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Initial password (at least 12 characters); omit for single-sign-on-only users.
    #[serde(default)]
    pub password: Option<String>,
    /// Organisation of the first role.
    pub org_id: i64,
    /// The first role.
    pub role: Role,
}

/// A role to grant.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantIn {
    /// Organisation.
    pub org_id: i64,
    /// Role.
    pub role: Role,
}

/// Account changes (federation administration).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// Deactivate (`true`) or reactivate (`false`); deactivation ends all sessions.
    pub disabled: bool,
}

/// Users visible to the caller.
#[utoipa::path(get, path = "/users", operation_id = "list_users", params(ListQuery), tag = "users", responses((status = 200, body = Page<User>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    u: ApiUser,
    q: ListQuery,
) -> AppResult<Json<Page<User>>> {
    Ok(Json(
        users::list_users(&st, &u.actor, q.q.as_deref(), q.page()?).await?,
    ))
}

/// What a member's coordinator gets for adding a user: the same whether the address had an
/// account (which is invited) or not (an account is created and invited). The role takes
/// effect once the account's owner accepts it after signing in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InvitationSent {
    /// The invitation's ID (see `GET /invitations`).
    pub id: i64,
    /// The address as given.
    pub email: String,
    /// The member offering the role.
    pub org_id: i64,
    /// The role offered.
    pub role: Role,
    /// Always `pending`.
    pub status: String,
}

/// Adds a user with a first role. The office (which sees every account) creates the account:
/// 201 with the user, 422 `error-duplicate` for a taken address. A member's coordinator
/// invites the address instead — 202 with the invitation, whether the address has an account
/// or not (a new one is created with the name and password given); nothing about accounts
/// outside the coordinator's member is revealed.
#[utoipa::path(post, path = "/users", operation_id = "create_user", request_body = NewUserIn, tag = "users",
    responses((status = 201, body = User, description = "created by the office"),
        (status = 202, body = InvitationSent, description = "invited by a member's coordinator"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(b): ApiJson<NewUserIn>,
) -> AppResult<Response> {
    let draft = UserDraft {
        email: b.email,
        display_name: b.display_name,
        password: b.password,
    };
    let created =
        users::create_user(&st, &u.audit(), &u.actor, &draft, OrgId(b.org_id), b.role).await?;
    Ok(match created {
        Created::User(user) => (StatusCode::CREATED, Json(user)).into_response(),
        Created::Invited(i) => (
            StatusCode::ACCEPTED,
            Json(InvitationSent {
                id: i.id.0,
                email: i.email,
                org_id: i.org_id.0,
                role: i.role,
                status: i.status.code().to_owned(),
            }),
        )
            .into_response(),
    })
}

/// One user with roles.
#[utoipa::path(get, path = "/users/{id}", operation_id = "get_user", params(("id" = i64, Path)), tag = "users",
    responses((status = 200, body = UserOut)))]
pub async fn get_one(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<UserOut>> {
    let (user, grants) = users::get_user(&st, &u.actor, UserId(id)).await?;
    Ok(Json(UserOut {
        user,
        roles: grants.into_iter().map(GrantOut::from).collect(),
    }))
}

/// Deactivates or reactivates a user (federation administration).
#[utoipa::path(patch, path = "/users/{id}", operation_id = "update_user", params(("id" = i64, Path)), request_body = UserPatch, tag = "users",
    responses((status = 200, body = User), (status = 403, body = ErrorBody)))]
pub async fn update(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(b): ApiJson<UserPatch>,
) -> AppResult<Json<User>> {
    Ok(Json(
        users::set_user_disabled(&st, &u.audit(), &u.actor, UserId(id), b.disabled).await?,
    ))
}

/// Grants a role.
#[utoipa::path(post, path = "/users/{id}/roles", operation_id = "grant_role", params(("id" = i64, Path)), request_body = GrantIn, tag = "users",
    responses((status = 201, body = GrantOut), (status = 403, body = ErrorBody)))]
pub async fn grant(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
    ApiJson(b): ApiJson<GrantIn>,
) -> AppResult<(StatusCode, Json<GrantOut>)> {
    let g = users::grant_role(
        &st,
        &u.audit(),
        &u.actor,
        UserId(id),
        OrgId(b.org_id),
        b.role,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(g.into())))
}

/// Revokes a role assignment.
#[utoipa::path(delete, path = "/role-assignments/{id}", operation_id = "revoke_role", params(("id" = i64, Path)), tag = "users",
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn revoke(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    users::revoke_role(&st, &u.audit(), &u.actor, RoleAssignmentId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
