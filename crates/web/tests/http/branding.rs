//! Logos: the federation's in the header and on its documents, a member's coat of arms on
//! the letters addressed to it. Uploads through the API and the UI, refusals, isolation.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::Value;
use verbund_app::demo::DEMO_LOGO;

use crate::both;
use crate::helpers::TestApp;

/// A JPEG of `w` × `h` pixels (a plain gradient), encoded here so the test needs no file.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            pixels.extend_from_slice(&[(x * 255 / w) as u8, (y * 255 / h) as u8, 120]);
        }
    }
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode(&pixels, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

async fn put_logo(
    app: &TestApp,
    path: &str,
    token: &str,
    body: &[u8],
    ct: &str,
) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/v1{path}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body.to_vec()))
        .unwrap();
    let (status, _, text) = app.request(req).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Images in a PDF as `pdfimages -list` counts them (soft masks of transparent PNGs aside).
fn pdf_images(pdf: &[u8]) -> usize {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("verbund-logo-{}-{n}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages (poppler-utils) is installed");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count()
}

async fn the_header_shows_the_federations_name_and_logo_from_a_versioned_url(app: TestApp) {
    let mut b = app.login("koordination@nauheim.example").await;

    let (_, page) = b.get(&app, "/").await;

    let src = page
        .split("<img src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a logo in the header")
        .to_owned();
    assert!(src.starts_with("/branding/logo?v="), "{src}");
    assert!(
        page.contains("alt=\"Informationssicherheitsverbund"),
        "alt text is the name"
    );
    assert!(page.contains("rel=\"icon\" href=\"/static/favicon.svg\""));
    let req = Request::builder()
        .uri(src.as_str())
        .header(header::COOKIE, b.cookie_header())
        .body(Body::empty())
        .unwrap();
    let (status, headers, bytes) = app.request_bytes(req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert_eq!(bytes, DEMO_LOGO);
    let (status, _) = b.get(&app, "/static/favicon.svg").await;
    assert_eq!(status, StatusCode::OK);
}

async fn the_office_replaces_the_logo_and_the_change_is_audited(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let new = jpeg(300, 100);

    let (status, out) = put_logo(&app, "/settings/logo", &isb, &new, "image/jpeg").await;

    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["content_type"], "image/jpeg");
    assert_eq!(
        (out["width"].as_u64(), out["height"].as_u64()),
        (Some(300), Some(100))
    );
    let (status, ct, bytes) = app.api_file("/branding/logo", &isb).await;
    assert_eq!((status, ct.as_str()), (StatusCode::OK, "image/jpeg"));
    assert_eq!(bytes, new);
    let (_, audit) = app
        .api(Method::GET, "/audit?kind=logo.update", &isb, None)
        .await;
    let entry = audit["items"][0].to_string();
    assert!(
        entry.contains("image/png") && entry.contains("image/jpeg"),
        "before and after: {entry}"
    );
    let mut b = app.login("isb@verbund.example").await;
    let (_, page) = b.get(&app, "/").await;
    assert!(
        page.contains(out["url"].as_str().unwrap()),
        "the header links the new version"
    );
}

async fn a_file_that_is_not_png_or_jpeg_is_refused_in_german_and_nothing_changes(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;

    let (status, err) = put_logo(&app, "/settings/logo", &isb, SVG, "image/png").await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["fields"][0]["field"], "file");
    assert_eq!(err["error"]["fields"][0]["code"], "error-logo-type");
    assert!(
        err["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Nur PNG- oder JPEG-Bilder")
    );
    let (_, _, bytes) = app.api_file("/branding/logo", &isb).await;
    assert_eq!(bytes, DEMO_LOGO, "the old logo stays");
    // The same in the UI: the settings page again, with the message under the upload field.
    let mut b = app.login("isb@verbund.example").await;
    let (status, page) = b
        .post_file(&app, "/settings/logo", "logo.svg", SVG, &[])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Nur PNG- oder JPEG-Bilder sind erlaubt"),
        "{page:.400}"
    );
    assert!(page.contains("aria-invalid=\"true\""));
}

