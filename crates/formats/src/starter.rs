//! The starter catalog shipped with Verbund: "Verbund Einstiegskatalog Informationssicherheit
//! für Kommunen" (`catalogs/verbund-starter.yaml`).
//!
//! A self-worded first check for municipalities (German, with English translations):
//! 19 topics (organisation, backup, patching, e-mail, remote access, awareness, emergency
//! management, ...), each with questions answerable with *ja / teilweise / nein /
//! entbehrlich*, a hint what "ja" means, and one priority: `P1` (sofort), `P2`
//! (kurzfristig), `P3` (mittelfristig). No BSI or ISO wording is used.
//!
//! The YAML (CISO Assistant library format) is compiled into the binary, so the catalog is
//! available without any file on disk.

use verbund_domain::catalog::Catalog;

use crate::catalog::ciso_assistant;

/// File name under which the starter catalog is offered for download or import.
pub const STARTER_FILE_NAME: &str = "verbund-starter.yaml";

/// The starter catalog as a CISO Assistant library (YAML text), e.g. for a download link
/// or to import it like an uploaded file.
pub const STARTER_YAML: &str = include_str!("../../../catalogs/verbund-starter.yaml");

/// The starter catalog, parsed and validated.
///
/// Cannot fail at run time: the embedded file is fixed at compile time and a unit test
/// checks that it parses and validates.
pub fn starter_catalog() -> Catalog {
    ciso_assistant::parse(STARTER_YAML.as_bytes())
        .expect("the embedded starter catalog parses; its unit test checks that")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_catalog_parses_and_validates() {
        let c = starter_catalog();
        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.urn, "urn:verbund:risk:framework:verbund-starter");
        assert_eq!(c.locale, "de");
        assert_eq!(c.provider.as_deref(), Some("Verbund"));
        assert!(c.translations.contains_key("en"));
    }

    #[test]
    fn starter_catalog_has_enough_topics_and_questions() {
        let c = starter_catalog();
        assert_eq!(c.topics().count(), 19);
        assert_eq!(c.assessable_count(), 130);
        for topic in c.topics() {
            assert!(!topic.assessable, "{:?}", topic.ref_id);
            let n = c.children_of(&topic.urn).filter(|q| q.assessable).count();
            assert!(
                (5..=10).contains(&n),
                "{:?} has {n} questions",
                topic.ref_id
            );
        }
    }

    #[test]
    fn every_question_has_one_priority_and_an_english_version() {
        let c = starter_catalog();
        let groups: Vec<&str> = c
            .implementation_groups
            .iter()
            .map(|g| g.ref_id.as_str())
            .collect();
        assert_eq!(groups, ["P1", "P2", "P3"]);
        for q in c.nodes.iter().filter(|n| n.assessable) {
            let id = q.ref_id.as_deref().unwrap_or(&q.urn);
            assert_eq!(q.implementation_groups.len(), 1, "{id}");
            assert!(
                q.description.as_deref().is_some_and(|d| d.contains('?')),
                "{id} asks a question"
            );
            let en = q
                .translations
                .get("en")
                .and_then(|t| t.description.as_deref());
            assert!(
                en.is_some_and(|d| d.contains('?')),
                "{id} has no English question"
            );
        }
        for p in ["P1", "P2", "P3"] {
            let n = c
                .nodes
                .iter()
                .filter(|q| q.implementation_groups.iter().any(|g| g == p))
                .count();
            assert!(n >= 10, "{p}: {n}");
        }
    }
}
