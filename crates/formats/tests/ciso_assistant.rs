//! CISO Assistant libraries: the self-made fixture, our starter catalog and the real
//! libraries from the shared datasets.

mod common;

use common::{by_ref, dataset, fixture, in_group, parent_ref, workspace};
use verbund_domain::catalog::SourceFormat;
use verbund_formats::catalog::{Catalog, ciso_assistant, import_auto};

fn tiny() -> Catalog {
    ciso_assistant::parse(&fixture("tiny-ciso.yaml")).expect("fixture imports")
}

#[test]
fn fixture_catalog_fields_come_from_framework_and_library() {
    let c = tiny();
    assert_eq!(c.urn, "urn:test:risk:framework:tiny");
    assert_eq!(c.ref_id, "tiny-fw");
    assert_eq!(c.name, "Kleiner Testkatalog (Framework)");
    assert_eq!(c.description.as_deref(), Some("Framework-Beschreibung."));
    assert_eq!(c.version, "3");
    assert_eq!(c.locale, "de");
    assert_eq!(c.provider.as_deref(), Some("Testamt"));
    assert_eq!(c.copyright.as_deref(), Some("CC0"));
    assert_eq!(c.source, SourceFormat::CisoAssistant);
    assert_eq!(
        c.translations["en"].name.as_deref(),
        Some("Tiny test catalogue")
    );
}

