//! Cost sharing for the HTML and JSON handlers: authorize, build the domain inputs from stored
//! data, call the pure rules in `verbund_domain::costs`.
//!
//! The office reads and changes budgets, subsidies and keys; members read only their own part
//! of an issued statement.

use serde::{Deserialize, Serialize};
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::costs::{
    AllocationKey, Budget, BudgetLine, Cents, CostCategory, IndexRate, KeyNode, MemberSnapshot,
    SavingsReport, StandaloneCosts, Subsidy, SubsidyApplication, YearStatement, parse_euros,
    settle_year,
};
use verbund_domain::org::{Membership, Organisation};
use verbund_domain::validation::{ValidationErrors, required_text};
use verbund_domain::{FederationId, OrgId};
use verbund_store::{AuditActor, StoredBudgetLine, StoredKey, StoredStatement, StoredSubsidy};

use crate::AppState;
use crate::error::{AppError, AppResult};

/// Years the tools accept.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

async fn federation(st: &AppState) -> AppResult<FederationId> {
    Ok(st.store.federation().await?.ok_or(AppError::NotFound)?.id)
}

fn check_year(year: i32) -> AppResult<i32> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(ValidationErrors::single("year", "error-year").into())
    }
}

/// A year's budget with its total.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BudgetOut {
    /// Year.
    pub year: i32,
    /// Lines in order.
    #[schema(value_type = Vec<Object>)]
    pub lines: Vec<StoredBudgetLine>,
    /// Sum of all lines in cents.
    pub total_cents: i64,
}

/// The budget of a year (office).
pub async fn budget(st: &AppState, actor: &Actor, year: i32) -> AppResult<BudgetOut> {
    actor.check_office(Permission::ReadCosts)?;
    let fed = federation(st).await?;
    let lines = st.store.budget_lines(fed, check_year(year)?).await?;
    let total_cents = lines.iter().map(|l| l.line.amount.0).sum();
    Ok(BudgetOut {
        year,
        lines,
        total_cents,
    })
}

/// A budget line as entered: the amount either in cents (API) or as typed euros (form).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineDraft {
    /// `personnel`, `material`, `external_services`, `overhead`, `other`.
    pub category: String,
    /// Amount in cents (API).
    #[serde(default)]
    pub amount_cents: Option<i64>,
    /// Amount as typed, e.g. `85.000,00` (forms).
    #[serde(default)]
    pub amount: Option<String>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
}

impl LineDraft {
    /// Validates category and amount (not negative).
    pub fn validate(&self) -> Result<BudgetLine, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let category: Option<CostCategory> = e.check(
            "category",
            serde_json::from_value(serde_json::Value::String(self.category.trim().to_owned()))
                .map_err(|_| "error-category"),
        );
        let amount = match (self.amount_cents, self.amount.as_deref()) {
            (Some(c), _) => Some(Cents(c)),
            (None, Some(text)) => e.check("amount", parse_euros(text)),
            (None, None) => {
                e.add("amount", "error-required");
                None
            }
        };
        if amount.is_some_and(|a| a.0 < 0) {
            e.add("amount", "error-negative");
        }
        let note = self.note.as_deref().unwrap_or("").trim().to_owned();
        if note.chars().count() > 200 {
            e.add("note", "error-too-long");
        }
        match (category, amount) {
            (Some(c), Some(a)) if e.0.is_empty() => Ok(BudgetLine::new(c, a, note)),
            _ => Err(e),
        }
    }
}

/// Appends a line (office).
pub async fn add_line(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    year: i32,
    d: &LineDraft,
) -> AppResult<StoredBudgetLine> {
    actor.check_office(Permission::ManageFederation)?;
    let line = d.validate()?;
    Ok(st
        .store
        .add_budget_line(by, federation(st).await?, check_year(year)?, &line)
        .await?)
}

/// Changes a line (office).
pub async fn update_line(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: i64,
    d: &LineDraft,
) -> AppResult<StoredBudgetLine> {
    actor.check_office(Permission::ManageFederation)?;
    let line = d.validate()?;
    Ok(st
        .store
        .update_budget_line(by, federation(st).await?, id, &line)
        .await?)
}

/// Deletes a line (office).
pub async fn delete_line(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: i64,
) -> AppResult<StoredBudgetLine> {
    actor.check_office(Permission::ManageFederation)?;
    Ok(st
        .store
        .delete_budget_line(by, federation(st).await?, id)
        .await?)
}

