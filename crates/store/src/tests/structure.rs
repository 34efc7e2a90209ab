//! Structure analysis on both backends: needs recomputed in the change's transaction, shared
//! provider objects with per-member contributions, visibility, providers never billed.

use verbund_domain::authz::{Actor, Grant, Permission, Role, Scope};
use verbund_domain::org::{OrgInput, OrgKind};
use verbund_domain::structure::model::ObjectFilter;
use verbund_domain::structure::{
    Category, Deviation, Goal, LinkInput, LinkType, ObjectInput, RawObject,
};
use verbund_domain::{OrgId, StructureObjectId};

use super::*;

pub(super) struct World {
    pub(super) s: Store,
    pub(super) fed: FederationId,
    pub(super) office: OrgId,
    pub(super) a: OrgId,
    pub(super) b: OrgId,
    pub(super) provider: OrgId,
}

pub(super) async fn world(s: Store) -> World {
    let sys = AuditActor::system();
    let office = OrgInput {
        kind: OrgKind::Office,
        ags: None,
        ..org("Stelle", "06433000")
    };
    let fed = s.create_federation(&sys, "V", &office).await.expect("fed");
    let a = s
        .create_org(&sys, fed.id, &org("Nauheim", "06433009"))
        .await
        .expect("a");
    let b = s
        .create_org(&sys, fed.id, &org("Raunheim", "06433010"))
        .await
        .expect("b");
    let provider = s
        .create_org(
            &sys,
            fed.id,
            &OrgInput {
                kind: OrgKind::Provider,
                ags: None,
                ..org("Landes-IT", "06433000")
            },
        )
        .await
        .expect("provider");
    World {
        s,
        fed: fed.id,
        office: fed.office_org_id,
        a: a.id,
        b: b.id,
        provider: provider.id,
    }
}

impl World {
    pub(super) fn actor(&self, org: OrgId, role: Role) -> Actor {
        Actor {
            user_id: UserId(1),
            office_org: self.office,
            grants: vec![Grant { org_id: org, role }],
        }
    }
    pub(super) fn scope(&self, org: OrgId, p: Permission) -> Scope {
        self.actor(org, Role::Coordinator).scope(p)
    }
    pub(super) fn all(&self) -> Scope {
        Scope::system(&TEST_ACCESS)
    }
    pub(super) async fn object(&self, org: OrgId, short: &str, t: &str) -> StructureObjectId {
        let input: ObjectInput = RawObject {
            short_id: short.into(),
            name: format!("Objekt {short}"),
            object_type: t.into(),
            ..RawObject::default()
        }
        .validate()
        .expect("valid");
        self.s
            .create_structure_object(&AuditActor::system(), &self.all(), org, &input)
            .await
            .expect("create")
            .id
    }
    pub(super) async fn link(&self, from: StructureObjectId, to: StructureObjectId, t: LinkType) {
        self.s
            .create_structure_link(
                &AuditActor::system(),
                &self.all(),
                &LinkInput::new(from.0, to.0, t).expect("valid"),
            )
            .await
            .expect("link");
    }
    async fn set(&self, o: StructureObjectId, g: Goal, c: Category, d: Option<Deviation>) {
        self.s
            .set_structure_need(
                &AuditActor::system(),
                &self.all(),
                o,
                g,
                Some((c, d, "Begründung".into())),
            )
            .await
            .expect("set");
    }
    async fn eff(&self, o: StructureObjectId) -> [Option<Category>; 3] {
        self.s
            .get_structure_object(&self.all(), o)
            .await
            .expect("get")
            .effective
            .to_array()
    }
}

use Category::*;

