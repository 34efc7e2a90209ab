//! Assessment pages: the list and one assessment with filters (here); the answer form and
//! quick answers (`answer`); bulk changes, a topic marked entbehrlich and its undo (`bulk`);
//! snapshots and their comparison (`snapshots`); export, import and evidence (`files`);
//! migration to a newer catalog revision (`migration`).
//! The template helpers stay here: templates call them as `crate::ui::assessments::…`.
//!
//! Every form on the assessment page carries the list's state (filters and page) as `back`,
//! so saving, bulk changes and errors return to the same rows.

mod answer;
mod bulk;
mod files;
mod migration;
mod snapshots;

// The route table in `ui/mod.rs` names every handler as `assessments::…`.
pub use answer::{answer_form, save_answer};
pub use bulk::{bulk, mark_topic_not_applicable, undo_group_change};
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
use verbund_domain::{AnswerId, AssessmentId, CatalogId};
use verbund_store::{AnswerRow, GroupChange, StoredAssessment, StoredSnapshot};

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

/// The four answers of the quick radio group (code and translation key): *offen* is where a
/// row starts, not something one answers.
pub fn quick_statuses() -> Vec<(&'static str, String)> {
    AnswerStatus::ALL
        .iter()
        .filter(|s| **s != AnswerStatus::Unanswered)
        .map(|s| (s.as_str(), format!("status-{}", s.as_str())))
        .collect()
}

/// The list's state (filters and page) as a query string, without the default page size;
/// empty filters are left out.
pub fn list_query(q: &AnswersQuery) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("topic", &q.topic),
        ("status", &q.status),
        ("priority", &q.priority),
        ("owner", &q.owner),
        ("q", &q.q),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            ser.append_pair(k, v);
        }
    }
    if let Some(p) = q.page.filter(|p| *p > 1) {
        ser.append_pair("page", &p.to_string());
    }
    ser.finish()
}

/// The list state sent back by a form (`back`); anything unreadable is the first page
/// without filters. Re-serialised by [`list_query`], so only known parameters travel on.
pub fn parse_back(back: &str) -> AnswersQuery {
    format!("/?{back}")
        .parse::<axum::http::Uri>()
        .ok()
        .and_then(|u| Query::<AnswersQuery>::try_from_uri(&u).ok())
        .map(|Query(q)| q)
        .unwrap_or_default()
}

