//! Issuing a statement (office): a confirmation page shows what will be issued and that it
//! cannot be undone; payment references and the due date can be changed there. All letters
//! of an issued statement download as one ZIP file.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::Permission;
use verbund_domain::{CostKeyId, OrgId, StatementId};

use super::costs::eur;
use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::download::Download;
use crate::error::{AppError, AppResult};
use crate::extract::IdPath;
use verbund_app::statements::{self, IssueDraft, IssueOptions};

/// A member's row on the confirmation page.
pub struct ConfirmRow {
    pub member: i64,
    pub name: String,
    pub payable: String,
    pub reference: String,
    pub address: String,
}

#[derive(Template)]
#[template(path = "cost_issue.html")]
struct ConfirmPage {
    l: Layout,
    year: i32,
    key_id: i64,
    key: String,
    locked: bool,
    shared_total: String,
    total: String,
    due_on: String,
    fingerprint: String,
    account: Option<(String, String, String, String)>,
    signer: String,
    rows: Vec<ConfirmRow>,
    warnings: Vec<String>,
    errors: FormErrors,
    stale: bool,
}

fn page(cu: &CurrentUser, d: IssueDraft, errors: FormErrors, stale: bool) -> ConfirmPage {
    let mut l = Layout::user(cu, "cost-issue-title", "costs");
    l.title = format!("{} {}", l.title, d.year);
    ConfirmPage {
        year: d.year,
        key_id: d.key_id.0,
        key: format!("{} (v{})", d.key_name, d.key_version),
        locked: d.locked,
        shared_total: eur(d.shared_total_cents),
        total: eur(d.total_payable_cents),
        due_on: statements::due_text(d.due_on),
        fingerprint: d.fingerprint,
        account: d.account.map(|a| {
            (
                a.holder,
                a.iban.grouped(),
                a.bic.unwrap_or_default(),
                a.bank.unwrap_or_default(),
            )
        }),
        signer: d
            .signer
            .map(|s| match s.role {
                Some(r) => format!("{}, {r}", s.name),
                None => s.name,
            })
            .unwrap_or_default(),
        rows: d
            .members
            .into_iter()
            .map(|m| ConfirmRow {
                member: m.member.0,
                name: m.name,
                payable: eur(m.payable_cents),
                reference: m.reference,
                address: m.address.unwrap_or_default().replace('\n', ", "),
            })
            .collect(),
        warnings: d.warnings,
        errors,
        stale,
        l,
    }
}

#[derive(Deserialize)]
pub struct ConfirmParams {
    year: i32,
    key: i64,
}

/// The confirmation page: what issuing would store, with the references and due date.
pub async fn confirm(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<ConfirmParams>,
) -> AppResult<Response> {
    let d = statements::draft(
        &st,
        cu.actor(),
        q.year,
        CostKeyId(q.key),
        &IssueOptions::default(),
    )
    .await?;
    Ok(render(&page(&cu, d, FormErrors::default(), false)))
}

/// The confirmation form: `year`, `key`, `due_on`, `fingerprint` and one `ref-<member>` per
/// member (other fields, such as the CSRF token, are ignored).
fn options(fields: &[(String, String)]) -> (Option<i32>, Option<i64>, IssueOptions) {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let references = fields
        .iter()
        .filter_map(|(k, v)| {
            let id = k.strip_prefix("ref-")?.parse::<i64>().ok()?;
            Some((OrgId(id), v.clone()))
        })
        .collect();
    (
        get("year").and_then(|y| y.trim().parse().ok()),
        get("key").and_then(|k| k.trim().parse().ok()),
        IssueOptions {
            due_on: get("due_on"),
            references,
            fingerprint: get("fingerprint").filter(|f| !f.is_empty()),
        },
    )
}

/// Issues the statement as confirmed. Without the confirmation page's fingerprint nothing
/// is issued: the browser is sent to the confirmation page first. Figures changed since the
/// page was shown, or a bad reference or date: the page again, with the current figures.
pub async fn issue(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    // Members learn nothing about the office's action, not even where it would lead.
    cu.actor()
        .check_office(Permission::ManageFederation)
        .map_err(verbund_app::Error::from)?;
    let (Some(year), Some(key), opts) = options(&fields) else {
        return Err(AppError::NotFound);
    };
    if opts.fingerprint.is_none() {
        return Ok(see_other(&format!(
            "/costs/statements/new?year={year}&key={key}"
        )));
    }
    let r = statements::issue(&st, &cu.audit(), cu.actor(), year, CostKeyId(key), &opts).await;
    let (errors, stale) = match r {
        Ok(s) => return Ok(see_other(&format!("/costs/statements/{}", s.id))),
        Err(verbund_app::Error::Invalid(e)) => (FormErrors::from(e), false),
        Err(verbund_app::Error::Stale) => (FormErrors::default(), true),
        Err(e) => return Err(e.into()),
    };
    // Show the page again: with the office's entries if they were the problem, with fresh
    // figures (and fresh references) if the figures changed.
    let shown = if stale {
        IssueOptions::default()
    } else {
        IssueOptions {
            fingerprint: None,
            ..opts.clone()
        }
    };
    let d = match statements::draft(&st, cu.actor(), year, CostKeyId(key), &shown).await {
        Ok(d) => d,
        Err(verbund_app::Error::Invalid(_)) => {
            statements::draft(
                &st,
                cu.actor(),
                year,
                CostKeyId(key),
                &IssueOptions::default(),
            )
            .await?
        }
        Err(e) => return Err(e.into()),
    };
    let mut p = page(&cu, d, errors, stale);
    if !stale {
        // Keep what was typed, valid or not, so the office can correct it.
        for r in &mut p.rows {
            if let Some(v) = opts.references.get(&OrgId(r.member)) {
                r.reference.clone_from(v);
            }
        }
        if let Some(due) = opts.due_on {
            p.due_on = due;
        }
    }
    Ok(render_invalid(&p))
}

/// All letters of a statement as one ZIP file (office).
pub async fn statement_zip(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Download> {
    Ok(Download(
        statements::statement_zip(&st, cu.actor(), StatementId(id)).await?,
    ))
}
