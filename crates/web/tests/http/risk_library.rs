//! Risk libraries over HTTP: a library with only threats and reference controls imports as
//! threat list and measure templates (it used to be refused for lacking a framework), a
//! re-import updates instead of duplicating, a bad library stores nothing, and a framework's
//! requirement→threat links put the threat behind a member's unmet requirement into the
//! suggestions of its risk analysis.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::TestApp;

/// Self-made: two threats (one with a German translation) and one reference control.
const THREATS_ONLY: &str = r#"
urn: urn:test:risk:library:kommunal
name: Kommunale Gefährdungen (Test)
locale: en
version: 1
objects:
  threats:
    - urn: urn:test:risk:threat:kommunal:k-01
      ref_id: K.01
      name: Ransomware in the town hall
      translations:
        de:
          name: Ransomware im Rathaus
    - urn: urn:test:risk:threat:kommunal:k-02
      ref_id: K.02
      name: Ausfall des Landesrechenzentrums
  reference_controls:
    - urn: urn:test:risk:function:kommunal:rc-01
      ref_id: RC.01
      name: Offline-Sicherung der Fachverfahren
      description: Wöchentlich, getrennt vom Netz.
"#;

/// Self-made: a framework whose second requirement counters the library's threat.
const LINKED: &str = r#"
urn: urn:test:risk:library:linked
ref_id: linked
name: Verknüpfter Testkatalog
locale: de
version: 1
objects:
  threats:
    - urn: urn:test:risk:threat:linked:phish
      ref_id: L.1
      name: Phishing gegen die Verwaltung
  framework:
    urn: urn:test:risk:framework:linked
    ref_id: linked-fw
    name: Verknüpfter Testkatalog
    requirement_nodes:
      - urn: urn:test:req:linked:topic
        assessable: false
        depth: 1
        ref_id: T
        name: Thema
      - urn: urn:test:req:linked:a1
        assessable: true
        depth: 2
        parent_urn: urn:test:req:linked:topic
        ref_id: T.A1
        name: Virenschutz
      - urn: urn:test:req:linked:a2
        assessable: true
        depth: 2
        parent_urn: urn:test:req:linked:topic
        ref_id: T.A2
        name: Schulung gegen Phishing
        threats:
          - urn:test:risk:threat:linked:phish
"#;

async fn upload(app: &TestApp, token: &str, name: &str, body: &str) -> (StatusCode, Value) {
    app.api_upload(
        &format!("/catalogs?file_name={name}"),
        token,
        body.as_bytes().to_vec(),
    )
    .await
}

fn codes(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_threats_only_library_imports_as_threats_and_measure_templates(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;

    let (s, r) = upload(&app, &isb, "kommunal.yaml", THREATS_ONLY).await;

    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert!(r["catalog"].is_null(), "{r}");
    assert_eq!(r["risk_library"]["threats_new"], 2);
    assert_eq!(r["risk_library"]["controls_new"], 1);
    let (_, threats) = app.api(Method::GET, "/risk-threats", &isb, None).await;
    let imported: Vec<&Value> = threats
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["source"] == "import:urn:test:risk:library:kommunal")
        .collect();
    assert_eq!(imported.len(), 2, "{threats}");
    assert_eq!(imported[0]["name"], "Ransomware im Rathaus");
    let (_, templates) = app.api(Method::GET, "/measure-templates", &isb, None).await;
    assert!(
        templates
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["title"] == "RC.01 Offline-Sicherung der Fachverfahren"),
        "{templates}"
    );

    let (s, again) = upload(&app, &isb, "kommunal.yaml", THREATS_ONLY).await;

    assert_eq!(s, StatusCode::OK, "nothing new: {again}");
    assert_eq!(again["risk_library"]["threats_updated"], 2);
    let (_, after) = app.api(Method::GET, "/risk-threats", &isb, None).await;
    assert_eq!(codes(&after).len(), codes(&threats).len(), "no duplicates");
    let (_, log) = app
        .api(Method::GET, "/audit?action=risk.library.import", &isb, None)
        .await;
    assert!(log.to_string().contains("risk.library.import"), "{log}");
}

