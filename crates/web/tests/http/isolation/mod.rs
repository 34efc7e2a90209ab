//! The tenant-isolation matrix: for every registered route, every member role of Nauheim gets
//! 404 for Raunheim's objects and the office's data (403 only for an own object without the
//! right, see below), lists show no other member at all, and — as the positive control — the
//! very same request succeeds for Raunheim's coordinator or the office roles. Requests are
//! built from the route table's templates; a route without an entry, or an entry without a
//! route, fails the test.

mod fixture;
mod lists;
mod matrix;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{Browser, DEMO_PASSWORD, TestApp};
use fixture::{Ids, TARGET_COORDINATOR};
use matrix::{By, Entry, Kind, Matrix, Obj, Success};

/// Nauheim's member roles: the actors that must see nothing of Raunheim.
const MEMBER_ROLES: [&str; 3] = [
    "koordination@nauheim.example",
    "leitung@nauheim.example",
    "massnahmen@nauheim.example",
];

/// The actors of the positive controls, each on a fresh database (controls change data).
const CONTROL_ACTORS: [(&str, By); 3] = [
    (TARGET_COORDINATOR, By::Owner),
    ("isb@verbund.example", By::Office),
    ("admin@verbund.example", By::Office),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Surface {
    Ui,
    Api,
}

/// A logged-in browser or an API token.
enum Client {
    Ui(Browser),
    Api(String),
}

impl Client {
    async fn new(app: &TestApp, surface: Surface, email: &str) -> Self {
        match surface {
            Surface::Ui => Self::Ui(app.login(email).await),
            Surface::Api => Self::Api(app.token(email).await),
        }
    }

    /// Sends the request; the status and the body (a redirect's target for UI posts).
    async fn send(
        &mut self,
        app: &TestApp,
        method: &str,
        path: &str,
        body: &Value,
    ) -> (StatusCode, String) {
        match self {
            Self::Ui(b) if method == "GET" => b.get(app, path).await,
            Self::Ui(b) => {
                assert_eq!(method, "POST", "the UI only has GET and POST");
                let pairs = form_pairs(body);
                let refs: Vec<(&str, &str)> = pairs
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                b.post_form(app, path, &refs).await
            }
            Self::Api(token) => {
                let mut req = Request::builder()
                    .method(Method::from_bytes(method.as_bytes()).unwrap())
                    .uri(format!("/api/v1{path}"))
                    .header(header::AUTHORIZATION, format!("Bearer {token}"));
                let body = if body.is_null() {
                    Body::empty()
                } else {
                    req = req.header(header::CONTENT_TYPE, "application/json");
                    Body::from(body.to_string())
                };
                let (status, _, text) = app.request(req.body(body).unwrap()).await;
                (status, text)
            }
        }
    }
}

fn form_pairs(v: &Value) -> Vec<(String, String)> {
    let Some(m) = v.as_object() else {
        return Vec::new();
    };
    m.iter()
        .map(|(k, v)| {
            let v = v
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| v.to_string());
            (k.clone(), v)
        })
        .collect()
}

/// The concrete path: the route's own template with the entry's object and query.
fn path_of(template: &str, e: &Entry, ids: &Ids) -> String {
    let mut path = template.to_owned();
    if let Some(id) = ids.of(e.obj) {
        path = path.replace("{id}", &id.to_string());
    }
    if matches!(e.obj, Obj::Static) {
        path = path.replace("{file}", "app.css");
    }
    if matches!(e.obj, Obj::ResetToken) {
        path = path.replace("{token}", "unbekannt");
    }
    assert!(
        !path.contains('{'),
        "{template}: the entry names no object for {path}"
    );
    path + &e.query
}

