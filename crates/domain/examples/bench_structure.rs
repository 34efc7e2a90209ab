//! Times the inheritance engine on a member-sized structure analysis: 2,000 objects and 6,000
//! links (processes → applications → servers → rooms → buildings, plus networks and a few
//! cycles), full recompute and an incremental update after one process changes.
//!
//! ```text
//! cargo run --release -p verbund-domain --example bench_structure
//! ```

use std::time::{Duration, Instant};

use verbund_domain::structure::inherit::{Edge, Graph, Node, NodeState, Prepared, Setting};
use verbund_domain::structure::{Category, LinkType, PropagationConfig};

const RUNS: usize = 200;

/// A small deterministic generator, so every run times the same graph.
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

fn graph() -> Graph {
    // (count, links per object to the next layer, link type, whether the link points back)
    let layers = [
        (150usize, LinkType::ProcessesDataOf),
        (500, LinkType::RunsOn),
        (900, LinkType::LocatedIn),
        (300, LinkType::LocatedIn),
        (100, LinkType::CommunicatesOver),
        (50, LinkType::CommunicatesOver),
    ];
    let mut rng = Lcg(42);
    let mut nodes = Vec::new();
    let mut ranges = Vec::new();
    for (count, _) in layers {
        let start = nodes.len();
        for _ in 0..count {
            let s = |c| {
                Some(Setting {
                    value: c,
                    deviation: None,
                })
            };
            let settings = if ranges.is_empty() {
                let c = [Category::Normal, Category::High, Category::VeryHigh][rng.below(3)];
                [s(c), s(Category::Normal), s(c)]
            } else {
                [None; 3]
            };
            nodes.push(Node {
                key: nodes.len() as i64 + 1,
                owner: 1,
                provider: false,
                state: NodeState::Open(settings),
            });
        }
        ranges.push(start..nodes.len());
    }
    let mut edges = Vec::new();
    while edges.len() < 6_000 {
        let layer = rng.below(layers.len() - 1);
        let (from_r, to_r) = (&ranges[layer], &ranges[layer + 1]);
        let a = from_r.start + rng.below(from_r.len());
        let b = to_r.start + rng.below(to_r.len());
        let link_type = layers[layer + 1].1;
        let (from, to) = if link_type == LinkType::ProcessesDataOf {
            (b, a)
        } else {
            (a, b)
        };
        edges.push(Edge {
            from,
            to,
            link_type,
        });
        // Now and then two servers need each other.
        if edges.len() % 500 == 0 {
            let s = &ranges[2];
            let (x, y) = (s.start + rng.below(s.len()), s.start + rng.below(s.len()));
            edges.push(Edge {
                from: x,
                to: y,
                link_type: LinkType::CommunicatesOver,
            });
            edges.push(Edge {
                from: y,
                to: x,
                link_type: LinkType::CommunicatesOver,
            });
        }
    }
    Graph { nodes, edges }
}

fn stats(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(times[0]), ms(times[times.len() / 2]))
}

fn main() {
    let g = graph();
    let config = PropagationConfig::default();
    let mut full = Vec::with_capacity(RUNS);
    let mut prepare_and_full = Vec::with_capacity(RUNS);
    let mut out = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let prep = Prepared::new(&g, &config);
        let t2 = Instant::now();
        out = prep.full();
        full.push(t2.elapsed());
        prepare_and_full.push(t.elapsed());
    }
    let cycles = out.iter().filter(|o| o.cycle).count();
    let high = out
        .iter()
        .filter(|o| o.effective[2] >= Some(Category::High))
        .count();
    let mut g2 = g.clone();
    let prep_times;
    let mut update = Vec::with_capacity(RUNS);
    let mut changed_count = 0;
    {
        let mut flips = Vec::with_capacity(RUNS);
        for k in 0..RUNS {
            if let NodeState::Open(s) = &mut g2.nodes[k % 150].state {
                s[2] = Some(Setting {
                    value: if s[2].is_some_and(|v| v.value == Category::VeryHigh) {
                        Category::Normal
                    } else {
                        Category::VeryHigh
                    },
                    deviation: None,
                });
            }
            let t = Instant::now();
            let prep = Prepared::new(&g2, &config);
            let t2 = Instant::now();
            changed_count += prep.update(&mut out, &[k % 150]).len();
            update.push(t2.elapsed());
            flips.push(t.elapsed());
        }
        prep_times = flips;
    }
    let (fmin, fmed) = stats(full);
    let (pmin, pmed) = stats(prepare_and_full);
    let (umin, umed) = stats(update);
    let (ufmin, ufmed) = stats(prep_times);
    println!(
        "graph: {} objects, {} links, {} on cycles, {} with availability >= hoch",
        g.nodes.len(),
        g.edges.len(),
        cycles,
        high
    );
    println!("full recompute (prepared graph): min {fmin:.3} ms, median {fmed:.3} ms");
    println!("build adjacency + full recompute: min {pmin:.3} ms, median {pmed:.3} ms");
    println!(
        "incremental after one process changes: min {umin:.3} ms, median {umed:.3} ms \
         (with adjacency {ufmin:.3} / {ufmed:.3} ms), {:.0} objects changed on average",
        changed_count as f64 / RUNS as f64
    );
}
