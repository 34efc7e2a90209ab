//! Subscription to a CSAF provider on both databases, against a provider the test serves
//! itself on 127.0.0.1 (axum): `provider-metadata.json` with a directory distribution
//! (`changes.csv`) and a ROLIE feed, documents from `../shared/datasets/csaf/` and the repo's
//! self-made fixtures, each with its `.sha512` or `.sha256` file, answering `ETag` /
//! `If-None-Match` with 304.
//!
//! Covered: the first run (by the job runner) imports and warns, a broken document and a hash
//! mismatch are failures naming the document and the field while the run goes on; the second
//! run downloads nothing it already has; a changed document is imported again as a new
//! revision; a listing timestamp that changed for unchanged content costs one conditional
//! request (304) and no import; an unreachable provider is a recorded run error; a bad URL
//! is 422 with a German message and stores nothing; members get 404; the UI form with CSRF.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use sha2::Digest;
use verbund_app::Services;
use verbund_app::jobs::{self, RunnerConfig};
use verbund_app::reminders::{MailSite, Texts};

use crate::advisories::{DEMO, NAUHEIM, gateway, product_object, revision_two, warnings};
use crate::both;
use crate::datasets::dataset;
use crate::helpers::TestApp;

const ISB: &str = "isb@verbund.example";
const NOTICE: &[u8] =
    include_bytes!("../../../formats/fixtures/csaf/verbund-notice-2026-0003.json");

/// The files the local provider serves (path → bytes) and how often each was requested.
#[derive(Default)]
struct Files {
    files: HashMap<String, Vec<u8>>,
    hits: HashMap<String, usize>,
}

type Shared = Arc<Mutex<Files>>;

fn etag(bytes: &[u8]) -> String {
    format!("\"{}\"", &hex::encode(sha2::Sha256::digest(bytes))[..16])
}

async fn serve(State(files): State<Shared>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let mut f = files.lock().unwrap();
    *f.hits.entry(path.clone()).or_default() += 1;
    let Some(body) = f.files.get(&path).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let tag = etag(&body);
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == tag.as_bytes())
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
    }
    let mut h = HeaderMap::new();
    h.insert(header::ETAG, tag.parse().unwrap());
    (h, body).into_response()
}

/// A provider on a free local port: its base URL and its files.
async fn provider() -> (String, Shared) {
    let files: Shared = Arc::default();
    let app = axum::Router::new()
        .fallback(serve)
        .with_state(files.clone());
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    (base, files)
}

const WELL_KNOWN: &str = "/.well-known/csaf";

/// Puts a document with its hash file (`.sha512`, or `.sha256`) under `path`.
fn put_document(files: &Shared, path: &str, bytes: &[u8], sha256: bool) {
    let mut f = files.lock().unwrap();
    let name = path.rsplit('/').next().unwrap();
    if sha256 {
        let h = hex::encode(sha2::Sha256::digest(bytes));
        f.files.insert(
            format!("{path}.sha256"),
            format!("{h}  {name}\n").into_bytes(),
        );
    } else {
        let h = hex::encode(sha2::Sha512::digest(bytes));
        f.files.insert(
            format!("{path}.sha512"),
            format!("{h}  {name}\n").into_bytes(),
        );
    }
    f.files.insert(path.to_owned(), bytes.to_vec());
}

fn put(files: &Shared, path: &str, bytes: Vec<u8>) {
    files.lock().unwrap().files.insert(path.to_owned(), bytes);
}

fn hits(files: &Shared, path: &str) -> usize {
    files
        .lock()
        .unwrap()
        .hits
        .get(path)
        .copied()
        .unwrap_or_default()
}

/// The directory's listing: (file below `white/`, timestamp).
fn changes_csv(files: &Shared, entries: &[(&str, &str)]) {
    let text: String = entries
        .iter()
        .map(|(p, t)| format!("\"{p}\",\"{t}\"\n"))
        .collect();
    put(
        files,
        &format!("{WELL_KNOWN}/white/changes.csv"),
        text.into_bytes(),
    );
}

