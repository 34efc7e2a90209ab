//! Cost sharing storage: budgets, subsidies, allocation key versions and issued statements.
//! All of it is federation-level data of the office; authorize before calling.

use verbund_domain::FederationId;
use verbund_domain::costs::{AllocationKey, BudgetLine, StandaloneCosts, Subsidy};
use verbund_domain::org::{Membership, Organisation};

use crate::{
    AuditActor, Db, Result, Store, StoredBudgetLine, StoredKey, StoredStatement, StoredSubsidy,
    backend,
};

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

    /// Changes a line.
    pub async fn update_budget_line(
        &self,
        by: &AuditActor,
        fed: FederationId,
        id: i64,
        line: &BudgetLine,
    ) -> Result<StoredBudgetLine> {
        dispatch!(self.update_budget_line(by, fed, id, line))
    }

    /// Deletes a line.
    pub async fn delete_budget_line(
        &self,
        by: &AuditActor,
        fed: FederationId,
        id: i64,
    ) -> Result<StoredBudgetLine> {
        dispatch!(self.delete_budget_line(by, fed, id))
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
        id: Option<i64>,
        s: &Subsidy,
    ) -> Result<StoredSubsidy> {
        dispatch!(self.save_subsidy(by, fed, id, s))
    }

    /// Deletes a subsidy.
    pub async fn delete_subsidy(&self, by: &AuditActor, fed: FederationId, id: i64) -> Result<()> {
        dispatch!(self.delete_subsidy(by, fed, id))
    }

    /// All key versions, by name, newest version first.
    pub async fn cost_keys(&self, fed: FederationId) -> Result<Vec<StoredKey>> {
        dispatch!(self.cost_keys(fed))
    }

    /// One key version.
    pub async fn cost_key(&self, fed: FederationId, id: i64) -> Result<StoredKey> {
        dispatch!(self.cost_key(fed, id))
    }

    /// Creates a key (`id` none) or changes one. A version already used by an issued statement
    /// is never changed: the change is stored as the next version and returned.
    pub async fn save_cost_key(
        &self,
        by: &AuditActor,
        fed: FederationId,
        id: Option<i64>,
        key: &AllocationKey,
        standalone: &StandaloneCosts,
    ) -> Result<StoredKey> {
        dispatch!(self.save_cost_key(by, fed, id, key, standalone))
    }

    /// Stores an issued statement and locks the key version it used.
    pub async fn issue_statement(
        &self,
        by: &AuditActor,
        fed: FederationId,
        year: i32,
        key_id: i64,
        document: &serde_json::Value,
    ) -> Result<StoredStatement> {
        dispatch!(self.issue_statement(by, fed, year, key_id, document))
    }

    /// Issued statements, newest first, optionally of one year.
    pub async fn statements(
        &self,
        fed: FederationId,
        year: Option<i32>,
    ) -> Result<Vec<StoredStatement>> {
        dispatch!(self.statements(fed, year))
    }

    /// One issued statement.
    pub async fn statement(&self, fed: FederationId, id: i64) -> Result<StoredStatement> {
        dispatch!(self.statement(fed, id))
    }

    /// Every member organisation (not the office) with its membership periods, for the key's
    /// metrics and pro-rata days.
    pub async fn member_rows(
        &self,
        fed: FederationId,
    ) -> Result<Vec<(Organisation, Vec<Membership>)>> {
        dispatch!(self.member_rows(fed))
    }
}
