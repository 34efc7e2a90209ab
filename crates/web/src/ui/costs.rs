//! Cost sharing pages: the office plans budgets, subsidies and keys, previews and compares
//! splits and issues statements; members read their own statements.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::Permission;
use verbund_domain::costs::{Metric, YearStatement};
use verbund_domain::validation::ValidationErrors;
use verbund_store::{StoredBudgetLine, StoredKey, StoredStatement, StoredSubsidy};

use super::users::OrgOption;
use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::api::IdPath;
use crate::context::CurrentUser;
use crate::costs::{self, CompareRow, KeyForm, LineDraft, Preview, SubsidyDraft};
use crate::error::{AppError, AppResult};

/// Formats cents as German euros: `1.234,56 €`.
pub fn eur(cents: impl std::borrow::Borrow<i64>) -> String {
    let cents = *cents.borrow();
    let neg = cents < 0;
    let c = cents.unsigned_abs();
    let euros = (c / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(ch);
    }
    format!("{}{grouped},{:02} €", if neg { "−" } else { "" }, c % 100)
}

/// Formats a percentage string like `17.5000` the German way: `17,5000 %`.
pub fn pct(p: &str) -> String {
    format!("{} %", p.replace('.', ","))
}

#[derive(Deserialize, Default)]
pub struct YearParam {
    year: Option<i32>,
}

fn this_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

#[derive(Template)]
#[template(path = "costs.html")]
struct Overview {
    l: Layout,
    office: bool,
    can_manage: bool,
    year: i32,
    years: Vec<i32>,
    lines: Vec<StoredBudgetLine>,
    total: String,
    subsidies: Vec<StoredSubsidy>,
    keys: Vec<StoredKey>,
    statements: Vec<StatementRow>,
    errors: FormErrors,
}

/// A statement in the list.
pub struct StatementRow {
    pub id: i64,
    pub year: i32,
    pub issued: String,
    pub by: String,
    pub key: String,
}

impl From<&StoredStatement> for StatementRow {
    fn from(s: &StoredStatement) -> Self {
        let d = &s.document;
        let key = d["key"]["key"]["name"]
            .as_str()
            .or(d["key"]["name"].as_str())
            .unwrap_or("")
            .to_owned();
        let version = d["key"]["version"].as_i64().unwrap_or(0);
        Self {
            id: s.id,
            year: s.year,
            issued: fmt_ms(s.issued_at_ms),
            by: s.issued_by.clone(),
            key: format!("{key} (v{version})"),
        }
    }
}

async fn overview(
    st: &AppState,
    cu: &CurrentUser,
    year: i32,
    errors: FormErrors,
) -> AppResult<Overview> {
    let a = cu.actor();
    let office = a.check_office(Permission::ReadCosts).is_ok();
    let statements: Vec<StatementRow> = costs::statements(st, a, None)
        .await?
        .iter()
        .map(StatementRow::from)
        .collect();
    let (lines, total, subsidies, keys, years) = if office {
        let b = costs::budget(st, a, year).await?;
        let fed = st.store.federation().await?.ok_or(AppError::NotFound)?;
        let mut years = st.store.budget_years(fed.id).await?;
        for y in [year, this_year(), this_year() + 1] {
            if !years.contains(&y) {
                years.push(y);
            }
        }
        years.sort_unstable();
        (
            b.lines,
            eur(b.total_cents),
            costs::subsidies(st, a).await?,
            costs::keys(st, a).await?,
            years,
        )
    } else {
        (vec![], String::new(), vec![], vec![], vec![])
    };
    Ok(Overview {
        l: Layout::user(cu, "costs-title", "costs"),
        office,
        can_manage: a.check_office(Permission::ManageFederation).is_ok(),
        year,
        years,
        lines,
        total,
        subsidies,
        keys,
        statements,
        errors,
    })
}

pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<YearParam>,
) -> AppResult<Response> {
    Ok(render(
        &overview(
            &st,
            &cu,
            p.year.unwrap_or_else(this_year),
            FormErrors::default(),
        )
        .await?,
    ))
}

/// The new-line form.
#[derive(Deserialize)]
pub struct LineForm {
    year: i32,
    #[serde(default)]
    category: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    note: String,
}

