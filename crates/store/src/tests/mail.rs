//! Jobs, outbox, reminder queries and calendar feeds on both backends: a due job is claimed
//! by exactly one of many concurrent runners, a lost lease is taken over, a mail's dedupe key
//! is unique, a mail left `sending` is never handed out again, a feed token works until revoked.

use verbund_domain::page::PageRequest;

use super::*;

async fn setup(s: &Store) -> (FederationId, OrgId, UserId) {
    fill(s).await;
    let fed = s.federation().await.unwrap().unwrap();
    let org = s
        .list_orgs(
            &Scope::system(&TEST_ACCESS),
            Some("Nauheim"),
            PageRequest::new(Some(1), Some(5)),
        )
        .await
        .unwrap()
        .items[0]
        .id;
    let user = s.login_user("a@b.de").await.unwrap().unwrap().id;
    (fed.id, org, user)
}

fn mail(key: &str, to: &str) -> NewMail {
    NewMail {
        kind: "vorab".into(),
        dedupe_key: key.into(),
        message_id: format!("<{key}@x>"),
        recipient: None,
        to_address: to.into(),
        subject: "Frist".into(),
        body_text: "Text".into(),
        body_html: None,
    }
}

async fn a_due_job_is_claimed_by_exactly_one_runner(s: Store) {
    let (fed, _, _) = setup(&s).await;
    assert!(
        s.ensure_job(fed, "reminders", "reminders", 1000)
            .await
            .unwrap()
    );
    assert!(
        !s.ensure_job(fed, "reminders", "reminders", 1000)
            .await
            .unwrap(),
        "exists once"
    );
    assert!(
        s.claim_job("early", 999, 100).await.unwrap().is_none(),
        "not due yet"
    );
    let tries: Vec<_> = (0..8)
        .map(|i| {
            let s = s.clone();
            tokio::spawn(async move { s.claim_job(&format!("r{i}"), 1000, 500).await.unwrap() })
        })
        .collect();
    let mut claimed = Vec::new();
    for t in tries {
        if let Some(j) = t.await.unwrap() {
            claimed.push(j);
        }
    }
    assert_eq!(claimed.len(), 1, "eight runners, one job: one claims it");
    let job = claimed.pop().unwrap();
    assert_eq!((job.state.as_str(), job.attempts), ("running", 1));
    let holder = job.lease_owner.clone().unwrap();
    assert!(
        s.claim_job("other", 1400, 500).await.unwrap().is_none(),
        "lease held"
    );
    // The holder died: after the lease another runner takes over.
    let taken = s
        .claim_job("other", 1501, 500)
        .await
        .unwrap()
        .expect("lease ended");
    assert_eq!((taken.id, taken.attempts), (job.id, 2));
    assert!(
        !s.finish_job(job.id, &holder, 1600, Some(5000), "x")
            .await
            .unwrap(),
        "not its job any more"
    );
    assert!(
        s.finish_job(job.id, "other", 1600, Some(5000), "3 Fristen")
            .await
            .unwrap()
    );
    let listed = s
        .list_jobs_federation_wide(fed, PageRequest::new(Some(1), Some(10)))
        .await
        .unwrap();
    let j = &listed.items[0];
    assert_eq!(
        (j.state.as_str(), j.run_at_ms, j.attempts),
        ("scheduled", 5000, 0)
    );
    assert_eq!(j.last_result.as_deref(), Some("3 Fristen"));
    // A failure keeps its error and is retried later; without a retry it fails for good.
    let j = s.claim_job("r", 5000, 500).await.unwrap().unwrap();
    assert!(
        s.fail_job(j.id, "r", 5100, "Datenbank weg", Some(9000))
            .await
            .unwrap()
    );
    let listed = s
        .list_jobs_federation_wide(fed, PageRequest::new(Some(1), Some(10)))
        .await
        .unwrap();
    assert_eq!(listed.items[0].last_error.as_deref(), Some("Datenbank weg"));
    assert_eq!(listed.items[0].run_at_ms, 9000);
    let j = s.claim_job("r", 9000, 500).await.unwrap().unwrap();
    assert!(
        s.fail_job(j.id, "r", 9100, "endgültig", None)
            .await
            .unwrap()
    );
    assert!(
        s.claim_job("r", 99_999, 500).await.unwrap().is_none(),
        "failed jobs stay"
    );
}

