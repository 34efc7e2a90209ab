//! Real-world scenarios with hand-checked figures.

use super::*;
use crate::OrgId;

const KREIS: OrgId = OrgId(1);

/// The 12 towns of the Kreis Groß-Gerau security office with their population on
/// 31 December 2022 (sum 249,737); IDs 2 to 13.
fn gross_gerau_towns() -> Vec<MemberSnapshot> {
    [
        ("Biebesheim am Rhein", 6_675),
        ("Bischofsheim", 13_176),
        ("Büttelborn", 14_992),
        ("Gernsheim", 11_024),
        ("Ginsheim-Gustavsburg", 16_960),
        ("Groß-Gerau", 26_418),
        ("Mörfelden-Walldorf", 35_291),
        ("Nauheim", 10_840),
        ("Raunheim", 16_542),
        ("Riedstadt", 24_209),
        ("Rüsselsheim am Main", 67_277),
        ("Stockstadt am Rhein", 6_333),
    ]
    .into_iter()
    .zip(2..)
    .map(|((name, population), id)| {
        MemberSnapshot::new(OrgId(id), name).with_population(population)
    })
    .collect()
}

fn two_posts_budget(year: i32) -> Budget {
    Budget::new(
        year,
        vec![
            BudgetLine::new(CostCategory::Personnel, Cents::euros(85_000), "ISB post 1"),
            BudgetLine::new(CostCategory::Personnel, Cents::euros(85_000), "ISB post 2"),
            BudgetLine::new(CostCategory::Material, Cents::euros(20_000), "material"),
        ],
    )
    .expect("valid budget")
}

fn amount(a: &Allocation, name: &str) -> i64 {
    a.members
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.amount.get())
        .expect("member is allocated")
}

#[test]
fn gross_gerau_kreis_carries_30_percent_and_towns_split_70_percent_half_equal_half_by_population() {
    let mut members = vec![MemberSnapshot::new(KREIS, "Kreis Groß-Gerau")];
    members.extend(gross_gerau_towns());
    let key = AllocationKey::new(
        "Kreis GG",
        KeyNode::split(vec![
            KeyPart::new("Kreis", Weight::percent(30), KeyNode::Equal).only(vec![KREIS]),
            KeyPart::new(
                "towns",
                Weight::percent(70),
                KeyNode::base_plus_metric(Weight::percent(50), Metric::Population),
            )
            .except(vec![KREIS]),
        ]),
    );
    let budget = two_posts_budget(2025);
    assert_eq!(budget.total(), Cents::euros(190_000));

    let a = allocate(budget.total(), 2025, &members, &key).expect("allocates");

    // Kreis: 30 % of 190,000 € = 57,000.00 €.
    // Towns: 70 % = 133,000 €; half (66,500 €) equally = 5,541.666667 € each, half by
    // population = 66,500 € × population / 249,737.
    // Rüsselsheim: 5,541.666667 + 66,500 × 67,277 / 249,737 (= 17,914.528084)
    //   = 23,456.194750 € → 23,456.19 € (remainder 0.475 cent, no extra cent).
    // Biebesheim: 5,541.666667 + 66,500 × 6,675 / 249,737 (= 1,777.419846)
    //   = 7,319.086512 € → floor 7,319.08 €, remainder 0.651 cent.
    // Groß-Gerau: 5,541.666667 + 66,500 × 26,418 / 249,737 (= 7,034.588387)
    //   = 12,576.255054 € → floor 12,576.25 €, remainder 0.505 cent.
    // The floors leave 7 cents; the 7 largest remainders are Gernsheim .878,
    // Stockstadt .871, Mörfelden-Walldorf .862, Büttelborn .833, Ginsheim-Gustavsburg .762,
    // Biebesheim .651 and Groß-Gerau .505 cent, so Biebesheim pays 7,319.09 € and
    // Groß-Gerau 12,576.26 €; Rüsselsheim (.475) just misses.
    assert_eq!(amount(&a, "Kreis Groß-Gerau"), 5_700_000);
    assert_eq!(amount(&a, "Rüsselsheim am Main"), 2_345_619);
    assert_eq!(amount(&a, "Biebesheim am Rhein"), 731_909);
    assert_eq!(amount(&a, "Groß-Gerau"), 1_257_626);
    assert_eq!(amount(&a, "Mörfelden-Walldorf"), 1_493_896);
    let extra: Vec<&str> = a
        .members
        .iter()
        .filter(|m| m.extra_cent)
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(extra.len(), 7);
    assert!(!extra.contains(&"Rüsselsheim am Main"));
    // Exact share of Rüsselsheim: 35/1,200 + 35/100 × 67,277/249,737 = 7,399,427/59,936,880.
    let r = a.member(OrgId(12)).expect("Rüsselsheim is allocated");
    assert_eq!(
        r.share.fraction,
        Fraction::new(7_399_427, 59_936_880).expect("valid")
    );
    assert_eq!(r.share.percent, "12.3454");
    assert_eq!(r.metrics.get(&Metric::Population), Some(&67_277));
    let sum: i64 = a.members.iter().map(|m| m.amount.get()).sum();
    assert_eq!(sum, 19_000_000);
}

