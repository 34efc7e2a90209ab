//! Risk analysis after BSI-Standard 200-3 for target objects with a high protection need:
//! frequency × impact → risk category through a 4×4 [`matrix::RiskMatrix`] the federation may
//! change, the four treatments, the acceptance rule (management approves, with an expiry date;
//! an expired acceptance has lapsed and the risk counts as untreated) and the elementary
//! threats with a suggestion by object type ([`threats`]).
//!
//! Codes are German like the measures' (`selten`, `sehr_haeufig`, `akzeptieren`).

pub mod library;
pub mod matrix;
pub mod model;
pub mod threats;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::structure::code_enum;
use crate::validation::{ValidationErrors, optional_multiline, parse_date};

pub use matrix::RiskMatrix;

code_enum!(
    /// How often a threat is expected to cause damage (Eintrittshäufigkeit).
    Frequency, "error-risk-frequency", {
        /// At most about once in five years.
        Rare = "selten",
        /// Between once in five years and once a year.
        Medium = "mittel",
        /// Between once a year and once a month.
        Frequent = "haeufig",
        /// Several times a month.
        VeryFrequent = "sehr_haeufig",
    }
);

code_enum!(
    /// How bad the damage would be (Schadensauswirkung).
    Impact, "error-risk-impact", {
        /// Small effects that can be ignored.
        Negligible = "vernachlaessigbar",
        /// Limited, manageable effects.
        Limited = "begrenzt",
        /// Considerable effects.
        Considerable = "betraechtlich",
        /// Effects that can threaten the authority's ability to work at all.
        Existential = "existenzbedrohend",
    }
);

code_enum!(
    /// The risk category a matrix cell gives.
    RiskCategory, "error-risk-category", {
        /// The safeguards in place suffice.
        Low = "gering",
        /// The safeguards in place may not suffice.
        Medium = "mittel",
        /// The safeguards in place do not suffice.
        High = "hoch",
        /// As hoch, and the risk is almost never acceptable.
        VeryHigh = "sehr_hoch",
    }
);

code_enum!(
    /// What is done about a risk (Risikobehandlung).
    Treatment, "error-risk-treatment", {
        /// Remove the cause (change or stop the process or system).
        Avoid = "vermeiden",
        /// Lower frequency or impact with measures.
        Reduce = "reduzieren",
        /// Shift the consequences to a third party (insurance, contract).
        Transfer = "uebertragen",
        /// Accept the (residual) risk, approved by management until an expiry date.
        Accept = "akzeptieren",
    }
);

/// Position of a code in its `ALL` list (the matrix index) and its translation key.
macro_rules! index_of {
    ($($t:ty => $prefix:literal),*) => {$(
        impl $t {
            /// Position in `ALL` (0 = lowest).
            pub fn index(self) -> usize {
                Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
            }

            /// Translation key of the value's name.
            pub fn label_key(self) -> String {
                format!("risk-{}-{}", $prefix, self.code().replace('_', "-"))
            }
        }
    )*};
}
index_of!(Frequency => "frequency", Impact => "impact", RiskCategory => "category", Treatment => "treatment");

/// One assessment: frequency and impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    /// How often.
    pub frequency: Frequency,
    /// How bad.
    pub impact: Impact,
}

/// Where an acceptance stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AcceptanceState {
    /// The treatment is not acceptance.
    None,
    /// Accepted, and the expiry date has not passed.
    Valid,
    /// Accepted, but the expiry date has passed: the risk counts as untreated.
    Lapsed,
}

/// The acceptance's state on `today`: valid up to and including `expires_on`, lapsed after.
/// An acceptance without a date (never stored so) counts as lapsed.
pub fn acceptance_state(
    treatment: Option<Treatment>,
    expires_on: Option<Date>,
    today: Date,
) -> AcceptanceState {
    match (treatment, expires_on) {
        (Some(Treatment::Accept), Some(d)) if d >= today => AcceptanceState::Valid,
        (Some(Treatment::Accept), _) => AcceptanceState::Lapsed,
        _ => AcceptanceState::None,
    }
}

/// Whether the risk still needs a decision: no treatment, or an acceptance that has lapsed.
pub fn is_untreated(treatment: Option<Treatment>, expires_on: Option<Date>, today: Date) -> bool {
    treatment.is_none() || acceptance_state(treatment, expires_on, today) == AcceptanceState::Lapsed
}

