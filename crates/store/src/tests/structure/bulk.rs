//! Generated structures sharing one provider object, the set-based writes of a recompute,
//! imports with links to provider objects, and a member's whole analysis for the report.

use super::*;
use crate::{GeneratedNeed, StructureTemplate};

fn input(short: &str, t: &str) -> ObjectInput {
    RawObject {
        short_id: short.into(),
        name: format!("Objekt {short}"),
        object_type: t.into(),
        ..RawObject::default()
    }
    .validate()
    .expect("valid")
}

/// A process, an application processing its data and provided by the shared object, a server
/// it runs on.
fn template() -> StructureTemplate {
    StructureTemplate {
        objects: vec![
            input("GP", "business_process"),
            input("A", "application"),
            input("S", "server"),
        ],
        links: vec![(1, 0, LinkType::ProcessesDataOf), (1, 2, LinkType::RunsOn)],
        shared_links: vec![(1, LinkType::ProvidedBy)],
    }
}

async fn by_short(w: &World, org: OrgId, short: &str) -> StructureObjectId {
    w.s.list_structure_objects(
        &w.all(),
        &ObjectFilter {
            org: Some(org),
            ..ObjectFilter::default()
        },
        PageRequest::new(None, Some(200)),
    )
    .await
    .expect("list")
    .items
    .into_iter()
    .find(|o| o.short_id == short)
    .expect("object")
    .id
}

async fn generated_members_share_the_provider_object_and_its_change_reaches_below(s: Store) {
    let w = world(s).await;
    let hosted = w.object(w.provider, "RZ-1", "application").await;
    let dc = w.object(w.provider, "RZ-DC", "building").await;
    w.link(hosted, dc, LinkType::LocatedIn).await;
    let needs = |c: Category| -> Vec<GeneratedNeed> {
        vec![
            (0, Goal::Confidentiality, High, "Personenbezogen"),
            (0, Goal::Availability, c, "Ausfall"),
        ]
    };

    let created =
        w.s.generate_structures(
            &AuditActor::system(),
            hosted,
            &template(),
            &[(w.a, needs(Normal)), (w.b, needs(VeryHigh))],
        )
        .await
        .expect("generated");

    assert_eq!(created, 6);
    let server_a = by_short(&w, w.a, "S").await;
    assert_eq!(w.eff(server_a).await, [Some(High), None, Some(Normal)]);
    assert_eq!(w.eff(hosted).await, [Some(High), None, Some(VeryHigh)]);
    assert_eq!(w.eff(dc).await, [Some(High), None, Some(VeryHigh)]);
    let office =
        w.s.structure_object_detail(&w.all(), hosted)
            .await
            .expect("detail");
    let contributions: Vec<(OrgId, Option<Category>)> = office
        .contributions
        .iter()
        .map(|c| (c.org_id, c.needs.availability))
        .collect();
    assert_eq!(contributions, [(w.a, Some(Normal)), (w.b, Some(VeryHigh))]);

    // The provider object's own need reaches the data centre, and goes again when cleared.
    w.set(hosted, Goal::Integrity, VeryHigh, None).await;
    assert_eq!(
        w.eff(dc).await,
        [Some(High), Some(VeryHigh), Some(VeryHigh)]
    );
    w.s.set_structure_need(
        &AuditActor::system(),
        &w.all(),
        hosted,
        Goal::Integrity,
        None,
    )
    .await
    .expect("cleared");
    assert_eq!(w.eff(dc).await, [Some(High), None, Some(VeryHigh)]);

    // A member lowering its need changes only its contribution; the other one's stays.
    let gp_b = by_short(&w, w.b, "GP").await;
    w.set(gp_b, Goal::Availability, High, None).await;
    assert_eq!(w.eff(hosted).await, [Some(High), None, Some(High)]);
    let office =
        w.s.structure_object_detail(&w.all(), hosted)
            .await
            .expect("detail");
    assert_eq!(office.contributions.len(), 2);
    assert_eq!(office.contributions[1].needs.availability, Some(High));

    // A recompute from scratch (all links switched off and on again) gives the same values.
    let watched = [server_a, hosted, dc, gp_b];
    let mut snapshot = Vec::new();
    for o in watched {
        snapshot.push(w.eff(o).await);
    }
    let mut settings = w.s.structure_settings().await.expect("settings");
    let original = settings.clone();
    for t in LinkType::ALL {
        settings
            .propagation
            .set(*t, verbund_domain::structure::Direction::None);
    }
    w.s.save_structure_settings(&AuditActor::system(), w.fed, &settings)
        .await
        .expect("off");
    assert_eq!(w.eff(dc).await, [None, None, None]);
    w.s.save_structure_settings(&AuditActor::system(), w.fed, &original)
        .await
        .expect("on");
    for (o, want) in watched.into_iter().zip(snapshot) {
        assert_eq!(w.eff(o).await, want);
    }

    // Generating again for the same member is refused as a whole.
    assert!(
        w.s.generate_structures(&AuditActor::system(), hosted, &template(), &[(w.a, vec![])])
            .await
            .is_err()
    );
    // The shared object must be a provider's.
    assert!(matches!(
        w.s.generate_structures(
            &AuditActor::system(),
            server_a,
            &template(),
            &[(w.b, vec![])]
        )
        .await,
        Err(StoreError::NotFound)
    ));
}

