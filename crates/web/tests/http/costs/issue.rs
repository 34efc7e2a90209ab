//! Issuing without surprises: the confirmation shows what will be issued, payment references
//! come from the settings' pattern and can be changed, stale figures are refused, all letters
//! download as one ZIP file.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{confirm_and_issue, hidden, setup_2026};
use crate::both;
use crate::helpers::TestApp;

async fn payment_settings(app: &TestApp, isb: &str) {
    let (status, body) = app
        .api(
            Method::PUT,
            "/settings",
            isb,
            Some(json!({
                "bank_iban": "DE89 3704 0044 0532 0130 00",
                "bank_bic": "COBADEFFXXX",
                "bank_name": "Commerzbank",
                "payment_reference_pattern": "VB-{ags}-{year}",
                "signer_name": "Dr. Maria Beispiel",
                "signer_role": "Leiterin der Informationssicherheitsstelle"
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Gives a member a postal address, as the organisation form does.
async fn set_address(app: &TestApp, name: &str, address: &str) {
    use verbund_domain::authz::Scope;
    let scope = Scope::system(&crate::helpers::TEST_ACCESS);
    let id = verbund_domain::OrgId(app.org_id(name).await);
    let org = app.store.get_org(&scope, id).await.unwrap();
    let input = verbund_domain::org::OrgInput {
        name: org.name.clone(),
        kind: org.kind,
        ags: org.ags.clone(),
        population: org.population,
        staff: org.staff,
        it_workplaces: org.it_workplaces,
        address: Some(address.to_owned()),
    };
    let by = verbund_store::AuditActor::system();
    app.store
        .update_org(&by, &scope, id, None, &input)
        .await
        .unwrap();
}

async fn statements(app: &TestApp, isb: &str) -> Vec<Value> {
    let (status, list) = app.api(Method::GET, "/costs/statements", isb, None).await;
    assert_eq!(status, StatusCode::OK);
    list.as_array().expect("a list").clone()
}

async fn issuing_shows_everything_first_and_stores_the_confirmed_terms(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await.to_string();
    payment_settings(&app, &isb).await;
    set_address(
        &app,
        "Rüsselsheim am Main",
        "Rathaus\nMarktplatz 4\n65428 Rüsselsheim am Main",
    )
    .await;
    let nauheim = app.org_id("Nauheim").await;
    let mut b = app.login("isb@verbund.example").await;

    // The old one-click form no longer issues: it leads to the confirmation.
    let (status, loc) = b
        .post_form(
            &app,
            "/costs/statements",
            &[("year", "2026"), ("key", &key)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(loc, format!("/costs/statements/new?year=2026&key={key}"));
    assert!(
        statements(&app, &isb).await.is_empty(),
        "nothing issued yet"
    );

    let (status, page) = b.get(&app, &loc).await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "kann nicht zurückgenommen",
        "Finanzierungsschlüssel (v1)",
        "190.000,00 €",
        "23.456,19 €",
        "VB-06433012-2026",
        "VB-06433009-2026",
        "DE89 3704 0044 0532 0130 00",
        "Dr. Maria Beispiel, Leiterin der Informationssicherheitsstelle",
        "Rathaus, Marktplatz 4, 65428 Rüsselsheim am Main",
    ] {
        assert!(page.contains(expected), "{expected:?} not in {page}");
    }
    assert!(page.contains(r#"name="due_on""#));

    let field = format!("ref-{nauheim}");
    let loc = confirm_and_issue(
        &app,
        &mut b,
        2026,
        &key,
        &[(&field, "NAU/2026-1"), ("due_on", "31.03.2027")],
    )
    .await;

    let id = loc.rsplit('/').next().unwrap();
    let (_, st) = app
        .api(Method::GET, &format!("/costs/statements/{id}"), &isb, None)
        .await;
    let payment = &st["document"]["payment"];
    assert_eq!(payment["due_on"], "2027-03-31");
    assert_eq!(payment["account"]["iban"], "DE89370400440532013000");
    assert_eq!(payment["signer"]["name"], "Dr. Maria Beispiel");
    let reference = |m: i64| {
        payment["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["member"] == m)
            .unwrap()["reference"]
            .clone()
    };
    assert_eq!(reference(nauheim), "NAU/2026-1", "the override");
    let ruesselsheim = app.org_id("Rüsselsheim am Main").await;
    assert_eq!(reference(ruesselsheim), "VB-06433012-2026", "the pattern");

    // A member's part holds its own terms only.
    let coord = app.token("koordination@nauheim.example").await;
    let (_, own) = app
        .api(
            Method::GET,
            &format!("/costs/statements/{id}"),
            &coord,
            None,
        )
        .await;
    assert!(!own.to_string().contains("VB-06433012-2026"), "{own}");
    let (status, _, pdf) = app
        .api_file(&format!("/costs/statements/{id}/pdf"), &coord)
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("NAU/2026-1") && text.contains("31.03.2027"),
        "{text}"
    );
}

async fn a_confirmation_of_changed_figures_is_refused(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await.to_string();
    let mut b = app.login("isb@verbund.example").await;
    let (_, page) = b
        .get(&app, &format!("/costs/statements/new?year=2026&key={key}"))
        .await;
    let fingerprint = hidden(&page, "fingerprint");
    // Someone adds a line after the page was shown.
    let (status, _) = app
        .api(
            Method::POST,
            "/costs/budget-lines?year=2026",
            &isb,
            Some(json!({"category": "material", "amount": "1.000", "note": "Nachtrag"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let (status, page) = b
        .post_form(
            &app,
            "/costs/statements",
            &[
                ("year", "2026"),
                ("key", &key),
                ("fingerprint", &fingerprint),
            ],
        )
        .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Die Zahlen haben sich geändert"), "{page}");
    assert!(page.contains("191.000,00 €"), "the current figures: {page}");
    assert!(statements(&app, &isb).await.is_empty());
    // The API says the same with 409.
    let (status, body) = app
        .api(
            Method::POST,
            "/costs/statements",
            &isb,
            Some(json!({"year": 2026, "key_id": key.parse::<i64>().unwrap(), "fingerprint": fingerprint})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

async fn bad_references_and_due_dates_are_field_errors_and_nothing_is_issued(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await.to_string();
    let (nauheim, raunheim) = (app.org_id("Nauheim").await, app.org_id("Raunheim").await);
    let mut b = app.login("isb@verbund.example").await;
    let (_, page) = b
        .get(&app, &format!("/costs/statements/new?year=2026&key={key}"))
        .await;
    // Without a pattern in the settings: year and AGS.
    assert!(page.contains("2026-06433009"), "{page}");
    let fingerprint = hidden(&page, "fingerprint");
    let (rn, rr) = (format!("ref-{nauheim}"), format!("ref-{raunheim}"));

    let (status, page) = b
        .post_form(
            &app,
            "/costs/statements",
            &[
                ("year", "2026"),
                ("key", &key),
                ("fingerprint", &fingerprint),
                ("due_on", "31.02.2027"),
                (&rn, "Nauheim #1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Nauheim #1"), "what was typed stays: {page}");
    assert!(page.contains("31.02.2027"), "{page}");
    assert!(page.contains(r#"id="due_on-error""#), "{page}");
    assert!(page.contains(&format!(r#"id="{rn}-error""#)), "{page}");

    let (status, page) = b
        .post_form(
            &app,
            "/costs/statements",
            &[
                ("year", "2026"),
                ("key", &key),
                ("fingerprint", &fingerprint),
                (&rn, "KZ-1"),
                (&rr, "KZ-1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("mehrfach vergeben"), "{page}");
    assert!(statements(&app, &isb).await.is_empty());

    // The API's draft names the fields too.
    let (status, body) = app
        .api(
            Method::POST,
            "/costs/statements/draft",
            &isb,
            Some(json!({"year": 2026, "key_id": key.parse::<i64>().unwrap(), "references": {nauheim.to_string(): "ä"}})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains(&rn), "{body}");
}

async fn the_api_drafts_then_issues_exactly_the_draft(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    payment_settings(&app, &isb).await;
    let (status, draft) = app
        .api(
            Method::POST,
            "/costs/statements/draft",
            &isb,
            Some(json!({"year": 2026, "key_id": key, "due_on": "2027-01-15"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    assert_eq!(draft["total_payable_cents"], 19_000_000);
    assert_eq!(draft["members"].as_array().unwrap().len(), 13);
    assert_eq!(draft["due_on"], "2027-01-15");
    assert_eq!(
        draft["warnings"],
        json!(["warn-no-address"]),
        "the test members have no address"
    );
    // The signer changes after the draft was read: the draft no longer shows what would be
    // printed.
    let (status, _) = app
        .api(
            Method::PUT,
            "/settings",
            &isb,
            Some(json!({"bank_iban": "DE89370400440532013000", "signer_name": "Jan Muster"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .api(
            Method::POST,
            "/costs/statements",
            &isb,
            Some(json!({"year": 2026, "key_id": key, "fingerprint": draft["fingerprint"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "changed terms are refused");
    let (_, draft) = app
        .api(
            Method::POST,
            "/costs/statements/draft",
            &isb,
            Some(json!({"year": 2026, "key_id": key, "due_on": "2027-01-15"})),
        )
        .await;
    assert_eq!(draft["signer"]["name"], "Jan Muster");
    let (status, st) = app
        .api(
            Method::POST,
            "/costs/statements",
            &isb,
            Some(json!({"year": 2026, "key_id": key, "due_on": "15.01.2027", "fingerprint": draft["fingerprint"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{st}");
    assert_eq!(st["document"]["payment"]["due_on"], "2027-01-15");
}

async fn all_letters_download_as_one_zip_for_the_office_only(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    let id = super::issue_2026(&app, &isb, key).await;

    let (status, ct, zip) = app
        .api_file(&format!("/costs/statements/{id}/zip"), &isb)
        .await;

    assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/zip"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a ZIP file");
    assert_eq!(archive.len(), 13, "one letter per member");
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        assert!(
            name.starts_with(&format!("kostenbeteiligung-2026-{id}-")),
            "{name}"
        );
        assert!(name.ends_with(".pdf"), "{name}");
        let mut head = [0u8; 5];
        std::io::Read::read_exact(&mut f, &mut head).unwrap();
        assert_eq!(&head, b"%PDF-");
    }
    let mut b = app.login("isb@verbund.example").await;
    let (_, page) = b.get(&app, &format!("/costs/statements/{id}")).await;
    assert!(
        page.contains(&format!("/costs/statements/{id}/zip")),
        "{page}"
    );
    let (status, body) = b.get(&app, &format!("/costs/statements/{id}/zip")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("PK"), "a ZIP file");

    // Members: not their object (the office's bundle of everyone's letters).
    let coord = app.token("koordination@nauheim.example").await;
    let (status, _, _) = app
        .api_file(&format!("/costs/statements/{id}/zip"), &coord)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Another member's letter stays "not found"; its own is there.
    let raunheim = app.org_id("Raunheim").await;
    let (status, _, _) = app
        .api_file(
            &format!("/costs/statements/{id}/pdf?member={raunheim}"),
            &coord,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn office_management_may_read_but_not_issue(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    let id = super::issue_2026(&app, &isb, key).await;
    let admin = app.token("admin@verbund.example").await;
    let office = app
        .org_id("Interkommunale Informationssicherheitsstelle Kreis Groß-Gerau")
        .await;
    let (status, body) = app
        .api(
            Method::POST,
            "/users",
            &admin,
            Some(json!({"email": "leitung@verbund.example", "display_name": "Leitung", "org_id": office, "role": "management"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let lead = app.token("leitung@verbund.example").await;

    let (status, _, _) = app
        .api_file(&format!("/costs/statements/{id}/zip"), &lead)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "reading all letters is reading costs"
    );
    for (method, path, body) in [
        (
            Method::POST,
            "/costs/statements/draft",
            json!({"year": 2026, "key_id": key}),
        ),
        (
            Method::POST,
            "/costs/statements",
            json!({"year": 2026, "key_id": key}),
        ),
        (Method::PUT, "/costs/standalone", json!({"members": []})),
    ] {
        let (status, body) = app.api(method, path, &lead, Some(body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
    }
}

both!(
    issuing_shows_everything_first_and_stores_the_confirmed_terms,
    a_confirmation_of_changed_figures_is_refused,
    bad_references_and_due_dates_are_field_errors_and_nothing_is_issued,
    the_api_drafts_then_issues_exactly_the_draft,
    all_letters_download_as_one_zip_for_the_office_only,
    office_management_may_read_but_not_issue,
);
