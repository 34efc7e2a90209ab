//! Validated input of a measure (title, owner, deadline, priority, cost, effort).

use serde::{Deserialize, Serialize};

use super::Priority;
use crate::UserId;
use crate::validation::{
    ValidationErrors, format_date, optional_multiline, parse_date, required_text,
};

/// Longest title of a measure.
pub const MAX_TITLE: usize = 200;
/// Longest description.
pub const MAX_DESCRIPTION: usize = 4000;
/// Longest progress note.
pub const MAX_NOTE: usize = 4000;
/// Largest estimated cost in cents (10 million euros).
pub const MAX_COST_CENTS: i64 = 1_000_000_000;
/// Largest estimated effort in person-days.
pub const MAX_EFFORT_DAYS: f64 = 10_000.0;

/// Raw form or API fields of a measure, all text (cost and effort may also be JSON numbers).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawMeasure {
    /// Title, e.g. "Offline-Datensicherung einführen".
    #[serde(default)]
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// The responsible user's id (a user holding a role in the member); empty: nobody yet.
    #[serde(default, deserialize_with = "crate::validation::integer_or_text")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub owner_user_id: Option<String>,
    /// Deadline `YYYY-MM-DD` or `TT.MM.JJJJ`; empty: none.
    pub due_on: Option<String>,
    /// Priority code (`sehr_hoch`, `hoch`, `mittel`, `niedrig`; empty: `mittel`).
    pub priority: Option<String>,
    /// Estimated cost in euros (`1200`, `1.200,50` or `1200.50`); empty: not estimated.
    #[serde(default, deserialize_with = "crate::validation::number_or_text")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub cost_euros: Option<String>,
    /// Estimated effort in person-days (`2,5`); empty: not estimated.
    #[serde(default, deserialize_with = "crate::validation::number_or_text")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub effort_days: Option<String>,
    /// Revision from the last read (updates only): guards against lost updates.
    pub revision: Option<i64>,
}

/// Validated data of a measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureInput {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Responsible user.
    pub owner: Option<UserId>,
    /// Deadline `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// Priority.
    pub priority: Priority,
    /// Estimated cost in cents.
    pub cost_cents: Option<i64>,
    /// Estimated effort in person-days.
    pub effort_days: Option<f64>,
}

fn present(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// Parses a decimal number as people type it: `1200`, `1200.5`, `1200,50`, `1.200,50`
/// (a German thousands dot with a decimal comma). At most two decimals.
pub fn parse_decimal_cents(v: &str) -> Result<i64, &'static str> {
    let v = v.trim();
    let normalised = if v.contains(',') {
        v.replace('.', "").replace(',', ".")
    } else {
        v.to_owned()
    };
    let (whole, frac) = normalised.split_once('.').unwrap_or((&normalised, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 || whole.len() > 12 {
        return Err("error-measure-number");
    }
    let whole: i64 = whole.parse().map_err(|_| "error-measure-number")?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}")
            .parse()
            .map_err(|_| "error-measure-number")?
    };
    Ok(whole * 100 + frac)
}

fn parse_cost(v: Option<&str>) -> Result<Option<i64>, &'static str> {
    match present(v) {
        None => Ok(None),
        Some(v) if v.starts_with('-') => Err("error-measure-negative"),
        Some(v) => match parse_decimal_cents(v)? {
            c if c > MAX_COST_CENTS => Err("error-measure-cost-range"),
            c => Ok(Some(c)),
        },
    }
}

fn parse_effort(v: Option<&str>) -> Result<Option<f64>, &'static str> {
    match present(v) {
        None => Ok(None),
        Some(v) if v.starts_with('-') => Err("error-measure-negative"),
        Some(v) => {
            // At most 12 digits: exact in an f64.
            let days = parse_decimal_cents(v)? as f64 / 100.0;
            if days > MAX_EFFORT_DAYS {
                Err("error-measure-effort-range")
            } else {
                Ok(Some(days))
            }
        }
    }
}

fn parse_owner(v: Option<&str>, eligible: &[UserId]) -> Result<Option<UserId>, &'static str> {
    match present(v) {
        None => Ok(None),
        Some(v) => match v.parse::<i64>() {
            Ok(id) if eligible.contains(&UserId(id)) => Ok(Some(UserId(id))),
            _ => Err("error-measure-owner"),
        },
    }
}

impl RawMeasure {
    /// Validates every field at once. `eligible_owners` are the users holding a role in the
    /// member; any other owner is the field error `owner_user_id: error-measure-owner`.
    pub fn validate(&self, eligible_owners: &[UserId]) -> Result<MeasureInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let title = e.check("title", required_text(&self.title, MAX_TITLE));
        let description = e.check(
            "description",
            optional_multiline(self.description.as_deref(), MAX_DESCRIPTION),
        );
        let owner = e.check(
            "owner_user_id",
            parse_owner(self.owner_user_id.as_deref(), eligible_owners),
        );
        let due_on = e.check(
            "due_on",
            present(self.due_on.as_deref())
                .map(|d| parse_date(d).map(format_date))
                .transpose(),
        );
        let priority = e.check(
            "priority",
            present(self.priority.as_deref()).map_or(Ok(Priority::Medium), Priority::parse),
        );
        let cost_cents = e.check("cost_euros", parse_cost(self.cost_euros.as_deref()));
        let effort_days = e.check("effort_days", parse_effort(self.effort_days.as_deref()));
        match (
            title,
            description,
            owner,
            due_on,
            priority,
            cost_cents,
            effort_days,
        ) {
            (
                Some(title),
                Some(description),
                Some(owner),
                Some(due_on),
                Some(priority),
                Some(cost_cents),
                Some(effort_days),
            ) if e.0.is_empty() => Ok(MeasureInput {
                title,
                description,
                owner,
                due_on,
                priority,
                cost_cents,
                effort_days,
            }),
            _ => Err(e),
        }
    }
}

