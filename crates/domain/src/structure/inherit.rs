//! The inheritance engine: protection needs flow along the configured links by the maximum
//! principle (BSI 200-2), per basic value.
//!
//! For each object and goal the engine derives the *calculated* need (the maximum that reaches
//! it over the configured links) and the *effective* need (calculated, combined with what a
//! person set):
//! - a value without deviation is the object's own assessment; the maximum principle can still
//!   raise it (effective = max(own, calculated));
//! - a cumulation or other raise replaces the calculated need when above it;
//! - a distribution lowers it when below it — the only way an object ends up below what
//!   depends on it.
//!
//! A deviation that no longer deviates (the calculated need moved past it) is *stale*: the
//! calculated need applies and the object is flagged for review instead of silently keeping a
//! wrong value. Objects on a cycle (a strongly connected component of the flow) share the
//! component's maximum and are flagged as well.
//!
//! Nodes may be *fixed*: their outcome is given (the store passes the unchanged predecessors of
//! the part it recomputes this way), so a recompute of a subgraph equals a full one.

use super::{Category, Deviation, Goal, LinkType, PerGoal, PropagationConfig};

/// What a person set on an object for one goal, as far as the engine needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The value set.
    pub value: Category,
    /// Why it deviates from the calculated need, if it does.
    pub deviation: Option<Deviation>,
}

/// An object whose outcome is known and not recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fixed {
    /// Its effective needs.
    pub effective: PerGoal<Option<Category>>,
    /// For a provider object: what each member contributes (see [`Outcome::contributions`]).
    pub contributions: Vec<(i64, PerGoal<Option<Category>>)>,
}

/// Whether a node is computed or given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeState {
    /// Computed from its predecessors and the settings per goal.
    Open(PerGoal<Option<Setting>>),
    /// Given; incoming flow is ignored.
    Fixed(Fixed),
}

/// One object of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable key (the object id): ties between equally high predecessors go to the smallest key,
    /// so the explanation does not depend on the order of loading.
    pub key: i64,
    /// The owning organisation.
    pub owner: i64,
    /// Whether the owner is a provider: then the node records per-member contributions.
    pub provider: bool,
    /// Settings or given outcome.
    pub state: NodeState,
}

/// A link `from → to` between node indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// Index of the depending node.
    pub from: usize,
    /// Index of the node depended on.
    pub to: usize,
    /// The relation.
    pub link_type: LinkType,
}

/// Objects and links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// The objects.
    pub nodes: Vec<Node>,
    /// The links (indices into `nodes`).
    pub edges: Vec<Edge>,
}

/// Where a calculated need comes from; `K` names objects (a node index in the engine, an
/// object id in the store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin<K = usize> {
    /// Nothing reaches the object.
    #[default]
    Unset,
    /// Inherited from predecessor `from` over a link of type `link_type`.
    Link {
        /// The predecessor.
        from: K,
        /// The link's type.
        link_type: LinkType,
    },
    /// The shared maximum of a cycle, held by member `via`.
    Cycle {
        /// The cycle member that holds the maximum.
        via: K,
    },
}

/// The engine's result for one object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// What inheritance alone gives.
    pub calculated: PerGoal<Option<Category>>,
    /// Where the calculated need comes from.
    pub calc_origin: PerGoal<Origin>,
    /// The need that applies.
    pub effective: PerGoal<Option<Category>>,
    /// Whether the effective need is the value a person set (else it is the calculated one).
    pub own: PerGoal<bool>,
    /// Whether a deviation no longer deviates and needs review.
    pub stale: PerGoal<bool>,
    /// Whether the object lies on a cycle and needs review.
    pub cycle: bool,
    /// For a provider object: the highest need each member organisation passes to it, directly
    /// or through other provider objects, sorted by organisation.
    pub contributions: Vec<(i64, PerGoal<Option<Category>>)>,
}

/// Combines a person's setting with the calculated need: (effective, is it the setting, stale).
fn apply(s: Option<Setting>, calc: Option<Category>) -> (Option<Category>, bool, bool) {
    let Some(s) = s else {
        return (calc, false, false);
    };
    let v = Some(s.value);
    match s.deviation {
        None if v >= calc => (v, true, false),
        None => (calc, false, false),
        Some(Deviation::Cumulation | Deviation::Other) if v > calc => (v, true, false),
        Some(Deviation::Distribution) if calc.is_some() && v < calc => (v, true, false),
        Some(_) => (calc, false, true),
    }
}

