//! The caller's own account, API tokens and the audit log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use verbund_domain::ApiTokenId;
use verbund_domain::page::{DEFAULT_PER_PAGE, Page, PageRequest};
use verbund_domain::user::User;
use verbund_store::ApiToken;

use super::users::GrantOut;
use super::{ApiJson, ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};
use verbund_app::{audit, tokens};

/// The caller.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeOut {
    /// Account.
    #[serde(flatten)]
    pub user: User,
    /// Whether the caller works office-wide (sees all members).
    pub office: bool,
    /// All roles.
    pub roles: Vec<GrantOut>,
}

/// Who am I?
#[utoipa::path(get, path = "/me", operation_id = "get_me", tag = "account", responses((status = 200, body = MeOut)))]
pub async fn me(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<MeOut>> {
    let grants = verbund_app::users::own_grants(&st, &u.actor).await?;
    Ok(Json(MeOut {
        office: u.actor.is_office(),
        roles: grants.into_iter().map(GrantOut::from).collect(),
        user: u.user,
    }))
}

/// An audit entry.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditOut {
    /// Position in the hash chain.
    pub seq: i64,
    /// Unix time in milliseconds.
    pub at_ms: i64,
    /// Who (e-mail or `system`).
    pub actor: String,
    /// Organisation concerned.
    pub org_id: Option<i64>,
    /// What, e.g. `org.update`.
    pub action: String,
    /// Object kind.
    pub object_type: String,
    /// Object ID.
    pub object_id: String,
    /// State before (JSON).
    pub before: serde_json::Value,
    /// State after (JSON).
    pub after: serde_json::Value,
    /// Hash of this entry.
    pub hash: String,
}

/// Audit log entries the caller may read (office: all; members: their own), newest first,
/// filtered by organisation, person, period (`from`/`to`, TT.MM.JJJJ), kind of change and object.
#[utoipa::path(get, path = "/audit", operation_id = "list_audit", params(verbund_app::audit::AuditQuery), tag = "audit",
    responses((status = 200, body = Page<AuditOut>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn audit(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<verbund_app::audit::AuditQuery>,
) -> AppResult<Json<Page<AuditOut>>> {
    let page = PageRequest::checked(q.page, q.per_page, DEFAULT_PER_PAGE)?;
    let page = audit::list_audit_filtered(&st, &u.actor, &q.filter()?, page).await?;
    Ok(Json(page.map(|e| {
        let r = e.entry.record;
        AuditOut {
            seq: r.seq,
            at_ms: r.at_ms,
            actor: r.actor_label,
            org_id: r.org_id,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            before: serde_json::from_str(&r.before).unwrap_or_default(),
            after: serde_json::from_str(&r.after).unwrap_or_default(),
            hash: e.entry.hash,
        }
    })))
}

/// A token as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenOut {
    /// ID.
    pub id: i64,
    /// Name.
    pub name: String,
    /// First characters.
    pub prefix: String,
    /// Created (Unix ms).
    pub created_at_ms: i64,
    /// Last use (Unix ms).
    pub last_used_ms: Option<i64>,
    /// Expiry (Unix ms).
    pub expires_at_ms: Option<i64>,
    /// Revoked.
    pub revoked: bool,
}

impl From<ApiToken> for TokenOut {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id.0,
            name: t.name,
            prefix: t.prefix,
            created_at_ms: t.created_at_ms,
            last_used_ms: t.last_used_ms,
            expires_at_ms: t.expires_at_ms,
            revoked: t.revoked,
        }
    }
}

/// A new token.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenIn {
    /// What it is for.
    pub name: String,
    /// Days until it expires (1–3650); never when omitted.
    #[serde(default)]
    pub valid_days: Option<i64>,
}

/// A created token: the secret is shown only in this response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenCreated {
    /// The secret to send as `Authorization: Bearer …`.
    pub token: String,
    /// Its record.
    #[serde(flatten)]
    pub info: TokenOut,
}

/// The caller's tokens.
#[utoipa::path(get, path = "/tokens", operation_id = "list_tokens", tag = "account", responses((status = 200, body = Vec<TokenOut>)))]
pub async fn tokens(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<Vec<TokenOut>>> {
    Ok(Json(
        verbund_app::tokens::list(&st, u.user.id)
            .await?
            .into_iter()
            .map(TokenOut::from)
            .collect(),
    ))
}

/// Creates a token for the caller.
#[utoipa::path(post, path = "/tokens", operation_id = "create_token", request_body = TokenIn, tag = "account", responses((status = 201, body = TokenCreated)))]
pub async fn create_token(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(b): ApiJson<TokenIn>,
) -> AppResult<(StatusCode, Json<TokenCreated>)> {
    let (token, info) =
        tokens::create_token(&st, &u.audit(), u.user.id, &b.name, b.valid_days).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenCreated {
            token,
            info: info.into(),
        }),
    ))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/tokens/{id}", operation_id = "revoke_token", params(("id" = i64, Path)), tag = "account", responses((status = 204)))]
pub async fn revoke_token(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<StatusCode> {
    tokens::revoke_token(&st, &u.audit(), u.user.id, ApiTokenId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn yes() -> bool {
    true
}

/// Ending the caller's sessions from the API.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignOutIn {
    /// Also revoke every API token of the account, the calling one included (default `true`).
    #[serde(default = "yes")]
    pub revoke_tokens: bool,
}

/// A password change from the API.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordIn {
    /// The current password.
    pub current: String,
    /// The new one (12–256 characters).
    pub new: String,
    /// Also revoke every API token of the account, the calling one included (default `true`).
    #[serde(default = "yes")]
    pub revoke_tokens: bool,
}

/// What was ended.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedOutOut {
    /// Browser sessions ended (all of the account's).
    pub sessions_ended: u64,
    /// API tokens revoked.
    pub tokens_revoked: u64,
}

impl From<verbund_app::account::SignedOut> for SignedOutOut {
    fn from(s: verbund_app::account::SignedOut) -> Self {
        Self {
            sessions_ended: s.sessions,
            tokens_revoked: s.tokens,
        }
    }
}

/// Logs the caller out everywhere: ends every browser session and, unless
/// `revoke_tokens: false`, revokes every API token — this one too, so later calls with it
/// answer 401.
#[utoipa::path(post, path = "/me/logout-everywhere", operation_id = "logout_everywhere", request_body = SignOutIn, tag = "account",
    responses((status = 200, body = SignedOutOut)))]
pub async fn logout_everywhere(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(b): ApiJson<SignOutIn>,
) -> AppResult<Json<SignedOutOut>> {
    let done =
        verbund_app::account::end_other_sessions(&st, &u.audit(), u.user.id, None, b.revoke_tokens)
            .await?;
    Ok(Json(done.into()))
}

/// Changes the caller's password, ends every browser session and, unless
/// `revoke_tokens: false`, revokes every API token (this one too). Field errors: `current`,
/// `new`.
#[utoipa::path(post, path = "/me/password", operation_id = "change_password", request_body = PasswordIn, tag = "account",
    responses((status = 200, body = SignedOutOut), (status = 422, body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(b): ApiJson<PasswordIn>,
) -> AppResult<Json<SignedOutOut>> {
    let change = verbund_app::account::PasswordChange {
        repeat: b.new.clone(),
        current: b.current,
        new: b.new,
        revoke_tokens: b.revoke_tokens,
    };
    let done =
        verbund_app::account::change_password(&st, &u.audit(), u.user.id, None, &change).await?;
    Ok(Json(done.into()))
}
