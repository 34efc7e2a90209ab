//! The user's own profile: language, password, two-factor login, API tokens, sessions.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use verbund_app::account::{self, Enrolment, MfaConfirmation, PasswordChange, SignedOut};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{ApiTokenId, InvitationId};
use verbund_store::ApiToken;

use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use crate::i18n::Lang;
use verbund_app::{invitations, tokens};

use super::qr::qr_svg;

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
    /// A calendar feed URL just created (shown once).
    pub new_feed_url: Option<String>,
}

/// A pending invitation as the invited person sees it.
pub struct InvitationRow {
    pub id: InvitationId,
    pub org_name: String,
    pub role: &'static str,
    pub invited_by: String,
    pub sent: String,
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
    invitations: Vec<InvitationRow>,
    /// "active since …" when the user has a calendar feed.
    calendar_since: Option<String>,
    n: Notice,
}

async fn page(st: &AppState, cu: &CurrentUser, n: Notice) -> AppResult<ProfilePage> {
    let p = account::profile(st, cu.session.user.id).await?;
    let mut l = Layout::user(cu, "profile-title", "profile");
    l.lang = Lang::parse(&p.user.locale).unwrap_or_default();
    l.title = l.lang.t("profile-title");
    let codes_left_text = l.lang.t_args(
        "mfa-codes-left",
        &[("count", p.recovery_codes_left.to_string())],
    );
    let invitations = invitations::mine(st, cu.session.user.id)
        .await?
        .into_iter()
        .map(|i| InvitationRow {
            id: i.id,
            org_name: i.org_name,
            role: i.role.code(),
            invited_by: i.invited_by,
            sent: fmt_ms(i.created_at_ms),
        })
        .collect();
    let calendar_since = verbund_app::calendar::status(st, cu.session.user.id)
        .await?
        .map(|f| {
            l.lang.t_args(
                "feed-since",
                &[
                    ("created", fmt_ms(f.created_at_ms)),
                    ("used", f.last_used_ms.map_or_else(|| "–".into(), fmt_ms)),
                ],
            )
        });
    Ok(ProfilePage {
        l,
        calendar_since,
        email: p.user.email.clone(),
        locale: p.user.locale.clone(),
        mfa_enabled: p.user.mfa_enabled,
        codes_left_text,
        tokens: p.tokens.into_iter().map(TokenRow::from).collect(),
        invitations,
        n,
    })
}

/// The notice for an operation's outcome: its success message, or its field errors.
fn outcome(cu: &CurrentUser, r: verbund_app::Result<()>, ok_key: &str) -> AppResult<Notice> {
    match r {
        Ok(()) => Ok(done(cu, ok_key)),
        Err(verbund_app::Error::Invalid(e)) => Ok(Notice {
            errors: e.into(),
            ..Default::default()
        }),
        Err(e) => Err(e.into()),
    }
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
    /// The checkbox: present (ticked, as it is by default) or absent.
    #[serde(default)]
    revoke_tokens: Option<String>,
}

/// What signing out elsewhere ended, as a sentence.
fn signed_out_text(cu: &CurrentUser, first_key: &str, done: SignedOut) -> String {
    let lang = cu.ctx.lang;
    let mut text = lang.t_args(first_key, &[("count", done.sessions.to_string())]);
    if done.tokens > 0 {
        text.push(' ');
        text.push_str(&lang.t_args("tokens-revoked", &[("count", done.tokens.to_string())]));
    }
    text
}

