//! IT-Grundschutz-Check pages: a member's check (objects × requirements, filters, quick answers
//! as on the assessment page), the full answer form of one row (with the object that fulfils
//! it), and the office's comparison of Basis and Standard fulfilment per member.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use verbund_app::check::{self as svc, CheckAnswerIn};
use verbund_domain::OrgId;
use verbund_domain::assessment::{AnswerStatus, Tally, format_bp_de};
use verbund_domain::authz::Permission;
use verbund_domain::org::Organisation;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::structure::check::{CheckFilter, CheckRow, Level, MemberFulfilment};
use verbund_domain::structure::model::ObjectRef;

use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;

/// A level's line of the summary: name key, rows in scope, answered, fulfilment.
pub struct SummaryLine {
    pub key: String,
    pub total: u32,
    pub answered: u32,
    pub score: String,
}

fn score(t: &Tally) -> String {
    t.score_bp().map(format_bp_de).unwrap_or_else(|| "–".into())
}

/// The filters as the page's query carries them (text, so a bad value is ignored, not a 400).
#[derive(Deserialize, Default, Clone)]
pub struct CheckParams {
    #[serde(default)]
    object: String,
    #[serde(default)]
    module: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    all: String,
    #[serde(default)]
    page: String,
}

impl CheckParams {
    fn filter(&self) -> CheckFilter {
        let m = self.module.trim();
        CheckFilter {
            object: self
                .object
                .trim()
                .parse()
                .ok()
                .map(verbund_domain::StructureObjectId),
            module: (!m.is_empty()).then(|| m.to_owned()),
            level: Level::parse(&self.level).ok(),
            status: Some(self.status.trim())
                .filter(|s| !s.is_empty())
                .and_then(AnswerStatus::parse),
            with_out_of_scope: !self.all.is_empty(),
        }
    }

    /// The filters as a query string (without the page), for the pager and "back" links.
    fn query(&self) -> String {
        let enc = crate::ui::assessments::enc;
        format!(
            "object={}&module={}&level={}&status={}&all={}",
            enc(self.object.trim()),
            enc(self.module.trim()),
            enc(self.level.trim()),
            enc(self.status.trim()),
            enc(self.all.trim())
        )
    }
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    l: Layout,
    org: Organisation,
    summary: Vec<SummaryLine>,
    page: Page<CheckRow>,
    pager_extra: String,
    back: String,
    p: CheckParams,
    objects: Vec<(i64, String)>,
    levels: &'static [Level],
    statuses: &'static [AnswerStatus],
    can_answer: bool,
}

impl CheckPage {
    fn is_object(&self, id: &i64) -> bool {
        self.p.object.trim() == id.to_string()
    }
}

/// A member's check.
pub async fn page(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(p): Query<CheckParams>,
) -> AppResult<Response> {
    let org = OrgId(id);
    let page_no = p.page.trim().parse().ok();
    let c = svc::check(
        &st,
        cu.actor(),
        org,
        &p.filter(),
        PageRequest::new(page_no, None),
    )
    .await?;
    let org = verbund_app::orgs::get_org(&st, cu.actor(), org).await?;
    let objects = svc::objects(&st, cu.actor(), org.id).await?;
    let summary = Level::ALL
        .iter()
        .map(|l| {
            let t = c.summary.get(*l);
            SummaryLine {
                key: l.label_key(),
                total: t.total,
                answered: t.answered(),
                score: score(t),
            }
        })
        .collect();
    let query = p.query();
    let back = format!("/orgs/{id}/check?{query}&page={}", c.rows.page);
    Ok(render(&CheckPage {
        l: Layout::user(&cu, "check-title", "structure"),
        can_answer: cu.actor().check(Permission::EditStructure, org.id).is_ok(),
        org,
        summary,
        page: c.rows,
        pager_extra: format!("&{query}"),
        back,
        p,
        objects,
        levels: Level::ALL,
        statuses: &AnswerStatus::ALL,
    }))
}

/// What htmx gets after a quick answer: the row (out of band) and the status line.
#[derive(Template)]
#[template(path = "check_saved.html")]
struct SavedPartial {
    l: Layout,
    r: CheckRow,
    back: String,
    row_error: Option<String>,
    announce: String,
}

/// The full answer form of one row.
#[derive(Template)]
#[template(path = "check_answer.html")]
struct AnswerPage {
    l: Layout,
    r: CheckRow,
    form: CheckAnswerIn,
    targets: Vec<ObjectRef>,
    back: String,
    can_answer: bool,
    errors: FormErrors,
}

impl AnswerPage {
    fn is_target(&self, id: &verbund_domain::StructureObjectId) -> bool {
        self.form.fulfilled_by == Some(id.0)
    }
}

fn form_of(r: &CheckRow) -> CheckAnswerIn {
    let a = &r.answer;
    CheckAnswerIn {
        status: a.status.as_str().to_owned(),
        justification: a.justification.clone(),
        owner: a.owner.clone(),
        due_on: a.due_on.map(verbund_domain::validation::format_date),
        comment: a.comment.clone(),
        fulfilled_by: r.fulfilled_by.as_ref().map(|f| f.object_id.0),
        version: Some(r.version),
    }
}