/// The graph with flow adjacency built once (compressed rows), for full and partial runs.
#[derive(Debug)]
pub struct Prepared<'g> {
    graph: &'g Graph,
    pred_start: Vec<u32>,
    preds: Vec<(u32, LinkType)>,
    succ_start: Vec<u32>,
    succs: Vec<u32>,
}

fn csr(n: usize, pairs: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for &(a, _) in pairs {
        start[a as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut out = vec![0u32; pairs.len()];
    for (k, &(a, _)) in pairs.iter().enumerate() {
        out[fill[a as usize] as usize] = k as u32;
        fill[a as usize] += 1;
    }
    (start, out)
}

impl<'g> Prepared<'g> {
    /// Builds the flow adjacency of `graph` under `config`: links whose type passes no need,
    /// self-flows and flows into fixed nodes are left out. Panics never; edges with indices out
    /// of range are ignored.
    pub fn new(graph: &'g Graph, config: &PropagationConfig) -> Self {
        let n = graph.nodes.len();
        let mut flows: Vec<(u32, u32, LinkType)> = Vec::with_capacity(graph.edges.len());
        for e in &graph.edges {
            if e.from >= n || e.to >= n {
                continue;
            }
            if let Some((src, dst)) = config.flow(e.link_type, e.from, e.to)
                && src != dst
                && matches!(graph.nodes[dst].state, NodeState::Open(_))
            {
                flows.push((src as u32, dst as u32, e.link_type));
            }
        }
        let by_dst: Vec<(u32, u32)> = flows.iter().map(|f| (f.1, f.0)).collect();
        let (pred_start, order) = csr(n, &by_dst);
        let preds = order
            .iter()
            .map(|&k| (flows[k as usize].0, flows[k as usize].2))
            .collect();
        let by_src: Vec<(u32, u32)> = flows.iter().map(|f| (f.0, f.1)).collect();
        let (succ_start, order) = csr(n, &by_src);
        let succs = order.iter().map(|&k| flows[k as usize].1).collect();
        Self {
            graph,
            pred_start,
            preds,
            succ_start,
            succs,
        }
    }

    fn preds_of(&self, i: usize) -> &[(u32, LinkType)] {
        &self.preds[self.pred_start[i] as usize..self.pred_start[i + 1] as usize]
    }

    /// The indices of the nodes whose need flows directly into node `i`.
    pub fn predecessors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.preds_of(i).iter().map(|p| p.0 as usize)
    }

    fn succs_of(&self, i: usize) -> &[u32] {
        &self.succs[self.succ_start[i] as usize..self.succ_start[i + 1] as usize]
    }

    /// Computes every node from scratch.
    pub fn full(&self) -> Vec<Outcome> {
        let n = self.graph.nodes.len();
        let mut out = vec![Outcome::default(); n];
        let all: Vec<usize> = (0..n).collect();
        self.solve(&all, &vec![true; n], &mut out);
        out
    }

    /// Recomputes after an edit: `changed` are the nodes whose settings changed or that gained
    /// or lost an incoming link. Only their downstream part is visited, in dependency order, and
    /// a component whose inputs did not change is skipped. Returns the nodes whose outcome
    /// changed. `out` must hold the outcomes of the graph before the edit (same node indices).
    pub fn update(&self, out: &mut [Outcome], changed: &[usize]) -> Vec<usize> {
        let n = self.graph.nodes.len();
        let mut in_scope = vec![false; n];
        let mut stack: Vec<usize> = changed.iter().copied().filter(|&i| i < n).collect();
        let mut scope = Vec::new();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut in_scope[i], true) {
                continue;
            }
            scope.push(i);
            stack.extend(self.succs_of(i).iter().map(|&s| s as usize));
        }
        let mut dirty = vec![false; n];
        for &i in changed {
            if i < n {
                dirty[i] = true;
            }
        }
        let mut done = Vec::new();
        let comps = self.components(&scope, &in_scope);
        for comp in comps.iter().rev() {
            // A component that is or was a cycle may have changed shape (an edge inside it was
            // removed or added) without any changed input: always recompute it.
            let needed = comp.len() > 1
                || comp.iter().any(|&i| {
                    dirty[i]
                        || out[i].cycle
                        || self.preds_of(i).iter().any(|&(p, _)| dirty[p as usize])
                });
            if !needed {
                continue;
            }
            let before: Vec<Outcome> = comp.iter().map(|&i| out[i].clone()).collect();
            self.solve_component(comp, out);
            for (k, &i) in comp.iter().enumerate() {
                if out[i] != before[k] {
                    dirty[i] = true;
                    done.push(i);
                }
            }
        }
        done.sort_unstable();
        done
    }

    fn solve(&self, scope: &[usize], in_scope: &[bool], out: &mut [Outcome]) {
        let comps = self.components(scope, in_scope);
        // Tarjan emits components sinks first; needs flow from sources, so walk backwards.
        for comp in comps.iter().rev() {
            self.solve_component(comp, out);
        }
    }

    /// Strongly connected components of the nodes in scope (iterative Tarjan), sinks first.
    fn components(&self, scope: &[usize], in_scope: &[bool]) -> Vec<Vec<usize>> {
        const NONE: u32 = u32::MAX;
        let n = self.graph.nodes.len();
        let mut index = vec![NONE; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<usize> = Vec::new();
        let mut call: Vec<(usize, usize)> = Vec::new();
        let mut next = 0u32;
        let mut comps = Vec::new();
        for &root in scope {
            if index[root] != NONE {
                continue;
            }
            call.push((root, 0));
            while let Some(&mut (v, ref mut pos)) = call.last_mut() {
                if *pos == 0 && index[v] == NONE {
                    index[v] = next;
                    low[v] = next;
                    next += 1;
                    stack.push(v);
                    on_stack[v] = true;
                }
                let succ = self.succs_of(v);
                if *pos < succ.len() {
                    let w = succ[*pos] as usize;
                    *pos += 1;
                    if !in_scope[w] {
                        continue;
                    }
                    if index[w] == NONE {
                        call.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    comps.push(comp);
                }
            }
        }
        comps
    }

    /// The best predecessor outside `comp` per goal: highest need, then smallest key, then
    /// link type — deterministic whatever order the links were loaded in.
    fn best_outside(
        &self,
        i: usize,
        in_comp: impl Fn(usize) -> bool,
        out: &[Outcome],
    ) -> PerGoal<(Option<Category>, Origin)> {
        let nodes = &self.graph.nodes;
        let mut best: PerGoal<(Option<Category>, Origin)> = Default::default();
        for &(p, lt) in self.preds_of(i) {
            let p = p as usize;
            if in_comp(p) {
                continue;
            }
            for (slot, &v) in best.iter_mut().zip(&out[p].effective) {
                if v.is_none() {
                    continue;
                }
                let better = match *slot {
                    (bv, _) if v > bv => true,
                    (bv, Origin::Link { from, link_type }) if v == bv => {
                        (nodes[p].key, lt) < (nodes[from].key, link_type)
                    }
                    _ => false,
                };
                if better {
                    *slot = (
                        v,
                        Origin::Link {
                            from: p,
                            link_type: lt,
                        },
                    );
                }
            }
        }
        best
    }

    fn solve_component(&self, comp: &[usize], out: &mut [Outcome]) {
        let nodes = &self.graph.nodes;
        if let [i] = comp {
            let i = *i;
            out[i] = match &nodes[i].state {
                NodeState::Fixed(f) => Outcome {
                    effective: f.effective,
                    contributions: f.contributions.clone(),
                    ..Outcome::default()
                },
                NodeState::Open(settings) => {
                    let best = self.best_outside(i, |_| false, out);
                    let mut o = Outcome::default();
                    for g in 0..3 {
                        let (e, own, stale) = apply(settings[g], best[g].0);
                        o.calculated[g] = best[g].0;
                        o.calc_origin[g] = best[g].1;
                        o.effective[g] = e;
                        o.own[g] = own;
                        o.stale[g] = stale;
                    }
                    o
                }
            };
            if nodes[i].provider {
                out[i].contributions = self.contributions(comp, out);
            }
            return;
        }
        // A cycle: fixed nodes never sit on one (flows into them are dropped).
        let is_member = |p: usize| comp.contains(&p);
        let settings = |i: usize| match &nodes[i].state {
            NodeState::Open(s) => *s,
            NodeState::Fixed(_) => [None; 3],
        };
        let outside: Vec<_> = comp
            .iter()
            .map(|&i| self.best_outside(i, is_member, out))
            .collect();
        let own_values: Vec<PerGoal<Option<Category>>> = comp
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let s = settings(i);
                std::array::from_fn(|g| apply(s[g], outside[k][g].0).0)
            })
            .collect();
        for (k, &i) in comp.iter().enumerate() {
            let s = settings(i);
            let mut o = Outcome {
                cycle: true,
                ..Outcome::default()
            };
            for g in 0..3 {
                // The highest own value of the other members (smallest key on ties).
                let mut held: Option<(Option<Category>, usize)> = None;
                for (j, &m) in comp.iter().enumerate() {
                    if j == k || own_values[j][g].is_none() {
                        continue;
                    }
                    let better = match held {
                        None => true,
                        Some((hv, h)) => {
                            own_values[j][g] > hv
                                || (own_values[j][g] == hv && nodes[m].key < nodes[h].key)
                        }
                    };
                    if better {
                        held = Some((own_values[j][g], m));
                    }
                }
                let (calc, origin) = match held {
                    Some((hv, h)) if hv > outside[k][g].0 => (hv, Origin::Cycle { via: h }),
                    _ => outside[k][g],
                };
                let (e, own, stale) = apply(s[g], calc);
                o.calculated[g] = calc;
                o.calc_origin[g] = origin;
                o.effective[g] = e;
                o.own[g] = own;
                o.stale[g] = stale;
            }
            out[i] = o;
        }
        // Members' own effective needs count, so contributions come after all of them.
        if comp.iter().any(|&i| nodes[i].provider) {
            let contributions = self.contributions(comp, out);
            for &i in comp {
                if nodes[i].provider {
                    out[i].contributions = contributions.clone();
                }
            }
        }
    }

    /// What each member organisation passes into the component: its own objects' effective
    /// needs and, through provider objects, their contributions. Provider-owned objects are
    /// not members and contribute only what reaches them.
    fn contributions(
        &self,
        comp: &[usize],
        out: &[Outcome],
    ) -> Vec<(i64, PerGoal<Option<Category>>)> {
        let nodes = &self.graph.nodes;
        // A map, not a list: a provider object shared by 11,000 members has as many entries.
        let mut acc: std::collections::BTreeMap<i64, PerGoal<Option<Category>>> =
            std::collections::BTreeMap::new();
        let mut add = |org: i64, v: PerGoal<Option<Category>>| {
            let cur = acc.entry(org).or_insert([None; 3]);
            for g in 0..3 {
                cur[g] = cur[g].max(v[g]);
            }
        };
        for &i in comp {
            if !nodes[i].provider && comp.len() > 1 {
                add(nodes[i].owner, out[i].effective);
            }
            for &(p, _) in self.preds_of(i) {
                let p = p as usize;
                if comp.contains(&p) {
                    continue;
                }
                if nodes[p].provider {
                    for (org, v) in &out[p].contributions {
                        add(*org, *v);
                    }
                } else {
                    add(nodes[p].owner, out[p].effective);
                }
            }
        }
        acc.into_iter().collect()
    }
}

