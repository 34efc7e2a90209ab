//! What a treasurer (Kämmerei) needs to pay a statement: the office's bank account (IBAN with
//! its checksum, BIC), a due date, a payment reference (Kassenzeichen) per member built from
//! a pattern, the member's postal address and who signs for the office. Recorded in the
//! issued statement, so a letter printed later shows the terms of its day.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::OrgId;

/// An IBAN as printed on letters: upper case without spaces, checksum verified (ISO 13616,
/// mod 97 = 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iban(String);

impl Iban {
    /// Parses an IBAN as typed (spaces allowed, any case). Fails with `error-iban` if it is
    /// not two letters, two check digits and 11–30 letters or digits, and with
    /// `error-iban-checksum` if the check digits are wrong (a typo in the account).
    pub fn parse(text: &str) -> Result<Iban, &'static str> {
        let s: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let b = s.as_bytes();
        let shaped = (15..=34).contains(&b.len())
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..4].iter().all(u8::is_ascii_digit)
            && b[4..].iter().all(u8::is_ascii_alphanumeric);
        // German IBANs are always 22 characters: a wrong length is a typo, not a checksum issue.
        if !shaped || (s.starts_with("DE") && b.len() != 22) {
            return Err("error-iban");
        }
        // Move the first four characters to the end, letters become 10..35, then mod 97.
        let mut rem: u32 = 0;
        for c in s[4..].chars().chain(s[..4].chars()) {
            let v = c.to_digit(36).unwrap_or(0);
            rem = if v >= 10 {
                (rem * 100 + v) % 97
            } else {
                (rem * 10 + v) % 97
            };
        }
        if rem == 1 {
            Ok(Iban(s))
        } else {
            Err("error-iban-checksum")
        }
    }

    /// The IBAN without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// In groups of four as printed: `DE89 3704 0044 0532 0130 00`.
    pub fn grouped(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl TryFrom<String> for Iban {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Iban, &'static str> {
        Iban::parse(&s)
    }
}

impl From<Iban> for String {
    fn from(i: Iban) -> String {
        i.0
    }
}

/// A BIC as typed, upper case without spaces; 8 or 11 characters (bank, country, location,
/// optional branch). Fails with `error-bic`.
pub fn parse_bic(text: &str) -> Result<String, &'static str> {
    let s: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let b = s.as_bytes();
    let ok = (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b[6..].iter().all(u8::is_ascii_alphanumeric);
    if ok { Ok(s) } else { Err("error-bic") }
}

/// The longest payment reference: what German treasury software and SEPA's structured
/// fields hold comfortably (SEPA allows 140 characters of remittance text in all).
pub const MAX_REFERENCE: usize = 35;

/// A payment reference as typed or built: trimmed, 1–35 characters of letters, digits,
/// space, `-`, `/` and `.` (what every treasury system accepts). Fails with `error-required`
/// or `error-reference`.
pub fn check_reference(text: &str) -> Result<String, &'static str> {
    let t = text.trim();
    if t.is_empty() {
        return Err("error-required");
    }
    let ok = t.chars().count() <= MAX_REFERENCE
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '/' | '.'));
    if ok {
        Ok(t.to_owned())
    } else {
        Err("error-reference")
    }
}

/// The placeholders a reference pattern may use.
pub const PLACEHOLDERS: [&str; 4] = ["year", "ags", "member", "seq"];

/// The pattern used when the settings name none: year and AGS, e.g. `2026-06433009`.
pub const DEFAULT_PATTERN: &str = "{year}-{ags}";

/// A pattern for payment references, e.g. `VB-{ags}-{year}`. Placeholders:
/// `{year}` the statement's year, `{ags}` the member's AGS (its ID with `M` in front when it
/// has none, e.g. a Zweckverband), `{member}` the member's ID, `{seq}` the statement's
/// number within its year (1 for the first, 2 for a correction issued later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePattern(String);

/// What a pattern is filled with for one member.
#[derive(Debug, Clone, Copy)]
pub struct ReferenceValues<'a> {
    /// Statement year.
    pub year: i32,
    /// The member's AGS, if it has one.
    pub ags: Option<&'a str>,
    /// The member.
    pub member: OrgId,
    /// The statement's number within its year, from 1.
    pub seq: u32,
}

