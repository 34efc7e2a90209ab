//! Federation-wide settings the office changes in the UI: the letterhead printed on member
//! statements and whether members may see each other by name in comparisons.

use serde::{Deserialize, Serialize};

use crate::costs::payment::{Iban, ReferencePattern, parse_bic};
use crate::validation::{ValidationErrors, optional_multiline, optional_text};

/// Settings of one federation. Missing values fall back to the office organisation's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Without named comparison: how many *other* members must have answered before a member
    /// sees the anonymised federation figures (average). With fewer, a member could work out
    /// another member's exact score from the average and the count. At least 2, default 3.
    #[cfg_attr(feature = "openapi", schema(minimum = 2))]
    pub anonymity_min_others: u32,
    /// IBAN of the account members pay into (checksum verified; stored without spaces).
    pub bank_iban: Option<String>,
    /// BIC of that account (8 or 11 characters).
    pub bank_bic: Option<String>,
    /// Name of the bank, e.g. "Kreissparkasse Groß-Gerau".
    pub bank_name: Option<String>,
    /// Account holder; default: the office's name on letters.
    pub bank_holder: Option<String>,
    /// Pattern of the payment reference (Kassenzeichen) per member and statement, with the
    /// placeholders `{year}`, `{ags}`, `{member}`, `{seq}`; default `{year}-{ags}`.
    pub payment_reference_pattern: Option<String>,
    /// Days from issuing to the due date proposed when a statement is issued (0–365,
    /// default 30).
    #[cfg_attr(feature = "openapi", schema(maximum = 365))]
    pub payment_days: u32,
    /// Who signs the letters for the office, e.g. "Dr. Maria Beispiel".
    pub signer_name: Option<String>,
    /// The signer's role, e.g. "Leiterin der Informationssicherheitsstelle".
    pub signer_role: Option<String>,
}

/// Default of [`FederationSettings::payment_days`].
pub const DEFAULT_PAYMENT_DAYS: u32 = 30;

/// Default of [`FederationSettings::anonymity_min_others`].
pub const DEFAULT_ANONYMITY_MIN_OTHERS: u32 = 3;

impl Default for FederationSettings {
    fn default() -> Self {
        Self {
            letterhead_office_name: None,
            letterhead_address: None,
            letterhead_contact: None,
            named_comparison: false,
            anonymity_min_others: DEFAULT_ANONYMITY_MIN_OTHERS,
            bank_iban: None,
            bank_bic: None,
            bank_name: None,
            bank_holder: None,
            payment_reference_pattern: None,
            payment_days: DEFAULT_PAYMENT_DAYS,
            signer_name: None,
            signer_role: None,
        }
    }
}

/// Whether a member may see anonymised federation figures of a topic (or overall):
/// `counted` members are in the figure, `own_counted` of them are the viewer's own; the rest
/// must be at least `min_others`. With one other member the average minus the own score
/// reveals that member's score exactly; with two it reveals their sum, and so on.
pub fn anonymous_figures_visible(counted: i64, own_counted: i64, min_others: u32) -> bool {
    counted.saturating_sub(own_counted) >= i64::from(min_others)
}

/// A letterhead text: trimmed, line ends `\n` (only `multiline` ones may have any), at most
/// `max` characters, no control or bidi characters (see [`optional_multiline`]).
fn text(
    e: &mut ValidationErrors,
    field: &str,
    v: Option<String>,
    max: usize,
    multiline: bool,
) -> Option<String> {
    let checked = if multiline {
        optional_multiline(v.as_deref(), max)
    } else {
        optional_text(v.as_deref(), max)
    };
    e.check(field, checked).flatten()
}

