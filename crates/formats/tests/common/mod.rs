//! Shared helpers for the importer tests: fixture and dataset locations.

#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

use verbund_domain::catalog::CatalogNode;
use verbund_formats::catalog::Catalog;

/// The workspace root (`/work/main` on the dev machine).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Bytes of a file in `crates/formats/fixtures/`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Bytes of a real file under the shared datasets folder (`$VERBUND_DATASETS`, default
/// `<workspace>/../shared/datasets`), or `None` with a note when the folder is missing,
/// so that the suite also passes where the datasets are not available.
pub fn dataset(relative: &str) -> Option<Vec<u8>> {
    let root = std::env::var_os("VERBUND_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/datasets"));
    let path = root.join(relative);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            eprintln!(
                "note: skipping, dataset {} not readable: {e}",
                path.display()
            );
            None
        }
    }
}

/// The node with this `ref_id`; panics naming it if absent.
pub fn by_ref<'a>(catalog: &'a Catalog, ref_id: &str) -> &'a CatalogNode {
    catalog
        .nodes
        .iter()
        .find(|n| n.ref_id.as_deref() == Some(ref_id))
        .unwrap_or_else(|| panic!("no node {ref_id} in {}", catalog.urn))
}

/// The `ref_id` of a node's parent.
pub fn parent_ref<'a>(catalog: &'a Catalog, node: &CatalogNode) -> Option<&'a str> {
    let parent = node.parent_urn.as_deref()?;
    catalog.node(parent)?.ref_id.as_deref()
}

/// Number of nodes that belong to an implementation group.
pub fn in_group(catalog: &Catalog, group: &str) -> usize {
    catalog
        .nodes
        .iter()
        .filter(|n| n.implementation_groups.iter().any(|g| g == group))
        .count()
}
