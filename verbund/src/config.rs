//! Configuration: defaults, then an optional TOML file, then environment variables.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

/// Settings of the `verbund` binary.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://verbund.db`, a file path, or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub bind: String,
    /// Public URL (decides Secure cookies, HSTS and the allowed Origin).
    pub base_url: String,
    /// Trust `X-Forwarded-For` (only behind your own reverse proxy).
    pub trust_proxy: bool,
    /// Log as JSON lines instead of text.
    pub log_json: bool,
    /// File that `audit checkpoint` appends the chain's head to and `audit verify` checks.
    pub audit_checkpoints: String,
    /// Bearer token for `/metrics`; without one `/metrics` answers 404.
    pub metrics_token: Option<verbund_web::config::Secret>,
    /// Outgoing mail (`[smtp]`); without a host mails stay in the outbox.
    pub smtp: crate::mail::SmtpSettings,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://verbund.db".into(),
            bind: "127.0.0.1:8080".into(),
            base_url: String::new(),
            trust_proxy: false,
            log_json: false,
            audit_checkpoints: "verbund-audit-checkpoints.txt".into(),
            metrics_token: None,
            smtp: crate::mail::SmtpSettings::default(),
        }
    }
}

impl Config {
    /// Loads `file` (if given or `verbund.toml` exists), then applies `VERBUND_*` variables
    /// (`DATABASE_URL` is accepted too).
    pub fn load(file: Option<&Path>) -> anyhow::Result<Self> {
        let mut c = match file {
            Some(p) => toml::from_str(
                &std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
            )
            .with_context(|| format!("parsing {}", p.display()))?,
            None if Path::new("verbund.toml").exists() => {
                toml::from_str(&std::fs::read_to_string("verbund.toml")?)
                    .context("parsing verbund.toml")?
            }
            None => Config::default(),
        };
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let Some(v) = env("VERBUND_DATABASE_URL").or_else(|| env("DATABASE_URL")) {
            c.database_url = v;
        }
        if let Some(v) = env("VERBUND_BIND") {
            c.bind = v;
        }
        if let Some(v) = env("VERBUND_BASE_URL") {
            c.base_url = v;
        }
        if let Some(v) = env("VERBUND_TRUST_PROXY") {
            c.trust_proxy = v == "1" || v.eq_ignore_ascii_case("true");
        }
        if let Some(v) = env("VERBUND_LOG_JSON") {
            c.log_json = v == "1" || v.eq_ignore_ascii_case("true");
        }
        if let Some(v) = env("VERBUND_AUDIT_CHECKPOINTS") {
            c.audit_checkpoints = v;
        }
        if let Some(v) = env("VERBUND_METRICS_TOKEN") {
            c.metrics_token = Some(verbund_web::config::Secret::new(v));
        }
        if c.metrics_token
            .as_ref()
            .is_some_and(|t| t.expose().len() < 16)
        {
            anyhow::bail!("metrics_token must have at least 16 characters");
        }
        c.smtp = c.smtp.apply_env();
        c.smtp.resolve()?;
        if c.base_url.is_empty() {
            c.base_url = format!("http://{}", c.bind);
        }
        Ok(c)
    }
}
