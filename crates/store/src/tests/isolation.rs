//! Tenant isolation at the store: two members A and B with data of every kind; every public
//! `Store` function that takes a `&Scope` is called with A's scope (a coordinator in A) on B's
//! objects and must answer `NotFound`, nothing, or leave B out. A positive control with B's
//! scope reaches the same objects, so the checks cannot pass because the calls are wrong.
//!
//! Every `&Scope`-taking public function, found with
//! `grep -n "pub async fn" -A8 crates/store/src/lib.rs crates/store/src/*.rs | grep Scope`
//! (41; keep this list and the calls below in step when adding one):
//!
//! - lib.rs: list_orgs, get_org, update_org, list_memberships, get_membership,
//!   add_membership, update_membership, delete_membership, list_users, get_user, user_grants,
//!   update_user, add_grant, get_grant, remove_grant, count_orgs, count_users, list_audit,
//!   recent_audit
//! - assessments.rs: start_assessments, assessments, assessment, assessment_topics, answers,
//!   answers_by_id, set_answers, answer_assessment, migrate_assessment, answer_ids_by_urn,
//!   take_snapshot, snapshots, snapshot, current_answers, add_evidence, evidence_list,
//!   evidence, delete_evidence, heatmap_rows
//! - costs.rs: statements, statement, member_rows_federation_wide
//!
//! Functions on member data without a scope are office- or system-level by name or doc and
//! not called here: heatmap_stats_federation_wide (aggregates only), generate_members,
//! generate_assessments, assessment_counts_by_catalog (counts), get_user_unscoped (own
//! session), create_user, create_org, issue_statement, complete_statement_members.

use verbund_domain::assessment::{Answer, AnswerStatus};
use verbund_domain::authz::{Actor, Grant, Permission};
use verbund_domain::costs::{AllocationKey, KeyNode, StandaloneCosts};
use verbund_domain::org::MembershipInput;
use verbund_domain::validation::parse_date;

use super::*;
use crate::assessments::{AnswerFilter, HeatmapSort, NewEvidence};

/// Member A (Nauheim) and member B (Raunheim) with one object of every kind each.
struct World {
    fed: FederationId,
    office: OrgId,
    a: OrgId,
    b: OrgId,
    user_a: UserId,
    user_b: UserId,
    grant_b: RoleAssignmentId,
    membership_b: MembershipId,
    catalog: i64,
    revision_2: i64,
    assessment_b: i64,
    answer_b: i64,
    snapshot_b: i64,
    evidence_b: i64,
    /// Issued over A and B.
    statement_ab: i64,
    /// Issued over B only.
    statement_b: i64,
}

fn since(day: &str) -> MembershipInput {
    MembershipInput {
        starts_on: parse_date(day).expect("valid"),
        ends_on: None,
        note: None,
    }
}