/// Checks an acceptance: the approver must hold the management role in the risk's member and
/// the expiry date must lie after `today`. Errors: `approver` `error-required` or
/// `error-risk-approver-not-management`; `expires_on` `error-required`, `error-date-format` or
/// `error-risk-expiry-past`.
pub fn check_acceptance(
    approver: Option<i64>,
    approver_is_management: bool,
    expires_on: Option<&str>,
    today: Date,
) -> Result<Date, ValidationErrors> {
    let mut e = ValidationErrors::default();
    match approver {
        None => e.add("approver", "error-required"),
        Some(_) if !approver_is_management => {
            e.add("approver", "error-risk-approver-not-management")
        }
        Some(_) => {}
    }
    let date = match expires_on.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.add("expires_on", "error-required");
            None
        }
        Some(s) => match parse_date(s) {
            Err(code) => {
                e.add("expires_on", code);
                None
            }
            Ok(d) if d <= today => {
                e.add("expires_on", "error-risk-expiry-past");
                None
            }
            Ok(d) => Some(d),
        },
    };
    match date {
        Some(d) if e.0.is_empty() => Ok(d),
        _ => Err(e),
    }
}

/// A risk as sent by a form or the API (codes as text, so every field reports its own error).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawRisk {
    /// Frequency before treatment (code).
    #[serde(default)]
    pub frequency: Option<String>,
    /// Impact before treatment (code).
    #[serde(default)]
    pub impact: Option<String>,
    /// Frequency after treatment (code), empty while not assessed.
    #[serde(default)]
    pub frequency_after: Option<String>,
    /// Impact after treatment (code), empty while not assessed.
    #[serde(default)]
    pub impact_after: Option<String>,
    /// Treatment (code), empty while undecided. `akzeptieren` is recorded through the
    /// acceptance, which names the approver and the expiry date.
    #[serde(default)]
    pub treatment: Option<String>,
    /// Why this rating and treatment (up to 4,000 characters).
    #[serde(default)]
    pub justification: Option<String>,
    /// The revision read (changes only; a risk changed meanwhile is refused).
    #[serde(default)]
    pub revision: Option<i64>,
}

/// A validated risk rating and treatment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskInput {
    /// Before treatment.
    pub before: Rating,
    /// After treatment, if assessed.
    pub after: Option<Rating>,
    /// The treatment, if decided.
    pub treatment: Option<Treatment>,
    /// Why.
    pub justification: Option<String>,
}

fn code<T>(
    e: &mut ValidationErrors,
    field: &str,
    v: Option<&str>,
    parse: fn(&str) -> Result<T, &'static str>,
) -> Option<T> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => e.check(field, parse(s)),
    }
}

impl RawRisk {
    /// Validates: frequency and impact before treatment are required; after treatment both or
    /// neither (`error-risk-after-incomplete`); a treatment other than acceptance needs the
    /// rating after treatment; acceptance itself goes through [`check_acceptance`].
    pub fn validate(&self, allow_accept: bool) -> Result<RiskInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let f = code(
            &mut e,
            "frequency",
            self.frequency.as_deref(),
            Frequency::parse,
        );
        let i = code(&mut e, "impact", self.impact.as_deref(), Impact::parse);
        if f.is_none() && !e.0.iter().any(|x| x.field == "frequency") {
            e.add("frequency", "error-required");
        }
        if i.is_none() && !e.0.iter().any(|x| x.field == "impact") {
            e.add("impact", "error-required");
        }
        let fa = code(
            &mut e,
            "frequency_after",
            self.frequency_after.as_deref(),
            Frequency::parse,
        );
        let ia = code(
            &mut e,
            "impact_after",
            self.impact_after.as_deref(),
            Impact::parse,
        );
        let after = match (fa, ia) {
            (Some(frequency), Some(impact)) => Some(Rating { frequency, impact }),
            (None, None) => None,
            (None, Some(_)) => {
                e.add("frequency_after", "error-risk-after-incomplete");
                None
            }
            (Some(_), None) => {
                e.add("impact_after", "error-risk-after-incomplete");
                None
            }
        };
        let treatment = code(
            &mut e,
            "treatment",
            self.treatment.as_deref(),
            Treatment::parse,
        );
        if treatment == Some(Treatment::Accept) && !allow_accept {
            e.add("treatment", "error-risk-accept-via-acceptance");
        }
        if matches!(treatment, Some(t) if t != Treatment::Accept)
            && after.is_none()
            && self
                .frequency_after
                .as_deref()
                .unwrap_or("")
                .trim()
                .is_empty()
            && self.impact_after.as_deref().unwrap_or("").trim().is_empty()
        {
            e.add("frequency_after", "error-risk-after-required");
        }
        let justification = e
            .check(
                "justification",
                optional_multiline(self.justification.as_deref(), 4000),
            )
            .flatten();
        match (f, i) {
            (Some(frequency), Some(impact)) if e.0.is_empty() => Ok(RiskInput {
                before: Rating { frequency, impact },
                after,
                treatment,
                justification,
            }),
            _ => Err(e),
        }
    }
}
