//! The application's small HTTP client (reqwest with rustls, ring and the webpki roots — the
//! TLS stack lettre already brings): used by the CSAF provider subscription and the pact
//! webhook.
//!
//! Guard rails: a connect and a total timeout, bodies read in chunks and abandoned as soon as
//! they pass the caller's limit (a `Content-Length` above it is refused before reading),
//! at most five redirects and none to another scheme (`https` never turns into `http`), only
//! `http://` and `https://` URLs.

use std::time::Duration;

use reqwest::header::{ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::redirect::Policy;

/// Why a request failed (German; names the URL).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not an `http://` or `https://` URL.
    #[error("{0}: keine http- oder https-Adresse")]
    BadUrl(String),
    /// No answer in time.
    #[error("{0}: keine Antwort in {1} s")]
    Timeout(String, u64),
    /// Connection, TLS or protocol failure (also a refused redirect).
    #[error("{0}: {1}")]
    Transport(String, String),
    /// The server answered with a status outside 2xx (and not 304 where allowed).
    #[error("{0}: Status {1}")]
    Status(String, u16),
    /// The body is larger than allowed.
    #[error("{0}: größer als {1} Bytes, abgebrochen")]
    TooLarge(String, usize),
}

impl FetchError {
    /// The HTTP status, if the server answered with one outside 2xx.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status(_, s) => Some(*s),
            _ => None,
        }
    }
}

/// What a GET returned.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    /// The status (200…299, or 304 for a conditional request whose resource is unchanged).
    pub status: u16,
    /// The body (empty for 304).
    pub body: Vec<u8>,
    /// `ETag`, if sent.
    pub etag: Option<String>,
    /// `Last-Modified`, if sent.
    pub last_modified: Option<String>,
}

impl Fetched {
    /// Whether the server said the resource is unchanged (304).
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// A shared client; cheap to clone.
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    timeout: Duration,
}

fn check_url(url: &str) -> Result<(), FetchError> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        Err(FetchError::BadUrl(url.to_owned()))
    }
}

fn header(h: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    h.get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect())
}

impl HttpClient {
    /// A client whose requests give up after `timeout` (connecting after at most 10 s).
    pub fn new(timeout: Duration) -> Result<Self, FetchError> {
        let inner = reqwest::Client::builder()
            .user_agent(concat!("verbund/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .timeout(timeout)
            .redirect(Policy::custom(|attempt| {
                let scheme = attempt.url().scheme().to_owned();
                let same = attempt
                    .previous()
                    .last()
                    .is_some_and(|p| p.scheme() == scheme);
                if attempt.previous().len() > 5 {
                    attempt.error("mehr als 5 Weiterleitungen")
                } else if !same {
                    attempt.error("Weiterleitung auf ein anderes Schema abgelehnt")
                } else {
                    attempt.follow()
                }
            }))
            .build()
            .map_err(|e| FetchError::Transport("HTTP-Client".into(), e.to_string()))?;
        Ok(Self { inner, timeout })
    }

    fn map(&self, url: &str, e: &reqwest::Error) -> FetchError {
        if e.is_timeout() {
            return FetchError::Timeout(url.to_owned(), self.timeout.as_secs());
        }
        // The innermost cause says what went wrong (refused connection, certificate, …).
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            msg = s.to_string();
            src = s.source();
        }
        FetchError::Transport(url.to_owned(), msg)
    }

    async fn read_limited(
        &self,
        url: &str,
        mut resp: reqwest::Response,
        limit: usize,
    ) -> Result<Vec<u8>, FetchError> {
        if resp
            .content_length()
            .is_some_and(|n| usize::try_from(n).map_or(true, |n| n > limit))
        {
            return Err(FetchError::TooLarge(url.to_owned(), limit));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.map(url, &e))? {
            if body.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge(url.to_owned(), limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// GETs `url` with a body of at most `limit` bytes. With `etag` / `last_modified` the
    /// request is conditional and a 304 comes back as [`Fetched::not_modified`].
    pub async fn get(
        &self,
        url: &str,
        limit: usize,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Fetched, FetchError> {
        check_url(url)?;
        let mut req = self.inner.get(url);
        if let Some(e) = etag {
            req = req.header(IF_NONE_MATCH, e);
        }
        if let Some(m) = last_modified {
            req = req.header(IF_MODIFIED_SINCE, m);
        }
        let resp = req.send().await.map_err(|e| self.map(url, &e))?;
        let status = resp.status().as_u16();
        let etag = header(resp.headers(), ETAG);
        let last_modified = header(resp.headers(), LAST_MODIFIED);
        if status == 304 {
            return Ok(Fetched {
                status,
                body: Vec::new(),
                etag,
                last_modified,
            });
        }
        if !(200..300).contains(&status) {
            return Err(FetchError::Status(url.to_owned(), status));
        }
        let body = self.read_limited(url, resp, limit).await?;
        Ok(Fetched {
            status,
            body,
            etag,
            last_modified,
        })
    }

    /// POSTs `body` as JSON; returns the status, an error for one outside 2xx.
    pub async fn post_json(&self, url: &str, body: String) -> Result<u16, FetchError> {
        check_url(url)?;
        let resp = self
            .inner
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| self.map(url, &e))?;
        let status = resp.status().as_u16();
        if (200..300).contains(&status) {
            Ok(status)
        } else {
            Err(FetchError::Status(url.to_owned(), status))
        }
    }
}
