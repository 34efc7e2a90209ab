//! OSCAL catalogs and profiles: the self-made fixtures and the real NIST SP 800-53 rev5
//! catalog with its LOW baseline.

mod common;

use common::{by_ref, dataset, fixture, parent_ref};
use verbund_domain::catalog::SourceFormat;
use verbund_formats::catalog::{Catalog, ImportError, import_auto, oscal};

const PREFIX: &str = "urn:oscal:00000000-0000-4000-8000-000000000001";

fn tiny() -> Catalog {
    oscal::parse_catalog(&fixture("tiny-oscal-catalog.json")).expect("fixture imports")
}

#[test]
fn fixture_catalog_metadata() {
    let c = tiny();
    assert_eq!(c.urn, PREFIX);
    assert_eq!(c.ref_id, "TINY-CAT");
    assert_eq!(c.name, "Tiny OSCAL test catalog");
    assert_eq!(c.version, "1.2.3");
    assert_eq!(c.locale, "en");
    assert_eq!(c.provider.as_deref(), Some("Test Authority"));
    assert_eq!(
        c.description.as_deref(),
        Some("Self-made catalog for importer tests.")
    );
    assert_eq!(c.source, SourceFormat::Oscal);
}

#[test]
fn fixture_groups_controls_and_enhancements_form_the_tree() {
    let c = tiny();
    let refs: Vec<_> = c
        .nodes
        .iter()
        .map(|n| (n.ref_id.as_deref().unwrap_or("-"), n.depth))
        .collect();
    assert_eq!(
        refs,
        [
            ("TOP-1", 1),
            ("XX", 1),
            ("XX-1", 2),
            ("XX-1(1)", 3),
            ("XX-1(2)", 3),
            ("XX-2", 2),
            ("XX-SUB", 2),
            ("XX-9", 3),
            ("-", 1),
            ("YY-1", 2),
        ]
    );
    assert_eq!(
        c.assessable_count(),
        6,
        "groups and the withdrawn enhancement are not assessable"
    );
    assert_eq!(c.topics().count(), 3);
    let xx1 = by_ref(&c, "XX-1");
    assert_eq!(xx1.urn, format!("{PREFIX}:xx-1"));
    assert_eq!(xx1.name.as_deref(), Some("Policy"));
    assert_eq!(parent_ref(&c, by_ref(&c, "XX-1(1)")), Some("XX-1"));
    assert_eq!(parent_ref(&c, by_ref(&c, "XX-9")), Some("XX-SUB"));
    // A group without id gets one from its position.
    let unnamed = &c.nodes[8];
    assert_eq!(
        (unnamed.urn.as_str(), unnamed.name.as_deref()),
        (&*format!("{PREFIX}:group-8"), Some("Family Without Id"))
    );
}

#[test]
fn fixture_statement_is_flattened_with_parameters() {
    let c = tiny();
    assert_eq!(
        by_ref(&c, "XX-1").description.as_deref(),
        Some(
            "a. Give the policy to [Assignment: organization-defined roles]:\n  1. Review it [Selection (one or more): daily; every [Assignment: organization-defined period]]; and\n    (a) Switch [Selection: on; off] for [Assignment: xx-1_prm_5].\nb. Keep {{ insert: param, nowhere }} and {{ unclosed"
        )
    );
    assert_eq!(
        by_ref(&c, "XX-1").guidance.as_deref(),
        Some("Why this matters.")
    );
    // Parameters of the base control and of the catalog are found too.
    assert_eq!(
        by_ref(&c, "XX-1(1)").description.as_deref(),
        Some("Automate it for [Assignment: organization-defined roles].")
    );
    assert_eq!(
        by_ref(&c, "TOP-1").description.as_deref(),
        Some("Review [Assignment: catalog-wide frequency].")
    );
}

#[test]
fn fixture_withdrawn_control_says_where_it_went() {
    let c = tiny();
    let old = by_ref(&c, "XX-1(2)");
    assert!(!old.assessable);
    assert_eq!(
        old.description.as_deref(),
        Some("[Withdrawn: Incorporated into XX-1a; Moved to YY-1.]")
    );
}

#[test]
fn fixture_profile_selects_controls_with_their_ancestors() {
    let p = oscal::resolve_profile(&fixture("tiny-oscal-profile.json"), &tiny()).unwrap();
    assert_eq!(p.source, SourceFormat::OscalProfile);
    assert_eq!(
        (p.name.as_str(), p.version.as_str()),
        ("Tiny LOW baseline", "0.9")
    );
    assert_eq!(p.urn, "urn:oscal:00000000-0000-4000-8000-000000000002");
    let kept: Vec<_> = p
        .nodes
        .iter()
        .map(|n| (n.ref_id.as_deref().unwrap_or("-"), n.assessable, n.order))
        .collect();
    assert_eq!(
        kept,
        [
            ("XX", false, 0),
            ("XX-1", false, 1), // only an ancestor of the selected XX-1(1)
            ("XX-1(1)", true, 2),
            ("XX-2", true, 3),
            ("XX-SUB", false, 4),
            ("XX-9", true, 5), // with-child-controls
            ("-", false, 6),
            ("YY-1", true, 7), // matching "yy-*"
        ]
    );
    // Node URNs stay those of the catalog, so answers map between both.
    assert_eq!(by_ref(&p, "XX-2").urn, format!("{PREFIX}:xx-2"));
}

