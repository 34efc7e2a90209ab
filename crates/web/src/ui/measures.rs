//! Measures in the UI: the list (filters, overdue in words and colour), the board (one column
//! per status, moved with a plain form; htmx makes it a partial update), the measure page with
//! links, status, notes and the edit form, new measures (free, one click from an answer, all
//! unmet answers of an assessment at once) and the office's templates with their progress.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_app::measures as svc;
use verbund_domain::authz::Permission;
use verbund_domain::measure::input::RawMeasure;
use verbund_domain::measure::model::{
    Measure, MeasureDetail, MeasureFilter, MeasureTemplate, TemplateProgress,
};
use verbund_domain::measure::rules::{LinkState, LinkWarning, MeasureAccess, allowed_targets};
use verbund_domain::measure::{MeasureStatus, Priority};
use verbund_domain::org::{OrgKind, Organisation};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::{AnswerId, AssessmentId, MeasureId, MeasureTemplateId, OrgId, UserId};
use verbund_store::MeasureLinks;

use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;

/// Translation key of a status.
pub fn status_key(s: &MeasureStatus) -> String {
    format!("measure-status-{}", s.code().replace('_', "-"))
}

/// Translation key of a priority.
pub fn priority_key(p: &Priority) -> String {
    format!("measure-priority-{}", p.code().replace('_', "-"))
}

/// Translation key of what the linked requirements say, if anything.
pub fn link_key(s: &LinkState) -> Option<&'static str> {
    match (s.warning, s.fulfilled, s.linked) {
        (Some(LinkWarning::DoneButUnmet), _, _) => Some("measures-link-done-but-unmet"),
        (Some(LinkWarning::MetButOpen), _, _) => Some("measures-link-met-but-open"),
        (None, true, _) => Some("measures-link-fulfilled"),
        (None, false, 0) => None,
        (None, false, _) => Some("measures-link-open"),
    }
}

/// A deadline as Germans read it (`31.03.2027`).
pub fn date(d: &str) -> String {
    verbund_domain::validation::parse_date(d)
        .map(verbund_domain::validation::format_date_de)
        .unwrap_or_else(|_| d.to_owned())
}

/// Cents as euros with a decimal comma and thousands dots (`1.234,50 €`).
pub fn euros(cents: &i64) -> String {
    let whole = verbund_domain::comparison::group_thousands(cents / 100);
    format!("{whole},{:02} €", (cents % 100).abs())
}

/// Effort with a decimal comma.
pub fn days(d: &f64) -> String {
    format!("{d}").replace('.', ",")
}

async fn member_orgs(
    st: &AppState,
    cu: &CurrentUser,
    p: Permission,
) -> AppResult<Vec<Organisation>> {
    Ok(verbund_app::orgs::choices(st, cu.actor(), p)
        .await?
        .into_iter()
        .filter(|o| !matches!(o.kind, OrgKind::Office | OrgKind::Provider))
        .collect())
}

/// Query of the list and the board.
#[derive(Deserialize, Default, Clone)]
pub struct ListParams {
    org: Option<String>,
    status: Option<String>,
    priority: Option<String>,
    overdue: Option<String>,
    q: Option<String>,
    page: Option<u32>,
    template: Option<String>,
}

impl ListParams {
    fn id(v: Option<&str>) -> Option<i64> {
        v.and_then(|v| v.trim().parse().ok())
    }

    fn filter(&self) -> MeasureFilter {
        MeasureFilter {
            org: Self::id(self.org.as_deref()).map(OrgId),
            status: self
                .status
                .as_deref()
                .and_then(|s| MeasureStatus::parse(s).ok()),
            priority: self
                .priority
                .as_deref()
                .and_then(|s| Priority::parse(s).ok()),
            owner: None,
            overdue: self.overdue.as_deref().is_some_and(|v| !v.is_empty()),
            template: Self::id(self.template.as_deref()).map(MeasureTemplateId),
            search: self.q.clone(),
            today: String::new(),
        }
    }