async fn an_import_links_to_provider_objects_but_never_to_another_members(s: Store) {
    let w = world(s).await;
    let hosted = w.object(w.provider, "RZ-1", "application").await;
    let foreign = w.object(w.b, "B1", "server").await;
    let write = w.scope(w.a, Permission::EditStructure);
    let objects = [input("A1", "application")];

    let bad = [(
        "A1".to_owned(),
        LinkEnd::Provider(foreign),
        LinkType::RunsOn,
    )];
    let refused =
        w.s.import_structure(&AuditActor::system(), &write, w.a, &objects, &bad)
            .await;

    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    assert!(
        w.s.export_structure(&w.all(), w.a)
            .await
            .expect("export")
            .0
            .is_empty()
    );
    let good = [(
        "A1".to_owned(),
        LinkEnd::Provider(hosted),
        LinkType::ProvidedBy,
    )];
    let counts =
        w.s.import_structure(&AuditActor::system(), &write, w.a, &objects, &good)
            .await
            .expect("import");
    assert_eq!(counts, (1, 0, 1));
    let (_, links, names) = w.s.export_structure(&w.all(), w.a).await.expect("export");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].to.id, hosted);
    assert_eq!(
        names.get(&w.provider).map(String::as_str),
        Some("Landes-IT")
    );
    let offered = w.s.provider_object_names(&write, w.a).await.expect("names");
    assert_eq!(
        offered,
        [("Landes-IT".to_owned(), "RZ-1".to_owned(), hosted)]
    );
    assert!(matches!(
        w.s.provider_object_names(&write, w.b).await,
        Err(StoreError::NotFound)
    ));
}

async fn a_members_analysis_keeps_paths_and_contributions_to_itself(s: Store) {
    let w = world(s).await;
    let hosted = w.object(w.provider, "RZ-1", "application").await;
    let gp = w.object(w.a, "GP1", "business_process").await;
    let app = w.object(w.a, "A1", "application").await;
    let server = w.object(w.a, "S1", "server").await;
    let app_b = w.object(w.b, "A1", "application").await;
    w.link(app, gp, LinkType::ProcessesDataOf).await;
    w.link(app, server, LinkType::RunsOn).await;
    w.link(app, hosted, LinkType::ProvidedBy).await;
    w.link(app_b, hosted, LinkType::ProvidedBy).await;
    w.set(gp, Goal::Confidentiality, High, None).await;
    w.set(app_b, Goal::Availability, VeryHigh, None).await;
    let read = w.scope(w.a, Permission::ReadStructure);

    let m = w.s.member_structure(&read, w.a).await.expect("report data");

    let shorts: Vec<&str> = m
        .objects
        .iter()
        .map(|o| o.object.short_id.as_str())
        .collect();
    assert_eq!(shorts, ["A1", "GP1", "S1"]);
    let s1 = &m.objects[2];
    let path: Vec<&str> = s1.paths[0]
        .iter()
        .map(|p| p.object.short_id.as_str())
        .collect();
    assert_eq!(path, ["S1", "A1", "GP1"]);
    assert!(s1.paths[0][2].own);
    assert_eq!(m.links.len(), 3);
    assert_eq!(m.provider_objects.len(), 1);
    let p = &m.provider_objects[0];
    assert_eq!(p.object.effective.availability, Some(VeryHigh));
    assert_eq!(p.contribution.confidentiality, Some(High));
    assert_eq!(p.contribution.availability, None);
    assert!(matches!(
        w.s.member_structure(&read, w.b).await,
        Err(StoreError::NotFound)
    ));
}

both!(
    generated_members_share_the_provider_object_and_its_change_reaches_below,
    an_import_links_to_provider_objects_but_never_to_another_members,
    a_members_analysis_keeps_paths_and_contributions_to_itself
);
