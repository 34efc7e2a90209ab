//! One-time password-reset links: the administrator issues one on a user's page and passes
//! it on; the user opens it (without being logged in) and sets a new password.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_app::password_reset;
use verbund_domain::UserId;

use super::{FormErrors, Layout, fmt_ms, render, render_invalid};
use crate::AppState;
use crate::context::{CurrentUser, UiCtx};
use crate::error::AppResult;
use crate::extract::IdPath;

#[derive(Template)]
#[template(path = "reset_link.html")]
struct LinkPage {
    l: Layout,
    user_id: i64,
    link: String,
    issued_text: String,
}

/// Issues a link for user `id` and shows it once (only its hash is stored).
pub async fn issue(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let r = password_reset::issue(&st, &cu.audit(), cu.actor(), UserId(id)).await?;
    Ok(render(&LinkPage {
        l: Layout::user(&cu, "reset-link-title", "users"),
        user_id: id,
        link: format!(
            "{}/reset/{}",
            st.config.base_url.trim_end_matches('/'),
            r.token
        ),
        issued_text: cu
            .ctx
            .lang
            .t_args("reset-link-issued", &[("expires", fmt_ms(r.expires_at_ms))]),
    }))
}

#[derive(Template)]
#[template(path = "reset_form.html")]
struct FormPage {
    l: Layout,
    token: String,
    errors: FormErrors,
    done: bool,
}

fn form_page(ctx: &UiCtx, token: String, errors: FormErrors, done: bool) -> FormPage {
    FormPage {
        l: Layout::public(ctx, "reset-title"),
        token,
        errors,
        done,
    }
}

/// The form behind a link (not found if the link is not valid).
pub async fn form(
    State(st): State<AppState>,
    ctx: UiCtx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    password_reset::check(&st, &token, ctx.ip).await?;
    Ok(render(&form_page(
        &ctx,
        token,
        FormErrors::default(),
        false,
    )))
}

/// The new password as posted.
#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

/// Sets the new password; every session and API token of the account ends.
pub async fn submit(
    State(st): State<AppState>,
    ctx: UiCtx,
    Path(token): Path<String>,
    Form(f): Form<ResetForm>,
) -> AppResult<Response> {
    match password_reset::complete(&st, &token, &f.new, &f.repeat, ctx.ip).await {
        Ok(_) => Ok(render(&form_page(
            &ctx,
            String::new(),
            FormErrors::default(),
            true,
        ))),
        Err(verbund_app::Error::Invalid(e)) => {
            Ok(render_invalid(&form_page(&ctx, token, e.into(), false)))
        }
        Err(e) => Err(e.into()),
    }
}
