//! Background work and mail: the kinds of jobs the runner knows, when a measure's owner is
//! reminded of its deadline, the weekly digest, the identity of a mail (dedupe key and
//! Message-ID), the retry rule, and the iCalendar feed text. Pure rules, no IO; the clock is
//! always a parameter.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{Date, Duration, Weekday};

use crate::structure::code_enum;
use crate::validation::ValidationErrors;

code_enum!(
    /// What a job does. Later features add their kinds here; the runner matches on it.
    JobKind, "error-job-kind", {
        /// The reminder run: mails before, at and after measure deadlines and the weekly
        /// digest, put into the outbox (recurring).
        Reminders = "reminders",
        /// Delivery of pending outbox mails over SMTP (recurring).
        Outbox = "outbox",
        /// A crisis pact's alert: mails to every contact of the pact and the webhook (one-off,
        /// written when a crisis is declared).
        PactAlert = "pact_alert",
        /// The walk over the subscribed CSAF providers: new and changed advisories imported
        /// (recurring; created when the office registers the first provider).
        CsafProviders = "csaf_providers",
    }
);

impl JobKind {
    /// How long after a successful run a recurring job runs again; `None` for one-off jobs.
    pub fn interval_ms(self) -> Option<i64> {
        match self {
            Self::Reminders => Some(60 * 60 * 1000),
            Self::Outbox => Some(30 * 1000),
            Self::PactAlert => None,
            Self::CsafProviders => Some(60 * 60 * 1000),
        }
    }

    /// Whether [`Self::interval_ms`]'s job exists from the start (else it is created on
    /// demand: the provider walk when the first provider is registered).
    pub fn created_at_start(self) -> bool {
        !matches!(self, Self::CsafProviders)
    }
}

code_enum!(
    /// Where a job stands.
    JobState, "error-job-state", {
        /// Waiting for its `run_at`.
        Scheduled = "scheduled",
        /// Claimed by a runner (its lease says until when).
        Running = "running",
        /// A one-off job that finished.
        Done = "done",
        /// Gave up after the last attempt (the error is kept).
        Failed = "failed",
    }
);

code_enum!(
    /// Where a mail of the outbox stands.
    MailState, "error-mail-state", {
        /// Not sent yet (also after a failed attempt that will be retried).
        Pending = "pending",
        /// Handed to the SMTP server right now. A row still in this state after its lease
        /// ended means the sender stopped mid-way: it is marked failed, never sent again.
        Sending = "sending",
        /// Accepted by the SMTP server.
        Sent = "sent",
        /// Given up (the error is kept; the office sees it).
        Failed = "failed",
    }
);

code_enum!(
    /// Why a mail is sent.
    ReminderKind, "error-reminder-kind", {
        /// The deadline is a few days ahead (the federation's setting).
        Upcoming = "vorab",
        /// The deadline is today.
        DueToday = "heute",
        /// The deadline has passed and the measure is still open.
        Overdue = "ueberfaellig",
        /// The weekly list of an owner's open measures.
        Digest = "wochenuebersicht",
    }
);

/// Attempts before a job or a mail is given up.
pub const MAX_ATTEMPTS: i64 = 5;

/// Days after a deadline within which the overdue reminder is still sent (after a longer
/// outage the weekly digest lists the measure instead of a late single mail).
pub const OVERDUE_WINDOW_DAYS: i64 = 7;

/// The federation's reminder settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderSettings {
    /// Days before the deadline of the first reminder (1–60).
    pub days_before: i64,
    /// Weekday of the digest, 1 = Monday … 7 = Sunday.
    pub digest_weekday: i64,
}

impl Default for ReminderSettings {
    /// A week ahead leaves time to act; the digest on Monday morning plans the week.
    fn default() -> Self {
        Self {
            days_before: 7,
            digest_weekday: 1,
        }
    }
}

impl ReminderSettings {
    /// Checks both values: `days_before` 1–60 (`error-range`), `digest_weekday` 1–7.
    pub fn new(days_before: i64, digest_weekday: i64) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        if !(1..=60).contains(&days_before) {
            e.add("days_before", "error-reminder-days");
        }
        if !(1..=7).contains(&digest_weekday) {
            e.add("digest_weekday", "error-reminder-weekday");
        }
        e.into_result(Self {
            days_before,
            digest_weekday,
        })
    }

    /// The digest's weekday.
    pub fn weekday(self) -> Weekday {
        weekday_from_number(self.digest_weekday)
    }
}

