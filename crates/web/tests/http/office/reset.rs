//! One-time password-reset links: issued by the administrator only, used once, ending every
//! session and API token of the account.

use axum::http::{Method, StatusCode};

use crate::both;
use crate::helpers::TestApp;

const TARGET: &str = "koordination@nauheim.example";
const NEW: &str = "Ein neues, langes Passwort 2027";

async fn link_of(app: &TestApp, user: i64) -> String {
    let admin = app.token("admin@verbund.example").await;
    let (status, body) = app
        .api(
            Method::POST,
            &format!("/users/{user}/password-reset"),
            &admin,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let url = body["url"].as_str().unwrap();
    url.strip_prefix("http://localhost").unwrap().to_owned()
}

async fn a_reset_link_works_once_and_ends_every_session_and_token(app: TestApp) {
    let user = app.user_id(TARGET).await;
    let old_token = app.token(TARGET).await;
    let mut old_session = app.login(TARGET).await;
    let path = link_of(&app, user).await;

    let mut anon = app.browser().await;
    let (status, html) = anon.get(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Neues Passwort setzen"));
    let (status, html) = anon
        .post_form(&app, &path, &[("new", NEW), ("repeat", "anders")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let (status, html) = anon
        .post_form(&app, &path, &[("new", NEW), ("repeat", NEW)])
        .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Das neue Passwort ist gesetzt"));

    let (status, _) = app.api(Method::GET, "/me", &old_token, None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the old API token is revoked"
    );
    let (status, _) = old_session.get(&app, "/profile").await;
    assert!(status.is_redirection(), "the old session ended: {status}");
    let mut fresh = app.browser().await;
    let (status, _) = fresh
        .post_form(&app, "/login", &[("email", TARGET), ("password", NEW)])
        .await;
    assert!(status.is_redirection(), "the new password signs in");

    let (status, _) = anon.get(&app, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "used once only");

    let isb = app.token("isb@verbund.example").await;
    let (_, log) = app
        .api(Method::GET, "/audit?kind=user.password_reset", &isb, None)
        .await;
    assert_eq!(log["total"], 1, "audited: {log}");
}

async fn a_new_link_voids_the_older_one(app: TestApp) {
    let user = app.user_id(TARGET).await;
    let first = link_of(&app, user).await;
    let second = link_of(&app, user).await;
    let mut anon = app.browser().await;
    assert_eq!(anon.get(&app, &first).await.0, StatusCode::NOT_FOUND);
    assert_eq!(anon.get(&app, &second).await.0, StatusCode::OK);
}

async fn only_the_administrator_issues_links(app: TestApp) {
    let user = app.user_id(TARGET).await;
    let isb = app.token("isb@verbund.example").await;
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/users/{user}/password-reset"),
            &isb,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the ISB sees the user, lacks the right"
    );
    let other = app.token("koordination@raunheim.example").await;
    let (status, _) = app
        .api(
            Method::POST,
            &format!("/users/{user}/password-reset"),
            &other,
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another member does not see the user"
    );

    let mut admin = app.login("admin@verbund.example").await;
    let (_, page) = admin.get(&app, &format!("/users/{user}")).await;
    assert!(page.contains("Link zum Zurücksetzen des Passworts ausstellen"));
    let (status, html) = admin
        .post_form(&app, &format!("/users/{user}/reset-link"), &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("http://localhost/reset/"),
        "the link is shown once"
    );
}

async fn guessing_reset_links_is_throttled_per_address_like_signing_in(app: TestApp) {
    let user = app.user_id(TARGET).await;
    let path = link_of(&app, user).await;
    let mut guesser = crate::helpers::Browser::at(&app, "203.0.113.7").await;
    for i in 0..19 {
        let (status, _) = guesser.get(&app, &format!("/reset/geraten{i}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "miss {i}");
    }

    // The 20th miss reaches the limit (also through the form's POST).
    let (status, html) = guesser
        .post_form(&app, "/reset/geraten", &[("new", NEW), ("repeat", NEW)])
        .await;

    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{html:.300}");
    assert!(
        html.contains("Zu viele"),
        "German message in the frame: {html:.600}"
    );
    let (status, _) = guesser.get(&app, &path).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "even a valid link, from that address"
    );
    let req = axum::http::Request::builder()
        .uri(path.as_str())
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [203, 0, 113, 7],
            1,
        ))))
        .body(axum::body::Body::empty())
        .unwrap();
    let (_, headers, _) = app.request(req).await;
    let retry: u64 = headers[axum::http::header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=300).contains(&retry), "Retry-After {retry}");
    let mut other = crate::helpers::Browser::at(&app, "198.51.100.2").await;
    assert_eq!(
        other.get(&app, &path).await.0,
        StatusCode::OK,
        "another address is not refused"
    );
    let (status, _) = guesser
        .post_form(
            &app,
            "/login",
            &[
                ("email", TARGET),
                ("password", crate::helpers::DEMO_PASSWORD),
            ],
        )
        .await;
    assert!(
        status.is_redirection(),
        "signing in from that address still works: {status}"
    );
}

both!(
    guessing_reset_links_is_throttled_per_address_like_signing_in,
    a_reset_link_works_once_and_ends_every_session_and_token,
    a_new_link_voids_the_older_one,
    only_the_administrator_issues_links,
);
