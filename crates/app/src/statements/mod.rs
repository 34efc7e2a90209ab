//! Splitting a year's costs: previews, key comparisons, issuing statements and reading them
//! back (the office whole, a member only its own part). Their PDF and XLSX documents are in
//! `documents`.

mod documents;
mod issue;

pub use documents::*;
pub use issue::{DraftMember, IssueDraft, IssueOptions, draft, due_text, issue};
use std::collections::BTreeMap;

use serde::Serialize;
use verbund_domain::authz::{Actor, Permission, Scope};
use verbund_domain::costs::{
    Budget, BudgetLine, Cents, MemberSnapshot, StandaloneCosts, StatementDocument, Subsidy,
    member_snapshots, settle_year,
};
use verbund_domain::org::Organisation;
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{CostKeyId, FederationId, OrgId, StatementId};
use verbund_store::{StoredKey, StoredStatement};

use crate::Services;
use crate::costs::{check_year, federation};
use crate::error::{Error, Result};

/// A computed (not yet issued) statement: the document that issuing would store, plus the
/// stored key it was computed with.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Preview {
    /// The key version's ID.
    #[schema(value_type = i64)]
    pub key_id: CostKeyId,
    /// Whether that version is already used by an issued statement.
    pub locked: bool,
    /// Key, member data, budget, subsidies, the split step by step, every bill, savings.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub document: StatementDocument,
}

/// What a year's split needs besides the key: loaded once, so a comparison of two keys does
/// not read the budget, subsidies and all members twice.
struct YearInputs {
    budget: Budget,
    subsidies: Vec<Subsidy>,
    members: Vec<MemberSnapshot>,
    /// The member organisations (AGS and address for the payment terms).
    orgs: BTreeMap<OrgId, Organisation>,
    /// Each member's own standalone cost, where set.
    standalone: BTreeMap<OrgId, Cents>,
}

