//! Security advisories over HTTP on both databases: the office imports a CSAF document, the
//! affected member's coordinator sees exactly one warning and acknowledges it, another member
//! sees none; TLP:AMBER stays hidden from members without a warning; a newer revision that
//! marks the version fixed closes the warning; name-only matches wait for the office; bad
//! documents answer 422 naming the field and store nothing; a warning becomes a measure; the
//! UI upload and buttons with CSRF.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::TestApp;

const ISB: &str = "isb@verbund.example";
pub(crate) const NAUHEIM: &str = "koordination@nauheim.example";
const RAUNHEIM: &str = "koordination@raunheim.example";

pub(crate) const DEMO: &[u8] =
    include_bytes!("../../../formats/fixtures/csaf/verbund-demo-2026-0001.json");
const AMBER: &[u8] = include_bytes!("../../../formats/fixtures/csaf/verbund-amber-2026-0002.json");

/// Creates an object with product data in `town`'s inventory; returns its id.
pub(crate) async fn product_object(
    app: &TestApp,
    token: &str,
    town: &str,
    short: &str,
    fields: Value,
) -> i64 {
    let org = app.org_id(town).await;
    let mut body =
        json!({"short_id": short, "name": "Firewall", "object_type": "network_component"});
    for (k, v) in fields.as_object().unwrap() {
        body[k] = v.clone();
    }
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

pub(crate) fn gateway(version: &str) -> Value {
    json!({"vendor": "Beispiel Networks", "product": "Sicherheitsgateway", "version": version})
}

async fn import(app: &TestApp, bytes: &[u8]) -> (StatusCode, Value) {
    let isb = app.token(ISB).await;
    app.api_upload("/advisories?file_name=meldung.json", &isb, bytes.to_vec())
        .await
}

pub(crate) async fn warnings(app: &TestApp, email: &str) -> Vec<Value> {
    let t = app.token(email).await;
    let (status, list) = app.api(Method::GET, "/advisory-warnings", &t, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array().unwrap().clone()
}

async fn office_import_warns_exactly_the_affected_member_who_acknowledges_it(app: TestApp) {
    let n = app.token(NAUHEIM).await;
    let r = app.token(RAUNHEIM).await;
    let fw = product_object(&app, &n, "Nauheim", "FW-1", gateway("7.1.0")).await;
    product_object(&app, &r, "Raunheim", "FW-1", gateway("7.2.3")).await;
    let (status, out) = import(&app, DEMO).await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(out["outcome"], "created");
    assert_eq!(out["opened"], 1);
    assert_eq!(out["mailed"], 1, "Nauheim's coordinator is mailed");

    let mine = warnings(&app, NAUHEIM).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    let w = &mine[0];
    assert_eq!(w["state"], "open");
    assert_eq!(w["severity"], "critical");
    assert_eq!(w["confidence"], "name_version");
    assert_eq!(w["matches"][0]["object_id"], fw);
    assert_eq!(
        w["matches"][0]["reason"]["key"],
        "advisory-reason-name-range"
    );
    assert!(
        warnings(&app, RAUNHEIM).await.is_empty(),
        "Raunheim runs the fixed version"
    );

    let id = w["id"].as_i64().unwrap();
    let (status, a) = app
        .api(
            Method::POST,
            &format!("/advisory-warnings/{id}/acknowledge"),
            &n,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    assert_eq!(a["state"], "acknowledged");
    assert!(a["acknowledged_by_name"].is_string());
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/advisory-warnings/{id}/acknowledge"),
            &n,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "acknowledged twice");
    let (status, d) = app
        .api(
            Method::POST,
            &format!("/advisory-warnings/{id}/done"),
            &n,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["state"], "done");

    let (status, again) = import(&app, DEMO).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["outcome"], "unchanged");
}

async fn amber_advisories_stay_hidden_from_members_without_a_warning(app: TestApp) {
    let n = app.token(NAUHEIM).await;
    product_object(
        &app,
        &n,
        "Nauheim",
        "MW-1",
        json!({"cpe": "cpe:2.3:a:beispiel_software:fachverfahren_meldewesen:5.1:*:*:*:*:*:*:*"}),
    )
    .await;
    let (status, out) = import(&app, AMBER).await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    let id = out["advisory_id"].as_i64().unwrap();
    let mine = warnings(&app, NAUHEIM).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["confidence"], "exact");
    let (status, list) = app.api(Method::GET, "/advisories", &n, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "Nauheim is warned, so it reads it"
    );

    let r = app.token(RAUNHEIM).await;
    let (_, list) = app.api(Method::GET, "/advisories", &r, None).await;
    assert!(list.as_array().unwrap().is_empty(), "{list}");
    let (status, _) = app
        .api(Method::GET, &format!("/advisories/{id}"), &r, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .api(Method::GET, &format!("/advisories/{id}/document"), &r, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/advisory-warnings/{}", mine[0]["id"]),
            &r,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The demo advisory as revision 2 in which the range product is fixed.
pub(crate) fn revision_two() -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(DEMO).unwrap();
    v["document"]["tracking"]["version"] = json!("2");
    v["document"]["tracking"]["revision_history"]
        .as_array_mut()
        .unwrap()
        .push(json!({"date": "2026-11-25T08:00:00.000Z", "number": "2", "summary": "Bereich behoben"}));
    v["vulnerabilities"][0]["product_status"] = json!({
        "known_affected": ["VDEMO-AGENT-210"],
        "fixed": ["VDEMO-GW-723", "VDEMO-GW-RANGE"]
    });
    serde_json::to_vec(&v).unwrap()
}

async fn a_newer_revision_saying_fixed_closes_the_warning(app: TestApp) {
    let n = app.token(NAUHEIM).await;
    product_object(&app, &n, "Nauheim", "FW-1", gateway("7.1.0")).await;
    import(&app, DEMO).await;
    assert_eq!(warnings(&app, NAUHEIM).await[0]["state"], "open");
    let (status, out) = import(&app, &revision_two()).await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(out["outcome"], "revised");
    assert_eq!(out["closed"], 1);
    let w = &warnings(&app, NAUHEIM).await[0];
    assert_eq!(w["state"], "closed");
    assert_eq!(w["closed_reason"], "fixed_or_not_affected");
    let (status, older) = import(&app, DEMO).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(older["outcome"], "older");
}

async fn name_only_matches_wait_for_the_office_to_confirm(app: TestApp) {
    let n = app.token(NAUHEIM).await;
    product_object(
        &app,
        &n,
        "Nauheim",
        "FW-1",
        json!({"vendor": "Beispiel Networks", "product": "Sicherheitsgateway"}),
    )
    .await;
    let (_, out) = import(&app, DEMO).await;
    assert_eq!(out["unconfirmed"], 1, "{out}");
    assert_eq!(out["mailed"], 0, "name-only matches are not mailed");
    assert!(warnings(&app, NAUHEIM).await.is_empty());
    let isb = app.token(ISB).await;
    let (_, pending) = app
        .api(
            Method::GET,
            "/advisory-warnings?unconfirmed=true",
            &isb,
            None,
        )
        .await;
    let id = pending[0]["id"].as_i64().unwrap();
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/advisory-warnings/{id}/confirm"),
            &n,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a member cannot see an unconfirmed warning"
    );
    let (status, c) = app
        .api(
            Method::POST,
            &format!("/advisory-warnings/{id}/confirm"),
            &isb,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["state"], "open");
    assert_eq!(warnings(&app, NAUHEIM).await.len(), 1);
}

async fn bad_documents_answer_422_naming_the_field_and_store_nothing(app: TestApp) {
    let mut v: Value = serde_json::from_slice(DEMO).unwrap();
    v["document"]["tracking"]
        .as_object_mut()
        .unwrap()
        .remove("id");
    let (status, e) = import(&app, &serde_json::to_vec(&v).unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["code"], "error-csaf-schema");
    let detail = e["error"]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("meldung.json") && detail.contains("/document/tracking/id"),
        "{e}"
    );
    for bad in [&b"\xff\xfe"[..], b"{", b"[]"] {
        let (status, e) = import(&app, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    }
    let isb = app.token(ISB).await;
    let (_, list) = app.api(Method::GET, "/advisories", &isb, None).await;
    assert!(list.as_array().unwrap().is_empty());
    let n = app.token(NAUHEIM).await;
    let (status, _) = app.api_upload("/advisories", &n, DEMO.to_vec()).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "members do not learn the import exists"
    );
}

