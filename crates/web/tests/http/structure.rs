//! Structure analysis over HTTP: objects, links, needs with inheritance and path, overrides,
//! providers shared by members (each sees only its own contribution), import with errors.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::TestApp;

async fn object(app: &TestApp, token: &str, org: i64, short: &str, t: &str) -> i64 {
    let (status, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{org}/structure/objects"),
            token,
            Some(json!({"short_id": short, "name": format!("Objekt {short}"), "object_type": t, "count": 2})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    o["id"].as_i64().unwrap()
}

async fn link(app: &TestApp, token: &str, from: i64, to: i64, t: &str) -> (StatusCode, Value) {
    app.api(
        Method::POST,
        "/structure/links",
        token,
        Some(json!({"from": from, "to": to, "link_type": t})),
    )
    .await
}

async fn need(app: &TestApp, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    app.api(
        Method::PUT,
        &format!("/structure/objects/{id}/needs"),
        token,
        Some(body),
    )
    .await
}

async fn detail(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, d) = app
        .api(
            Method::GET,
            &format!("/structure/objects/{id}"),
            token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    d
}

async fn process_need_reaches_the_server_and_the_path_explains_it(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let gp = object(&app, &t, nauheim, "GP1", "business_process").await;
    let a = object(&app, &t, nauheim, "A1", "application").await;
    let s = object(&app, &t, nauheim, "S1", "server").await;
    assert_eq!(
        link(&app, &t, a, gp, "processes_data_of").await.0,
        StatusCode::CREATED
    );
    assert_eq!(link(&app, &t, a, s, "runs_on").await.0, StatusCode::CREATED);
    let (status, dup) = link(&app, &t, a, s, "runs_on").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{dup}");

    // A need without justification is refused and changes nothing.
    let (status, e) = need(
        &app,
        &t,
        gp,
        json!({"goal": "confidentiality", "value": "high"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["fields"][0]["field"], "justification", "{e}");
    assert_eq!(
        detail(&app, &t, s).await["object"]["effective"]["confidentiality"],
        Value::Null
    );

    let (status, n) = need(
        &app,
        &t,
        gp,
        json!({"goal": "confidentiality", "value": "high", "justification": "Melderegister: personenbezogene Daten"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{n}");
    assert_eq!(n["set_by"], "koordination@nauheim.example (API)");
    let d = detail(&app, &t, s).await;
    assert_eq!(d["object"]["effective"]["confidentiality"], "high");
    assert_eq!(d["needs"][0]["calculated"], "high");
    assert_eq!(d["needs"][0]["origin"], "link");
    let path: Vec<&str> = d["paths"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["object"]["short_id"].as_str().unwrap())
        .collect();
    assert_eq!(path, ["S1", "A1", "GP1"]);
    assert_eq!(d["paths"][0][2]["own"], true);

    // A cumulation must lie above the calculated need; a distribution below it.
    let (status, e) = need(&app, &t, s, json!({"goal": "confidentiality", "value": "high", "deviation": "cumulation", "justification": "x"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        e["error"]["fields"][0]["code"],
        "error-deviation-not-higher"
    );
    let (status, _) = need(&app, &t, s, json!({"goal": "confidentiality", "value": "normal", "deviation": "distribution", "justification": "Nur pseudonymisierte Kopie"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        detail(&app, &t, s).await["object"]["effective"]["confidentiality"],
        "normal"
    );

    // Updating with an old revision is a conflict; deleting the application cuts the path.
    let (status, _) = app
        .api(Method::PUT, &format!("/structure/objects/{s}"), &t, Some(json!({"short_id": "S1", "name": "Fileserver", "object_type": "server", "revision": 99})))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app
        .api(Method::DELETE, &format!("/structure/objects/{a}"), &t, None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let d = detail(&app, &t, s).await;
    assert_eq!(d["needs"][0]["calculated"], Value::Null);
    assert_eq!(
        d["needs"][0]["stale"], true,
        "a distribution with nothing to lower is flagged"
    );
}

async fn management_reads_but_may_not_change_its_own_objects(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let s = object(&app, &t, nauheim, "S1", "server").await;
    let boss = app.token("leitung@nauheim.example").await;
    assert_eq!(detail(&app, &boss, s).await["object"]["short_id"], "S1");
    let (status, _) = need(
        &app,
        &boss,
        s,
        json!({"goal": "integrity", "value": "high", "justification": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/structure/objects/{s}"),
            &boss,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/organisations/{nauheim}/structure/objects"),
            &boss,
            Some(json!({"short_id": "X", "name": "x", "object_type": "room"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn members_share_a_provider_object_but_see_only_their_own_contribution(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let (status, p) = app
        .api(
            Method::POST,
            "/organisations",
            &isb,
            Some(json!({"name": "Landes-IT Hessen (Demo)", "kind": "provider"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let provider = p["id"].as_i64().unwrap();
    let hosted = object(&app, &isb, provider, "RZ-EWO", "application").await;
    let (nauheim, raunheim) = (app.org_id("Nauheim").await, app.org_id("Raunheim").await);
    let tn = app.token("koordination@nauheim.example").await;
    let tr = app.token("koordination@raunheim.example").await;
    let an = object(&app, &tn, nauheim, "EWO", "application").await;
    let ar = object(&app, &tr, raunheim, "EWO", "application").await;
    assert_eq!(
        link(&app, &tn, an, hosted, "provided_by").await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        link(&app, &tr, ar, hosted, "provided_by").await.0,
        StatusCode::CREATED
    );
    // A member cannot link to another member's object (it does not see it).
    let (status, e) = link(&app, &tn, an, ar, "runs_on").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["code"], "error-link-target");
    need(
        &app,
        &tn,
        an,
        json!({"goal": "availability", "value": "high", "justification": "Bürgerbüro"}),
    )
    .await;
    need(
        &app,
        &tr,
        ar,
        json!({"goal": "availability", "value": "very_high", "justification": "Wahlen"}),
    )
    .await;

    let office = detail(&app, &isb, hosted).await;
    assert_eq!(office["object"]["effective"]["availability"], "very_high");
    assert_eq!(office["contributions"].as_array().unwrap().len(), 2);

    let seen = detail(&app, &tn, hosted).await;
    assert_eq!(seen["object"]["effective"]["availability"], "very_high");
    let contributions = seen["contributions"].as_array().unwrap();
    assert_eq!(contributions.len(), 1);
    assert_eq!(contributions[0]["org_id"], nauheim);
    assert_eq!(contributions[0]["needs"]["availability"], "high");
    let text = seen.to_string();
    assert!(
        !text.contains("Raunheim") && !text.contains(&format!("\"org_id\":{raunheim}")),
        "{text}"
    );
    assert_eq!(seen["used_by"].as_array().unwrap().len(), 1);
    // The path of the shared object ends where Nauheim cannot see further.
    assert!(
        seen["paths"][2].as_array().unwrap().len() <= 1,
        "{}",
        seen["paths"]
    );
    // Nauheim lists the provider object it relies on, never Raunheim's application.
    let (_, list) = app.api(Method::GET, "/structure/objects", &tn, None).await;
    let shorts: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["short_id"].as_str().unwrap())
        .collect();
    assert_eq!(shorts, ["EWO", "RZ-EWO"]);
    assert_eq!(
        app.api(Method::GET, &format!("/structure/objects/{ar}"), &tn, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // It sees the provider object but may not change it; only the office lists providers.
    let (status, _) = need(
        &app,
        &tn,
        hosted,
        json!({"goal": "availability", "value": "normal", "justification": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.api(Method::GET, "/structure/providers", &tn, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, providers) = app
        .api(Method::GET, "/structure/providers", &isb, None)
        .await;
    assert_eq!(providers[0]["id"], provider);
    // A provider is not a member: it gets no assessment, and a coordinator cannot become one.
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/organisations/{nauheim}"),
            &tn,
            Some(json!({"name": "Nauheim", "kind": "provider", "population": 10840})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    crate::assessments::start_all(&app, &isb).await;
    let (_, assessments) = app
        .api(Method::GET, "/assessments?per_page=100", &isb, None)
        .await;
    assert!(
        assessments["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["org_id"] != provider)
    );
}

async fn an_import_with_errors_stores_nothing_and_a_valid_one_round_trips(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let bad = "Kürzel;Name;Typ;Abhängigkeiten\r\nGP1;Meldewesen;Geschäftsprozess;\r\nA1;EWO;Toaster;läuft auf:S9\r\n";
    let (status, e) = app
        .api_upload(
            &format!("/organisations/{nauheim}/structure/import"),
            &t,
            bad.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("Zeile 3, Spalte Typ"),
        "{e}"
    );
    let (_, list) = app
        .api(
            Method::GET,
            &format!("/structure/objects?org={nauheim}"),
            &t,
            None,
        )
        .await;
    assert_eq!(list["total"], 0, "nothing stored");
    // A link to a short id that exists nowhere is a row error, too.
    let dangling = "Kürzel;Name;Typ;Abhängigkeiten\r\nA1;EWO;Anwendung;läuft auf:S9\r\n";
    let (status, e) = app
        .api_upload(
            &format!("/organisations/{nauheim}/structure/import"),
            &t,
            dangling.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e["error"]["detail"].as_str().unwrap().contains("S9"), "{e}");

    let good = "Kürzel;Name;Typ;Abhängigkeiten\r\nGP1;Meldewesen;Geschäftsprozess;\r\nA1;EWO;Anwendung;\"verarbeitet Daten von:GP1; läuft auf:S1\"\r\nS1;Server;server;\r\n";
    let (status, s) = app
        .api_upload(
            &format!("/organisations/{nauheim}/structure/import"),
            &t,
            good.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s, json!({"created": 3, "updated": 0, "links_added": 2}));
    let (status, _, csv) = app
        .api_file(
            &format!("/organisations/{nauheim}/structure/export?format=csv"),
            &t,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("A1;EWO;Anwendung"), "{csv}");
    let (status, _, xlsx) = app
        .api_file(
            &format!("/organisations/{nauheim}/structure/export?format=xlsx"),
            &t,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, s) = app
        .api_upload(
            &format!("/organisations/{nauheim}/structure/import"),
            &t,
            xlsx,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s, json!({"created": 0, "updated": 3, "links_added": 0}));
}

async fn the_object_page_shows_the_path_and_sets_a_need_with_csrf(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let gp = object(&app, &t, nauheim, "GP1", "business_process").await;
    let s = object(&app, &t, nauheim, "S1", "server").await;
    link(&app, &t, gp, s, "runs_on").await;
    let mut b = app.login("koordination@nauheim.example").await;
    let (status, page) = b
        .post_form(
            &app,
            &format!("/structure/objects/{gp}/needs"),
            &[
                ("goal", "integrity"),
                ("value", "very_high"),
                ("justification", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Bitte begründen Sie den Schutzbedarf."),
        "{page:.500}"
    );
    let (status, _) = b
        .post_form(
            &app,
            &format!("/structure/objects/{gp}/needs"),
            &[
                ("goal", "integrity"),
                ("value", "very_high"),
                ("justification", "Kasse"),
            ],
        )
        .await;
    assert!(status.is_redirection());
    let (status, page) = b.get(&app, &format!("/structure/objects/{s}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("geerbt von GP1"), "{page}");
    let (status, page) = b
        .get(&app, &format!("/orgs/{nauheim}/structure/dependencies"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg") && page.contains("läuft auf"));
    let (status, page) = b.get(&app, "/structure?type=server").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("S1") && !page.contains("GP1"));
}

both!(
    process_need_reaches_the_server_and_the_path_explains_it,
    management_reads_but_may_not_change_its_own_objects,
    members_share_a_provider_object_but_see_only_their_own_contribution,
    an_import_with_errors_stores_nothing_and_a_valid_one_round_trips,
    the_object_page_shows_the_path_and_sets_a_need_with_csrf
);
