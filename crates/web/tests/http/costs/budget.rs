//! Budgets and their split: the preview by key, input errors, copying a year, comparing keys.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{bill, setup_2026};
use crate::both;
use crate::helpers::TestApp;

async fn preview_splits_the_budget_to_the_cent_by_the_kreis_key(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    let (status, budget) = app
        .api(Method::GET, "/costs/budget?year=2026", &isb, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(budget["total_cents"], 19_000_000);
    let (status, p) = app
        .api(
            Method::GET,
            &format!("/costs/preview?year=2026&key={key}"),
            &isb,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    // Hand-checked in the domain tests: Kreis 57,000.00 €, Rüsselsheim 5,541.67 + 17,914.53 = 23,456.19 €.
    assert_eq!(bill(&p, "Kreis Groß-Gerau"), 5_700_000);
    assert_eq!(bill(&p, "Rüsselsheim am Main"), 2_345_619);
    assert_eq!(bill(&p, "Biebesheim am Rhein"), 731_909);
    let sum: i64 = p["statement"]["bills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["payable"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 19_000_000, "shares add up to the budget");
    assert_eq!(p["savings"]["members"].as_array().unwrap().len(), 13);
    assert_eq!(p["savings"]["total_standalone"], 13 * 4_250_000);
}

async fn bad_cost_input_is_refused_with_a_precise_error(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let (status, body) = app
        .api(
            Method::POST,
            "/costs/budget-lines?year=2026",
            &isb,
            Some(json!({"category": "personnel", "amount_cents": -5})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["code"], "error-negative");
    let (status, body) = app
        .api(
            Method::POST,
            "/costs/budget-lines?year=2026",
            &isb,
            Some(json!({"category": "snacks", "amount": "viel"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"].as_array().unwrap().len(), 2);
    let bad_key = json!({"name": "Falsch", "root": {"kind": "split", "parts": [
        {"label": "gleich", "weight": 5000, "key": {"kind": "equal"}}, {"label": "Einwohner", "weight": 4000, "key": {"kind": "by_metric", "metric": "population"}}]}});
    let (status, body) = app
        .api(Method::POST, "/costs/keys", &isb, Some(bad_key))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "error-key");
    assert!(
        body["error"]["detail"].as_str().unwrap().contains("Falsch"),
        "names the key node: {body}"
    );
    let (_, keys) = app.api(Method::GET, "/costs/keys", &isb, None).await;
    assert_eq!(keys.as_array().unwrap().len(), 0, "nothing saved");
    let equal = json!({"name": "Gleich", "root": {"kind": "equal"}});
    let (_, k) = app
        .api(Method::POST, "/costs/keys", &isb, Some(equal))
        .await;
    let (status, body) = app
        .api(
            Method::GET,
            &format!("/costs/preview?year=2030&key={}", k["id"]),
            &isb,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no budget for 2030: {body}"
    );
    let by_staff = json!({"name": "Personal", "root": {"kind": "by_metric", "metric": "staff"}});
    let (_, k) = app
        .api(Method::POST, "/costs/keys", &isb, Some(by_staff))
        .await;
    setup_2026(&app, &isb).await;
    let office_org = app.org_id("Nauheim").await;
    let (status, _) = app.api(Method::PUT, &format!("/organisations/{office_org}"), &isb, Some(json!({"name": "Nauheim", "kind": "gemeinde", "ags": "06433009", "population": 10840}))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app
        .api(
            Method::GET,
            &format!("/costs/preview?year=2026&key={}", k["id"]),
            &isb,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("Nauheim"),
        "names the member without the metric: {body}"
    );
}

async fn budget_is_copied_to_the_next_year_with_an_index(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    setup_2026(&app, &isb).await;
    let (status, lines) = app
        .api(
            Method::POST,
            "/costs/budget/copy",
            &isb,
            Some(json!({"from": 2026, "to": 2027, "index_bp": 250})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{lines}");
    let (_, b) = app
        .api(Method::GET, "/costs/budget?year=2027", &isb, None)
        .await;
    assert_eq!(b["total_cents"], 19_475_000, "190,000 € + 2.5 %");
    let (status, _) = app
        .api(
            Method::POST,
            "/costs/budget/copy",
            &isb,
            Some(json!({"from": 2026, "to": 2027})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the target year already has a budget"
    );
}

async fn compare_shows_who_pays_more_under_another_key(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let a = setup_2026(&app, &isb).await;
    let (_, b) = app
        .api(
            Method::POST,
            "/costs/keys",
            &isb,
            Some(json!({"name": "Gleich", "root": {"kind": "equal"}})),
        )
        .await;
    let (status, rows) = app
        .api(
            Method::GET,
            &format!("/costs/compare?year=2026&a={a}&b={}", b["id"]),
            &isb,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let row = |n: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == n)
            .unwrap()
            .clone()
    };
    assert!(
        row("Kreis Groß-Gerau")["diff_cents"].as_i64().unwrap() < 0,
        "the Kreis pays less under equal shares"
    );
    assert!(
        row("Stockstadt am Rhein")["diff_cents"].as_i64().unwrap() > 0,
        "small towns pay more"
    );
    let total: i64 = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["diff_cents"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 0);
}

both!(
    preview_splits_the_budget_to_the_cent_by_the_kreis_key,
    bad_cost_input_is_refused_with_a_precise_error,
    budget_is_copied_to_the_next_year_with_an_index,
    compare_shows_who_pays_more_under_another_key,
);
