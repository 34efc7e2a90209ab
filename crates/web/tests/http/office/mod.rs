//! The office's tools: audit log in words with filters and export, the comparison for the
//! committee (weakest member, trend, report), the dashboards per role, member pages, German
//! dates, English catalog texts and one-time password-reset links.

mod audit;
mod comparison;
mod dashboard;
mod reset;

use axum::http::Method;
use serde_json::json;

use crate::assessments::{all_answers, own_assessment, start_all};
use crate::helpers::TestApp;

/// Starts assessments for every member and lets `email`'s member answer its first topic with
/// `status` in one bulk change; returns (assessment, the answer IDs changed).
pub async fn answer_first_topic(app: &TestApp, email: &str, status: &str) -> (i64, Vec<i64>) {
    let token = app.token(email).await;
    let id = own_assessment(app, &token).await;
    let ids: Vec<i64> = all_answers(app, &token, id)
        .await
        .iter()
        .filter(|r| r["topic_index"] == 0)
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let (s, body) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/answers/bulk"),
            &token,
            Some(json!({"ids": ids, "status": status})),
        )
        .await;
    assert!(s.is_success(), "{body}");
    (id, ids)
}

/// Starts every member's assessment of the starter catalog (as the office ISB).
pub async fn started(app: &TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(app, &isb).await;
}
