//! The reminder run: mails before, at and after measure deadlines and the weekly digest per
//! owner, rendered in the owner's language and put into the outbox (the rules are
//! `verbund_domain::reminder`). Running it twice, after a restart or on two instances, enqueues
//! nothing new: every mail's dedupe key is unique in the outbox.

use std::sync::Arc;

use verbund_domain::authz::{Actor, Permission};
use verbund_domain::reminder::{
    ReminderKind, ReminderSettings, berlin_today, candidate_window, dedupe_key, header_text,
    is_digest_day, iso_week, message_id, reminder_for,
};
use verbund_domain::validation::{format_date, format_date_de};
use verbund_store::{AuditActor, NewMail, ReminderCandidate};

use crate::Services;
use crate::error::Result;

/// Looks up a translated text: language code (`de`/`en`), key, named arguments. The binary
/// passes the Fluent catalog (`verbund_i18n`); the application layer holds no texts itself.
pub type Texts = Arc<dyn Fn(&str, &str, &[(&'static str, String)]) -> String + Send + Sync>;

/// Measures listed in a digest at most (the mail says how many there are in all).
pub const DIGEST_ITEMS: i64 = 20;

/// What a reminder run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    /// Measures in the reminder window whose reminder of the day was not enqueued yet.
    pub candidates: usize,
    /// Reminder mails new in the outbox.
    pub reminders: u64,
    /// Digest mails new in the outbox.
    pub digests: u64,
}

/// Where links in mails point: `base_url` without a trailing slash, and its host for
/// Message-IDs.
#[derive(Debug, Clone)]
pub struct MailSite {
    /// Public URL of the installation.
    pub base_url: String,
}

impl MailSite {
    fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    fn host(&self) -> String {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        rest.split(['/', ':']).next().unwrap_or("").to_owned()
    }
}

fn lang(locale: &str) -> &'static str {
    if locale.trim().to_ascii_lowercase().starts_with("en") {
        "en"
    } else {
        "de"
    }
}

fn date_text(lang: &str, due_on: &str) -> String {
    match verbund_domain::validation::parse_date(due_on) {
        Ok(d) if lang == "de" => format_date_de(d),
        Ok(d) => format_date(d),
        Err(_) => due_on.to_owned(),
    }
}

fn reminder_mail(
    texts: &Texts,
    site: &MailSite,
    kind: ReminderKind,
    c: &ReminderCandidate,
    days_ahead: i64,
    key: String,
) -> NewMail {
    let l = lang(&c.locale);
    let title = header_text(&c.title, 150);
    let subject_key = match kind {
        ReminderKind::Upcoming => "mail-subject-upcoming",
        ReminderKind::DueToday => "mail-subject-today",
        _ => "mail-subject-overdue",
    };
    let intro_key = match kind {
        ReminderKind::Upcoming => "mail-body-upcoming",
        ReminderKind::DueToday => "mail-body-today",
        _ => "mail-body-overdue",
    };
    let args = [
        ("title", title.clone()),
        ("org", c.org_name.clone()),
        ("date", date_text(l, &c.due_on)),
        ("days", days_ahead.abs().to_string()),
        ("name", c.display_name.clone()),
    ];
    let subject = texts(l, subject_key, &args);
    let body_text = format!(
        "{}\n\n{}\n\n{}: {}\n{}\n\n-- \n{}\n",
        texts(l, "mail-greeting", &args),
        texts(l, intro_key, &args),
        texts(l, "mail-status", &[]),
        texts(l, &format!("mail-measure-status-{}", c.status), &[]),
        format_args!("{}/measures/{}", site.base(), c.measure_id.0),
        texts(l, "mail-footer", &[]),
    );
    NewMail {
        kind: kind.code().to_owned(),
        message_id: message_id(&key, &site.host()),
        dedupe_key: key,
        recipient: Some(c.owner),
        to_address: c.email.clone(),
        subject,
        body_text,
        body_html: None,
    }
}

fn digest_mail(
    texts: &Texts,
    site: &MailSite,
    today: time::Date,
    rows: &[(ReminderCandidate, i64)],
    key: String,
) -> Option<NewMail> {
    let (first, total) = rows.first()?;
    let l = lang(&first.locale);
    let args = [
        ("count", total.to_string()),
        ("name", first.display_name.clone()),
        ("week", iso_week(today)),
    ];
    let mut body = format!(
        "{}\n\n{}\n\n",
        texts(l, "mail-greeting", &args),
        texts(l, "mail-digest-intro", &args)
    );
    let today_iso = format_date(today);
    for (c, _) in rows {
        let mark = if c.due_on < today_iso {
            format!(" ({})", texts(l, "mail-digest-overdue-mark", &[]))
        } else {
            String::new()
        };
        body.push_str(&format!(
            "- {}{mark}: {} ({})\n  {}/measures/{}\n",
            date_text(l, &c.due_on),
            header_text(&c.title, 150),
            c.org_name,
            site.base(),
            c.measure_id.0
        ));
    }
    if *total > rows.len() as i64 {
        body.push_str(&format!(
            "\n{}\n",
            texts(
                l,
                "mail-digest-more",
                &[("more", (*total - rows.len() as i64).to_string())]
            )
        ));
    }
    body.push_str(&format!("\n-- \n{}\n", texts(l, "mail-footer", &[])));
    Some(NewMail {
        kind: ReminderKind::Digest.code().to_owned(),
        message_id: message_id(&key, &site.host()),
        dedupe_key: key,
        recipient: Some(first.owner),
        to_address: first.email.clone(),
        subject: texts(l, "mail-subject-digest", &args),
        body_text: body,
        body_html: None,
    })
}

/// One reminder run at `now_ms`: enqueues every reminder and (on the digest weekday) every
/// digest not enqueued before. Batch job of the office: reads across members.
pub async fn run(st: &Services, texts: &Texts, site: &MailSite, now_ms: i64) -> Result<RunReport> {
    let mut report = run_deadlines(st, texts, site, now_ms).await?;
    report.digests = run_digest(st, texts, site, now_ms).await?;
    Ok(report)
}

/// The deadline part of a run: mails before, at and after each measure's deadline.
pub async fn run_deadlines(
    st: &Services,
    texts: &Texts,
    site: &MailSite,
    now_ms: i64,
) -> Result<RunReport> {
    let fed = crate::federation(&st.store).await?;
    let settings = st.store.reminder_settings(fed.id).await?;
    let today = berlin_today(now_ms);
    let (from, to) = candidate_window(today, settings.days_before);
    let rows = st
        .store
        .reminder_candidates_federation_wide(
            fed.id,
            &format_date(from),
            &format_date(to),
            &format_date(today),
        )
        .await?;
    let mut report = RunReport {
        candidates: rows.len(),
        ..RunReport::default()
    };
    // The store leaves out measures whose reminder is enqueued already; the outbox's unique
    // key catches a second instance running at the same moment.
    let mails: Vec<NewMail> = rows
        .iter()
        .filter_map(|c| {
            let due = verbund_domain::validation::parse_date(&c.due_on).ok()?;
            let kind = reminder_for(due, today, settings.days_before)?;
            let key = dedupe_key(kind.code(), &c.due_on, c.owner.0, Some(c.measure_id.0));
            Some(reminder_mail(
                texts,
                site,
                kind,
                c,
                (due - today).whole_days(),
                key,
            ))
        })
        .collect();
    report.reminders = st.store.enqueue_mails(fed.id, &mails, now_ms).await?;
    Ok(report)
}

/// The digest part of a run: on the digest weekday, one mail per owner with open measures
/// whose digest of this ISO week is not in the outbox yet. Returns the digests enqueued.
pub async fn run_digest(st: &Services, texts: &Texts, site: &MailSite, now_ms: i64) -> Result<u64> {
    let fed = crate::federation(&st.store).await?;
    let settings = st.store.reminder_settings(fed.id).await?;
    let today = berlin_today(now_ms);
    if !is_digest_day(today, settings) {
        return Ok(0);
    }
    let week = iso_week(today);
    let rows = st
        .store
        .digest_rows_federation_wide(fed.id, DIGEST_ITEMS, &week)
        .await?;
    let mut mails = Vec::new();
    for group in rows.chunk_by(|a, b| a.0.owner == b.0.owner) {
        let key = dedupe_key(ReminderKind::Digest.code(), &week, group[0].0.owner.0, None);
        mails.extend(digest_mail(texts, site, today, group, key));
    }
    Ok(st.store.enqueue_mails(fed.id, &mails, now_ms).await?)
}

/// The federation's reminder settings (office).
pub async fn settings(st: &Services, actor: &Actor) -> Result<ReminderSettings> {
    actor.check_office(Permission::ReadAudit)?;
    let fed = crate::federation(&st.store).await?;
    Ok(st.store.reminder_settings(fed.id).await?)
}

/// Changes the reminder settings (office, federation management), audited.
pub async fn save_settings(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    days_before: i64,
    digest_weekday: i64,
) -> Result<ReminderSettings> {
    actor.check_office(Permission::ManageFederation)?;
    let s = ReminderSettings::new(days_before, digest_weekday)?;
    let fed = crate::federation(&st.store).await?;
    st.store.save_reminder_settings(by, fed.id, s).await?;
    Ok(s)
}
