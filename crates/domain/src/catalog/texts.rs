//! A catalog's texts in the reader's language, for pages that show requirements and topics
//! from other sources than the catalog itself (assessment rows, the comparison's topics).

use std::collections::HashMap;

use super::CatalogNode;

/// Translated names and descriptions of one catalog in one language, looked up by a
/// requirement's URN, a node's `ref_id` or a topic's original name. Empty where the catalog
/// carries no translation into that language; every lookup then answers `None` and the
/// original text stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalizedTexts {
    by_urn: HashMap<String, (Option<String>, Option<String>)>,
    name_by_ref: HashMap<String, String>,
    name_by_name: HashMap<String, String>,
}

fn given(s: Option<&String>) -> Option<String> {
    s.filter(|v| !v.trim().is_empty()).cloned()
}

impl LocalizedTexts {
    /// The translations into `lang` of `nodes` (a missing or blank translated field keeps
    /// the original, as [`CatalogNode::localized`] does).
    pub fn new(nodes: &[CatalogNode], lang: &str) -> Self {
        let mut t = Self::default();
        for n in nodes {
            let Some(tr) = n.translations.get(lang) else {
                continue;
            };
            let name = given(tr.name.as_ref());
            let description = given(tr.description.as_ref());
            if name.is_none() && description.is_none() {
                continue;
            }
            if let Some(en) = &name {
                if let Some(r) = &n.ref_id {
                    t.name_by_ref.insert(r.clone(), en.clone());
                }
                if let Some(orig) = &n.name {
                    t.name_by_name
                        .entry(orig.clone())
                        .or_insert_with(|| en.clone());
                }
            }
            t.by_urn.insert(n.urn.clone(), (name, description));
        }
        t
    }

    /// Whether nothing is translated.
    pub fn is_empty(&self) -> bool {
        self.by_urn.is_empty()
    }

    /// The translated name of the requirement `urn`.
    pub fn name(&self, urn: &str) -> Option<&str> {
        self.by_urn.get(urn).and_then(|(n, _)| n.as_deref())
    }

    /// The translated description of the requirement `urn`.
    pub fn description(&self, urn: &str) -> Option<&str> {
        self.by_urn.get(urn).and_then(|(_, d)| d.as_deref())
    }

    /// The translated name of the node with `ref_id` (a requirement's parent).
    pub fn name_of_ref(&self, ref_id: &str) -> Option<&str> {
        self.name_by_ref.get(ref_id).map(String::as_str)
    }

    /// The translated name of a topic, by its `ref_id` or else its original name.
    pub fn topic(&self, ref_id: Option<&str>, name: &str) -> Option<&str> {
        ref_id
            .and_then(|r| self.name_of_ref(r))
            .or_else(|| self.name_by_name.get(name).map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Translation;

    fn node(urn: &str, ref_id: Option<&str>, name: &str, en: Option<(&str, &str)>) -> CatalogNode {
        let mut n = CatalogNode::new(urn);
        n.ref_id = ref_id.map(str::to_owned);
        n.name = Some(name.to_owned());
        n.description = Some(format!("{name} (Text)"));
        if let Some((en_name, en_desc)) = en {
            n.translations.insert(
                "en".into(),
                Translation {
                    name: Some(en_name.to_owned()),
                    description: Some(en_desc.to_owned()),
                },
            );
        }
        n
    }

    #[test]
    fn requirements_topics_and_parents_are_found_in_the_readers_language() {
        let nodes = [
            node(
                "urn:t:ds",
                Some("DS"),
                "Datensicherung",
                Some(("Backup", "")),
            ),
            node(
                "urn:t:ds-1",
                Some("DS-1"),
                "Sicherungskonzept",
                Some(("Backup concept", "There is a written backup concept.")),
            ),
            node("urn:t:ds-2", Some("DS-2"), "Wiederherstellung", None),
        ];

        let en = LocalizedTexts::new(&nodes, "en");

        assert_eq!(en.name("urn:t:ds-1"), Some("Backup concept"));
        assert_eq!(
            en.description("urn:t:ds-1"),
            Some("There is a written backup concept.")
        );
        assert_eq!(
            en.description("urn:t:ds"),
            None,
            "a blank translation keeps the original"
        );
        assert_eq!(
            en.name("urn:t:ds-2"),
            None,
            "untranslated: the original stands"
        );
        assert_eq!(en.name_of_ref("DS-1"), Some("Backup concept"));
        assert_eq!(en.topic(Some("DS"), "Datensicherung"), Some("Backup"));
        assert_eq!(
            en.topic(None, "Datensicherung"),
            Some("Backup"),
            "by the original name"
        );
        assert_eq!(en.topic(Some("XY"), "Unbekannt"), None);
    }

    #[test]
    fn a_language_the_catalog_does_not_carry_gives_nothing() {
        let nodes = [node(
            "urn:t:ds",
            Some("DS"),
            "Datensicherung",
            Some(("Backup", "")),
        )];

        let fr = LocalizedTexts::new(&nodes, "fr");

        assert!(fr.is_empty());
        assert_eq!(fr.topic(Some("DS"), "Datensicherung"), None);
    }
}
