//! Tenant isolation at the store: two members A and B with data of every kind; every public
//! `Store` function that takes a `&Scope` is called with A's scope (a coordinator in A) on B's
//! objects and must answer `NotFound`, nothing, or leave B out. A positive control with B's
//! scope reaches the same objects, so the checks cannot pass because the calls are wrong.
//!
//! Every `&Scope`-taking public function, found with
//! `grep -n "pub async fn" -A8 crates/store/src/lib.rs crates/store/src/*.rs | grep Scope`
//! (53; keep this list and the calls in `denied.rs` in step when adding one):
//!
//! - lib.rs: list_orgs, get_org, update_org, list_memberships, get_membership,
//!   add_membership, update_membership, delete_membership, list_users, get_user, user_grants,
//!   update_user, add_grant, get_grant, remove_grant, count_orgs, count_users, list_audit,
//!   recent_audit
//! - assessments.rs: start_assessments, assessments, assessment, assessment_topics, answers,
//!   answers_by_id, set_answers, set_answer, answer_assessment, migrate_assessment, answer_ids_by_urn,
//!   take_snapshot, snapshots, snapshot, current_answers, add_evidence, evidence_list,
//!   evidence, delete_evidence, heatmap_rows
//! - costs.rs: statements, statement, member_rows_federation_wide
//! - office.rs: list_audit_filtered, audit_batch, audit_people, answer_requirements,
//!   snapshot_points, last_snapshots, weakest_member
//! - key_figures.rs: propose_key_figures, get_key_figure_proposal, list_key_figure_proposals,
//!   decide_key_figure_proposal
//! - structure.rs: every function, in `tests/structure.rs`
//!   (`member_gets_nothing_of_another_members_structure`)
//!
//! Functions on member data without a scope are office- or system-level by name or doc and
//! not called here: heatmap_stats_federation_wide (aggregates only), generate_members,
//! generate_assessments, assessment_counts_by_catalog (counts), get_user_unscoped (own
//! session), create_user, create_org, issue_statement, complete_statement_members.

mod denied;
mod member_parts;
mod own;

use verbund_domain::assessment::{Answer, AnswerStatus};
use verbund_domain::authz::{Actor, Grant, Permission};
use verbund_domain::costs::{AllocationKey, KeyNode, StandaloneCosts};
use verbund_domain::key_figures::{KeyFigures, ProposalInput};
use verbund_domain::org::MembershipInput;
use verbund_domain::validation::parse_date;
use verbund_domain::{
    AnswerId, AssessmentId, CatalogId, EvidenceId, KeyFigureProposalId, SnapshotId, StatementId,
};

use super::*;
use crate::assessments::{AnswerFilter, NewEvidence};

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
    catalog: CatalogId,
    revision_2: CatalogId,
    assessment_b: AssessmentId,
    answer_b: AnswerId,
    snapshot_b: SnapshotId,
    evidence_b: EvidenceId,
    /// Issued over A and B.
    statement_ab: StatementId,
    /// Issued over B only.
    statement_b: StatementId,
    /// B's open key-figure proposal.
    proposal_b: KeyFigureProposalId,
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
        proposal_b: s
            .propose_key_figures(&sys, &all, b, &proposal(16_100))
            .await
            .expect("proposal")
            .id,
    }
}

fn proposal(population: i64) -> ProposalInput {
    ProposalInput {
        proposed: KeyFigures {
            population: Some(population),
            staff: None,
            it_workplaces: None,
        },
        reason: Some("Fortschreibung".into()),
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
