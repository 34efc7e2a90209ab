//! The objects the matrix aims at: Raunheim's (the target member) and the office's, created
//! through the API as the owners would.

use axum::http::{Method, StatusCode};
use serde_json::json;
use verbund_domain::authz::{Role, Scope};
use verbund_domain::user::{Email, NewUser};
use verbund_domain::{OrgId, UserId};
use verbund_store::{AuditActor, NewInvitation};

use crate::helpers::{TEST_ACCESS, TestApp};

/// The target member whose objects the matrix asks for.
pub const TARGET: &str = "Raunheim";
/// The target member's coordinator: the owner in the positive controls.
pub const TARGET_COORDINATOR: &str = "koordination@raunheim.example";
/// A target user the controls may disable and strip of roles (not the coordinator they act as).
const TARGET_USER: &str = "leitung@raunheim.example";

/// IDs of one test database's objects.
#[derive(Debug, Clone)]
pub struct Ids {
    /// The actor's member in the negative runs (Nauheim).
    pub own: i64,
    /// The target member (Raunheim).
    pub target: i64,
    pub membership: i64,
    pub user: i64,
    pub grant: i64,
    pub token: i64,
    pub invitation: i64,
    pub invitation_to_decline: i64,
    pub line: i64,
    pub subsidy: i64,
    pub key: i64,
    pub statement: i64,
    pub catalog: i64,
    pub assessment: i64,
    pub answer: i64,
    pub evidence: i64,
    pub snapshot: i64,
    pub group_change: i64,
    pub proposal: i64,
    /// The target member's server (read, changed, linked by the routes).
    pub structure_object: i64,
    /// Another of its objects, which the delete routes remove.
    pub structure_to_delete: i64,
    /// Its room: the target of the link the link routes add.
    pub structure_room: i64,
    /// Its link "application runs on server", which the unlink routes remove.
    pub structure_link: i64,
    /// The starter catalog's topic T02 assigned to the server as a module (removed by the
    /// unassign routes).
    pub module_assignment: i64,
    /// The node of topic T03, which the assign routes add.
    pub module_node: i64,
    /// The target member's measure.
    pub measure: i64,
    /// Another of its measures, which the delete routes remove.
    pub measure_to_delete: i64,
    /// The office's measure template.
    pub measure_template: i64,
    /// Risk analysis: a server with a high need, its risk (changed, accepted, linked) and a
    /// second risk (deleted); the threats the UI and API create routes add; a measure linked
    /// to the risk (unlinked by the routes) and one not linked; the member's management.
    pub risk_object: i64,
    pub risk: i64,
    pub risk_to_delete: i64,
    pub threat_ui: i64,
    pub threat_api: i64,
    pub measure_linked: i64,
    pub measure_free: i64,
    pub target_management: i64,
    /// A check row of the server (from module T02), which the answer routes answer.
    pub check_row: i64,
    /// Crisis pact of Raunheim and Rüsselsheim: the pact, Raunheim's resource (changed,
    /// confirmed), another (deleted), its contact (removed), Raunheim's crisis, a second one
    /// (closed), Raunheim's help request (matched, asked for Rüsselsheim's resource), and a
    /// loan of Raunheim's resource to Rüsselsheim (decided by the lender).
    pub pact: i64,
    pub pact_resource: i64,
    pub pact_resource_to_delete: i64,
    pub pact_contact: i64,
    pub pact_crisis: i64,
    pub pact_crisis_to_close: i64,
    pub pact_request: i64,
    pub pact_loan: i64,
    /// Rüsselsheim's resource the ask routes ask for Raunheim's request.
    pub pact_lendable: i64,
    /// A TLP:AMBER advisory matching only the target member's inventory, and its warning.
    pub advisory: i64,
    pub advisory_warning: i64,
    /// Two CSAF providers of the office (one removed by the controls); their metadata URL
    /// points at a closed local port, so a run fails fast and is recorded.
    pub csaf_provider: i64,
    pub csaf_provider_to_delete: i64,
}

