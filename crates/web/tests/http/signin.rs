//! Sign-in hardening: TOTP codes are accepted once, failed sign-ins throttle the address (and
//! the account from that address) without letting anyone keep an owner out, and unknown
//! accounts are answered exactly like known ones.

use axum::http::{HeaderMap, Method, StatusCode, header};
use verbund_web::WebConfig;

use crate::both;
use crate::helpers::{Backend, Browser, DEMO_PASSWORD, TestApp};

const COORDINATOR: &str = "koordination@nauheim.example";

fn retry_after(h: &HeaderMap) -> Option<u64> {
    h.get(header::RETRY_AFTER)?.to_str().ok()?.parse().ok()
}

fn secret_from(body: &str) -> String {
    let i = body.find("id=\"totp-secret\">").expect("secret shown") + 17;
    body[i..i + body[i..].find('<').expect("end")].to_owned()
}

fn unix_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// Switches the second factor on for `email`; returns the secret and the code that confirmed it.
async fn enrol(app: &TestApp, email: &str) -> (String, String) {
    let mut b = app.login(email).await;
    let (_, body) = b.post_form(app, "/profile/mfa/start", &[]).await;
    let secret = secret_from(&body);
    let code = verbund_app::crypto::current_totp(&secret);
    let (status, _) = b
        .post_form(app, "/profile/mfa/enable", &[("code", code.as_str())])
        .await;
    assert_eq!(status, StatusCode::OK, "enrolment confirmed");
    (secret, code)
}

/// A browser that has passed the password step and waits for the second factor.
async fn at_second_factor(app: &TestApp, email: &str) -> Browser {
    let mut b = app.browser().await;
    let (status, _, loc) = b.try_login(app, email, DEMO_PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(loc.starts_with("/login/mfa"), "{loc}");
    b.refresh_csrf(app).await;
    b
}

async fn the_code_that_switched_mfa_on_does_not_sign_in(app: TestApp) {
    let (_, enrolment_code) = enrol(&app, COORDINATOR).await;
    let mut b = at_second_factor(&app, COORDINATOR).await;
    let (status, body) = b
        .post_form(&app, "/login/mfa", &[("code", enrolment_code.as_str())])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "enrolment code replayed");
    assert!(body.contains("Der Code ist falsch"), "{body}");
    assert_eq!(b.get(&app, "/orgs").await.0, StatusCode::SEE_OTHER);
}

async fn a_totp_code_signs_in_once(app: TestApp) {
    let (secret, _) = enrol(&app, COORDINATOR).await;
    // The next step's code: valid now (±1 step), and later than the enrolment's.
    let code = verbund_app::crypto::totp_at(&secret, unix_secs() + 30);
    let mut first = at_second_factor(&app, COORDINATOR).await;
    let (status, _) = first
        .post_form(&app, "/login/mfa", &[("code", code.as_str())])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "first use");
    assert_eq!(first.get(&app, "/orgs").await.0, StatusCode::OK);
    let mut second = at_second_factor(&app, COORDINATOR).await;
    let (status, _) = second
        .post_form(&app, "/login/mfa", &[("code", code.as_str())])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the same code again");
    assert_eq!(second.get(&app, "/orgs").await.0, StatusCode::SEE_OTHER);
}

async fn wrong_passwords_from_one_address_do_not_keep_the_owner_out(app: TestApp) {
    let mut attacker = Browser::at(&app, "203.0.113.9").await;
    let mut last = (StatusCode::OK, HeaderMap::new());
    for _ in 0..7 {
        let (status, headers, _) = attacker
            .try_login(&app, COORDINATOR, "falsch-falsch-1")
            .await;
        last = (status, headers);
    }
    assert_eq!(
        last.0,
        StatusCode::TOO_MANY_REQUESTS,
        "the attacker is throttled"
    );
    assert!(retry_after(&last.1).is_some_and(|s| s > 60), "Retry-After");
    let (status, _, _) = attacker.try_login(&app, COORDINATOR, DEMO_PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "not even the right password from there"
    );
    let mut owner = Browser::at(&app, "198.51.100.20").await;
    let (status, _, loc) = owner.try_login(&app, COORDINATOR, DEMO_PASSWORD).await;
    assert_eq!(
        (status, loc.as_str()),
        (StatusCode::SEE_OTHER, "/"),
        "the owner signs in from elsewhere"
    );
}

/// The answers to one address's attempts, with the e-mail echoed in the form blanked out.
async fn answers(
    app: &TestApp,
    ip: &str,
    email: &str,
    n: usize,
) -> Vec<(u16, Option<u64>, String)> {
    let mut b = Browser::at(app, ip).await;
    let mut out = Vec::new();
    for _ in 0..n {
        let (status, headers, body) = b.try_login(app, email, "falsch-falsch-1").await;
        // Retry-After counts down in seconds; minutes are what the page shows.
        let minutes = retry_after(&headers).map(|s| s.div_ceil(60));
        let page = body.replace(email, "EMAIL").replace(&b.csrf, "CSRF");
        out.push((status.as_u16(), minutes, page));
    }
    out
}

