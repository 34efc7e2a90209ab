//! Worked examples of the inheritance engine on hand-made graphs.

use super::inherit::*;
use super::needs::{ManualNeed, StructureSettings};
use super::*;
use Category::*;

const C: usize = 0;
const A: usize = 2;

/// A small graph builder: nodes get keys 1, 2, … in insertion order.
#[derive(Default)]
struct G(Graph);

impl G {
    fn node(&mut self, owner: i64) -> usize {
        self.0.nodes.push(Node {
            key: self.0.nodes.len() as i64 + 1,
            owner,
            provider: owner >= 900,
            state: NodeState::Open([None; 3]),
        });
        self.0.nodes.len() - 1
    }
    fn set(&mut self, n: usize, goal: usize, value: Category, deviation: Option<Deviation>) {
        if let NodeState::Open(s) = &mut self.0.nodes[n].state {
            s[goal] = Some(inherit::Setting { value, deviation });
        }
    }
    fn all(&mut self, n: usize, value: Category) {
        for g in 0..3 {
            self.set(n, g, value, None);
        }
    }
    fn link(&mut self, from: usize, to: usize, link_type: LinkType) {
        self.0.edges.push(Edge {
            from,
            to,
            link_type,
        });
    }
    fn run(&self) -> Vec<Outcome> {
        compute(&self.0, &PropagationConfig::default())
    }
}

fn path(out: &[Outcome], node: usize, goal: usize) -> Vec<usize> {
    path_of(
        node,
        |k| Some((out[k].own[goal], out[k].calc_origin[goal])),
        100,
    )
    .iter()
    .map(|s| s.object)
    .collect()
}

#[test]
fn process_need_reaches_application_server_room_and_building() {
    let mut g = G::default();
    let process = g.node(1);
    let app = g.node(1);
    let server = g.node(1);
    let room = g.node(1);
    let building = g.node(1);
    g.set(process, C, High, None);
    g.set(process, A, Normal, None);
    g.link(app, process, LinkType::ProcessesDataOf);
    g.link(app, server, LinkType::RunsOn);
    g.link(server, room, LinkType::LocatedIn);
    g.link(room, building, LinkType::LocatedIn);
    let out = g.run();
    for n in [app, server, room, building] {
        assert_eq!(out[n].effective, [Some(High), None, Some(Normal)]);
        assert!(!out[n].own[C]);
    }
    assert_eq!(
        path(&out, building, C),
        vec![building, room, server, app, process]
    );
    assert_eq!(
        out[server].calc_origin[C],
        Origin::Link {
            from: app,
            link_type: LinkType::RunsOn
        }
    );
}

#[test]
fn diamond_takes_the_maximum_of_both_branches() {
    // process → app1 (normal) and app2 (very high availability) → one server.
    let mut g = G::default();
    let process = g.node(1);
    let app1 = g.node(1);
    let app2 = g.node(1);
    let server = g.node(1);
    g.all(process, Normal);
    g.set(app2, A, VeryHigh, None);
    g.link(app1, process, LinkType::ProcessesDataOf);
    g.link(app2, process, LinkType::ProcessesDataOf);
    g.link(app1, server, LinkType::RunsOn);
    g.link(app2, server, LinkType::RunsOn);
    let out = g.run();
    assert_eq!(
        out[server].effective,
        [Some(Normal), Some(Normal), Some(VeryHigh)]
    );
    assert_eq!(path(&out, server, A), vec![server, app2]);
    // Equal branches: the smaller key explains it, whatever the order of the links.
    assert_eq!(path(&out, server, C), vec![server, app1, process]);
    g.0.edges.reverse();
    assert_eq!(path(&g.run(), server, C), vec![server, app1, process]);
}

#[test]
fn long_chain_carries_the_need_to_its_end() {
    let mut g = G::default();
    let first = g.node(1);
    g.set(first, C, VeryHigh, None);
    let mut prev = first;
    for _ in 0..499 {
        let n = g.node(1);
        g.link(prev, n, LinkType::RunsOn);
        prev = n;
    }
    let out = g.run();
    assert_eq!(out[prev].effective[C], Some(VeryHigh));
    assert_eq!(
        path(&out, prev, C).len(),
        100,
        "the trace stops at its limit"
    );
    let full = path_of(prev, |k| Some((out[k].own[C], out[k].calc_origin[C])), 1000);
    assert_eq!(full.len(), 500);
    assert_eq!(full.last().map(|s| s.object), Some(first));
}

