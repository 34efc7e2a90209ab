//! The shared datasets (`$VERBUND_DATASETS`, default `<workspace>/../shared/datasets`) for the
//! tests that import real files.

use std::path::PathBuf;

/// The variable that turns a missing dataset from a skip into a failure; `.ci/run` sets it.
pub const REQUIRE_DATASETS: &str = "VERBUND_REQUIRE_DATASETS";

/// Bytes of a file under the shared datasets folder, or `None` with a note when it cannot be
/// read, so the suite also passes where the datasets are absent. Panics instead, naming the
/// path, when `VERBUND_REQUIRE_DATASETS=1` (as in CI).
pub fn dataset(relative: &str) -> Option<Vec<u8>> {
    let root = std::env::var_os("VERBUND_DATASETS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/datasets"),
        PathBuf::from,
    );
    let path = root.join(relative);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if required() => panic!(
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
fn required() -> bool {
    std::env::var(REQUIRE_DATASETS).is_ok_and(|v| !v.is_empty() && v != "0")
}
