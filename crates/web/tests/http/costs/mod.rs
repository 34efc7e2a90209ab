//! Costs over HTTP, one file per concern; the helpers here set up a budget and key for the
//! other test modules (the isolation matrix uses them too).

mod budget;
mod edit;
mod issue;
mod pages;
mod settings;
mod statements;

use serde_json::{Value, json};

use crate::helpers::{Browser, TestApp};
use axum::http::{Method, StatusCode};

/// The Kreis carries a fixed 30 %; the towns split 70 % half equally, half by population.
pub fn kreis_key(kreis: i64) -> Value {
    json!({"kind": "split", "parts": [
        {"label": "Kreis", "weight": 3000, "members": {"kind": "only", "members": [kreis]}, "key": {"kind": "equal"}},
        {"label": "Städte und Gemeinden", "weight": 7000, "members": {"kind": "except", "members": [kreis]}, "key": {"kind": "split", "parts": [
            {"label": "gleiche Anteile", "weight": 5000, "key": {"kind": "equal"}},
            {"label": "nach Einwohnern", "weight": 5000, "key": {"kind": "by_metric", "metric": "population"}}
        ]}}
    ]})
}

/// Two posts (2 × 85,000 €) and 20,000 € material: 190,000 € for 2026.
pub async fn setup_2026(app: &TestApp, token: &str) -> i64 {
    for (category, amount, note) in [
        ("personnel", "85.000,00", "ISB-Stelle 1"),
        ("personnel", "85000", "ISB-Stelle 2"),
        ("material", "20.000", "Sachkosten"),
    ] {
        let (status, body) = app
            .api(
                Method::POST,
                "/costs/budget-lines?year=2026",
                token,
                Some(json!({"category": category, "amount": amount, "note": note})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let kreis = app.org_id("Kreis Groß-Gerau").await;
    let (status, key) = app.api(Method::POST, "/costs/keys", token, Some(json!({"name": "Finanzierungsschlüssel", "root": kreis_key(kreis), "standalone": {"common": 4_250_000}}))).await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    key["id"].as_i64().unwrap()
}

/// Issues the 2026 statement with `key` as the office; its ID.
pub async fn issue_2026(app: &TestApp, isb: &str, key: i64) -> i64 {
    let (status, st) = app
        .api(
            Method::POST,
            "/costs/statements",
            isb,
            Some(json!({"year": 2026, "key_id": key})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{st}");
    st["id"].as_i64().unwrap()
}

fn bill(preview: &Value, name: &str) -> i64 {
    preview["statement"]["bills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("{name}"))["payable"]
        .as_i64()
        .unwrap()
}

/// The value of the hidden form field `name` on a page.
pub fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} in {page}"))
        + marker.len();
    page[start..start + page[start..].find('"').expect("closing quote")].to_owned()
}

/// Issues a statement through the UI as the office does: the confirmation page, then its
/// form with `extra` fields (references, due date); the statement page's location.
pub async fn confirm_and_issue(
    app: &TestApp,
    b: &mut Browser,
    year: i32,
    key: &str,
    extra: &[(&str, &str)],
) -> String {
    let (status, page) = b
        .get(app, &format!("/costs/statements/new?year={year}&key={key}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let fingerprint = hidden(&page, "fingerprint");
    let year = year.to_string();
    let mut fields = vec![
        ("year", year.as_str()),
        ("key", key),
        ("fingerprint", fingerprint.as_str()),
    ];
    fields.extend_from_slice(extra);
    let (status, loc) = b.post_form(app, "/costs/statements", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{loc}");
    assert!(loc.starts_with("/costs/statements/"), "{loc}");
    loc
}
