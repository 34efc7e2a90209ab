//! Reminders, outbox and job runner against an SMTP sink the test starts, on both databases;
//! two app instances on one PostgreSQL; the calendar feed parsed with a real iCalendar parser;
//! the office's jobs page and API.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use verbund_app::jobs::{self, RunnerConfig};
use verbund_app::reminders::{self, MailSite, Texts};
use verbund_app::{Clock, Services};
use verbund_domain::authz::Scope;
use verbund_domain::page::PageRequest;
use verbund_domain::reminder::berlin_today;
use verbund_domain::validation::format_date;
use verbund_domain::{OrgId, UserId};
use verbund_store::{Store, UserChange};

use crate::both;
use crate::helpers::{TEST_ACCESS, TestApp};
use crate::smtp_sink::SmtpSink;

/// Monday 07.12.2026, 08:00 in Berlin (07:00 UTC): the default digest day.
const MONDAY_8AM: i64 = 1_796_626_800_000;

fn texts() -> Texts {
    Arc::new(|lang, key, args| {
        verbund_i18n::Lang::parse(lang)
            .unwrap_or_default()
            .t_args(key, args)
    })
}

/// Services on `store` whose clock the test moves.
fn services(store: &Store, clock: Arc<AtomicI64>) -> Services {
    let mut s = Services::new(store.clone(), verbund_app::AuthPolicy::default());
    s.clock = Clock::from_fn(move || clock.load(Ordering::SeqCst));
    s
}

fn runner(name: &str, sink: &SmtpSink) -> RunnerConfig {
    RunnerConfig {
        owner: name.into(),
        smtp: Some(sink.config()),
        site: MailSite {
            base_url: "https://verbund.example".into(),
        },
        texts: texts(),
        idle: std::time::Duration::from_millis(50),
    }
}

fn day(offset: i64) -> String {
    format_date(berlin_today(MONDAY_8AM) + time::Duration::days(offset))
}

struct Seeded {
    owner: UserId,
    english: UserId,
}

/// Nauheim's measure owner gets: one due in 7 days (reminder), one today, one 2 days overdue,
/// one in 30 days (digest only), one done today (nothing). Raunheim's coordinator (English)
/// one due today.
async fn seed(store: &Store, nauheim: i64, raunheim: i64, owner: i64, english: i64) -> Seeded {
    let m = |org: i64, user: i64, title: &'static str, due: String, status: &'static str| {
        let store = store.clone();
        async move {
            store
                .seed_measure(
                    &TEST_ACCESS,
                    OrgId(org),
                    Some(UserId(user)),
                    title,
                    Some(&due),
                    status,
                )
                .await
                .unwrap()
        }
    };
    m(
        nauheim,
        owner,
        "Offline-Datensicherung einführen; Bänder & „Tresor“ prüfen\r\nBcc: alle@example.org",
        day(7),
        "offen",
    )
    .await;
    m(
        nauheim,
        owner,
        "Notfallhandbuch überarbeiten",
        day(0),
        "in_arbeit",
    )
    .await;
    m(nauheim, owner, "Schulung Phishing", day(-2), "offen").await;
    m(nauheim, owner, "Netzplan aktualisieren", day(30), "offen").await;
    m(nauheim, owner, "Virenschutz prüfen", day(0), "umgesetzt").await;
    m(raunheim, english, "Passwortrichtlinie", day(0), "offen").await;
    store
        .update_user(
            &verbund_store::AuditActor::system(),
            &Scope::system(&TEST_ACCESS),
            UserId(english),
            &UserChange {
                locale: Some("en".into()),
                ..UserChange::default()
            },
        )
        .await
        .unwrap();
    Seeded {
        owner: UserId(owner),
        english: UserId(english),
    }
}

async fn seeded(app: &TestApp) -> Seeded {
    let nauheim = app.org_id("Nauheim").await;
    let raunheim = app.org_id("Raunheim").await;
    let owner = app.user_id("massnahmen@nauheim.example").await;
    let english = app.user_id("koordination@raunheim.example").await;
    seed(&app.store, nauheim, raunheim, owner, english).await
}

