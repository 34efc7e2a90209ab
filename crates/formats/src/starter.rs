//! The starter catalog shipped with Verbund: "Verbund Grundschutz-Start für Kommunen".
//!
//! A self-worded first check for municipalities (German, with English translations):
//! 19 topics in the spirit of a basic municipal security check (backup, patching,
//! e-mail, remote access, awareness, emergency management, ...), each with five to seven
//! questions answerable with *ja / teilweise / nein / entbehrlich*, a short help text and
//! one priority: `P1` (sofort), `P2` (kurzfristig), `P3` (mittelfristig). The text is the
//! project's own work under CC0; no BSI or ISO wording is used.
//!
//! The YAML (CISO Assistant library format) lives in `starter/` beside `src/` and is
//! compiled into the binary, so the catalog is available without any file on disk.

use verbund_domain::catalog::Catalog;

use crate::catalog::ciso_assistant;

/// File name under which the starter catalog is offered for download or import.
pub const STARTER_FILE_NAME: &str = "verbund-grundschutz-start.yaml";

/// The starter catalog as a CISO Assistant library (YAML text), e.g. for a download link
/// or to import it like an uploaded file.
pub const STARTER_YAML: &str = include_str!("../starter/verbund-grundschutz-start.yaml");

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
    use std::collections::HashSet;

    use super::*;

    fn questions(c: &Catalog) -> Vec<&verbund_domain::catalog::CatalogNode> {
        c.nodes.iter().filter(|n| n.assessable).collect()
    }

    #[test]
    fn starter_catalog_parses_and_validates() {
        let c = starter_catalog();

        assert_eq!(c.validate(), Ok(()));
        assert_eq!(
            c.urn,
            "urn:verbund:risk:framework:verbund-grundschutz-start"
        );
        assert_eq!(c.locale, "de");
        assert_eq!(c.provider.as_deref(), Some("Verbund"));
        assert_eq!(
            c.copyright.as_deref(),
            Some("Eigenes Werk des Verbund-Projekts, frei verwendbar (CC0)")
        );
        assert!(c.translations.contains_key("en"));
    }

    #[test]
    fn starter_catalog_has_enough_topics_and_questions() {
        let c = starter_catalog();

        assert!(c.topics().count() >= 19, "{} topics", c.topics().count());
        assert!(
            c.assessable_count() >= 90,
            "{} questions",
            c.assessable_count()
        );
    }

    #[test]
    fn every_topic_has_five_to_seven_questions() {
        let c = starter_catalog();
        for topic in c.topics() {
            assert!(!topic.assessable, "{:?}", topic.ref_id);
            let n = c.children_of(&topic.urn).filter(|q| q.assessable).count();
            assert!((5..=7).contains(&n), "{:?} has {n} questions", topic.ref_id);
        }
    }

    #[test]
    fn every_question_has_help_text_one_priority_and_an_english_version() {
        let c = starter_catalog();
        let groups: Vec<&str> = c
            .implementation_groups
            .iter()
            .map(|g| g.ref_id.as_str())
            .collect();
        assert_eq!(groups, ["P1", "P2", "P3"]);

        for q in questions(&c) {
            let id = q.ref_id.as_deref().unwrap_or(&q.urn);
            assert!(q.guidance.is_some(), "{id} has no help text");
            assert_eq!(q.implementation_groups.len(), 1, "{id}");
            assert!(
                groups.contains(&q.implementation_groups[0].as_str()),
                "{id}"
            );
            assert!(
                q.description.as_deref().is_some_and(|d| d.ends_with('?')),
                "{id}"
            );
            let en = q
                .translations
                .get("en")
                .and_then(|t| t.description.as_deref());
            assert!(
                en.is_some_and(|d| d.ends_with('?')),
                "{id} has no English question"
            );
        }
    }

    #[test]
    fn every_topic_has_an_english_name_and_description() {
        let c = starter_catalog();
        for t in c.topics() {
            let en = t.translations.get("en").expect("English translation");
            assert!(
                en.name.is_some() && en.description.is_some(),
                "{:?}",
                t.ref_id
            );
        }
        for g in &c.implementation_groups {
            assert!(g.translations.contains_key("en"), "{}", g.ref_id);
        }
    }

    #[test]
    fn ref_ids_follow_the_vs_scheme_and_are_unique() {
        let c = starter_catalog();
        let mut seen = HashSet::new();
        for n in &c.nodes {
            let r = n.ref_id.as_deref().expect("every node has a ref_id");
            assert!(seen.insert(r), "duplicate {r}");
            let parts: Vec<&str> = r.split('.').collect();
            assert_eq!(parts[0], "VS", "{r}");
            assert!(parts[1].len() == 3 && parts[1].chars().all(|ch| ch.is_ascii_uppercase()));
            assert_eq!(parts.len(), if n.assessable { 3 } else { 2 }, "{r}");
            assert!(n.urn.starts_with("urn:verbund:risk:req_node:"), "{}", n.urn);
            assert!(n.urn.ends_with(&r.to_lowercase()), "{}", n.urn);
        }
    }

    #[test]
    fn every_priority_is_used() {
        let c = starter_catalog();
        for p in ["P1", "P2", "P3"] {
            let n = questions(&c)
                .iter()
                .filter(|q| q.implementation_groups.iter().any(|g| g == p))
                .count();
            assert!(n >= 10, "{p}: {n}");
        }
    }
}