/// Computes every node of `graph` under `config`.
pub fn compute(graph: &Graph, config: &PropagationConfig) -> Vec<Outcome> {
    Prepared::new(graph, config).full()
}

/// A hint that an object may carry a cumulation effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CumulationHint {
    /// The object (node index).
    pub node: usize,
    /// The goal.
    pub goal: Goal,
    /// How many different normal-need objects pass their need to it.
    pub normal_count: usize,
}

/// Objects whose effective need for a goal is normal although at least `threshold` different
/// objects with normal need pass their need to them — where a cumulation effect may raise it.
/// Objects with a cumulation deviation already set are left out.
pub fn cumulation_hints(
    prep: &Prepared<'_>,
    out: &[Outcome],
    threshold: usize,
) -> Vec<CumulationHint> {
    let mut hints = Vec::new();
    for (i, node) in prep.graph.nodes.iter().enumerate() {
        let NodeState::Open(settings) = &node.state else {
            continue;
        };
        for goal in Goal::EACH {
            let g = goal.index();
            if out[i].effective[g] != Some(Category::Normal)
                || settings[g].is_some_and(|s| s.deviation == Some(Deviation::Cumulation))
            {
                continue;
            }
            let mut normal: Vec<usize> = prep
                .predecessors(i)
                .filter(|&p| out[p].effective[g] == Some(Category::Normal))
                .collect();
            normal.sort_unstable();
            normal.dedup();
            if normal.len() >= threshold {
                hints.push(CumulationHint {
                    node: i,
                    goal,
                    normal_count: normal.len(),
                });
            }
        }
    }
    hints
}
