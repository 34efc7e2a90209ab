//! Times the bulk creation of measures ("Maßnahmen für alle offenen Anforderungen anlegen")
//! through the store, on SQLite and PostgreSQL: `BENCH_RUNS` members (default 10), each with
//! an assessment of a synthetic catalog of 1,000 requirements all answered *nein*; for each
//! member one call creates its 1,000 measures with their requirement links and one audit entry.
//! The issue's target: under 100 ms.
//!
//! ```text
//! cargo build --release --workspace --examples --locked
//! target/release/examples/bench_measures
//! ```
//!
//! `BENCH_PG` names the PostgreSQL server (default `postgres://postgres@127.0.0.1:5432/postgres`;
//! `off` runs SQLite only); the benchmark works in its own schema `bench_measures`, dropped
//! before and after with `psql`. Figures, not pass/fail: min, median and max in milliseconds.

use std::time::{Duration, Instant};

use verbund_app::demo;
use verbund_domain::assessment::{Answer, AnswerStatus};
use verbund_domain::authz::{Scope, SystemAccess};
use verbund_domain::measure::Priority;
use verbund_domain::org::{MembershipInput, OrgInput, OrgKind};
use verbund_store::{AuditActor, Store};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const SYSTEM: SystemAccess = SystemAccess {
    reason: "benchmark",
};
const SCHEMA: &str = "bench_measures";
const REQUIREMENTS: usize = 1_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(mut t: Vec<Duration>) -> String {
    t.sort();
    format!(
        "min {:.1} ms, median {:.1} ms, max {:.1} ms ({} runs)",
        ms(t[0]),
        ms(t[t.len() / 2]),
        ms(t[t.len() - 1]),
        t.len()
    )
}

async fn bulk(store: &Store, runs: usize) -> Res<()> {
    demo::seed_federation(store).await?;
    let fed = store.federation().await?.ok_or("no federation")?;
    let by = AuditActor::system();
    let catalog = demo::scale::synthetic_catalog(REQUIREMENTS);
    let (cat, _) = store
        .import_catalog(&by, fed.id, &catalog, "bench-measures")
        .await?;
    let inputs: Vec<OrgInput> = (0..runs)
        .map(|k| OrgInput {
            name: format!("Benchmark-Gemeinde {k:03}"),
            kind: OrgKind::Gemeinde,
            ags: None,
            population: Some(10_000),
            staff: None,
            it_workplaces: None,
            address: None,
        })
        .collect();
    let membership = MembershipInput {
        starts_on: verbund_domain::validation::parse_date("2026-01-01")?,
        ends_on: None,
        note: None,
    };
    let orgs = store
        .generate_members(&by, fed.id, &inputs, &membership)
        .await?;
    let unmet = vec![
        Answer {
            status: AnswerStatus::No,
            ..Answer::default()
        };
        REQUIREMENTS
    ];
    let members: Vec<_> = orgs.iter().map(|o| (*o, unmet.clone())).collect();
    let assessments = store
        .generate_assessments(&by, fed.id, cat.id, &members)
        .await?;
    let scope = Scope::system(&SYSTEM);
    let mut times = Vec::with_capacity(runs);
    for a in assessments {
        let t = Instant::now();
        let created = store
            .create_measures_from_unmet(&by, &scope, a, None, Priority::High)
            .await?;
        times.push(t.elapsed());
        if created.len() != REQUIREMENTS {
            return Err(format!(
                "created {} measures, expected {REQUIREMENTS}",
                created.len()
            )
            .into());
        }
    }
    println!(
        "  {REQUIREMENTS} measures from a member's {REQUIREMENTS} unmet answers (one call, linked, audited): {}",
        summary(times)
    );
    Ok(())
}

fn psql(url: &str, sql: &str) -> Res<()> {
    let status = std::process::Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
        .stderr(std::process::Stdio::null())
        .status()?;
    if !status.success() {
        return Err(format!("psql failed: {sql}").into());
    }
    Ok(())
}

fn clean(url: &str) -> Res<()> {
    if url.starts_with("postgres") {
        psql(url, &format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))?;
    } else {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{url}{suffix}"));
        }
    }
    Ok(())
}

async fn on_backend(name: &str, url: &str, runs: usize) -> Res<()> {
    clean(url)?;
    let store = Store::connect_in_schema(url, Some(SCHEMA)).await?;
    store.migrate(false).await?;
    println!("{name}:");
    bulk(&store, runs).await?;
    store.close().await;
    clean(url)
}

#[tokio::main]
async fn main() -> Res<()> {
    let runs = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10usize)
        .max(2);
    let sqlite =
        std::env::temp_dir().join(format!("verbund-bench-measures-{}.db", std::process::id()));
    on_backend("SQLite", &sqlite.to_string_lossy(), runs).await?;
    let pg = std::env::var("BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    if pg != "off" {
        on_backend("PostgreSQL", &pg, runs).await?;
    }
    Ok(())
}
