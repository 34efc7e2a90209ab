//! The audit log speaks German, names requirements, shows a bulk change as one entry, filters
//! by person, period, kind of change and object, and exports the filtered log as CSV.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{answer_first_topic, started};
use crate::both;
use crate::helpers::TestApp;

async fn a_bulk_change_is_one_entry_naming_each_requirement(app: TestApp) {
    started(&app).await;
    let (_, ids) = answer_first_topic(&app, "koordination@nauheim.example", "yes").await;
    assert!(ids.len() > 1);
    let coord = app.token("koordination@nauheim.example").await;

    let (status, page) = app
        .api(Method::GET, "/audit?kind=answer.bulk_update", &coord, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(
        page["total"], 1,
        "one entry for the whole bulk change: {page}"
    );
    let rows = page["items"][0]["after"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), ids.len());
    let (_, single) = app
        .api(Method::GET, "/audit?kind=answer.update", &coord, None)
        .await;
    assert_eq!(single["total"], 0, "no entry per row: {single}");

    let mut b = app.login("koordination@nauheim.example").await;
    let (status, html) = b.get(&app, "/audit?kind=answer.bulk_update").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Antworten gesammelt geändert"), "{html}");
    assert!(
        html.contains(&format!("{} Anforderungen", ids.len())),
        "the entry counts its rows"
    );
    assert!(
        html.contains("Status</td><td>offen</td><td>ja</td>"),
        "fields and values in German"
    );
    assert!(
        !html.contains("assessment_answer #"),
        "the requirement is named, not the table row"
    );
}

async fn a_single_answer_change_names_its_requirement(app: TestApp) {
    started(&app).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = crate::assessments::own_assessment(&app, &coord).await;
    let first = crate::assessments::all_answers(&app, &coord, id).await[0].clone();
    let (s, _) = app
        .api(
            Method::PUT,
            &format!("/answers/{}", first["id"]),
            &coord,
            Some(json!({"status": "no", "due_on": "31.03.2027"})),
        )
        .await;
    assert!(s.is_success());

    let mut b = app.login("koordination@nauheim.example").await;
    let (_, html) = b.get(&app, "/audit?object=assessment_answer").await;
    let reference = first["ref_id"].as_str().unwrap();
    assert!(
        html.contains(&format!("Anforderung: {reference}")),
        "names {reference}: {html}"
    );
    assert!(html.contains("31.03.2027"), "dates as TT.MM.JJJJ");
    assert!(html.contains("Fällig am"));
}

async fn the_log_filters_by_person_period_kind_and_object(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let nauheim = app.org_id("Nauheim").await;
    let (s, _) = app
        .api(
            Method::PUT,
            &format!("/organisations/{nauheim}"),
            &isb,
            Some(json!({"name": "Nauheim", "kind": "gemeinde", "population": 10_900})),
        )
        .await;
    assert!(s.is_success());
    let isb_id = app.user_id("isb@verbund.example").await;
    let admin_id = app.user_id("admin@verbund.example").await;

    let (_, by_isb) = app
        .api(
            Method::GET,
            &format!("/audit?person={isb_id}&kind=org.update"),
            &isb,
            None,
        )
        .await;
    assert_eq!(by_isb["total"], 1, "{by_isb}");
    let (_, by_admin) = app
        .api(
            Method::GET,
            &format!("/audit?person={admin_id}&kind=org.update"),
            &isb,
            None,
        )
        .await;
    assert_eq!(by_admin["total"], 0);
    let (_, objects) = app
        .api(
            Method::GET,
            &format!("/audit?object=organisation&object_id={nauheim}"),
            &isb,
            None,
        )
        .await;
    assert!(objects["total"].as_i64().unwrap() >= 1);
    let (_, past) = app
        .api(Method::GET, "/audit?to=31.12.2020", &isb, None)
        .await;
    assert_eq!(past["total"], 0, "nothing happened before 2021");
    let (_, today) = app
        .api(
            Method::GET,
            "/audit?from=01.01.2021&kind=org.update",
            &isb,
            None,
        )
        .await;
    assert_eq!(today["total"], 1);

    let (status, err) = app
        .api(Method::GET, "/audit?from=31.02.2027", &isb, None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["fields"][0]["field"], "from", "{err}");

    let mut b = app.login("isb@verbund.example").await;
    let (status, html) = b.get(&app, "/audit?from=2027&to=").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("aria-invalid=\"true\""),
        "the field is marked"
    );
    assert!(
        html.contains("value=\"2027\""),
        "the typed value comes back"
    );
    let (_, html) = b
        .get(&app, &format!("/audit?person={isb_id}&kind=org.update"))
        .await;
    assert!(html.contains("Organisation geändert"));
    assert!(
        html.contains("Einwohnerzahl"),
        "field names in German: {html}"
    );
    assert!(html.contains("10.900"), "thousands separators");
}

async fn the_filtered_log_exports_as_csv_without_other_members(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    for name in ["Nauheim", "Raunheim"] {
        let id = app.org_id(name).await;
        app.api(
            Method::PUT,
            &format!("/organisations/{id}"),
            &isb,
            Some(json!({"name": name, "kind": "stadt", "population": 12_345})),
        )
        .await;
    }
    let mut b = app.login("isb@verbund.example").await;
    let (status, csv) = b.get(&app, "/audit/export?kind=org.update").await;
    assert_eq!(status, StatusCode::OK);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains("\"Zeitpunkt\""), "{}", lines[0]);
    assert!(csv.contains("Raunheim") && csv.contains("Nauheim"));
    assert!(csv.contains("\"Einwohnerzahl\""), "{csv}");
    assert!(csv.contains("\"12.345\""));

    let mut m = app.login("koordination@nauheim.example").await;
    let (status, csv) = m.get(&app, "/audit/export").await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("Nauheim"), "its own changes");
    assert!(!csv.contains("Raunheim"), "no other member's: {csv}");
    let raunheim = app.org_id("Raunheim").await;
    let (status, _) = m.get(&app, &format!("/audit/export?org={raunheim}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

both!(
    a_bulk_change_is_one_entry_naming_each_requirement,
    a_single_answer_change_names_its_requirement,
    the_log_filters_by_person_period_kind_and_object,
    the_filtered_log_exports_as_csv_without_other_members,
);
