//! Editing cost data in place (office): a budget line, and each member's own standalone cost
//! (what it would pay doing information security alone, for the savings figures).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::BudgetLineId;
use verbund_domain::costs::parse_euros;
use verbund_domain::validation::ValidationErrors;

use super::costs::eur;
use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use verbund_app::costs::{self, LineDraft, MemberStandalone};

/// Euros as typed in forms: `85.000,00` (no currency sign).
fn typed(cents: i64) -> String {
    eur(cents).trim_end_matches(" €").replace('−', "-")
}

#[derive(Template)]
#[template(path = "cost_line_form.html")]
struct LinePage {
    l: Layout,
    id: i64,
    year: i32,
    category: String,
    amount: String,
    note: String,
    errors: FormErrors,
}

/// The form to change a budget line.
pub async fn edit_line(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    // Changing lines is federation management, reading them is not enough.
    costs::key_members(&st, cu.actor()).await?;
    let x = costs::line(&st, cu.actor(), BudgetLineId(id)).await?;
    Ok(render(&LinePage {
        l: Layout::user(&cu, "cost-line-edit", "costs"),
        id,
        year: x.year,
        category: x.line.category.code().to_owned(),
        amount: typed(x.line.amount.0),
        note: x.line.note,
        errors: FormErrors::default(),
    }))
}

/// The changed line.
#[derive(Deserialize)]
pub struct LineForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    note: String,
}

pub async fn update_line(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<LineForm>,
) -> AppResult<Response> {
    let d = LineDraft {
        category: f.category.clone(),
        amount_cents: None,
        amount: Some(f.amount.clone()),
        note: Some(f.note.clone()),
    };
    match costs::update_line(&st, &cu.audit(), cu.actor(), BudgetLineId(id), &d).await {
        Ok(x) => Ok(see_other(&format!("/costs?year={}", x.year))),
        Err(verbund_app::Error::Invalid(e)) => {
            let x = costs::line(&st, cu.actor(), BudgetLineId(id)).await?;
            Ok(render_invalid(&LinePage {
                l: Layout::user(&cu, "cost-line-edit", "costs"),
                id,
                year: x.year,
                category: f.category,
                amount: f.amount,
                note: f.note,
                errors: e.into(),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

/// A member's row of the standalone-cost form.
pub struct StandaloneRow {
    pub member: i64,
    pub name: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "cost_standalone.html")]
struct StandalonePage {
    l: Layout,
    rows: Vec<StandaloneRow>,
    can_manage: bool,
    saved: bool,
    errors: FormErrors,
}

fn rows(list: Vec<MemberStandalone>) -> Vec<StandaloneRow> {
    list.into_iter()
        .map(|m| StandaloneRow {
            member: m.member,
            name: m.name,
            amount: m.amount_cents.map(typed).unwrap_or_default(),
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub struct SavedParam {
    #[serde(default)]
    saved: Option<String>,
}

/// Every member's own standalone cost.
pub async fn standalone(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<SavedParam>,
) -> AppResult<Response> {
    let list = costs::standalone_costs(&st, cu.actor()).await?;
    Ok(render(&StandalonePage {
        l: Layout::user(&cu, "cost-standalone-title", "costs"),
        rows: rows(list),
        can_manage: costs::key_members(&st, cu.actor()).await.is_ok(),
        saved: q.saved.is_some(),
        errors: FormErrors::default(),
    }))
}

/// Saves every member's figure: `standalone-<member>` as typed euros; empty clears it.
pub async fn save_standalone(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut e = ValidationErrors::default();
    let mut changes = Vec::new();
    for (k, v) in &fields {
        let Some(member) = k
            .strip_prefix("standalone-")
            .and_then(|m| m.parse::<i64>().ok())
        else {
            continue;
        };
        let amount_cents = match v.trim() {
            "" => None,
            t => e.check(k, parse_euros(t)).map(|c| c.0),
        };
        changes.push(MemberStandalone {
            member,
            name: String::new(),
            amount_cents,
        });
    }
    let r = if e.0.is_empty() {
        costs::save_standalone_costs(&st, &cu.audit(), cu.actor(), &changes)
            .await
            .map(|_| ())
    } else {
        Err(e.into())
    };
    match r {
        Ok(()) => Ok(see_other("/costs/standalone?saved=1")),
        Err(verbund_app::Error::Invalid(e)) => {
            let mut list = rows(costs::standalone_costs(&st, cu.actor()).await?);
            for r in &mut list {
                if let Some((_, v)) = fields
                    .iter()
                    .find(|(k, _)| *k == format!("standalone-{}", r.member))
                {
                    r.amount.clone_from(v);
                }
            }
            Ok(render_invalid(&StandalonePage {
                l: Layout::user(&cu, "cost-standalone-title", "costs"),
                rows: list,
                can_manage: true,
                saved: false,
                errors: e.into(),
            }))
        }
        Err(e) => Err(e.into()),
    }
}
