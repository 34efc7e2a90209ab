//! The data of one member's statement letter, formatted for print; `letter.typ` lays it
//! out. Every figure is formatted here (German notation), the template only places text.

use serde::Serialize;
use verbund_domain::OrgId;
use verbund_domain::costs::{
    Allocation, Cents, FederationTotals, Fraction, MemberShare, ProRataRule, Share, StepMember,
    StepRule, Weight,
};

use crate::format::{self, euros};
use crate::{IssuedStatement, Letterhead, ReportError};
use verbund_domain::costs::payment::format_german_date;

/// The letter's typst template; it reads the data below from `data.json`.
pub(crate) const TEMPLATE: &str = include_str!("letter.typ");

#[derive(Serialize)]
struct LetterData {
    title: String,
    year: String,
    head: Head,
    number: String,
    date: String,
    member: String,
    /// The member's postal address, as recorded when the statement was issued.
    recipient: Vec<String>,
    /// How to pay, when the statement recorded payment terms.
    payment: Option<Payment>,
    /// Who signs for the office (recorded with the statement, else the current settings).
    signer: Option<SignerText>,
    key_name: String,
    key_version: String,
    budget: Vec<[String; 2]>,
    budget_total: String,
    subsidies: Vec<SubsidyRow>,
    shared_subsidies: String,
    shared_total: String,
    steps: Vec<StepRow>,
    key_share: ShareText,
    days: String,
    year_days: String,
    prorata: Option<Prorata>,
    /// The share differs from the key share by the within-step pro-rata rule.
    within_step: bool,
    share: ShareText,
    calc: Calc,
    credits: Vec<[String; 2]>,
    payable: String,
    savings: Option<Savings>,
    /// The day the member's key figures last changed before the statement, if recorded.
    figures_as_of: Option<String>,
}

#[derive(Serialize)]
struct Head {
    federation: String,
    office: String,
    address: Vec<String>,
    contact: Vec<String>,
}

#[derive(Serialize)]
struct Payment {
    due: String,
    reference: String,
    account: Option<Account>,
}

#[derive(Serialize)]
struct Account {
    holder: String,
    iban: String,
    bic: Option<String>,
    bank: Option<String>,
}

#[derive(Serialize)]
struct SignerText {
    name: String,
    role: Option<String>,
}

#[derive(Serialize)]
struct SubsidyRow {
    name: String,
    instalment: String,
    remaining: String,
    reduces: bool,
}

#[derive(Serialize)]
struct ShareText {
    fraction: String,
    percent: String,
}

impl From<&Share> for ShareText {
    fn from(s: &Share) -> ShareText {
        ShareText {
            fraction: format::fraction(s.fraction),
            percent: format::percent(&s.percent),
        }
    }
}

#[derive(Serialize)]
struct StepRow {
    path: String,
    rule: String,
    share_of_total: ShareText,
    /// The member's part for leaf steps it takes part in.
    mine: Option<MyPart>,
    /// Whether the step is a leaf (else a split into parts).
    leaf: bool,
}

#[derive(Serialize)]
struct MyPart {
    value: String,
    of_node: ShareText,
    of_total: ShareText,
}

#[derive(Serialize)]
struct Prorata {
    weight: String,
    weight_sum: String,
}

#[derive(Serialize)]
struct Calc {
    members: usize,
    exact: String,
    floor: String,
    remainder: String,
    extra_cent: bool,
    amount: String,
    leftover: i64,
    lowest_with_cent: Option<String>,
    highest_without_cent: Option<String>,
}

#[derive(Serialize)]
struct Savings {
    standalone: String,
    paid: String,
    savings: String,
    negative: bool,
    members: usize,
    total_standalone: String,
    total_paid: String,
    total_savings: String,
    total_negative: bool,
}

