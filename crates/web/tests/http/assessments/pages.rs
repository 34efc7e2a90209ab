//! The HTML pages of assessments, used through a browser session by the office and members.

use axum::http::{Method, StatusCode};

use super::{STARTER, all_answers, own_assessment};
use crate::both;
use crate::helpers::TestApp;

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
    // After the upload the page says what was imported; starting asks first and says how many.
    let (_, page) = office
        .get(&app, &format!("/catalogs/{catalog}?imported=1"))
        .await;
    assert!(
        page.contains("Importiert: „Verbund-Einstiegskatalog") || page.contains("Importiert:"),
        "{page}"
    );
    let (_, page) = office
        .get(&app, &format!("/catalogs/{catalog}?confirm=start"))
        .await;
    assert!(
        page.contains("Für 13 Mitglieder wird je eine Bewertung dieses Katalogstands angelegt.")
            && page.contains("Ja, Bewertungen anlegen"),
        "{page}"
    );
    let (status, loc) = office
        .post_form(&app, &format!("/catalogs/{catalog}/start"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = office.get(&app, &loc).await;
    assert!(page.contains("13 Bewertungen wurden gestartet"), "{page}");
    let (_, page) = office
        .get(&app, &format!("/catalogs/{catalog}?confirm=start"))
        .await;
    assert!(
        page.contains("Alle Mitglieder bewerten diesen Katalogstand schon")
            && page.contains("13 Mitglieder bewerten ihn schon")
            && !page.contains("Ja, Bewertungen anlegen"),
        "{page}"
    );
    // Search and pages over the requirements.
    let (_, all) = office.get(&app, &format!("/catalogs/{catalog}")).await;
    assert!(all.contains("Anforderungsstufe"), "levels, not priorities");
    let (_, none) = office
        .get(&app, &format!("/catalogs/{catalog}?q=gibt-es-nicht"))
        .await;
    assert!(
        none.contains("Keine Einträge.") && none.contains("(0 Einträge)"),
        "{none}"
    );

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
        row.contains("<template><tr id=\"answer-")
            && row.contains("value=\"yes\" checked")
            && row.contains("hx-swap-oob"),
        "the row comes back out of band: {row}"
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
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = coord.get(&app, &page).await;
    assert!(page.contains("4 Anforderungen wurden geändert"), "{page}");
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
