//! Cost sharing (Finanzierungsschlüssel): budgets, subsidies, allocation keys, savings.
//!
//! Pure and exact: money is integer cents ([`Cents`]), weights are integer basis points
//! ([`Weight`]), shares are exact fractions ([`Fraction`]); no floats anywhere.
//!
//! The flow for one year:
//! 1. a [`Budget`] of lines (personnel, material, ...) gives the total;
//! 2. [`Subsidy`] instalments either reduce that total or are credited to members;
//! 3. an [`AllocationKey`] tree splits the shared total among [`MemberSnapshot`]s, pro rata
//!    by days of membership inside each key step so that fixed shares stay fixed
//!    ([`prorata`]), to the exact cent by largest remainder ([`split`]);
//! 4. [`settle_year`] puts it together into a [`YearStatement`] with an explainable
//!    [`Allocation`] breakdown; [`savings()`] compares each bill with a standalone cost;
//! 5. a [`StatementDocument`] keeps an issued statement's inputs next to its results, so it
//!    can be shown, printed and checked again ([`StatementDocument::verify`]).

mod allocation;
mod budget;
mod document;
mod error;
mod fraction;
mod key;
mod key_eval;
mod member;
mod money;
pub mod payment;
pub mod presets;
pub mod prorata;
mod savings;
pub mod split;
mod statement;
mod subsidy;
mod year_members;

#[cfg(test)]
mod allocation_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod prorata_tests;
#[cfg(test)]
mod scenario_tests;
#[cfg(test)]
mod subsidy_tests;

pub use allocation::{Allocation, MemberShare, allocate};
pub use budget::{Budget, BudgetError, BudgetLine, CostCategory, IndexRate};
pub use document::{DocumentError, FederationTotals, StatementDocument};
pub use error::AllocationError;
pub use fraction::{Fraction, ParseFractionError};
pub use key::{AllocationKey, KeyNode, KeyPart, ManualShare, MemberFilter};
pub use key_eval::{KeyStep, Share, StepMember, StepPart, StepRule};
pub use member::{MemberSnapshot, Metric};
pub use money::{Cents, Weight, parse_euros};
pub use payment::{BankAccount, Iban, MemberPayment, PaymentTerms, ReferencePattern, Signer};
pub use prorata::ProRataRule;
pub use savings::{MemberSavings, SavingsError, SavingsReport, StandaloneCosts, savings};
pub use statement::{
    CreditLine, MemberBill, StatementError, SubsidyUse, YearStatement, settle_year,
};
pub use subsidy::{
    FixedCredit, MAX_SUBSIDY_YEARS, Subsidy, SubsidyApplication, SubsidyError, SubsidyYear,
};
pub use year_members::member_snapshots;
