//! Key figures belong to the office: a coordinator who cut the population 10,840 → 1 moved
//! about 2,900 € of Nauheim's share onto the other members. Now a member proposes, the office
//! decides, and an issued statement records when the figures it used last changed.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use verbund_domain::OrgId;
use verbund_domain::authz::Scope;

use crate::both;
use crate::helpers::{TEST_ACCESS, TestApp};

async fn population(app: &TestApp, org: i64) -> Option<i64> {
    app.store
        .get_org(&Scope::system(&TEST_ACCESS), OrgId(org))
        .await
        .unwrap()
        .population
}

async fn a_member_cannot_set_its_figures_but_proposes_them_and_the_office_decides(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let coord = app.token("koordination@nauheim.example").await;
    let isb = app.token("isb@verbund.example").await;

    // The attack of the review: population 10,840 → 1 through the API.
    let (status, body) = app
        .api(
            Method::PUT,
            &format!("/organisations/{nauheim}"),
            &coord,
            Some(
                json!({"name": "Nauheim", "kind": "gemeinde", "ags": "06433009", "population": 1}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "population", "{body}");
    assert_eq!(
        body["error"]["fields"][0]["code"],
        "error-key-figures-proposal"
    );
    assert_eq!(population(&app, nauheim).await, Some(10_840));
    // Leaving the figures out keeps them.
    let (status, org) = app
        .api(
            Method::PUT,
            &format!("/organisations/{nauheim}"),
            &coord,
            Some(json!({"name": "Gemeinde Nauheim", "kind": "gemeinde", "ags": "06433009"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{org}");
    assert_eq!(
        (org["population"].as_i64(), org["staff"].as_i64()),
        (Some(10_840), Some(98))
    );
    assert!(
        org["figures_changed_at_ms"].is_null(),
        "no figure changed: {org}"
    );

    // The proposal.
    let path = format!("/organisations/{nauheim}/key-figure-proposals");
    let (status, unchanged) = app
        .api(
            Method::POST,
            &path,
            &coord,
            Some(json!({"population": 10_840})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unchanged["error"]["fields"][0]["code"],
        "error-key-figures-unchanged"
    );
    let (status, p) = app
        .api(Method::POST, &path, &coord,
            Some(json!({"population": 10_912, "reason": "Hessisches Statistisches Landesamt, 31.12.2025"})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(
        (
            p["status"].as_str(),
            p["previous"]["population"].as_i64(),
            p["proposed"]["population"].as_i64()
        ),
        (Some("open"), Some(10_840), Some(10_912))
    );
    assert_eq!(
        p["proposed"]["staff"], 98,
        "figures left out keep their value"
    );
    assert!(
        p["proposed_by"]
            .as_str()
            .unwrap()
            .starts_with("koordination@nauheim.example"),
        "{p}"
    );
    let id = p["id"].as_i64().unwrap();
    let (status, again) = app
        .api(Method::POST, &path, &coord, Some(json!({"staff": 99})))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one open proposal at a time"
    );
    assert_eq!(
        again["error"]["fields"][0]["code"],
        "error-key-figures-open"
    );
    assert_eq!(
        population(&app, nauheim).await,
        Some(10_840),
        "a proposal changes nothing yet"
    );

    // The member may not decide its own proposal (403); another member does not see it (404).
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/key-figure-proposals/{id}/accept"),
            &coord,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other = app.token("koordination@raunheim.example").await;
    let (status, _) = app
        .api(
            Method::GET,
            &format!("/key-figure-proposals/{id}"),
            &other,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = app
        .api(
            Method::GET,
            "/key-figure-proposals?status=open",
            &other,
            None,
        )
        .await;
    assert_eq!(list["total"], 0, "{list}");

    // The office sees it among the open ones and accepts.
    let (_, list) = app
        .api(Method::GET, "/key-figure-proposals?status=open", &isb, None)
        .await;
    assert_eq!(
        (
            list["total"].as_i64(),
            list["items"][0]["org_name"].as_str()
        ),
        (Some(1), Some("Gemeinde Nauheim"))
    );
    let (status, bad) = app
        .api(
            Method::GET,
            "/key-figure-proposals?status=pending",
            &isb,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    let (status, done) = app
        .api(
            Method::POST,
            &format!("/key-figure-proposals/{id}/accept"),
            &isb,
            Some(json!({"note": "Geprüft"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (done["status"].as_str(), done["decision_note"].as_str()),
        (Some("accepted"), Some("Geprüft"))
    );
    assert_eq!(population(&app, nauheim).await, Some(10_912));
    let (_, org) = app
        .api(
            Method::GET,
            &format!("/organisations/{nauheim}"),
            &coord,
            None,
        )
        .await;
    let changed_at = org["figures_changed_at_ms"].as_i64().expect("recorded");
    // Deciding twice is a conflict.
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/key-figure-proposals/{id}/reject"),
            &isb,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Audited: the proposal, the decision and the organisation's change with before/after.
    let (_, audit) = app
        .api(
            Method::GET,
            &format!("/audit?org={nauheim}&per_page=50"),
            &isb,
            None,
        )
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for a in [
        "key_figures.propose",
        "key_figures.accept",
        "org.key_figures",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }

    // A statement issued now records the values and when they last changed.
    let key = crate::costs::setup_2026(&app, &isb).await;
    let id = crate::costs::issue_2026(&app, &isb, key).await;
    let (_, st) = app
        .api(Method::GET, &format!("/costs/statements/{id}"), &isb, None)
        .await;
    let member: &Value = st["document"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == nauheim)
        .expect("Nauheim in the statement");
    assert_eq!(
        (
            member["population"].as_i64(),
            member["figures_changed_at_ms"].as_i64()
        ),
        (Some(10_912), Some(changed_at))
    );
}

async fn the_ui_offers_members_a_proposal_and_the_office_a_decision(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let mut coord = app.login("koordination@nauheim.example").await;
    let (_, page) = coord.get(&app, &format!("/orgs/{nauheim}")).await;
    assert!(
        page.contains("Änderung vorschlagen")
            && page.contains(
                "action=\"/orgs/{nauheim}/key-figures\""
                    .replace("{nauheim}", &nauheim.to_string())
                    .as_str()
            ),
        "{page}"
    );
    let (status, page) = coord
        .post_form(
            &app,
            &format!("/orgs/{nauheim}/key-figures"),
            &[
                ("population", "zehn"),
                ("staff", "98"),
                ("it_workplaces", "78"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Bitte eine ganze Zahl eingeben"), "{page}");
    let (status, loc) = coord
        .post_form(
            &app,
            &format!("/orgs/{nauheim}/key-figures"),
            &[
                ("population", "10.912"),
                ("staff", "98"),
                ("it_workplaces", "78"),
                ("reason", "Zensus"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{loc}");
    let (_, page) = coord.get(&app, &loc).await;
    assert!(
        page.contains("10840 → <strong>10912</strong>") && page.contains("offen"),
        "{page}"
    );
    assert!(!page.contains("Übernehmen"), "a member does not decide");

    let mut isb = app.login("isb@verbund.example").await;
    let (_, list) = isb.get(&app, "/orgs").await;
    assert!(list.contains("Offene Kennzahl-Vorschläge: 1"), "{list}");
    let (_, list) = isb.get(&app, "/key-figures").await;
    assert!(
        list.contains("Nauheim") && list.contains("Übernehmen") && list.contains("Ablehnen"),
        "{list}"
    );
    let id = app
        .store
        .list_key_figure_proposals(
            &Scope::system(&TEST_ACCESS),
            None,
            None,
            verbund_domain::page::PageRequest::new(None, None),
        )
        .await
        .unwrap()
        .items[0]
        .id;
    let (status, loc) = isb
        .post_form(
            &app,
            &format!("/key-figures/{id}/reject"),
            &[("note", "Quelle fehlt"), ("back", "list")],
        )
        .await;
    assert_eq!(
        (status, loc.as_str()),
        (StatusCode::SEE_OTHER, "/key-figures")
    );
    assert_eq!(
        population(&app, nauheim).await,
        Some(10_840),
        "rejected: unchanged"
    );
    let (_, page) = coord.get(&app, &format!("/orgs/{nauheim}")).await;
    assert!(
        page.contains("abgelehnt") && page.contains("Quelle fehlt"),
        "{page}"
    );
}

both!(
    a_member_cannot_set_its_figures_but_proposes_them_and_the_office_decides,
    the_ui_offers_members_a_proposal_and_the_office_a_decision,
);