impl FederationSettings {
    /// Trims the texts (empty becomes "not set") and checks their lengths (office name up
    /// to 200 characters, address and contact up to 500: `error-too-long`) and characters
    /// (no control characters; line breaks only in address and contact:
    /// `error-text-characters`); the IBAN's checksum (`error-iban`, `error-iban-checksum`;
    /// BIC or bank without IBAN: `error-iban-missing`), the BIC (`error-bic`), the reference
    /// pattern's placeholders (`error-reference-placeholder`) and the payment days (at most
    /// 365: `error-payment-days`). Field errors name the field.
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let s = Self {
            letterhead_office_name: text(
                &mut e,
                "letterhead_office_name",
                self.letterhead_office_name,
                200,
                false,
            ),
            letterhead_address: text(
                &mut e,
                "letterhead_address",
                self.letterhead_address,
                500,
                true,
            ),
            letterhead_contact: text(
                &mut e,
                "letterhead_contact",
                self.letterhead_contact,
                500,
                true,
            ),
            named_comparison: self.named_comparison,
            anonymity_min_others: self.anonymity_min_others,
            bank_iban: text(&mut e, "bank_iban", self.bank_iban, 50, false),
            bank_bic: text(&mut e, "bank_bic", self.bank_bic, 20, false),
            bank_name: text(&mut e, "bank_name", self.bank_name, 200, false),
            bank_holder: text(&mut e, "bank_holder", self.bank_holder, 200, false),
            payment_reference_pattern: text(
                &mut e,
                "payment_reference_pattern",
                self.payment_reference_pattern,
                100,
                false,
            ),
            payment_days: self.payment_days,
            signer_name: text(&mut e, "signer_name", self.signer_name, 200, false),
            signer_role: text(&mut e, "signer_role", self.signer_role, 200, false),
        };
        let mut s = s;
        if !(2..=1000).contains(&s.anonymity_min_others) {
            e.add("anonymity_min_others", "error-anonymity-min");
        }
        if s.payment_days > 365 {
            e.add("payment_days", "error-payment-days");
        }
        if let Some(iban) = s.bank_iban.take() {
            s.bank_iban = e
                .check("bank_iban", Iban::parse(&iban))
                .map(|i| i.as_str().to_owned());
        }
        if let Some(bic) = s.bank_bic.take() {
            s.bank_bic = e.check("bank_bic", parse_bic(&bic));
        }
        if let Some(p) = &s.payment_reference_pattern {
            e.check("payment_reference_pattern", ReferencePattern::parse(p));
        }
        if s.bank_iban.is_none() && (s.bank_bic.is_some() || s.bank_name.is_some()) {
            e.add("bank_iban", "error-iban-missing");
        }
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
    fn letterhead_texts_refuse_control_characters_and_the_name_line_breaks() {
        let s = FederationSettings {
            letterhead_office_name: Some("ISB\nKreis".into()),
            letterhead_address: Some("Wilhelm-Seipp-Str. 4\r\n64521 Groß-Gerau".into()),
            letterhead_contact: Some("Tel.\u{0} 06152".into()),
            ..Default::default()
        };
        let mut expected =
            ValidationErrors::single("letterhead_office_name", "error-text-characters");
        expected.add("letterhead_contact", "error-text-characters");

        assert_eq!(s.validated().unwrap_err(), expected);
    }

    #[test]
    fn bank_details_are_normalised_and_a_wrong_iban_checksum_is_refused() {
        let s = FederationSettings {
            bank_iban: Some("de89 3704 0044 0532 0130 00".into()),
            bank_bic: Some("cobadeffxxx".into()),
            payment_reference_pattern: Some("VB-{ags}-{year}".into()),
            ..Default::default()
        };
        let v = s.validated().expect("valid");
        assert_eq!(v.bank_iban.as_deref(), Some("DE89370400440532013000"));
        assert_eq!(v.bank_bic.as_deref(), Some("COBADEFFXXX"));

        let bad = FederationSettings {
            bank_iban: Some("DE89 3704 0044 0532 0130 01".into()),
            payment_reference_pattern: Some("VB-{jahr}".into()),
            payment_days: 400,
            ..Default::default()
        };
        let mut expected = ValidationErrors::single("payment_days", "error-payment-days");
        expected.add("bank_iban", "error-iban-checksum");
        expected.add("payment_reference_pattern", "error-reference-placeholder");
        assert_eq!(bad.validated().unwrap_err(), expected);

        let no_iban = FederationSettings {
            bank_name: Some("Sparkasse".into()),
            ..Default::default()
        };
        assert_eq!(
            no_iban.validated().unwrap_err(),
            ValidationErrors::single("bank_iban", "error-iban-missing")
        );
    }

    #[test]
    fn anonymised_figures_need_enough_other_members() {
        // The viewer's own member and two others answered: with k = 3 the average would
        // reveal the sum of the two others' scores, so it stays hidden.
        assert!(!anonymous_figures_visible(3, 1, 3));
        assert!(anonymous_figures_visible(4, 1, 3));
        // A viewer whose member has not answered is not in the count.
        assert!(anonymous_figures_visible(3, 0, 3));
        // Two own members (a user in two towns) do not count as others.
        assert!(!anonymous_figures_visible(4, 2, 3));
        assert!(!anonymous_figures_visible(0, 0, 2));
    }

    #[test]
    fn the_anonymity_threshold_defaults_to_three_and_refuses_one() {
        let s: FederationSettings = serde_json::from_str("{}").expect("parses");
        assert_eq!(s.anonymity_min_others, 3);
        let one = FederationSettings {
            anonymity_min_others: 1,
            ..Default::default()
        };
        assert_eq!(
            one.validated().unwrap_err(),
            ValidationErrors::single("anonymity_min_others", "error-anonymity-min")
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
