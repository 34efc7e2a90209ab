//! Consistency rules for imported catalogs.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use super::Catalog;

/// Identifies a node in error messages: `AC-1 (urn:…:ac-1)`, or just the URN when the
/// node has no `ref_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeRef {
    /// The node's `ref_id`, if it has one.
    pub ref_id: Option<String>,
    /// The node's URN.
    pub urn: String,
}

impl fmt::Display for NodeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ref_id {
            Some(r) => write!(f, "{r} ({})", self.urn),
            None => write!(f, "{}", self.urn),
        }
    }
}

/// A violated catalog rule, naming the offending node or group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum CatalogError {
    /// The catalog itself has no URN.
    #[error("the catalog has an empty urn")]
    EmptyCatalogUrn,
    /// A node has an empty URN; `order` is its position in the document (from 0).
    #[error("node #{order} has an empty urn")]
    EmptyUrn {
        /// Position of the node in document order.
        order: u32,
    },
    /// Two nodes share a URN.
    #[error("node {node}: urn is already used by node #{first_order}")]
    DuplicateUrn {
        /// The later of the two nodes.
        node: NodeRef,
        /// Position of the first node with that URN.
        first_order: u32,
    },
    /// A node names a parent that is not in the catalog.
    #[error("node {node}: parent {parent_urn} does not exist")]
    UnknownParent {
        /// The child.
        node: NodeRef,
        /// The parent URN it names.
        parent_urn: String,
    },
    /// Following `parent_urn` from this node leads back to it.
    #[error("node {node}: its parent chain forms a cycle")]
    Cycle {
        /// A node on the cycle.
        node: NodeRef,
    },
    /// A node's depth is not its parent's depth + 1 (or 1 for a topic).
    #[error("node {node}: depth is {depth}, expected {expected} (parent depth + 1, topics 1)")]
    DepthMismatch {
        /// The node.
        node: NodeRef,
        /// The depth it has.
        depth: u32,
        /// The depth its parent implies.
        expected: u32,
    },
    /// An implementation group `ref_id` is defined twice.
    #[error("implementation group {ref_id} is defined twice")]
    DuplicateImplementationGroup {
        /// The repeated `ref_id`.
        ref_id: String,
    },
    /// A name or text holds characters that are not allowed: control characters (line
    /// breaks and tabs too, in names), Unicode noncharacters or text-direction controls
    /// (see [`crate::validation::is_forbidden_char`]).
    #[error("{place}: the {field} holds control or text-direction characters")]
    InvalidText {
        /// Where: `the catalog`, `node AC-1 (urn:…)`, `implementation group B`.
        place: String,
        /// Which text, e.g. `name` or `description (en)`.
        field: String,
    },
    /// A node refers to an implementation group the catalog does not define.
    #[error("node {node}: implementation group {group} is not defined in the catalog")]
    UnknownImplementationGroup {
        /// The node.
        node: NodeRef,
        /// The undefined group `ref_id`.
        group: String,
    },
}

pub(super) fn validate(catalog: &Catalog) -> Result<(), CatalogError> {
    if catalog.urn.trim().is_empty() {
        return Err(CatalogError::EmptyCatalogUrn);
    }
    check_texts(catalog)?;
    let mut groups = HashSet::new();
    for g in &catalog.implementation_groups {
        if !groups.insert(g.ref_id.as_str()) {
            return Err(CatalogError::DuplicateImplementationGroup {
                ref_id: g.ref_id.clone(),
            });
        }
    }

    let nodes = &catalog.nodes;
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(nodes.len());
    for (i, n) in nodes.iter().enumerate() {
        if n.urn.trim().is_empty() {
            return Err(CatalogError::EmptyUrn { order: n.order });
        }
        if let Some(&first) = index.get(n.urn.as_str()) {
            let first_order = nodes.get(first).map_or(0, |f| f.order);
            return Err(CatalogError::DuplicateUrn {
                node: n.node_ref(),
                first_order,
            });
        }
        index.insert(n.urn.as_str(), i);
    }

    let mut parents = Vec::with_capacity(nodes.len());
    for n in nodes {
        let parent = match &n.parent_urn {
            None => None,
            Some(p) => match index.get(p.as_str()) {
                Some(&i) => Some(i),
                None => {
                    return Err(CatalogError::UnknownParent {
                        node: n.node_ref(),
                        parent_urn: p.clone(),
                    });
                }
            },
        };
        parents.push(parent);
    }
    check_acyclic(catalog, &parents)?;

    for (n, parent) in nodes.iter().zip(&parents) {
        let expected = match parent {
            None => 1,
            Some(p) => nodes.get(*p).map_or(0, |p| p.depth).saturating_add(1),
        };
        if n.depth != expected {
            return Err(CatalogError::DepthMismatch {
                node: n.node_ref(),
                depth: n.depth,
                expected,
            });
        }
        if let Some(g) = n
            .implementation_groups
            .iter()
            .find(|g| !groups.contains(g.as_str()))
        {
            return Err(CatalogError::UnknownImplementationGroup {
                node: n.node_ref(),
                group: g.clone(),
            });
        }
    }
    Ok(())
}