#[test]
fn servers_that_need_each_other_share_the_maximum_and_are_flagged() {
    let mut g = G::default();
    let app = g.node(1);
    let s1 = g.node(1);
    let s2 = g.node(1);
    let other = g.node(1);
    g.set(app, A, High, None);
    g.link(app, s1, LinkType::RunsOn);
    g.link(s1, s2, LinkType::CommunicatesOver);
    g.link(s2, s1, LinkType::CommunicatesOver);
    g.link(s2, other, LinkType::LocatedIn);
    let out = g.run();
    assert_eq!(out[s1].effective[A], Some(High));
    assert_eq!(out[s2].effective[A], Some(High));
    assert!(out[s1].cycle && out[s2].cycle);
    assert!(!out[app].cycle && !out[other].cycle);
    assert_eq!(out[s2].calc_origin[A], Origin::Cycle { via: s1 });
    assert_eq!(path(&out, other, A), vec![other, s2, s1, app]);
}

#[test]
fn a_cycle_member_set_higher_lifts_the_whole_cycle() {
    let mut g = G::default();
    let s1 = g.node(1);
    let s2 = g.node(1);
    let s3 = g.node(1);
    g.link(s1, s2, LinkType::RunsOn);
    g.link(s2, s3, LinkType::RunsOn);
    g.link(s3, s1, LinkType::RunsOn);
    g.set(s3, C, VeryHigh, None);
    g.set(s1, C, Normal, None);
    let out = g.run();
    for s in [s1, s2, s3] {
        assert_eq!(out[s].effective[C], Some(VeryHigh));
    }
    assert!(out[s3].own[C]);
    assert_eq!(path(&out, s1, C), vec![s1, s3]);
}

#[test]
fn cumulation_raises_above_the_calculated_need() {
    let mut g = G::default();
    let app = g.node(1);
    let server = g.node(1);
    g.set(app, A, Normal, None);
    g.set(server, A, High, Some(Deviation::Cumulation));
    g.link(app, server, LinkType::RunsOn);
    let out = g.run();
    assert_eq!(out[server].calculated[A], Some(Normal));
    assert_eq!(out[server].effective[A], Some(High));
    assert!(out[server].own[A] && !out[server].stale[A]);
}

#[test]
fn distribution_lowers_below_the_calculated_need_and_passes_the_lower_need_on() {
    let mut g = G::default();
    let app = g.node(1);
    let node1 = g.node(1);
    let room = g.node(1);
    g.set(app, A, VeryHigh, None);
    g.set(node1, A, High, Some(Deviation::Distribution));
    g.link(app, node1, LinkType::RunsOn);
    g.link(node1, room, LinkType::LocatedIn);
    let out = g.run();
    assert_eq!(out[node1].calculated[A], Some(VeryHigh));
    assert_eq!(out[node1].effective[A], Some(High));
    assert_eq!(out[room].effective[A], Some(High));
    assert_eq!(path(&out, room, A), vec![room, node1]);
}

#[test]
fn a_deviation_overtaken_by_the_calculated_need_is_stale_not_kept() {
    let mut g = G::default();
    let app = g.node(1);
    let server = g.node(1);
    g.set(app, C, VeryHigh, None);
    g.set(server, C, High, Some(Deviation::Cumulation));
    g.link(app, server, LinkType::RunsOn);
    let out = g.run();
    assert_eq!(out[server].effective[C], Some(VeryHigh));
    assert!(out[server].stale[C] && !out[server].own[C]);
    // A distribution with nothing left to lower is stale too.
    let mut g2 = G::default();
    let lone = g2.node(1);
    g2.set(lone, C, Normal, Some(Deviation::Distribution));
    let out = g2.run();
    assert_eq!(out[lone].effective[C], None);
    assert!(out[lone].stale[C]);
}

#[test]
fn own_value_below_the_inherited_one_is_raised_by_the_maximum_principle() {
    let mut g = G::default();
    let process = g.node(1);
    let app = g.node(1);
    g.set(process, I, High, None);
    g.set(app, I, Normal, None);
    g.link(app, process, LinkType::ProcessesDataOf);
    let out = g.run();
    assert_eq!(out[app].effective[I], Some(High));
    assert!(!out[app].own[I]);
}
const I: usize = 1;

