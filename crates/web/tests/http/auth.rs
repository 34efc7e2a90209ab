use std::time::Duration;

use axum::http::StatusCode;
use verbund_web::WebConfig;

use crate::both;
use verbund_domain::authz::Scope;

use crate::helpers::{Backend, DEMO_PASSWORD, TEST_ACCESS, TestApp};

async fn login_with_right_password_reaches_the_dashboard(app: TestApp) {
    let mut b = app.login("isb@verbund.example").await;
    let (status, body) = b.get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Übersicht") && body.contains("Petra Schneider"),
        "{body}"
    );
}

async fn wrong_password_is_rejected_with_a_german_message(app: TestApp) {
    let mut b = app.browser().await;
    let (status, body) = b
        .post_form(
            &app,
            "/login",
            &[
                ("email", "isb@verbund.example"),
                ("password", "falsches-passwort"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("E-Mail-Adresse oder Passwort ist falsch"));
    let (status, _) = b
        .post_form(
            &app,
            "/login",
            &[
                ("email", "niemand@verbund.example"),
                ("password", "egal-egal-egal"),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "unknown e-mail answers like a wrong password"
    );
}

async fn five_failures_refuse_that_account_from_that_address(app: TestApp) {
    let mut b = app.browser().await;
    for _ in 0..4 {
        let (status, _) = b
            .post_form(
                &app,
                "/login",
                &[
                    ("email", "koordination@nauheim.example"),
                    ("password", "falsch-falsch-1"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = b
        .post_form(
            &app,
            "/login",
            &[
                ("email", "koordination@nauheim.example"),
                ("password", "falsch-falsch-1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("fehlgeschlagene Anmeldeversuche"), "{body}");
    let (status, body) = b
        .post_form(
            &app,
            "/login",
            &[
                ("email", "koordination@nauheim.example"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("Minute"));
    // Other accounts from the same address are unaffected.
    app.login("koordination@raunheim.example").await;
}

async fn form_without_csrf_token_or_from_another_origin_is_rejected(app: TestApp) {
    let mut b = app.login("isb@verbund.example").await;
    let nauheim = app.org_id("Nauheim").await.to_string();
    let path = format!("/orgs/{nauheim}/memberships");
    let (status, body) = b
        .post_raw(
            &app,
            &path,
            &[("starts_on", "2026-01-01")],
            Some("http://localhost"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("Formular war veraltet"), "{body}");
    let csrf = b.csrf.clone();
    let (status, _) = b
        .post_raw(
            &app,
            &path,
            &[
                ("_csrf", "x".repeat(32).as_str()),
                ("starts_on", "2026-01-01"),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "wrong token");
    let (status, _) = b
        .post_raw(
            &app,
            &path,
            &[("_csrf", csrf.as_str()), ("starts_on", "2026-01-01")],
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "foreign origin");
    let list = app
        .store
        .list_memberships(
            &Scope::system(&TEST_ACCESS),
            verbund_domain::OrgId(nauheim.parse().unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(list.len(), 1, "nothing was written");
    let (status, _) = b
        .post_raw(
            &app,
            &path,
            &[("_csrf", csrf.as_str()), ("starts_on", "2026-01-01")],
            Some("http://localhost"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the right token works");
}

async fn logout_ends_the_session(app: TestApp) {
    let mut b = app.login("isb@verbund.example").await;
    let (status, _) = b.post_form(&app, "/logout", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = b.get(&app, "/orgs").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "redirected to login");
}

async fn logout_everywhere_ends_the_other_sessions(app: TestApp) {
    let mut laptop = app.login("isb@verbund.example").await;
    let mut phone = app.login("isb@verbund.example").await;
    let (status, body) = laptop
        .post_form(&app, "/profile/sessions/revoke", &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("1 andere Sitzung"), "{body}");
    assert_eq!(phone.get(&app, "/orgs").await.0, StatusCode::SEE_OTHER);
    assert_eq!(laptop.get(&app, "/orgs").await.0, StatusCode::OK);
}

async fn password_change_needs_the_current_password_and_a_long_new_one(app: TestApp) {
    let mut b = app.login("leitung@nauheim.example").await;
    let (status, body) = b
        .post_form(
            &app,
            "/profile/password",
            &[
                ("current", "falsch"),
                ("new", "ein-neues-langes-passwort"),
                ("repeat", "ein-neues-langes-passwort"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Das Passwort ist falsch"));
    let (status, body) = b
        .post_form(
            &app,
            "/profile/password",
            &[
                ("current", DEMO_PASSWORD),
                ("new", "kurz"),
                ("repeat", "kurz"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("mindestens 12 Zeichen"));
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
    let mut other = app.browser().await;
    let (status, _) = other
        .post_form(
            &app,
            "/login",
            &[
                ("email", "leitung@nauheim.example"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "old password no longer works"
    );
    let (status, _) = other
        .post_form(
            &app,
            "/login",
            &[
                ("email", "leitung@nauheim.example"),
                ("password", "ein-neues-langes-passwort"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

fn secret_from(body: &str) -> String {
    let i = body.find("id=\"totp-secret\">").expect("secret shown") + 17;
    body[i..i + body[i..].find('<').expect("end")].to_owned()
}

async fn totp_enrolment_then_login_needs_a_code_or_a_recovery_code(app: TestApp) {
    let mut b = app.login("koordination@raunheim.example").await;
    let (_, body) = b.post_form(&app, "/profile/mfa/start", &[]).await;
    assert!(body.contains("<svg"), "QR code shown");
    let secret = secret_from(&body);
    let (status, _) = b
        .post_form(&app, "/profile/mfa/enable", &[("code", "000000")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let code = verbund_app::crypto::current_totp(&secret);
    let (status, body) = b
        .post_form(&app, "/profile/mfa/enable", &[("code", code.as_str())])
        .await;
    assert_eq!(status, StatusCode::OK);
    let start = body
        .find("<ul class=\"codes\">")
        .expect("recovery codes shown");
    let recovery = body[start..]
        .split("<li>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a code")
        .to_owned();

    let mut c = app.browser().await;
    let (status, loc) = c
        .post_form(
            &app,
            "/login",
            &[
                ("email", "koordination@raunheim.example"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(loc.starts_with("/login/mfa"), "{loc}");
    c.refresh_csrf(&app).await;
    assert_eq!(
        c.get(&app, "/orgs").await.0,
        StatusCode::SEE_OTHER,
        "no access before the second factor"
    );
    let (status, _) = c.post_form(&app, "/login/mfa", &[("code", "123456")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The next step's code (the enrolment used the current one, which counts as used).
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = verbund_app::crypto::totp_at(&secret, secs + 30);
    let (status, _) = c
        .post_form(&app, "/login/mfa", &[("code", code.as_str())])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(c.get(&app, "/orgs").await.0, StatusCode::OK);

    let mut d = app.browser().await;
    d.post_form(
        &app,
        "/login",
        &[
            ("email", "koordination@raunheim.example"),
            ("password", DEMO_PASSWORD),
        ],
    )
    .await;
    d.refresh_csrf(&app).await;
    let (status, _) = d
        .post_form(
            &app,
            "/login/mfa",
            &[("code", recovery.to_uppercase().as_str())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "recovery code works once");
    let mut e = app.browser().await;
    e.post_form(
        &app,
        "/login",
        &[
            ("email", "koordination@raunheim.example"),
            ("password", DEMO_PASSWORD),
        ],
    )
    .await;
    e.refresh_csrf(&app).await;
    let (status, _) = e
        .post_form(&app, "/login/mfa", &[("code", recovery.as_str())])
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "but not twice");
}

both!(
    login_with_right_password_reaches_the_dashboard,
    wrong_password_is_rejected_with_a_german_message,
    five_failures_refuse_that_account_from_that_address,
    form_without_csrf_token_or_from_another_origin_is_rejected,
    logout_ends_the_session,
    logout_everywhere_ends_the_other_sessions,
    password_change_needs_the_current_password_and_a_long_new_one,
    totp_enrolment_then_login_needs_a_code_or_a_recovery_code,
);

#[tokio::test]
async fn failed_logins_per_address_are_limited() {
    let config = WebConfig {
        base_url: "http://localhost".into(),
        max_address_failures: 3,
        ..WebConfig::default()
    };
    let app = TestApp::with_config(Backend::Sqlite, config).await;
    let mut b = app.browser().await;
    for _ in 0..2 {
        let (status, _) = b
            .post_form(
                &app,
                "/login",
                &[
                    ("email", "x@verbund.example"),
                    ("password", "falsch-falsch-1"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = b
        .post_form(
            &app,
            "/login",
            &[
                ("email", "y@verbund.example"),
                ("password", "falsch-falsch-1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the third failure");
    assert!(body.contains("Zu viele fehlgeschlagene Anmeldeversuche"));
    let (status, _) = b
        .post_form(
            &app,
            "/login",
            &[
                ("email", "isb@verbund.example"),
                ("password", DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "refused for every account"
    );
}

#[tokio::test]
async fn idle_session_expires() {
    let config = WebConfig {
        base_url: "http://localhost".into(),
        session_idle: Duration::from_millis(300),
        ..WebConfig::default()
    };
    let app = TestApp::with_config(Backend::Sqlite, config).await;
    let mut b = app.login("isb@verbund.example").await;
    assert_eq!(b.get(&app, "/orgs").await.0, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(b.get(&app, "/orgs").await.0, StatusCode::SEE_OTHER);
}
