//! IT-Grundschutz-Check on both backends: rows written when a module is assigned, high-level
//! rows following the object's need (answers kept), rows kept inactive when the module is
//! removed, fulfilment by a provider object, optimistic locking, and isolation.

use verbund_domain::StructureObjectId;
use verbund_domain::assessment::{Answer, AnswerStatus};
use verbund_domain::authz::Permission;
use verbund_domain::catalog::{Catalog, CatalogNode, SourceFormat};
use verbund_domain::structure::check::{CheckFilter, CheckRow, Level};
use verbund_domain::structure::{Category, Goal, LinkInput, LinkType};

use super::structure::{World, world};
use super::*;

/// A catalog with module `SYS.1.1` (requirements A1 Basis, A2 Standard, A3 high, each with a
/// sentence carrying its group) and module `INF.2` (one Basis requirement without sentences).
fn check_catalog() -> Catalog {
    let mut nodes = Vec::new();
    let module = |m: &str| {
        let mut n = CatalogNode::new(format!("urn:test:chk:{}", m.to_lowercase()));
        n.depth = 1;
        n.ref_id = Some(m.into());
        n.name = Some(format!("Baustein {m}"));
        n
    };
    nodes.push(module("SYS.1.1"));
    for (a, g) in [("A1", "B"), ("A2", "S"), ("A3", "H")] {
        let urn = format!("urn:test:chk:sys.1.1.{}", a.to_lowercase());
        let mut r = CatalogNode::new(&urn);
        r.parent_urn = Some("urn:test:chk:sys.1.1".into());
        r.ref_id = Some(format!("SYS.1.1.{a}"));
        r.name = Some(format!("Anforderung {a}"));
        r.depth = 2;
        nodes.push(r);
        let mut s = CatalogNode::new(format!("{urn}.1"));
        s.parent_urn = Some(urn.clone());
        s.ref_id = Some(format!("SYS.1.1.{a}.1"));
        s.description = Some(format!("Satz zu {a}"));
        s.assessable = true;
        s.depth = 3;
        s.implementation_groups = vec![g.into()];
        nodes.push(s);
    }
    nodes.push(module("INF.2"));
    let mut r = CatalogNode::new("urn:test:chk:inf.2.a1");
    r.parent_urn = Some("urn:test:chk:inf.2".into());
    r.ref_id = Some("INF.2.A1".into());
    r.description = Some("Der Raum ist verschlossen.".into());
    r.assessable = true;
    r.depth = 2;
    r.implementation_groups = vec!["B".into()];
    nodes.push(r);
    for (i, n) in nodes.iter_mut().enumerate() {
        n.order = u32::try_from(i).expect("small");
    }
    Catalog {
        urn: "urn:test:chk".into(),
        ref_id: "CHK".into(),
        name: "Check-Bausteine".into(),
        description: None,
        version: "1".into(),
        locale: "de".into(),
        provider: None,
        copyright: None,
        source: SourceFormat::Verbund,
        translations: Default::default(),
        implementation_groups: vec![],
        nodes,
    }
}

/// Imports the catalog; returns the node ids of SYS.1.1 and INF.2.
async fn with_catalog(w: &World) -> (i64, i64) {
    w.s.import_catalog(&AuditActor::system(), w.fed, &check_catalog(), "chk")
        .await
        .expect("catalog");
    let offer = w.s.catalog_modules().await.expect("modules");
    let id = |r: &str| {
        offer
            .iter()
            .find(|m| m.ref_id == r)
            .expect("module")
            .node_id
    };
    (id("SYS.1.1"), id("INF.2"))
}

async fn rows(w: &World, org: OrgId, all: bool) -> Vec<CheckRow> {
    let filter = CheckFilter {
        with_out_of_scope: all,
        ..CheckFilter::default()
    };
    w.s.check_rows(
        &w.scope(org, Permission::ReadStructure),
        org,
        &filter,
        PageRequest::new(None, None),
    )
    .await
    .expect("rows")
    .items
}

fn refs(rows: &[CheckRow]) -> Vec<&str> {
    rows.iter().map(|r| r.ref_id.as_str()).collect()
}

fn yes() -> Answer {
    Answer {
        status: AnswerStatus::Yes,
        ..Answer::default()
    }
}

async fn answer(
    w: &World,
    org: OrgId,
    row: i64,
    a: &Answer,
    by: Option<StructureObjectId>,
) -> Result<CheckRow> {
    w.s.answer_check_row(
        &AuditActor::system(),
        &w.scope(org, Permission::EditStructure),
        &w.scope(org, Permission::ReadStructure),
        row,
        None,
        a,
        by,
    )
    .await
}

