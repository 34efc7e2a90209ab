//! `TestApp`: a fresh database (SQLite file or PostgreSQL schema) with the demo federation,
//! and helpers to log in, post forms with CSRF tokens and call the API with a token.

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use rand::RngExt;
use serde_json::Value;
use tower::ServiceExt;
use verbund_domain::authz::{Scope, SystemAccess};
use verbund_domain::page::PageRequest;
use verbund_store::Store;
use verbund_web::{AppState, WebConfig};

pub use verbund_app::demo::DEMO_PASSWORD;

/// Tests read and write across members.
pub const TEST_ACCESS: SystemAccess = SystemAccess { reason: "test" };

/// Runs a test function once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::TestApp::new($crate::helpers::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::helpers::TestApp::new($crate::helpers::Backend::Postgres).await).await
            }
        }
    )*};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    /// Which database this test runs on.
    #[allow(dead_code)]
    pub backend: Backend,
    sqlite_path: Option<std::path::PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(p) = &self.sqlite_path {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
            }
        }
    }
}

/// PostgreSQL for tests; `.ci/run` creates this database fresh for every run.
pub fn pg_url() -> String {
    std::env::var("VERBUND_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/verbund_test".into())
}

fn random_name() -> String {
    let n: u64 = rand::rng().random();
    format!("t{n:016x}")
}

impl TestApp {
    pub async fn new(backend: Backend) -> Self {
        Self::with_config(
            backend,
            WebConfig {
                base_url: "http://localhost".into(),
                ..WebConfig::default()
            },
        )
        .await
    }

    pub async fn with_config(backend: Backend, config: WebConfig) -> Self {
        let (store, sqlite_path) = match backend {
            Backend::Sqlite => {
                let p = std::env::temp_dir().join(format!("verbund-{}.db", random_name()));
                (
                    Store::connect(p.to_str().expect("temp path is UTF-8"))
                        .await
                        .expect("sqlite opens"),
                    Some(p),
                )
            }
            Backend::Postgres => {
                let store = Store::connect_in_schema(&pg_url(), Some(&random_name()))
                    .await
                    .unwrap_or_else(|e| panic!("{}", crate::pg::unreachable(&pg_url(), &e)));
                (store, None)
            }
        };
        store.migrate(false).await.expect("migrations run");
        verbund_app::demo::seed_federation(&store)
            .await
            .expect("demo seed");
        let router = verbund_web::app(AppState::new(store.clone(), config));
        Self {
            router,
            store,
            backend,
            sqlite_path,
        }
    }

    /// Two app instances, each with its own `Store` and connection pool, on one fresh
    /// PostgreSQL schema: what two servers behind a load balancer share.
    pub async fn postgres_pair() -> (Self, Self) {
        let schema = random_name();
        let connect = || async {
            Store::connect_in_schema(&pg_url(), Some(&schema))
                .await
                .unwrap_or_else(|e| {
                    panic!("PostgreSQL test database unreachable at {} ({e})", pg_url())
                })
        };
        let a = connect().await;
        a.migrate(false).await.expect("migrations run");
        verbund_app::demo::seed_federation(&a)
            .await
            .expect("demo seed");
        let b = connect().await;
        let app = |store: Store| {
            let config = WebConfig {
                base_url: "http://localhost".into(),
                ..WebConfig::default()
            };
            Self {
                router: verbund_web::app(AppState::new(store.clone(), config)),
                store,
                backend: Backend::Postgres,
                sqlite_path: None,
            }
        };
        (app(a), app(b))
    }