/// A provider with five documents: in the directory the demo advisory (Nauheim's firewall
/// is affected), a real BSI example (SHA-256 only) and a broken document; in the ROLIE feed
/// a real Red Hat advisory and a document whose SHA-512 does not match.
fn publish(base: &str, files: &Shared) {
    let meta = json!({
        "canonical_url": format!("{base}{WELL_KNOWN}/provider-metadata.json"),
        "distributions": [
            {"directory_url": format!("{base}{WELL_KNOWN}/white/")},
            {"rolie": {"feeds": [{"summary": "TLP:WHITE", "tlp_label": "WHITE", "url": format!("{base}{WELL_KNOWN}/feed-white.json")}]}}
        ],
        "last_updated": "2026-12-01T08:00:00Z",
        "metadata_version": "2.0",
        "list_on_CSAF_aggregators": false,
        "mirror_on_CSAF_aggregators": false,
        "publisher": {"category": "vendor", "name": "Beispiel Networks PSIRT", "namespace": "https://beispiel.example"},
        "role": "csaf_trusted_provider"
    });
    put(
        files,
        &format!("{WELL_KNOWN}/provider-metadata.json"),
        serde_json::to_vec(&meta).unwrap(),
    );
    let bsi = dataset("csaf/oasis-examples/bsi-2022-0001.json").unwrap_or_else(|| NOTICE.to_vec());
    let rhsa = dataset("csaf/redhat/rhsa-2023_1441.json").unwrap_or_else(|| NOTICE.to_vec());
    put_document(
        files,
        &format!("{WELL_KNOWN}/white/2026/verbund-demo-2026-0001.json"),
        DEMO,
        false,
    );
    put_document(
        files,
        &format!("{WELL_KNOWN}/white/2022/bsi-2022-0001.json"),
        &bsi,
        true,
    );
    let mut broken: Value = serde_json::from_slice(NOTICE).unwrap();
    broken["document"]["tracking"]
        .as_object_mut()
        .unwrap()
        .remove("id");
    put_document(
        files,
        &format!("{WELL_KNOWN}/white/2026/kaputt.json"),
        &serde_json::to_vec(&broken).unwrap(),
        false,
    );
    changes_csv(
        files,
        &[
            ("2026/verbund-demo-2026-0001.json", "2026-11-20T08:00:00Z"),
            ("2026/kaputt.json", "2026-11-19T08:00:00Z"),
            ("2022/bsi-2022-0001.json", "2022-03-01T08:00:00Z"),
        ],
    );
    put_document(
        files,
        &format!("{WELL_KNOWN}/redhat/rhsa-2023_1441.json"),
        &rhsa,
        false,
    );
    put(
        files,
        &format!("{WELL_KNOWN}/redhat/manipuliert.json"),
        NOTICE.to_vec(),
    );
    put(
        files,
        &format!("{WELL_KNOWN}/redhat/manipuliert.json.sha512"),
        format!("{}  manipuliert.json\n", "0".repeat(128)).into_bytes(),
    );
    let feed = json!({"feed": {"id": "beispiel-white", "title": "Beispiel TLP:WHITE", "entry": [
        {"id": "RHSA-2023:1441", "updated": "2023-03-23T00:00:00Z", "content": {"type": "application/json", "src": format!("{base}{WELL_KNOWN}/redhat/rhsa-2023_1441.json")},
         "link": [{"rel": "self", "href": format!("{base}{WELL_KNOWN}/redhat/rhsa-2023_1441.json")}]},
        {"id": "manipuliert", "updated": "2026-11-01T00:00:00Z", "link": [{"rel": "self", "href": "redhat/manipuliert.json"}]}
    ]}});
    put(
        files,
        &format!("{WELL_KNOWN}/feed-white.json"),
        serde_json::to_vec(&feed).unwrap(),
    );
}

fn runner() -> RunnerConfig {
    let texts: Texts = Arc::new(|lang, key, args| {
        verbund_i18n::Lang::parse(lang)
            .unwrap_or_default()
            .t_args(key, args)
    });
    RunnerConfig {
        owner: "csaf-test".into(),
        smtp: None,
        site: MailSite {
            base_url: "https://verbund.example".into(),
        },
        texts,
        idle: Duration::from_millis(50),
    }
}

async fn register(app: &TestApp, url: &str) -> (StatusCode, Value) {
    let isb = app.token(ISB).await;
    app.api(
        Method::POST,
        "/csaf-providers",
        &isb,
        Some(json!({"metadata_url": url})),
    )
    .await
}

async fn run_now(app: &TestApp, id: i64) -> Value {
    let isb = app.token(ISB).await;
    let (status, run) = app
        .api(
            Method::POST,
            &format!("/csaf-providers/{id}/run"),
            &isb,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{run}");
    run
}

fn counts(run: &Value) -> [i64; 5] {
    ["listed", "fetched", "imported", "unchanged", "failed"].map(|k| run[k].as_i64().unwrap())
}

fn failure<'a>(run: &'a Value, file: &str) -> &'a str {
    run["failures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["url"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("no failure for {file}: {run}"))["error"]
        .as_str()
        .unwrap()
}