/// Copies year `from` into the empty year `to`, indexing every line by `index_bp` basis points
/// per year in between (e.g. 250 = +2.5 % a year).
pub async fn copy_budget(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    from: i32,
    to: i32,
    index_bp: i32,
) -> AppResult<Vec<StoredBudgetLine>> {
    actor.check_office(Permission::ManageFederation)?;
    let fed = federation(st).await?;
    if to <= from || !YEARS.contains(&to) {
        return Err(ValidationErrors::single("to", "error-year-after").into());
    }
    if !(-5000..=5000).contains(&index_bp) {
        return Err(ValidationErrors::single("index_bp", "error-range").into());
    }
    let lines: Vec<BudgetLine> = st
        .store
        .budget_lines(fed, check_year(from)?)
        .await?
        .into_iter()
        .map(|l| l.line)
        .collect();
    if lines.is_empty() {
        return Err(ValidationErrors::single("from", "error-budget-empty").into());
    }
    let budget = Budget::new(from, lines).map_err(|e| AppError::BadRequest {
        code: "error-budget",
        detail: e.to_string(),
    })?;
    let steps = usize::try_from(to - from).unwrap_or(1);
    let planned = budget
        .plan(steps, IndexRate(index_bp))
        .map_err(|e| AppError::BadRequest {
            code: "error-budget",
            detail: e.to_string(),
        })?;
    let target = planned.last().ok_or(AppError::bad("error-budget"))?;
    Ok(st.store.create_budget(by, fed, to, target.lines()).await?)
}

/// Subsidies (office).
pub async fn subsidies(st: &AppState, actor: &Actor) -> AppResult<Vec<StoredSubsidy>> {
    actor.check_office(Permission::ReadCosts)?;
    Ok(st.store.subsidies(federation(st).await?).await?)
}

/// A subsidy as entered.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubsidyDraft {
    /// Name, e.g. "Landesförderung IKZ".
    pub name: String,
    /// Total over the whole period, in cents.
    pub total_cents: i64,
    /// First year.
    pub first_year: i32,
    /// Last year.
    pub last_year: i32,
    /// How it is applied; default: reduces the shared total.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub application: Option<SubsidyApplication>,
}

/// Creates or changes a subsidy (office).
pub async fn save_subsidy(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: Option<i64>,
    d: &SubsidyDraft,
) -> AppResult<StoredSubsidy> {
    actor.check_office(Permission::ManageFederation)?;
    let name = required_text(&d.name, 200).map_err(|c| ValidationErrors::single("name", c))?;
    let app = d
        .application
        .clone()
        .unwrap_or(SubsidyApplication::ReduceSharedTotal);
    let s =
        Subsidy::new(name, Cents(d.total_cents), d.first_year, d.last_year, app).map_err(|e| {
            AppError::BadRequest {
                code: "error-subsidy",
                detail: e.to_string(),
            }
        })?;
    Ok(st
        .store
        .save_subsidy(by, federation(st).await?, id, &s)
        .await?)
}

/// Deletes a subsidy (office).
pub async fn delete_subsidy(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: i64,
) -> AppResult<()> {
    actor.check_office(Permission::ManageFederation)?;
    Ok(st
        .store
        .delete_subsidy(by, federation(st).await?, id)
        .await?)
}

/// Key versions (office).
pub async fn keys(st: &AppState, actor: &Actor) -> AppResult<Vec<StoredKey>> {
    actor.check_office(Permission::ReadCosts)?;
    Ok(st.store.cost_keys(federation(st).await?).await?)
}

/// One key version (office).
pub async fn key(st: &AppState, actor: &Actor, id: i64) -> AppResult<StoredKey> {
    actor.check_office(Permission::ReadCosts)?;
    Ok(st.store.cost_key(federation(st).await?, id).await?)
}

/// A key as entered.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyDraft {
    /// Name, e.g. "Finanzierungsschlüssel 2026".
    pub name: String,
    /// The key tree: `{"kind": "equal"}`, `{"kind": "by_metric", "metric": "population"}`, `{"kind": "manual", "shares": […]}` or
    /// `{"kind": "split", "parts": [{"label", "weight" (basis points), "members" ({"kind": "all"/"only"/"except", "members": [ids]}), "key"}]}`.
    #[schema(value_type = Object)]
    pub root: KeyNode,
    /// What members would pay alone, for the savings comparison.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub standalone: Option<StandaloneCosts>,
}

