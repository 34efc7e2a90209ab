//! Crisis pact over HTTP on both databases: the whole flow (declare → alert mails in the outbox
//! and the webhook delivered to a sink the test starts → request → match → ask → accept → log
//! with a correction → close), the live board as server-sent events read by a real client
//! (two events, then resumed with Last-Event-ID), isolation (a member outside the pact sees
//! nothing of it; a partner sees registry and crisis but nothing else of the member; a role
//! without the right gets 403), and the UI forms with CSRF.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use verbund_app::Services;
use verbund_app::jobs::{self, RunnerConfig};
use verbund_app::reminders::{MailSite, Texts};

use crate::both;
use crate::helpers::TestApp;

const NAUHEIM: &str = "koordination@nauheim.example";
const RAUNHEIM: &str = "koordination@raunheim.example";
const OUTSIDER: &str = "koordination@bischofsheim.example";

/// A one-shot HTTP sink: accepts one request, answers 200, hands over the body.
async fn webhook_sink() -> (String, tokio::sync::oneshot::Receiver<String>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let n = s.read(&mut chunk).await.unwrap();
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if body.len() >= len || n == 0 {
                    s.write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    )
                    .await
                    .unwrap();
                    let _ = tx.send(format!("{head}\r\n\r\n{body}"));
                    return;
                }
            }
        }
    });
    (url, rx)
}

fn runner() -> RunnerConfig {
    let texts: Texts = Arc::new(|lang, key, args| {
        verbund_i18n::Lang::parse(lang)
            .unwrap_or_default()
            .t_args(key, args)
    });
    RunnerConfig {
        owner: "pact-test".into(),
        smtp: None,
        site: MailSite {
            base_url: "https://verbund.example".into(),
        },
        texts,
        idle: Duration::from_millis(50),
    }
}