async fn or_page(
    st: &AppState,
    cu: &CurrentUser,
    year: i32,
    r: AppResult<()>,
) -> AppResult<Response> {
    match r {
        Ok(()) => Ok(see_other(&format!("/costs?year={year}"))),
        Err(AppError::Invalid(e)) => Ok(render_invalid(&overview(st, cu, year, e.into()).await?)),
        Err(AppError::BadRequest { code, .. }) => Ok(render_invalid(
            &overview(
                st,
                cu,
                year,
                ValidationErrors::single("general", code).into(),
            )
            .await?,
        )),
        Err(e) => Err(e),
    }
}

pub async fn add_line(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<LineForm>,
) -> AppResult<Response> {
    let d = LineDraft {
        category: f.category,
        amount_cents: None,
        amount: Some(f.amount),
        note: Some(f.note),
    };
    let r = costs::add_line(&st, &cu.audit(), cu.actor(), f.year, &d)
        .await
        .map(|_| ());
    or_page(&st, &cu, f.year, r).await
}

pub async fn delete_line(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let l = costs::delete_line(&st, &cu.audit(), cu.actor(), id).await?;
    Ok(see_other(&format!("/costs?year={}", l.year)))
}

/// Copy a budget.
#[derive(Deserialize)]
pub struct CopyForm {
    from: i32,
    #[serde(default)]
    to: String,
    #[serde(default)]
    index: String,
}

pub async fn copy(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<CopyForm>,
) -> AppResult<Response> {
    let to =
        f.to.trim()
            .parse::<i32>()
            .map_err(|_| ValidationErrors::single("to", "error-year"));
    let index = match f
        .index
        .trim()
        .replace(',', ".")
        .trim_end_matches('%')
        .trim()
        .parse::<f64>()
    {
        Ok(v) if v.abs() <= 50.0 => Ok((v * 100.0).round() as i32),
        _ if f.index.trim().is_empty() => Ok(0),
        _ => Err(ValidationErrors::single("index", "error-percent")),
    };
    let r = match (to, index) {
        (Ok(to), Ok(ix)) => costs::copy_budget(&st, &cu.audit(), cu.actor(), f.from, to, ix)
            .await
            .map(|_| to),
        (Err(e), _) | (_, Err(e)) => Err(e.into()),
    };
    match r {
        Ok(to) => Ok(see_other(&format!("/costs?year={to}"))),
        Err(e) => or_page(&st, &cu, f.from, Err(e)).await,
    }
}

/// A new subsidy.
#[derive(Deserialize)]
pub struct SubsidyForm {
    year: i32,
    #[serde(default)]
    name: String,
    #[serde(default)]
    total: String,
    #[serde(default)]
    first_year: String,
    #[serde(default)]
    last_year: String,
}

pub async fn add_subsidy(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<SubsidyForm>,
) -> AppResult<Response> {
    let mut e = ValidationErrors::default();
    let total = e.check("total", verbund_domain::costs::parse_euros(&f.total));
    let first = e.check(
        "first_year",
        f.first_year.trim().parse::<i32>().map_err(|_| "error-year"),
    );
    let last = e.check(
        "last_year",
        f.last_year.trim().parse::<i32>().map_err(|_| "error-year"),
    );
    let r = match (total, first, last) {
        (Some(t), Some(a), Some(b)) if e.0.is_empty() => {
            let d = SubsidyDraft {
                name: f.name,
                total_cents: t.0,
                first_year: a,
                last_year: b,
                application: None,
            };
            costs::save_subsidy(&st, &cu.audit(), cu.actor(), None, &d)
                .await
                .map(|_| ())
        }
        _ => Err(e.into()),
    };
    or_page(&st, &cu, f.year, r).await
}

pub async fn delete_subsidy(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    costs::delete_subsidy(&st, &cu.audit(), cu.actor(), id).await?;
    Ok(see_other("/costs"))
}

#[derive(Template)]
#[template(path = "cost_key_form.html")]
struct KeyPage {
    l: Layout,
    form: KeyForm,
    errors: FormErrors,
    orgs: Vec<OrgOption>,
}