/// Creates or changes a key; a version used by an issued statement becomes a new version.
pub async fn save_key(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    id: Option<i64>,
    d: &KeyDraft,
) -> AppResult<StoredKey> {
    actor.check_office(Permission::ManageFederation)?;
    let name = required_text(&d.name, 200).map_err(|c| ValidationErrors::single("name", c))?;
    let key = AllocationKey {
        name,
        root: d.root.clone(),
    };
    key.check_weights().map_err(|e| AppError::BadRequest {
        code: "error-key",
        detail: e.to_string(),
    })?;
    Ok(st
        .store
        .save_cost_key(
            by,
            federation(st).await?,
            id,
            &key,
            &d.standalone.clone().unwrap_or_default(),
        )
        .await?)
}

/// The member data for `year`: metrics as stored now and the membership period overlapping
/// the year (the earliest start and latest end if several overlap).
pub fn snapshots(year: i32, members: &[(Organisation, Vec<Membership>)]) -> Vec<MemberSnapshot> {
    let Ok(first) = time::Date::from_calendar_date(year, time::Month::January, 1) else {
        return vec![];
    };
    let Ok(last) = time::Date::from_calendar_date(year, time::Month::December, 31) else {
        return vec![];
    };
    members
        .iter()
        .filter_map(|(o, ms)| {
            let overlapping: Vec<&Membership> = ms
                .iter()
                .filter(|m| m.starts_on <= last && m.ends_on.is_none_or(|e| e >= first))
                .collect();
            let start = overlapping.iter().map(|m| m.starts_on).min()?;
            let end = if overlapping.iter().any(|m| m.ends_on.is_none()) {
                None
            } else {
                overlapping.iter().filter_map(|m| m.ends_on).max()
            };
            let metric = |v: Option<i64>| v.and_then(|n| u64::try_from(n).ok());
            Some(MemberSnapshot {
                id: o.id,
                name: o.name.clone(),
                population: metric(o.population),
                staff: metric(o.staff),
                it_workplaces: metric(o.it_workplaces),
                starts_on: Some(start.max(first)),
                ends_on: end.map(|e| e.min(last)),
            })
        })
        .collect()
}

/// A computed (not yet issued) statement with savings.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Preview {
    /// The key version used.
    #[schema(value_type = Object)]
    pub key: StoredKey,
    /// Member data used (metrics and membership dates).
    #[schema(value_type = Vec<Object>)]
    pub members: Vec<MemberSnapshot>,
    /// Budget, subsidies, the key split step by step, and every bill.
    #[schema(value_type = Object)]
    pub statement: YearStatement,
    /// Savings against each member's standalone cost, if the key has standalone costs.
    #[schema(value_type = Option<Object>)]
    pub savings: Option<SavingsReport>,
}

/// What a year's split needs besides the key: loaded once, so a comparison of two keys does
/// not read the budget, subsidies and all members twice.
struct YearInputs {
    budget: Budget,
    subsidies: Vec<Subsidy>,
    members: Vec<MemberSnapshot>,
}

async fn year_inputs(st: &AppState, fed: FederationId, year: i32) -> AppResult<YearInputs> {
    let lines: Vec<BudgetLine> = st
        .store
        .budget_lines(fed, check_year(year)?)
        .await?
        .into_iter()
        .map(|l| l.line)
        .collect();
    if lines.is_empty() {
        return Err(ValidationErrors::single("year", "error-budget-empty").into());
    }
    let budget = Budget::new(year, lines).map_err(|e| AppError::BadRequest {
        code: "error-budget",
        detail: e.to_string(),
    })?;
    let subsidies: Vec<Subsidy> = st
        .store
        .subsidies(fed)
        .await?
        .into_iter()
        .map(|s| s.subsidy)
        .collect();
    let members = snapshots(year, &st.store.member_rows(fed).await?);
    Ok(YearInputs {
        budget,
        subsidies,
        members,
    })
}

fn preview_with(inputs: &YearInputs, key: StoredKey) -> AppResult<Preview> {
    let statement = settle_year(&inputs.budget, &inputs.subsidies, &inputs.members, &key.key)
        .map_err(|e| AppError::BadRequest {
            code: "error-statement",
            detail: e.to_string(),
        })?;
    let has_standalone = key.standalone.common.is_some() || !key.standalone.per_member.is_empty();
    let savings = if has_standalone {
        Some(
            statement
                .savings(&key.standalone)
                .map_err(|e| AppError::BadRequest {
                    code: "error-savings",
                    detail: e.to_string(),
                })?,
        )
    } else {
        None
    };
    Ok(Preview {
        key,
        members: inputs.members.clone(),
        statement,
        savings,
    })
}

