use proptest::prelude::*;
use time::macros::date;

use super::blast::*;
use super::matching::*;
use super::model::PactResource;
use super::*;
use crate::structure::{Category, LinkType, ObjectType};
use crate::{OrgId, PactResourceId, StructureObjectId};

// Approximate town halls (the demo's values).
const GROSS_GERAU: Coordinates = Coordinates {
    lat: 49.9214,
    lon: 8.4850,
};
const NAUHEIM: Coordinates = Coordinates {
    lat: 49.9417,
    lon: 8.4550,
};
const RUESSELSHEIM: Coordinates = Coordinates {
    lat: 49.9929,
    lon: 8.4119,
};
const DARMSTADT: Coordinates = Coordinates {
    lat: 49.8728,
    lon: 8.6512,
};

fn res(id: i64, org: i64, kind: ResourceKind) -> PactResource {
    PactResource {
        id: PactResourceId(id),
        org_id: OrgId(org),
        org_name: format!("Org {org}"),
        kind,
        name: format!("R{id}"),
        skills: Vec::new(),
        equipment_type: None,
        count: 1,
        location: None,
        phone: None,
        window: Window::default(),
        note: None,
        confirmed_at_ms: 0,
    }
}

fn person(id: i64, org: i64, skills: &[Skill]) -> PactResource {
    PactResource {
        skills: skills.to_vec(),
        ..res(id, org, ResourceKind::Person)
    }
}

fn kit(id: i64, org: i64, t: EquipmentType, count: i64) -> PactResource {
    PactResource {
        equipment_type: Some(t),
        count,
        ..res(id, org, ResourceKind::Equipment)
    }
}

#[test]
fn distance_between_gross_gerau_and_darmstadt_is_about_thirteen_km() {
    let d = GROSS_GERAU.distance_km(DARMSTADT);
    assert!((d - 13.0).abs() < 1.0, "{d}");
    assert_eq!(GROSS_GERAU.distance_km(GROSS_GERAU), 0.0);
}

#[test]
fn distance_of_a_quarter_meridian_is_ten_thousand_km() {
    let d = Coordinates { lat: 0.0, lon: 0.0 }.distance_km(Coordinates {
        lat: 90.0,
        lon: 0.0,
    });
    assert!((d - 10_007.5).abs() < 1.0, "{d}");
}

#[test]
fn coordinates_out_of_range_are_refused() {
    assert!(Coordinates::new(91.0, 0.0).is_err());
    assert!(Coordinates::new(0.0, f64::NAN).is_err());
    assert_eq!(
        parse_coordinates(Some("49,92"), Some("8.48")).unwrap(),
        Some(Coordinates {
            lat: 49.92,
            lon: 8.48
        })
    );
    assert_eq!(parse_coordinates(Some(""), None).unwrap(), None);
    assert!(parse_coordinates(Some("49.9"), None).is_err());
}

#[test]
fn windows_overlap_and_cover_with_open_ends() {
    let w = |a, b| Window::new(a, b).unwrap();
    let req = w(Some(date!(2026 - 12 - 02)), Some(date!(2026 - 12 - 05)));
    assert!(Window::default().covers(req));
    assert!(w(Some(date!(2026 - 12 - 01)), None).covers(req));
    assert!(!w(Some(date!(2026 - 12 - 03)), None).covers(req));
    assert!(w(Some(date!(2026 - 12 - 03)), None).overlap(req).is_some());
    assert!(w(None, Some(date!(2026 - 12 - 01))).overlap(req).is_none());
    assert!(Window::new(Some(date!(2026 - 12 - 02)), Some(date!(2026 - 12 - 01))).is_err());
}

