//! Structure analysis in the UI: the object list (filter, search, pages), creating and editing
//! objects, inventory import and export, the dependency view and the providers list. The
//! object page with needs and links is in `structure_detail.rs`.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_app::assessments::ExportFormat;
use verbund_app::structure as svc;
use verbund_domain::authz::Permission;
use verbund_domain::org::{OrgKind, Organisation};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::structure::model::{Link, ObjectFilter, TargetObject};
use verbund_domain::structure::{Category, ObjectStatus, ObjectType, RawObject};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, StructureObjectId};

use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::download::Download;
use crate::error::AppResult;
use crate::extract::IdPath;

/// Organisations the user may pick in the filter or as owner of a new object (members and
/// providers, never the office itself).
async fn orgs_for(st: &AppState, cu: &CurrentUser, p: Permission) -> AppResult<Vec<Organisation>> {
    Ok(verbund_app::orgs::choices(st, cu.actor(), p)
        .await?
        .into_iter()
        .filter(|o| o.kind != OrgKind::Office)
        .collect())
}

/// Translation key of a category, or of "not set".
pub fn cat_key(c: impl std::borrow::Borrow<Option<Category>>) -> String {
    c.borrow()
        .map_or_else(|| "structure-category-none".to_owned(), Category::label_key)
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    org: Option<i64>,
    #[serde(rename = "type")]
    object_type: Option<String>,
    q: Option<String>,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "structure_list.html")]
struct ListPage {
    l: Layout,
    orgs: Vec<Organisation>,
    org: Option<i64>,
    types: &'static [ObjectType],
    object_type: String,
    q: String,
    page: Page<TargetObject>,
    pager_extra: String,
    /// Organisations the user may add objects to or import into.
    editable: Vec<Organisation>,
    is_office: bool,
    notice: Option<String>,
    errors: FormErrors,
    detail: String,
}

impl ListPage {
    fn is_org(&self, id: &OrgId) -> bool {
        self.org == Some(id.0)
    }
}

impl FormPage {
    fn is_org(&self, id: &OrgId) -> bool {
        self.form.org == Some(id.0)
    }
}

async fn list_page(
    st: &AppState,
    cu: &CurrentUser,
    p: ListParams,
    errors: FormErrors,
    detail: String,
    notice: Option<String>,
) -> AppResult<ListPage> {
    let object_type = p
        .object_type
        .as_deref()
        .and_then(|t| ObjectType::parse(t).ok());
    let filter = ObjectFilter {
        org: p.org.map(OrgId),
        object_type,
        search: p.q.clone(),
        providers_only: false,
    };
    let page = svc::list(st, cu.actor(), &filter, PageRequest::new(p.page, None)).await?;
    let enc = |s: &str| s.replace(['&', '#', '?', '+', '%'], "");
    let pager_extra = format!(
        "&org={}&type={}&q={}",
        p.org.map(|o| o.to_string()).unwrap_or_default(),
        object_type.map(ObjectType::code).unwrap_or_default(),
        enc(p.q.as_deref().unwrap_or_default())
    );
    Ok(ListPage {
        l: Layout::user(cu, "structure-title", "structure"),
        orgs: orgs_for(st, cu, Permission::ReadStructure).await?,
        org: p.org,
        types: ObjectType::ALL,
        object_type: object_type
            .map(ObjectType::code)
            .unwrap_or_default()
            .to_owned(),
        q: p.q.unwrap_or_default(),
        page,
        pager_extra,
        editable: orgs_for(st, cu, Permission::EditStructure).await?,
        is_office: cu.actor().check_office(Permission::EditStructure).is_ok(),
        notice,
        errors,
        detail,
    })
}

/// The object list.
pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    Ok(render(
        &list_page(&st, &cu, p, FormErrors::default(), String::new(), None).await?,
    ))
}

/// The object form as posted.
#[derive(Deserialize, Default, Clone)]
pub struct ObjectForm {
    #[serde(default)]
    pub org: Option<i64>,
    #[serde(default)]
    pub short_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub object_type: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub count: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub vendor: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub cpe: String,
    #[serde(default)]
    pub purl: String,
    #[serde(default)]
    pub revision: Option<i64>,
}

