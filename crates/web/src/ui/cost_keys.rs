//! The key form (office): create a key from a preset or edit one (a version already used by
//! an issued statement is saved as a new version), with a live preview of what every member
//! would pay while typing (htmx).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::CostKeyId;
use verbund_domain::costs::StandaloneCosts;
use verbund_domain::validation::ValidationErrors;

use super::costs::{eur, pct, this_year};
use super::users::OrgOption;
use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use verbund_app::costs::{self, KeyDraft, KeyForm};
use verbund_app::statements;

/// The key being edited.
pub struct Editing {
    pub id: i64,
    pub version: i64,
    pub locked: bool,
}

#[derive(Template)]
#[template(path = "cost_key_form.html")]
struct KeyPage {
    l: Layout,
    form: KeyForm,
    errors: FormErrors,
    orgs: Vec<OrgOption>,
    editing: Option<Editing>,
    years: Vec<i32>,
    preview_year: i32,
}

async fn key_page(
    st: &AppState,
    cu: &CurrentUser,
    form: KeyForm,
    errors: FormErrors,
    editing: Option<Editing>,
) -> AppResult<KeyPage> {
    let orgs = costs::key_members(st, cu.actor())
        .await?
        .into_iter()
        .map(|o| OrgOption {
            id: o.id,
            name: o.name,
        })
        .collect();
    let years = costs::budget_years(st, cu.actor()).await?;
    // The preview opens on this year's budget, else the newest there is.
    let preview_year = if years.contains(&this_year()) {
        this_year()
    } else {
        years.last().copied().unwrap_or_else(this_year)
    };
    let title = if editing.is_some() {
        "cost-key-edit"
    } else {
        "cost-key-new"
    };
    Ok(KeyPage {
        l: Layout::user(cu, title, "costs"),
        form,
        errors,
        orgs,
        editing,
        years,
        preview_year,
    })
}

pub async fn new_key(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let form = KeyForm {
        preset: "host".into(),
        host_percent: "30".into(),
        base_percent: "50".into(),
        metric: "population".into(),
        ..Default::default()
    };
    Ok(render(
        &key_page(&st, &cu, form, FormErrors::default(), None).await?,
    ))
}

/// The form's key as the application takes it; `keep` carries the per-member standalone
/// figures a key may hold from the API, which the form does not show.
fn draft(f: &KeyForm, keep: Option<&StandaloneCosts>) -> Result<KeyDraft, ValidationErrors> {
    let mut d: KeyDraft = f.to_key()?.into();
    if let Some(k) = keep.filter(|k| !k.per_member.is_empty()) {
        let mut s = d.standalone.unwrap_or_default();
        s.per_member.clone_from(&k.per_member);
        d.standalone = Some(s);
    }
    Ok(d)
}

async fn save(
    st: &AppState,
    cu: &CurrentUser,
    id: Option<CostKeyId>,
    f: KeyForm,
) -> AppResult<Response> {
    let before = match id {
        Some(id) => Some(costs::key(st, cu.actor(), id).await?),
        None => None,
    };
    let r = match draft(&f, before.as_ref().map(|k| &k.standalone)) {
        Ok(d) => costs::save_key(st, &cu.audit(), cu.actor(), id, &d).await,
        Err(e) => Err(e.into()),
    };
    let errors: FormErrors = match r {
        Ok(k) => {
            return Ok(see_other(&format!(
                "/costs/preview?year={}&key={}",
                this_year(),
                k.id
            )));
        }
        Err(verbund_app::Error::Invalid(e)) => e.into(),
        Err(verbund_app::Error::BadInput { code, .. }) => {
            ValidationErrors::single("preset", code).into()
        }
        Err(e) => return Err(e.into()),
    };
    let editing = before.map(|k| Editing {
        id: k.id.0,
        version: k.version,
        locked: k.locked,
    });
    Ok(render_invalid(&key_page(st, cu, f, errors, editing).await?))
}

pub async fn create_key(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<KeyForm>,
) -> AppResult<Response> {
    save(&st, &cu, None, f).await
}

/// The form showing a stored key version.
pub async fn edit_key(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    // Editing is the office's federation management; reading a key is not enough.
    costs::key_members(&st, cu.actor()).await?;
    let k = costs::key(&st, cu.actor(), CostKeyId(id)).await?;
    let form = KeyForm::from_key(&k.key.name, &k.key.root, Some(&k.standalone));
    let editing = Editing {
        id,
        version: k.version,
        locked: k.locked,
    };
    Ok(render(
        &key_page(&st, &cu, form, FormErrors::default(), Some(editing)).await?,
    ))
}

/// Saves the edited key: in place, or as a new version if the version is used.
pub async fn update_key(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<KeyForm>,
) -> AppResult<Response> {
    save(&st, &cu, Some(CostKeyId(id)), f).await
}

/// The key form plus the year to preview.
#[derive(Deserialize)]
pub struct PreviewForm {
    #[serde(flatten)]
    key: KeyForm,
    #[serde(default)]
    preview_year: String,
}

/// One member in the live preview.
pub struct PreviewRow {
    pub name: String,
    pub share: String,
    pub payable: String,
}

#[derive(Template)]
#[template(path = "cost_key_preview.html")]
struct PreviewPart {
    l: Layout,
    year: i32,
    rows: Vec<PreviewRow>,
    total: String,
    /// Translation keys of what keeps the key from being computed.
    problems: Vec<String>,
}

/// The live preview (an htmx fragment): what every member would pay with the key as typed.
pub async fn preview(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<PreviewForm>,
) -> AppResult<Response> {
    let year = f
        .preview_year
        .trim()
        .parse()
        .unwrap_or_else(|_| this_year());
    let mut key = f.key;
    if key.name.trim().is_empty() {
        // The name does not change any amount; do not hold the preview back for it.
        key.name = "–".into();
    }
    let l = Layout::user(&cu, "cost-key-preview", "costs");
    let mut part = PreviewPart {
        l,
        year,
        rows: vec![],
        total: String::new(),
        problems: vec![],
    };
    let d = match draft(&key, None) {
        Ok(d) => d,
        Err(e) => {
            part.problems = e.0.into_iter().map(|x| x.code).collect();
            return Ok(render(&part));
        }
    };
    match statements::preview_draft(&st, cu.actor(), year, &d).await {
        Ok(p) => {
            let s = &p.document.statement;
            part.rows = s
                .allocation
                .members
                .iter()
                .map(|m| PreviewRow {
                    name: m.name.clone(),
                    share: pct(&m.share.percent),
                    payable: s
                        .bill(m.member)
                        .map(|b| eur(b.payable.0))
                        .unwrap_or_default(),
                })
                .collect();
            part.total = eur(s.bills.iter().map(|b| b.payable.0).sum::<i64>());
        }
        Err(verbund_app::Error::Invalid(e)) => {
            part.problems = e.0.into_iter().map(|x| x.code).collect();
        }
        Err(verbund_app::Error::BadInput { code, .. }) => part.problems = vec![code.to_owned()],
        Err(e) => return Err(e.into()),
    }
    Ok(render(&part))
}
