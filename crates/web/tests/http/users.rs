use axum::http::StatusCode;

use crate::both;
use verbund_domain::authz::Scope;

use crate::helpers::{TEST_ACCESS, TestApp};

async fn coordinator_creates_a_measure_owner_for_the_own_town(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await.to_string();
    let mut b = app.login("koordination@nauheim.example").await;
    let (_, form) = b.get(&app, "/users/new").await;
    assert!(
        !form.contains("office_isb"),
        "office roles are not offered to a coordinator"
    );
    let (status, page) = b
        .post_form(
            &app,
            "/users",
            &[
                ("email", "bauamt@nauheim"),
                ("display_name", ""),
                ("password", "kurz"),
                ("org_id", &nauheim),
                ("role", "measure_owner"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("gültige E-Mail-Adresse")
            && page.contains("Bitte ausfüllen")
            && page.contains("mindestens 12 Zeichen")
    );
    let (status, loc) = b
        .post_form(
            &app,
            "/users",
            &[
                ("email", "bauamt@nauheim.example"),
                ("display_name", "Bauamt Nauheim"),
                ("password", "ein-langes-passwort"),
                ("org_id", &nauheim),
                ("role", "measure_owner"),
            ],
        )
        .await;
    assert_eq!(
        (status, loc.as_str()),
        (StatusCode::SEE_OTHER, "/users?invited=1")
    );
    let (_, page) = b.get(&app, &loc).await;
    assert!(
        page.contains("Die Einladung wurde angelegt") && page.contains("bauamt@nauheim.example")
    );
    // The new account signs in with the password chosen and accepts the role.
    let mut new_user = app.browser().await;
    let (status, _, _) = new_user
        .try_login(&app, "bauamt@nauheim.example", "ein-langes-passwort")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    new_user.refresh_csrf(&app).await;
    let (_, profile) = new_user.get(&app, "/profile").await;
    let i = profile
        .find("/profile/invitations/")
        .expect("invitation shown");
    let action: String = profile[i..].chars().take_while(|c| *c != '"').collect();
    assert_eq!(
        new_user.post_form(&app, &action, &[]).await.0,
        StatusCode::SEE_OTHER
    );
    let id = app.user_id("bauamt@nauheim.example").await;
    let (_, page) = b.get(&app, &format!("/users/{id}")).await;
    assert!(page.contains("Bauamt Nauheim") && page.contains("Maßnahmenverantwortung"));
    let (status, _) = b
        .post_form(
            &app,
            &format!("/users/{id}/roles"),
            &[("org_id", &nauheim), ("role", "office_isb")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn admin_cannot_revoke_the_own_admin_role_or_disable_themselves(app: TestApp) {
    let me = app.user_id("admin@verbund.example").await;
    let grant = app
        .store
        .user_grants(&Scope::system(&TEST_ACCESS), verbund_domain::UserId(me))
        .await
        .unwrap()[0]
        .id
        .0;
    let mut b = app.login("admin@verbund.example").await;
    assert_eq!(
        b.post_form(&app, &format!("/roles/{grant}/delete"), &[])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        b.post_form(
            &app,
            &format!("/users/{me}/status"),
            &[("disabled", "true")]
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        b.get(&app, "/orgs").await.0,
        StatusCode::OK,
        "still logged in"
    );
}

async fn a_coordinator_may_see_but_not_deactivate_a_user_of_the_own_town(app: TestApp) {
    let coord = app.token("koordination@nauheim.example").await;
    let boss = app.user_id("leitung@nauheim.example").await;
    let (status, _) = app
        .api(
            axum::http::Method::GET,
            &format!("/users/{boss}"),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "visible");
    let (status, body) = app
        .api(
            axum::http::Method::PATCH,
            &format!("/users/{boss}"),
            &coord,
            Some(serde_json::json!({"disabled": true})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("error-forbidden")),
        "own object without the right: 403, not 404"
    );
}

both!(
    a_coordinator_may_see_but_not_deactivate_a_user_of_the_own_town,
    coordinator_creates_a_measure_owner_for_the_own_town,
    admin_cannot_revoke_the_own_admin_role_or_disable_themselves
);