    /// The filters as a query string (for the pager and the switch between list and board).
    fn query(&self) -> String {
        let f = self.filter();
        let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        format!(
            "&org={}&status={}&priority={}&overdue={}&q={}",
            f.org.map(|o| o.to_string()).unwrap_or_default(),
            f.status.map(MeasureStatus::code).unwrap_or_default(),
            f.priority.map(Priority::code).unwrap_or_default(),
            if f.overdue { "1" } else { "" },
            enc(self.q.as_deref().unwrap_or_default())
        )
    }
}

#[derive(Template)]
#[template(path = "measures_list.html")]
struct ListPage {
    l: Layout,
    orgs: Vec<Organisation>,
    creatable: bool,
    is_office: bool,
    f: MeasureFilter,
    q: String,
    page: Page<Measure>,
    pager_extra: String,
    statuses: &'static [MeasureStatus],
    priorities: &'static [Priority],
    /// The member whose whole plan the user may download: the filtered one, or the only one.
    plan_org: Option<Organisation>,
}

impl ListPage {
    fn is_org(&self, id: &OrgId) -> bool {
        self.f.org == Some(*id)
    }
    fn status_sel(&self, s: &MeasureStatus) -> bool {
        self.f.status == Some(*s)
    }
    fn priority_sel(&self, p: &Priority) -> bool {
        self.f.priority == Some(*p)
    }
}

/// The measure list.
pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let f = p.filter();
    let page = svc::list(&st, cu.actor(), &f, PageRequest::new(p.page, None)).await?;
    let planned = member_orgs(&st, &cu, Permission::ReadStructure).await?;
    let plan_org = match f.org {
        Some(o) => planned.into_iter().find(|p| p.id == o),
        None if planned.len() == 1 => planned.into_iter().next(),
        None => None,
    };
    Ok(render(&ListPage {
        plan_org,
        l: Layout::user(&cu, "measures-title", "measures"),
        orgs: member_orgs(&st, &cu, Permission::ReadOrg).await?,
        creatable: !cu.actor().scope(Permission::ManageAssessments).is_empty(),
        is_office: cu
            .actor()
            .check_office(Permission::ManageAssessments)
            .is_ok(),
        q: p.q.clone().unwrap_or_default(),
        pager_extra: p.query(),
        f,
        page,
        statuses: MeasureStatus::ALL,
        priorities: Priority::ALL,
    }))
}

/// One card of the board with the statuses it may move to.
struct Card {
    m: Measure,
    targets: Vec<MeasureStatus>,
}

#[derive(Template)]
#[template(path = "measures_board.html")]
struct BoardPage {
    l: Layout,
    columns: Vec<(MeasureStatus, Vec<Card>)>,
    /// More measures match than the board shows.
    limited: bool,
    query: String,
}

/// Most cards the board shows (the list pages through everything).
const BOARD_LIMIT: u32 = 200;

/// The board: one column per status; each card moves with a small form.
pub async fn board(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let f = MeasureFilter {
        status: None,
        ..p.filter()
    };
    let page = svc::list(
        &st,
        cu.actor(),
        &f,
        PageRequest::new(Some(1), Some(BOARD_LIMIT)),
    )
    .await?;
    let shown = page.items.len();
    let mut columns: Vec<(MeasureStatus, Vec<Card>)> = MeasureStatus::ALL
        .iter()
        .map(|s| (*s, Vec::new()))
        .collect();
    for m in page.items {
        let access = MeasureAccess::of(cu.actor(), m.org_id);
        let targets = if access.may_progress(cu.actor().user_id, m.owner_user_id) {
            allowed_targets(m.status, access == MeasureAccess::Manage)
                .into_iter()
                .filter(|t| *t != m.status)
                .collect()
        } else {
            Vec::new()
        };
        if let Some(col) = columns.iter_mut().find(|(s, _)| *s == m.status) {
            col.1.push(Card { m, targets });
        }
    }
    Ok(render(&BoardPage {
        l: Layout::user(&cu, "measures-board-title", "measures"),
        columns,
        limited: page.total > i64::try_from(shown).unwrap_or(i64::MAX),
        query: p.query(),
    }))
}

