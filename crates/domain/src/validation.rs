//! Field-level validation errors shared by every input type.
//!
//! A message is a translation key (e.g. `error-ags-format`), never prose, so the web layer can
//! show it in German or English and the API can return it as a stable code.

use serde::Serialize;

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

/// Trims a required text field; empty or longer than `max` chars is an error.
pub fn required_text(value: &str, max: usize) -> Result<String, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        Err("error-required")
    } else if v.chars().count() > max {
        Err("error-too-long")
    } else {
        Ok(v.to_owned())
    }
}

/// Trims an optional text field; empty becomes `None`.
pub fn optional_text(value: Option<&str>, max: usize) -> Result<Option<String>, &'static str> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if v.chars().count() > max => Err("error-too-long"),
        Some(v) => Ok(Some(v.to_owned())),
    }
}

/// Parses an ISO date `YYYY-MM-DD`.
pub fn parse_date(value: &str) -> Result<time::Date, &'static str> {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value.trim(), fmt).map_err(|_| "error-date-format")
}

/// Formats a date as ISO `YYYY-MM-DD`.
pub fn format_date(d: time::Date) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    d.format(fmt).unwrap_or_default()
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
    fn dates_parse_iso_only() {
        assert!(parse_date("2026-02-28").is_ok());
        assert_eq!(parse_date("2026-02-30"), Err("error-date-format"));
        assert_eq!(parse_date("28.02.2026"), Err("error-date-format"));
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
