//! Adding a user as a member's coordinator reveals nothing about accounts elsewhere: an
//! address with an account gets an invitation its owner accepts or declines, a new address a
//! new account with the same invitation, and the coordinator sees the same either way.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{DEMO_PASSWORD, TestApp};

/// Another member's coordinator: an account the Nauheim coordinator cannot see.
const ELSEWHERE: &str = "koordination@raunheim.example";
const NEW: &str = "bauamt@nauheim.example";

async fn invite(app: &TestApp, token: &str, email: &str, nauheim: i64) -> (StatusCode, Value) {
    app.api(
        Method::POST,
        "/users",
        token,
        Some(json!({"email": email, "display_name": "Bauamt", "password": "ein-langes-passwort", "org_id": nauheim, "role": "measure_owner"})),
    )
    .await
}

/// The body with the e-mail and the invitation's id blanked out.
fn neutral(mut v: Value, email: &str) -> Value {
    assert_eq!(v["email"], email);
    v["email"] = json!("EMAIL");
    v["id"] = json!(0);
    v
}

async fn audit_actions(app: &TestApp, token: &str) -> Vec<Value> {
    let (_, page) = app
        .api(Method::GET, "/audit?per_page=200", token, None)
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!([e["action"], e["org_id"], e["object_type"]]))
        .collect()
}

async fn an_existing_address_gets_the_same_answer_as_a_new_one(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let coord = app.token("koordination@nauheim.example").await;
    let before = audit_actions(&app, &coord).await;
    let (s1, new) = invite(&app, &coord, NEW, nauheim).await;
    let after_new = audit_actions(&app, &coord).await;
    let (s2, existing) = invite(&app, &coord, ELSEWHERE, nauheim).await;
    let after_existing = audit_actions(&app, &coord).await;
    assert_eq!((s1, s2), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    assert_eq!(
        neutral(new.clone(), NEW),
        neutral(existing.clone(), ELSEWHERE)
    );
    let text = existing.to_string();
    assert!(
        !text.contains("Raunheim") && !text.contains("display_name"),
        "nothing of the account: {text}"
    );
    assert_eq!(
        after_new.len() - before.len(),
        after_existing.len() - after_new.len(),
        "the coordinator's audit log grows alike"
    );
    assert_eq!(after_new[0], after_existing[0]);
    let (_, users) = app
        .api(Method::GET, "/users?per_page=200", &coord, None)
        .await;
    let users = users.to_string();
    assert!(
        !users.contains(NEW) && !users.contains(ELSEWHERE),
        "neither is a user of Nauheim before accepting"
    );
    let (_, sent) = app.api(Method::GET, "/invitations", &coord, None).await;
    let sent = sent.as_array().unwrap().clone();
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|i| i["status"] == "pending"), "{sent:?}");
    // The office sees every account anyway: for it a duplicate stays a field error.
    let isb = app.token("isb@verbund.example").await;
    let (status, body) = invite(&app, &isb, ELSEWHERE, nauheim).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["code"], "error-duplicate");
}

