//! Secrets: random tokens, password hashing (Argon2id), TOTP and QR codes.

use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::{Rng, RngExt};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// A random URL-safe token of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Hex SHA-256, used to store session and API tokens: a leaked table reveals no usable token.
pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Hashes a password with Argon2id (default parameters: 19 MiB, 2 passes) off the async runtime.
pub async fn hash_password(password: String) -> Result<String, Error> {
    tokio::task::spawn_blocking(move || {
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(format!("join: {e}")))?
}

/// Checks a password against a stored PHC string; `false` for any mismatch or malformed hash.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A dummy hash, verified when the e-mail is unknown so response times do not reveal which
/// addresses have accounts.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wv1iXzyvTZlt4Zl5e1NOlY0NU6Pr6IW1T1jxPBVKd8U";

/// A new random TOTP secret (160 bits, base32).
pub fn new_totp_secret() -> String {
    let mut buf = [0u8; 20];
    rand::rng().fill_bytes(&mut buf);
    totp_rs::Secret::from(buf.to_vec()).to_base32()
}

fn totp(secret_b32: &str, account: &str) -> Option<totp_rs::Totp> {
    let secret = totp_rs::Secret::try_from_base32(secret_b32).ok()?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some("Verbund"))
        .build()
        .ok()
}

/// The time step of `code` if it is valid at `now_ms` (±1 step of 30 s for clock drift).
/// Whether it was used before is the caller's to check (see `Store::accept_totp_step`).
pub fn totp_step(secret_b32: &str, code: &str, now_ms: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 {
        return None;
    }
    let now = u64::try_from(now_ms / 1000).ok()?;
    let step = totp(secret_b32, "x")?.check(&code, now)?;
    i64::try_from(step).ok()
}

/// The current code (for tests and the demo).
pub fn current_totp(secret_b32: &str) -> String {
    totp(secret_b32, "x")
        .map(|t| t.generate_current().to_string())
        .unwrap_or_default()
}

/// The code for a Unix time in seconds (for tests: the next step's code, which the ±1 step
/// tolerance accepts now).
pub fn totp_at(secret_b32: &str, unix_secs: u64) -> String {
    totp(secret_b32, "x")
        .map(|t| t.generate(unix_secs).to_string())
        .unwrap_or_default()
}

/// The `otpauth://` URL an authenticator app scans.
pub fn totp_url(secret_b32: &str, account: &str) -> String {
    totp(secret_b32, account)
        .and_then(|t| t.to_url().ok())
        .unwrap_or_default()
}

/// Ten recovery codes like `k3m9-x2p7`, easy to type, 40 bits each.
pub fn recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..10)
        .map(|_| {
            let s: String = (0..8)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &s[..4], &s[4..])
        })
        .collect()
}

/// Normalises a typed recovery code before hashing (case, spaces).
pub fn normalize_recovery_code(code: &str) -> String {
    code.trim().to_lowercase().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn password_round_trip_and_mismatch() {
        let h = hash_password("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), h.clone()).await);
        assert!(!verify_password("wrong horse battery".into(), h).await);
        assert!(!verify_password("x".into(), "not a hash".into()).await);
    }

    #[test]
    fn totp_accepts_codes_of_the_neighbouring_steps_and_names_their_step() {
        let s = new_totp_secret();
        let now_ms = 1_700_000_000_000;
        let step = verbund_domain::signin::totp_step(now_ms);
        let at = |secs: i64| totp_at(&s, u64::try_from(secs).unwrap());
        let code = at(now_ms / 1000);
        assert_eq!(totp_step(&s, &code, now_ms), Some(step));
        assert_eq!(
            totp_step(&s, &format!("{} {}", &code[..3], &code[3..]), now_ms),
            Some(step)
        );
        assert_eq!(
            totp_step(&s, &at(now_ms / 1000 + 30), now_ms),
            Some(step + 1)
        );
        assert_eq!(
            totp_step(&s, &at(now_ms / 1000 - 30), now_ms),
            Some(step - 1)
        );
        assert_eq!(
            totp_step(&s, &at(now_ms / 1000 + 90), now_ms),
            None,
            "too far ahead"
        );
        let wrong = format!(
            "{:06}",
            (code.parse::<u32>().unwrap() + 500_000) % 1_000_000
        );
        assert_eq!(totp_step(&s, &wrong, now_ms), None);
        assert_eq!(totp_step("not base32!", &code, now_ms), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_formatted() {
        let c = recovery_codes();
        assert_eq!(c.len(), 10);
        assert!(c.iter().all(|x| x.len() == 9 && x.as_bytes()[4] == b'-'));
        let mut d = c.clone();
        d.dedup();
        assert_eq!(d.len(), 10);
        assert_eq!(normalize_recovery_code(" AB12-cd34 "), "ab12-cd34");
    }
}
