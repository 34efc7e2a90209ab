use axum::http::StatusCode;

use crate::both;
use verbund_domain::authz::Scope;

use crate::helpers::{TEST_ACCESS, TestApp};

async fn office_sees_all_members_and_a_coordinator_only_the_own(app: TestApp) {
    let mut isb = app.login("isb@verbund.example").await;
    let (_, body) = isb.get(&app, "/orgs").await;
    assert!(
        body.contains("Raunheim") && body.contains("Nauheim") && body.contains("14 Einträge"),
        "{body}"
    );
    let mut coord = app.login("koordination@nauheim.example").await;
    let (_, body) = coord.get(&app, "/orgs").await;
    assert!(body.contains("Nauheim") && !body.contains("Raunheim") && body.contains("1 Einträge"));
}

async fn coordinator_edits_the_own_town_and_the_change_is_audited(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let mut b = app.login("koordination@nauheim.example").await;
    let (status, form) = b.get(&app, &format!("/orgs/{nauheim}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("value=\"06433009\""));
    assert!(
        !form.contains("name=\"population\"")
            && form.contains("legt die Informationssicherheitsstelle fest"),
        "a member sees its key figures but does not edit them: {form}"
    );
    let fields = [
        ("name", "Nauheim"),
        ("kind", "gemeinde"),
        ("ags", "06433009"),
        ("address", "Weingartenstraße 46"),
        ("version", "1"),
    ];
    let (status, loc) = b
        .post_form(&app, &format!("/orgs/{nauheim}"), &fields)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{loc}");
    let (_, page) = b.get(&app, &loc).await;
    assert!(
        page.contains("10.840") && page.contains("Weingartenstraße 46"),
        "figures kept: {page}"
    );
    let (_, audit) = b.get(&app, "/audit").await;
    assert!(
        audit.contains("Organisation geändert") && audit.contains("koordination@nauheim.example")
    );
    assert!(
        audit.contains("<td>Anschrift</td><td>–</td><td>Weingartenstraße 46</td>"),
        "before and after shown: {audit}"
    );
    let (status, page) = b
        .post_form(&app, &format!("/orgs/{nauheim}"), &fields)
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "version 1 is stale now"
    );
    assert!(page.contains("inzwischen geändert"));

    // The office sets the figures; the change is audited with before and after.
    let mut isb = app.login("isb@verbund.example").await;
    let (_, form) = isb.get(&app, &format!("/orgs/{nauheim}/edit")).await;
    assert!(
        form.contains("name=\"population\""),
        "the office edits figures"
    );
    let (status, _) = isb
        .post_form(
            &app,
            &format!("/orgs/{nauheim}"),
            &[
                ("name", "Nauheim"),
                ("kind", "gemeinde"),
                ("ags", "06433009"),
                ("population", "10.900"),
                ("staff", "98"),
                ("it_workplaces", "78"),
                ("address", "Weingartenstraße 46"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, audit) = isb.get(&app, "/audit").await;
    assert!(
        audit.contains("<td>Einwohnerzahl</td><td>10.840</td><td>10.900</td>"),
        "{audit}"
    );
}

async fn invalid_form_input_shows_german_messages_and_changes_nothing(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let mut b = app.login("isb@verbund.example").await;
    let fields = [
        ("name", ""),
        ("kind", "gemeinde"),
        ("ags", "6433009"),
        ("population", "-3"),
        ("staff", "viele"),
        ("version", "1"),
    ];
    let (status, page) = b
        .post_form(&app, &format!("/orgs/{nauheim}"), &fields)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Bitte eine ganze Zahl eingeben"), "{page}");
    assert!(page.contains("aria-invalid=\"true\""));
    let fields = [
        ("name", ""),
        ("kind", "gemeinde"),
        ("ags", "6433009"),
        ("population", "-3"),
        ("version", "1"),
    ];
    let (_, page) = b
        .post_form(&app, &format!("/orgs/{nauheim}"), &fields)
        .await;
    assert!(
        page.contains("Bitte ausfüllen")
            && page.contains("genau 8 Ziffern")
            && page.contains("nicht negativ"),
        "{page}"
    );
    let org = app
        .store
        .get_org(&Scope::system(&TEST_ACCESS), verbund_domain::OrgId(nauheim))
        .await
        .unwrap();
    assert_eq!((org.version, org.population), (1, Some(10840)));
}

async fn names_with_control_or_bidi_characters_are_refused_and_emoji_are_not(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let coord = app.token("koordination@nauheim.example").await;
    let body = |name: &str| {
        Some(serde_json::json!({
            "name": name, "kind": "gemeinde", "ags": "06433009", "population": 10840
        }))
    };
    for name in ["A\u{0}B", "Nau\nheim", "\u{202E}miehuaN", "Nau\theim"] {
        let (status, err) = app
            .api_if_match(
                axum::http::Method::PUT,
                &format!("/organisations/{nauheim}"),
                &coord,
                "1",
                body(name),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}: {err}");
        assert_eq!(err["error"]["fields"][0]["field"], "name");
        assert_eq!(err["error"]["fields"][0]["code"], "error-text-characters");
        assert!(
            err["error"]["fields"][0]["message"]
                .as_str()
                .unwrap()
                .starts_with("Die Eingabe enthält Zeichen, die nicht erlaubt sind"),
            "{err}"
        );
    }
    let org = app
        .store
        .get_org(&Scope::system(&TEST_ACCESS), verbund_domain::OrgId(nauheim))
        .await
        .unwrap();
    assert_eq!(
        (org.version, org.name.as_str()),
        (1, "Nauheim"),
        "nothing changed"
    );

    let mut b = app.login("koordination@nauheim.example").await;
    let (status, page) = b
        .post_form(
            &app,
            &format!("/orgs/{nauheim}"),
            &[
                ("name", "Nau\u{202E}heim"),
                ("kind", "gemeinde"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Textrichtungs-Steuerzeichen"), "{page}");

    let family = "Nauheim 👩\u{200D}👩\u{200D}👧";
    let (status, org) = app
        .api_if_match(
            axum::http::Method::PUT,
            &format!("/organisations/{nauheim}"),
            &coord,
            "1",
            body(family),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{org}");
    assert_eq!(org["name"], family);
}

async fn office_creates_a_member_and_its_membership(app: TestApp) {
    let mut b = app.login("isb@verbund.example").await;
    let (status, loc) = b
        .post_form(
            &app,
            "/orgs",
            &[
                ("name", "Trebur"),
                ("kind", "gemeinde"),
                ("ags", "06433014"),
                ("population", "13196"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let path = format!("{loc}/memberships");
    let (status, page) = b
        .post_form(
            &app,
            &path,
            &[
                ("starts_on", "2027-07-01"),
                ("ends_on", "2027-06-30"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("nicht vor dem Beginn"));
    let (status, _) = b
        .post_form(
            &app,
            &path,
            &[
                ("starts_on", "2027-07-01"),
                ("ends_on", ""),
                ("note", "Beitritt laut Beschluss"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = b.get(&app, &loc).await;
    assert!(
        page.contains("01.07.2027")
            && page.contains("unbefristet")
            && page.contains("Beitritt laut Beschluss")
    );
    let mut coord = app.login("koordination@nauheim.example").await;
    assert_eq!(coord.get(&app, "/orgs/new").await.0, StatusCode::NOT_FOUND);
}

async fn english_interface_is_switchable(app: TestApp) {
    let mut b = app.browser().await;
    let (status, _) = b.post_form(&app, "/lang", &[("lang", "en")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = b.get(&app, "/login").await;
    assert!(page.contains("lang=\"en\"") && page.contains("Log in"));
    let mut u = app.login("isb@verbund.example").await;
    u.post_form(&app, "/profile/language", &[("locale", "en")])
        .await;
    let (_, page) = u.get(&app, "/orgs").await;
    assert!(page.contains("Organisations") && page.contains("Municipality"));
}

both!(
    office_sees_all_members_and_a_coordinator_only_the_own,
    coordinator_edits_the_own_town_and_the_change_is_audited,
    invalid_form_input_shows_german_messages_and_changes_nothing,
    office_creates_a_member_and_its_membership,
    english_interface_is_switchable,
    names_with_control_or_bidi_characters_are_refused_and_emoji_are_not,
);
