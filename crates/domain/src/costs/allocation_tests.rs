//! Allocation: pro rata, breakdown contents and every error case.

use time::macros::date;

use super::*;
use crate::OrgId;

fn equal_key() -> AllocationKey {
    AllocationKey::new("equal", KeyNode::Equal)
}

fn abc() -> Vec<MemberSnapshot> {
    vec![
        MemberSnapshot::new(OrgId(1), "A")
            .with_population(10_000)
            .with_staff(100),
        MemberSnapshot::new(OrgId(2), "B")
            .with_population(30_000)
            .with_staff(300),
        MemberSnapshot::new(OrgId(3), "C")
            .with_population(60_000)
            .with_staff(600),
    ]
}

fn amounts(a: &Allocation) -> Vec<i64> {
    a.members.iter().map(|m| m.amount.get()).collect()
}

#[test]
fn member_joining_on_1_july_pays_184_of_365_days_and_the_others_cover_the_rest() {
    let mut members = abc();
    members[1].starts_on = Some(date!(2025 - 07 - 01));
    // Equal key, weights 365 : 184 : 365 (sum 914). Total 91,400 €:
    // A = 91,400 × 365/914 = 36,500 €, B = 91,400 × 184/914 = 18,400 €, C = 36,500 €.
    let a = allocate(Cents::euros(91_400), 2025, &members, &equal_key()).expect("allocates");
    assert_eq!(amounts(&a), vec![3_650_000, 1_840_000, 3_650_000]);
    assert_eq!(a.members[1].membership_days, 184);
    assert_eq!(a.members[1].key_share.percent, "33.3333");
    assert_eq!(
        a.members[1].share.fraction,
        Fraction::new(92, 457).expect("valid")
    );
}

#[test]
fn member_leaving_on_31_march_pays_90_of_365_days() {
    let mut members = abc();
    members[1].ends_on = Some(date!(2025 - 03 - 31));
    // Weights 365 : 90 : 365 (sum 820). Total 82,000 €: A = C = 36,500 €, B = 9,000 €.
    let a = allocate(Cents::euros(82_000), 2025, &members, &equal_key()).expect("allocates");
    assert_eq!(amounts(&a), vec![3_650_000, 900_000, 3_650_000]);
    assert_eq!(a.members[1].membership_days, 90);
}

#[test]
fn pro_rata_applies_to_metric_keys_too() {
    let mut members = abc();
    members[2].starts_on = Some(date!(2025 - 07 - 01));
    // Population × days: 10,000·365 : 30,000·365 : 60,000·184 = 365 : 1,095 : 1,104 (sum 2,564).
    // Total 25,640 €: A = 3,650 €, B = 10,950 €, C = 11,040 €.
    let key = AllocationKey::new("pop", KeyNode::by(Metric::Population));
    let a = allocate(Cents::euros(25_640), 2025, &members, &key).expect("allocates");
    assert_eq!(amounts(&a), vec![365_000, 1_095_000, 1_104_000]);
}

#[test]
fn breakdown_records_metrics_steps_and_exact_amounts() {
    let key = AllocationKey::new(
        "mix",
        KeyNode::base_plus_metric(Weight::percent(30), Metric::Staff),
    );
    let a = allocate(Cents::euros(1_000), 2025, &abc(), &key).expect("allocates");
    // A: 30 %/3 + 70 % × 100/1,000 = 10 % + 7 % = 17 % → 170 €.
    let line = a.member(OrgId(1)).expect("A is allocated");
    assert_eq!(line.metrics.get(&Metric::Staff), Some(&100));
    assert_eq!(line.metrics.get(&Metric::Population), None);
    assert_eq!(line.share.fraction, Fraction::new(17, 100).expect("valid"));
    assert_eq!(line.share.percent, "17.0000");
    assert_eq!(line.exact_euros, "170.000000");
    assert_eq!(line.amount, Cents::euros(170));
    let nodes: Vec<&str> = a.steps.iter().map(|s| s.node.as_str()).collect();
    assert_eq!(nodes, vec!["mix", "mix > base (equal)", "mix > by staff"]);
    assert_eq!(
        a.steps[2].rule,
        StepRule::ByMetric {
            metric: Metric::Staff,
            total: 1_000
        }
    );
    assert_eq!(a.steps[2].share_of_total.percent, "70.0000");
    assert_eq!(
        a.steps[2].members[0].share_of_total.fraction,
        Fraction::new(7, 100).expect("valid")
    );
}

#[test]
fn breakdown_serialises_to_json_with_fractions_as_strings() {
    let a = allocate(Cents::euros(100), 2025, &abc(), &equal_key()).expect("allocates");
    let json = serde_json::to_value(&a).expect("serialises");
    assert_eq!(json["members"][0]["share"]["fraction"], "1/3");
    assert_eq!(json["members"][0]["share"]["percent"], "33.3333");
    assert_eq!(json["members"][0]["amount"], 3_334);
    assert_eq!(json["members"][0]["exact_euros"], "33.333333");
    assert_eq!(json["steps"][0]["rule"]["kind"], "equal");
}

