//! The comparison for the committee: the weakest member named for the office only, differences
//! in Prozentpunkte, the federation trend from snapshots (chart and table), the catalog with
//! the most answers first, and the committee report as PDF and XLSX.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{answer_first_topic, started};
use crate::both;
use crate::helpers::TestApp;

async fn snapshot(app: &TestApp, email: &str, assessment: i64) {
    let token = app.token(email).await;
    let (s, body) = app
        .api(
            Method::POST,
            &format!("/assessments/{assessment}/snapshots"),
            &token,
            Some(json!({"name": "Stand"})),
        )
        .await;
    assert!(s.is_success(), "{body}");
}

async fn the_office_sees_the_weakest_member_by_name_and_members_do_not(app: TestApp) {
    started(&app).await;
    answer_first_topic(&app, "koordination@nauheim.example", "yes").await;
    answer_first_topic(&app, "koordination@raunheim.example", "no").await;
    let isb = app.token("isb@verbund.example").await;

    let (status, h) = app.api(Method::GET, "/heatmap", &isb, None).await;
    assert_eq!(status, StatusCode::OK, "{h}");
    assert_eq!(h["weakest"]["name"], "Raunheim", "{}", h["weakest"]);
    let raunheim = h["rows"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Raunheim")
        .unwrap()["score_bp"]
        .as_i64()
        .unwrap();
    let average = h["overall"]["average_bp"].as_i64().unwrap();
    assert_eq!(h["weakest"]["score_bp"], raunheim);
    assert_eq!(
        h["weakest"]["below_average_bp"].as_i64(),
        Some(average - raunheim)
    );
    let mut b = app.login("isb@verbund.example").await;
    let (_, html) = b.get(&app, "/heatmap").await;
    assert!(
        html.contains("Raunheim mit ") && html.contains("Prozentpunkte zum Durchschnitt)"),
        "{html}"
    );
    assert!(html.contains("↑") || html.contains("Prozentpunkte"));
    assert!(
        html.contains("sticky-first"),
        "the member column stays in place"
    );
    assert!(
        html.contains("<dl class=\"legend\""),
        "topic names in a legend"
    );

    let coord = app.token("koordination@nauheim.example").await;
    let (_, mine) = app.api(Method::GET, "/heatmap", &coord, None).await;
    assert!(mine["weakest"].is_null(), "members see no names: {mine}");
    let mut m = app.login("koordination@nauheim.example").await;
    let (_, html) = m.get(&app, "/heatmap").await;
    assert!(!html.contains("Raunheim"));
}

async fn the_trend_averages_each_members_latest_snapshot(app: TestApp) {
    started(&app).await;
    let (nauheim, _) = answer_first_topic(&app, "koordination@nauheim.example", "yes").await;
    let (raunheim, _) = answer_first_topic(&app, "koordination@raunheim.example", "no").await;
    snapshot(&app, "koordination@nauheim.example", nauheim).await;
    snapshot(&app, "koordination@raunheim.example", raunheim).await;
    let isb = app.token("isb@verbund.example").await;

    let (_, h) = app.api(Method::GET, "/heatmap", &isb, None).await;
    let trend = h["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 1, "all snapshots in this month: {trend:?}");
    let score = |name: &str| {
        h["rows"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .unwrap()["score_bp"]
            .as_i64()
            .unwrap()
    };
    let expected = (score("Nauheim") + score("Raunheim") + 1) / 2;
    assert_eq!(
        (
            trend[0]["members"].as_i64(),
            trend[0]["average_bp"].as_i64()
        ),
        (Some(2), Some(expected)),
        "the average of both snapshots"
    );
    let mut b = app.login("isb@verbund.example").await;
    let (_, html) = b.get(&app, "/heatmap").await;
    assert!(html.contains("<svg class=\"trend-chart\""), "the chart");
    assert!(html.contains("role=\"img\""), "an image with a name");
    assert!(
        html.contains("<caption>Entwicklung des Verbunds</caption>"),
        "and a table"
    );

    let coord = app.token("koordination@nauheim.example").await;
    let (_, mine) = app.api(Method::GET, "/heatmap", &coord, None).await;
    assert_eq!(
        mine["trend"].as_array().map(Vec::len),
        Some(0),
        "with one other member the anonymised trend would give its score away"
    );
}

async fn the_comparison_opens_on_the_catalog_with_the_most_answers(app: TestApp) {
    started(&app).await;
    answer_first_topic(&app, "koordination@nauheim.example", "yes").await;
    let isb = app.token("isb@verbund.example").await;
    let (_, first) = app.api(Method::GET, "/heatmap", &isb, None).await;
    let answered = first["catalog"]["id"].clone();
    // A second revision of the catalog gets (empty) assessments for every member too.
    let text = String::from_utf8(crate::assessments::STARTER.to_vec())
        .unwrap()
        .replacen("version: ", "version: 9", 1);
    let (s, c) = app
        .api_upload("/catalogs?file_name=neu.yaml", &isb, text.into_bytes())
        .await;
    assert!(s.is_success(), "{c}");
    let newer = c["catalog"]["id"].as_i64().unwrap();
    let (s, body) = app
        .api(
            Method::POST,
            "/assessments",
            &isb,
            Some(json!({"catalog_id": newer})),
        )
        .await;
    assert!(s.is_success(), "{body}");

    let (_, h) = app.api(Method::GET, "/heatmap", &isb, None).await;
    assert_eq!(h["catalog"]["id"], answered, "not the newest revision");
}

async fn the_committee_report_names_members_for_the_office_only(app: TestApp) {
    started(&app).await;
    let (nauheim, _) = answer_first_topic(&app, "koordination@nauheim.example", "yes").await;
    answer_first_topic(&app, "koordination@raunheim.example", "partial").await;
    snapshot(&app, "koordination@nauheim.example", nauheim).await;
    let isb = app.token("isb@verbund.example").await;

    let (status, ct, pdf) = app.api_file("/heatmap/report/pdf", &isb).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct, "application/pdf");
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Vergleich im Verbund",
        "Niveau des Verbunds",
        "Mitglieder gezählt 2",
        "Schwächstes Mitglied",
        "Raunheim mit ",
        "Prozentpunkte",
        "Entwicklung des Niveaus",
        "Nauheim",
        "Letzter Stand",
        "nie",
    ] {
        assert!(flat.contains(expected), "{expected:?} missing in: {flat}");
    }
    let (status, ct, xlsx) = app.api_file("/heatmap/report/xlsx", &isb).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"));
    {
        use calamine::{Reader, Xlsx};
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
        let members = wb.worksheet_range("Mitglieder").unwrap();
        let names: Vec<String> = members.rows().skip(1).map(|r| r[0].to_string()).collect();
        assert_eq!(names.len(), 13, "every member: {names:?}");
        assert!(names.contains(&"Raunheim".to_owned()));
        let trend = wb.worksheet_range("Trend").unwrap();
        assert_eq!(trend.rows().count(), 2, "header and this month");
    }

    let coord = app.token("koordination@nauheim.example").await;
    let (status, _, pdf) = app.api_file("/heatmap/report/pdf", &coord).await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    assert!(text.contains("Nauheim"), "its own row");
    assert!(
        !text.contains("Raunheim"),
        "no other member by name: {text}"
    );
    assert!(text.contains("nicht namentlich"));
}

both!(
    the_office_sees_the_weakest_member_by_name_and_members_do_not,
    the_trend_averages_each_members_latest_snapshot,
    the_comparison_opens_on_the_catalog_with_the_most_answers,
    the_committee_report_names_members_for_the_office_only,
);
