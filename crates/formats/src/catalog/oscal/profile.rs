//! Resolving an OSCAL profile (e.g. the NIST LOW baseline) against its catalog.
//!
//! What is applied: every `imports[]` entry with `include-all` or `include-controls`
//! (`with-ids`, `matching` patterns with `*` and `?`, `with-child-controls: yes`), minus
//! its `exclude-controls`. All imports select from the one catalog given: their `href`
//! is not followed. The result keeps the catalog's structure (OSCAL `merge: as-is`):
//! the selected controls plus their ancestors, so that the hierarchy stays; an ancestor
//! that was not itself selected (a group, or a base control of a selected enhancement)
//! is kept as a non-assessable node.
//!
//! What is ignored: `merge` (flat or custom structures) and `modify` (parameter settings
//! and alterations of control text): the controls keep their catalog text.
//! Excluding an id the catalog lacks is ignored; including one is an error.

use std::collections::{HashMap, HashSet};

use verbund_domain::catalog::{Catalog, SourceFormat};

use super::model::{RawProfile, Selection};
use super::{Header, missing, parse_catalog};
use crate::catalog::de::{self, clean, order};
use crate::catalog::error::ImportError;

/// Resolves an OSCAL profile (JSON) against an already imported OSCAL catalog.
///
/// The result has the profile's title and version, `source` [`SourceFormat::OscalProfile`],
/// `urn` = `urn:oscal:<profile uuid>`, and the catalog's node URNs, so answers map
/// between the baseline and the full catalog.
///
/// Fails like [`parse_catalog`] on malformed JSON and missing fields, with
/// [`ImportError::NotOscalCatalog`] for a catalog from another source, and with
/// [`ImportError::UnknownControls`] listing every selected id the catalog lacks.
pub fn resolve_profile(profile_bytes: &[u8], catalog: &Catalog) -> Result<Catalog, ImportError> {
    if !matches!(
        catalog.source,
        SourceFormat::Oscal | SourceFormat::OscalProfile
    ) {
        return Err(ImportError::NotOscalCatalog {
            urn: catalog.urn.clone(),
        });
    }
    let doc: super::RawDocument = de::from_json(de::text(profile_bytes)?)?;
    let profile = doc.profile.ok_or_else(|| missing("profile"))?;
    resolve(profile, catalog)
}

/// Parses an OSCAL catalog and resolves a profile against it; see [`resolve_profile`].
///
/// Errors in the catalog are reported as by [`parse_catalog`].
pub fn resolve_profile_bytes(
    profile_bytes: &[u8],
    catalog_bytes: &[u8],
) -> Result<Catalog, ImportError> {
    resolve_profile(profile_bytes, &parse_catalog(catalog_bytes)?)
}

/// The catalog's tree in index form, with OSCAL ids recovered from the node URNs
/// (`urn:oscal:<uuid>:<id>`; OSCAL ids cannot contain a colon).
struct Tree<'a> {
    ids: HashMap<&'a str, usize>,
    parents: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
}

impl<'a> Tree<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        let by_urn: HashMap<&str, usize> = catalog
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.urn.as_str(), i))
            .collect();
        let mut ids = HashMap::new();
        let mut parents = Vec::with_capacity(catalog.nodes.len());
        let mut children = vec![Vec::new(); catalog.nodes.len()];
        for (i, n) in catalog.nodes.iter().enumerate() {
            let id = n.urn.rsplit_once(':').map_or(n.urn.as_str(), |(_, id)| id);
            ids.entry(id).or_insert(i);
            let parent = n.parent_urn.as_deref().and_then(|p| by_urn.get(p).copied());
            if let Some(children) = parent.and_then(|p| children.get_mut(p)) {
                children.push(i);
            }
            parents.push(parent);
        }
        Self {
            ids,
            parents,
            children,
        }
    }

    /// Sets `marks` for the nodes a selection names (and their descendants if asked);
    /// ids the catalog lacks go to `unknown`.
    fn apply(&self, sel: &Selection, marks: &mut [bool], value: bool, unknown: &mut Vec<String>) {
        let with_children = sel.with_child_controls.as_deref().map(str::trim) == Some("yes");
        let mut hits = Vec::new();
        for id in &sel.with_ids {
            match self.ids.get(id.trim()) {
                Some(&i) => hits.push(i),
                None => unknown.push(id.trim().to_owned()),
            }
        }
        for pattern in sel.matching.iter().filter_map(|m| m.pattern.as_deref()) {
            hits.extend(
                self.ids
                    .iter()
                    .filter(|(id, _)| glob(pattern.trim(), id))
                    .map(|(_, &i)| i),
            );
        }
        let mut seen = HashSet::new();
        while let Some(i) = hits.pop() {
            // `seen` keeps a malformed tree (a node listed under two parents) from making
            // the walk revisit nodes.
            if !seen.insert(i) {
                continue;
            }
            if let Some(m) = marks.get_mut(i) {
                *m = value;
            }
            if with_children {
                hits.extend(self.children.get(i).into_iter().flatten());
            }
        }
    }
}

