//! Broken and foreign files: every failure must say what is wrong and where.

mod common;

use common::fixture;
use verbund_formats::catalog::{
    DataFormat, ImportError, Position, ciso_assistant, import_auto, oscal,
};

fn tiny_yaml() -> String {
    String::from_utf8(fixture("tiny-ciso.yaml")).expect("fixture is UTF-8")
}

fn tiny_catalog_json() -> String {
    String::from_utf8(fixture("tiny-oscal-catalog.json")).expect("fixture is UTF-8")
}

fn line_of(text: &str, needle: &str) -> u64 {
    let index = text
        .lines()
        .position(|l| l.contains(needle))
        .expect("needle is in the text");
    index as u64 + 1
}

fn yaml_error(text: &str) -> ImportError {
    ciso_assistant::parse(text.as_bytes()).expect_err("broken library must not import")
}

#[test]
fn yaml_syntax_error_reports_line_and_column() {
    let text = tiny_yaml().replace("      name: Updates\n", "      name: Up: dates\n");
    let err = yaml_error(&text);
    let ImportError::Syntax {
        format: DataFormat::Yaml,
        position: Some(p),
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(p.line, line_of(&text, "Up: dates"), "{err}");
    assert!(
        err.to_string()
            .starts_with(&format!("YAML syntax error at line {}, column", p.line))
    );
}

#[test]
fn yaml_bad_indentation_reports_its_line() {
    let text = tiny_yaml().replace("  framework:\n", "  framework:\n bad: indent\n");
    let err = yaml_error(&text);
    assert!(matches!(err, ImportError::Syntax { .. }), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("line {}", line_of(&text, " bad: indent"))),
        "{err}"
    );
}

#[test]
fn yaml_wrong_type_names_path_and_position() {
    let text = tiny_yaml().replace(
        "      assessable: true\n      depth: 3\n",
        "      assessable: maybe\n      depth: 3\n",
    );
    let err = yaml_error(&text);
    let line = line_of(&text, "assessable: maybe");
    let ImportError::InvalidValue { path, position, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "objects.framework.requirement_nodes[3].assessable");
    assert_eq!(position.map(|p| p.line), Some(line));
    assert!(
        err.to_string().starts_with(&format!(
            "invalid value at objects.framework.requirement_nodes[3].assessable (line {line}, column 19): "
        )),
        "{err}"
    );
}

#[test]
fn missing_node_urn_names_its_path() {
    let text = tiny_yaml().replace(
        "    - urn: urn:test:risk:req_node:tiny:org.1.1\n",
        "    - urn: ''\n",
    );
    assert_eq!(
        yaml_error(&text).to_string(),
        "missing required field objects.framework.requirement_nodes[2].urn"
    );
}

#[test]
fn missing_framework_name_names_its_path() {
    let text = tiny_yaml()
        .replace("    name: Kleiner Testkatalog (Framework)\n", "")
        .replace("name: Kleiner Testkatalog\n", "");
    assert_eq!(
        yaml_error(&text).to_string(),
        "missing required field objects.framework.name"
    );
}

#[test]
fn unknown_parent_names_the_node() {
    let text = tiny_yaml().replace(
        "      parent_urn: urn:test:risk:req_node:tiny:org.1\n      ref_id: ORG.1.2\n",
        "      parent_urn: urn:test:risk:req_node:tiny:gone\n      ref_id: ORG.1.2\n",
    );
    assert_eq!(
        yaml_error(&text).to_string(),
        "the catalog is inconsistent: node ORG.1.2 (urn:test:risk:req_node:tiny:org.1.2): parent \
         urn:test:risk:req_node:tiny:gone does not exist"
    );
}

#[test]
fn inconsistent_depth_names_the_node() {
    let text = tiny_yaml().replace(
        "      depth: 2\n      parent_urn: urn:test:risk:req_node:tiny:tech\n",
        "      depth: 5\n      parent_urn: urn:test:risk:req_node:tiny:tech\n",
    );
    assert_eq!(
        yaml_error(&text).to_string(),
        "the catalog is inconsistent: node TECH.1 (urn:test:risk:req_node:tiny:tech.1): depth is 5, \
         expected 2 (parent depth + 1, topics 1)"
    );
}

#[test]
fn duplicate_urn_and_undefined_group_name_the_node() {
    let dup = tiny_yaml().replace("tiny:tech.1\n", "tiny:org.1.2\n");
    assert!(yaml_error(&dup).to_string().contains(
        "node TECH.1 (urn:test:risk:req_node:tiny:org.1.2): urn is already used by node #3"
    ));
    let group = tiny_yaml().replace(
        "implementation_groups: [S]",
        "implementation_groups: [S, X]",
    );
    assert!(yaml_error(&group).to_string().ends_with("node ORG.1.2 (urn:test:risk:req_node:tiny:org.1.2): implementation group X is not defined in the catalog"));
}

