//! Federation settings: validation and audit.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::TestApp;

async fn settings_are_validated_and_audited(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let (status, s) = app.api(Method::GET, "/settings", &isb, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        s["named_comparison"], false,
        "anonymous comparison by default"
    );
    let (status, body) = app
        .api(
            Method::PUT,
            "/settings",
            &isb,
            Some(json!({"letterhead_address": "x".repeat(501)})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "letterhead_address");
    let (status, body) = app
        .api(
            Method::PUT,
            "/settings",
            &isb,
            Some(json!({"named_comparision": true})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a typo is refused: {body}");
    let (_, s) = app.api(Method::GET, "/settings", &isb, None).await;
    assert_eq!(s["letterhead_address"], Value::Null, "nothing saved");
    let mut b = app.login("isb@verbund.example").await;
    let (status, _) = b
        .post_form(
            &app,
            "/settings",
            &[
                ("letterhead_office_name", " Informationssicherheitsstelle "),
                ("letterhead_address", ""),
                ("letterhead_contact", "isb@kreisgg.example"),
                ("named_comparison", "1"),
                ("anonymity_min_others", "3"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, s) = app.api(Method::GET, "/settings", &isb, None).await;
    assert_eq!(
        (
            s["letterhead_office_name"].as_str(),
            s["named_comparison"].as_bool()
        ),
        (Some("Informationssicherheitsstelle"), Some(true))
    );
    let (_, page) = b.get(&app, "/audit").await;
    assert!(
        page.contains("Einstellungen geändert"),
        "the change is in the audit log"
    );
    let coord = app.token("koordination@nauheim.example").await;
    assert_eq!(
        app.api(Method::PUT, "/settings", &coord, Some(json!({})))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

both!(settings_are_validated_and_audited);
