//! Mail and background jobs for `serve`/`demo`: the `[smtp]` configuration, the job runner,
//! and `verbund bench-reminders` (the reminder run over a generated federation).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Deserialize;
use verbund_app::Services;
use verbund_app::jobs::RunnerConfig;
use verbund_app::mail::{SmtpConfig, TlsMode};
use verbund_app::reminders::{MailSite, Texts};
use verbund_store::Store;

/// `[smtp]` in `verbund.toml` (each also `VERBUND_SMTP_*`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpSettings {
    /// Server host name (`VERBUND_SMTP_HOST`).
    pub host: String,
    /// Port (`VERBUND_SMTP_PORT`; default 25, 587 or 465 by TLS mode).
    pub port: Option<u16>,
    /// `none`, `starttls` (default) or `tls` (`VERBUND_SMTP_TLS`).
    pub tls: Option<String>,
    /// Login (`VERBUND_SMTP_USER`).
    pub user: Option<String>,
    /// Password (`VERBUND_SMTP_PASSWORD`; never logged).
    pub password: Option<verbund_web::config::Secret>,
    /// Sender, e.g. `Verbund <verbund@kreis.example>` (`VERBUND_SMTP_FROM`).
    pub from: String,
}

impl SmtpSettings {
    /// Applies the `VERBUND_SMTP_*` variables.
    pub fn apply_env(mut self) -> Self {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let Some(v) = env("VERBUND_SMTP_HOST") {
            self.host = v;
        }
        if let Some(v) = env("VERBUND_SMTP_PORT") {
            self.port = v.parse().ok().or(Some(0));
        }
        if let Some(v) = env("VERBUND_SMTP_TLS") {
            self.tls = Some(v);
        }
        if let Some(v) = env("VERBUND_SMTP_USER") {
            self.user = Some(v);
        }
        if let Some(v) = env("VERBUND_SMTP_PASSWORD") {
            self.password = Some(verbund_web::config::Secret::new(v));
        }
        if let Some(v) = env("VERBUND_SMTP_FROM") {
            self.from = v;
        }
        self
    }

    /// The checked configuration; `None` without a host (mail then stays in the outbox).
    pub fn resolve(&self) -> anyhow::Result<Option<SmtpConfig>> {
        if self.host.trim().is_empty() {
            return Ok(None);
        }
        let tls = match self.tls.as_deref() {
            None => TlsMode::StartTls,
            Some(t) => TlsMode::parse(t).with_context(|| {
                format!("smtp.tls: {t:?} ist unbekannt (none, starttls oder tls)")
            })?,
        };
        let port = match self.port {
            Some(0) => bail!("smtp.port: keine gültige Portnummer"),
            Some(p) => p,
            None => match tls {
                TlsMode::None => 25,
                TlsMode::StartTls => 587,
                TlsMode::Tls => 465,
            },
        };
        if self.from.trim().is_empty() {
            bail!(
                "smtp.from fehlt: die Absenderadresse, z. B. \"Verbund <verbund@kreis.example>\""
            );
        }
        if !verbund_app::mail::valid_sender(&self.from) {
            bail!(
                "smtp.from: {:?} ist keine gültige Absenderadresse",
                self.from
            );
        }
        Ok(Some(SmtpConfig {
            host: self.host.trim().to_owned(),
            port,
            tls,
            user: self.user.clone(),
            password: self.password.as_ref().map(|p| p.expose().to_owned()),
            from: self.from.trim().to_owned(),
            timeout: Duration::from_secs(30),
        }))
    }
}

/// Mail texts from the Fluent catalog.
pub fn texts() -> Texts {
    Arc::new(|lang, key, args| {
        verbund_i18n::Lang::parse(lang)
            .unwrap_or_default()
            .t_args(key, args)
    })
}

/// Starts the job runner of this process.
pub fn start_runner(services: Services, smtp: Option<SmtpConfig>, base_url: &str) {
    if smtp.is_none() {
        tracing::info!("no SMTP server configured: mails stay in the outbox");
    }
    verbund_app::jobs::spawn(
        services,
        RunnerConfig {
            owner: verbund_app::jobs::runner_name(),
            smtp,
            site: MailSite {
                base_url: base_url.to_owned(),
            },
            texts: texts(),
            idle: Duration::from_secs(5),
        },
    );
}

/// `verbund bench-reminders`: a federation of `members` generated members with
/// `per_member` measures each in a fresh database, then the reminder run timed (without
/// sending) on an ordinary day and on the digest day, and once more (nothing new to enqueue).
pub async fn bench(store: Store, members: usize, per_member: i64) -> anyhow::Result<()> {
    use verbund_domain::org::{MembershipInput, OrgInput, OrgKind};
    let t = Instant::now();
    verbund_app::demo::seed_federation(&store).await?;
    let fed = store.federation().await?.context("no federation")?;
    let sys = verbund_store::AuditActor::system();
    let membership = MembershipInput {
        starts_on: verbund_domain::validation::parse_date("2026-01-01")
            .map_err(|e| anyhow::anyhow!(e))?,
        ends_on: None,
        note: None,
    };
    let mut done = 0;
    while done < members {
        let n = (members - done).min(1000);
        let orgs: Vec<OrgInput> = (done..done + n)
            .map(|i| OrgInput {
                name: format!("Gemeinde {}", i + 1),
                kind: OrgKind::Gemeinde,
                ags: None,
                population: Some(5000),
                staff: None,
                it_workplaces: None,
                address: None,
            })
            .collect();
        store
            .generate_members(&sys, fed.id, &orgs, &membership)
            .await?;
        done += n;
    }
    // Monday 07.12.2026, 08:00 Berlin: the default digest day; Tuesday is an ordinary day.
    let monday = 1_796_626_800_000_i64;
    let tuesday = monday + 86_400_000;
    let today = verbund_domain::reminder::berlin_today(monday);
    let measures = store
        .generate_measures(&sys, fed.id, per_member, today)
        .await?;
    println!(
        "generated {members} members with {per_member} measures each ({measures} measures) in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let services = Services::new(store.clone(), verbund_app::AuthPolicy::default());
    let site = MailSite {
        base_url: "https://verbund.example".into(),
    };
    let texts = texts();
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    for (label, at) in [
        ("ordinary day (Tuesday)", tuesday),
        ("ordinary day, again", tuesday),
        ("digest day (Monday)", monday),
        ("digest day, again", monday),
    ] {
        let t = Instant::now();
        let r = verbund_app::reminders::run_deadlines(&services, &texts, &site, at).await?;
        let deadlines_ms = ms(t);
        let t2 = Instant::now();
        let digests = verbund_app::reminders::run_digest(&services, &texts, &site, at).await?;
        println!(
            "reminder run, {label}: {:.0} ms = deadlines {deadlines_ms:.0} ms ({} in the window, {} reminders enqueued) + digest {:.0} ms ({digests} digests enqueued)",
            ms(t),
            r.candidates,
            r.reminders,
            ms(t2),
        );
    }
    Ok(())
}