/// Computes the statement of `year` with key version `key_id` (office).
pub async fn preview(st: &AppState, actor: &Actor, year: i32, key_id: i64) -> AppResult<Preview> {
    actor.check_office(Permission::ReadCosts)?;
    let fed = federation(st).await?;
    let key = st.store.cost_key(fed, key_id).await?;
    preview_with(&year_inputs(st, fed, year).await?, key)
}

/// One member in a comparison of two keys.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CompareRow {
    /// Member.
    pub member: i64,
    /// Name.
    pub name: String,
    /// Amount under key A, cents.
    pub a_cents: i64,
    /// Amount under key B, cents.
    pub b_cents: i64,
    /// B minus A (positive: pays more under B).
    pub diff_cents: i64,
}

/// Compares what every member pays under two keys for the same year (office).
pub async fn compare(
    st: &AppState,
    actor: &Actor,
    year: i32,
    a: i64,
    b: i64,
) -> AppResult<Vec<CompareRow>> {
    actor.check_office(Permission::ReadCosts)?;
    let fed = federation(st).await?;
    let (ka, kb) = (
        st.store.cost_key(fed, a).await?,
        st.store.cost_key(fed, b).await?,
    );
    let inputs = year_inputs(st, fed, year).await?;
    let pa = preview_with(&inputs, ka)?;
    let pb = preview_with(&inputs, kb)?;
    Ok(pa
        .statement
        .bills
        .iter()
        .map(|x| {
            let other = pb.statement.bill(x.member).map_or(0, |y| y.payable.0);
            CompareRow {
                member: x.member.0,
                name: x.name.clone(),
                a_cents: x.payable.0,
                b_cents: other,
                diff_cents: other - x.payable.0,
            }
        })
        .collect())
}

/// Issues the statement of `year` with key version `key_id`: stores inputs and results
/// unchangeably and locks the key version (office).
pub async fn issue(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    year: i32,
    key_id: i64,
) -> AppResult<StoredStatement> {
    actor.check_office(Permission::ManageFederation)?;
    let p = preview(st, actor, year, key_id).await?;
    let document = serde_json::to_value(&p).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(st
        .store
        .issue_statement(by, federation(st).await?, year, key_id, &document)
        .await?)
}

/// The statements the actor may see: all for the office; for a member, the statements that
/// include it, reduced to its own bill.
pub async fn statements(
    st: &AppState,
    actor: &Actor,
    year: Option<i32>,
) -> AppResult<Vec<StoredStatement>> {
    let fed = federation(st).await?;
    let all = st.store.statements(fed, year).await?;
    if actor.check_office(Permission::ReadCosts).is_ok() {
        return Ok(all);
    }
    Ok(all.into_iter().filter_map(|s| own_part(actor, s)).collect())
}

/// One statement: the office sees it whole, a member only its own part (404 if not included).
pub async fn statement(st: &AppState, actor: &Actor, id: i64) -> AppResult<StoredStatement> {
    let s = st.store.statement(federation(st).await?, id).await?;
    if actor.check_office(Permission::ReadCosts).is_ok() {
        return Ok(s);
    }
    own_part(actor, s).ok_or(AppError::NotFound)
}

