use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::helpers::{Backend, TestApp};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::new(Backend::Sqlite).await;
    for (path, text) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let (status, _, body) = app
            .request(Request::builder().uri(path).body(Body::empty()).unwrap())
            .await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, text));
    }
}

#[tokio::test]
async fn every_page_carries_strict_security_headers() {
    let app = TestApp::new(Backend::Sqlite).await;
    let (_, headers, body) = app
        .request(
            Request::builder()
                .uri("/login")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'")
    );
    assert_eq!(headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert_eq!(
        headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert!(
        headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(),
        "no HSTS over plain http"
    );
    assert!(
        !body.contains("<script>") && !body.contains(" style="),
        "no inline script or style"
    );
    let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
}

#[tokio::test]
async fn https_deployment_gets_hsts_and_secure_host_cookies() {
    let config = verbund_web::WebConfig {
        base_url: "https://verbund.example.de".into(),
        ..Default::default()
    };
    let app = TestApp::with_config(Backend::Sqlite, config).await;
    let (_, headers, _) = app
        .request(
            Request::builder()
                .uri("/login")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(headers.get(header::STRICT_TRANSPORT_SECURITY).is_some());
    assert!(
        headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn unknown_page_is_a_friendly_german_404() {
    let app = TestApp::new(Backend::Sqlite).await;
    let (status, headers, body) = app
        .request(
            Request::builder()
                .uri("/gibt-es-nicht")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(body.contains("existiert nicht"));
    let (status, _, body) = app
        .request(
            Request::builder()
                .uri("/api/v1/gibt-es-nicht")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        body.contains("\"code\":\"error-not-found\""),
        "API answers JSON: {body}"
    );
}

#[tokio::test]
async fn every_translation_key_used_exists_in_german_and_english() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
    let mut keys = std::collections::BTreeSet::new();
    let mut files = vec![];
    // Every source and template file of the crates whose codes reach the UI.
    let mut dirs = vec![std::path::PathBuf::from(format!("{root}templates"))];
    for d in [
        "src",
        "../app/src",
        "../domain/src",
        "../store/src",
        "../formats/src",
    ] {
        dirs.push(std::path::PathBuf::from(format!("{root}{d}")));
    }
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                files.push(p);
            }
        }
    }
    for p in files {
        let text = std::fs::read_to_string(&p).unwrap();
        for pat in [".t(\"", "t_args(\"", "\"error-"] {
            for (i, _) in text.match_indices(pat) {
                let start = i + pat.len() - if pat == "\"error-" { 6 } else { 0 };
                let key: String = text[start..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                if key.len() > 3 && !key.ends_with('-') {
                    keys.insert(key);
                }
            }
        }
    }
    // Every `.ftl` file of a language is loaded (main.ftl plus one per larger feature).
    let defined = |lang: &str| -> std::collections::BTreeSet<String> {
        // Every file of the language: main.ftl and the files of later features.
        let dir = format!("{root}../i18n/locales/{lang}");
        std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .flat_map(|p| {
                std::fs::read_to_string(p)
                    .unwrap()
                    .lines()
                    .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let (de, en) = (defined("de"), defined("en"));
    assert_eq!(de, en, "German and English define the same keys");
    let missing: Vec<_> = keys.iter().filter(|k| !de.contains(*k)).collect();
    assert!(keys.len() > 100, "found only {} keys", keys.len());
    assert!(missing.is_empty(), "missing translations: {missing:?}");
}
