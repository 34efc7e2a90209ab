//! Files in and out of an assessment: export, import of answers, evidence uploads and downloads.

use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Response};
use verbund_domain::authz::Permission;
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{AnswerId, AssessmentId, EvidenceId};

use super::answer::answer_page;
use super::assessment_page;
use crate::AppState;
use crate::context::CurrentUser;
use crate::download::Download;
use crate::error::AppResult;
use crate::extract::IdPath;
use crate::ui::{render_invalid, see_other};
use verbund_app::assessments::{self as svc, AnswersQuery, EvidenceIn, ExportFormat};

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
            AssessmentId(id),
            q.format.unwrap_or(ExportFormat::Xlsx),
        )
        .await?,
    ))
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
        .map_err(|e| crate::extract::upload_error(e.status()))
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
        svc::Target::Assessment(AssessmentId(id)),
        Permission::ManageAssessments,
        req,
    )
    .await?;
    let (_, bytes) = crate::extract::first_file(m).await?;
    match svc::import(&st, &cu.audit(), cu.actor(), AssessmentId(id), &bytes).await {
        Ok(o) => Ok(see_other(&format!(
            "/assessments/{id}?imported={}",
            o.changed
        ))),
        Err(
            verbund_app::Error::BadInput { code, detail }
            | verbund_app::Error::TooLarge { code, detail },
        ) => Ok(render_invalid(
            &assessment_page(
                &st,
                &cu,
                AssessmentId(id),
                AnswersQuery::default(),
                super::PageState {
                    errors: ValidationErrors::single("import", code).into(),
                    detail: detail.lines().map(str::to_owned).collect(),
                    ..Default::default()
                },
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
        svc::Target::Answer(AnswerId(id)),
        Permission::AnswerAssessments,
        req,
    )
    .await?;
    let (file_name, content) = crate::extract::first_file(m).await?;
    match svc::add_evidence(
        &st,
        &cu.audit(),
        cu.actor(),
        AnswerId(id),
        EvidenceIn { file_name, content },
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/answers/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &answer_page(&st, &cu, AnswerId(id), None, e.into(), "").await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn evidence(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Download> {
    Ok(Download(
        svc::evidence(&st, cu.actor(), EvidenceId(id)).await?,
    ))
}

pub async fn delete_evidence(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let answer = svc::evidence_answer(&st, cu.actor(), EvidenceId(id)).await?;
    svc::delete_evidence(&st, &cu.audit(), cu.actor(), EvidenceId(id)).await?;
    Ok(see_other(&format!("/answers/{answer}")).into_response())
}
