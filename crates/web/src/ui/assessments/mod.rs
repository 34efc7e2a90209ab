//! Assessment pages: the list and one assessment with filters (here); the answer form, quick
//! answers and bulk changes (`answer`); snapshots and their comparison (`snapshots`);
//! export, import and evidence (`files`); migration to a newer catalog revision (`migration`).
//! The template helpers stay here: templates call them as `crate::ui::assessments::…`.

mod answer;
mod files;
mod migration;
mod snapshots;

// The route table in `ui/mod.rs` names every handler as `assessments::…`.
pub use answer::{answer_form, bulk, save_answer};
pub use files::{delete_evidence, evidence, export, import, upload_evidence};
pub use migration::{migrate, migration};
pub use snapshots::{compare, snapshot};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::assessment::{AnswerStatus, format_bp_de};
use verbund_domain::authz::Permission;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::{AssessmentId, CatalogId};
use verbund_store::{AnswerRow, StoredAssessment, StoredSnapshot};

use super::{FormErrors, Layout, fmt_ms, render};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use verbund_app::assessments::{self as svc, AnswersQuery, AssessmentOut};

/// Percentage text of basis points, "–" when there is nothing to count.
pub fn pct_bp(bp: impl std::borrow::Borrow<Option<u32>>) -> String {
    bp.borrow().map_or_else(|| "–".to_owned(), format_bp_de)
}

/// Translation key of a status, e.g. `status-not_applicable`.
pub fn status_key(s: &AnswerStatus) -> String {
    format!("status-{}", s.as_str())
}

/// A date as `YYYY-MM-DD`, for templates.
pub fn date(d: &time::Date) -> String {
    verbund_domain::validation::format_date(*d)
}

/// Statuses for selects: code and translation key.
pub fn statuses() -> Vec<(&'static str, String)> {
    AnswerStatus::ALL
        .iter()
        .map(|s| (s.as_str(), format!("status-{}", s.as_str())))
        .collect()
}

/// Date and time of a snapshot, for templates.
pub fn when(ms: &i64) -> String {
    fmt_ms(*ms)
}

#[derive(Template)]
#[template(path = "assessments_list.html")]
struct ListPage {
    l: Layout,
    page: Page<StoredAssessment>,
    pager_extra: String,
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    page: Option<u32>,
    catalog: Option<i64>,
}

pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<ListParams>,
) -> AppResult<Response> {
    let page = svc::list(
        &st,
        cu.actor(),
        q.catalog.map(CatalogId),
        PageRequest::new(q.page, Some(50)),
    )
    .await?;
    let pager_extra = q
        .catalog
        .map(|c| format!("&catalog={c}"))
        .unwrap_or_default();
    Ok(render(&ListPage {
        l: Layout::user(&cu, "assessments-title", "assessments"),
        page,
        pager_extra,
    }))
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct AssessmentPage {
    l: Layout,
    a: AssessmentOut,
    rows: Page<AnswerRow>,
    q: AnswersQuery,
    pager_extra: String,
    priorities: Vec<String>,
    snapshots: Vec<StoredSnapshot>,
    can_answer: bool,
    can_manage: bool,
    errors: FormErrors,
    detail: String,
    notice: Option<String>,
    newer: Vec<verbund_store::CatalogSummary>,
}

impl AssessmentPage {
    fn topic_selected(&self, index: &i64) -> bool {
        self.q.topic.as_deref() == Some(index.to_string().as_str())
    }
}

/// The notice after an import.
#[derive(Deserialize, Default)]
pub struct ImportedParam {
    imported: Option<usize>,
}

async fn assessment_page(
    st: &AppState,
    cu: &CurrentUser,
    id: AssessmentId,
    mut q: AnswersQuery,
    errors: FormErrors,
    detail: String,
    notice: Option<String>,
) -> AppResult<AssessmentPage> {
    let a = svc::get(st, cu.actor(), id).await?;
    q.all = None;
    q.per_page = Some(q.per_page.unwrap_or(50));
    let rows = svc::answers(st, cu.actor(), id, &q).await?;
    let org = a.assessment.org_id;
    let enc = |s: &Option<String>| {
        s.as_deref()
            .map(|v| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>())
            .unwrap_or_default()
    };
    let pager_extra = format!(
        "&topic={}&status={}&priority={}&owner={}&q={}",
        enc(&q.topic),
        enc(&q.status),
        enc(&q.priority),
        enc(&q.owner),
        enc(&q.q)
    );
    let mut l = Layout::user(cu, "assessment-title", "assessments");
    l.title = format!("{} – {}", a.assessment.org_name, a.assessment.catalog_name);
    let priorities = svc::priorities(st, cu.actor(), id).await?;
    Ok(AssessmentPage {
        snapshots: svc::snapshots(st, cu.actor(), id).await?,
        newer: svc::newer_revisions(st, cu.actor(), id).await?,
        can_answer: cu.actor().check(Permission::AnswerAssessments, org).is_ok(),
        can_manage: cu.actor().check(Permission::ManageAssessments, org).is_ok(),
        l,
        a,
        rows,
        q,
        pager_extra,
        priorities,
        errors,
        detail,
        notice,
    })
}

pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<AnswersQuery>,
    Query(p): Query<ImportedParam>,
) -> AppResult<Response> {
    let notice = p.imported.map(|n| {
        cu.ctx
            .lang
            .t_args("assessment-imported", &[("count", n.to_string())])
    });
    Ok(render(
        &assessment_page(
            &st,
            &cu,
            AssessmentId(id),
            q,
            FormErrors::default(),
            String::new(),
            notice,
        )
        .await?,
    ))
}