/// The fields of the measure form.
#[derive(Deserialize, Default, Clone)]
pub struct MeasureForm {
    org: Option<String>,
    #[serde(default)]
    title: String,
    description: Option<String>,
    owner_user_id: Option<String>,
    due_on: Option<String>,
    priority: Option<String>,
    cost_euros: Option<String>,
    effort_days: Option<String>,
    revision: Option<i64>,
    answer: Option<i64>,
}

impl MeasureForm {
    fn raw(&self) -> RawMeasure {
        RawMeasure {
            title: self.title.clone(),
            description: self.description.clone(),
            owner_user_id: self.owner_user_id.clone(),
            due_on: self.due_on.clone(),
            priority: self.priority.clone(),
            cost_euros: self.cost_euros.clone(),
            effort_days: self.effort_days.clone(),
            revision: self.revision,
        }
    }

    fn of(m: &Measure) -> Self {
        Self {
            org: Some(m.org_id.to_string()),
            title: m.title.clone(),
            description: m.description.clone(),
            owner_user_id: m.owner_user_id.map(|u| u.to_string()),
            due_on: m.due_on.clone(),
            priority: Some(m.priority.code().to_owned()),
            cost_euros: m.cost_cents.map(|c| euros(&c).replace(" €", "")),
            effort_days: m.effort_days.map(|d| days(&d)),
            revision: Some(m.revision),
            answer: None,
        }
    }
}

#[derive(Template)]
#[template(path = "measure_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    form: MeasureForm,
    errors: FormErrors,
    orgs: Vec<Organisation>,
    owners: Vec<(UserId, String)>,
    priorities: &'static [Priority],
    cancel: String,
}

impl FormPage {
    fn is_org(&self, id: &OrgId) -> bool {
        self.form.org.as_deref() == Some(id.to_string().as_str())
    }
    fn is_owner(&self, id: &UserId) -> bool {
        self.form.owner_user_id.as_deref() == Some(id.to_string().as_str())
    }
    fn is_priority(&self, p: &Priority) -> bool {
        self.form.priority.as_deref().unwrap_or("mittel") == p.code()
    }
}

/// Owners offered in the form: the users of the chosen member (or of every member the user
/// may create measures for).
async fn owners_for(
    st: &AppState,
    cu: &CurrentUser,
    orgs: &[OrgId],
) -> AppResult<Vec<(UserId, String)>> {
    let mut out = Vec::new();
    for org in orgs {
        for o in svc::owner_candidates(st, cu.actor(), *org).await? {
            if !out.contains(&o) {
                out.push(o);
            }
        }
    }
    Ok(out)
}

/// The form for a new measure (`?org=`).
pub async fn new_form(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(form): Query<MeasureForm>,
) -> AppResult<Response> {
    let orgs = member_orgs(&st, &cu, Permission::ManageAssessments).await?;
    if orgs.is_empty() {
        return Err(verbund_app::Error::Forbidden.into());
    }
    let chosen: Vec<OrgId> = match form.org.as_deref().and_then(|o| o.parse().ok()) {
        Some(o) => vec![OrgId(o)],
        None => orgs.first().map(|o| vec![o.id]).unwrap_or_default(),
    };
    Ok(render(&FormPage {
        l: Layout::user(&cu, "measures-new", "measures"),
        action: "/measures".into(),
        owners: owners_for(&st, &cu, &chosen).await?,
        form,
        errors: FormErrors::default(),
        orgs,
        priorities: Priority::ALL,
        cancel: "/measures".into(),
    }))
}

/// Creates a measure; errors show on the form again.
pub async fn create(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<MeasureForm>,
) -> AppResult<Response> {
    let org = OrgId(
        f.org
            .as_deref()
            .and_then(|o| o.parse().ok())
            .unwrap_or_default(),
    );
    let links = MeasureLinks {
        answers: f.answer.map(AnswerId).into_iter().collect(),
        objects: Vec::new(),
    };
    match svc::create(&st, &cu.audit(), cu.actor(), org, &f.raw(), &links).await {
        Ok(m) => Ok(see_other(&format!("/measures/{}", m.id))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(&FormPage {
            l: Layout::user(&cu, "measures-new", "measures"),
            action: "/measures".into(),
            owners: owners_for(&st, &cu, &[org]).await?,
            form: f,
            errors: e.into(),
            orgs: member_orgs(&st, &cu, Permission::ManageAssessments).await?,
            priorities: Priority::ALL,
            cancel: "/measures".into(),
        })),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "measure_detail.html")]
