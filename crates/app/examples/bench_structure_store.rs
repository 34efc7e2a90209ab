//! Times protection-need recomputes through the store, on SQLite and PostgreSQL:
//!
//! 1. a member with 2,000 objects and 6,000 links (the shape of `bench_structure` in the domain
//!    crate): the import, a full recompute that rewrites the changed values (switching which
//!    link types pass needs on recomputes every object), and one process's need changing;
//! 2. the demo with `BENCH_SCALE` generated members (default 11,000), 20 objects each, all
//!    relying on the demo provider's hosted registration procedure (`KRZ-EWO`): changing that
//!    provider object's need, and one member's process whose need reaches it.
//!
//! ```text
//! cargo build --release --workspace --examples --locked
//! target/release/examples/bench_structure_store
//! ```
//!
//! `BENCH_PG` names the PostgreSQL server (default `postgres://postgres@127.0.0.1:5432/postgres`;
//! `off` runs SQLite only); the benchmark works in its own schema `bench_structure`, dropped
//! before and after with `psql`. `BENCH_RUNS` sets the repetitions per figure (default 10).
//! Figures, not pass/fail: min and median in milliseconds.

use std::time::{Duration, Instant};

use verbund_app::demo;
use verbund_domain::authz::{Scope, SystemAccess};
use verbund_domain::page::PageRequest;
use verbund_domain::structure::{
    Category, Direction, Goal, LinkType, ObjectInput, RawObject, model::ObjectFilter,
};
use verbund_domain::{OrgId, StructureObjectId};
use verbund_store::{AuditActor, LinkEnd, Store};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const SYSTEM: SystemAccess = SystemAccess {
    reason: "benchmark",
};
const SCHEMA: &str = "bench_structure";

/// A small deterministic generator, so every run times the same structure.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// 2,000 objects in six layers (processes, applications, servers, rooms, networks, lines) and
/// 6,000 links between neighbouring layers, with a pair of servers needing each other now and
/// then; the 150 processes carry needs.
/// Links of an import: (from short id, to, type).
type ImportLinks = Vec<(String, LinkEnd, LinkType)>;

fn member_structure() -> Res<(Vec<ObjectInput>, ImportLinks)> {
    let layers = [
        (150usize, "business_process", LinkType::ProcessesDataOf),
        (500, "application", LinkType::RunsOn),
        (900, "server", LinkType::LocatedIn),
        (300, "room", LinkType::LocatedIn),
        (100, "network", LinkType::CommunicatesOver),
        (50, "communication_link", LinkType::CommunicatesOver),
    ];
    let mut rng = Lcg(42);
    let mut objects = Vec::new();
    let mut ranges = Vec::new();
    for (count, t, _) in layers {
        let start = objects.len();
        for _ in 0..count {
            let k = objects.len() + 1;
            objects.push(
                RawObject {
                    short_id: format!("O{k:04}"),
                    name: format!("Objekt {k}"),
                    object_type: t.into(),
                    ..RawObject::default()
                }
                .validate()?,
            );
        }
        ranges.push(start..objects.len());
    }
    let short = |i: usize| objects[i].short_id.as_str().to_owned();
    let mut links = std::collections::BTreeSet::new();
    while links.len() < 6_000 {
        let layer = rng.below(layers.len() - 1);
        let (from_r, to_r) = (&ranges[layer], &ranges[layer + 1]);
        let a = from_r.start + rng.below(from_r.len());
        let b = to_r.start + rng.below(to_r.len());
        let lt = layers[layer + 1].2;
        let (f, t) = if lt == LinkType::ProcessesDataOf {
            (b, a)
        } else {
            (a, b)
        };
        links.insert((short(f), short(t), lt));
        if links.len() % 500 == 0 {
            let s = &ranges[2];
            let (x, y) = (s.start + rng.below(s.len()), s.start + rng.below(s.len()));
            if x != y {
                links.insert((short(x), short(y), LinkType::CommunicatesOver));
                links.insert((short(y), short(x), LinkType::CommunicatesOver));
            }
        }
    }
    Ok((
        objects,
        links
            .into_iter()
            .map(|(f, t, lt)| (f, LinkEnd::Own(t), lt))
            .collect(),
    ))
}

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

async fn object_by_short(store: &Store, org: Option<OrgId>, short: &str) -> Res<StructureObjectId> {
    let filter = ObjectFilter {
        org,
        search: Some(short.to_lowercase()),
        ..ObjectFilter::default()
    };
    let page = store
        .list_structure_objects(
            &Scope::system(&SYSTEM),
            &filter,
            PageRequest::new(Some(1), Some(50)),
        )
        .await?;
    page.items
        .into_iter()
        .find(|o| o.short_id == short)
        .map(|o| o.id)
        .ok_or_else(|| format!("no object {short}").into())
}

async fn org_named(store: &Store, name: &str) -> Res<OrgId> {
    let orgs = store
        .list_orgs(
            &Scope::system(&SYSTEM),
            None,
            PageRequest::new(Some(1), Some(200)),
        )
        .await?;
    orgs.items
        .into_iter()
        .find(|o| o.name == name)
        .map(|o| o.id)
        .ok_or_else(|| format!("no organisation {name}").into())
}

