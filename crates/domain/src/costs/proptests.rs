//! Property tests: for any budget, members and key, shares add up to the total, none is
//! negative, and members with equal inputs pay the same to the cent (± 1).
//!
//! The generated keys stay within the size where the exact 128-bit fractions cannot
//! overflow (metric values ≤ 1,000, ≤ 10 members, ≤ 4 metric leaves), so every case
//! must allocate successfully.

use proptest::prelude::*;
use time::{Date, Duration, Month};

use super::*;
use crate::OrgId;

const TWIN_A: OrgId = OrgId(100);
const TWIN_B: OrgId = OrgId(101);

#[derive(Debug, Clone)]
struct Case {
    year: i32,
    total: Cents,
    members: Vec<MemberSnapshot>,
    key: AllocationKey,
}

fn leaf() -> impl Strategy<Value = KeyNode> {
    prop_oneof![
        Just(KeyNode::Equal),
        Just(KeyNode::by(Metric::Population)),
        Just(KeyNode::by(Metric::Staff)),
        Just(KeyNode::by(Metric::ItWorkplaces)),
    ]
}

fn first_part_key() -> impl Strategy<Value = KeyNode> {
    prop_oneof![
        leaf(),
        (leaf(), leaf(), 0..=10_000u32).prop_map(|(a, b, w)| KeyNode::split(vec![
            KeyPart::new("a", Weight(w), a),
            KeyPart::new("b", Weight(10_000 - w), b),
        ])),
    ]
}

/// Membership offsets in days from 1 January; `None` = the whole year.
fn membership() -> impl Strategy<Value = Option<(u16, u16)>> {
    prop_oneof![3 => Just(None), 1 => (0..365u16, 0..365u16).prop_map(Some)]
}

fn apply_membership(m: MemberSnapshot, year: i32, offsets: Option<(u16, u16)>) -> MemberSnapshot {
    let Some((a, b)) = offsets else { return m };
    let jan1 = Date::from_calendar_date(year, Month::January, 1).expect("test years are valid");
    let day = |d: u16| jan1 + Duration::days(i64::from(d));
    m.with_membership(Some(day(a.min(b))), Some(day(a.max(b))))
}

/// Turns raw positive numbers into basis points adding up to exactly 10,000.
fn to_weights(raw: &[u32]) -> Vec<Weight> {
    let sum: u32 = raw.iter().sum();
    let mut bp: Vec<u32> = raw.iter().map(|r| r * 10_000 / sum).collect();
    bp[0] += 10_000 - bp.iter().sum::<u32>();
    bp.into_iter().map(Weight).collect()
}

type Metrics = (u64, u64, u64);

fn case() -> impl Strategy<Value = Case> {
    (
        prop_oneof![Just(2024), Just(2025)],
        0..=10_000_000_000i64,
        proptest::collection::vec(
            ((0..=1_000u64, 0..=1_000u64, 0..=1_000u64), membership()),
            0..=8,
        ),
        (
            (1..=1_000u64, 1..=1_000u64, 1..=1_000u64),
            membership(),
            any::<prop::sample::Index>(),
        ),
        (first_part_key(), 1..=100u32),
        proptest::collection::vec(
            (
                leaf(),
                proptest::collection::vec(any::<bool>(), 8),
                1..=100u32,
            ),
            0..=2,
        ),
    )
        .prop_map(|(year, total, others, twins, first, extra)| {
            build(year, total, others, twins, first, extra)
        })
}

fn build(
    year: i32,
    total: i64,
    others: Vec<(Metrics, Option<(u16, u16)>)>,
    (twin_metrics, twin_membership, position): (Metrics, Option<(u16, u16)>, prop::sample::Index),
    (first_key, first_raw): (KeyNode, u32),
    extra: Vec<(KeyNode, Vec<bool>, u32)>,
) -> Case {
    let snapshot = |id: i64, (p, s, w): Metrics, offsets| {
        apply_membership(
            MemberSnapshot::new(OrgId(id), format!("M{id}"))
                .with_population(p)
                .with_staff(s)
                .with_it_workplaces(w),
            year,
            offsets,
        )
    };
    let mut members: Vec<MemberSnapshot> = others
        .iter()
        .zip(1..)
        .map(|(&(metrics, offsets), id)| snapshot(id, metrics, offsets))
        .collect();
    let at = position.index(members.len() + 1);
    members.insert(at, snapshot(TWIN_A.0, twin_metrics, twin_membership));
    members.insert(
        position.index(members.len() + 1),
        snapshot(TWIN_B.0, twin_metrics, twin_membership),
    );

    let raw: Vec<u32> = std::iter::once(first_raw)
        .chain(extra.iter().map(|e| e.2))
        .collect();
    let weights = to_weights(&raw);
    let mut parts = vec![KeyPart::new("all", weights[0], first_key)];
    for (k, ((key, mask, _), weight)) in extra.into_iter().zip(&weights[1..]).enumerate() {
        // Filters never touch the twins, so they stay interchangeable.
        let excluded: Vec<OrgId> = (1..=others.len() as i64)
            .zip(&mask)
            .filter(|(_, out)| **out)
            .map(|(id, _)| OrgId(id))
            .collect();
        parts.push(KeyPart::new(format!("part {k}"), *weight, key).except(excluded));
    }
    Case {
        year,
        total: Cents(total),
        members,
        key: AllocationKey::new("generated", KeyNode::split(parts)),
    }
}

