//! Answering: single answers and the score rule, bulk changes, and the compressed answer list.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{all_answers, own_assessment, start_all};
use crate::both;
use crate::helpers::TestApp;

async fn coordinator_answers_and_the_score_follows_the_rule(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let (status, again) = app.api(Method::POST, "/assessments", &isb, Some(json!({"catalog_id": 1_i64.max(app.api(Method::GET, "/catalogs", &isb, None).await.1[0]["id"].as_i64().unwrap())}))).await;
    assert_eq!(
        (status, again["created"].as_array().map(Vec::len)),
        (StatusCode::CREATED, Some(0)),
        "members with an assessment are skipped"
    );
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let rows = all_answers(&app, &coord, id).await;
    assert_eq!(rows.len(), 130);
    assert!(rows.iter().all(|r| r["answer"]["status"] == "unanswered"));
    let put = |i: usize, body: Value| {
        let (app, coord, rid) = (&app, coord.clone(), rows[i]["id"].as_i64().unwrap());
        async move {
            app.api(Method::PUT, &format!("/answers/{rid}"), &coord, Some(body))
                .await
        }
    };
    let (status, r) = put(
        0,
        json!({"status": "ja", "owner": "Hauptamt", "due_on": "31.12.2026"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["answer"]["status"].as_str(),
            r["answer"]["due_on"].as_str(),
            r["version"].as_i64()
        ),
        (Some("yes"), Some("2026-12-31"), Some(2))
    );
    put(1, json!({"status": "partial"})).await;
    put(2, json!({"status": "no"})).await;
    let (status, body) = put(3, json!({"status": "entbehrlich"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "justification");
    let (status, _) = put(3, json!({"status": "not_applicable", "justification": "Kein eigener Serverraum, alles im Rechenzentrum des Kreises."})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = put(0, json!({"status": "vielleicht"})).await;
    assert_eq!(
        (status, body["error"]["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("status"))
    );
    let (status, _) = put(0, json!({"status": "yes", "version": 1})).await;
    assert_eq!(status, StatusCode::CONFLICT, "a stale version is refused");

    // yes + partial + no + justified n/a: the justified n/a is out of the score, so
    // 1.5 of 129 requirements = 1.163 % → 116 bp.
    let (_, a) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert_eq!(
        (
            a["tally"]["answered"].as_i64(),
            a["tally"]["yes"].as_i64(),
            a["score_bp"].as_i64(),
            a["progress_bp"].as_i64()
        ),
        (None, Some(1), Some(116), Some(308)),
        "{a}"
    );
    let topic = &a["topics"][0];
    assert_eq!(
        topic["tally"]["partial"], 1,
        "the first four questions are in the first topic: {topic}"
    );

    let boss = app.token("leitung@nauheim.example").await;
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/answers/{}", rows[5]["id"]),
            &boss,
            Some(json!({"status": "yes"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "management reads but does not answer"
    );
    let owner = app.token("massnahmen@nauheim.example").await;
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/answers/{}", rows[5]["id"]),
            &owner,
            Some(json!({"status": "yes"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "measure owners answer");
    let (_, filtered) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/answers?status=yes&per_page=10"),
            &coord,
            None,
        )
        .await;
    assert_eq!(filtered["total"], 2);
    let (_, filtered) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/answers?owner=haupt"),
            &coord,
            None,
        )
        .await;
    assert_eq!(filtered["total"], 1);
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/answers?status=kaputt"),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn bulk_changes_many_answers_or_none(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let rows = all_answers(&app, &coord, id).await;
    let ids: Vec<i64> = rows
        .iter()
        .take(10)
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let (status, changed) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/answers/bulk"),
            &coord,
            Some(json!({"ids": ids, "status": "partial", "owner": "IT-Dienstleister"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert!(
        changed
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["answer"]["status"] == "partial"
                && r["answer"]["owner"] == "IT-Dienstleister")
    );
    let (_, a) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert_eq!(a["score_bp"], 385, "10 × 0.5 / 130");
    let (status, body) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/answers/bulk"),
            &coord,
            Some(json!({"ids": ids, "status": "not_applicable"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "entbehrlich needs a justification: {body}"
    );
    let (_, a) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert_eq!(a["score_bp"], 385, "nothing changed");
    let raunheim_row = {
        let other = app.token("koordination@raunheim.example").await;
        all_answers(&app, &other, own_assessment(&app, &other).await).await[0]["id"]
            .as_i64()
            .unwrap()
    };
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/answers/bulk"),
            &coord,
            Some(json!({"ids": [ids[0], raunheim_row], "status": "yes"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another member's answer cannot be smuggled into a bulk change"
    );
}

async fn a_large_answer_list_is_gzipped_when_the_client_asks(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let get = |gzip: bool| {
        let mut r = axum::http::Request::get(format!("/api/v1/assessments/{id}/answers?all=true"))
            .header("authorization", format!("Bearer {coord}"));
        if gzip {
            r = r.header("accept-encoding", "gzip");
        }
        r.body(axum::body::Body::empty()).unwrap()
    };
    let (status, headers, plain) = app.request_bytes(get(false)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("content-encoding").is_none(), "only when asked");
    let (status, headers, packed) = app.request_bytes(get(true)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-encoding"], "gzip");
    assert!(
        packed.len() * 2 < plain.len(),
        "{} vs {}",
        packed.len(),
        plain.len()
    );
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&packed[..]),
        &mut unpacked,
    )
    .unwrap();
    assert_eq!(unpacked, plain, "the same list");
}

async fn the_answer_list_shows_every_change_at_once_although_it_is_cached(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let first = all_answers(&app, &coord, id).await[0].clone();
    // Read twice: the second answer comes from the cache.
    assert_eq!(all_answers(&app, &coord, id).await[0], first);
    let answer = first["id"].as_i64().unwrap();
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/answers/{answer}"),
            &coord,
            Some(json!({"status": "partial", "owner": "Hauptamt"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let after = all_answers(&app, &coord, id).await[0].clone();
    assert_eq!(
        (
            after["answer"]["status"].as_str(),
            after["answer"]["owner"].as_str()
        ),
        (Some("partial"), Some("Hauptamt"))
    );
    let (status, e) = app
        .api_upload(
            &format!("/answers/{answer}/evidence?file_name=nachweis.pdf"),
            &coord,
            b"%PDF-1.7\n% Nachweis\n".to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!(all_answers(&app, &coord, id).await[0]["evidence_count"], 1);
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/evidence/{}", e["id"]),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(all_answers(&app, &coord, id).await[0]["evidence_count"], 0);
    // Another member's list stays 404, cached or not.
    let other = app.token("koordination@raunheim.example").await;
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/answers?all=true"),
            &other,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

both!(
    the_answer_list_shows_every_change_at_once_although_it_is_cached,
    a_large_answer_list_is_gzipped_when_the_client_asks,
    coordinator_answers_and_the_score_follows_the_rule,
    bulk_changes_many_answers_or_none,
);