/// Sets (`Some`) or clears a need `runs` times in turn and times each call.
async fn flip_need(
    store: &Store,
    object: StructureObjectId,
    goal: Goal,
    values: [Option<Category>; 2],
    runs: usize,
) -> Res<Vec<Duration>> {
    let by = AuditActor::system();
    let scope = Scope::system(&SYSTEM);
    let mut times = Vec::with_capacity(runs);
    for k in 0..runs {
        let v = values[k % 2].map(|c| (c, None, "Benchmark".to_owned()));
        let t = Instant::now();
        store
            .set_structure_need(&by, &scope, object, goal, v)
            .await?;
        times.push(t.elapsed());
    }
    Ok(times)
}

async fn member_part(store: &Store, runs: usize) -> Res<()> {
    demo::seed_federation(store).await?;
    let fed = store.federation().await?.ok_or("no federation")?;
    let org = org_named(store, "Riedstadt").await?;
    let (objects, links) = member_structure()?;
    let by = AuditActor::system();
    let scope = Scope::system(&SYSTEM);
    let t = Instant::now();
    let (created, _, added) = store
        .import_structure(&by, &scope, org, &objects, &links)
        .await?;
    println!(
        "  import of {created} objects and {added} links (first computation included): {:.0} ms",
        ms(t.elapsed())
    );
    let mut settings = store.structure_settings().await?;
    let mut times = Vec::with_capacity(runs);
    for k in 0..runs {
        settings.propagation.communicates_over = if k % 2 == 0 {
            Direction::None
        } else {
            Direction::Forward
        };
        let t = Instant::now();
        store
            .save_structure_settings(&by, fed.id, &settings)
            .await?;
        times.push(t.elapsed());
    }
    println!(
        "  full recompute of all {} objects, writing what changed (link type switched on/off): {}",
        objects.len(),
        summary(times)
    );
    let process = object_by_short(store, Some(org), "O0001").await?;
    let times = flip_need(
        store,
        process,
        Goal::Availability,
        [Some(Category::VeryHigh), Some(Category::Normal)],
        runs,
    )
    .await?;
    println!(
        "  one process's availability changed (incremental): {}",
        summary(times)
    );
    Ok(())
}

async fn scale_part(store: &Store, members: usize, runs: usize) -> Res<()> {
    demo::seed(store).await?;
    let opts = demo::scale::ScaleOptions {
        members,
        catalog_items: 20,
        gemeinden_csv: None,
        seed: 2026,
    };
    let t = Instant::now();
    let report = demo::scale::generate(store, &opts, |_| {}).await?;
    println!(
        "  generated {members} members with {} objects relying on {}: {:.1} s",
        report.structure_objects,
        demo::scale_structure::SHARED_SHORT_ID,
        t.elapsed().as_secs_f64()
    );
    let shared = demo::scale_structure::shared_object(store)
        .await?
        .ok_or("no shared provider object")?;
    let times = flip_need(
        store,
        shared,
        Goal::Confidentiality,
        [Some(Category::VeryHigh), None],
        runs,
    )
    .await?;
    println!(
        "  provider object's confidentiality set to sehr hoch / cleared: {}",
        summary(times)
    );
    let town = org_named(store, "Gemeinde 00001").await?;
    let process = object_by_short(store, Some(town), "GP-MELD").await?;
    let times = flip_need(
        store,
        process,
        Goal::Availability,
        [Some(Category::VeryHigh), Some(Category::Normal)],
        runs,
    )
    .await?;
    println!(
        "  one member's Meldewesen availability changed (reaches the provider object): {}",
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

async fn on_backend(name: &str, url: &str, members: usize, runs: usize) -> Res<()> {
    let fresh = || async {
        if url.starts_with("postgres") {
            psql(url, &format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))?;
        } else {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{url}{suffix}"));
            }
        }
        let store = Store::connect_in_schema(url, Some(SCHEMA)).await?;
        store.migrate(false).await?;
        Res::Ok(store)
    };
    println!("{name}: member with 2,000 objects and 6,000 links");
    let store = fresh().await?;
    member_part(&store, runs).await?;
    store.close().await;
    if members > 0 {
        println!("{name}: {members} generated members sharing one provider object");
        let store = fresh().await?;
        scale_part(&store, members, runs).await?;
        store.close().await;
    }
    if url.starts_with("postgres") {
        psql(url, &format!("DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))?;
    } else {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{url}{suffix}"));
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Res<()> {
    let env_num = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let members = env_num("BENCH_SCALE", 11_000);
    let runs = env_num("BENCH_RUNS", 10).max(2);
    let sqlite =
        std::env::temp_dir().join(format!("verbund-bench-structure-{}.db", std::process::id()));
    on_backend("SQLite", &sqlite.to_string_lossy(), members, runs).await?;
    let pg = std::env::var("BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    if pg != "off" {
        on_backend("PostgreSQL", &pg, members, runs).await?;
    }
    Ok(())
}
