//! CSAF 2.0: round trips and worked values on every real file in `../shared/datasets/csaf`
//! (and the self-made fixtures), hostile inputs, and arbitrary/mutated documents.

mod common;

use proptest::prelude::*;
use verbund_domain::advisory::{ProductState, Severity, Tlp};
use verbund_formats::csaf::{self, MAX_BYTES};

const REAL: &[&str] = &[
    "csaf/oasis-examples/bsi-2022-0001.json",
    "csaf/oasis-examples/rhsa-2022_0011.json",
    "csaf/oasis-examples/rhsa-2021_5186.json",
    "csaf/oasis-examples/2022-evd-uc-08-001.json",
    "csaf/redhat/rhsa-2023_1441.json",
];

const FIXTURES: &[&str] = &[
    "csaf/verbund-demo-2026-0001.json",
    "csaf/verbund-amber-2026-0002.json",
    "csaf/verbund-notice-2026-0003.json",
];

fn round_trip(bytes: &[u8], name: &str) {
    let parsed = csaf::parse(bytes, name).unwrap_or_else(|e| panic!("{e}"));
    let original: serde_json::Value = serde_json::from_slice(bytes).expect("valid JSON");
    let again = serde_json::to_value(&parsed.document).expect("serialises");
    assert_eq!(original, again, "{name} does not round-trip");
}

#[test]
fn every_real_file_round_trips() {
    for f in REAL {
        if let Some(bytes) = common::dataset(f) {
            round_trip(&bytes, f);
        }
    }
}

#[test]
fn every_fixture_round_trips() {
    for f in FIXTURES {
        round_trip(&common::fixture(f), f);
    }
}

