//! Sign-in state on both backends: a TOTP step is accepted once even under concurrency,
//! failure counters count every failure and block at their limit, invitations are decided
//! once by their account only.

use verbund_domain::signin::Rule;
use verbund_domain::{InvitationId, UserId};

use super::*;

/// A user with the second factor on, confirmed by the code of step 100.
async fn mfa_user(s: &Store) -> UserId {
    let sys = AuditActor::system();
    let user = NewUser {
        email: Email::parse("mfa@b.de").expect("valid"),
        display_name: "MFA".into(),
        password: None,
    };
    let u = s.create_user(&sys, &user, None, None).await.expect("user");
    s.set_totp(&sys, u.id, Some("SECRET"), true, Some(100), &[])
        .await
        .expect("mfa on");
    u.id
}

async fn a_totp_step_is_accepted_once_even_concurrently(s: Store) {
    let user = mfa_user(&s).await;
    assert!(
        !s.accept_totp_step(user, 100).await.unwrap(),
        "the enrolment's step"
    );
    assert!(
        !s.accept_totp_step(user, 99).await.unwrap(),
        "an earlier step"
    );
    let tries: Vec<_> = (0..8)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.accept_totp_step(user, 101).await.unwrap() })
        })
        .collect();
    let mut accepted = 0;
    for t in tries {
        accepted += usize::from(t.await.unwrap());
    }
    assert_eq!(accepted, 1, "eight requests with one code: one passes");
    assert!(
        s.accept_totp_step(user, 102).await.unwrap(),
        "the next step"
    );
    s.set_totp(&AuditActor::system(), user, None, false, None, &[])
        .await
        .unwrap();
    assert!(
        !s.accept_totp_step(user, 103).await.unwrap(),
        "second factor off"
    );
}

async fn failure_counters_count_every_failure_and_block_at_the_limit(s: Store) {
    let rule = Rule {
        limit: Some(12),
        window_ms: 60_000,
    };
    let tries: Vec<_> = (0..10)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.count_login_failure(&[("k", rule)], 1_000).await.unwrap() })
        })
        .collect();
    for t in tries {
        t.await.unwrap();
    }
    let c = &s.login_counters(&["k", "other"]).await.unwrap();
    assert_eq!(c.len(), 1, "only counted keys are stored");
    assert_eq!(
        (c[0].failures, c[0].blocked_until_ms),
        (10, None),
        "no count lost"
    );
    s.count_login_failure(&[("k", rule)], 2_000).await.unwrap();
    let c = s.count_login_failure(&[("k", rule)], 3_000).await.unwrap();
    assert_eq!((c[0].failures, c[0].blocked_until_ms), (12, Some(63_000)));
    let c = s.count_login_failure(&[("k", rule)], 61_001).await.unwrap();
    assert_eq!(
        (c[0].failures, c[0].window_start_ms, c[0].blocked_until_ms),
        (1, 61_001, Some(63_000)),
        "a new window starts at 1; the block runs out on its own"
    );
    s.clear_login_counters(&["k"]).await.unwrap();
    assert!(s.login_counters(&["k"]).await.unwrap().is_empty());
    s.count_login_failure(&[("old", rule)], 0).await.unwrap();
    s.count_login_failure(&[("new", rule)], 200_000)
        .await
        .unwrap();
    let left = s.login_counters(&["old", "new"]).await.unwrap();
    assert_eq!(left.len(), 1, "expired counters are forgotten");
}

async fn an_invitation_is_decided_once_by_its_account(s: Store) {
    fill(&s).await;
    let sys = AuditActor::system();
    let scope = Scope::system(&TEST_ACCESS);
    let nauheim = s
        .list_orgs(&scope, Some("Nauheim"), Default::default())
        .await
        .unwrap()
        .items[0]
        .id;
    let raunheim = s
        .list_orgs(&scope, Some("Raunheim"), Default::default())
        .await
        .unwrap()
        .items[0]
        .id;
    let existing = s.login_user("a@b.de").await.unwrap().unwrap().id;
    let new = |email: &str, org| NewInvitation {
        user: NewUser {
            email: Email::parse(email).expect("valid"),
            display_name: "Neu".into(),
            password: None,
        },
        password_hash: None,
        org,
        role: Role::MeasureOwner,
    };
    let a = s
        .invite(&sys, &scope, &new("A@B.de", raunheim))
        .await
        .unwrap();
    assert_eq!((a.user_id, a.email.as_str()), (existing, "a@b.de"));
    let again = s
        .invite(&sys, &scope, &new("a@b.de", raunheim))
        .await
        .unwrap();
    assert_eq!(again.id, a.id, "the pending invitation stands");
    let b = s
        .invite(&sys, &scope, &new("neu@b.de", nauheim))
        .await
        .unwrap();
    assert_ne!(b.user_id, existing, "a new account");
    let only = Scope::system(&SystemAccess::for_reason("test"));
    assert_eq!(s.list_invitations(&only).await.unwrap().len(), 2);
    assert_eq!(s.own_invitations(existing).await.unwrap().len(), 1);
    assert!(matches!(
        s.decide_invitation(&sys, b.user_id, a.id, true).await,
        Err(StoreError::NotFound)
    ));
    let (done, grant) = s
        .decide_invitation(&sys, existing, a.id, true)
        .await
        .unwrap();
    assert_eq!(done.status, InvitationStatus::Accepted);
    assert_eq!(
        grant.map(|g| (g.org_id, g.role)),
        Some((raunheim, Role::MeasureOwner))
    );
    assert!(matches!(
        s.decide_invitation(&sys, existing, a.id, false).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.decide_invitation(&sys, existing, InvitationId(9_999), true)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(s.own_invitations(existing).await.unwrap().is_empty());
    let (declined, none) = s
        .decide_invitation(&sys, b.user_id, b.id, false)
        .await
        .unwrap();
    assert_eq!((declined.status, none), (InvitationStatus::Declined, None));
    assert!(s.user_grants(&scope, b.user_id).await.unwrap().is_empty());
    assert!(s.verify_audit().await.unwrap().is_ok());
}

#[tokio::test]
async fn sqlite_a_totp_step_is_accepted_once_even_concurrently() {
    a_totp_step_is_accepted_once_even_concurrently(sqlite().await.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_a_totp_step_is_accepted_once_even_concurrently() {
    a_totp_step_is_accepted_once_even_concurrently(postgres().await).await;
}

#[tokio::test]
async fn sqlite_failure_counters_count_every_failure_and_block_at_the_limit() {
    failure_counters_count_every_failure_and_block_at_the_limit(sqlite().await.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_failure_counters_count_every_failure_and_block_at_the_limit() {
    failure_counters_count_every_failure_and_block_at_the_limit(postgres().await).await;
}

#[tokio::test]
async fn sqlite_an_invitation_is_decided_once_by_its_account() {
    an_invitation_is_decided_once_by_its_account(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_an_invitation_is_decided_once_by_its_account() {
    an_invitation_is_decided_once_by_its_account(postgres().await).await;
}