async fn the_outbox_keeps_each_mail_once_and_never_resends_an_interrupted_one(s: Store) {
    let (fed, _, _) = setup(&s).await;
    let n = s
        .enqueue_mails(
            fed,
            &[
                mail("k1", "a@x.de"),
                mail("k2", "b@x.de"),
                mail("k1", "a@x.de"),
            ],
            100,
        )
        .await
        .unwrap();
    assert_eq!(n, 2, "the repeated key is skipped");
    assert_eq!(
        s.enqueue_mails(fed, &[mail("k2", "b@x.de")], 200)
            .await
            .unwrap(),
        0
    );
    let known = s
        .existing_mail_keys(&["k1".into(), "k3".into()])
        .await
        .unwrap();
    assert_eq!(known, vec!["k1".to_owned()]);
    // Two senders at once: each mail goes to one of them.
    let (a, b) = tokio::join!(
        s.claim_mails("a", 100, 1000, 10),
        s.claim_mails("b", 100, 1000, 10)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 2, "{a:?} {b:?}");
    let (mine, owner) = if a.is_empty() { (b, "b") } else { (a, "a") };
    assert!(s.mark_mail_sent(mine[0].id, owner, 150).await.unwrap());
    assert!(
        !s.mark_mail_sent(mine[0].id, owner, 150).await.unwrap(),
        "once"
    );
    // The other one stays "sending" (its sender died): after the lease it fails, never resent.
    let later = s.claim_mails("c", 2000, 1000, 10).await.unwrap();
    assert!(later.is_empty(), "{later:?}");
    let failed = s
        .list_outbox_federation_wide(fed, Some("failed"), PageRequest::new(Some(1), Some(10)))
        .await
        .unwrap();
    assert_eq!(failed.total, 1);
    let sent = s
        .list_outbox_federation_wide(fed, Some("sent"), PageRequest::new(Some(1), Some(10)))
        .await
        .unwrap();
    assert_eq!((sent.total, sent.items[0].sent_at_ms), (1, Some(150)));
    // A failed attempt with a retry waits until then.
    s.enqueue_mails(fed, &[mail("k4", "d@x.de")], 3000)
        .await
        .unwrap();
    let m = s.claim_mails("a", 3000, 1000, 10).await.unwrap();
    assert!(
        s.mark_mail_failed(m[0].id, "a", "SMTP: 451", Some(9000))
            .await
            .unwrap()
    );
    assert!(s.claim_mails("a", 8999, 1000, 10).await.unwrap().is_empty());
    let again = s.claim_mails("a", 9000, 1000, 10).await.unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 2));
}