/// A value for a query string.
pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The assessment page's address with the list state `back`, plus `extra` (`done=3`).
pub fn page_url(id: AssessmentId, back: &str, extra: &str) -> String {
    let q = list_query(&parse_back(back));
    let sep = |s: &str| if s.is_empty() { "" } else { "&" };
    let query = format!("{q}{}{extra}", if extra.is_empty() { "" } else { sep(&q) });
    if query.is_empty() {
        format!("/assessments/{id}")
    } else {
        format!("/assessments/{id}?{query}")
    }
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
pub(super) struct AssessmentPage {
    l: Layout,
    a: AssessmentOut,
    rows: Page<AnswerRow>,
    q: AnswersQuery,
    pager_extra: String,
    /// The list state for the forms' `back` field.
    back: String,
    priorities: Vec<String>,
    snapshots: Vec<StoredSnapshot>,
    can_answer: bool,
    can_manage: bool,
    errors: FormErrors,
    /// Field errors of the "topic entbehrlich" form.
    group_errors: FormErrors,
    /// One line per failed row of a bulk change.
    detail: Vec<String>,
    notice: Option<String>,
    /// The group change just made (offered for undo while not undone).
    change: Option<GroupChange>,
    /// Rows still selected after a failed bulk change.
    selected: Vec<i64>,
    /// What the bulk form had chosen (`selected`, `page`, `filter`).
    bulk_scope: String,
    newer: Vec<verbund_store::CatalogSummary>,
}

impl AssessmentPage {
    fn topic_selected(&self, index: &i64) -> bool {
        self.q.topic.as_deref() == Some(index.to_string().as_str())
    }

    /// The requirement heading above row `i` of the page: its parent's `ref_id` and title,
    /// when the parent is a requirement and the previous row had another one (a page that
    /// starts inside a requirement repeats its heading).
    fn group_head(&self, i: &usize) -> Option<String> {
        let r = self.rows.items.get(*i)?;
        let parent = r.parent_ref_id.as_ref()?;
        let prev = i
            .checked_sub(1)
            .and_then(|p| self.rows.items.get(p))
            .and_then(|p| p.parent_ref_id.as_ref());
        if prev == Some(parent) {
            return None;
        }
        Some(
            format!("{parent} {}", r.parent_name.as_deref().unwrap_or(""))
                .trim()
                .to_owned(),
        )
    }

    fn is_selected(&self, id: &AnswerId) -> bool {
        self.selected.contains(&id.0)
    }

    /// The notice after a topic was marked entbehrlich: which topic, how many answers.
    fn change_notice(&self, c: &GroupChange) -> String {
        let topic = self
            .a
            .topics
            .iter()
            .find(|t| t.topic.topic_index == c.topic_index)
            .map(|t| topic_label(&t.topic))
            .unwrap_or_default();
        format!(
            "{} {}",
            self.l.lang.t_args(
                "group-done",
                &[("topic", topic), ("justification", c.justification.clone())]
            ),
            self.l.lang.t_count("group-done-count", c.row_count)
        )
    }

    fn scope_page(&self) -> String {
        let n = i64::try_from(self.rows.items.len()).unwrap_or(i64::MAX);
        self.l.lang.t_count("bulk-scope-page", n)
    }

    fn scope_filter(&self) -> String {
        self.l.lang.t_count("bulk-scope-filter", self.rows.total)
    }
}

/// A topic as the page names it: `SYS.1.1 Allgemeiner Server`.
pub fn topic_label(t: &verbund_store::TopicScore) -> String {
    match &t.ref_id {
        Some(r) if !t.name.starts_with(r.as_str()) => format!("{r} {}", t.name),
        _ => t.name.clone(),
    }
}

/// Notices and the group change shown after a redirect.
#[derive(Deserialize, Default)]
pub struct NoticeParams {
    imported: Option<usize>,
    done: Option<usize>,
    change: Option<i64>,
    undone: Option<usize>,
}

/// What the page shows besides the rows: messages, errors, the bulk form's state.
#[derive(Default)]
pub(super) struct PageState {
    pub errors: FormErrors,
    pub group_errors: FormErrors,
    pub detail: Vec<String>,
    pub notice: Option<String>,
    pub change: Option<GroupChange>,
    pub selected: Vec<i64>,
    pub bulk_scope: String,
}

pub(super) async fn assessment_page(
    st: &AppState,
    cu: &CurrentUser,
    id: AssessmentId,
    mut q: AnswersQuery,
    state: PageState,
) -> AppResult<AssessmentPage> {
    let mut a = svc::get(st, cu.actor(), id).await?;
    q.all = None;
    q.per_page = Some(q.per_page.unwrap_or(50));
    let mut rows = svc::answers(st, cu.actor(), id, &q).await?;
    if let Some(t) = super::catalog_texts::load(st, cu, a.assessment.catalog_id).await? {
        super::catalog_texts::rows(&t, &mut rows.items);
        super::catalog_texts::topics(&t, &mut a.topics);
    }
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
        back: list_query(&q),
        l,
        a,
        rows,
        q,
        pager_extra,
        priorities,
        errors: state.errors,
        group_errors: state.group_errors,
        detail: state.detail,
        notice: state.notice,
        change: state.change.filter(|c| c.assessment_id == id),
        selected: state.selected,
        bulk_scope: if state.bulk_scope.is_empty() {
            "selected".to_owned()
        } else {
            state.bulk_scope
        },
    })
}

pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<AnswersQuery>,
    Query(p): Query<NoticeParams>,
) -> AppResult<Response> {
    let lang = cu.ctx.lang;
    let count = |key: &str, n: usize| lang.t_count(key, i64::try_from(n).unwrap_or(i64::MAX));
    let mut state = PageState {
        notice: p
            .imported
            .map(|n| count("assessment-imported", n))
            .or(p.done.map(|n| count("assessment-bulk-done", n)))
            .or(p.undone.map(|n| count("group-undone", n))),
        ..PageState::default()
    };
    // A change the actor cannot read (or a made-up ID) is simply not shown.
    if let Some(c) = p.change {
        state.change = svc::group_change(&st, cu.actor(), c).await.ok();
    }
    Ok(render(
        &assessment_page(&st, &cu, AssessmentId(id), q, state).await?,
    ))
}
