//! Field-level validation errors shared by every input type.
//!
//! A message is a translation key (e.g. `error-ags-format`), never prose, so the web layer can
//! show it in German or English and the API can return it as a stable code.

use serde::{Deserialize, Serialize};

/// One invalid field: which field and why (a translation key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field name as it appears in forms and JSON bodies.
    pub field: String,
    /// A stable code that doubles as translation key, e.g. `error-required`.
    pub code: String,
}

/// All field errors of one input; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.code)).collect::<Vec<_>>().join(", "))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// Records an error for `field`.
    pub fn add(&mut self, field: &str, code: &str) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
        });
    }

    /// A single-field error, for checks that only the database can make (e.g. uniqueness).
    pub fn single(field: &str, code: &str) -> Self {
        let mut e = Self::default();
        e.add(field, code);
        e
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Runs a fallible field parser and records its error under `field`.
    pub fn check<T>(&mut self, field: &str, r: Result<T, &'static str>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(code) => {
                self.add(field, code);
                None
            }
        }
    }
}

/// Whether `c` may not appear in text typed by people: control characters (Unicode `Cc`,
/// NUL included; in multi-line text tab and line feed excepted), Unicode noncharacters
/// (U+FDD0..U+FDEF and the last two code points of every plane) and the bidirectional
/// embedding, override and isolate controls (U+202A..U+202E, U+2066..U+2069), which make
/// a name display differently from what it is ("spoofing").
///
/// Emoji, mathematical alphabets and every other script are legitimate; documents that
/// cannot show a character replace it visibly instead.
pub fn is_forbidden_char(c: char, multiline: bool) -> bool {
    let u = u32::from(c);
    (c.is_control() && !(multiline && matches!(c, '\n' | '\t')))
        || (0xFDD0..=0xFDEF).contains(&u)
        || u & 0xFFFE == 0xFFFE
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks a single-line text (names, titles, labels); fails with `error-text-characters`
/// if it holds a character [`is_forbidden_char`] refuses (line breaks and tabs included).
pub fn check_line(value: &str) -> Result<(), &'static str> {
    if value.chars().any(|c| is_forbidden_char(c, false)) {
        Err("error-text-characters")
    } else {
        Ok(())
    }
}

/// Checks a multi-line text (addresses, comments, justifications) after line ends were
/// normalised to `\n`; fails with `error-text-characters` like [`check_line`], but allows
/// line feeds and tabs.
pub fn check_multiline(value: &str) -> Result<(), &'static str> {
    if value.chars().any(|c| is_forbidden_char(c, true)) {
        Err("error-text-characters")
    } else {
        Ok(())
    }
}

/// Trims a required single-line text field; empty, longer than `max` chars or holding a
/// forbidden character (see [`check_line`]) is an error.
pub fn required_text(value: &str, max: usize) -> Result<String, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        Err("error-required")
    } else if v.chars().count() > max {
        Err("error-too-long")
    } else {
        check_line(v)?;
        Ok(v.to_owned())
    }
}

/// Trims an optional single-line text field; empty becomes `None`. Longer than `max` chars
/// or holding a forbidden character (see [`check_line`]) is an error.
pub fn optional_text(value: Option<&str>, max: usize) -> Result<Option<String>, &'static str> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if v.chars().count() > max => Err("error-too-long"),
        Some(v) => check_line(v).map(|()| Some(v.to_owned())),
    }
}

/// Trims an optional multi-line text field (a `<textarea>`); line ends become `\n`, empty
/// becomes `None`. Longer than `max` chars or holding a forbidden character (see
/// [`check_multiline`]) is an error.
pub fn optional_multiline(value: Option<&str>, max: usize) -> Result<Option<String>, &'static str> {
    let normalised = value.map(|v| v.replace("\r\n", "\n").replace('\r', "\n"));
    match normalised
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => Ok(None),
        Some(v) if v.chars().count() > max => Err("error-too-long"),
        Some(v) => check_multiline(v).map(|()| Some(v.to_owned())),
    }
}

/// Parses a date as people type it, `TT.MM.JJJJ` (`31.03.2027`, also `1.4.2027`), or as
/// ISO `YYYY-MM-DD` (what browsers' date fields and the API send).
pub fn parse_date(value: &str) -> Result<time::Date, &'static str> {
    let v = value.trim();
    if let Some((d, rest)) = v.split_once('.')
        && let Some((m, y)) = rest.split_once('.')
    {
        let num = |s: &str, max_len: usize| {
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u16>().ok())
                .flatten()
        };
        let (Some(d), Some(m), Some(y)) = (num(d, 2), num(m, 2), num(y, 4)) else {
            return Err("error-date-format");
        };
        if y < 1000 {
            return Err("error-date-format");
        }
        let month = u8::try_from(m)
            .ok()
            .and_then(|m| time::Month::try_from(m).ok())
            .ok_or("error-date-format")?;
        let day = u8::try_from(d).map_err(|_| "error-date-format")?;
        return time::Date::from_calendar_date(i32::from(y), month, day)
            .map_err(|_| "error-date-format");
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(v, fmt).map_err(|_| "error-date-format")
}

/// Formats a date as Germans read it: `31.03.2027`.
pub fn format_date_de(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[day].[month].[year]");
    d.format(fmt).unwrap_or_default()
}

