//! Sign-in throttling: which counters a failed sign-in feeds, when a counter refuses further
//! attempts, and how long an attacked account's sign-ins are slowed down.
//!
//! The design (also in the README's Security section):
//!
//! - **per client address** (IPv6 by its /64 network): after `address.limit` failures within
//!   `address.window` the address gets HTTP 429 for every account, known or unknown;
//! - **per account and address**: after `pair.limit` failures within `pair.window` that
//!   address gets 429 for that account, while the same account still signs in from anywhere
//!   else — an outsider can throttle only themselves;
//! - **per account** (from any address): no lock, but a progressive delay before the password
//!   is checked, so guessing from many addresses is slowed while the owner still gets in.
//!
//! Counters are keyed by the e-mail address as typed (normalised), never by whether an account
//! exists, so known and unknown addresses are treated alike. Keys are SHA-256 hashes: the
//! counter table holds neither addresses nor e-mails.

use std::net::IpAddr;

use sha2::{Digest, Sha256};

/// How many failures a counter takes within its window before it refuses attempts (for the
/// window's length again); `limit: None` never refuses (it only feeds the delay).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Failures that start the block; `None`: never blocks.
    pub limit: Option<i64>,
    /// Length of the counting window and of the block, in milliseconds.
    pub window_ms: i64,
}

/// The three counters of one sign-in attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// The client address (IPv6: its /64).
    pub address: String,
    /// The account (e-mail as typed) from that address.
    pub pair: String,
    /// The account from any address.
    pub account: String,
}

impl Keys {
    /// The counter keys of an attempt for `email` from `client`.
    pub fn new(email: &str, client: IpAddr) -> Self {
        let email = normalize_email(email);
        let address = address_of(client);
        Self {
            address: hash(&["address", &address]),
            pair: hash(&["pair", &email, &address]),
            account: hash(&["account", &email]),
        }
    }
}

/// The counter of password-reset link attempts from `client` (its address; IPv6 per /64):
/// guessing links is throttled like guessing passwords, on a counter of its own so it does
/// not lock the address out of signing in.
pub fn reset_key(client: IpAddr) -> String {
    hash(&["reset", &address_of(client)])
}

fn hash(parts: &[&str]) -> String {
    // A separator that cannot occur in e-mail addresses or IP addresses.
    hex::encode(Sha256::digest(parts.join("\n").as_bytes()))
}

/// E-mail addresses as the login looks them up: trimmed, lower case.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The client address a counter is kept for: IPv4 as is (also when mapped into IPv6), IPv6
/// by its /64 network, which one subscriber usually holds whole.
pub fn address_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Whether a counter with `failures` in its window blocks once it has counted this failure,
/// and until when (`now_ms` plus the window).
pub fn blocks_after(rule: Rule, failures: i64, now_ms: i64) -> Option<i64> {
    let limit = rule.limit?;
    (failures >= limit).then_some(now_ms + rule.window_ms)
}

/// The delay before checking a password for an account with `failures` recent failures (from
/// any address): none below `threshold`, then `base_ms` doubling with every further failure,
/// at most `max_ms`. E.g. threshold 5, base 1 s, max 8 s: 4 failures → 0, 5 → 1 s, 6 → 2 s,
/// 7 → 4 s, 8 and more → 8 s.
pub fn account_delay_ms(failures: i64, threshold: i64, base_ms: u64, max_ms: u64) -> u64 {
    if failures < threshold || threshold <= 0 {
        return 0;
    }
    let doublings = u32::try_from(failures - threshold)
        .unwrap_or(u32::MAX)
        .min(32);
    base_ms.saturating_mul(1u64 << doublings).min(max_ms)
}

/// The TOTP time step (30 s) of a Unix time in milliseconds.
pub fn totp_step(unix_ms: i64) -> i64 {
    unix_ms.div_euclid(30_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_spaces_and_separate_the_counters() {
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let a = Keys::new(" Koordination@Nauheim.example ", ip);
        let b = Keys::new("koordination@nauheim.example", ip);
        assert_eq!(a, b);
        assert_ne!(a.address, a.pair);
        assert_ne!(a.pair, a.account);
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        let c = Keys::new("koordination@nauheim.example", other);
        assert_eq!(c.account, a.account, "the account counter spans addresses");
        assert_ne!(c.pair, a.pair);
        assert_ne!(c.address, a.address);
        assert_eq!(a.address.len(), 64, "a SHA-256, no address in clear");
    }

    #[test]
    fn ipv6_counts_per_64_network_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_of(a), "2001:db8:1:2::/64");
        assert_eq!(address_of(a), address_of(b));
        assert_ne!(address_of(a), address_of(c));
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(address_of(mapped), "192.0.2.1");
    }

    #[test]
    fn a_counter_blocks_from_its_limit_for_one_window() {
        let rule = Rule {
            limit: Some(5),
            window_ms: 900_000,
        };
        assert_eq!(blocks_after(rule, 4, 1_000), None);
        assert_eq!(blocks_after(rule, 5, 1_000), Some(901_000));
        assert_eq!(blocks_after(rule, 6, 1_000), Some(901_000));
        let never = Rule {
            limit: None,
            window_ms: 900_000,
        };
        assert_eq!(blocks_after(never, 1_000, 1_000), None);
    }

    #[test]
    fn the_account_delay_doubles_from_the_threshold_up_to_the_maximum() {
        let d = |f| account_delay_ms(f, 5, 1_000, 8_000);
        assert_eq!(
            [d(0), d(4), d(5), d(6), d(7), d(8), d(9), d(1_000_000)],
            [0, 0, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]
        );
        assert_eq!(account_delay_ms(3, 0, 1_000, 8_000), 0, "no threshold: off");
    }

    #[test]
    fn totp_steps_are_thirty_seconds() {
        assert_eq!(totp_step(0), 0);
        assert_eq!(totp_step(29_999), 0);
        assert_eq!(totp_step(30_000), 1);
        assert_eq!(totp_step(1_700_000_000_000), 56_666_666);
    }
}
