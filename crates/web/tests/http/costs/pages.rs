//! The cost pages used through a browser session by the office and a member.

use axum::http::StatusCode;

use crate::both;
use crate::helpers::TestApp;

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
    let loc = super::confirm_and_issue(&app, &mut b, 2026, &key, &[]).await;
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
