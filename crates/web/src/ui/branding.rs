//! Logos in the UI: the federation's in the header and on the settings page, a member's coat
//! of arms on its edit page. Images are served under versioned URLs (`?v=` the start of the
//! file's hash), so a browser may keep each version for good and a new upload shows at once.

use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use verbund_app::branding;
use verbund_domain::OrgId;
use verbund_domain::authz::Permission;
use verbund_store::LogoMeta;

use super::see_other;
use crate::AppState;
use crate::api::branding::LogoImage;
use crate::context::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::extract::IdPath;

/// The logo section of the settings page or a member's edit page.
#[derive(Debug, Clone)]
pub struct LogoBox {
    /// Heading (translation key).
    pub heading: &'static str,
    /// The current image's URL, if there is one.
    pub url: Option<String>,
    /// Its text alternative: the federation's or member's name.
    pub alt: String,
    /// Where the upload form posts.
    pub action: String,
    /// Where the remove button posts.
    pub delete_action: String,
    /// The user may upload and remove (the office); others see the image only.
    pub can_edit: bool,
    /// Why the last upload was refused (translated).
    pub error: Option<String>,
    /// The last upload succeeded.
    pub saved: bool,
}

fn url(path: &str, meta: Option<&LogoMeta>) -> Option<String> {
    meta.map(|m| format!("{path}?v={}", branding::version(m)))
}

impl LogoBox {
    /// The federation's logo on the settings page.
    pub fn federation(cu: &CurrentUser, meta: Option<&LogoMeta>, name: &str) -> Self {
        Self {
            heading: "logo-federation-heading",
            url: url("/branding/logo", meta),
            alt: name.to_owned(),
            action: "/settings/logo".into(),
            delete_action: "/settings/logo/delete".into(),
            can_edit: cu
                .actor()
                .check_office(Permission::ManageFederation)
                .is_ok(),
            error: None,
            saved: false,
        }
    }

    /// A member's coat of arms on its edit page.
    pub fn member(cu: &CurrentUser, org: OrgId, meta: Option<&LogoMeta>, name: &str) -> Self {
        let base = format!("/orgs/{org}/logo");
        Self {
            heading: "logo-member-heading",
            url: url(&base, meta),
            alt: cu
                .ctx
                .lang
                .t_args("logo-member-alt", &[("name", name.to_owned())]),
            delete_action: format!("{base}/delete"),
            action: base,
            can_edit: cu.actor().check(Permission::ManageFederation, org).is_ok(),
            error: None,
            saved: false,
        }
    }
}

/// `?v=…`: the version the page linked to.
#[derive(Debug, Deserialize, Default)]
pub struct VersionQuery {
    #[serde(default)]
    v: Option<String>,
}

/// A versioned URL is cached for a year; anything else is revalidated.
fn cache_for(q: &VersionQuery, meta: &LogoMeta) -> &'static str {
    if q.v.as_deref() == Some(branding::version(meta)) {
        "private, max-age=31536000, immutable"
    } else {
        "private, no-cache"
    }
}

pub async fn federation_logo(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<VersionQuery>,
) -> AppResult<Response> {
    let f = branding::federation_logo(&st, cu.actor()).await?;
    let cache = cache_for(&q, &f.meta);
    Ok(LogoImage(f, cache).into_response())
}

pub async fn member_logo(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<VersionQuery>,
) -> AppResult<Response> {
    let f = branding::member_logo(&st, cu.actor(), OrgId(id)).await?;
    let cache = cache_for(&q, &f.meta);
    Ok(LogoImage(f, cache).into_response())
}

/// The `file` field of an upload form.
async fn uploaded_file(st: &AppState, req: Request) -> AppResult<Vec<u8>> {
    let m = Multipart::from_request(req, st)
        .await
        .map_err(|e| crate::extract::upload_error(e.status()))?;
    Ok(crate::extract::first_file(m).await?.1)
}

/// A refused file as the message under the upload form and its status (413 for too large,
/// 422 otherwise); other errors go to the error page.
fn refusal(cu: &CurrentUser, e: verbund_app::Error) -> AppResult<(String, StatusCode)> {
    match e {
        verbund_app::Error::Invalid(v) => {
            let code = v.0.first().map_or("error-validation", |f| f.code.as_str());
            Ok((cu.ctx.lang.t(code), StatusCode::UNPROCESSABLE_ENTITY))
        }
        verbund_app::Error::TooLarge { code, .. } => {
            Ok((cu.ctx.lang.t(code), StatusCode::PAYLOAD_TOO_LARGE))
        }
        other => Err(AppError::from(other)),
    }
}

pub async fn upload_federation_logo(
    State(st): State<AppState>,
    cu: CurrentUser,
    req: Request,
) -> AppResult<Response> {
    // Before reading the body: a member learns nothing from how its upload is refused.
    cu.actor().check_office(Permission::ManageFederation)?;
    let bytes = uploaded_file(&st, req).await?;
    match branding::set_federation_logo(&st, &cu.audit(), cu.actor(), bytes).await {
        Ok(_) => Ok(see_other("/settings?logo=1")),
        Err(e) => {
            let (message, status) = refusal(&cu, e)?;
            super::settings::page_with_logo_error(&st, &cu, message, status).await
        }
    }
}

pub async fn delete_federation_logo(
    State(st): State<AppState>,
    cu: CurrentUser,
) -> AppResult<Response> {
    branding::remove_federation_logo(&st, &cu.audit(), cu.actor()).await?;
    Ok(see_other("/settings?logo=1"))
}

pub async fn upload_member_logo(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    req: Request,
) -> AppResult<Response> {
    let org = OrgId(id);
    cu.actor().check(Permission::ManageFederation, org)?;
    let bytes = uploaded_file(&st, req).await?;
    match branding::set_member_logo(&st, &cu.audit(), cu.actor(), org, bytes).await {
        Ok(_) => Ok(see_other(&format!("/orgs/{id}/edit?logo=1"))),
        Err(e) => {
            let (message, status) = refusal(&cu, e)?;
            super::orgs::edit_page(&st, &cu, org, Some(message), status).await
        }
    }
}

pub async fn delete_member_logo(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    branding::remove_member_logo(&st, &cu.audit(), cu.actor(), OrgId(id)).await?;
    Ok(see_other(&format!("/orgs/{id}/edit?logo=1")))
}
