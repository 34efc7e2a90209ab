//! Key-figure proposals in the UI: a member's coordinator proposes new figures on the
//! organisation page; the office decides there or on the list of all proposals.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::key_figures::{
    DecisionDraft, KeyFigureProposal, KeyFigures, ProposalDraft, ProposalStatus,
};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{KeyFigureProposalId, OrgId};

use super::{Layout, fmt_ms, render, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use verbund_app::key_figures;

/// A proposal as the tables show it.
pub struct ProposalRow {
    pub id: KeyFigureProposalId,
    pub org_id: OrgId,
    pub org_name: String,
    pub when: String,
    pub by: String,
    /// (field label key, before, after) of the figures it changes.
    pub changes: Vec<(&'static str, String, String)>,
    pub reason: String,
    pub status: &'static str,
    pub decided: String,
    pub note: String,
    /// The actor may accept or reject it.
    pub can_decide: bool,
}

fn figure(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_else(|| "–".into())
}

impl ProposalRow {
    pub fn new(p: KeyFigureProposal, actor: &Actor) -> Self {
        let label = |f: &str| match f {
            "population" => "field-population",
            "staff" => "field-staff",
            _ => "field-it-workplaces",
        };
        let pick = |k: &KeyFigures, f: &str| match f {
            "population" => k.population,
            "staff" => k.staff,
            _ => k.it_workplaces,
        };
        let changes = p
            .proposed
            .changed_fields(&p.previous)
            .into_iter()
            .map(|f| {
                (
                    label(f),
                    figure(pick(&p.previous, f)),
                    figure(pick(&p.proposed, f)),
                )
            })
            .collect();
        let open = p.status == ProposalStatus::Open;
        Self {
            id: p.id,
            org_id: p.org_id,
            org_name: p.org_name,
            when: fmt_ms(p.proposed_at_ms),
            by: p.proposed_by,
            changes,
            reason: p.reason.unwrap_or_default(),
            status: p.status.code(),
            decided: match (p.decided_by, p.decided_at_ms) {
                (Some(by), Some(at)) => format!("{} · {by}", fmt_ms(at)),
                _ => String::new(),
            },
            note: p.decision_note.unwrap_or_default(),
            can_decide: open && actor.check(Permission::SetKeyFigures, p.org_id).is_ok(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ListParams {
    status: Option<String>,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "key_figures_list.html")]
struct ListPage {
    l: Layout,
    status: String,
    statuses: [&'static str; 3],
    rows: Vec<ProposalRow>,
    page: Page<()>,
    pager_extra: String,
}

/// All proposals the user can see (the office: every member's), open ones first by default.
pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let status_code = p.status.unwrap_or_else(|| "open".into());
    let status = ProposalStatus::parse(&status_code).ok();
    let found = key_figures::list(
        &st,
        cu.actor(),
        None,
        status,
        PageRequest::new(p.page, None),
    )
    .await?;
    let page = Page {
        items: vec![],
        page: found.page,
        per_page: found.per_page,
        total: found.total,
    };
    let rows = found
        .items
        .into_iter()
        .map(|x| ProposalRow::new(x, cu.actor()))
        .collect();
    Ok(render(&ListPage {
        l: Layout::user(&cu, "key-figures-title", "orgs"),
        pager_extra: format!("&status={}", status.map(|s| s.code()).unwrap_or("all")),
        status: status.map(|s| s.code()).unwrap_or("all").into(),
        statuses: ["open", "accepted", "rejected"],
        rows,
        page,
    }))
}

/// The proposal form as posted: numbers arrive as text and may be empty (keep the value).
#[derive(Deserialize, Default, Clone)]
pub struct ProposalForm {
    #[serde(default)]
    pub population: String,
    #[serde(default)]
    pub staff: String,
    #[serde(default)]
    pub it_workplaces: String,
    #[serde(default)]
    pub reason: String,
}

impl ProposalForm {
    pub fn of(k: &KeyFigures) -> Self {
        let n = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        Self {
            population: n(k.population),
            staff: n(k.staff),
            it_workplaces: n(k.it_workplaces),
            reason: String::new(),
        }
    }

    fn to_draft(&self) -> Result<ProposalDraft, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let population = super::form_count(&mut e, "population", &self.population);
        let staff = super::form_count(&mut e, "staff", &self.staff);
        let it_workplaces = super::form_count(&mut e, "it_workplaces", &self.it_workplaces);
        e.into_result(ProposalDraft {
            population,
            staff,
            it_workplaces,
            reason: Some(self.reason.clone()),
        })
    }
}

/// A member proposes new figures; errors show on the organisation page.
pub async fn propose(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<ProposalForm>,
) -> AppResult<Response> {
    let org = OrgId(id);
    let result = match f.to_draft() {
        Ok(d) => key_figures::propose(&st, &cu.audit(), cu.actor(), org, &d).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/orgs/{id}#key-figures"))),
        Err(verbund_app::Error::Invalid(e)) => {
            super::orgs::show_with_proposal_errors(&st, &cu, org, f, e.into()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The decision form: a note and where to go back to.
#[derive(Deserialize, Default)]
pub struct DecisionForm {
    #[serde(default)]
    note: String,
    /// `list` returns to the proposal list, anything else to the organisation.
    #[serde(default)]
    back: String,
}

async fn decide(
    st: AppState,
    cu: CurrentUser,
    id: i64,
    accept: bool,
    f: DecisionForm,
) -> AppResult<Response> {
    let draft = DecisionDraft { note: Some(f.note) };
    let p = key_figures::decide(
        &st,
        &cu.audit(),
        cu.actor(),
        KeyFigureProposalId(id),
        accept,
        &draft,
    )
    .await?;
    Ok(see_other(&if f.back == "list" {
        "/key-figures".to_owned()
    } else {
        format!("/orgs/{}#key-figures", p.org_id)
    }))
}

/// The office takes the proposed figures over.
pub async fn accept(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    decide(st, cu, id, true, f).await
}

/// The office refuses the proposed figures.
pub async fn reject(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<DecisionForm>,
) -> AppResult<Response> {
    decide(st, cu, id, false, f).await
}
