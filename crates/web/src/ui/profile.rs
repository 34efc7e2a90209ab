//! The user's own profile: language, password, two-factor login, API tokens, sessions.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::ApiTokenId;
use verbund_domain::user::check_password;
use verbund_domain::validation::ValidationErrors;
use verbund_store::{ApiToken, UserChange};

use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::api::IdPath;
use crate::context::CurrentUser;
use crate::crypto;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::service;

/// A token as listed.
pub struct TokenRow {
    pub id: ApiTokenId,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub expires: String,
    pub revoked: bool,
}

impl From<ApiToken> for TokenRow {
    fn from(t: ApiToken) -> Self {
        Self {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: fmt_ms(t.created_at_ms),
            last_used: t.last_used_ms.map(fmt_ms).unwrap_or_else(|| "–".into()),
            expires: t.expires_at_ms.map(fmt_ms).unwrap_or_else(|| "–".into()),
            revoked: t.revoked,
        }
    }
}

/// What the profile page shows besides the defaults, after an action.
#[derive(Default)]
pub struct Notice {
    pub message: Option<String>,
    pub errors: FormErrors,
    pub enrol_secret: Option<String>,
    pub enrol_qr: String,
    pub recovery_codes: Vec<String>,
    pub new_token: Option<String>,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    l: Layout,
    email: String,
    locale: String,
    mfa_enabled: bool,
    codes_left_text: String,
    tokens: Vec<TokenRow>,
    n: Notice,
}

async fn page(st: &AppState, cu: &CurrentUser, n: Notice) -> AppResult<ProfilePage> {
    let u = st.store.get_user_unscoped(cu.session.user.id).await?;
    let mut l = Layout::user(cu, "profile-title", "profile");
    l.lang = Lang::parse(&u.locale).unwrap_or_default();
    l.title = l.lang.t("profile-title");
    let codes_left_text = l.lang.t_args(
        "mfa-codes-left",
        &[(
            "count",
            st.store.recovery_codes_left(u.id).await?.to_string(),
        )],
    );
    Ok(ProfilePage {
        l,
        email: u.email.clone(),
        locale: u.locale.clone(),
        mfa_enabled: u.mfa_enabled,
        codes_left_text,
        tokens: st
            .store
            .list_tokens(u.id)
            .await?
            .into_iter()
            .map(TokenRow::from)
            .collect(),
        n,
    })
}

fn respond(p: &ProfilePage) -> Response {
    if p.n.errors.any() {
        render_invalid(p)
    } else {
        render(p)
    }
}

pub async fn show(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    Ok(respond(&page(&st, &cu, Notice::default()).await?))
}

fn error(field: &str, code: &str) -> Notice {
    Notice {
        errors: ValidationErrors::single(field, code).into(),
        ..Default::default()
    }
}

