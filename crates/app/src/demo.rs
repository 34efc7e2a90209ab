//! The demo federation: the Kreis Groß-Gerau security office and its 12 member towns.
//!
//! Names, AGS and populations are real (Destatis GV-ISys GV100AD, Gebietsstand 30.11.2023,
//! population 31.12.2022, dl-de/by-2-0); staff, IT workplaces and membership dates are
//! illustrative, derived from the population, since no public source gives them. So are the
//! demo assessments of the starter catalog ([`assessments`]). [`scale`] adds thousands of
//! generated members for load tests.

mod advisories;
mod assessments;
mod measures;
mod pact;
mod risks;
pub mod scale;
pub mod scale_structure;
pub mod structure;

use verbund_domain::authz::Role;
use verbund_domain::org::{Ags, MembershipInput, OrgInput, OrgKind};
use verbund_domain::user::{Email, NewUser};
use verbund_domain::validation::parse_date;
use verbund_store::{AuditActor, Store, StoreError};

use crate::crypto::hash_password;

/// The demo is seeded by the system, not by a user.
const SYSTEM: verbund_domain::authz::SystemAccess = verbund_domain::authz::SystemAccess {
    reason: "demo seed",
};
use crate::error::Result;

/// Password of every demo account (printed at start; the demo is for trying out only).
pub const DEMO_PASSWORD: &str = "Verbund-Demo-2026";

/// The demo federation's logo: a shield with a "V", drawn for Verbund (PNG, 128 × 128).
pub const DEMO_LOGO: &[u8] = include_bytes!("../assets/demo-logo.png");

/// Member towns: (AGS, name, kind, population 31.12.2022).
pub const TOWNS: [(&str, &str, OrgKind, i64); 12] = [
    ("06433001", "Biebesheim am Rhein", OrgKind::Gemeinde, 6675),
    ("06433002", "Bischofsheim", OrgKind::Gemeinde, 13176),
    ("06433003", "Büttelborn", OrgKind::Gemeinde, 14992),
    ("06433004", "Gernsheim", OrgKind::Stadt, 11024),
    ("06433005", "Ginsheim-Gustavsburg", OrgKind::Stadt, 16960),
    ("06433006", "Groß-Gerau", OrgKind::Stadt, 26418),
    ("06433008", "Mörfelden-Walldorf", OrgKind::Stadt, 35291),
    ("06433009", "Nauheim", OrgKind::Gemeinde, 10840),
    ("06433010", "Raunheim", OrgKind::Stadt, 16542),
    ("06433011", "Riedstadt", OrgKind::Stadt, 24209),
    ("06433012", "Rüsselsheim am Main", OrgKind::Stadt, 67277),
    ("06433013", "Stockstadt am Rhein", OrgKind::Gemeinde, 6333),
];

/// Postcodes of the member towns, in the order of [`TOWNS`]; letters go to the town hall.
const POSTCODES: [&str; 12] = [
    "64584", "65474", "64572", "64579", "65462", "64521", "64546", "64569", "65479", "64560",
    "65428", "64589",
];

/// A demo login.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    /// E-mail.
    pub email: String,
    /// What the account can do.
    pub description: String,
}

/// What was seeded.
#[derive(Debug, Clone, Default)]
pub struct DemoInfo {
    /// The logins, most important first.
    pub logins: Vec<DemoLogin>,
}

fn org(name: &str, kind: OrgKind, ags: Option<&str>, population: Option<i64>) -> OrgInput {
    // Illustrative: about one employee per 110 inhabitants, 80 % of them at an IT workplace.
    let staff = population.map(|p| (p / 110).max(5));
    OrgInput {
        name: name.to_owned(),
        kind,
        ags: ags.and_then(|a| Ags::parse(a).ok()),
        population,
        staff,
        it_workplaces: staff.map(|s| s * 4 / 5),
        address: None,
    }
}

