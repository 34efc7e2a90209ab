//! Measures over HTTP: bulk creation from unmet answers with its preview, the workflow of
//! coordinator, owner and management, the link state following an answer, validation,
//! templates pushed by the office, and the UI pages (list, board move without JavaScript).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::assessments::{all_answers, own_assessment, start_all};
use crate::both;
use crate::helpers::TestApp;

async fn answer(app: &TestApp, token: &str, id: i64, status: &str) {
    let (s, v) = app
        .api(
            Method::PUT,
            &format!("/answers/{id}"),
            token,
            Some(json!({"status": status})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// Nauheim's assessment with its first three answers nein, teilweise, ja; returns the
/// assessment and those answers' ids.
async fn nauheim_assessment(app: &TestApp, coord: &str) -> (i64, Vec<i64>) {
    let isb = app.token("isb@verbund.example").await;
    start_all(app, &isb).await;
    let a = own_assessment(app, coord).await;
    let ids: Vec<i64> = all_answers(app, coord, a).await[..3]
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    for (id, s) in ids.iter().zip(["no", "partial", "yes"]) {
        answer(app, coord, *id, s).await;
    }
    (a, ids)
}

async fn set_status(app: &TestApp, token: &str, id: i64, status: &str) -> (StatusCode, Value) {
    app.api(
        Method::PUT,
        &format!("/measures/{id}/status"),
        token,
        Some(json!({"status": status})),
    )
    .await
}

async fn unmet_answers_become_measures_that_owners_progress_and_coordinators_check(app: TestApp) {
    let coord = app.token("koordination@nauheim.example").await;
    let (a, answers) = nauheim_assessment(&app, &coord).await;
    let (s, p) = app
        .api(
            Method::GET,
            &format!("/assessments/{a}/measures/bulk"),
            &coord,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["count"], 2, "nein and teilweise");
    let (s, created) = app
        .api(
            Method::POST,
            &format!("/assessments/{a}/measures/bulk"),
            &coord,
            Some(json!({"priority": "hoch"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let ids: Vec<i64> = created["measure_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    let (_, p) = app
        .api(
            Method::GET,
            &format!("/assessments/{a}/measures/bulk"),
            &coord,
            None,
        )
        .await;
    assert_eq!(p["count"], 0, "nothing left to create");
    let (_, again) = app
        .api(
            Method::POST,
            &format!("/assessments/{a}/measures/bulk"),
            &coord,
            Some(json!({})),
        )
        .await;
    assert_eq!(again["measure_ids"], json!([]));

    // Management reads, changes nothing; another member sees nothing.
    let leitung = app.token("leitung@nauheim.example").await;
    let (_, list) = app
        .api(Method::GET, "/measures?priority=hoch", &leitung, None)
        .await;
    assert_eq!(list["total"], 2, "{list}");
    assert_eq!(
        set_status(&app, &leitung, ids[0], "in_arbeit").await.0,
        StatusCode::FORBIDDEN
    );
    let raunheim = app.token("koordination@raunheim.example").await;
    let (s, _) = app
        .api(
            Method::GET,
            &format!("/measures/{}", ids[0]),
            &raunheim,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, list) = app.api(Method::GET, "/measures", &raunheim, None).await;
    assert_eq!(list["total"], 0);

    // The owner sees only what is assigned to them.
    let owner_token = app.token("massnahmen@nauheim.example").await;
    let owner = app.user_id("massnahmen@nauheim.example").await;
    let (_, list) = app.api(Method::GET, "/measures", &owner_token, None).await;
    assert_eq!(list["total"], 0);
    let (_, m) = app
        .api(Method::GET, &format!("/measures/{}", ids[0]), &coord, None)
        .await;
    let measure = &m["measure"];
    let (s, changed) = app
        .api(
            Method::PUT,
            &format!("/measures/{}", ids[0]),
            &coord,
            Some(json!({"title": measure["title"], "owner_user_id": owner, "due_on": "2020-01-31", "priority": "sehr_hoch", "cost_euros": "2.500,00", "effort_days": 3, "revision": measure["revision"]})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{changed}");
    assert_eq!(changed["overdue"], true);
    assert_eq!(changed["cost_cents"], 250_000);
    let (_, list) = app
        .api(Method::GET, "/measures?overdue=true", &owner_token, None)
        .await;
    assert_eq!(list["total"], 1, "{list}");
    // A stale revision is refused.
    let (s, _) = app
        .api(
            Method::PUT,
            &format!("/measures/{}", ids[0]),
            &coord,
            Some(json!({"title": "x", "revision": measure["revision"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    assert_eq!(
        set_status(&app, &owner_token, ids[0], "in_arbeit").await.0,
        StatusCode::OK
    );
    let (s, n) = app
        .api(
            Method::POST,
            &format!("/measures/{}/notes", ids[0]),
            &owner_token,
            Some(json!({"body": "Angebot eingeholt"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(
        set_status(&app, &owner_token, ids[0], "umgesetzt").await.0,
        StatusCode::OK
    );
    let (s, e) = set_status(&app, &owner_token, ids[0], "geprueft").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        e["error"]["fields"][0]["code"], "error-measure-review",
        "{e}"
    );
    // Not the owner's: 404 for the owner, as if it did not exist.
    assert_eq!(
        set_status(&app, &owner_token, ids[1], "in_arbeit").await.0,
        StatusCode::NOT_FOUND
    );

    // Done, but the requirement is still nein: the measure warns; once ja, it is fulfilled.
    let (_, d) = app
        .api(Method::GET, &format!("/measures/{}", ids[0]), &coord, None)
        .await;
    assert_eq!(d["measure"]["link"]["warning"], "done_but_unmet", "{d}");
    assert_eq!(d["requirements"][0]["answer_id"], answers[0]);
    assert_eq!(d["notes"][0]["body"], "Angebot eingeholt");
    answer(&app, &coord, answers[0], "yes").await;
    let (_, d) = app
        .api(Method::GET, &format!("/measures/{}", ids[0]), &coord, None)
        .await;
    assert_eq!(d["measure"]["link"]["fulfilled"], true);
    assert_eq!(d["measure"]["link"]["warning"], Value::Null);
    let (s, checked) = set_status(&app, &coord, ids[0], "geprueft").await;
    assert_eq!(s, StatusCode::OK, "{checked}");
    assert_eq!(
        set_status(&app, &coord, ids[1], "geprueft").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

async fn bad_measures_are_refused_in_german_and_change_nothing(app: TestApp) {
    let coord = app.token("koordination@nauheim.example").await;
    let nauheim = app.org_id("Nauheim").await;
    let raunheim_user = app.user_id("leitung@raunheim.example").await;
    let (s, e) = app
        .api(
            Method::POST,
            &format!("/organisations/{nauheim}/measures"),
            &coord,
            Some(json!({"title": "", "due_on": "31.02.2027", "cost_euros": -5, "owner_user_id": raunheim_user})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let fields: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["title", "owner_user_id", "due_on", "cost_euros"]);
    assert!(
        e["error"]["fields"][1]["message"]
            .as_str()
            .unwrap()
            .contains("Rolle"),
        "{e}"
    );
    let (_, list) = app.api(Method::GET, "/measures", &coord, None).await;
    assert_eq!(list["total"], 0);
    let (s, _) = app
        .api(Method::GET, "/measures?status=erledigt", &coord, None)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, m) = app
        .api(
            Method::POST,
            &format!("/organisations/{nauheim}/measures"),
            &coord,
            Some(json!({"title": "Notfallhandbuch", "effort_days": "2,5"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!(m["effort_days"], 2.5);
    let (s, e) = set_status(&app, &coord, m["id"].as_i64().unwrap(), "geprueft").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["error"]["fields"][0]["code"], "error-measure-transition");
}

async fn the_office_pushes_a_template_and_follows_every_member(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let coord = app.token("koordination@nauheim.example").await;
    let (s, _) = app
        .api(
            Method::POST,
            "/measure-templates",
            &coord,
            Some(json!({"title": "x"})),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "members do not see the office's templates"
    );
    let (s, t) = app
        .api(Method::POST, "/measure-templates", &isb, Some(json!({"title": "Offline-Datensicherung einführen", "due_on": "2027-06-30", "priority": "hoch"})))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let id = t["id"].as_i64().unwrap();
    let (s, pushed) = app
        .api(
            Method::POST,
            &format!("/measure-templates/{id}/push"),
            &isb,
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{pushed}");
    assert_eq!(
        pushed["measure_ids"].as_array().unwrap().len(),
        13,
        "the Kreis and the 12 towns"
    );
    let (_, mine) = app
        .api(
            Method::GET,
            &format!("/measures?template={id}"),
            &coord,
            None,
        )
        .await;
    assert_eq!(mine["total"], 1);
    let m = mine["items"][0]["id"].as_i64().unwrap();
    assert_eq!(
        set_status(&app, &coord, m, "umgesetzt").await.0,
        StatusCode::OK
    );
    let (_, progress) = app
        .api(Method::GET, &format!("/measure-templates/{id}"), &isb, None)
        .await;
    assert_eq!(progress["template"]["pushed"], 13);
    assert_eq!(progress["template"]["done"], 1);
    let nauheim = progress["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["org_name"] == "Nauheim")
        .unwrap()
        .clone();
    assert_eq!(nauheim["status"], "umgesetzt");
    let (_, again) = app
        .api(
            Method::POST,
            &format!("/measure-templates/{id}/push"),
            &isb,
            Some(json!({})),
        )
        .await;
    assert_eq!(
        again["measure_ids"],
        json!([]),
        "every member has it already"
    );
}

async fn the_board_moves_a_measure_with_a_plain_form(app: TestApp) {
    let coord = app.token("koordination@nauheim.example").await;
    let nauheim = app.org_id("Nauheim").await;
    let (_, m) = app
        .api(
            Method::POST,
            &format!("/organisations/{nauheim}/measures"),
            &coord,
            Some(json!({"title": "Virenschutz prüfen", "due_on": "2020-05-01"})),
        )
        .await;
    let id = m["id"].as_i64().unwrap();
    let mut b = app.login("koordination@nauheim.example").await;
    let (s, html) = b.get(&app, "/measures").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Virenschutz prüfen") && html.contains("überfällig"),
        "{html}"
    );
    let (s, html) = b.get(&app, "/measures/board").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&format!("action=\"/measures/{id}/status\"")));
    let (s, to) = b
        .post_form(
            &app,
            &format!("/measures/{id}/status"),
            &[
                ("status", "in_arbeit"),
                ("back", "board"),
                ("query", "&org="),
            ],
        )
        .await;
    assert!(s.is_redirection(), "{s} {to}");
    assert!(to.starts_with("/measures/board"), "{to}");
    let (_, d) = app
        .api(Method::GET, &format!("/measures/{id}"), &coord, None)
        .await;
    assert_eq!(
        d["measure"]["status"], "in_arbeit",
        "JSON names the status by its code, as it reads it"
    );
    let (s, _) = b
        .post_form(&app, &format!("/measures/{id}/notes"), &[("body", " ")])
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, html) = b.get(&app, &format!("/measures/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Verschieben") || html.contains("Status ändern"),
        "{html}"
    );
}

async fn object(app: &TestApp, token: &str, org: i64, short: &str) -> i64 {
    let (s, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{org}/structure/objects"),
            token,
            Some(json!({"short_id": short, "name": format!("Objekt {short}"), "object_type": "server"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    o["id"].as_i64().unwrap()
}

async fn a_measure_gets_its_target_objects_of_the_own_member_only(app: TestApp) {
    let coord = app.token("koordination@nauheim.example").await;
    let nauheim = app.org_id("Nauheim").await;
    let raunheim = app.org_id("Raunheim").await;
    let s1 = object(&app, &coord, nauheim, "MO-S1").await;
    let s2 = object(&app, &coord, nauheim, "MO-S2").await;
    let foreign = object(
        &app,
        &app.token("koordination@raunheim.example").await,
        raunheim,
        "MO-R1",
    )
    .await;
    let (_, m) = app
        .api(
            Method::POST,
            &format!("/organisations/{nauheim}/measures"),
            &coord,
            Some(json!({"title": "Härtung der Server"})),
        )
        .await;
    let id = m["id"].as_i64().unwrap();
    let path = format!("/measures/{id}/objects");

    let (s, d) = app
        .api(
            Method::PUT,
            &path,
            &coord,
            Some(json!({"object_ids": [s1, s2]})),
        )
        .await;

    assert_eq!(s, StatusCode::OK, "{d}");
    let shorts: Vec<&str> = d["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["short_id"].as_str().unwrap())
        .collect();
    assert_eq!(shorts, ["MO-S1", "MO-S2"]);
    let (s, e) = app
        .api(
            Method::PUT,
            &path,
            &coord,
            Some(json!({"object_ids": [s1, foreign]})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "object_ids");
    let (_, d) = app
        .api(Method::GET, &format!("/measures/{id}"), &coord, None)
        .await;
    assert_eq!(d["objects"].as_array().unwrap().len(), 2, "unchanged");
    let management = app.token("leitung@nauheim.example").await;
    let (s, _) = app
        .api(
            Method::PUT,
            &path,
            &management,
            Some(json!({"object_ids": []})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "own member, no right");

    let mut b = app.login("koordination@nauheim.example").await;
    let (_, html) = b.get(&app, &format!("/measures/{id}")).await;
    assert!(
        html.contains(&format!(
            "id=\"object-{s1}\" name=\"object\" value=\"{s1}\" checked"
        )),
        "{html}"
    );
    assert!(!html.contains("MO-R1"));
    let (s, to) = b
        .post_form(&app, &path, &[("object", &s2.to_string())])
        .await;
    assert!(s.is_redirection(), "{s} {to}");
    let (_, d) = app
        .api(Method::GET, &format!("/measures/{id}"), &coord, None)
        .await;
    assert_eq!(d["objects"][0]["short_id"], "MO-S2");
    assert_eq!(d["objects"].as_array().unwrap().len(), 1);
}

both!(
    unmet_answers_become_measures_that_owners_progress_and_coordinators_check,
    bad_measures_are_refused_in_german_and_change_nothing,
    the_office_pushes_a_template_and_follows_every_member,
    the_board_moves_a_measure_with_a_plain_form,
    a_measure_gets_its_target_objects_of_the_own_member_only,
);
