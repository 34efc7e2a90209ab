//! The frame every page shares: error pages inside it, the compact menu.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::both;
use crate::helpers::TestApp;

async fn error_pages_render_in_the_frame_with_the_roles_menu(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let mut b = app.login("leitung@nauheim.example").await;

    let (missing, page) = b.get(&app, "/gibt-es-nicht").await;
    let (denied, forbidden) = b.get(&app, &format!("/orgs/{nauheim}/edit")).await;

    assert_eq!(missing, StatusCode::NOT_FOUND);
    assert_eq!(denied, StatusCode::FORBIDDEN);
    for html in [&page, &forbidden] {
        assert!(html.contains("class=\"skip-link\" href=\"#main\""));
        assert!(html.contains("aria-label=\"Hauptnavigation\""));
        assert!(
            html.contains("href=\"/assessments\""),
            "the role's menu, not an empty one"
        );
        assert!(!html.contains("href=\"/settings\""), "and only the role's");
        assert!(html.contains("Zurück zur Übersicht"));
        assert!(html.contains("Informationssicherheitsverbund Kreis Groß-Gerau"));
    }
    let req = Request::builder()
        .uri("/api/v1/gibt-es-nicht")
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = app.request(req).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(body.starts_with("{\"error\""), "{body}");
}

async fn an_anonymous_error_page_speaks_the_browsers_language(app: TestApp) {
    let req = Request::builder()
        .uri("/gibt-es-nicht")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .body(Body::empty())
        .unwrap();

    let (status, _, html) = app.request(req).await;

    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Back to the dashboard"));
    assert!(html.contains("class=\"skip-link\""));
}

async fn every_page_carries_the_compact_menu_and_the_favicon(app: TestApp) {
    let mut b = app.login("isb@verbund.example").await;

    let (_, html) = b.get(&app, "/orgs").await;

    assert!(html.contains("<details class=\"menu narrow\">"));
    assert!(html.contains("<summary>Menü</summary>"));
    assert_eq!(
        html.matches("href=\"/orgs\" aria-current=\"page\"").count(),
        2,
        "the same links in both"
    );
    assert!(
        html.contains("<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">")
    );
    let (status, _) = b.get(&app, "/static/favicon.svg").await;
    assert_eq!(status, StatusCode::OK);
}

both!(
    error_pages_render_in_the_frame_with_the_roles_menu,
    an_anonymous_error_page_speaks_the_browsers_language,
    every_page_carries_the_compact_menu_and_the_favicon,
);
