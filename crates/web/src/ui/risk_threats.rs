//! The federation's threats: the elementary threats, the office's own and those imported
//! from libraries, with the office's form for its own threats.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_app::risks::{self as svc, ThreatDraft};
use verbund_domain::authz::Permission;
use verbund_domain::risk::model::Threat;

use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;

/// The form of an own threat, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ThreatForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    goal_c: Option<String>,
    #[serde(default)]
    goal_i: Option<String>,
    #[serde(default)]
    goal_a: Option<String>,
}

impl ThreatForm {
    fn draft(&self) -> ThreatDraft {
        let goals = [
            (&self.goal_c, 'C'),
            (&self.goal_i, 'I'),
            (&self.goal_a, 'A'),
        ]
        .iter()
        .filter(|(v, _)| v.is_some())
        .map(|(_, c)| *c)
        .collect();
        ThreatDraft {
            code: self.code.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            goals,
        }
    }
}

/// `?created=1`, or `?imported=N&controls=M` after a library import.
#[derive(Debug, Default, Deserialize)]
pub struct ThreatsQuery {
    created: Option<String>,
    imported: Option<u64>,
    controls: Option<u64>,
}

/// A group of threats by where they come from.
struct Group {
    /// Translation key of the heading, or the library's URN for imported threats.
    heading: String,
    /// Whether `heading` is a translation key.
    translated: bool,
    threats: Vec<Threat>,
}

#[derive(Template)]
#[template(path = "risks_threats.html")]
struct ThreatsPage {
    l: Layout,
    groups: Vec<Group>,
    can_edit: bool,
    form: ThreatForm,
    errors: FormErrors,
    q: ThreatsQuery,
}

/// Groups by source: elementary, own, then each library in the order first seen.
fn groups(threats: Vec<Threat>) -> Vec<Group> {
    let mut out: Vec<Group> = vec![
        Group {
            heading: "risk-threats-bsi".into(),
            translated: true,
            threats: vec![],
        },
        Group {
            heading: "risk-threats-own".into(),
            translated: true,
            threats: vec![],
        },
    ];
    for t in threats {
        let i = match t.source.as_str() {
            "bsi" => 0,
            "federation" => 1,
            other => {
                let urn = other.strip_prefix("import:").unwrap_or(other);
                match out.iter().position(|g| !g.translated && g.heading == urn) {
                    Some(i) => i,
                    None => {
                        out.push(Group {
                            heading: urn.to_owned(),
                            translated: false,
                            threats: vec![],
                        });
                        out.len() - 1
                    }
                }
            }
        };
        out[i].threats.push(t);
    }
    out
}

async fn page(
    st: &AppState,
    cu: &CurrentUser,
    form: ThreatForm,
    errors: FormErrors,
    q: ThreatsQuery,
) -> AppResult<ThreatsPage> {
    Ok(ThreatsPage {
        l: Layout::user(cu, "risk-threats-title", "risks"),
        groups: groups(svc::list_threats(st, cu.actor()).await?),
        can_edit: cu
            .actor()
            .check_office(Permission::ManageStructureSettings)
            .is_ok(),
        form,
        errors,
        q,
    })
}

/// Every threat of the federation (all signed-in users read them).
pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<ThreatsQuery>,
) -> AppResult<Response> {
    Ok(render(
        &page(&st, &cu, ThreatForm::default(), FormErrors::default(), q).await?,
    ))
}

/// Adds a threat of the federation's own (office); errors show on the form.
pub async fn create(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<ThreatForm>,
) -> AppResult<Response> {
    match svc::create_threat(&st, &cu.audit(), cu.actor(), &f.draft()).await {
        Ok(_) => Ok(see_other("/risks/threats?created=1")),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &page(&st, &cu, f, e.into(), ThreatsQuery::default()).await?,
        )),
        Err(e) => Err(e.into()),
    }
}
