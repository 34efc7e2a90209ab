//! The API answers as its OpenAPI document says: paging bounds refused rather than clamped,
//! 415 for a JSON body sent as something else, the documented filters work.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use crate::assessments::{own_assessment, start_all};
use crate::both;
use crate::costs::setup_2026;
use crate::helpers::TestApp;

async fn every_list_route_refuses_a_page_size_out_of_range(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let member = app.token("koordination@nauheim.example").await;
    let aid = own_assessment(&app, &member).await;
    let (_, before) = app.api(Method::GET, "/audit?per_page=1", &isb, None).await;
    let lists = [
        "/organisations".to_owned(),
        "/users".to_owned(),
        "/audit".to_owned(),
        "/assessments".to_owned(),
        format!("/assessments/{aid}/answers"),
        "/heatmap".to_owned(),
    ];
    for list in &lists {
        for (query, field) in [
            ("per_page=201", "per_page"),
            ("per_page=0", "per_page"),
            ("page=0", "page"),
            ("page=1000001", "page"),
        ] {
            let (status, body) = app
                .api(Method::GET, &format!("{list}?{query}"), &isb, None)
                .await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{list}?{query}: {body}"
            );
            assert_eq!(body["error"]["fields"][0]["field"], field, "{list}?{query}");
            assert_eq!(
                body["error"]["fields"][0]["code"],
                format!("error-{}", field.replace('_', "-")),
                "{list}?{query}"
            );
            assert!(
                body["error"]["fields"][0]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("200") || m.contains("1.000.000")),
                "a German message naming the bound: {body}"
            );
        }
        let (status, body) = app
            .api(
                Method::GET,
                &format!("{list}?per_page=200&page=1"),
                &isb,
                None,
            )
            .await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{list}: the maximum is accepted: {body}"
        );
        let page = if list == "/heatmap" {
            &body["rows"]
        } else {
            &body
        };
        assert_eq!(page["per_page"], 200, "{list}");
    }
    let (_, after) = app.api(Method::GET, "/audit?per_page=1", &isb, None).await;
    assert_eq!(
        before["total"], after["total"],
        "refused reads write nothing"
    );
}

async fn json_body_with_another_content_type_is_unsupported_media_type(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/tokens")
        .header(header::AUTHORIZATION, format!("Bearer {isb}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(r#"{"name": "x"}"#))
        .unwrap();
    let (status, _, body) = app.request(req).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert!(body.contains("error-content-type"), "{body}");
    let (_, tokens) = app.api(Method::GET, "/tokens", &isb, None).await;
    assert_eq!(tokens.as_array().unwrap().len(), 1, "no token was created");
}

async fn statements_are_filtered_by_the_documented_year(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    let (status, issued) = app
        .api(
            Method::POST,
            "/costs/statements",
            &isb,
            Some(serde_json::json!({"year": 2026, "key_id": key})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let (_, y2026) = app
        .api(Method::GET, "/costs/statements?year=2026", &isb, None)
        .await;
    let y2026 = y2026.as_array().unwrap();
    assert!(!y2026.is_empty());
    assert!(y2026.iter().all(|s| s["year"] == 2026));
    let (_, none) = app
        .api(Method::GET, "/costs/statements?year=2024", &isb, None)
        .await;
    assert_eq!(none, serde_json::json!([]), "the filter is applied");
}

both!(
    every_list_route_refuses_a_page_size_out_of_range,
    json_body_with_another_content_type_is_unsupported_media_type,
    statements_are_filtered_by_the_documented_year,
);