#[test]
fn shared_provider_object_takes_the_maximum_with_per_member_contributions() {
    let mut g = G::default();
    let nauheim_app = g.node(2);
    let raunheim_app = g.node(3);
    let raunheim_app2 = g.node(3);
    let hosted = g.node(900);
    let datacentre = g.node(900);
    g.set(nauheim_app, C, Normal, None);
    g.set(raunheim_app, C, High, None);
    g.set(raunheim_app2, A, VeryHigh, None);
    for a in [nauheim_app, raunheim_app, raunheim_app2] {
        g.link(a, hosted, LinkType::ProvidedBy);
    }
    g.link(hosted, datacentre, LinkType::LocatedIn);
    let out = g.run();
    assert_eq!(out[hosted].effective, [Some(High), None, Some(VeryHigh)]);
    let expected = vec![
        (2, [Some(Normal), None, None]),
        (3, [Some(High), None, Some(VeryHigh)]),
    ];
    assert_eq!(out[hosted].contributions, expected);
    assert_eq!(
        out[datacentre].contributions, expected,
        "passed on through provider objects"
    );
    assert!(out[nauheim_app].contributions.is_empty());
}

#[test]
fn lowering_a_need_again_lowers_everything_below_it() {
    let mut g = G::default();
    let process = g.node(1);
    let app = g.node(1);
    let server = g.node(1);
    g.set(process, A, VeryHigh, None);
    g.link(app, process, LinkType::ProcessesDataOf);
    g.link(app, server, LinkType::RunsOn);
    let mut out = g.run();
    assert_eq!(out[server].effective[A], Some(VeryHigh));
    g.set(process, A, Normal, None);
    let prep = Prepared::new(&g.0, &PropagationConfig::default());
    let changed = prep.update(&mut out, &[process]);
    assert_eq!(changed, vec![process, app, server]);
    assert_eq!(out[server].effective[A], Some(Normal));
    assert_eq!(out, g.run());
}

#[test]
fn incremental_update_skips_parts_whose_inputs_did_not_change() {
    let mut g = G::default();
    let p1 = g.node(1);
    let p2 = g.node(1);
    let app = g.node(1);
    let server = g.node(1);
    g.set(p1, C, High, None);
    g.set(p2, C, High, None);
    g.link(app, p1, LinkType::ProcessesDataOf);
    g.link(app, p2, LinkType::ProcessesDataOf);
    g.link(app, server, LinkType::RunsOn);
    let mut out = g.run();
    // p2 drops to normal: app still gets high from p1, so the server is untouched.
    g.set(p2, C, Normal, None);
    let prep = Prepared::new(&g.0, &PropagationConfig::default());
    assert_eq!(prep.update(&mut out, &[p2]), vec![p2]);
    assert_eq!(out, g.run());
}

#[test]
fn link_types_configured_not_to_pass_needs_pass_nothing() {
    let mut g = G::default();
    let app = g.node(1);
    let server = g.node(1);
    g.set(app, C, High, None);
    g.link(app, server, LinkType::CommunicatesOver);
    let mut config = PropagationConfig::default();
    config.set(LinkType::CommunicatesOver, Direction::None);
    assert_eq!(compute(&g.0, &config)[server].effective[C], None);
    config.set(LinkType::CommunicatesOver, Direction::Backward);
    g.set(server, C, VeryHigh, None);
    assert_eq!(compute(&g.0, &config)[app].effective[C], Some(VeryHigh));
}

#[test]
fn fixed_predecessors_give_the_same_result_as_the_full_graph() {
    let mut g = G::default();
    let process = g.node(1);
    let app = g.node(1);
    let server = g.node(1);
    g.set(process, C, VeryHigh, None);
    g.link(app, process, LinkType::ProcessesDataOf);
    g.link(app, server, LinkType::RunsOn);
    let full = g.run();
    // Only the server is recomputed; the application is given as it is.
    let sub = Graph {
        nodes: vec![
            Node {
                state: NodeState::Fixed(Fixed {
                    effective: full[app].effective,
                    contributions: vec![],
                }),
                ..g.0.nodes[app].clone()
            },
            g.0.nodes[server].clone(),
        ],
        edges: vec![Edge {
            from: 0,
            to: 1,
            link_type: LinkType::RunsOn,
        }],
    };
    let out = compute(&sub, &PropagationConfig::default());
    assert_eq!(out[1].effective, full[server].effective);
    assert_eq!(
        out[1].calc_origin[C],
        Origin::Link {
            from: 0,
            link_type: LinkType::RunsOn
        }
    );
}

