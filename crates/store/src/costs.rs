//! Cost sharing storage: budgets, subsidies, allocation key versions and issued statements.
//! Budgets, subsidies and keys are federation-level data of the office; authorize before
//! calling. Issued statements hold every member's bill: they are read through a [`Scope`],
//! whole only for a scope reaching every organisation, otherwise reduced to one member's part
//! (stored per member when the statement is issued, so a member's read never loads the
//! others' bills).

use verbund_domain::authz::Scope;
use verbund_domain::costs::{
    AllocationKey, BudgetLine, Cents, StandaloneCosts, StatementDocument, Subsidy,
};
use verbund_domain::org::{Membership, Organisation};
use verbund_domain::{BudgetLineId, CostKeyId, FederationId, OrgId, StatementId, SubsidyId};

use crate::{
    AuditActor, Db, Result, Store, StoredBudgetLine, StoredKey, StoredStatement, StoredSubsidy,
    backend,
};

/// `doc` reduced to what `member` may read: its own bill, share, key steps, member data,
/// standalone cost and savings, plus the statement's totals (budget, subsidies, shared total,
/// the steps' shares of the total, the savings totals). Nothing of another member's figures
/// remains. `None` if `member` has no bill in `doc`.
pub(crate) fn member_part(doc: &StatementDocument, member: OrgId) -> Option<StatementDocument> {
    doc.statement.bill(member)?;
    let mut part = doc.clone();
    part.federation = Some(doc.totals());
    part.members.retain(|m| m.id == member);
    part.standalone.per_member.retain(|m, _| *m == member);
    let st = &mut part.statement;
    st.bills.retain(|b| b.member == member);
    st.allocation.members.retain(|m| m.member == member);
    for step in &mut st.allocation.steps {
        step.members.retain(|m| m.member == member);
    }
    if let Some(r) = &mut part.savings {
        r.members.retain(|m| m.member == member);
    }
    if let Some(p) = &mut part.payment {
        p.members.retain(|m| m.member == member);
    }
    Some(part)
}

impl Store {
    /// The budget lines of a year, in order.
    pub async fn budget_lines(
        &self,
        fed: FederationId,
        year: i32,
    ) -> Result<Vec<StoredBudgetLine>> {
        dispatch!(self.budget_lines(fed, year))
    }

    /// Years that have a budget.
    pub async fn budget_years(&self, fed: FederationId) -> Result<Vec<i32>> {
        dispatch!(self.budget_years(fed))
    }

    /// Appends a line to a year's budget.
    pub async fn add_budget_line(
        &self,
        by: &AuditActor,
        fed: FederationId,
        year: i32,
        line: &BudgetLine,
    ) -> Result<StoredBudgetLine> {
        dispatch!(self.add_budget_line(by, fed, year, line))
    }

    /// One line.
    pub async fn budget_line(
        &self,
        fed: FederationId,
        id: BudgetLineId,
    ) -> Result<StoredBudgetLine> {
        dispatch!(self.budget_line(fed, id.0))
    }

    /// Changes a line.
    pub async fn update_budget_line(
        &self,
        by: &AuditActor,
        fed: FederationId,
        id: BudgetLineId,
        line: &BudgetLine,
    ) -> Result<StoredBudgetLine> {
        dispatch!(self.update_budget_line(by, fed, id.0, line))
    }

    /// Deletes a line.
    pub async fn delete_budget_line(
        &self,
        by: &AuditActor,
        fed: FederationId,
        id: BudgetLineId,
    ) -> Result<StoredBudgetLine> {
        dispatch!(self.delete_budget_line(by, fed, id.0))
    }

    /// Writes all lines of a year that has no budget yet (copying a year); fails with a field
    /// error `year`/`error-budget-exists` otherwise.
    pub async fn create_budget(
        &self,
        by: &AuditActor,
        fed: FederationId,
        year: i32,
        lines: &[BudgetLine],
    ) -> Result<Vec<StoredBudgetLine>> {
        dispatch!(self.replace_budget(by, fed, year, lines))
    }

    /// All subsidies.
    pub async fn subsidies(&self, fed: FederationId) -> Result<Vec<StoredSubsidy>> {
        dispatch!(self.subsidies(fed))
    }

    /// Creates (`id` none) or changes a subsidy.
    pub async fn save_subsidy(
        &self,
        by: &AuditActor,
        fed: FederationId,
        id: Option<SubsidyId>,
        s: &Subsidy,
    ) -> Result<StoredSubsidy> {
        dispatch!(self.save_subsidy(by, fed, id.map(|i| i.0), s))
    }

