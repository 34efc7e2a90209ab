//! Cost sharing for the HTML and JSON handlers: authorize, build the domain inputs from stored
//! data, call the pure rules in `verbund_domain::costs`.
//!
//! The office reads and changes budgets, subsidies and keys; members read only their own part
//! of an issued statement.

use serde::{Deserialize, Serialize};
use verbund_domain::{BudgetLineId, CostKeyId, SubsidyId};

use verbund_domain::authz::{Actor, Permission};
pub use verbund_domain::costs::presets::KeyForm;
use verbund_domain::costs::{
    AllocationKey, Budget, BudgetLine, Cents, CostCategory, IndexRate, KeyNode, StandaloneCosts,
    Subsidy, SubsidyApplication, parse_euros,
};
use verbund_domain::validation::{ValidationErrors, required_text};
use verbund_domain::{FederationId, OrgId};
use verbund_store::{AuditActor, StoredBudgetLine, StoredKey, StoredSubsidy};

use crate::Services;
use crate::error::{Error, Result};

/// Years the tools accept.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

pub(crate) async fn federation(st: &Services) -> Result<FederationId> {
    Ok(crate::federation(&st.store).await?.id)
}

pub(crate) fn check_year(year: i32) -> Result<i32> {
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
pub async fn budget(st: &Services, actor: &Actor, year: i32) -> Result<BudgetOut> {
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
        let note = e
            .check(
                "note",
                verbund_domain::validation::optional_text(self.note.as_deref(), 200),
            )
            .flatten()
            .unwrap_or_default();
        match (category, amount) {
            (Some(c), Some(a)) if e.0.is_empty() => Ok(BudgetLine::new(c, a, note)),
            _ => Err(e),
        }
    }
}

/// Appends a line (office).
pub async fn add_line(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    year: i32,
    d: &LineDraft,
) -> Result<StoredBudgetLine> {
    actor.check_office(Permission::ManageFederation)?;
    let line = d.validate()?;
    Ok(st
        .store
        .add_budget_line(by, federation(st).await?, check_year(year)?, &line)
        .await?)
}

/// One line (office).
pub async fn line(st: &Services, actor: &Actor, id: BudgetLineId) -> Result<StoredBudgetLine> {
    actor.check_office(Permission::ReadCosts)?;
    Ok(st.store.budget_line(federation(st).await?, id).await?)
}

/// Changes a line (office).
pub async fn update_line(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: BudgetLineId,
    d: &LineDraft,
) -> Result<StoredBudgetLine> {
    actor.check_office(Permission::ManageFederation)?;
    let line = d.validate()?;
    Ok(st
        .store
        .update_budget_line(by, federation(st).await?, id, &line)
        .await?)
}

/// Deletes a line (office).
pub async fn delete_line(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: BudgetLineId,
) -> Result<StoredBudgetLine> {
    actor.check_office(Permission::ManageFederation)?;
    Ok(st
        .store
        .delete_budget_line(by, federation(st).await?, id)
        .await?)
}

/// Copies year `from` into the empty year `to`, indexing every line by `index_bp` basis points
/// per year in between (e.g. 250 = +2.5 % a year).
pub async fn copy_budget(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    from: i32,
    to: i32,
    index_bp: i32,
) -> Result<Vec<StoredBudgetLine>> {
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
    let budget = Budget::new(from, lines).map_err(|e| Error::BadInput {
        code: "error-budget",
        detail: e.to_string(),
    })?;
    let steps = usize::try_from(to - from).unwrap_or(1);
    let planned = budget
        .plan(steps, IndexRate(index_bp))
        .map_err(|e| Error::BadInput {
            code: "error-budget",
            detail: e.to_string(),
        })?;
    let target = planned.last().ok_or(Error::bad("error-budget"))?;
    Ok(st.store.create_budget(by, fed, to, target.lines()).await?)
}

/// Subsidies (office).
pub async fn subsidies(st: &Services, actor: &Actor) -> Result<Vec<StoredSubsidy>> {
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
    pub application: Option<SubsidyApplication>,
}

