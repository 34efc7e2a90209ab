//! Issued statements: the key locks, members see only their part, documents download.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::setup_2026;
use crate::both;
use crate::helpers::TestApp;

async fn issued_statement_locks_the_key_and_members_see_only_their_part(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    let id = super::issue_2026(&app, &isb, key).await;
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
    // Rendered from the member's own part (no other member's bill loaded), yet the letter
    // explains the rounding with the federation's figures: the very same document as the
    // office's print of it.
    assert_eq!(
        own, pdf,
        "the member's letter from its part equals the office's from the whole statement"
    );
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
    let (_, _, office_part) = app
        .api_file(
            &format!("/costs/statements/{id}/xlsx?member={ruesselsheim}"),
            &isb,
        )
        .await;
    assert_eq!(
        cell_texts(&office_part, "Verteilung"),
        cells,
        "the member's extract shows the federation totals the office's extract shows"
    );
    assert!(
        cells.iter().any(|c| c == "Verbund gesamt (13 Mitglieder)"),
        "{cells:?}"
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

/// Renames a member in the store, bypassing validation (as names stored before it existed).
async fn rename_in_store(app: &TestApp, name: &str, to: &str) -> i64 {
    use verbund_domain::authz::Scope;
    let id = app.org_id(name).await;
    let scope = Scope::system(&crate::helpers::TEST_ACCESS);
    let org = app
        .store
        .get_org(&scope, verbund_domain::OrgId(id))
        .await
        .unwrap();
    let input = verbund_domain::org::OrgInput {
        name: to.to_owned(),
        kind: org.kind,
        ags: org.ags.clone(),
        population: org.population,
        staff: org.staff,
        it_workplaces: org.it_workplaces,
        address: org.address.clone(),
    };
    let by = verbund_store::AuditActor::system();
    app.store
        .update_org(&by, &scope, org.id, None, &input)
        .await
        .unwrap();
    id
}

async fn letters_render_for_members_with_any_stored_name(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    // PostgreSQL cannot store NUL in text at all; a bell character stands in for it there.
    let control = match app.backend {
        crate::helpers::Backend::Sqlite => "A\u{0}B",
        crate::helpers::Backend::Postgres => "A\u{7}B",
    };
    let members = [
        (
            "Nauheim",
            "Nauheim 👩\u{200D}👩\u{200D}👧",
            "Nauheim \u{FFFD}",
        ),
        ("Raunheim", "𝕸𝖆𝖙𝖍", "Math"),
        ("Rüsselsheim am Main", control, "AB"),
        (
            "Kreis Groß-Gerau",
            "#set page(width: 1pt)",
            "#set page(width: 1pt)",
        ),
    ];
    let mut renamed = Vec::new();
    for (name, to, visible) in members {
        renamed.push((rename_in_store(&app, name, to).await, visible));
    }
    let id = super::issue_2026(&app, &isb, key).await;

    for (member, visible) in renamed {
        let (status, ct, pdf) = app
            .api_file(&format!("/costs/statements/{id}/pdf?member={member}"), &isb)
            .await;

        assert_eq!((status, ct.as_str()), (StatusCode::OK, "application/pdf"));
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(visible), "{visible:?} not in {text}");
    }
    let (status, _, xlsx) = app
        .api_file(&format!("/costs/statements/{id}/xlsx"), &isb)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(cell_texts(&xlsx, "Verteilung").contains(&"Nauheim 👩\u{200D}👩\u{200D}👧".to_owned()));
    let mut page = app.login("isb@verbund.example").await;
    let (status, html) = page.get(&app, &format!("/costs/statements/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("#set page(width: 1pt)"), "{html}");
}

both!(
    issued_statement_locks_the_key_and_members_see_only_their_part,
    statement_documents_download_as_pdf_and_xlsx_for_the_right_people,
    letters_render_for_members_with_any_stored_name,
);