/// Reduces a statement to the bill of the one member the actor may read costs of: its own
/// figures plus the totals it needs to check the calculation, nothing about other members.
fn own_part(actor: &Actor, mut s: StoredStatement) -> Option<StoredStatement> {
    let bills = s.document["statement"]["bills"].as_array()?.clone();
    let bill = bills.into_iter().find(|b| {
        b["member"]
            .as_i64()
            .is_some_and(|m| actor.check(Permission::ReadCosts, OrgId(m)).is_ok())
    })?;
    let member = bill["member"].as_i64()?;
    let share = s.document["statement"]["allocation"]["members"]
        .as_array()
        .and_then(|ms| {
            ms.iter()
                .find(|m| m["member"].as_i64() == Some(member))
                .cloned()
        })
        .unwrap_or(serde_json::Value::Null);
    let saving = s.document["savings"]["members"]
        .as_array()
        .and_then(|ms| {
            ms.iter()
                .find(|m| m["member"].as_i64() == Some(member))
                .cloned()
        })
        .unwrap_or(serde_json::Value::Null);
    let st = &s.document["statement"];
    s.document = serde_json::json!({
        "member": member,
        "year": st["year"],
        "budget_total": st["budget_total"],
        "budget_by_category": st["budget_by_category"],
        "subsidies": st["subsidies"],
        "shared_total": st["shared_total"],
        "key": { "name": s.document["key"]["key"]["name"], "version": s.document["key"]["version"], "root": s.document["key"]["key"]["root"] },
        "share": share,
        "bill": bill,
        "savings": saving,
    });
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use verbund_domain::MembershipId;
    use verbund_domain::org::OrgKind;
    use verbund_domain::validation::parse_date;

    fn org(id: i64, name: &str) -> Organisation {
        Organisation {
            id: OrgId(id),
            federation_id: FederationId(1),
            name: name.into(),
            kind: OrgKind::Gemeinde,
            ags: None,
            population: Some(1000),
            staff: Some(-1),
            it_workplaces: None,
            address: None,
            version: 1,
        }
    }

    fn m(org: i64, from: &str, to: Option<&str>) -> Membership {
        Membership {
            id: MembershipId(1),
            org_id: OrgId(org),
            starts_on: parse_date(from).unwrap(),
            ends_on: to.map(|t| parse_date(t).unwrap()),
            note: None,
        }
    }

    #[test]
    fn snapshots_clip_memberships_to_the_year_and_skip_non_members() {
        let rows = vec![
            (org(1, "Alt"), vec![m(1, "2020-01-01", None)]),
            (org(2, "Neu"), vec![m(2, "2026-07-01", None)]),
            (org(3, "Weg"), vec![m(3, "2020-01-01", Some("2026-03-31"))]),
            (org(4, "Nie"), vec![m(4, "2027-01-01", None)]),
            (org(5, "Ohne"), vec![]),
        ];
        let s = snapshots(2026, &rows);
        let d = |x: &str| Some(parse_date(x).unwrap());
        let got: Vec<_> = s
            .iter()
            .map(|x| (x.name.as_str(), x.starts_on, x.ends_on))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Alt", d("2026-01-01"), None),
                ("Neu", d("2026-07-01"), None),
                ("Weg", d("2026-01-01"), d("2026-03-31"))
            ]
        );
        assert_eq!(s[0].staff, None, "a negative figure is no metric");
        assert_eq!(s[0].population, Some(1000));
    }

    #[test]
    fn line_draft_accepts_typed_euros_and_rejects_negative_amounts() {
        let d = LineDraft {
            category: "personnel".into(),
            amount: Some("85.000,00".into()),
            ..Default::default()
        };
        assert_eq!(d.validate().unwrap().amount, Cents(8_500_000));
        let neg = LineDraft {
            category: "material".into(),
            amount_cents: Some(-1),
            ..Default::default()
        };
        assert_eq!(
            neg.validate().unwrap_err(),
            ValidationErrors::single("amount", "error-negative")
        );
        let bad = LineDraft {
            category: "snacks".into(),
            amount: Some("viel".into()),
            ..Default::default()
        };
        assert_eq!(bad.validate().unwrap_err().0.len(), 2);
    }
}

/// A key as composed in the form: a preset plus its parameters, or free JSON.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KeyForm {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// `equal`, `metric`, `base`, `host` or `json`.
    #[serde(default)]
    pub preset: String,
    /// Metric for the variable part: `population`, `staff`, `it_workplaces`.
    #[serde(default)]
    pub metric: String,
    /// Percentage of the equal (base) part, e.g. `30` or `50`.
    #[serde(default)]
    pub base_percent: String,
    /// Host organisation (e.g. the Kreis) carrying a fixed part.
    #[serde(default)]
    pub host: String,
    /// Percentage the host carries.
    #[serde(default)]
    pub host_percent: String,
    /// Free definition (preset `json`).
    #[serde(default)]
    pub json: String,
    /// Standalone cost per member, as typed euros (optional).
    #[serde(default)]
    pub standalone: String,
}

fn percent_bp(field: &str, text: &str, e: &mut ValidationErrors) -> Option<u32> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let v: Option<f64> = t.parse().ok().filter(|v: &f64| (0.0..=100.0).contains(v));
    match v {
        // Basis points are exact for up to two decimals, which is all a form offers.
        Some(v) => Some((v * 100.0).round() as u32),
        None => {
            e.add(field, "error-percent");
            None
        }
    }
}

