//! The Kreis Groß-Gerau security office in 2026: the Kreis carries 30 %, the 12 towns
//! split 70 % half equally and half by population (31 Dec 2022); budget 190,000 €;
//! standalone cost 42,500 € per member (half an ISB post).

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the fixture"
)]

use verbund_domain::OrgId;
use verbund_domain::costs::{
    AllocationKey, Budget, BudgetLine, Cents, CostCategory, KeyNode, KeyPart, MemberSnapshot,
    Metric, StandaloneCosts, StatementDocument, Subsidy, SubsidyApplication, Weight, settle_year,
};
use verbund_reports::{IssuedStatement, Letterhead};

/// The Kreis.
pub const KREIS: OrgId = OrgId(1);
/// Rüsselsheim am Main, the largest town: pays 23,456.19 €.
pub const RUESSELSHEIM: OrgId = OrgId(12);
/// Nauheim, which joins mid-year in [`with_late_member`].
pub const NAUHEIM: OrgId = OrgId(9);
/// Raunheim, which gets a credit in [`with_credit`].
pub const RAUNHEIM: OrgId = OrgId(10);

/// The Kreis and the 12 towns with their population; IDs 1 to 13.
pub fn members() -> Vec<MemberSnapshot> {
    let towns = [
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
    ];
    let mut members = vec![MemberSnapshot::new(KREIS, "Kreis Groß-Gerau")];
    members.extend(towns.into_iter().zip(2..).map(|((name, population), id)| {
        MemberSnapshot::new(OrgId(id), name).with_population(population)
    }));
    members
}

/// Kreis 30 % alone; the towns 70 %, half in equal shares, half by population.
pub fn key() -> AllocationKey {
    let towns = KeyNode::split(vec![
        KeyPart::new("gleiche Anteile", Weight::percent(50), KeyNode::Equal),
        KeyPart::new(
            "nach Einwohnern",
            Weight::percent(50),
            KeyNode::by(Metric::Population),
        ),
    ]);
    AllocationKey::new(
        "Kreis GG 2026",
        KeyNode::split(vec![
            KeyPart::new("Kreis", Weight::percent(30), KeyNode::Equal).only(vec![KREIS]),
            KeyPart::new("Städte und Gemeinden", Weight::percent(70), towns).except(vec![KREIS]),
        ]),
    )
}

fn budget() -> Budget {
    Budget::new(
        2026,
        vec![
            BudgetLine::new(
                CostCategory::Personnel,
                Cents::euros(85_000),
                "ISB-Stelle 1",
            ),
            BudgetLine::new(
                CostCategory::Personnel,
                Cents::euros(85_000),
                "ISB-Stelle 2",
            ),
            BudgetLine::new(CostCategory::Material, Cents::euros(20_000), "Sachkosten"),
        ],
    )
    .expect("valid budget")
}

/// The 2026 statement without subsidies, with some members renamed (names as stored, not
/// validated: old data may hold anything).
pub fn document_renamed(names: &[(OrgId, &str)]) -> StatementDocument {
    let mut members = members();
    for m in &mut members {
        if let Some((_, name)) = names.iter().find(|(id, _)| *id == m.id) {
            m.name = (*name).to_owned();
        }
    }
    document_of(members, &[])
}

fn document_with(subsidies: &[Subsidy]) -> StatementDocument {
    document_of(members(), subsidies)
}

fn document_of(members: Vec<MemberSnapshot>, subsidies: &[Subsidy]) -> StatementDocument {
    let key = key();
    let statement = settle_year(&budget(), subsidies, &members, &key).expect("settles");
    let standalone = StandaloneCosts::common(Cents::euros(42_500));
    let savings = Some(statement.savings(&standalone).expect("computes"));
    StatementDocument {
        key_name: "Kreis GG 2026".into(),
        key_version: 2,
        key,
        standalone,
        members,
        statement,
        savings,
        federation: None,
        payment: None,
    }
}

/// The 2026 statement without subsidies.
pub fn document() -> StatementDocument {
    document_with(&[])
}

/// The same year with a one-year subsidy of 1,000 € credited to Raunheim alone.
pub fn with_credit() -> StatementDocument {
    let subsidy = Subsidy::new(
        "Förderprogramm „Kommunale IT-Sicherheit“",
        Cents::euros(1_000),
        2026,
        2026,
        SubsidyApplication::ByShare {
            members: vec![RAUNHEIM],
        },
    )
    .expect("valid subsidy");
    document_with(&[subsidy])
}

/// The same year with Nauheim joining on 1 July 2026: it pays for 184 of 365 days.
pub fn with_late_member() -> StatementDocument {
    let (mut members, key) = (members(), key());
    let july = time::Date::from_calendar_date(2026, time::Month::July, 1).expect("valid date");
    for m in &mut members {
        if m.id == NAUHEIM {
            m.starts_on = Some(july);
        }
    }
    let statement = settle_year(&budget(), &[], &members, &key).expect("settles");
    StatementDocument {
        key_name: "Kreis GG 2026".into(),
        key_version: 2,
        key,
        standalone: StandaloneCosts::default(),
        members,
        statement,
        savings: None,
        federation: None,
        payment: None,
    }
}

/// Three members with fixed shares of 50 %, 30 % and 20 % of 100,000 €.
pub fn manual_key_document() -> StatementDocument {
    let members: Vec<MemberSnapshot> = members()
        .into_iter()
        .filter(|m| [KREIS, RAUNHEIM, RUESSELSHEIM].contains(&m.id))
        .collect();
    let key = AllocationKey::new(
        "feste Anteile",
        KeyNode::manual([
            (KREIS, Weight::percent(50)),
            (RAUNHEIM, Weight::percent(20)),
            (RUESSELSHEIM, Weight::percent(30)),
        ]),
    );
    let budget = Budget::new(
        2026,
        vec![BudgetLine::new(
            CostCategory::ExternalServices,
            Cents::euros(100_000),
            "externer ISB",
        )],
    )
    .expect("valid budget");
    let statement = settle_year(&budget, &[], &members, &key).expect("settles");
    StatementDocument {
        key_name: "feste Anteile".into(),
        key_version: 1,
        key,
        standalone: StandaloneCosts::default(),
        members,
        statement,
        savings: None,
        federation: None,
        payment: None,
    }
}

/// The office as in the demo data.
pub fn letterhead() -> Letterhead {
    Letterhead {
        office_name: "Interkommunale Informationssicherheitsstelle Kreis Groß-Gerau".into(),
        office_address: Some("Wilhelm-Seipp-Straße 4\n64521 Groß-Gerau".into()),
        federation_name: "Informationssicherheitsverbund Kreis Groß-Gerau".into(),
        contact: Some("Tel. 06152 989-0\nisb@kreis-gross-gerau.example".into()),
        signer: None,
        logo: None,
    }
}

/// `doc` issued as statement no. 17 on 23.11.2026.
pub fn issued(doc: &StatementDocument) -> IssuedStatement<'_> {
    IssuedStatement {
        id: 17,
        issued_at: "23.11.2026".into(),
        issued_by: "Maria Schäfer".into(),
        document: doc,
    }
}
