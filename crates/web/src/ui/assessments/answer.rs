//! The answer form of one requirement, quick answers from a table row (htmx) and bulk changes.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::Permission;
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{AnswerId, AssessmentId};
use verbund_store::{AnswerRow, EvidenceMeta};

use super::assessment_page;
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use crate::ui::{FormErrors, Layout, render, render_invalid, see_other};
use verbund_app::assessments::{self as svc, AnswerIn, AnswersQuery, BulkIn};

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
pub(super) struct AnswerPage {
    l: Layout,
    assessment_id: AssessmentId,
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

pub(super) async fn answer_page(
    st: &AppState,
    cu: &CurrentUser,
    answer_id: AnswerId,
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
        &answer_page(&st, &cu, AnswerId(id), None, FormErrors::default()).await?,
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
    match svc::answer(&st, &cu.audit(), cu.actor(), AnswerId(id), &f).await {
        Ok(r) if htmx => Ok(render(&RowPartial {
            l: Layout::user(&cu, "assessment-title", "assessments"),
            r,
            can_answer: true,
            row_error: None,
        })),
        Ok(_) => {
            let (aid, _) = svc::answer_row(&st, cu.actor(), AnswerId(id)).await?;
            Ok(see_other(&format!("/assessments/{aid}")))
        }
        Err(verbund_app::Error::Invalid(e)) if htmx => {
            let (_, r) = svc::answer_row(&st, cu.actor(), AnswerId(id)).await?;
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
            &answer_page(&st, &cu, AnswerId(id), Some(f), e.into()).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// The bulk form: selected rows (`ids`, repeated) and the fields to set.
#[derive(Deserialize, Default)]
pub struct BulkForm {
    #[serde(default)]
    ids: Vec<AnswerId>,
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
    match svc::bulk(&st, &cu.audit(), cu.actor(), AssessmentId(id), &d).await {
        Ok(rows) => {
            let notice = cu
                .ctx
                .lang
                .t_args("assessment-bulk-done", &[("count", rows.len().to_string())]);
            Ok(render(
                &assessment_page(
                    &st,
                    &cu,
                    AssessmentId(id),
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
                    AssessmentId(id),
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