async fn high_rows_follow_the_need_and_answers_survive_removal(s: Store) {
    let w = world(s).await;
    let (sys, _) = with_catalog(&w).await;
    let server = w.object(w.a, "S1", "server").await;
    let write = w.scope(w.a, Permission::EditStructure);
    let a =
        w.s.assign_module(&AuditActor::system(), &write, server, sys)
            .await
            .expect("assigned");
    assert_eq!(
        refs(&rows(&w, w.a, false).await),
        ["SYS.1.1.A1", "SYS.1.1.A2"]
    );
    let all = rows(&w, w.a, true).await;
    assert_eq!(refs(&all), ["SYS.1.1.A1", "SYS.1.1.A2", "SYS.1.1.A3"]);
    let levels: Vec<Level> = all.iter().map(|r| r.level).collect();
    assert_eq!(levels, [Level::Basis, Level::Standard, Level::High]);
    assert!(!all[2].in_scope);
    assert_eq!(all[0].text, "Satz zu A1", "the sentences are the text");
    assert_eq!(all[0].module_ref, "SYS.1.1");
    let high_row = all[2].id;
    answer(&w, w.a, high_row, &yes(), None)
        .await
        .expect("answered");

    // The need rises to hoch: the high-level row applies and counts.
    w.set_high(server, true).await;
    let now = rows(&w, w.a, false).await;
    assert_eq!(refs(&now).len(), 3);
    assert!(now[2].in_scope);
    let sum =
        w.s.check_summary(&w.scope(w.a, Permission::ReadStructure), w.a)
            .await
            .expect("summary");
    assert_eq!(
        (sum.basis.total, sum.standard.total, sum.high.total),
        (1, 1, 1)
    );
    assert_eq!(sum.high.score_bp(), Some(10_000));

    // It falls again: the row drops out, its answer stays.
    w.set_high(server, false).await;
    assert_eq!(rows(&w, w.a, false).await.len(), 2);
    let kept = rows(&w, w.a, true).await;
    assert_eq!(kept[2].answer.status, AnswerStatus::Yes);
    let sum =
        w.s.check_summary(&w.scope(w.a, Permission::ReadStructure), w.a)
            .await
            .expect("summary");
    assert_eq!(sum.high.total, 0);

    // Removing the module hides the rows; assigning it again brings the answers back.
    w.s.unassign_module(&AuditActor::system(), &write, a.id)
        .await
        .expect("removed");
    assert!(rows(&w, w.a, true).await.is_empty());
    w.s.assign_module(&AuditActor::system(), &write, server, sys)
        .await
        .expect("again");
    let back = rows(&w, w.a, true).await;
    assert_eq!(back.len(), 3);
    assert_eq!(back[2].id, high_row);
    assert_eq!(back[2].answer.status, AnswerStatus::Yes);
}

async fn a_provider_object_fulfils_a_requirement_for_members_objects(s: Store) {
    let w = world(s).await;
    let (sys, inf) = with_catalog(&w).await;
    let sysa = AuditActor::system();
    let rz = w.object(w.provider, "RZ-1", "room").await;
    let server = w.object(w.a, "S1", "server").await;
    let other = w.object(w.a, "S2", "server").await;
    let b_room = w.object(w.b, "R1", "room").await;
    w.s.create_structure_link(
        &sysa,
        &w.all(),
        &LinkInput::new(server.0, rz.0, LinkType::ProvidedBy).expect("valid"),
    )
    .await
    .expect("link");
    for (o, m) in [(rz, inf), (server, inf), (server, sys), (b_room, inf)] {
        w.s.assign_module(&sysa, &w.all(), o, m)
            .await
            .expect("assigned");
    }
    let mine = rows(&w, w.a, false).await;
    let room_row = mine
        .iter()
        .find(|r| r.ref_id == "INF.2.A1")
        .expect("row")
        .clone();
    assert_eq!(
        room_row.text, "Der Raum ist verschlossen.",
        "no sentences: own text"
    );

    // Fulfilled by the provider's data centre, which has not answered yet: offen.
    let r = answer(&w, w.a, room_row.id, &Answer::default(), Some(rz))
        .await
        .expect("referenced");
    let f = r.fulfilled_by.clone().expect("reference");
    assert_eq!((f.object_id, f.short_id.as_str()), (rz, "RZ-1"));
    assert_eq!(r.effective_status, AnswerStatus::Unanswered);

    // The office answers for the provider: the member's row counts with it.
    let rz_row = rows(&w, w.provider, false).await;
    let refused = answer(&w, w.a, rz_row[0].id, &yes(), None).await;
    assert!(
        matches!(refused, Err(StoreError::NotFound)),
        "the provider's row is not the member's to answer: {refused:?}"
    );
    w.s.answer_check_row(&sysa, &w.all(), &w.all(), rz_row[0].id, None, &yes(), None)
        .await
        .expect("office answers");
    let r =
        w.s.get_check_row(&w.scope(w.a, Permission::ReadStructure), room_row.id)
            .await
            .expect("row");
    assert_eq!(r.effective_status, AnswerStatus::Yes);
    assert_eq!(
        r.answer.status,
        AnswerStatus::Unanswered,
        "own answer unchanged"
    );
    let sum =
        w.s.check_summary(&w.scope(w.a, Permission::ReadStructure), w.a)
            .await
            .expect("summary");
    assert_eq!((sum.basis.total, sum.basis.yes), (2, 1));
    let yes_only = CheckFilter {
        status: Some(AnswerStatus::Yes),
        ..CheckFilter::default()
    };
    let filtered =
        w.s.check_rows(
            &w.scope(w.a, Permission::ReadStructure),
            w.a,
            &yes_only,
            PageRequest::new(None, None),
        )
        .await
        .expect("filtered");
    assert_eq!(
        filtered.total, 1,
        "the filter reads the status a row counts with"
    );
    let fed =
        w.s.check_fulfilment_federation_wide(&w.all())
            .await
            .expect("comparison");
    let a_line = fed.iter().find(|m| m.org_id == w.a).expect("member a");
    assert_eq!(a_line.basis.yes, 1);
    assert!(
        fed.iter().all(|m| m.org_id != w.provider),
        "providers are no members"
    );
    assert!(
        w.s.check_fulfilment_federation_wide(&w.scope(w.a, Permission::ReadStructure))
            .await
            .is_err()
    );

    // Refused references: another member's object, the object itself, no such requirement.
    let code = |r: Result<CheckRow>| match r {
        Err(StoreError::Invalid(e)) => e.0[0].code.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        code(answer(&w, w.a, room_row.id, &yes(), Some(b_room)).await),
        "error-check-reference-unknown"
    );
    assert_eq!(
        code(answer(&w, w.a, room_row.id, &yes(), Some(server)).await),
        "error-check-reference-self"
    );
    assert_eq!(
        code(answer(&w, w.a, room_row.id, &yes(), Some(other)).await),
        "error-check-reference-requirement"
    );
}