async fn a_bad_library_stores_nothing_and_members_may_not_import(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let (_, before) = app.api(Method::GET, "/risk-threats", &isb, None).await;
    let broken = THREATS_ONLY.replace(
        "      ref_id: K.02\n      name: Ausfall des Landesrechenzentrums\n",
        "      ref_id: K.02\n",
    );

    let (s, e) = upload(&app, &isb, "kaputt.yaml", &broken).await;

    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e.to_string().contains("objects.threats[1].name"),
        "names the field: {e}"
    );
    let (_, after) = app.api(Method::GET, "/risk-threats", &isb, None).await;
    assert_eq!(codes(&before), codes(&after));
    let (s, _) = upload(&app, &isb, "leer.yaml", "urn: x\nobjects: {}\n").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let coord = app.token("koordination@nauheim.example").await;
    let (s, _) = upload(&app, &coord, "kommunal.yaml", THREATS_ONLY).await;
    assert!(
        s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN,
        "{s}"
    );
}

async fn a_linked_threat_is_suggested_once_its_requirement_is_unmet(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let coord = app.token("koordination@nauheim.example").await;
    let (s, r) = upload(&app, &isb, "linked.yaml", LINKED).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["risk_library"]["links"], 1, "{r}");
    let catalog = r["catalog"]["id"].as_i64().unwrap();
    let (s, started) = app
        .api(
            Method::POST,
            "/assessments",
            &isb,
            Some(json!({"catalog_id": catalog})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{started}");
    let nauheim = app.org_id("Nauheim").await;
    let (_, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{nauheim}/structure/objects"),
            &coord,
            Some(json!({"short_id": "LIB-S1", "name": "Mailserver", "object_type": "server"})),
        )
        .await;
    let object = o["id"].as_i64().unwrap();
    let (s, n) = app
        .api(
            Method::PUT,
            &format!("/structure/objects/{object}/needs"),
            &coord,
            Some(json!({"goal": "integrity", "value": "high", "justification": "Bescheide"})),
        )
        .await;
    assert!(s.is_success(), "{n}");
    let suggested = |view: &Value| -> Vec<String> {
        view["suggested"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let path = format!("/structure/objects/{object}/risks");
    let (_, view) = app.api(Method::GET, &path, &coord, None).await;
    assert!(!suggested(&view).contains(&"L.1".to_owned()), "not yet");

    let (_, list) = app.api(Method::GET, "/assessments", &coord, None).await;
    let assessment = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["catalog_id"] == catalog)
        .unwrap_or_else(|| panic!("{list}"))["id"]
        .as_i64()
        .unwrap();
    let (_, answers) = app
        .api(
            Method::GET,
            &format!("/assessments/{assessment}/answers?all=true"),
            &coord,
            None,
        )
        .await;
    let a2 = answers["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a.to_string().contains("T.A2"))
        .unwrap_or_else(|| panic!("{answers}"))["id"]
        .as_i64()
        .unwrap();
    let (s, v) = app
        .api(
            Method::PUT,
            &format!("/answers/{a2}"),
            &coord,
            Some(json!({"status": "no"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let (_, view) = app.api(Method::GET, &path, &coord, None).await;
    assert!(
        suggested(&view).contains(&"L.1".to_owned()),
        "the threat behind the unmet requirement: {view}"
    );
}

async fn the_threats_page_lists_every_source_and_the_office_adds_its_own(app: TestApp) {
    let isb_token = app.token("isb@verbund.example").await;
    upload(&app, &isb_token, "kommunal.yaml", THREATS_ONLY).await;
    let mut isb = app.login("isb@verbund.example").await;

    let (s, html) = isb.get(&app, "/risks/threats").await;

    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("G 0.1") && html.contains("Ransomware im Rathaus"),
        "{html}"
    );
    assert!(html.contains("urn:test:risk:library:kommunal"));
    let (s, html) = isb
        .post_form(
            &app,
            "/risks/threats",
            &[("code", ""), ("name", "Stromausfall")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("aria-invalid"), "{html}");
    let (s, to) = isb
        .post_form(
            &app,
            "/risks/threats",
            &[
                ("code", "V 1"),
                ("name", "Hochwasser am Rhein"),
                ("goal_a", "1"),
            ],
        )
        .await;
    assert!(s.is_redirection(), "{s} {to}");
    let (_, html) = isb.get(&app, &to).await;
    assert!(html.contains("Hochwasser am Rhein"), "{html}");
    let mut coord = app.login("koordination@nauheim.example").await;
    let (s, html) = coord.get(&app, "/risks/threats").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        !html.contains("action=\"/risks/threats\""),
        "members only read"
    );
}

both!(
    a_threats_only_library_imports_as_threats_and_measure_templates,
    a_bad_library_stores_nothing_and_members_may_not_import,
    a_linked_threat_is_suggested_once_its_requirement_is_unmet,
    the_threats_page_lists_every_source_and_the_office_adds_its_own,
);
