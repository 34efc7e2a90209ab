//! Property tests of the inheritance engine on random graphs (cycles included): the maximum
//! principle holds except where a justified distribution lowers a need, and an incremental
//! update after any sequence of edits equals a recompute from scratch.

use proptest::prelude::*;

use super::inherit::*;
use super::*;

fn category() -> impl Strategy<Value = Category> {
    prop_oneof![
        Just(Category::Normal),
        Just(Category::High),
        Just(Category::VeryHigh)
    ]
}

fn setting() -> impl Strategy<Value = Option<Setting>> {
    let deviation = prop_oneof![
        4 => Just(None),
        1 => Just(Some(Deviation::Cumulation)),
        1 => Just(Some(Deviation::Distribution)),
        1 => Just(Some(Deviation::Other)),
    ];
    prop_oneof![
        2 => Just(None),
        1 => (category(), deviation).prop_map(|(value, deviation)| Some(Setting { value, deviation })),
    ]
}

fn link_type() -> impl Strategy<Value = LinkType> {
    (0..LinkType::ALL.len()).prop_map(|i| LinkType::ALL[i])
}

#[derive(Debug, Clone)]
enum Edit {
    Set(usize, usize, Option<Setting>),
    Link(usize, usize, LinkType),
    Unlink(usize),
}

fn graph() -> impl Strategy<Value = Graph> {
    (2usize..24).prop_flat_map(|n| {
        (
            prop::collection::vec((prop::array::uniform3(setting()), 0..3i64), n),
            prop::collection::vec((0..n, 0..n, link_type()), 0..n * 3),
        )
            .prop_map(|(nodes, edges)| Graph {
                nodes: nodes
                    .into_iter()
                    .enumerate()
                    .map(|(i, (s, owner))| Node {
                        // Keys out of index order, so tie-breaking by key is exercised.
                        key: (i as i64 * 7919) % 1009,
                        owner: if owner == 2 { 900 } else { owner },
                        provider: owner == 2,
                        state: NodeState::Open(s),
                    })
                    .collect(),
                edges: edges
                    .into_iter()
                    .map(|(from, to, link_type)| Edge {
                        from,
                        to,
                        link_type,
                    })
                    .collect(),
            })
    })
}

fn edits(n: usize) -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (0..n, 0..3usize, setting()).prop_map(|(i, g, s)| Edit::Set(i, g, s)),
        (0..n, 0..n, link_type()).prop_map(|(a, b, t)| Edit::Link(a, b, t)),
        (0..64usize).prop_map(Edit::Unlink),
    ];
    prop::collection::vec(edit, 1..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn effective_need_is_at_least_every_predecessors_unless_distribution_lowers_it(g in graph()) {
        let config = PropagationConfig::default();
        let out = compute(&g, &config);
        for e in &g.edges {
            let Some((src, dst)) = config.flow(e.link_type, e.from, e.to) else { continue };
            if src == dst {
                continue;
            }
            let NodeState::Open(settings) = &g.nodes[dst].state else { continue };
            for (goal, setting) in settings.iter().enumerate() {
                let lowered = out[dst].own[goal]
                    && setting.is_some_and(|s| s.deviation == Some(Deviation::Distribution));
                prop_assert!(
                    lowered || out[dst].effective[goal] >= out[src].effective[goal],
                    "{:?} -> {:?} goal {}", out[src], out[dst], goal
                );
                // On a cycle the calculated need leaves out the member's own value.
                prop_assert!(out[dst].cycle || out[dst].calculated[goal] >= out[src].effective[goal]);
            }
        }
    }

    #[test]
    fn incremental_update_after_any_edits_equals_a_full_recompute(
        (g, edits) in graph().prop_flat_map(|g| { let n = g.nodes.len(); (Just(g), edits(n)) })
    ) {
        let config = PropagationConfig::default();
        let mut g = g;
        let mut out = compute(&g, &config);
        for edit in edits {
            let changed = match edit {
                Edit::Set(i, goal, s) => {
                    if let NodeState::Open(settings) = &mut g.nodes[i].state {
                        settings[goal] = s;
                    }
                    vec![i]
                }
                Edit::Link(from, to, link_type) => {
                    g.edges.push(Edge { from, to, link_type });
                    vec![from, to]
                }
                Edit::Unlink(k) => {
                    if g.edges.is_empty() {
                        continue;
                    }
                    let e = g.edges.remove(k % g.edges.len());
                    vec![e.from, e.to]
                }
            };
            let prep = Prepared::new(&g, &config);
            let before = out.clone();
            let touched = prep.update(&mut out, &changed);
            let full = prep.full();
            prop_assert_eq!(&out, &full);
            // The returned list is exactly what changed, so the store writes only those.
            for (i, o) in full.iter().enumerate() {
                prop_assert_eq!(touched.contains(&i), before[i] != *o);
            }
        }
    }
}
