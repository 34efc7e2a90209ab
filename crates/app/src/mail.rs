//! The mail outbox and its delivery over SMTP (lettre, tokio, rustls).
//!
//! Any feature enqueues mails with [`enqueue`]; the runner's `outbox` job delivers them.
//! Without an SMTP configuration mails stay in the outbox, where the office sees them.
//!
//! **At most once.** A mail is claimed (`sending`, with a lease) before it is handed to the
//! SMTP server and marked `sent` right after the server accepted it. If the process dies in
//! between, the row stays `sending`; once its lease has ended the next delivery run marks it
//! `failed` ("ob der Mailserver die Nachricht angenommen hat, ist unbekannt") instead of
//! sending it again. That crash window — between the server's `250 OK` and the update — is
//! the only place a mail can be lost; no mail is ever sent twice by the outbox.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::reminder::{MAX_ATTEMPTS, MailState, retry_delay_ms};
use verbund_store::{NewMail, OutboxMail};

use crate::Services;
use crate::error::{Error, Result};

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Plain SMTP (only on a trusted local network or for a local relay).
    None,
    /// Plain connection upgraded with STARTTLS (required), usually port 587.
    #[default]
    StartTls,
    /// TLS from the first byte (SMTPS), usually port 465.
    Tls,
}

impl TlsMode {
    /// Parses `none`, `starttls` or `tls`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Some(Self::None),
            "starttls" => Some(Self::StartTls),
            "tls" => Some(Self::Tls),
            _ => None,
        }
    }
}

/// Where and as whom mails are sent.
#[derive(Clone)]
pub struct SmtpConfig {
    /// Server host name.
    pub host: String,
    /// Port (default by TLS mode: 25, 587, 465).
    pub port: u16,
    /// Transport security.
    pub tls: TlsMode,
    /// Login name, if the server wants one.
    pub user: Option<String>,
    /// Password (never logged).
    pub password: Option<String>,
    /// Sender address, e.g. `Verbund <verbund@kreis.example>`.
    pub from: String,
    /// Timeout per connection attempt.
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .finish()
    }
}

impl SmtpConfig {
    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
        let tls = match self.tls {
            TlsMode::None => Tls::None,
            TlsMode::StartTls => Tls::Required(self.tls_parameters()?),
            TlsMode::Tls => Tls::Wrapper(self.tls_parameters()?),
        };
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&self.host)
            .port(self.port)
            .tls(tls)
            .timeout(Some(self.timeout));
        if let (Some(u), Some(p)) = (&self.user, &self.password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(b.build())
    }

    fn tls_parameters(&self) -> Result<TlsParameters> {
        TlsParameters::new(self.host.clone())
            .map_err(|e| Error::Internal(format!("TLS-Einstellungen für {}: {e}", self.host)))
    }
}

/// Whether `s` is a usable sender (`name <addr>` or `addr`).
pub fn valid_sender(s: &str) -> bool {
    s.trim().parse::<Mailbox>().is_ok()
}

/// Builds the MIME message of an outbox row: UTF-8 plain text (and HTML as an alternative),
/// its stable Message-ID; lettre encodes non-ASCII subjects (RFC 2047) and bodies.
pub fn build_message(from: &str, m: &OutboxMail) -> std::result::Result<Message, String> {
    let from: Mailbox = from
        .parse()
        .map_err(|e| format!("Absenderadresse {from:?} ungültig: {e}"))?;
    let to: Mailbox = m
        .to_address
        .parse()
        .map_err(|e| format!("Empfängeradresse {:?} ungültig: {e}", m.to_address))?;
    let builder = Message::builder()
        .from(from)
        .to(to)
        .subject(verbund_domain::reminder::header_text(&m.subject, 200))
        .message_id(Some(m.message_id.clone()));
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(m.body_text.clone());
    let msg = match &m.body_html {
        Some(html) => builder.multipart(
            MultiPart::alternative().singlepart(text).singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html.clone()),
            ),
        ),
        None => builder.singlepart(text),
    };
    msg.map_err(|e| format!("Nachricht nicht erstellbar: {e}"))
}

/// Puts mails into the outbox (skipping ones whose dedupe key is there); how many were new.
pub async fn enqueue(st: &Services, mails: &[NewMail]) -> Result<u64> {
    let fed = crate::federation(&st.store).await?;
    Ok(st.store.enqueue_mails(fed.id, mails, st.now_ms()).await?)
}

/// What a delivery run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    /// Accepted by the server.
    pub sent: u64,
    /// Failed this time (retried later or given up).
    pub failed: u64,
}

/// Mails claimed per delivery run.
const BATCH: i64 = 100;

/// Delivers due outbox mails as runner `owner` until none is due; one failing mail does not
/// stop the others. Without `smtp` nothing is sent.
pub async fn deliver(st: &Services, smtp: &SmtpConfig, owner: &str) -> Result<Delivery> {
    let transport = smtp.transport()?;
    let mut report = Delivery::default();
    loop {
        let now = st.now_ms();
        // The lease covers a batch of slow servers: BATCH × timeout.
        let lease = i64::try_from(smtp.timeout.as_millis()).unwrap_or(60_000) * (BATCH + 1);
        let mails = st.store.claim_mails(owner, now, lease, BATCH).await?;
        if mails.is_empty() {
            return Ok(report);
        }
        for m in mails {
            let outcome = match build_message(&smtp.from, &m) {
                Ok(msg) => transport.send(msg).await.map_err(|e| {
                    let permanent = e.is_permanent();
                    (format!("SMTP: {e}"), permanent)
                }),
                Err(e) => Err((e, true)),
            };
            match outcome {
                Ok(_) => {
                    st.store.mark_mail_sent(m.id, owner, st.now_ms()).await?;
                    report.sent += 1;
                }
                Err((error, permanent)) => {
                    let retry = (!permanent && m.attempts < MAX_ATTEMPTS)
                        .then(|| st.now_ms() + retry_delay_ms(m.attempts));
                    tracing::warn!(mail = m.id.0, %error, "mail not delivered");
                    st.store
                        .mark_mail_failed(m.id, owner, &error, retry)
                        .await?;
                    report.failed += 1;
                }
            }
        }
    }
}

/// The outbox, newest first, optionally of one state (office).
pub async fn outbox(
    st: &Services,
    actor: &Actor,
    state: Option<&str>,
    page: PageRequest,
) -> Result<Page<OutboxMail>> {
    actor.check_office(Permission::ReadAudit)?;
    let state = match state.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            MailState::parse(s)
                .map_err(|c| verbund_domain::validation::ValidationErrors::single("state", c))?
                .code(),
        ),
    };
    let fed = crate::federation(&st.store).await?;
    Ok(st
        .store
        .list_outbox_federation_wide(fed.id, state, page)
        .await?)
}