/// Seeds the demo federation with an illustrative 2026 budget and key, the starter catalog
/// and an assessment of it for every member (answered, with a snapshot "Stand Q3 2026" and
/// changes since), and the structure analyses of two towns and the Kreis with a shared IT
/// provider ([`structure`]) into an empty database. Does nothing if a federation exists.
pub async fn seed(store: &Store) -> Result<Option<DemoInfo>> {
    let Some(info) = seed_federation(store).await? else {
        return Ok(None);
    };
    let fed = store.federation().await?.ok_or(StoreError::NotFound)?;
    let kreis = store
        .list_orgs(
            &verbund_domain::authz::Scope::system(&SYSTEM),
            Some("06433000"),
            Default::default(),
        )
        .await?
        .items
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)?;
    seed_costs(store, fed.id, kreis.id).await?;
    assessments::seed(store, &fed).await?;
    structure::seed(store, &fed).await?;
    measures::seed(store, &fed).await?;
    risks::seed(store).await?;
    pact::seed(store, fed.id).await?;
    advisories::seed(store, &fed).await?;
    Ok(Some(info))
}

/// A small deterministic pseudo-random generator (SplitMix64): the demo looks the same on
/// every run, without depending on a random crate's value stream.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        // 53 random bits fill an f64's mantissa exactly.
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    /// Uniform in `[lo, hi)`.
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// Seeds only the office, the Kreis, the 12 towns, their memberships and the demo users
/// (the fixture of the HTTP tests). Does nothing if a federation exists.
pub async fn seed_federation(store: &Store) -> Result<Option<DemoInfo>, StoreError> {
    if store.federation().await?.is_some() {
        return Ok(None);
    }
    let sys = AuditActor::system();
    let mut office = org(
        "Interkommunale Informationssicherheitsstelle Kreis Groß-Gerau",
        OrgKind::Office,
        None,
        None,
    );
    office.address = Some("Wilhelm-Seipp-Straße 4\n64521 Groß-Gerau".into());
    let fed = store
        .create_federation(
            &sys,
            "Informationssicherheitsverbund Kreis Groß-Gerau",
            &office,
        )
        .await?;
    // The federation's logo in the header and on the letters: a plain shield with a "V",
    // drawn for the demo.
    if let Ok(logo) = verbund_domain::logo::accept(DEMO_LOGO.to_vec()) {
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(DEMO_LOGO));
        let all = verbund_domain::authz::Scope::system(&SYSTEM);
        store
            .save_logo(&sys, &all, fed.id, None, &logo, &sha)
            .await?;
    }
    let hash = hash_password(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| StoreError::Backup(e.to_string()))?;
    let since = MembershipInput {
        starts_on: parse_date("2024-01-01").map_err(|e| StoreError::Backup(e.into()))?,
        ends_on: None,
        note: Some("Öffentlich-rechtliche Vereinbarung (Demo)".into()),
    };
    let mut info = DemoInfo::default();
    let mut user = |email: String, name: String, grant, description: &str| {
        info.logins.push(DemoLogin {
            email: email.clone(),
            description: description.to_owned(),
        });
        (email, name, grant)
    };
    let mut users = vec![
        user(
            "admin@verbund.example".into(),
            "Alex Admin".into(),
            (fed.office_org_id, Role::FederationAdmin),
            "Plattform-Administration (alle Rechte)",
        ),
        user(
            "isb@verbund.example".into(),
            "Petra Schneider".into(),
            (fed.office_org_id, Role::OfficeIsb),
            "ISB der Informationssicherheitsstelle (alle Mitglieder)",
        ),
    ];
    let kreis = store
        .create_org(
            &sys,
            fed.id,
            &org(
                "Kreis Groß-Gerau",
                OrgKind::Kreis,
                Some("06433000"),
                Some(280_308),
            ),
        )
        .await?;
    store
        .add_membership(
            &sys,
            &verbund_domain::authz::Scope::system(&SYSTEM),
            kreis.id,
            &since,
        )
        .await?;
    users.push(user(
        "koordination@kreis-gross-gerau.example".into(),
        "Koordination Kreis".into(),
        (kreis.id, Role::Coordinator),
        "Koordination Kreis Groß-Gerau",
    ));
    for (i, (ags, name, kind, population)) in TOWNS.iter().enumerate() {
        let o = store
            .create_org(
                &sys,
                fed.id,
                &org(name, *kind, Some(ags), Some(*population)),
            )
            .await?;
        store
            .add_membership(
                &sys,
                &verbund_domain::authz::Scope::system(&SYSTEM),
                o.id,
                &since,
            )
            .await?;
        let s = crate::file::slug(name);
        users.push(user(
            format!("koordination@{s}.example"),
            format!("Koordination {name}"),
            (o.id, Role::Coordinator),
            &format!("Koordination {name}"),
        ));
        users.push(user(
            format!("leitung@{s}.example"),
            format!("Verwaltungsspitze {name}"),
            (o.id, Role::Management),
            &format!("Verwaltungsspitze {name} (nur lesen)"),
        ));
        if i == 7 {
            users.push(user(
                format!("massnahmen@{s}.example"),
                format!("Maßnahmenverantwortung {name}"),
                (o.id, Role::MeasureOwner),
                &format!("Maßnahmenverantwortung {name}"),
            ));
        }
    }
    for (email, name, (org_id, role)) in users {
        let new = NewUser {
            email: Email::parse(&email).map_err(|e| StoreError::Backup(e.into()))?,
            display_name: name,
            password: None,
        };
        store
            .create_user(&sys, &new, Some(&hash), Some((org_id, role)))
            .await?;
    }
    Ok(Some(info))
}

