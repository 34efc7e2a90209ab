//! An issued statement as one self-contained document: the inputs of the calculation
//! (key, member data, standalone costs) next to its results, so it can be shown, printed
//! and checked again later without looking anything else up.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::allocation::allocate_with;
use super::error::AllocationError;
use super::fraction::Fraction;
use super::key::AllocationKey;
use super::member::MemberSnapshot;
use super::money::Cents;
use super::payment::PaymentTerms;
use super::savings::{SavingsError, SavingsReport, StandaloneCosts};
use super::statement::YearStatement;
use crate::OrgId;

/// Everything an issued statement needs to be shown, printed and reproduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementDocument {
    /// The name of the stored key the statement was settled with.
    pub key_name: String,
    /// The version of that stored key.
    pub key_version: i64,
    /// The key tree as it was applied.
    pub key: AllocationKey,
    /// The standalone costs the savings were computed against.
    pub standalone: StandaloneCosts,
    /// The member data used (metrics and membership dates), in member order.
    pub members: Vec<MemberSnapshot>,
    /// Budget, subsidies, the key split step by step, and every bill.
    pub statement: YearStatement,
    /// Savings against each member's standalone cost, if there are standalone costs.
    pub savings: Option<SavingsReport>,
    /// Federation-wide figures, kept in a member's part (which holds only its own bill and
    /// share) so its letter and extract can explain the rounding and show the totals. `None`
    /// in a whole document: [`StatementDocument::totals`] computes them from the bills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub federation: Option<FederationTotals>,
    /// Due date, bank account, signer and each member's payment reference and address, as
    /// confirmed when the statement was issued. `None` in statements issued before they were
    /// recorded (their letters have no payment block).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentTerms>,
}

/// The figures of a statement that span all members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FederationTotals {
    /// Members with a share.
    pub members: usize,
    /// Members whose amount was rounded up by one cent (largest remainders).
    pub extra_cents: usize,
    /// The smallest remainder that still got a cent.
    pub lowest_with_cent: Option<Fraction>,
    /// The largest remainder that got none.
    pub highest_without_cent: Option<Fraction>,
    /// Σ of the amounts rounded down to the cent.
    pub floors: Cents,
    /// Σ of the subsidy credits on the bills.
    pub credits: Cents,
    /// Σ of the payable amounts.
    pub payable: Cents,
    /// Members in the savings comparison.
    pub savings_members: usize,
}

impl FederationTotals {
    /// The figures of a whole document.
    pub fn of(doc: &StatementDocument) -> Self {
        let members = &doc.statement.allocation.members;
        let with_cent = || members.iter().filter(|m| m.extra_cent);
        let sum = |it: &mut dyn Iterator<Item = i64>| Cents(it.sum());
        Self {
            members: members.len(),
            extra_cents: with_cent().count(),
            lowest_with_cent: with_cent().map(|m| m.remainder).min(),
            highest_without_cent: members
                .iter()
                .filter(|m| !m.extra_cent)
                .map(|m| m.remainder)
                .max(),
            floors: sum(&mut members.iter().map(|m| m.floor.get())),
            credits: sum(&mut doc
                .statement
                .bills
                .iter()
                .flat_map(|b| b.credits.iter().map(|c| c.amount.get()))),
            payable: sum(&mut doc.statement.bills.iter().map(|b| b.payable.get())),
            savings_members: doc.savings.as_ref().map_or(0, |s| s.members.len()),
        }
    }
}

