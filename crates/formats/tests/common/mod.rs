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

/// The variable that turns a missing dataset from a skip into a failure; `.ci/run` sets it.
pub const REQUIRE_DATASETS: &str = "VERBUND_REQUIRE_DATASETS";

/// Bytes of a real file under the shared datasets folder (`$VERBUND_DATASETS`, default
/// `<workspace>/../shared/datasets`), or `None` with a note when it cannot be read, so that the
/// suite also passes where the datasets are not available. Panics instead, naming the path,
/// when `VERBUND_REQUIRE_DATASETS=1` (as in CI), so that the real-data tests cannot silently
/// stop running there.
pub fn dataset(relative: &str) -> Option<Vec<u8>> {
    let root = std::env::var_os("VERBUND_DATASETS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/datasets"));
    let path = root.join(relative);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if datasets_required() => panic!(
            "dataset {} not readable ({e}) and {REQUIRE_DATASETS}=1: \
             provide the shared datasets there or point VERBUND_DATASETS at them",
            path.display()
        ),
        Err(e) => {
            eprintln!(
                "note: skipping, dataset {} not readable: {e} (set {REQUIRE_DATASETS}=1 to fail)",
                path.display()
            );
            None
        }
    }
}

/// Whether `VERBUND_REQUIRE_DATASETS` asks for the datasets (any value but empty or `0`).
fn datasets_required() -> bool {
    std::env::var(REQUIRE_DATASETS).is_ok_and(|v| !v.is_empty() && v != "0")
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