/// Validates a progress note (required, at most [`MAX_NOTE`] characters, several lines).
pub fn validate_note(body: &str) -> Result<String, ValidationErrors> {
    match optional_multiline(Some(body), MAX_NOTE) {
        Ok(Some(b)) => Ok(b),
        Ok(None) => Err(ValidationErrors::single("body", "error-required")),
        Err(c) => Err(ValidationErrors::single("body", c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(title: &str) -> RawMeasure {
        RawMeasure {
            title: title.into(),
            ..RawMeasure::default()
        }
    }

    fn codes(e: &ValidationErrors) -> Vec<(String, String)> {
        e.0.iter()
            .map(|f| (f.field.clone(), f.code.clone()))
            .collect()
    }

    #[test]
    fn json_owner_must_be_a_whole_number_in_range_and_amounts_may_be_fractional() {
        let m: RawMeasure = serde_json::from_str(
            r#"{"title":"T","owner_user_id":7,"cost_euros":1200.5,"effort_days":"2,5"}"#,
        )
        .unwrap();
        assert_eq!(m.owner_user_id.as_deref(), Some("7"));
        assert_eq!(m.cost_euros.as_deref(), Some("1200.5"));
        assert_eq!(m.effort_days.as_deref(), Some("2,5"));
        // Below i64::MIN: serde_json reads it as a float that rounds to i64::MIN; it must be
        // refused, not taken as a valid ID.
        for owner in ["-9223372036854775809", "9223372036854775808", "1.5"] {
            let body = format!(r#"{{"title":"T","owner_user_id":{owner}}}"#);
            assert!(
                serde_json::from_str::<RawMeasure>(&body).is_err(),
                "{owner}"
            );
        }
    }

    #[test]
    fn a_title_alone_is_a_valid_measure_of_medium_priority() {
        let m = raw("  Offline-Datensicherung einführen ")
            .validate(&[])
            .unwrap();
        assert_eq!(m.title, "Offline-Datensicherung einführen");
        assert_eq!(m.priority, Priority::Medium);
        assert_eq!(
            (m.owner, m.due_on, m.cost_cents, m.effort_days),
            (None, None, None, None)
        );
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let r = RawMeasure {
            title: " ".into(),
            due_on: Some("31.02.2027".into()),
            priority: Some("dringend".into()),
            cost_euros: Some("-5".into()),
            effort_days: Some("viel".into()),
            owner_user_id: Some("7".into()),
            ..RawMeasure::default()
        };
        let e = r.validate(&[UserId(3)]).unwrap_err();
        assert_eq!(
            codes(&e),
            [
                ("title".into(), "error-required".into()),
                ("owner_user_id".into(), "error-measure-owner".into()),
                ("due_on".into(), "error-date-format".into()),
                ("priority".into(), "error-measure-priority".into()),
                ("cost_euros".into(), "error-measure-negative".into()),
                ("effort_days".into(), "error-measure-number".into()),
            ]
        );
    }

    #[test]
    fn german_and_plain_numbers_become_cents_and_days() {
        let r = RawMeasure {
            cost_euros: Some("1.234,5".into()),
            effort_days: Some("2,5".into()),
            due_on: Some("1.4.2027".into()),
            owner_user_id: Some("3".into()),
            priority: Some("Sehr_Hoch".into()),
            ..raw("x")
        };
        let m = r.validate(&[UserId(3)]).unwrap();
        assert_eq!(m.cost_cents, Some(123_450));
        assert_eq!(m.effort_days, Some(2.5));
        assert_eq!(m.due_on.as_deref(), Some("2027-04-01"));
        assert_eq!(m.owner, Some(UserId(3)));
        assert_eq!(m.priority, Priority::VeryHigh);
        assert_eq!(parse_decimal_cents("1200.50"), Ok(120_050));
        assert_eq!(parse_decimal_cents("0"), Ok(0));
        assert!(parse_decimal_cents("1,234").is_err());
        assert!(parse_decimal_cents(",5").is_err());
        assert!(parse_decimal_cents("1e3").is_err());
    }

    #[test]
    fn cost_and_effort_have_upper_bounds_and_zero_is_allowed() {
        let r = RawMeasure {
            cost_euros: Some("10000000,01".into()),
            effort_days: Some("10000,5".into()),
            ..raw("x")
        };
        assert_eq!(
            codes(&r.validate(&[]).unwrap_err()),
            [
                ("cost_euros".into(), "error-measure-cost-range".into()),
                ("effort_days".into(), "error-measure-effort-range".into()),
            ]
        );
        let zero = RawMeasure {
            cost_euros: Some("0".into()),
            effort_days: Some("0".into()),
            ..raw("x")
        };
        let m = zero.validate(&[]).unwrap();
        assert_eq!((m.cost_cents, m.effort_days), (Some(0), Some(0.0)));
    }

    #[test]
    fn json_numbers_are_accepted_for_cost_effort_and_owner() {
        let r: RawMeasure = serde_json::from_str(
            r#"{"title":"x","cost_euros":1500.5,"effort_days":3,"owner_user_id":4}"#,
        )
        .unwrap();
        let m = r.validate(&[UserId(4)]).unwrap();
        assert_eq!(
            (m.cost_cents, m.effort_days, m.owner),
            (Some(150_050), Some(3.0), Some(UserId(4)))
        );
    }

    #[test]
    fn a_note_needs_text() {
        assert!(validate_note("  \n ").is_err());
        assert_eq!(
            validate_note(" Angebot eingeholt \r\n").unwrap(),
            "Angebot eingeholt"
        );
    }
}
