//! Snapshots of an assessment and the comparison of two states.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::{AssessmentId, SnapshotId};

use super::assessment_page;
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use crate::ui::{Layout, render, render_invalid, see_other};
use verbund_app::assessments::{self as svc, AnswersQuery, Comparison};

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
    match svc::snapshot(&st, &cu.audit(), cu.actor(), AssessmentId(id), &f.name).await {
        Ok(_) => Ok(see_other(&format!("/assessments/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &assessment_page(
                &st,
                &cu,
                AssessmentId(id),
                AnswersQuery::default(),
                super::PageState {
                    errors: e.into(),
                    ..Default::default()
                },
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
    let c = svc::compare(
        &st,
        cu.actor(),
        AssessmentId(id),
        SnapshotId(q.from),
        q.to.map(SnapshotId),
    )
    .await?;
    let rows = svc::all_answers(&st, cu.actor(), AssessmentId(id)).await?;
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