/// `office` is the office's scope for reading costs (member data of the whole federation).
async fn year_inputs(
    st: &Services,
    office: &Scope,
    fed: FederationId,
    year: i32,
) -> Result<YearInputs> {
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
    let budget = Budget::new(year, lines).map_err(|e| Error::BadInput {
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
    let rows = st.store.member_rows_federation_wide(office, fed).await?;
    let members = member_snapshots(year, &rows);
    let standalone = st
        .store
        .standalone_costs_federation_wide(office, fed)
        .await?
        .into_iter()
        .collect();
    Ok(YearInputs {
        budget,
        subsidies,
        members,
        orgs: rows.into_iter().map(|(o, _)| (o.id, o)).collect(),
        standalone,
    })
}

/// The standalone costs a statement compares with: the key's, with each member's own
/// figure where the key names none for it (the key's common figure covers the rest).
fn effective_standalone(
    key: &StandaloneCosts,
    own: &BTreeMap<OrgId, Cents>,
    members: &[MemberSnapshot],
) -> StandaloneCosts {
    let mut s = key.clone();
    for m in members {
        if let Some(c) = own.get(&m.id) {
            s.per_member.entry(m.id).or_insert(*c);
        }
    }
    s
}

fn preview_with(inputs: &YearInputs, mut key: StoredKey) -> Result<Preview> {
    let statement = settle_year(&inputs.budget, &inputs.subsidies, &inputs.members, &key.key)
        .map_err(|e| Error::BadInput {
            code: "error-statement",
            detail: e.to_string(),
        })?;
    key.standalone = effective_standalone(&key.standalone, &inputs.standalone, &inputs.members);
    // Savings need a figure for every member: the key's common one, or each member's own.
    let has_standalone = key.standalone.common.is_some()
        || inputs
            .members
            .iter()
            .all(|m| key.standalone.per_member.contains_key(&m.id));
    let savings = if has_standalone && !inputs.members.is_empty() {
        Some(
            statement
                .savings(&key.standalone)
                .map_err(|e| Error::BadInput {
                    code: "error-savings",
                    detail: e.to_string(),
                })?,
        )
    } else {
        None
    };
    let document = StatementDocument {
        key_name: key.key.name.clone(),
        key_version: key.version,
        key: key.key,
        standalone: key.standalone,
        members: inputs.members.clone(),
        statement,
        savings,
        federation: None,
        payment: None,
    };
    Ok(Preview {
        key_id: key.id,
        locked: key.locked,
        document,
    })
}

/// Computes the statement of `year` with key version `key_id` (office).
pub async fn preview(
    st: &Services,
    actor: &Actor,
    year: i32,
    key_id: CostKeyId,
) -> Result<Preview> {
    actor.check_office(Permission::ReadCosts)?;
    let fed = federation(st).await?;
    let key = st.store.cost_key(fed, key_id).await?;
    let office = actor.scope(Permission::ReadCosts);
    preview_with(&year_inputs(st, &office, fed, year).await?, key)
}

/// Computes the statement of `year` with a key not saved yet, for the key form's live
/// preview (office). Fails like [`preview`], and with the key's own errors (name, weights).
pub async fn preview_draft(
    st: &Services,
    actor: &Actor,
    year: i32,
    d: &crate::costs::KeyDraft,
) -> Result<Preview> {
    actor.check_office(Permission::ReadCosts)?;
    let key = StoredKey {
        id: CostKeyId(0),
        key: d.to_key()?,
        version: 0,
        standalone: d.standalone.clone().unwrap_or_default(),
        created_at_ms: 0,
        locked: false,
    };
    let fed = federation(st).await?;
    let office = actor.scope(Permission::ReadCosts);
    preview_with(&year_inputs(st, &office, fed, year).await?, key)
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
    st: &Services,
    actor: &Actor,
    year: i32,
    a: CostKeyId,
    b: CostKeyId,
) -> Result<Vec<CompareRow>> {
    actor.check_office(Permission::ReadCosts)?;
    let fed = federation(st).await?;
    let (ka, kb) = (
        st.store.cost_key(fed, a).await?,
        st.store.cost_key(fed, b).await?,
    );
    let inputs = year_inputs(st, &actor.scope(Permission::ReadCosts), fed, year).await?;
    let pa = preview_with(&inputs, ka)?.document.statement;
    let pb = preview_with(&inputs, kb)?.document.statement;
    Ok(pa
        .bills
        .iter()
        .map(|x| {
            let other = pb.bill(x.member).map_or(0, |y| y.payable.0);
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

/// The statements the actor may see: all for the office; for a member, the statements that
/// include it, reduced to its own bill.
pub async fn statements(
    st: &Services,
    actor: &Actor,
    year: Option<i32>,
) -> Result<Vec<StoredStatement>> {
    let fed = federation(st).await?;
    // The store returns a member only its own part of each statement (see `Store::statements`).
    let all = st
        .store
        .statements(&actor.scope(Permission::ReadCosts), fed, year)
        .await?;
    if actor.check_office(Permission::ReadCosts).is_ok() {
        return Ok(all);
    }
    Ok(all
        .into_iter()
        .filter_map(|s| own_part(actor, s).ok())
        .collect())
}

/// One statement: the office sees it whole, a member only its own part (404 if not included).
pub async fn statement(st: &Services, actor: &Actor, id: StatementId) -> Result<StoredStatement> {
    let s = st
        .store
        .statement(
            &actor.scope(Permission::ReadCosts),
            federation(st).await?,
            id,
        )
        .await?;
    if actor.check_office(Permission::ReadCosts).is_ok() {
        return Ok(s);
    }
    own_part(actor, s)
}

/// An issued statement for its page: the record as the actor may see it (see [`statement`])
/// and the typed document the page explains the actor's share from: whole for the office;
/// for a member, reduced to its own entries and the totals (the store reads only the
/// member's part). 404 for anyone not included.
pub async fn with_document(
    st: &Services,
    actor: &Actor,
    id: StatementId,
) -> Result<(StoredStatement, StatementDocument)> {
    let s = st
        .store
        .statement(
            &actor.scope(Permission::ReadCosts),
            federation(st).await?,
            id,
        )
        .await?;
    let doc = document(&s)?;
    if actor.check_office(Permission::ReadCosts).is_ok() {
        return Ok((s, doc));
    }
    Ok((own_part(actor, s)?, doc))
}

/// The stored document of an issued statement, typed.
pub fn document(s: &StoredStatement) -> Result<StatementDocument> {
    serde_json::from_value(s.document.clone())
        .map_err(|e| Error::Internal(format!("statement {}: {e}", s.id)))
}

/// The one member of `doc` whose costs the actor may read, if it is not the office.
fn own_member(actor: &Actor, doc: &StatementDocument) -> Option<OrgId> {
    doc.statement
        .bills
        .iter()
        .map(|b| b.member)
        .find(|m| actor.check(Permission::ReadCosts, *m).is_ok())
}

/// Reduces a statement to the bill of the one member the actor may read costs of: its own
/// figures plus the totals it needs to check the calculation, nothing about other members.
fn own_part(actor: &Actor, mut s: StoredStatement) -> Result<StoredStatement> {
    let doc = document(&s)?;
    let member = own_member(actor, &doc).ok_or(Error::NotFound)?;
    let st = &doc.statement;
    let share = st.allocation.members.iter().find(|m| m.member == member);
    let saving = doc
        .savings
        .as_ref()
        .and_then(|r| r.members.iter().find(|m| m.member == member));
    s.document = serde_json::json!({
        "member": member,
        "year": st.year,
        "budget_total": st.budget_total,
        "budget_by_category": st.budget_by_category,
        "subsidies": st.subsidies,
        "shared_total": st.shared_total,
        "key": { "name": doc.key_name, "version": doc.key_version, "root": doc.key.root },
        "member_data": doc.member(member),
        "share": share,
        "bill": st.bill(member),
        "savings": saving,
    });
    Ok(s)
}