#[test]
fn many_normal_needs_on_one_server_suggest_cumulation() {
    let mut g = G::default();
    let server = g.node(1);
    for _ in 0..5 {
        let app = g.node(1);
        g.all(app, Normal);
        g.link(app, server, LinkType::RunsOn);
    }
    let out = g.run();
    let prep = Prepared::new(&g.0, &PropagationConfig::default());
    let hints = cumulation_hints(&prep, &out, 5);
    assert_eq!(hints.len(), 3);
    assert!(
        hints
            .iter()
            .all(|h| h.node == server && h.normal_count == 5)
    );
    assert!(cumulation_hints(&prep, &out, 6).is_empty());
    g.set(server, A, High, Some(Deviation::Cumulation));
    let out = g.run();
    let prep = Prepared::new(&g.0, &PropagationConfig::default());
    let goals: Vec<Goal> = cumulation_hints(&prep, &out, 5)
        .iter()
        .map(|h| h.goal)
        .collect();
    assert_eq!(goals, vec![Goal::Confidentiality, Goal::Integrity]);
}

#[test]
fn manual_needs_require_a_justification_and_a_deviation_in_the_right_direction() {
    let e = ManualNeed::new(High, None, "  ", None).unwrap_err();
    assert_eq!(e.0[0].code, "error-need-justification");
    assert!(
        ManualNeed::new(
            High,
            Some(Deviation::Cumulation),
            "viele Fachverfahren",
            Some(Normal)
        )
        .is_ok()
    );
    let e = ManualNeed::new(High, Some(Deviation::Cumulation), "x", Some(High)).unwrap_err();
    assert_eq!(e.0[0].code, "error-deviation-not-higher");
    let e = ManualNeed::new(High, Some(Deviation::Distribution), "x", Some(High)).unwrap_err();
    assert_eq!(e.0[0].code, "error-deviation-not-lower");
    let e = ManualNeed::new(Normal, Some(Deviation::Distribution), "x", None).unwrap_err();
    assert_eq!(e.0[0].code, "error-deviation-not-lower");
    assert!(
        ManualNeed::new(
            Normal,
            Some(Deviation::Distribution),
            "redundant",
            Some(High)
        )
        .is_ok()
    );
}

#[test]
fn short_ids_and_objects_are_validated_field_by_field() {
    assert_eq!(
        ShortId::parse(" a012 ").map(String::from),
        Ok("A012".to_owned())
    );
    assert_eq!(ShortId::parse("-A"), Err("error-short-id"));
    assert_eq!(ShortId::parse("A 1"), Err("error-short-id"));
    assert_eq!(ShortId::parse(&"A".repeat(21)), Err("error-short-id"));
    let raw = RawObject {
        short_id: "S1".into(),
        name: "Fileserver".into(),
        object_type: "server".into(),
        count: Some("3".into()),
        tags: Some("linux; dmz,linux".into()),
        cpe: Some("cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*".into()),
        ..RawObject::default()
    };
    let o = raw.validate().unwrap();
    assert_eq!(o.count, 3);
    assert_eq!(o.tags, vec!["dmz", "linux"]);
    assert_eq!(o.status, ObjectStatus::Active);
    let bad = RawObject {
        short_id: "".into(),
        name: "".into(),
        object_type: "toaster".into(),
        count: Some("0".into()),
        purl: Some("npm/left-pad".into()),
        ..RawObject::default()
    };
    let fields: Vec<(String, String)> = bad
        .validate()
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect();
    assert_eq!(
        fields,
        [
            ("short_id", "error-required"),
            ("name", "error-required"),
            ("object_type", "error-object-type"),
            ("count", "error-object-count"),
            ("purl", "error-purl"),
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    assert!(LinkInput::new(4, 4, LinkType::RunsOn).is_err());
}

#[test]
fn default_settings_are_valid_and_a_missing_scenario_is_not() {
    let s = StructureSettings::default().validated().unwrap();
    assert_eq!(s.thresholds.len(), 6);
    let mut broken = s.clone();
    broken.thresholds.pop();
    broken.cumulation_threshold = 1;
    let codes: Vec<String> = broken
        .validated()
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["error-cumulation-threshold", "error-thresholds"]);
}