/// Creates or changes a subsidy (office).
pub async fn save_subsidy(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: Option<SubsidyId>,
    d: &SubsidyDraft,
) -> Result<StoredSubsidy> {
    actor.check_office(Permission::ManageFederation)?;
    let name = required_text(&d.name, 200).map_err(|c| ValidationErrors::single("name", c))?;
    let app = d
        .application
        .clone()
        .unwrap_or(SubsidyApplication::ReduceSharedTotal);
    let s =
        Subsidy::new(name, Cents(d.total_cents), d.first_year, d.last_year, app).map_err(|e| {
            Error::BadInput {
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
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: SubsidyId,
) -> Result<()> {
    actor.check_office(Permission::ManageFederation)?;
    Ok(st
        .store
        .delete_subsidy(by, federation(st).await?, id)
        .await?)
}

/// Key versions (office).
pub async fn keys(st: &Services, actor: &Actor) -> Result<Vec<StoredKey>> {
    actor.check_office(Permission::ReadCosts)?;
    Ok(st.store.cost_keys(federation(st).await?).await?)
}

/// One key version (office).
pub async fn key(st: &Services, actor: &Actor, id: CostKeyId) -> Result<StoredKey> {
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
    pub root: KeyNode,
    /// What members would pay alone, for the savings comparison.
    #[serde(default)]
    pub standalone: Option<StandaloneCosts>,
}

impl KeyDraft {
    /// The key as stored: name required (up to 200 characters), weights of every split
    /// adding up to 100 % (`error-key`).
    pub fn to_key(&self) -> Result<AllocationKey> {
        let name =
            required_text(&self.name, 200).map_err(|c| ValidationErrors::single("name", c))?;
        let key = AllocationKey {
            name,
            root: self.root.clone(),
        };
        key.check_weights().map_err(|e| Error::BadInput {
            code: "error-key",
            detail: e.to_string(),
        })?;
        Ok(key)
    }
}

impl From<verbund_domain::costs::presets::PresetKey> for KeyDraft {
    fn from(k: verbund_domain::costs::presets::PresetKey) -> Self {
        Self {
            name: k.name,
            root: k.root,
            standalone: k.standalone,
        }
    }
}

/// Creates or changes a key; a version used by an issued statement becomes a new version.
pub async fn save_key(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: Option<CostKeyId>,
    d: &KeyDraft,
) -> Result<StoredKey> {
    actor.check_office(Permission::ManageFederation)?;
    let key = d.to_key()?;
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

/// A member's own standalone cost (what it would pay doing it alone).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberStandalone {
    /// Member.
    pub member: i64,
    /// Its name (ignored when saving).
    #[serde(default)]
    pub name: String,
    /// Cents; `null`: none of its own (the key's common figure applies).
    pub amount_cents: Option<i64>,
}

/// Every member with its own standalone cost, if set (office).
pub async fn standalone_costs(st: &Services, actor: &Actor) -> Result<Vec<MemberStandalone>> {
    actor.check_office(Permission::ReadCosts)?;
    let office = actor.scope(Permission::ReadCosts);
    let fed = federation(st).await?;
    let own: std::collections::BTreeMap<_, _> = st
        .store
        .standalone_costs_federation_wide(&office, fed)
        .await?
        .into_iter()
        .collect();
    Ok(st
        .store
        .member_rows_federation_wide(&office, fed)
        .await?
        .into_iter()
        .map(|(o, _)| MemberStandalone {
            member: o.id.0,
            name: o.name,
            amount_cents: own.get(&o.id).map(|c| c.0),
        })
        .collect())
}

/// Sets or clears members' own standalone costs (office); members not named keep theirs.
/// A negative amount is a field error `standalone-<member>`/`error-negative`; a member
/// outside the federation is `NotFound`. Nothing changes unless all are valid.
pub async fn save_standalone_costs(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    changes: &[MemberStandalone],
) -> Result<Vec<MemberStandalone>> {
    actor.check_office(Permission::ManageFederation)?;
    let mut e = ValidationErrors::default();
    for c in changes {
        if c.amount_cents.is_some_and(|a| a < 0) {
            e.add(&format!("standalone-{}", c.member), "error-negative");
        }
    }
    if !e.0.is_empty() {
        return Err(e.into());
    }
    let list: Vec<_> = changes
        .iter()
        .map(|c| (OrgId(c.member), c.amount_cents.map(Cents)))
        .collect();
    st.store
        .save_standalone_costs_federation_wide(
            by,
            &actor.scope(Permission::ManageFederation),
            federation(st).await?,
            &list,
        )
        .await?;
    standalone_costs(st, actor).await
}

/// Years that have a budget (office).
pub async fn budget_years(st: &Services, actor: &Actor) -> Result<Vec<i32>> {
    actor.check_office(Permission::ReadCosts)?;
    Ok(st.store.budget_years(federation(st).await?).await?)
}

/// The members a key can name (office), by name.
pub async fn key_members(
    st: &Services,
    actor: &Actor,
) -> Result<Vec<verbund_domain::org::Organisation>> {
    actor.check_office(Permission::ManageFederation)?;
    Ok(st
        .store
        .member_rows_federation_wide(
            &actor.scope(Permission::ManageFederation),
            federation(st).await?,
        )
        .await?
        .into_iter()
        .map(|(o, _)| o)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

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