#[test]
fn fixture_nodes_keep_document_order_and_hierarchy() {
    let c = tiny();
    assert_eq!(c.nodes.len(), 6);
    assert_eq!(c.assessable_count(), 3);
    let orders: Vec<u32> = c.nodes.iter().map(|n| n.order).collect();
    assert_eq!(orders, [0, 1, 2, 3, 4, 5]);
    let topics: Vec<_> = c
        .topics()
        .map(|n| n.name.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(topics, ["Organisation", "Technik"]);
    // The parent was written in upper case; URNs are lower-cased like CISO Assistant does.
    let org1 = by_ref(&c, "1.10");
    assert_eq!(
        org1.parent_urn.as_deref(),
        Some("urn:test:risk:req_node:tiny:org")
    );
    assert_eq!(org1.name.as_deref(), Some("Verantwortung übernehmen"));
    let children: Vec<_> = c
        .children_of(&org1.urn)
        .filter_map(|n| n.ref_id.as_deref())
        .collect();
    assert_eq!(children, ["ORG.1.1", "ORG.1.2"]);
}

#[test]
fn fixture_missing_depth_is_computed() {
    let c = tiny();
    assert_eq!(by_ref(&c, "ORG.1.1").depth, 3);
    assert_eq!(by_ref(&c, "TECH.1").depth, 2);
}

#[test]
fn fixture_texts_are_trimmed_and_blank_ones_dropped() {
    let c = tiny();
    let n = by_ref(&c, "ORG.1.1");
    assert_eq!(
        n.description.as_deref(),
        Some("Die Leitung MUSS die Verantwortung übernehmen.")
    );
    assert_eq!(n.guidance.as_deref(), Some("Hinweis zur Umsetzung."));
    assert_eq!(by_ref(&c, "ORG.1.2").name, None);
}

#[test]
fn fixture_implementation_groups_and_translations() {
    let c = tiny();
    let groups: Vec<_> = c
        .implementation_groups
        .iter()
        .map(|g| (&*g.ref_id, &*g.name))
        .collect();
    assert_eq!(groups, [("B", "Basis"), ("S", "S")]);
    assert_eq!(
        c.implementation_groups[0].translations["en"]
            .name
            .as_deref(),
        Some("Basic")
    );
    assert_eq!(by_ref(&c, "ORG.1.1").implementation_groups, ["B", "S"]);
    let org = by_ref(&c, "ORG");
    assert_eq!(org.translations.len(), 1, "null translations are dropped");
    assert_eq!(
        org.translations["en"].description.as_deref(),
        Some("Top topic")
    );
    let en = &by_ref(&c, "ORG.1.2").translations["en"];
    assert_eq!(
        (en.name.as_deref(), en.description.as_deref()),
        (None, Some("A deputy SHOULD be appointed."))
    );
}

#[test]
fn fixture_imports_through_auto_detection() {
    assert_eq!(
        import_auto(&fixture("tiny-ciso.yaml"), "tiny.yaml").unwrap(),
        tiny()
    );
}

#[test]
fn frameworks_list_form_is_read() {
    let yaml = "\
version: 1
ref_id: lib
objects:
  frameworks:
  - urn: urn:x:fw1
    name: One
    requirement_nodes:
    - urn: urn:x:n1
      assessable: true
  - urn: urn:x:fw2
    ref_id: two
    name: Two
";
    let all = ciso_assistant::parse_all(yaml.as_bytes()).unwrap();
    let summary: Vec<_> = all
        .iter()
        .map(|c| (&*c.urn, &*c.ref_id, c.nodes.len()))
        .collect();
    assert_eq!(summary, [("urn:x:fw1", "lib", 1), ("urn:x:fw2", "two", 0)]);
    let err = ciso_assistant::parse(yaml.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the library contains 2 frameworks (urn:x:fw1, urn:x:fw2); import them one by one"
    );
}

#[test]
fn verbund_starter_catalog_imports() {
    let bytes = std::fs::read(workspace().join("catalogs/verbund-starter.yaml")).unwrap();
    let c = import_auto(&bytes, "verbund-starter.yaml").unwrap();
    assert_eq!(c.nodes.len(), 149);
    assert_eq!(c.assessable_count(), 130);
    assert_eq!(c.topics().count(), 19);
    assert_eq!(c.locale, "de");
    let groups: Vec<_> = c
        .implementation_groups
        .iter()
        .map(|g| g.ref_id.as_str())
        .collect();
    assert_eq!(groups, ["P1", "P2", "P3"]);
    assert_eq!(
        (in_group(&c, "P1"), in_group(&c, "P2"), in_group(&c, "P3")),
        (52, 52, 26)
    );
    assert!(c.nodes.iter().all(|n| {
        n.translations
            .get("en")
            .and_then(|t| t.name.as_ref())
            .is_some()
    }));
    assert_eq!(
        c.translations["en"].name.as_deref(),
        Some("Verbund starter catalogue for municipal information security")
    );
    let t01 = by_ref(&c, "T01.01");
    assert_eq!(t01.name.as_deref(), Some("ISB benannt"));
    assert_eq!(parent_ref(&c, t01), Some("T01"));
    assert_eq!(
        t01.translations["en"].name.as_deref(),
        Some("Information security officer appointed")
    );
    let t19 = by_ref(&c, "T19.01");
    assert_eq!(t19.name.as_deref(), Some("Sichere Löschung vor Weitergabe"));
    assert_eq!(t19.implementation_groups, ["P1"]);
    assert_eq!(
        by_ref(&c, "T19").name.as_deref(),
        Some("Beschaffung, Entsorgung und Datenträger")
    );
}

/// Imports a real library; `None` (with a note) when the datasets are not available.
fn real(file: &str) -> Option<Catalog> {
    let bytes = dataset(&format!("catalogs/ciso-assistant/{file}"))?;
    let catalog = import_auto(&bytes, file).unwrap_or_else(|e| panic!("{file}: {e}"));
    Some(catalog)
}

#[test]
fn real_bsi_grundschutz_isms_module() {
    let Some(c) = real("bs-it-gs-2023-isms-sicherheitsmanagement.yaml") else {
        return;
    };
    assert_eq!(
        (c.nodes.len(), c.assessable_count(), c.topics().count()),
        (101, 84, 1)
    );
    assert_eq!(
        (c.locale.as_str(), c.version.as_str(), c.provider.as_deref()),
        ("de", "1", Some("BSI"))
    );
    let groups: Vec<_> = c
        .implementation_groups
        .iter()
        .map(|g| (&*g.ref_id, &*g.name))
        .collect();
    assert_eq!(
        groups,
        [
            ("B", "Basis"),
            ("S", "Standard"),
            ("E", "Erhöhter Schutzbedarf")
        ]
    );
    assert_eq!(
        (in_group(&c, "B"), in_group(&c, "S"), in_group(&c, "E")),
        (50, 31, 3)
    );
    let a1 = by_ref(&c, "ISMS.1.A1");
    assert_eq!(
        a1.name.as_deref(),
        Some("Übernahme der Gesamtverantwortung für Informationssicherheit durch die Leitung")
    );
    assert!(!a1.assessable);
    let a11 = by_ref(&c, "ISMS.1.A1.1");
    assert_eq!((parent_ref(&c, a11), a11.depth), (Some("ISMS.1.A1"), 3));
    assert_eq!(
        a11.description.as_deref(),
        Some(
            "Die Institutionsleitung MUSS die Gesamtverantwortung für Informationssicherheit in der Institution übernehmen."
        )
    );
    assert_eq!(a11.implementation_groups, ["B"]);
}

#[test]
fn real_bsi_grundschutz_orp_module() {
    let Some(c) = real("bs-it-gs-2023-orp-organisation-und-personal.yaml") else {
        return;
    };
    assert_eq!(
        (c.nodes.len(), c.assessable_count(), c.topics().count()),
        (288, 229, 5)
    );
    assert_eq!(
        (in_group(&c, "B"), in_group(&c, "S"), in_group(&c, "E")),
        (132, 84, 13)
    );
    assert_eq!(by_ref(&c, "ORP.1").name.as_deref(), Some("Organisation"));
    let a1 = by_ref(&c, "ORP.1.A1");
    assert_eq!(
        a1.name.as_deref(),
        Some("Festlegung von Verantwortlichkeiten und Regelungen")
    );
    assert_eq!(parent_ref(&c, a1), Some("ORP.1"));
    assert_eq!(parent_ref(&c, by_ref(&c, "ORP.5.A8.2")), Some("ORP.5.A8"));
    assert_eq!(by_ref(&c, "ORP.5.A8.2").implementation_groups, ["S"]);
}

#[test]
fn real_bsi_grundschutz_sys_module() {
    let Some(c) = real("bs-it-gs-2023-sys-it-systeme.yaml") else {
        return;
    };
    assert_eq!(
        (c.nodes.len(), c.assessable_count(), c.topics().count()),
        (2123, 1638, 25)
    );
    assert_eq!(
        (in_group(&c, "B"), in_group(&c, "S"), in_group(&c, "E")),
        (492, 770, 376)
    );
    assert_eq!(
        by_ref(&c, "SYS.1.1").name.as_deref(),
        Some("Allgemeiner Server")
    );
    let a1 = by_ref(&c, "SYS.1.1.A1");
    assert_eq!(
        (a1.name.as_deref(), parent_ref(&c, a1)),
        (Some("Zugriffsschutz und Nutzung"), Some("SYS.1.1"))
    );
    let last = c.nodes.last().unwrap();
    assert_eq!(last.ref_id.as_deref(), Some("SYS.4.5.A17.2"));
    assert_eq!(
        last.description.as_deref(),
        Some("Die Integrität der Daten SOLLTE regelmäßig überprüft werden.")
    );
    assert_eq!(last.order, 2122);
}

#[test]
fn real_bsi_c5() {
    let Some(c) = real("bsi-c5-2020.yaml") else {
        return;
    };
    assert_eq!(
        (c.nodes.len(), c.assessable_count(), c.topics().count()),
        (138, 121, 17)
    );
    assert_eq!(
        (c.ref_id.as_str(), c.locale.as_str()),
        ("BSI-C5-2020", "en")
    );
    assert!(c.implementation_groups.is_empty());
    // C5 topics have no ref_id, only a name.
    let topic = c.topics().next().unwrap();
    assert_eq!(
        (topic.ref_id.as_deref(), topic.name.as_deref()),
        (None, Some("Organisation of Information Security (OIS)"))
    );
    let ois1 = by_ref(&c, "OIS-01");
    assert_eq!(
        ois1.name.as_deref(),
        Some("Information Security Management System (ISMS)")
    );
    assert_eq!(ois1.parent_urn.as_deref(), Some(topic.urn.as_str()));
    assert!(ois1.guidance.as_deref().unwrap().starts_with(
        "The Information Security Management System (ISMS) has a valid certification"
    ));
    assert_eq!(
        by_ref(&c, "PSS-12").name.as_deref(),
        Some("Locations of Data Processing and Storage")
    );
}

#[test]
fn real_cisa_cpg() {
    let Some(c) = real("cisa-cpg-2.0.yaml") else {
        return;
    };
    assert_eq!(
        (c.nodes.len(), c.assessable_count(), c.topics().count()),
        (40, 34, 6)
    );
    // The library also holds reference controls and threats; only the framework counts.
    assert_eq!(c.name, "CISA CPG v2.0");
    let topics: Vec<_> = c.topics().filter_map(|n| n.ref_id.as_deref()).collect();
    assert_eq!(topics, ["GV", "ID", "PR", "DE", "RS", "RC"]);
    let n = by_ref(&c, "3.E");
    assert_eq!(
        n.name.as_deref(),
        Some("Monitor Unsuccessful (Automated) Login Attempts")
    );
    assert_eq!(parent_ref(&c, n), Some("PR"));
    assert_eq!(
        by_ref(&c, "GV").translations["fr"].name.as_deref(),
        Some("GOUVERNER")
    );
    assert_eq!(
        c.translations["fr"].name.as_deref(),
        Some("Objectifs de performance en cybersécurité CISA v2.0")
    );
}

#[test]
fn real_nist_800_53_library() {
    let Some(c) = real("nist-sp-800-53-rev5.yaml") else {
        return;
    };
    // 20 families + 1,189 controls and enhancements. The library marks all 1,189 as
    // assessable, including the 182 withdrawn ones (the OSCAL import does not).
    assert_eq!(
        (c.nodes.len(), c.assessable_count(), c.topics().count()),
        (1209, 1189, 20)
    );
    let ac1 = by_ref(&c, "AC-1");
    assert_eq!(
        (ac1.name.as_deref(), parent_ref(&c, ac1)),
        (Some("Policy and Procedures"), Some("AC"))
    );
    assert!(ac1.description.as_deref().unwrap().starts_with(
        "a. Develop, document, and disseminate to [Assignment: organization-defined personnel or roles]:"
    ));
    // Enhancements hang directly below the family here, with "base | enhancement" names.
    let ac2_10 = by_ref(&c, "AC-2(10)");
    assert_eq!(parent_ref(&c, ac2_10), Some("AC"));
    assert_eq!(
        ac2_10.name.as_deref(),
        Some("Account Management | Shared and Group Account Credential Change")
    );
    assert_eq!(
        ac2_10.description.as_deref(),
        Some("[Withdrawn: Incorporated into AC-2k.]")
    );
    assert_eq!(
        by_ref(&c, "SR-12").name.as_deref(),
        Some("Component Disposal")
    );
    assert_eq!(
        c.nodes.iter().filter(|n| n.guidance.is_some()).count(),
        1007
    );
}

#[test]
fn real_cisa_library_brings_threats_controls_and_requirement_links() {
    let Some(bytes) = dataset("catalogs/ciso-assistant/cisa-cpg-2.0.yaml") else {
        return;
    };
    let lib = verbund_formats::catalog::risk_library::parse(&bytes).unwrap();
    assert_eq!(lib.urn, "urn:intuitem:risk:library:cisa-cpg-2.0");
    assert!(lib.threats.len() >= 5, "{}", lib.threats.len());
    assert!(lib.controls.len() >= 5, "{}", lib.controls.len());
    assert!(lib.threats.iter().any(|t| t.ref_id == "T.01"));
    assert!(!lib.links.is_empty());
    assert!(
        lib.links
            .iter()
            .all(|(_, t)| lib.threats.iter().any(|x| &x.urn == t)),
        "every link points at a threat of the library"
    );
}

#[test]
fn real_grundschutz_library_has_no_risk_objects() {
    let Some(bytes) = dataset("catalogs/ciso-assistant/bs-it-gs-2023-sys-it-systeme.yaml") else {
        return;
    };
    assert!(
        verbund_formats::catalog::risk_library::parse(&bytes)
            .unwrap()
            .is_empty()
    );
}