async fn provider_walk_imports_new_skips_known_and_reimports_changed_documents(app: TestApp) {
    let n = app.token(NAUHEIM).await;
    product_object(&app, &n, "Nauheim", "FW-1", gateway("7.1.0")).await;
    let (base, files) = provider().await;
    publish(&base, &files);
    let (status, p) = register(&app, &format!("{base}{WELL_KNOWN}/provider-metadata.json")).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let id = p["id"].as_i64().unwrap();

    // First run, by the scheduled job.
    let st = Services::new(app.store.clone(), verbund_app::AuthPolicy::default());
    assert_eq!(
        jobs::run_due(&st, &runner()).await.unwrap(),
        1,
        "the provider job ran"
    );
    let isb = app.token(ISB).await;
    let (status, detail) = app
        .api(Method::GET, &format!("/csaf-providers/{id}"), &isb, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["provider"]["publisher"], "Beispiel Networks PSIRT");
    let first = &detail["runs"][0];
    assert_eq!(counts(first), [5, 5, 3, 0, 2], "{first}");
    assert!(first["error"].is_null(), "{first}");
    let broken = failure(first, "kaputt.json");
    assert!(
        broken.contains("kaputt.json") && broken.contains("/document/tracking"),
        "names document and field: {broken}"
    );
    let tampered = failure(first, "manipuliert.json");
    assert!(
        tampered.contains("SHA-512-Prüfsumme stimmt nicht"),
        "{tampered}"
    );
    let (_, list) = app.api(Method::GET, "/advisories", &isb, None).await;
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["tracking_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"VERBUND-DEMO-2026-0001"), "{ids:?}");
    assert!(
        !ids.contains(&"VERBUND-NOTICE-2026-0003"),
        "neither the broken nor the tampered document is stored: {ids:?}"
    );
    assert_eq!(ids.len(), 3, "{ids:?}");
    let mine = warnings(&app, NAUHEIM).await;
    assert_eq!(
        mine.len(),
        1,
        "the imported advisory warns Nauheim: {mine:?}"
    );
    let (_, outbox) = app.api(Method::GET, "/outbox", &isb, None).await;
    assert!(
        outbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "advisory"),
        "the coordinator is mailed: {outbox}"
    );

    // Second run: nothing new is downloaded (the two failures are tried again).
    let demo_path = format!("{WELL_KNOWN}/white/2026/verbund-demo-2026-0001.json");
    let bsi_path = format!("{WELL_KNOWN}/white/2022/bsi-2022-0001.json");
    let before = (hits(&files, &demo_path), hits(&files, &bsi_path));
    let second = run_now(&app, id).await;
    assert_eq!(counts(&second), [5, 2, 0, 3, 2], "{second}");
    assert_eq!(
        (hits(&files, &demo_path), hits(&files, &bsi_path)),
        before,
        "known documents are not requested again"
    );

    // A new revision of the demo advisory: listed with a new timestamp, imported again.
    let rev = revision_two();
    put_document(&files, &demo_path, &rev, false);
    // The BSI example's timestamp changes but not its content: one conditional request, 304.
    changes_csv(
        &files,
        &[
            ("2026/verbund-demo-2026-0001.json", "2026-11-25T08:00:00Z"),
            ("2026/kaputt.json", "2026-11-19T08:00:00Z"),
            ("2022/bsi-2022-0001.json", "2026-11-25T09:00:00Z"),
        ],
    );
    let third = run_now(&app, id).await;
    assert_eq!(counts(&third), [5, 3, 1, 2, 2], "{third}");
    assert_eq!(
        hits(&files, &bsi_path),
        before.1 + 1,
        "one conditional request"
    );
    let w = &warnings(&app, NAUHEIM).await[0];
    assert_eq!(w["state"], "closed", "revision 2 says fixed: {w}");
    let (_, list) = app.api(Method::GET, "/advisories", &isb, None).await;
    let demo = list
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["tracking_id"] == "VERBUND-DEMO-2026-0001")
        .unwrap();
    assert_eq!(demo["version"], "2", "{demo}");

    // All runs are kept, newest first.
    let (_, detail) = app
        .api(Method::GET, &format!("/csaf-providers/{id}"), &isb, None)
        .await;
    assert_eq!(detail["runs"].as_array().unwrap().len(), 3);
    assert_eq!(counts(&detail["runs"][0]), counts(&third));
}

async fn a_hash_file_missing_refuses_the_document(app: TestApp) {
    let (base, files) = provider().await;
    publish(&base, &files);
    files.lock().unwrap().files.remove(&format!(
        "{WELL_KNOWN}/white/2026/verbund-demo-2026-0001.json.sha512"
    ));
    let (_, p) = register(&app, &format!("{base}{WELL_KNOWN}/provider-metadata.json")).await;
    let run = run_now(&app, p["id"].as_i64().unwrap()).await;
    let e = failure(&run, "verbund-demo-2026-0001.json");
    assert!(e.contains("weder .sha512 noch .sha256"), "{e}");
    let isb = app.token(ISB).await;
    let (_, list) = app.api(Method::GET, "/advisories", &isb, None).await;
    assert!(
        !list.to_string().contains("VERBUND-DEMO-2026-0001"),
        "nothing stored without a hash"
    );
}

