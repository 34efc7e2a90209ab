use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::TestApp;

pub const STARTER: &[u8] = include_bytes!("../../../../catalogs/verbund-starter.yaml");

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

async fn answers_round_trip_through_xlsx_and_csv(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let rows = all_answers(&app, &coord, id).await;
    let first = rows[0]["id"].as_i64().unwrap();
    app.api(Method::PUT, &format!("/answers/{first}"), &coord, Some(json!({"status": "not_applicable", "justification": "Trifft nicht zu", "owner": "Hauptamt"}))).await;
    let (status, ct, xlsx) = app
        .api_file(&format!("/assessments/{id}/export"), &coord)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"));
    // Reset the answer, then import the workbook: the answer comes back exactly.
    app.api(
        Method::PUT,
        &format!("/answers/{first}"),
        &coord,
        Some(json!({"status": "unanswered"})),
    )
    .await;
    let (status, out) = app
        .api_upload(&format!("/assessments/{id}/import"), &coord, xlsx)
        .await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(
        (out["rows"].as_i64(), out["changed"].as_i64()),
        (Some(130), Some(1))
    );
    let back = &all_answers(&app, &coord, id).await[0]["answer"];
    assert_eq!(
        (
            back["status"].as_str(),
            back["justification"].as_str(),
            back["owner"].as_str()
        ),
        (
            Some("not_applicable"),
            Some("Trifft nicht zu"),
            Some("Hauptamt")
        )
    );

    let (_, _, csv) = app
        .api_file(&format!("/assessments/{id}/export?format=csv"), &coord)
        .await;
    let text = String::from_utf8(csv).unwrap();
    assert!(
        text.starts_with('\u{feff}') && text.contains(";entbehrlich;Trifft nicht zu;Hauptamt;"),
        "{}",
        &text[..300.min(text.len())]
    );
    // Descriptions span several lines, so edit by field: the first open answer becomes "ja".
    let edited = text.replacen(";offen;", ";ja;", 1);
    let (status, out) = app
        .api_upload(
            &format!("/assessments/{id}/import"),
            &coord,
            edited.clone().into_bytes(),
        )
        .await;
    assert_eq!(
        (status, out["changed"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{out}"
    );
    let broken = edited.replacen(";offen;", ";vielleicht;", 1);
    let (status, body) = app
        .api_upload(
            &format!("/assessments/{id}/import"),
            &coord,
            broken.into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let detail = body["error"]["detail"].as_str().unwrap();
    assert!(
        detail.contains("Zeile ")
            && detail.contains("Spalte Status")
            && detail.contains("vielleicht"),
        "{detail}"
    );
    let (_, a) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert_eq!(a["tally"]["yes"], 1, "the broken file changed nothing");
}

async fn evidence_is_type_checked_and_kept(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let answer = all_answers(&app, &coord, id).await[0]["id"]
        .as_i64()
        .unwrap();
    let pdf = b"%PDF-1.7\n% Protokoll der Datensicherungspruefung\n".to_vec();
    let (status, e) = app
        .api_upload(
            &format!("/answers/{answer}/evidence?file_name=Pr%C3%BCfprotokoll.pdf"),
            &coord,
            pdf.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!(e["content_type"], "application/pdf");
    let (status, body) = app
        .api_upload(
            &format!("/answers/{answer}/evidence?file_name=tool.pdf"),
            &coord,
            b"MZ\x90\x00binary".to_vec(),
        )
        .await;
    assert_eq!(
        (status, body["error"]["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("error-file-type"))
    );
    let (_, list) = app
        .api(
            Method::GET,
            &format!("/answers/{answer}/evidence"),
            &coord,
            None,
        )
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (status, ct, bytes) = app
        .api_file(&format!("/evidence/{}", e["id"]), &coord)
        .await;
    assert_eq!(
        (status, ct.as_str(), bytes),
        (StatusCode::OK, "application/pdf", pdf)
    );
    let (_, rows) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/answers?per_page=1"),
            &coord,
            None,
        )
        .await;
    assert_eq!(rows["items"][0]["evidence_count"], 1);
    let backup = app.store.backup().await.unwrap();
    assert_eq!(
        backup["tables"]["evidence"]["rows"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "the backup includes evidence files"
    );
    let boss = app.token("leitung@nauheim.example").await;
    assert_eq!(
        app.api(
            Method::DELETE,
            &format!("/evidence/{}", e["id"]),
            &boss,
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.api(
            Method::DELETE,
            &format!("/evidence/{}", e["id"]),
            &coord,
            None
        )
        .await
        .0,
        StatusCode::NO_CONTENT
    );
}

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

both!(
    a_large_answer_list_is_gzipped_when_the_client_asks,
    coordinator_answers_and_the_score_follows_the_rule,
    bulk_changes_many_answers_or_none,
    snapshots_show_what_improved_and_what_regressed,
    answers_round_trip_through_xlsx_and_csv,
    evidence_is_type_checked_and_kept,
    heatmap_shows_members_by_name_only_to_the_office_unless_allowed,
);

async fn office_and_members_work_through_the_pages(app: TestApp) {
    let mut office = app.login("isb@verbund.example").await;
    let (status, _) = office
        .post_file(
            &app,
            "/catalogs",
            "kaputt.yaml",
            b"objects: [unclosed",
            &[("format", "auto")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, loc) = office
        .post_file(
            &app,
            "/catalogs",
            "verbund-starter.yaml",
            STARTER,
            &[("format", "auto")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{loc}");
    let (_, page) = office.get(&app, "/catalogs").await;
    assert!(page.contains("Einstiegskatalog"), "{page}");
    let catalog = app
        .api(
            Method::GET,
            "/catalogs",
            &app.token("isb@verbund.example").await,
            None,
        )
        .await
        .1[0]["id"]
        .as_i64()
        .unwrap();
    let (status, _) = office
        .post_form(&app, &format!("/catalogs/{catalog}/start"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = office
        .get(&app, &format!("/catalogs/{catalog}?started=13"))
        .await;
    assert!(page.contains("13 Bewertungen wurden gestartet"));

    let mut coord = app.login("koordination@nauheim.example").await;
    let (status, _) = coord
        .post_file(&app, "/catalogs", "verbund-starter.yaml", STARTER, &[])
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "members do not import catalogs"
    );
    let (_, list) = coord.get(&app, "/assessments").await;
    assert!(
        list.contains("Nauheim") && !list.contains("Raunheim"),
        "{list}"
    );
    let token = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &token).await;
    let (status, page) = coord
        .get(&app, &format!("/assessments/{id}?status=unanswered&topic="))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("130 Einträge") || page.contains("(130 "),
        "all open: {}",
        &page[..2000.min(page.len())]
    );
    let rows = all_answers(&app, &token, id).await;
    let first = rows[0]["id"].as_i64().unwrap();
    let (status, row) = coord
        .post_htmx(
            &app,
            &format!("/answers/{first}"),
            &[("status", "yes"), ("version", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        row.starts_with("<tr id=\"answer-") && row.contains("value=\"yes\" selected"),
        "the row comes back: {row}"
    );
    let (status, row) = coord
        .post_htmx(
            &app,
            &format!("/answers/{}", rows[1]["id"]),
            &[("status", "not_applicable")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        row.contains("Begründung nötig"),
        "the row shows the error: {row}"
    );
    let ids: Vec<String> = rows[2..6].iter().map(|r| r["id"].to_string()).collect();
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|i| ("ids", i.as_str())).collect();
    fields.extend([("status", "partial"), ("owner", "Bauamt")]);
    let (status, page) = coord
        .post_form(&app, &format!("/assessments/{id}/bulk"), &fields)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("4 Anforderungen wurden geändert"));
    let (status, _) = coord
        .post_file(
            &app,
            &format!("/answers/{first}/evidence"),
            "protokoll.pdf",
            b"%PDF-1.4 Test",
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = coord.get(&app, &format!("/answers/{first}")).await;
    assert!(page.contains("protokoll.pdf"));
    let (status, _) = coord
        .post_form(
            &app,
            &format!("/assessments/{id}/snapshots"),
            &[("name", "Stand heute")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, heat) = coord.get(&app, "/heatmap").await;
    assert!(
        heat.contains("Nauheim")
            && !heat.contains("Raunheim")
            && heat.contains("Verbund-Durchschnitt"),
        "{heat}"
    );
    let (_, heat) = office.get(&app, "/heatmap?sort=score").await;
    assert!(heat.contains("Raunheim") && heat.contains("Schwächstes Mitglied"));
    let (_, _, xlsx) = app
        .api_file(&format!("/assessments/{id}/export"), &token)
        .await;
    let (status, _) = coord
        .post_file(
            &app,
            &format!("/assessments/{id}/import"),
            "bewertung.xlsx",
            &xlsx,
            &[],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the own export imports unchanged"
    );
}

both!(office_and_members_work_through_the_pages);

/// The starter catalog as a next revision: T01.01 reworded, T01.02 dropped, T19.08 added.
fn starter_next_revision() -> Vec<u8> {
    let text = std::str::from_utf8(STARTER).unwrap();
    let start = text
        .find("    - urn: urn:verbund:risk:req_node:verbund-starter:t01.02\n")
        .unwrap();
    let end = start + 10 + text[start + 10..].find("    - urn: ").unwrap();
    let mut next = format!("{}{}", &text[..start], &text[end..]);
    next = next.replacen(
        "Wurde eine Person als Informationssicherheitsbeauftragte",
        "Wurde schriftlich eine Person als Informationssicherheitsbeauftragte",
        1,
    );
    next.push_str(
        "    - urn: urn:verbund:risk:req_node:verbund-starter:t19.08\n      assessable: true\n      depth: 2\n      parent_urn: urn:verbund:risk:req_node:verbund-starter:t19\n      ref_id: T19.08\n      name: Neue Frage\n      description: Gibt es eine neue Regel?\n      implementation_groups:\n      - P3\n",
    );
    next.into_bytes()
}

async fn an_assessment_moves_to_a_new_catalog_revision_with_its_answers(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let old_catalog = start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let rows = all_answers(&app, &coord, id).await;
    let (t0101, t0102, t0103) = (
        rows[0]["id"].as_i64().unwrap(),
        rows[1]["id"].as_i64().unwrap(),
        rows[2]["id"].as_i64().unwrap(),
    );
    for (rid, body) in [
        (t0101, json!({"status": "yes", "owner": "Hauptamt"})),
        (t0102, json!({"status": "no"})),
        (t0103, json!({"status": "partial"})),
    ] {
        assert_eq!(
            app.api(Method::PUT, &format!("/answers/{rid}"), &coord, Some(body))
                .await
                .0,
            StatusCode::OK
        );
    }
    app.api_upload(
        &format!("/answers/{t0103}/evidence?file_name=nachweis.pdf"),
        &coord,
        b"%PDF-1.4 x".to_vec(),
    )
    .await;
    let (status, imported) = app
        .api_upload(
            "/catalogs?file_name=starter-v2.yaml",
            &isb,
            starter_next_revision(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    assert_eq!(imported["catalog"]["revision"], 2);
    let new_catalog = imported["catalog"]["id"].as_i64().unwrap();

    let (status, p) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/migration?to={new_catalog}"),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    let urns = |k: &str| {
        p["diff"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["ref_id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        (urns("added"), urns("removed"), urns("changed")),
        (
            vec!["T19.08".to_owned()],
            vec!["T01.02".to_owned()],
            vec!["T01.01".to_owned()]
        )
    );
    assert_eq!(
        (
            p["diff"]["unchanged"].as_i64(),
            p["answers_dropped"].as_i64()
        ),
        (Some(128), Some(1))
    );
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/migration?to={old_catalog}"),
            &coord,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only a newer revision"
    );

    let (status, moved) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/migrate"),
            &coord,
            Some(json!({"catalog_id": new_catalog})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    let new_id = moved["created"][0].as_i64().unwrap();
    let (_, a) = app
        .api(Method::GET, &format!("/assessments/{new_id}"), &coord, None)
        .await;
    assert_eq!(
        (
            a["tally"]["total"].as_i64(),
            a["tally"]["yes"].as_i64(),
            a["tally"]["partial"].as_i64(),
            a["tally"]["no"].as_i64()
        ),
        (Some(130), Some(1), Some(1), Some(0))
    );
    let new_rows = all_answers(&app, &coord, new_id).await;
    assert_eq!(new_rows[0]["answer"]["owner"], "Hauptamt");
    assert_eq!(
        new_rows[1]["evidence_count"], 1,
        "evidence follows its requirement"
    );
    let (_, old) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert_eq!(
        old["tally"]["no"], 1,
        "the old assessment is kept as it was"
    );
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/migrate"),
            &coord,
            Some(json!({"catalog_id": new_catalog})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "only once");
    let boss = app.token("leitung@nauheim.example").await;
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/assessments/{id}/migrate"),
            &boss,
            Some(json!({"catalog_id": new_catalog}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let mut b = app.login("koordination@nauheim.example").await;
    let (_, page) = b.get(&app, &format!("/assessments/{id}")).await;
    assert!(page.contains("Neuer Katalogstand verfügbar"));
    let (status, page) = b
        .get(
            &app,
            &format!("/assessments/{id}/migration?to={new_catalog}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("T19.08") && page.contains("T01.02"));
}

both!(an_assessment_moves_to_a_new_catalog_revision_with_its_answers);
