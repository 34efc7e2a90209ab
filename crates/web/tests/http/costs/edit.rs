//! Editing instead of deleting: keys (a used version becomes a new version) with a live
//! preview, budget lines, and each member's own standalone cost.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::setup_2026;
use crate::both;
use crate::helpers::TestApp;

async fn editing_a_key_changes_a_draft_in_place_and_a_used_one_as_a_new_version(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    let kreis = app.org_id("Kreis Groß-Gerau").await.to_string();
    let mut b = app.login("isb@verbund.example").await;

    let (status, page) = b.get(&app, &format!("/costs/keys/{key}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"id="preset-host" name="preset" value="host" checked"#),
        "{page}"
    );
    assert!(
        page.contains(r#"value="30""#) && page.contains("42500,00"),
        "{page}"
    );
    let form = |host_percent: &'static str| {
        vec![
            ("name", "Finanzierungsschlüssel"),
            ("preset", "host"),
            ("host", kreis.as_str()),
            ("host_percent", host_percent),
            ("base_percent", "50"),
            ("metric", "population"),
            ("standalone", "42.500"),
        ]
    };

    // Not used yet: changed in place.
    let (status, loc) = b
        .post_form(&app, &format!("/costs/keys/{key}"), &form("25"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(loc.ends_with(&format!("key={key}")), "{loc}");
    let (_, k) = app
        .api(Method::GET, &format!("/costs/keys/{key}"), &isb, None)
        .await;
    assert_eq!(
        (
            k["version"].as_i64(),
            k["key"]["root"]["parts"][0]["weight"].as_i64()
        ),
        (Some(1), Some(2500))
    );

    // Used by a statement: a new version, the used one unchanged.
    super::issue_2026(&app, &isb, key).await;
    let (status, page) = b.get(&app, &format!("/costs/keys/{key}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("als neue Version gespeichert"), "{page}");
    let (status, loc) = b
        .post_form(&app, &format!("/costs/keys/{key}"), &form("35"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let new_id: i64 = loc.rsplit('=').next().unwrap().parse().unwrap();
    assert_ne!(new_id, key);
    let (_, k2) = app
        .api(Method::GET, &format!("/costs/keys/{new_id}"), &isb, None)
        .await;
    assert_eq!(k2["version"], 2);
    assert_eq!(k2["key"]["root"]["parts"][0]["weight"], 3500);
    let (_, k1) = app
        .api(Method::GET, &format!("/costs/keys/{key}"), &isb, None)
        .await;
    assert_eq!(k1["key"]["root"]["parts"][0]["weight"], 2500);
    assert_eq!(k1["locked"], true);
}

async fn the_key_form_previews_what_members_pay_while_typing(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    setup_2026(&app, &isb).await;
    let kreis = app.org_id("Kreis Groß-Gerau").await.to_string();
    let mut b = app.login("isb@verbund.example").await;
    let (_, page) = b.get(&app, "/costs/keys/new").await;
    assert!(page.contains(r#"hx-post="/costs/keys/preview""#), "{page}");

    let (status, part) = b
        .post_htmx(
            &app,
            "/costs/keys/preview",
            &[
                ("preset", "host"),
                ("host", &kreis),
                ("host_percent", "30"),
                ("base_percent", "50"),
                ("metric", "population"),
                ("preview_year", "2026"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!part.contains("<html"), "a fragment: {part}");
    assert!(
        part.contains("57.000,00 €")
            && part.contains("23.456,19 €")
            && part.contains("190.000,00 €"),
        "{part}"
    );

    let (status, part) = b
        .post_htmx(
            &app,
            "/costs/keys/preview",
            &[
                ("preset", "host"),
                ("host", ""),
                ("host_percent", "130"),
                ("preview_year", "2026"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(part.contains("Noch keine Vorschau"), "{part}");
}

async fn a_budget_line_is_edited_in_place(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    setup_2026(&app, &isb).await;
    let (_, budget) = app
        .api(Method::GET, "/costs/budget?year=2026", &isb, None)
        .await;
    let line = budget["lines"][2]["id"].as_i64().unwrap();
    let mut b = app.login("isb@verbund.example").await;
    let (_, overview) = b.get(&app, "/costs?year=2026").await;
    assert!(
        overview.contains(&format!("/costs/lines/{line}/edit")),
        "{overview}"
    );
    let (status, page) = b.get(&app, &format!("/costs/lines/{line}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"value="20.000,00""#) && page.contains("Sachkosten"),
        "{page}"
    );

    let (status, page) = b
        .post_form(
            &app,
            &format!("/costs/lines/{line}"),
            &[
                ("category", "material"),
                ("amount", "viel"),
                ("note", "Sachkosten"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("viel"), "{page}");
    let (status, loc) = b
        .post_form(
            &app,
            &format!("/costs/lines/{line}"),
            &[
                ("category", "external_services"),
                ("amount", "25.000,50"),
                ("note", "Externe Prüfung"),
            ],
        )
        .await;
    assert_eq!(
        (status, loc.as_str()),
        (StatusCode::SEE_OTHER, "/costs?year=2026")
    );

    let (_, budget) = app
        .api(Method::GET, "/costs/budget?year=2026", &isb, None)
        .await;
    assert_eq!(budget["total_cents"], 19_500_050);
    assert_eq!(
        budget["lines"][2]["id"], line,
        "the same line, not a new one"
    );
    assert_eq!(budget["lines"][2]["category"], "external_services");
    let (_, audit) = app.api(Method::GET, "/audit?per_page=5", &isb, None).await;
    assert!(audit.to_string().contains("budget.update"), "{audit}");
}

async fn each_member_has_its_own_standalone_cost_in_the_savings(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let key = setup_2026(&app, &isb).await;
    let (nauheim, ruesselsheim) = (
        app.org_id("Nauheim").await,
        app.org_id("Rüsselsheim am Main").await,
    );
    let (status, list) = app
        .api(
            Method::PUT,
            "/costs/standalone",
            &isb,
            Some(json!({"members": [{"member": ruesselsheim, "amount_cents": 9_500_000}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let own = |list: &serde_json::Value, m: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|x| x["member"] == m)
            .unwrap()["amount_cents"]
            .clone()
    };
    assert_eq!(own(&list, ruesselsheim), 9_500_000);
    assert_eq!(own(&list, nauheim), serde_json::Value::Null);

    // Through the form: Nauheim gets its own figure; a negative one is refused as a whole.
    let mut b = app.login("isb@verbund.example").await;
    let (status, page) = b.get(&app, "/costs/standalone").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"value="95.000,00""#), "{page}");
    let (fr, fn_) = (
        format!("standalone-{ruesselsheim}"),
        format!("standalone-{nauheim}"),
    );
    let (status, page) = b
        .post_form(&app, "/costs/standalone", &[(&fr, "95.000"), (&fn_, "-1")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(&format!(r#"id="{fn_}-error""#)), "{page}");
    let (status, _) = b
        .post_form(
            &app,
            "/costs/standalone",
            &[(&fr, "95.000"), (&fn_, "30.000,00")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let (_, preview) = app
        .api(
            Method::GET,
            &format!("/costs/preview?year=2026&key={key}"),
            &isb,
            None,
        )
        .await;
    let saving = |m: i64| {
        preview["savings"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["member"] == m)
            .unwrap()
            .clone()
    };
    assert_eq!(saving(ruesselsheim)["standalone"], 9_500_000);
    assert_eq!(saving(ruesselsheim)["savings"], 9_500_000 - 2_345_619);
    assert_eq!(saving(nauheim)["standalone"], 3_000_000);
    let kreis = app.org_id("Kreis Groß-Gerau").await;
    assert_eq!(
        saving(kreis)["standalone"],
        4_250_000,
        "the key's common figure"
    );

    // The issued statement records them; the member's page shows its own.
    let id = super::issue_2026(&app, &isb, key).await;
    let mut c = app.login("koordination@nauheim.example").await;
    let (_, page) = c.get(&app, &format!("/costs/statements/{id}")).await;
    assert!(page.contains("30.000,00 €"), "{page}");
    let (_, audit) = app.api(Method::GET, "/audit?per_page=20", &isb, None).await;
    assert!(
        audit.to_string().contains("standalone_cost.update"),
        "{audit}"
    );
}

both!(
    editing_a_key_changes_a_draft_in_place_and_a_used_one_as_a_new_version,
    the_key_form_previews_what_members_pay_while_typing,
    a_budget_line_is_edited_in_place,
    each_member_has_its_own_standalone_cost_in_the_savings,
);