#[test]
fn library_without_framework_is_refused() {
    let text = "urn: urn:x:lib\nversion: 1\nobjects:\n  risk_matrix:\n  - urn: urn:x:matrix\n";
    assert_eq!(yaml_error(text).to_string(), "no framework in library");
    assert_eq!(
        import_auto(text.as_bytes(), "matrix.yaml")
            .unwrap_err()
            .to_string(),
        "no framework in library"
    );
}

#[test]
fn oscal_catalog_without_title_names_the_path() {
    let text = tiny_catalog_json().replace("\"title\": \"Tiny OSCAL test catalog\",", "");
    let err = oscal::parse_catalog(text.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing required field catalog.metadata.title"
    );
}

#[test]
fn oscal_control_without_id_names_the_path() {
    let text = tiny_catalog_json().replace("\"id\": \"xx-2\",", "");
    let err = oscal::parse_catalog(text.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing required field catalog.groups[0].controls[1].id"
    );
}

#[test]
fn oscal_duplicate_control_id_is_an_inconsistency() {
    let text = tiny_catalog_json().replace("\"id\": \"xx-9\"", "\"id\": \"xx-2\"");
    let err = oscal::parse_catalog(text.as_bytes()).unwrap_err();
    assert!(matches!(err, ImportError::Invalid(_)), "{err}");
    assert!(
        err.to_string().contains(
            "node XX-2 (urn:oscal:00000000-0000-4000-8000-000000000001:xx-2): urn is already used"
        ),
        "{err}"
    );
}

#[test]
fn json_syntax_error_reports_line_and_column() {
    let text = tiny_catalog_json().replace("\"title\": \"Policy\",", "\"title\": \"Policy\",,");
    let err = oscal::parse_catalog(text.as_bytes()).unwrap_err();
    let line = line_of(&text, "\"Policy\",,");
    let ImportError::Syntax {
        format: DataFormat::Json,
        position: Some(Position { line: l, .. }),
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(l, line);
    let truncated = &tiny_catalog_json()[..500];
    let err = import_auto(truncated.as_bytes(), "cut.json").unwrap_err();
    assert!(
        err.to_string().starts_with("JSON syntax error at line "),
        "{err}"
    );
}

#[test]
fn json_wrong_type_names_the_path() {
    let text = tiny_catalog_json().replace(
        "\"title\": \"Second Control\"",
        "\"title\": [\"Second Control\"]",
    );
    let err = oscal::parse_catalog(text.as_bytes()).unwrap_err();
    let ImportError::InvalidValue {
        path,
        position: Some(_),
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(path, "catalog.groups[0].controls[1].title");
}

#[test]
fn profile_selecting_unknown_controls_lists_them() {
    let catalog = oscal::parse_catalog(&fixture("tiny-oscal-catalog.json")).unwrap();
    let profile = String::from_utf8(fixture("tiny-oscal-profile.json"))
        .unwrap()
        .replace(
            "[\"xx-1.1\", \"xx-2\"]",
            "[\"xx-1.1\", \"zz-7\", \"xx-2\", \"zz-8\"]",
        );
    let err = oscal::resolve_profile(profile.as_bytes(), &catalog).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the profile selects 2 control(s) that are not in the catalog: zz-7, zz-8"
    );
}

#[test]
fn profile_against_a_non_oscal_catalog_is_refused() {
    let catalog = ciso_assistant::parse(&fixture("tiny-ciso.yaml")).unwrap();
    let err = oscal::resolve_profile(&fixture("tiny-oscal-profile.json"), &catalog).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a profile can only be resolved against an OSCAL catalog, not urn:test:risk:framework:tiny"
    );
}

#[test]
fn empty_files_are_refused() {
    for bytes in [&b""[..], b"  \n\t\n", b"\xEF\xBB\xBF\n"] {
        assert_eq!(
            import_auto(bytes, "x.yaml").unwrap_err().to_string(),
            "the file is empty"
        );
        assert!(matches!(
            ciso_assistant::parse(bytes),
            Err(ImportError::Empty)
        ));
        assert!(matches!(
            oscal::parse_catalog(bytes),
            Err(ImportError::Empty)
        ));
    }
}