#[test]
fn fifty_percent_equal_fifty_percent_population_by_hand() {
    let members = vec![
        MemberSnapshot::new(OrgId(1), "A").with_population(10_000),
        MemberSnapshot::new(OrgId(2), "B").with_population(30_000),
        MemberSnapshot::new(OrgId(3), "C").with_population(60_000),
    ];
    let key = AllocationKey::new(
        "50/50",
        KeyNode::base_plus_metric(Weight::percent(50), Metric::Population),
    );
    // 120,000 €: 60,000 € equally (20,000 € each) + 60,000 € by population (10 %, 30 %, 60 %
    // = 6,000, 18,000, 36,000 €) → 26,000, 38,000, 56,000 €.
    let a = allocate(Cents::euros(120_000), 2025, &members, &key).expect("allocates");
    assert_eq!(
        a.members.iter().map(|m| m.amount).collect::<Vec<_>>(),
        vec![
            Cents::euros(26_000),
            Cents::euros(38_000),
            Cents::euros(56_000)
        ]
    );
}

#[test]
fn fifty_percent_equal_fifty_percent_population_across_the_gross_gerau_towns() {
    let key = AllocationKey::new(
        "50/50",
        KeyNode::base_plus_metric(Weight::percent(50), Metric::Population),
    );
    let a = allocate(Cents::euros(100_000), 2025, &gross_gerau_towns(), &key).expect("allocates");
    // Rüsselsheim: 50,000/12 = 4,166.666667 € + 50,000 × 67,277/249,737 = 13,469.569988 €
    //   = 17,636.236654 € → floor 17,636.23 €, remainder .665 cent; the floors leave 6 cents
    //   and .665 is the 5th largest remainder → 17,636.24 €.
    assert_eq!(amount(&a, "Rüsselsheim am Main"), 1_763_624);
    // Stockstadt: 4,166.666667 + 50,000 × 6,333/249,737 (= 1,267.933866) = 5,434.600533 €.
    assert_eq!(amount(&a, "Stockstadt am Rhein"), 543_460);
    assert_eq!(
        a.members.iter().map(|m| m.amount.get()).sum::<i64>(),
        10_000_000
    );
}

#[test]
fn hundred_euros_split_three_ways_gives_33_34_to_the_smallest_id() {
    let members = vec![
        MemberSnapshot::new(OrgId(3), "C"),
        MemberSnapshot::new(OrgId(1), "A"),
        MemberSnapshot::new(OrgId(2), "B"),
    ];
    let a = allocate(
        Cents::euros(100),
        2025,
        &members,
        &AllocationKey::new("equal", KeyNode::Equal),
    )
    .expect("allocates");
    assert_eq!(a.amount_of(OrgId(1)), Some(Cents(3_334)));
    assert_eq!(a.amount_of(OrgId(2)), Some(Cents(3_333)));
    assert_eq!(a.amount_of(OrgId(3)), Some(Cents(3_333)));
}

/// Seven Landkreise share one external ISB; the state pays 150,000 € over a 5-year project.
///
/// Assumptions (written down so the "about 21,000 € per district and year" can be checked):
/// - the external ISB for the cooperation costs 180,000 € a year (e.g. 150 days × 1,200 €);
/// - the subsidy is 150,000 € / 5 years = 30,000 € a year and reduces the shared total;
/// - the seven districts split the rest in equal shares: (180,000 − 30,000) / 7
///   = 21,428.571 € → 21,428.58 € for the district with the smallest ID, 21,428.57 € for the others;
/// - alone, each district would need half an ISB post at 85,000 € a year = 42,500 €.
///
/// Savings: 42,500 − 21,428.57 = 21,071.43 € per district and year (21,071.42 € for the
/// one paying the extra cent); 7 × 42,500 − 150,000 = 147,500 € in total.
#[test]
fn seven_districts_sharing_an_external_isb_save_about_21000_euros_each_per_year() {
    let districts: Vec<MemberSnapshot> = (1..=7)
        .map(|i| MemberSnapshot::new(OrgId(i), format!("Landkreis {i}")))
        .collect();
    let subsidy = Subsidy::new(
        "Landesförderung",
        Cents::euros(150_000),
        2025,
        2029,
        SubsidyApplication::ReduceSharedTotal,
    )
    .expect("valid subsidy");
    let key = AllocationKey::new("equal shares", KeyNode::Equal);
    let standalone = StandaloneCosts::common(Cents::euros(42_500));

    for year in 2025..=2029 {
        let budget = Budget::new(
            year,
            vec![BudgetLine::new(
                CostCategory::ExternalServices,
                Cents::euros(180_000),
                "external ISB",
            )],
        )
        .expect("valid budget");
        let statement = settle_year(&budget, std::slice::from_ref(&subsidy), &districts, &key)
            .expect("settles");
        assert_eq!(statement.shared_total, Cents::euros(150_000));
        assert_eq!(
            statement.subsidies[0].remaining_after,
            Cents::euros(30_000 * i64::from(2029 - year))
        );

        let report = statement.savings(&standalone).expect("computes savings");
        assert_eq!(report.members[0].savings, Cents(2_107_142));
        for m in &report.members[1..] {
            assert_eq!(m.savings, Cents(2_107_143));
        }
        assert!(
            report
                .members
                .iter()
                .all(|m| (m.savings.get() - 2_100_000).abs() < 10_000),
            "about 21,000 €"
        );
        assert_eq!(report.total_savings, Cents::euros(147_500));
    }
}

