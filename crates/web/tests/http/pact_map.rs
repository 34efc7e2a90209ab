//! The crisis pact's dependency map and blast radius over HTTP on both databases: the office
//! sees every affected member with its processes ordered by protection need and a declaration
//! draft that declares as it is; a member sees its own processes but of a partner only "affected
//! through"; a user outside the pact gets 404; a bad choice is 422; the page links to the
//! pre-filled declaration form.

use axum::http::{Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, pdftotext};

const NAUHEIM: &str = "koordination@nauheim.example";
const OUTSIDER: &str = "koordination@bischofsheim.example";

async fn object(app: &TestApp, token: &str, org: i64, short: &str, name: &str, t: &str) -> i64 {
    let (s, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{org}/structure/objects"),
            token,
            Some(json!({"short_id": short, "name": name, "object_type": t})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    o["id"].as_i64().unwrap()
}

async fn link(app: &TestApp, token: &str, from: i64, to: i64, t: &str) {
    let (s, b) = app
        .api(
            Method::POST,
            "/structure/links",
            token,
            Some(json!({"from": from, "to": to, "link_type": t})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
}

async fn availability(app: &TestApp, token: &str, id: i64, value: &str) {
    let (s, b) = app
        .api(
            Method::PUT,
            &format!("/structure/objects/{id}/needs"),
            token,
            Some(json!({"goal": "availability", "value": value, "justification": "Fristen im Bürgerservice."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

/// A provider with a hosted finance procedure and a WAN; Nauheim's finance (availability very
/// high) and Raunheim's registration (high) rely on the procedure; Rüsselsheim only on the WAN.
/// Returns (pact, finance procedure, Nauheim's own process).
async fn setup(app: &TestApp) -> (i64, i64, i64) {
    let isb = app.token("isb@verbund.example").await;
    let (s, p) = app
        .api(
            Method::POST,
            "/organisations",
            &isb,
            Some(json!({"name": "Rechenzentrum Süd (Test)", "kind": "provider"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let provider = p["id"].as_i64().unwrap();
    let fin = object(
        app,
        &isb,
        provider,
        "RZ-FIN",
        "Finanzverfahren",
        "application",
    )
    .await;
    let wan = object(
        app,
        &isb,
        provider,
        "RZ-WAN",
        "Verbindungsnetz",
        "communication_link",
    )
    .await;
    let (n, r, ru) = (
        app.org_id("Nauheim").await,
        app.org_id("Raunheim").await,
        app.org_id("Rüsselsheim am Main").await,
    );
    let tn = app.token(NAUHEIM).await;
    let an = object(app, &tn, n, "A-FIN", "Finanzanbindung", "application").await;
    let gn = object(
        app,
        &tn,
        n,
        "GP-FIN",
        "Haushalt und Kasse",
        "business_process",
    )
    .await;
    let gn2 = object(
        app,
        &tn,
        n,
        "GP-STEU",
        "Steuerbescheide",
        "business_process",
    )
    .await;
    link(app, &tn, an, fin, "provided_by").await;
    link(app, &tn, an, gn, "processes_data_of").await;
    link(app, &tn, an, gn2, "processes_data_of").await;
    availability(app, &tn, gn, "very_high").await;
    availability(app, &tn, gn2, "normal").await;
    let tr = app.token("koordination@raunheim.example").await;
    let ar = object(app, &tr, r, "A-EWO", "Meldeanbindung", "application").await;
    let gr = object(
        app,
        &tr,
        r,
        "GP-MELD",
        "Geheimes Meldewesen Raunheim",
        "business_process",
    )
    .await;
    link(app, &tr, ar, fin, "provided_by").await;
    link(app, &tr, ar, gr, "processes_data_of").await;
    availability(app, &tr, gr, "high").await;
    let tru = app.token("koordination@ruesselsheim-am-main.example").await;
    let net = object(app, &tru, ru, "N-01", "Verwaltungsnetz", "network").await;
    link(app, &tru, net, wan, "communicates_over").await;
    let (s, p) = app
        .api(
            Method::POST,
            "/pacts",
            &isb,
            Some(json!({"name": "Pakt Karte"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let pact = p["id"].as_i64().unwrap();
    for org in [n, r, ru] {
        let (s, b) = app
            .api(
                Method::POST,
                &format!("/pacts/{pact}/members"),
                &isb,
                Some(json!({"org": org})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    (pact, fin, gn)
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|m| m["org_name"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_office_sees_the_blast_radius_and_declares_from_the_draft(app: TestApp) {
    let (pact, fin, _) = setup(&app).await;
    let isb = app.token("isb@verbund.example").await;

    let (s, map) = app
        .api(
            Method::GET,
            &format!("/pacts/{pact}/dependency-map"),
            &isb,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{map}");
    assert!(map["outage"].is_null());
    let services = map["services"].as_array().unwrap();
    let f = services.iter().find(|s| s["id"] == fin).unwrap();
    assert_eq!(names(&f["members"]), ["Nauheim", "Raunheim"]);
    let w = services.iter().find(|s| s["short_id"] == "RZ-WAN").unwrap();
    assert_eq!(names(&w["members"]), ["Rüsselsheim am Main"]);

    let (s, v) = app
        .api(
            Method::GET,
            &format!("/pacts/{pact}/dependency-map?object={fin}"),
            &isb,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let members = &v["outage"]["members"];
    // Nauheim's very high availability before Raunheim's high; Rüsselsheim is not hit.
    assert_eq!(names(members), ["Nauheim", "Raunheim"]);
    let n = &members[0];
    assert_eq!(n["detailed"], true);
    let procs: Vec<&str> = n["processes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["short_id"].as_str().unwrap())
        .collect();
    assert_eq!(procs, ["GP-FIN", "GP-STEU"]);
    assert_eq!(n["via"][0]["short_id"], "RZ-FIN");
    let d = &n["declaration"];
    assert_eq!(d["severity"], "critical");
    assert_eq!(members[1]["declaration"]["severity"], "high");
    assert!(
        d["summary"]
            .as_str()
            .unwrap()
            .contains("RZ-FIN Finanzverfahren")
    );
    assert!(
        d["affected_services"]
            .as_str()
            .unwrap()
            .contains("Haushalt und Kasse")
    );

    // The draft declares as it is.
    let (s, c) = app
        .api(
            Method::POST,
            &format!("/pacts/{pact}/crises"),
            &isb,
            Some(d.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["severity"], "critical");
    assert_eq!(c["org_name"], "Nauheim");

    // A whole provider fails: all three members are hit.
    let provider = f["provider_id"].as_i64().unwrap();
    let (s, v) = app
        .api(
            Method::GET,
            &format!("/pacts/{pact}/dependency-map?provider={provider}"),
            &isb,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["outage"]["failed"].as_array().unwrap().len(), 2);
    assert_eq!(names(&v["outage"]["members"]).len(), 3);
}

async fn a_member_sees_only_that_a_partner_is_affected(app: TestApp) {
    let (pact, fin, own_process) = setup(&app).await;
    let tn = app.token(NAUHEIM).await;

    let (s, v) = app
        .api(
            Method::GET,
            &format!("/pacts/{pact}/dependency-map?object={fin}"),
            &tn,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let members = &v["outage"]["members"];
    assert_eq!(members[0]["org_name"], "Nauheim");
    assert_eq!(members[0]["processes"].as_array().unwrap().len(), 2);
    assert!(members[0]["declaration"].is_object());
    let r = &members[1];
    assert_eq!(r["org_name"], "Raunheim");
    assert_eq!(r["detailed"], false);
    assert!(r["processes"].as_array().unwrap().is_empty());
    assert_eq!(r["objects"], 0);
    assert!(r["declaration"].is_null());
    assert_eq!(r["via"][0]["short_id"], "RZ-FIN");
    assert!(!v.to_string().contains("Geheimes Meldewesen"), "{v}");

    // Management reads the map, but the pact's rule lets only coordinators declare.
    let tm = app.token("leitung@nauheim.example").await;
    let (s, v) = app
        .api(
            Method::GET,
            &format!("/pacts/{pact}/dependency-map?object={fin}"),
            &tm,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["outage"]["members"][0]["declaration"].is_null());

    // A member's own object is no provider outage; nonsense is refused, nothing else shown.
    for q in [format!("object={own_process}"), "provider=999999".into()] {
        let (s, e) = app
            .api(
                Method::GET,
                &format!("/pacts/{pact}/dependency-map?{q}"),
                &tn,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    }

    // Outside the pact: nothing.
    let to = app.token(OUTSIDER).await;
    let (s, _) = app
        .api(
            Method::GET,
            &format!("/pacts/{pact}/dependency-map"),
            &to,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let mut b = app.login(OUTSIDER).await;
    let (s, _) = b.get(&app, &format!("/pacts/{pact}/map")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn the_map_page_links_to_the_prefilled_declaration(app: TestApp) {
    let (pact, fin, _) = setup(&app).await;
    let mut b = app.login(NAUHEIM).await;

    let (s, html) = b.get(&app, &format!("/pacts/{pact}/map")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("RZ-FIN Finanzverfahren"), "{html}");
    assert!(html.contains(&format!("/pacts/{pact}/map?object={fin}")));

    let (s, html) = b
        .get(&app, &format!("/pacts/{pact}/map?object={fin}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Haushalt und Kasse"));
    assert!(!html.contains("Geheimes Meldewesen"));
    let start = html
        .find(&format!("/pacts/{pact}?org="))
        .expect("declare link");
    let href: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let href = href.replace("&amp;", "&").replace("&#38;", "&");
    let href = href.split('#').next().unwrap().to_owned();
    let (s, form) = b.get(&app, &href).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        form.contains(r#"<option value="critical" selected>"#),
        "{form}"
    );
    assert!(form.contains("Ausfall beim IT-Dienstleister Rechenzentrum Süd (Test)"));

    let (s, html) = b.get(&app, &format!("/pacts/{pact}/map?object=abc")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Bitte wählen Sie ein Objekt"));
}

/// Text that looks like typst markup; the handbook must print it as it is.
const MARKUP: &str = "Erika #Muster *[IT]*";

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let (s, v) = app.api(Method::POST, path, token, Some(body)).await;
    assert!(s.is_success(), "{path}: {s} {v}");
    v
}

/// The handbook's `X-Verbund-Handbook-Changed` header.
async fn changed(app: &TestApp, token: &str, path: &str) -> String {
    let req = axum::http::Request::get(format!("/api/v1{path}"))
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let (s, h, _) = app.request_bytes(req).await;
    assert_eq!(s, StatusCode::OK);
    h["x-verbund-handbook-changed"].to_str().unwrap().to_owned()
}

async fn the_handbook_prints_alarm_chain_partners_and_processes(app: TestApp) {
    let (_, _, _) = setup(&app).await;
    let (n, r) = (app.org_id("Nauheim").await, app.org_id("Raunheim").await);
    let tn = app.token(NAUHEIM).await;
    let tr = app.token("koordination@raunheim.example").await;
    post(
        &app,
        &tn,
        &format!("/organisations/{n}/pact-contacts"),
        json!({"name": MARKUP, "function": "IT-Leitung", "phone": "06152 123-45", "mobile": "0170 555111"}),
    )
    .await;
    post(
        &app,
        &tr,
        &format!("/organisations/{r}/pact-contacts"),
        json!({"name": "Rolf Raunheimer", "mobile": "0171 222333"}),
    )
    .await;
    post(
        &app,
        &tr,
        &format!("/organisations/{r}/pact-resources"),
        json!({"kind": "person", "name": "Firewall-Team Raunheim", "skills": ["firewall"], "phone": "06142 999-1"}),
    )
    .await;
    let path = format!("/organisations/{n}/pact-handbook");

    let (s, ct, pdf) = app.api_file(&path, &tn).await;

    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/pdf");
    let text = pdftotext(&pdf);
    for want in [
        "Notfallhandbuch: Nauheim",
        "IT-Notfallkarte",
        MARKUP,
        "06152 123-45",
        "0170 555111",
        "Rolf Raunheimer",
        "0171 222333",
        "Firewall-Team Raunheim",
        "06142 999-1",
        "GP-FIN Haushalt und Kasse",
        "sehr hoch",
        "RZ-FIN Finanzverfahren (Rechenzentrum Süd (Test))",
    ] {
        assert!(text.contains(want), "{want} missing: {text}");
    }
    // Nothing of the partner's structure analysis.
    assert!(!text.contains("Geheimes Meldewesen"), "{text}");

    // The same content again: unchanged; a new contact: changed.
    assert_eq!(changed(&app, &tn, &path).await, "false");
    post(
        &app,
        &tn,
        &format!("/organisations/{n}/pact-contacts"),
        json!({"name": "Bürgermeisterin", "mobile": "0170 555222"}),
    )
    .await;
    assert_eq!(changed(&app, &tn, &path).await, "true");

    // Others: a partner and an outsider get 404, an own role without structure rights 403.
    for (who, want) in [
        ("koordination@raunheim.example", StatusCode::NOT_FOUND),
        (OUTSIDER, StatusCode::NOT_FOUND),
        ("massnahmen@nauheim.example", StatusCode::FORBIDDEN),
    ] {
        let t = app.token(who).await;
        let (s, _, _) = app.api_file(&path, &t).await;
        assert_eq!(s, want, "{who}");
    }
    let mut b = app.login(NAUHEIM).await;
    let (_, html) = b.get(&app, &format!("/orgs/{n}/pact-registry")).await;
    assert!(html.contains(&format!("/orgs/{n}/pact-handbook")));
    let (s, _, pdf) = b.get_bytes(&app, &format!("/orgs/{n}/pact-handbook")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(pdf.starts_with(b"%PDF"));
}

async fn the_settlement_sums_hours_and_costs_per_member(app: TestApp) {
    let (pact, _, _) = setup(&app).await;
    let (r, ru) = (
        app.org_id("Raunheim").await,
        app.org_id("Rüsselsheim am Main").await,
    );
    let tn = app.token(NAUHEIM).await;
    let tr = app.token("koordination@raunheim.example").await;
    let tru = app.token("koordination@ruesselsheim-am-main.example").await;
    let mut resources = Vec::new();
    for (org, token, name) in [
        (r, &tr, "Leihrechner Raunheim"),
        (ru, &tru, "Lager Rüsselsheim"),
    ] {
        let v = post(
            &app,
            token,
            &format!("/organisations/{org}/pact-resources"),
            json!({"kind": "equipment", "name": name, "equipment_type": "workstation", "count": 5}),
        )
        .await;
        resources.push(v["id"].as_i64().unwrap());
    }
    let c = post(
        &app,
        &tn,
        &format!("/pacts/{pact}/crises"),
        json!({"severity": "high", "affected_services": "Fachverfahren", "summary": "Ausfall"}),
    )
    .await;
    let crisis = c["id"].as_i64().unwrap();
    let q = post(
        &app,
        &tn,
        &format!("/pact-crises/{crisis}/requests"),
        json!({"need_kind": "equipment", "need": "workstation", "count": 8}),
    )
    .await;
    let request = q["id"].as_i64().unwrap();
    for ((res, token), (hours, cost)) in resources
        .iter()
        .zip([&tr, &tru])
        .zip([("6,5", "480"), ("2", "100,50")])
    {
        let loan = post(
            &app,
            &tn,
            &format!("/pact-requests/{request}/loans"),
            json!({"resource": res}),
        )
        .await;
        let id = loan["id"].as_i64().unwrap();
        post(
            &app,
            token,
            &format!("/pact-loans/{id}/decision"),
            json!({"status": "accepted", "hours": hours, "cost": cost}),
        )
        .await;
    }

    let (s, ct, xlsx) = app
        .api_file(&format!("/pact-crises/{crisis}/settlement"), &tn)
        .await;

    assert_eq!(s, StatusCode::OK);
    assert!(ct.contains("spreadsheetml"), "{ct}");
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).expect("a workbook");
    assert_eq!(wb.sheet_names(), ["Leistungen", "Summen"]);
    let lines = wb.worksheet_range("Leistungen").unwrap();
    assert_eq!(lines.get((4, 3)).unwrap().to_string(), "Raunheim");
    assert_eq!(lines.get((4, 5)), Some(&Data::Float(6.5)));
    assert_eq!(lines.get((5, 6)), Some(&Data::Float(100.5)));
    assert_eq!(lines.get((6, 1)).unwrap().to_string(), "Summe");
    assert_eq!(lines.get((6, 6)), Some(&Data::Float(580.5)));
    let formulas = wb.worksheet_formula("Leistungen").unwrap();
    assert_eq!(
        formulas.get_value((6, 6)).map(String::as_str),
        Some("SUM(G5:G6)")
    );
    let sums = wb.worksheet_range("Summen").unwrap();
    let row = |name: &str| {
        (3..6)
            .find(|r| matches!(sums.get((*r, 0)), Some(Data::String(s)) if s == name))
            .unwrap()
    };
    let n = row("Nauheim");
    assert_eq!(sums.get((n, 3)), Some(&Data::Float(8.5)));
    assert_eq!(sums.get((n, 4)), Some(&Data::Float(580.5)));
    assert_eq!(sums.get((n, 5)), Some(&Data::Float(-580.5)));
    let r = row("Raunheim");
    assert_eq!(sums.get((r, 1)), Some(&Data::Float(6.5)));
    assert_eq!(sums.get((r, 5)), Some(&Data::Float(480.0)));

    // Outside the pact: 404, also on the page's link.
    let to = app.token(OUTSIDER).await;
    let (s, _, _) = app
        .api_file(&format!("/pact-crises/{crisis}/settlement"), &to)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let mut b = app.login(NAUHEIM).await;
    let (_, html) = b.get(&app, &format!("/pact-crises/{crisis}")).await;
    assert!(html.contains(&format!("/pact-crises/{crisis}/settlement")));
}

both!(
    the_handbook_prints_alarm_chain_partners_and_processes,
    the_settlement_sums_hours_and_costs_per_member,
    the_office_sees_the_blast_radius_and_declares_from_the_draft,
    a_member_sees_only_that_a_partner_is_affected,
    the_map_page_links_to_the_prefilled_declaration,
);