/// Formats a date as ISO `YYYY-MM-DD`.
pub fn format_date(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(fmt).unwrap_or_default()
}

/// Deserializes a field that forms send as text and JSON clients may send as a whole number
/// (an ID, a count). A fractional or out-of-range number is refused, never rounded into
/// range: `-9223372036854775809` must not become a valid ID.
pub fn integer_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum V {
        I(i64),
        S(String),
    }
    Ok(Option::<V>::deserialize(d)?.map(|v| match v {
        V::I(n) => n.to_string(),
        V::S(s) => s,
    }))
}

/// Deserializes a field that forms send as text and JSON clients may send as any number (an
/// amount, a number of days); the domain's parser checks range and decimals afterwards.
pub fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum V {
        I(i64),
        F(f64),
        S(String),
    }
    Ok(Option::<V>::deserialize(d)?.map(|v| match v {
        V::I(n) => n.to_string(),
        V::F(n) => n.to_string(),
        V::S(s) => s,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_rejects_blank() {
        assert_eq!(required_text("  Nauheim ", 10), Ok("Nauheim".into()));
        assert_eq!(required_text("   ", 10), Err("error-required"));
        assert_eq!(required_text("ääääääääääää", 10), Err("error-too-long"));
    }

    #[test]
    fn single_line_text_refuses_control_characters_and_line_breaks() {
        for bad in [
            "A\u{0}B",
            "Nau\theim",
            "Nau\nheim",
            "Nau\rheim",
            "Nauheim\u{7f}",
            "Nau\u{85}heim",
            "Nauheim\u{1b}[31m",
        ] {
            assert_eq!(
                required_text(bad, 200),
                Err("error-text-characters"),
                "{bad:?}"
            );
            assert_eq!(
                optional_text(Some(bad), 200),
                Err("error-text-characters"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn bidi_controls_and_noncharacters_are_refused() {
        // "Nauheim" with a right-to-left override shows as "miehuaN"; "txt.exe" spoofing.
        for bad in [
            "\u{202E}Nauheim",
            "Rechnung\u{202D}",
            "a\u{202A}b",
            "a\u{2066}b\u{2069}",
            "a\u{2068}b",
            "a\u{FDD0}b",
            "a\u{FFFE}b",
            "a\u{FFFF}b",
            "a\u{1FFFF}b",
            "a\u{10FFFE}b",
        ] {
            assert_eq!(check_line(bad), Err("error-text-characters"), "{bad:?}");
            assert_eq!(
                check_multiline(bad),
                Err("error-text-characters"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn emoji_mathematical_letters_and_other_scripts_are_legitimate() {
        for good in [
            "Nauheim 👩\u{200D}👩\u{200D}👧",
            "𝕸𝖆𝖙𝖍",
            "Groß-Gerau",
            "Ærøskøbing",
            "Αθήνα",
            "القاهرة",
            "東京都",
            "#set page(width: 1pt)",
            "a\u{200F}b",
            "\u{FEFF}x",
        ] {
            assert_eq!(
                required_text(good, 200),
                Ok(good.trim().to_owned()),
                "{good:?}"
            );
        }
    }

    #[test]
    fn multi_line_text_allows_line_feeds_and_tabs_only() {
        assert_eq!(
            optional_multiline(Some(" Rathaus\r\n\tHauptstr. 1\r64569 Nauheim "), 200),
            Ok(Some("Rathaus\n\tHauptstr. 1\n64569 Nauheim".into()))
        );
        assert_eq!(optional_multiline(Some(" \r\n "), 200), Ok(None));
        assert_eq!(
            optional_multiline(Some("a\u{0}b"), 200),
            Err("error-text-characters")
        );
        assert_eq!(
            optional_multiline(Some("a\u{b}b"), 200),
            Err("error-text-characters")
        );
        assert_eq!(
            optional_multiline(Some(&"ä\n".repeat(101)), 200),
            Err("error-too-long")
        );
    }

    #[test]
    fn dates_parse_iso_only() {
        assert!(parse_date("2026-02-28").is_ok());
        assert_eq!(
            parse_date("31.03.2027").map(format_date_de),
            Ok("31.03.2027".into()),
            "a typed German date comes back as typed"
        );
        assert_eq!(parse_date("2026-02-30"), Err("error-date-format"));
        assert_eq!(parse_date("28.02.2026"), parse_date("2026-02-28"));
        assert_eq!(parse_date(" 1.4.2027 "), parse_date("2027-04-01"));
        assert_eq!(parse_date("30.02.2026"), Err("error-date-format"));
        assert_eq!(parse_date("31.03.27"), Err("error-date-format"));
        assert_eq!(parse_date("3l.03.2027"), Err("error-date-format"));
        assert_eq!(parse_date("31.03."), Err("error-date-format"));
        assert_eq!(format_date(parse_date("2026-01-05").unwrap()), "2026-01-05");
    }

    #[test]
    fn errors_collect_per_field() {
        let mut e = ValidationErrors::default();
        assert_eq!(e.check("a", Ok::<_, &str>(1)), Some(1));
        assert_eq!(e.check::<i32>("b", Err("error-required")), None);
        assert_eq!(
            e.clone().into_result(()),
            Err(ValidationErrors::single("b", "error-required"))
        );
    }
}