async fn needs_flow_to_a_shared_provider_object_and_back_down(s: Store) {
    let w = world(s).await;
    let meldewesen = w.object(w.a, "GP1", "business_process").await;
    let app_a = w.object(w.a, "A1", "application").await;
    let app_b = w.object(w.b, "A1", "application").await;
    let hosted = w.object(w.provider, "RZ-1", "server").await;
    w.link(app_a, meldewesen, LinkType::ProcessesDataOf).await;
    w.link(app_a, hosted, LinkType::ProvidedBy).await;
    w.link(app_b, hosted, LinkType::ProvidedBy).await;
    w.set(meldewesen, Goal::Confidentiality, High, None).await;
    w.set(app_b, Goal::Availability, VeryHigh, None).await;
    assert_eq!(w.eff(hosted).await, [Some(High), None, Some(VeryHigh)]);

    // Nauheim sees the provider object, its own contribution only, and not Raunheim's object.
    let read_a = w.scope(w.a, Permission::ReadStructure);
    let detail =
        w.s.structure_object_detail(&read_a, hosted)
            .await
            .expect("visible");
    assert_eq!(detail.contributions.len(), 1);
    assert_eq!(detail.contributions[0].org_id, w.a);
    assert_eq!(detail.contributions[0].needs.confidentiality, Some(High));
    assert!(detail.used_by.iter().all(|l| l.from.org_id == w.a));
    assert!(matches!(
        w.s.get_structure_object(&read_a, app_b).await,
        Err(StoreError::NotFound)
    ));
    let list =
        w.s.list_structure_objects(
            &read_a,
            &ObjectFilter::default(),
            PageRequest::new(None, None),
        )
        .await
        .expect("list");
    let shorts: Vec<(OrgId, &str)> = list
        .items
        .iter()
        .map(|o| (o.org_id, o.short_id.as_str()))
        .collect();
    assert_eq!(shorts, [(w.a, "A1"), (w.a, "GP1"), (w.provider, "RZ-1")]);
    // The office sees both contributions; the path explains the confidentiality.
    let office =
        w.s.structure_object_detail(&w.all(), hosted)
            .await
            .expect("office");
    assert_eq!(office.contributions.len(), 2);
    let path: Vec<&str> = office.paths[0]
        .iter()
        .map(|p| p.object.short_id.as_str())
        .collect();
    assert_eq!(path, ["RZ-1", "A1", "GP1"]);

    // Lowering the process again lowers the shared object in the same call.
    w.set(meldewesen, Goal::Confidentiality, Normal, None).await;
    assert_eq!(w.eff(hosted).await[0], Some(Normal));
    // A distribution below the calculated value needs it to be lower; then it applies.
    let err =
        w.s.set_structure_need(
            &AuditActor::system(),
            &w.all(),
            hosted,
            Goal::Availability,
            Some((VeryHigh, Some(Deviation::Distribution), "x".into())),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(e) if e.0[0].code == "error-deviation-not-lower"));
    w.set(
        hosted,
        Goal::Availability,
        High,
        Some(Deviation::Distribution),
    )
    .await;
    assert_eq!(w.eff(hosted).await[2], Some(High));
    // Deleting Raunheim's application drops its contribution.
    w.s.delete_structure_object(&AuditActor::system(), &w.all(), app_b)
        .await
        .expect("delete");
    let office =
        w.s.structure_object_detail(&w.all(), hosted)
            .await
            .expect("office");
    assert_eq!(office.contributions.len(), 1);
    assert!(
        office.needs[2].stale,
        "nothing left to lower: the distribution is flagged"
    );
}

async fn a_member_links_only_to_its_own_or_provider_objects(s: Store) {
    let w = world(s).await;
    let own = w.object(w.a, "S1", "server").await;
    let other = w.object(w.b, "S1", "server").await;
    let write_a = w.scope(w.a, Permission::EditStructure);
    let err =
        w.s.create_structure_link(
            &AuditActor::system(),
            &write_a,
            &LinkInput::new(own.0, other.0, LinkType::RunsOn).expect("valid"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(e) if e.0[0].code == "error-link-target"));
    let err =
        w.s.create_structure_link(
            &AuditActor::system(),
            &write_a,
            &LinkInput::new(other.0, own.0, LinkType::RunsOn).expect("valid"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound));
    let provider_obj = w.object(w.provider, "P1", "server").await;
    let err =
        w.s.set_structure_need(
            &AuditActor::system(),
            &write_a,
            provider_obj,
            Goal::Integrity,
            Some((High, None, "x".into())),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::NotFound),
        "provider objects belong to the office"
    );
}

async fn servers_on_a_cycle_share_the_maximum_and_are_flagged(s: Store) {
    let w = world(s).await;
    let app = w.object(w.a, "A1", "application").await;
    let s1 = w.object(w.a, "S1", "server").await;
    let s2 = w.object(w.a, "S2", "server").await;
    w.link(app, s1, LinkType::RunsOn).await;
    w.link(s1, s2, LinkType::CommunicatesOver).await;
    w.link(s2, s1, LinkType::CommunicatesOver).await;
    w.set(app, Goal::Integrity, VeryHigh, None).await;
    let o2 = w.s.get_structure_object(&w.all(), s2).await.expect("get");
    assert!(o2.in_cycle);
    assert_eq!(o2.effective.integrity, Some(VeryHigh));
    let links =
        w.s.list_structure_links(&w.all(), w.a)
            .await
            .expect("links");
    let back = links.iter().find(|l| l.from.id == s2).expect("link");
    w.s.delete_structure_link(&AuditActor::system(), &w.all(), back.id)
        .await
        .expect("unlink");
    assert!(
        !w.s.get_structure_object(&w.all(), s2)
            .await
            .expect("get")
            .in_cycle
    );
}

