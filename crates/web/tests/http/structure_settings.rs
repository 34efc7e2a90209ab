//! The structure-analysis settings page (office): link directions, cumulation threshold and
//! damage-scenario definitions, validated with a message per field, audited, and a changed
//! direction recomputing the needs.

use axum::http::{Method, StatusCode};
use serde_json::json;
use verbund_domain::structure::LinkType;
use verbund_domain::structure::needs::{DamageScenario, StructureSettings};

use crate::both;
use crate::helpers::TestApp;

/// The form fields of the default settings, with `changes` applied.
fn form(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let d = StructureSettings::default();
    let mut f: Vec<(String, String)> = LinkType::ALL
        .iter()
        .map(|t| {
            (
                format!("direction_{}", t.code()),
                d.propagation.direction(*t).code().to_owned(),
            )
        })
        .collect();
    f.push((
        "cumulation_threshold".into(),
        d.cumulation_threshold.to_string(),
    ));
    for s in &d.thresholds {
        let c = s.scenario.code();
        f.push((format!("{c}_normal"), s.normal.clone()));
        f.push((format!("{c}_high"), s.high.clone()));
        f.push((format!("{c}_very_high"), s.very_high.clone()));
    }
    for (k, v) in changes {
        match f.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = (*v).to_owned(),
            None => f.push(((*k).to_owned(), (*v).to_owned())),
        }
    }
    f
}

async fn the_office_sets_directions_and_thresholds_on_the_page(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let nauheim = app.org_id("Nauheim").await;
    let tn = app.token("koordination@nauheim.example").await;
    let mk = |short: &'static str, t: &'static str| {
        let (app, tn) = (&app, &tn);
        async move {
            let (status, o) = app
                .api(
                    Method::POST,
                    &format!("/organisations/{nauheim}/structure/objects"),
                    tn,
                    Some(json!({"short_id": short, "name": short, "object_type": t})),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{o}");
            o["id"].as_i64().unwrap()
        }
    };
    let server = mk("S1", "server").await;
    let net = mk("N1", "network").await;
    app.api(
        Method::POST,
        "/structure/links",
        &tn,
        Some(json!({"from": server, "to": net, "link_type": "communicates_over"})),
    )
    .await;
    app.api(
        Method::PUT,
        &format!("/structure/objects/{server}/needs"),
        &tn,
        Some(json!({"goal": "availability", "value": "high", "justification": "Bürgerbüro"})),
    )
    .await;
    let net_availability = || {
        let (app, tn) = (&app, &tn);
        async move {
            app.api(Method::GET, &format!("/structure/objects/{net}"), tn, None)
                .await
                .1["object"]["effective"]["availability"]
                .clone()
        }
    };
    assert_eq!(net_availability().await, "high");

    let mut b = app.login("isb@verbund.example").await;
    let (status, page) = b.get(&app, "/structure/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Einstellungen der Strukturanalyse"),
        "{page:.300}"
    );
    assert!(page.contains("name=\"direction_communicates_over\""));
    assert!(page.contains("Ausfall über 2 Stunden nicht tragbar"));

    // Bad fields: each named on the form, with what was typed kept; nothing stored.
    let bad = form(&[
        ("direction_runs_on", "seitwärts"),
        ("cumulation_threshold", "viele"),
        ("financial_high", "  "),
        ("laws_normal", "Geänderter Text"),
    ]);
    let fields: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, page) = b.post_form(&app, "/structure/settings", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Bitte eine gültige Richtung wählen."),
        "{page}"
    );
    assert!(page.contains("zwischen 2 und 10.000"), "{page}");
    assert!(page.contains("id=\"scenario-financial-error\""), "{page}");
    assert!(page.contains("value=\"Geänderter Text\""), "{page}");
    assert!(page.contains("aria-invalid=\"true\""));
    let (_, stored) = app
        .api(Method::GET, "/structure/settings", &isb, None)
        .await;
    assert_eq!(stored["propagation"]["runs_on"], "forward");
    assert_ne!(stored["thresholds"][0]["normal"], "Geänderter Text");

    // Communication links pass nothing any more: the network loses the server's need.
    let good = form(&[
        ("direction_communicates_over", "none"),
        ("cumulation_threshold", "7"),
        ("laws_normal", "Geringe Verstöße ohne Folgen"),
    ]);
    let fields: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, _) = b.post_form(&app, "/structure/settings", &fields).await;
    assert!(status.is_redirection(), "{status}");
    let (_, stored) = app
        .api(Method::GET, "/structure/settings", &isb, None)
        .await;
    assert_eq!(stored["propagation"]["communicates_over"], "none");
    assert_eq!(stored["cumulation_threshold"], 7);
    let laws = stored["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["scenario"] == DamageScenario::Laws.code())
        .unwrap()
        .clone();
    assert_eq!(laws["normal"], "Geringe Verstöße ohne Folgen");
    assert_eq!(net_availability().await, serde_json::Value::Null);
    let (status, page) = b.get(&app, "/structure/settings?saved=1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<option value=\"none\" selected>"), "{page}");

    // The change is in the audit log with before and after.
    let (status, audit) = app
        .api(Method::GET, "/audit?per_page=200", &isb, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let entry = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "structure.settings.update")
        .expect("audited");
    assert_eq!(
        entry["before"]["propagation"]["communicates_over"],
        "forward"
    );
    assert_eq!(entry["after"]["propagation"]["communicates_over"], "none");

    // A member's coordinator does not see the page.
    let mut m = app.login("koordination@nauheim.example").await;
    let (status, _) = m.get(&app, "/structure/settings").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

both!(the_office_sets_directions_and_thresholds_on_the_page);
