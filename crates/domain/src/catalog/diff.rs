//! What changes between two revisions of a catalog, for the requirements members answer:
//! the basis of the preview before an assessment moves to a new revision.

use serde::Serialize;

use super::CatalogNode;

/// One requirement in a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffItem {
    /// URN (the key answers are matched by).
    pub urn: String,
    /// `ref_id`, if any.
    pub ref_id: Option<String>,
    /// Short title or, without one, the start of the text.
    pub title: String,
}

/// Differences between the assessable requirements of two revisions, matched by URN.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CatalogDiff {
    /// Only in the new revision (start unanswered).
    pub added: Vec<DiffItem>,
    /// Only in the old revision (their answers are not carried over).
    pub removed: Vec<DiffItem>,
    /// In both, with a different title or text (answers are carried over; worth a look).
    pub changed: Vec<DiffItem>,
    /// In both and identical.
    pub unchanged: usize,
}

fn item(n: &CatalogNode) -> DiffItem {
    let title = n
        .name
        .clone()
        .or_else(|| n.description.as_ref().map(|d| d.chars().take(80).collect()))
        .unwrap_or_default();
    DiffItem {
        urn: n.urn.clone(),
        ref_id: n.ref_id.clone(),
        title,
    }
}

/// Compares the assessable nodes of `old` and `new` (each in document order): added and
/// changed in the new order, removed in the old order.
pub fn diff(old: &[CatalogNode], new: &[CatalogNode]) -> CatalogDiff {
    use std::collections::HashMap;
    let old_by: HashMap<&str, &CatalogNode> = old
        .iter()
        .filter(|n| n.assessable)
        .map(|n| (n.urn.as_str(), n))
        .collect();
    let new_by: HashMap<&str, &CatalogNode> = new
        .iter()
        .filter(|n| n.assessable)
        .map(|n| (n.urn.as_str(), n))
        .collect();
    let mut d = CatalogDiff::default();
    for n in new.iter().filter(|n| n.assessable) {
        match old_by.get(n.urn.as_str()) {
            None => d.added.push(item(n)),
            Some(o) if o.name != n.name || o.description != n.description => {
                d.changed.push(item(n))
            }
            Some(_) => d.unchanged += 1,
        }
    }
    d.removed = old
        .iter()
        .filter(|n| n.assessable && !new_by.contains_key(n.urn.as_str()))
        .map(item)
        .collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(urn: &str, name: &str, text: &str) -> CatalogNode {
        let mut n = CatalogNode::new(urn);
        n.name = Some(name.into());
        n.description = Some(text.into());
        n.assessable = true;
        n
    }

    #[test]
    fn requirements_are_matched_by_urn_and_sorted_into_added_removed_changed() {
        let mut topic = CatalogNode::new("t");
        topic.name = Some("Thema".into());
        let old = vec![
            topic.clone(),
            q("a", "Sicherung", "Gibt es?"),
            q("b", "Patches", "Werden?"),
            q("c", "Alt", "Weg?"),
        ];
        let new = vec![
            topic,
            q("b", "Patches", "Werden monatlich?"),
            q("a", "Sicherung", "Gibt es?"),
            q("d", "Neu", "Neu?"),
        ];
        let d = diff(&old, &new);
        let urns = |v: &[DiffItem]| v.iter().map(|i| i.urn.clone()).collect::<Vec<_>>();
        assert_eq!(urns(&d.added), ["d"]);
        assert_eq!(urns(&d.removed), ["c"]);
        assert_eq!(urns(&d.changed), ["b"]);
        assert_eq!(
            d.unchanged, 1,
            "the topic is not a requirement and does not count"
        );
    }

    #[test]
    fn identical_revisions_have_no_differences() {
        let old = vec![q("a", "A", "x?")];
        assert_eq!(
            diff(&old, &old),
            CatalogDiff {
                unchanged: 1,
                ..Default::default()
            }
        );
    }

    #[test]
    fn a_title_falls_back_to_the_text() {
        let mut n = q("z", "", "Eine sehr lange Frage?");
        n.name = None;
        assert_eq!(diff(&[], &[n]).added[0].title, "Eine sehr lange Frage?");
    }
}