/// The entry's body with `"$own"` (the organisation the actor acts for) and `"$email"` filled in.
fn body_of(v: &Value, own: i64, email: &str) -> Value {
    match v {
        Value::String(s) if s == "$own" => json!(own),
        Value::String(s) if s == "$email" => json!(email),
        Value::Object(m) => m
            .iter()
            .map(|(k, x)| (k.clone(), body_of(x, own, email)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
        other => other.clone(),
    }
}

/// The route table of a surface and its matrix; fails on routes without an entry and on
/// entries without a route (stale after a rename or removal).
fn routes_and_matrix(surface: Surface, ids: &Ids) -> (Vec<verbund_web::RouteInfo>, Matrix) {
    let (ui, api) = verbund_web::route_table();
    let (routes, matrix, name) = match surface {
        Surface::Ui => (ui, matrix::ui(ids), "UI"),
        Surface::Api => (api, matrix::api(ids), "API"),
    };
    for r in &routes {
        assert!(
            matrix.contains_key(&(r.method, r.path)),
            "{name} route {} {} is missing from the isolation matrix",
            r.method,
            r.path
        );
    }
    for (method, path) in matrix.keys() {
        assert!(
            routes
                .iter()
                .any(|r| r.method == *method && r.path == *path),
            "the isolation matrix has a stale {name} entry {method} {path}: no such route"
        );
    }
    (routes, matrix)
}

/// Every member role of Nauheim against every route: 404 for Raunheim's and the office's data,
/// lists without any other member; Raunheim's and the office's data unchanged afterwards.
async fn member_roles_reach_no_other_members_data(app: &TestApp, surface: Surface) -> usize {
    let ids = fixture::setup(app).await;
    let (routes, matrix) = routes_and_matrix(surface, &ids);
    let foreigners = lists::Foreigners::of(app, "Nauheim").await;
    let mut requests = 0;
    for email in MEMBER_ROLES {
        let mut client = Client::new(app, surface, email).await;
        for r in &routes {
            let e = &matrix[&(r.method, r.path)];
            if e.kind == Kind::NotTenantData {
                continue;
            }
            let path = path_of(r.path, e, &ids);
            let body = body_of(&e.body, ids.own, email);
            let (status, resp) = client.send(app, r.method, &path, &body).await;
            requests += 1;
            let what = format!("{email} {} {path}", r.method);
            let expected = match e.kind {
                Kind::List => StatusCode::OK,
                // The measure owner reads no statement, but the (empty) list of them.
                Kind::OwnPart if email.starts_with("massnahmen") && ids.of(e.obj).is_some() => {
                    StatusCode::NOT_FOUND
                }
                Kind::OwnPart => StatusCode::OK,
                _ => StatusCode::NOT_FOUND,
            };
            assert_eq!(status, expected, "{what}: {resp:.300}");
            if status == StatusCode::OK {
                foreigners.assert_absent(&resp, &what);
            } else if surface == Surface::Api {
                let v: Value = serde_json::from_str(&resp).unwrap_or(Value::Null);
                assert_eq!(v["error"]["code"], "error-not-found", "{what}: {resp}");
            }
        }
        let audit = format!("/audit?org={}", ids.target);
        let (status, _) = client.send(app, "GET", &audit, &Value::Null).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{email} audit of another member"
        );
        requests += 1;
    }
    fixture::assert_nothing_changed(app, &ids).await;
    requests
}

/// The positive control: the same requests by Raunheim's coordinator, the office ISB and the
/// federation admin succeed, so every 404 above came from a handler, not the router fallback,
/// and the office roles reach every member's objects.
async fn owner_and_office_succeed_with_the_same_requests(app: TestApp, surface: Surface) -> usize {
    let mut requests = 0;
    let mut failures: Vec<String> = Vec::new();
    let backend = app.backend;
    let mut first = Some(app);
    for (email, role) in CONTROL_ACTORS {
        let app = match first.take() {
            Some(a) => a,
            None => TestApp::new(backend).await,
        };
        let ids = fixture::setup(&app).await;
        let (routes, matrix) = routes_and_matrix(surface, &ids);
        let mut client = Client::new(&app, surface, email).await;
        for r in &routes {
            let e = &matrix[&(r.method, r.path)];
            let applies = match e.by {
                By::Everyone => true,
                By::Office => role == By::Office,
                By::Owner => role == By::Owner,
                By::Admin => email.starts_with("admin@"),
            };
            if !applies {
                continue;
            }
            let path = path_of(r.path, e, &ids);
            // The actor acts for the target member.
            let body = body_of(&e.body, ids.target, email);
            let (status, resp) = client.send(&app, r.method, &path, &body).await;
            requests += 1;
            let ok = match e.success {
                Success::Ok => status.is_success() || status.is_redirection(),
                Success::Status(s) => status.as_u16() == s,
                Success::OkOrConflict => {
                    status.is_success() || status.is_redirection() || status == StatusCode::CONFLICT
                }
            };
            if !ok {
                failures.push(format!("{email} {} {path}: {status} {resp:.200}", r.method));
            }
            if e.ends_session {
                client = Client::new(&app, surface, email).await;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "controls failed:\n{}",
        failures.join("\n")
    );
    requests
}

async fn no_ui_route_shows_or_changes_another_members_data(app: TestApp) {
    let n = member_roles_reach_no_other_members_data(&app, Surface::Ui).await;
    eprintln!("UI isolation: {n} member requests");
}

async fn no_api_route_shows_or_changes_another_members_data(app: TestApp) {
    let n = member_roles_reach_no_other_members_data(&app, Surface::Api).await;
    eprintln!("API isolation: {n} member requests");
}

async fn every_ui_request_refused_to_a_member_succeeds_for_the_owner_or_the_office(app: TestApp) {
    let n = owner_and_office_succeed_with_the_same_requests(app, Surface::Ui).await;
    eprintln!("UI controls: {n} requests");
}

async fn every_api_request_refused_to_a_member_succeeds_for_the_owner_or_the_office(app: TestApp) {
    let n = owner_and_office_succeed_with_the_same_requests(app, Surface::Api).await;
    eprintln!("API controls: {n} requests");
}

async fn own_object_without_the_right_is_forbidden_not_hidden(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let token = app.token("leitung@nauheim.example").await;
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/organisations/{nauheim}"),
            &token,
            Some(json!({"name": "Nauheim", "kind": "gemeinde"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut b = app.login("leitung@nauheim.example").await;
    assert_eq!(
        b.get(&app, &format!("/orgs/{nauheim}/edit")).await.0,
        StatusCode::FORBIDDEN
    );
    let owner = app.token("massnahmen@nauheim.example").await;
    let coord = app.user_id("koordination@nauheim.example").await;
    assert_eq!(
        app.api(Method::GET, &format!("/users/{coord}"), &owner, None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

async fn office_sees_every_member(app: TestApp) {
    let token = app.token("isb@verbund.example").await;
    let raunheim = app.org_id("Raunheim").await;
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/organisations/{raunheim}"),
            &token,
            None
        )
        .await
        .0,
        StatusCode::OK
    );
    let (_, list) = app
        .api(Method::GET, "/organisations?per_page=100", &token, None)
        .await;
    assert_eq!(list["total"], 14);
    let (_, users) = app
        .api(Method::GET, "/users?per_page=200", &token, None)
        .await;
    assert_eq!(users["total"], 28);
}

/// The list check is shown to work: the office's own lists name every member, and the check
/// finds each of them (by name, e-mail domain and id) in the UI page and the JSON list alike.
async fn the_list_check_finds_every_other_member_in_the_offices_lists(app: TestApp) {
    let foreigners = lists::Foreigners::of(&app, "Nauheim").await;
    let isb = app.token("isb@verbund.example").await;
    let mut tab = app.login("isb@verbund.example").await;
    let (_, orgs_json) = app
        .api(Method::GET, "/organisations?per_page=100", &isb, None)
        .await;
    let (_, users_json) = app
        .api(Method::GET, "/users?per_page=200", &isb, None)
        .await;
    let (_, orgs_page) = tab.get(&app, "/orgs?per_page=100").await;
    let (_, users_page) = tab.get(&app, "/users?per_page=200").await;
    for (what, body) in [
        ("organisations JSON", orgs_json.to_string()),
        ("users JSON", users_json.to_string()),
        ("organisations page", orgs_page),
        ("users page", users_page),
    ] {
        let found = foreigners.found(&body).join("\n");
        for name in foreigners.names() {
            // Organisation lists carry names; user lists e-mail addresses (the Kreis's users'
            // display names do not spell the Kreis's full name).
            let (needle, which) = if what.starts_with("organisations") {
                (format!("names {name}"), "name")
            } else {
                (format!("shows a user of {name} "), "user")
            };
            assert!(
                found.contains(&needle),
                "{what}: {which} of {name} not found"
            );
        }
        let by_id = if what.ends_with("JSON") {
            "carries id"
        } else {
            "links /"
        };
        assert!(found.contains(by_id), "{what}: no id found");
    }
}

both!(
    the_list_check_finds_every_other_member_in_the_offices_lists,
    no_ui_route_shows_or_changes_another_members_data,
    no_api_route_shows_or_changes_another_members_data,
    every_ui_request_refused_to_a_member_succeeds_for_the_owner_or_the_office,
    every_api_request_refused_to_a_member_succeeds_for_the_owner_or_the_office,
    own_object_without_the_right_is_forbidden_not_hidden,
    office_sees_every_member,
);
