//! Organisations: list, detail with memberships, create and edit.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::Permission;
use verbund_domain::org::{Membership, MembershipDraft, OrgDraft, OrgKind, Organisation};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::validation::{ValidationErrors, format_date_de};
use verbund_domain::{MembershipId, OrgId};

use super::branding::LogoBox;
use super::key_figures::{ProposalForm, ProposalRow};
use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use verbund_app::{key_figures, orgs};
use verbund_domain::key_figures::KeyFigures;

#[derive(Deserialize, Default)]
pub struct ListParams {
    q: Option<String>,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "orgs_list.html")]
struct ListPage {
    l: Layout,
    q: String,
    pager_extra: String,
    page: Page<Organisation>,
    can_create: bool,
    /// Open key-figure proposals the user can see.
    open_proposals: i64,
}

pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let page = orgs::list_orgs(
        &st,
        cu.actor(),
        p.q.as_deref(),
        PageRequest::new(p.page, None),
    )
    .await?;
    let can_create = cu
        .actor()
        .check_office(Permission::ManageFederation)
        .is_ok();
    let open_proposals = key_figures::list(
        &st,
        cu.actor(),
        None,
        Some(verbund_domain::key_figures::ProposalStatus::Open),
        PageRequest::new(Some(1), Some(1)),
    )
    .await?
    .total;
    Ok(render(&ListPage {
        l: Layout::user(&cu, "orgs-title", "orgs"),
        pager_extra: format!(
            "&q={}",
            form_urlencoded::byte_serialize(p.q.as_deref().unwrap_or("").as_bytes())
                .collect::<String>()
        ),
        q: p.q.unwrap_or_default(),
        page,
        can_create,
        open_proposals,
    }))
}

/// The organisation form as posted: numbers arrive as text and may be empty.
#[derive(Deserialize, Default, Clone)]
pub struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    ags: String,
    #[serde(default)]
    population: String,
    #[serde(default)]
    staff: String,
    #[serde(default)]
    it_workplaces: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    version: Option<i64>,
}

impl OrgForm {
    fn from_org(o: &Organisation) -> Self {
        let n = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        Self {
            name: o.name.clone(),
            kind: o.kind.code().into(),
            ags: o
                .ags
                .as_ref()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
            population: n(o.population),
            staff: n(o.staff),
            it_workplaces: n(o.it_workplaces),
            address: o.address.clone().unwrap_or_default(),
            version: Some(o.version),
        }
    }

    /// Parses the numbers; text that is not a whole number is a field error.
    fn to_draft(&self) -> Result<OrgDraft, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let population = super::form_count(&mut e, "population", &self.population);
        let staff = super::form_count(&mut e, "staff", &self.staff);
        let it_workplaces = super::form_count(&mut e, "it_workplaces", &self.it_workplaces);
        e.into_result(OrgDraft {
            name: self.name.clone(),
            kind: self.kind.clone(),
            ags: Some(self.ags.clone()),
            population,
            staff,
            it_workplaces,
            address: Some(self.address.clone()),
        })
    }
}

/// A selectable kind.
pub struct KindOption {
    pub code: &'static str,
}

#[derive(Template)]
#[template(path = "org_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    form: OrgForm,
    errors: FormErrors,
    kinds: Vec<KindOption>,
    cancel: String,
    /// The user may set key figures (the office); members see them and propose changes.
    figures_editable: bool,
    /// The coat of arms (edit page only).
    logo: Option<LogoBox>,
}

fn kinds(include_office: bool) -> Vec<KindOption> {
    OrgKind::ALL
        .into_iter()
        .filter(|k| include_office || *k != OrgKind::Office)
        .map(|k| KindOption { code: k.code() })
        .collect()
}

pub async fn new_form(cu: CurrentUser) -> AppResult<Response> {
    cu.actor().check_office(Permission::ManageFederation)?;
    let form = OrgForm {
        kind: "gemeinde".into(),
        ..Default::default()
    };
    Ok(render(&FormPage {
        l: Layout::user(&cu, "org-new-title", "orgs"),
        action: "/orgs".into(),
        form,
        errors: FormErrors::default(),
        kinds: kinds(false),
        cancel: "/orgs".into(),
        figures_editable: true,
        logo: None,
    }))
}

