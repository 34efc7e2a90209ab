//! One year's cost statement: budget, subsidies, the key split and what each member pays.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::allocation::{Allocation, allocate};
use super::budget::{Budget, CostCategory};
use super::error::AllocationError;
use super::key::AllocationKey;
use super::member::MemberSnapshot;
use super::money::Cents;
use super::subsidy::{Subsidy, SubsidyApplication, SubsidyError};
use crate::OrgId;

/// Why a year cannot be settled.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StatementError {
    /// The key cannot be applied to the members.
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    /// A subsidy cannot be credited.
    #[error(transparent)]
    Subsidy(#[from] SubsidyError),
    /// Subsidies that reduce the shared total exceed the budget.
    #[error("{year}: subsidies of {subsidies} exceed the budget of {budget}")]
    SubsidiesExceedBudget {
        /// The year.
        year: i32,
        /// The budget total.
        budget: Cents,
        /// The sum of the year's shared subsidy instalments.
        subsidies: Cents,
    },
    /// Per-member credits exceed what a member owes.
    #[error("member {member} ({name}): credits of {credits} exceed its share of {share}")]
    CreditExceedsShare {
        /// The member.
        member: OrgId,
        /// Its name.
        name: String,
        /// Its share of the shared total.
        share: Cents,
        /// The sum of its credits.
        credits: Cents,
    },
}

/// One subsidy's use in the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyUse {
    /// The subsidy's name.
    pub subsidy: String,
    /// The year's instalment.
    pub instalment: Cents,
    /// What is left of it after this year.
    pub remaining_after: Cents,
    /// Whether it reduced the shared total (else it was credited to members).
    pub reduces_shared_total: bool,
}

/// A credit from a per-member subsidy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditLine {
    /// The subsidy's name.
    pub subsidy: String,
    /// The amount credited.
    pub amount: Cents,
}

/// What one member pays for the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberBill {
    /// The member.
    pub member: OrgId,
    /// Its name.
    pub name: String,
    /// Its share of the shared total (from the allocation).
    pub share: Cents,
    /// Credits from per-member subsidies.
    pub credits: Vec<CreditLine>,
    /// `share` minus the credits.
    pub payable: Cents,
}

/// A member-facing statement for one year.
///
/// Invariant: `budget_total = Σ instalments of all subsidies + Σ payable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearStatement {
    /// The year.
    pub year: i32,
    /// The budget total.
    pub budget_total: Cents,
    /// The budget per category.
    pub budget_by_category: BTreeMap<CostCategory, Cents>,
    /// Subsidies active in the year.
    pub subsidies: Vec<SubsidyUse>,
    /// The budget total minus the subsidies that reduce it: the amount the key splits.
    pub shared_total: Cents,
    /// The key split of `shared_total`, step by step.
    pub allocation: Allocation,
    /// What each member pays, in member order.
    pub bills: Vec<MemberBill>,
}

impl YearStatement {
    /// The bill of `member`, if it is part of the statement.
    pub fn bill(&self, member: OrgId) -> Option<&MemberBill> {
        self.bills.iter().find(|b| b.member == member)
    }
}

/// Settles the budget's year: subtracts the year's instalments of subsidies that reduce
/// the shared total, splits the rest among `members` by `key` (pro rata, exact cents) and
/// credits per-member subsidies.
///
/// Subsidies whose period does not include the year are ignored. Fails when the shared
/// subsidies exceed the budget, the allocation fails (see [`allocate`]), a per-member
/// subsidy names a member not in the list, or a member's credits exceed its share.
pub fn settle_year(
    budget: &Budget,
    subsidies: &[Subsidy],
    members: &[MemberSnapshot],
    key: &AllocationKey,
) -> Result<YearStatement, StatementError> {
    let year = budget.year();
    let active: Vec<&Subsidy> = subsidies
        .iter()
        .filter(|s| s.schedule().iter().any(|y| y.year == year))
        .collect();
    let uses: Vec<SubsidyUse> = active
        .iter()
        .map(|s| SubsidyUse {
            subsidy: s.name().to_owned(),
            instalment: s.instalment(year),
            remaining_after: s.remaining_after(year),
            reduces_shared_total: *s.application() == SubsidyApplication::ReduceSharedTotal,
        })
        .collect();
    let shared_subsidies: i128 = uses
        .iter()
        .filter(|u| u.reduces_shared_total)
        .map(|u| i128::from(u.instalment.get()))
        .sum();
    let shared_total = i128::from(budget.total().get()) - shared_subsidies;
    if shared_total < 0 {
        return Err(StatementError::SubsidiesExceedBudget {
            year,
            budget: budget.total(),
            subsidies: Cents(i64::try_from(shared_subsidies).unwrap_or(i64::MAX)),
        });
    }
    // 0 ≤ shared_total ≤ budget total, so it fits.
    let shared_total = Cents(i64::try_from(shared_total).unwrap_or(i64::MAX));
    let allocation = allocate(shared_total, year, members, key)?;

    let mut credits: BTreeMap<OrgId, Vec<CreditLine>> = BTreeMap::new();
    for subsidy in &active {
        for (member, amount) in subsidy.member_credits(&allocation)? {
            credits.entry(member).or_default().push(CreditLine {
                subsidy: subsidy.name().to_owned(),
                amount,
            });
        }
    }
    let mut bills = Vec::with_capacity(allocation.members.len());
    for line in &allocation.members {
        let credits = credits.remove(&line.member).unwrap_or_default();
        // Each credit is at most a subsidy's instalment, and instalments fit i64; a
        // saturated sum only makes the check below fail, which is right.
        let credited = Cents(
            credits
                .iter()
                .fold(0i64, |acc, c| acc.saturating_add(c.amount.get())),
        );
        if credited > line.amount {
            return Err(StatementError::CreditExceedsShare {
                member: line.member,
                name: line.name.clone(),
                share: line.amount,
                credits: credited,
            });
        }
        bills.push(MemberBill {
            member: line.member,
            name: line.name.clone(),
            share: line.amount,
            credits,
            payable: Cents(line.amount.get() - credited.get()),
        });
    }
    Ok(YearStatement {
        year,
        budget_total: budget.total(),
        budget_by_category: budget.totals_by_category(),
        subsidies: uses,
        shared_total,
        allocation,
        bills,
    })
}
