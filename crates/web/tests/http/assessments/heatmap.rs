//! The heatmap: members by name only for the office unless allowed, and the figures members see.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{all_answers, own_assessment, start_all};
use crate::both;
use crate::helpers::TestApp;

async fn heatmap_shows_members_by_name_only_to_the_office_unless_allowed(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let rows = all_answers(&app, &coord, id).await;
    let first_topic: Vec<i64> = rows
        .iter()
        .filter(|r| r["topic_index"] == 0)
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    app.api(
        Method::POST,
        &format!("/assessments/{id}/answers/bulk"),
        &coord,
        Some(json!({"ids": first_topic, "status": "yes"})),
    )
    .await;

    let (status, h) = app
        .api(Method::GET, "/heatmap?sort=score&per_page=50", &isb, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{h}");
    assert_eq!(
        (
            h["named"].as_bool(),
            h["rows"]["total"].as_i64(),
            h["topics"].as_array().map(Vec::len)
        ),
        (Some(true), Some(13), Some(19))
    );
    let nauheim = h["rows"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Nauheim")
        .unwrap()
        .clone();
    assert_eq!(
        nauheim["topics"][0], 10_000,
        "the first topic fully answered with yes"
    );
    assert_eq!(
        h["rows"]["items"][12]["name"], "Nauheim",
        "sorted by score, lowest first"
    );
    let t0 = &h["topics"][0]["stats"];
    assert_eq!(
        (
            t0["members"].as_i64(),
            t0["average_bp"].as_i64(),
            t0["min_bp"].as_i64(),
            t0["max_bp"].as_i64(),
            t0["gap_bp"].as_i64()
        ),
        (Some(1), Some(10_000), Some(10_000), Some(10_000), Some(0)),
        "the 12 members that have answered nothing are not yet assessed and not counted"
    );

    let (_, mine) = app.api(Method::GET, "/heatmap", &coord, None).await;
    assert_eq!(
        (mine["named"].as_bool(), mine["rows"]["total"].as_i64()),
        (Some(false), Some(1))
    );
    assert_eq!(
        (
            &mine["topics"][0]["stats"],
            &mine["overall"],
            mine["withheld_below"].as_u64()
        ),
        (&Value::Null, &Value::Null, Some(3)),
        "no other member has answered: an average would be Nauheim's own score, so it is withheld"
    );
    let (_, page) = app
        .login("koordination@nauheim.example")
        .await
        .get(&app, "/heatmap")
        .await;
    assert!(
        page.contains("mindestens 3 weitere Mitglieder"),
        "the page says why"
    );

    // Two other members answer their first topic half (teilweise); with the threshold at 2
    // Nauheim sees the average of the three, but still no spread.
    let others: Vec<i64> = h["rows"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["name"] == "Raunheim" || r["name"] == "Gernsheim")
        .map(|r| r["assessment_id"].as_i64().unwrap())
        .collect();
    assert_eq!(others.len(), 2);
    for other in others {
        let ids: Vec<i64> = all_answers(&app, &isb, other)
            .await
            .iter()
            .filter(|r| r["topic_index"] == 0)
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        app.api(
            Method::POST,
            &format!("/assessments/{other}/answers/bulk"),
            &isb,
            Some(json!({"ids": ids, "status": "partial"})),
        )
        .await;
    }
    let (status, _) = app
        .api(
            Method::PUT,
            "/settings",
            &isb,
            Some(json!({"anonymity_min_others": 2})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, mine) = app.api(Method::GET, "/heatmap", &coord, None).await;
    assert_eq!(
        (
            mine["topics"][0]["stats"]["members"].as_i64(),
            mine["topics"][0]["stats"]["average_bp"].as_i64(),
            mine["withheld_below"].as_u64()
        ),
        (Some(3), Some(6_667), None),
        "(100 % + 50 % + 50 %) / 3, rounded half up"
    );
    assert_eq!(
        mine["topics"][0]["stats"]["min_bp"],
        Value::Null,
        "no spread for members"
    );
    assert_eq!(
        mine["topics"][1]["stats"],
        Value::Null,
        "nobody answered the second topic: no figures"
    );
    app.api(
        Method::PUT,
        "/settings",
        &isb,
        Some(json!({"named_comparison": true})),
    )
    .await;
    let (_, named) = app.api(Method::GET, "/heatmap", &coord, None).await;
    assert_eq!(
        (named["named"].as_bool(), named["rows"]["total"].as_i64()),
        (Some(true), Some(13))
    );
}

both!(heatmap_shows_members_by_name_only_to_the_office_unless_allowed);