impl ReferencePattern {
    /// Parses a pattern: text with placeholders in braces. Fails with
    /// `error-reference-placeholder` for an unknown placeholder or an unclosed brace, and with
    /// `error-reference` if the fixed text has a character a reference may not hold.
    pub fn parse(text: &str) -> Result<ReferencePattern, &'static str> {
        let t = text.trim();
        let mut rest = t;
        while let Some(open) = rest.find('{') {
            check_fixed(&rest[..open])?;
            let after = &rest[open + 1..];
            let close = after.find('}').ok_or("error-reference-placeholder")?;
            if !PLACEHOLDERS.contains(&&after[..close]) {
                return Err("error-reference-placeholder");
            }
            rest = &after[close + 1..];
        }
        check_fixed(rest)?;
        if t.is_empty() {
            return Err("error-required");
        }
        Ok(ReferencePattern(t.to_owned()))
    }

    /// The pattern as typed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The reference for one member. The result may still be too long for
    /// [`check_reference`] (a long fixed text); callers check it.
    pub fn render(&self, v: ReferenceValues<'_>) -> String {
        let ags = v
            .ags
            .map_or_else(|| format!("M{}", v.member.0), str::to_owned);
        self.0
            .replace("{year}", &v.year.to_string())
            .replace("{ags}", &ags)
            .replace("{member}", &v.member.0.to_string())
            .replace("{seq}", &v.seq.to_string())
    }
}

fn check_fixed(text: &str) -> Result<(), &'static str> {
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '/' | '.'))
    {
        Ok(())
    } else if text.contains('}') {
        Err("error-reference-placeholder")
    } else {
        Err("error-reference")
    }
}

/// The office's bank account printed on the letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccount {
    /// Account holder (the office, or the Kreis treasury it pays into).
    pub holder: String,
    /// IBAN.
    pub iban: Iban,
    /// BIC, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
    /// Name of the bank, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
}

/// Who signs the letters for the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// Name, e.g. "Dr. Maria Beispiel".
    pub name: String,
    /// Role, e.g. "Leiterin der Informationssicherheitsstelle".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// One member's payment details in a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPayment {
    /// The member.
    pub member: OrgId,
    /// Its payment reference (Kassenzeichen).
    pub reference: String,
    /// Its postal address as recorded at issue (line breaks separate lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The payment terms of an issued statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentTerms {
    /// The day the amounts are due.
    pub due_on: Date,
    /// Where to pay; `None` if the settings named no account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<BankAccount>,
    /// Who signs for the office; `None` if the settings named nobody.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer: Option<Signer>,
    /// Per member, in bill order.
    pub members: Vec<MemberPayment>,
}

impl PaymentTerms {
    /// `member`'s details.
    pub fn member(&self, member: OrgId) -> Option<&MemberPayment> {
        self.members.iter().find(|m| m.member == member)
    }

    /// The members whose reference another member also has: references identify a payment,
    /// so each must be unique within a statement. Empty when all are unique.
    pub fn duplicate_references(&self) -> Vec<OrgId> {
        let mut seen = BTreeSet::new();
        let dup: BTreeSet<&str> = self
            .members
            .iter()
            .filter(|m| !seen.insert(m.reference.as_str()))
            .map(|m| m.reference.as_str())
            .collect();
        self.members
            .iter()
            .filter(|m| dup.contains(m.reference.as_str()))
            .map(|m| m.member)
            .collect()
    }
}

/// A due date as typed: `31.03.2027` (German) or `2027-03-31` (ISO). Fails with
/// `error-date-format`.
pub fn parse_due_date(text: &str) -> Result<Date, &'static str> {
    let t = text.trim();
    let german = time::macros::format_description!("[day].[month].[year]");
    Date::parse(t, german).or_else(|_| crate::validation::parse_date(t))
}