async fn the_owner_accepts_or_declines_after_signing_in(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let coord = app.token("koordination@nauheim.example").await;
    invite(&app, &coord, ELSEWHERE, nauheim).await;
    let owner = app.token(ELSEWHERE).await;
    let (status, mine) = app.api(Method::GET, "/me/invitations", &owner, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mine[0]["org_name"], "Nauheim");
    assert_eq!(mine[0]["role"], "measure_owner");
    assert!(
        mine[0]["invited_by"]
            .as_str()
            .unwrap()
            .starts_with("koordination@nauheim.example"),
        "{mine}"
    );
    let id = mine[0]["id"].as_i64().unwrap();
    // Nobody else can act on it.
    let stranger = app.token("leitung@nauheim.example").await;
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/me/invitations/{id}/accept"),
            &stranger,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, grant) = app
        .api(
            Method::POST,
            &format!("/me/invitations/{id}/accept"),
            &owner,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{grant}");
    assert_eq!(grant["org_id"], nauheim);
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/me/invitations/{id}/accept"),
            &owner,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "decided once");
    let (_, users) = app
        .api(Method::GET, "/users?per_page=200", &coord, None)
        .await;
    assert!(
        users.to_string().contains(ELSEWHERE),
        "now a user of Nauheim"
    );
    let (_, me) = app.api(Method::GET, "/me", &owner, None).await;
    assert_eq!(me["roles"].as_array().unwrap().len(), 2, "{me}");

    invite(&app, &coord, "leitung@raunheim.example", nauheim).await;
    let declining = app.token("leitung@raunheim.example").await;
    let (_, mine) = app
        .api(Method::GET, "/me/invitations", &declining, None)
        .await;
    let id = mine[0]["id"].as_i64().unwrap();
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/me/invitations/{id}/decline"),
            &declining,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, me) = app.api(Method::GET, "/me", &declining, None).await;
    assert_eq!(
        me["roles"].as_array().unwrap().len(),
        1,
        "no role in Nauheim"
    );
    let (_, sent) = app.api(Method::GET, "/invitations", &coord, None).await;
    let statuses: Vec<&str> = sent
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&"accepted") && statuses.contains(&"declined"));
}

async fn in_the_ui_the_coordinator_sees_the_same_page_and_the_owner_a_banner(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await.to_string();
    let mut coord = app.login("koordination@nauheim.example").await;
    let mut answers = Vec::new();
    for email in [NEW, ELSEWHERE] {
        let (status, loc) = coord
            .post_form(
                &app,
                "/users",
                &[
                    ("email", email),
                    ("display_name", "Bauamt"),
                    ("password", "ein-langes-passwort"),
                    ("org_id", &nauheim),
                    ("role", "measure_owner"),
                ],
            )
            .await;
        let (_, page) = coord.get(&app, &loc).await;
        answers.push((status, loc));
        assert!(page.contains("Einladung"), "{page:.2000}");
    }
    assert_eq!(answers[0], answers[1], "same status and target");

    // The new account signs in with the password the coordinator chose and accepts.
    let mut newcomer = app.browser().await;
    let (status, _, _) = newcomer.try_login(&app, NEW, "ein-langes-passwort").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    newcomer.refresh_csrf(&app).await;
    let (_, home) = newcomer.get(&app, "/").await;
    assert!(home.contains("offene Einladung"), "banner: {home:.3000}");
    let (_, profile) = newcomer.get(&app, "/profile").await;
    let i = profile.find("/profile/invitations/").expect("accept form");
    let id: String = profile[i + 21..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (status, _) = newcomer
        .post_form(&app, &format!("/profile/invitations/{id}/accept"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(newcomer.get(&app, "/users").await.0, StatusCode::OK);
    let (_, list) = coord.get(&app, "/users?q=bauamt").await;
    assert!(list.contains(NEW), "accepted: in Nauheim's list");

    // The owner elsewhere declines through the profile.
    let mut owner = app.browser().await;
    let (status, _, _) = owner.try_login(&app, ELSEWHERE, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    owner.refresh_csrf(&app).await;
    let (_, profile) = owner.get(&app, "/profile").await;
    assert!(profile.contains("Nauheim") && profile.contains("Maßnahmenverantwortung"));
    let i = profile.find("/decline").expect("decline form");
    let start = profile[..i].rfind("/profile/invitations/").unwrap() + 21;
    let id = &profile[start..i];
    let (status, _) = owner
        .post_form(&app, &format!("/profile/invitations/{id}/decline"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, list) = coord.get(&app, "/users?q=raunheim").await;
    let (users, sent) = list
        .split_once("id=\"invitations\"")
        .expect("sent invitations listed");
    assert!(
        !users.contains(ELSEWHERE),
        "declined: still not in Nauheim's list"
    );
    assert!(
        sent.contains(ELSEWHERE) && sent.contains("abgelehnt"),
        "{sent:.2000}"
    );
}

both!(
    an_existing_address_gets_the_same_answer_as_a_new_one,
    the_owner_accepts_or_declines_after_signing_in,
    in_the_ui_the_coordinator_sees_the_same_page_and_the_owner_a_banner,
);
