//! Scale-out, shown: two app instances (own `Store`, own pool) on one PostgreSQL database.
//! Sessions, tokens, roles, sign-in throttling and the audit chain live in the database, so whatever one
//! instance writes the other obeys at the next request. This must keep passing if an
//! in-process cache (token → actor, session → user) is added: it is the guard against a stale
//! one. Each step first warms instance B with a successful request, then changes things on A.
//!
//! PostgreSQL only (SQLite is one file for one process); skipped with a message when
//! `VERBUND_TEST_PG` is unset. `.ci/run` sets it.

use axum::http::{Method, StatusCode};
use serde_json::json;
use verbund_domain::UserId;
use verbund_domain::authz::Scope;

use crate::helpers::{Browser, DEMO_PASSWORD, TEST_ACCESS, TestApp};

async fn pair() -> Option<(TestApp, TestApp)> {
    if std::env::var("VERBUND_TEST_PG").is_err() {
        eprintln!("scaleout: skipped, VERBUND_TEST_PG is unset (`.ci/run` sets it)");
        return None;
    }
    Some(TestApp::postgres_pair().await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_started_on_one_instance_works_on_the_other() {
    let Some((a, b)) = pair().await else { return };
    let mut tab = a.login("koordination@nauheim.example").await;
    let (status, page) = tab.get(&b, "/orgs").await;
    assert_eq!(status, StatusCode::OK, "session from A read on B");
    assert!(page.contains("Nauheim"));
    // An unsafe request with A's CSRF token, checked by B.
    let (status, _) = tab
        .post_form(&b, "/profile/language", &[("locale", "de")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "CSRF-protected post on B");
    let (status, _) = tab.post_form(&b, "/logout", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = tab.get(&a, "/orgs").await;
    assert!(
        status.is_redirection(),
        "logged out on B means logged out on A: {status}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_created_on_one_instance_works_on_the_other_until_revoked_there() {
    let Some((a, b)) = pair().await else { return };
    let bootstrap = a.token("koordination@nauheim.example").await;
    let (status, created) = a
        .api(
            Method::POST,
            "/tokens",
            &bootstrap,
            Some(json!({"name": "B"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["token"].as_str().unwrap().to_owned();
    let id = created["id"].as_i64().unwrap();
    let (status, me) = b.api(Method::GET, "/me", &secret, None).await;
    assert_eq!(status, StatusCode::OK, "token from A used on B: {me}");
    let (status, _) = a
        .api(Method::DELETE, &format!("/tokens/{id}"), &bootstrap, None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = b.api(Method::GET, "/me", &secret, None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "revoked on A, refused on B"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_revoked_on_one_instance_is_refused_on_the_other_at_once() {
    let Some((a, b)) = pair().await else { return };
    let nauheim = a.org_id("Nauheim").await;
    let email = "koordination@nauheim.example";
    let token = a.token(email).await;
    let mut tab = a.login(email).await;
    let org = format!("/organisations/{nauheim}");
    // B has answered both the token and the session once (a cache would now be warm).
    assert_eq!(
        b.api(Method::GET, &org, &token, None).await.0,
        StatusCode::OK
    );
    assert_eq!(
        tab.get(&b, &format!("/orgs/{nauheim}")).await.0,
        StatusCode::OK
    );
    let user = UserId(a.user_id(email).await);
    let grant = a
        .store
        .user_grants(&Scope::system(&TEST_ACCESS), user)
        .await
        .unwrap()[0]
        .id
        .0;
    let isb = a.token("isb@verbund.example").await;
    let (status, _) = a
        .api(
            Method::DELETE,
            &format!("/role-assignments/{grant}"),
            &isb,
            None,
        )
        .await;
    assert!(status.is_success(), "ISB revokes the role on A: {status}");
    let (status, _) = b.api(Method::GET, &org, &token, None).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "token on B after the revocation"
    );
    let (status, _) = tab.get(&b, &format!("/orgs/{nauheim}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "session on B after the revocation"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_on_one_instance_throttle_that_address_on_the_other() {
    let Some((a, b)) = pair().await else { return };
    let email = "leitung@raunheim.example";
    for _ in 0..5 {
        let mut tab = Browser::at(&a, "203.0.113.50").await;
        let (status, _, _) = tab.try_login(&a, email, "falsches-Passwort").await;
        assert_ne!(status, StatusCode::SEE_OTHER, "wrong password refused on A");
    }
    // B has seen none of it: only the counters in the database refuse.
    let mut tab = Browser::at(&b, "203.0.113.50").await;
    let (status, _, _) = tab.try_login(&b, email, DEMO_PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "throttled on A, throttled on B"
    );
    assert_ne!(
        tab.get(&b, "/orgs").await.0,
        StatusCode::OK,
        "no session on B"
    );
    let mut elsewhere = Browser::at(&b, "198.51.100.50").await;
    let (status, _, _) = elsewhere.try_login(&b, email, DEMO_PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the owner, from elsewhere, gets in"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_chain_verifies_after_writes_through_both_instances() {
    let Some((a, b)) = pair().await else { return };
    let ta = a.token("isb@verbund.example").await;
    let tb = b.token("koordination@raunheim.example").await;
    for i in 0..5 {
        let name = format!("Gemeinde A{i}");
        let (status, _) = a
            .api(
                Method::POST,
                "/organisations",
                &ta,
                Some(json!({"name": name, "kind": "gemeinde"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _) = b
            .api(
                Method::POST,
                "/tokens",
                &tb,
                Some(json!({"name": format!("B{i}")})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let entries = a.store.verify_audit().await.unwrap().expect("chain intact");
    assert_eq!(b.store.verify_audit().await.unwrap().unwrap(), entries);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_list_cached_on_one_instance_shows_a_change_made_on_the_other() {
    let Some((a, b)) = pair().await else { return };
    let isb = a.token("isb@verbund.example").await;
    crate::assessments::start_all(&a, &isb).await;
    let coord = a.token("koordination@nauheim.example").await;
    let id = crate::assessments::own_assessment(&a, &coord).await;
    // B reads (and caches) the list, A changes an answer, B reads again.
    let before = crate::assessments::all_answers(&b, &coord, id).await;
    let answer = before[0]["id"].as_i64().unwrap();
    assert_ne!(before[0]["answer"]["status"], "no");
    let (status, _) = a
        .api(
            Method::PUT,
            &format!("/answers/{answer}"),
            &coord,
            Some(json!({"status": "no"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let after = crate::assessments::all_answers(&b, &coord, id).await;
    assert_eq!(
        after[0]["answer"]["status"], "no",
        "B does not serve its stale copy"
    );
}