/// An illustrative 2026 budget (two posts and material), the two-level Kreis key, and last
/// year's budget with an issued statement, so the statement pages, letters and
/// `verbund costs statements --year 2025` show something right after `demo`.
async fn seed_costs(
    store: &Store,
    fed: verbund_domain::FederationId,
    kreis: verbund_domain::OrgId,
) -> Result<()> {
    use verbund_domain::costs::{
        AllocationKey, BudgetLine, Cents, CostCategory, KeyNode, KeyPart, MemberFilter, Metric,
        StandaloneCosts, Weight,
    };
    let sys = AuditActor::system();
    let lines = [
        BudgetLine::new(
            CostCategory::Personnel,
            Cents(8_500_000),
            "ISB-Stelle 1 (E 11, Arbeitgeberbrutto)",
        ),
        BudgetLine::new(
            CostCategory::Personnel,
            Cents(8_500_000),
            "ISB-Stelle 2 (E 11, Arbeitgeberbrutto)",
        ),
        BudgetLine::new(
            CostCategory::Material,
            Cents(1_200_000),
            "Schulungen, Lizenzen, Reisen",
        ),
        BudgetLine::new(
            CostCategory::Overhead,
            Cents(800_000),
            "Arbeitsplätze und Räume beim Kreis",
        ),
    ];
    store.create_budget(&sys, fed, 2026, &lines).await?;
    // 2025: the same posts before this year's pay rise, less material.
    let last_year = [
        BudgetLine::new(
            CostCategory::Personnel,
            Cents(8_200_000),
            "ISB-Stelle 1 (E 11, Arbeitgeberbrutto)",
        ),
        BudgetLine::new(
            CostCategory::Personnel,
            Cents(8_200_000),
            "ISB-Stelle 2 (E 11, Arbeitgeberbrutto)",
        ),
        BudgetLine::new(
            CostCategory::Material,
            Cents(950_000),
            "Schulungen, Lizenzen, Reisen",
        ),
        BudgetLine::new(
            CostCategory::Overhead,
            Cents(800_000),
            "Arbeitsplätze und Räume beim Kreis",
        ),
    ];
    store.create_budget(&sys, fed, 2025, &last_year).await?;
    let towns = KeyNode::Split {
        parts: vec![
            KeyPart {
                label: "gleiche Anteile".into(),
                weight: Weight(5000),
                members: MemberFilter::All,
                key: KeyNode::Equal,
            },
            KeyPart {
                label: "nach Einwohnern".into(),
                weight: Weight(5000),
                members: MemberFilter::All,
                key: KeyNode::by(Metric::Population),
            },
        ],
    };
    let root = KeyNode::Split {
        parts: vec![
            KeyPart {
                label: "Kreis".into(),
                weight: Weight(3000),
                members: MemberFilter::Only {
                    members: vec![kreis],
                },
                key: KeyNode::Equal,
            },
            KeyPart {
                label: "Städte und Gemeinden".into(),
                weight: Weight(7000),
                members: MemberFilter::Except {
                    members: vec![kreis],
                },
                key: towns,
            },
        ],
    };
    let key = AllocationKey {
        name: "Finanzierungsschlüssel (Demo)".into(),
        root,
    };
    // Illustrative: half an ISB post per member if it worked alone.
    let saved = store
        .save_cost_key(
            &sys,
            fed,
            None,
            &key,
            &StandaloneCosts::common(Cents(4_250_000)),
        )
        .await?;
    let office = store
        .federation()
        .await?
        .ok_or(StoreError::NotFound)?
        .office_org_id;
    // The statement is issued by the system on the office's behalf.
    let office_actor = verbund_domain::authz::Actor {
        user_id: verbund_domain::UserId(0),
        office_org: office,
        grants: vec![verbund_domain::authz::Grant {
            org_id: office,
            role: Role::FederationAdmin,
        }],
    };
    // Payment details for the letters: the textbook example IBAN, not a real account.
    let settings = verbund_domain::settings::FederationSettings {
        bank_holder: Some("Kreisausschuss des Kreises Groß-Gerau".into()),
        bank_iban: Some("DE89370400440532013000".into()),
        bank_bic: Some("COBADEFFXXX".into()),
        bank_name: Some("Commerzbank (Beispielkonto)".into()),
        payment_reference_pattern: Some("IKZ-ISB-{year}-{ags}".into()),
        signer_name: Some("Dr. Maria Beispiel".into()),
        signer_role: Some("Leiterin der Informationssicherheitsstelle".into()),
        ..Default::default()
    };
    store.save_settings(&sys, fed, &settings).await?;
    let all = verbund_domain::authz::Scope::system(&SYSTEM);
    let members = store.member_rows_federation_wide(&all, fed).await?;
    // Letters go to the town halls (the Kreis: its finance department).
    for (o, _) in &members {
        let address = match TOWNS.iter().position(|t| t.1 == o.name) {
            Some(i) => format!("Rathaus\n{} {}", POSTCODES[i], o.name),
            None => "Kreisausschuss – Finanzen\nWilhelm-Seipp-Straße 4\n64521 Groß-Gerau".into(),
        };
        let input = OrgInput {
            name: o.name.clone(),
            kind: o.kind,
            ags: o.ags.clone(),
            population: o.population,
            staff: o.staff,
            it_workplaces: o.it_workplaces,
            address: Some(address),
        };
        store.update_org(&sys, &all, o.id, None, &input).await?;
    }
    // Illustrative: a larger town would need more than half a post on its own.
    let own: Vec<_> = members
        .into_iter()
        .map(|(o, _)| {
            let cents = match o.population.unwrap_or(0) {
                p if p > 100_000 => 9_500_000,
                p if p > 30_000 => 8_500_000,
                p if p > 15_000 => 6_000_000,
                _ => 4_250_000,
            };
            (o.id, Some(Cents(cents)))
        })
        .collect();
    store
        .save_standalone_costs_federation_wide(
            &sys,
            &verbund_domain::authz::Scope::system(&SYSTEM),
            fed,
            &own,
        )
        .await?;
    let services = crate::Services::new(store.clone(), crate::AuthPolicy::default());
    crate::statements::issue(
        &services,
        &sys,
        &office_actor,
        2025,
        saved.id,
        &crate::statements::IssueOptions::default(),
    )
    .await?;
    Ok(())
}
