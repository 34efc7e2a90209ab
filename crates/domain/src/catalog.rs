//! Requirement catalogs (frameworks) as imported from CISO Assistant libraries, OSCAL
//! catalogs and profiles, or written in Verbund itself.
//!
//! A catalog is a flat list of nodes in document order; the hierarchy is given by
//! `parent_urn`. Topics (top-level nodes) have depth 1, their children depth 2, and so
//! on. Only assessable nodes are answered in an assessment; the others structure the
//! catalog. Parsing lives in the `formats` crate; this module holds the model and the
//! consistency rules every importer result must satisfy ([`Catalog::validate`]).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

mod diff;
pub mod texts;
mod validate;

pub use diff::{CatalogDiff, DiffItem, diff};
pub use validate::{CatalogError, NodeRef};

/// Which kind of document a catalog came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// A CISO Assistant library (YAML, `objects.framework`).
    CisoAssistant,
    /// A NIST OSCAL catalog (JSON).
    Oscal,
    /// A NIST OSCAL profile resolved against its catalog (e.g. a baseline).
    OscalProfile,
    /// Written or assembled in Verbund itself, not imported from a file.
    Verbund,
}

/// Name and description of a catalog, node or group in another language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// Translated name, if the source gives one.
    pub name: Option<String>,
    /// Translated description, if the source gives one.
    pub description: Option<String>,
}

/// An implementation group (e.g. BSI "Basis"/"Standard", or our priorities P1–P3):
/// a label that requirements refer to so that a member can work on a subset first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImplementationGroup {
    /// Short identifier that nodes refer to, e.g. `B` or `P1`.
    pub ref_id: String,
    /// Display name; importers fall back to `ref_id` when the source has none.
    pub name: String,
    /// Longer explanation, if any.
    pub description: Option<String>,
    /// Other languages, keyed by locale (e.g. `en`).
    pub translations: BTreeMap<String, Translation>,
}

/// One node of a catalog: a topic, a grouping or an assessable requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogNode {
    /// Globally unique identifier, e.g. `urn:intuitem:risk:req_node:nist-sp-800-53-rev5:ac-1`.
    pub urn: String,
    /// URN of the parent node; `None` for topics.
    pub parent_urn: Option<String>,
    /// Human-facing identifier such as `AC-1` or `ISMS.1.A1`; some sources omit it.
    pub ref_id: Option<String>,
    /// Short title; BSI requirements often have only a description.
    pub name: Option<String>,
    /// The requirement text (for OSCAL: the flattened statement).
    pub description: Option<String>,
    /// Explanatory text kept apart from the requirement itself: OSCAL `guidance`,
    /// CISO Assistant `annotation`.
    pub guidance: Option<String>,
    /// Whether members answer this node in an assessment.
    pub assessable: bool,
    /// 1 for topics, parent depth + 1 below. 0 only transiently, meaning "not given by
    /// the source" until [`Catalog::fill_missing_depths`] runs.
    pub depth: u32,
    /// Position in document order, starting at 0.
    pub order: u32,
    /// `ref_id`s of the implementation groups this node belongs to.
    pub implementation_groups: Vec<String>,
    /// Other languages, keyed by locale (e.g. `en`).
    pub translations: BTreeMap<String, Translation>,
}

impl CatalogNode {
    /// A node with the given URN and everything else empty (depth 0 = not yet known);
    /// importers fill in the rest.
    pub fn new(urn: impl Into<String>) -> Self {
        Self {
            urn: urn.into(),
            parent_urn: None,
            ref_id: None,
            name: None,
            description: None,
            guidance: None,
            assessable: false,
            depth: 0,
            order: 0,
            implementation_groups: Vec::new(),
            translations: BTreeMap::new(),
        }
    }

    /// The node's identity for messages: its `ref_id` and URN.
    pub fn node_ref(&self) -> NodeRef {
        NodeRef {
            ref_id: self.ref_id.clone(),
            urn: self.urn.clone(),
        }
    }
}

