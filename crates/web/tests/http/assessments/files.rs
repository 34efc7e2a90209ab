//! Files: answers exported and imported as XLSX and CSV, and evidence uploads.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{all_answers, own_assessment, start_all};
use crate::both;
use crate::helpers::TestApp;

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

both!(
    answers_round_trip_through_xlsx_and_csv,
    evidence_is_type_checked_and_kept,
);