async fn key_page(
    st: &AppState,
    cu: &CurrentUser,
    form: KeyForm,
    errors: FormErrors,
) -> AppResult<KeyPage> {
    cu.actor().check_office(Permission::ManageFederation)?;
    let fed = st.store.federation().await?.ok_or(AppError::NotFound)?;
    let orgs = st
        .store
        .member_rows(fed.id)
        .await?
        .into_iter()
        .map(|(o, _)| OrgOption {
            id: o.id,
            name: o.name,
        })
        .collect();
    Ok(KeyPage {
        l: Layout::user(cu, "cost-key-new", "costs"),
        form,
        errors,
        orgs,
    })
}

pub async fn new_key(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let form = KeyForm {
        preset: "host".into(),
        host_percent: "30".into(),
        base_percent: "50".into(),
        metric: "population".into(),
        ..Default::default()
    };
    Ok(render(
        &key_page(&st, &cu, form, FormErrors::default()).await?,
    ))
}

pub async fn create_key(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<KeyForm>,
) -> AppResult<Response> {
    let r = match f.to_draft() {
        Ok(d) => costs::save_key(&st, &cu.audit(), cu.actor(), None, &d).await,
        Err(e) => Err(e.into()),
    };
    let errors: FormErrors = match r {
        Ok(k) => {
            return Ok(see_other(&format!(
                "/costs/preview?year={}&key={}",
                this_year(),
                k.id
            )));
        }
        Err(AppError::Invalid(e)) => e.into(),
        Err(AppError::BadRequest { code, .. }) => ValidationErrors::single("preset", code).into(),
        Err(e) => return Err(e),
    };
    Ok(render_invalid(&key_page(&st, &cu, f, errors).await?))
}

