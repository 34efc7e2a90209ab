//! Federation-wide settings the office changes in the UI: the letterhead printed on member
//! statements and whether members may see each other by name in comparisons.

use serde::{Deserialize, Serialize};

use crate::validation::ValidationErrors;

/// Settings of one federation. Missing values fall back to the office organisation's data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FederationSettings {
    /// The office as named on letters; default: the office organisation's name.
    pub letterhead_office_name: Option<String>,
    /// Postal address on letters (line breaks separate lines); default: the office
    /// organisation's address.
    pub letterhead_address: Option<String>,
    /// How to reach the office (phone, e-mail), printed on letters.
    pub letterhead_contact: Option<String>,
    /// Whether members see the other members by name in the federation comparison. Off by
    /// default: members see their own row and the anonymised federation average.
    pub named_comparison: bool,
}

fn text(e: &mut ValidationErrors, field: &str, v: Option<String>, max: usize) -> Option<String> {
    let v = v
        .map(|s| s.replace("\r\n", "\n").trim().to_owned())
        .filter(|s| !s.is_empty());
    if v.as_ref().is_some_and(|s| s.chars().count() > max) {
        e.add(field, "error-too-long");
    }
    v
}

impl FederationSettings {
    /// Trims the texts (empty becomes "not set") and checks their lengths: office name up
    /// to 200 characters, address and contact up to 500. Field errors name the field.
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let s = Self {
            letterhead_office_name: text(
                &mut e,
                "letterhead_office_name",
                self.letterhead_office_name,
                200,
            ),
            letterhead_address: text(&mut e, "letterhead_address", self.letterhead_address, 500),
            letterhead_contact: text(&mut e, "letterhead_contact", self.letterhead_contact, 500),
            named_comparison: self.named_comparison,
        };
        if e.0.is_empty() { Ok(s) } else { Err(e) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_texts_become_unset_and_long_ones_are_refused() {
        let s = FederationSettings {
            letterhead_office_name: Some("  ".into()),
            letterhead_contact: Some(" Tel. 06152 \r\n isb@kreisgg.example ".into()),
            ..Default::default()
        };
        let v = s.validated().expect("valid");
        assert_eq!(v.letterhead_office_name, None);
        assert_eq!(
            v.letterhead_contact.as_deref(),
            Some("Tel. 06152 \n isb@kreisgg.example")
        );
        let long = FederationSettings {
            letterhead_address: Some("x".repeat(501)),
            ..Default::default()
        };
        assert_eq!(
            long.validated().unwrap_err(),
            ValidationErrors::single("letterhead_address", "error-too-long")
        );
    }

    #[test]
    fn unknown_fields_are_refused_so_typos_do_not_pass_silently() {
        assert!(
            serde_json::from_str::<FederationSettings>(r#"{"named_comparision": true}"#).is_err()
        );
        let s: FederationSettings =
            serde_json::from_str(r#"{"named_comparison": true}"#).expect("parses");
        assert!(s.named_comparison);
    }
}