#[test]
fn fixture_profile_resolves_from_bytes_too() {
    let p = oscal::resolve_profile_bytes(
        &fixture("tiny-oscal-profile.json"),
        &fixture("tiny-oscal-catalog.json"),
    );
    assert_eq!(p.unwrap().assessable_count(), 4);
}

#[test]
fn profile_include_all_with_exclusions() {
    let profile = r##"{"profile": {"uuid": "u", "metadata": {"title": "All but XX", "version": "1"},
        "imports": [{"href": "#x", "include-all": {},
                     "exclude-controls": [{"with-ids": ["xx-1", "not-there"], "with-child-controls": "yes"}]}]}}"##;
    let p = oscal::resolve_profile(profile.as_bytes(), &tiny()).unwrap();
    let assessable: Vec<_> = p
        .nodes
        .iter()
        .filter(|n| n.assessable)
        .filter_map(|n| n.ref_id.as_deref())
        .collect();
    assert_eq!(assessable, ["TOP-1", "XX-2", "XX-9", "YY-1"]);
    assert!(p.nodes.iter().all(|n| !n.urn.ends_with(":xx-1.1")));
}

#[test]
fn auto_detection_reads_catalogs_and_refuses_lone_profiles() {
    assert_eq!(
        import_auto(&fixture("tiny-oscal-catalog.json"), "cat.json").unwrap(),
        tiny()
    );
    let err = import_auto(&fixture("tiny-oscal-profile.json"), "profile.json").unwrap_err();
    assert!(matches!(err, ImportError::ProfileNeedsCatalog), "{err}");
}

fn nist() -> Option<Catalog> {
    let bytes = dataset("catalogs/oscal/NIST_SP-800-53_rev5_catalog.json")?;
    Some(import_auto(&bytes, "NIST_SP-800-53_rev5_catalog.json").expect("NIST catalog imports"))
}

#[test]
fn real_nist_catalog() {
    let Some(c) = nist() else { return };
    assert_eq!(c.urn, "urn:oscal:613fca2d-704a-42e7-8e2b-b206fb92b456");
    assert_eq!(c.version, "5.0.1");
    assert_eq!(
        c.provider.as_deref(),
        Some("Joint Task Force, Interagency Working Group")
    );
    // 20 families, 322 controls, 867 enhancements; 182 of the 1,189 are withdrawn.
    assert_eq!(
        (c.nodes.len(), c.assessable_count(), c.topics().count()),
        (1209, 1007, 20)
    );
    let depth = |d| c.nodes.iter().filter(|n| n.depth == d).count();
    assert_eq!((depth(1), depth(2), depth(3)), (20, 322, 867));
    let ac1 = by_ref(&c, "AC-1");
    assert_eq!(
        (ac1.name.as_deref(), parent_ref(&c, ac1)),
        (Some("Policy and Procedures"), Some("AC"))
    );
    let text = ac1.description.as_deref().unwrap();
    assert!(text.starts_with(
        "a. Develop, document, and disseminate to [Assignment: organization-defined personnel or roles]:\n  1. [Selection (one or more): Organization-level; Mission/business process-level; System-level] access control policy that:\n    (a) Addresses purpose"
    ));
    assert!(
        ac1.guidance
            .as_deref()
            .unwrap()
            .starts_with("Access control policy and procedures address")
    );
    let ac2_1 = by_ref(&c, "AC-2(1)");
    assert_eq!(
        (ac2_1.name.as_deref(), parent_ref(&c, ac2_1)),
        (Some("Automated System Account Management"), Some("AC-2"))
    );
    let ac2_10 = by_ref(&c, "AC-2(10)");
    assert!(!ac2_10.assessable);
    assert_eq!(
        ac2_10.description.as_deref(),
        Some("[Withdrawn: Incorporated into AC-2k.]")
    );
    assert_eq!(
        by_ref(&c, "SC-7")
            .description
            .as_deref()
            .unwrap()
            .lines()
            .nth(1),
        Some(
            "b. Implement subnetworks for publicly accessible system components that are [Selection: physically; logically] separated from internal organizational networks; and"
        )
    );
    assert!(
        c.nodes
            .iter()
            .filter_map(|n| n.description.as_deref())
            .all(|d| !d.contains("{{"))
    );
}

#[test]
fn real_nist_low_baseline() {
    let Some(c) = nist() else { return };
    let Some(profile) = dataset("catalogs/oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json")
    else {
        return;
    };
    let low = oscal::resolve_profile(&profile, &c).unwrap();
    assert_eq!(
        low.name,
        "NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE"
    );
    assert_eq!(low.version, "5.1.1+u4");
    // The profile's include-controls list 149 ids (counted in the file); 18 of the 20
    // families contribute, and no base control had to be added as an ancestor.
    assert_eq!(
        (
            low.assessable_count(),
            low.topics().count(),
            low.nodes.len()
        ),
        (149, 18, 167)
    );
    assert!(
        low.node("urn:oscal:613fca2d-704a-42e7-8e2b-b206fb92b456:ac-1")
            .is_some_and(|n| n.assessable)
    );
    assert_eq!(parent_ref(&low, by_ref(&low, "IA-2(1)")), Some("IA-2"));
    assert!(
        low.nodes
            .iter()
            .all(|n| n.ref_id.as_deref() != Some("AC-2(1)"))
    );
    let families: Vec<_> = low.topics().filter_map(|n| n.ref_id.as_deref()).collect();
    assert!(
        !families.contains(&"PM") && !families.contains(&"PT"),
        "{families:?}"
    );
}
