//! Snapshots and the comparison of an assessment with an earlier state.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{all_answers, own_assessment, start_all};
use crate::both;
use crate::helpers::TestApp;

async fn snapshots_show_what_improved_and_what_regressed(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let rows = all_answers(&app, &coord, id).await;
    let set = |i: usize, s: &str| {
        let (app, coord, rid, body) = (
            &app,
            coord.clone(),
            rows[i]["id"].as_i64().unwrap(),
            json!({"status": s}),
        );
        async move {
            assert_eq!(
                app.api(Method::PUT, &format!("/answers/{rid}"), &coord, Some(body))
                    .await
                    .0,
                StatusCode::OK
            )
        }
    };
    set(0, "yes").await;
    set(1, "partial").await;
    let (status, snap) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/snapshots"),
            &coord,
            Some(json!({"name": "Stand Q1"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{snap}");
    set(1, "yes").await;
    set(2, "partial").await;
    set(0, "no").await;
    let (status, cmp) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/compare?from={}", snap["id"]),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cmp}");
    assert_eq!(
        (cmp["improved"].as_i64(), cmp["regressed"].as_i64()),
        (Some(2), Some(1))
    );
    let regressed: Vec<&Value> = cmp["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["trend"] == "regressed")
        .collect();
    assert_eq!(regressed[0]["urn"], rows[0]["urn"]);
    let (status, snap2) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/snapshots"),
            &coord,
            Some(json!({"name": "Stand Q2"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, cmp) = app
        .api(
            Method::GET,
            &format!(
                "/assessments/{id}/compare?from={}&to={}",
                snap["id"], snap2["id"]
            ),
            &coord,
            None,
        )
        .await;
    assert_eq!(cmp["improved"], 2);
    let (_, list) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/snapshots"),
            &coord,
            None,
        )
        .await;
    assert_eq!(list[0]["name"], "Stand Q2");
    let boss = app.token("leitung@nauheim.example").await;
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/assessments/{id}/snapshots"),
            &boss,
            Some(json!({"name": "x"}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
}

both!(snapshots_show_what_improved_and_what_regressed);
