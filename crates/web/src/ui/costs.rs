//! Cost sharing pages: the office plans budgets, subsidies and keys, previews and compares
//! splits and issues statements; members read their own statements.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::Permission;
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{BudgetLineId, SubsidyId};
use verbund_store::{StoredBudgetLine, StoredKey, StoredStatement, StoredSubsidy};

use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::extract::IdPath;
use verbund_app::costs::{self, LineDraft, SubsidyDraft};
use verbund_app::statements;

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

pub(super) fn this_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

#[derive(Template)]
#[template(path = "costs.html")]
pub(super) struct Overview {
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
        // The office reads the whole document, a member its own part (see `statements::statement`).
        let key = d["key_name"]
            .as_str()
            .or(d["key"]["name"].as_str())
            .unwrap_or("")
            .to_owned();
        let version = d["key_version"]
            .as_i64()
            .or(d["key"]["version"].as_i64())
            .unwrap_or(0);
        Self {
            id: s.id.0,
            year: s.year,
            issued: fmt_ms(s.issued_at_ms),
            by: s.issued_by.clone(),
            key: format!("{key} (v{version})"),
        }
    }
}

pub(super) async fn overview(
    st: &AppState,
    cu: &CurrentUser,
    year: i32,
    errors: FormErrors,
) -> AppResult<Overview> {
    let a = cu.actor();
    let office = a.check_office(Permission::ReadCosts).is_ok();
    let statements: Vec<StatementRow> = statements::statements(st, a, None)
        .await?
        .iter()
        .map(StatementRow::from)
        .collect();
    let (lines, total, subsidies, keys, years) = if office {
        let b = costs::budget(st, a, year).await?;
        let mut years = costs::budget_years(st, a).await?;
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
    or_page(&st, &cu, f.year, r.map_err(Into::into)).await
}

pub async fn delete_line(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let l = costs::delete_line(&st, &cu.audit(), cu.actor(), BudgetLineId(id)).await?;
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
        Err(e) => or_page(&st, &cu, f.from, Err(e.into())).await,
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
    or_page(&st, &cu, f.year, r.map_err(Into::into)).await
}

pub async fn delete_subsidy(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    costs::delete_subsidy(&st, &cu.audit(), cu.actor(), SubsidyId(id)).await?;
    Ok(see_other("/costs"))
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
