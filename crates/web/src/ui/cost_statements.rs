//! Statement pages: the office previews a split, compares keys and issues statements; members
//! read their own statement step by step and download it as PDF or XLSX.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::OrgId;
use verbund_domain::authz::Permission;
use verbund_domain::costs::{Metric, StatementDocument, StepRule};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{CostKeyId, StatementId};
use verbund_store::StoredKey;

use super::costs::{StatementRow, eur, overview, pct};
use super::{Layout, render, render_invalid};
use crate::AppState;
use crate::context::CurrentUser;
use crate::download::Download;
use crate::error::{AppError, AppResult};
use crate::extract::IdPath;
use crate::i18n::Lang;
use verbund_app::costs;
use verbund_app::statements::{self, CompareRow};

/// A row of the split table.
pub struct SplitRow {
    pub member: i64,
    pub name: String,
    pub population: String,
    pub staff: String,
    pub it: String,
    pub days: u16,
    pub percent: String,
    pub amount: String,
    pub credits: String,
    pub payable: String,
    pub standalone: String,
    pub savings: String,
}

fn rows(d: &StatementDocument) -> Vec<SplitRow> {
    // Show every metric from the member data used, not only those the key needed.
    let metric = |m: OrgId, k: Metric| {
        d.member(m)
            .and_then(|x| x.metric(k))
            .map(|v| v.to_string())
            .unwrap_or_else(|| "–".into())
    };
    d.statement
        .allocation
        .members
        .iter()
        .map(|m| {
            let bill = d.statement.bill(m.member);
            let sav = d
                .savings
                .as_ref()
                .and_then(|r| r.members.iter().find(|x| x.member == m.member));
            SplitRow {
                member: m.member.0,
                name: m.name.clone(),
                population: metric(m.member, Metric::Population),
                staff: metric(m.member, Metric::Staff),
                it: metric(m.member, Metric::ItWorkplaces),
                days: m.membership_days,
                percent: pct(&m.share.percent),
                amount: eur(m.amount.0),
                credits: bill
                    .map(|b| eur(b.credits.iter().map(|c| c.amount.0).sum::<i64>()))
                    .unwrap_or_default(),
                payable: bill.map(|b| eur(b.payable.0)).unwrap_or_default(),
                standalone: sav
                    .map(|x| eur(x.standalone.0))
                    .unwrap_or_else(|| "–".into()),
                savings: sav.map(|x| eur(x.savings.0)).unwrap_or_else(|| "–".into()),
            }
        })
        .collect()
}

/// The totals above the split table.
pub struct Totals {
    pub budget_total: String,
    pub lines: Vec<(String, String)>,
    pub subsidies: Vec<(String, String, bool)>,
    pub shared_total: String,
    pub total_payable: String,
    pub total_savings: String,
    pub steps: Vec<String>,
}

fn rule_text(lang: Lang, rule: &StepRule) -> String {
    match rule {
        StepRule::Split { parts } => {
            lang.t_args("costs-rule-split", &[("parts", parts.len().to_string())])
        }
        StepRule::Equal { count } => {
            lang.t_args("costs-rule-equal", &[("count", count.to_string())])
        }
        StepRule::ByMetric { metric, total } => lang.t_args(
            "costs-rule-metric",
            &[
                ("metric", lang.t(metric_key(*metric))),
                ("total", total.to_string()),
            ],
        ),
        StepRule::Manual => lang.t("costs-rule-manual"),
    }
}

fn metric_key(m: Metric) -> &'static str {
    match m {
        Metric::Population => "field-population",
        Metric::Staff => "field-staff",
        Metric::ItWorkplaces => "field-it-workplaces",
    }
}

