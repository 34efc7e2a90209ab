//! The federation's structure-analysis settings (office): which link types pass protection
//! needs on and in which direction, when a cumulation is suggested, and the damage-scenario
//! definitions of the categories. Members never see this page (404); the thresholds are shown
//! to them next to every needs form.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use verbund_app::structure as svc;
use verbund_domain::authz::Permission;
use verbund_domain::structure::needs::{DamageScenario, StructureSettings};
use verbund_domain::structure::{Direction, LinkType};

use super::settings::SavedParam;
use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;

/// One link type's row: its form field, label key and chosen direction code.
pub struct DirectionRow {
    field: String,
    label: String,
    value: String,
}

/// One damage scenario's row: its code and, per category, (form field, label key, text).
pub struct ScenarioRow {
    code: &'static str,
    levels: Vec<(String, &'static str, String)>,
}

#[derive(Template)]
#[template(path = "structure_settings.html")]
struct SettingsPage {
    l: Layout,
    directions: Vec<DirectionRow>,
    direction_codes: Vec<&'static str>,
    cumulation_threshold: String,
    scenarios: Vec<ScenarioRow>,
    can_edit: bool,
    saved: bool,
    errors: FormErrors,
}

impl SettingsPage {
    /// The error of a scenario's definitions, whichever of its three texts it concerns.
    fn scenario_error(&self, code: &str) -> Option<&str> {
        self.errors.get(&format!("thresholds.{code}"))
    }
}

/// The page's rows from the form's fields as sent (so a refused form shows what was typed).
fn page(
    cu: &CurrentUser,
    field: impl Fn(&str) -> Option<String>,
    saved: bool,
    errors: FormErrors,
) -> SettingsPage {
    SettingsPage {
        l: Layout::user(cu, "structure-settings-title", "structure"),
        directions: LinkType::ALL
            .iter()
            .map(|t| DirectionRow {
                field: format!("direction_{}", t.code()),
                label: t.label_key(),
                value: field(&format!("direction_{}", t.code())).unwrap_or_default(),
            })
            .collect(),
        direction_codes: Direction::ALL.iter().map(|d| d.code()).collect(),
        cumulation_threshold: field("cumulation_threshold").unwrap_or_default(),
        scenarios: DamageScenario::ALL
            .iter()
            .map(|s| ScenarioRow {
                code: s.code(),
                levels: [
                    ("normal", "structure-category-normal"),
                    ("high", "structure-category-high"),
                    ("very_high", "structure-category-very-high"),
                ]
                .iter()
                .map(|(level, label)| {
                    let name = format!("{}_{level}", s.code());
                    let value = field(&name).unwrap_or_default();
                    (name, *label, value)
                })
                .collect(),
            })
            .collect(),
        can_edit: cu
            .actor()
            .check_office(Permission::ManageStructureSettings)
            .is_ok(),
        saved,
        errors,
    }
}

/// The settings page (office only: 404 for members).
pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<SavedParam>,
) -> AppResult<Response> {
    cu.actor().check_office(Permission::ReadStructure)?;
    let f = StructureSettings::to_fields(&svc::settings(&st, cu.actor()).await?);
    Ok(render(&page(
        &cu,
        |k| f.get(k).cloned(),
        q.saved.is_some(),
        FormErrors::default(),
    )))
}

/// Saves the settings; every bad field is named on the form again (422), nothing is stored.
pub async fn save(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    cu.actor()
        .check_office(Permission::ManageStructureSettings)?;
    let again =
        |errors: FormErrors| render_invalid(&page(&cu, |k| f.get(k).cloned(), false, errors));
    let parsed = match StructureSettings::from_fields(|k| f.get(k).map(String::as_str)) {
        Ok(s) => s,
        Err(e) => return Ok(again(e.into())),
    };
    match svc::save_settings(&st, &cu.audit(), cu.actor(), parsed).await {
        Ok(_) => Ok(see_other("/structure/settings?saved=1")),
        Err(verbund_app::Error::Invalid(e)) => Ok(again(e.into())),
        Err(e) => Err(e.into()),
    }
}
