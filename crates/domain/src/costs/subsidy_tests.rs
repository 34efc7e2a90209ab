//! Subsidy schedules, validation and per-member credits.

use super::*;
use crate::OrgId;

fn state_subsidy(application: SubsidyApplication) -> Subsidy {
    Subsidy::new(
        "Landesförderung",
        Cents::euros(150_000),
        2025,
        2029,
        application,
    )
    .expect("valid subsidy")
}

fn three_members() -> Vec<MemberSnapshot> {
    vec![
        MemberSnapshot::new(OrgId(1), "A").with_population(10_000),
        MemberSnapshot::new(OrgId(2), "B").with_population(30_000),
        MemberSnapshot::new(OrgId(3), "C").with_population(60_000),
    ]
}

fn by_population() -> AllocationKey {
    AllocationKey::new("population", KeyNode::by(Metric::Population))
}

#[test]
fn hundred_fifty_thousand_over_five_years_is_thirty_thousand_a_year() {
    let s = state_subsidy(SubsidyApplication::ReduceSharedTotal);
    let schedule: Vec<(i32, i64, i64)> = s
        .schedule()
        .iter()
        .map(|y| {
            (
                y.year,
                y.instalment.get() / 100,
                y.remaining_after.get() / 100,
            )
        })
        .collect();
    assert_eq!(
        schedule,
        vec![
            (2025, 30_000, 120_000),
            (2026, 30_000, 90_000),
            (2027, 30_000, 60_000),
            (2028, 30_000, 30_000),
            (2029, 30_000, 0),
        ]
    );
}

#[test]
fn instalment_and_remaining_outside_the_period() {
    let s = state_subsidy(SubsidyApplication::ReduceSharedTotal);
    assert_eq!(s.instalment(2024), Cents::ZERO);
    assert_eq!(s.instalment(2030), Cents::ZERO);
    assert_eq!(s.remaining_after(2024), Cents::euros(150_000));
    assert_eq!(s.remaining_after(2027), Cents::euros(60_000));
    assert_eq!(s.remaining_after(2035), Cents::ZERO);
}

#[test]
fn uneven_instalments_give_the_extra_cents_to_the_earliest_years() {
    let s = Subsidy::new(
        "x",
        Cents::euros(100_000),
        2025,
        2027,
        SubsidyApplication::ReduceSharedTotal,
    )
    .expect("valid");
    let instalments: Vec<i64> = s.schedule().iter().map(|y| y.instalment.get()).collect();
    assert_eq!(instalments, vec![3_333_334, 3_333_333, 3_333_333]);
}

#[test]
fn invalid_subsidies_are_rejected_with_their_name() {
    let reduce = || SubsidyApplication::ReduceSharedTotal;
    assert_eq!(
        Subsidy::new("neg", Cents(-1), 2025, 2025, reduce()),
        Err(SubsidyError::NegativeTotal {
            subsidy: "neg".into(),
            total: Cents(-1)
        })
    );
    assert_eq!(
        Subsidy::new("p", Cents(1), 2026, 2025, reduce()),
        Err(SubsidyError::InvalidPeriod {
            subsidy: "p".into(),
            first_year: 2026,
            last_year: 2025
        })
    );
    assert!(matches!(
        Subsidy::new("long", Cents(1), 2000, 2100, reduce()),
        Err(SubsidyError::InvalidPeriod { .. })
    ));
    assert_eq!(
        Subsidy::new(
            "none",
            Cents(1),
            2025,
            2025,
            SubsidyApplication::ByShare { members: vec![] }
        ),
        Err(SubsidyError::NoMembers {
            subsidy: "none".into()
        })
    );
    assert_eq!(
        Subsidy::new(
            "dup",
            Cents(1),
            2025,
            2025,
            SubsidyApplication::ByShare {
                members: vec![OrgId(1), OrgId(1)]
            }
        ),
        Err(SubsidyError::DuplicateMember {
            subsidy: "dup".into(),
            member: OrgId(1)
        })
    );
}

