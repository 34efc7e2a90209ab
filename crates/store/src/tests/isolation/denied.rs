//! Member A's scope on member B's objects: `NotFound`, nothing, or B left out, for every
//! `&Scope`-taking function.

use verbund_domain::assessment::{Answer, AnswerStatus};
use verbund_domain::authz::Permission;

use super::*;
use crate::assessments::{AnswerFilter, HeatmapSort};

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
    // Key-figure proposals.
    not_found(
        s.get_key_figure_proposal(&scope(Permission::ReadOrg), w.proposal_b)
            .await,
    );
    not_found(
        s.propose_key_figures(&sys, &scope(Permission::EditOrg), w.b, &proposal(1))
            .await,
    );
    for org in [None, Some(w.b)] {
        let found = s
            .list_key_figure_proposals(&scope(Permission::ReadOrg), org, None, page())
            .await
            .expect("list");
        assert_eq!((found.total, found.items.len()), (0, 0));
    }
    not_found(
        s.decide_key_figure_proposal(&sys, &scope(Permission::EditOrg), w.proposal_b, true, None)
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
        s.set_answers(
            &sys,
            &answer,
            w.assessment_b,
            &[(w.answer_b, None, no.clone())],
        )
        .await,
    );
    not_found(s.set_answer(&sys, &answer, w.answer_b, None, &no).await);
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
    assert!(heat.items.iter().all(|r| r.org_id == w.a) && heat.total == 1);
    let points = s.snapshot_points(&read, w.catalog).await.expect("points");
    assert!(
        points.iter().all(|p| p.0 != w.assessment_b.0),
        "B's snapshot left out"
    );
    let ages = s.last_snapshots(&read, w.catalog, 100).await.expect("ages");
    assert!(ages.iter().all(|a| a.org_id == w.a));
    let weakest = s.weakest_member(&read, w.catalog).await.expect("weakest");
    assert!(weakest.is_none_or(|(org, _, _)| org == w.a.0));
    nothing(s.answer_requirements(&read, &[w.answer_b.0]).await);

    // The filtered audit log, its batches and its people.
    let audit = scope(Permission::ReadAudit);
    not_found(
        s.list_audit_filtered(
            &audit,
            &crate::AuditFilter {
                org: Some(w.b),
                ..Default::default()
            },
            page(),
        )
        .await,
    );
    let all = crate::AuditFilter::default();
    let filtered = s
        .list_audit_filtered(&audit, &all, PageRequest::new(None, Some(200)))
        .await
        .expect("filtered");
    assert!(!filtered.items.is_empty() && !filtered.items.iter().any(b_entry));
    let batch = s.audit_batch(&audit, &all, 1_000).await.expect("batch");
    assert!(!batch.iter().any(b_entry));
    let people = s.audit_people(&audit).await.expect("people");
    assert!(people.iter().all(|(u, _)| *u != w.user_b.0), "{people:?}");

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

#[tokio::test]
async fn sqlite_member_gets_nothing_of_another_member() {
    member_gets_nothing_of_another_member(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_member_gets_nothing_of_another_member() {
    member_gets_nothing_of_another_member(postgres().await).await;
}