#[test]
fn manual_percentages_split_as_given() {
    let key = AllocationKey::new(
        "manual",
        KeyNode::manual([
            (OrgId(1), Weight::bp(3_334)),
            (OrgId(2), Weight::bp(3_333)),
            (OrgId(3), Weight::bp(3_333)),
        ]),
    );
    let a = allocate(Cents::euros(10_000), 2025, &abc(), &key).expect("allocates");
    assert_eq!(amounts(&a), vec![333_400, 333_300, 333_300]);
    assert_eq!(a.steps[0].members[0].value, Some(3_334));
}

#[test]
fn weights_not_summing_to_100_percent_name_the_node() {
    let key = AllocationKey::new(
        "K",
        KeyNode::split(vec![
            KeyPart::new("equal", Weight::percent(50), KeyNode::Equal),
            KeyPart::new("pop", Weight::percent(40), KeyNode::by(Metric::Population)),
        ]),
    );
    let err = allocate(Cents(100), 2025, &abc(), &key).expect_err("90 %");
    assert_eq!(
        err,
        AllocationError::WeightsNotFull {
            node: "K".into(),
            sum: Weight::percent(90)
        }
    );
}

#[test]
fn member_without_the_metric_is_named_with_the_metric() {
    let mut members = abc();
    members[1].it_workplaces = None;
    members[0].it_workplaces = Some(10);
    let key = AllocationKey::new(
        "K",
        KeyNode::weighted_mix([
            (Weight::percent(50), Metric::Staff),
            (Weight::percent(50), Metric::ItWorkplaces),
        ]),
    );
    let err = allocate(Cents(100), 2025, &members, &key).expect_err("B lacks IT workplaces");
    assert_eq!(
        err.to_string(),
        "member 2 (B) has no value for IT workplaces, needed by key node \"K > by IT workplaces\""
    );
}

#[test]
fn empty_member_list_is_an_error() {
    assert_eq!(
        allocate(Cents(100), 2025, &[], &equal_key()),
        Err(AllocationError::NoMembers)
    );
}

#[test]
fn duplicate_member_and_negative_total_are_errors() {
    let mut members = abc();
    members[2].id = OrgId(1);
    assert_eq!(
        allocate(Cents(1), 2025, &members, &equal_key()),
        Err(AllocationError::DuplicateMember { member: OrgId(1) })
    );
    assert_eq!(
        allocate(Cents(-1), 2025, &abc(), &equal_key()),
        Err(AllocationError::NegativeTotal { total: Cents(-1) })
    );
}

#[test]
fn filter_naming_an_unknown_member_or_selecting_nobody_is_an_error() {
    let part = |filter: KeyPart| AllocationKey::new("K", KeyNode::split(vec![filter]));
    let unknown = part(KeyPart::new("x", Weight::FULL, KeyNode::Equal).only(vec![OrgId(9)]));
    assert_eq!(
        allocate(Cents(1), 2025, &abc(), &unknown),
        Err(AllocationError::UnknownMember {
            node: "K > x".into(),
            member: OrgId(9)
        })
    );
    let nobody = part(KeyPart::new("x", Weight::FULL, KeyNode::Equal).except(vec![
        OrgId(1),
        OrgId(2),
        OrgId(3),
    ]));
    assert_eq!(
        allocate(Cents(1), 2025, &abc(), &nobody),
        Err(AllocationError::EmptyScope {
            node: "K > x".into()
        })
    );
}

#[test]
fn member_not_covered_by_any_part_is_an_error() {
    let key = AllocationKey::new(
        "K",
        KeyNode::split(vec![
            KeyPart::new("x", Weight::FULL, KeyNode::Equal).except(vec![OrgId(3)]),
        ]),
    );
    assert_eq!(
        allocate(Cents(1), 2025, &abc(), &key),
        Err(AllocationError::MemberNotInKey {
            member: OrgId(3),
            name: "C".into()
        })
    );
}

#[test]
fn metric_adding_up_to_zero_is_an_error() {
    let members: Vec<_> = abc().into_iter().map(|m| m.with_it_workplaces(0)).collect();
    let key = AllocationKey::new("K", KeyNode::by(Metric::ItWorkplaces));
    assert_eq!(
        allocate(Cents(1), 2025, &members, &key),
        Err(AllocationError::ZeroMetricTotal {
            node: "K".into(),
            metric: Metric::ItWorkplaces
        })
    );
}

#[test]
fn manual_share_missing_for_a_member_is_an_error() {
    let key = AllocationKey::new(
        "K",
        KeyNode::manual([
            (OrgId(1), Weight::percent(50)),
            (OrgId(2), Weight::percent(50)),
        ]),
    );
    assert_eq!(
        allocate(Cents(1), 2025, &abc(), &key),
        Err(AllocationError::MissingManualShare {
            node: "K".into(),
            member: OrgId(3),
            name: "C".into()
        })
    );
}

#[test]
fn member_outside_the_year_is_an_error() {
    let mut members = abc();
    members[0].ends_on = Some(date!(2024 - 12 - 31));
    assert_eq!(
        allocate(Cents(1), 2025, &members, &equal_key()),
        Err(AllocationError::NotMemberInYear {
            member: OrgId(1),
            name: "A".into(),
            year: 2025
        })
    );
}
