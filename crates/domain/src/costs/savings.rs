//! Savings: what each member would pay doing it alone versus what it pays in the federation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::money::Cents;
use super::statement::{MemberBill, YearStatement};
use crate::OrgId;

/// What each member would pay for the same security work on its own, e.g. half an ISB
/// post or an external ISB contract. A per-member figure overrides the common one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandaloneCosts {
    /// The amount assumed for every member without its own figure, in cents.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub common: Option<Cents>,
    /// Figures for individual members: member ID → cents.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = per_member_schema))]
    pub per_member: BTreeMap<OrgId, Cents>,
}

/// `per_member` in the OpenAPI document: an object whose keys are member IDs (JSON object keys
/// are strings) and whose values are cents.
#[cfg(feature = "openapi")]
fn per_member_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .property_names(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("^(0|-?[1-9][0-9]{0,17})$"))
                .build(),
        ))
        .additional_properties(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
        ))
        .build()
}

impl StandaloneCosts {
    /// The same standalone cost for every member.
    pub fn common(amount: Cents) -> StandaloneCosts {
        StandaloneCosts {
            common: Some(amount),
            per_member: BTreeMap::new(),
        }
    }

    /// Sets a member's own figure.
    pub fn with_member(mut self, member: OrgId, amount: Cents) -> StandaloneCosts {
        self.per_member.insert(member, amount);
        self
    }

    /// The standalone cost of `member`: its own figure, else the common one.
    pub fn cost_of(&self, member: OrgId) -> Option<Cents> {
        self.per_member.get(&member).copied().or(self.common)
    }
}

/// Why savings cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SavingsError {
    /// A member has no standalone cost and there is no common one.
    #[error("member {member} ({name}) has no standalone cost")]
    MissingStandaloneCost {
        /// The member.
        member: OrgId,
        /// Its name.
        name: String,
    },
    /// A standalone cost is negative.
    #[error("member {member} ({name}): standalone cost {amount} is negative")]
    NegativeStandaloneCost {
        /// The member.
        member: OrgId,
        /// Its name.
        name: String,
        /// The amount.
        amount: Cents,
    },
    /// The sums exceed the representable amount.
    #[error("savings totals exceed the representable amount")]
    Overflow,
}

/// One member's savings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSavings {
    /// The member.
    pub member: OrgId,
    /// Its name.
    pub name: String,
    /// What it would pay alone.
    pub standalone: Cents,
    /// What it pays in the federation.
    pub paid: Cents,
    /// `standalone - paid`; negative if the federation costs it more.
    pub savings: Cents,
}

/// Savings of every member and of the federation as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavingsReport {
    /// Per member, in bill order.
    pub members: Vec<MemberSavings>,
    /// Sum of standalone costs.
    pub total_standalone: Cents,
    /// Sum of what the members pay.
    pub total_paid: Cents,
    /// Sum of savings.
    pub total_savings: Cents,
}

/// Compares what each member pays (`payable` of its bill) with its standalone cost.
///
/// Fails if a member has neither its own nor a common standalone cost, a standalone cost
/// is negative, or the totals overflow.
pub fn savings(
    bills: &[MemberBill],
    standalone: &StandaloneCosts,
) -> Result<SavingsReport, SavingsError> {
    let mut members = Vec::with_capacity(bills.len());
    for bill in bills {
        let cost =
            standalone
                .cost_of(bill.member)
                .ok_or_else(|| SavingsError::MissingStandaloneCost {
                    member: bill.member,
                    name: bill.name.clone(),
                })?;
        if cost.is_negative() {
            return Err(SavingsError::NegativeStandaloneCost {
                member: bill.member,
                name: bill.name.clone(),
                amount: cost,
            });
        }
        members.push(MemberSavings {
            member: bill.member,
            name: bill.name.clone(),
            standalone: cost,
            paid: bill.payable,
            savings: cost
                .checked_sub(bill.payable)
                .ok_or(SavingsError::Overflow)?,
        });
    }
    let sum = |f: fn(&MemberSavings) -> Cents| {
        Cents::checked_sum(members.iter().map(f)).ok_or(SavingsError::Overflow)
    };
    let (total_standalone, total_paid, total_savings) = (
        sum(|m| m.standalone)?,
        sum(|m| m.paid)?,
        sum(|m| m.savings)?,
    );
    Ok(SavingsReport {
        members,
        total_standalone,
        total_paid,
        total_savings,
    })
}

impl YearStatement {
    /// The savings of this year's bills; see [`savings`].
    pub fn savings(&self, standalone: &StandaloneCosts) -> Result<SavingsReport, SavingsError> {
        savings(&self.bills, standalone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bill(id: i64, payable: i64) -> MemberBill {
        MemberBill {
            member: OrgId(id),
            name: format!("M{id}"),
            share: Cents(payable),
            credits: Vec::new(),
            payable: Cents(payable),
        }
    }

    #[test]
    fn member_figure_overrides_the_common_one() {
        let costs = StandaloneCosts::common(Cents(1_000)).with_member(OrgId(2), Cents(5_000));
        let report = savings(&[bill(1, 400), bill(2, 400)], &costs).expect("computes");
        assert_eq!(
            report
                .members
                .iter()
                .map(|m| m.savings.get())
                .collect::<Vec<_>>(),
            vec![600, 4_600]
        );
        assert_eq!(report.total_standalone, Cents(6_000));
        assert_eq!(report.total_paid, Cents(800));
        assert_eq!(report.total_savings, Cents(5_200));
    }

    #[test]
    fn paying_more_than_alone_shows_negative_savings() {
        let report =
            savings(&[bill(1, 1_500)], &StandaloneCosts::common(Cents(1_000))).expect("computes");
        assert_eq!(report.members[0].savings, Cents(-500));
    }

    #[test]
    fn missing_standalone_cost_names_the_member() {
        let costs = StandaloneCosts::default().with_member(OrgId(1), Cents(1));
        assert_eq!(
            savings(&[bill(1, 0), bill(2, 0)], &costs),
            Err(SavingsError::MissingStandaloneCost {
                member: OrgId(2),
                name: "M2".into()
            })
        );
    }

    #[test]
    fn negative_standalone_cost_is_rejected() {
        let err =
            savings(&[bill(3, 0)], &StandaloneCosts::common(Cents(-1))).expect_err("negative");
        assert_eq!(
            err.to_string(),
            "member 3 (M3): standalone cost -0.01 is negative"
        );
    }
}
