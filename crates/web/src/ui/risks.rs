//! Risk analysis pages: the register (filters, pages, lapsed acceptances marked), an object's
//! risks with the form that adds them (suggested threats preselected), one risk with its
//! rating, acceptance and measures, the federation view and the office's risk matrix.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_app::risks::{
    self as svc, AcceptDraft, FederationRisks, NewRisks, ObjectRisks, RegisterQuery,
};
use verbund_domain::authz::Permission;
use verbund_domain::org::{OrgKind, Organisation};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::risk::model::Risk;
use verbund_domain::risk::{
    AcceptanceState, Frequency, Impact, RawRisk, RiskCategory, RiskMatrix, Treatment,
};
use verbund_domain::structure::model::TargetObject;
use verbund_domain::{RiskId, StructureObjectId, UserId};

use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;

/// Translation key of a category, or "–".
pub fn cat_key(c: impl std::borrow::Borrow<Option<RiskCategory>>) -> String {
    c.borrow()
        .map_or_else(|| "risk-none".to_owned(), RiskCategory::label_key)
}

/// Translation key of a treatment, or "undecided".
pub fn treatment_key(t: impl std::borrow::Borrow<Option<Treatment>>) -> String {
    t.borrow()
        .map_or_else(|| "risk-treatment-none".to_owned(), Treatment::label_key)
}

/// Whether the acceptance has lapsed (templates compare no enums).
pub fn lapsed(r: &Risk) -> bool {
    r.acceptance == AcceptanceState::Lapsed
}

/// `?org=&object=&category=&treatment=&page=`.
#[derive(Deserialize, Default)]
pub struct RegisterParams {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    object: Option<i64>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    treatment: Option<String>,
    #[serde(default)]
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "risks_register.html")]
struct RegisterPage {
    l: Layout,
    orgs: Vec<Organisation>,
    org: Option<i64>,
    category: String,
    treatment: String,
    page: Page<Risk>,
    pager_extra: String,
    is_office: bool,
    errors: FormErrors,
}

impl RegisterPage {
    fn is_org(&self, id: &verbund_domain::OrgId) -> bool {
        self.org == Some(id.0)
    }

    fn is_category(&self, code: &str) -> bool {
        self.category == code
    }

    fn is_treatment(&self, code: &str) -> bool {
        self.treatment == code
    }

    fn categories(&self) -> &'static [RiskCategory] {
        RiskCategory::ALL
    }

    fn treatments(&self) -> &'static [Treatment] {
        Treatment::ALL
    }
}

/// The register of the risks the user sees.
pub async fn register(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<RegisterParams>,
) -> AppResult<Response> {
    let org = p.org.as_deref().and_then(|o| o.trim().parse::<i64>().ok());
    let q = RegisterQuery {
        org,
        object: p.object,
        category: p.category.clone(),
        treatment: p.treatment.clone(),
    };
    let orgs: Vec<Organisation> =
        verbund_app::orgs::choices(&st, cu.actor(), Permission::ReadStructure)
            .await?
            .into_iter()
            .filter(|o| o.kind != OrgKind::Office)
            .collect();
    let is_office = cu.actor().check_office(Permission::ReadStructure).is_ok();
    let page_req = PageRequest::new(p.page, None);
    let (page, errors) = match svc::register(&st, cu.actor(), &q, page_req).await {
        Ok(page) => (page, FormErrors::default()),
        Err(verbund_app::Error::Invalid(e)) => (
            Page {
                items: Vec::new(),
                page: 1,
                per_page: page_req.per_page,
                total: 0,
            },
            e.into(),
        ),
        Err(e) => return Err(e.into()),
    };
    let mut extra = String::new();
    for (k, v) in [
        ("org", org.map(|o| o.to_string())),
        ("category", p.category.clone()),
        ("treatment", p.treatment.clone()),
    ] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            extra.push_str(&format!(
                "&{k}={}",
                form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            ));
        }
    }
    if let Some(o) = p.object {
        extra.push_str(&format!("&object={o}"));
    }
    let failed = !errors.0.is_empty();
    let pg = RegisterPage {
        l: Layout::user(&cu, "risk-register-title", "risks"),
        orgs,
        org,
        category: p.category.unwrap_or_default(),
        treatment: p.treatment.unwrap_or_default(),
        page,
        pager_extra: extra,
        is_office,
        errors,
    };
    Ok(if failed {
        render_invalid(&pg)
    } else {
        render(&pg)
    })
}