async fn seed(s: &Store) -> World {
    fill(s).await;
    let sys = AuditActor::system();
    let all = Scope::system(&TEST_ACCESS);
    let fed = s.federation().await.expect("ok").expect("exists");
    let orgs = s
        .list_orgs(&all, None, PageRequest::default())
        .await
        .expect("orgs");
    let id = |name: &str| {
        orgs.items
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.id)
            .expect("seeded")
    };
    let (a, b) = (id("Nauheim"), id("Raunheim"));
    // B: a changed fact (audit entry of B), a membership, a coordinator.
    let mut changed = org("Raunheim", "06433010");
    changed.population = Some(16_000);
    s.update_org(&sys, &all, b, None, &changed)
        .await
        .expect("update");
    let membership_b = s
        .add_membership(&sys, &all, b, &since("2026-01-01"))
        .await
        .expect("membership")
        .id;
    s.add_membership(&sys, &all, a, &since("2026-01-01"))
        .await
        .expect("membership");
    let new_user = |email: &str| NewUser {
        email: Email::parse(email).expect("valid"),
        display_name: email.into(),
        password: None,
    };
    let user_b = s
        .create_user(&sys, &new_user("b@raunheim.de"), None, None)
        .await
        .expect("user")
        .id;
    let grant_b = s
        .add_grant(&sys, &all, user_b, b, Role::Coordinator)
        .await
        .expect("grant")
        .id;
    let user_a = s
        .login_user("a@b.de")
        .await
        .expect("ok")
        .expect("filled")
        .id;
    // Assessments of both, with an answer, a snapshot and evidence in B's.
    let (cat, _) = s
        .import_catalog(&sys, fed.id, &super::generate::catalog(), "iso-1")
        .await
        .expect("catalog");
    let mut second = super::generate::catalog();
    second.version = "2".into();
    let (rev2, _) = s
        .import_catalog(&sys, fed.id, &second, "iso-2")
        .await
        .expect("revision");
    let started = s
        .start_assessments(&sys, &all, fed.id, cat.id, &[a, b])
        .await
        .expect("start");
    let assessment_b = started[1];
    let rows = s
        .answers(&all, assessment_b, &AnswerFilter::default(), None)
        .await
        .expect("answers");
    let answer_b = rows.items[0].id;
    let yes = Answer {
        status: AnswerStatus::Yes,
        ..Answer::default()
    };
    s.set_answers(&sys, &all, assessment_b, &[(answer_b, None, yes)])
        .await
        .expect("answer");
    let snapshot_b = s
        .take_snapshot(&sys, &all, assessment_b, "Stand B")
        .await
        .expect("snapshot")
        .id;
    let evidence_b = s
        .add_evidence(&sys, &all, answer_b, &evidence(), &"0".repeat(64))
        .await
        .expect("evidence")
        .id;
    // Statements: one over A and B, one over B alone.
    let key = AllocationKey {
        name: "Gleich".into(),
        root: KeyNode::Equal,
    };
    let k = s
        .save_cost_key(&sys, fed.id, None, &key, &StandaloneCosts::default())
        .await
        .expect("key");
    let both = statement_document(&key, &[(a, "Nauheim", 10_840), (b, "Raunheim", 16_000)]);
    let statement_ab = s
        .issue_statement(&sys, fed.id, 2026, k.id, &both)
        .await
        .expect("issue")
        .id;
    let only_b = statement_document(&key, &[(b, "Raunheim", 16_000)]);
    let statement_b = s
        .issue_statement(&sys, fed.id, 2026, k.id, &only_b)
        .await
        .expect("issue")
        .id;
    World {
        fed: fed.id,
        office: fed.office_org_id,
        a,
        b,
        user_a,
        user_b,
        grant_b,
        membership_b,
        catalog: cat.id,
        revision_2: rev2.id,
        assessment_b,
        answer_b,
        snapshot_b,
        evidence_b,
        statement_ab,
        statement_b,
    }
}

fn evidence() -> NewEvidence {
    NewEvidence {
        file_name: "nachweis.pdf".into(),
        content_type: "application/pdf".into(),
        content: b"%PDF-1.4 Nachweis".to_vec(),
    }
}

/// The scope of a coordinator of `org`, as a request of theirs would carry it.
fn coordinator_scope(w: &World, org: OrgId, p: Permission) -> Scope {
    let actor = Actor {
        user_id: UserId(0),
        office_org: w.office,
        grants: vec![Grant {
            org_id: org,
            role: Role::Coordinator,
        }],
    };
    let scope = actor.scope(p);
    assert_eq!(
        scope.orgs(),
        Some(&[org][..]),
        "a coordinator reaches its member only"
    );
    scope
}

#[track_caller]
fn not_found<T: std::fmt::Debug>(r: Result<T>) {
    assert!(
        matches!(r, Err(StoreError::NotFound)),
        "expected NotFound, got {r:?}"
    );
}

/// `NotFound` or an empty list: a list call may answer either for an object outside the scope.
#[track_caller]
fn nothing<T: std::fmt::Debug>(r: Result<Vec<T>>) {
    match r {
        Err(StoreError::NotFound) => {}
        Ok(v) => assert!(v.is_empty(), "expected nothing, got {v:?}"),
        Err(e) => panic!("expected NotFound or nothing, got {e:?}"),
    }
}

