use super::*;

fn node(urn: &str, parent: Option<&str>, depth: u32) -> CatalogNode {
    CatalogNode {
        parent_urn: parent.map(str::to_owned),
        ref_id: Some(urn.to_uppercase()),
        depth,
        ..CatalogNode::new(urn)
    }
}

fn group(ref_id: &str) -> ImplementationGroup {
    ImplementationGroup {
        ref_id: ref_id.to_owned(),
        name: ref_id.to_owned(),
        description: None,
        translations: BTreeMap::new(),
    }
}

/// t1 { r1, r2 { r2a } }, t2 { r3 }; r1, r2a and r3 assessable.
fn sample() -> Catalog {
    let mut nodes = vec![
        node("t1", None, 1),
        node("r1", Some("t1"), 2),
        node("r2", Some("t1"), 2),
        node("r2a", Some("r2"), 3),
        node("t2", None, 1),
        node("r3", Some("t2"), 2),
    ];
    for (i, n) in nodes.iter_mut().enumerate() {
        n.order = i as u32;
        n.assessable = matches!(n.urn.as_str(), "r1" | "r2a" | "r3");
    }
    nodes[1].implementation_groups = vec!["P1".into()];
    Catalog {
        urn: "urn:test:catalog".into(),
        ref_id: "test".into(),
        name: "Test".into(),
        description: None,
        version: "1".into(),
        locale: "de".into(),
        provider: None,
        copyright: None,
        source: SourceFormat::Verbund,
        translations: BTreeMap::new(),
        implementation_groups: vec![group("P1"), group("P2")],
        nodes,
    }
}

#[test]
fn consistent_catalog_validates() {
    assert_eq!(sample().validate(), Ok(()));
}

#[test]
fn empty_catalog_validates() {
    let mut c = sample();
    c.nodes.clear();
    assert_eq!(c.validate(), Ok(()));
    assert_eq!(c.assessable_count(), 0);
    assert_eq!(c.topics().count(), 0);
}

#[test]
fn helpers_count_and_navigate_the_tree() {
    let c = sample();
    assert_eq!(c.assessable_count(), 3);
    let topics: Vec<_> = c.topics().map(|n| n.urn.as_str()).collect();
    assert_eq!(topics, ["t1", "t2"]);
    let children: Vec<_> = c.children_of("t1").map(|n| n.urn.as_str()).collect();
    assert_eq!(children, ["r1", "r2"]);
    assert_eq!(c.children_of("r1").count(), 0);
    assert_eq!(c.children_of("missing").count(), 0);
    assert_eq!(c.node("r2a").map(|n| n.depth), Some(3));
}

#[test]
fn empty_catalog_urn_is_rejected() {
    let mut c = sample();
    c.urn = " ".into();
    assert_eq!(c.validate(), Err(CatalogError::EmptyCatalogUrn));
}

#[test]
fn empty_node_urn_is_rejected_with_its_position() {
    let mut c = sample();
    c.nodes[5].urn = String::new();
    assert_eq!(c.validate(), Err(CatalogError::EmptyUrn { order: 5 }));
}

#[test]
fn duplicate_urn_names_both_nodes() {
    let mut c = sample();
    c.nodes[5].urn = "r1".into();
    let err = c.validate().unwrap_err();
    assert_eq!(
        err.to_string(),
        "node R3 (r1): urn is already used by node #1"
    );
}

#[test]
fn unknown_parent_names_node_and_parent() {
    let mut c = sample();
    c.nodes[3].parent_urn = Some("nope".into());
    let err = c.validate().unwrap_err();
    assert_eq!(
        err.to_string(),
        "node R2A (r2a): parent nope does not exist"
    );
}

#[test]
fn node_without_ref_id_is_named_by_urn() {
    let mut c = sample();
    c.nodes[3].parent_urn = Some("nope".into());
    c.nodes[3].ref_id = None;
    assert_eq!(
        c.validate().unwrap_err().to_string(),
        "node r2a: parent nope does not exist"
    );
}

#[test]
fn parent_may_follow_its_child_in_document_order() {
    let mut c = sample();
    c.nodes.swap(2, 3);
    assert_eq!(c.validate(), Ok(()));
}

#[test]
fn self_parent_is_a_cycle() {
    let mut c = sample();
    c.nodes[1].parent_urn = Some("r1".into());
    assert!(matches!(c.validate(), Err(CatalogError::Cycle { node }) if node.urn == "r1"));
}

#[test]
fn longer_parent_cycle_is_reported() {
    let mut c = sample();
    c.nodes[2].parent_urn = Some("r2a".into());
    let err = c.validate().unwrap_err();
    assert!(matches!(&err, CatalogError::Cycle { .. }), "{err}");
    assert!(err.to_string().contains("cycle"));
}

#[test]
fn depth_must_be_parent_depth_plus_one() {
    let mut c = sample();
    c.nodes[3].depth = 2;
    assert_eq!(
        c.validate().unwrap_err().to_string(),
        "node R2A (r2a): depth is 2, expected 3 (parent depth + 1, topics 1)"
    );
}