#[derive(Template)]
#[template(path = "risks_object.html")]
struct ObjectPage {
    l: Layout,
    o: TargetObject,
    r: ObjectRisks,
    can_edit: bool,
    errors: FormErrors,
    form: NewRisks,
    c: Codes,
}

impl ObjectPage {
    fn checked(&self, id: &verbund_domain::ThreatId, suggested: bool) -> bool {
        if self.errors.0.is_empty() && self.form.threats.is_empty() {
            suggested
        } else {
            self.form.threats.contains(&id.0)
        }
    }

    fn is(&self, field: &str, code: &str) -> bool {
        form_is(
            match field {
                "frequency" => &self.form.frequency,
                "impact" => &self.form.impact,
                "frequency_after" => &self.form.frequency_after,
                "impact_after" => &self.form.impact_after,
                _ => &self.form.treatment,
            },
            code,
        )
    }
}

fn form_is(v: &Option<String>, code: &str) -> bool {
    v.as_deref().map(str::trim) == Some(code)
}

/// The codes the forms offer.
pub struct Codes {
    /// Every frequency.
    pub frequencies: &'static [Frequency],
    /// Every impact.
    pub impacts: &'static [Impact],
    /// Every treatment.
    pub treatments: &'static [Treatment],
}

const CODES: Codes = Codes {
    frequencies: Frequency::ALL,
    impacts: Impact::ALL,
    treatments: Treatment::ALL,
};

async fn object_page(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    form: NewRisks,
    errors: FormErrors,
) -> AppResult<ObjectPage> {
    let (o, r) = svc::object_risks(st, cu.actor(), StructureObjectId(id)).await?;
    let can_edit = r.high_need
        && cu
            .actor()
            .check(Permission::EditStructure, o.org_id)
            .is_ok();
    Ok(ObjectPage {
        l: Layout::user(cu, "risk-object-title", "risks"),
        o,
        r,
        can_edit,
        errors,
        form,
        c: CODES,
    })
}

/// An object's risks and the form that adds some.
pub async fn object(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    Ok(render(
        &object_page(&st, &cu, id, NewRisks::default(), FormErrors::default()).await?,
    ))
}