/// Names, identifiers and titles are single lines; descriptions may have line feeds and
/// tabs. Neither may hold other control characters, noncharacters or text-direction
/// controls: they end up in documents, spreadsheets and page titles.
fn check_texts(catalog: &Catalog) -> Result<(), CatalogError> {
    use crate::validation::is_forbidden_char;
    use std::collections::BTreeMap;

    use super::Translation;

    struct Place<'a>(&'a dyn Fn() -> String);
    let check = |place: &Place<'_>, field: &str, text: Option<&str>, multiline: bool| match text {
        Some(t) if t.chars().any(|c| is_forbidden_char(c, multiline)) => {
            Err(CatalogError::InvalidText {
                place: (place.0)(),
                field: field.to_owned(),
            })
        }
        _ => Ok(()),
    };
    let translations = |place: &Place<'_>, t: &BTreeMap<String, Translation>| {
        t.iter().try_for_each(|(locale, t)| {
            check(place, &format!("name ({locale})"), t.name.as_deref(), false)?;
            check(
                place,
                &format!("description ({locale})"),
                t.description.as_deref(),
                true,
            )
        })
    };

    let place = Place(&|| "the catalog".to_owned());
    for (field, text) in [
        ("urn", &catalog.urn),
        ("ref_id", &catalog.ref_id),
        ("name", &catalog.name),
        ("version", &catalog.version),
        ("locale", &catalog.locale),
    ] {
        check(&place, field, Some(text), false)?;
    }
    check(&place, "provider", catalog.provider.as_deref(), false)?;
    check(&place, "description", catalog.description.as_deref(), true)?;
    check(&place, "copyright", catalog.copyright.as_deref(), true)?;
    translations(&place, &catalog.translations)?;
    for g in &catalog.implementation_groups {
        let place = Place(&|| format!("implementation group {}", g.ref_id));
        check(&place, "ref_id", Some(&g.ref_id), false)?;
        check(&place, "name", Some(&g.name), false)?;
        check(&place, "description", g.description.as_deref(), true)?;
        translations(&place, &g.translations)?;
    }
    for n in &catalog.nodes {
        let place = Place(&|| format!("node {}", n.node_ref()));
        check(&place, "urn", Some(&n.urn), false)?;
        check(&place, "parent_urn", n.parent_urn.as_deref(), false)?;
        check(&place, "ref_id", n.ref_id.as_deref(), false)?;
        check(&place, "name", n.name.as_deref(), false)?;
        check(&place, "description", n.description.as_deref(), true)?;
        check(&place, "guidance", n.guidance.as_deref(), true)?;
        translations(&place, &n.translations)?;
    }
    Ok(())
}

/// Reports a node on a parent cycle, if any. Linear: each node is walked once.
fn check_acyclic(catalog: &Catalog, parents: &[Option<usize>]) -> Result<(), CatalogError> {
    const UNSEEN: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNSEEN; parents.len()];
    let mut path = Vec::new();
    for start in 0..parents.len() {
        path.clear();
        let mut current = Some(start);
        while let Some(i) = current {
            match state.get(i).copied() {
                Some(UNSEEN) => {
                    state[i] = ON_PATH;
                    path.push(i);
                    current = parents.get(i).copied().flatten();
                }
                Some(ON_PATH) => {
                    let node = catalog.nodes.get(i).map(|n| n.node_ref());
                    return Err(CatalogError::Cycle {
                        node: node.unwrap_or(NodeRef {
                            ref_id: None,
                            urn: String::new(),
                        }),
                    });
                }
                _ => break,
            }
        }
        for &i in &path {
            state[i] = DONE;
        }
    }
    Ok(())
}
