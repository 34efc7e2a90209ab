use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::TestApp;

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

async fn issued_statement_locks_the_key_and_members_see_only_their_part(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    let (status, st) = app
        .api(
            Method::POST,
            "/costs/statements",
            &isb,
            Some(json!({"year": 2026, "key_id": key})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{st}");
    let id = st["id"].as_i64().unwrap();
    let kreis = app.org_id("Kreis Groß-Gerau").await;
    let changed = json!({"name": "Finanzierungsschlüssel", "root": {"kind": "equal"}});
    let (status, k2) = app
        .api(
            Method::PUT,
            &format!("/costs/keys/{key}"),
            &isb,
            Some(changed),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(k2["version"], 2, "a used key changes only as a new version");
    let (_, k1) = app
        .api(Method::GET, &format!("/costs/keys/{key}"), &isb, None)
        .await;
    assert_eq!(k1["locked"], true);
    assert_eq!(
        k1["key"]["root"]["parts"][0]["members"]["members"][0], kreis,
        "the issued version keeps its definition"
    );
    assert_eq!(k2["key"]["root"]["kind"], "equal");

    let coord = app.token("koordination@nauheim.example").await;
    let (status, own) = app
        .api(
            Method::GET,
            &format!("/costs/statements/{id}"),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own["document"]["bill"]["name"], "Nauheim");
    assert_eq!(own["document"]["budget_total"], 19_000_000);
    assert!(
        !own.to_string().contains("Raunheim"),
        "nothing about other members: {own}"
    );
    let (_, list) = app
        .api(Method::GET, "/costs/statements", &coord, None)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains("Raunheim"));
    let owner = app.token("massnahmen@nauheim.example").await;
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/costs/statements/{id}"),
            &owner,
            None
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(Method::GET, "/costs/keys", &coord, None).await.0,
        StatusCode::NOT_FOUND
    );
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
    assert_eq!(status, StatusCode::BAD_REQUEST);
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
    assert_eq!(status, StatusCode::BAD_REQUEST);
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
    issued_statement_locks_the_key_and_members_see_only_their_part,
    bad_cost_input_is_refused_with_a_precise_error,
    budget_is_copied_to_the_next_year_with_an_index,
    compare_shows_who_pays_more_under_another_key,
);

async fn office_plans_costs_in_the_ui_and_a_member_reads_its_statement(app: TestApp) {
    let mut b = app.login("isb@verbund.example").await;
    for (cat, amount, note) in [
        ("personnel", "85.000,00", "ISB-Stelle 1"),
        ("personnel", "85.000", "ISB-Stelle 2"),
        ("material", "20000", "Sachkosten"),
    ] {
        let (status, _) = b
            .post_form(
                &app,
                "/costs/lines",
                &[
                    ("year", "2026"),
                    ("category", cat),
                    ("amount", amount),
                    ("note", note),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (status, page) = b
        .post_form(
            &app,
            "/costs/lines",
            &[
                ("year", "2026"),
                ("category", "material"),
                ("amount", "zwölf"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Bitte einen Betrag in Euro eingeben"));
    let (_, page) = b.get(&app, "/costs?year=2026").await;
    assert!(
        page.contains("190.000,00 €") && page.contains("Personalkosten"),
        "{page}"
    );
    let kreis = app.org_id("Kreis Groß-Gerau").await.to_string();
    let (status, page) = b
        .post_form(
            &app,
            "/costs/keys",
            &[
                ("name", "Schlüssel 2026"),
                ("preset", "host"),
                ("host", &kreis),
                ("host_percent", "130"),
                ("base_percent", "50"),
                ("metric", "population"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("zwischen 0 und 100"));
    let (status, loc) = b
        .post_form(
            &app,
            "/costs/keys",
            &[
                ("name", "Schlüssel 2026"),
                ("preset", "host"),
                ("host", &kreis),
                ("host_percent", "30"),
                ("base_percent", "50"),
                ("metric", "population"),
                ("standalone", "42.500"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let key = loc.rsplit('=').next().unwrap().to_owned();
    let (status, page) = b
        .get(&app, &format!("/costs/preview?year=2026&key={key}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("57.000,00 €")
            && page.contains("23.456,19 €")
            && page.contains("190.000,00 €"),
        "Kreis, Rüsselsheim and the total: {page}"
    );
    let (status, loc) = b
        .post_form(
            &app,
            "/costs/statements",
            &[("year", "2026"), ("key", &key)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut c = app.login("leitung@ruesselsheim-am-main.example").await;
    let (status, page) = c.get(&app, &loc).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Rüsselsheim am Main")
            && page.contains("23.456,19 €")
            && !page.contains("Nauheim"),
        "{page}"
    );
    let (_, list) = c.get(&app, "/costs").await;
    assert!(
        list.contains("Abrechnung 2026") && !list.contains("Personalkosten</td>"),
        "members see statements, not the budget table"
    );
}

both!(office_plans_costs_in_the_ui_and_a_member_reads_its_statement);

fn cell_texts(xlsx: &[u8], sheet: &str) -> Vec<String> {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).expect("a workbook");
    let range = wb.worksheet_range(sheet).expect("sheet");
    range
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect()
}

async fn statement_documents_download_as_pdf_and_xlsx_for_the_right_people(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    let (status, _) = app
        .api(
            Method::PUT,
            "/settings",
            &isb,
            Some(json!({"letterhead_contact": "Tel. 06152 989-0", "named_comparison": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, st) = app
        .api(
            Method::POST,
            "/costs/statements",
            &isb,
            Some(json!({"year": 2026, "key_id": key})),
        )
        .await;
    let id = st["id"].as_i64().unwrap();
    let ruesselsheim = app.org_id("Rüsselsheim am Main").await;

    let (status, ct, pdf) = app
        .api_file(
            &format!("/costs/statements/{id}/pdf?member={ruesselsheim}"),
            &isb,
        )
        .await;
    assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
    let (status, body) = app
        .api(
            Method::GET,
            &format!("/costs/statements/{id}/pdf"),
            &isb,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the office must name the member: {body}"
    );

    let (status, ct, xlsx) = app
        .api_file(&format!("/costs/statements/{id}/xlsx"), &isb)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"));
    let cells = cell_texts(&xlsx, "Verteilung");
    assert!(
        cells.iter().any(|c| c == "Nauheim") && cells.iter().any(|c| c == "Raunheim"),
        "all members in the office's workbook"
    );

    // A member gets its own documents, with or without naming itself, and nothing else.
    let coord = app.token("koordination@ruesselsheim-am-main.example").await;
    let (status, _, own) = app
        .api_file(&format!("/costs/statements/{id}/pdf"), &coord)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(own.starts_with(b"%PDF-"));
    let (status, _, xlsx) = app
        .api_file(
            &format!("/costs/statements/{id}/xlsx?member={ruesselsheim}"),
            &coord,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let cells = cell_texts(&xlsx, "Verteilung");
    assert!(
        cells.iter().any(|c| c == "Rüsselsheim am Main"),
        "{cells:?}"
    );
    assert!(
        !cells.iter().any(|c| c == "Nauheim"),
        "no other member in a member's workbook"
    );
    let nauheim = app.org_id("Nauheim").await;
    let (status, _, _) = app
        .api_file(
            &format!("/costs/statements/{id}/pdf?member={nauheim}"),
            &coord,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let owner = app.token("massnahmen@nauheim.example").await;
    let (status, _, _) = app
        .api_file(&format!("/costs/statements/{id}/pdf"), &owner)
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "measure owners read no costs"
    );

    // The same through the UI, with the member's step-by-step page.
    let mut b = app.login("koordination@ruesselsheim-am-main.example").await;
    let (status, page) = b.get(&app, &format!("/costs/statements/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Schritt für Schritt")
            && page.contains("nach Einwohner")
            && page.contains("23.456,19 €"),
        "{page}"
    );
    assert!(page.contains(&format!("/costs/statements/{id}/pdf?member={ruesselsheim}")));
    let (status, _) = b
        .get(&app, &format!("/costs/statements/{id}?member={nauheim}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, pdf) = b
        .get(
            &app,
            &format!("/costs/statements/{id}/pdf?member={ruesselsheim}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(pdf.starts_with("%PDF-"));
}

async fn settings_are_validated_and_audited(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let (status, s) = app.api(Method::GET, "/settings", &isb, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        s["named_comparison"], false,
        "anonymous comparison by default"
    );
    let (status, body) = app
        .api(
            Method::PUT,
            "/settings",
            &isb,
            Some(json!({"letterhead_address": "x".repeat(501)})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "letterhead_address");
    let (status, body) = app
        .api(
            Method::PUT,
            "/settings",
            &isb,
            Some(json!({"named_comparision": true})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a typo is refused: {body}");
    let (_, s) = app.api(Method::GET, "/settings", &isb, None).await;
    assert_eq!(s["letterhead_address"], Value::Null, "nothing saved");
    let mut b = app.login("isb@verbund.example").await;
    let (status, _) = b
        .post_form(
            &app,
            "/settings",
            &[
                ("letterhead_office_name", " Informationssicherheitsstelle "),
                ("letterhead_address", ""),
                ("letterhead_contact", "isb@kreisgg.example"),
                ("named_comparison", "1"),
                ("anonymity_min_others", "3"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, s) = app.api(Method::GET, "/settings", &isb, None).await;
    assert_eq!(
        (
            s["letterhead_office_name"].as_str(),
            s["named_comparison"].as_bool()
        ),
        (Some("Informationssicherheitsstelle"), Some(true))
    );
    let (_, page) = b.get(&app, "/audit").await;
    assert!(
        page.contains("Einstellungen geändert"),
        "the change is in the audit log"
    );
    let coord = app.token("koordination@nauheim.example").await;
    assert_eq!(
        app.api(Method::PUT, "/settings", &coord, Some(json!({})))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

both!(
    statement_documents_download_as_pdf_and_xlsx_for_the_right_people,
    settings_are_validated_and_audited
);