#[test]
fn binary_files_are_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(
        import_auto(png, "logo.png").unwrap_err().to_string(),
        "the file is not a text file (binary or non-UTF-8 content at byte 0)"
    );
    let latin1 = b"name: Gr\xfc\xdfe\n";
    assert!(matches!(
        import_auto(latin1, "x.yaml"),
        Err(ImportError::NotText { offset: 8 })
    ));
    let pdf_like = b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n";
    assert!(matches!(
        oscal::parse_catalog(pdf_like),
        Err(ImportError::NotText { .. })
    ));
}

#[test]
fn foreign_documents_are_not_recognised() {
    let cases = [
        (
            "ssp.json",
            r#"{"system-security-plan": {"uuid": "x"}}"#,
            "an OSCAL system-security-plan is not a requirement catalog",
        ),
        (
            "data.json",
            r#"{"hello": 1}"#,
            "JSON without a top-level `catalog` (OSCAL catalog) or `profile` (OSCAL profile)",
        ),
        (
            "b.xml",
            "<?xml version=\"1.0\"?><catalog/>",
            "XML is not supported; use the JSON form of OSCAL documents",
        ),
        (
            "config.yaml",
            "server:\n  port: 8080\n",
            "YAML without `objects.framework`, so not a CISO Assistant library",
        ),
        (
            "cat.yaml",
            "catalog:\n  uuid: x\n",
            "OSCAL in YAML is not supported; use the JSON form",
        ),
        (
            "notes.txt",
            "just some words",
            "neither a JSON object nor a YAML mapping at the top level",
        ),
        (
            "list.json",
            "[1, 2]",
            "neither a JSON object nor a YAML mapping at the top level",
        ),
    ];
    for (name, text, hint) in cases {
        let err = import_auto(text.as_bytes(), name).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{name}: file format not recognised: {hint}")
        );
    }
    let err = import_auto(b"a: b: c\n", "README.md").unwrap_err();
    assert!(err.to_string().starts_with("README.md: file format not recognised: neither JSON nor YAML (YAML syntax error at line 1"), "{err}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 5_000;
    let groups = format!(
        "{{\"catalog\": {{\"groups\": {}{}}}}}",
        "[{\"groups\": ".repeat(depth),
        "[]}]".repeat(depth)
    );
    let err = import_auto(groups.as_bytes(), "deep.json").unwrap_err();
    assert!(
        err.to_string().contains("recursion limit exceeded"),
        "{err}"
    );
    let parts = format!(
        "{{\"catalog\": {}{}}}",
        "{\"parts\": [".repeat(depth),
        "]}".repeat(depth)
    );
    assert!(import_auto(parts.as_bytes(), "deep.json").is_err());
    let flow = format!("objects: {}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(import_auto(flow.as_bytes(), "deep.yaml").is_err());
    let block: String = (0..depth)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let err = import_auto(block.as_bytes(), "deep.yaml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "YAML syntax error at line 65, column 65: the document is nested more than 64 levels deep"
    );
}

/// "Billion laughs": nine levels of ten aliases each would expand to 10^9 strings.
fn billion_laughs(at: &str) -> String {
    let mut yaml = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9 {
        let p = i - 1;
        yaml.push_str(&format!(
            "l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
        ));
    }
    yaml.push_str(at);
    yaml
}

#[test]
fn alias_expansion_is_bounded() {
    for tail in [
        "objects: *l8\n",
        "translations: *l8\n",
        "dependencies: *l8\n",
        "objects:\n  framework:\n    urn: urn:x:f\n    name: F\n    requirement_nodes: *l8\n",
    ] {
        let started = std::time::Instant::now();

        let err = import_auto(billion_laughs(tail).as_bytes(), "laughs.yaml").unwrap_err();

        let took = started.elapsed();
        // Unbounded, the expansion would need 10^9 nodes (minutes and gigabytes); the bound
        // stops it in milliseconds. 10 s leaves room for a debug build on a loaded machine.
        assert!(
            took < std::time::Duration::from_secs(10),
            "{tail}: took {took:?}"
        );
        assert!(
            err.to_string().ends_with(
                "the document repeats anchored parts (*alias) more often than the YAML reader \
                 allows"
            ),
            "{tail}: {err}"
        );
    }
}

#[test]
fn cyclic_parents_are_reported_not_looped() {
    let yaml = "version: 1\nobjects:\n  framework:\n    urn: urn:x:f\n    ref_id: f\n    name: F\n    requirement_nodes:\n    - urn: urn:x:a\n      parent_urn: urn:x:b\n    - urn: urn:x:b\n      parent_urn: urn:x:a\n";
    assert_eq!(
        yaml_error(yaml).to_string(),
        "the catalog is inconsistent: node urn:x:a: its parent chain forms a cycle"
    );
}