impl KeyForm {
    /// Builds the key tree; field errors name the form field.
    pub fn to_draft(&self) -> Result<KeyDraft, ValidationErrors> {
        use verbund_domain::costs::{KeyPart, MemberFilter, Metric, Weight};
        let mut e = ValidationErrors::default();
        let metric = || match self.metric.as_str() {
            "staff" => Metric::Staff,
            "it_workplaces" => Metric::ItWorkplaces,
            _ => Metric::Population,
        };
        let part = |label: &str, bp: u32, members: MemberFilter, key: KeyNode| KeyPart {
            label: label.into(),
            weight: Weight(bp),
            members,
            key,
        };
        let base_plus = |bp: u32| {
            if bp == 10_000 {
                KeyNode::Equal
            } else if bp == 0 {
                KeyNode::by(metric())
            } else {
                KeyNode::Split {
                    parts: vec![
                        part("gleiche Anteile", bp, MemberFilter::All, KeyNode::Equal),
                        part(
                            "nach Kennzahl",
                            10_000 - bp,
                            MemberFilter::All,
                            KeyNode::by(metric()),
                        ),
                    ],
                }
            }
        };
        let root = match self.preset.as_str() {
            "equal" => Some(KeyNode::Equal),
            "metric" => Some(KeyNode::by(metric())),
            "base" => percent_bp("base_percent", &self.base_percent, &mut e).map(base_plus),
            "host" => {
                let host = e.check(
                    "host",
                    self.host
                        .trim()
                        .parse::<i64>()
                        .map(OrgId)
                        .map_err(|_| "error-required"),
                );
                let host_bp = percent_bp("host_percent", &self.host_percent, &mut e);
                let base_bp = percent_bp("base_percent", &self.base_percent, &mut e);
                match (host, host_bp, base_bp) {
                    (Some(h), Some(hb), Some(bb)) => Some(KeyNode::Split {
                        parts: vec![
                            part(
                                "Träger",
                                hb,
                                MemberFilter::Only { members: vec![h] },
                                KeyNode::Equal,
                            ),
                            part(
                                "übrige Mitglieder",
                                10_000 - hb,
                                MemberFilter::Except { members: vec![h] },
                                base_plus(bb),
                            ),
                        ],
                    }),
                    _ => None,
                }
            }
            "json" => e.check(
                "json",
                serde_json::from_str::<KeyNode>(&self.json).map_err(|_| "error-key-json"),
            ),
            _ => {
                e.add("preset", "error-required");
                None
            }
        };
        let standalone = match self.standalone.trim() {
            "" => Some(None),
            t => e
                .check("standalone", parse_euros(t))
                .map(|c| Some(StandaloneCosts::common(c))),
        };
        match (root, standalone) {
            (Some(root), Some(standalone)) if e.0.is_empty() => Ok(KeyDraft {
                name: self.name.clone(),
                root,
                standalone,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;

    #[test]
    fn host_preset_builds_the_two_level_kreis_key() {
        let f = KeyForm {
            name: "K".into(),
            preset: "host".into(),
            host: "2".into(),
            host_percent: "30".into(),
            base_percent: "50".into(),
            metric: "population".into(),
            ..Default::default()
        };
        let d = f.to_draft().unwrap();
        let json = serde_json::to_value(&d.root).unwrap();
        assert_eq!(json["parts"][0]["weight"], 3000);
        assert_eq!(
            json["parts"][0]["members"],
            serde_json::json!({"kind": "only", "members": [2]})
        );
        assert_eq!(json["parts"][1]["weight"], 7000);
        assert_eq!(
            json["parts"][1]["key"]["parts"][1]["key"],
            serde_json::json!({"kind": "by_metric", "metric": "population"})
        );
        assert!(
            AllocationKey {
                name: "K".into(),
                root: d.root
            }
            .check_weights()
            .is_ok()
        );
    }

    #[test]
    fn base_preset_and_errors() {
        let f = KeyForm {
            name: "B".into(),
            preset: "base".into(),
            base_percent: "12,5 %".into(),
            metric: "staff".into(),
            standalone: "42.500".into(),
            ..Default::default()
        };
        let d = f.to_draft().unwrap();
        assert_eq!(
            serde_json::to_value(&d.root).unwrap()["parts"][0]["weight"],
            1250
        );
        assert_eq!(d.standalone.unwrap().common, Some(Cents(4_250_000)));
        let bad = KeyForm {
            preset: "host".into(),
            host_percent: "130".into(),
            base_percent: "x".into(),
            json: String::new(),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .to_draft()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["host", "host_percent", "base_percent"]);
        let j = KeyForm {
            name: "J".into(),
            preset: "json".into(),
            json: "{\"kind\": \"equal\"}".into(),
            ..Default::default()
        };
        assert_eq!(j.to_draft().unwrap().root, KeyNode::Equal);
    }
}
