//! Request-level protections: the Origin/Referer check on forms, the metrics endpoint's
//! token, and the error shape of oversized uploads.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use verbund_domain::OrgId;
use verbund_domain::authz::Scope;
use verbund_web::{AppState, WebConfig};

use crate::both;
use crate::helpers::{Backend, TEST_ACCESS, TestApp};

async fn memberships(app: &TestApp, org: i64) -> usize {
    app.store
        .list_memberships(&Scope::system(&TEST_ACCESS), OrgId(org))
        .await
        .unwrap()
        .len()
}

async fn a_form_without_origin_needs_a_same_origin_referer(app: TestApp) {
    let mut b = app.login("isb@verbund.example").await;
    let nauheim = app.org_id("Nauheim").await;
    let path = format!("/orgs/{nauheim}/memberships");
    let csrf = b.csrf.clone();
    let fields = [("_csrf", csrf.as_str()), ("starts_on", "2026-01-01")];
    let (status, _, body) = b.post_with_headers(&app, &path, &fields, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "neither Origin nor Referer");
    assert!(body.contains("Formular war veraltet"), "{body}");
    let foreign = [("referer", "https://evil.example/orgs")];
    let (status, _, _) = b.post_with_headers(&app, &path, &fields, &foreign).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "foreign Referer");
    let lookalike = [("referer", "http://localhost.evil.example/orgs")];
    let (status, _, _) = b.post_with_headers(&app, &path, &fields, &lookalike).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a host that merely starts alike"
    );
    assert_eq!(memberships(&app, nauheim).await, 1, "nothing was written");
    let own = [("referer", "http://localhost/orgs/1?tab=x")];
    let (status, _, _) = b.post_with_headers(&app, &path, &fields, &own).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "same-origin Referer");
    assert_eq!(memberships(&app, nauheim).await, 2);
}

async fn api_calls_with_a_bearer_token_need_no_origin(app: TestApp) {
    let token = app.token("isb@verbund.example").await;
    let (status, _) = app
        .api(
            Method::POST,
            "/tokens",
            &token,
            Some(serde_json::json!({"name": "cron"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
}

/// An upload one byte over the limit, to the API: JSON error with the limit.
async fn an_oversized_api_import_answers_the_json_error_shape(app: TestApp) {
    let token = app.token("isb@verbund.example").await;
    let limit = verbund_web::extract::IMPORT_LIMIT;
    let (status, body) = app
        .api_upload(
            "/catalogs?file_name=gross.yaml",
            &token,
            vec![b'a'; limit + 1],
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "error-too-large", "{body}");
    assert_eq!(body["error"]["limit_bytes"], limit, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("höchstens 32 MB")),
        "{body}"
    );
}

async fn an_oversized_ui_import_shows_a_german_page(app: TestApp) {
    let mut b = app.login("isb@verbund.example").await;
    let limit = verbund_web::extract::IMPORT_LIMIT;
    let (status, body) = b
        .post_file(&app, "/catalogs", "gross.yaml", &vec![b'a'; limit + 1], &[])
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body.contains("<html") && body.contains("höchstens 32 MB"),
        "{body:.500}"
    );
}

both!(
    a_form_without_origin_needs_a_same_origin_referer,
    api_calls_with_a_bearer_token_need_no_origin,
    an_oversized_api_import_answers_the_json_error_shape,
    an_oversized_ui_import_shows_a_german_page,
);

/// The app with a Prometheus recorder (not installed globally) and `metrics_token`.
async fn with_metrics(token: Option<&str>) -> TestApp {
    let config = WebConfig {
        base_url: "http://localhost".into(),
        metrics_token: token.map(verbund_web::config::Secret::new),
        ..WebConfig::default()
    };
    let mut app = TestApp::with_config(Backend::Sqlite, config.clone()).await;
    let mut state = AppState::new(app.store.clone(), config);
    state.metrics = Some(
        metrics_exporter_prometheus::PrometheusBuilder::new()
            .build_recorder()
            .handle(),
    );
    app.router = verbund_web::app(state);
    app
}

async fn get_metrics(app: &TestApp, auth: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::builder().uri("/metrics");
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    let (status, _, body) = app.request(req.body(Body::empty()).unwrap()).await;
    (status, body)
}

#[tokio::test]
async fn metrics_need_the_configured_bearer_token() {
    let app = with_metrics(Some("geheim-fuer-prometheus")).await;
    assert_eq!(get_metrics(&app, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get_metrics(&app, Some("Bearer falsch")).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        get_metrics(&app, Some("Bearer geheim-fuer-prometheus"))
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn metrics_are_off_without_a_token() {
    let app = with_metrics(None).await;
    assert_eq!(get_metrics(&app, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        get_metrics(&app, Some("Bearer irgendwas")).await.0,
        StatusCode::NOT_FOUND
    );
}
