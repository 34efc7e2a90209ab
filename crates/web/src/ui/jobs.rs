//! *Hintergrundaufgaben* (office): the jobs with their state and errors, the reminder settings
//! and the mail outbox; the calendar feed on the profile page and the feed itself.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use verbund_app::{calendar, jobs, mail, reminders};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::reminder::{FeedEvent, ReminderSettings, ical_feed};
use verbund_domain::validation::ValidationErrors;

use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::i18n::Lang;

/// A job as the table shows it.
pub struct JobRow {
    pub kind: String,
    pub state: String,
    pub run_at: String,
    pub attempts: i64,
    pub last_run: String,
    pub result: String,
    pub error: String,
    pub lease: String,
}

/// A mail as the table shows it.
pub struct MailRow {
    pub created: String,
    pub to: String,
    pub subject: String,
    pub kind: String,
    pub state: String,
    pub attempts: i64,
    pub sent: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    l: Layout,
    jobs: Vec<JobRow>,
    mails: Vec<MailRow>,
    page: Page<()>,
    pager_extra: String,
    days_before: String,
    weekday: i64,
    weekdays: Vec<(i64, String)>,
    errors: FormErrors,
    saved: bool,
}

#[derive(Deserialize)]
pub struct JobsQuery {
    page: Option<u32>,
    #[serde(default)]
    saved: Option<String>,
}

async fn page(
    st: &AppState,
    cu: &CurrentUser,
    page_no: Option<u32>,
    form: Option<(String, i64, FormErrors)>,
    saved: bool,
) -> AppResult<JobsPage> {
    let lang = cu.ctx.lang;
    let actor = cu.actor();
    let list = jobs::list(st, actor, PageRequest::new(Some(1), Some(100))).await?;
    let outbox = mail::outbox(st, actor, None, PageRequest::new(page_no, Some(25))).await?;
    let s: ReminderSettings = reminders::settings(st, actor).await?;
    let none = || "–".to_owned();
    let jobs = list
        .items
        .into_iter()
        .map(|j| JobRow {
            kind: lang.tf("job-kind-", &j.kind),
            state: lang.tf("job-state-", &j.state),
            run_at: if j.state == "scheduled" {
                fmt_ms(j.run_at_ms)
            } else {
                none()
            },
            attempts: j.attempts,
            last_run: j
                .last_finished_ms
                .or(j.last_started_ms)
                .map_or_else(none, fmt_ms),
            result: j.last_result.unwrap_or_default(),
            error: j.last_error.unwrap_or_default(),
            lease: match (j.lease_owner, j.lease_until_ms) {
                (Some(o), Some(u)) => format!("{o} · {}", fmt_ms(u)),
                _ => none(),
            },
        })
        .collect();
    let mails = outbox
        .items
        .iter()
        .map(|m| MailRow {
            created: fmt_ms(m.created_at_ms),
            to: m.to_address.clone(),
            subject: m.subject.clone(),
            kind: lang.tf("mail-kind-", &m.kind),
            state: lang.tf("mail-state-", &m.state),
            attempts: m.attempts,
            sent: m.sent_at_ms.map_or_else(none, fmt_ms),
            error: m.last_error.clone().unwrap_or_default(),
        })
        .collect();
    let (days_before, weekday, errors) = form.unwrap_or_else(|| {
        (
            s.days_before.to_string(),
            s.digest_weekday,
            FormErrors::default(),
        )
    });
    Ok(JobsPage {
        l: Layout::user(cu, "jobs-title", "jobs"),
        jobs,
        mails,
        page: Page {
            items: Vec::new(),
            page: outbox.page,
            per_page: outbox.per_page,
            total: outbox.total,
        },
        pager_extra: String::new(),
        days_before,
        weekday,
        weekdays: (1..=7)
            .map(|d| (d, lang.tf("weekday-", &d.to_string())))
            .collect(),
        errors,
        saved,
    })
}

/// The office's page of background jobs and the outbox.
pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<JobsQuery>,
) -> AppResult<Response> {
    Ok(render(
        &page(&st, &cu, q.page, None, q.saved.is_some()).await?,
    ))
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    days_before: String,
    #[serde(default)]
    digest_weekday: String,
}

/// Saves the reminder settings.
pub async fn save_settings(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<SettingsForm>,
) -> AppResult<Response> {
    let mut e = ValidationErrors::default();
    let days = e.check(
        "days_before",
        f.days_before
            .trim()
            .parse::<i64>()
            .map_err(|_| "error-reminder-days"),
    );
    let weekday = e.check(
        "digest_weekday",
        f.digest_weekday
            .trim()
            .parse::<i64>()
            .map_err(|_| "error-reminder-weekday"),
    );
    let result = match (days, weekday) {
        (Some(d), Some(w)) => reminders::save_settings(&st, &cu.audit(), cu.actor(), d, w).await,
        _ => Err(e.into()),
    };
    match result {
        Ok(_) => Ok(see_other("/jobs?saved=1")),
        Err(verbund_app::Error::Invalid(e)) => {
            let weekday = f.digest_weekday.trim().parse().unwrap_or(1);
            let p = page(
                &st,
                &cu,
                None,
                Some((f.days_before, weekday, e.into())),
                false,
            )
            .await?;
            Ok(render_invalid(&p))
        }
        Err(e) => Err(e.into()),
    }
}

/// The calendar feed: open deadlines of the token's user as iCalendar; no session needed.
/// An unknown or revoked token is 404.
pub async fn calendar_feed(
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let (locale, rows) = calendar::feed(&st, &token).await?;
    let lang = Lang::parse(&locale).unwrap_or_default();
    let base = st.config.base_url.trim_end_matches('/').to_owned();
    let host = base
        .split_once("://")
        .map_or(base.as_str(), |(_, r)| r)
        .split(['/', ':'])
        .next()
        .unwrap_or("verbund")
        .to_owned();
    let events: Vec<FeedEvent> = rows
        .into_iter()
        .filter_map(|m| {
            let day = verbund_domain::validation::parse_date(&m.due_on).ok()?;
            Some(FeedEvent {
                uid: format!("measure-{}@{host}", m.measure_id.0),
                day,
                summary: lang.t_args("feed-summary", &[("title", m.title.clone())]),
                description: lang.t_args(
                    "feed-description",
                    &[
                        ("org", m.org_name.clone()),
                        ("status", lang.tf("mail-measure-status-", &m.status)),
                    ],
                ),
                url: Some(format!("{base}/measures/{}", m.measure_id.0)),
            })
        })
        .collect();
    let body = ical_feed(&lang.t("feed-name"), &events, st.now_ms());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"verbund-fristen.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}
