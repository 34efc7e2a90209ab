//! Modelling over HTTP: modules suggested by the rules and assigned to objects (audited), the
//! modelling table with its gaps, the office's coverage view, the rules as configuration, the
//! object page's module section with CSRF, and the real IT-Grundschutz library's modules.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::TestApp;

/// A small self-worded catalog in the shape of an IT-Grundschutz library (modules SYS.1.1,
/// SYS.1.2.3 and INF.2).
pub const MINI: &[u8] = include_bytes!("../fixtures/grundschutz-mini.yaml");

/// Imports the mini catalog as the office; returns its id.
pub async fn import_mini(app: &TestApp) -> i64 {
    let isb = app.token("isb@verbund.example").await;
    let (status, c) = app
        .api_upload(
            "/catalogs?file_name=grundschutz-mini.yaml",
            &isb,
            MINI.to_vec(),
        )
        .await;
    assert!(status.is_success(), "{c}");
    c["catalog"]["id"].as_i64().unwrap()
}

async fn object(app: &TestApp, token: &str, org: i64, body: Value) -> i64 {
    let (status, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{org}/structure/objects"),
            token,
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    o["id"].as_i64().unwrap()
}

async fn modules(app: &TestApp, token: &str, id: i64) -> Value {
    let (status, m) = app
        .api(
            Method::GET,
            &format!("/structure/objects/{id}/modules"),
            token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    m
}

fn refs(list: &Value, path: &[&str]) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let mut v = x;
            for p in path {
                v = &v[*p];
            }
            v.as_str().unwrap().to_owned()
        })
        .collect()
}

async fn assign(app: &TestApp, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    app.api(
        Method::POST,
        &format!("/structure/objects/{id}/modules"),
        token,
        Some(body),
    )
    .await
}