/// A row of the preview table.
pub struct PreviewRow {
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

fn rows(s: &YearStatement, p: &Preview) -> Vec<PreviewRow> {
    // Show every metric from the member data used, not only those the key needed.
    let metric = |m: &verbund_domain::costs::MemberShare, k: Metric| {
        p.members
            .iter()
            .find(|x| x.id == m.member)
            .and_then(|x| x.metric(k))
            .map(|v| v.to_string())
            .unwrap_or_else(|| "–".into())
    };
    s.allocation
        .members
        .iter()
        .map(|m| {
            let bill = s.bill(m.member);
            let sav = p
                .savings
                .as_ref()
                .and_then(|r| r.members.iter().find(|x| x.member == m.member));
            PreviewRow {
                name: m.name.clone(),
                population: metric(m, Metric::Population),
                staff: metric(m, Metric::Staff),
                it: metric(m, Metric::ItWorkplaces),
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

#[derive(Template)]
#[template(path = "cost_preview.html")]
struct PreviewPage {
    l: Layout,
    year: i32,
    key_id: i64,
    key_name: String,
    key_version: i64,
    locked: bool,
    budget_total: String,
    shared_total: String,
    subsidies: Vec<(String, String)>,
    rows: Vec<PreviewRow>,
    total_payable: String,
    total_savings: String,
    steps: Vec<String>,
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
    let p = match costs::preview(&st, cu.actor(), q.year, q.key).await {
        Ok(p) => p,
        Err(AppError::Invalid(e)) => {
            return Ok(render_invalid(&overview(&st, &cu, q.year, e.into()).await?));
        }
        Err(AppError::BadRequest { code, detail }) => {
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
        Err(e) => return Err(e),
    };
    let s = &p.statement;
    let mut l = Layout::user(&cu, "cost-preview-title", "costs");
    l.title = format!("{} {}", l.title, q.year);
    let steps = s
        .allocation
        .steps
        .iter()
        .map(|k| format!("{}: {}", k.node, pct(&k.share_of_total.percent)))
        .collect();
    Ok(render(&PreviewPage {
        l,
        year: q.year,
        key_id: q.key,
        key_name: p.key.key.name.clone(),
        key_version: p.key.version,
        locked: p.key.locked,
        budget_total: eur(s.budget_total.0),
        shared_total: eur(s.shared_total.0),
        subsidies: s
            .subsidies
            .iter()
            .map(|x| (x.subsidy.clone(), eur(x.instalment.0)))
            .collect(),
        rows: rows(s, &p),
        total_payable: eur(s.bills.iter().map(|b| b.payable.0).sum::<i64>()),
        total_savings: p
            .savings
            .as_ref()
            .map(|r| eur(r.total_savings.0))
            .unwrap_or_else(|| "–".into()),
        steps,
        can_issue: cu
            .actor()
            .check_office(Permission::ManageFederation)
            .is_ok(),
        keys: costs::keys(&st, cu.actor()).await?,
    }))
}

#[derive(Deserialize)]
pub struct IssueForm {
    year: i32,
    key: i64,
}

pub async fn issue(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<IssueForm>,
) -> AppResult<Response> {
    let s = costs::issue(&st, &cu.audit(), cu.actor(), f.year, f.key).await?;
    Ok(see_other(&format!("/costs/statements/{}", s.id)))
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
    let rows: Vec<CompareRow> = costs::compare(&st, cu.actor(), q.year, q.a, q.b).await?;
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
    costs::key(st, cu.actor(), id)
        .await
        .map(|k| format!("{} (v{})", k.key.name, k.version))
}

/// Table rows of an issued statement, read from its stored document.
fn stored_rows(d: &serde_json::Value) -> Vec<PreviewRow> {
    let find = |list: &serde_json::Value, member: &serde_json::Value| {
        list.as_array()
            .and_then(|a| a.iter().find(|x| &x["member"] == member).cloned())
            .unwrap_or_default()
    };
    let cents = |v: &serde_json::Value| v.as_i64().map(eur).unwrap_or_else(|| "–".into());
    d["statement"]["allocation"]["members"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .map(|m| {
                    let bill = find(&d["statement"]["bills"], &m["member"]);
                    let sav = find(&d["savings"]["members"], &m["member"]);
                    PreviewRow {
                        name: m["name"].as_str().unwrap_or("").to_owned(),
                        population: String::new(),
                        staff: String::new(),
                        it: String::new(),
                        days: m["membership_days"]
                            .as_u64()
                            .and_then(|d| u16::try_from(d).ok())
                            .unwrap_or(0),
                        percent: pct(m["share"]["percent"].as_str().unwrap_or("0")),
                        amount: cents(&m["amount"]),
                        credits: String::new(),
                        payable: cents(&bill["payable"]),
                        standalone: cents(&sav["standalone"]),
                        savings: cents(&sav["savings"]),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "cost_statement.html")]
struct StatementPage {
    l: Layout,
    row: StatementRow,
    office: bool,
    budget_total: String,
    shared_total: String,
    lines: Vec<(String, String)>,
    own: Option<(String, String, String, String)>,
    rows: Vec<PreviewRow>,
}

pub async fn statement(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let s = costs::statement(&st, cu.actor(), id).await?;
    let office = cu.actor().check_office(Permission::ReadCosts).is_ok();
    let row = StatementRow::from(&s);
    let d = &s.document;
    let cents = |v: &serde_json::Value| eur(v.as_i64().unwrap_or(0));
    let categories = |v: &serde_json::Value| -> Vec<(String, String)> {
        v.as_object()
            .map(|m| {
                m.iter()
                    .map(|(c, v)| (format!("cost-category-{c}"), cents(v)))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (budget_total, shared_total, lines, own, rows) = if office {
        let st = &d["statement"];
        (
            cents(&st["budget_total"]),
            cents(&st["shared_total"]),
            categories(&st["budget_by_category"]),
            None,
            stored_rows(d),
        )
    } else {
        let lines = categories(&d["budget_by_category"]);
        let own = Some((
            d["bill"]["name"].as_str().unwrap_or("").to_owned(),
            pct(d["share"]["share"]["percent"].as_str().unwrap_or("0")),
            cents(&d["bill"]["payable"]),
            if d["savings"].is_null() {
                "–".into()
            } else {
                cents(&d["savings"]["savings"])
            },
        ));
        (
            cents(&d["budget_total"]),
            cents(&d["shared_total"]),
            lines,
            own,
            vec![],
        )
    };
    let mut l = Layout::user(&cu, "cost-statement-title", "costs");
    l.title = format!("{} {}", l.title, s.year);
    Ok(render(&StatementPage {
        l,
        row,
        office,
        budget_total,
        shared_total,
        lines,
        own,
        rows,
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn euros_are_formatted_the_german_way() {
        assert_eq!(super::eur(2_345_619), "23.456,19 €");
        assert_eq!(super::eur(5), "0,05 €");
        assert_eq!(super::eur(100_000_000), "1.000.000,00 €");
        assert_eq!(super::eur(-1_230), "−12,30 €");
        assert_eq!(super::pct("17.5000"), "17,5000 %");
    }
}