/// A pact of Nauheim, Raunheim and Rüsselsheim (office), with registries and contacts.
async fn pact(app: &TestApp, webhook: Option<&str>) -> (i64, i64, i64, i64) {
    let isb = app.token("isb@verbund.example").await;
    let (s, p) = app
        .api(
            Method::POST,
            "/pacts",
            &isb,
            Some(json!({"name": "Pakt Mainspitze", "webhook_url": webhook})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let id = p["id"].as_i64().unwrap();
    let (n, r, ru) = (
        app.org_id("Nauheim").await,
        app.org_id("Raunheim").await,
        app.org_id("Rüsselsheim am Main").await,
    );
    for (org, lat, lon) in [
        (n, "49,9417", "8.4550"),
        (r, "50.0097", "8.4528"),
        (ru, "49.9929", "8.4119"),
    ] {
        let (s, b) = app
            .api(
                Method::POST,
                &format!("/pacts/{id}/members"),
                &isb,
                Some(json!({"org": org, "lat": lat, "lon": lon})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let rt = app.token(RAUNHEIM).await;
    let (s, b) = app
        .api(
            Method::POST,
            &format!("/organisations/{r}/pact-resources"),
            &rt,
            Some(json!({"kind": "person", "name": "Firewall-Team", "skills": ["firewall"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let ruest = app.token("koordination@ruesselsheim-am-main.example").await;
    let (s, b) = app.api(Method::POST, &format!("/organisations/{ru}/pact-resources"), &ruest, Some(json!({"kind": "person", "name": "Netzwerker", "skills": ["firewall", "network"], "available_from": "2099-01-01"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    for (org, token, mail) in [
        (n, app.token(NAUHEIM).await, "it@nauheim.example"),
        (r, rt.clone(), "it@raunheim.example"),
    ] {
        let (s, b) = app
            .api(
                Method::POST,
                &format!("/organisations/{org}/pact-contacts"),
                &token,
                Some(json!({"name": "IT-Leitung", "email": mail, "mobile": "0170 1"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }
    (id, n, r, ru)
}

async fn pact_flow_from_declaration_to_closing(app: TestApp) {
    let (url, hook) = webhook_sink().await;
    let (pact, nauheim, raunheim, _) = pact(&app, Some(&url)).await;
    let nt = app.token(NAUHEIM).await;
    let rt = app.token(RAUNHEIM).await;
    // Declare.
    let (s, c) = app.api(Method::POST, &format!("/pacts/{pact}/crises"), &nt, Some(json!({"severity": "high", "affected_services": "E-Mail, Meldewesen", "summary": "Verschlüsselungstrojaner"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["org_id"], nauheim);
    let crisis = c["id"].as_i64().unwrap();
    // Alert: mails to both contacts in the outbox, the webhook got the crisis.
    let st = Services::new(app.store.clone(), verbund_app::AuthPolicy::default());
    assert_eq!(
        jobs::run_due(&st, &runner()).await.unwrap(),
        1,
        "the alert job ran"
    );
    let got = tokio::time::timeout(Duration::from_secs(5), hook)
        .await
        .unwrap()
        .unwrap();
    assert!(got.starts_with("POST /hook HTTP/1.1"), "{got}");
    let body: Value = serde_json::from_str(got.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(
        (
            body["event"].as_str(),
            body["crisis_id"].as_i64(),
            body["severity"].as_str()
        ),
        (Some("pact.crisis.declared"), Some(crisis), Some("high"))
    );
    let isb = app.token("isb@verbund.example").await;
    let (_, outbox) = app.api(Method::GET, "/outbox", &isb, None).await;
    let mut to: Vec<&str> = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "pakt-alarm")
        .map(|m| m["to_address"].as_str().unwrap())
        .collect();
    to.sort();
    assert_eq!(
        to,
        ["it@nauheim.example", "it@raunheim.example"],
        "{outbox}"
    );
    let mail = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "pakt-alarm")
        .unwrap();
    assert!(
        mail["subject"]
            .as_str()
            .unwrap()
            .contains("Pakt Mainspitze"),
        "{mail}"
    );
    // Request and match: Raunheim's firewall team; Rüsselsheim's person is not yet available.
    let (s, q) = app.api(Method::POST, &format!("/pact-crises/{crisis}/requests"), &nt, Some(json!({"need_kind": "skill", "need": "firewall", "count": 1, "from": "2026-12-02", "until": "2026-12-04"}))).await;
    assert_eq!(s, StatusCode::CREATED, "{q}");
    let request = q["id"].as_i64().unwrap();
    let (s, m) = app
        .api(
            Method::GET,
            &format!("/pact-requests/{request}/matches"),
            &nt,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    let m = m.as_array().unwrap();
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0]["resource"]["org_id"], raunheim);
    let km = m[0]["distance_km"].as_f64().unwrap();
    assert!((6.0..9.0).contains(&km), "{km}");
    // Ask and accept with hours and costs.
    let resource = m[0]["resource"]["id"].as_i64().unwrap();
    let (s, loan) = app
        .api(
            Method::POST,
            &format!("/pact-requests/{request}/loans"),
            &nt,
            Some(json!({"resource": resource})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{loan}");
    let loan_id = loan["id"].as_i64().unwrap();
    let (s, b) = app
        .api(
            Method::POST,
            &format!("/pact-loans/{loan_id}/decision"),
            &nt,
            Some(json!({"status": "accepted"})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "only the lender decides: {b}");
    let (s, loan) = app
        .api(
            Method::POST,
            &format!("/pact-loans/{loan_id}/decision"),
            &rt,
            Some(json!({"status": "accepted", "hours": "4,5", "cost": "300"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{loan}");
    assert_eq!(
        (
            loan["status"].as_str(),
            loan["hours"].as_f64(),
            loan["cost_cents"].as_i64()
        ),
        (Some("accepted"), Some(4.5), Some(30_000))
    );
    // Log, correct (a new entry naming the old one), close with lessons learned.
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/pact-crises/{crisis}/entries"),
            &nt,
            Some(json!({"text": "Netz getrennt um 03:10"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let first = e["id"].as_i64().unwrap();
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/pact-crises/{crisis}/entries"),
            &rt,
            Some(json!({"kind": "correction", "text": "Es war 03:20", "corrects": first})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, b) = app
        .api(
            Method::POST,
            &format!("/pact-crises/{crisis}/entries"),
            &nt,
            Some(json!({"kind": "correction", "text": "ohne Bezug"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (s, closed) = app
        .api(
            Method::POST,
            &format!("/pact-crises/{crisis}/close"),
            &nt,
            Some(json!({"lessons_learned": "Alarmkette hat funktioniert."})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{closed}");
    assert_eq!(
        (closed["open"].as_bool(), closed["lessons_learned"].as_str()),
        (Some(false), Some("Alarmkette hat funktioniert."))
    );
    let (s, b) = app
        .api(
            Method::POST,
            &format!("/pact-crises/{crisis}/entries"),
            &nt,
            Some(json!({"text": "zu spät"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (_, v) = app
        .api(Method::GET, &format!("/pact-crises/{crisis}"), &rt, None)
        .await;
    let entries = v["entries"].as_array().unwrap();
    let texts: Vec<&str> = entries
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts.len(), 7, "{texts:?}");
    let correction = entries.iter().find(|e| e["kind"] == "correction").unwrap();
    assert_eq!(correction["corrects"], first);
    assert!(
        entries
            .iter()
            .any(|e| e["text"] == "Netz getrennt um 03:10"),
        "the corrected entry stays"
    );
    assert_eq!(v["requests"][0]["loans"][0]["status"], "accepted");
    // Every step is audited.
    let (_, audit) = app
        .api(Method::GET, "/audit?per_page=200", &isb, None)
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    for a in [
        "pact.create",
        "pact.member.set",
        "pact.resource.create",
        "pact.contact.create",
        "pact.crisis.declare",
        "pact.request.create",
        "pact.loan.ask",
        "pact.loan.decide",
        "pact.entry.create",
        "pact.crisis.close",
    ] {
        assert!(actions.contains(&a), "{a} missing in {actions:?}");
    }
}

async fn pact_is_invisible_outside_and_partners_see_only_the_pact(app: TestApp) {
    let (pact, nauheim, _, _) = pact(&app, None).await;
    let nt = app.token(NAUHEIM).await;
    let (_, c) = app.api(Method::POST, &format!("/pacts/{pact}/crises"), &nt, Some(json!({"severity": "low", "affected_services": "Telefonie", "summary": "Ausfall", "exercise": true}))).await;
    let crisis = c["id"].as_i64().unwrap();
    assert_eq!(c["exercise"], true);
    let (_, q) = app
        .api(
            Method::POST,
            &format!("/pact-crises/{crisis}/requests"),
            &nt,
            Some(json!({"need_kind": "equipment", "need": "notebook", "count": 2})),
        )
        .await;
    let request = q["id"].as_i64().unwrap();
    let (_, reg) = app
        .api(
            Method::GET,
            &format!("/organisations/{nauheim}/pact-registry"),
            &nt,
            None,
        )
        .await;
    let contact = reg["contacts"][0]["id"].as_i64().unwrap();
    // Outside the pact: 404 everywhere, and the list is empty.
    let out = app.token(OUTSIDER).await;
    let (s, l) = app.api(Method::GET, "/pacts", &out, None).await;
    assert_eq!((s, l), (StatusCode::OK, json!([])));
    for (m, path, body) in [
        (Method::GET, format!("/pacts/{pact}"), None),
        (Method::GET, format!("/pact-crises/{crisis}"), None),
        (
            Method::GET,
            format!("/pact-requests/{request}/matches"),
            None,
        ),
        (
            Method::POST,
            format!("/pact-crises/{crisis}/entries"),
            Some(json!({"text": "x"})),
        ),
        (
            Method::POST,
            format!("/pact-crises/{crisis}/requests"),
            Some(json!({"need_kind": "skill", "need": "network"})),
        ),
        (
            Method::POST,
            format!("/pact-crises/{crisis}/close"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/pacts/{pact}/crises"),
            Some(json!({"severity": "low", "affected_services": "x", "summary": "y"})),
        ),
        (
            Method::GET,
            format!("/organisations/{nauheim}/pact-registry"),
            None,
        ),
        (Method::DELETE, format!("/pact-contacts/{contact}"), None),
    ] {
        let (s, b) = app.api(m.clone(), &path, &out, body).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{m} {path}: {b}");
    }
    // A partner sees the pact's registry, contacts and crisis, but not Nauheim's own data.
    let rt = app.token(RAUNHEIM).await;
    let (s, v) = app
        .api(Method::GET, &format!("/pacts/{pact}"), &rt, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        v["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["org_id"] == nauheim),
        "{v}"
    );
    assert_eq!(v["crises"][0]["exercise"], true);
    let (s, _) = app
        .api(Method::GET, &format!("/pact-crises/{crisis}"), &rt, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    for path in [
        format!("/risks?org={nauheim}"),
        format!("/organisations/{nauheim}/pact-registry"),
        format!("/organisations/{nauheim}"),
    ] {
        let (s, b) = app.api(Method::GET, &path, &rt, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {b}");
    }
    let (s, _) = app
        .api(
            Method::DELETE,
            &format!("/pact-contacts/{contact}"),
            &rt,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Own member, role without the right: 403.
    let lead = app.token("leitung@nauheim.example").await;
    let (s, b) = app
        .api(
            Method::POST,
            &format!("/organisations/{nauheim}/pact-resources"),
            &lead,
            Some(
                json!({"kind": "equipment", "name": "x", "equipment_type": "printer", "count": 1}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, b) = app
        .api(
            Method::DELETE,
            &format!("/pact-contacts/{contact}"),
            &lead,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, b) = app
        .api(
            Method::POST,
            &format!("/pacts/{pact}/crises"),
            &lead,
            Some(json!({"severity": "low", "affected_services": "x", "summary": "y"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the pact's rule lets coordinators declare: {b}"
    );
    let (s, b) = app
        .api(
            Method::POST,
            "/pacts",
            &nt,
            Some(json!({"name": "Eigener Pakt"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "only the office creates pacts: {b}"
    );
    // Bad input: precise 422, nothing stored.
    let (s, b) = app
        .api(
            Method::POST,
            &format!("/pacts/{pact}/members"),
            &app.token("isb@verbund.example").await,
            Some(json!({"org": nauheim, "lat": "91", "lon": "8"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (_, v) = app
        .api(Method::GET, &format!("/pacts/{pact}"), &rt, None)
        .await;
    assert_eq!(
        v["pact"]["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["org_id"] == nauheim)
            .unwrap()["coordinates"]["lat"],
        49.9417
    );
}

/// Reads SSE events (`id`, `data`) from a raw HTTP response until `n` arrived.
async fn read_events(
    reader: &mut BufReader<tokio::net::TcpStream>,
    n: usize,
) -> Vec<(i64, String)> {
    let mut out = Vec::new();
    let (mut id, mut data) = (0, String::new());
    while out.len() < n {
        let mut line = String::new();
        let read = tokio::time::timeout(Duration::from_secs(5), reader.read_line(&mut line))
            .await
            .expect("event within 5 s")
            .unwrap();
        assert!(read > 0, "stream ended early");
        let line = line.trim_end_matches(['\r', '\n']);
        if let Some(v) = line.strip_prefix("id:") {
            id = v.trim().parse().unwrap();
        } else if let Some(v) = line.strip_prefix("data:") {
            data.push_str(v.trim_start());
        } else if line.is_empty() && id > 0 {
            out.push((id, std::mem::take(&mut data)));
            id = 0;
        }
    }
    out
}

async fn open_board(
    addr: std::net::SocketAddr,
    crisis: i64,
    cookie: &str,
    last: Option<i64>,
) -> BufReader<tokio::net::TcpStream> {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let last = last.map_or_else(String::new, |l| format!("Last-Event-ID: {l}\r\n"));
    let req = format!(
        "GET /pact-crises/{crisis}/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n{last}\r\n"
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut r = BufReader::new(s);
    let mut status = String::new();
    r.read_line(&mut status).await.unwrap();
    assert!(status.contains(" 200 "), "{status}");
    loop {
        let mut h = String::new();
        r.read_line(&mut h).await.unwrap();
        if h == "\r\n" {
            break;
        }
    }
    r
}

async fn live_board_streams_new_entries_and_resumes_after_last_event_id(app: TestApp) {
    let (pact, _, _, _) = pact(&app, None).await;
    let nt = app.token(NAUHEIM).await;
    let (_, c) = app.api(Method::POST, &format!("/pacts/{pact}/crises"), &nt, Some(json!({"severity": "medium", "affected_services": "Internet", "summary": "Leitung gestört"}))).await;
    let crisis = c["id"].as_i64().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap()
    });
    let browser = app.login(RAUNHEIM).await;
    let cookie = browser.cookie_header();
    let mut board = open_board(addr, crisis, &cookie, None).await;
    // The declaration's entry is there at once; a new entry arrives within a second.
    let first = read_events(&mut board, 1).await;
    assert!(first[0].1.contains("Internet"), "{first:?}");
    let started = std::time::Instant::now();
    let (s, _) = app
        .api(
            Method::POST,
            &format!("/pact-crises/{crisis}/entries"),
            &nt,
            Some(json!({"text": "Provider informiert"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let second = read_events(&mut board, 1).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(
        second[0].1.contains("Provider informiert") && second[0].0 > first[0].0,
        "{second:?}"
    );
    drop(board);
    // Reconnect with Last-Event-ID: only what came after it.
    app.api(
        Method::POST,
        &format!("/pact-crises/{crisis}/entries"),
        &nt,
        Some(json!({"text": "Ersatzleitung geschaltet"})),
    )
    .await;
    let mut board = open_board(addr, crisis, &cookie, Some(second[0].0)).await;
    let third = read_events(&mut board, 1).await;
    assert!(third[0].1.contains("Ersatzleitung geschaltet"), "{third:?}");
    // Someone outside the pact gets 404 for the stream.
    let mut outsider = app.login(OUTSIDER).await;
    let (s, _) = outsider
        .get(&app, &format!("/pact-crises/{crisis}/events"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn pact_pages_work_with_forms(app: TestApp) {
    let (pact, nauheim, _, _) = pact(&app, None).await;
    let mut b = app.login(NAUHEIM).await;
    let (s, html) = b.get(&app, "/pacts").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Pakt Mainspitze"));
    let (s, html) = b.get(&app, &format!("/pacts/{pact}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Firewall-Team") && html.contains("Krise ausrufen"),
        "{html}"
    );
    let (s, loc) = b
        .post_form(
            &app,
            &format!("/orgs/{nauheim}/pact-resources"),
            &[
                ("kind", "equipment"),
                ("name", "Leihnotebooks"),
                ("equipment_type", "notebook"),
                ("count", "5"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{loc}");
    let (s, html) = b
        .post_form(
            &app,
            &format!("/orgs/{nauheim}/pact-resources"),
            &[("kind", "person"), ("name", "Ohne Fähigkeit")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("mindestens eine Fähigkeit"), "{html}");
    let (s, loc) = b
        .post_form(
            &app,
            &format!("/pacts/{pact}/crises"),
            &[
                ("org", &nauheim.to_string()),
                ("severity", "critical"),
                ("affected_services", "Alles"),
                ("summary", "Totalausfall"),
                ("exercise", "on"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{loc}");
    let (s, html) = b.get(&app, &loc).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Übung") && html.contains("data-events="),
        "{html}"
    );
    let crisis = loc.rsplit('/').next().unwrap();
    let (s, loc) = b
        .post_form(
            &app,
            &format!("/pact-crises/{crisis}/requests"),
            &[("need", "skill:firewall"), ("count", "1")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{loc}");
    let (s, html) = b.get(&app, &loc).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Firewall-Team") && html.contains("km"),
        "{html}"
    );
    let (s, html) = b.get(&app, &format!("/pacts/{pact}/alarm-chain")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("it@raunheim.example"), "{html}");
    let (s, body) = b.get(&app, &format!("/pact-crises/{crisis}/events")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("event: entry") && body.contains("Alles"),
        "{body}"
    );
}

both!(
    pact_flow_from_declaration_to_closing,
    pact_is_invisible_outside_and_partners_see_only_the_pact,
    live_board_streams_new_entries_and_resumes_after_last_event_id,
    pact_pages_work_with_forms,
);
