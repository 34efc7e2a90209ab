//! The within-step pro-rata rule on hand-checked examples: fixed shares stay fixed.

use time::macros::date;

use super::allocation::allocate_with;
use super::*;
use crate::OrgId;

const KREIS: OrgId = OrgId(1);

fn fraction(n: i128, d: i128) -> Fraction {
    Fraction::new(n, d).expect("valid fraction")
}

fn shares(a: &Allocation) -> Vec<Fraction> {
    a.members.iter().map(|m| m.share.fraction).collect()
}

fn amounts(a: &Allocation) -> Vec<i64> {
    a.members.iter().map(|m| m.amount.get()).collect()
}

/// Kreis 25 % fixed; towns C, D, E 75 % by population (10,000 / 20,000 / 30,000), E a
/// member from 1 April 2026.
fn kreis_and_three_towns() -> (Vec<MemberSnapshot>, AllocationKey) {
    let members = vec![
        MemberSnapshot::new(KREIS, "Kreis"),
        MemberSnapshot::new(OrgId(2), "C").with_population(10_000),
        MemberSnapshot::new(OrgId(3), "D").with_population(20_000),
        MemberSnapshot::new(OrgId(4), "E")
            .with_population(30_000)
            .with_membership(Some(date!(2026 - 04 - 01)), None),
    ];
    let key = AllocationKey::new(
        "fixed Kreis",
        KeyNode::split(vec![
            KeyPart::new("Kreis", Weight::percent(25), KeyNode::Equal).only(vec![KREIS]),
            KeyPart::new(
                "towns",
                Weight::percent(75),
                KeyNode::by(Metric::Population),
            )
            .except(vec![KREIS]),
        ]),
    );
    (members, key)
}

#[test]
fn a_town_joining_mid_year_does_not_move_the_kreis_fixed_share() {
    let (members, key) = kreis_and_three_towns();
    // E: 1 April to 31 December 2026 = 365 − 90 (January 31 + February 28 + March 31) = 275.
    // Towns step, population × days: C 10,000·365 = 3,650,000, D 20,000·365 = 7,300,000,
    // E 30,000·275 = 8,250,000; sum 19,200,000. Of the step: C 365/1,920 = 73/384,
    // D 730/1,920 = 73/192, E 825/1,920 = 55/128. Of the total (× 3/4): C 73/512,
    // D 73/256 = 146/512, E 165/512; Kreis 1/4 = 128/512; 128 + 73 + 146 + 165 = 512.
    // Total 51,200 €: Kreis 12,800 €, C 7,300 €, D 14,600 €, E 16,500 €.
    let a = allocate(Cents::euros(51_200), 2026, &members, &key).expect("allocates");

    assert_eq!(a.members[3].membership_days, 275);
    assert_eq!(
        shares(&a),
        vec![
            fraction(1, 4),
            fraction(73, 512),
            fraction(73, 256),
            fraction(165, 512)
        ]
    );
    assert_eq!(a.members[0].share.percent, "25.0000");
    assert_eq!(a.members[0].share, a.members[0].key_share);
    assert_eq!(amounts(&a), vec![1_280_000, 730_000, 1_460_000, 1_650_000]);
    assert_eq!(a.pro_rata, ProRataRule::WithinStep);
}

#[test]
fn the_earlier_whole_key_rule_let_the_kreis_pay_more_than_its_share() {
    let (members, key) = kreis_and_three_towns();
    // Key shares: Kreis 1/4, C 1/8, D 1/4, E 3/8; × days: Kreis 365/4, E 3·275/8; the sum
    // 365·5/8 + 825/8 = 2,650/8, so the Kreis got (730/8) / (2,650/8) = 73/265 ≈ 27.55 %.
    let a = allocate_with(
        ProRataRule::WholeKey,
        Cents::euros(100),
        2026,
        &members,
        &key,
    )
    .expect("allocates");

    assert_eq!(a.members[0].share.fraction, fraction(73, 265));
}

/// The Groß-Gerau model: the Kreis (host) carries 30 %, the towns 70 %, half equal and
/// half by population; Nauheim joins on 1 July 2025 (184 of 365 days).
#[test]
fn grossgerau_key_keeps_the_host_share_when_a_town_joins_mid_year() {
    let members = vec![
        MemberSnapshot::new(KREIS, "Kreis Groß-Gerau"),
        MemberSnapshot::new(OrgId(2), "A").with_population(10_000),
        MemberSnapshot::new(OrgId(3), "B").with_population(30_000),
        MemberSnapshot::new(OrgId(4), "Nauheim")
            .with_population(20_000)
            .with_membership(Some(date!(2025 - 07 - 01)), None),
    ];
    let key = AllocationKey::new(
        "Kreis GG",
        KeyNode::split(vec![
            KeyPart::new("Kreis", Weight::percent(30), KeyNode::Equal).only(vec![KREIS]),
            KeyPart::new(
                "towns",
                Weight::percent(70),
                KeyNode::split(vec![
                    KeyPart::new("equal", Weight::percent(50), KeyNode::Equal),
                    KeyPart::new(
                        "by population",
                        Weight::percent(50),
                        KeyNode::by(Metric::Population),
                    ),
                ]),
            )
            .except(vec![KREIS]),
        ]),
    );
    // Each towns step carries 35 % of the total (70 % × 50 %):
    // equal, days: 365 : 365 : 184 (sum 914) = 730 : 730 : 368 of 1,828;
    // population × days / 10,000: 365 : 1,095 : 368 (sum 1,828).
    // A = 7/20 × (730 + 365)/1,828 = 7/20 × 1,095/1,828 = 7,665/36,560 = 1,533/7,312;
    // B = 7/20 × (730 + 1,095)/1,828 = 12,775/36,560 = 2,555/7,312;
    // Nauheim = 7/20 × (368 + 368)/1,828 = 5,152/36,560 = 322/2,285;
    // together 7/20 × 3,656/1,828 = 7/10, and the Kreis exactly 3/10.
    // Total 73,120 €: A 15,330 €, B 25,550 €, Nauheim 322 × 32 € = 10,304 €, Kreis 21,936 €.
    let a = allocate(Cents::euros(73_120), 2025, &members, &key).expect("allocates");

    assert_eq!(
        shares(&a),
        vec![
            fraction(3, 10),
            fraction(1_533, 7_312),
            fraction(2_555, 7_312),
            fraction(322, 2_285)
        ]
    );
    assert_eq!(a.members[0].share, a.members[0].key_share);
    assert_eq!(
        amounts(&a),
        vec![2_193_600, 1_533_000, 2_555_000, 1_030_400]
    );
}

