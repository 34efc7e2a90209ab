//! The answer form of one requirement and quick answers from a table row (htmx).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::Permission;
use verbund_domain::{AnswerId, AssessmentId};
use verbund_store::{AnswerRow, EvidenceMeta};

use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use crate::ui::{FormErrors, Layout, render, render_invalid, see_other};
use verbund_app::assessments::{self as svc, AnswerIn, AssessmentOut};

/// What htmx gets after a quick answer, all as out-of-band swaps: the row (with its
/// "gespeichert" mark or its error), the progress and score, the topic table and the status
/// line screen readers announce.
#[derive(Template)]
#[template(path = "answer_saved.html")]
struct SavedPartial {
    l: Layout,
    r: AnswerRow,
    a: AssessmentOut,
    back: String,
    row_error: Option<String>,
    /// A problem that is not the row's input (someone else saved it first).
    row_warning: Option<String>,
    announce: String,
}

impl SavedPartial {
    fn is_selected(&self, _id: &AnswerId) -> bool {
        false
    }
}

/// The full answer form (also used without JavaScript).
#[derive(Template)]
#[template(path = "answer.html")]
pub(super) struct AnswerPage {
    l: Layout,
    assessment_id: AssessmentId,
    /// The list state to return to.
    back: String,
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
    back: &str,
) -> AppResult<AnswerPage> {
    let (assessment_id, mut r) = svc::answer_row(st, cu.actor(), answer_id).await?;
    let catalog = svc::get(st, cu.actor(), assessment_id)
        .await?
        .assessment
        .catalog_id;
    if let Some(t) = crate::ui::catalog_texts::load(st, cu, catalog).await? {
        crate::ui::catalog_texts::rows(&t, std::slice::from_mut(&mut r));
    }
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
        back: super::list_query(&super::parse_back(back)),
        assessment_id,
        form: form.unwrap_or_else(|| form_of(&r)),
        evidence: svc::evidence_list(st, cu.actor(), answer_id).await?,
        can_answer: cu.actor().check(Permission::AnswerAssessments, org).is_ok(),
        r,
        errors,
    })
}

/// `?back=…`: the list state of the assessment page the form was opened from.
#[derive(Deserialize, Default)]
pub struct BackParam {
    #[serde(default)]
    back: String,
}

pub async fn answer_form(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(b): Query<BackParam>,
) -> AppResult<Response> {
    Ok(render(
        &answer_page(&st, &cu, AnswerId(id), None, FormErrors::default(), &b.back).await?,
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
    /// The list state to return to (not part of the answer).
    #[serde(default)]
    back: String,
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

/// Saves an answer: from the quick form in a table row (htmx: the row, progress and score
/// come back out of band) or from the full form (redirect back to the list as it was).
pub async fn save_answer(
    State(st): State<AppState>,
    cu: CurrentUser,
    headers: HeaderMap,
    IdPath(id): IdPath,
    axum::Form(f): axum::Form<AnswerForm>,
) -> AppResult<Response> {
    let back = f.back.clone();
    let f = AnswerIn::from(f);
    let htmx = headers.contains_key("hx-request");
    let saved = svc::answer(&st, &cu.audit(), cu.actor(), AnswerId(id), &f).await;
    let (mut row_error, mut row_warning) = (None, None);
    match saved {
        Ok(_) => {}
        Err(verbund_app::Error::Invalid(e)) if htmx => {
            row_error = e.0.first().map(|x| cu.ctx.lang.t(&x.code));
        }
        // Someone else saved the row first: it comes back as stored, with a word why.
        Err(verbund_app::Error::Stale) if htmx => {
            row_warning = Some(cu.ctx.lang.t("error-stale"));
        }
        Err(verbund_app::Error::Invalid(e)) => {
            return Ok(render_invalid(
                &answer_page(&st, &cu, AnswerId(id), Some(f), e.into(), &back).await?,
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let (aid, mut r) = svc::answer_row(&st, cu.actor(), AnswerId(id)).await?;
    if !htmx {
        return Ok(see_other(&super::page_url(aid, &back, "")));
    }
    let mut a = svc::get(&st, cu.actor(), aid).await?;
    if let Some(t) = crate::ui::catalog_texts::load(&st, &cu, a.assessment.catalog_id).await? {
        crate::ui::catalog_texts::rows(&t, std::slice::from_mut(&mut r));
        crate::ui::catalog_texts::topics(&t, &mut a.topics);
    }
    let l = Layout::user(&cu, "assessment-title", "assessments");
    let label = r.ref_id.clone().unwrap_or_default();
    let announce = match row_error.as_ref().or(row_warning.as_ref()) {
        Some(e) => format!("{label}: {e}"),
        None => l.lang.t_args(
            "quick-saved-announce",
            &[
                ("ref", label),
                ("status", l.lang.t(&super::status_key(&r.answer.status))),
            ],
        ),
    };
    // htmx swaps only 2xx answers by default: an invalid answer comes back as 200 with the
    // row showing its error (and the stored answer).
    Ok(render(&SavedPartial {
        a,
        back: super::list_query(&super::parse_back(&back)),
        l,
        r,
        row_error,
        row_warning,
        announce,
    }))
}