async fn member_gets_nothing_of_another_members_check(s: Store) {
    let w = world(s).await;
    let (_, inf) = with_catalog(&w).await;
    let b_room = w.object(w.b, "R1", "room").await;
    w.s.assign_module(&AuditActor::system(), &w.all(), b_room, inf)
        .await
        .expect("assigned");
    let b_row = rows(&w, w.b, false).await[0].id;
    let read_a = w.scope(w.a, Permission::ReadStructure);
    assert!(matches!(
        w.s.get_check_row(&read_a, b_row).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        answer(&w, w.a, b_row, &yes(), None).await,
        Err(StoreError::NotFound)
    ));
    let page =
        w.s.check_rows(
            &read_a,
            w.b,
            &CheckFilter::default(),
            PageRequest::new(None, None),
        )
        .await
        .expect("empty");
    assert_eq!(page.total, 0);
    assert_eq!(
        rows(&w, w.b, false).await[0].answer.status,
        AnswerStatus::Unanswered
    );
}

async fn a_stale_version_is_refused_and_changes_are_audited(s: Store) {
    let w = world(s).await;
    let (_, inf) = with_catalog(&w).await;
    let room = w.object(w.a, "R1", "room").await;
    w.s.assign_module(&AuditActor::system(), &w.all(), room, inf)
        .await
        .expect("assigned");
    let row = rows(&w, w.a, false).await.remove(0);
    let write = w.scope(w.a, Permission::EditStructure);
    let read = w.scope(w.a, Permission::ReadStructure);
    let saved =
        w.s.answer_check_row(
            &AuditActor::system(),
            &write,
            &read,
            row.id,
            Some(row.version),
            &yes(),
            None,
        )
        .await
        .expect("saved");
    assert_eq!(saved.version, row.version + 1);
    let stale =
        w.s.answer_check_row(
            &AuditActor::system(),
            &write,
            &read,
            row.id,
            Some(row.version),
            &yes(),
            None,
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    let audit = w.s.recent_audit(&w.all(), 5).await.expect("audit");
    let entry = &audit
        .iter()
        .find(|e| e.entry.record.action == "check.answer")
        .expect("audited")
        .entry
        .record;
    assert_eq!(entry.org_id, Some(w.a.0));
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).expect("json");
    assert_eq!(json(&entry.before)["answer"]["status"], "unanswered");
    assert_eq!(json(&entry.after)["answer"]["status"], "yes");
}

impl World {
    /// Sets (or clears) a high availability need on `o`.
    async fn set_high(&self, o: StructureObjectId, high: bool) {
        self.s
            .set_structure_need(
                &AuditActor::system(),
                &self.all(),
                o,
                Goal::Availability,
                high.then(|| (Category::High, None, "Begründung".into())),
            )
            .await
            .expect("need");
    }
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
    high_rows_follow_the_need_and_answers_survive_removal,
    a_provider_object_fulfils_a_requirement_for_members_objects,
    member_gets_nothing_of_another_members_check,
    a_stale_version_is_refused_and_changes_are_audited
);