async fn an_unreachable_provider_is_a_recorded_run_error(app: TestApp) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    let (status, p) = register(&app, &format!("http://{addr}/provider-metadata.json")).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let run = run_now(&app, p["id"].as_i64().unwrap()).await;
    assert!(
        run["error"].as_str().unwrap().contains(&addr.to_string()),
        "{run}"
    );
    assert_eq!(counts(&run), [0, 0, 0, 0, 0]);
    let isb = app.token(ISB).await;
    let (_, list) = app.api(Method::GET, "/csaf-providers", &isb, None).await;
    assert_eq!(list[0]["last_run"]["error"], run["error"], "{list}");
}

async fn a_bad_url_is_refused_and_nothing_stored(app: TestApp) {
    for bad in [
        "",
        "ftp://x.example/provider-metadata.json",
        "https:///x",
        "https://a b/p.json",
    ] {
        let (status, e) = register(&app, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {e}");
        assert_eq!(e["error"]["code"], "error-csaf-provider-url");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("provider-metadata.json"),
            "{e}"
        );
    }
    let isb = app.token(ISB).await;
    let (_, list) = app.api(Method::GET, "/csaf-providers", &isb, None).await;
    assert_eq!(list, json!([]));
    // The same URL twice is one provider (200 the second time).
    let url = "https://beispiel.example/.well-known/csaf/provider-metadata.json";
    assert_eq!(register(&app, url).await.0, StatusCode::CREATED);
    let (status, again) = register(&app, url).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let (_, list) = app.api(Method::GET, "/csaf-providers", &isb, None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
}

async fn members_see_no_providers(app: TestApp) {
    let (_, p) = register(&app, "https://beispiel.example/provider-metadata.json").await;
    let id = p["id"].as_i64().unwrap();
    let n = app.token(NAUHEIM).await;
    for (m, path) in [
        (Method::GET, "/csaf-providers".to_owned()),
        (Method::GET, format!("/csaf-providers/{id}")),
        (Method::POST, format!("/csaf-providers/{id}/run")),
        (Method::DELETE, format!("/csaf-providers/{id}")),
    ] {
        let (status, _) = app.api(m.clone(), &path, &n, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{m} {path}");
    }
    let (status, _) = register_as(&app, &n, "https://x.example/p.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn register_as(app: &TestApp, token: &str, url: &str) -> (StatusCode, Value) {
    app.api(
        Method::POST,
        "/csaf-providers",
        token,
        Some(json!({"metadata_url": url})),
    )
    .await
}

async fn ui_registers_runs_and_removes_a_provider_with_csrf(app: TestApp) {
    let (base, files) = provider().await;
    publish(&base, &files);
    let url = format!("{base}{WELL_KNOWN}/provider-metadata.json");
    let mut office = app.login(ISB).await;
    let (status, page) = office
        .post_form(
            &app,
            "/advisories/providers",
            &[("metadata_url", "ftp://nein")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("https://"), "the reason is shown: {page}");
    let (status, to) = office
        .post_form(&app, "/advisories/providers", &[("metadata_url", &url)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{to}");
    let isb = app.token(ISB).await;
    let (_, list) = app.api(Method::GET, "/csaf-providers", &isb, None).await;
    let id = list[0]["id"].as_i64().unwrap();
    let (status, _) = office
        .post_form(&app, &format!("/advisories/providers/{id}/run"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = office
        .get(&app, &format!("/advisories/providers/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Beispiel Networks PSIRT"), "{page}");
    assert!(
        page.contains("SHA-512-Prüfsumme stimmt nicht"),
        "failures shown: {page}"
    );
    let (status, page) = office.get(&app, "/advisories/providers").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&url));
    // Without the CSRF token nothing happens.
    let (status, _) = office
        .post_raw(
            &app,
            &format!("/advisories/providers/{id}/delete"),
            &[],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = office
        .post_form(&app, &format!("/advisories/providers/{id}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, list) = app.api(Method::GET, "/csaf-providers", &isb, None).await;
    assert_eq!(list, json!([]));
}

both!(
    provider_walk_imports_new_skips_known_and_reimports_changed_documents,
    a_hash_file_missing_refuses_the_document,
    an_unreachable_provider_is_a_recorded_run_error,
    a_bad_url_is_refused_and_nothing_stored,
    members_see_no_providers,
    ui_registers_runs_and_removes_a_provider_with_csrf,
);