#[test]
fn equal_shares_are_equal_per_day_of_membership() {
    let members = vec![
        MemberSnapshot::new(KREIS, "Kreis"),
        MemberSnapshot::new(OrgId(2), "A"),
        MemberSnapshot::new(OrgId(3), "B").with_membership(None, Some(date!(2025 - 03 - 31))),
    ];
    let key = AllocationKey::new(
        "k",
        KeyNode::split(vec![
            KeyPart::new("Kreis", Weight::percent(50), KeyNode::Equal).only(vec![KREIS]),
            KeyPart::new("towns", Weight::percent(50), KeyNode::Equal).except(vec![KREIS]),
        ]),
    );
    // Towns step, days 365 : 90 (sum 455): A = 1/2 × 365/455 = 73/182, B = 1/2 × 90/455 = 9/91.
    let a = allocate(Cents::euros(1_000), 2025, &members, &key).expect("allocates");

    assert_eq!(
        shares(&a),
        vec![fraction(1, 2), fraction(73, 182), fraction(9, 91)]
    );
}

#[test]
fn a_single_member_part_of_part_of_the_year_shrinks_and_the_split_renormalises() {
    // The Kreis (30 %) joins on 1 July 2025: its part is occupied 184 of 365 days. Split
    // weights × occupied days: 3 × 184 = 552 and 7 × 365 = 2,555 (sum 3,107):
    // Kreis 552/3,107, towns 2,555/3,107, each town (equal, all year) 2,555/6,214.
    let members = vec![
        MemberSnapshot::new(KREIS, "Kreis").with_membership(Some(date!(2025 - 07 - 01)), None),
        MemberSnapshot::new(OrgId(2), "A"),
        MemberSnapshot::new(OrgId(3), "B"),
    ];
    let key = AllocationKey::new(
        "k",
        KeyNode::split(vec![
            KeyPart::new("Kreis", Weight::percent(30), KeyNode::Equal).only(vec![KREIS]),
            KeyPart::new("towns", Weight::percent(70), KeyNode::Equal).except(vec![KREIS]),
        ]),
    );

    let a = allocate(Cents::euros(3_107), 2025, &members, &key).expect("allocates");

    assert_eq!(
        shares(&a),
        vec![
            fraction(552, 3_107),
            fraction(2_555, 6_214),
            fraction(2_555, 6_214)
        ]
    );
    assert_eq!(amounts(&a), vec![55_200, 127_750, 127_750]);
}

#[test]
fn a_part_whose_members_follow_each_other_keeps_its_share() {
    // A leaves on 31 March, B joins on 1 April: the part is occupied all year and keeps
    // its 50 %; inside it, equal per day: A 90/365 × 1/2 = 9/73, B 275/365 × 1/2 = 55/146.
    let members = vec![
        MemberSnapshot::new(KREIS, "Kreis"),
        MemberSnapshot::new(OrgId(2), "A").with_membership(None, Some(date!(2025 - 03 - 31))),
        MemberSnapshot::new(OrgId(3), "B").with_membership(Some(date!(2025 - 04 - 01)), None),
    ];
    let key = AllocationKey::new(
        "k",
        KeyNode::split(vec![
            KeyPart::new("Kreis", Weight::percent(50), KeyNode::Equal).only(vec![KREIS]),
            KeyPart::new("seat", Weight::percent(50), KeyNode::Equal).except(vec![KREIS]),
        ]),
    );

    let a = allocate(Cents::euros(1_000), 2025, &members, &key).expect("allocates");

    assert_eq!(
        shares(&a),
        vec![fraction(1, 2), fraction(9, 73), fraction(55, 146)]
    );
}

#[test]
fn manual_percentages_are_weighted_by_days_inside_their_step() {
    // 60 % / 40 %, the 40 % member leaves on 31 March (90 days):
    // 6,000·365 : 4,000·90 = 219 : 36 (sum 255).
    let members = vec![
        MemberSnapshot::new(OrgId(2), "A"),
        MemberSnapshot::new(OrgId(3), "B").with_membership(None, Some(date!(2025 - 03 - 31))),
    ];
    let key = AllocationKey::new(
        "m",
        KeyNode::manual([
            (OrgId(2), Weight::percent(60)),
            (OrgId(3), Weight::percent(40)),
        ]),
    );

    let a = allocate(Cents::euros(255), 2025, &members, &key).expect("allocates");

    assert_eq!(shares(&a), vec![fraction(219, 255), fraction(36, 255)]);
}