fn totals(lang: Lang, d: &StatementDocument) -> Totals {
    let s = &d.statement;
    Totals {
        budget_total: eur(s.budget_total.0),
        lines: s
            .budget_by_category
            .iter()
            .map(|(c, v)| (lang.tf("cost-category-", c.code()), eur(v.0)))
            .collect(),
        subsidies: s
            .subsidies
            .iter()
            .map(|x| {
                (
                    x.subsidy.clone(),
                    eur(x.instalment.0),
                    x.reduces_shared_total,
                )
            })
            .collect(),
        shared_total: eur(s.shared_total.0),
        total_payable: eur(s.bills.iter().map(|b| b.payable.0).sum::<i64>()),
        total_savings: d
            .savings
            .as_ref()
            .map(|r| eur(r.total_savings.0))
            .unwrap_or_else(|| "–".into()),
        steps: s
            .allocation
            .steps
            .iter()
            .map(|k| {
                format!(
                    "{} – {}: {}",
                    k.node,
                    rule_text(lang, &k.rule),
                    pct(&k.share_of_total.percent)
                )
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "cost_preview.html")]
struct PreviewPage {
    l: Layout,
    year: i32,
    key_id: CostKeyId,
    key_name: String,
    key_version: i64,
    locked: bool,
    t: Totals,
    rows: Vec<SplitRow>,
    /// Whether any member gets a credit: the column is left out otherwise, so the table
    /// fits a 1366 px screen.
    has_credits: bool,
    can_issue: bool,
    keys: Vec<StoredKey>,
}

#[derive(Deserialize)]
pub struct CalcParams {
    year: i32,
    key: i64,
}

pub async fn preview(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<CalcParams>,
) -> AppResult<Response> {
    let p = match statements::preview(&st, cu.actor(), q.year, CostKeyId(q.key)).await {
        Ok(p) => p,
        Err(verbund_app::Error::Invalid(e)) => {
            return Ok(render_invalid(&overview(&st, &cu, q.year, e.into()).await?));
        }
        Err(verbund_app::Error::BadInput { code, detail }) => {
            tracing::info!(%detail, "preview refused");
            return Ok(render_invalid(
                &overview(
                    &st,
                    &cu,
                    q.year,
                    ValidationErrors::single("general", code).into(),
                )
                .await?,
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let mut l = Layout::user(&cu, "cost-preview-title", "costs");
    l.title = format!("{} {}", l.title, q.year);
    let d = &p.document;
    Ok(render(&PreviewPage {
        year: q.year,
        key_id: CostKeyId(q.key),
        key_name: d.key_name.clone(),
        key_version: d.key_version,
        locked: p.locked,
        t: totals(l.lang, d),
        rows: rows(d),
        has_credits: d.statement.bills.iter().any(|b| !b.credits.is_empty()),
        can_issue: cu
            .actor()
            .check_office(Permission::ManageFederation)
            .is_ok(),
        keys: costs::keys(&st, cu.actor()).await?,
        l,
    }))
}

#[derive(Template)]
#[template(path = "cost_compare.html")]
struct ComparePage {
    l: Layout,
    year: i32,
    a: String,
    b: String,
    rows: Vec<(String, String, String, String, bool)>,
}

#[derive(Deserialize)]
pub struct CompareParams {
    year: i32,
    a: i64,
    b: i64,
}

pub async fn compare(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<CompareParams>,
) -> AppResult<Response> {
    let rows: Vec<CompareRow> =
        statements::compare(&st, cu.actor(), q.year, CostKeyId(q.a), CostKeyId(q.b)).await?;
    let (a, b) = (
        key_label(&st, &cu, q.a).await?,
        key_label(&st, &cu, q.b).await?,
    );
    let rows = rows
        .into_iter()
        .map(|r| {
            (
                r.name,
                eur(r.a_cents),
                eur(r.b_cents),
                eur(r.diff_cents),
                r.diff_cents > 0,
            )
        })
        .collect();
    Ok(render(&ComparePage {
        l: Layout::user(&cu, "cost-compare-title", "costs"),
        year: q.year,
        a,
        b,
        rows,
    }))
}

async fn key_label(st: &AppState, cu: &CurrentUser, id: i64) -> AppResult<String> {
    let k = costs::key(st, cu.actor(), CostKeyId(id)).await?;
    Ok(format!("{} (v{})", k.key.name, k.version))
}

/// One leaf step of the key as it reached one member.
pub struct MyStep {
    pub path: String,
    pub rule: String,
    pub node_share: String,
    pub value: String,
    pub of_node: String,
    pub of_total: String,
}

/// One member's calculation, step by step.
pub struct OwnPart {
    pub member: i64,
    pub name: String,
    pub steps: Vec<MyStep>,
    pub days: u16,
    pub days_in_year: u16,
    pub share: String,
    pub exact: String,
    pub amount: String,
    pub extra_cent: bool,
    pub credits: Vec<(String, String)>,
    pub payable: String,
    pub standalone: String,
    pub savings: String,
}

fn own_part(lang: Lang, d: &StatementDocument, member: OrgId) -> Option<OwnPart> {
    let a = &d.statement.allocation;
    let line = a.members.iter().find(|m| m.member == member)?;
    let bill = d.statement.bill(member)?;
    let sav = d
        .savings
        .as_ref()
        .and_then(|r| r.members.iter().find(|x| x.member == member));
    let steps = a
        .steps
        .iter()
        .filter_map(|s| {
            let mine = s.members.iter().find(|m| m.member == member)?;
            Some(MyStep {
                path: s.node.clone(),
                rule: rule_text(lang, &s.rule),
                node_share: pct(&s.share_of_total.percent),
                value: match (&s.rule, mine.value) {
                    (StepRule::Manual, Some(bp)) => format!("{},{:02} %", bp / 100, bp % 100),
                    (_, Some(v)) => v.to_string(),
                    (_, None) => "–".into(),
                },
                of_node: pct(&mine.share_of_node.percent),
                of_total: pct(&mine.share_of_total.percent),
            })
        })
        .collect();
    Some(OwnPart {
        member: member.0,
        name: line.name.clone(),
        steps,
        days: line.membership_days,
        days_in_year: a.days_in_year,
        share: pct(&line.share.percent),
        exact: format!("{} €", line.exact_euros.replace('.', ",")),
        amount: eur(line.amount.0),
        extra_cent: line.extra_cent,
        credits: bill
            .credits
            .iter()
            .map(|c| (c.subsidy.clone(), eur(c.amount.0)))
            .collect(),
        payable: eur(bill.payable.0),
        standalone: sav
            .map(|x| eur(x.standalone.0))
            .unwrap_or_else(|| "–".into()),
        savings: sav.map(|x| eur(x.savings.0)).unwrap_or_else(|| "–".into()),
    })
}

#[derive(Template)]
#[template(path = "cost_statement.html")]
struct StatementPage {
    l: Layout,
    row: StatementRow,
    office: bool,
    shared_total: String,
    t: Totals,
    own: Option<OwnPart>,
    rows: Vec<SplitRow>,
}

#[derive(Deserialize, Default)]
pub struct MemberParam {
    member: Option<i64>,
}

/// An issued statement: the office sees the whole split (and may pick a member's view with
/// `?member=`), a member sees its own calculation.
pub async fn statement(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<MemberParam>,
) -> AppResult<Response> {
    let office = cu.actor().check_office(Permission::ReadCosts).is_ok();
    // The whole document is reduced below: a member's page shows only its own line and the
    // totals, and members not included got 404 already.
    let (stored, d) = statements::with_document(&st, cu.actor(), StatementId(id)).await?;
    let lang = cu.ctx.lang;
    let member = match (office, q.member) {
        (true, m) => m.map(OrgId),
        (false, asked) => {
            let own = stored.document["member"].as_i64();
            if asked.is_some_and(|m| Some(m) != own) {
                return Err(AppError::NotFound);
            }
            own.map(OrgId)
        }
    };
    let own = match member {
        Some(m) => Some(own_part(lang, &d, m).ok_or(AppError::NotFound)?),
        None => None,
    };
    let mut l = Layout::user(&cu, "cost-statement-title", "costs");
    l.title = format!("{} {}", l.title, stored.year);
    Ok(render(&StatementPage {
        row: StatementRow::from(&stored),
        office,
        shared_total: eur(d.statement.shared_total.0),
        t: totals(lang, &d),
        rows: if office && own.is_none() {
            rows(&d)
        } else {
            vec![]
        },
        own,
        l,
    }))
}

/// The statement letter as PDF.
pub async fn statement_pdf(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<MemberParam>,
) -> AppResult<Download> {
    Ok(Download(
        statements::statement_pdf(&st, cu.actor(), StatementId(id), q.member.map(OrgId)).await?,
    ))
}

/// The calculation as XLSX.
pub async fn statement_xlsx(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<MemberParam>,
) -> AppResult<Download> {
    Ok(Download(
        statements::statement_xlsx(&st, cu.actor(), StatementId(id), q.member.map(OrgId)).await?,
    ))
}