    /// ID of an organisation by exact name.
    pub async fn org_id(&self, name: &str) -> i64 {
        let page = self
            .store
            .list_orgs(
                &Scope::system(&TEST_ACCESS),
                Some(name),
                PageRequest::new(Some(1), Some(50)),
            )
            .await
            .expect("list orgs");
        page.items
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("no org {name}"))
            .id
            .0
    }

    /// ID of a user by e-mail.
    pub async fn user_id(&self, email: &str) -> i64 {
        self.store
            .login_user(email)
            .await
            .expect("lookup")
            .unwrap_or_else(|| panic!("no user {email}"))
            .id
            .0
    }

    pub async fn request(&self, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
        let (status, headers, bytes) = self.request_bytes(req).await;
        (
            status,
            headers,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }

    pub async fn request_bytes(&self, req: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router answers");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        (status, headers, bytes.to_vec())
    }

    /// A POST of raw bytes (a file) to the API; the answer as JSON.
    pub async fn api_upload(&self, path: &str, token: &str, body: Vec<u8>) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/octet-stream");
        let (status, _, text) = self
            .request(req.body(Body::from(body)).expect("request"))
            .await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A GET on the API returning a file: status, content type and bytes.
    pub async fn api_file(&self, path: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
        let req = Request::builder()
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let (status, headers, bytes) = self
            .request_bytes(req.body(Body::empty()).expect("request"))
            .await;
        let ct = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (status, ct, bytes)
    }

    /// Logs in through the form; panics if it fails.
    pub async fn login(&self, email: &str) -> Browser {
        let mut b = self.browser().await;
        let (status, _) = b
            .post_form(
                self,
                "/login",
                &[("email", email), ("password", DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login of {email} failed");
        b.refresh_csrf(self).await;
        b
    }

    /// An anonymous browser that has loaded the login page (so it holds a CSRF cookie).
    pub async fn browser(&self) -> Browser {
        let mut b = Browser::default();
        b.refresh_csrf(self).await;
        b
    }

    /// An API token for the user, created through the service layer.
    pub async fn token(&self, email: &str) -> String {
        let st = AppState::new(self.store.clone(), WebConfig::default());
        let uid = verbund_domain::UserId(self.user_id(email).await);
        let (secret, _) = verbund_app::tokens::create_token(
            &st,
            &verbund_store::AuditActor::system(),
            uid,
            "test",
            None,
        )
        .await
        .expect("token");
        secret
    }

    /// Calls the JSON API.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let (status, _, text) = self.request(req.body(body).expect("request")).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Calls the JSON API with a JSON body and `If-Match: "<version>"`.
    pub async fn api_if_match(
        &self,
        method: Method,
        path: &str,
        token: &str,
        version: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let req = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::IF_MATCH, format!("\"{version}\""));
        let body = body.map_or_else(Body::empty, |v| Body::from(v.to_string()));
        let (status, _, text) = self.request(req.body(body).expect("request")).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// A cookie jar plus the current CSRF token, like a browser tab.
#[derive(Default, Clone)]
pub struct Browser {
    pub cookies: HashMap<String, String>,
    pub csrf: String,
    /// The client address the server sees (the socket peer); 127.0.0.1 when unset.
    pub peer: Option<std::net::SocketAddr>,
}

impl Browser {
    /// A browser at `ip` that has loaded the login page.
    pub async fn at(app: &TestApp, ip: &str) -> Self {
        let mut b = Self {
            peer: Some(std::net::SocketAddr::new(
                ip.parse().expect("an IP address"),
                50_000,
            )),
            ..Self::default()
        };
        b.refresh_csrf(app).await;
        b
    }

    /// Sends the request as this browser's peer address.
    async fn send(
        &mut self,
        app: &TestApp,
        mut req: Request<Body>,
    ) -> (StatusCode, HeaderMap, String) {
        if let Some(peer) = self.peer {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
        }
        let (status, headers, body) = app.request(req).await;
        self.store_cookies(&headers);
        (status, headers, body)
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn store_cookies(&mut self, headers: &HeaderMap) {
        for v in headers.get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap_or_default();
            let pair = s.split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || s.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned());
                }
            }
        }
    }

    /// Reads the CSRF token from a page's hidden field.
    pub async fn refresh_csrf(&mut self, app: &TestApp) {
        let (_, body) = self.get(app, "/login").await;
        let (_, home) = self.get(app, "/").await;
        let page = if home.contains("name=\"_csrf\"") {
            home
        } else {
            body
        };
        if let Some(i) = page.find("name=\"_csrf\" value=\"") {
            let rest = &page[i + 20..];
            self.csrf = rest[..rest.find('"').unwrap_or(0)].to_owned();
        }
    }

    pub async fn get(&mut self, app: &TestApp, path: &str) -> (StatusCode, String) {
        let req = Request::builder()
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .expect("request");
        let (status, _, body) = self.send(app, req).await;
        (status, body)
    }

    /// A download (PDF, XLSX) with the session: status, headers and the raw bytes.
    pub async fn get_bytes(
        &mut self,
        app: &TestApp,
        path: &str,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let req = Request::builder()
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .expect("request");
        app.request_bytes(req).await
    }

    /// Posts a form with the CSRF token and a same-origin `Origin`.
    pub async fn post_form(
        &mut self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let csrf = self.csrf.clone();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(app, path, &all, Some("http://localhost"))
            .await
    }

    /// Uploads a file as `multipart/form-data` (field `file`, plus text fields), the CSRF
    /// token in the query string as the upload forms do; `hx` adds the htmx header.
    pub async fn post_file(
        &mut self,
        app: &TestApp,
        path: &str,
        file_name: &str,
        content: &[u8],
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let boundary = "----verbund-test-boundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let sep = if path.contains('?') { '&' } else { '?' };
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("{path}{sep}_csrf={}", self.csrf))
            .header(header::COOKIE, self.cookie_header())
            .header(header::ORIGIN, "http://localhost")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        let (status, _, body) = self.send(app, req).await;
        (status, body)
    }

    /// Posts a form as htmx does (header `HX-Request`, token in `X-CSRF-Token`).
    pub async fn post_htmx(
        &mut self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::ORIGIN, "http://localhost")
            .header("hx-request", "true")
            .header("x-csrf-token", self.csrf.clone())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        let (status, _, body) = self.send(app, req).await;
        (status, body)
    }

    /// Posts exactly these fields (no automatic CSRF token).
    pub async fn post_raw(
        &mut self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
        origin: Option<&str>,
    ) -> (StatusCode, String) {
        let headers: &[(&str, &str)] = match &origin {
            Some(o) => &[("origin", o)],
            None => &[],
        };
        let (status, _, body) = self.post_with_headers(app, path, fields, headers).await;
        (status, body)
    }

    /// Posts exactly these fields with exactly these extra headers; the status, the response
    /// headers and the body (a redirect's target for redirects).
    pub async fn post_with_headers(
        &mut self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> (StatusCode, HeaderMap, String) {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter())
            .finish();
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let (status, headers, text) = self
            .send(app, req.body(Body::from(body)).expect("request"))
            .await;
        let loc = headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (
            status,
            headers,
            if status.is_redirection() { loc } else { text },
        )
    }

    /// Submits the login form (with CSRF token and Origin): status, headers, body or target.
    pub async fn try_login(
        &mut self,
        app: &TestApp,
        email: &str,
        password: &str,
    ) -> (StatusCode, HeaderMap, String) {
        let csrf = self.csrf.clone();
        self.post_with_headers(
            app,
            "/login",
            &[("_csrf", &csrf), ("email", email), ("password", password)],
            &[("origin", "http://localhost")],
        )
        .await
    }
}

/// A PDF's text as `pdftotext -raw` reads it, with runs of whitespace as one space.
pub fn pdftotext(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!(
        "verbund-pdftotext-{}-{}",
        std::process::id(),
        std::thread::current()
            .name()
            .unwrap_or("t")
            .replace("::", "-")
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("report.pdf");
    std::fs::write(&path, pdf).expect("written");
    // `-raw`: in content-stream order, so a table cell's lines stay together.
    let out = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed");
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