impl ObjectForm {
    fn of(o: &TargetObject) -> Self {
        let t = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            org: Some(o.org_id.0),
            short_id: o.short_id.clone(),
            name: o.name.clone(),
            description: t(&o.description),
            object_type: o.object_type.code().to_owned(),
            owner: t(&o.owner),
            location: t(&o.location),
            count: o.count.to_string(),
            status: o.status.code().to_owned(),
            tags: o.tags.join(", "),
            product: t(&o.product),
            vendor: t(&o.vendor),
            version: t(&o.version),
            cpe: t(&o.cpe),
            purl: t(&o.purl),
            revision: Some(o.revision),
        }
    }

    fn raw(&self) -> RawObject {
        let o = |v: &str| Some(v.to_owned());
        RawObject {
            short_id: self.short_id.clone(),
            name: self.name.clone(),
            description: o(&self.description),
            object_type: self.object_type.clone(),
            owner: o(&self.owner),
            location: o(&self.location),
            count: o(&self.count),
            status: o(&self.status),
            tags: o(&self.tags),
            product: o(&self.product),
            vendor: o(&self.vendor),
            version: o(&self.version),
            cpe: o(&self.cpe),
            purl: o(&self.purl),
            revision: self.revision,
        }
    }
}

#[derive(Template)]
#[template(path = "structure_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    form: ObjectForm,
    errors: FormErrors,
    /// For a new object: the organisations to choose from.
    orgs: Vec<Organisation>,
    types: &'static [ObjectType],
    statuses: &'static [ObjectStatus],
    cancel: String,
}

#[derive(Deserialize, Default)]
pub struct NewParams {
    org: Option<i64>,
}

/// The form for a new object.
pub async fn new_form(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<NewParams>,
) -> AppResult<Response> {
    let orgs = orgs_for(&st, &cu, Permission::EditStructure).await?;
    if orgs.is_empty() {
        return Err(verbund_app::Error::Forbidden.into());
    }
    let form = ObjectForm {
        org: p.org.or(orgs.first().map(|o| o.id.0)),
        status: "active".into(),
        count: "1".into(),
        ..ObjectForm::default()
    };
    Ok(render(&FormPage {
        l: Layout::user(&cu, "structure-new", "structure"),
        action: "/structure/objects".into(),
        form,
        errors: FormErrors::default(),
        orgs,
        types: ObjectType::ALL,
        statuses: ObjectStatus::ALL,
        cancel: "/structure".into(),
    }))
}

/// Creates an object; errors show on the form again.
pub async fn create(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<ObjectForm>,
) -> AppResult<Response> {
    let org = OrgId(f.org.unwrap_or_default());
    match svc::create(&st, &cu.audit(), cu.actor(), org, &f.raw()).await {
        Ok(o) => Ok(see_other(&format!("/structure/objects/{}", o.id))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(&FormPage {
            l: Layout::user(&cu, "structure-new", "structure"),
            action: "/structure/objects".into(),
            form: f,
            errors: e.into(),
            orgs: orgs_for(&st, &cu, Permission::EditStructure).await?,
            types: ObjectType::ALL,
            statuses: ObjectStatus::ALL,
            cancel: "/structure".into(),
        })),
        Err(e) => Err(e.into()),
    }
}

/// The form to change an object.
pub async fn edit_form(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let o = svc::get(&st, cu.actor(), StructureObjectId(id)).await?;
    cu.actor()
        .check(Permission::EditStructure, o.org_id)
        .map_err(|_| verbund_app::Error::Forbidden)?;
    Ok(render(&FormPage {
        l: Layout::user(&cu, "structure-edit", "structure"),
        action: format!("/structure/objects/{id}"),
        form: ObjectForm::of(&o),
        errors: FormErrors::default(),
        orgs: Vec::new(),
        types: ObjectType::ALL,
        statuses: ObjectStatus::ALL,
        cancel: format!("/structure/objects/{id}"),
    }))
}

