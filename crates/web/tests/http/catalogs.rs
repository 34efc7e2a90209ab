use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::Value;

use crate::both;
use crate::helpers::TestApp;

const STARTER: &[u8] = include_bytes!("../../../../catalogs/verbund-starter.yaml");

async fn upload(app: &TestApp, token: &str, query: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/catalogs{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from(body))
        .unwrap();
    let (status, _, text) = app.request(req).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn office_imports_the_starter_catalog_once_and_everyone_reads_it(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let (status, body) = upload(
        &app,
        &isb,
        "?file_name=verbund-starter.yaml",
        STARTER.to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["created"], true);
    assert_eq!(
        (
            body["catalog"]["node_count"].as_i64(),
            body["catalog"]["assessable_count"].as_i64()
        ),
        (Some(149), Some(130))
    );
    assert_eq!(body["catalog"]["revision"], 1);
    let (status, again) = upload(&app, &isb, "", STARTER.to_vec()).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "identical content is not stored twice"
    );
    assert_eq!(
        (again["created"].as_bool(), &again["catalog"]["id"]),
        (Some(false), &body["catalog"]["id"])
    );
    let changed =
        String::from_utf8(STARTER.to_vec())
            .unwrap()
            .replacen("version: 1", "version: 2", 1);
    let (status, v2) = upload(&app, &isb, "", changed.into_bytes()).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        v2["catalog"]["revision"], 2,
        "changed content becomes a new revision"
    );

    let coord = app.token("koordination@nauheim.example").await;
    let (status, list) = app.api(Method::GET, "/catalogs", &coord, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let id = body["catalog"]["id"].as_i64().unwrap();
    let (status, full) = app
        .api(Method::GET, &format!("/catalogs/{id}"), &coord, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let nodes = full["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 149);
    let backup = nodes
        .iter()
        .find(|n| n["ref_id"] == "T02.02")
        .expect("T02.02");
    assert_eq!(backup["assessable"], true);
    assert_eq!(backup["implementation_groups"][0], "P1");
    assert!(backup["translations"]["en"]["name"].is_string());
    assert_eq!(
        app.api(Method::GET, "/catalogs/999999", &coord, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = upload(&app, &coord, "", STARTER.to_vec()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "members do not import");
}

async fn a_broken_file_gets_a_precise_error_and_changes_nothing(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let broken = String::from_utf8(STARTER.to_vec()).unwrap().replacen(
        "    assessable: true",
        "    assessable: [",
        1,
    );
    let (status, body) = upload(&app, &isb, "?file_name=kaputt.yaml", broken.into_bytes()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "error-import");
    let detail = body["error"]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("kaputt.yaml: ") && detail.contains("line"),
        "{detail}"
    );
    let (status, body) = upload(&app, &isb, "?file_name=leer.yaml", vec![]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]["detail"].as_str().unwrap().contains("empty"));
    let (status, body) = upload(&app, &isb, "?format=oscal", STARTER.to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (_, list) = app.api(Method::GET, "/catalogs", &isb, None).await;
    assert_eq!(list.as_array().unwrap().len(), 0, "nothing stored");
    let (status, _) = upload(&app, &isb, "?format=xml", STARTER.to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn an_english_reader_sees_the_catalogs_english_texts_in_assessments_and_the_comparison(
    app: TestApp,
) {
    let isb = app.token("isb@verbund.example").await;
    crate::assessments::start_all(&app, &isb).await;
    let token = app.token("koordination@nauheim.example").await;
    let id = crate::assessments::own_assessment(&app, &token).await;
    let first = crate::assessments::all_answers(&app, &token, id).await[0]["id"].clone();
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/answers/{first}"),
            &token,
            Some(serde_json::json!({"status": "yes"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut english = app.login("koordination@nauheim.example").await;
    let (status, _) = english
        .post_form(&app, "/profile/language", &[("locale", "en")])
        .await;
    assert!(status.is_redirection(), "{status}");

    let (_, page) = english.get(&app, &format!("/assessments/{id}")).await;
    let (_, heatmap) = english.get(&app, "/heatmap").await;
    let (_, answer) = english
        .get(&app, &format!("/answers/{}", first_answer(&page)))
        .await;

    assert!(
        page.contains("Organisation of information security"),
        "topic name in English"
    );
    assert!(
        page.contains("Information security officer appointed"),
        "row title in English"
    );
    assert!(!page.contains("ISB benannt"));
    assert!(
        heatmap.contains("Organisation of information security"),
        "comparison topics in English"
    );
    assert!(
        answer.contains("Has a person been formally appointed"),
        "answer page in English"
    );
    let mut german = app.login("leitung@nauheim.example").await;
    let (_, page) = german.get(&app, &format!("/assessments/{id}")).await;
    assert!(
        page.contains("Organisation der Informationssicherheit") && page.contains("ISB benannt")
    );
}

/// The first answer linked from an assessment page.
fn first_answer(page: &str) -> i64 {
    page.split("href=\"/answers/")
        .nth(1)
        .and_then(|s| s.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|s| s.parse().ok())
        .expect("an answer link")
}

both!(
    office_imports_the_starter_catalog_once_and_everyone_reads_it,
    a_broken_file_gets_a_precise_error_and_changes_nothing,
    an_english_reader_sees_the_catalogs_english_texts_in_assessments_and_the_comparison,
);

/// The real NIST SP 800-53 library from ../shared/datasets (skipped where the datasets are absent,
/// unless `VERBUND_REQUIRE_DATASETS=1`).
#[tokio::test]
async fn the_nist_library_imports_with_all_1209_nodes() {
    let Some(bytes) = crate::datasets::dataset("catalogs/ciso-assistant/nist-sp-800-53-rev5.yaml")
    else {
        return;
    };
    let app = TestApp::new(crate::helpers::Backend::Sqlite).await;
    let isb = app.token("isb@verbund.example").await;
    let (status, body) = upload(&app, &isb, "?file_name=nist-sp-800-53-rev5.yaml", bytes).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        (
            body["catalog"]["node_count"].as_i64(),
            body["catalog"]["assessable_count"].as_i64()
        ),
        (Some(1209), Some(1189))
    );
}