#[test]
fn matching_ranks_the_nearest_fitting_resource_of_another_member_first() {
    // Nauheim (1) asks for a firewall expert. Rüsselsheim (2) is 8 km away, Darmstadt (3)
    // 18 km; Nauheim's own expert and a network-only person never match.
    let own = person(1, 1, &[Skill::Firewall]);
    let near = person(2, 2, &[Skill::Firewall, Skill::Network]);
    let far = person(3, 3, &[Skill::Firewall]);
    let wrong = person(4, 2, &[Skill::Network]);
    let c = [
        Candidate {
            resource: &far,
            at: Some(DARMSTADT),
        },
        Candidate {
            resource: &own,
            at: Some(NAUHEIM),
        },
        Candidate {
            resource: &wrong,
            at: Some(RUESSELSHEIM),
        },
        Candidate {
            resource: &near,
            at: Some(RUESSELSHEIM),
        },
    ];
    let wanted = Wanted {
        org_id: OrgId(1),
        need: Need::Skill(Skill::Firewall),
        count: 1,
        window: Window::default(),
        at: Some(NAUHEIM),
    };
    let m = rank(&wanted, &c);
    assert_eq!(ids(&m), vec![PactResourceId(2), PactResourceId(3)]);
    let d = m[0].distance_km.unwrap();
    assert!((6.0..10.0).contains(&d), "{d}");
}

#[test]
fn matching_prefers_a_resource_available_the_whole_time_over_a_nearer_one() {
    let mut near = kit(1, 2, EquipmentType::Notebook, 10);
    near.window = Window::new(Some(date!(2026 - 12 - 04)), None).unwrap();
    let far = kit(2, 3, EquipmentType::Notebook, 10);
    let printer = kit(3, 2, EquipmentType::Printer, 10);
    let c = [
        Candidate {
            resource: &near,
            at: Some(RUESSELSHEIM),
        },
        Candidate {
            resource: &far,
            at: Some(DARMSTADT),
        },
        Candidate {
            resource: &printer,
            at: Some(RUESSELSHEIM),
        },
    ];
    let wanted = Wanted {
        org_id: OrgId(1),
        need: Need::Equipment(EquipmentType::Notebook),
        count: 5,
        window: Window::new(Some(date!(2026 - 12 - 02)), Some(date!(2026 - 12 - 06))).unwrap(),
        at: Some(NAUHEIM),
    };
    let m = rank(&wanted, &c);
    assert_eq!(ids(&m), vec![PactResourceId(2), PactResourceId(1)]);
    assert!(m[0].covers_window && !m[1].covers_window);
}

#[test]
fn matching_puts_unknown_distances_last_and_whole_counts_first() {
    let few = kit(1, 2, EquipmentType::Workstation, 2);
    let many = kit(2, 2, EquipmentType::Workstation, 20);
    let nowhere = kit(3, 3, EquipmentType::Workstation, 20);
    let c = [
        Candidate {
            resource: &nowhere,
            at: None,
        },
        Candidate {
            resource: &few,
            at: Some(RUESSELSHEIM),
        },
        Candidate {
            resource: &many,
            at: Some(RUESSELSHEIM),
        },
    ];
    let wanted = Wanted {
        org_id: OrgId(1),
        need: Need::Equipment(EquipmentType::Workstation),
        count: 10,
        window: Window::default(),
        at: Some(NAUHEIM),
    };
    assert_eq!(
        ids(&rank(&wanted, &c)),
        vec![PactResourceId(2), PactResourceId(1), PactResourceId(3)]
    );
}

#[test]
fn remote_support_matches_a_skill_but_equipment_never_does() {
    let remote = PactResource {
        skills: vec![Skill::Forensics],
        ..res(1, 2, ResourceKind::RemoteSupport)
    };
    let mut box_ = kit(2, 2, EquipmentType::Phone, 1);
    box_.skills = vec![Skill::Forensics];
    assert!(offers(&remote, Need::Skill(Skill::Forensics)));
    assert!(!offers(&box_, Need::Skill(Skill::Forensics)));
}

