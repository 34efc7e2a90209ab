//! Background jobs, the mail outbox and reminder settings (office), and the caller's own
//! calendar feed.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use verbund_app::{calendar, jobs, mail, reminders};
use verbund_domain::page::{DEFAULT_PER_PAGE, Page, PageRequest};
use verbund_domain::reminder::ReminderSettings;
use verbund_store::{CalendarFeed, Job, OutboxMail};

use super::{ApiJson, ApiQuery, ListQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{AppResult, ErrorBody};

/// The federation's background jobs (office): kind, next run, state, attempts, last error and
/// who holds the lease.
#[utoipa::path(get, path = "/jobs", operation_id = "list_jobs", params(ListQuery), tag = "jobs",
    responses((status = 200, body = Page<Job>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(st): State<AppState>,
    u: ApiUser,
    q: ListQuery,
) -> AppResult<Json<Page<Job>>> {
    Ok(Json(jobs::list(&st, &u.actor, q.page()?).await?))
}

/// `?state=pending|sending|sent|failed` and the page.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (1 to 200).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
    /// Only mails in this state: `pending`, `sending`, `sent`, `failed`.
    #[param(nullable = false)]
    pub state: Option<String>,
}

/// The mail outbox, newest first (office): recipient, subject, state, attempts and error.
#[utoipa::path(get, path = "/outbox", operation_id = "list_outbox", params(OutboxQuery), tag = "jobs",
    responses((status = 200, body = Page<OutboxMail>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn outbox(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> AppResult<Json<Page<OutboxMail>>> {
    let page = PageRequest::checked(q.page, q.per_page, DEFAULT_PER_PAGE)?;
    Ok(Json(
        mail::outbox(&st, &u.actor, q.state.as_deref(), page).await?,
    ))
}

/// The reminder settings (office).
#[utoipa::path(get, path = "/reminder-settings", operation_id = "get_reminder_settings", tag = "jobs",
    responses((status = 200, body = ReminderSettings), (status = 404, body = ErrorBody)))]
pub async fn settings(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<ReminderSettings>> {
    Ok(Json(reminders::settings(&st, &u.actor).await?))
}

/// New reminder settings.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettingsIn {
    /// Days before the deadline of the first reminder (1–60).
    pub days_before: i64,
    /// Weekday of the weekly digest, 1 = Monday … 7 = Sunday.
    pub digest_weekday: i64,
}

/// Changes the reminder settings (office administration), audited.
#[utoipa::path(put, path = "/reminder-settings", operation_id = "put_reminder_settings", request_body = ReminderSettingsIn, tag = "jobs",
    responses((status = 200, body = ReminderSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_settings(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(b): ApiJson<ReminderSettingsIn>,
) -> AppResult<Json<ReminderSettings>> {
    Ok(Json(
        reminders::save_settings(&st, &u.audit(), &u.actor, b.days_before, b.digest_weekday)
            .await?,
    ))
}

/// The caller's calendar feed, if one exists (the URL itself is shown only when created).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarFeedOut {
    /// Whether the caller has a feed.
    pub active: bool,
    /// Its details.
    pub feed: Option<CalendarFeed>,
}

/// Whether the caller has a calendar feed.
#[utoipa::path(get, path = "/me/calendar-feed", operation_id = "get_calendar_feed", tag = "account",
    responses((status = 200, body = CalendarFeedOut)))]
pub async fn feed(State(st): State<AppState>, u: ApiUser) -> AppResult<Json<CalendarFeedOut>> {
    let feed = calendar::status(&st, u.user.id).await?;
    Ok(Json(CalendarFeedOut {
        active: feed.is_some(),
        feed,
    }))
}

/// A new feed URL (shown once).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarFeedCreated {
    /// The secret URL to subscribe to (iCalendar); the previous one stops working.
    pub url: String,
}

/// Creates the caller's calendar feed or replaces its URL.
#[utoipa::path(post, path = "/me/calendar-feed", operation_id = "create_calendar_feed", tag = "account",
    responses((status = 201, body = CalendarFeedCreated)))]
pub async fn create_feed(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<(StatusCode, Json<CalendarFeedCreated>)> {
    let token = calendar::create(&st, &u.audit(), u.user.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(CalendarFeedCreated {
            url: format!(
                "{}/calendar/{token}",
                st.config.base_url.trim_end_matches('/')
            ),
        }),
    ))
}

/// Revokes the caller's calendar feed: its URL answers 404 from now on (204 also without one).
#[utoipa::path(delete, path = "/me/calendar-feed", operation_id = "revoke_calendar_feed", tag = "account",
    responses((status = 204)))]
pub async fn revoke_feed(State(st): State<AppState>, u: ApiUser) -> AppResult<StatusCode> {
    match calendar::revoke(&st, &u.audit(), u.user.id).await {
        Ok(()) | Err(verbund_app::Error::NotFound) => Ok(StatusCode::NO_CONTENT),
        Err(e) => Err(e.into()),
    }
}