fn lines(text: Option<&str>) -> Vec<String> {
    text.map(|t| {
        t.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn step_value(rule: &StepRule, m: &StepMember) -> String {
    match (rule, m.value) {
        // Manual values are basis points, which the key stores as u32.
        (StepRule::Manual, Some(bp)) => {
            format::weight(Weight(u32::try_from(bp).unwrap_or(u32::MAX)))
        }
        (_, Some(v)) => format::integer(v),
        (_, None) => "–".to_owned(),
    }
}

fn steps(a: &Allocation, member: OrgId) -> Vec<StepRow> {
    a.steps
        .iter()
        .map(|step| {
            let mine = step
                .members
                .iter()
                .find(|m| m.member == member)
                .map(|m| MyPart {
                    value: step_value(&step.rule, m),
                    of_node: (&m.share_of_node).into(),
                    of_total: (&m.share_of_total).into(),
                });
            StepRow {
                path: format::path(&step.node),
                rule: format::rule(&step.rule),
                share_of_total: (&step.share_of_total).into(),
                mine,
                leaf: !matches!(step.rule, StepRule::Split { .. }),
            }
        })
        .collect()
}

/// The day-weighted key share `k·d` and the sum over all members `Σ k·d` (which follows
/// from `share = k·d / Σ`), when the earlier whole-key pro-rata rule changed anything. Under
/// the within-step rule there is no such single sum; the letter explains that rule in words.
fn prorata(a: &Allocation, line: &MemberShare) -> Option<Prorata> {
    if line.share == line.key_share || a.pro_rata != ProRataRule::WholeKey {
        return None;
    }
    let weight = line
        .key_share
        .fraction
        .checked_mul(Fraction::integer(line.membership_days.into()))?;
    let weight_sum = weight.checked_div(line.share.fraction)?;
    Some(Prorata {
        weight: format::fraction(weight),
        weight_sum: format::fraction(weight_sum),
    })
}

fn calc(t: &FederationTotals, line: &MemberShare) -> Calc {
    Calc {
        members: t.members,
        exact: format::exact_euros(&line.exact_euros),
        floor: euros(line.floor),
        remainder: format::cent_remainder(line.remainder),
        extra_cent: line.extra_cent,
        amount: euros(line.amount),
        leftover: t.extra_cents as i64,
        lowest_with_cent: t.lowest_with_cent.map(format::cent_remainder),
        highest_without_cent: t.highest_without_cent.map(format::cent_remainder),
    }
}

/// The letter's data for `member` as JSON; fails if the member has no bill.
pub(crate) fn letter_data(
    s: &IssuedStatement,
    member: OrgId,
    lh: &Letterhead,
) -> Result<Vec<u8>, ReportError> {
    let doc = s.document;
    let st = &doc.statement;
    // From the whole document, or recorded in a member's part (which has only its own bill).
    let totals = doc.totals();
    let missing = || ReportError::MemberNotInStatement { member };
    let bill = st.bill(member).ok_or_else(missing)?;
    let line = st.allocation.member(member).ok_or_else(missing)?;
    let shared_subsidies = Cents::checked_sum(
        st.subsidies
            .iter()
            .filter(|u| u.reduces_shared_total)
            .map(|u| u.instalment),
    )
    .unwrap_or(Cents::ZERO);
    let savings = doc.savings.as_ref().and_then(|report| {
        let mine = report.members.iter().find(|m| m.member == member)?;
        Some(Savings {
            standalone: euros(mine.standalone),
            paid: euros(mine.paid),
            savings: euros(Cents(mine.savings.get().saturating_abs())),
            negative: mine.savings.is_negative(),
            members: totals.savings_members,
            total_standalone: euros(report.total_standalone),
            total_paid: euros(report.total_paid),
            total_savings: euros(Cents(report.total_savings.get().saturating_abs())),
            total_negative: report.total_savings.is_negative(),
        })
    });
    let data = LetterData {
        title: format!(
            "Kostenbeteiligung {} – Interkommunale Informationssicherheit",
            st.year
        ),
        year: st.year.to_string(),
        head: Head {
            federation: lh.federation_name.clone(),
            office: lh.office_name.clone(),
            address: lines(lh.office_address.as_deref()),
            contact: lines(lh.contact.as_deref()),
        },
        number: s.id.to_string(),
        date: s.issued_at.clone(),
        member: bill.name.clone(),
        recipient: lines(
            doc.payment
                .as_ref()
                .and_then(|p| p.member(member))
                .and_then(|m| m.address.as_deref()),
        ),
        payment: doc.payment.as_ref().and_then(|p| {
            let mine = p.member(member)?;
            Some(Payment {
                due: format_german_date(p.due_on),
                reference: mine.reference.clone(),
                account: p.account.as_ref().map(|a| Account {
                    holder: a.holder.clone(),
                    iban: a.iban.grouped(),
                    bic: a.bic.clone(),
                    bank: a.bank.clone(),
                }),
            })
        }),
        signer: doc
            .payment
            .as_ref()
            .and_then(|p| p.signer.as_ref())
            .or(lh.signer.as_ref())
            .map(|x| SignerText {
                name: x.name.clone(),
                role: x.role.clone(),
            }),
        key_name: doc.key_name.clone(),
        key_version: doc.key_version.to_string(),
        budget: st
            .budget_by_category
            .iter()
            .map(|(c, amount)| [format::category(*c).to_owned(), euros(*amount)])
            .collect(),
        budget_total: euros(st.budget_total),
        subsidies: st
            .subsidies
            .iter()
            .map(|u| SubsidyRow {
                name: u.subsidy.clone(),
                instalment: euros(u.instalment),
                remaining: euros(u.remaining_after),
                reduces: u.reduces_shared_total,
            })
            .collect(),
        // Shown as a deduction: "-30.000,00 €", and "0,00 €" when there is none.
        shared_subsidies: euros(Cents(shared_subsidies.get().saturating_neg())),
        shared_total: euros(st.shared_total),
        steps: steps(&st.allocation, member),
        key_share: (&line.key_share).into(),
        days: line.membership_days.to_string(),
        year_days: st.allocation.days_in_year.to_string(),
        prorata: prorata(&st.allocation, line),
        within_step: st.allocation.pro_rata == ProRataRule::WithinStep
            && line.share != line.key_share,
        share: (&line.share).into(),
        calc: calc(&totals, line),
        credits: bill
            .credits
            .iter()
            .map(|c| [c.subsidy.clone(), euros(Cents(-c.amount.get()))])
            .collect(),
        payable: euros(bill.payable),
        savings,
        figures_as_of: doc
            .member(member)
            .and_then(|m| m.figures_changed_at_ms)
            .map(|ms| {
                let t = verbund_domain::localtime::fmt_ms(ms);
                t.split(' ').next().unwrap_or_default().to_owned()
            }),
    };
    serde_json::to_vec(&data).map_err(|e| ReportError::Render(e.to_string()))
}