/// A date as printed on letters and forms: `31.03.2027`.
pub fn format_german_date(d: Date) -> String {
    let fmt = time::macros::format_description!("[day].[month].[year]");
    d.format(fmt).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_textbook_iban_passes_and_a_single_typo_is_caught() {
        // The example IBAN of the German banking association.
        let iban = Iban::parse("de89 3704 0044 0532 0130 00").expect("valid");
        assert_eq!(iban.as_str(), "DE89370400440532013000");
        assert_eq!(iban.grouped(), "DE89 3704 0044 0532 0130 00");
        // One digit changed: 1 → 2 in the account number.
        assert_eq!(
            Iban::parse("DE89 3704 0044 0532 0230 00"),
            Err("error-iban-checksum")
        );
        // Two digits swapped.
        assert_eq!(
            Iban::parse("DE98 3704 0044 0532 0130 00"),
            Err("error-iban-checksum")
        );
    }

    #[test]
    fn malformed_ibans_are_refused_before_the_checksum() {
        assert_eq!(Iban::parse(""), Err("error-iban"));
        assert_eq!(Iban::parse("DE89 3704 0044 0532 0130"), Err("error-iban"));
        assert_eq!(
            Iban::parse("1289 3704 0044 0532 0130 00"),
            Err("error-iban")
        );
        assert_eq!(
            Iban::parse("DE89-3704-0044-0532-0130-00"),
            Err("error-iban")
        );
        // Other countries have other lengths: a valid Austrian IBAN (20 characters).
        assert!(Iban::parse("AT61 1904 3002 3457 3201").is_ok());
    }

    #[test]
    fn an_iban_round_trips_through_json_and_a_bad_one_does_not_load() {
        let iban = Iban::parse("DE89370400440532013000").expect("valid");
        let json = serde_json::to_string(&iban).expect("serialises");
        assert_eq!(json, "\"DE89370400440532013000\"");
        assert_eq!(serde_json::from_str::<Iban>(&json).expect("loads"), iban);
        assert!(serde_json::from_str::<Iban>("\"DE00370400440532013000\"").is_err());
    }

    #[test]
    fn bics_have_eight_or_eleven_characters() {
        assert_eq!(parse_bic("cobadeffxxx"), Ok("COBADEFFXXX".into()));
        assert_eq!(parse_bic("HELA DE FF"), Ok("HELADEFF".into()));
        assert_eq!(parse_bic("HELADEF"), Err("error-bic"));
        assert_eq!(parse_bic("1ELADEFF"), Err("error-bic"));
    }

    #[test]
    fn a_pattern_fills_year_ags_member_and_sequence() {
        let p = ReferencePattern::parse(" VB-{ags}-{year}/{seq} ").expect("valid");
        let v = ReferenceValues {
            year: 2026,
            ags: Some("06433009"),
            member: OrgId(7),
            seq: 1,
        };
        assert_eq!(p.render(v), "VB-06433009-2026/1");
        // Without an AGS (a Zweckverband) the member's ID stands in.
        let p = ReferencePattern::parse("{ags}.{member}").expect("valid");
        assert_eq!(p.render(ReferenceValues { ags: None, ..v }), "M7.7");
        assert_eq!(
            ReferencePattern::parse(DEFAULT_PATTERN)
                .expect("valid")
                .render(v),
            "2026-06433009"
        );
    }

    #[test]
    fn a_pattern_refuses_unknown_placeholders_and_odd_characters() {
        assert_eq!(
            ReferencePattern::parse("VB-{jahr}"),
            Err("error-reference-placeholder")
        );
        assert_eq!(
            ReferencePattern::parse("VB-{year"),
            Err("error-reference-placeholder")
        );
        assert_eq!(
            ReferencePattern::parse("VB}-{year}"),
            Err("error-reference-placeholder")
        );
        assert_eq!(ReferencePattern::parse("VB#{year}"), Err("error-reference"));
        assert_eq!(ReferencePattern::parse("  "), Err("error-required"));
    }

    #[test]
    fn references_are_short_and_plain() {
        assert_eq!(check_reference(" 5.0100.2026 "), Ok("5.0100.2026".into()));
        assert_eq!(check_reference(""), Err("error-required"));
        assert_eq!(
            check_reference("Zahlung für Nauheim"),
            Err("error-reference")
        );
        assert_eq!(check_reference(&"1".repeat(36)), Err("error-reference"));
        assert_eq!(check_reference(&"1".repeat(35)), Ok("1".repeat(35)));
    }

    #[test]
    fn duplicate_references_name_every_member_sharing_one() {
        let m = |id, r: &str| MemberPayment {
            member: OrgId(id),
            reference: r.into(),
            address: None,
        };
        let terms = PaymentTerms {
            due_on: time::macros::date!(2026 - 03 - 31),
            account: None,
            signer: None,
            members: vec![m(1, "A"), m(2, "B"), m(3, "A")],
        };
        assert_eq!(terms.duplicate_references(), vec![OrgId(1), OrgId(3)]);
    }

    #[test]
    fn due_dates_are_read_german_or_iso_and_printed_german() {
        let d = time::macros::date!(2027 - 03 - 31);
        assert_eq!(parse_due_date("31.03.2027"), Ok(d));
        assert_eq!(parse_due_date("2027-03-31"), Ok(d));
        assert_eq!(parse_due_date("31.02.2027"), Err("error-date-format"));
        assert_eq!(format_german_date(d), "31.03.2027");
    }
}