async fn reminder_queries_select_open_owned_deadlines_in_the_window(s: Store) {
    let (fed, org, user) = setup(&s).await;
    let sys = SystemAccess::for_reason("test");
    for (title, due, status) in [
        ("vorher", "2026-11-30", "offen"),
        ("im Fenster", "2026-12-05", "offen"),
        ("in Arbeit", "2026-12-10", "in_arbeit"),
        ("erledigt", "2026-12-06", "umgesetzt"),
        ("danach", "2026-12-20", "offen"),
    ] {
        s.seed_measure(&sys, org, Some(user), title, Some(due), status)
            .await
            .unwrap();
    }
    s.seed_measure(
        &sys,
        org,
        None,
        "ohne Verantwortliche",
        Some("2026-12-05"),
        "offen",
    )
    .await
    .unwrap();
    let rows = s
        .reminder_candidates_federation_wide(fed, "2026-12-01", "2026-12-14", "2026-12-07")
        .await
        .unwrap();
    let titles: Vec<&str> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["im Fenster", "in Arbeit"]);
    assert_eq!(rows[0].email, "a@b.de");
    // Once its reminder is in the outbox, a measure is left out (the key the domain derives).
    let key = verbund_domain::reminder::dedupe_key(
        "ueberfaellig",
        "2026-12-05",
        user.0,
        Some(rows[0].measure_id.0),
    );
    s.enqueue_mails(fed, &[mail(&key, "a@b.de")], 1)
        .await
        .unwrap();
    let rows = s
        .reminder_candidates_federation_wide(fed, "2026-12-01", "2026-12-14", "2026-12-07")
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].title, "in Arbeit");
    let digest = s
        .digest_rows_federation_wide(fed, 2, "2026-W50")
        .await
        .unwrap();
    assert_eq!(digest.len(), 2, "at most 2 per owner");
    assert_eq!((digest[0].0.title.as_str(), digest[0].1), ("vorher", 4));
    let key = verbund_domain::reminder::dedupe_key("wochenuebersicht", "2026-W50", user.0, None);
    s.enqueue_mails(fed, &[mail(&key, "a@b.de")], 1)
        .await
        .unwrap();
    assert!(
        s.digest_rows_federation_wide(fed, 2, "2026-W50")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.digest_rows_federation_wide(fed, 2, "2026-W51")
            .await
            .unwrap()
            .len(),
        2
    );
    let feed = s.feed_measures(user, 100).await.unwrap();
    assert_eq!(feed.len(), 4);
    // Settings: defaults, then saved and audited.
    let d = s.reminder_settings(fed).await.unwrap();
    assert_eq!((d.days_before, d.digest_weekday), (7, 1));
    let new = verbund_domain::reminder::ReminderSettings::new(3, 5).unwrap();
    s.save_reminder_settings(&AuditActor::system(), fed, new)
        .await
        .unwrap();
    assert_eq!(s.reminder_settings(fed).await.unwrap(), new);
    assert!(s.verify_audit().await.unwrap().is_ok());
}

async fn a_feed_token_works_until_revoked_or_replaced(s: Store) {
    let (_, _, user) = setup(&s).await;
    let sys = AuditActor::system();
    assert!(s.calendar_feed(user).await.unwrap().is_none());
    s.set_calendar_feed(&sys, user, "hash1").await.unwrap();
    assert_eq!(
        s.calendar_feed_user("hash1", 10)
            .await
            .unwrap()
            .map(|u| u.0),
        Some(user)
    );
    assert_eq!(
        s.calendar_feed(user).await.unwrap().unwrap().last_used_ms,
        Some(10)
    );
    s.set_calendar_feed(&sys, user, "hash2").await.unwrap();
    assert!(
        s.calendar_feed_user("hash1", 20).await.unwrap().is_none(),
        "replaced"
    );
    assert!(s.calendar_feed_user("hash2", 20).await.unwrap().is_some());
    assert!(s.revoke_calendar_feed(&sys, user).await.unwrap());
    assert!(!s.revoke_calendar_feed(&sys, user).await.unwrap());
    assert!(
        s.calendar_feed_user("hash2", 30).await.unwrap().is_none(),
        "revoked"
    );
    assert!(s.verify_audit().await.unwrap().is_ok());
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let (s, p) = super::super::sqlite().await;
                super::$name(s).await;
                let _ = std::fs::remove_file(p);
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$name(super::super::postgres().await).await;
            }
        }
    )*};
}

on_both!(
    a_due_job_is_claimed_by_exactly_one_runner,
    the_outbox_keeps_each_mail_once_and_never_resends_an_interrupted_one,
    reminder_queries_select_open_owned_deadlines_in_the_window,
    a_feed_token_works_until_revoked_or_replaced,
);
