//! Times catalog imports: min and median of 10 runs per file, plus node counts.
//!
//! ```text
//! cargo run --release -p verbund-formats --example bench_import -- <file>...
//! ```
//!
//! Files go through `import_auto`. An OSCAL profile is resolved against the last OSCAL
//! catalog named before it on the command line (timing the profile step only).

use std::time::{Duration, Instant};

use verbund_formats::catalog::{Catalog, ImportError, SourceFormat, import_auto, oscal};

const RUNS: usize = 10;

fn main() -> std::process::ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: bench_import <file>...");
        return std::process::ExitCode::FAILURE;
    }
    println!(
        "{:<48} {:>9} {:>9} {:>9} {:>6} {:>10} {:>6}",
        "file", "KiB", "min ms", "median ms", "nodes", "assessable", "topics"
    );
    let mut last_oscal: Option<Catalog> = None;
    let mut failed = false;
    for path in &files {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
                continue;
            }
        };
        let name = path.rsplit('/').next().unwrap_or(path);
        let import = || -> Result<Catalog, ImportError> {
            match import_auto(&bytes, name) {
                Err(ImportError::ProfileNeedsCatalog) => match &last_oscal {
                    Some(catalog) => oscal::resolve_profile(&bytes, catalog),
                    None => Err(ImportError::ProfileNeedsCatalog),
                },
                other => other,
            }
        };
        let mut times = Vec::with_capacity(RUNS);
        let mut result = None;
        for _ in 0..RUNS {
            let start = Instant::now();
            let r = import();
            times.push(start.elapsed());
            result = Some(r);
        }
        times.sort();
        match result {
            Some(Ok(catalog)) => {
                println!(
                    "{:<48} {:>9.0} {:>9.1} {:>9.1} {:>6} {:>10} {:>6}",
                    name,
                    bytes.len() as f64 / 1024.0,
                    ms(times.first()),
                    ms(times.get(RUNS / 2)),
                    catalog.nodes.len(),
                    catalog.assessable_count(),
                    catalog.topics().count()
                );
                if catalog.source == SourceFormat::Oscal {
                    last_oscal = Some(catalog);
                }
            }
            Some(Err(e)) => {
                println!("{name:<48} error: {e}");
                failed = true;
            }
            None => {}
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}

fn ms(d: Option<&Duration>) -> f64 {
    d.map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}
