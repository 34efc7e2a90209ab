use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::both;
use crate::helpers::TestApp;

async fn api_needs_a_valid_token(app: TestApp) {
    let (status, body) = app
        .api(Method::GET, "/organisations", "vbd_not-a-token", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "error-unauthorized");
    let req = Request::builder()
        .uri("/api/v1/me")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.request(req).await.0, StatusCode::UNAUTHORIZED);
    let token = app.token("isb@verbund.example").await;
    let (status, me) = app.api(Method::GET, "/me", &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], "isb@verbund.example");
    assert_eq!(me["office"], true);
}

async fn revoked_token_stops_working(app: TestApp) {
    let token = app.token("isb@verbund.example").await;
    let (_, list) = app.api(Method::GET, "/tokens", &token, None).await;
    let id = list[0]["id"].as_i64().unwrap();
    let (status, _) = app
        .api(Method::DELETE, &format!("/tokens/{id}"), &token, None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.api(Method::GET, "/me", &token, None).await.0,
        StatusCode::UNAUTHORIZED
    );
}

async fn token_created_through_the_api_is_shown_once_and_works(app: TestApp) {
    let token = app.token("koordination@nauheim.example").await;
    let (status, created) = app
        .api(
            Method::POST,
            "/tokens",
            &token,
            Some(json!({"name": "Skript", "valid_days": 30})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let secret = created["token"].as_str().unwrap();
    assert!(secret.starts_with("vbd_"));
    assert_eq!(
        app.api(Method::GET, "/me", secret, None).await.0,
        StatusCode::OK
    );
    let (_, list) = app.api(Method::GET, "/tokens", &token, None).await;
    assert!(
        !list.to_string().contains(secret),
        "the secret is never listed"
    );
    let (status, body) = app
        .api(
            Method::POST,
            "/tokens",
            &token,
            Some(json!({"name": "x", "valid_days": 99999})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "valid_days");
}

async fn malformed_bodies_get_precise_4xx_errors(app: TestApp) {
    let token = app.token("isb@verbund.example").await;
    let send = |body: &'static str, ctype: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/organisations")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, ctype)
            .body(Body::from(body))
            .unwrap()
    };
    let (status, _, body) = app.request(send("{\"name\": ", "application/json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("error-json-syntax"), "{body}");
    let (status, _, body) = app
        .request(send(
            "{\"name\": \"A\", \"kind\": \"stadt\", \"mayor\": \"B\"}",
            "application/json",
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("error-json-data") && body.contains("mayor"),
        "unknown field named: {body}"
    );
    let (status, _, body) = app.request(send("{}", "text/plain")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(body.contains("error-content-type"));
    let big = format!(
        "{{\"name\": \"{}\", \"kind\": \"stadt\"}}",
        "x".repeat(3 * 1024 * 1024)
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/organisations")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(big))
        .unwrap();
    let (status, _, body) = app.request(req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    let (status, _) = app
        .api(Method::GET, "/organisations/abc", &token, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn invalid_organisation_gets_field_errors_and_nothing_is_saved(app: TestApp) {
    let token = app.token("isb@verbund.example").await;
    let (_, before) = app.api(Method::GET, "/organisations", &token, None).await;
    let (status, body) = app
        .api(
            Method::POST,
            "/organisations",
            &token,
            Some(json!({"name": "Trebur", "kind": "gemeinde", "ags": "0643301", "population": -5})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "error-validation");
    let fields: Vec<_> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        vec![
            ("ags".into(), "error-ags-format".into()),
            ("population".into(), "error-negative".into())
        ]
    );
    assert!(
        body["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("8 Ziffern")
    );
    let (_, after) = app.api(Method::GET, "/organisations", &token, None).await;
    assert_eq!(before["total"], after["total"]);
    let (status, body) = app
        .api(
            Method::POST,
            "/organisations",
            &token,
            Some(json!({"name": "Doppelt", "kind": "gemeinde", "ags": "06433009"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["code"], "error-duplicate");
}

async fn office_creates_and_updates_an_organisation_with_optimistic_locking(app: TestApp) {
    let token = app.token("isb@verbund.example").await;
    let (status, org) = app.api(Method::POST, "/organisations", &token, Some(json!({"name": "Trebur", "kind": "gemeinde", "ags": "06433014", "population": 13196}))).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = org["id"].as_i64().unwrap();
    assert_eq!(org["version"], 1);
    let change = json!({"name": "Trebur", "kind": "gemeinde", "ags": "06433014", "population": 13300, "staff": 120});
    let req = |version: &str| {
        Request::builder()
            .method(Method::PUT)
            .uri(format!("/api/v1/organisations/{id}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::IF_MATCH, version)
            .body(Body::from(change.to_string()))
            .unwrap()
    };
    let (status, _, body) = app.request(req("\"1\"")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = app.request(req("\"1\"")).await;
    assert_eq!(status, StatusCode::CONFLICT, "stale version: {body}");
    let (_, got) = app
        .api(Method::GET, &format!("/organisations/{id}"), &token, None)
        .await;
    assert_eq!(got["population"], 13300);
    assert_eq!(got["version"], 2);
    let (_, audit) = app
        .api(Method::GET, &format!("/audit?org={id}"), &token, None)
        .await;
    let update = &audit["items"][0];
    assert_eq!(update["action"], "org.update");
    assert_eq!(update["before"]["population"], 13196);
    assert_eq!(update["after"]["population"], 13300);
    assert_eq!(update["actor"], "isb@verbund.example (API)");
}

async fn lists_paginate(app: TestApp) {
    let token = app.token("isb@verbund.example").await;
    let (_, p1) = app
        .api(Method::GET, "/organisations?per_page=5", &token, None)
        .await;
    assert_eq!(p1["total"], 14);
    assert_eq!(p1["items"].as_array().unwrap().len(), 5);
    let (_, p3) = app
        .api(
            Method::GET,
            "/organisations?per_page=5&page=3",
            &token,
            None,
        )
        .await;
    assert_eq!(p3["items"].as_array().unwrap().len(), 4);
    assert_ne!(p1["items"][0]["id"], p3["items"][0]["id"]);
    let (_, s) = app
        .api(Method::GET, "/organisations?q=heim", &token, None)
        .await;
    let names: Vec<&str> = s["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "Biebesheim am Rhein",
            "Bischofsheim",
            "Gernsheim",
            "Ginsheim-Gustavsburg",
            "Nauheim",
            "Raunheim",
            "Rüsselsheim am Main"
        ]
    );
    let (status, body) = app
        .api(Method::GET, "/organisations?page=x", &token, None)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "error-query");
}

async fn memberships_are_managed_by_the_office(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let coord = app.token("koordination@nauheim.example").await;
    let nauheim = app.org_id("Nauheim").await;
    let (status, m) = app
        .api(
            Method::POST,
            &format!("/organisations/{nauheim}/memberships"),
            &isb,
            Some(json!({"starts_on": "2027-01-01", "ends_on": "2027-12-31"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = app
        .api(
            Method::POST,
            &format!("/organisations/{nauheim}/memberships"),
            &isb,
            Some(json!({"starts_on": "2027-01-01", "ends_on": "2026-12-31"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["code"], "error-end-before-start");
    let (status, list) = app
        .api(
            Method::GET,
            &format!("/organisations/{nauheim}/memberships"),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let mid = m["id"].as_i64().unwrap();
    assert_eq!(
        app.api(Method::DELETE, &format!("/memberships/{mid}"), &coord, None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(Method::DELETE, &format!("/memberships/{mid}"), &isb, None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
}

async fn users_and_roles_through_the_api(app: TestApp) {
    let coord = app.token("koordination@nauheim.example").await;
    let nauheim = app.org_id("Nauheim").await;
    let (status, u) = app
        .api(Method::POST, "/users", &coord, Some(json!({"email": "IT@nauheim.example", "display_name": "IT Nauheim", "password": "ein-langes-passwort", "org_id": nauheim, "role": "measure_owner"})))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{u}");
    assert_eq!(u["email"], "it@nauheim.example");
    // The new account accepts the invitation; then the coordinator manages it.
    let it = app.token("it@nauheim.example").await;
    let (_, mine) = app.api(Method::GET, "/me/invitations", &it, None).await;
    let inv = mine[0]["id"].as_i64().unwrap();
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/me/invitations/{inv}/accept"),
            &it,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let uid = app.user_id("it@nauheim.example").await;
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/users/{uid}/roles"),
            &coord,
            Some(json!({"org_id": nauheim, "role": "office_isb"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "office roles only by the administration"
    );
    let (status, g) = app
        .api(
            Method::POST,
            &format!("/users/{uid}/roles"),
            &coord,
            Some(json!({"org_id": nauheim, "role": "management"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, detail) = app
        .api(Method::GET, &format!("/users/{uid}"), &coord, None)
        .await;
    assert_eq!(detail["roles"].as_array().unwrap().len(), 2);
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/role-assignments/{}", g["id"]),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app
        .api(Method::POST, "/users", &coord, Some(json!({"email": "it@nauheim.example", "display_name": "", "org_id": nauheim, "role": "measure_owner"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "display_name");
}

async fn deactivated_user_can_no_longer_log_in_or_use_tokens(app: TestApp) {
    let admin = app.token("admin@verbund.example").await;
    let victim = app.token("leitung@raunheim.example").await;
    let uid = app.user_id("leitung@raunheim.example").await;
    let (status, u) = app
        .api(
            Method::PATCH,
            &format!("/users/{uid}"),
            &admin,
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(u["disabled"], true);
    assert_eq!(
        app.api(Method::GET, "/me", &victim, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let mut b = app.browser().await;
    let (status, _) = b
        .post_form(
            &app,
            "/login",
            &[
                ("email", "leitung@raunheim.example"),
                ("password", crate::helpers::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let isb = app.token("isb@verbund.example").await;
    assert_eq!(
        app.api(
            Method::PATCH,
            &format!("/users/{uid}"),
            &isb,
            Some(json!({"disabled": false}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
}

both!(
    api_needs_a_valid_token,
    revoked_token_stops_working,
    token_created_through_the_api_is_shown_once_and_works,
    malformed_bodies_get_precise_4xx_errors,
    invalid_organisation_gets_field_errors_and_nothing_is_saved,
    office_creates_and_updates_an_organisation_with_optimistic_locking,
    lists_paginate,
    memberships_are_managed_by_the_office,
    users_and_roles_through_the_api,
    deactivated_user_can_no_longer_log_in_or_use_tokens,
);

#[tokio::test]
async fn openapi_document_lists_every_api_route() {
    let app = TestApp::new(crate::helpers::Backend::Sqlite).await;
    let (status, _, body) = app
        .request(
            Request::builder()
                .uri("/api/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let (_, api) = verbund_web::route_table();
    for r in api {
        let op = &doc["paths"][r.path][r.method.to_lowercase()];
        assert!(op.is_object(), "{} {} is not documented", r.method, r.path);
    }
    let (status, _, page) = app
        .request(
            Request::builder()
                .uri("/api/docs/")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("swagger"), "docs page served offline");
}