fn resolve(profile: RawProfile, catalog: &Catalog) -> Result<Catalog, ImportError> {
    let uuid = clean(profile.uuid).ok_or_else(|| missing("profile.uuid"))?;
    let metadata = profile
        .metadata
        .as_ref()
        .ok_or_else(|| missing("profile.metadata"))?;
    let header = Header::read(metadata, "profile")?;
    let imports = profile
        .imports
        .filter(|i| !i.is_empty())
        .ok_or_else(|| missing("profile.imports"))?;

    let tree = Tree::new(catalog);
    let n = catalog.nodes.len();
    let mut selected = vec![false; n];
    let mut unknown = Vec::new();
    for (k, import) in imports.iter().enumerate() {
        let mut chosen = vec![import.include_all.is_some(); n];
        if import.include_all.is_none() && import.include_controls.is_empty() {
            return Err(missing(format!(
                "profile.imports[{k}].include-controls (or include-all)"
            )));
        }
        for sel in &import.include_controls {
            tree.apply(sel, &mut chosen, true, &mut unknown);
        }
        for sel in &import.exclude_controls {
            tree.apply(sel, &mut chosen, false, &mut Vec::new());
        }
        selected.iter_mut().zip(chosen).for_each(|(s, c)| *s |= c);
    }
    if !unknown.is_empty() {
        let mut seen = HashSet::new();
        unknown.retain(|id| seen.insert(id.clone()));
        return Err(ImportError::UnknownControls { ids: unknown });
    }

    let mut kept = selected.clone();
    for start in (0..n).filter(|&i| selected[i]) {
        let mut current = start;
        // Stops at the first ancestor already kept, which also ends a parent cycle.
        while let Some(p) = tree.parents.get(current).copied().flatten() {
            match kept.get_mut(p) {
                Some(k) if !*k => *k = true,
                _ => break,
            }
            current = p;
        }
    }
    let nodes = catalog
        .nodes
        .iter()
        .zip(kept.iter().zip(&selected))
        .filter(|(_, (kept, _))| **kept)
        .enumerate()
        .map(|(i, (node, (_, &selected)))| {
            let mut node = node.clone();
            node.assessable &= selected;
            node.order = order(i);
            node
        })
        .collect();

    let result = Catalog {
        urn: format!("urn:oscal:{uuid}"),
        ref_id: header.document_id.unwrap_or(uuid),
        name: header.title,
        description: header.remarks,
        version: header.version,
        locale: catalog.locale.clone(),
        provider: header.provider.or_else(|| catalog.provider.clone()),
        copyright: catalog.copyright.clone(),
        source: SourceFormat::OscalProfile,
        translations: Default::default(),
        implementation_groups: catalog.implementation_groups.clone(),
        nodes,
    };
    result.validate()?;
    Ok(result)
}

/// Matches OSCAL `matching` patterns: `*` any run of characters, `?` one character.
/// Iterative with single backtracking, so any pattern runs in linear-times-pattern time.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || Some(&c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn glob_matches_oscal_patterns() {
        assert!(glob("ac-*", "ac-2.1"));
        assert!(glob("*", ""));
        assert!(glob("ac-?", "ac-2"));
        assert!(!glob("ac-?", "ac-22"));
        assert!(glob("*.1", "ac-2.1"));
        assert!(!glob("*.1", "ac-2.10"));
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(!glob("", "a"));
    }
}