fn done(cu: &CurrentUser, key: &str) -> Notice {
    Notice {
        message: Some(cu.ctx.lang.t(key)),
        ..Default::default()
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub async fn change_password(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    let login = st.store.login_user_by_id(cu.session.user.id).await?;
    let ok = match login.password_hash {
        Some(h) => crypto::verify_password(f.current.clone(), h).await,
        None => false,
    };
    let n = if !ok {
        error("current", "error-password-wrong")
    } else if let Err(code) = check_password(&f.new) {
        error("new", code)
    } else if f.new != f.repeat {
        error("repeat", "error-password-mismatch")
    } else {
        let hash = crypto::hash_password(f.new.clone()).await?;
        st.store
            .set_password(&cu.audit(), cu.session.user.id, &hash)
            .await?;
        // Other sessions may belong to whoever knew the old password.
        st.store
            .delete_user_sessions(cu.session.user.id, Some(&cu.session.id_hash))
            .await?;
        done(&cu, "password-changed")
    };
    Ok(respond(&page(&st, &cu, n).await?))
}

#[derive(Deserialize)]
pub struct LanguageForm {
    locale: String,
}

pub async fn set_language(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<LanguageForm>,
) -> AppResult<Response> {
    let lang = Lang::parse(&f.locale).unwrap_or_default();
    let change = UserChange {
        locale: Some(lang.code().into()),
        ..Default::default()
    };
    st.store
        .update_user(
            &cu.audit(),
            &verbund_domain::authz::Scope::All,
            cu.session.user.id,
            &change,
        )
        .await?;
    Ok(see_other("/profile"))
}

pub async fn mfa_start(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let login = st.store.login_user_by_id(cu.session.user.id).await?;
    if login.totp_enabled {
        return Ok(see_other("/profile"));
    }
    let secret = crypto::new_totp_secret();
    st.store
        .set_totp(&cu.audit(), login.id, Some(&secret), false, &[])
        .await?;
    let qr = crypto::qr_svg(&crypto::totp_url(&secret, &login.email));
    Ok(respond(
        &page(
            &st,
            &cu,
            Notice {
                enrol_secret: Some(secret),
                enrol_qr: qr,
                ..Default::default()
            },
        )
        .await?,
    ))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

pub async fn mfa_enable(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<CodeForm>,
) -> AppResult<Response> {
    let login = st.store.login_user_by_id(cu.session.user.id).await?;
    let Some(secret) = login.totp_secret.clone().filter(|_| !login.totp_enabled) else {
        return Ok(see_other("/profile"));
    };
    if !crypto::check_totp(&secret, &f.code) {
        let qr = crypto::qr_svg(&crypto::totp_url(&secret, &login.email));
        let n = Notice {
            enrol_secret: Some(secret),
            enrol_qr: qr,
            ..error("code", "error-mfa-failed")
        };
        return Ok(respond(&page(&st, &cu, n).await?));
    }
    let codes = crypto::recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| crypto::sha256_hex(c)).collect();
    st.store
        .set_totp(&cu.audit(), login.id, Some(&secret), true, &hashes)
        .await?;
    let n = Notice {
        recovery_codes: codes,
        ..done(&cu, "mfa-enabled")
    };
    Ok(respond(&page(&st, &cu, n).await?))
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    password: String,
}

pub async fn mfa_disable(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<ConfirmForm>,
) -> AppResult<Response> {
    let login = st.store.login_user_by_id(cu.session.user.id).await?;
    let ok = match login.password_hash {
        Some(h) => crypto::verify_password(f.password.clone(), h).await,
        None => false,
    };
    let n = if ok {
        st.store
            .set_totp(&cu.audit(), login.id, None, false, &[])
            .await?;
        done(&cu, "mfa-disabled")
    } else {
        error("mfa_password", "error-password-wrong")
    };
    Ok(respond(&page(&st, &cu, n).await?))
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    valid_days: String,
}

pub async fn create_token(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<TokenForm>,
) -> AppResult<Response> {
    let days = match f.valid_days.trim() {
        "" => Ok(None),
        d => d
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ValidationErrors::single("valid_days", "error-number")),
    };
    let result = match days {
        Ok(d) => service::create_token(&st, &cu.audit(), cu.session.user.id, &f.name, d).await,
        Err(e) => Err(e.into()),
    };
    let n = match result {
        Ok((secret, _)) => Notice {
            new_token: Some(secret),
            ..done(&cu, "token-created")
        },
        Err(crate::error::AppError::Invalid(e)) => Notice {
            errors: e.into(),
            ..Default::default()
        },
        Err(e) => return Err(e),
    };
    Ok(respond(&page(&st, &cu, n).await?))
}

pub async fn revoke_token(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    service::revoke_token(&st, &cu.audit(), cu.session.user.id, ApiTokenId(id)).await?;
    Ok(see_other("/profile"))
}

pub async fn logout_everywhere(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let n = st
        .store
        .delete_user_sessions(cu.session.user.id, Some(&cu.session.id_hash))
        .await?;
    let msg = cu
        .ctx
        .lang
        .t_args("sessions-ended", &[("count", n.to_string())]);
    Ok(respond(
        &page(
            &st,
            &cu,
            Notice {
                message: Some(msg),
                ..Default::default()
            },
        )
        .await?,
    ))
}
