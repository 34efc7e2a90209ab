//! Login with password and (if enabled) a second factor, logout.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use verbund_app::auth::{self, LoginOutcome, MfaOutcome, STAGE_MFA};
use verbund_store::now_ms;

use super::{Layout, render, see_other};
use crate::AppState;
use crate::context::{UiCtx, append_cookie, clear_session_cookie, session_cookie};
use crate::error::AppError;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    email: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only local paths are accepted as redirect targets (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

pub async fn login_page(ctx: UiCtx, Query(q): Query<NextQuery>) -> Response {
    if ctx.user().is_some() {
        return see_other("/");
    }
    render(&LoginPage {
        l: Layout::public(&ctx, "login-title"),
        email: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

fn login_error(ctx: &UiCtx, f: &LoginForm, status: StatusCode, message: String) -> Response {
    let page = LoginPage {
        l: Layout::public(ctx, "login-title"),
        email: f.email.clone(),
        next: safe_next(f.next.as_deref()),
        error: Some(message),
    };
    let mut r = render(&page);
    *r.status_mut() = status;
    r
}

/// Minutes (rounded up) until `until_ms`, and the seconds for `Retry-After`.
fn wait(until_ms: i64) -> (i64, i64) {
    let ms = (until_ms - now_ms()).max(1_000);
    ((ms + 59_999) / 60_000, (ms + 999) / 1_000)
}

/// HTTP 429 with `Retry-After`: this address is refused (for this account, or for every
/// account) — the same page whether the account exists or not.
fn throttled(ctx: &UiCtx, f: &LoginForm, until_ms: i64) -> Response {
    let (minutes, secs) = wait(until_ms);
    let msg = ctx.lang.t_args(
        "error-too-many-failures",
        &[("minutes", minutes.to_string())],
    );
    let mut r = login_error(ctx, f, StatusCode::TOO_MANY_REQUESTS, msg);
    if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

pub async fn login(
    State(st): State<AppState>,
    ctx: UiCtx,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    match auth::login(&st.app, &f.email, &f.password, ctx.ip).await? {
        LoginOutcome::Failed => Ok(login_error(
            &ctx,
            &f,
            StatusCode::UNAUTHORIZED,
            ctx.lang.t("error-login-failed"),
        )),
        LoginOutcome::Throttled { until_ms } => Ok(throttled(&ctx, &f, until_ms)),
        LoginOutcome::SignedIn {
            token, mfa_pending, ..
        } => {
            let next = safe_next(f.next.as_deref());
            let target = if mfa_pending {
                format!(
                    "/login/mfa?next={}",
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                )
            } else {
                next
            };
            let mut r = see_other(&target);
            append_cookie(&mut r, session_cookie(&st, token));
            Ok(r)
        }
    }
}

#[derive(Template)]
#[template(path = "mfa.html")]
struct MfaPage {
    l: Layout,
    next: String,
    error: Option<String>,
}

pub async fn mfa_page(ctx: UiCtx, Query(q): Query<NextQuery>) -> Response {
    match &ctx.session {
        Some(s) if s.stage == STAGE_MFA => render(&MfaPage {
            l: Layout::public(&ctx, "mfa-title"),
            next: safe_next(q.next.as_deref()),
            error: None,
        }),
        Some(_) => see_other("/"),
        None => see_other("/login"),
    }
}

#[derive(Deserialize)]
pub struct MfaForm {
    code: String,
    #[serde(default)]
    next: Option<String>,
}

pub async fn mfa(
    State(st): State<AppState>,
    ctx: UiCtx,
    Form(f): Form<MfaForm>,
) -> Result<Response, AppError> {
    let Some(s) = ctx.session.clone().filter(|s| s.stage == STAGE_MFA) else {
        return Ok(see_other("/login"));
    };
    let next = safe_next(f.next.as_deref());
    let retry = |key: &str, status: StatusCode| {
        let mut r = render(&MfaPage {
            l: Layout::public(&ctx, "mfa-title"),
            next: next.clone(),
            error: Some(ctx.lang.t(key)),
        });
        *r.status_mut() = status;
        r
    };
    Ok(
        match auth::second_factor(&st.app, &s, &f.code, ctx.ip).await? {
            MfaOutcome::Done => see_other(&next),
            MfaOutcome::Failed => retry("error-mfa-failed", StatusCode::UNAUTHORIZED),
            // The session has ended: back to the login form, which tells how long to wait.
            MfaOutcome::Throttled { until_ms } => {
                let f = LoginForm {
                    email: s.user.email.clone(),
                    password: String::new(),
                    next: Some(next.clone()),
                };
                throttled(&ctx, &f, until_ms)
            }
        },
    )
}

pub async fn logout(State(st): State<AppState>, ctx: UiCtx) -> Result<Response, AppError> {
    if let Some(s) = &ctx.session {
        auth::logout(&st.app, s).await?;
    }
    let mut r = see_other("/login");
    append_cookie(&mut r, clear_session_cookie(&st));
    Ok(r)
}
#[cfg(test)]
mod tests {
    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(super::safe_next(Some("/orgs?page=2")), "/orgs?page=2");
        assert_eq!(super::safe_next(Some("//evil.example")), "/");
        assert_eq!(super::safe_next(Some("https://evil.example")), "/");
        assert_eq!(super::safe_next(Some("/\\evil.example")), "/");
        assert_eq!(super::safe_next(None), "/");
    }
}