/// 1 = Monday … 7 = Sunday (anything else is Monday).
pub fn weekday_from_number(n: i64) -> Weekday {
    match n {
        2 => Weekday::Tuesday,
        3 => Weekday::Wednesday,
        4 => Weekday::Thursday,
        5 => Weekday::Friday,
        6 => Weekday::Saturday,
        7 => Weekday::Sunday,
        _ => Weekday::Monday,
    }
}

/// The calendar day in Berlin at Unix milliseconds `ms`.
pub fn berlin_today(ms: i64) -> Date {
    use crate::localtime::berlin_midnight_ms;
    let utc = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map(|t| t.date())
        .unwrap_or(Date::MIN);
    match utc.next_day() {
        Some(next) if ms >= berlin_midnight_ms(next) => next,
        _ if ms < berlin_midnight_ms(utc) => utc.previous_day().unwrap_or(utc),
        _ => utc,
    }
}

/// The single reminder a measure due on `due` gets on `today`, if any: `Upcoming` when the
/// deadline is 1 to `days_before` days ahead, `DueToday` on the day, `Overdue` up to
/// [`OVERDUE_WINDOW_DAYS`] after it. Each is sent once per deadline (the dedupe key holds the
/// deadline), so a run that missed a day catches up, and a moved deadline is reminded anew.
pub fn reminder_for(due: Date, today: Date, days_before: i64) -> Option<ReminderKind> {
    let ahead = (due - today).whole_days();
    match ahead {
        0 => Some(ReminderKind::DueToday),
        d if d > 0 && d <= days_before => Some(ReminderKind::Upcoming),
        d if d < 0 && -d <= OVERDUE_WINDOW_DAYS => Some(ReminderKind::Overdue),
        _ => None,
    }
}

/// The deadlines that can get a reminder on `today` (both inclusive): the store selects only
/// these through its index.
pub fn candidate_window(today: Date, days_before: i64) -> (Date, Date) {
    (
        today - Duration::days(OVERDUE_WINDOW_DAYS),
        today + Duration::days(days_before),
    )
}

/// Whether the weekly digest goes out on `today`.
pub fn is_digest_day(today: Date, settings: ReminderSettings) -> bool {
    today.weekday() == settings.weekday()
}

/// The ISO week of `day`, e.g. `2026-W49`: the period of a digest.
pub fn iso_week(day: Date) -> String {
    let (year, week, _) = day.to_iso_week_date();
    format!("{year}-W{week:02}")
}

/// The dedupe key of a mail: kind, period (deadline or ISO week), recipient and measure. The
/// outbox holds it UNIQUE, so a second reminder run, a restart or a second instance cannot
/// enqueue the same mail twice.
pub fn dedupe_key(kind: &str, period: &str, recipient: i64, measure: Option<i64>) -> String {
    match measure {
        Some(m) => format!("{kind}/{period}/u{recipient}/m{m}"),
        None => format!("{kind}/{period}/u{recipient}"),
    }
}

/// The stable Message-ID of a mail, derived from its dedupe key: sending it again (by hand, or
/// in the crash window) gives the same ID, which mail systems recognise as one message.
pub fn message_id(dedupe_key: &str, domain: &str) -> String {
    let hash = hex::encode(Sha256::digest(dedupe_key.as_bytes()));
    let domain: String = domain
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .collect();
    let domain = if domain.is_empty() {
        "verbund.invalid".to_owned()
    } else {
        domain
    };
    format!("<{}@{domain}>", &hash[..32])
}

/// Waiting time before attempt `attempts + 1` after `attempts` failures: 1, 2, 4, 8 … minutes,
/// at most 6 hours.
pub fn retry_delay_ms(attempts: i64) -> i64 {
    let minutes = 1_i64 << attempts.clamp(1, 20).saturating_sub(1);
    (minutes * 60_000).min(6 * 60 * 60 * 1000)
}

