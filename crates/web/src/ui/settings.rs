//! Federation settings page (office): letterhead, signer and payment details on statements,
//! named comparison.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::Permission;
use verbund_domain::settings::FederationSettings;

use super::branding::LogoBox;
use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    l: Layout,
    s: FederationSettings,
    can_edit: bool,
    saved: bool,
    errors: FormErrors,
    logo: Option<LogoBox>,
}

fn page(cu: &CurrentUser, s: FederationSettings, saved: bool, errors: FormErrors) -> SettingsPage {
    let can_edit = cu
        .actor()
        .check_office(Permission::ManageFederation)
        .is_ok();
    SettingsPage {
        l: Layout::user(cu, "settings-title", "settings"),
        s,
        can_edit,
        saved,
        errors,
        logo: None,
    }
}

async fn logo_box(st: &AppState, cu: &CurrentUser) -> AppResult<LogoBox> {
    let meta = verbund_app::branding::federation_logo_meta(st, cu.actor()).await?;
    let name = cu
        .session
        .branding
        .federation_name
        .clone()
        .unwrap_or_default();
    Ok(LogoBox::federation(cu, meta.as_ref(), &name))
}

/// The settings page with the logo upload's refusal under its form.
pub async fn page_with_logo_error(
    st: &AppState,
    cu: &CurrentUser,
    message: String,
    status: axum::http::StatusCode,
) -> AppResult<Response> {
    let s = verbund_app::settings::get(st, cu.actor()).await?;
    let mut p = page(cu, s, false, FormErrors::default());
    let mut lb = logo_box(st, cu).await?;
    lb.error = Some(message);
    p.logo = Some(lb);
    let mut r = render(&p);
    *r.status_mut() = status;
    Ok(r)
}

#[derive(Deserialize, Default)]
pub struct SavedParam {
    #[serde(default)]
    pub saved: Option<String>,
    #[serde(default)]
    logo: Option<String>,
}

pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    axum::extract::Query(q): axum::extract::Query<SavedParam>,
) -> AppResult<Response> {
    let s = verbund_app::settings::get(&st, cu.actor()).await?;
    let mut p = page(&cu, s, q.saved.is_some(), FormErrors::default());
    let mut lb = logo_box(&st, &cu).await?;
    lb.saved = q.logo.is_some();
    p.logo = Some(lb);
    Ok(render(&p))
}

/// The settings form; a checkbox is absent from the form when unticked.
#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    letterhead_office_name: String,
    #[serde(default)]
    letterhead_address: String,
    #[serde(default)]
    letterhead_contact: String,
    #[serde(default)]
    named_comparison: Option<String>,
    #[serde(default)]
    anonymity_min_others: String,
    #[serde(default)]
    bank_holder: String,
    #[serde(default)]
    bank_iban: String,
    #[serde(default)]
    bank_bic: String,
    #[serde(default)]
    bank_name: String,
    #[serde(default)]
    payment_reference_pattern: String,
    #[serde(default)]
    payment_days: String,
    #[serde(default)]
    signer_name: String,
    #[serde(default)]
    signer_role: String,
}

pub async fn save(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<SettingsForm>,
) -> AppResult<Response> {
    let s = FederationSettings {
        letterhead_office_name: Some(f.letterhead_office_name),
        letterhead_address: Some(f.letterhead_address),
        letterhead_contact: Some(f.letterhead_contact),
        named_comparison: f.named_comparison.is_some(),
        // Empty: the default; not a number: 0, which validation refuses on the field.
        anonymity_min_others: match f.anonymity_min_others.trim() {
            "" => verbund_domain::settings::DEFAULT_ANONYMITY_MIN_OTHERS,
            t => t.parse().unwrap_or(0),
        },
        bank_holder: Some(f.bank_holder),
        bank_iban: Some(f.bank_iban),
        bank_bic: Some(f.bank_bic),
        bank_name: Some(f.bank_name),
        payment_reference_pattern: Some(f.payment_reference_pattern),
        // Empty: the default; not a number: out of range, which validation refuses.
        payment_days: match f.payment_days.trim() {
            "" => verbund_domain::settings::DEFAULT_PAYMENT_DAYS,
            t => t.parse().unwrap_or(u32::MAX),
        },
        signer_name: Some(f.signer_name),
        signer_role: Some(f.signer_role),
    };
    match verbund_app::settings::save(&st, &cu.audit(), cu.actor(), s.clone()).await {
        Ok(_) => Ok(see_other("/settings?saved=1")),
        Err(verbund_app::Error::Invalid(e)) => {
            let mut p = page(&cu, s, false, e.into());
            p.logo = Some(logo_box(&st, &cu).await?);
            Ok(render_invalid(&p))
        }
        Err(e) => Err(e.into()),
    }
}