impl Ids {
    /// The id `{id}` stands for in an entry's template.
    pub fn of(&self, o: super::matrix::Obj) -> Option<i64> {
        use super::matrix::Obj::*;
        Some(match o {
            Plain | Static | ResetToken => return None,
            Org => self.target,
            Membership => self.membership,
            User => self.user,
            Grant => self.grant,
            Token => self.token,
            Invitation => self.invitation,
            InvitationToDecline => self.invitation_to_decline,
            Line => self.line,
            Subsidy => self.subsidy,
            Key => self.key,
            Statement => self.statement,
            Catalog => self.catalog,
            Assessment => self.assessment,
            Answer => self.answer,
            Evidence => self.evidence,
            GroupChange => self.group_change,
            Proposal => self.proposal,
            StructureObject => self.structure_object,
            StructureObjectToDelete => self.structure_to_delete,
            StructureLink => self.structure_link,
            ModuleAssignment => self.module_assignment,
            Measure => self.measure,
            MeasureToDelete => self.measure_to_delete,
            MeasureTemplate => self.measure_template,
            RiskObject => self.risk_object,
            Risk => self.risk,
            RiskToDelete => self.risk_to_delete,
            CheckRow => self.check_row,
            Pact => self.pact,
            PactResource => self.pact_resource,
            PactResourceToDelete => self.pact_resource_to_delete,
            PactContact => self.pact_contact,
            PactCrisis => self.pact_crisis,
            PactCrisisToClose => self.pact_crisis_to_close,
            PactRequest => self.pact_request,
            PactLoan => self.pact_loan,
            Advisory => self.advisory,
            AdvisoryWarning => self.advisory_warning,
            CsafProvider => self.csaf_provider,
            CsafProviderToDelete => self.csaf_provider_to_delete,
        })
    }
}

/// The crisis pact of Raunheim and Rüsselsheim (Nauheim is outside it).
async fn pact_setup(app: &TestApp, target: i64) -> [i64; 9] {
    let isb = app.token("isb@verbund.example").await;
    let ok = |s: StatusCode, b: &serde_json::Value| assert!(s.is_success(), "{b}");
    let (s, p) = app
        .api(
            Method::POST,
            "/pacts",
            &isb,
            Some(json!({"name": "Pakt Raunheim"})),
        )
        .await;
    ok(s, &p);
    let pact = p["id"].as_i64().unwrap();
    let other = app.org_id("Rüsselsheim am Main").await;
    for org in [target, other] {
        let (s, b) = app
            .api(
                Method::POST,
                &format!("/pacts/{pact}/members"),
                &isb,
                Some(json!({"org": org, "lat": "50", "lon": "8.4"})),
            )
            .await;
        ok(s, &b);
    }
    let own = app.token(TARGET_COORDINATOR).await;
    let partner = app.token("koordination@ruesselsheim-am-main.example").await;
    let mut res = Vec::new();
    for name in ["Firewall-Team", "Wegfall"] {
        let (s, r) = app
            .api(
                Method::POST,
                &format!("/organisations/{target}/pact-resources"),
                &own,
                Some(json!({"kind": "person", "name": name, "skills": ["firewall"]})),
            )
            .await;
        ok(s, &r);
        res.push(r["id"].as_i64().unwrap());
    }
    let (s, lendable) = app.api(Method::POST, &format!("/organisations/{other}/pact-resources"), &partner, Some(json!({"kind": "equipment", "name": "Notebooks", "equipment_type": "notebook", "count": 3}))).await;
    ok(s, &lendable);
    let (s, c) = app
        .api(
            Method::POST,
            &format!("/organisations/{target}/pact-contacts"),
            &own,
            Some(json!({"name": "IT-Leitung Raunheim", "mobile": "0170 9"})),
        )
        .await;
    ok(s, &c);
    let mut crises = Vec::new();
    for services in ["E-Mail", "Telefonie"] {
        let (s, c) = app.api(Method::POST, &format!("/pacts/{pact}/crises"), &own, Some(json!({"severity": "high", "affected_services": services, "summary": "Ausfall"}))).await;
        ok(s, &c);
        crises.push(c["id"].as_i64().unwrap());
    }
    let (s, q) = app
        .api(
            Method::POST,
            &format!("/pact-crises/{}/requests", crises[0]),
            &own,
            Some(json!({"need_kind": "equipment", "need": "notebook", "count": 2})),
        )
        .await;
    ok(s, &q);
    let (s, pq) = app
        .api(
            Method::POST,
            &format!("/pact-crises/{}/requests", crises[0]),
            &partner,
            Some(json!({"need_kind": "skill", "need": "firewall"})),
        )
        .await;
    ok(s, &pq);
    let (s, loan) = app
        .api(
            Method::POST,
            &format!("/pact-requests/{}/loans", pq["id"]),
            &partner,
            Some(json!({"resource": res[0]})),
        )
        .await;
    ok(s, &loan);
    [
        pact,
        res[0],
        res[1],
        c["id"].as_i64().unwrap(),
        crises[0],
        crises[1],
        q["id"].as_i64().unwrap(),
        loan["id"].as_i64().unwrap(),
        lendable["id"].as_i64().unwrap(),
    ]
}