/// A header value made safe from typed text: control characters (line breaks among them, the
/// way to inject headers) become spaces, runs of white space one space; at most `max` chars.
pub fn header_text(value: &str, max: usize) -> String {
    let mut out = String::new();
    let mut space = false;
    for c in value.chars() {
        let c = if c.is_control() || crate::validation::is_forbidden_char(c, false) {
            ' '
        } else {
            c
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if out.chars().count() > max {
        out = out.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
    }
    out
}

/// One all-day event of a calendar feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// Globally unique and stable, e.g. `measure-17@verbund.example`.
    pub uid: String,
    /// The day of the event.
    pub day: Date,
    /// Title.
    pub summary: String,
    /// Longer text (may hold line breaks).
    pub description: String,
    /// Link to the object.
    pub url: Option<String>,
}

/// Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma, line breaks; other
/// control characters are dropped.
pub fn ical_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (RFC 5545 3.1) without splitting a UTF-8 character;
/// appends it with CRLF.
fn push_folded(out: &mut String, line: &str) {
    let mut len = 0;
    for c in line.chars() {
        let w = c.len_utf8();
        if len + w > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += w;
    }
    out.push_str("\r\n");
}

fn ical_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The whole iCalendar document (`text/calendar`) of a feed: all-day events (DTSTART and DTEND
/// as dates), DTSTAMP `now_ms` in UTC, escaped texts, folded lines, CRLF line ends.
pub fn ical_feed(name: &str, events: &[FeedEvent], now_ms: i64) -> String {
    let stamp = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let stamp = format!(
        "{}T{:02}{:02}{:02}Z",
        ical_date(stamp.date()),
        stamp.hour(),
        stamp.minute(),
        stamp.second()
    );
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Verbund//Fristen//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_folded(&mut out, l);
    }
    push_folded(&mut out, &format!("X-WR-CALNAME:{}", ical_escape(name)));
    for e in events {
        push_folded(&mut out, "BEGIN:VEVENT");
        push_folded(&mut out, &format!("UID:{}", ical_escape(&e.uid)));
        push_folded(&mut out, &format!("DTSTAMP:{stamp}"));
        push_folded(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", ical_date(e.day)),
        );
        let end = e.day.next_day().unwrap_or(e.day);
        push_folded(&mut out, &format!("DTEND;VALUE=DATE:{}", ical_date(end)));
        push_folded(&mut out, &format!("SUMMARY:{}", ical_escape(&e.summary)));
        if !e.description.is_empty() {
            push_folded(
                &mut out,
                &format!("DESCRIPTION:{}", ical_escape(&e.description)),
            );
        }
        if let Some(u) = &e.url {
            push_folded(&mut out, &format!("URL:{}", u.replace(['\r', '\n'], "")));
        }
        push_folded(&mut out, "TRANSP:TRANSPARENT");
        push_folded(&mut out, "END:VEVENT");
    }
    push_folded(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use time::macros::date;

    #[test]
    fn reminders_come_before_at_and_after_the_deadline_once_each() {
        // Deadline Friday 11.12.2026, reminders 7 days ahead.
        let due = date!(2026 - 12 - 11);
        let on = |d: Date| reminder_for(due, d, 7);
        assert_eq!(on(date!(2026 - 12 - 03)), None, "8 days ahead: too early");
        assert_eq!(on(date!(2026 - 12 - 04)), Some(ReminderKind::Upcoming));
        assert_eq!(on(date!(2026 - 12 - 10)), Some(ReminderKind::Upcoming));
        assert_eq!(on(date!(2026 - 12 - 11)), Some(ReminderKind::DueToday));
        assert_eq!(on(date!(2026 - 12 - 12)), Some(ReminderKind::Overdue));
        assert_eq!(on(date!(2026 - 12 - 18)), Some(ReminderKind::Overdue));
        assert_eq!(on(date!(2026 - 12 - 19)), None, "8 days late: digest only");
        // One day ahead as the setting: only the day before.
        assert_eq!(reminder_for(due, date!(2026 - 12 - 09), 1), None);
        assert_eq!(
            reminder_for(due, date!(2026 - 12 - 10), 1),
            Some(ReminderKind::Upcoming)
        );
        // The store's window is exactly the days that give a reminder.
        let (from, to) = candidate_window(date!(2026 - 12 - 11), 7);
        assert_eq!((from, to), (date!(2026 - 12 - 04), date!(2026 - 12 - 18)));
        let mut d = from - Duration::days(3);
        while d <= to + Duration::days(3) {
            assert_eq!(
                reminder_for(d, date!(2026 - 12 - 11), 7).is_some(),
                d >= from && d <= to,
                "{d}"
            );
            d = d.next_day().unwrap();
        }
    }

    #[test]
    fn the_same_mail_has_the_same_key_and_message_id() {
        let k = dedupe_key("vorab", "2026-12-11", 7, Some(42));
        assert_eq!(k, "vorab/2026-12-11/u7/m42");
        assert_eq!(
            dedupe_key("wochenuebersicht", "2026-W50", 7, None),
            "wochenuebersicht/2026-W50/u7"
        );
        let id = message_id(&k, "verbund.example");
        assert_eq!(id, message_id(&k, "verbund.example"));
        assert!(
            id.starts_with('<') && id.ends_with("@verbund.example>"),
            "{id}"
        );
        assert_eq!(id.len(), 1 + 32 + 1 + "verbund.example".len() + 1);
        assert_ne!(id, message_id("vorab/2026-12-11/u7/m43", "verbund.example"));
        // A hostile host name cannot break the header.
        assert_eq!(
            message_id(&k, "a>\r\nBcc: x"),
            format!("<{}@aBccx>", &id[1..33])
        );
    }

    #[test]
    fn digest_day_and_iso_week() {
        let s = ReminderSettings::default();
        assert!(is_digest_day(date!(2026 - 12 - 07), s), "a Monday");
        assert!(!is_digest_day(date!(2026 - 12 - 08), s));
        let fri = ReminderSettings::new(3, 5).unwrap();
        assert!(is_digest_day(date!(2026 - 12 - 11), fri));
        assert_eq!(iso_week(date!(2026 - 12 - 07)), "2026-W50");
        // 1 January 2027 is a Friday of week 53 of 2026.
        assert_eq!(iso_week(date!(2027 - 01 - 01)), "2026-W53");
        let e = ReminderSettings::new(0, 8).unwrap_err();
        assert_eq!(e.0.len(), 2);
        assert!(ReminderSettings::new(61, 1).is_err());
        assert!(ReminderSettings::new(60, 7).is_ok());
    }

    #[test]
    fn berlin_today_changes_at_berlin_midnight() {
        use crate::localtime::berlin_midnight_ms;
        let d = date!(2026 - 12 - 11);
        let m = berlin_midnight_ms(d);
        assert_eq!(berlin_today(m), d);
        assert_eq!(berlin_today(m - 1), date!(2026 - 12 - 10));
        // 23:30 UTC on the 11th is already the 12th in Berlin (CET).
        assert_eq!(berlin_today(m + 24 * 3_600_000 - 1), d);
        let summer = date!(2026 - 07 - 01);
        assert_eq!(berlin_today(berlin_midnight_ms(summer)), summer);
        assert_eq!(
            berlin_today(berlin_midnight_ms(summer) - 1),
            date!(2026 - 06 - 30)
        );
    }

    #[test]
    fn retries_back_off_up_to_six_hours() {
        assert_eq!(retry_delay_ms(1), 60_000);
        assert_eq!(retry_delay_ms(2), 120_000);
        assert_eq!(retry_delay_ms(4), 480_000);
        assert_eq!(retry_delay_ms(30), 6 * 3_600_000);
        assert_eq!(retry_delay_ms(0), 60_000);
    }

    #[test]
    fn header_text_cannot_carry_a_header() {
        assert_eq!(
            header_text("Backup\r\nBcc: alle@example.org", 100),
            "Backup Bcc: alle@example.org"
        );
        assert_eq!(header_text("  Größe  prüfen ", 100), "Größe prüfen");
        assert_eq!(header_text("abcdef", 4), "abc…");
    }

    #[test]
    fn ical_escapes_and_folds() {
        assert_eq!(ical_escape("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
        let ev = FeedEvent {
            uid: "measure-1@verbund.example".into(),
            day: date!(2026 - 12 - 31),
            summary: "Offline-Datensicherung einführen; Bänder, Tresor und Prüfung der Wiederherstellung (Übung)".into(),
            description: "Zeile 1\nZeile 2".into(),
            url: Some("https://verbund.example/measures/1".into()),
        };
        let text = ical_feed("Fristen", &[ev], 1_767_225_600_000);
        assert!(text.contains("DTSTART;VALUE=DATE:20261231\r\n"));
        assert!(text.contains("DTEND;VALUE=DATE:20270101\r\n"));
        assert!(text.contains("DESCRIPTION:Zeile 1\\nZeile 2\r\n"));
        assert!(text.contains("DTSTAMP:20260101T000000Z\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        // Unfolding restores the escaped summary exactly.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(
            "SUMMARY:Offline-Datensicherung einführen\\; Bänder\\, Tresor und Prüfung der Wiederherstellung (Übung)\r\n"
        ));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
