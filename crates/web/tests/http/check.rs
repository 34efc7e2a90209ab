//! IT-Grundschutz-Check over HTTP: rows from assigned modules, high-level requirements that
//! appear and drop out with the object's need (answers kept), answers with the assessment's
//! rules, fulfilment by a provider object for every member relying on it, the office's
//! comparison, and the pages (quick answers with CSRF, the answer form, the object page).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::TestApp;
use crate::modelling::import_mini;

async fn object(app: &TestApp, token: &str, org: i64, short: &str, t: &str) -> i64 {
    let (status, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{org}/structure/objects"),
            token,
            Some(json!({"short_id": short, "name": format!("Objekt {short}"), "object_type": t})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    o["id"].as_i64().unwrap()
}

async fn assign(app: &TestApp, token: &str, id: i64, module: &str) {
    let (status, a) = app
        .api(
            Method::POST,
            &format!("/structure/objects/{id}/modules"),
            token,
            Some(json!({"module": module})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
}

async fn link(app: &TestApp, token: &str, from: i64, to: i64, t: &str) {
    let (status, l) = app
        .api(
            Method::POST,
            "/structure/links",
            token,
            Some(json!({"from": from, "to": to, "link_type": t})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{l}");
}

async fn check(app: &TestApp, token: &str, org: i64, query: &str) -> Value {
    let (status, c) = app
        .api(
            Method::GET,
            &format!("/organisations/{org}/check{query}"),
            token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    c
}

fn refs(c: &Value) -> Vec<String> {
    c["rows"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ref_id"].as_str().unwrap().to_owned())
        .collect()
}

fn row_id(c: &Value, reference: &str) -> i64 {
    c["rows"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ref_id"] == reference)
        .unwrap_or_else(|| panic!("{reference} in {c}"))["id"]
        .as_i64()
        .unwrap()
}

async fn put(app: &TestApp, token: &str, row: i64, body: Value) -> (StatusCode, Value) {
    app.api(
        Method::PUT,
        &format!("/check/rows/{row}"),
        token,
        Some(body),
    )
    .await
}

async fn need(app: &TestApp, token: &str, id: i64, value: &str) {
    let (status, n) = app
        .api(
            Method::PUT,
            &format!("/structure/objects/{id}/needs"),
            token,
            Some(json!({"goal": "confidentiality", "value": value, "justification": "Meldedaten"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{n}");
}

async fn high_requirements_appear_and_drop_out_with_the_need(app: TestApp) {
    import_mini(&app).await;
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let gp = object(&app, &t, nauheim, "GP1", "business_process").await;
    let a = object(&app, &t, nauheim, "A1", "application").await;
    let s = object(&app, &t, nauheim, "S1", "server").await;
    link(&app, &t, a, gp, "processes_data_of").await;
    link(&app, &t, a, s, "runs_on").await;
    assign(&app, &t, s, "SYS.1.1").await;

    let c = check(&app, &t, nauheim, "").await;
    assert_eq!(
        refs(&c),
        ["SYS.1.1.A1", "SYS.1.1.A2"],
        "no high-level row yet"
    );
    assert_eq!(c["summary"]["basis"]["total"], 1);
    assert_eq!(c["summary"]["high"]["total"], 0);
    let first = &c["rows"]["items"][0];
    assert_eq!(first["level"], "basis");
    assert_eq!(first["module_ref"], "SYS.1.1");
    assert!(
        first["text"]
            .as_str()
            .unwrap()
            .contains("Nur befugte Personen"),
        "the sentences are the text: {first}"
    );
    let all = check(&app, &t, nauheim, "?all=true").await;
    let high = row_id(&all, "SYS.1.1.A3");
    assert_eq!(all["rows"]["items"][2]["in_scope"], false);

    // Answered while out of scope, then the process's need rises to hoch.
    let (status, r) = put(
        &app,
        &t,
        high,
        json!({"status": "ja", "comment": "Zweiter Standort in Groß-Gerau"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    need(&app, &t, gp, "high").await;
    let c = check(&app, &t, nauheim, "").await;
    assert_eq!(refs(&c), ["SYS.1.1.A1", "SYS.1.1.A2", "SYS.1.1.A3"]);
    assert_eq!(c["summary"]["high"]["yes"], 1);
    let only_high = check(&app, &t, nauheim, "?level=high").await;
    assert_eq!(refs(&only_high), ["SYS.1.1.A3"]);

    // It falls again: the row drops out of the check and its answer stays.
    need(&app, &t, gp, "").await;
    let c = check(&app, &t, nauheim, "").await;
    assert_eq!(refs(&c).len(), 2);
    assert_eq!(c["summary"]["high"]["total"], 0);
    let (_, kept) = app
        .api(Method::GET, &format!("/check/rows/{high}"), &t, None)
        .await;
    assert_eq!(kept["answer"]["status"], "yes");
    assert_eq!(kept["answer"]["comment"], "Zweiter Standort in Groß-Gerau");

    // Bad input: a German message, 422, nothing stored.
    let a1 = row_id(&c, "SYS.1.1.A1");
    let (status, e) = put(&app, &t, a1, json!({"status": "entbehrlich"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "justification");
    assert!(e["error"]["message"].as_str().is_some());
    let (status, e) = put(&app, &t, a1, json!({"status": "vielleicht"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (status, e) = put(&app, &t, a1, json!({"status": "ja", "fulfilled_by": s})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["code"],
        "error-check-reference-self"
    );
    let (status, e) = check_status(&app, &t, nauheim, "?level=extra").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (_, unchanged) = app
        .api(Method::GET, &format!("/check/rows/{a1}"), &t, None)
        .await;
    assert_eq!(unchanged["answer"]["status"], "unanswered");
    assert_eq!(unchanged["version"], 0);

    // A stale version is 409.
    let (status, _) = put(&app, &t, a1, json!({"status": "ja", "version": 0})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = put(&app, &t, a1, json!({"status": "nein", "version": 0})).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Management reads but may not answer; another member sees nothing.
    let lead = app.token("leitung@nauheim.example").await;
    assert_eq!(check(&app, &lead, nauheim, "").await["rows"]["total"], 2);
    let (status, _) = put(&app, &lead, a1, json!({"status": "nein"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other = app.token("koordination@raunheim.example").await;
    let (status, _) = app
        .api(Method::GET, &format!("/check/rows/{a1}"), &other, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = put(&app, &other, a1, json!({"status": "nein"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        check_status(&app, &other, nauheim, "").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/structure/objects/{s}/check"),
            &other,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, rows) = app
        .api(
            Method::GET,
            &format!("/structure/objects/{s}/check"),
            &t,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        rows.as_array().unwrap().len(),
        3,
        "the object's rows, in scope or not"
    );
}

async fn check_status(app: &TestApp, token: &str, org: i64, query: &str) -> (StatusCode, Value) {
    app.api(
        Method::GET,
        &format!("/organisations/{org}/check{query}"),
        token,
        None,
    )
    .await
}

async fn a_provider_object_fulfils_the_requirement_for_every_member_relying_on_it(app: TestApp) {
    import_mini(&app).await;
    let isb = app.token("isb@verbund.example").await;
    let (status, p) = app
        .api(
            Method::POST,
            "/organisations",
            &isb,
            Some(json!({"name": "Landes-IT Hessen (Demo)", "kind": "provider"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let provider = p["id"].as_i64().unwrap();
    let rz = object(&app, &isb, provider, "RZ-1", "room").await;
    assign(&app, &isb, rz, "INF.2").await;
    let mut members = Vec::new();
    for (town, login) in [("Nauheim", "nauheim"), ("Raunheim", "raunheim")] {
        let org = app.org_id(town).await;
        let t = app.token(&format!("koordination@{login}.example")).await;
        let room = object(&app, &t, org, "R1", "room").await;
        link(&app, &t, room, rz, "provided_by").await;
        assign(&app, &t, room, "INF.2").await;
        let row = row_id(&check(&app, &t, org, "").await, "INF.2.A1");
        let (status, r) = put(
            &app,
            &t,
            row,
            json!({"status": "offen", "fulfilled_by": rz}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{r}");
        assert_eq!(
            r["effective_status"], "unanswered",
            "the provider has not answered yet"
        );
        members.push((org, t, row, room));
    }
    // The provider's row is the office's: a member may read the object, not answer for it.
    let rz_row = row_id(&check(&app, &isb, provider, "").await, "INF.2.A1");
    let (status, _) = put(&app, &members[0].1, rz_row, json!({"status": "ja"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, r) = put(&app, &isb, rz_row, json!({"status": "ja"})).await;
    assert_eq!(status, StatusCode::OK, "{r}");

    for (org, t, _, _) in &members {
        let c = check(&app, t, *org, "").await;
        let row = &c["rows"]["items"][0];
        assert_eq!(row["effective_status"], "yes", "{row}");
        assert_eq!(row["answer"]["status"], "unanswered");
        assert_eq!(row["fulfilled_by"]["short_id"], "RZ-1");
        assert_eq!(row["fulfilled_by"]["org_name"], "Landes-IT Hessen (Demo)");
        assert_eq!(c["summary"]["basis"]["yes"], 1);
    }
    // A member cannot name another member's object.
    let (status, e) = put(
        &app,
        &members[0].1,
        members[0].2,
        json!({"status": "ja", "fulfilled_by": members[1].3}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(
        e["error"]["fields"][0]["code"],
        "error-check-reference-unknown"
    );

    // The comparison: Basis fulfilment per member, providers left out; office only.
    let (status, cmp) = app.api(Method::GET, "/check/comparison", &isb, None).await;
    assert_eq!(status, StatusCode::OK, "{cmp}");
    let lines = cmp.as_array().unwrap();
    assert_eq!(lines.len(), 2, "{cmp}");
    assert!(
        lines
            .iter()
            .all(|l| l["basis"]["yes"] == 1 && l["org_id"] != provider)
    );
    let (status, _) = app
        .api(Method::GET, "/check/comparison", &members[0].1, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_check_page_answers_quickly_with_csrf(app: TestApp) {
    import_mini(&app).await;
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let s = object(&app, &t, nauheim, "S1", "server").await;
    assign(&app, &t, s, "SYS.1.1").await;
    let row = row_id(&check(&app, &t, nauheim, "").await, "SYS.1.1.A1");

    let mut b = app.login("koordination@nauheim.example").await;
    let (status, page) = b.get(&app, &format!("/orgs/{nauheim}/check")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("SYS.1.1.A1") && page.contains("IT-Grundschutz-Check"),
        "{page}"
    );
    assert!(page.contains(&format!("action=\"/check/rows/{row}\"")));
    let (status, page) = b
        .get(
            &app,
            &format!("/orgs/{nauheim}/check?level=standard&status=unanswered"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("SYS.1.1.A2") && !page.contains(">SYS.1.1.A1<"));

    // Without the token nothing is saved.
    let (status, _) = b
        .post_raw(
            &app,
            &format!("/check/rows/{row}"),
            &[("status", "yes")],
            Some("http://localhost"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, partial) = b
        .post_htmx(
            &app,
            &format!("/check/rows/{row}"),
            &[("status", "yes"), ("version", "0")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(partial.contains("hx-swap-oob=\"true\"") && partial.contains(&format!("check-{row}")));
    // entbehrlich without a justification: the row shows the German message.
    let (status, partial) = b
        .post_htmx(
            &app,
            &format!("/check/rows/{row}"),
            &[("status", "not_applicable")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(partial.contains("field-error"), "{partial}");

    // The full form (without JavaScript) redirects back to the check.
    let (status, form) = b.get(&app, &format!("/check/rows/{row}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("Umsetzungshinweis"));
    let (status, _) = b
        .post_form(
            &app,
            &format!("/check/rows/{row}"),
            &[
                ("status", "partial"),
                ("comment", "Schrank fehlt"),
                ("owner", "IT"),
                ("due_on", "31.03.2027"),
                ("back", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, r) = app
        .api(Method::GET, &format!("/check/rows/{row}"), &t, None)
        .await;
    assert_eq!(r["answer"]["status"], "partial");
    assert_eq!(r["answer"]["due_on"], "2027-03-31");
    let (status, page) = b
        .post_form(
            &app,
            &format!("/check/rows/{row}"),
            &[("status", "not_applicable")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("aria-invalid=\"true\""));

    // The object page lists its rows; the office reads the comparison page.
    let (status, obj) = b.get(&app, &format!("/structure/objects/{s}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(obj.contains("SYS.1.1.A1") && obj.contains(&format!("/check/rows/{row}")));
    let mut isb = app.login("isb@verbund.example").await;
    let (status, cmp) = isb.get(&app, "/check/comparison").await;
    assert_eq!(status, StatusCode::OK);
    assert!(cmp.contains("Nauheim"));
    let (status, _) = b.get(&app, "/check/comparison").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The member's structure report carries the check: a sheet (and PDF section) with one row
/// per requirement in scope, the status it counts with, owner and date, and the note.
async fn the_structure_report_lists_the_check_results(app: TestApp) {
    import_mini(&app).await;
    let nauheim = app.org_id("Nauheim").await;
    let t = app.token("koordination@nauheim.example").await;
    let s = object(&app, &t, nauheim, "S1", "server").await;
    assign(&app, &t, s, "SYS.1.1").await;
    let c = check(&app, &t, nauheim, "").await;
    let in_scope = c["rows"]["total"].as_i64().unwrap();
    let row = row_id(&c, "SYS.1.1.A1");
    let note = "Schrank <b>abschließen</b> & #set page()";
    let (status, r) = put(
        &app,
        &t,
        row,
        json!({"status": "partial", "owner": "IT-Team", "due_on": "2027-03-31", "comment": note}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");

    let (status, _, xlsx) = app
        .api_file(
            &format!("/organisations/{nauheim}/structure/report?format=xlsx"),
            &t,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::Xlsx::new(std::io::Cursor::new(xlsx)).expect("a workbook");
    let sheet = wb
        .worksheet_range("IT-Grundschutz-Check")
        .expect("the check sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let a1 = rows
        .iter()
        .find(|r| r[1].starts_with("SYS.1.1.A1"))
        .expect("the answered requirement");
    assert_eq!(a1[0], "S1 Objekt S1");
    assert_eq!(a1[3], "teilweise");
    assert_eq!(a1[5], "IT-Team, 31.03.2027");
    assert_eq!(a1[6], note);
    let data_rows = rows.iter().filter(|r| r[1].starts_with("SYS.")).count();
    assert_eq!(
        data_rows as i64, in_scope,
        "one row per requirement in scope"
    );

    let (status, _, pdf) = app
        .api_file(
            &format!("/organisations/{nauheim}/structure/report?format=pdf"),
            &t,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = crate::helpers::pdftotext(&pdf);
    assert!(text.contains("IT-Grundschutz-Check"), "{text}");
    assert!(text.contains("Erfüllung"), "{text}");
    // Typed markup is printed as text, not interpreted.
    assert!(
        text.contains("abschließen</b>") && text.contains("#set"),
        "{text}"
    );
}

both!(
    high_requirements_appear_and_drop_out_with_the_need,
    a_provider_object_fulfils_the_requirement_for_every_member_relying_on_it,
    the_check_page_answers_quickly_with_csrf,
    the_structure_report_lists_the_check_results
);