#[test]
fn resource_validation_names_each_bad_field() {
    let raw = RawResource {
        kind: Some("equipment".into()),
        name: Some("  ".into()),
        equipment_type: Some("fax".into()),
        count: Some(0),
        available_from: Some("2026-12-05".into()),
        available_until: Some("2026-12-01".into()),
        ..RawResource::default()
    };
    let e = raw.validate().unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["name", "equipment_type", "count", "available_until"]
    );
    let p = RawResource {
        kind: Some("person".into()),
        name: Some("A".into()),
        ..RawResource::default()
    };
    assert_eq!(
        p.validate().unwrap_err().0[0].code,
        "error-pact-skill-required"
    );
    let ok = RawResource {
        kind: Some("person".into()),
        name: Some("Ada".into()),
        skills: vec!["network".into(), "windows_ad".into(), "network".into()],
        ..RawResource::default()
    }
    .validate()
    .unwrap();
    assert_eq!(ok.skills, vec![Skill::WindowsAd, Skill::Network]);
}

#[test]
fn request_validation_checks_need_count_and_window() {
    let r = RawRequest {
        need_kind: Some("skill".into()),
        need: Some("notebook".into()),
        count: Some(0),
        ..RawRequest::default()
    };
    let e = r.validate().unwrap_err();
    assert_eq!(
        e.0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        ["need", "count"]
    );
    let ok = RawRequest {
        need_kind: Some("equipment".into()),
        need: Some("notebook".into()),
        count: Some(4),
        ..RawRequest::default()
    };
    assert_eq!(
        ok.validate().unwrap().need,
        Need::Equipment(EquipmentType::Notebook)
    );
}

#[test]
fn webhook_urls_must_be_http_with_a_host() {
    assert_eq!(webhook_url(Some(" ")).unwrap(), None);
    assert!(webhook_url(Some("ftp://x")).is_err());
    assert!(webhook_url(Some("http:///x")).is_err());
    assert!(webhook_url(Some("http://a b")).is_err());
    assert_eq!(
        webhook_url(Some("http://127.0.0.1:9/hook"))
            .unwrap()
            .as_deref(),
        Some("http://127.0.0.1:9/hook")
    );
}

fn obj(id: i64, org: i64, provider: bool, t: ObjectType, avail: Option<Category>) -> DepObject {
    DepObject {
        id: StructureObjectId(id),
        org_id: OrgId(org),
        org_name: format!("Org {org}"),
        provider,
        short_id: format!("O{id}"),
        name: format!("Object {id}"),
        object_type: t,
        needs: [None, None, avail],
    }
}

fn link(from: i64, to: i64, t: LinkType) -> DepLink {
    DepLink {
        from: StructureObjectId(from),
        to: StructureObjectId(to),
        link_type: t,
    }
}

#[test]
fn a_provider_outage_reaches_the_processes_of_every_member_relying_on_it() {
    // Provider 9 runs the registration procedure (100). Member 1's application 11 is provided
    // by it and processes the data of process 12 (sehr hoch) and 13 (normal); member 2's
    // application 21 likewise for process 22 (hoch). Member 3 relies on other mail (200).
    let objects = [
        obj(
            100,
            9,
            true,
            ObjectType::Application,
            Some(Category::VeryHigh),
        ),
        obj(
            200,
            9,
            true,
            ObjectType::Application,
            Some(Category::Normal),
        ),
        obj(11, 1, false, ObjectType::Application, None),
        obj(
            12,
            1,
            false,
            ObjectType::BusinessProcess,
            Some(Category::VeryHigh),
        ),
        obj(
            13,
            1,
            false,
            ObjectType::BusinessProcess,
            Some(Category::Normal),
        ),
        obj(21, 2, false, ObjectType::Application, None),
        obj(
            22,
            2,
            false,
            ObjectType::BusinessProcess,
            Some(Category::High),
        ),
        obj(31, 3, false, ObjectType::Application, None),
        obj(
            32,
            3,
            false,
            ObjectType::BusinessProcess,
            Some(Category::VeryHigh),
        ),
    ];
    let links = [
        link(11, 100, LinkType::ProvidedBy),
        link(11, 12, LinkType::ProcessesDataOf),
        link(11, 13, LinkType::ProcessesDataOf),
        link(21, 100, LinkType::ProvidedBy),
        link(21, 22, LinkType::ProcessesDataOf),
        link(31, 200, LinkType::ProvidedBy),
        link(31, 32, LinkType::ProcessesDataOf),
    ];
    let r = blast_radius(&objects, &links, &[StructureObjectId(100)]);
    assert_eq!(r.iter().map(|m| m.org_id.0).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        r[0].processes.iter().map(|p| p.id.0).collect::<Vec<_>>(),
        [12, 13]
    );
    assert_eq!(r[0].objects, 3);
    assert_eq!(r[1].processes[0].availability, Some(Category::High));
}

