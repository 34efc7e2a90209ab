//! A topic marked entbehrlich at once and its undo; bulk changes over the filter that name
//! every failed row (API).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{all_answers, own_assessment, start_all};
use crate::both;
use crate::helpers::TestApp;

const NO_MAINFRAME: &str = "Keine IBM-Z-Großrechner im Einsatz.";

/// The rows of topic `t`, as (id, ref_id, answer JSON).
fn topic_rows(rows: &[Value], t: i64) -> Vec<(i64, String, Value)> {
    rows.iter()
        .filter(|r| r["topic_index"] == t)
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["ref_id"].as_str().unwrap_or_default().to_owned(),
                r["answer"].clone(),
            )
        })
        .collect()
}

async fn a_topic_marked_not_applicable_is_undone_exactly(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let rows = all_answers(&app, &coord, id).await;
    let topic = topic_rows(&rows, 1);
    assert!(topic.len() >= 3, "{}", topic.len());
    let put = |rid: i64, body: Value| {
        let (app, coord) = (&app, coord.clone());
        async move {
            let (s, b) = app
                .api(Method::PUT, &format!("/answers/{rid}"), &coord, Some(body))
                .await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
    };
    put(
        topic[0].0,
        json!({"status": "yes", "owner": "Hauptamt", "due_on": "2026-12-31", "comment": "geprüft"}),
    )
    .await;
    put(
        topic[1].0,
        json!({"status": "partial", "justification": "Teilweise umgesetzt"}),
    )
    .await;
    put(
        topic[2].0,
        json!({"status": "not_applicable", "justification": NO_MAINFRAME}),
    )
    .await;
    let before = topic_rows(&all_answers(&app, &coord, id).await, 1);
    let (_, a_before) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;

    let (status, change) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/not-applicable"),
            &coord,
            Some(json!({"topic": 1, "justification": NO_MAINFRAME})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{change}");
    assert_eq!(
        change["row_count"].as_i64(),
        Some(i64::try_from(topic.len()).unwrap() - 1),
        "the row that said so already is left alone: {change}"
    );
    let during = topic_rows(&all_answers(&app, &coord, id).await, 1);
    assert!(
        during
            .iter()
            .all(|(_, _, a)| a["status"] == "not_applicable" && a["justification"] == NO_MAINFRAME)
    );
    assert_eq!(during[0].2["owner"], "Hauptamt", "owner stays");
    assert_eq!(during[0].2["comment"], "geprüft", "comment stays");
    let (_, a) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert_eq!(
        a["topics"][1]["tally"]["not_applicable"].as_i64(),
        Some(i64::try_from(topic.len()).unwrap()),
        "the topic tally follows: {a}"
    );
    // One audit entry with every changed row in it.
    let (_, audit) = app
        .api(Method::GET, "/audit?per_page=5", &coord, None)
        .await;
    let entry = &audit["items"][0];
    assert_eq!(entry["action"], "answer.group_not_applicable", "{audit}");
    assert_eq!(
        entry["after"]["rows"].as_array().map(Vec::len),
        Some(topic.len() - 1)
    );
    assert_eq!(
        entry["before"]["rows"][0]["requirement"],
        topic[0].1.as_str()
    );
    assert_eq!(entry["before"]["rows"][0]["answer"]["status"], "yes");

    let cid = change["id"].as_i64().unwrap();
    let (status, undone) = app
        .api(
            Method::POST,
            &format!("/assessment-changes/{cid}/undo"),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{undone}");
    assert!(undone["undone_at_ms"].is_i64());
    let after = topic_rows(&all_answers(&app, &coord, id).await, 1);
    assert_eq!(
        after.iter().map(|r| &r.2).collect::<Vec<_>>(),
        before.iter().map(|r| &r.2).collect::<Vec<_>>(),
        "every answer exactly as before"
    );
    let (_, a_after) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert_eq!(
        (&a_after["score_bp"], &a_after["tally"]),
        (&a_before["score_bp"], &a_before["tally"])
    );
    let (_, audit) = app
        .api(Method::GET, "/audit?per_page=1", &coord, None)
        .await;
    assert_eq!(audit["items"][0]["action"], "answer.group_undo");
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/assessment-changes/{cid}/undo"),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "undone once only");
}

async fn undo_is_refused_naming_every_row_answered_again_since(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let topic = topic_rows(&all_answers(&app, &coord, id).await, 2);
    let (_, change) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/not-applicable"),
            &coord,
            Some(json!({"topic": 2, "justification": NO_MAINFRAME})),
        )
        .await;
    for (rid, _, _) in &topic[..2] {
        let (s, _) = app
            .api(
                Method::PUT,
                &format!("/answers/{rid}"),
                &coord,
                Some(json!({"status": "yes"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
    }
    let (status, body) = app
        .api(
            Method::POST,
            &format!("/assessment-changes/{}/undo", change["id"]),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            format!("rows:{}", topic[0].1),
            format!("rows:{}", topic[1].1)
        ],
        "both rows named"
    );
    let now = topic_rows(&all_answers(&app, &coord, id).await, 2);
    assert_eq!(now[0].2["status"], "yes");
    assert_eq!(now[2].2["status"], "not_applicable", "nothing restored");
    let (_, c) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert!(c["tally"].is_object());
}

async fn group_operations_are_isolated_and_need_the_answer_right(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let raunheim = app.token("koordination@raunheim.example").await;
    let theirs = own_assessment(&app, &raunheim).await;
    let (status, change) = app
        .api(
            Method::POST,
            &format!("/assessments/{theirs}/not-applicable"),
            &raunheim,
            Some(json!({"topic": 0, "justification": NO_MAINFRAME})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let nauheim = app.token("koordination@nauheim.example").await;
    let body = json!({"topic": 0, "justification": NO_MAINFRAME});
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/assessments/{theirs}/not-applicable"),
            &nauheim,
            Some(body.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another member's assessment");
    let undo = format!("/assessment-changes/{}/undo", change["id"]);
    let (status, _) = app.api(Method::POST, &undo, &nauheim, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another member's change");
    let boss = app.token("leitung@raunheim.example").await;
    let (status, _) = app.api(Method::POST, &undo, &boss, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "management reads only");
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/assessments/{theirs}/not-applicable"),
            &boss,
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, e) = app
        .api(
            Method::POST,
            &format!("/assessments/{theirs}/not-applicable"),
            &raunheim,
            Some(json!({"topic": 1, "justification": "  "})),
        )
        .await;
    assert_eq!(
        (status, e["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("justification"))
    );
    let (status, e) = app
        .api(
            Method::POST,
            &format!("/assessments/{theirs}/not-applicable"),
            &raunheim,
            Some(json!({"topic": 999, "justification": NO_MAINFRAME})),
        )
        .await;
    assert_eq!(
        (status, e["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("topic"))
    );
    let (status, _) = app.api(Method::POST, &undo, &raunheim, None).await;
    assert_eq!(status, StatusCode::OK, "the member itself undoes");
}

async fn bulk_over_the_filter_changes_every_match_and_names_every_failure(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let rows = all_answers(&app, &coord, id).await;
    let topic3 = topic_rows(&rows, 3);
    let bulk = format!("/assessments/{id}/answers/bulk");
    let (status, changed) = app
        .api(
            Method::POST,
            &bulk,
            &coord,
            Some(json!({"filter": {"topic": 3}, "status": "partial", "owner": "Bauamt"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed.as_array().unwrap().len(), topic3.len());
    let topic4 = topic_rows(&rows, 4);
    let (status, e) = app
        .api(
            Method::POST,
            &bulk,
            &coord,
            Some(
                json!({"filter": {"topic": 4, "status": "unanswered"}, "status": "not_applicable"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let named: Vec<String> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        named,
        topic4
            .iter()
            .map(|r| format!("justification:{}", r.1))
            .collect::<Vec<_>>(),
        "every failing row, not only the first"
    );
    let still = topic_rows(&all_answers(&app, &coord, id).await, 4);
    assert!(
        still.iter().all(|r| r.2["status"] == "unanswered"),
        "nothing saved"
    );
    let (status, _) = app
        .api(
            Method::POST,
            &bulk,
            &coord,
            Some(json!({"ids": [topic4[0].0], "filter": {"topic": 4}, "status": "yes"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "ids or filter");
}

both!(
    a_topic_marked_not_applicable_is_undone_exactly,
    undo_is_refused_naming_every_row_answered_again_since,
    group_operations_are_isolated_and_need_the_answer_right,
    bulk_over_the_filter_changes_every_match_and_names_every_failure
);
