//! Translations: German first, English second, looked up by key from every `locales/<lang>/*.ftl` (main.ftl and one file per later feature).

use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "de",
        // Isolation marks (U+2068/U+2069) would end up in page titles and e-mails.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static DE: LanguageIdentifier = langid!("de");
static EN: LanguageIdentifier = langid!("en");

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// German (default).
    #[default]
    De,
    /// English.
    En,
}

impl Lang {
    /// Parses `de`/`en` (and `de-DE`, `en-GB` …); anything else is `None`.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("de") => Some(Self::De),
            Some("en") => Some(Self::En),
            _ => None,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header; German otherwise.
    pub fn from_accept_language(header: &str) -> Self {
        header
            .split(',')
            .find_map(|part| Self::parse(part.split(';').next().unwrap_or("")))
            .unwrap_or_default()
    }

    /// The code (`de` or `en`), also used as the HTML `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Self::De => "de",
            Self::En => "en",
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Self::De => &DE,
            Self::En => &EN,
        }
    }

    /// The text for `key`; the key itself if it is missing (a test checks none is).
    pub fn t(self, key: &str) -> String {
        LOCALES
            .try_lookup(self.id(), key)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text for `prefix` + `code`, e.g. `tf("kind-", "stadt")`.
    pub fn tf(self, prefix: &str, code: &str) -> String {
        self.t(&format!("{prefix}{code}"))
    }

    /// The text for `key` with named arguments.
    pub fn t_args(self, key: &str, args: &[(&'static str, String)]) -> String {
        let map: HashMap<std::borrow::Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| ((*k).into(), FluentValue::from(v.clone())))
            .collect();
        LOCALES
            .try_lookup_with_args(self.id(), key, &map)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text for `key` with a number `count`, so the message can pick the plural form
    /// (`{ $count -> [one] … *[other] … }`).
    pub fn t_count(self, key: &str, count: i64) -> String {
        let map: HashMap<std::borrow::Cow<'static, str>, FluentValue> =
            HashMap::from([("count".into(), FluentValue::from(count))]);
        LOCALES
            .try_lookup_with_args(self.id(), key, &map)
            .unwrap_or_else(|| key.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pick_the_german_plural() {
        assert_eq!(
            Lang::De.t_count("invitations-banner", 1),
            "Sie haben eine offene Einladung."
        );
        assert_eq!(
            Lang::De.t_count("invitations-banner", 3),
            "Sie haben 3 offene Einladungen."
        );
        assert_eq!(
            Lang::En.t_count("invitations-banner", 1),
            "You have one open invitation."
        );
    }

    #[test]
    fn accept_language_prefers_first_supported() {
        assert_eq!(
            Lang::from_accept_language("fr-FR,en-GB;q=0.8,de;q=0.5"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("es"), Lang::De);
        assert_eq!(Lang::from_accept_language(""), Lang::De);
    }

    #[test]
    fn german_and_english_texts_differ() {
        assert_eq!(Lang::De.t("nav-dashboard"), "Übersicht");
        assert_eq!(Lang::En.t("nav-dashboard"), "Dashboard");
    }
}
