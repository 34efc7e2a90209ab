//! A tiny SMTP server for the tests: accepts every mail on 127.0.0.1 and keeps it (envelope
//! and raw message), so delivery is tested through a real SMTP client without anything
//! installed.

use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One received mail.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt: Vec<String>,
    /// The message as sent (headers and body, CRLF line ends, dot-stuffing removed).
    pub data: String,
}

impl Received {
    /// The raw value of header `name` (unfolded), if present.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or("");
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.split("\r\n").find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }

    /// The subject with RFC 2047 encoded words decoded.
    pub fn subject(&self) -> String {
        decode_words(&self.header("Subject").unwrap_or_default())
    }

    /// The text body, decoded from quoted-printable or base64.
    pub fn text(&self) -> String {
        let (head, body) = self.data.split_once("\r\n\r\n").unwrap_or(("", ""));
        let enc = head.to_ascii_lowercase();
        if enc.contains("content-transfer-encoding: base64") {
            let joined: String = body.split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(joined)
                    .unwrap_or_default(),
            )
            .unwrap_or_default()
        } else if enc.contains("content-transfer-encoding: quoted-printable") {
            decode_qp(body)
        } else {
            body.to_owned()
        }
    }
}

fn decode_qp(s: &str) -> String {
    let s = s.replace("=\r\n", "");
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn decode_words(s: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    for (i, w) in s.split_whitespace().enumerate() {
        let decoded = w
            .strip_prefix("=?")
            .and_then(|r| r.strip_suffix("?="))
            .and_then(|r| {
                let mut p = r.splitn(3, '?');
                let (_charset, enc, text) = (p.next()?, p.next()?, p.next()?);
                if enc.eq_ignore_ascii_case("b") {
                    base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .ok()
                        .and_then(|v| String::from_utf8(v).ok())
                } else {
                    Some(decode_qp(&text.replace('_', " ")))
                }
            });
        // White space between two encoded words is dropped (RFC 2047 6.2), any other kept.
        if i > 0 && !(previous_encoded && decoded.is_some()) {
            out.push(' ');
        }
        previous_encoded = decoded.is_some();
        out.push_str(decoded.as_deref().unwrap_or(w));
    }
    out
}

/// The sink: its port and what it received.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    pub mails: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    /// Starts listening on a free port.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails: Arc<Mutex<Vec<Received>>> = Arc::default();
        let store = mails.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let _ = session(sock, store).await;
                });
            }
        });
        Self { port, mails }
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.mails.lock().unwrap().clone()
    }

    /// An SMTP configuration pointing at the sink (no TLS).
    pub fn config(&self) -> verbund_app::mail::SmtpConfig {
        verbund_app::mail::SmtpConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            tls: verbund_app::mail::TlsMode::None,
            user: None,
            password: None,
            from: "Verbund <verbund@verbund.example>".into(),
            timeout: std::time::Duration::from_secs(10),
        }
    }
}

async fn session(
    sock: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
) -> std::io::Result<()> {
    let (r, mut w) = sock.into_split();
    let mut r = BufReader::new(r);
    w.write_all(b"220 sink ESMTP\r\n").await?;
    let mut rcpt = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_ascii_uppercase();
        if cmd.starts_with("EHLO") {
            w.write_all(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if cmd.starts_with("HELO") || cmd.starts_with("MAIL") || cmd.starts_with("NOOP") {
            w.write_all(b"250 OK\r\n").await?;
        } else if cmd.starts_with("RSET") {
            rcpt.clear();
            w.write_all(b"250 OK\r\n").await?;
        } else if cmd.starts_with("RCPT") {
            rcpt.push(line.trim_end()[8..].trim().to_owned());
            w.write_all(b"250 OK\r\n").await?;
        } else if cmd == "DATA" {
            w.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            store.lock().unwrap().push(Received {
                rcpt: std::mem::take(&mut rcpt),
                data,
            });
            w.write_all(b"250 queued\r\n").await?;
        } else if cmd == "QUIT" {
            w.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            w.write_all(b"502 not implemented\r\n").await?;
        }
    }
}