proptest! {
    #[test]
    fn shares_add_up_to_the_total_and_are_never_negative(c in case()) {
        let a = allocate(c.total, c.year, &c.members, &c.key).expect("generated cases are valid");
        let sum: i64 = a.members.iter().map(|m| m.amount.get()).sum();
        prop_assert_eq!(sum, c.total.get());
        prop_assert!(a.members.iter().all(|m| !m.amount.is_negative()));
    }

    #[test]
    fn members_with_equal_inputs_pay_the_same_within_one_cent(c in case()) {
        let a = allocate(c.total, c.year, &c.members, &c.key).expect("generated cases are valid");
        let (x, y) = (a.amount_of(TWIN_A).expect("twin A"), a.amount_of(TWIN_B).expect("twin B"));
        prop_assert!((x.get() - y.get()).abs() <= 1, "{x} vs {y}");
        prop_assert_eq!(a.member(TWIN_A).map(|m| m.share.fraction), a.member(TWIN_B).map(|m| m.share.fraction));
    }

    #[test]
    fn each_amount_is_its_exact_quota_rounded_down_or_up(c in case()) {
        let a = allocate(c.total, c.year, &c.members, &c.key).expect("generated cases are valid");
        for m in &a.members {
            let (floor, remainder) = m.share.fraction.mul_floor(c.total.get()).expect("fits");
            prop_assert_eq!(m.floor.get(), floor);
            prop_assert_eq!(m.remainder, remainder);
            prop_assert!(m.amount.get() == floor || m.amount.get() == floor + 1);
        }
    }

    #[test]
    fn a_fixed_part_of_a_whole_year_member_keeps_exactly_its_share(c in case(), w in 0..=10_000u32) {
        // Whoever else joins or leaves, the single member of a fixed part pays its weight,
        // as long as the other part has somebody on every day (here: one all-year member;
        // a part empty on some days hands those days up, see `prorata`).
        let host = OrgId(999);
        let mut members = c.members.clone();
        members.push(MemberSnapshot::new(OrgId(998), "all year").with_population(1).with_staff(1).with_it_workplaces(1));
        members.push(MemberSnapshot::new(host, "host"));
        let key = AllocationKey::new("fixed host", KeyNode::split(vec![
            KeyPart::new("host", Weight(w), KeyNode::Equal).only(vec![host]),
            KeyPart::new("others", Weight(10_000 - w), c.key.root.clone()).except(vec![host]),
        ]));
        let a = allocate(c.total, c.year, &members, &key).expect("generated cases are valid");
        let share = a.member(host).map(|m| m.share.fraction);
        prop_assert_eq!(share, Fraction::new(w.into(), 10_000));
        let sum = a.members.iter().try_fold(Fraction::ZERO, |acc, m| acc.checked_add(m.share.fraction));
        prop_assert_eq!(sum, Some(Fraction::ONE));
    }

    #[test]
    fn input_order_does_not_change_what_a_member_pays(c in case()) {
        let a = allocate(c.total, c.year, &c.members, &c.key).expect("generated cases are valid");
        let reversed: Vec<MemberSnapshot> = c.members.iter().rev().cloned().collect();
        let b = allocate(c.total, c.year, &reversed, &c.key).expect("generated cases are valid");
        for m in &a.members {
            prop_assert_eq!(Some(m.amount), b.amount_of(m.member));
        }
    }

    #[test]
    fn largest_remainder_is_exact_and_monotonic_in_the_weight(
        total in 0..=i64::MAX / 2,
        weights in proptest::collection::vec(0..=u32::MAX, 1..=30),
    ) {
        prop_assume!(weights.iter().any(|&w| w > 0));
        let items: Vec<(usize, Fraction)> = weights.iter().map(|&w| Fraction::integer(w.into())).enumerate().collect();
        let entries = split::split_largest_remainder(Cents(total), &items).expect("splits");
        prop_assert_eq!(entries.iter().map(|e| i128::from(e.amount.get())).sum::<i128>(), i128::from(total));
        for i in 0..entries.len() {
            for j in 0..entries.len() {
                if weights[i] > weights[j] {
                    prop_assert!(entries[i].amount >= entries[j].amount);
                }
            }
        }
    }

    #[test]
    fn subsidy_instalments_add_up_to_the_total(total in 0..=i64::MAX / 2, first in 2000..2100i32, years in 1..=MAX_SUBSIDY_YEARS) {
        let s = Subsidy::new("s", Cents(total), first, first + years - 1, SubsidyApplication::ReduceSharedTotal).expect("valid");
        let schedule = s.schedule();
        prop_assert_eq!(schedule.iter().map(|y| i128::from(y.instalment.get())).sum::<i128>(), i128::from(total));
        prop_assert_eq!(schedule.last().map(|y| y.remaining_after), Some(Cents::ZERO));
        let (lo, hi) = schedule.iter().fold((i64::MAX, i64::MIN), |(lo, hi), y| (lo.min(y.instalment.get()), hi.max(y.instalment.get())));
        prop_assert!(hi - lo <= 1);
    }

    #[test]
    fn statement_covers_the_budget_exactly(c in case(), subsidy_share in 0..=100i64) {
        let budget = Budget::new(c.year, vec![BudgetLine::new(CostCategory::Personnel, c.total, "posts")]).expect("valid");
        let subsidy = Subsidy::new("s", Cents(c.total.get() / 100 * subsidy_share), c.year, c.year, SubsidyApplication::ReduceSharedTotal)
            .expect("valid");
        let s = settle_year(&budget, &[subsidy], &c.members, &c.key).expect("settles");
        let paid: i64 = s.bills.iter().map(|b| b.payable.get()).sum();
        let subsidies: i64 = s.subsidies.iter().map(|u| u.instalment.get()).sum();
        prop_assert_eq!(paid + subsidies, c.total.get());
    }
}