async fn reminders_reach_the_smtp_sink_once_in_the_owners_language(app: TestApp) {
    let s = seeded(&app).await;
    let sink = SmtpSink::start().await;
    let clock = Arc::new(AtomicI64::new(MONDAY_8AM));
    let st = services(&app.store, clock.clone());
    let cfg = runner("a", &sink);

    let r = reminders::run(&st, &cfg.texts, &cfg.site, MONDAY_8AM)
        .await
        .unwrap();
    // 7 days ahead, today, overdue (Nauheim) + today (Raunheim); done and far ones: none.
    assert_eq!((r.reminders, r.digests), (4, 2), "{r:?}");
    // A second run (and a run of the whole runner) adds nothing.
    let again = reminders::run(&st, &cfg.texts, &cfg.site, MONDAY_8AM)
        .await
        .unwrap();
    assert_eq!((again.reminders, again.digests), (0, 0));

    jobs::ensure_recurring(&st).await.unwrap();
    assert_eq!(
        jobs::run_due(&st, &cfg).await.unwrap(),
        2,
        "reminders and outbox ran"
    );
    let got = sink.received();
    assert_eq!(got.len(), 6, "4 reminders + 2 digests");
    let ids: HashSet<String> = got.iter().filter_map(|m| m.header("Message-ID")).collect();
    assert_eq!(ids.len(), 6, "distinct Message-IDs");

    let upcoming = got
        .iter()
        .find(|m| m.subject().starts_with("Frist in 7 Tagen"))
        .expect("the reminder 7 days ahead");
    assert_eq!(
        upcoming.subject(),
        "Frist in 7 Tagen: Offline-Datensicherung einführen; Bänder & „Tresor“ prüfen Bcc: alle@example.org"
    );
    // The typed line break did not become a header.
    assert!(upcoming.header("Bcc").is_none(), "{}", upcoming.data);
    assert_eq!(
        upcoming.rcpt,
        vec!["<massnahmen@nauheim.example>".to_owned()]
    );
    let body = upcoming.text();
    assert!(body.contains("Guten Tag"), "{body}");
    assert!(
        body.contains("ist in 7 Tagen fällig, am 14.12.2026"),
        "{body}"
    );
    assert!(body.contains("(Nauheim)"), "{body}");
    assert!(body.contains("https://verbund.example/measures/"), "{body}");
    assert!(
        got.iter()
            .any(|m| m.subject() == "Frist heute: Notfallhandbuch überarbeiten")
    );
    assert!(
        got.iter()
            .any(|m| m.subject() == "Frist überschritten: Schulung Phishing")
    );
    let english = got
        .iter()
        .find(|m| {
            m.rcpt == vec!["<koordination@raunheim.example>".to_owned()]
                && !m.subject().contains("summary")
        })
        .expect("the English reminder");
    assert_eq!(english.subject(), "Deadline today: Passwortrichtlinie");
    assert!(
        english.text().contains("is due today (2026-12-07)"),
        "{}",
        english.text()
    );
    let digest = got
        .iter()
        .find(|m| m.subject().starts_with("Wochenübersicht"))
        .expect("the German digest");
    assert_eq!(
        digest.subject(),
        "Wochenübersicht 2026-W50: 4 offene Maßnahmen"
    );
    assert!(
        digest
            .text()
            .contains("05.12.2026 (überfällig): Schulung Phishing (Nauheim)"),
        "{}",
        digest.text()
    );

    // The stored Message-ID is the one sent.
    let fed = app.store.federation().await.unwrap().unwrap();
    let out = app
        .store
        .list_outbox_federation_wide(fed.id, Some("sent"), PageRequest::new(Some(1), Some(50)))
        .await
        .unwrap();
    assert_eq!(out.total, 6);
    assert!(out.items.iter().all(|m| ids.contains(&m.message_id)));
    assert!(
        out.items
            .iter()
            .any(|m| m.recipient_user_id == Some(s.owner))
    );
    assert!(
        out.items
            .iter()
            .any(|m| m.recipient_user_id == Some(s.english))
    );

    // "Restart": new services and runner, an hour later; the recurring jobs are due again.
    clock.store(MONDAY_8AM + 3_600_000, Ordering::SeqCst);
    let st2 = services(&app.store, clock.clone());
    let cfg2 = runner("b", &sink);
    jobs::ensure_recurring(&st2).await.unwrap();
    assert_eq!(jobs::run_due(&st2, &cfg2).await.unwrap(), 2);
    assert_eq!(sink.received().len(), 6, "no duplicates after a restart");
    let listed = app
        .store
        .list_jobs_federation_wide(fed.id, PageRequest::new(Some(1), Some(10)))
        .await
        .unwrap();
    assert!(
        listed
            .items
            .iter()
            .all(|j| j.state == "scheduled" && j.last_error.is_none()),
        "{:?}",
        listed.items
    );
}