#[test]
fn blast_radius_follows_chains_and_survives_cycles() {
    let objects = [
        obj(1, 9, true, ObjectType::NetworkComponent, None),
        obj(2, 1, false, ObjectType::Server, None),
        obj(3, 1, false, ObjectType::Application, None),
        obj(
            4,
            1,
            false,
            ObjectType::BusinessProcess,
            Some(Category::High),
        ),
    ];
    let links = [
        link(2, 1, LinkType::CommunicatesOver),
        link(3, 2, LinkType::RunsOn),
        link(2, 3, LinkType::RunsOn), // a (wrong) cycle must not loop
        link(3, 4, LinkType::ProcessesDataOf),
    ];
    let r = blast_radius(&objects, &links, &[StructureObjectId(1)]);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].processes[0].id, StructureObjectId(4));
    assert_eq!(
        blast_radius(&objects, &links, &[StructureObjectId(4)]).len(),
        1
    );
    assert!(blast_radius(&objects, &links, &[]).is_empty());
}

#[test]
fn blast_radius_names_the_provider_objects_a_member_relies_on_and_the_map_lists_members() {
    let mut provider_app = obj(100, 9, true, ObjectType::Application, None);
    provider_app.short_id = "KRZ-FIN".into();
    let objects = [
        obj(200, 9, true, ObjectType::Server, None),
        provider_app,
        obj(11, 1, false, ObjectType::Application, None),
        obj(
            12,
            1,
            false,
            ObjectType::BusinessProcess,
            Some(Category::VeryHigh),
        ),
        obj(21, 2, false, ObjectType::Server, None),
    ];
    let links = [
        link(100, 200, LinkType::RunsOn),
        link(11, 100, LinkType::ProvidedBy),
        link(11, 12, LinkType::ProcessesDataOf),
        link(21, 200, LinkType::CommunicatesOver),
    ];
    let r = blast_radius(&objects, &links, &[StructureObjectId(200)]);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].org_id.0, 1);
    // Org 1 is reached through the provider's application, org 2 directly.
    assert_eq!(
        r[0].via
            .iter()
            .map(|v| v.short_id.as_str())
            .collect::<Vec<_>>(),
        ["KRZ-FIN"]
    );
    assert_eq!(r[1].via.len(), 1);
    assert_eq!(suggested_severity(&r[0]), crate::pact::Severity::Critical);
    assert_eq!(suggested_severity(&r[1]), crate::pact::Severity::Low);
    let map = dependency_map(&objects, &links);
    assert_eq!(map.len(), 2);
    let fin = map.iter().find(|s| s.id.0 == 100).unwrap();
    assert_eq!(
        fin.members.iter().map(|m| m.org_id.0).collect::<Vec<_>>(),
        [1]
    );
    let server = map.iter().find(|s| s.id.0 == 200).unwrap();
    assert_eq!(server.members.len(), 2);
    // The process depends on its application, that on the provider's, that on the server.
    assert_eq!(
        dependencies(&links, StructureObjectId(12))
            .iter()
            .map(|o| o.0)
            .collect::<Vec<_>>(),
        [11, 100, 200]
    );
}