struct DetailPage {
    l: Layout,
    d: MeasureDetail,
    manage: bool,
    progress: bool,
    targets: Vec<MeasureStatus>,
    form: MeasureForm,
    owners: Vec<(UserId, String)>,
    priorities: &'static [Priority],
    errors: FormErrors,
    notice: Option<String>,
    /// The member's objects to assign (manage only): id, label, linked now. At most 200;
    /// `more_objects` says there are more (the API takes any).
    objects: Vec<(i64, String, bool)>,
    more_objects: bool,
}

impl DetailPage {
    fn is_owner(&self, id: &UserId) -> bool {
        self.form.owner_user_id.as_deref() == Some(id.to_string().as_str())
    }
    fn is_priority(&self, p: &Priority) -> bool {
        self.form.priority.as_deref().unwrap_or("mittel") == p.code()
    }
}

async fn detail_page(
    st: &AppState,
    cu: &CurrentUser,
    id: MeasureId,
    form: Option<MeasureForm>,
    errors: FormErrors,
    notice: Option<String>,
) -> AppResult<DetailPage> {
    let d = svc::detail(st, cu.actor(), id).await?;
    let m = &d.measure;
    let access = MeasureAccess::of(cu.actor(), m.org_id);
    let manage = access == MeasureAccess::Manage;
    let progress = access.may_progress(cu.actor().user_id, m.owner_user_id);
    let mut l = Layout::user(cu, "measures-title", "measures");
    l.title.clone_from(&m.title);
    let (objects, more_objects) = if manage {
        let filter = verbund_domain::structure::model::ObjectFilter {
            org: Some(m.org_id),
            ..Default::default()
        };
        let page = verbund_app::structure::list(
            st,
            cu.actor(),
            &filter,
            PageRequest::new(Some(1), Some(verbund_domain::page::MAX_PER_PAGE)),
        )
        .await?;
        let more = page.total > page.items.len() as i64;
        let linked: Vec<i64> = d.objects.iter().map(|o| o.object_id.0).collect();
        let list = page
            .items
            .into_iter()
            .filter(|o| o.org_id == m.org_id)
            .map(|o| {
                (
                    o.id.0,
                    format!("{} {}", o.short_id, o.name),
                    linked.contains(&o.id.0),
                )
            })
            .collect();
        (list, more)
    } else {
        (Vec::new(), false)
    };
    Ok(DetailPage {
        objects,
        more_objects,
        l,
        targets: allowed_targets(m.status, manage),
        owners: if manage {
            svc::owner_candidates(st, cu.actor(), m.org_id).await?
        } else {
            Vec::new()
        },
        form: form.unwrap_or_else(|| MeasureForm::of(m)),
        manage,
        progress,
        d,
        priorities: Priority::ALL,
        errors,
        notice,
    })
}

#[derive(Deserialize, Default)]
pub struct DetailParams {
    saved: Option<String>,
}

/// The measure page.
pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(p): Query<DetailParams>,
) -> AppResult<Response> {
    let notice = p.saved.map(|_| cu.ctx.lang.t("measures-saved"));
    Ok(render(
        &detail_page(&st, &cu, MeasureId(id), None, FormErrors::default(), notice).await?,
    ))
}

