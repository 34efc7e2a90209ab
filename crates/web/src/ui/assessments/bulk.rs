//! Bulk changes over selected rows, the page or the filter; a topic marked entbehrlich with
//! one justification, and undoing that. Success redirects to the list as it was (filters and
//! page from `back`); errors render it again with the failed rows named.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::validation::{FieldError, ValidationErrors};
use verbund_domain::{AnswerId, AssessmentId};

use super::{PageState, assessment_page, page_url, parse_back};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use crate::ui::{render_invalid, see_other};
use verbund_app::assessments::{self as svc, BulkFilter, BulkIn, TopicNotApplicableIn};

/// The bulk form: selected rows (`ids`, repeated), which rows (`scope`: `selected`, `page`
/// or `filter`), the fields to set, and the list state (`back`).
#[derive(Deserialize, Default)]
pub struct BulkForm {
    #[serde(default)]
    ids: Vec<AnswerId>,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    back: String,
}

/// One line per failed row: "SYS.1.1.A1.1 – Begründung nötig …".
fn failed_rows(cu: &CurrentUser, e: &[FieldError]) -> Vec<String> {
    e.iter()
        .filter_map(|x| {
            let (_, row) = x.field.split_once(':')?;
            Some(format!("{row} – {}", cu.ctx.lang.t(&x.code)))
        })
        .collect()
}

pub async fn bulk(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum_extra::extract::Form(f): axum_extra::extract::Form<BulkForm>,
) -> AppResult<Response> {
    let id = AssessmentId(id);
    let list = parse_back(&f.back);
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
    let (ids, filter) = match f.scope.as_str() {
        "filter" => (vec![], Some(BulkFilter::from(&list))),
        "page" => {
            let mut q = list.clone();
            q.per_page = Some(50);
            let page = svc::answers(&st, cu.actor(), id, &q).await?;
            (page.items.into_iter().map(|r| r.id).collect(), None)
        }
        _ => (f.ids.clone(), None),
    };
    let d = BulkIn {
        ids,
        filter,
        status: some(&f.status),
        owner: some(&f.owner),
        due_on: some(&f.due_on),
        justification: some(&f.justification),
    };
    match svc::bulk(&st, &cu.audit(), cu.actor(), id, &d).await {
        Ok(rows) => Ok(see_other(&page_url(
            id,
            &f.back,
            &format!("done={}", rows.len()),
        ))),
        Err(verbund_app::Error::Invalid(e)) => {
            let detail = failed_rows(&cu, &e.0);
            let errors = if detail.is_empty() {
                e.into()
            } else {
                ValidationErrors::single("bulk", "error-bulk").into()
            };
            let state = PageState {
                errors,
                detail,
                selected: f.ids.iter().map(|i| i.0).collect(),
                bulk_scope: f.scope,
                ..PageState::default()
            };
            Ok(render_invalid(
                &assessment_page(&st, &cu, id, list, state).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// The "topic entbehrlich" form.
#[derive(Deserialize, Default)]
pub struct TopicForm {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    back: String,
}

pub async fn mark_topic_not_applicable(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum::Form(f): axum::Form<TopicForm>,
) -> AppResult<Response> {
    let id = AssessmentId(id);
    let invalid = |e: ValidationErrors| PageState {
        group_errors: e.into(),
        ..PageState::default()
    };
    let state = match f.topic.trim().parse::<i64>() {
        Ok(topic) => {
            let d = TopicNotApplicableIn {
                topic,
                justification: f.justification.clone(),
            };
            match svc::mark_topic_not_applicable(&st, &cu.audit(), cu.actor(), id, &d).await {
                Ok(c) => {
                    return Ok(see_other(&page_url(
                        id,
                        &f.back,
                        &format!("change={}", c.id),
                    )));
                }
                Err(verbund_app::Error::Invalid(e)) => invalid(e),
                Err(e) => return Err(e.into()),
            }
        }
        Err(_) => {
            // Authorised first: another member's assessment stays "not found".
            svc::authorize(
                &st,
                cu.actor(),
                svc::Target::Assessment(id),
                verbund_domain::authz::Permission::AnswerAssessments,
            )
            .await?;
            invalid(ValidationErrors::single("topic", "error-required"))
        }
    };
    Ok(render_invalid(
        &assessment_page(&st, &cu, id, parse_back(&f.back), state).await?,
    ))
}

/// The undo button's form: only the list state.
#[derive(Deserialize, Default)]
pub struct UndoForm {
    #[serde(default)]
    back: String,
}

pub async fn undo_group_change(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(change): IdPath,
    axum::Form(f): axum::Form<UndoForm>,
) -> AppResult<Response> {
    match svc::undo(&st, &cu.audit(), cu.actor(), change).await {
        Ok(c) => Ok(see_other(&page_url(
            c.assessment_id,
            &f.back,
            &format!("undone={}", c.row_count),
        ))),
        Err(verbund_app::Error::Invalid(e)) => {
            let c = svc::group_change(&st, cu.actor(), change).await?;
            let state = PageState {
                errors: ValidationErrors::single("undo", "error-undo").into(),
                detail: failed_rows(&cu, &e.0),
                ..PageState::default()
            };
            Ok(render_invalid(
                &assessment_page(&st, &cu, c.assessment_id, parse_back(&f.back), state).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
