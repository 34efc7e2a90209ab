//! The tenant-isolation matrix: for every route and every member role, another member's objects
//! are neither readable nor writable (404). Every registered route must have an entry here, so a
//! new route without an isolation check fails this test.

use std::collections::HashMap;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use verbund_domain::OrgId;
use verbund_domain::authz::{Scope, SystemAccess};

use crate::both;
use crate::helpers::TestApp;

/// Tests read and write across members.
const TEST_ACCESS: SystemAccess = SystemAccess { reason: "test" };

#[derive(Clone, Copy, Debug)]
enum Obj {
    Org,
    Membership,
    User,
    Grant,
    Token,
}

#[derive(Clone, Debug)]
enum Spec {
    /// No member data involved (assets, login, language, logout, own profile).
    NotTenantData,
    /// A list: must not show the other member.
    List,
    /// `{id}` replaced by another member's object: must answer 404. The body is valid, so the
    /// object is the only reason to refuse.
    Foreign(Obj, Value),
    /// A request naming another member in its body or query: must answer 404.
    ForeignInBody(Value),
    /// Office-level data (costs): a member gets 404 at this concrete path, whatever the body.
    OfficeOnly(String, Value),
    /// Readable by members, but only their own part: 200 without another member's name.
    OwnPartOnly(String),
    /// A document of the member's statement asked for another member (`?member=`): 404.
    ForeignMember(String),
    /// Another member's object at this concrete path (with query), whatever the body: 404.
    ForeignAt(String, Value),
}

struct CostIds {
    line: i64,
    subsidy: i64,
    key: i64,
    statement: i64,
    /// Raunheim's assessment objects.
    catalog: i64,
    assessment: i64,
    answer: i64,
    evidence: i64,
    snapshot: i64,
}