async fn a_windows_server_is_offered_its_modules_and_assignments_are_audited(app: TestApp) {
    let catalog = import_mini(&app).await;
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let s = object(
        &app,
        &t,
        nauheim,
        json!({"short_id": "S1", "name": "Dateiserver", "object_type": "server", "product": "Windows Server 2022"}),
    )
    .await;
    let m = modules(&app, &t, s).await;
    assert_eq!(
        refs(&m["suggestions"], &["ref_id"]),
        ["SYS.1.1", "SYS.1.2.3"]
    );
    assert_eq!(
        m["suggestions"][0]["name"], "Testbaustein Server",
        "the title comes from the imported catalog"
    );
    assert_eq!(m["suggestions"][0]["catalog_id"], catalog);

    let (status, a) = assign(&app, &t, s, json!({"module": "sys.1.1"})).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(a["module"]["ref_id"], "SYS.1.1");
    assert_eq!(a["assigned_by"], "koordination@nauheim.example (API)");
    let (status, dup) = assign(&app, &t, s, json!({"module": "SYS.1.1"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{dup}");
    assert_eq!(dup["error"]["fields"][0]["code"], "error-duplicate");
    let (status, unknown) = assign(&app, &t, s, json!({"module": "XYZ.9"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unknown["error"]["fields"][0]["code"],
        "error-module-unknown"
    );
    assert!(
        unknown["error"]["message"].as_str().is_some(),
        "a German message"
    );
    let (status, none) = assign(&app, &t, s, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{none}");
    // A requirement below a module is no module.
    let (status, _) = assign(&app, &t, s, json!({"node_id": 999_999})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let m = modules(&app, &t, s).await;
    assert_eq!(refs(&m["assigned"], &["module", "ref_id"]), ["SYS.1.1"]);
    assert_eq!(refs(&m["suggestions"], &["ref_id"]), ["SYS.1.2.3"]);
    let node = m["suggestions"][0]["node_id"].as_i64().unwrap();
    let (status, b) = assign(&app, &t, s, json!({"node_id": node})).await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert!(
        modules(&app, &t, s).await["suggestions"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/structure/modules/{}", a["id"]),
            &t,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let m = modules(&app, &t, s).await;
    assert_eq!(refs(&m["assigned"], &["module", "ref_id"]), ["SYS.1.2.3"]);
    assert_eq!(refs(&m["suggestions"], &["ref_id"]), ["SYS.1.1"]);

    let (_, log) = app
        .api(
            Method::GET,
            &format!("/audit?org={nauheim}&per_page=50"),
            &t,
            None,
        )
        .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .filter(|a| a.starts_with("structure.module"))
        .collect();
    assert_eq!(
        actions,
        [
            "structure.module.unassign",
            "structure.module.assign",
            "structure.module.assign"
        ],
        "{log}"
    );
}

async fn management_reads_modules_but_may_not_assign_them(app: TestApp) {
    import_mini(&app).await;
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let s = object(
        &app,
        &t,
        nauheim,
        json!({"short_id": "S1", "name": "Server", "object_type": "server"}),
    )
    .await;
    let (_, a) = assign(&app, &t, s, json!({"module": "SYS.1.1"})).await;
    let boss = app.token("leitung@nauheim.example").await;
    assert_eq!(modules(&app, &boss, s).await["assigned"][0]["id"], a["id"]);
    let (status, _) = assign(&app, &boss, s, json!({"module": "INF.2"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/structure/modules/{}", a["id"]),
            &boss,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn the_modelling_table_lists_objects_without_modules_and_unused_suggestions(app: TestApp) {
    import_mini(&app).await;
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let s1 = object(
        &app,
        &t,
        nauheim,
        json!({"short_id": "S1", "name": "Dateiserver", "object_type": "server", "tags": "windows"}),
    )
    .await;
    let s2 = object(
        &app,
        &t,
        nauheim,
        json!({"short_id": "S2", "name": "Druckserver", "object_type": "server"}),
    )
    .await;
    let r1 = object(
        &app,
        &t,
        nauheim,
        json!({"short_id": "R1", "name": "Serverraum", "object_type": "room", "tags": "Serverraum"}),
    )
    .await;
    assign(&app, &t, s1, json!({"module": "SYS.1.1"})).await;
    let (status, m) = app
        .api(
            Method::GET,
            &format!("/organisations/{nauheim}/structure/modelling"),
            &t,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert_eq!(m["modules"], json!(["SYS.1.1"]));
    assert_eq!(refs(&m["objects"], &["short_id"]), ["R1", "S1", "S2"]);
    assert_eq!(m["gaps"]["objects_without_modules"], json!([r1, s2]));
    // INF.7 (every room) is in no imported catalog, so it is no gap; INF.2 (server room) is.
    assert_eq!(
        m["gaps"]["unused_modules"],
        json!({"INF.2": [r1], "SYS.1.2.3": [s1]})
    );

    let mut b = app.login("koordination@nauheim.example").await;
    let (status, page) = b
        .get(&app, &format!("/orgs/{nauheim}/structure/modelling"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<th scope=\"col\">SYS.1.1</th>"), "{page}");
    assert!(page.contains("Zielobjekte ohne Baustein (2)"), "{page}");
    assert!(page.contains("<strong>SYS.1.2.3</strong> – vorgeschlagen für S1"));

    // The office sees counts per member; a member does not see the view at all.
    let isb = app.token("isb@verbund.example").await;
    let (status, c) = app
        .api(Method::GET, "/structure/coverage", &isb, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    let row = c
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["org_id"] == nauheim)
        .unwrap();
    assert_eq!(
        (
            &row["objects"],
            &row["without_modules"],
            &row["assignments"],
            &row["unused_modules"]
        ),
        (&json!(3), &json!(2), &json!(1), &json!(2))
    );
    let (status, _) = app.api(Method::GET, "/structure/coverage", &t, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_office_configures_the_rules_and_suggestions_follow_them(app: TestApp) {
    import_mini(&app).await;
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let c = object(
        &app,
        &t,
        nauheim,
        json!({"short_id": "C1", "name": "Kiosk", "object_type": "client", "tags": "kiosk"}),
    )
    .await;
    assert!(
        modules(&app, &t, c).await["suggestions"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let rules = json!({"rules": [{"object_type": "client", "tag": "kiosk", "modules": ["SYS.1.1", "INF.2"]}]});
    let (status, _) = app
        .api(
            Method::PUT,
            "/structure/module-rules",
            &t,
            Some(rules.clone()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a member may not change them"
    );
    let isb = app.token("isb@verbund.example").await;
    let bad = json!({"rules": [{"object_type": "client", "modules": ["SYS 1"]}, {"object_type": "room", "modules": []}]});
    let (status, e) = app
        .api(Method::PUT, "/structure/module-rules", &isb, Some(bad))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "rules.0.modules");
    assert_eq!(e["error"]["fields"][1]["field"], "rules.1.modules");
    let (status, e) = app
        .api(
            Method::PUT,
            "/structure/module-rules",
            &isb,
            Some(json!({"rules": [{"object_type": "spaceship", "modules": ["X.1"]}]})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an unknown object type: {e}"
    );
    let (_, unchanged) = app
        .api(Method::GET, "/structure/module-rules", &t, None)
        .await;
    assert_eq!(
        unchanged["rules"][1]["modules"],
        json!(["SYS.1.1"]),
        "defaults kept"
    );
    let (status, saved) = app
        .api(
            Method::PUT,
            "/structure/module-rules",
            &isb,
            Some(rules.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (_, now) = app
        .api(Method::GET, "/structure/module-rules", &t, None)
        .await;
    assert_eq!(now, rules);
    assert_eq!(
        refs(&modules(&app, &t, c).await["suggestions"], &["ref_id"]),
        ["SYS.1.1", "INF.2"]
    );
    let (_, log) = app
        .api(
            Method::GET,
            "/audit?kind=structure.module_rules.update",
            &isb,
            None,
        )
        .await;
    assert_eq!(log["total"], 1, "{log}");
}

async fn the_object_page_assigns_a_suggested_module_with_csrf(app: TestApp) {
    import_mini(&app).await;
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let s = object(
        &app,
        &t,
        nauheim,
        json!({"short_id": "S1", "name": "Server", "object_type": "server"}),
    )
    .await;
    let node = modules(&app, &t, s).await["suggestions"][0]["node_id"]
        .as_i64()
        .unwrap();
    let mut b = app.login("koordination@nauheim.example").await;
    let (status, page) = b.get(&app, &format!("/structure/objects/{s}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Zuordnen: SYS.1.1</button>"), "{page}");
    assert!(page.contains("Testbaustein Server"));
    let (status, _) = b
        .post_form(
            &app,
            &format!("/structure/objects/{s}/modules"),
            &[("node_id", &node.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = b.get(&app, &format!("/structure/objects/{s}")).await;
    assert!(
        page.contains("<strong>SYS.1.1</strong> Testbaustein Server"),
        "{page}"
    );
    assert!(!page.contains("Zuordnen: SYS.1.1"));
    let (status, page) = b
        .post_form(
            &app,
            &format!("/structure/objects/{s}/modules"),
            &[("node_id", "kein")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Diesen Baustein gibt es in keinem importierten Katalog."),
        "{page}"
    );
    // Without the CSRF token nothing is stored.
    let (status, _) = b
        .post_raw(
            &app,
            &format!("/structure/objects/{s}/modules"),
            &[("node_id", node.to_string().as_str())],
            Some("http://localhost"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        modules(&app, &t, s).await["assigned"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let mut isb = app.login("isb@verbund.example").await;
    let (status, page) = isb
        .post_form(&app, "/structure/module-rules", &[("rules", "{kein json")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("{kein json</textarea>"),
        "the text comes back"
    );
}

async fn the_bsi_library_offers_its_modules_for_a_linux_server(app: TestApp) {
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
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let s = object(
        &app,
        &t,
        nauheim,
        json!({"short_id": "S1", "name": "Webserver", "object_type": "server", "vendor": "Debian", "product": "Debian GNU/Linux 12"}),
    )
    .await;
    let m = modules(&app, &t, s).await;
    assert_eq!(refs(&m["suggestions"], &["ref_id"]), ["SYS.1.1", "SYS.1.3"]);
    for sug in m["suggestions"].as_array().unwrap() {
        assert!(
            sug["name"].as_str().is_some_and(|n| !n.is_empty()),
            "titles come from the library: {sug}"
        );
    }
    let (_, all) = app.api(Method::GET, "/structure/modules", &t, None).await;
    assert!(
        all.as_array().unwrap().len() > 20,
        "every SYS module is on offer"
    );
    let (status, a) = assign(&app, &t, s, json!({"module": "SYS.1.3"})).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
}

both!(
    a_windows_server_is_offered_its_modules_and_assignments_are_audited,
    management_reads_modules_but_may_not_assign_them,
    the_modelling_table_lists_objects_without_modules_and_unused_suggestions,
    the_office_configures_the_rules_and_suggestions_follow_them,
    the_object_page_assigns_a_suggested_module_with_csrf,
    the_bsi_library_offers_its_modules_for_a_linux_server
);