/// Saves the measure's data.
pub async fn update(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<MeasureForm>,
) -> AppResult<Response> {
    match svc::update(&st, &cu.audit(), cu.actor(), MeasureId(id), &f.raw()).await {
        Ok(_) => Ok(see_other(&format!("/measures/{id}?saved=1"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &detail_page(&st, &cu, MeasureId(id), Some(f), e.into(), None).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    revision: Option<i64>,
    /// `board` returns to the board (with its filters in `query`).
    back: Option<String>,
    query: Option<String>,
}

/// Moves a measure to another status (the detail page's and the board's form).
pub async fn set_status(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    match svc::set_status(
        &st,
        &cu.audit(),
        cu.actor(),
        MeasureId(id),
        &f.status,
        f.revision,
    )
    .await
    {
        Ok(_) if f.back.as_deref() == Some("board") => {
            let q: String = f
                .query
                .unwrap_or_default()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || "&=_-%+".contains(*c))
                .collect();
            Ok(see_other(&format!(
                "/measures/board?{}#measure-{id}",
                q.trim_start_matches('&')
            )))
        }
        Ok(_) => Ok(see_other(&format!("/measures/{id}?saved=1"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &detail_page(&st, &cu, MeasureId(id), None, e.into(), None).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

/// Appends a progress note.
pub async fn add_note(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<NoteForm>,
) -> AppResult<Response> {
    match svc::add_note(&st, &cu.audit(), cu.actor(), MeasureId(id), &f.body).await {
        Ok(_) => Ok(see_other(&format!("/measures/{id}#notes"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &detail_page(&st, &cu, MeasureId(id), None, e.into(), None).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// Deletes a measure.
pub async fn delete(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    svc::delete(&st, &cu.audit(), cu.actor(), MeasureId(id)).await?;
    Ok(see_other("/measures"))
}

/// One click from an unmet answer: a measure titled after the requirement, linked to it.
pub async fn from_answer(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    match svc::create_from_answer(&st, &cu.audit(), cu.actor(), AnswerId(id)).await? {
        Some(m) => Ok(see_other(&format!("/measures/{m}"))),
        None => Ok(see_other(&format!("/measures?q=&answer={id}"))),
    }
}

#[derive(Template)]
#[template(path = "measures_bulk.html")]
struct BulkPage {
    l: Layout,
    assessment: i64,
    count: i64,
    preview: String,
    priorities: &'static [Priority],
    created: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct BulkParams {
    created: Option<usize>,
}

/// The preview of the bulk creation: how many measures it would create.
pub async fn bulk_preview(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(p): Query<BulkParams>,
) -> AppResult<Response> {
    let count = svc::bulk_preview(&st, cu.actor(), AssessmentId(id)).await?;
    Ok(render(&BulkPage {
        l: Layout::user(&cu, "measures-bulk-title", "measures"),
        assessment: id,
        count,
        preview: cu
            .ctx
            .lang
            .t_args("measures-bulk-preview", &[("count", count.to_string())]),
        priorities: Priority::ALL,
        created: p.created.map(|n| {
            cu.ctx
                .lang
                .t_args("measures-bulk-created", &[("count", n.to_string())])
        }),
    }))
}

#[derive(Deserialize)]
pub struct BulkForm {
    priority: Option<String>,
}

/// Creates a measure for every unmet answer without one.
pub async fn bulk_create(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<BulkForm>,
) -> AppResult<Response> {
    let ids = svc::bulk_create(
        &st,
        &cu.audit(),
        cu.actor(),
        AssessmentId(id),
        f.priority.as_deref(),
    )
    .await?;
    Ok(see_other(&format!(
        "/assessments/{id}/measures/bulk?created={}",
        ids.len()
    )))
}

#[derive(Template)]
#[template(path = "measure_templates.html")]
struct TemplatesPage {
    l: Layout,
    templates: Vec<MeasureTemplate>,
    form: MeasureForm,
    errors: FormErrors,
    priorities: &'static [Priority],
}

impl TemplatesPage {
    fn is_priority(&self, p: &Priority) -> bool {
        self.form.priority.as_deref().unwrap_or("mittel") == p.code()
    }
}

/// The office's templates with the form for a new one.
pub async fn templates(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    Ok(render(&TemplatesPage {
        l: Layout::user(&cu, "measures-templates-title", "measures"),
        templates: svc::templates(&st, cu.actor()).await?,
        form: MeasureForm::default(),
        errors: FormErrors::default(),
        priorities: Priority::ALL,
    }))
}

/// Creates a template.
pub async fn create_template(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<MeasureForm>,
) -> AppResult<Response> {
    match svc::create_template(&st, &cu.audit(), cu.actor(), &f.raw()).await {
        Ok(t) => Ok(see_other(&format!("/measure-templates/{}", t.id))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(&TemplatesPage {
            l: Layout::user(&cu, "measures-templates-title", "measures"),
            templates: svc::templates(&st, cu.actor()).await?,
            form: f,
            errors: e.into(),
            priorities: Priority::ALL,
        })),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "measure_template.html")]
struct TemplatePage {
    l: Layout,
    t: MeasureTemplate,
    rows: Vec<TemplateProgress>,
    members: Vec<Organisation>,
    errors: FormErrors,
    pushed: Option<String>,
}

impl TemplatePage {
    fn has(&self, org: &OrgId) -> bool {
        self.rows.iter().any(|r| r.org_id == *org)
    }
}

#[derive(Deserialize, Default)]
pub struct TemplateParams {
    pushed: Option<usize>,
}

async fn template_page(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    errors: FormErrors,
    pushed: Option<usize>,
) -> AppResult<TemplatePage> {
    let (t, rows) = svc::template_progress(st, cu.actor(), MeasureTemplateId(id)).await?;
    let mut l = Layout::user(cu, "measures-templates-title", "measures");
    l.title.clone_from(&t.title);
    Ok(TemplatePage {
        l,
        t,
        rows,
        members: member_orgs(st, cu, Permission::ManageAssessments).await?,
        errors,
        pushed: pushed.map(|n| {
            cu.ctx
                .lang
                .t_args("measures-templates-pushed-now", &[("count", n.to_string())])
        }),
    })
}

/// A template with each member's progress and the push form.
pub async fn template(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(p): Query<TemplateParams>,
) -> AppResult<Response> {
    Ok(render(
        &template_page(&st, &cu, id, FormErrors::default(), p.pushed).await?,
    ))
}

/// Pushes a template: `scope=all` to every member, else to the ticked `org` fields.
pub async fn push_template(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum_extra::extract::Form(f): axum_extra::extract::Form<PushForm>,
) -> AppResult<Response> {
    let orgs: Vec<OrgId> = if f.scope.as_deref() == Some("selected") {
        f.org
            .iter()
            .filter_map(|o| o.parse().ok())
            .map(OrgId)
            .collect()
    } else {
        Vec::new()
    };
    if f.scope.as_deref() == Some("selected") && orgs.is_empty() {
        let e = verbund_domain::validation::ValidationErrors::single(
            "orgs",
            "error-measure-template-orgs",
        );
        return Ok(render_invalid(
            &template_page(&st, &cu, id, e.into(), None).await?,
        ));
    }
    match svc::push_template(&st, &cu.audit(), cu.actor(), MeasureTemplateId(id), &orgs).await {
        Ok(ids) => Ok(see_other(&format!(
            "/measure-templates/{id}?pushed={}",
            ids.len()
        ))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &template_page(&st, &cu, id, e.into(), None).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// The push form: `scope` (`all` or `selected`) and the ticked members.
#[derive(Deserialize, Default)]
pub struct PushForm {
    scope: Option<String>,
    #[serde(default)]
    org: Vec<String>,
}

/// Keeps `fmt_ms` in use for templates (notes and done times).
pub fn when(ms: &i64) -> String {
    fmt_ms(*ms)
}

/// A member's implementation plan (Realisierungsplan) as PDF or XLSX.
pub async fn plan(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<crate::extract::ReportQuery>,
) -> AppResult<crate::download::Download> {
    Ok(crate::download::Download(
        verbund_app::measure_plan::plan(&st, cu.actor(), OrgId(id), q.format()).await?,
    ))
}

/// Replaces the target objects of a measure (checkboxes `object` of the detail page).
pub async fn set_objects(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    // An id that is no number cannot be an object of the member: refused like a foreign one.
    let objects: Vec<verbund_domain::StructureObjectId> = fields
        .iter()
        .filter(|(k, _)| k == "object")
        .map(|(_, v)| verbund_domain::StructureObjectId(v.trim().parse().unwrap_or(-1)))
        .collect();
    match svc::set_objects(&st, &cu.audit(), cu.actor(), MeasureId(id), &objects).await {
        Ok(_) => Ok(see_other(&format!("/measures/{id}?saved=1"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &detail_page(&st, &cu, MeasureId(id), None, e.into(), None).await?,
        )),
        Err(e) => Err(e.into()),
    }
}