#[test]
fn seven_districts_save_less_once_the_subsidy_has_run_out() {
    let districts: Vec<MemberSnapshot> = (1..=7)
        .map(|i| MemberSnapshot::new(OrgId(i), format!("Landkreis {i}")))
        .collect();
    let subsidy = Subsidy::new(
        "Landesförderung",
        Cents::euros(150_000),
        2025,
        2029,
        SubsidyApplication::ReduceSharedTotal,
    )
    .expect("valid subsidy");
    let budget = Budget::new(
        2030,
        vec![BudgetLine::new(
            CostCategory::ExternalServices,
            Cents::euros(180_000),
            "external ISB",
        )],
    )
    .expect("valid budget");
    let statement = settle_year(
        &budget,
        &[subsidy],
        &districts,
        &AllocationKey::new("equal", KeyNode::Equal),
    )
    .expect("settles");
    // 180,000 / 7 = 25,714.2857 €: the floors (25,714.28 €) leave 4 cents for districts 1–4,
    // who pay 25,714.29 € and save 16,785.71 €; districts 5–7 pay 25,714.28 €, save 16,785.72 €.
    assert!(statement.subsidies.is_empty());
    let report = statement
        .savings(&StandaloneCosts::common(Cents::euros(42_500)))
        .expect("computes");
    assert_eq!(report.members[0].savings, Cents(1_678_571));
    assert_eq!(report.members[6].savings, Cents(1_678_572));
    assert_eq!(report.total_savings, Cents::euros(117_500));
}

#[test]
fn statement_with_per_member_credit_keeps_budget_equal_to_subsidies_plus_payments() {
    let mut members = vec![MemberSnapshot::new(KREIS, "Kreis")];
    members.extend(gross_gerau_towns());
    let shared = Subsidy::new(
        "Land",
        Cents::euros(30_000),
        2025,
        2025,
        SubsidyApplication::ReduceSharedTotal,
    )
    .expect("valid");
    let raunheim = Subsidy::new(
        "Kommunalfonds",
        Cents::euros(1_000),
        2025,
        2025,
        SubsidyApplication::ByShare {
            members: vec![OrgId(10)],
        },
    )
    .expect("valid");
    let key = AllocationKey::new(
        "K",
        KeyNode::base_plus_metric(Weight::percent(50), Metric::Population),
    );
    let mut kreis_pop = members;
    kreis_pop[0].population = Some(0);
    let s = settle_year(
        &two_posts_budget(2025),
        &[shared, raunheim],
        &kreis_pop,
        &key,
    )
    .expect("settles");
    assert_eq!(s.shared_total, Cents::euros(160_000));
    let bill = s.bill(OrgId(10)).expect("Raunheim is billed");
    assert_eq!(bill.payable.get(), bill.share.get() - 100_000);
    let paid: i64 = s.bills.iter().map(|b| b.payable.get()).sum();
    let subsidies: i64 = s.subsidies.iter().map(|u| u.instalment.get()).sum();
    assert_eq!(paid + subsidies, s.budget_total.get());
}

#[test]
fn subsidies_larger_than_the_budget_or_a_share_are_errors() {
    let members = vec![
        MemberSnapshot::new(OrgId(1), "A"),
        MemberSnapshot::new(OrgId(2), "B"),
    ];
    let key = AllocationKey::new("equal", KeyNode::Equal);
    let budget = Budget::new(
        2025,
        vec![BudgetLine::new(CostCategory::Other, Cents(100), "")],
    )
    .expect("valid");
    let big = Subsidy::new(
        "big",
        Cents(101),
        2025,
        2025,
        SubsidyApplication::ReduceSharedTotal,
    )
    .expect("valid");
    assert_eq!(
        settle_year(&budget, &[big], &members, &key),
        Err(StatementError::SubsidiesExceedBudget {
            year: 2025,
            budget: Cents(100),
            subsidies: Cents(101)
        })
    );
    let credit = Subsidy::new(
        "c",
        Cents(51),
        2025,
        2025,
        SubsidyApplication::ByShare {
            members: vec![OrgId(2)],
        },
    )
    .expect("valid");
    assert_eq!(
        settle_year(&budget, &[credit], &members, &key),
        Err(StatementError::CreditExceedsShare {
            member: OrgId(2),
            name: "B".into(),
            share: Cents(50),
            credits: Cents(51)
        })
    );
}