pub async fn change_password(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    let change = PasswordChange {
        current: f.current,
        new: f.new,
        repeat: f.repeat,
        revoke_tokens: f.revoke_tokens.is_some(),
    };
    let keep = Some(cu.session.id_hash.as_str());
    let n =
        match account::change_password(&st, &cu.audit(), cu.session.user.id, keep, &change).await {
            Ok(done) => Notice {
                message: Some(signed_out_text(&cu, "password-changed", done)),
                ..Default::default()
            },
            Err(verbund_app::Error::Invalid(e)) => Notice {
                errors: e.into(),
                ..Default::default()
            },
            Err(e) => return Err(e.into()),
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
    account::set_language(&st, &cu.audit(), cu.actor(), &f.locale).await?;
    Ok(see_other("/profile"))
}

fn enrolment_notice(e: Enrolment) -> Notice {
    Notice {
        enrol_qr: qr_svg(&e.url),
        enrol_secret: Some(e.secret),
        ..Default::default()
    }
}

pub async fn mfa_start(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    match account::start_mfa(&st, &cu.audit(), cu.session.user.id).await? {
        None => Ok(see_other("/profile")),
        Some(e) => Ok(respond(&page(&st, &cu, enrolment_notice(e)).await?)),
    }
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
    let n = match account::confirm_mfa(&st, &cu.audit(), cu.session.user.id, &f.code).await? {
        MfaConfirmation::NotEnrolling => return Ok(see_other("/profile")),
        MfaConfirmation::WrongCode(e) => Notice {
            errors: ValidationErrors::single("code", "error-mfa-failed").into(),
            ..enrolment_notice(e)
        },
        MfaConfirmation::Enabled { recovery_codes } => Notice {
            recovery_codes,
            ..done(&cu, "mfa-enabled")
        },
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
    let r = account::disable_mfa(&st, &cu.audit(), cu.session.user.id, &f.password).await;
    let n = outcome(&cu, r, "mfa-disabled")?;
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
        Ok(d) => tokens::create_token(&st, &cu.audit(), cu.session.user.id, &f.name, d).await,
        Err(e) => Err(e.into()),
    };
    let n = match result {
        Ok((secret, _)) => Notice {
            new_token: Some(secret),
            ..done(&cu, "token-created")
        },
        Err(verbund_app::Error::Invalid(e)) => Notice {
            errors: e.into(),
            ..Default::default()
        },
        Err(e) => return Err(e.into()),
    };
    Ok(respond(&page(&st, &cu, n).await?))
}

pub async fn revoke_token(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    tokens::revoke_token(&st, &cu.audit(), cu.session.user.id, ApiTokenId(id)).await?;
    Ok(see_other("/profile"))
}

#[derive(Deserialize)]
pub struct SignOutForm {
    /// The checkbox: present (ticked, as it is by default) or absent.
    #[serde(default)]
    revoke_tokens: Option<String>,
}

pub async fn logout_everywhere(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<SignOutForm>,
) -> AppResult<Response> {
    let keep = Some(cu.session.id_hash.as_str());
    let done = account::end_other_sessions(
        &st,
        &cu.audit(),
        cu.session.user.id,
        keep,
        f.revoke_tokens.is_some(),
    )
    .await?;
    let n = Notice {
        message: Some(signed_out_text(&cu, "sessions-ended", done)),
        ..Default::default()
    };
    Ok(respond(&page(&st, &cu, n).await?))
}

pub async fn accept_invitation(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    invitations::accept(&st, &cu.audit(), cu.session.user.id, InvitationId(id)).await?;
    Ok(see_other("/"))
}

pub async fn decline_invitation(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    invitations::decline(&st, &cu.audit(), cu.session.user.id, InvitationId(id)).await?;
    Ok(see_other("/profile#invitations"))
}

/// Creates the user's calendar feed or gives it a new URL, shown once on the page.
pub async fn create_calendar(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let token = verbund_app::calendar::create(&st, &cu.audit(), cu.session.user.id).await?;
    let n = Notice {
        new_feed_url: Some(format!(
            "{}/calendar/{token}",
            st.config.base_url.trim_end_matches('/')
        )),
        ..done(&cu, "feed-created")
    };
    Ok(respond(&page(&st, &cu, n).await?))
}

/// Revokes the user's calendar feed (nothing to do without one).
pub async fn revoke_calendar(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    match verbund_app::calendar::revoke(&st, &cu.audit(), cu.session.user.id).await {
        Ok(()) | Err(verbund_app::Error::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(respond(&page(&st, &cu, done(&cu, "feed-revoked")).await?))
}
