//! The implementation plan (Realisierungsplan) as PDF and XLSX over HTTP: plan order, the sums
//! per priority, typed text printed as it is, who may download it (coordinator, management,
//! office; not a measure owner, not another member) and the UI's download links.

use axum::http::{Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use serde_json::json;

use crate::both;
use crate::helpers::{TestApp, pdftotext};

/// Text that looks like typst markup; the plan must print it as it is.
const MARKUP: &str = "Backup #1 *[sofort]* $x$";

/// Nauheim's plan: three measures in an order the plan must change (low first, then very
/// high, then high with a deadline); one is done.
async fn plan(app: &TestApp) -> (i64, String) {
    let coord = app.token("koordination@nauheim.example").await;
    let nauheim = app.org_id("Nauheim").await;
    for body in [
        json!({"title": "Inventar aktualisieren", "priority": "niedrig", "cost_euros": "99,50"}),
        json!({"title": MARKUP, "priority": "sehr_hoch", "cost_euros": 1200.5, "effort_days": "2,5", "due_on": "2020-01-31"}),
        json!({"title": "Schulung Phishing", "priority": "hoch", "cost_euros": 800, "effort_days": 1, "due_on": "2027-03-31"}),
    ] {
        let (s, m) = app
            .api(
                Method::POST,
                &format!("/organisations/{nauheim}/measures"),
                &coord,
                Some(body),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{m}");
        if m["title"] == "Schulung Phishing" {
            let id = m["id"].as_i64().unwrap();
            let (s, v) = app
                .api(
                    Method::PUT,
                    &format!("/measures/{id}/status"),
                    &coord,
                    Some(json!({"status": "umgesetzt"})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }
    }
    (nauheim, coord)
}

async fn the_plan_pdf_lists_measures_by_priority_with_the_sums(app: TestApp) {
    let (nauheim, coord) = plan(&app).await;

    let (s, content_type, pdf) = app
        .api_file(
            &format!("/organisations/{nauheim}/measures/plan?format=pdf"),
            &coord,
        )
        .await;

    assert_eq!(s, StatusCode::OK);
    assert_eq!(content_type, "application/pdf");
    let text = pdftotext(&pdf);
    assert!(text.contains("Realisierungsplan: Nauheim"), "{text}");
    assert!(text.contains(MARKUP), "{text}");
    let very_high = text.find(MARKUP).unwrap();
    let high = text.find("Schulung Phishing").unwrap();
    let low = text.find("Inventar aktualisieren").unwrap();
    assert!(very_high < high && high < low, "plan order: {text}");
    // 1,200.50 + 800 + 99.50 in all; 800 of it is done, so 1,300 € are still open.
    assert!(
        text.contains("Summe 3 2 1 2.100,00 € 1.300,00 € 2,5"),
        "{text}"
    );
    assert!(
        text.contains("31.01.2020") && text.contains("überfällig"),
        "{text}"
    );
}

async fn the_plan_workbook_has_numbers_dates_and_sum_formulas(app: TestApp) {
    let (nauheim, coord) = plan(&app).await;

    let (s, _, xlsx) = app
        .api_file(
            &format!("/organisations/{nauheim}/measures/plan?format=xlsx"),
            &coord,
        )
        .await;

    assert_eq!(s, StatusCode::OK);
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).expect("a workbook");
    assert_eq!(wb.sheet_names(), ["Realisierungsplan", "Summen"]);
    let plan = wb.worksheet_range("Realisierungsplan").unwrap();
    let titles: Vec<String> = (1..4)
        .map(|r| plan.get((r, 1)).unwrap().to_string())
        .collect();
    assert_eq!(
        titles,
        [MARKUP, "Schulung Phishing", "Inventar aktualisieren"]
    );
    assert_eq!(plan.get((1, 6)), Some(&Data::Float(1200.5)));
    assert_eq!(plan.get((1, 7)), Some(&Data::Float(2.5)));
    assert!(
        matches!(plan.get((1, 5)), Some(Data::DateTime(_))),
        "a real date: {:?}",
        plan.get((1, 5))
    );
    let formulas = wb.worksheet_formula("Realisierungsplan").unwrap();
    assert_eq!(
        formulas.get_value((4, 6)).map(String::as_str),
        Some("SUM(G2:G4)")
    );
    let sums = wb.worksheet_range("Summen").unwrap();
    // Row 5 (index 8) is "Summe": 3 measures, 2 open, 1 overdue, 2,100 € in all, 1,300 € open.
    assert_eq!(sums.get((8, 0)).unwrap().to_string(), "Summe");
    assert_eq!(sums.get((8, 1)), Some(&Data::Float(3.0)));
    assert_eq!(sums.get((8, 4)), Some(&Data::Float(2100.0)));
    assert_eq!(sums.get((8, 5)), Some(&Data::Float(1300.0)));
}

async fn only_who_reads_the_whole_plan_downloads_it(app: TestApp) {
    let (nauheim, _) = plan(&app).await;
    let raunheim = app.org_id("Raunheim").await;
    let path = |org: i64| format!("/organisations/{org}/measures/plan?format=xlsx");

    for (who, org, expected) in [
        ("leitung@nauheim.example", nauheim, StatusCode::OK),
        ("isb@verbund.example", nauheim, StatusCode::OK),
        (
            "koordination@raunheim.example",
            nauheim,
            StatusCode::NOT_FOUND,
        ),
        ("massnahmen@nauheim.example", nauheim, StatusCode::NOT_FOUND),
        (
            "koordination@nauheim.example",
            raunheim,
            StatusCode::NOT_FOUND,
        ),
    ] {
        let token = app.token(who).await;
        let (s, _, _) = app.api_file(&path(org), &token).await;
        assert_eq!(s, expected, "{who} → {org}");
    }
    let token = app.token("koordination@nauheim.example").await;
    let (s, _, _) = app
        .api_file(
            &format!("/organisations/{nauheim}/measures/plan?format=doc"),
            &token,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

async fn the_measure_list_offers_the_plan_of_the_chosen_member(app: TestApp) {
    let (nauheim, _) = plan(&app).await;
    let mut coord = app.login("koordination@nauheim.example").await;
    let (s, html) = coord.get(&app, "/measures").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&format!("/orgs/{nauheim}/measures/plan?format=pdf")),
        "the coordinator's only member: {html}"
    );
    let (s, headers, pdf) = coord
        .get_bytes(&app, &format!("/orgs/{nauheim}/measures/plan?format=pdf"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("realisierungsplan-nauheim.pdf")
    );
    assert!(pdf.starts_with(b"%PDF"));
    let mut isb = app.login("isb@verbund.example").await;
    let (_, html) = isb.get(&app, "/measures").await;
    assert!(!html.contains("/measures/plan?"), "no member chosen yet");
    let (_, html) = isb.get(&app, &format!("/measures?org={nauheim}")).await;
    assert!(html.contains(&format!("/orgs/{nauheim}/measures/plan?format=xlsx")));
}

both!(
    the_plan_pdf_lists_measures_by_priority_with_the_sums,
    the_plan_workbook_has_numbers_dates_and_sum_formulas,
    only_who_reads_the_whole_plan_downloads_it,
    the_measure_list_offers_the_plan_of_the_chosen_member,
);
