//! Worked examples from the real CSAF files (BSI-2022-0001, the OASIS VEX example, Red Hat's
//! RHSA-2023:1441) and properties of the matcher.

use proptest::prelude::*;

use super::matcher::{
    Confidence, Inventory, InventoryItem, Verdict, match_advisory, normalise_name,
};
use super::version::{Range, compare};
use super::*;
use crate::StructureObjectId;

fn product(
    id: &str,
    name: &str,
    state: ProductState,
    idents: Vec<ProductIdent>,
) -> AdvisoryProduct {
    AdvisoryProduct {
        product_id: id.to_owned(),
        name: name.to_owned(),
        idents,
        state,
    }
}

fn advisory(products: Vec<AdvisoryProduct>) -> Advisory {
    Advisory {
        tracking_id: "TEST-1".into(),
        version: "1".into(),
        title: "Test".into(),
        category: "csaf_security_advisory".into(),
        publisher: "Test".into(),
        tlp: Tlp::Clear,
        severity: Severity::High,
        max_score: Some(7.5),
        cves: vec![],
        released: "2024-01-01T00:00:00Z".into(),
        summary: String::new(),
        change_summary: None,
        products,
        remediations: vec![],
    }
}

fn item(id: i64) -> InventoryItem {
    InventoryItem::new(StructureObjectId(id))
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

/// BSI-2022-0001: CVRF-CSAF-Converter 1.0.0-alpha … rc1 affected, rc2 fixed, CPE 2.2 URIs.
fn bsi() -> Advisory {
    let versions = [
        "1.0.0-alpha",
        "1.0.0-dev1",
        "1.0.0-dev2",
        "1.0.0-dev3",
        "1.0.0-rc1",
        "1.0.0-rc2",
    ];
    advisory(
        versions
            .iter()
            .enumerate()
            .map(|(i, v)| {
                product(
                    &format!("CSAFPID-000{}", i + 1),
                    &format!("CSAF Tools CVRF-CSAF-Converter {v}"),
                    if i == 5 {
                        ProductState::Fixed
                    } else {
                        ProductState::Affected
                    },
                    vec![ProductIdent {
                        vendor: s("CSAF Tools"),
                        product: s("CVRF-CSAF-Converter"),
                        version: s(v),
                        cpe: Some(format!("cpe:/a:csaf-tools:cvrf-csaf-converter:{v}")),
                        ..ProductIdent::default()
                    }],
                )
            })
            .collect(),
    )
}

#[test]
fn bsi_advisory_matches_the_affected_version_exactly_by_cpe() {
    let inv = Inventory::new(vec![InventoryItem {
        cpe: s("cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-dev1:*:*:*:*:*:*:*"),
        ..item(1)
    }]);
    let v = match_advisory(&bsi(), &inv);
    let Some(Verdict::Warn(m)) = v.get(&StructureObjectId(1)) else {
        panic!("expected a warning: {v:?}")
    };
    assert_eq!(m.product_id, "CSAFPID-0002");
    assert_eq!(m.confidence, Confidence::Exact);
    assert_eq!(m.reason.key, "advisory-reason-cpe");
}

#[test]
fn bsi_advisory_fixed_version_is_suppressed() {
    let inv = Inventory::new(vec![InventoryItem {
        cpe: s("cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-rc2:*:*:*:*:*:*:*"),
        ..item(1)
    }]);
    assert!(matches!(
        match_advisory(&bsi(), &inv).get(&StructureObjectId(1)),
        Some(Verdict::Suppressed(_))
    ));
}

#[test]
fn names_and_version_match_without_identifiers() {
    let inv = Inventory::new(vec![
        InventoryItem {
            vendor: s("CSAF Tools GmbH"),
            product: s("cvrf csaf converter"),
            version: s("1.0.0-rc1"),
            ..item(1)
        },
        InventoryItem {
            vendor: s("CSAF Tools"),
            product: s("CVRF-CSAF-Converter"),
            ..item(2)
        },
        InventoryItem {
            vendor: s("Other Vendor"),
            product: s("CVRF-CSAF-Converter"),
            version: s("1.0.0-rc1"),
            ..item(3)
        },
    ]);
    let v = match_advisory(&bsi(), &inv);
    let Some(Verdict::Warn(m)) = v.get(&StructureObjectId(1)) else {
        panic!("{v:?}")
    };
    assert_eq!(m.confidence, Confidence::NameVersion);
    // Without a version the fixed and the affected products match alike by name: that some
    // version is fixed does not clear an object of unknown version.
    let Some(Verdict::Warn(n)) = v.get(&StructureObjectId(2)) else {
        panic!("{v:?}")
    };
    assert_eq!(n.confidence, Confidence::NameOnly);
    assert!(
        !v.contains_key(&StructureObjectId(3)),
        "another vendor's product of the same name"
    );
}

/// The OASIS VEX example 2022-EVD-UC-08-001: ranges with `vers:generic`.
fn vex() -> Advisory {
    let abc = |v: Option<&str>, r: Option<&str>| ProductIdent {
        vendor: s("Example Company"),
        product: s("ABC"),
        version: v.map(str::to_owned),
        version_range: r.map(str::to_owned),
        ..ProductIdent::default()
    };
    advisory(vec![
        product(
            "CSAFPID-0001",
            "Example Company ABC 4.2",
            ProductState::NotAffected,
            vec![abc(Some("4.2"), None)],
        ),
        product(
            "CSAFPID-0002",
            "Example Company ABC 2.4",
            ProductState::Affected,
            vec![abc(Some("2.4"), None)],
        ),
        product(
            "CSAFPID-0004",
            "Example Company ABC >=2.9|<=4.1",
            ProductState::Affected,
            vec![abc(None, Some("vers:generic/>=2.9|<=4.1"))],
        ),
        product(
            "CSAFPID-0005",
            "Example Company ABC >=1.0|<=2.3",
            ProductState::NotAffected,
            vec![abc(None, Some("vers:generic/>=1.0|<=2.3"))],
        ),
    ])
}

#[test]
fn vex_ranges_decide_affected_and_not_affected() {
    let obj = |id: i64, v: &str| InventoryItem {
        vendor: s("Example Company"),
        product: s("ABC"),
        version: s(v),
        ..item(id)
    };
    let inv = Inventory::new(vec![
        obj(1, "3.0"),
        obj(2, "2.0"),
        obj(3, "4.2"),
        obj(4, "0.5"),
    ]);
    let v = match_advisory(&vex(), &inv);
    let Some(Verdict::Warn(m)) = v.get(&StructureObjectId(1)) else {
        panic!("{v:?}")
    };
    assert_eq!(m.reason.key, "advisory-reason-name-range");
    assert!(matches!(
        v.get(&StructureObjectId(2)),
        Some(Verdict::Suppressed(_))
    ));
    assert!(matches!(
        v.get(&StructureObjectId(3)),
        Some(Verdict::Suppressed(_))
    ));
    assert!(
        !v.contains_key(&StructureObjectId(4)),
        "0.5 lies in no listed product"
    );
}

#[test]
fn red_hat_purl_matches_the_affected_build_and_the_platform_warns_softer() {
    let adv = advisory(vec![product(
        "BaseOS-8.6.0.Z.EUS:openssl-1:1.1.1k-7.el8_6.x86_64",
        "openssl-1:1.1.1k-7.el8_6.x86_64 as a component of Red Hat Enterprise Linux BaseOS EUS (v.8.6)",
        ProductState::Affected,
        vec![
            ProductIdent {
                vendor: s("Red Hat"),
                version: s("openssl-1:1.1.1k-7.el8_6.x86_64"),
                purl: s("pkg:rpm/redhat/openssl@1.1.1k-7.el8_6?arch=x86_64&epoch=1"),
                ..ProductIdent::default()
            },
            ProductIdent {
                vendor: s("Red Hat"),
                product: s("Red Hat Enterprise Linux BaseOS EUS (v.8.6)"),
                cpe: s("cpe:/o:redhat:rhel_eus:8.6::baseos"),
                ..ProductIdent::default()
            },
        ],
    )]);
    let inv = Inventory::new(vec![
        InventoryItem {
            purl: s("pkg:rpm/redhat/openssl@1.1.1k-7.el8_6"),
            ..item(1)
        },
        InventoryItem {
            purl: s("pkg:rpm/redhat/openssl@1.1.1k-8.el8_6"),
            ..item(2)
        },
        InventoryItem {
            cpe: s("cpe:2.3:o:redhat:rhel_eus:8.6:*:*:*:*:*:*:*"),
            ..item(3)
        },
    ]);
    let v = match_advisory(&adv, &inv);
    let Some(Verdict::Warn(m)) = v.get(&StructureObjectId(1)) else {
        panic!("{v:?}")
    };
    assert_eq!(m.confidence, Confidence::Exact);
    assert!(!v.contains_key(&StructureObjectId(2)));
    let Some(Verdict::Warn(p)) = v.get(&StructureObjectId(3)) else {
        panic!("{v:?}")
    };
    assert_eq!(p.confidence, Confidence::NameVersion);
    assert!(p.reason.german().contains("Plattform"));
}

#[test]
fn legal_forms_and_punctuation_are_normalised() {
    assert_eq!(normalise_name("Microsoft Corporation"), "microsoft");
    assert_eq!(normalise_name("Foo GmbH & Co. KG"), "foo");
    assert_eq!(
        normalise_name("  CVRF-CSAF-Converter "),
        "cvrf csaf converter"
    );
    // A name made only of legal-form words keeps them (found by the property test below).
    assert_eq!(normalise_name("NV"), "nv");
    assert_eq!(normalise_name("The AG"), "the ag");
}

#[test]
fn tlp_labels_and_reading_rules() {
    assert_eq!(Tlp::from_csaf("WHITE"), Some(Tlp::Clear));
    assert_eq!(Tlp::from_csaf("amber+strict"), Some(Tlp::Amber));
    assert_eq!(Tlp::from_csaf("PURPLE"), None);
    assert!(Tlp::Green.member_may_read(false));
    assert!(!Tlp::Amber.member_may_read(false));
    assert!(Tlp::Red.member_may_read(true));
}

#[test]
fn severity_bands_and_deadlines() {
    assert_eq!(Severity::from_score(9.8), Severity::Critical);
    assert_eq!(Severity::from_score(6.1), Severity::Medium);
    assert_eq!(Severity::from_text("Important"), Some(Severity::High));
    assert_eq!(Severity::Critical.default_deadline_days(), 3);
    assert_eq!(
        ProductState::Fixed.combine(ProductState::Affected),
        ProductState::Affected
    );
}

fn version_strategy() -> impl Strategy<Value = String> {
    "[0-9]{1,3}(\\.[0-9]{1,3}){0,3}(-(alpha|beta|rc)[0-9]?)?"
}

proptest! {
    #[test]
    fn version_comparison_is_antisymmetric(a in version_strategy(), b in version_strategy()) {
        prop_assert_eq!(compare(&a, &b), compare(&b, &a).reverse());
    }

    #[test]
    fn version_comparison_is_transitive(a in version_strategy(), b in version_strategy(), c in version_strategy()) {
        use std::cmp::Ordering::*;
        if compare(&a, &b) != Greater && compare(&b, &c) != Greater {
            prop_assert_ne!(compare(&a, &c), Greater);
        }
    }

    #[test]
    fn a_closed_range_holds_its_bounds(a in version_strategy(), b in version_strategy()) {
        let (lo, hi) = if compare(&a, &b) == std::cmp::Ordering::Greater { (b, a) } else { (a, b) };
        let r = Range::parse(&format!("vers:generic/>={lo}|<={hi}")).expect("valid range");
        prop_assert!(r.contains(&lo) && r.contains(&hi));
    }

    #[test]
    fn identifier_parsers_never_panic(text in "\\PC{0,80}") {
        let _ = cpe::Cpe::parse(&text);
        let _ = cpe::Cpe::parse(&format!("cpe:2.3:{text}"));
        let _ = cpe::Cpe::parse(&format!("cpe:/{text}"));
        let _ = purl::Purl::parse(&format!("pkg:{text}"));
        let _ = Range::parse(&text);
        let _ = Range::parse(&format!("vers:{text}"));
    }

    #[test]
    fn an_equal_fixed_statement_always_suppresses(v in version_strategy(), vendor in "[A-Za-z]{2,10}", name in "[A-Za-z]{2,10}") {
        let ident = ProductIdent { vendor: Some(vendor.clone()), product: Some(name.clone()), version: Some(v.clone()), ..ProductIdent::default() };
        let adv = advisory(vec![
            product("A", "a", ProductState::Affected, vec![ident.clone()]),
            product("F", "f", ProductState::Fixed, vec![ident]),
        ]);
        let inv = Inventory::new(vec![InventoryItem { vendor: Some(vendor), product: Some(name), version: Some(v), ..item(1) }]);
        prop_assert!(matches!(match_advisory(&adv, &inv).get(&StructureObjectId(1)), Some(Verdict::Suppressed(_))));
    }

    #[test]
    fn matching_never_panics_and_only_names_known_objects(
        cpes in proptest::collection::vec("cpe:(2\\.3|/)[:a-z0-9*?\\\\.-]{0,40}", 0..4),
        names in proptest::collection::vec("[a-z ]{0,12}", 0..4),
    ) {
        let idents: Vec<ProductIdent> = cpes.iter().zip(names.iter().chain(std::iter::repeat(&String::new())))
            .map(|(c, n)| ProductIdent { cpe: Some(c.clone()), product: Some(n.clone()), ..ProductIdent::default() }).collect();
        let adv = advisory(vec![product("P", "p", ProductState::Affected, idents)]);
        let items: Vec<InventoryItem> = cpes.iter().enumerate().map(|(i, c)| InventoryItem { cpe: Some(c.clone()), product: names.get(i).cloned(), ..item(i as i64) }).collect();
        let n = items.len() as i64;
        for id in match_advisory(&adv, &Inventory::new(items)).keys() {
            prop_assert!(id.0 >= 0 && id.0 < n);
        }
    }
}
