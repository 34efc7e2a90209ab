//! Assessment pages: the list, one assessment with filters, quick answers (htmx) and bulk
//! changes, the full answer form with evidence, snapshots and their comparison, export/import.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use verbund_domain::assessment::{AnswerStatus, format_bp_de};
use verbund_domain::authz::Permission;
use verbund_domain::page::{Page, PageRequest};
use verbund_store::{AnswerRow, EvidenceMeta, StoredAssessment, StoredSnapshot};

use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::api::IdPath;
use crate::context::CurrentUser;
use crate::download::Download;
use crate::error::{AppError, AppResult};
use verbund_app::assessments::{
    self as svc, AnswerIn, AnswersQuery, AssessmentOut, BulkIn, Comparison, EvidenceIn,
    ExportFormat,
};

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
        q.catalog,
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
    id: i64,
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
            id,
            q,
            FormErrors::default(),
            String::new(),
            notice,
        )
        .await?,
    ))
}

/// One table row, returned to htmx after a quick answer.
#[derive(Template)]
#[template(path = "answer_row.html")]
struct RowPartial {
    l: Layout,
    r: AnswerRow,
    can_answer: bool,
    row_error: Option<String>,
}

/// The full answer form (also used without JavaScript).
#[derive(Template)]
#[template(path = "answer.html")]
struct AnswerPage {
    l: Layout,
    assessment_id: i64,
    r: AnswerRow,
    form: AnswerIn,
    evidence: Vec<EvidenceMeta>,
    can_answer: bool,
    errors: FormErrors,
}

fn form_of(r: &AnswerRow) -> AnswerIn {
    let a = &r.answer;
    AnswerIn {
        status: a.status.as_str().to_owned(),
        justification: a.justification.clone(),
        owner: a.owner.clone(),
        due_on: a.due_on.map(verbund_domain::validation::format_date),
        comment: a.comment.clone(),
        version: Some(r.version),
    }
}

async fn answer_page(
    st: &AppState,
    cu: &CurrentUser,
    answer_id: i64,
    form: Option<AnswerIn>,
    errors: FormErrors,
) -> AppResult<AnswerPage> {
    let (assessment_id, r) = svc::answer_row(st, cu.actor(), answer_id).await?;
    let org = svc::authorize(
        st,
        cu.actor(),
        svc::Target::Answer(answer_id),
        Permission::ReadAssessments,
    )
    .await?;
    let mut l = Layout::user(cu, "answer-title", "assessments");
    l.title = format!(
        "{} {}",
        r.ref_id.clone().unwrap_or_default(),
        r.name.clone().unwrap_or_default()
    )
    .trim()
    .to_owned();
    Ok(AnswerPage {
        l,
        assessment_id,
        form: form.unwrap_or_else(|| form_of(&r)),
        evidence: svc::evidence_list(st, cu.actor(), answer_id).await?,
        can_answer: cu.actor().check(Permission::AnswerAssessments, org).is_ok(),
        r,
        errors,
    })
}

pub async fn answer_form(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    Ok(render(
        &answer_page(&st, &cu, id, None, FormErrors::default()).await?,
    ))
}

/// The answer form (the API's [`AnswerIn`] refuses unknown fields such as `_csrf`).
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
    version: Option<String>,
}

impl From<AnswerForm> for AnswerIn {
    fn from(f: AnswerForm) -> Self {
        AnswerIn {
            status: f.status,
            justification: f.justification,
            owner: f.owner,
            due_on: f.due_on,
            comment: f.comment,
            version: f.version.and_then(|v| v.trim().parse().ok()),
        }
    }
}