/// Why a document's recorded results do not follow from its recorded inputs.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocumentError {
    /// The key can no longer be applied to the recorded members.
    #[error("the recorded key cannot be applied to the recorded members: {0}")]
    Allocation(#[from] AllocationError),
    /// Applying the key again gives a different split.
    #[error("the recorded allocation differs from a new calculation")]
    AllocationDiffers,
    /// The totals do not add up: budget by category, subsidies, shared total, bills.
    #[error("the statement's totals do not add up ({0})")]
    TotalsDiffer(&'static str),
    /// A bill does not match the allocation or its own credits.
    #[error("the bill of member {member} does not match the allocation")]
    BillDiffers {
        /// The member.
        member: OrgId,
    },
    /// The savings cannot be computed from the recorded standalone costs.
    #[error(transparent)]
    Savings(#[from] SavingsError),
    /// Computing the savings again gives different figures.
    #[error("the recorded savings differ from a new calculation")]
    SavingsDiffer,
}

impl StatementDocument {
    /// The federation-wide figures: recorded in a member's part, computed for a whole document.
    pub fn totals(&self) -> FederationTotals {
        self.federation
            .clone()
            .unwrap_or_else(|| FederationTotals::of(self))
    }

    /// The recorded data of `member`, if it is part of the statement.
    pub fn member(&self, member: OrgId) -> Option<&MemberSnapshot> {
        self.members.iter().find(|m| m.id == member)
    }

    /// Checks that the recorded results follow from the recorded inputs: applying the key
    /// to the members again (with the pro-rata rule the statement records, so statements
    /// issued under the earlier whole-key rule still check) gives the same allocation, the
    /// totals add up, each bill is its share minus its credits, and the savings are those
    /// of the bills.
    ///
    /// Fails with the first difference found.
    pub fn verify(&self) -> Result<(), DocumentError> {
        let st = &self.statement;
        let again = allocate_with(
            st.allocation.pro_rata,
            st.shared_total,
            st.year,
            &self.members,
            &self.key,
        )?;
        if again != st.allocation {
            return Err(DocumentError::AllocationDiffers);
        }
        if Cents::checked_sum(st.budget_by_category.values().copied()) != Some(st.budget_total) {
            return Err(DocumentError::TotalsDiffer("budget by category"));
        }
        let shared_subsidies = Cents::checked_sum(
            st.subsidies
                .iter()
                .filter(|s| s.reduces_shared_total)
                .map(|s| s.instalment),
        );
        if shared_subsidies.and_then(|s| st.budget_total.checked_sub(s)) != Some(st.shared_total) {
            return Err(DocumentError::TotalsDiffer("shared total"));
        }
        let all_subsidies = Cents::checked_sum(st.subsidies.iter().map(|s| s.instalment));
        let payable = Cents::checked_sum(st.bills.iter().map(|b| b.payable));
        if all_subsidies
            .zip(payable)
            .and_then(|(a, b)| a.checked_add(b))
            != Some(st.budget_total)
        {
            return Err(DocumentError::TotalsDiffer("subsidies and bills"));
        }
        if st.bills.len() != st.allocation.members.len() {
            return Err(DocumentError::TotalsDiffer("number of bills"));
        }
        for (bill, line) in st.bills.iter().zip(&st.allocation.members) {
            let credited = Cents::checked_sum(bill.credits.iter().map(|c| c.amount));
            let ok = bill.member == line.member
                && bill.share == line.amount
                && credited.and_then(|c| bill.share.checked_sub(c)) == Some(bill.payable);
            if !ok {
                return Err(DocumentError::BillDiffers {
                    member: bill.member,
                });
            }
        }
        if let Some(recorded) = &self.savings
            && st.savings(&self.standalone)? != *recorded
        {
            return Err(DocumentError::SavingsDiffer);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::DocumentError;
    use crate::OrgId;

    fn document() -> StatementDocument {
        let members = vec![
            MemberSnapshot::new(OrgId(1), "Kreis Groß-Gerau"),
            MemberSnapshot::new(OrgId(2), "Nauheim").with_population(10_840),
            MemberSnapshot::new(OrgId(3), "Rüsselsheim am Main").with_population(67_277),
        ];
        let key = AllocationKey::new(
            "Kreis GG",
            KeyNode::split(vec![
                KeyPart::new("Kreis", Weight::percent(30), KeyNode::Equal).only(vec![OrgId(1)]),
                KeyPart::new(
                    "towns",
                    Weight::percent(70),
                    KeyNode::base_plus_metric(Weight::percent(50), Metric::Population),
                )
                .except(vec![OrgId(1)]),
            ]),
        );
        let budget = Budget::new(
            2026,
            vec![
                BudgetLine::new(CostCategory::Personnel, Cents::euros(85_000), "ISB"),
                BudgetLine::new(CostCategory::Material, Cents(1_234_567), "Sachkosten"),
            ],
        )
        .expect("valid budget");
        let subsidies = [
            Subsidy::new(
                "Landesförderung",
                Cents::euros(30_000),
                2025,
                2027,
                SubsidyApplication::ReduceSharedTotal,
            )
            .expect("valid subsidy"),
            Subsidy::new(
                "Digitalpakt",
                Cents::euros(3_000),
                2026,
                2026,
                SubsidyApplication::ByShare {
                    members: vec![OrgId(2), OrgId(3)],
                },
            )
            .expect("valid subsidy"),
        ];
        let statement = settle_year(&budget, &subsidies, &members, &key).expect("settles");
        let standalone = StandaloneCosts::common(Cents::euros(42_500));
        let savings = statement.savings(&standalone).expect("computes");
        StatementDocument {
            key_name: "Kreis GG".into(),
            key_version: 3,
            key,
            standalone,
            members,
            statement,
            savings: Some(savings),
            federation: None,
            payment: None,
        }
    }

    #[test]
    fn document_survives_a_json_round_trip_unchanged() {
        let doc = document();
        let json = serde_json::to_string(&doc).expect("serialises");
        let back: StatementDocument = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, doc);
        assert!(!back.statement.bills[1].credits.is_empty());
    }

    #[test]
    fn shares_are_stored_as_exact_fraction_strings() {
        let json = serde_json::to_value(document()).expect("serialises");
        let share = &json["statement"]["allocation"]["members"][0]["share"];
        assert_eq!(share["fraction"], "3/10");
        assert_eq!(share["percent"], "30.0000");
    }

    #[test]
    fn a_settled_document_verifies() {
        assert_eq!(document().verify(), Ok(()));
    }

    #[test]
    fn a_changed_metric_no_longer_verifies() {
        let mut doc = document();
        doc.members[2].population = Some(67_000);
        assert_eq!(doc.verify(), Err(DocumentError::AllocationDiffers));
    }

    #[test]
    fn a_changed_payable_amount_breaks_the_totals() {
        let mut doc = document();
        doc.statement.bills[2].payable = Cents(1);
        assert_eq!(
            doc.verify(),
            Err(DocumentError::TotalsDiffer("subsidies and bills"))
        );
    }

    #[test]
    fn a_cent_moved_between_bills_names_the_first_member_affected() {
        let mut doc = document();
        doc.statement.bills[1].payable = Cents(doc.statement.bills[1].payable.get() - 1);
        doc.statement.bills[2].payable = Cents(doc.statement.bills[2].payable.get() + 1);
        assert_eq!(
            doc.verify(),
            Err(DocumentError::BillDiffers { member: OrgId(2) })
        );
    }

    /// The document with Nauheim joining on 1 July, settled under `rule`.
    fn document_with_late_member(rule: ProRataRule) -> StatementDocument {
        let mut doc = document();
        doc.members[1].starts_on = Some(time::macros::date!(2026 - 07 - 01));
        let st = &mut doc.statement;
        st.allocation =
            super::allocate_with(rule, st.shared_total, st.year, &doc.members, &doc.key)
                .expect("allocates");
        for (bill, line) in st.bills.iter_mut().zip(&st.allocation.members) {
            let credited: i64 = bill.credits.iter().map(|c| c.amount.get()).sum();
            bill.share = line.amount;
            bill.payable = Cents(line.amount.get() - credited);
        }
        doc.savings = None;
        doc
    }

    #[test]
    fn a_document_with_a_late_member_verifies_and_keeps_the_kreis_share() {
        let doc = document_with_late_member(ProRataRule::WithinStep);
        assert_eq!(doc.verify(), Ok(()));
        let kreis = &doc.statement.allocation.members[0];
        assert_eq!(kreis.share, kreis.key_share);
    }

    #[test]
    fn a_document_issued_under_the_whole_key_rule_still_verifies() {
        let doc = document_with_late_member(ProRataRule::WholeKey);
        // Stored before the rule was recorded: the field is missing from the JSON.
        let mut json = serde_json::to_value(&doc).expect("serialises");
        let allocation = json["statement"]["allocation"]
            .as_object_mut()
            .expect("an object");
        assert_eq!(allocation.remove("pro_rata"), Some("whole_key".into()));
        let stored: StatementDocument = serde_json::from_value(json).expect("deserialises");

        assert_eq!(stored.statement.allocation.pro_rata, ProRataRule::WholeKey);
        assert_eq!(stored.verify(), Ok(()));
    }

    #[test]
    fn a_document_checked_under_another_rule_differs() {
        let mut doc = document_with_late_member(ProRataRule::WholeKey);
        doc.statement.allocation.pro_rata = ProRataRule::WithinStep;
        assert_eq!(doc.verify(), Err(DocumentError::AllocationDiffers));
    }

    #[test]
    fn changed_savings_no_longer_verify() {
        let mut doc = document();
        doc.standalone = StandaloneCosts::common(Cents::euros(40_000));
        assert_eq!(doc.verify(), Err(DocumentError::SavingsDiffer));
    }
}