async fn a_file_over_512_kb_or_2048_pixels_is_refused(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let mut big = DEMO_LOGO.to_vec();
    big.resize(600 * 1024, 0);

    let (status, err) = put_logo(&app, "/settings/logo", &isb, &big, "image/png").await;

    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{err}");
    assert_eq!(err["error"]["code"], "error-logo-too-large");
    let (status, err) = put_logo(&app, "/settings/logo", &isb, &jpeg(2100, 10), "image/jpeg").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["error"]["fields"][0]["code"], "error-logo-dimensions");
    let mut b = app.login("isb@verbund.example").await;
    let (status, page) = b
        .post_file(&app, "/settings/logo", "gross.png", &big, &[])
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.contains("größer als 512 KB"));
}

async fn the_logo_can_be_removed_and_the_header_shows_the_name_alone(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;

    let (status, _) = app.api(Method::DELETE, "/settings/logo", &isb, None).await;

    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.api_file("/branding/logo", &isb).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(Method::DELETE, "/settings/logo", &isb, None)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let mut b = app.login("isb@verbund.example").await;
    let (_, page) = b.get(&app, "/").await;
    assert!(!page.contains("/branding/logo"));
    assert!(page.contains("class=\"federation\">Informationssicherheitsverbund"));
    let (_, audit) = app
        .api(Method::GET, "/audit?kind=logo.delete", &isb, None)
        .await;
    assert_eq!(audit["total"], 1);
}