/// Assessments for every member; Raunheim answers, attaches evidence and takes a snapshot.
/// Returns (catalog, assessment, answer, evidence, snapshot, group change).
async fn assessment_setup(app: &TestApp) -> (i64, i64, i64, i64, i64, i64) {
    let isb = app.token("isb@verbund.example").await;
    let catalog = crate::assessments::start_all(app, &isb).await;
    let other = app.token(TARGET_COORDINATOR).await;
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
    // Topic 1: apart from the answer above (topic 0) and the matrix's own topic 2.
    let (status, change) = app
        .api(
            Method::POST,
            &format!("/assessments/{assessment}/not-applicable"),
            &other,
            Some(json!({"topic": 1, "justification": "Keine Großrechner"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{change}");
    (
        catalog,
        assessment,
        answer,
        e["id"].as_i64().unwrap(),
        snap["id"].as_i64().unwrap(),
        change["id"].as_i64().unwrap(),
    )
}

/// The target member's structure analysis: an application on a server, a room, an object to
/// delete. Returns (server, object to delete, room, link).
async fn structure_setup(app: &TestApp, target: i64) -> (i64, i64, i64, i64) {
    let token = app.token(TARGET_COORDINATOR).await;
    let mut ids = Vec::new();
    for (short, name, t) in [
        ("RA-S1", "Raunheim Server", "server"),
        ("RA-X", "Raunheim Altgerät", "client"),
        ("RA-R1", "Raunheim Serverraum", "room"),
        ("RA-A1", "Raunheim Fachverfahren", "application"),
    ] {
        let (status, o) = app
            .api(
                Method::POST,
                &format!("/organisations/{target}/structure/objects"),
                &token,
                Some(json!({"short_id": short, "name": name, "object_type": t})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{o}");
        ids.push(o["id"].as_i64().unwrap());
    }
    let (status, l) = app
        .api(
            Method::POST,
            "/structure/links",
            &token,
            Some(json!({"from": ids[3], "to": ids[0], "link_type": "runs_on"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{l}");
    (ids[0], ids[1], ids[2], l["id"].as_i64().unwrap())
}

/// The risk analysis of the target member (see [`Ids`]): (object, risk, risk to delete,
/// threat for the UI, threat for the API, linked measure, free measure, management user).
async fn risk_setup(app: &TestApp, target: i64) -> [i64; 8] {
    let token = app.token(TARGET_COORDINATOR).await;
    let (status, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{target}/structure/objects"),
            &token,
            Some(json!({"short_id": "RA-S2", "name": "Raunheim Dateiserver", "object_type": "server"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    let object = o["id"].as_i64().unwrap();
    let (status, n) = app
        .api(
            Method::PUT,
            &format!("/structure/objects/{object}/needs"),
            &token,
            Some(
                json!({"goal": "availability", "value": "high", "justification": "Bürgerdienste"}),
            ),
        )
        .await;
    assert!(status.is_success(), "{n}");
    // Its own management user: the controls revoke and disable the fixture's other user.
    let management = app
        .store
        .create_user(
            &AuditActor::system(),
            &NewUser {
                email: Email::parse("risiko-leitung@raunheim.example").unwrap(),
                display_name: "Raunheim Verwaltungsspitze".into(),
                password: None,
            },
            None,
            Some((OrgId(target), Role::Management)),
        )
        .await
        .unwrap();
    let (_, threats) = app.api(Method::GET, "/risk-threats", &token, None).await;
    let t = |code: &str| {
        threats
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["code"] == code)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (status, r) = app
        .api(
            Method::POST,
            &format!("/structure/objects/{object}/risks"),
            &token,
            Some(json!({"threats": [t("G 0.1"), t("G 0.2")], "frequency": "mittel", "impact": "betraechtlich"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let risk = r[0]["id"].as_i64().unwrap();
    let linked = app
        .store
        .seed_measure(
            &verbund_domain::authz::SystemAccess::for_reason("test data"),
            OrgId(target),
            None,
            "Raunheim Brandschutz",
            None,
            "offen",
        )
        .await
        .unwrap();
    let free = app
        .store
        .seed_measure(
            &verbund_domain::authz::SystemAccess::for_reason("test data"),
            OrgId(target),
            None,
            "Raunheim Klimatisierung",
            None,
            "offen",
        )
        .await
        .unwrap();
    let (status, l) = app
        .api(
            Method::POST,
            &format!("/risks/{risk}/measures"),
            &token,
            Some(json!({"measure": linked.0})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{l}");
    [
        object,
        risk,
        r[1]["id"].as_i64().unwrap(),
        t("G 0.3"),
        t("G 0.4"),
        linked.0,
        free.0,
        management.id.0,
    ]
}

/// The starter catalog's topic T02 as a module of the server; returns (assignment, node of T03).
async fn module_setup(app: &TestApp, server: i64) -> (i64, i64) {
    let token = app.token(TARGET_COORDINATOR).await;
    let (status, a) = app
        .api(
            Method::POST,
            &format!("/structure/objects/{server}/modules"),
            &token,
            Some(json!({"module": "T02"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let (_, modules) = app
        .api(Method::GET, "/structure/modules", &token, None)
        .await;
    let t03 = modules
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["ref_id"] == "T03")
        .unwrap()["node_id"]
        .as_i64()
        .unwrap();
    (a["id"].as_i64().unwrap(), t03)
}

/// Two measures of the target member (by its coordinator) and an office template (by the
/// ISB). Returns (measure, measure to delete, template).
async fn measure_setup(app: &TestApp, target: i64) -> (i64, i64, i64) {
    let token = app.token(TARGET_COORDINATOR).await;
    let mut ids = Vec::new();
    for title in ["Raunheim Notfallhandbuch", "Raunheim Altmaßnahme"] {
        let (status, m) = app
            .api(
                Method::POST,
                &format!("/organisations/{target}/measures"),
                &token,
                Some(json!({"title": title, "due_on": "2027-03-31"})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{m}");
        ids.push(m["id"].as_i64().unwrap());
    }
    let isb = app.token("isb@verbund.example").await;
    let (status, t) = app
        .api(
            Method::POST,
            "/measure-templates",
            &isb,
            Some(json!({"title": "Offline-Datensicherung einführen"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    (ids[0], ids[1], t["id"].as_i64().unwrap())
}

/// An invitation of the target member to its own coordinator (as the office would send one).
async fn invite(app: &TestApp, target: i64, role: Role) -> i64 {
    let new = NewInvitation {
        user: NewUser {
            email: Email::parse(TARGET_COORDINATOR).unwrap(),
            display_name: "Koordination".into(),
            password: None,
        },
        password_hash: None,
        org: OrgId(target),
        role,
    };
    app.store
        .invite(&AuditActor::system(), &Scope::system(&TEST_ACCESS), &new)
        .await
        .unwrap()
        .id
        .0
}

/// Creates every object the matrix needs and returns their ids.
pub async fn setup(app: &TestApp) -> Ids {
    let own = app.org_id("Nauheim").await;
    let target = app.org_id(TARGET).await;
    let scope = Scope::system(&TEST_ACCESS);
    let membership = app
        .store
        .list_memberships(&scope, OrgId(target))
        .await
        .unwrap()[0]
        .id
        .0;
    let user = app.user_id(TARGET_USER).await;
    let grant = app.store.user_grants(&scope, UserId(user)).await.unwrap()[0]
        .id
        .0;
    // The coordinator's first token is the target; the controls act with a later one.
    app.token(TARGET_COORDINATOR).await;
    let coordinator = UserId(app.user_id(TARGET_COORDINATOR).await);
    let token = app.store.list_tokens(coordinator).await.unwrap()[0].id.0;
    let invitation = invite(app, target, Role::Management).await;
    let invitation_to_decline = invite(app, target, Role::MeasureOwner).await;

    let isb = app.token("isb@verbund.example").await;
    // The target member's coat of arms, which the logo routes read and remove.
    let req = axum::http::Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/v1/organisations/{target}/logo"))
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {isb}"))
        .body(axum::body::Body::from(verbund_app::demo::DEMO_LOGO))
        .unwrap();
    assert_eq!(
        app.request(req).await.0,
        StatusCode::OK,
        "coat of arms uploaded"
    );
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
    let (catalog, assessment, answer, evidence, snapshot, group_change) =
        assessment_setup(app).await;
    let coordinator_token = app.token(TARGET_COORDINATOR).await;
    let (status, proposal) = app
        .api(
            Method::POST,
            &format!("/organisations/{target}/key-figure-proposals"),
            &coordinator_token,
            Some(json!({"population": 16_600, "reason": "Fortschreibung 31.12.2025"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{proposal}");
    let (structure_object, structure_to_delete, structure_room, structure_link) =
        structure_setup(app, target).await;
    let (module_assignment, module_node) = module_setup(app, structure_object).await;
    let (measure, measure_to_delete, measure_template) = measure_setup(app, target).await;
    let [
        risk_object,
        risk,
        risk_to_delete,
        threat_ui,
        threat_api,
        measure_linked,
        measure_free,
        target_management,
    ] = risk_setup(app, target).await;
    let check_row = check_setup(app, target).await;
    let [
        pact,
        pact_resource,
        pact_resource_to_delete,
        pact_contact,
        pact_crisis,
        pact_crisis_to_close,
        pact_request,
        pact_loan,
        pact_lendable,
    ] = pact_setup(app, target).await;
    let (advisory, advisory_warning) = advisory_setup(app, target).await;
    let [csaf_provider, csaf_provider_to_delete] = csaf_provider_setup(app).await;
    Ids {
        own,
        target,
        membership,
        user,
        grant,
        token,
        invitation,
        invitation_to_decline,
        line: b["lines"][0]["id"].as_i64().unwrap(),
        subsidy: s["id"].as_i64().unwrap(),
        key,
        statement: st["id"].as_i64().unwrap(),
        catalog,
        assessment,
        answer,
        evidence,
        snapshot,
        group_change,
        proposal: proposal["id"].as_i64().unwrap(),
        structure_object,
        structure_to_delete,
        structure_room,
        structure_link,
        module_assignment,
        module_node,
        measure,
        measure_to_delete,
        measure_template,
        risk_object,
        risk,
        risk_to_delete,
        threat_ui,
        threat_api,
        measure_linked,
        measure_free,
        target_management,
        check_row,
        pact,
        pact_resource,
        pact_resource_to_delete,
        pact_contact,
        pact_crisis,
        pact_crisis_to_close,
        pact_request,
        pact_loan,
        pact_lendable,
        advisory,
        advisory_warning,
        csaf_provider,
        csaf_provider_to_delete,
    }
}

/// Two providers the office subscribed to (at a closed local port).
async fn csaf_provider_setup(app: &TestApp) -> [i64; 2] {
    let isb = app.token("isb@verbund.example").await;
    let mut ids = [0; 2];
    for (i, id) in ids.iter_mut().enumerate() {
        let (status, p) = app
            .api(
                Method::POST,
                "/csaf-providers",
                &isb,
                Some(json!({"metadata_url": format!("http://127.0.0.1:9/p{i}/provider-metadata.json")})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{p}");
        *id = p["id"].as_i64().unwrap();
    }
    ids
}

/// The target member runs the product of the self-made TLP:AMBER advisory, which the office
/// imports: (advisory, the target's warning).
async fn advisory_setup(app: &TestApp, target: i64) -> (i64, i64) {
    let token = app.token(TARGET_COORDINATOR).await;
    let (status, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{target}/structure/objects"),
            &token,
            Some(
                json!({"short_id": "MW-ADV", "name": "Meldewesen", "object_type": "application",
                "cpe": "cpe:2.3:a:beispiel_software:fachverfahren_meldewesen:5.1:*:*:*:*:*:*:*"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    let isb = app.token("isb@verbund.example").await;
    let (status, out) = app
        .api_upload(
            "/advisories?file_name=amber.json",
            &isb,
            include_bytes!("../../../../formats/fixtures/csaf/verbund-amber-2026-0002.json")
                .to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    let (_, w) = app
        .api(Method::GET, "/advisory-warnings", &token, None)
        .await;
    assert_eq!(w.as_array().map(Vec::len), Some(1), "{w}");
    (
        out["advisory_id"].as_i64().unwrap(),
        w[0]["id"].as_i64().unwrap(),
    )
}

/// The first check row of the target member (written when T02 was assigned to its server).
async fn check_setup(app: &TestApp, target: i64) -> i64 {
    let token = app.token(TARGET_COORDINATOR).await;
    let (status, c) = app
        .api(
            Method::GET,
            &format!("/organisations/{target}/check"),
            &token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    c["rows"]["items"][0]["id"].as_i64().unwrap()
}

/// The negative runs changed nothing of the target member's or the office's data.
pub async fn assert_nothing_changed(app: &TestApp, f: &Ids) {
    let scope = Scope::system(&TEST_ACCESS);
    let fed = app.store.federation().await.unwrap().unwrap().id;
    assert!(
        app.store
            .logo_meta(&scope, fed, Some(OrgId(f.target)))
            .await
            .unwrap()
            .is_some(),
        "other member's coat of arms still there"
    );
    assert!(
        app.store
            .logo_meta(&scope, fed, None)
            .await
            .unwrap()
            .is_some(),
        "federation logo still there"
    );
    let org = app.store.get_org(&scope, OrgId(f.target)).await.unwrap();
    assert_eq!(
        (org.name.as_str(), org.version),
        (TARGET, 1),
        "other member's organisation unchanged"
    );
    let memberships = app.store.list_memberships(&scope, OrgId(f.target)).await;
    assert_eq!(memberships.unwrap().len(), 1, "memberships unchanged");
    let grants = app.store.user_grants(&scope, UserId(f.user)).await.unwrap();
    assert_eq!(grants.len(), 1, "other member's roles unchanged");
    let user = app.store.get_user_unscoped(UserId(f.user)).await.unwrap();
    assert!(!user.disabled, "other member's user still enabled");
    let proposal = app
        .store
        .get_key_figure_proposal(&scope, verbund_domain::KeyFigureProposalId(f.proposal))
        .await
        .unwrap();
    assert_eq!(
        proposal.status,
        verbund_domain::key_figures::ProposalStatus::Open,
        "other member's proposal undecided"
    );
    let server = app
        .store
        .structure_object_detail(
            &scope,
            verbund_domain::StructureObjectId(f.structure_object),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            server.object.name.as_str(),
            server.object.revision,
            server.used_by.len()
        ),
        ("Raunheim Server", 1, 1),
        "other member's target object and its link unchanged"
    );
    assert_eq!(
        server.needs[2].manual, None,
        "other member's needs unchanged"
    );
    let modules = app
        .store
        .object_module_assignments(
            &scope,
            verbund_domain::StructureObjectId(f.structure_object),
        )
        .await
        .unwrap();
    assert_eq!(
        modules.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![f.module_assignment],
        "other member's modules unchanged"
    );
    let row = app.store.get_check_row(&scope, f.check_row).await.unwrap();
    assert_eq!(
        (row.answer.status, row.version),
        (verbund_domain::assessment::AnswerStatus::Unanswered, 0),
        "other member's check row unanswered"
    );
    assert!(
        app.store
            .get_structure_object(
                &scope,
                verbund_domain::StructureObjectId(f.structure_to_delete)
            )
            .await
            .is_ok(),
        "other member's target object not deleted"
    );
    let measure = app
        .store
        .measure_detail(
            &scope,
            None,
            verbund_domain::MeasureId(f.measure),
            "2026-12-02",
        )
        .await
        .unwrap();
    assert_eq!(
        (
            measure.measure.title.as_str(),
            measure.measure.revision,
            measure.notes.len()
        ),
        ("Raunheim Notfallhandbuch", 1, 0),
        "other member's measure unchanged"
    );
    assert!(
        app.store
            .get_measure(
                &scope,
                None,
                verbund_domain::MeasureId(f.measure_to_delete),
                "2026-12-02"
            )
            .await
            .is_ok(),
        "other member's measure not deleted"
    );
    let risk = app
        .store
        .get_risk(&scope, verbund_domain::RiskId(f.risk))
        .await
        .unwrap();
    assert_eq!(
        (
            risk.revision,
            risk.measures.iter().map(|m| m.id.0).collect::<Vec<_>>()
        ),
        (1, vec![f.measure_linked]),
        "other member's risk and its measures unchanged"
    );
    assert!(
        app.store
            .get_risk(&scope, verbund_domain::RiskId(f.risk_to_delete))
            .await
            .is_ok(),
        "other member's risk not deleted"
    );
    let warning = app
        .store
        .get_advisory_warning(
            &scope,
            verbund_domain::AdvisoryWarningId(f.advisory_warning),
        )
        .await
        .unwrap();
    assert_eq!(
        (warning.state.code(), warning.revision, warning.measure_id),
        ("open", 1, None),
        "other member's warning unchanged"
    );
    let coordinator = UserId(app.user_id(TARGET_COORDINATOR).await);
    let tokens = app.store.list_tokens(coordinator).await.unwrap();
    assert!(
        tokens.iter().all(|t| !t.revoked),
        "other member's tokens unrevoked"
    );
    let pending = app.store.own_invitations(coordinator).await.unwrap();
    assert_eq!(pending.len(), 2, "other member's invitations undecided");
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