#[test]
fn fixed_amounts_must_be_non_negative_and_add_up_to_the_total() {
    let fixed = |a: i64, b: i64| SubsidyApplication::Fixed {
        amounts: vec![
            FixedCredit {
                member: OrgId(1),
                amount: Cents(a),
            },
            FixedCredit {
                member: OrgId(2),
                amount: Cents(b),
            },
        ],
    };
    assert_eq!(
        Subsidy::new("f", Cents(100), 2025, 2025, fixed(30, 60)),
        Err(SubsidyError::FixedAmountsMismatch {
            subsidy: "f".into(),
            sum: Cents(90),
            total: Cents(100)
        })
    );
    assert_eq!(
        Subsidy::new("f", Cents(100), 2025, 2025, fixed(-10, 110)),
        Err(SubsidyError::NegativeFixedAmount {
            subsidy: "f".into(),
            member: OrgId(1),
            amount: Cents(-10)
        })
    );
}

#[test]
fn by_share_credits_follow_the_allocated_shares_of_the_listed_members() {
    let s = state_subsidy(SubsidyApplication::ByShare {
        members: vec![OrgId(2), OrgId(3)],
    });
    let allocation = allocate(
        Cents::euros(100_000),
        2025,
        &three_members(),
        &by_population(),
    )
    .expect("allocates");
    // B : C = 30 % : 60 % = 1 : 2 of 30,000 € → 10,000 € and 20,000 €.
    assert_eq!(
        s.member_credits(&allocation),
        Ok(vec![
            (OrgId(2), Cents::euros(10_000)),
            (OrgId(3), Cents::euros(20_000))
        ])
    );
}

#[test]
fn fixed_credits_split_each_instalment_by_the_fixed_amounts() {
    let amounts = vec![
        FixedCredit {
            member: OrgId(1),
            amount: Cents::euros(50_000),
        },
        FixedCredit {
            member: OrgId(3),
            amount: Cents::euros(100_000),
        },
    ];
    let s = state_subsidy(SubsidyApplication::Fixed { amounts });
    let allocation = allocate(
        Cents::euros(100_000),
        2026,
        &three_members(),
        &by_population(),
    )
    .expect("allocates");
    assert_eq!(
        s.member_credits(&allocation),
        Ok(vec![
            (OrgId(1), Cents::euros(10_000)),
            (OrgId(3), Cents::euros(20_000))
        ])
    );
}

#[test]
fn credits_to_a_member_outside_the_allocation_are_an_error() {
    let s = state_subsidy(SubsidyApplication::ByShare {
        members: vec![OrgId(9)],
    });
    let allocation =
        allocate(Cents::euros(1), 2025, &three_members(), &by_population()).expect("allocates");
    assert_eq!(
        s.member_credits(&allocation),
        Err(SubsidyError::UnknownMember {
            subsidy: "Landesförderung".into(),
            member: OrgId(9)
        })
    );
}

#[test]
fn outside_the_period_credits_are_zero() {
    let s = state_subsidy(SubsidyApplication::ByShare {
        members: vec![OrgId(1)],
    });
    let allocation =
        allocate(Cents::euros(1), 2031, &three_members(), &by_population()).expect("allocates");
    assert_eq!(
        s.member_credits(&allocation),
        Ok(vec![(OrgId(1), Cents::ZERO)])
    );
}

#[test]
fn deserialising_validates_the_subsidy() {
    let ok = r#"{"name":"L","total":100,"first_year":2025,"last_year":2026,"application":{"kind":"reduce_shared_total"}}"#;
    assert_eq!(
        serde_json::from_str::<Subsidy>(ok)
            .expect("valid")
            .instalment(2026),
        Cents(50)
    );
    let bad = r#"{"name":"L","total":100,"first_year":2027,"last_year":2026,"application":{"kind":"reduce_shared_total"}}"#;
    assert!(serde_json::from_str::<Subsidy>(bad).is_err());
}