async fn a_warning_becomes_a_measure_of_the_member(app: TestApp) {
    let n = app.token(NAUHEIM).await;
    let fw = product_object(&app, &n, "Nauheim", "FW-1", gateway("7.0")).await;
    import(&app, DEMO).await;
    let id = warnings(&app, NAUHEIM).await[0]["id"].as_i64().unwrap();
    let (status, m) = app
        .api(
            Method::POST,
            &format!("/advisory-warnings/{id}/measure"),
            &n,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    let mid = m["measure_id"].as_i64().unwrap();
    let (status, measure) = app
        .api(Method::GET, &format!("/measures/{mid}"), &n, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{measure}");
    assert!(
        measure.to_string().contains("VERBUND-DEMO-2026-0001"),
        "{measure}"
    );
    assert!(measure.to_string().contains(&fw.to_string()));
    let (_, again) = app
        .api(
            Method::POST,
            &format!("/advisory-warnings/{id}/measure"),
            &n,
            None,
        )
        .await;
    assert_eq!(again["measure_id"], mid, "one measure per warning");
    let leitung = app.token("leitung@nauheim.example").await;
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/advisory-warnings/{id}/acknowledge"),
            &leitung,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "management reads but does not act"
    );
}

async fn office_dashboard_lists_open_critical_warnings(app: TestApp) {
    let n = app.token(NAUHEIM).await;
    product_object(&app, &n, "Nauheim", "FW-1", gateway("7.1.0")).await;
    import(&app, DEMO).await;
    let isb = app.token(ISB).await;
    let (status, list) = app
        .api(Method::GET, "/advisory-warnings/critical", &isb, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["org_name"], "Nauheim");
    let (status, _) = app
        .api(Method::GET, "/advisory-warnings/critical", &n, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn ui_upload_and_acknowledge_with_csrf(app: TestApp) {
    let n = app.token(NAUHEIM).await;
    product_object(&app, &n, "Nauheim", "FW-1", gateway("7.1.0")).await;
    let mut office = app.login(ISB).await;
    let (status, body) = office
        .post_file(&app, "/advisories", "meldung.json", DEMO, &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (status, page) = office.get(&app, "/advisories").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("VERBUND-DEMO-2026-0001"));
    let (status, page) = office
        .post_file(&app, "/advisories", "kaputt.json", b"{", &[])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("kaputt.json"), "the error names the document");

    let mut coord = app.login(NAUHEIM).await;
    let (status, page) = coord.get(&app, "/advisories/warnings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("VERBUND-DEMO-2026-0001"));
    let id = warnings(&app, NAUHEIM).await[0]["id"].as_i64().unwrap();
    let (status, page) = coord.get(&app, &format!("/advisories/warnings/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("FW-1"), "{page}");
    let (status, _) = coord
        .post_form(&app, &format!("/advisories/warnings/{id}/acknowledge"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(warnings(&app, NAUHEIM).await[0]["state"], "acknowledged");
    let mut other = app.login(RAUNHEIM).await;
    let (status, _) = other.get(&app, &format!("/advisories/warnings/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn put_object(app: &TestApp, token: &str, id: i64, short: &str, version: &str) {
    let mut body =
        json!({"short_id": short, "name": "Firewall", "object_type": "network_component"});
    for (k, v) in gateway(version).as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, o) = app
        .api(
            Method::PUT,
            &format!("/structure/objects/{id}"),
            token,
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{o}");
}

async fn an_inventory_change_rematches_that_object(app: TestApp) {
    let n = app.token(NAUHEIM).await;
    let r = app.token(RAUNHEIM).await;
    let (status, out) = import(&app, DEMO).await;
    assert_eq!(status, StatusCode::CREATED, "{out}");
    assert_eq!(out["opened"], 0, "no inventory yet");
    // Creating an affected object warns at once.
    let fw = product_object(&app, &n, "Nauheim", "FW-1", gateway("7.1.0")).await;
    let mine = warnings(&app, NAUHEIM).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["state"], "open");
    assert_eq!(mine[0]["matches"][0]["object_id"], fw);
    // A second affected object joins the same warning.
    let fw2 = product_object(&app, &n, "Nauheim", "FW-2", gateway("7.0.5")).await;
    let mine = warnings(&app, NAUHEIM).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["matches"].as_array().unwrap().len(), 2, "{mine:?}");
    // Deleting one leaves the other.
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/structure/objects/{fw2}"),
            &n,
            None,
        )
        .await;
    assert!(status.is_success(), "{status}");
    let mine = warnings(&app, NAUHEIM).await;
    assert_eq!(mine[0]["matches"].as_array().unwrap().len(), 1, "{mine:?}");
    assert_eq!(mine[0]["state"], "open");
    // Updating to a version outside the range closes the warning; back inside reopens it.
    put_object(&app, &n, fw, "FW-1", "7.2.3").await;
    let w = &warnings(&app, NAUHEIM).await[0];
    assert_eq!(w["state"], "closed", "{w}");
    assert_eq!(w["closed_reason"], "no_match");
    put_object(&app, &n, fw, "FW-1", "7.1.0").await;
    assert_eq!(warnings(&app, NAUHEIM).await[0]["state"], "open");
    // Another member's unaffected object changes nothing for anyone.
    let rfw = product_object(&app, &r, "Raunheim", "FW-1", gateway("7.2.3")).await;
    assert!(warnings(&app, RAUNHEIM).await.is_empty());
    put_object(&app, &r, rfw, "FW-1", "7.2.4").await;
    assert!(warnings(&app, RAUNHEIM).await.is_empty());
    assert_eq!(warnings(&app, NAUHEIM).await.len(), 1);
    // Deleting the last affected object closes the warning.
    let (status, _) = app
        .api(
            Method::DELETE,
            &format!("/structure/objects/{fw}"),
            &n,
            None,
        )
        .await;
    assert!(status.is_success(), "{status}");
    let w = &warnings(&app, NAUHEIM).await[0];
    assert_eq!(w["state"], "closed", "{w}");
}

both!(
    an_inventory_change_rematches_that_object,
    office_import_warns_exactly_the_affected_member_who_acknowledges_it,
    amber_advisories_stay_hidden_from_members_without_a_warning,
    a_newer_revision_saying_fixed_closes_the_warning,
    name_only_matches_wait_for_the_office_to_confirm,
    bad_documents_answer_422_naming_the_field_and_store_nothing,
    a_warning_becomes_a_measure_of_the_member,
    office_dashboard_lists_open_critical_warnings,
    ui_upload_and_acknowledge_with_csrf,
);
