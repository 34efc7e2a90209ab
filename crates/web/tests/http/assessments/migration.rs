//! Migrating an assessment to a new catalog revision.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{STARTER, all_answers, own_assessment, start_all};
use crate::both;
use crate::helpers::TestApp;

/// The starter catalog as a next revision: T01.01 reworded, T01.02 dropped, T19.08 added.
fn starter_next_revision() -> Vec<u8> {
    let text = std::str::from_utf8(STARTER).unwrap();
    let start = text
        .find("    - urn: urn:verbund:risk:req_node:verbund-starter:t01.02\n")
        .unwrap();
    let end = start + 10 + text[start + 10..].find("    - urn: ").unwrap();
    let mut next = format!("{}{}", &text[..start], &text[end..]);
    next = next.replacen(
        "Wurde eine Person als Informationssicherheitsbeauftragte",
        "Wurde schriftlich eine Person als Informationssicherheitsbeauftragte",
        1,
    );
    next.push_str(
        "    - urn: urn:verbund:risk:req_node:verbund-starter:t19.08\n      assessable: true\n      depth: 2\n      parent_urn: urn:verbund:risk:req_node:verbund-starter:t19\n      ref_id: T19.08\n      name: Neue Frage\n      description: Gibt es eine neue Regel?\n      implementation_groups:\n      - P3\n",
    );
    next.into_bytes()
}

async fn an_assessment_moves_to_a_new_catalog_revision_with_its_answers(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let old_catalog = start_all(&app, &isb).await;
    let coord = app.token("koordination@nauheim.example").await;
    let id = own_assessment(&app, &coord).await;
    let rows = all_answers(&app, &coord, id).await;
    let (t0101, t0102, t0103) = (
        rows[0]["id"].as_i64().unwrap(),
        rows[1]["id"].as_i64().unwrap(),
        rows[2]["id"].as_i64().unwrap(),
    );
    for (rid, body) in [
        (t0101, json!({"status": "yes", "owner": "Hauptamt"})),
        (t0102, json!({"status": "no"})),
        (t0103, json!({"status": "partial"})),
    ] {
        assert_eq!(
            app.api(Method::PUT, &format!("/answers/{rid}"), &coord, Some(body))
                .await
                .0,
            StatusCode::OK
        );
    }
    app.api_upload(
        &format!("/answers/{t0103}/evidence?file_name=nachweis.pdf"),
        &coord,
        b"%PDF-1.4 x".to_vec(),
    )
    .await;
    let (status, imported) = app
        .api_upload(
            "/catalogs?file_name=starter-v2.yaml",
            &isb,
            starter_next_revision(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    assert_eq!(imported["catalog"]["revision"], 2);
    let new_catalog = imported["catalog"]["id"].as_i64().unwrap();

    let (status, p) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/migration?to={new_catalog}"),
            &coord,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    let urns = |k: &str| {
        p["diff"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["ref_id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        (urns("added"), urns("removed"), urns("changed")),
        (
            vec!["T19.08".to_owned()],
            vec!["T01.02".to_owned()],
            vec!["T01.01".to_owned()]
        )
    );
    assert_eq!(
        (
            p["diff"]["unchanged"].as_i64(),
            p["answers_dropped"].as_i64()
        ),
        (Some(128), Some(1))
    );
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/assessments/{id}/migration?to={old_catalog}"),
            &coord,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only a newer revision"
    );

    let (status, moved) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/migrate"),
            &coord,
            Some(json!({"catalog_id": new_catalog})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    let new_id = moved["created"][0].as_i64().unwrap();
    let (_, a) = app
        .api(Method::GET, &format!("/assessments/{new_id}"), &coord, None)
        .await;
    assert_eq!(
        (
            a["tally"]["total"].as_i64(),
            a["tally"]["yes"].as_i64(),
            a["tally"]["partial"].as_i64(),
            a["tally"]["no"].as_i64()
        ),
        (Some(130), Some(1), Some(1), Some(0))
    );
    let new_rows = all_answers(&app, &coord, new_id).await;
    assert_eq!(new_rows[0]["answer"]["owner"], "Hauptamt");
    assert_eq!(
        new_rows[1]["evidence_count"], 1,
        "evidence follows its requirement"
    );
    let (_, old) = app
        .api(Method::GET, &format!("/assessments/{id}"), &coord, None)
        .await;
    assert_eq!(
        old["tally"]["no"], 1,
        "the old assessment is kept as it was"
    );
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/assessments/{id}/migrate"),
            &coord,
            Some(json!({"catalog_id": new_catalog})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "only once");
    let boss = app.token("leitung@nauheim.example").await;
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/assessments/{id}/migrate"),
            &boss,
            Some(json!({"catalog_id": new_catalog}))
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let mut b = app.login("koordination@nauheim.example").await;
    let (_, page) = b.get(&app, &format!("/assessments/{id}")).await;
    assert!(page.contains("Neuer Katalogstand verfügbar"));
    let (status, page) = b
        .get(
            &app,
            &format!("/assessments/{id}/migration?to={new_catalog}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("T19.08") && page.contains("T01.02"));
}

both!(an_assessment_moves_to_a_new_catalog_revision_with_its_answers);