async fn member_gets_nothing_of_another_member(s: Store) {
    let w = seed(&s).await;
    let sys = AuditActor::system();
    let scope = |p| coordinator_scope(&w, w.a, p);
    let page = PageRequest::default;

    // Organisations and memberships.
    let orgs = s
        .list_orgs(&scope(Permission::ReadOrg), None, page())
        .await
        .expect("list");
    assert_eq!(
        orgs.items.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![w.a]
    );
    assert_eq!(orgs.total, 1);
    not_found(s.get_org(&scope(Permission::ReadOrg), w.b).await);
    not_found(
        s.update_org(
            &sys,
            &scope(Permission::EditOrg),
            w.b,
            None,
            &org("Gekapert", "06433010"),
        )
        .await,
    );
    nothing(s.list_memberships(&scope(Permission::ReadOrg), w.b).await);
    not_found(
        s.get_membership(&scope(Permission::ReadOrg), w.membership_b)
            .await,
    );
    not_found(
        s.add_membership(&sys, &scope(Permission::EditOrg), w.b, &since("2027-01-01"))
            .await,
    );
    not_found(
        s.update_membership(
            &sys,
            &scope(Permission::EditOrg),
            w.membership_b,
            &since("2020-01-01"),
        )
        .await,
    );
    not_found(
        s.delete_membership(&sys, &scope(Permission::EditOrg), w.membership_b)
            .await,
    );
    assert_eq!(
        s.count_orgs(&scope(Permission::ReadOrg))
            .await
            .expect("count"),
        1
    );

    // Users and roles.
    let users = s
        .list_users(&scope(Permission::ReadUsers), None, page())
        .await
        .expect("list");
    assert_eq!(
        users.items.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![w.user_a]
    );
    assert_eq!(
        s.count_users(&scope(Permission::ReadUsers))
            .await
            .expect("count"),
        1
    );
    not_found(s.get_user(&scope(Permission::ReadUsers), w.user_b).await);
    nothing(s.user_grants(&scope(Permission::ReadUsers), w.user_b).await);
    let rename = UserChange {
        display_name: Some("Gekapert".into()),
        ..Default::default()
    };
    not_found(
        s.update_user(&sys, &scope(Permission::ManageUsers), w.user_b, &rename)
            .await,
    );
    not_found(
        s.add_grant(
            &sys,
            &scope(Permission::ManageUsers),
            w.user_b,
            w.a,
            Role::Management,
        )
        .await,
    );
    not_found(
        s.add_grant(
            &sys,
            &scope(Permission::ManageUsers),
            w.user_a,
            w.b,
            Role::Management,
        )
        .await,
    );
    not_found(s.get_grant(&scope(Permission::ReadUsers), w.grant_b).await);
    not_found(
        s.remove_grant(&sys, &scope(Permission::ManageUsers), w.grant_b)
            .await,
    );

    // Audit.
    let b_entry = |e: &AuditEntry| e.entry.record.org_id == Some(w.b.0);
    nothing(
        s.list_audit(&scope(Permission::ReadAudit), Some(w.b), page())
            .await
            .map(|p| p.items),
    );
    let mine = s
        .list_audit(
            &scope(Permission::ReadAudit),
            None,
            PageRequest::new(None, Some(200)),
        )
        .await
        .expect("audit");
    assert!(!mine.items.is_empty(), "A's own entries are listed");
    assert!(!mine.items.iter().any(b_entry));
    let recent = s
        .recent_audit(&scope(Permission::ReadAudit), 200)
        .await
        .expect("recent");
    assert!(!recent.iter().any(b_entry));

    // Assessments, answers, snapshots, evidence, comparison.
    let manage = scope(Permission::ManageAssessments);
    let read = scope(Permission::ReadAssessments);
    let answer = scope(Permission::AnswerAssessments);
    not_found(
        s.start_assessments(&sys, &manage, w.fed, w.revision_2, &[w.b])
            .await,
    );
    let listed = s.assessments(&read, None, page()).await.expect("list");
    assert!(listed.items.iter().all(|x| x.org_id == w.a) && listed.total == 1);
    not_found(s.assessment(&read, w.assessment_b).await);
    nothing(s.assessment_topics(&read, w.assessment_b).await);
    nothing(
        s.answers(&read, w.assessment_b, &AnswerFilter::default(), None)
            .await
            .map(|p| p.items),
    );
    nothing(s.answers_by_id(&read, w.assessment_b, &[w.answer_b]).await);
    let no = Answer {
        status: AnswerStatus::No,
        ..Answer::default()
    };
    not_found(
        s.set_answers(&sys, &answer, w.assessment_b, &[(w.answer_b, None, no)])
            .await,
    );
    not_found(s.answer_assessment(&read, w.answer_b).await);
    not_found(
        s.migrate_assessment(&sys, &manage, w.assessment_b, w.revision_2)
            .await,
    );
    nothing(s.answer_ids_by_urn(&read, w.assessment_b).await);
    not_found(
        s.take_snapshot(&sys, &manage, w.assessment_b, "Gekapert")
            .await,
    );
    nothing(s.snapshots(&read, w.assessment_b).await);
    not_found(s.snapshot(&read, w.snapshot_b).await);
    nothing(s.current_answers(&read, w.assessment_b).await);
    not_found(
        s.add_evidence(&sys, &answer, w.answer_b, &evidence(), &"1".repeat(64))
            .await,
    );
    nothing(s.evidence_list(&read, w.answer_b).await);
    not_found(s.evidence(&read, w.evidence_b).await);
    not_found(s.delete_evidence(&sys, &answer, w.evidence_b).await);
    let heat = s
        .heatmap_rows(&read, w.catalog, HeatmapSort::Name, page())
        .await
        .expect("heatmap");
    assert!(heat.items.iter().all(|r| r.org_id == w.a.0) && heat.total == 1);

    // Cost statements: A's part of the joint statement, nothing of B's.
    let costs = scope(Permission::ReadCosts);
    let statements = s.statements(&costs, w.fed, None).await.expect("statements");
    assert_eq!(
        statements.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![w.statement_ab]
    );
    let text = statements[0].document.to_string();
    assert!(text.contains("Nauheim"), "A's own part");
    assert!(!text.contains("Raunheim"), "nothing of B: {text}");
    not_found(s.statement(&costs, w.fed, w.statement_b).await);
    let part = s
        .statement(&costs, w.fed, w.statement_ab)
        .await
        .expect("own part");
    assert!(!part.document.to_string().contains("Raunheim"));
    not_found(s.member_rows_federation_wide(&costs, w.fed).await);

    // B is unchanged by A's refused writes.
    let all = Scope::system(&TEST_ACCESS);
    assert_eq!(s.get_org(&all, w.b).await.expect("b").name, "Raunheim");
    assert_eq!(
        s.get_user(&all, w.user_b).await.expect("b").display_name,
        "b@raunheim.de"
    );
    assert_eq!(
        s.user_grants(&all, w.user_b).await.expect("grants").len(),
        1
    );
    assert_eq!(s.list_memberships(&all, w.b).await.expect("ms").len(), 1);
    assert_eq!(
        s.snapshots(&all, w.assessment_b)
            .await
            .expect("snaps")
            .len(),
        1
    );
    assert_eq!(
        s.evidence_list(&all, w.answer_b).await.expect("ev").len(),
        1
    );
    let (_, answers_b) = s.snapshot(&all, w.snapshot_b).await.expect("snapshot");
    assert!(answers_b.iter().any(|(_, st, _)| *st == AnswerStatus::Yes));
    let current = s
        .answers_by_id(&all, w.assessment_b, &[w.answer_b])
        .await
        .expect("answer");
    assert_eq!(current[0].answer.status, AnswerStatus::Yes);
}