#[test]
fn topics_must_have_depth_one() {
    let mut c = sample();
    c.nodes[4].depth = 0;
    assert!(matches!(
        c.validate(),
        Err(CatalogError::DepthMismatch { expected: 1, .. })
    ));
}

#[test]
fn undefined_implementation_group_is_named() {
    let mut c = sample();
    c.nodes[5].implementation_groups = vec!["P1".into(), "P9".into()];
    assert_eq!(
        c.validate().unwrap_err().to_string(),
        "node R3 (r3): implementation group P9 is not defined in the catalog"
    );
}

#[test]
fn duplicate_implementation_group_is_rejected() {
    let mut c = sample();
    c.implementation_groups.push(group("P1"));
    assert_eq!(
        c.validate(),
        Err(CatalogError::DuplicateImplementationGroup {
            ref_id: "P1".into()
        })
    );
}

#[test]
fn missing_depths_are_computed_from_parents() {
    let mut c = sample();
    c.nodes.swap(2, 3); // child before its parent
    c.nodes.iter_mut().for_each(|n| n.depth = 0);
    c.fill_missing_depths();
    let depths: Vec<_> = c.nodes.iter().map(|n| (n.urn.as_str(), n.depth)).collect();
    assert_eq!(
        depths,
        [
            ("t1", 1),
            ("r1", 2),
            ("r2a", 3),
            ("r2", 2),
            ("t2", 1),
            ("r3", 2)
        ]
    );
    assert_eq!(c.validate(), Ok(()));
}

#[test]
fn given_depths_are_kept_when_filling() {
    let mut c = sample();
    c.nodes[0].depth = 4;
    c.nodes[1].depth = 0;
    c.fill_missing_depths();
    assert_eq!(c.nodes[1].depth, 5);
    assert_eq!(c.nodes[5].depth, 2);
}

#[test]
fn filling_depths_leaves_broken_chains_at_zero() {
    let mut c = sample();
    c.nodes.iter_mut().for_each(|n| n.depth = 0);
    c.nodes[1].parent_urn = Some("r1".into()); // self cycle
    c.nodes[5].parent_urn = Some("gone".into());
    c.fill_missing_depths();
    assert_eq!(c.nodes[1].depth, 0);
    assert_eq!(c.nodes[5].depth, 0);
    assert_eq!(c.nodes[3].depth, 3);
    assert!(c.validate().is_err());
}

#[test]
fn long_chain_validates_without_recursion() {
    let mut c = sample();
    c.nodes = (0..50_000u32)
        .map(|i| {
            let parent = i.checked_sub(1).map(|p| format!("n{p}"));
            node(&format!("n{i}"), parent.as_deref(), i + 1)
        })
        .collect();
    assert_eq!(c.validate(), Ok(()));
    c.nodes.iter_mut().for_each(|n| n.depth = 0);
    c.fill_missing_depths();
    assert_eq!(c.nodes.last().map(|n| n.depth), Some(50_000));
}

#[test]
fn catalog_round_trips_through_json() {
    let c = sample();
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains("\"source\":\"verbund\""));
    let back: Catalog = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}

#[test]
fn names_with_control_or_bidi_characters_are_refused_but_descriptions_may_break_lines() {
    let mut c = sample();
    c.name = "Test\u{202E}".into();
    assert_eq!(
        c.validate().unwrap_err().to_string(),
        "the catalog: the name holds control or text-direction characters"
    );

    let mut c = sample();
    c.nodes[1].name = Some("Datensicherung\nKonzept".into());
    assert_eq!(
        c.validate().unwrap_err().to_string(),
        "node R1 (r1): the name holds control or text-direction characters"
    );

    let mut c = sample();
    c.nodes[1].description = Some("Die Institution MUSS\n\t- sichern\n\t- prüfen 💾".into());
    c.nodes[2].name = Some("𝕸𝖆𝖙𝖍 👩\u{200D}👩\u{200D}👧".into());
    assert_eq!(c.validate(), Ok(()));
    c.nodes[1].description = Some("A\u{0}B".into());
    assert!(matches!(
        c.validate(),
        Err(CatalogError::InvalidText { field, .. }) if field == "description"
    ));

    let mut c = sample();
    c.implementation_groups[0].translations.insert(
        "en".into(),
        Translation {
            name: Some("Basic\u{7}".into()),
            description: None,
        },
    );
    assert_eq!(
        c.validate().unwrap_err().to_string(),
        "implementation group P1: the name (en) holds control or text-direction characters"
    );
}

#[test]
fn a_node_is_shown_in_the_readers_language_where_the_catalog_has_it() {
    let mut n = CatalogNode {
        name: Some("Datensicherung".into()),
        description: Some("Daten werden täglich gesichert.".into()),
        ..node("ds-1", None, 1)
    };
    n.translations.insert(
        "en".into(),
        Translation {
            name: Some("Backup".into()),
            description: None,
        },
    );

    let en = n.clone().localized("en");
    assert_eq!(en.name.as_deref(), Some("Backup"));
    assert_eq!(
        en.description.as_deref(),
        Some("Daten werden täglich gesichert."),
        "without a translated description the original stays"
    );
    assert_eq!(n.clone().localized("fr"), n);
}