/// Only addresses of this site's check pages are followed back.
fn safe_back(back: &str, r: &CheckRow) -> String {
    if back.starts_with("/orgs/") && !back.starts_with("//") && !back.contains(['\r', '\n']) {
        back.to_owned()
    } else {
        format!("/orgs/{}/check", r.org_id)
    }
}

async fn answer_page(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    form: Option<CheckAnswerIn>,
    errors: FormErrors,
    back: &str,
) -> AppResult<AnswerPage> {
    let r = svc::row(st, cu.actor(), id).await?;
    let can_answer = cu
        .actor()
        .check(Permission::EditStructure, r.org_id)
        .is_ok();
    let targets = if can_answer {
        verbund_app::structure::link_targets(st, cu.actor(), r.org_id)
            .await?
            .into_iter()
            .filter(|t| t.id != r.object_id)
            .collect()
    } else {
        Vec::new()
    };
    let mut l = Layout::user(cu, "check-answer-title", "structure");
    l.title = format!("{} – {}", r.object_short_id, r.ref_id);
    Ok(AnswerPage {
        l,
        form: form.unwrap_or_else(|| form_of(&r)),
        back: safe_back(back, &r),
        r,
        targets,
        can_answer,
        errors,
    })
}

/// `?back=…`: the check page the form was opened from.
#[derive(Deserialize, Default)]
pub struct BackParam {
    #[serde(default)]
    back: String,
}

/// The answer form of one row.
pub async fn answer_form(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(b): Query<BackParam>,
) -> AppResult<Response> {
    Ok(render(
        &answer_page(&st, &cu, id, None, FormErrors::default(), &b.back).await?,
    ))
}

/// The answer form as posted (quick form or full form).
#[derive(Deserialize, Default)]
pub struct AnswerForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default)]
    due_on: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    fulfilled_by: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    back: String,
}

impl From<AnswerForm> for CheckAnswerIn {
    fn from(f: AnswerForm) -> Self {
        let fulfilled_by = f
            .fulfilled_by
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        CheckAnswerIn {
            status: f.status,
            justification: f.justification,
            owner: f.owner,
            due_on: f.due_on,
            comment: f.comment,
            // Not a number: the same message as an unknown object.
            fulfilled_by: fulfilled_by.map(|s| s.parse().unwrap_or(0)),
            version: f.version.and_then(|v| v.trim().parse().ok()),
        }
    }
}

/// Saves an answer: from a quick form (htmx: the row comes back out of band) or the full form
/// (redirect back to the check as it was).
pub async fn save(
    State(st): State<AppState>,
    cu: CurrentUser,
    headers: HeaderMap,
    IdPath(id): IdPath,
    axum::Form(f): axum::Form<AnswerForm>,
) -> AppResult<Response> {
    let back = f.back.clone();
    let f = CheckAnswerIn::from(f);
    let htmx = headers.contains_key("hx-request");
    let mut row_error = None;
    match svc::answer(&st, &cu.audit(), cu.actor(), id, &f).await {
        Ok(_) => {}
        Err(verbund_app::Error::Invalid(e)) if htmx => {
            row_error = e.0.first().map(|x| cu.ctx.lang.t(&x.code));
        }
        Err(verbund_app::Error::Stale) if htmx => {
            row_error = Some(cu.ctx.lang.t("error-stale"));
        }
        Err(verbund_app::Error::Invalid(e)) => {
            return Ok(render_invalid(
                &answer_page(&st, &cu, id, Some(f), e.into(), &back).await?,
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let r = svc::row(&st, cu.actor(), id).await?;
    let back = safe_back(&back, &r);
    if !htmx {
        return Ok(see_other(&back));
    }
    let l = Layout::user(&cu, "check-title", "structure");
    let label = format!("{} {}", r.object_short_id, r.ref_id);
    let announce = match &row_error {
        Some(e) => format!("{label}: {e}"),
        None => l.lang.t_args(
            "quick-saved-announce",
            &[
                ("ref", label),
                (
                    "status",
                    l.lang
                        .t(&crate::ui::assessments::status_key(&r.answer.status)),
                ),
            ],
        ),
    };
    Ok(render(&SavedPartial {
        l,
        r,
        back,
        row_error,
        announce,
    }))
}

#[derive(Template)]
#[template(path = "check_comparison.html")]
struct ComparisonPage {
    l: Layout,
    rows: Vec<(MemberFulfilment, String, String)>,
}

/// Basis and Standard fulfilment per member (office).
pub async fn comparison(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let rows = svc::comparison(&st, cu.actor())
        .await?
        .into_iter()
        .map(|m| {
            let (b, s) = (score(&m.basis), score(&m.standard));
            (m, b, s)
        })
        .collect();
    Ok(render(&ComparisonPage {
        l: Layout::user(&cu, "check-comparison-title", "structure"),
        rows,
    }))
}