/// The same calls with B's own scope reach B's objects: the refusals above come from the scope.
async fn member_reaches_its_own_objects(s: Store) {
    let w = seed(&s).await;
    let sys = AuditActor::system();
    let scope = |p| coordinator_scope(&w, w.b, p);
    let page = PageRequest::default;
    let read = scope(Permission::ReadAssessments);
    let manage = scope(Permission::ManageAssessments);

    assert_eq!(
        s.get_org(&scope(Permission::ReadOrg), w.b)
            .await
            .expect("org")
            .id,
        w.b
    );
    assert_eq!(
        s.get_membership(&scope(Permission::ReadOrg), w.membership_b)
            .await
            .expect("membership")
            .org_id,
        w.b
    );
    assert_eq!(
        s.list_memberships(&scope(Permission::ReadOrg), w.b)
            .await
            .expect("ms")
            .len(),
        1
    );
    assert_eq!(
        s.get_user(&scope(Permission::ReadUsers), w.user_b)
            .await
            .expect("user")
            .id,
        w.user_b
    );
    assert_eq!(
        s.get_grant(&scope(Permission::ReadUsers), w.grant_b)
            .await
            .expect("grant")
            .org_id,
        w.b
    );
    assert!(
        s.list_audit(&scope(Permission::ReadAudit), Some(w.b), page())
            .await
            .expect("audit")
            .total
            > 0
    );
    assert_eq!(
        s.assessment(&read, w.assessment_b)
            .await
            .expect("assessment")
            .org_id,
        w.b
    );
    assert!(
        !s.assessment_topics(&read, w.assessment_b)
            .await
            .expect("topics")
            .is_empty()
    );
    assert_eq!(
        s.answer_assessment(&read, w.answer_b)
            .await
            .expect("answer"),
        (w.assessment_b, w.b)
    );
    assert!(
        !s.answer_ids_by_urn(&read, w.assessment_b)
            .await
            .expect("urns")
            .is_empty()
    );
    assert!(
        !s.current_answers(&read, w.assessment_b)
            .await
            .expect("current")
            .is_empty()
    );
    assert_eq!(
        s.snapshots(&read, w.assessment_b)
            .await
            .expect("snapshots")
            .len(),
        1
    );
    s.snapshot(&read, w.snapshot_b).await.expect("snapshot");
    assert_eq!(
        s.evidence_list(&read, w.answer_b)
            .await
            .expect("evidence")
            .len(),
        1
    );
    s.evidence(&read, w.evidence_b).await.expect("evidence");
    let heat = s
        .heatmap_rows(&read, w.catalog, HeatmapSort::Name, page())
        .await
        .expect("heatmap");
    assert_eq!(
        heat.items.iter().map(|r| r.org_id).collect::<Vec<_>>(),
        vec![w.b.0]
    );
    assert_eq!(
        s.start_assessments(&sys, &manage, w.fed, w.revision_2, &[w.b])
            .await
            .expect("start")
            .len(),
        1
    );

    let costs = scope(Permission::ReadCosts);
    let statements = s.statements(&costs, w.fed, None).await.expect("statements");
    let mut ids: Vec<i64> = statements.iter().map(|x| x.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![w.statement_ab, w.statement_b]);
    let part = s
        .statement(&costs, w.fed, w.statement_ab)
        .await
        .expect("own part");
    let doc: verbund_domain::costs::StatementDocument =
        serde_json::from_value(part.document.clone()).expect("a statement document");
    assert_eq!(doc.statement.bills.len(), 1);
    assert_eq!(doc.statement.bills[0].member, w.b);
    assert!(
        !part.document.to_string().contains("Nauheim"),
        "nothing of A"
    );
    // The office reads the whole statement and the members' data.
    let office = Scope::system(&TEST_ACCESS);
    let whole = s
        .statement(&office, w.fed, w.statement_ab)
        .await
        .expect("whole");
    assert!(whole.document.to_string().contains("Nauheim"));
    assert_eq!(
        s.member_rows_federation_wide(&office, w.fed)
            .await
            .expect("members")
            .len(),
        2
    );
}