    /// Deletes a subsidy.
    pub async fn delete_subsidy(
        &self,
        by: &AuditActor,
        fed: FederationId,
        id: SubsidyId,
    ) -> Result<()> {
        dispatch!(self.delete_subsidy(by, fed, id.0))
    }

    /// All key versions, by name, newest version first.
    pub async fn cost_keys(&self, fed: FederationId) -> Result<Vec<StoredKey>> {
        dispatch!(self.cost_keys(fed))
    }

    /// One key version.
    pub async fn cost_key(&self, fed: FederationId, id: CostKeyId) -> Result<StoredKey> {
        dispatch!(self.cost_key(fed, id.0))
    }

    /// Creates a key (`id` none) or changes one. A version already used by an issued statement
    /// is never changed: the change is stored as the next version and returned.
    pub async fn save_cost_key(
        &self,
        by: &AuditActor,
        fed: FederationId,
        id: Option<CostKeyId>,
        key: &AllocationKey,
        standalone: &StandaloneCosts,
    ) -> Result<StoredKey> {
        dispatch!(self.save_cost_key(by, fed, id.map(|i| i.0), key, standalone))
    }

    /// Stores an issued statement and locks the key version it used. In the same transaction,
    /// stores each member's part of it (see [`Store::statements`]).
    pub async fn issue_statement(
        &self,
        by: &AuditActor,
        fed: FederationId,
        year: i32,
        key_id: CostKeyId,
        document: &StatementDocument,
    ) -> Result<StoredStatement> {
        dispatch!(self.issue_statement(by, fed, year, key_id.0, document))
    }

    /// Issued statements inside `scope`, newest first, optionally of one year. A scope reaching
    /// every organisation (the office) gets every statement whole; any other scope gets each
    /// statement that includes a member inside it, its `document` reduced to that member's
    /// part (a [`StatementDocument`] with only that member's entries; for several members
    /// inside the scope, the first in statement order). Other members' rows are never read.
    pub async fn statements(
        &self,
        scope: &Scope,
        fed: FederationId,
        year: Option<i32>,
    ) -> Result<Vec<StoredStatement>> {
        dispatch!(self.statements(scope, fed, year))
    }

    /// One issued statement, whole or reduced as in [`Store::statements`]; `NotFound` if it
    /// includes no member inside `scope`.
    pub async fn statement(
        &self,
        scope: &Scope,
        fed: FederationId,
        id: StatementId,
    ) -> Result<StoredStatement> {
        dispatch!(self.statement(scope, fed, id.0))
    }

    /// Writes the member parts of issued statements that have none yet (statements issued
    /// before parts were stored, or restored from an older backup). Idempotent; runs after
    /// every migration. Returns the number of statements completed. Fails if a stored
    /// document cannot be read.
    pub async fn complete_statement_members(&self) -> Result<u64> {
        dispatch!(self.complete_statement_members())
    }

    /// Each member's own standalone cost, for members that have one. Office-wide: `office`
    /// must reach every organisation, otherwise `NotFound`.
    pub async fn standalone_costs_federation_wide(
        &self,
        office: &Scope,
        fed: FederationId,
    ) -> Result<Vec<(OrgId, Cents)>> {
        if !office.is_all() {
            return Err(crate::StoreError::NotFound);
        }
        dispatch!(self.standalone_costs(fed))
    }

    /// Sets (`Some`) or clears (`None`) members' standalone costs in one transaction, each
    /// change audited. Office-wide as above; a member outside the federation is `NotFound`
    /// and nothing changes.
    pub async fn save_standalone_costs_federation_wide(
        &self,
        by: &AuditActor,
        office: &Scope,
        fed: FederationId,
        changes: &[(OrgId, Option<Cents>)],
    ) -> Result<()> {
        if !office.is_all() {
            return Err(crate::StoreError::NotFound);
        }
        dispatch!(self.save_standalone_costs(by, fed, changes))
    }

    /// Every member organisation (not the office) of the federation with its membership
    /// periods, for the key's metrics and pro-rata days. Office-wide: `office` must reach every
    /// organisation (the office's scope for the action, or system access), otherwise
    /// `NotFound`.
    pub async fn member_rows_federation_wide(
        &self,
        office: &Scope,
        fed: FederationId,
    ) -> Result<Vec<(Organisation, Vec<Membership>)>> {
        if !office.is_all() {
            return Err(crate::StoreError::NotFound);
        }
        dispatch!(self.member_rows(fed))
    }
}