async fn an_import_with_an_unknown_link_end_stores_nothing(s: Store) {
    let w = world(s).await;
    let objects: Vec<ObjectInput> = ["A1", "S1"]
        .iter()
        .map(|sid| {
            RawObject {
                short_id: (*sid).into(),
                name: "x".into(),
                object_type: "server".into(),
                ..RawObject::default()
            }
            .validate()
            .expect("valid")
        })
        .collect();
    let bad = [(
        "A1".to_owned(),
        LinkEnd::Own("S9".to_owned()),
        LinkType::RunsOn,
    )];
    assert!(
        w.s.import_structure(&AuditActor::system(), &w.all(), w.a, &objects, &bad)
            .await
            .is_err()
    );
    let none = w.s.export_structure(&w.all(), w.a).await.expect("export");
    assert!(none.0.is_empty());
    let good = [(
        "A1".to_owned(),
        LinkEnd::Own("S1".to_owned()),
        LinkType::RunsOn,
    )];
    let counts =
        w.s.import_structure(&AuditActor::system(), &w.all(), w.a, &objects, &good)
            .await
            .expect("import");
    assert_eq!(counts, (2, 0, 1));
    let again =
        w.s.import_structure(&AuditActor::system(), &w.all(), w.a, &objects, &good)
            .await
            .expect("import");
    assert_eq!(again, (0, 2, 0));
}

async fn providers_are_neither_billed_nor_assessed(s: Store) {
    let w = world(s).await;
    let members =
        w.s.member_rows_federation_wide(&w.all(), w.fed)
            .await
            .expect("members");
    let ids: Vec<OrgId> = members.iter().map(|(o, _)| o.id).collect();
    assert!(ids.contains(&w.a) && ids.contains(&w.b));
    assert!(!ids.contains(&w.provider));
}

/// Every `&Scope`-taking structure function with member A's scopes on member B's data.
async fn member_gets_nothing_of_another_members_structure(s: Store) {
    let w = world(s).await;
    let sys = AuditActor::system();
    let b_obj = w.object(w.b, "S1", "server").await;
    let b_app = w.object(w.b, "A1", "application").await;
    w.link(b_app, b_obj, LinkType::RunsOn).await;
    let a_obj = w.object(w.a, "S1", "server").await;
    let read = w.scope(w.a, Permission::ReadStructure);
    let write = w.scope(w.a, Permission::EditStructure);
    let input = RawObject {
        short_id: "X".into(),
        name: "x".into(),
        object_type: "room".into(),
        ..RawObject::default()
    }
    .validate()
    .expect("valid");
    let nf = |r: std::result::Result<(), StoreError>| {
        assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}")
    };
    nf(w.s.get_structure_object(&read, b_obj).await.map(drop));
    nf(w.s.structure_object_detail(&read, b_obj).await.map(drop));
    nf(w.s
        .create_structure_object(&sys, &write, w.b, &input)
        .await
        .map(drop));
    nf(w.s
        .update_structure_object(&sys, &write, b_obj, None, &input)
        .await
        .map(drop));
    nf(w.s
        .delete_structure_object(&sys, &write, b_obj)
        .await
        .map(drop));
    nf(w.s.list_structure_links(&read, w.b).await.map(drop));
    let b_links =
        w.s.list_structure_links(&w.all(), w.b)
            .await
            .expect("links");
    nf(w.s
        .delete_structure_link(&sys, &write, b_links[0].id)
        .await
        .map(drop));
    nf(w.s
        .create_structure_link(
            &sys,
            &write,
            &LinkInput::new(b_app.0, b_obj.0, LinkType::LocatedIn).expect("valid"),
        )
        .await
        .map(drop));
    nf(w.s.structure_link_targets(&write, w.b).await.map(drop));
    nf(w.s
        .set_structure_need(&sys, &write, b_obj, Goal::Integrity, None)
        .await
        .map(drop));
    nf(w.s
        .import_structure(&sys, &write, w.b, std::slice::from_ref(&input), &[])
        .await
        .map(drop));
    nf(w.s.export_structure(&read, w.b).await.map(drop));
    let targets =
        w.s.structure_link_targets(&write, w.a)
            .await
            .expect("targets");
    assert!(targets.iter().all(|t| t.org_id == w.a || t.provider));
    for org in [None, Some(w.b)] {
        let filter = ObjectFilter {
            org,
            ..ObjectFilter::default()
        };
        let page =
            w.s.list_structure_objects(&read, &filter, PageRequest::new(None, None))
                .await
                .expect("list");
        assert!(
            page.items.iter().all(|o| o.org_id == w.a),
            "{:?}",
            page.items
        );
    }
    // Positive control: B's own scope reaches the same data, A its own.
    let read_b = w.scope(w.b, Permission::ReadStructure);
    assert!(w.s.structure_object_detail(&read_b, b_obj).await.is_ok());
    assert!(w.s.structure_object_detail(&read, a_obj).await.is_ok());
}

macro_rules! both {
    ($($name:ident),*) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(super::sqlite().await.0).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(super::postgres().await).await;
            }
        }
    )*};
}

both!(
    needs_flow_to_a_shared_provider_object_and_back_down,
    a_member_links_only_to_its_own_or_provider_objects,
    servers_on_a_cycle_share_the_maximum_and_are_flagged,
    an_import_with_an_unknown_link_end_stores_nothing,
    providers_are_neither_billed_nor_assessed,
    member_gets_nothing_of_another_members_structure
);

mod bulk;