/// A requirement catalog (framework) as imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Globally unique identifier of the catalog (the framework URN, or
    /// `urn:oscal:<uuid>` for OSCAL documents).
    pub urn: String,
    /// Short identifier, e.g. `NIST-SP-800-53-rev5`.
    pub ref_id: String,
    /// Display name.
    pub name: String,
    /// Longer description, if any.
    pub description: Option<String>,
    /// The source's version, e.g. `1` or `5.0.1`.
    pub version: String,
    /// Language of names and descriptions, e.g. `de` or `en`.
    pub locale: String,
    /// Who publishes the content (e.g. `BSI`, `NIST`).
    pub provider: Option<String>,
    /// Copyright or licence statement of the content.
    pub copyright: Option<String>,
    /// Which kind of document this came from.
    pub source: SourceFormat,
    /// Catalog-level name/description in other languages, keyed by locale.
    pub translations: BTreeMap<String, Translation>,
    /// Implementation groups that nodes may refer to.
    pub implementation_groups: Vec<ImplementationGroup>,
    /// All nodes in document order.
    pub nodes: Vec<CatalogNode>,
}

impl CatalogNode {
    /// The node as a reader of language `lang` sees it: name and description from its
    /// translation into `lang` where the catalog carries one (each on its own; a missing
    /// translated description keeps the original), otherwise as they are.
    pub fn localized(mut self, lang: &str) -> CatalogNode {
        if let Some(t) = self.translations.get(lang) {
            if let Some(name) = t.name.clone().filter(|n| !n.trim().is_empty()) {
                self.name = Some(name);
            }
            if let Some(d) = t.description.clone().filter(|d| !d.trim().is_empty()) {
                self.description = Some(d);
            }
        }
        self
    }
}

impl Catalog {
    /// Checks the structural rules: unique URNs, existing parents without cycles, depth =
    /// parent depth + 1 (1 for topics), unique and defined implementation groups.
    ///
    /// Fails with the first violation found, naming the node by `ref_id` and URN.
    pub fn validate(&self) -> Result<(), CatalogError> {
        validate::validate(self)
    }

    /// Number of nodes members answer.
    pub fn assessable_count(&self) -> usize {
        self.nodes.iter().filter(|n| n.assessable).count()
    }

    /// The node with this URN, if any.
    pub fn node(&self, urn: &str) -> Option<&CatalogNode> {
        self.nodes.iter().find(|n| n.urn == urn)
    }

    /// Direct children of the node with this URN, in document order.
    pub fn children_of<'a>(&'a self, urn: &'a str) -> impl Iterator<Item = &'a CatalogNode> + 'a {
        self.nodes
            .iter()
            .filter(move |n| n.parent_urn.as_deref() == Some(urn))
    }

    /// Top-level nodes (those without a parent), in document order.
    pub fn topics(&self) -> impl Iterator<Item = &CatalogNode> {
        self.nodes.iter().filter(|n| n.parent_urn.is_none())
    }

    /// Sets the depth of every node whose depth is 0 ("not given by the source") from its
    /// ancestors: 1 for topics, parent depth + 1 below.
    ///
    /// Nodes with a missing parent or on (or below) a parent cycle keep depth 0, so that
    /// [`Catalog::validate`] reports them.
    pub fn fill_missing_depths(&mut self) {
        let index: HashMap<&str, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.urn.as_str(), i))
            .collect();
        let parents: Vec<Option<usize>> = self
            .nodes
            .iter()
            .map(|n| n.parent_urn.as_deref().and_then(|p| index.get(p).copied()))
            .collect();
        let mut depths: Vec<u32> = self.nodes.iter().map(|n| n.depth).collect();
        // Per node: 0 = not looked at, 1 = on the chain being walked, 2 = unreachable
        // (missing parent or cycle). Marking keeps the whole pass linear.
        let mut state = vec![0u8; depths.len()];
        let mut chain = Vec::new();
        for start in 0..depths.len() {
            chain.clear();
            let mut current = start;
            let base = loop {
                if depths[current] != 0 {
                    break Some(depths[current]);
                }
                if state[current] != 0 {
                    break None;
                }
                state[current] = 1;
                chain.push(current);
                match (&self.nodes[current].parent_urn, parents[current]) {
                    (None, _) => break Some(0),
                    (Some(_), Some(parent)) => current = parent,
                    (Some(_), None) => break None,
                }
            };
            match base {
                Some(mut depth) => {
                    for &i in chain.iter().rev() {
                        depth = depth.saturating_add(1);
                        depths[i] = depth;
                    }
                }
                None => chain.iter().for_each(|&i| state[i] = 2),
            }
        }
        for (node, depth) in self.nodes.iter_mut().zip(depths) {
            node.depth = depth;
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