/// Saves an answer: from the quick form in a table row (htmx: the row comes back) or from the
/// full form (redirect back to the assessment).
pub async fn save_answer(
    State(st): State<AppState>,
    cu: CurrentUser,
    headers: HeaderMap,
    IdPath(id): IdPath,
    axum::Form(f): axum::Form<AnswerForm>,
) -> AppResult<Response> {
    let f = AnswerIn::from(f);
    let htmx = headers.contains_key("hx-request");
    match svc::answer(&st, &cu.audit(), cu.actor(), id, &f).await {
        Ok(r) if htmx => Ok(render(&RowPartial {
            l: Layout::user(&cu, "assessment-title", "assessments"),
            r,
            can_answer: true,
            row_error: None,
        })),
        Ok(_) => {
            let (aid, _) = svc::answer_row(&st, cu.actor(), id).await?;
            Ok(see_other(&format!("/assessments/{aid}")))
        }
        Err(verbund_app::Error::Invalid(e)) if htmx => {
            let (_, r) = svc::answer_row(&st, cu.actor(), id).await?;
            let l = Layout::user(&cu, "assessment-title", "assessments");
            let msg = e.0.first().map(|x| l.lang.t(&x.code));
            // htmx swaps only 2xx answers by default; the row shows the error instead.
            Ok(render(&RowPartial {
                l,
                r,
                can_answer: true,
                row_error: msg,
            }))
        }
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &answer_page(&st, &cu, id, Some(f), e.into()).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// The bulk form: selected rows (`ids`, repeated) and the fields to set.
#[derive(Deserialize, Default)]
pub struct BulkForm {
    #[serde(default)]
    ids: Vec<i64>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    justification: String,
}

pub async fn bulk(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum_extra::extract::Form(f): axum_extra::extract::Form<BulkForm>,
) -> AppResult<Response> {
    let some = |s: String| (!s.trim().is_empty()).then_some(s);
    let d = BulkIn {
        ids: f.ids,
        status: some(f.status),
        owner: some(f.owner),
        due_on: some(f.due_on),
        justification: some(f.justification),
    };
    match svc::bulk(&st, &cu.audit(), cu.actor(), id, &d).await {
        Ok(rows) => {
            let notice = cu
                .ctx
                .lang
                .t_args("assessment-bulk-done", &[("count", rows.len().to_string())]);
            Ok(render(
                &assessment_page(
                    &st,
                    &cu,
                    id,
                    AnswersQuery::default(),
                    FormErrors::default(),
                    String::new(),
                    Some(notice),
                )
                .await?,
            ))
        }
        Err(verbund_app::Error::Invalid(e)) => {
            let detail =
                e.0.iter()
                    .map(|x| {
                        format!(
                            "{} – {}",
                            x.field.split_once(':').map_or("", |(_, r)| r),
                            cu.ctx.lang.t(&x.code)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
            Ok(render_invalid(
                &assessment_page(
                    &st,
                    &cu,
                    id,
                    AnswersQuery::default(),
                    ValidationErrors::single("bulk", "error-bulk").into(),
                    detail,
                    None,
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

use verbund_domain::validation::ValidationErrors;

#[derive(Deserialize)]
pub struct SnapshotForm {
    #[serde(default)]
    name: String,
}

pub async fn snapshot(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum::Form(f): axum::Form<SnapshotForm>,
) -> AppResult<Response> {
    match svc::snapshot(&st, &cu.audit(), cu.actor(), id, &f.name).await {
        Ok(_) => Ok(see_other(&format!("/assessments/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &assessment_page(
                &st,
                &cu,
                id,
                AnswersQuery::default(),
                e.into(),
                String::new(),
                None,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "assessment_compare.html")]
struct ComparePage {
    l: Layout,
    assessment_id: i64,
    c: Comparison,
    names: std::collections::HashMap<String, String>,
}

#[derive(Deserialize)]
pub struct CompareParams {
    from: i64,
    to: Option<i64>,
}

pub async fn compare(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<CompareParams>,
) -> AppResult<Response> {
    let c = svc::compare(&st, cu.actor(), id, q.from, q.to).await?;
    let rows = svc::all_answers(&st, cu.actor(), id).await?;
    let names = rows
        .into_iter()
        .map(|r| {
            (
                r.urn,
                format!(
                    "{} {}",
                    r.ref_id.unwrap_or_default(),
                    r.name.unwrap_or_default()
                )
                .trim()
                .to_owned(),
            )
        })
        .collect();
    Ok(render(&ComparePage {
        l: Layout::user(&cu, "compare-title", "assessments"),
        assessment_id: id,
        c,
        names,
    }))
}

#[derive(Deserialize)]
pub struct ExportParams {
    format: Option<ExportFormat>,
}

pub async fn export(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<ExportParams>,
) -> AppResult<Download> {
    Ok(Download(
        svc::export(&st, cu.actor(), id, q.format.unwrap_or(ExportFormat::Xlsx)).await?,
    ))
}

/// The first file field of a multipart upload: name and bytes.
async fn first_file(mut m: Multipart) -> AppResult<(String, Vec<u8>)> {
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|_| AppError::bad("error-upload"))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload").to_owned();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::bad("error-too-large"))?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Ok((String::new(), Vec::new()))
}

/// Checks `p` on the assessment's member before the upload is read, so another member's
/// assessment is "not found" whatever was sent.
async fn authorized_upload(
    st: &AppState,
    cu: &CurrentUser,
    target: svc::Target,
    p: Permission,
    req: axum::extract::Request,
) -> AppResult<Multipart> {
    use axum::extract::FromRequest;
    svc::authorize(st, cu.actor(), target, p).await?;
    Multipart::from_request(req, st)
        .await
        .map_err(|_| AppError::bad("error-upload"))
}

pub async fn import(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    req: axum::extract::Request,
) -> AppResult<Response> {
    let m = authorized_upload(
        &st,
        &cu,
        svc::Target::Assessment(id),
        Permission::ManageAssessments,
        req,
    )
    .await?;
    let (_, bytes) = first_file(m).await?;
    match svc::import(&st, &cu.audit(), cu.actor(), id, &bytes).await {
        Ok(o) => Ok(see_other(&format!(
            "/assessments/{id}?imported={}",
            o.changed
        ))),
        Err(verbund_app::Error::BadInput { detail, .. }) => Ok(render_invalid(
            &assessment_page(
                &st,
                &cu,
                id,
                AnswersQuery::default(),
                ValidationErrors::single("import", "error-import-answers").into(),
                detail,
                None,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn upload_evidence(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    req: axum::extract::Request,
) -> AppResult<Response> {
    let m = authorized_upload(
        &st,
        &cu,
        svc::Target::Answer(id),
        Permission::AnswerAssessments,
        req,
    )
    .await?;
    let (file_name, content) = first_file(m).await?;
    match svc::add_evidence(
        &st,
        &cu.audit(),
        cu.actor(),
        id,
        EvidenceIn { file_name, content },
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/answers/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &answer_page(&st, &cu, id, None, e.into()).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn evidence(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Download> {
    Ok(Download(svc::evidence(&st, cu.actor(), id).await?))
}

pub async fn delete_evidence(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let answer = svc::evidence_answer(&st, cu.actor(), id).await?;
    svc::delete_evidence(&st, &cu.audit(), cu.actor(), id).await?;
    Ok(see_other(&format!("/answers/{answer}")).into_response())
}

/// Date and time of a snapshot, for templates.
pub fn when(ms: &i64) -> String {
    fmt_ms(*ms)
}

#[derive(Template)]
#[template(path = "assessment_migrate.html")]
struct MigratePage {
    l: Layout,
    assessment_id: i64,
    p: svc::MigrationPreview,
    sections: Vec<(&'static str, Vec<verbund_domain::catalog::DiffItem>)>,
    can_manage: bool,
}

#[derive(Deserialize)]
pub struct MigrateParams {
    to: i64,
}

pub async fn migration(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<MigrateParams>,
) -> AppResult<Response> {
    let p = svc::migration_preview(&st, cu.actor(), id, q.to).await?;
    let a = svc::get(&st, cu.actor(), id).await?;
    let can_manage = cu
        .actor()
        .check(Permission::ManageAssessments, a.assessment.org_id)
        .is_ok();
    let sections = vec![
        ("migrate-changed", p.diff.changed.clone()),
        ("migrate-added", p.diff.added.clone()),
        ("migrate-removed", p.diff.removed.clone()),
    ];
    Ok(render(&MigratePage {
        l: Layout::user(&cu, "migrate-title", "assessments"),
        assessment_id: id,
        p,
        sections,
        can_manage,
    }))
}

#[derive(Deserialize)]
pub struct MigrateForm {
    catalog_id: i64,
}

pub async fn migrate(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum::Form(f): axum::Form<MigrateForm>,
) -> AppResult<Response> {
    let new_id = svc::migrate(&st, &cu.audit(), cu.actor(), id, f.catalog_id).await?;
    Ok(see_other(&format!("/assessments/{new_id}")))
}
