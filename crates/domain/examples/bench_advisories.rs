//! Times advisory matching at federation scale, in memory (the pure matcher the import and
//! the re-match run): 11,000 generated members with 50 products each (550,000 inventory
//! objects drawn from `BENCH_PRODUCTS` (default 2,500) products of 500 vendors, a third with
//! a CPE) against 1,000
//! generated advisories of 20 products each (exact versions, `vers:` ranges and CPEs, a
//! quarter fixed). Then the re-match after one inventory change: one object against all 1,000
//! advisories, as `verbund_app::advisories::rematch_object` does before its store call.
//!
//! ```text
//! cargo run --release -p verbund-domain --example bench_advisories
//! ```
//!
//! Figures, not pass/fail. The issue's targets: ingest and match 1,000 advisories against
//! 11,000 members in < 10 s; re-matching after one inventory change < 10 ms. The database
//! parts (loading the inventory once, saving warnings) are not in these figures.

use std::time::{Duration, Instant};

use verbund_domain::StructureObjectId;
use verbund_domain::advisory::matcher::{
    AdvisoryKeys, Inventory, InventoryItem, Verdict, match_advisory,
};
use verbund_domain::advisory::{
    Advisory, AdvisoryProduct, ProductIdent, ProductState, Severity, Tlp,
};

const MEMBERS: usize = 11_000;
const PER_MEMBER: usize = 50;
const VENDORS: usize = 500;
const ADVISORIES: usize = 1_000;
const PER_ADVISORY: usize = 20;
const REMATCH_RUNS: usize = 200;

/// A small deterministic generator, so every run times the same data.
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

/// Distinct products in the federation (`BENCH_PRODUCTS`, default 2,500: each is run by about
/// 220 members, so an advisory warns thousands of objects — a dense worst case).
fn products() -> usize {
    std::env::var("BENCH_PRODUCTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(2_500)
}

fn vendor(p: usize) -> String {
    format!("Hersteller {} GmbH", p % VENDORS)
}

fn product(p: usize) -> String {
    format!("Produkt {p}")
}

fn cpe(p: usize, version: &str) -> String {
    format!(
        "cpe:2.3:a:hersteller_{}:produkt_{p}:{version}:*:*:*:*:*:*:*",
        p % VENDORS
    )
}

fn version(r: &mut Lcg) -> String {
    format!("{}.{}.{}", 1 + r.below(9), r.below(10), r.below(20))
}

fn inventory(r: &mut Lcg) -> Vec<InventoryItem> {
    let mut items = Vec::with_capacity(MEMBERS * PER_MEMBER);
    for i in 0..MEMBERS * PER_MEMBER {
        let p = r.below(products());
        let v = version(r);
        items.push(InventoryItem {
            object_id: StructureObjectId(i64::try_from(i).expect("fits") + 1),
            vendor: Some(vendor(p)),
            product: Some(product(p)),
            cpe: (i % 3 == 0).then(|| cpe(p, &v)),
            version: Some(v),
            purl: None,
        });
    }
    items
}

fn advisories(r: &mut Lcg) -> Vec<Advisory> {
    (0..ADVISORIES)
        .map(|a| {
            let products = (0..PER_ADVISORY)
                .map(|k| {
                    let p = r.below(products());
                    let v = version(r);
                    let mut ident = ProductIdent {
                        vendor: Some(vendor(p)),
                        product: Some(product(p)),
                        ..ProductIdent::default()
                    };
                    match k % 3 {
                        0 => ident.version = Some(v),
                        1 => ident.version_range = Some(format!("vers:generic/>=1.0.0|<{v}")),
                        _ => ident.cpe = Some(cpe(p, &v)),
                    }
                    AdvisoryProduct {
                        product_id: format!("P{k}"),
                        name: format!("{} {}", vendor(p), product(p)),
                        idents: vec![ident],
                        state: if k % 4 == 3 {
                            ProductState::Fixed
                        } else {
                            ProductState::Affected
                        },
                    }
                })
                .collect();
            Advisory {
                tracking_id: format!("BENCH-{a:04}"),
                version: "1".into(),
                title: format!("Meldung {a}"),
                category: "csaf_security_advisory".into(),
                publisher: "Benchmark".into(),
                tlp: Tlp::Clear,
                severity: Severity::High,
                max_score: Some(8.1),
                cves: Vec::new(),
                released: "2026-12-01T00:00:00Z".into(),
                summary: String::new(),
                change_summary: None,
                products,
                remediations: Vec::new(),
            }
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut r = Lcg(42);
    let items = inventory(&mut r);
    let advs = advisories(&mut r);
    let probe = items[12_345].clone();

    let t = Instant::now();
    let inv = Inventory::new(items);
    let build = t.elapsed();
    let t = Instant::now();
    let (mut warned, mut suppressed) = (0usize, 0usize);
    for a in &advs {
        for v in match_advisory(a, &inv).values() {
            match v {
                Verdict::Warn(_) => warned += 1,
                Verdict::Suppressed(_) => suppressed += 1,
            }
        }
    }
    let matching = t.elapsed();
    println!(
        "  {} objects ({MEMBERS} members × {PER_MEMBER}, {} distinct products) indexed in {:.0} ms; {ADVISORIES} advisories × {PER_ADVISORY} products matched in {:.0} ms \
         ({warned} object warnings, {suppressed} suppressed); together {:.2} s (target < 10 s with the database)",
        MEMBERS * PER_MEMBER,
        products(),
        ms(build),
        ms(matching),
        (build + matching).as_secs_f64()
    );

    // The app caches each advisory's keys with its model (built once per import).
    let t = Instant::now();
    let keys: Vec<AdvisoryKeys> = advs.iter().map(AdvisoryKeys::new).collect();
    let key_build = t.elapsed();
    let mut times = Vec::with_capacity(REMATCH_RUNS);
    let mut hits = 0;
    for _ in 0..REMATCH_RUNS {
        let t = Instant::now();
        let one = Inventory::new(vec![probe.clone()]);
        hits = advs
            .iter()
            .zip(&keys)
            .filter(|(a, k)| k.may_match(&one) && !match_advisory(a, &one).is_empty())
            .count();
        times.push(t.elapsed());
    }
    println!(
        "  keys of {ADVISORIES} advisories for the re-match cache built in {:.1} ms (once per import)",
        ms(key_build)
    );
    times.sort();
    println!(
        "  re-match of one changed object against {ADVISORIES} advisories: min {:.2} ms, median {:.2} ms, max {:.2} ms \
         ({REMATCH_RUNS} runs, {hits} advisories name it; target < 10 ms with the database)",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
}
