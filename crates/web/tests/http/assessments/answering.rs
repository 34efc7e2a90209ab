//! The answering flow on the assessment page: quick answers with progress out of band, the
//! list state kept after saving, bulk changes and errors, a topic marked entbehrlich and
//! undone through the page, read-only roles without edit controls, and the BSI library's
//! requirement titles above their sentences.

use axum::http::StatusCode;

use super::{all_answers, own_assessment, start_all};
use crate::both;
use crate::helpers::TestApp;

async fn quick_answers_update_progress_in_place_and_keep_the_list_state(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let token = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &token).await;
    let rows = all_answers(&app, &token, id).await;
    let mut coord = app.login("koordination@nauheim.example").await;
    let (_, page) = coord
        .get(&app, &format!("/assessments/{id}?status=unanswered&page=2"))
        .await;
    assert!(
        page.contains("name=\"back\" value=\"status=unanswered&#38;page=2\""),
        "every form carries the list state: {}",
        page.split("name=\"back\"")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(80)
            .collect::<String>()
    );
    assert!(
        page.contains("<legend class=\"visually-hidden\">Antwort für"),
        "radio groups"
    );
    let first = rows[0]["id"].as_i64().unwrap();
    let (status, body) = coord
        .post_htmx(
            &app,
            &format!("/answers/{first}"),
            &[
                ("status", "yes"),
                ("version", "1"),
                ("back", "status=unanswered&page=2"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("✓ gespeichert"), "{body}");
    assert!(
        body.contains("id=\"assessment-facts\" hx-swap-oob=\"true\"")
            && body.contains("(1 / 130)")
            && body.contains("id=\"topic-table\" hx-swap-oob=\"true\"")
            && body.contains("id=\"save-status\" hx-swap-oob=\"innerHTML\""),
        "progress, score and topics come out of band: {body}"
    );
    // A stale version (someone saved first): the stored row comes back with a word why.
    let (status, body) = coord
        .post_htmx(
            &app,
            &format!("/answers/{first}"),
            &[("status", "no"), ("version", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("inzwischen geändert")
            && !body.contains("✓ gespeichert")
            && body.contains("value=\"yes\" checked"),
        "{body}"
    );
    // Entbehrlich without a reason: the row stays, with its field open and the error.
    let second = rows[1]["id"].as_i64().unwrap();
    let (_, body) = coord
        .post_htmx(
            &app,
            &format!("/answers/{second}"),
            &[("status", "not_applicable")],
        )
        .await;
    assert!(
        body.contains("Begründung nötig")
            && body.contains(&format!(
                "id=\"just-{second}\" name=\"justification\" value=\"\" aria-invalid=\"true\""
            ))
            && !body.contains("✓ gespeichert"),
        "{body}"
    );
    // Without JavaScript the full form returns to the list as it was.
    let (status, to) = coord
        .post_form(
            &app,
            &format!("/answers/{second}"),
            &[
                ("status", "partial"),
                ("back", "status=unanswered&page=2&bogus=1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, format!("/assessments/{id}?status=unanswered&page=2"));
    let (_, form) = coord
        .get(
            &app,
            &format!("/answers/{second}?back=status%3Dunanswered%26page%3D2"),
        )
        .await;
    assert!(
        form.contains(&format!(
            "href=\"/assessments/{id}?status=unanswered&#38;page=2\""
        )),
        "{form}"
    );
}

async fn bulk_over_the_filter_and_its_errors_keep_the_list_state(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let token = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &token).await;
    let rows = all_answers(&app, &token, id).await;
    let in_topic = |t: i64| rows.iter().filter(|r| r["topic_index"] == t).count();
    let mut coord = app.login("koordination@nauheim.example").await;
    let (_, page) = coord.get(&app, &format!("/assessments/{id}?topic=2")).await;
    assert!(
        page.contains(&format!(
            "Alle {} Zeilen, die dem Filter entsprechen",
            in_topic(2)
        )),
        "{page}"
    );
    let bulk = format!("/assessments/{id}/bulk");
    let (status, to) = coord
        .post_form(
            &app,
            &bulk,
            &[
                ("scope", "filter"),
                ("status", "no"),
                ("back", "topic=2&page=1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        to,
        format!("/assessments/{id}?topic=2&done={}", in_topic(2))
    );
    let (status, page) = coord
        .post_form(
            &app,
            &bulk,
            &[
                ("scope", "filter"),
                ("status", "not_applicable"),
                ("back", "topic=3"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let failed = page
        .matches("– Für „entbehrlich“ ist eine Begründung nötig.</li>")
        .count();
    assert_eq!(failed, in_topic(3), "every failed row is named: {page}");
    assert!(
        page.contains("<option value=\"3\" selected>"),
        "the filter stays"
    );
    let (_, after) = app
        .api(
            axum::http::Method::GET,
            &format!("/assessments/{id}/answers?topic=3&status=unanswered"),
            &token,
            None,
        )
        .await;
    assert_eq!(
        after["total"].as_u64(),
        Some(in_topic(3) as u64),
        "nothing saved"
    );
}

async fn a_topic_is_marked_not_applicable_and_undone_through_the_page(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let token = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &token).await;
    let mut coord = app.login("koordination@nauheim.example").await;
    let (status, page) = coord
        .post_form(
            &app,
            &format!("/assessments/{id}/not-applicable"),
            &[("topic", "4"), ("justification", ""), ("back", "topic=4")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"g-just-error\""), "{page}");
    let (status, to) = coord
        .post_form(
            &app,
            &format!("/assessments/{id}/not-applicable"),
            &[
                ("topic", "4"),
                ("justification", "Keine Großrechner"),
                ("back", "topic=4&page=1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        to.starts_with(&format!("/assessments/{id}?topic=4&change=")),
        "{to}"
    );
    let (_, page) = coord.get(&app, &to).await;
    assert!(
        page.contains("ist als entbehrlich markiert (Begründung: Keine Großrechner)"),
        "{page}"
    );
    let undo = page
        .split("action=\"/assessment-changes/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an undo button");
    let (status, to) = coord
        .post_form(
            &app,
            &format!("/assessment-changes/{undo}"),
            &[("back", "topic=4")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = coord.get(&app, &to).await;
    assert!(page.contains("Rückgängig gemacht"), "{page}");
    let (_, open) = app
        .api(
            axum::http::Method::GET,
            &format!("/assessments/{id}/answers?status=not_applicable"),
            &token,
            None,
        )
        .await;
    assert_eq!(open["total"], 0);
}

async fn read_only_roles_see_values_but_no_edit_controls(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    start_all(&app, &isb).await;
    let token = app.token("leitung@nauheim.example").await;
    let id = own_assessment(&app, &token).await;
    let answer = all_answers(&app, &token, id).await[0]["id"]
        .as_i64()
        .unwrap();
    let mut boss = app.login("leitung@nauheim.example").await;
    let (status, page) = boss.get(&app, &format!("/assessments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    for control in [
        "class=\"quick\"",
        "id=\"bulk\"",
        "/not-applicable",
        "Bearbeiten",
        "type=\"radio\"",
        "name=\"ids\"",
        "/snapshots\"",
        "/import",
    ] {
        assert!(!page.contains(control), "management sees no {control}");
    }
    assert!(page.contains("Ansehen"), "a link to read the details");
    let (_, detail) = boss.get(&app, &format!("/answers/{answer}")).await;
    for control in [
        "<textarea",
        "type=\"radio\"",
        ">Speichern<",
        "type=\"file\"",
        "disabled",
    ] {
        assert!(!detail.contains(control), "no {control} on the answer page");
    }
    assert!(detail.contains("Ihre Rolle darf diese Antwort lesen"));
}

async fn bsi_rows_show_the_requirement_title_above_its_sentences(app: TestApp) {
    let Some(bytes) =
        crate::datasets::dataset("catalogs/ciso-assistant/bs-it-gs-2023-sys-it-systeme.yaml")
    else {
        return;
    };
    let isb = app.token("isb@verbund.example").await;
    let (status, c) = app
        .api_upload(
            "/catalogs?file_name=bs-it-gs-2023-sys-it-systeme.yaml",
            &isb,
            bytes,
        )
        .await;
    assert!(status.is_success(), "{c}");
    let catalog = c["catalog"]["id"].as_i64().unwrap();
    let nauheim = app.org_id("Nauheim").await;
    let (status, _) = app
        .api(
            axum::http::Method::POST,
            "/assessments",
            &isb,
            Some(serde_json::json!({"catalog_id": catalog, "orgs": [nauheim]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let token = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &token).await;
    let mut coord = app.login("koordination@nauheim.example").await;
    let started = std::time::Instant::now();
    let (status, page) = coord.get(&app, &format!("/assessments/{id}")).await;
    let first = started.elapsed();
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("(1638 Einträge)") || page.contains("1.638"),
        "paginated over all rows"
    );
    assert!(
        page.contains("Seite 1 / 33"),
        "{}",
        &page[..3000.min(page.len())]
    );
    assert!(
        page.contains("<tr class=\"group\"><th scope=\"colgroup\" colspan=\"7\">SYS.1.1.A1 Zugriffsschutz und Nutzung</th></tr>"),
        "the requirement's title heads its sentences"
    );
    assert!(
        page.contains(
            "<p class=\"pre req-text\">Physische Server MÜSSEN an Orten betrieben werden"
        ),
        "the sentence is shown, not hidden behind a link"
    );
    let started = std::time::Instant::now();
    let (_, page) = coord
        .get(&app, &format!("/assessments/{id}?page=17&q=server"))
        .await;
    let filtered = started.elapsed();
    assert!(page.contains("Seite"), "filtered page renders");
    eprintln!("BSI SYS assessment page: first {first:?}, page 17 filtered {filtered:?}");
    assert!(
        first.as_secs() < 5 && filtered.as_secs() < 5,
        "{first:?} {filtered:?}"
    );
}

both!(
    quick_answers_update_progress_in_place_and_keep_the_list_state,
    bulk_over_the_filter_and_its_errors_keep_the_list_state,
    a_topic_is_marked_not_applicable_and_undone_through_the_page,
    read_only_roles_see_values_but_no_edit_controls,
    bsi_rows_show_the_requirement_title_above_its_sentences
);
