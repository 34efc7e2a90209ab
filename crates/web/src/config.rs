//! Web configuration: typed, loaded once by the binary, passed in explicitly.

use std::time::Duration;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Public base URL, e.g. `https://verbund.kreis-gg.de`; decides the allowed Origin and
    /// whether cookies are `Secure` (https) and HSTS is sent.
    pub base_url: String,
    /// Absolute session lifetime.
    pub session_ttl: Duration,
    /// Session ends after this much inactivity.
    pub session_idle: Duration,
    /// Failed sign-ins for one account from one address before that address is refused for
    /// that account (where the account's delay starts, too).
    pub max_login_failures: i64,
    /// The window of `max_login_failures` and the length of the refusal.
    pub lockout: Duration,
    /// Failed sign-ins from one client address (any accounts) before it is refused.
    pub max_address_failures: i64,
    /// The window of `max_address_failures` and the length of that refusal.
    pub address_window: Duration,
    /// First delay of an account's sign-ins after `max_login_failures` recent failures.
    pub account_delay_base: Duration,
    /// Longest such delay.
    pub account_delay_max: Duration,
    /// Trust `X-Forwarded-For` from a reverse proxy for the client address.
    pub trust_proxy: bool,
    /// Largest accepted request body in bytes.
    pub max_body_bytes: usize,
    /// Bearer token Prometheus sends for `/metrics`; without one `/metrics` answers 404.
    pub metrics_token: Option<Secret>,
}

/// A secret setting: kept out of `Debug` output and logs.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value, for the one place that compares it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8080".into(),
            session_ttl: Duration::from_secs(12 * 3600),
            session_idle: Duration::from_secs(3600),
            max_login_failures: 5,
            lockout: Duration::from_secs(15 * 60),
            max_address_failures: 20,
            address_window: Duration::from_secs(300),
            account_delay_base: Duration::from_secs(1),
            account_delay_max: Duration::from_secs(8),
            trust_proxy: false,
            max_body_bytes: 2 * 1024 * 1024,
            metrics_token: None,
        }
    }
}

impl WebConfig {
    /// Whether the site is served over TLS (cookies get `Secure`, HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// Scheme, host and port of the base URL, as browsers send it in `Origin`.
    pub fn origin(&self) -> &str {
        let rest = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, r)| r);
        let host_len = rest.find('/').unwrap_or(rest.len());
        let scheme_len = self.base_url.len() - rest.len();
        &self.base_url[..scheme_len + host_len]
    }

    /// The sign-in rules for the application layer.
    pub fn auth_policy(&self) -> verbund_app::AuthPolicy {
        verbund_app::AuthPolicy {
            session_ttl: self.session_ttl,
            session_idle: self.session_idle,
            max_login_failures: self.max_login_failures,
            lockout: self.lockout,
            max_address_failures: self.max_address_failures,
            address_window: self.address_window,
            account_delay_base: self.account_delay_base,
            account_delay_max: self.account_delay_max,
        }
    }

    /// Name of the session cookie; the `__Host-` prefix (Secure, no Domain, path /) needs https.
    pub fn session_cookie(&self) -> &'static str {
        if self.is_https() {
            "__Host-verbund-session"
        } else {
            "verbund-session"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_strips_the_path() {
        let c = WebConfig {
            base_url: "https://verbund.example.de:8443/app/".into(),
            ..Default::default()
        };
        assert_eq!(c.origin(), "https://verbund.example.de:8443");
        assert!(c.is_https());
        assert_eq!(WebConfig::default().origin(), "http://127.0.0.1:8080");
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let c = WebConfig {
            metrics_token: Some(Secret::new("geheim")),
            ..Default::default()
        };
        assert!(!format!("{c:?}").contains("geheim"));
    }
}
