//! Modelling pages: adding and removing modules on the object page, a member's modelling table
//! (objects × modules) with its coverage gaps, the office's coverage view across members, and
//! the suggestion rules.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use verbund_app::modelling::{self as svc, AssignDraft, Coverage, Modelling};
use verbund_domain::OrgId;
use verbund_domain::org::Organisation;
use verbund_domain::structure::modelling::{ModelledObject, ModuleRules};

use super::structure_detail::{Failed, page as object_page};
use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;

/// The form that adds a module to an object.
#[derive(Deserialize, Default)]
pub struct AssignForm {
    #[serde(default)]
    node_id: String,
}

/// Adds a module to the object; errors show at the module form.
pub async fn assign(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<AssignForm>,
) -> AppResult<Response> {
    let draft = AssignDraft {
        // Not a number: the same message as an unknown module.
        node_id: Some(f.node_id.trim().parse().unwrap_or(0)),
        ..AssignDraft::default()
    };
    let object = verbund_domain::StructureObjectId(id);
    match svc::assign(&st, &cu.audit(), cu.actor(), object, &draft).await {
        Ok(_) => Ok(see_other(&format!("/structure/objects/{id}#modules"))),
        Err(verbund_app::Error::Invalid(e)) => {
            let failed = Failed::module(e.into());
            Ok(render_invalid(&object_page(&st, &cu, id, failed).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Removes a module and returns to its object.
pub async fn unassign(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let a = svc::unassign(&st, &cu.audit(), cu.actor(), id).await?;
    Ok(see_other(&format!(
        "/structure/objects/{}#modules",
        a.object_id
    )))
}

/// One row of the modelling table: the object and a mark per column.
pub struct TableRow {
    pub object: ModelledObject,
    pub marks: Vec<bool>,
}

#[derive(Template)]
#[template(path = "structure_modelling.html")]
struct ModellingPage {
    l: Layout,
    org: Organisation,
    modules: Vec<String>,
    rows: Vec<TableRow>,
    /// Objects without modules: (id, short id, name).
    without: Vec<(i64, String, String)>,
    /// Suggested modules no object has, with the short ids they are suggested for.
    unused: Vec<(String, String)>,
}

/// A member's modelling table and coverage gaps.
pub async fn modelling(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let m: Modelling = svc::modelling(&st, cu.actor(), OrgId(id)).await?;
    let org = verbund_app::orgs::get_org(&st, cu.actor(), OrgId(id)).await?;
    let short: BTreeMap<_, _> = m
        .objects
        .iter()
        .map(|o| (o.id, (o.short_id.clone(), o.name.clone())))
        .collect();
    let without = m
        .gaps
        .objects_without_modules
        .iter()
        .filter_map(|i| short.get(i).map(|(s, n)| (i.0, s.clone(), n.clone())))
        .collect();
    let unused = m
        .gaps
        .unused_modules
        .iter()
        .map(|(module, objs)| {
            let names: Vec<&str> = objs
                .iter()
                .filter_map(|i| short.get(i).map(|(s, _)| s.as_str()))
                .collect();
            (module.clone(), names.join(", "))
        })
        .collect();
    let rows = m
        .objects
        .into_iter()
        .map(|o| {
            let have: BTreeSet<&String> = o.modules.iter().collect();
            let marks = m.modules.iter().map(|c| have.contains(c)).collect();
            TableRow { object: o, marks }
        })
        .collect();
    Ok(render(&ModellingPage {
        l: Layout::user(&cu, "modelling-title", "structure"),
        org,
        modules: m.modules,
        rows,
        without,
        unused,
    }))
}

#[derive(Template)]
#[template(path = "structure_coverage.html")]
struct CoveragePage {
    l: Layout,
    rows: Vec<Coverage>,
}

/// The coverage of every organisation (office).
pub async fn coverage(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let rows = svc::federation_coverage(&st, cu.actor()).await?;
    Ok(render(&CoveragePage {
        l: Layout::user(&cu, "modelling-coverage-title", "structure"),
        rows,
    }))
}

#[derive(Template)]
#[template(path = "structure_module_rules.html")]
struct RulesPage {
    l: Layout,
    json: String,
    can_edit: bool,
    saved: bool,
    errors: FormErrors,
}

fn pretty(rules: &ModuleRules) -> String {
    serde_json::to_string_pretty(rules).unwrap_or_default()
}

/// `?saved=1` after saving.
#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// The suggestion rules; the office edits them as JSON.
pub async fn rules(
    State(st): State<AppState>,
    cu: CurrentUser,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> AppResult<Response> {
    let rules = svc::rules(&st, cu.actor()).await?;
    let can_edit = cu
        .actor()
        .check_office(verbund_domain::authz::Permission::ManageStructureSettings)
        .is_ok();
    Ok(render(&RulesPage {
        l: Layout::user(&cu, "modelling-rules-title", "structure"),
        json: pretty(&rules),
        can_edit,
        saved: q.saved.is_some(),
        errors: FormErrors::default(),
    }))
}

/// The rules form.
#[derive(Deserialize, Default)]
pub struct RulesForm {
    #[serde(default)]
    rules: String,
}

/// Saves the rules; unreadable JSON or a bad rule shows the text again with the error.
pub async fn save_rules(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<RulesForm>,
) -> AppResult<Response> {
    let failed = |errors: FormErrors| RulesPage {
        l: Layout::user(&cu, "modelling-rules-title", "structure"),
        json: f.rules.clone(),
        can_edit: true,
        saved: false,
        errors,
    };
    let parsed: ModuleRules = match serde_json::from_str(&f.rules) {
        Ok(r) => r,
        Err(_) => {
            // Only the office may learn the form's rules; others get the usual 404.
            cu.actor()
                .check_office(verbund_domain::authz::Permission::ManageStructureSettings)
                .map_err(verbund_app::Error::from)?;
            return Ok(render_invalid(&failed(
                verbund_domain::validation::ValidationErrors::single(
                    "rules",
                    "error-module-rules-json",
                )
                .into(),
            )));
        }
    };
    match svc::save_rules(&st, &cu.audit(), cu.actor(), parsed).await {
        Ok(_) => Ok(see_other("/structure/module-rules?saved=1")),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(&failed(e.into()))),
        Err(e) => Err(e.into()),
    }
}
