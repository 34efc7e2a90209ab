//! The risk objects of a CISO Assistant library: `objects.threats`,
//! `objects.reference_controls` and the `threats` each requirement node names.
//!
//! Read beside the framework (see [`super::ciso_assistant`]), so a library with only threats
//! or only controls imports as lists instead of being refused for lacking a framework. Names
//! and descriptions are taken from the German translation where the library has one (the
//! product speaks German first), else from the library's own fields.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use verbund_domain::risk::library::{LibraryItem, RiskLibrary};

use super::de::{self, clean};
use super::error::ImportError;

#[derive(Deserialize)]
struct RawLibrary {
    urn: Option<String>,
    name: Option<String>,
    objects: Option<RawObjects>,
}

#[derive(Deserialize)]
struct RawObjects {
    threats: Option<Vec<RawItem>>,
    reference_controls: Option<Vec<RawItem>>,
    framework: Option<RawFramework>,
    frameworks: Option<Vec<RawFramework>>,
}

#[derive(Deserialize)]
struct RawFramework {
    requirement_nodes: Option<Vec<RawNode>>,
}

#[derive(Deserialize)]
struct RawNode {
    urn: Option<String>,
    threats: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct RawItem {
    urn: Option<String>,
    ref_id: Option<String>,
    name: Option<String>,
    description: Option<String>,
    translations: Option<BTreeMap<String, Option<RawTranslation>>>,
}

#[derive(Deserialize)]
struct RawTranslation {
    name: Option<String>,
    description: Option<String>,
}

/// Reads the threats, reference controls and requirement→threat links of a CISO Assistant
/// library (YAML). A library without them gives an empty [`RiskLibrary`].
///
/// Fails on YAML syntax errors (line and column), wrong value types, and a threat or control
/// without `urn` or `name`, or a library with them but without `urn` (each with its path).
pub fn parse(bytes: &[u8]) -> Result<RiskLibrary, ImportError> {
    let raw: RawLibrary = de::from_yaml(de::text(bytes)?)?;
    let Some(objects) = raw.objects else {
        return Ok(RiskLibrary::default());
    };
    let threats = items(objects.threats, "objects.threats")?;
    let controls = items(objects.reference_controls, "objects.reference_controls")?;
    if threats.is_empty() && controls.is_empty() {
        return Ok(RiskLibrary::default());
    }
    let urn = clean(raw.urn)
        .ok_or_else(|| ImportError::MissingField { path: "urn".into() })?
        .to_lowercase();
    let known: BTreeSet<&str> = threats.iter().map(|t| t.urn.as_str()).collect();
    let mut links = BTreeSet::new();
    let nodes = objects
        .framework
        .into_iter()
        .chain(objects.frameworks.into_iter().flatten())
        .flat_map(|f| f.requirement_nodes.into_iter().flatten());
    for n in nodes {
        let Some(req) = clean(n.urn) else { continue };
        for t in n.threats.into_iter().flatten() {
            let t = t.trim().to_lowercase();
            // Links to threats of other libraries are not followed: only what this file
            // brings is known here.
            if known.contains(t.as_str()) {
                links.insert((req.to_lowercase(), t));
            }
        }
    }
    Ok(RiskLibrary {
        name: clean(raw.name).unwrap_or_else(|| urn.clone()),
        urn,
        threats,
        controls,
        links: links.into_iter().collect(),
    })
}

fn items(raw: Option<Vec<RawItem>>, path: &str) -> Result<Vec<LibraryItem>, ImportError> {
    let mut seen = BTreeSet::new();
    let mut refs = BTreeSet::new();
    let mut out = Vec::new();
    for (i, item) in raw.into_iter().flatten().enumerate() {
        let missing = |field: &str| ImportError::MissingField {
            path: format!("{path}[{i}].{field}"),
        };
        let urn = clean(item.urn)
            .ok_or_else(|| missing("urn"))?
            .to_lowercase();
        let de_text = item.translations.and_then(|mut t| t.remove("de")).flatten();
        let (de_name, de_description) = de_text
            .map(|t| (clean(t.name), clean(t.description)))
            .unwrap_or_default();
        let name = de_name
            .or_else(|| clean(item.name))
            .ok_or_else(|| missing("name"))?;
        let mut ref_id =
            clean(item.ref_id).unwrap_or_else(|| urn.rsplit(':').next().unwrap_or(&urn).to_owned());
        // References are unique within a library's list (the store keys threats by them);
        // a repeated one gets the URN's last part added.
        if refs.contains(&ref_id) {
            ref_id = format!("{ref_id} ({})", urn.rsplit(':').next().unwrap_or(&urn));
        }
        // A library listing the same URN twice keeps the first; the store's key is the URN.
        if seen.insert(urn.clone()) {
            refs.insert(ref_id.clone());
            out.push(LibraryItem {
                urn,
                ref_id,
                name,
                description: de_description.or_else(|| clean(item.description)),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const THREATS_ONLY: &str = r#"
urn: urn:test:risk:library:kommunal-threats
name: Kommunale Gefährdungen
objects:
  threats:
    - urn: urn:test:risk:threat:k-01
      ref_id: K.01
      name: Ransomware in the town hall
      description: Encryption of file servers.
      translations:
        de:
          name: Ransomware im Rathaus
          description: Verschlüsselung der Dateiserver.
    - urn: URN:TEST:RISK:THREAT:K-02
      name: Ausfall des Landesrechenzentrums
    - urn: urn:test:risk:threat:k-01
      name: doppelt
"#;

    #[test]
    fn a_threats_only_library_reads_as_a_list_in_german_where_it_can() {
        let lib = parse(THREATS_ONLY.as_bytes()).unwrap();

        assert_eq!(lib.urn, "urn:test:risk:library:kommunal-threats");
        assert_eq!(
            lib.source(),
            "import:urn:test:risk:library:kommunal-threats"
        );
        assert_eq!(lib.threats.len(), 2, "the duplicate URN is kept once");
        assert_eq!(lib.threats[0].name, "Ransomware im Rathaus");
        assert_eq!(
            lib.threats[0].description.as_deref(),
            Some("Verschlüsselung der Dateiserver.")
        );
        assert_eq!(lib.threats[1].ref_id, "k-02", "the URN's last part");
        assert!(lib.controls.is_empty() && lib.links.is_empty());
    }

    #[test]
    fn requirement_links_are_kept_only_for_threats_of_the_library() {
        let yaml = r#"
urn: urn:test:lib
name: L
objects:
  threats:
    - {urn: "urn:test:t:1", name: T1}
  reference_controls:
    - {urn: "urn:test:rc:1", ref_id: RC.1, name: Backup-Konzept}
  framework:
    urn: urn:test:fw
    requirement_nodes:
      - {urn: "urn:test:req:a", threats: ["urn:test:t:1", "urn:other:t:9"]}
      - {urn: "urn:test:req:b"}
"#;
        let lib = parse(yaml.as_bytes()).unwrap();

        assert_eq!(
            lib.links,
            [("urn:test:req:a".to_owned(), "urn:test:t:1".to_owned())]
        );
        assert_eq!(lib.controls[0].ref_id, "RC.1");
    }

    #[test]
    fn a_framework_without_risk_objects_gives_an_empty_library() {
        let yaml = "urn: u\nobjects:\n  framework:\n    urn: f\n    requirement_nodes: []\n";
        assert!(parse(yaml.as_bytes()).unwrap().is_empty());
    }

    #[test]
    fn a_threat_without_name_is_refused_with_its_path() {
        let yaml = "urn: u\nobjects:\n  threats:\n    - urn: t1\n";
        let e = parse(yaml.as_bytes()).unwrap_err();
        assert!(e.to_string().contains("objects.threats[0].name"), "{e}");
    }
}