#[tokio::test]
async fn sqlite_member_gets_nothing_of_another_member() {
    member_gets_nothing_of_another_member(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_member_gets_nothing_of_another_member() {
    member_gets_nothing_of_another_member(postgres().await).await;
}

#[tokio::test]
async fn sqlite_member_reaches_its_own_objects() {
    member_reaches_its_own_objects(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_member_reaches_its_own_objects() {
    member_reaches_its_own_objects(postgres().await).await;
}

/// Statements issued before member parts were stored (or restored from an older backup
/// without them) get their parts after migrating or restoring, once.
async fn member_parts_are_completed_after_migration_and_an_old_restore(from: Store, to: Store) {
    let w = seed(&from).await;
    raw(&from, "DELETE FROM statement_members").await;
    let costs = coordinator_scope(&w, w.a, Permission::ReadCosts);
    assert!(
        from.statements(&costs, w.fed, None)
            .await
            .expect("list")
            .is_empty()
    );
    from.migrate(false)
        .await
        .expect("migrate completes the parts");
    assert_eq!(
        from.complete_statement_members().await.expect("again"),
        0,
        "idempotent"
    );
    let part = from
        .statement(&costs, w.fed, w.statement_ab)
        .await
        .expect("A's part after migrating");
    assert!(!part.document.to_string().contains("Raunheim"));

    let mut snapshot = from.backup().await.expect("backup");
    let tables = snapshot["tables"].as_object_mut().expect("tables");
    assert_eq!(
        tables["statement_members"]["rows"].as_array().map(Vec::len),
        Some(3)
    );
    tables.remove("statement_members");
    to.restore(&snapshot)
        .await
        .expect("restore without the table");
    let restored = to
        .statement(&costs, w.fed, w.statement_ab)
        .await
        .expect("A's part after restoring");
    assert_eq!(restored, part);
    assert_eq!(to.complete_statement_members().await.expect("again"), 0);
}

#[tokio::test]
async fn sqlite_member_parts_are_completed_after_migration_and_an_old_restore() {
    member_parts_are_completed_after_migration_and_an_old_restore(
        sqlite().await.0,
        sqlite().await.0,
    )
    .await;
}

#[tokio::test]
async fn postgres_member_parts_are_completed_after_migration_and_an_old_restore() {
    member_parts_are_completed_after_migration_and_an_old_restore(
        postgres().await,
        postgres().await,
    )
    .await;
}