async fn a_mail_left_sending_by_a_crash_is_not_sent_again_and_failures_back_off(app: TestApp) {
    seeded(&app).await;
    let sink = SmtpSink::start().await;
    let clock = Arc::new(AtomicI64::new(MONDAY_8AM));
    let st = services(&app.store, clock.clone());
    let cfg = runner("a", &sink);
    reminders::run(&st, &cfg.texts, &cfg.site, MONDAY_8AM)
        .await
        .unwrap();
    // A sender claims two mails and dies before sending them.
    let crashed = app
        .store
        .claim_mails("crashed", MONDAY_8AM, 1000, 2)
        .await
        .unwrap();
    assert_eq!(crashed.len(), 2);
    clock.store(MONDAY_8AM + 2000, Ordering::SeqCst);
    let d = verbund_app::mail::deliver(&st, cfg.smtp.as_ref().unwrap(), "a")
        .await
        .unwrap();
    assert_eq!((d.sent, d.failed), (4, 0));
    let got = sink.received();
    assert_eq!(got.len(), 4);
    let fed = app.store.federation().await.unwrap().unwrap();
    let failed = app
        .store
        .list_outbox_federation_wide(fed.id, Some("failed"), PageRequest::new(Some(1), Some(50)))
        .await
        .unwrap();
    assert_eq!(failed.total, 2, "the two mails of the crashed sender");
    assert!(
        failed.items[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("unbekannt")
    );
    let crashed_ids: HashSet<_> = crashed.iter().map(|m| m.message_id.clone()).collect();
    assert!(
        got.iter()
            .all(|m| !crashed_ids.contains(&m.header("Message-ID").unwrap()))
    );

    // A server that cannot be reached: the mail waits, retried with backoff.
    app.store
        .enqueue_mails(
            fed.id,
            &[verbund_store::NewMail {
                kind: "test".into(),
                dedupe_key: "test/1".into(),
                message_id: "<test-1@verbund.example>".into(),
                recipient: None,
                to_address: "x@verbund.example".into(),
                subject: "Test".into(),
                body_text: "Hallo".into(),
                body_html: None,
            }],
            MONDAY_8AM,
        )
        .await
        .unwrap();
    let mut down = sink.config();
    down.port = 1;
    let d = verbund_app::mail::deliver(&st, &down, "a").await.unwrap();
    assert_eq!((d.sent, d.failed), (0, 1));
    let pending = app
        .store
        .list_outbox_federation_wide(fed.id, Some("pending"), PageRequest::new(Some(1), Some(50)))
        .await
        .unwrap();
    assert_eq!(pending.total, 1);
    assert_eq!(pending.items[0].attempts, 1);
    assert_eq!(pending.items[0].next_attempt_ms, MONDAY_8AM + 2000 + 60_000);
    assert!(
        pending.items[0]
            .last_error
            .as_deref()
            .unwrap()
            .starts_with("SMTP")
    );
}

async fn the_calendar_feed_is_secret_revocable_and_valid_icalendar(app: TestApp) {
    seeded(&app).await;
    let token = app.token("massnahmen@nauheim.example").await;
    let (status, none) = app
        .api(Method::GET, "/me/calendar-feed", &token, None)
        .await;
    assert_eq!(
        (status, none["active"].clone()),
        (StatusCode::OK, json!(false))
    );
    let (status, created) = app
        .api(Method::POST, "/me/calendar-feed", &token, None)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let url = created["url"].as_str().unwrap().to_owned();
    let path = url.strip_prefix("http://localhost").unwrap().to_owned();
    assert!(path.starts_with("/calendar/vcal_"), "{url}");

    let fetch = |p: String| {
        let app = &app;
        async move {
            app.request(Request::get(p).body(Body::empty()).unwrap())
                .await
        }
    };
    let (status, headers, body) = fetch(path.clone()).await;
    assert_eq!(status, StatusCode::OK, "no session needed");
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    let cal = ical::IcalParser::new(body.as_bytes())
        .next()
        .expect("one calendar")
        .expect("parses");
    // Open measures with a deadline: 4 (the done one is left out).
    assert_eq!(cal.events.len(), 4, "{body}");
    let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    let backup = cal
        .events
        .iter()
        .find(|e| prop(e, "SUMMARY").contains("Offline"))
        .expect("the backup measure");
    assert_eq!(
        prop(backup, "SUMMARY"),
        "Frist: Offline-Datensicherung einführen\\; Bänder & „Tresor“ prüfen\\nBcc: alle@example.org"
    );
    assert_eq!(prop(backup, "DTSTART"), "20261214");
    assert_eq!(prop(backup, "DTEND"), "20261215");
    let uid = prop(backup, "UID");
    assert!(
        uid.starts_with("measure-") && uid.ends_with("@localhost"),
        "{uid}"
    );
    // Stable UIDs: a second fetch has the same.
    let (_, _, again) = fetch(path.clone()).await;
    assert!(again.contains(&format!("UID:{uid}")));

    // Only the owner's own measures: the English coordinator's feed has one.
    let en = app.token("koordination@raunheim.example").await;
    let (_, other) = app.api(Method::POST, "/me/calendar-feed", &en, None).await;
    let other_path = other["url"]
        .as_str()
        .unwrap()
        .strip_prefix("http://localhost")
        .unwrap()
        .to_owned();
    let (_, _, other_body) = fetch(other_path).await;
    assert!(
        other_body.contains("SUMMARY:Deadline: Passwortrichtlinie"),
        "{other_body}"
    );
    assert!(!other_body.contains("Offline"));

    // Regenerate: the old URL is gone; revoke: the new one too.
    let (_, renewed) = app
        .api(Method::POST, "/me/calendar-feed", &token, None)
        .await;
    let new_path = renewed["url"]
        .as_str()
        .unwrap()
        .strip_prefix("http://localhost")
        .unwrap()
        .to_owned();
    assert_ne!(new_path, path);
    assert_eq!(fetch(path.clone()).await.0, StatusCode::NOT_FOUND);
    assert_eq!(fetch(new_path.clone()).await.0, StatusCode::OK);
    let (status, _) = app
        .api(Method::DELETE, "/me/calendar-feed", &token, None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(fetch(new_path).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        fetch("/calendar/vcal_unknown".into()).await.0,
        StatusCode::NOT_FOUND
    );

    // In the UI: the URL is shown once, on the page after creating it.
    let mut b = app.login("massnahmen@nauheim.example").await;
    let (status, page) = b.post_form(&app, "/profile/calendar", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("id=\"new-feed-url\">http://localhost/calendar/vcal_"),
        "{page}"
    );
    let (_, profile) = b.get(&app, "/profile").await;
    assert!(!profile.contains("new-feed-url"));
    assert!(
        profile.contains("Kalender-Abonnement aktiv seit"),
        "{profile}"
    );
    let (status, page) = b.post_form(&app, "/profile/calendar/revoke", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Sie haben kein Kalender-Abonnement."));
}

async fn the_office_sees_jobs_and_outbox_and_sets_reminders(app: TestApp) {
    let isb = app.token("isb@verbund.example").await;
    let coord = app.token("koordination@nauheim.example").await;
    let st = services(&app.store, Arc::new(AtomicI64::new(MONDAY_8AM)));
    jobs::ensure_recurring(&st).await.unwrap();
    let (status, list) = app.api(Method::GET, "/jobs", &isb, None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 2);
    let kinds: HashSet<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, HashSet::from(["reminders", "outbox"]));
    assert_eq!(
        app.api(Method::GET, "/jobs", &coord, None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api(Method::GET, "/outbox", &coord, None).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, outbox) = app
        .api(Method::GET, "/outbox?state=pending", &isb, None)
        .await;
    assert_eq!(
        (status, outbox["total"].clone()),
        (StatusCode::OK, json!(0))
    );
    let (status, bad) = app
        .api(Method::GET, "/outbox?state=verloren", &isb, None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");

    let (status, s) = app.api(Method::GET, "/reminder-settings", &isb, None).await;
    assert_eq!(
        (status, s.clone()),
        (
            StatusCode::OK,
            json!({"days_before": 7, "digest_weekday": 1})
        )
    );
    let (status, bad) = app
        .api(
            Method::PUT,
            "/reminder-settings",
            &isb,
            Some(json!({"days_before": 0, "digest_weekday": 8})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert_eq!(bad["error"]["fields"].as_array().unwrap().len(), 2, "{bad}");
    assert_eq!(
        bad["error"]["fields"][0]["message"],
        "Bitte eine ganze Zahl von 1 bis 60 angeben."
    );
    let (status, _) = app
        .api(
            Method::PUT,
            "/reminder-settings",
            &isb,
            Some(json!({"days_before": 3, "digest_weekday": 5})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.api(
            Method::PUT,
            "/reminder-settings",
            &coord,
            Some(json!({"days_before": 3, "digest_weekday": 5}))
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (_, s) = app.api(Method::GET, "/reminder-settings", &isb, None).await;
    assert_eq!(s, json!({"days_before": 3, "digest_weekday": 5}));

    // The page: jobs in words, the settings form refuses bad values in German.
    let mut b = app.login("isb@verbund.example").await;
    let (status, page) = b.get(&app, "/jobs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Erinnerungen an Fristen") && page.contains("Mailversand"),
        "{page}"
    );
    let (status, page) = b
        .post_form(
            &app,
            "/jobs/settings",
            &[("days_before", "99"), ("digest_weekday", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Bitte eine ganze Zahl von 1 bis 60 angeben."));
    let (status, _) = b
        .post_form(
            &app,
            "/jobs/settings",
            &[("days_before", "5"), ("digest_weekday", "2")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut m = app.login("koordination@nauheim.example").await;
    assert_eq!(m.get(&app, "/jobs").await.0, StatusCode::NOT_FOUND);
}

both!(
    reminders_reach_the_smtp_sink_once_in_the_owners_language,
    a_mail_left_sending_by_a_crash_is_not_sent_again_and_failures_back_off,
    the_calendar_feed_is_secret_revocable_and_valid_icalendar,
    the_office_sees_jobs_and_outbox_and_sets_reminders,
);

/// Two app instances with their own pools and runners on one PostgreSQL: every reminder is
/// enqueued and sent exactly once although both run the same jobs at the same time.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgres_send_each_reminder_once() {
    let (a, b) = TestApp::postgres_pair().await;
    seeded(&a).await;
    let sink = SmtpSink::start().await;
    let clock = Arc::new(AtomicI64::new(MONDAY_8AM));
    let sa = services(&a.store, clock.clone());
    let sb = services(&b.store, clock.clone());
    let (ca, cb) = (runner("instance-a", &sink), runner("instance-b", &sink));
    // Both enqueue the same reminders at the same time.
    let (ra, rb) = tokio::join!(
        reminders::run(&sa, &ca.texts, &ca.site, MONDAY_8AM),
        reminders::run(&sb, &cb.texts, &cb.site, MONDAY_8AM)
    );
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.reminders + rb.reminders, 4, "{ra:?} {rb:?}");
    assert_eq!(ra.digests + rb.digests, 2);
    // Both runners start and work through the due jobs concurrently, several rounds.
    jobs::ensure_recurring(&sa).await.unwrap();
    jobs::ensure_recurring(&sb).await.unwrap();
    for round in 0..3 {
        clock.store(MONDAY_8AM + round * 3_600_000, Ordering::SeqCst);
        let (na, nb) = tokio::join!(jobs::run_due(&sa, &ca), jobs::run_due(&sb, &cb));
        assert_eq!(
            na.unwrap() + nb.unwrap(),
            2,
            "each job ran once in round {round}"
        );
    }
    let got = sink.received();
    assert_eq!(got.len(), 6, "each mail once");
    let ids: HashSet<String> = got.iter().filter_map(|m| m.header("Message-ID")).collect();
    assert_eq!(ids.len(), 6);
}