#[test]
fn bsi_advisory_is_read_with_branches_cpes_and_statuses() {
    let Some(bytes) = common::dataset(REAL[0]) else {
        return;
    };
    let p = csaf::parse(&bytes, "bsi-2022-0001.json").expect("valid");
    let a = &p.advisory;
    assert_eq!(a.tracking_id, "BSI-2022-0001");
    assert_eq!(a.tlp, Tlp::Clear);
    assert_eq!(a.severity, Severity::Medium);
    assert_eq!(a.max_score, Some(6.1));
    assert_eq!(a.products.len(), 6);
    let first = &a.products[0];
    assert_eq!(first.product_id, "CSAFPID-0001");
    assert_eq!(first.state, ProductState::Affected);
    assert_eq!(first.idents[0].vendor.as_deref(), Some("CSAF Tools"));
    assert_eq!(
        first.idents[0].product.as_deref(),
        Some("CVRF-CSAF-Converter")
    );
    assert_eq!(first.idents[0].version.as_deref(), Some("1.0.0-alpha"));
    assert_eq!(
        first.idents[0].cpe.as_deref(),
        Some("cpe:/a:csaf-tools:cvrf-csaf-converter:1.0.0-alpha")
    );
    assert_eq!(a.products[5].state, ProductState::Fixed);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn red_hat_vex_relationships_carry_the_package_and_the_platform() {
    let Some(bytes) = common::dataset(REAL[4]) else {
        return;
    };
    let p = csaf::parse(&bytes, "rhsa-2023_1441.json").expect("valid");
    let a = &p.advisory;
    assert_eq!(a.tracking_id, "RHSA-2023:1441");
    assert_eq!(a.category, "csaf_vex");
    let rel = a
        .products
        .iter()
        .find(|p| {
            p.idents.len() == 2
                && p.idents[0]
                    .purl
                    .as_deref()
                    .is_some_and(|u| u.contains("openssl@1.1.1k-7"))
        })
        .expect("the older openssl build as a component of RHEL");
    // Red Hat lists the build in the tree but in no status (its known_affected list is empty).
    assert_eq!(rel.state, ProductState::Unknown);
    assert_eq!(
        rel.idents[1].cpe.as_deref(),
        Some("cpe:/o:redhat:rhel_eus:8.6::baseos")
    );
    // This copy's status lists are empty: nothing is affected or fixed, so nothing can warn.
    assert_eq!(a.products.len(), 71);
    assert!(a.products.iter().all(|p| p.state == ProductState::Unknown));
}

#[test]
fn vex_example_reads_ranges_and_not_affected() {
    let Some(bytes) = common::dataset(REAL[3]) else {
        return;
    };
    let p = csaf::parse(&bytes, "2022-evd-uc-08-001.json").expect("valid");
    let a = &p.advisory;
    assert_eq!(a.severity, Severity::Critical);
    let range = a
        .products
        .iter()
        .find(|p| p.product_id == "CSAFPID-0004")
        .expect("range product");
    assert_eq!(
        range.idents[0].version_range.as_deref(),
        Some("vers:generic/>=2.9|<=4.1")
    );
    assert_eq!(range.state, ProductState::Affected);
    let na = a
        .products
        .iter()
        .find(|p| p.product_id == "CSAFPID-0005")
        .expect("product");
    assert_eq!(na.state, ProductState::NotAffected);
    // Fixed for one vulnerability, affected by the other: affected wins.
    let both = a
        .products
        .iter()
        .find(|p| p.product_id == "CSAFPID-0010")
        .expect("product");
    assert_eq!(both.state, ProductState::Affected);
}

#[test]
fn red_hat_severity_comes_from_the_impact_threat_without_scores() {
    let Some(bytes) = common::dataset(REAL[2]) else {
        return;
    };
    let p = csaf::parse(&bytes, "rhsa-2021_5186.json").expect("valid");
    assert_eq!(p.advisory.severity, Severity::Critical);
    assert!(
        p.advisory
            .products
            .iter()
            .any(|p| p.state == ProductState::NotAffected)
    );
}

#[test]
fn fixture_groups_ranges_purls_and_cvss_v4_are_read() {
    let p = csaf::parse(&common::fixture(FIXTURES[0]), "demo").expect("valid");
    let a = &p.advisory;
    assert_eq!(a.severity, Severity::Critical);
    let fix = a
        .remediations
        .iter()
        .find(|r| r.category == "vendor_fix")
        .expect("fix");
    assert_eq!(
        fix.product_ids,
        vec!["VDEMO-AGENT-210".to_owned(), "VDEMO-GW-RANGE".to_owned()]
    );
    assert_eq!(a.change_summary.as_deref(), Some("Erste Fassung"));
    let amber = csaf::parse(&common::fixture(FIXTURES[1]), "amber").expect("valid");
    assert_eq!(amber.advisory.tlp, Tlp::Amber);
    assert_eq!(amber.advisory.severity, Severity::High);
    assert_eq!(
        amber.advisory.products[2].state,
        ProductState::UnderInvestigation
    );
}

#[test]
fn an_unknown_profile_imports_with_a_warning() {
    let p =
        csaf::parse(&common::fixture(FIXTURES[2]), "notice").expect("valid under the base profile");
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(p.warnings[0].pointer, "/document/category");
    assert_eq!(p.advisory.tlp, Tlp::Green);
}

fn err(bytes: &[u8]) -> csaf::CsafError {
    csaf::parse(bytes, "bad.json").expect_err("must fail")
}

#[test]
fn hostile_inputs_fail_naming_document_and_field() {
    assert_eq!(err(&vec![b' '; MAX_BYTES + 1]).code, "error-csaf-too-large");
    assert_eq!(err(b"{\"document\": \"\xff\"}").code, "error-csaf-not-utf8");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(err(deep.as_bytes()).code, "error-csaf-too-deep");
    let e = err(b"{\"document\": ");
    assert_eq!(e.code, "error-csaf-syntax");
    assert!(e.message.contains("line 1"), "{e}");
    assert_eq!(err(b"[]").pointer, "");
    let e = err(b"{}");
    assert_eq!(
        (e.document.as_str(), e.pointer.as_str()),
        ("bad.json", "/document")
    );
}

fn mutate(edit: impl FnOnce(&mut serde_json::Value)) -> csaf::CsafError {
    let mut v: serde_json::Value =
        serde_json::from_slice(&common::fixture(FIXTURES[0])).expect("json");
    edit(&mut v);
    err(&serde_json::to_vec(&v).expect("json"))
}

#[test]
fn schema_errors_point_at_the_field() {
    let e = mutate(|v| {
        v["document"]["tracking"]
            .as_object_mut()
            .expect("object")
            .remove("id");
    });
    assert_eq!(e.pointer, "/document/tracking/id");
    assert_eq!(e.code, "error-csaf-schema");
    let e = mutate(|v| v["document"]["tracking"]["version"] = serde_json::json!(3));
    assert_eq!(e.pointer, "/document/tracking/version");
    let e = mutate(|v| {
        v["product_tree"]["branches"][0]["branches"][0]["branches"][1]["product"]
            .as_object_mut()
            .expect("object")
            .remove("product_id");
    });
    assert_eq!(
        e.pointer,
        "/product_tree/branches/0/branches/0/branches/1/product/product_id"
    );
    let e = mutate(|v| v["vulnerabilities"][0]["product_status"]["fixed"][0] = "NOPE".into());
    assert_eq!(
        (e.code, e.pointer.as_str()),
        (
            "error-csaf-product-id",
            "/vulnerabilities/0/product_status/fixed/0"
        )
    );
    let e =
        mutate(|v| v["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"] = "high".into());
    assert_eq!(e.pointer, "/vulnerabilities/0/scores/0/cvss_v3/baseScore");
    let e = mutate(|v| v["document"]["csaf_version"] = "1.2".into());
    assert_eq!(e.code, "error-csaf-version");
    let e = mutate(|v| v["document"]["distribution"]["tlp"]["label"] = "PURPLE".into());
    assert_eq!(e.pointer, "/document/distribution/tlp/label");
    let e = mutate(|v| {
        v.as_object_mut().expect("object").remove("vulnerabilities");
    });
    assert_eq!(e.pointer, "/vulnerabilities");
}

#[test]
fn branches_nested_too_deep_are_refused() {
    let mut branch = serde_json::json!({"category": "vendor", "name": "x"});
    for _ in 0..25 {
        branch =
            serde_json::json!({"category": "product_family", "name": "x", "branches": [branch]});
    }
    let e = mutate(|v| v["product_tree"]["branches"] = serde_json::json!([branch]));
    assert_eq!(e.code, "error-csaf-too-deep");
    assert!(
        e.pointer.starts_with("/product_tree/branches/0/branches/0"),
        "{e}"
    );
}

fn real_or_fixture() -> Vec<Vec<u8>> {
    let mut docs: Vec<Vec<u8>> = FIXTURES.iter().map(|f| common::fixture(f)).collect();
    docs.extend(REAL.iter().filter_map(|f| common::dataset(f)));
    docs
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = csaf::parse(&bytes, "fuzz.json");
    }

    #[test]
    fn mutated_real_documents_never_panic(doc in 0usize..8, cuts in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let docs = real_or_fixture();
        let mut bytes = docs[doc % docs.len()].clone();
        for (at, b) in cuts {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if let Err(e) = csaf::parse(&bytes, "mutated.json") {
            prop_assert_eq!(e.document, "mutated.json");
        }
    }

    #[test]
    fn truncated_real_documents_fail_cleanly(doc in 0usize..8, at in any::<prop::sample::Index>()) {
        let docs = real_or_fixture();
        let bytes = &docs[doc % docs.len()];
        let cut = at.index(bytes.len());
        // Cutting only the trailing newline leaves a complete document.
        prop_assume!(bytes[cut..].iter().any(|b| !b.is_ascii_whitespace()));
        prop_assert!(csaf::parse(&bytes[..cut], "cut.json").is_err());
    }
}
