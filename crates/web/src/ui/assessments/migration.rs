//! Migrating an assessment to a newer catalog revision: preview, then migrate.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::Permission;
use verbund_domain::{AssessmentId, CatalogId};

use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use crate::ui::{Layout, render, see_other};
use verbund_app::assessments::{self as svc};

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
    let p = svc::migration_preview(&st, cu.actor(), AssessmentId(id), CatalogId(q.to)).await?;
    let a = svc::get(&st, cu.actor(), AssessmentId(id)).await?;
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
    let new_id = svc::migrate(
        &st,
        &cu.audit(),
        cu.actor(),
        AssessmentId(id),
        CatalogId(f.catalog_id),
    )
    .await?;
    Ok(see_other(&format!("/assessments/{new_id}")))
}