fn field(fields: &[(String, String)], name: &str) -> Option<String> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// Adds risks for the selected threats.
pub async fn create(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let form = NewRisks {
        threats: fields
            .iter()
            .filter(|(k, _)| k == "threat")
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect(),
        frequency: field(&fields, "frequency"),
        impact: field(&fields, "impact"),
        frequency_after: field(&fields, "frequency_after"),
        impact_after: field(&fields, "impact_after"),
        treatment: field(&fields, "treatment"),
        justification: field(&fields, "justification"),
    };
    match svc::create(&st, &cu.audit(), cu.actor(), StructureObjectId(id), &form).await {
        Ok(_) => Ok(see_other(&format!("/structure/objects/{id}/risks"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &object_page(&st, &cu, id, form, e.into()).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "risk_detail.html")]
struct DetailPage {
    l: Layout,
    r: Risk,
    can_edit: bool,
    approvers: Vec<(UserId, String)>,
    form: RawRisk,
    accept: AcceptDraft,
    measure: String,
    /// The member's measures not linked yet, to pick from (plan order, at most a page of
    /// 200; with more the number can still be typed).
    candidates: Vec<(i64, String)>,
    /// More measures than `candidates` holds.
    more_candidates: bool,
    errors: FormErrors,
    c: Codes,
}

impl DetailPage {
    fn is(&self, field: &str, code: &str) -> bool {
        form_is(
            match field {
                "frequency" => &self.form.frequency,
                "impact" => &self.form.impact,
                "frequency_after" => &self.form.frequency_after,
                "impact_after" => &self.form.impact_after,
                _ => &self.form.treatment,
            },
            code,
        )
    }

    fn is_approver(&self, id: &UserId) -> bool {
        self.accept.approver == Some(id.0)
    }
}

fn raw_of(r: &Risk) -> RawRisk {
    RawRisk {
        frequency: Some(r.frequency.code().into()),
        impact: Some(r.impact.code().into()),
        frequency_after: r.frequency_after.map(|f| f.code().into()),
        impact_after: r.impact_after.map(|i| i.code().into()),
        treatment: r.treatment.map(|t| t.code().into()),
        justification: r.justification.clone(),
        revision: Some(r.revision),
    }
}

async fn detail_page(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    form: Option<RawRisk>,
    accept: AcceptDraft,
    failed: (&'static str, FormErrors, String),
) -> AppResult<DetailPage> {
    let r = svc::get(st, cu.actor(), RiskId(id)).await?;
    let can_edit = cu
        .actor()
        .check(Permission::EditStructure, r.org_id)
        .is_ok();
    let approvers = if can_edit {
        svc::approvers(st, cu.actor(), r.org_id).await?
    } else {
        Vec::new()
    };
    let (candidates, more_candidates) = if can_edit {
        let filter = verbund_domain::measure::model::MeasureFilter {
            org: Some(r.org_id),
            ..Default::default()
        };
        let page = verbund_app::measures::list(
            st,
            cu.actor(),
            &filter,
            verbund_domain::page::PageRequest::new(
                Some(1),
                Some(verbund_domain::page::MAX_PER_PAGE),
            ),
        )
        .await?;
        let more = page.total > page.items.len() as i64;
        let linked: Vec<i64> = r.measures.iter().map(|m| m.id.0).collect();
        let list = page
            .items
            .into_iter()
            .filter(|m| !linked.contains(&m.id.0))
            .map(|m| (m.id.0, m.title))
            .collect();
        (list, more)
    } else {
        (Vec::new(), false)
    };
    Ok(DetailPage {
        candidates,
        more_candidates,
        l: Layout::user(cu, "risk-detail-title", "risks"),
        form: form.unwrap_or_else(|| raw_of(&r)),
        r,
        can_edit,
        approvers,
        accept,
        measure: failed.2,
        errors: failed.1,
        c: CODES,
    })
}

/// One risk.
pub async fn detail(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let none = ("", FormErrors::default(), String::new());
    Ok(render(
        &detail_page(&st, &cu, id, None, AcceptDraft::default(), none).await?,
    ))
}

/// The rating form.
#[derive(Deserialize, Default)]
pub struct RatingForm {
    #[serde(default)]
    frequency: Option<String>,
    #[serde(default)]
    impact: Option<String>,
    #[serde(default)]
    frequency_after: Option<String>,
    #[serde(default)]
    impact_after: Option<String>,
    #[serde(default)]
    treatment: Option<String>,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    revision: Option<String>,
}

/// Saves rating and treatment.
pub async fn update(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<RatingForm>,
) -> AppResult<Response> {
    let raw = RawRisk {
        frequency: f.frequency,
        impact: f.impact,
        frequency_after: f.frequency_after,
        impact_after: f.impact_after,
        treatment: f.treatment,
        justification: f.justification,
        revision: f.revision.and_then(|r| r.trim().parse().ok()),
    };
    match svc::update(&st, &cu.audit(), cu.actor(), RiskId(id), raw.revision, &raw).await {
        Ok(_) => Ok(see_other(&format!("/risks/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => {
            let failed = ("rating", e.into(), String::new());
            Ok(render_invalid(
                &detail_page(&st, &cu, id, Some(raw), AcceptDraft::default(), failed).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// The acceptance form.
#[derive(Deserialize, Default)]
pub struct AcceptForm {
    #[serde(default)]
    approver: Option<String>,
    #[serde(default)]
    expires_on: Option<String>,
    #[serde(default)]
    justification: Option<String>,
}

/// Records an acceptance.
pub async fn accept(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<AcceptForm>,
) -> AppResult<Response> {
    let d = AcceptDraft {
        approver: f.approver.and_then(|a| a.trim().parse().ok()),
        expires_on: f.expires_on,
        justification: f.justification.filter(|j| !j.trim().is_empty()),
        revision: None,
    };
    match svc::accept(&st, &cu.audit(), cu.actor(), RiskId(id), &d).await {
        Ok(_) => Ok(see_other(&format!("/risks/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => {
            let failed = ("accept", e.into(), String::new());
            Ok(render_invalid(
                &detail_page(&st, &cu, id, None, d, failed).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes a risk and returns to its object.
pub async fn delete(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let r = svc::delete(&st, &cu.audit(), cu.actor(), RiskId(id)).await?;
    Ok(see_other(&format!(
        "/structure/objects/{}/risks",
        r.object_id
    )))
}

/// The measure form (a measure number).
#[derive(Deserialize, Default)]
pub struct MeasureForm {
    #[serde(default)]
    measure: String,
}

async fn measure_change(
    st: AppState,
    cu: CurrentUser,
    id: i64,
    f: MeasureForm,
    link: bool,
) -> AppResult<Response> {
    // Not a number: the same message as another member's measure.
    let m = f.measure.trim().parse().unwrap_or(0);
    match svc::link_measure(&st, &cu.audit(), cu.actor(), RiskId(id), m, link).await {
        Ok(_) => Ok(see_other(&format!("/risks/{id}#measures"))),
        Err(verbund_app::Error::Invalid(e)) => {
            let failed = ("measure", e.into(), f.measure);
            Ok(render_invalid(
                &detail_page(&st, &cu, id, None, AcceptDraft::default(), failed).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// Links a measure.
pub async fn link_measure(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<MeasureForm>,
) -> AppResult<Response> {
    measure_change(st, cu, id, f, true).await
}

/// Removes a measure link.
pub async fn unlink_measure(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<MeasureForm>,
) -> AppResult<Response> {
    measure_change(st, cu, id, f, false).await
}

#[derive(Template)]
#[template(path = "risks_federation.html")]
struct FederationPage {
    l: Layout,
    f: FederationRisks,
    is_office: bool,
}

/// The threats rated hoch or sehr hoch across the federation.
pub async fn federation(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let f = svc::federation(&st, cu.actor()).await?;
    let is_office = cu.actor().check_office(Permission::ReadStructure).is_ok();
    Ok(render(&FederationPage {
        l: Layout::user(&cu, "risk-federation-title", "risks"),
        f,
        is_office,
    }))
}

#[derive(Template)]
#[template(path = "risks_matrix.html")]
struct MatrixPage {
    l: Layout,
    /// Per frequency: its label key and per impact the chosen category code.
    rows: Vec<(Frequency, Vec<(Impact, String)>)>,
    can_edit: bool,
    saved: bool,
    errors: FormErrors,
}

impl MatrixPage {
    fn categories(&self) -> &'static [RiskCategory] {
        RiskCategory::ALL
    }

    fn impacts(&self) -> &'static [Impact] {
        Impact::ALL
    }

    fn label(&self, code: &str) -> String {
        RiskCategory::parse(code).map_or_else(|_| "risk-none".to_owned(), RiskCategory::label_key)
    }
}

fn rows_of(get: impl Fn(usize, usize) -> String) -> Vec<(Frequency, Vec<(Impact, String)>)> {
    Frequency::ALL
        .iter()
        .enumerate()
        .map(|(f, fr)| {
            (
                *fr,
                Impact::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, im)| (*im, get(f, i)))
                    .collect(),
            )
        })
        .collect()
}

/// `?saved=1` after saving.
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// The risk matrix as a table (the office edits it).
pub async fn matrix(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<SavedQuery>,
) -> AppResult<Response> {
    let m = svc::matrix(&st, cu.actor()).await?;
    let can_edit = cu
        .actor()
        .check_office(Permission::ManageStructureSettings)
        .is_ok();
    Ok(render(&MatrixPage {
        l: Layout::user(&cu, "risk-matrix-title", "risks"),
        rows: rows_of(|f, i| m.cells[f][i].code().to_owned()),
        can_edit,
        saved: q.saved.is_some(),
        errors: FormErrors::default(),
    }))
}

/// Saves the matrix; a cell lower than its neighbour with a smaller rating shows the table
/// again with the error.
pub async fn save_matrix(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    cu.actor()
        .check_office(Permission::ManageStructureSettings)
        .map_err(verbund_app::Error::from)?;
    let get = |name: &str| field(&fields, name);
    let result = RiskMatrix::from_fields(get).map_err(verbund_app::Error::from);
    let result = match result {
        Ok(m) => svc::save_matrix(&st, &cu.audit(), cu.actor(), m).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other("/risks/matrix?saved=1")),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(&MatrixPage {
            l: Layout::user(&cu, "risk-matrix-title", "risks"),
            rows: rows_of(|f, i| field(&fields, &format!("cell_{f}_{i}")).unwrap_or_default()),
            can_edit: true,
            saved: false,
            errors: e.into(),
        })),
        Err(e) => Err(e.into()),
    }
}
