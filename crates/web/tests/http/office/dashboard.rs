//! The start page per role, the member page's links, the user list's roles, German dates in
//! the membership form and English catalog texts.

use axum::http::StatusCode;

use super::{answer_first_topic, started};
use crate::both;
use crate::helpers::TestApp;

async fn the_office_dashboard_shows_the_federation_and_members_their_own(app: TestApp) {
    started(&app).await;
    answer_first_topic(&app, "koordination@nauheim.example", "yes").await;
    answer_first_topic(&app, "koordination@raunheim.example", "no").await;

    let mut b = app.login("isb@verbund.example").await;
    let (status, html) = b.get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "Der Verbund",
        "bei 2 bewerteten Mitgliedern",
        "Fortschritt je Mitglied",
        "Älteste festgehaltene Stände",
        "noch nie",
        "Raunheim mit ",
        "Antworten gesammelt geändert",
    ] {
        assert!(html.contains(expected), "{expected:?} missing: {html}");
    }

    let mut m = app.login("koordination@nauheim.example").await;
    let (_, html) = m.get(&app, "/").await;
    assert!(html.contains("Ihre Bewertungen"));
    assert!(html.contains("Erfüllung"), "its own score");
    assert!(
        html.contains(" offen, 0 nein, 0 teilweise"),
        "open items: {html}"
    );
    assert!(!html.contains("Der Verbund"), "no federation view");
    assert!(!html.contains("Raunheim"), "no other member");

    let token = app.token("koordination@nauheim.example").await;
    let (status, d) = app
        .api(axum::http::Method::GET, "/dashboard", &token, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(d["federation"].is_null());
    assert_eq!(d["own"][0]["org_name"], "Nauheim");
    let isb = app.token("isb@verbund.example").await;
    let (_, d) = app
        .api(axum::http::Method::GET, "/dashboard", &isb, None)
        .await;
    assert_eq!(d["federation"]["overall"]["members"], 2, "{d}");
    assert_eq!(d["federation"]["weakest"]["name"], "Raunheim");
}

async fn a_member_page_links_its_assessments_statements_and_users(app: TestApp) {
    started(&app).await;
    let nauheim = app.org_id("Nauheim").await;
    let mut b = app.login("isb@verbund.example").await;
    let (_, html) = b.get(&app, &format!("/orgs/{nauheim}")).await;
    assert!(html.contains("Zum Mitglied"));
    assert!(html.contains("href=\"/assessments/"), "its assessment");
    assert!(
        html.contains("koordination") || html.contains("Koordination"),
        "its users with roles"
    );

    let (_, html) = b.get(&app, "/users").await;
    assert!(html.contains("Rollen und Organisationen"));
    assert!(
        html.contains(&format!("href=\"/orgs/{nauheim}\"")),
        "roles name the member"
    );

    let mut m = app.login("koordination@nauheim.example").await;
    let (_, html) = m.get(&app, "/users").await;
    assert!(
        !html.contains("Raunheim"),
        "a member's user list names no other member"
    );
}

async fn a_typed_german_date_comes_back_as_typed(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let mut b = app.login("isb@verbund.example").await;
    let (status, html) = b
        .post_form(
            &app,
            &format!("/orgs/{nauheim}/memberships"),
            &[
                ("starts_on", "31.03.2027"),
                ("ends_on", "31.02.2028"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the end is no date"
    );
    assert!(
        html.contains("value=\"31.03.2027\""),
        "the typed start comes back"
    );
    let (status, _) = b
        .post_form(
            &app,
            &format!("/orgs/{nauheim}/memberships"),
            &[("starts_on", "31.03.2027"), ("ends_on", ""), ("note", "")],
        )
        .await;
    assert!(status.is_redirection(), "{status}");
    let (_, html) = b.get(&app, &format!("/orgs/{nauheim}")).await;
    assert!(html.contains("<td>31.03.2027</td>"), "shown as TT.MM.JJJJ");
}

async fn an_english_reader_sees_the_catalogs_english_texts(app: TestApp) {
    let catalog = {
        let isb = app.token("isb@verbund.example").await;
        crate::assessments::start_all(&app, &isb).await
    };
    let mut b = app.login("isb@verbund.example").await;
    let (_, de) = b.get(&app, &format!("/catalogs/{catalog}")).await;
    b.post_form(&app, "/profile/language", &[("locale", "en")])
        .await;
    let (_, en) = b.get(&app, &format!("/catalogs/{catalog}")).await;
    assert!(!de.contains("Backup rules documented"), "German by default");
    assert!(
        en.contains("Backup rules documented"),
        "the catalog's English: {en}"
    );
}

both!(
    the_office_dashboard_shows_the_federation_and_members_their_own,
    a_member_page_links_its_assessments_statements_and_users,
    a_typed_german_date_comes_back_as_typed,
    an_english_reader_sees_the_catalogs_english_texts,
);
