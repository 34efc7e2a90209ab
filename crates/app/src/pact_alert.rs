//! The pact's alert job (`pact_alert`): after a crisis is declared it puts one mail per
//! contact of every pact member into the outbox (in German; deduplicated per crisis and
//! contact, so a retry sends none twice) and POSTs the crisis as JSON to the pact's webhook
//! (an SMS or messenger gateway). A failing webhook fails the job, which the runner retries.
//!
//! The webhook is called through the shared HTTP client ([`crate::http_client`]): `http://`
//! (a gateway on the local network) and `https://` (rustls, the webpki roots).

use std::time::Duration;

use serde::Serialize;
use verbund_domain::PactCrisisId;
use verbund_store::NewMail;

use crate::Services;
use crate::error::{Error, Result};
use crate::reminders::{MailSite, Texts};

/// What the webhook receives.
#[derive(Debug, Clone, Serialize)]
pub struct AlertPayload {
    /// Always `pact.crisis.declared`.
    pub event: &'static str,
    /// The crisis.
    pub crisis_id: i64,
    /// The pact's name.
    pub pact: String,
    /// The affected member.
    pub member: String,
    /// Severity code.
    pub severity: &'static str,
    /// An exercise.
    pub exercise: bool,
    /// Affected services.
    pub affected_services: String,
    /// Summary.
    pub summary: String,
    /// The crisis board.
    pub url: String,
}

/// Runs the alert for a crisis: mails into the outbox, then the webhook. Returns what it did.
pub async fn run(st: &Services, texts: &Texts, site: &MailSite, payload: &str) -> Result<String> {
    let v: serde_json::Value = serde_json::from_str(payload)
        .map_err(|e| Error::Internal(format!("Aufgabe ohne gültige Daten: {e}")))?;
    let id = v
        .get("crisis_id")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| Error::Internal("Aufgabe ohne crisis_id".into()))?;
    let (c, pact, contacts) = st.store.pact_alert_facts_system(PactCrisisId(id)).await?;
    let url = format!(
        "{}/pact-crises/{}",
        site.base_url.trim_end_matches('/'),
        c.id.0
    );
    let exercise = if c.exercise {
        texts("de", "pact-exercise-mark", &[]) + ": "
    } else {
        String::new()
    };
    let args = |extra: Vec<(&'static str, String)>| {
        let mut a = vec![
            ("pact", pact.name.clone()),
            ("member", c.org_name.clone()),
            ("severity", texts("de", &c.severity.label_key(), &[])),
            ("services", c.affected_services.clone()),
            ("summary", c.summary.clone()),
            ("url", url.clone()),
            ("exercise", exercise.clone()),
        ];
        a.extend(extra);
        a
    };
    let mails: Vec<NewMail> = contacts
        .iter()
        .filter_map(|k| k.email.as_ref().map(|m| (k, m)))
        .map(|(k, m)| {
            let a = args(vec![("name", k.name.clone())]);
            NewMail {
                kind: "pakt-alarm".into(),
                dedupe_key: format!("pakt-alarm/{}/{}", c.id.0, k.id.0),
                message_id: format!("<pakt-alarm-{}-{}@{}>", c.id.0, k.id.0, site_host(site)),
                recipient: None,
                to_address: m.clone(),
                subject: texts("de", "pact-alert-subject", &a)
                    .replace(['\u{2068}', '\u{2069}'], ""),
                body_text: texts("de", "pact-alert-body", &a).replace(['\u{2068}', '\u{2069}'], ""),
                body_html: None,
            }
        })
        .collect();
    let queued = crate::mail::enqueue(st, &mails).await?;
    let hook = match &pact.webhook_url {
        None => "kein Webhook konfiguriert".to_owned(),
        Some(u) => {
            let body = serde_json::to_string(&AlertPayload {
                event: "pact.crisis.declared",
                crisis_id: c.id.0,
                pact: pact.name.clone(),
                member: c.org_name.clone(),
                severity: c.severity.code(),
                exercise: c.exercise,
                affected_services: c.affected_services.clone(),
                summary: c.summary.clone(),
                url: url.clone(),
            })
            .map_err(|e| Error::Internal(e.to_string()))?;
            let status = post_json(u, &body, Duration::from_secs(10)).await?;
            format!("Webhook antwortete {status}")
        }
    };
    Ok(format!(
        "{queued} Alarm-Mails in den Postausgang gelegt; {hook}"
    ))
}

fn site_host(site: &MailSite) -> String {
    let b = site.base_url.trim_end_matches('/');
    let rest = b.split_once("://").map_or(b, |(_, r)| r);
    rest.split(['/', ':'])
        .next()
        .unwrap_or("verbund")
        .to_owned()
}

/// POSTs `body` as JSON to an `http://` or `https://` URL through the shared client
/// ([`crate::http_client`]); a status outside 2xx, a timeout or a refused redirect is an error.
pub async fn post_json(url: &str, body: &str, timeout: Duration) -> Result<u16> {
    let client = crate::http_client::HttpClient::new(timeout)
        .map_err(|e| Error::Internal(format!("Webhook: {e}")))?;
    client
        .post_json(url, body.to_owned())
        .await
        .map_err(|e| Error::Internal(format!("Webhook {e}")))
}
