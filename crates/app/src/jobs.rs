//! The job runner: background work stored in the database (table `jobs`).
//!
//! `serve` and `demo` start one runner per process. It claims a due job with a lease (one
//! conditional `UPDATE … RETURNING` on SQLite and PostgreSQL alike: of several instances on
//! one PostgreSQL exactly one gets it), runs it, and records the outcome: a recurring job is
//! scheduled again after its interval, a failure is retried with exponential backoff and its
//! error stays visible on the office's *Hintergrundaufgaben* page. A runner that dies loses its
//! lease after [`LEASE_MS`]; another runner then takes the job over. Jobs therefore survive
//! restarts. A lease instead of an advisory lock because it works the same on SQLite, survives
//! a lost connection, and shows in the table who holds what.
//!
//! A new kind of job: add a variant to `verbund_domain::reminder::JobKind`, a branch in
//! [`run_job`], and (for recurring ones) its interval.

use std::time::Duration;

use verbund_domain::authz::{Actor, Permission};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::reminder::{JobKind, MAX_ATTEMPTS, retry_delay_ms};
use verbund_store::Job;

use crate::Services;
use crate::error::{Error, Result};
use crate::mail::SmtpConfig;
use crate::reminders::{MailSite, Texts};

/// How long a runner holds a claimed job before others may take it over.
pub const LEASE_MS: i64 = 10 * 60 * 1000;

/// Everything a runner needs besides the services.
#[derive(Clone)]
pub struct RunnerConfig {
    /// Names this runner in leases (host, process, random part).
    pub owner: String,
    /// SMTP server; without one mails stay in the outbox.
    pub smtp: Option<SmtpConfig>,
    /// Links and Message-IDs.
    pub site: MailSite,
    /// Mail texts.
    pub texts: Texts,
    /// Pause when no job is due.
    pub idle: Duration,
}

impl std::fmt::Debug for RunnerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunnerConfig")
            .field("owner", &self.owner)
            .field("smtp", &self.smtp)
            .field("site", &self.site)
            .finish()
    }
}

/// A unique runner name: `host-pid-random`.
pub fn runner_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "verbund".into());
    format!(
        "{host}-{}-{}",
        std::process::id(),
        crate::crypto::random_token(6)
    )
}

/// Creates the recurring jobs that do not exist yet (due at once).
pub async fn ensure_recurring(st: &Services) -> Result<()> {
    let fed = crate::federation(&st.store).await?;
    for kind in JobKind::ALL {
        if kind.interval_ms().is_some() && kind.created_at_start() {
            st.store
                .ensure_job(fed.id, kind.code(), kind.code(), st.now_ms())
                .await?;
        }
    }
    Ok(())
}

async fn run_job(st: &Services, cfg: &RunnerConfig, job: &Job) -> Result<String> {
    let kind = JobKind::parse(&job.kind)
        .map_err(|_| Error::Internal(format!("unbekannte Aufgabe {:?}", job.kind)))?;
    match kind {
        JobKind::Reminders => {
            let r = crate::reminders::run(st, &cfg.texts, &cfg.site, st.now_ms()).await?;
            Ok(format!(
                "{} neue Fristen im Erinnerungszeitraum, {} Erinnerungen und {} Wochenübersichten in den Postausgang gelegt",
                r.candidates, r.reminders, r.digests
            ))
        }
        JobKind::PactAlert => crate::pact_alert::run(st, &cfg.texts, &cfg.site, &job.payload).await,
        JobKind::CsafProviders => crate::csaf_feed::run_all(st, &cfg.texts, &cfg.site).await,
        JobKind::Outbox => match &cfg.smtp {
            None => Ok("kein SMTP-Server konfiguriert: Mails bleiben im Postausgang".into()),
            Some(smtp) => {
                let d = crate::mail::deliver(st, smtp, &cfg.owner).await?;
                Ok(format!("{} gesendet, {} fehlgeschlagen", d.sent, d.failed))
            }
        },
    }
}

/// Claims and runs one due job; `None` if none was due. The job's outcome is recorded in
/// the table (a failing job is not an error of this function).
pub async fn run_once(st: &Services, cfg: &RunnerConfig) -> Result<Option<Job>> {
    let Some(job) = st
        .store
        .claim_job(&cfg.owner, st.now_ms(), LEASE_MS)
        .await?
    else {
        return Ok(None);
    };
    let recurring = JobKind::parse(&job.kind)
        .ok()
        .and_then(JobKind::interval_ms);
    match run_job(st, cfg, &job).await {
        Ok(result) => {
            let now = st.now_ms();
            st.store
                .finish_job(job.id, &cfg.owner, now, recurring.map(|i| now + i), &result)
                .await?;
        }
        Err(e) => {
            let now = st.now_ms();
            tracing::warn!(job = job.id.0, kind = %job.kind, error = %e, "job failed");
            // Recurring jobs never give up; one-off jobs after MAX_ATTEMPTS.
            let retry = (recurring.is_some() || job.attempts < MAX_ATTEMPTS)
                .then(|| now + retry_delay_ms(job.attempts));
            st.store
                .fail_job(job.id, &cfg.owner, now, &e.to_string(), retry)
                .await?;
        }
    }
    Ok(Some(job))
}

/// Runs due jobs until none is due (tests and the CLI); how many ran.
pub async fn run_due(st: &Services, cfg: &RunnerConfig) -> Result<usize> {
    let mut n = 0;
    while run_once(st, cfg).await?.is_some() {
        n += 1;
    }
    Ok(n)
}

/// Starts the runner as a background task of the current tokio runtime.
pub fn spawn(st: Services, cfg: RunnerConfig) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        if let Err(e) = ensure_recurring(&st).await {
            tracing::warn!(error = %e, "recurring jobs not set up");
        }
        tracing::info!(runner = %cfg.owner, smtp = cfg.smtp.is_some(), "job runner started");
        loop {
            match run_once(&st, &cfg).await {
                Ok(Some(_)) => continue,
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "job runner"),
            }
            tokio::time::sleep(cfg.idle).await;
        }
    })
}

/// The federation's jobs (office).
pub async fn list(st: &Services, actor: &Actor, page: PageRequest) -> Result<Page<Job>> {
    actor.check_office(Permission::ReadAudit)?;
    let fed = crate::federation(&st.store).await?;
    Ok(st.store.list_jobs_federation_wide(fed.id, page).await?)
}
