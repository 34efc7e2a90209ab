//! Assessments over HTTP, one file per concern; the helpers here start assessments for the
//! other test modules (the isolation matrix uses them too).

mod answering;
mod answers;
mod bombs;
mod comparison;
mod files;
mod groups;
mod heatmap;
mod migration;
mod pages;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub const STARTER: &[u8] = include_bytes!("../../../../../catalogs/verbund-starter.yaml");

/// Imports the starter catalog and starts an assessment for every member; returns the catalog ID.
pub async fn start_all(app: &TestApp, isb: &str) -> i64 {
    let (status, c) = app
        .api_upload(
            "/catalogs?file_name=verbund-starter.yaml",
            isb,
            STARTER.to_vec(),
        )
        .await;
    assert!(status.is_success(), "{c}");
    let catalog = c["catalog"]["id"].as_i64().unwrap();
    let (status, started) = app
        .api(
            Method::POST,
            "/assessments",
            isb,
            Some(json!({"catalog_id": catalog})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(
        started["created"].as_array().unwrap().len(),
        13,
        "the Kreis and the 12 towns"
    );
    catalog
}

/// The assessment of the member the token belongs to (its only one).
pub async fn own_assessment(app: &TestApp, token: &str) -> i64 {
    let (_, list) = app.api(Method::GET, "/assessments", token, None).await;
    assert_eq!(list["total"], 1, "{list}");
    list["items"][0]["id"].as_i64().unwrap()
}

pub async fn all_answers(app: &TestApp, token: &str, id: i64) -> Vec<Value> {
    let (status, page) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/answers?all=true"),
            token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}