async fn known_and_unknown_accounts_get_identical_answers(app: TestApp) {
    let known = answers(&app, "203.0.113.1", COORDINATOR, 7).await;
    let unknown = answers(&app, "203.0.113.2", "niemand@nauheim.example", 7).await;
    let statuses: Vec<u16> = known.iter().map(|a| a.0).collect();
    assert_eq!(statuses, [401, 401, 401, 401, 429, 429, 429]);
    assert!(known[4].1.is_some(), "429 with Retry-After");
    assert!(
        known[4]
            .2
            .contains("Zu viele fehlgeschlagene Anmeldeversuche"),
        "{}",
        known[4].2
    );
    assert_eq!(known, unknown, "status, Retry-After and page are the same");
}

both!(
    the_code_that_switched_mfa_on_does_not_sign_in,
    a_totp_code_signs_in_once,
    wrong_passwords_from_one_address_do_not_keep_the_owner_out,
    known_and_unknown_accounts_get_identical_answers,
);

#[tokio::test]
async fn an_address_failing_on_many_accounts_is_throttled_for_all() {
    let config = WebConfig {
        base_url: "http://localhost".into(),
        max_address_failures: 3,
        ..WebConfig::default()
    };
    let app = TestApp::with_config(Backend::Sqlite, config).await;
    let mut a = Browser::at(&app, "203.0.113.7").await;
    for i in 0..2 {
        let (status, _, _) = a
            .try_login(&app, &format!("x{i}@verbund.example"), "falsch-falsch-1")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, headers, body) = a
        .try_login(&app, "koordination@nauheim.example", "falsch-falsch-1")
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the third failure");
    assert!(retry_after(&headers).is_some());
    assert!(
        body.contains("Zu viele fehlgeschlagene Anmeldeversuche"),
        "{body}"
    );
    let (status, headers, _) = a
        .try_login(&app, "isb@verbund.example", DEMO_PASSWORD)
        .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "refused for every account"
    );
    assert!(retry_after(&headers).is_some());
    let mut b = Browser::at(&app, "2001:db8:7::1").await;
    let (status, _, _) = b
        .try_login(&app, "isb@verbund.example", DEMO_PASSWORD)
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "another address is unaffected"
    );
}

/// Creates an API token through the profile page; returns the secret.
async fn ui_token(app: &TestApp, b: &mut Browser) -> String {
    let (_, body) = b
        .post_form(app, "/profile/tokens", &[("name", "Skript")])
        .await;
    let i = body.find("id=\"new-token\">").expect("token shown") + 15;
    body[i..i + body[i..].find('<').expect("end")].to_owned()
}

async fn token_works(app: &TestApp, token: &str) -> bool {
    app.api(Method::GET, "/me", token, None).await.0 == StatusCode::OK
}

async fn a_password_change_revokes_the_api_tokens_unless_unticked(app: TestApp) {
    let mut b = app.login("leitung@nauheim.example").await;
    let kept = ui_token(&app, &mut b).await;
    let (status, _) = b
        .post_form(
            &app,
            "/profile/password",
            &[
                ("current", DEMO_PASSWORD),
                ("new", "ein-neues-langes-passwort"),
                ("repeat", "ein-neues-langes-passwort"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(token_works(&app, &kept).await, "box unticked: tokens kept");
    let (status, body) = b
        .post_form(
            &app,
            "/profile/password",
            &[
                ("current", "ein-neues-langes-passwort"),
                ("new", "noch-ein-neues-passwort"),
                ("repeat", "noch-ein-neues-passwort"),
                ("revoke_tokens", "1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("1 API-Token"), "{body}");
    assert!(
        !token_works(&app, &kept).await,
        "revoked with the password change"
    );
    assert_eq!(
        b.get(&app, "/orgs").await.0,
        StatusCode::OK,
        "this session stays"
    );
}

async fn logging_out_everywhere_revokes_the_api_tokens_when_ticked(app: TestApp) {
    let mut b = app.login("leitung@nauheim.example").await;
    let token = ui_token(&app, &mut b).await;
    let (_, page) = b.get(&app, "/profile").await;
    assert!(
        page.contains("name=\"revoke_tokens\" value=\"1\" checked"),
        "ticked by default"
    );
    b.post_form(&app, "/profile/sessions/revoke", &[]).await;
    assert!(token_works(&app, &token).await, "unticked: kept");
    let (status, body) = b
        .post_form(&app, "/profile/sessions/revoke", &[("revoke_tokens", "1")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("1 API-Token"), "{body}");
    assert!(!token_works(&app, &token).await, "revoked");
}

async fn the_api_logs_out_everywhere_and_revokes_tokens_by_default(app: TestApp) {
    let mut tab = app.login("leitung@nauheim.example").await;
    let token = app.token("leitung@nauheim.example").await;
    let other = app.token("leitung@nauheim.example").await;
    let (status, body) = app
        .api(
            Method::POST,
            "/me/logout-everywhere",
            &token,
            Some(serde_json::json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["sessions_ended"], 1);
    assert_eq!(body["tokens_revoked"], 2);
    assert!(!token_works(&app, &other).await);
    assert!(!token_works(&app, &token).await, "the calling token too");
    assert_eq!(tab.get(&app, "/orgs").await.0, StatusCode::SEE_OTHER);
}

both!(
    a_password_change_revokes_the_api_tokens_unless_unticked,
    logging_out_everywhere_revokes_the_api_tokens_when_ticked,
    the_api_logs_out_everywhere_and_revokes_tokens_by_default,
);