/// Assessments for every member; Raunheim answers, attaches evidence and takes a snapshot.
async fn assessment_setup(app: &TestApp) -> (i64, i64, i64, i64, i64) {
    let isb = app.token("isb@verbund.example").await;
    let catalog = crate::assessments::start_all(app, &isb).await;
    let other = app.token("koordination@raunheim.example").await;
    let assessment = crate::assessments::own_assessment(app, &other).await;
    let answer = crate::assessments::all_answers(app, &other, assessment).await[0]["id"]
        .as_i64()
        .unwrap();
    let (status, _) = app
        .api(
            Method::PUT,
            &format!("/answers/{answer}"),
            &other,
            Some(json!({"status": "partial", "owner": "Raunheim IT"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, e) = app
        .api_upload(
            &format!("/answers/{answer}/evidence?file_name=nachweis.pdf"),
            &other,
            b"%PDF-1.4 Raunheim".to_vec(),
        )
        .await;
    let (_, snap) = app
        .api(
            Method::POST,
            &format!("/assessments/{assessment}/snapshots"),
            &other,
            Some(json!({"name": "Raunheim Q1"})),
        )
        .await;
    (
        catalog,
        assessment,
        answer,
        e["id"].as_i64().unwrap(),
        snap["id"].as_i64().unwrap(),
    )
}

/// The office's cost data: a budget, a subsidy, a key and an issued statement.
async fn cost_setup(app: &TestApp) -> CostIds {
    let isb = app.token("isb@verbund.example").await;
    let key = crate::costs::setup_2026(app, &isb).await;
    let (_, b) = app
        .api(Method::GET, "/costs/budget?year=2026", &isb, None)
        .await;
    let (_, s) = app.api(Method::POST, "/costs/subsidies", &isb, Some(json!({"name": "Landesförderung", "total_cents": 1_500_000, "first_year": 2026, "last_year": 2030}))).await;
    let (_, st) = app
        .api(
            Method::POST,
            "/costs/statements",
            &isb,
            Some(json!({"year": 2026, "key_id": key})),
        )
        .await;
    let (catalog, assessment, answer, evidence, snapshot) = assessment_setup(app).await;
    CostIds {
        catalog,
        assessment,
        answer,
        evidence,
        snapshot,
        line: b["lines"][0]["id"].as_i64().unwrap(),
        subsidy: s["id"].as_i64().unwrap(),
        key,
        statement: st["id"].as_i64().unwrap(),
    }
}

struct Foreign {
    org: i64,
    membership: i64,
    user: i64,
    grant: i64,
    token: i64,
}

fn ui_matrix(
    own_org: i64,
    foreign_org: i64,
    c: &CostIds,
) -> HashMap<(&'static str, &'static str), Spec> {
    use Spec::*;
    let line = json!({"year": "2026", "category": "material", "amount": "1,00", "note": "x"});
    let org_form = json!({"name": "Übernommen", "kind": "stadt", "ags": "", "population": "1"});
    let grant_form = json!({"org_id": own_org.to_string(), "role": "measure_owner"});
    HashMap::from([
        (("GET", "/static/{file}"), NotTenantData),
        (("POST", "/lang"), NotTenantData),
        (("GET", "/login"), NotTenantData),
        (("POST", "/login"), NotTenantData),
        (("GET", "/login/mfa"), NotTenantData),
        (("POST", "/login/mfa"), NotTenantData),
        (("POST", "/logout"), NotTenantData),
        (("GET", "/"), List),
        (("GET", "/orgs"), List),
        (("GET", "/orgs/new"), NotTenantData),
        (("POST", "/orgs"), NotTenantData),
        (("GET", "/orgs/{id}"), Foreign(Obj::Org, json!({}))),
        (("GET", "/orgs/{id}/edit"), Foreign(Obj::Org, json!({}))),
        (("POST", "/orgs/{id}"), Foreign(Obj::Org, org_form)),
        (
            ("POST", "/orgs/{id}/memberships"),
            Foreign(Obj::Org, json!({"starts_on": "2026-01-01"})),
        ),
        (
            ("POST", "/memberships/{id}/delete"),
            Foreign(Obj::Membership, json!({})),
        ),
        (("GET", "/users"), List),
        (("GET", "/users/new"), NotTenantData),
        (
            ("POST", "/users"),
            ForeignInBody(
                json!({"email": "neu@x.example", "display_name": "X", "password": "", "org_id": foreign_org.to_string(), "role": "measure_owner"}),
            ),
        ),
        (("GET", "/users/{id}"), Foreign(Obj::User, json!({}))),
        (
            ("POST", "/users/{id}/roles"),
            Foreign(Obj::User, grant_form),
        ),
        (
            ("POST", "/users/{id}/status"),
            Foreign(Obj::User, json!({"disabled": "true"})),
        ),
        (
            ("POST", "/roles/{id}/delete"),
            Foreign(Obj::Grant, json!({})),
        ),
        (("GET", "/audit"), List),
        (("GET", "/profile"), NotTenantData),
        (("POST", "/profile/password"), NotTenantData),
        (("POST", "/profile/language"), NotTenantData),
        (("POST", "/profile/mfa/start"), NotTenantData),
        (("POST", "/profile/mfa/enable"), NotTenantData),
        (("POST", "/profile/mfa/disable"), NotTenantData),
        (("POST", "/profile/tokens"), NotTenantData),
        (
            ("POST", "/profile/tokens/{id}/revoke"),
            Foreign(Obj::Token, json!({})),
        ),
        (("POST", "/profile/sessions/revoke"), NotTenantData),
        (("GET", "/costs"), List),
        (
            ("POST", "/costs/lines"),
            OfficeOnly("/costs/lines".into(), line),
        ),
        (
            ("POST", "/costs/lines/{id}/delete"),
            OfficeOnly(format!("/costs/lines/{}/delete", c.line), json!({})),
        ),
        (
            ("POST", "/costs/copy"),
            OfficeOnly(
                "/costs/copy".into(),
                json!({"from": "2026", "to": "2029", "index": "0"}),
            ),
        ),
        (
            ("POST", "/costs/subsidies"),
            OfficeOnly(
                "/costs/subsidies".into(),
                json!({"year": "2026", "name": "F", "total": "100", "first_year": "2026", "last_year": "2026"}),
            ),
        ),
        (
            ("POST", "/costs/subsidies/{id}/delete"),
            OfficeOnly(format!("/costs/subsidies/{}/delete", c.subsidy), json!({})),
        ),
        (
            ("GET", "/costs/keys/new"),
            OfficeOnly("/costs/keys/new".into(), Value::Null),
        ),
        (
            ("POST", "/costs/keys"),
            OfficeOnly(
                "/costs/keys".into(),
                json!({"name": "G", "preset": "equal"}),
            ),
        ),
        (
            ("GET", "/costs/preview"),
            OfficeOnly(
                format!("/costs/preview?year=2026&key={}", c.key),
                Value::Null,
            ),
        ),
        (
            ("GET", "/costs/compare"),
            OfficeOnly(
                format!("/costs/compare?year=2026&a={0}&b={0}", c.key),
                Value::Null,
            ),
        ),
        (
            ("POST", "/costs/statements"),
            OfficeOnly(
                "/costs/statements".into(),
                json!({"year": "2026", "key": c.key.to_string()}),
            ),
        ),
        (
            ("GET", "/costs/statements/{id}"),
            OwnPartOnly(format!("/costs/statements/{}", c.statement)),
        ),
        (
            ("GET", "/costs/statements/{id}/pdf"),
            ForeignMember(format!(
                "/costs/statements/{}/pdf?member={foreign_org}",
                c.statement
            )),
        ),
        (
            ("GET", "/costs/statements/{id}/xlsx"),
            ForeignMember(format!(
                "/costs/statements/{}/xlsx?member={foreign_org}",
                c.statement
            )),
        ),
        (
            ("GET", "/settings"),
            OfficeOnly("/settings".into(), Value::Null),
        ),
        (
            ("POST", "/settings"),
            OfficeOnly("/settings".into(), json!({"named_comparison": "1"})),
        ),
        (("GET", "/catalogs"), NotTenantData),
        (
            ("POST", "/catalogs"),
            OfficeOnly("/catalogs".into(), json!({"format": "auto"})),
        ),
        (("GET", "/catalogs/{id}"), NotTenantData),
        (
            ("POST", "/catalogs/{id}/start"),
            OfficeOnly(format!("/catalogs/{}/start", c.catalog), json!({})),
        ),
        (("GET", "/assessments"), List),
        (
            ("GET", "/assessments/{id}"),
            ForeignAt(format!("/assessments/{}", c.assessment), Value::Null),
        ),
        (
            ("POST", "/assessments/{id}/bulk"),
            ForeignAt(
                format!("/assessments/{}/bulk", c.assessment),
                json!({"ids": c.answer.to_string(), "status": "yes"}),
            ),
        ),
        (
            ("POST", "/assessments/{id}/snapshots"),
            ForeignAt(
                format!("/assessments/{}/snapshots", c.assessment),
                json!({"name": "x"}),
            ),
        ),
        (
            ("GET", "/assessments/{id}/compare"),
            ForeignAt(
                format!("/assessments/{}/compare?from={}", c.assessment, c.snapshot),
                Value::Null,
            ),
        ),
        (
            ("GET", "/assessments/{id}/export"),
            ForeignAt(
                format!("/assessments/{}/export?format=csv", c.assessment),
                Value::Null,
            ),
        ),
        (
            ("POST", "/assessments/{id}/import"),
            ForeignAt(
                format!("/assessments/{}/import", c.assessment),
                json!({"file": "x"}),
            ),
        ),
        (
            ("GET", "/answers/{id}"),
            ForeignAt(format!("/answers/{}", c.answer), Value::Null),
        ),
        (
            ("POST", "/answers/{id}"),
            ForeignAt(format!("/answers/{}", c.answer), json!({"status": "yes"})),
        ),
        (
            ("POST", "/answers/{id}/evidence"),
            ForeignAt(
                format!("/answers/{}/evidence", c.answer),
                json!({"file": "x"}),
            ),
        ),
        (
            ("GET", "/evidence/{id}"),
            ForeignAt(format!("/evidence/{}", c.evidence), Value::Null),
        ),
        (
            ("POST", "/evidence/{id}/delete"),
            ForeignAt(format!("/evidence/{}/delete", c.evidence), json!({})),
        ),
        (("GET", "/heatmap"), List),
        (
            ("GET", "/assessments/{id}/migration"),
            ForeignAt(
                format!("/assessments/{}/migration?to={}", c.assessment, c.catalog),
                Value::Null,
            ),
        ),
        (
            ("POST", "/assessments/{id}/migrate"),
            ForeignAt(
                format!("/assessments/{}/migrate", c.assessment),
                json!({"catalog_id": c.catalog}),
            ),
        ),
    ])
}

fn api_matrix(
    own_org: i64,
    foreign_org: i64,
    c: &CostIds,
) -> HashMap<(&'static str, &'static str), Spec> {
    use Spec::*;
    let line = json!({"category": "material", "amount_cents": 100});
    let subsidy =
        json!({"name": "Förderung", "total_cents": 100, "first_year": 2026, "last_year": 2026});
    let key = json!({"name": "Gleich", "root": {"kind": "equal"}});
    let org_body = json!({"name": "Übernommen", "kind": "stadt"});
    HashMap::from([
        (("GET", "/me"), NotTenantData),
        (("GET", "/organisations"), List),
        (
            ("POST", "/organisations"),
            ForeignInBody(json!({"name": "Neu", "kind": "gemeinde"})),
        ),
        (
            ("GET", "/organisations/{id}"),
            Foreign(Obj::Org, Value::Null),
        ),
        (("PUT", "/organisations/{id}"), Foreign(Obj::Org, org_body)),
        (
            ("GET", "/organisations/{id}/memberships"),
            Foreign(Obj::Org, Value::Null),
        ),
        (
            ("POST", "/organisations/{id}/memberships"),
            Foreign(Obj::Org, json!({"starts_on": "2026-01-01"})),
        ),
        (
            ("PUT", "/memberships/{id}"),
            Foreign(Obj::Membership, json!({"starts_on": "2026-01-01"})),
        ),
        (
            ("DELETE", "/memberships/{id}"),
            Foreign(Obj::Membership, Value::Null),
        ),
        (("GET", "/users"), List),
        (
            ("POST", "/users"),
            ForeignInBody(
                json!({"email": "neu@x.example", "display_name": "X", "org_id": foreign_org, "role": "measure_owner"}),
            ),
        ),
        (("GET", "/users/{id}"), Foreign(Obj::User, Value::Null)),
        (
            ("PATCH", "/users/{id}"),
            Foreign(Obj::User, json!({"disabled": true})),
        ),
        (
            ("POST", "/users/{id}/roles"),
            Foreign(
                Obj::User,
                json!({"org_id": own_org, "role": "measure_owner"}),
            ),
        ),
        (
            ("DELETE", "/role-assignments/{id}"),
            Foreign(Obj::Grant, Value::Null),
        ),
        (("GET", "/audit"), List),
        (("GET", "/tokens"), NotTenantData),
        (("POST", "/tokens"), NotTenantData),
        (("DELETE", "/tokens/{id}"), Foreign(Obj::Token, Value::Null)),
        (
            ("POST", "/catalogs"),
            OfficeOnly("/catalogs".into(), json!({"not": "a catalog"})),
        ),
        (("GET", "/catalogs"), NotTenantData),
        (("GET", "/catalogs/{id}"), NotTenantData),
        (
            ("GET", "/costs/budget"),
            OfficeOnly("/costs/budget?year=2026".into(), Value::Null),
        ),
        (
            ("POST", "/costs/budget-lines"),
            OfficeOnly("/costs/budget-lines?year=2026".into(), line.clone()),
        ),
        (
            ("PUT", "/costs/budget-lines/{id}"),
            OfficeOnly(format!("/costs/budget-lines/{}", c.line), line),
        ),
        (
            ("DELETE", "/costs/budget-lines/{id}"),
            OfficeOnly(format!("/costs/budget-lines/{}", c.line), Value::Null),
        ),
        (
            ("POST", "/costs/budget/copy"),
            OfficeOnly(
                "/costs/budget/copy".into(),
                json!({"from": 2026, "to": 2028}),
            ),
        ),
        (
            ("GET", "/costs/subsidies"),
            OfficeOnly("/costs/subsidies".into(), Value::Null),
        ),
        (
            ("POST", "/costs/subsidies"),
            OfficeOnly("/costs/subsidies".into(), subsidy.clone()),
        ),
        (
            ("PUT", "/costs/subsidies/{id}"),
            OfficeOnly(format!("/costs/subsidies/{}", c.subsidy), subsidy),
        ),
        (
            ("DELETE", "/costs/subsidies/{id}"),
            OfficeOnly(format!("/costs/subsidies/{}", c.subsidy), Value::Null),
        ),
        (
            ("GET", "/costs/keys"),
            OfficeOnly("/costs/keys".into(), Value::Null),
        ),
        (
            ("POST", "/costs/keys"),
            OfficeOnly("/costs/keys".into(), key.clone()),
        ),
        (
            ("GET", "/costs/keys/{id}"),
            OfficeOnly(format!("/costs/keys/{}", c.key), Value::Null),
        ),
        (
            ("PUT", "/costs/keys/{id}"),
            OfficeOnly(format!("/costs/keys/{}", c.key), key),
        ),
        (
            ("GET", "/costs/preview"),
            OfficeOnly(
                format!("/costs/preview?year=2026&key={}", c.key),
                Value::Null,
            ),
        ),
        (
            ("GET", "/costs/compare"),
            OfficeOnly(
                format!("/costs/compare?year=2026&a={0}&b={0}", c.key),
                Value::Null,
            ),
        ),
        (
            ("GET", "/costs/statements"),
            OwnPartOnly("/costs/statements".into()),
        ),
        (
            ("POST", "/costs/statements"),
            OfficeOnly(
                "/costs/statements".into(),
                json!({"year": 2026, "key_id": c.key}),
            ),
        ),
        (
            ("GET", "/costs/statements/{id}"),
            OwnPartOnly(format!("/costs/statements/{}", c.statement)),
        ),
        (
            ("GET", "/costs/statements/{id}/pdf"),
            ForeignMember(format!(
                "/costs/statements/{}/pdf?member={foreign_org}",
                c.statement
            )),
        ),
        (
            ("GET", "/costs/statements/{id}/xlsx"),
            ForeignMember(format!(
                "/costs/statements/{}/xlsx?member={foreign_org}",
                c.statement
            )),
        ),
        (
            ("GET", "/settings"),
            OfficeOnly("/settings".into(), Value::Null),
        ),
        (
            ("PUT", "/settings"),
            OfficeOnly("/settings".into(), json!({"named_comparison": true})),
        ),
        (
            ("POST", "/assessments"),
            ForeignInBody(json!({"catalog_id": c.catalog, "orgs": [foreign_org]})),
        ),
        (("GET", "/assessments"), List),
        (
            ("GET", "/assessments/{id}"),
            ForeignAt(format!("/assessments/{}", c.assessment), Value::Null),
        ),
        (
            ("GET", "/assessments/{id}/answers"),
            ForeignAt(
                format!("/assessments/{}/answers?all=true", c.assessment),
                Value::Null,
            ),
        ),
        (
            ("POST", "/assessments/{id}/answers/bulk"),
            ForeignAt(
                format!("/assessments/{}/answers/bulk", c.assessment),
                json!({"ids": [c.answer], "status": "yes"}),
            ),
        ),
        (
            ("PUT", "/answers/{id}"),
            ForeignAt(format!("/answers/{}", c.answer), json!({"status": "yes"})),
        ),
        (
            ("GET", "/assessments/{id}/snapshots"),
            ForeignAt(
                format!("/assessments/{}/snapshots", c.assessment),
                Value::Null,
            ),
        ),
        (
            ("POST", "/assessments/{id}/snapshots"),
            ForeignAt(
                format!("/assessments/{}/snapshots", c.assessment),
                json!({"name": "x"}),
            ),
        ),
        (
            ("GET", "/assessments/{id}/compare"),
            ForeignAt(
                format!("/assessments/{}/compare?from={}", c.assessment, c.snapshot),
                Value::Null,
            ),
        ),
        (
            ("GET", "/assessments/{id}/export"),
            ForeignAt(
                format!("/assessments/{}/export?format=csv", c.assessment),
                Value::Null,
            ),
        ),
        (
            ("POST", "/assessments/{id}/import"),
            ForeignAt(format!("/assessments/{}/import", c.assessment), json!({})),
        ),
        (
            ("GET", "/answers/{id}/evidence"),
            ForeignAt(format!("/answers/{}/evidence", c.answer), Value::Null),
        ),
        (
            ("POST", "/answers/{id}/evidence"),
            ForeignAt(
                format!("/answers/{}/evidence?file_name=x.pdf", c.answer),
                json!({}),
            ),
        ),
        (
            ("GET", "/evidence/{id}"),
            ForeignAt(format!("/evidence/{}", c.evidence), Value::Null),
        ),
        (
            ("DELETE", "/evidence/{id}"),
            ForeignAt(format!("/evidence/{}", c.evidence), Value::Null),
        ),
        (("GET", "/heatmap"), List),
        (
            ("GET", "/assessments/{id}/migration"),
            ForeignAt(
                format!("/assessments/{}/migration?to={}", c.assessment, c.catalog),
                Value::Null,
            ),
        ),
        (
            ("POST", "/assessments/{id}/migrate"),
            ForeignAt(
                format!("/assessments/{}/migrate", c.assessment),
                json!({"catalog_id": c.catalog}),
            ),
        ),
    ])
}

fn id_of(f: &Foreign, o: Obj) -> i64 {
    match o {
        Obj::Org => f.org,
        Obj::Membership => f.membership,
        Obj::User => f.user,
        Obj::Grant => f.grant,
        Obj::Token => f.token,
    }
}

fn form_pairs(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn setup(app: &TestApp) -> (i64, Foreign) {
    let nauheim = app.org_id("Nauheim").await;
    let raunheim = app.org_id("Raunheim").await;
    let user = app.user_id("koordination@raunheim.example").await;
    let membership = app
        .store
        .list_memberships(&Scope::system(&TEST_ACCESS), OrgId(raunheim))
        .await
        .unwrap()[0]
        .id
        .0;
    let grant = app
        .store
        .user_grants(&Scope::system(&TEST_ACCESS), verbund_domain::UserId(user))
        .await
        .unwrap()[0]
        .id
        .0;
    app.token("koordination@raunheim.example").await;
    let token = app
        .store
        .list_tokens(verbund_domain::UserId(user))
        .await
        .unwrap()[0]
        .id
        .0;
    (
        nauheim,
        Foreign {
            org: raunheim,
            membership,
            user,
            grant,
            token,
        },
    )
}

async fn assert_foreign_objects_unchanged(app: &TestApp, f: &Foreign) {
    let org = app
        .store
        .get_org(&Scope::system(&TEST_ACCESS), OrgId(f.org))
        .await
        .unwrap();
    assert_eq!(
        (org.name.as_str(), org.version),
        ("Raunheim", 1),
        "other member's organisation unchanged"
    );
    assert_eq!(
        app.store
            .list_memberships(&Scope::system(&TEST_ACCESS), OrgId(f.org))
            .await
            .unwrap()
            .len(),
        1
    );
    let grants = app
        .store
        .user_grants(&Scope::system(&TEST_ACCESS), verbund_domain::UserId(f.user))
        .await
        .unwrap();
    assert_eq!(grants.len(), 1, "other member's roles unchanged");
    assert!(
        !app.store
            .get_user_unscoped(verbund_domain::UserId(f.user))
            .await
            .unwrap()
            .disabled
    );
    assert!(
        !app.store
            .list_tokens(verbund_domain::UserId(f.user))
            .await
            .unwrap()[0]
            .revoked
    );
}

const MEMBER_ROLES: [&str; 3] = [
    "koordination@nauheim.example",
    "leitung@nauheim.example",
    "massnahmen@nauheim.example",
];

async fn no_ui_route_shows_or_changes_another_members_data(app: TestApp) {
    let (own, f) = setup(&app).await;
    let costs = cost_setup(&app).await;
    let matrix = ui_matrix(own, f.org, &costs);
    let (ui, _) = verbund_web::route_table();
    for email in MEMBER_ROLES {
        let mut b = app.login(email).await;
        for r in &ui {
            let spec = matrix.get(&(r.method, r.path)).unwrap_or_else(|| {
                panic!(
                    "UI route {} {} is missing from the isolation matrix",
                    r.method, r.path
                )
            });
            match spec {
                Spec::NotTenantData => {}
                Spec::List => {
                    assert_eq!(r.method, "GET");
                    let (status, body) = b.get(&app, r.path).await;
                    assert_eq!(status, StatusCode::OK, "{email} GET {}", r.path);
                    assert!(
                        !body.contains("Raunheim"),
                        "{email} sees another member on {}",
                        r.path
                    );
                }
                Spec::Foreign(obj, body) => {
                    let path = r.path.replace("{id}", &id_of(&f, *obj).to_string());
                    let (status, _) = if r.method == "GET" {
                        b.get(&app, &path).await
                    } else {
                        let pairs = form_pairs(body);
                        let refs: Vec<(&str, &str)> = pairs
                            .iter()
                            .map(|(k, v)| (k.as_str(), v.as_str()))
                            .collect();
                        b.post_form(&app, &path, &refs).await
                    };
                    assert_eq!(status, StatusCode::NOT_FOUND, "{email} {} {path}", r.method);
                }
                Spec::OfficeOnly(path, body) | Spec::ForeignAt(path, body) => {
                    let (status, _) = if r.method == "GET" {
                        b.get(&app, path).await
                    } else {
                        let pairs = form_pairs(body);
                        let refs: Vec<(&str, &str)> = pairs
                            .iter()
                            .map(|(k, v)| (k.as_str(), v.as_str()))
                            .collect();
                        b.post_form(&app, path, &refs).await
                    };
                    assert_eq!(status, StatusCode::NOT_FOUND, "{email} {} {path}", r.method);
                }
                Spec::OwnPartOnly(path) => {
                    let (status, body) = b.get(&app, path).await;
                    let expected = if email.starts_with("massnahmen") {
                        StatusCode::NOT_FOUND
                    } else {
                        StatusCode::OK
                    };
                    assert_eq!(status, expected, "{email} {path}");
                    assert!(
                        !body.contains("Raunheim"),
                        "{email} sees another member on {path}"
                    );
                }
                Spec::ForeignMember(path) => {
                    let (status, _) = b.get(&app, path).await;
                    assert_eq!(status, StatusCode::NOT_FOUND, "{email} {path}");
                }
                Spec::ForeignInBody(body) => {
                    let pairs = form_pairs(body);
                    let refs: Vec<(&str, &str)> = pairs
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    let (status, _) = b.post_form(&app, r.path, &refs).await;
                    assert_eq!(
                        status,
                        StatusCode::NOT_FOUND,
                        "{email} {} {}",
                        r.method,
                        r.path
                    );
                }
            }
        }
        let (status, _) = b.get(&app, &format!("/audit?org={}", f.org)).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{email} audit of another member"
        );
    }
    assert_foreign_objects_unchanged(&app, &f).await;
}

async fn no_api_route_shows_or_changes_another_members_data(app: TestApp) {
    let (own, f) = setup(&app).await;
    let costs = cost_setup(&app).await;
    let matrix = api_matrix(own, f.org, &costs);
    let (_, api) = verbund_web::route_table();
    for email in MEMBER_ROLES {
        let token = app.token(email).await;
        for r in &api {
            let spec = matrix.get(&(r.method, r.path)).unwrap_or_else(|| {
                panic!(
                    "API route {} {} is missing from the isolation matrix",
                    r.method, r.path
                )
            });
            let method = Method::from_bytes(r.method.as_bytes()).unwrap();
            match spec {
                Spec::NotTenantData => {}
                Spec::List => {
                    let (status, body) = app.api(method, r.path, &token, None).await;
                    assert_eq!(status, StatusCode::OK, "{email} {}", r.path);
                    assert!(
                        !body.to_string().contains("Raunheim"),
                        "{email} sees another member in {}",
                        r.path
                    );
                }
                Spec::Foreign(obj, body) => {
                    let path = r.path.replace("{id}", &id_of(&f, *obj).to_string());
                    let body = if body.is_null() {
                        None
                    } else {
                        Some(body.clone())
                    };
                    let (status, resp) = app.api(method, &path, &token, body).await;
                    assert_eq!(
                        status,
                        StatusCode::NOT_FOUND,
                        "{email} {} {path}: {resp}",
                        r.method
                    );
                    assert_eq!(resp["error"]["code"], "error-not-found");
                }
                Spec::ForeignInBody(body) => {
                    let (status, _) = app.api(method, r.path, &token, Some(body.clone())).await;
                    assert_eq!(
                        status,
                        StatusCode::NOT_FOUND,
                        "{email} {} {}",
                        r.method,
                        r.path
                    );
                }
                Spec::OfficeOnly(path, body) | Spec::ForeignAt(path, body) => {
                    let body = if body.is_null() {
                        None
                    } else {
                        Some(body.clone())
                    };
                    let (status, resp) = app.api(method, path, &token, body).await;
                    assert_eq!(
                        status,
                        StatusCode::NOT_FOUND,
                        "{email} {} {path}: {resp}",
                        r.method
                    );
                }
                Spec::ForeignMember(path) => {
                    let (status, resp) = app.api(method, path, &token, None).await;
                    assert_eq!(status, StatusCode::NOT_FOUND, "{email} {path}: {resp}");
                }
                Spec::OwnPartOnly(path) => {
                    let (status, resp) = app.api(method, path, &token, None).await;
                    let expected = if email.starts_with("massnahmen")
                        && path.ends_with(&costs.statement.to_string())
                    {
                        StatusCode::NOT_FOUND
                    } else {
                        StatusCode::OK
                    };
                    assert_eq!(status, expected, "{email} {path}: {resp}");
                    assert!(
                        !resp.to_string().contains("Raunheim"),
                        "{email} sees another member in {path}"
                    );
                }
            }
        }
        let (status, _) = app
            .api(Method::GET, &format!("/audit?org={}", f.org), &token, None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert_foreign_objects_unchanged(&app, &f).await;
    let isb = app.token("isb@verbund.example").await;
    let (_, b) = app
        .api(Method::GET, "/costs/budget?year=2026", &isb, None)
        .await;
    assert_eq!(
        (b["lines"].as_array().map(Vec::len), &b["total_cents"]),
        (Some(3), &json!(19_000_000)),
        "office cost data unchanged"
    );
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

both!(
    no_ui_route_shows_or_changes_another_members_data,
    no_api_route_shows_or_changes_another_members_data,
    own_object_without_the_right_is_forbidden_not_hidden,
    office_sees_every_member,
);
