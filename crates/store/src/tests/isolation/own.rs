//! The positive control: B's scope reaches the same objects, so the denials in `denied.rs`
//! cannot pass because the calls are wrong.

use verbund_domain::authz::Permission;

use super::*;
use crate::assessments::HeatmapSort;

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
        s.get_key_figure_proposal(&scope(Permission::ReadOrg), w.proposal_b)
            .await
            .expect("proposal")
            .org_id,
        w.b
    );
    assert_eq!(
        s.list_key_figure_proposals(&scope(Permission::ReadOrg), Some(w.b), None, page())
            .await
            .expect("list")
            .total,
        1
    );
    assert!(
        matches!(
            s.propose_key_figures(&sys, &scope(Permission::EditOrg), w.b, &proposal(1))
                .await,
            Err(StoreError::Invalid(_))
        ),
        "reaches B, where a proposal is open already"
    );
    assert_eq!(
        s.decide_key_figure_proposal(&sys, &scope(Permission::EditOrg), w.proposal_b, false, None)
            .await
            .expect("decided")
            .status,
        verbund_domain::key_figures::ProposalStatus::Rejected
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
        vec![w.b]
    );
    let partial = Answer {
        status: AnswerStatus::Partial,
        ..Answer::default()
    };
    let (of, row) = s
        .set_answer(
            &sys,
            &scope(Permission::AnswerAssessments),
            w.answer_b,
            None,
            &partial,
        )
        .await
        .expect("own answer");
    assert_eq!(
        (of, row.id, row.answer),
        (w.assessment_b, w.answer_b, partial)
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
    let mut ids: Vec<StatementId> = statements.iter().map(|x| x.id).collect();
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
async fn sqlite_member_reaches_its_own_objects() {
    member_reaches_its_own_objects(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_member_reaches_its_own_objects() {
    member_reaches_its_own_objects(postgres().await).await;
}
