//! Modelling on both backends: modules of the newest catalog revision assigned to objects and
//! removed, rows of the modelling table, the rules with their defaults, and isolation.

use verbund_domain::authz::Permission;
use verbund_domain::catalog::{Catalog, CatalogNode, SourceFormat};
use verbund_domain::structure::modelling::ModuleRules;

use super::structure::{World, world};
use super::*;

/// A catalog with the modules `SYS.1.1` and `INF.2` (one requirement each); `version` makes a
/// new revision.
fn modules_catalog(version: &str, second_module: &str) -> Catalog {
    let mut nodes = Vec::new();
    for module in ["SYS.1.1", second_module] {
        let urn = format!("urn:test:mod:{}", module.to_lowercase());
        let mut m = CatalogNode::new(&urn);
        m.depth = 1;
        m.ref_id = Some(module.into());
        m.name = Some(format!("Baustein {module}"));
        nodes.push(m);
        let mut r = CatalogNode::new(format!("{urn}.a1"));
        r.parent_urn = Some(urn.clone());
        r.ref_id = Some(format!("{module}.A1"));
        r.description = Some("Eine Anforderung".into());
        r.assessable = true;
        r.depth = 2;
        nodes.push(r);
    }
    for (i, n) in nodes.iter_mut().enumerate() {
        n.order = u32::try_from(i).expect("small");
    }
    Catalog {
        urn: "urn:test:mod".into(),
        ref_id: "MOD".into(),
        name: "Bausteine".into(),
        description: None,
        version: version.into(),
        locale: "de".into(),
        provider: None,
        copyright: None,
        source: SourceFormat::Verbund,
        translations: Default::default(),
        implementation_groups: vec![],
        nodes,
    }
}

async fn with_catalog(w: &World) {
    let sys = AuditActor::system();
    w.s.import_catalog(&sys, w.fed, &modules_catalog("1", "INF.1"), "mod-1")
        .await
        .expect("catalog");
    w.s.import_catalog(&sys, w.fed, &modules_catalog("2", "INF.2"), "mod-2")
        .await
        .expect("revision 2");
}

async fn modules_of_the_newest_revision_are_assigned_and_removed(s: Store) {
    let w = world(s).await;
    with_catalog(&w).await;
    let sys = AuditActor::system();
    let offer = w.s.catalog_modules().await.expect("modules");
    let refs: Vec<&str> = offer.iter().map(|m| m.ref_id.as_str()).collect();
    assert_eq!(refs, ["SYS.1.1", "INF.2"], "only the newest revision");
    let server = w.object(w.a, "S1", "server").await;
    let write = w.scope(w.a, Permission::EditStructure);
    let a =
        w.s.assign_module(&sys, &write, server, offer[0].node_id)
            .await
            .expect("assigned");
    assert_eq!(a.module.ref_id, "SYS.1.1");
    assert_eq!(a.module.name.as_deref(), Some("Baustein SYS.1.1"));
    let dup =
        w.s.assign_module(&sys, &write, server, offer[0].node_id)
            .await;
    assert!(matches!(dup, Err(StoreError::Invalid(_))), "{dup:?}");
    let none = w.s.assign_module(&sys, &write, server, 999_999).await;
    assert!(matches!(none, Err(StoreError::Invalid(_))), "{none:?}");
    let rows =
        w.s.modelled_objects(&w.scope(w.a, Permission::ReadStructure), Some(w.a))
            .await
            .expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].modules, ["SYS.1.1"]);
    w.s.unassign_module(&sys, &write, a.id)
        .await
        .expect("removed");
    assert!(
        w.s.object_module_assignments(&w.all(), server)
            .await
            .expect("list")
            .is_empty()
    );
}

async fn the_rules_start_as_the_defaults_and_are_saved(s: Store) {
    let w = world(s).await;
    assert_eq!(
        w.s.module_rules().await.expect("rules"),
        ModuleRules::default()
    );
    let mine = ModuleRules { rules: vec![] };
    w.s.save_module_rules(&AuditActor::system(), w.fed, &mine)
        .await
        .expect("saved");
    assert_eq!(w.s.module_rules().await.expect("rules"), mine);
}

async fn member_gets_nothing_of_another_members_modules(s: Store) {
    let w = world(s).await;
    with_catalog(&w).await;
    let sys = AuditActor::system();
    let offer = w.s.catalog_modules().await.expect("modules");
    let b_obj = w.object(w.b, "S1", "server").await;
    let a_obj = w.object(w.a, "S1", "server").await;
    let b_mod =
        w.s.assign_module(&sys, &w.all(), b_obj, offer[0].node_id)
            .await
            .expect("B's module");
    let read = w.scope(w.a, Permission::ReadStructure);
    let write = w.scope(w.a, Permission::EditStructure);
    let nf = |r: std::result::Result<(), StoreError>| {
        assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}")
    };
    nf(w.s.object_module_assignments(&read, b_obj).await.map(drop));
    nf(w.s.get_module_assignment(&read, b_mod.id).await.map(drop));
    nf(w.s
        .assign_module(&sys, &write, b_obj, offer[1].node_id)
        .await
        .map(drop));
    nf(w.s.unassign_module(&sys, &write, b_mod.id).await.map(drop));
    assert!(
        w.s.modelled_objects(&read, Some(w.b))
            .await
            .expect("rows")
            .is_empty()
    );
    let mine = w.s.modelled_objects(&read, None).await.expect("rows");
    assert_eq!(mine.iter().map(|o| o.id).collect::<Vec<_>>(), [a_obj]);
    // Positive control: B's own scope reaches the same data.
    let read_b = w.scope(w.b, Permission::ReadStructure);
    assert_eq!(
        w.s.object_module_assignments(&read_b, b_obj)
            .await
            .expect("B reads")
            .len(),
        1
    );
    assert!(w.s.get_module_assignment(&read_b, b_mod.id).await.is_ok());
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
    modules_of_the_newest_revision_are_assigned_and_removed,
    the_rules_start_as_the_defaults_and_are_saved,
    member_gets_nothing_of_another_members_modules
);
