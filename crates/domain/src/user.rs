//! Users: validated e-mail addresses and the password policy.

use serde::{Deserialize, Serialize};

use crate::UserId;
use crate::validation::{ValidationErrors, is_forbidden_char, required_text};

/// A lower-cased e-mail address with one `@` and a dot in the domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    /// Parses and lower-cases; fails with `error-email`.
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        let v = value.trim().to_lowercase();
        let valid = v.len() <= 254
            && v.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && domain.contains('.')
                    && !domain.contains('@')
            })
            && !v
                .chars()
                .any(|c| c.is_whitespace() || is_forbidden_char(c, false));
        if valid {
            Ok(Self(v))
        } else {
            Err("error-email")
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Minimum password length: long passphrases beat complexity rules (NIST SP 800-63B).
pub const MIN_PASSWORD_LEN: usize = 12;
/// Maximum length, so hashing cannot be abused to burn CPU.
pub const MAX_PASSWORD_LEN: usize = 256;

/// Checks a new password; fails with `error-password-short`, `error-password-long`.
pub fn check_password(pw: &str) -> Result<(), &'static str> {
    let n = pw.chars().count();
    if n < MIN_PASSWORD_LEN {
        Err("error-password-short")
    } else if n > MAX_PASSWORD_LEN {
        Err("error-password-long")
    } else {
        Ok(())
    }
}

/// A user as shown in lists and APIs (never with secrets).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Its ID.
    pub id: UserId,
    /// Login and notification address.
    pub email: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Preferred UI language (`de` or `en`).
    pub locale: String,
    /// Whether TOTP is switched on.
    pub mfa_enabled: bool,
    /// Whether the account is deactivated.
    pub disabled: bool,
}

/// Validated input to create a user.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    /// E-mail.
    pub email: Email,
    /// Display name.
    pub display_name: String,
    /// Initial password, if the user logs in locally (none for single sign-on only).
    pub password: Option<String>,
}

/// Raw user fields from a form or JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserDraft {
    /// E-mail.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Initial password; empty means "no local password".
    #[serde(default)]
    pub password: Option<String>,
}

impl UserDraft {
    /// Validates the fields.
    pub fn validate(&self) -> Result<NewUser, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let email = e.check("email", Email::parse(&self.email));
        let display_name = e.check("display_name", required_text(&self.display_name, 200));
        let password = match self.password.as_deref().filter(|p| !p.is_empty()) {
            None => Some(None),
            Some(p) => e.check("password", check_password(p).map(|()| Some(p.to_owned()))),
        };
        match (email, display_name, password) {
            (Some(email), Some(display_name), Some(password)) if e.0.is_empty() => Ok(NewUser {
                email,
                display_name,
                password,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_lowercased_and_checked() {
        assert_eq!(
            Email::parse(" ISB@Kreis-GG.de ").unwrap().as_str(),
            "isb@kreis-gg.de"
        );
        for bad in [
            "",
            "a",
            "a@b",
            "@b.de",
            "a@.de",
            "a@b.de.",
            "a b@c.de",
            "a@b@c.de",
            "a\u{0}@b.de",
            "isb@kreis\u{202E}ed.gg",
            "a\u{FFFE}@b.de",
        ] {
            assert_eq!(Email::parse(bad), Err("error-email"), "{bad}");
        }
    }

    #[test]
    fn password_policy_counts_characters_not_bytes() {
        assert_eq!(check_password("kurz"), Err("error-password-short"));
        assert_eq!(check_password("ääääääääääää"), Ok(()));
        assert_eq!(check_password(&"x".repeat(257)), Err("error-password-long"));
    }

    #[test]
    fn user_draft_without_password_is_sso_only() {
        let d = UserDraft {
            email: "a@b.de".into(),
            display_name: "A".into(),
            password: Some(String::new()),
        };
        assert_eq!(d.validate().unwrap().password, None);
        let bad = UserDraft {
            password: Some("short".into()),
            ..d
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            ValidationErrors::single("password", "error-password-short")
        );
    }
}