fn skill() -> impl Strategy<Value = Skill> {
    (0..Skill::ALL.len()).prop_map(|i| Skill::ALL[i])
}

fn day() -> impl Strategy<Value = Option<time::Date>> {
    prop_oneof![1 => Just(None), 3 => (0i64..60).prop_map(|d| Some(date!(2026 - 12 - 01) + time::Duration::days(d)))]
}

fn window() -> impl Strategy<Value = Window> {
    (day(), day()).prop_map(|(a, b)| match (a, b) {
        (Some(x), Some(y)) if y < x => Window {
            from: Some(y),
            until: Some(x),
        },
        _ => Window { from: a, until: b },
    })
}

fn coords() -> impl Strategy<Value = Option<Coordinates>> {
    prop_oneof![1 => Just(None), 4 => (49.5f64..50.5, 8.0f64..9.0).prop_map(|(lat, lon)| Some(Coordinates { lat, lon }))]
}

fn resource() -> impl Strategy<Value = (PactResource, Option<Coordinates>)> {
    (
        1i64..5,
        prop::collection::vec(skill(), 0..3),
        window(),
        1i64..5,
        coords(),
        0i64..1000,
    )
        .prop_map(|(org, skills, window, count, at, confirmed)| {
            (
                PactResource {
                    skills,
                    window,
                    count,
                    confirmed_at_ms: confirmed,
                    ..res(0, org, ResourceKind::Person)
                },
                at,
            )
        })
}

proptest! {
    #[test]
    fn distance_is_symmetric_non_negative_and_obeys_the_triangle(a in coords(), b in coords(), c in coords()) {
        if let (Some(a), Some(b), Some(c)) = (a, b, c) {
            let ab = a.distance_km(b);
            prop_assert!(ab >= 0.0);
            prop_assert!((ab - b.distance_km(a)).abs() < 1e-9);
            prop_assert!(a.distance_km(c) <= ab + b.distance_km(c) + 1e-6);
        }
    }

    #[test]
    fn every_match_fits_and_no_fitting_resource_is_left_out(
        rs in prop::collection::vec(resource(), 0..20),
        s in skill(), w in window(), at in coords(), count in 1i64..5,
    ) {
        let rs: Vec<(PactResource, Option<Coordinates>)> = rs.into_iter().enumerate()
            .map(|(i, (mut r, c))| { r.id = PactResourceId(i as i64 + 1); (r, c) }).collect();
        let c: Vec<Candidate<'_>> = rs.iter().map(|(r, at)| Candidate { resource: r, at: *at }).collect();
        let wanted = Wanted { org_id: OrgId(1), need: Need::Skill(s), count, window: w, at };
        let m = rank(&wanted, &c);
        for x in &m {
            prop_assert!(x.resource.org_id != OrgId(1));
            prop_assert!(x.resource.skills.contains(&s));
            prop_assert!(x.resource.window.overlap(w).is_some());
        }
        let fitting = rs.iter().filter(|(r, _)| r.org_id != OrgId(1) && r.skills.contains(&s) && r.window.overlap(w).is_some()).count();
        prop_assert_eq!(m.len(), fitting);
        // Whole-window matches come first; among them known distances ascend.
        let first_partial = m.iter().position(|x| !x.covers_window).unwrap_or(m.len());
        prop_assert!(m[first_partial..].iter().all(|x| !x.covers_window));
        for pair in m[..first_partial].windows(2) {
            if let (Some(a), Some(b)) = (pair[0].distance_km, pair[1].distance_km) {
                prop_assert!(a <= b + 1e-9);
            }
        }
    }

    #[test]
    fn window_overlap_is_symmetric_and_inside_both(a in window(), b in window()) {
        prop_assert_eq!(a.overlap(b), b.overlap(a));
        if let Some(o) = a.overlap(b) {
            prop_assert!(a.covers(o) && b.covers(o));
        }
        if a.covers(b) { prop_assert_eq!(a.overlap(b), Some(b)); }
    }
}
