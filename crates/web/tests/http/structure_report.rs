//! The member's report "Strukturanalyse und Schutzbedarfsfeststellung" over HTTP: the PDF read
//! back with `pdftotext`, the workbook opened with calamine, typed text that looks like markup
//! printed as it is, a provider object with only the member's own contribution, 404 for
//! another member.

use axum::http::{Method, StatusCode};
use calamine::{Reader, Xlsx};
use serde_json::{Value, json};

use crate::both;
use crate::helpers::{TestApp, pdftotext};

/// What a person might type that a naive template would read as typst markup or code.
const MARKUP: &str = "Kasse #set page(width: 1pt) *fett* $x$ [Link] = Titel";

async fn object(app: &TestApp, token: &str, org: i64, short: &str, t: &str) -> i64 {
    let (status, o) = app
        .api(
            Method::POST,
            &format!("/organisations/{org}/structure/objects"),
            token,
            Some(
                json!({"short_id": short, "name": format!("Objekt {short}"), "object_type": t,
                "owner": "Hauptamt", "location": "Rathaus"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{o}");
    o["id"].as_i64().unwrap()
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

async fn need(app: &TestApp, token: &str, id: i64, body: Value) {
    let (status, n) = app
        .api(
            Method::PUT,
            &format!("/structure/objects/{id}/needs"),
            token,
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{n}");
}

/// Nauheim: a process (confidentiality hoch, justified with markup-like text), an application
/// processing its data, a server it runs on, and the application relying on a provider object
/// that Raunheim relies on too with a higher availability.
async fn setup(app: &TestApp) -> (i64, String) {
    let isb = app.token("isb@verbund.example").await;
    let (status, p) = app
        .api(
            Method::POST,
            "/organisations",
            &isb,
            Some(json!({"name": "Landes-IT (Demo)", "kind": "provider"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let hosted = object(
        app,
        &isb,
        p["id"].as_i64().unwrap(),
        "RZ-EWO",
        "application",
    )
    .await;
    let (nauheim, raunheim) = (app.org_id("Nauheim").await, app.org_id("Raunheim").await);
    let tn = app.token("koordination@nauheim.example").await;
    let tr = app.token("koordination@raunheim.example").await;
    let gp = object(app, &tn, nauheim, "GP1", "business_process").await;
    let a = object(app, &tn, nauheim, "A1", "application").await;
    let s = object(app, &tn, nauheim, "S1", "server").await;
    link(app, &tn, a, gp, "processes_data_of").await;
    link(app, &tn, a, s, "runs_on").await;
    link(app, &tn, a, hosted, "provided_by").await;
    need(
        app,
        &tn,
        gp,
        json!({"goal": "confidentiality", "value": "high", "justification": MARKUP}),
    )
    .await;
    need(
        app,
        &tn,
        gp,
        json!({"goal": "availability", "value": "normal", "justification": "Termine verschiebbar"}),
    )
    .await;
    let ar = object(app, &tr, raunheim, "EWO-R", "application").await;
    link(app, &tr, ar, hosted, "provided_by").await;
    need(
        app,
        &tr,
        ar,
        json!({"goal": "availability", "value": "very_high", "justification": "Wahljahr Raunheim"}),
    )
    .await;
    (nauheim, tn)
}

async fn the_report_pdf_explains_each_need_and_prints_typed_text_as_it_is(app: TestApp) {
    let (nauheim, tn) = setup(&app).await;

    let (status, content_type, pdf) = app
        .api_file(
            &format!("/organisations/{nauheim}/structure/report?format=pdf"),
            &tn,
        )
        .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/pdf");
    let text = pdftotext(&pdf);
    assert!(
        text.contains("Strukturanalyse und Schutzbedarfsfeststellung: Nauheim"),
        "{text}"
    );
    assert!(
        text.contains("GP1 Objekt GP1") && text.contains("Hauptamt"),
        "{text}"
    );
    assert!(text.contains(MARKUP), "{text}");
    // The server's confidentiality: calculated hoch, explained by the path to the process.
    assert!(text.contains("läuft auf"), "{text}");
    assert!(text.contains("verarbeitet Daten von"), "{text}");
    assert!(text.contains("(dort festgelegt)"), "{text}");
    assert!(text.contains("hier festgelegt"), "{text}");
    // The provider object with its shared need, and only Nauheim's own contribution.
    assert!(
        text.contains("RZ-EWO") && text.contains("Landes-IT (Demo)"),
        "{text}"
    );
    assert!(text.contains("sehr hoch"), "{text}");
    assert!(
        !text.contains("Raunheim") && !text.contains("EWO-R"),
        "{text}"
    );
}

async fn the_report_workbook_has_a_sheet_per_part_with_the_needs_and_paths(app: TestApp) {
    let (nauheim, tn) = setup(&app).await;

    let (status, _, xlsx) = app
        .api_file(
            &format!("/organisations/{nauheim}/structure/report?format=xlsx"),
            &tn,
        )
        .await;

    assert_eq!(status, StatusCode::OK);
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx)).expect("a workbook");
    assert_eq!(
        wb.sheet_names(),
        [
            "Übersicht",
            "Zielobjekte",
            "Schutzbedarf",
            "Abhängigkeiten",
            "Dienstleister",
            "Modellierung",
            "IT-Grundschutz-Check"
        ]
    );
    // Without any module assigned, every object is a gap of the modelling.
    let modelling = wb.worksheet_range("Modellierung").expect("modelling sheet");
    let s1 = modelling
        .rows()
        .find(|r| r[0] == "S1")
        .expect("the server in the modelling");
    assert_eq!(s1[4].to_string(), "kein Baustein zugeordnet");
    // Counts are numbers a spreadsheet can sum; short IDs stay text.
    let overview = wb.worksheet_range("Übersicht").expect("overview sheet");
    let objects_count = overview
        .rows()
        .find(|r| r[0] == "Zielobjekte")
        .expect("the object count")[1]
        .clone();
    assert!(
        matches!(objects_count, calamine::Data::Float(n) if n >= 1.0),
        "{objects_count:?}"
    );
    let objects = wb.worksheet_range("Zielobjekte").expect("objects sheet");
    let first = objects.rows().nth(1).expect("one object");
    assert!(
        matches!(first[0], calamine::Data::String(_)),
        "{:?}",
        first[0]
    );
    assert_eq!(first[5], calamine::Data::Float(1.0));
    let needs = wb.worksheet_range("Schutzbedarf").expect("needs sheet");
    let rows: Vec<Vec<String>> = needs
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let server_c = rows
        .iter()
        .find(|r| r[0] == "S1 Objekt S1" && r[1] == "Vertraulichkeit")
        .expect("the server's confidentiality");
    assert_eq!(&server_c[2..5], ["–", "hoch", "hoch"]);
    assert_eq!(
        server_c[7],
        "S1 Objekt S1 ← läuft auf ← A1 Objekt A1 ← verarbeitet Daten von ← GP1 Objekt GP1 (dort festgelegt)"
    );
    let process_c = rows
        .iter()
        .find(|r| r[0] == "GP1 Objekt GP1" && r[1] == "Vertraulichkeit")
        .expect("the process's confidentiality");
    assert_eq!(process_c[6], MARKUP);
    let providers = wb
        .worksheet_range("Dienstleister")
        .expect("providers sheet");
    let p: Vec<String> = providers
        .rows()
        .nth(1)
        .expect("one provider object")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(p[1], "RZ-EWO");
    // Shared need: Raunheim's sehr hoch; Nauheim's own contribution: normal.
    assert_eq!((p[5].as_str(), p[8].as_str()), ("sehr hoch", "normal"));
}

async fn another_member_gets_404_for_the_report_and_the_ui_offers_it(app: TestApp) {
    let (nauheim, _) = setup(&app).await;
    let tr = app.token("koordination@raunheim.example").await;

    let (status, _, _) = app
        .api_file(
            &format!("/organisations/{nauheim}/structure/report?format=pdf"),
            &tr,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app
        .api_file(
            &format!("/organisations/{nauheim}/structure/report?format=doc"),
            &tr,
        )
        .await;
    assert!(status.is_client_error());

    let mut b = app.login("koordination@nauheim.example").await;
    let (status, page) = b.get(&app, &format!("/structure?org={nauheim}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("/orgs/{nauheim}/structure/report?format=pdf")),
        "{page}"
    );
    let (status, _) = b
        .get(
            &app,
            &format!("/orgs/{nauheim}/structure/report?format=xlsx"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

async fn upload(app: &TestApp, token: &str, org: i64, body: String) -> (StatusCode, Value) {
    app.api_upload(
        &format!("/organisations/{org}/structure/import"),
        token,
        body.into_bytes(),
    )
    .await
}

async fn link_count(app: &TestApp, token: &str, org: i64) -> usize {
    let (status, links) = app
        .api(
            Method::GET,
            &format!("/organisations/{org}/structure/links"),
            token,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{links}");
    links.as_array().expect("a list").len()
}

async fn an_import_links_to_provider_objects_by_name_and_round_trips(app: TestApp) {
    let (nauheim, tn) = setup(&app).await;
    let links_before = link_count(&app, &tn, nauheim).await;

    // Another member's name and an unknown provider object are the same row error; nothing changes.
    for target in ["Raunheim/EWO-R", "Landes-IT (Demo)/RZ-FIN"] {
        let (status, e) = upload(&app, &tn, nauheim, format!(
            "Kürzel;Name;Typ;Abhängigkeiten\r\nN1;Neu;Server;\r\nA2;Zweite;Anwendung;bereitgestellt von:{target}\r\n"
        ))
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        let detail = e["error"]["detail"].as_str().unwrap();
        assert!(detail.contains("Zeile 3, Spalte Abhängigkeiten"), "{e}");
        assert!(detail.contains("des Dienstleisters"), "{e}");
    }
    let (_, list) = app
        .api(
            Method::GET,
            &format!("/structure/objects?org={nauheim}&q=N1"),
            &tn,
            None,
        )
        .await;
    assert_eq!(list["total"], 0, "nothing stored");

    let (status, s) = upload(
        &app,
        &tn,
        nauheim,
        "Kürzel;Name;Typ;Abhängigkeiten\r\nA2;Zweite;Anwendung;bereitgestellt von:landes-it (demo)/rz-ewo\r\n".into(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s, json!({"created": 1, "updated": 0, "links_added": 1}));
    assert_eq!(link_count(&app, &tn, nauheim).await, links_before + 1);

    // The export names provider objects the same way, so it imports again unchanged.
    let (_, _, csv) = app
        .api_file(
            &format!("/organisations/{nauheim}/structure/export?format=csv"),
            &tn,
        )
        .await;
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("bereitgestellt von:Landes-IT (Demo)/RZ-EWO"),
        "{csv}"
    );
    for format in ["csv", "xlsx"] {
        let (_, _, file) = app
            .api_file(
                &format!("/organisations/{nauheim}/structure/export?format={format}"),
                &tn,
            )
            .await;
        let (status, s) = app
            .api_upload(
                &format!("/organisations/{nauheim}/structure/import"),
                &tn,
                file,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(s["created"], 0);
        assert_eq!(
            s["links_added"], 0,
            "{format}: every link read back as the same link"
        );
    }
}

both!(
    an_import_links_to_provider_objects_by_name_and_round_trips,
    the_report_pdf_explains_each_need_and_prints_typed_text_as_it_is,
    the_report_workbook_has_a_sheet_per_part_with_the_needs_and_paths,
    another_member_gets_404_for_the_report_and_the_ui_offers_it
);