/// Saves a changed object.
pub async fn update(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<ObjectForm>,
) -> AppResult<Response> {
    let oid = StructureObjectId(id);
    match svc::update(&st, &cu.audit(), cu.actor(), oid, f.revision, &f.raw()).await {
        Ok(_) => Ok(see_other(&format!("/structure/objects/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(&FormPage {
            l: Layout::user(&cu, "structure-edit", "structure"),
            action: format!("/structure/objects/{id}"),
            form: f,
            errors: e.into(),
            orgs: Vec::new(),
            types: ObjectType::ALL,
            statuses: ObjectStatus::ALL,
            cancel: format!("/structure/objects/{id}"),
        })),
        Err(e) => Err(e.into()),
    }
}

/// Deletes an object.
pub async fn delete(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    svc::delete(&st, &cu.audit(), cu.actor(), StructureObjectId(id)).await?;
    Ok(see_other("/structure"))
}

/// An organisation's inventory as XLSX or CSV.
pub async fn export(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<crate::extract::ExportParams>,
) -> AppResult<Download> {
    Ok(Download(
        svc::export(
            &st,
            cu.actor(),
            OrgId(id),
            q.format.unwrap_or(ExportFormat::Xlsx),
        )
        .await?,
    ))
}

/// An organisation's report "Strukturanalyse und Schutzbedarfsfeststellung" as PDF or XLSX.
pub async fn report(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<crate::extract::ReportQuery>,
) -> AppResult<Download> {
    Ok(Download(
        verbund_app::structure_report::report(&st, cu.actor(), OrgId(id), q.format()).await?,
    ))
}

/// Imports an inventory (multipart field `file`); errors show on the list with line and column.
pub async fn import(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    req: axum::extract::Request,
) -> AppResult<Response> {
    use axum::extract::FromRequest;
    let org = OrgId(id);
    cu.actor().check(Permission::EditStructure, org)?;
    let m = Multipart::from_request(req, &st)
        .await
        .map_err(|e| crate::extract::upload_error(e.status()))?;
    let (_, bytes) = crate::extract::first_file(m).await?;
    let params = ListParams {
        org: Some(id),
        ..ListParams::default()
    };
    match svc::import(&st, &cu.audit(), cu.actor(), org, &bytes).await {
        Ok(s) => {
            let notice = cu.ctx.lang.t_args(
                "structure-imported",
                &[
                    ("created", s.created.to_string()),
                    ("updated", s.updated.to_string()),
                    ("links", s.links_added.to_string()),
                ],
            );
            Ok(render(
                &list_page(
                    &st,
                    &cu,
                    params,
                    FormErrors::default(),
                    String::new(),
                    Some(notice),
                )
                .await?,
            ))
        }
        Err(
            verbund_app::Error::BadInput { code, detail }
            | verbund_app::Error::TooLarge { code, detail },
        ) => Ok(render_invalid(
            &list_page(
                &st,
                &cu,
                params,
                ValidationErrors::single("import", code).into(),
                detail,
                None,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "structure_deps.html")]
struct DepsPage {
    l: Layout,
    org: Organisation,
    links: Vec<Link>,
    svg: String,
}

/// The dependency view of an organisation: an accessible table of every link and a drawing.
pub async fn deps(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let links = svc::links(&st, cu.actor(), OrgId(id)).await?;
    let org = verbund_app::orgs::get_org(&st, cu.actor(), OrgId(id)).await?;
    let svg = super::structure_svg::draw(&links, &cu.ctx.lang.t("structure-graph-summary"));
    Ok(render(&DepsPage {
        l: Layout::user(&cu, "structure-deps-title", "structure"),
        org,
        links,
        svg,
    }))
}

#[derive(Template)]
#[template(path = "structure_providers.html")]
struct ProvidersPage {
    l: Layout,
    providers: Vec<Organisation>,
}

/// The provider organisations (office).
pub async fn providers(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let providers = svc::providers(&st, cu.actor()).await?;
    Ok(render(&ProvidersPage {
        l: Layout::user(&cu, "structure-providers-title", "structure"),
        providers,
    }))
}
