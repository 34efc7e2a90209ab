//! Risk analysis over HTTP on both databases: the workflow on an object with a high need
//! (suggested threats, ratings by the matrix, treatment, a measure linked, acceptance by
//! management), acceptance by someone else refused, the acceptance lapsing with a moved clock,
//! the register's filters, the matrix as the office's audited setting, the federation view,
//! and the UI forms with CSRF.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::TestApp;

const COORD: &str = "koordination@nauheim.example";

/// A Nauheim server with a high availability need; returns its id.
async fn high_server(app: &TestApp, token: &str) -> i64 {
    let org = app.org_id("Nauheim").await;
    let (status, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{org}/structure/objects"),
            token,
            Some(json!({"short_id": "RISK-S1", "name": "Dateiserver", "object_type": "server"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    let id = o["id"].as_i64().unwrap();
    let (status, n) = app
        .api(
            Method::PUT,
            &format!("/structure/objects/{id}/needs"),
            token,
            Some(
                json!({"goal": "availability", "value": "high", "justification": "Bürgerdienste"}),
            ),
        )
        .await;
    assert!(status.is_success(), "{n}");
    id
}

fn threat_id(list: &Value, code: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {list}"))["id"]
        .as_i64()
        .unwrap()
}

/// Creates one risk for `code` on `object`; returns it.
async fn risk(app: &TestApp, token: &str, object: i64, code: &str, body: Value) -> Value {
    let (_, threats) = app.api(Method::GET, "/risk-threats", token, None).await;
    let mut body = body;
    body["threats"] = json!([threat_id(&threats, code)]);
    let (status, r) = app
        .api(
            Method::POST,
            &format!("/structure/objects/{object}/risks"),
            token,
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    r[0].clone()
}

async fn an_object_with_a_high_need_gets_rated_treated_and_accepted_by_management(app: TestApp) {
    let token = app.token(COORD).await;
    let server = high_server(&app, &token).await;
    let (status, view) = app
        .api(
            Method::GET,
            &format!("/structure/objects/{server}/risks"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["high_need"], true);
    let suggested: Vec<&str> = view["suggested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert!(
        suggested.contains(&"G 0.25"),
        "Ausfall von Geräten: {suggested:?}"
    );
    assert!(
        !suggested.contains(&"G 0.15"),
        "Abhören touches only confidentiality"
    );

    let r = risk(
        &app,
        &token,
        server,
        "G 0.25",
        json!({"frequency": "haeufig", "impact": "betraechtlich"}),
    )
    .await;
    assert_eq!(r["category"], "hoch");
    assert_eq!(r["untreated"], true);
    let id = r["id"].as_i64().unwrap();

    // Reduce needs the rating after treatment.
    let (status, e) = app
        .api(Method::PUT, &format!("/risks/{id}"), &token, Some(json!({"frequency": "haeufig", "impact": "betraechtlich", "treatment": "reduzieren"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["code"], "error-risk-after-required");
    let (status, r) = app
        .api(
            Method::PUT,
            &format!("/risks/{id}"),
            &token,
            Some(json!({"frequency": "haeufig", "impact": "betraechtlich", "frequency_after": "selten", "impact_after": "begrenzt", "treatment": "reduzieren", "revision": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (r["category_after"].as_str(), r["untreated"].as_bool()),
        (Some("gering"), Some(false))
    );
    let (status, stale) = app
        .api(
            Method::PUT,
            &format!("/risks/{id}"),
            &token,
            Some(json!({"frequency": "selten", "impact": "begrenzt", "revision": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{stale}");

    // A coordinator is no approver; Nauheim's management is.
    let coordinator = app.user_id(COORD).await;
    let (status, e) = app
        .api(
            Method::POST,
            &format!("/risks/{id}/accept"),
            &token,
            Some(json!({"approver": coordinator, "expires_on": "2099-12-31"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["code"],
        "error-risk-approver-not-management"
    );
    let other_management = app.user_id("leitung@raunheim.example").await;
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/risks/{id}/accept"),
            &token,
            Some(json!({"approver": other_management, "expires_on": "2099-12-31"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another member's management"
    );
    let boss = app.user_id("leitung@nauheim.example").await;
    let (status, e) = app
        .api(
            Method::POST,
            &format!("/risks/{id}/accept"),
            &token,
            Some(json!({"approver": boss, "expires_on": "01.01.2020"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["code"], "error-risk-expiry-past");
    let (status, r) = app
        .api(Method::POST, &format!("/risks/{id}/accept"), &token, Some(json!({"approver": boss, "expires_on": "31.12.2099", "justification": "Ersatzgerät vorhanden"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["treatment"], "akzeptieren");
    assert_eq!(r["acceptance"], "valid");
    assert_eq!(r["expires_on"], "2099-12-31");
    assert!(r["approver_name"].is_string());

    // Management reads the risk but may not change it.
    let boss_token = app.token("leitung@nauheim.example").await;
    let (status, _) = app
        .api(Method::GET, &format!("/risks/{id}"), &boss_token, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app
        .api(Method::DELETE, &format!("/risks/{id}"), &boss_token, None)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let isb = app.token("isb@verbund.example").await;
    let (_, audit) = app.api(Method::GET, "/audit?per_page=20", &isb, None).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for a in ["risk.create", "risk.update", "risk.accept"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

async fn an_object_without_a_high_need_gets_no_risks(app: TestApp) {
    let token = app.token(COORD).await;
    let org = app.org_id("Nauheim").await;
    let (_, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{org}/structure/objects"),
            &token,
            Some(json!({"short_id": "N-C1", "name": "Arbeitsplatz", "object_type": "client"})),
        )
        .await;
    let id = o["id"].as_i64().unwrap();
    let (_, threats) = app.api(Method::GET, "/risk-threats", &token, None).await;
    assert_eq!(threats.as_array().unwrap().len(), 47);
    let (_, before) = app.api(Method::GET, "/risks", &token, None).await;
    let (status, e) = app
        .api(
            Method::POST,
            &format!("/structure/objects/{id}/risks"),
            &token,
            Some(json!({"threats": [threat_id(&threats, "G 0.16")], "frequency": "mittel", "impact": "begrenzt"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["code"],
        "error-risk-object-not-high"
    );
    let (_, after) = app.api(Method::GET, "/risks", &token, None).await;
    assert_eq!(after["total"], before["total"], "nothing written");
}

async fn an_acceptance_lapses_after_its_expiry_day(mut app: TestApp) {
    let token = app.token(COORD).await;
    let server = high_server(&app, &token).await;
    let r = risk(
        &app,
        &token,
        server,
        "G 0.8",
        json!({"frequency": "mittel", "impact": "betraechtlich"}),
    )
    .await;
    let id = r["id"].as_i64().unwrap();
    let boss = app.user_id("leitung@nauheim.example").await;
    // The clock: 1 December 2026, noon in Berlin.
    let now = Arc::new(AtomicI64::new(1_796_122_800_000));
    let clock_now = Arc::clone(&now);
    let mut state = verbund_web::AppState::new(
        app.store.clone(),
        verbund_web::WebConfig {
            base_url: "http://localhost".into(),
            ..Default::default()
        },
    );
    state.app.clock = verbund_app::Clock::from_fn(move || clock_now.load(Ordering::SeqCst));
    app.router = verbund_web::app(state);
    let (status, r) = app
        .api(
            Method::POST,
            &format!("/risks/{id}/accept"),
            &token,
            Some(json!({"approver": boss, "expires_on": "2026-12-31"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["acceptance"], "valid");
    let lapsed_path = format!("/risks?object={server}&treatment=abgelaufen");
    let (_, lapsed) = app.api(Method::GET, &lapsed_path, &token, None).await;
    assert_eq!(lapsed["total"], 0);

    // 31 December: still valid; 1 January: lapsed and untreated.
    now.store(1_798_714_800_000, Ordering::SeqCst);
    let (_, r) = app
        .api(Method::GET, &format!("/risks/{id}"), &token, None)
        .await;
    assert_eq!(
        (r["acceptance"].as_str(), r["untreated"].as_bool()),
        (Some("valid"), Some(false)),
        "{r}"
    );
    now.store(1_798_801_200_000, Ordering::SeqCst);
    let (_, r) = app
        .api(Method::GET, &format!("/risks/{id}"), &token, None)
        .await;
    assert_eq!(
        (r["acceptance"].as_str(), r["untreated"].as_bool()),
        (Some("lapsed"), Some(true)),
        "{r}"
    );
    let (_, lapsed) = app.api(Method::GET, &lapsed_path, &token, None).await;
    assert_eq!(lapsed["total"], 1);
    let (_, untreated) = app
        .api(
            Method::GET,
            &format!("/risks?object={server}&treatment=unbehandelt"),
            &token,
            None,
        )
        .await;
    assert_eq!(untreated["total"], 1);
}

async fn the_matrix_is_the_offices_audited_setting_and_re_rates_risks(app: TestApp) {
    let token = app.token(COORD).await;
    let server = high_server(&app, &token).await;
    let r = risk(
        &app,
        &token,
        server,
        "G 0.1",
        json!({"frequency": "selten", "impact": "begrenzt"}),
    )
    .await;
    assert_eq!(r["category"], "gering");
    let (status, m) = app.api(Method::GET, "/risk-matrix", &token, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(m["cells"][3][3], "sehr_hoch");
    let all_medium = json!({"cells": [["mittel","mittel","mittel","mittel"],["mittel","mittel","mittel","mittel"],["mittel","mittel","mittel","mittel"],["mittel","mittel","mittel","sehr_hoch"]]});
    let (status, _) = app
        .api(
            Method::PUT,
            "/risk-matrix",
            &token,
            Some(all_medium.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a member may not");
    let isb = app.token("isb@verbund.example").await;
    let falling = json!({"cells": [["high","low","low","low"],["high","high","high","high"],["high","high","high","high"],["high","high","high","high"]]});
    let (status, e) = app
        .api(Method::PUT, "/risk-matrix", &isb, Some(falling))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["code"],
        "error-risk-matrix-monotone"
    );
    let (status, _) = app
        .api(Method::PUT, "/risk-matrix", &isb, Some(all_medium))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, again) = app
        .api(Method::GET, &format!("/risks/{}", r["id"]), &token, None)
        .await;
    assert_eq!(again["category"], "mittel", "re-rated");
    let (_, audit) = app.api(Method::GET, "/audit?per_page=5", &isb, None).await;
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "risk.matrix.update")
    );

    // The page: an accessible table with the categories in words; the office's form saves.
    let mut b = app.login("isb@verbund.example").await;
    let (status, html) = b.get(&app, "/risks/matrix").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<caption>") && html.contains("scope=\"row\""),
        "{html}"
    );
    let mut fields: Vec<(String, String)> = Vec::new();
    for f in 0..4 {
        for i in 0..4 {
            fields.push((
                format!("cell_{f}_{i}"),
                if f == 0 && i == 1 {
                    "gering".into()
                } else {
                    "hoch".into()
                },
            ));
        }
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (status, html) = b.post_form(&app, "/risks/matrix", &refs).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "selten × begrenzt below selten × vernachlässigbar"
    );
    assert!(html.contains("niedriger als die Zelle"), "German message");
    let ok: Vec<(&str, &str)> = refs.iter().map(|(k, _)| (*k, "hoch")).collect();
    let (status, _) = b.post_form(&app, "/risks/matrix", &ok).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, m) = app.api(Method::GET, "/risk-matrix", &token, None).await;
    assert_eq!(m["cells"][0][0], "hoch");
}

async fn the_ui_adds_suggested_risks_and_links_a_measure_of_the_own_member(app: TestApp) {
    let token = app.token(COORD).await;
    let server = high_server(&app, &token).await;
    let mut b = app.login(COORD).await;
    let (status, html) = b.get(&app, &format!("/structure/objects/{server}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("/structure/objects/{server}/risks")),
        "object page links its risks"
    );
    let (status, html) = b
        .get(&app, &format!("/structure/objects/{server}/risks"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("checked"), "suggested threats preselected");
    let (_, threats) = app.api(Method::GET, "/risk-threats", &token, None).await;
    let t1 = threat_id(&threats, "G 0.25").to_string();
    let t2 = threat_id(&threats, "G 0.45").to_string();
    let (status, html) = b
        .post_form(
            &app,
            &format!("/structure/objects/{server}/risks"),
            &[("threat", &t1), ("threat", &t2), ("frequency", "haeufig")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "impact missing");
    assert!(html.contains("aria-invalid"), "{html}");
    let (status, _) = b
        .post_form(
            &app,
            &format!("/structure/objects/{server}/risks"),
            &[
                ("threat", &t1),
                ("threat", &t2),
                ("frequency", "haeufig"),
                ("impact", "existenzbedrohend"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app
        .api(
            Method::GET,
            &format!("/risks?object={server}&category=sehr_hoch"),
            &token,
            None,
        )
        .await;
    assert_eq!(page["total"], 2, "{page}");
    let id = page["items"][0]["id"].as_i64().unwrap();
    // Without a CSRF token the form is refused.
    let (status, _) = b
        .post_raw(
            &app,
            &format!("/risks/{id}/delete"),
            &[],
            Some("http://localhost"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let nauheim = app.org_id("Nauheim").await;
    let raunheim = app.org_id("Raunheim").await;
    let own = app
        .store
        .seed_measure(
            &verbund_domain::authz::SystemAccess::for_reason("test data"),
            verbund_domain::OrgId(nauheim),
            None,
            "Zweites Netzteil einbauen",
            None,
            "offen",
        )
        .await
        .unwrap();
    let other = app
        .store
        .seed_measure(
            &verbund_domain::authz::SystemAccess::for_reason("test data"),
            verbund_domain::OrgId(raunheim),
            None,
            "Fremde Maßnahme",
            None,
            "offen",
        )
        .await
        .unwrap();
    let (_, page) = b.get(&app, &format!("/risks/{id}")).await;
    assert!(
        page.contains(&format!(
            "<option value=\"{}\">Zweites Netzteil einbauen",
            own.0
        )),
        "the member's measure to pick: {page}"
    );
    assert!(!page.contains("Fremde Maßnahme"), "not another member's");
    let (status, html) = b
        .post_form(
            &app,
            &format!("/risks/{id}/measures"),
            &[("measure", &other.0.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Diese Maßnahme gibt es bei diesem Mitglied nicht"));
    let (status, _) = b
        .post_form(
            &app,
            &format!("/risks/{id}/measures"),
            &[("measure", &own.0.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, r) = app
        .api(Method::GET, &format!("/risks/{id}"), &token, None)
        .await;
    assert_eq!(r["measures"][0]["title"], "Zweites Netzteil einbauen");
    let (status, _) = b.post_form(&app, &format!("/risks/{id}/delete"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = app
        .api(Method::GET, &format!("/risks/{id}"), &token, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_federation_view_is_anonymous_for_members(app: TestApp) {
    let token = app.token(COORD).await;
    let server = high_server(&app, &token).await;
    risk(
        &app,
        &token,
        server,
        "G 0.39",
        json!({"frequency": "haeufig", "impact": "existenzbedrohend"}),
    )
    .await;
    let isb = app.token("isb@verbund.example").await;
    let (status, f) = app.api(Method::GET, "/risks/federation", &isb, None).await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let rows = f["rows"].as_array().unwrap();
    assert!(!rows.is_empty(), "Nauheim's high risk: {f}");
    let (status, m) = app
        .api(Method::GET, "/risks/federation", &token, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    for row in m["rows"].as_array().unwrap() {
        let others = row["members"].as_i64().unwrap() - i64::from(row["own"].as_bool().unwrap());
        assert!(others >= 3, "only rows with enough other members: {row}");
    }
    assert_eq!(
        m["rows"].as_array().unwrap().len()
            + usize::try_from(m["withheld"].as_u64().unwrap()).unwrap(),
        rows.len()
    );
    assert!(!m.to_string().contains("org_id"), "no member named");
    assert!(
        m["withheld"].as_u64().unwrap() >= 1,
        "only Nauheim counts: withheld"
    );
}

both!(
    an_object_with_a_high_need_gets_rated_treated_and_accepted_by_management,
    an_object_without_a_high_need_gets_no_risks,
    an_acceptance_lapses_after_its_expiry_day,
    the_matrix_is_the_offices_audited_setting_and_re_rates_risks,
    the_ui_adds_suggested_risks_and_links_a_measure_of_the_own_member,
    the_federation_view_is_anonymous_for_members,
);