async fn members_cannot_upload_and_see_only_their_own_coat_of_arms(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let raunheim = app.org_id("Raunheim").await;
    let isb = app.token("isb@verbund.example").await;
    let coordinator = app.token("koordination@nauheim.example").await;
    let arms = jpeg(80, 96);

    let (own, _) = put_logo(
        &app,
        &format!("/organisations/{nauheim}/logo"),
        &coordinator,
        &arms,
        "image/jpeg",
    )
    .await;
    let (other, _) = put_logo(
        &app,
        &format!("/organisations/{raunheim}/logo"),
        &coordinator,
        &arms,
        "image/jpeg",
    )
    .await;
    let (office, _) = put_logo(
        &app,
        &format!("/organisations/{nauheim}/logo"),
        &isb,
        &arms,
        "image/jpeg",
    )
    .await;

    assert_eq!(
        own,
        StatusCode::FORBIDDEN,
        "the office sets a member's coat of arms"
    );
    assert_eq!(other, StatusCode::NOT_FOUND);
    assert_eq!(office, StatusCode::OK);
    let (status, ct, bytes) = app
        .api_file(&format!("/organisations/{nauheim}/logo"), &coordinator)
        .await;
    assert_eq!((status, ct.as_str()), (StatusCode::OK, "image/jpeg"));
    assert_eq!(bytes, arms);
    let stranger = app.token("koordination@raunheim.example").await;
    assert_eq!(
        app.api_file(&format!("/organisations/{nauheim}/logo"), &stranger)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let mut b = app.login("koordination@raunheim.example").await;
    assert_eq!(
        b.get(&app, &format!("/orgs/{nauheim}/logo")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(
            Method::DELETE,
            &format!("/organisations/{nauheim}/logo"),
            &coordinator,
            None
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    // The coordinator sees its coat of arms on the edit page, without upload controls.
    let mut own_tab = app.login("koordination@nauheim.example").await;
    let (_, page) = own_tab.get(&app, &format!("/orgs/{nauheim}/edit")).await;
    assert!(page.contains("alt=\"Wappen von Nauheim\""), "{page:.300}");
    assert!(!page.contains(&format!("action=\"/orgs/{nauheim}/logo")));
}

async fn the_office_uploads_a_coat_of_arms_on_the_members_edit_page(app: TestApp) {
    let nauheim = app.org_id("Nauheim").await;
    let mut b = app.login("isb@verbund.example").await;
    let (_, page) = b.get(&app, &format!("/orgs/{nauheim}/edit")).await;
    assert!(page.contains("enctype=\"multipart/form-data\""));

    let (status, _) = b
        .post_file(
            &app,
            &format!("/orgs/{nauheim}/logo"),
            "wappen.jpg",
            &jpeg(60, 70),
            &[],
        )
        .await;

    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = b.get(&app, &format!("/orgs/{nauheim}/edit?logo=1")).await;
    assert!(page.contains(&format!("src=\"/orgs/{nauheim}/logo?v=")));
    assert!(page.contains("Das Bild wurde geändert."));
    let (status, page) = b
        .post_file(
            &app,
            &format!("/orgs/{nauheim}/logo"),
            "wappen.svg",
            SVG,
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Nur PNG- oder JPEG-Bilder"));
    let (status, _) = b
        .post_form(&app, &format!("/orgs/{nauheim}/logo/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = b.get(&app, &format!("/orgs/{nauheim}/edit")).await;
    assert!(page.contains("Es ist noch keines hochgeladen."));
}

async fn letters_carry_the_logo_and_the_addressed_members_coat_of_arms(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let nauheim = app.org_id("Nauheim").await;
    let raunheim = app.org_id("Raunheim").await;
    let key = crate::costs::setup_2026(&app, &isb).await;
    let statement = crate::costs::issue_2026(&app, &isb, key).await;
    let (status, _) = put_logo(
        &app,
        &format!("/organisations/{nauheim}/logo"),
        &isb,
        &jpeg(80, 96),
        "image/jpeg",
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let (_, ct, to_nauheim) = app
        .api_file(
            &format!("/costs/statements/{statement}/pdf?member={nauheim}"),
            &isb,
        )
        .await;
    let (_, _, to_raunheim) = app
        .api_file(
            &format!("/costs/statements/{statement}/pdf?member={raunheim}"),
            &isb,
        )
        .await;

    assert_eq!(ct, "application/pdf");
    assert_eq!(
        pdf_images(&to_nauheim),
        2,
        "federation logo and Nauheim's coat of arms"
    );
    assert_eq!(pdf_images(&to_raunheim), 1, "the federation logo only");
    crate::assessments::start_all(&app, &isb).await;
    let (status, _, report) = app.api_file("/heatmap/report/pdf", &isb).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        pdf_images(&report),
        1,
        "the committee report carries the logo"
    );
    // The structure report is headed by the member's coat of arms, else the federation's logo.
    let structure = |org: i64| format!("/organisations/{org}/structure/report?format=pdf");
    let (status, _, nauheim_report) = app.api_file(&structure(nauheim), &isb).await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, raunheim_report) = app.api_file(&structure(raunheim), &isb).await;
    assert_eq!(
        pdf_images(&nauheim_report),
        1,
        "Nauheim's coat of arms alone"
    );
    assert_eq!(pdf_images(&raunheim_report), 1, "the federation logo");
    app.api(Method::DELETE, "/settings/logo", &isb, None).await;
    let (_, _, raunheim_plain) = app.api_file(&structure(raunheim), &isb).await;
    assert_eq!(pdf_images(&raunheim_plain), 0);
    let (_, _, plain) = app
        .api_file(
            &format!("/costs/statements/{statement}/pdf?member={raunheim}"),
            &isb,
        )
        .await;
    assert_eq!(pdf_images(&plain), 0);
}

both!(
    the_header_shows_the_federations_name_and_logo_from_a_versioned_url,
    the_office_replaces_the_logo_and_the_change_is_audited,
    a_file_that_is_not_png_or_jpeg_is_refused_in_german_and_nothing_changes,
    a_file_over_512_kb_or_2048_pixels_is_refused,
    the_logo_can_be_removed_and_the_header_shows_the_name_alone,
    members_cannot_upload_and_see_only_their_own_coat_of_arms,
    the_office_uploads_a_coat_of_arms_on_the_members_edit_page,
    letters_carry_the_logo_and_the_addressed_members_coat_of_arms,
);