pub async fn create(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<OrgForm>,
) -> AppResult<Response> {
    cu.actor().check_office(Permission::ManageFederation)?;
    let result = match f.to_draft() {
        Ok(d) => orgs::create_org(&st, &cu.audit(), cu.actor(), &d).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(org) => Ok(see_other(&format!("/orgs/{}", org.id))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(&FormPage {
            l: Layout::user(&cu, "org-new-title", "orgs"),
            action: "/orgs".into(),
            form: f,
            errors: e.into(),
            kinds: kinds(false),
            cancel: "/orgs".into(),
            figures_editable: true,
            logo: None,
        })),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "org_detail.html")]
struct DetailPage {
    l: Layout,
    org: Organisation,
    /// The member's assessments, statements and users.
    links: verbund_app::member_page::MemberLinks,
    memberships: Vec<MembershipRow>,
    can_edit: bool,
    can_manage: bool,
    mform: MembershipDraft,
    errors: FormErrors,
    /// When the key figures last changed ("" if never).
    figures_changed: String,
    /// The newest proposals for this organisation.
    proposals: Vec<ProposalRow>,
    /// The user may propose figures (a member's coordinator; the office edits them directly).
    can_propose: bool,
    /// A proposal waits for the office's decision (no second one until then).
    has_open: bool,
    pform: ProposalForm,
    perrors: FormErrors,
}

/// A membership as shown.
pub struct MembershipRow {
    pub id: MembershipId,
    pub starts_on: String,
    pub ends_on: String,
    pub note: String,
}

impl From<Membership> for MembershipRow {
    fn from(m: Membership) -> Self {
        Self {
            id: m.id,
            starts_on: format_date_de(m.starts_on),
            ends_on: m.ends_on.map(format_date_de).unwrap_or_default(),
            note: m.note.unwrap_or_default(),
        }
    }
}

/// The organisation page with the proposal form's errors (after a refused proposal).
pub(super) async fn show_with_proposal_errors(
    st: &AppState,
    cu: &CurrentUser,
    id: OrgId,
    pform: ProposalForm,
    perrors: FormErrors,
) -> AppResult<Response> {
    let mut page = detail(
        st,
        cu,
        id,
        MembershipDraft::default(),
        FormErrors::default(),
    )
    .await?;
    page.pform = pform;
    page.perrors = perrors;
    Ok(render_invalid(&page))
}

async fn detail(
    st: &AppState,
    cu: &CurrentUser,
    id: OrgId,
    mform: MembershipDraft,
    errors: FormErrors,
) -> AppResult<DetailPage> {
    let org = orgs::get_org(st, cu.actor(), id).await?;
    let proposals: Vec<ProposalRow> = key_figures::list(
        st,
        cu.actor(),
        Some(id),
        None,
        PageRequest::new(Some(1), Some(10)),
    )
    .await?
    .items
    .into_iter()
    .map(|p| ProposalRow::new(p, cu.actor()))
    .collect();
    let can_set = cu.actor().check(Permission::SetKeyFigures, id).is_ok();
    let memberships = orgs::list_memberships(st, cu.actor(), id)
        .await?
        .into_iter()
        .map(MembershipRow::from)
        .collect();
    let mut l = Layout::user(cu, "org-detail-title", "orgs");
    l.title = org.name.clone();
    let links = verbund_app::member_page::member_links(st, cu.actor(), id).await?;
    Ok(DetailPage {
        l,
        links,
        can_edit: cu.actor().check(Permission::EditOrg, id).is_ok(),
        can_manage: cu.actor().check(Permission::ManageFederation, id).is_ok()
            && cu.actor().is_office(),
        figures_changed: org.figures_changed_at_ms.map(fmt_ms).unwrap_or_default(),
        can_propose: !can_set && cu.actor().check(Permission::EditOrg, id).is_ok(),
        has_open: proposals.iter().any(|p| p.status == "open"),
        pform: ProposalForm::of(&KeyFigures::of(&org)),
        perrors: FormErrors::default(),
        proposals,
        org,
        memberships,
        mform,
        errors,
    })
}

pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    Ok(render(
        &detail(
            &st,
            &cu,
            OrgId(id),
            MembershipDraft::default(),
            FormErrors::default(),
        )
        .await?,
    ))
}

pub async fn edit_form(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum::extract::Query(q): axum::extract::Query<LogoSaved>,
) -> AppResult<Response> {
    Ok(render(
        &edit_form_page(&st, &cu, OrgId(id), None, q.logo.is_some()).await?,
    ))
}

/// `?logo=1` after an upload or removal of the coat of arms.
#[derive(Deserialize, Default)]
pub struct LogoSaved {
    #[serde(default)]
    logo: Option<String>,
}

async fn edit_form_page(
    st: &AppState,
    cu: &CurrentUser,
    id: OrgId,
    logo_error: Option<String>,
    saved: bool,
) -> AppResult<FormPage> {
    cu.actor().check(Permission::EditOrg, id)?;
    let org = orgs::get_org(st, cu.actor(), id).await?;
    let mut l = Layout::user(cu, "org-edit-title", "orgs");
    l.title = format!("{}: {}", l.title, org.name);
    let meta = verbund_app::branding::member_logo_meta(st, cu.actor(), id).await?;
    let mut logo = LogoBox::member(cu, id, meta.as_ref(), &org.name);
    logo.error = logo_error;
    logo.saved = saved;
    Ok(FormPage {
        l,
        action: format!("/orgs/{id}"),
        form: OrgForm::from_org(&org),
        errors: FormErrors::default(),
        kinds: kinds(org.kind == OrgKind::Office),
        cancel: format!("/orgs/{id}"),
        figures_editable: cu.actor().check(Permission::SetKeyFigures, id).is_ok(),
        logo: Some(logo),
    })
}

/// The organisation's edit page, with the coat-of-arms upload's refusal under its form.
pub async fn edit_page(
    st: &AppState,
    cu: &CurrentUser,
    id: OrgId,
    logo_error: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let mut r = render(&edit_form_page(st, cu, id, logo_error, false).await?);
    *r.status_mut() = status;
    Ok(r)
}

pub async fn update(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<OrgForm>,
) -> AppResult<Response> {
    let id = OrgId(id);
    cu.actor().check(Permission::EditOrg, id)?;
    let result = match f.to_draft() {
        Ok(d) => orgs::update_org(&st, &cu.audit(), cu.actor(), id, f.version, &d).await,
        Err(e) => Err(e.into()),
    };
    let errors: FormErrors = match result {
        Ok(_) => return Ok(see_other(&format!("/orgs/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => e.into(),
        Err(verbund_app::Error::Stale) => ValidationErrors::single("version", "error-stale").into(),
        Err(e) => return Err(e.into()),
    };
    let is_office = f.kind == OrgKind::Office.code();
    Ok(render_invalid(&FormPage {
        l: Layout::user(&cu, "org-edit-title", "orgs"),
        action: format!("/orgs/{id}"),
        form: f,
        errors,
        kinds: kinds(is_office),
        cancel: format!("/orgs/{id}"),
        figures_editable: cu.actor().check(Permission::SetKeyFigures, id).is_ok(),
        logo: None,
    }))
}

pub async fn add_membership(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<MembershipDraftForm>,
) -> AppResult<Response> {
    let draft = MembershipDraft {
        starts_on: f.starts_on,
        ends_on: Some(f.ends_on),
        note: Some(f.note),
    };
    match orgs::add_membership(&st, &cu.audit(), cu.actor(), OrgId(id), &draft).await {
        Ok(_) => Ok(see_other(&format!("/orgs/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &detail(&st, &cu, OrgId(id), draft, e.into()).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// The membership form as posted.
#[derive(Deserialize)]
pub struct MembershipDraftForm {
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    note: String,
}

pub async fn delete_membership(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let m = orgs::delete_membership(&st, &cu.audit(), cu.actor(), MembershipId(id)).await?;
    Ok(see_other(&format!("/orgs/{}", m.org_id)))
}
