//! Organisations (the office and member authorities) and their memberships.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::validation::{
    ValidationErrors, optional_multiline, optional_text, parse_date, required_text,
};
use crate::{FederationId, MembershipId, OrgId};

/// Amtlicher Gemeindeschlüssel: 8 digits, the first two a Land code 01–16.
///
/// A Kreis has the form `LLRKK000` (e.g. `06433000` for Kreis Groß-Gerau).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ags(String);

impl Ags {
    /// Parses an AGS; fails with `error-ags-format` (not 8 digits) or `error-ags-land`
    /// (the Land code is not 01–16).
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        let v = value.trim();
        if v.len() != 8 || !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err("error-ags-format");
        }
        let land: u8 = v[..2].parse().map_err(|_| "error-ags-format")?;
        if !(1..=16).contains(&land) {
            return Err("error-ags-land");
        }
        Ok(Self(v.to_owned()))
    }

    /// The 8 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Ags {
    type Error = &'static str;
    fn try_from(v: String) -> Result<Self, Self::Error> {
        Self::parse(&v)
    }
}

impl From<Ags> for String {
    fn from(a: Ags) -> Self {
        a.0
    }
}

/// What kind of authority an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OrgKind {
    /// The shared security office (Informationssicherheitsstelle) itself.
    Office,
    /// A Landkreis.
    Kreis,
    /// A town (Stadt).
    Stadt,
    /// A municipality (Gemeinde).
    Gemeinde,
    /// A special-purpose association of municipalities.
    Zweckverband,
    /// An IT provider (e.g. the state IT provider): not a member and not billed; owned by the
    /// office; its target objects are shared by the members that rely on them.
    Provider,
}

impl OrgKind {
    /// All kinds, in display order.
    pub const ALL: [OrgKind; 6] = [
        Self::Office,
        Self::Kreis,
        Self::Stadt,
        Self::Gemeinde,
        Self::Zweckverband,
        Self::Provider,
    ];

    /// Stable code used in the database, forms and the API.
    pub fn code(self) -> &'static str {
        match self {
            Self::Office => "office",
            Self::Kreis => "kreis",
            Self::Stadt => "stadt",
            Self::Gemeinde => "gemeinde",
            Self::Zweckverband => "zweckverband",
            Self::Provider => "provider",
        }
    }

    /// Parses a code; unknown codes fail with `error-kind`.
    pub fn parse(code: &str) -> Result<Self, &'static str> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or("error-kind")
    }
}

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    /// Its ID.
    pub id: OrgId,
    /// The federation it belongs to.
    pub federation_id: FederationId,
    /// Display name, e.g. "Stadt Raunheim".
    pub name: String,
    /// What it is.
    pub kind: OrgKind,
    /// Official municipality key; none for the office or a Zweckverband.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "06433009"))]
    pub ags: Option<Ags>,
    /// Inhabitants.
    pub population: Option<i64>,
    /// Staff (head count).
    pub staff: Option<i64>,
    /// IT workplaces.
    pub it_workplaces: Option<i64>,
    /// Postal address (free text, several lines).
    pub address: Option<String>,
    /// Optimistic-locking version, incremented on each change.
    pub version: i64,
    /// When population, staff or IT workplaces last changed (Unix milliseconds); `None` if
    /// never since they were first entered.
    pub figures_changed_at_ms: Option<i64>,
}

/// Validated input to create or change an organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgInput {
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// AGS, optional.
    pub ags: Option<Ags>,
    /// Inhabitants, ≥ 0.
    pub population: Option<i64>,
    /// Staff, ≥ 0.
    pub staff: Option<i64>,
    /// IT workplaces, ≥ 0.
    pub it_workplaces: Option<i64>,
    /// Address.
    pub address: Option<String>,
}

/// Raw, unvalidated organisation fields as they come from a form or JSON body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgDraft {
    /// Name.
    pub name: String,
    /// Kind code (`kreis`, `stadt`, …).
    pub kind: String,
    /// AGS, may be empty.
    #[serde(default)]
    pub ags: Option<String>,
    /// Inhabitants.
    #[serde(default)]
    pub population: Option<i64>,
    /// Staff.
    #[serde(default)]
    pub staff: Option<i64>,
    /// IT workplaces.
    #[serde(default)]
    pub it_workplaces: Option<i64>,
    /// Address.
    #[serde(default)]
    pub address: Option<String>,
}

/// A key figure: none, or a whole number from 0 to 100 million.
pub(crate) fn key_figure(v: Option<i64>) -> Result<Option<i64>, &'static str> {
    match v {
        Some(n) if n < 0 => Err("error-negative"),
        Some(n) if n > 100_000_000 => Err("error-too-large-number"),
        other => Ok(other),
    }
}

impl OrgDraft {
    /// Validates every field, collecting all errors at once.
    pub fn validate(&self) -> Result<OrgInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = e.check("name", required_text(&self.name, 200));
        let kind = e.check("kind", OrgKind::parse(self.kind.trim()));
        let ags = match self.ags.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(None),
            Some(a) => e.check("ags", Ags::parse(a)).map(Some),
        };
        let population = e.check("population", key_figure(self.population));
        let staff = e.check("staff", key_figure(self.staff));
        let it_workplaces = e.check("it_workplaces", key_figure(self.it_workplaces));
        let address = e.check("address", optional_multiline(self.address.as_deref(), 500));
        match (name, kind, ags, population, staff, it_workplaces, address) {
            (
                Some(name),
                Some(kind),
                Some(ags),
                Some(population),
                Some(staff),
                Some(it_workplaces),
                Some(address),
            ) if e.0.is_empty() => Ok(OrgInput {
                name,
                kind,
                ags,
                population,
                staff,
                it_workplaces,
                address,
            }),
            _ => Err(e),
        }
    }
}

/// One period during which an organisation is a member of the federation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    /// Its ID.
    pub id: MembershipId,
    /// The member.
    pub org_id: OrgId,
    /// First day of membership.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub starts_on: Date,
    /// Last day of membership; open-ended when `None`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub ends_on: Option<Date>,
    /// Free-text note (e.g. the council decision).
    pub note: Option<String>,
}

impl Membership {
    /// Whether the organisation is a member on `day`.
    pub fn active_on(&self, day: Date) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|end| day <= end)
    }
}

/// Validated membership period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MembershipInput {
    /// First day.
    pub starts_on: Date,
    /// Last day, optional.
    pub ends_on: Option<Date>,
    /// Note.
    pub note: Option<String>,
}

/// Raw membership fields from a form or JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipDraft {
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD` or empty.
    #[serde(default)]
    pub ends_on: Option<String>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
}

impl MembershipDraft {
    /// Validates dates (end not before start) and the note.
    pub fn validate(&self) -> Result<MembershipInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let starts_on = e.check("starts_on", parse_date(&self.starts_on));
        let ends_on = match self
            .ends_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(None),
            Some(d) => e.check("ends_on", parse_date(d)).map(Some),
        };
        let note = e.check("note", optional_text(self.note.as_deref(), 500));
        if let (Some(s), Some(Some(end))) = (starts_on, ends_on)
            && end < s
        {
            e.add("ends_on", "error-end-before-start");
        }
        match (starts_on, ends_on, note) {
            (Some(starts_on), Some(ends_on), Some(note)) if e.0.is_empty() => Ok(MembershipInput {
                starts_on,
                ends_on,
                note,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ags_accepts_eight_digits_with_valid_land() {
        assert_eq!(
            Ags::parse("06433006").map(|a| a.as_str().to_owned()),
            Ok("06433006".into())
        );
        assert_eq!(Ags::parse(" 16077001 ").map(|a| a.0), Ok("16077001".into()));
    }

    #[test]
    fn ags_rejects_wrong_length_letters_and_land() {
        assert_eq!(Ags::parse("0643300"), Err("error-ags-format"));
        assert_eq!(Ags::parse("064330060"), Err("error-ags-format"));
        assert_eq!(Ags::parse("06A33006"), Err("error-ags-format"));
        assert_eq!(Ags::parse("17000000"), Err("error-ags-land"));
        assert_eq!(Ags::parse("00433006"), Err("error-ags-land"));
        assert_eq!(Ags::parse("٠٦٤٣٣٠٠٦"), Err("error-ags-format"));
    }

    fn draft() -> OrgDraft {
        OrgDraft {
            name: "Nauheim".into(),
            kind: "gemeinde".into(),
            ags: Some("06433009".into()),
            population: Some(10840),
            ..Default::default()
        }
    }

    #[test]
    fn org_draft_validates_to_input() {
        let input = draft().validate().unwrap();
        assert_eq!(input.kind, OrgKind::Gemeinde);
        assert_eq!(input.ags.unwrap().as_str(), "06433009");
    }

    #[test]
    fn org_draft_collects_every_error() {
        let d = OrgDraft {
            name: " ".into(),
            kind: "dorf".into(),
            ags: Some("123".into()),
            population: Some(-1),
            staff: Some(-5),
            ..Default::default()
        };
        let fields: Vec<_> = d
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("name".into(), "error-required".into()),
                ("kind".into(), "error-kind".into()),
                ("ags".into(), "error-ags-format".into()),
                ("population".into(), "error-negative".into()),
                ("staff".into(), "error-negative".into()),
            ]
        );
    }

    #[test]
    fn empty_ags_means_none() {
        let d = OrgDraft {
            ags: Some("  ".into()),
            ..draft()
        };
        assert_eq!(d.validate().unwrap().ags, None);
    }

    #[test]
    fn membership_end_must_not_precede_start() {
        let d = MembershipDraft {
            starts_on: "2026-07-01".into(),
            ends_on: Some("2026-06-30".into()),
            note: None,
        };
        assert_eq!(
            d.validate().unwrap_err(),
            ValidationErrors::single("ends_on", "error-end-before-start")
        );
        let ok = MembershipDraft {
            ends_on: Some("2026-07-01".into()),
            ..d
        }
        .validate()
        .unwrap();
        assert_eq!(ok.starts_on, ok.ends_on.unwrap());
    }

    #[test]
    fn membership_is_active_inclusive_of_both_ends() {
        let d = |s: &str| crate::validation::parse_date(s).unwrap();
        let m = Membership {
            id: MembershipId(1),
            org_id: OrgId(1),
            starts_on: d("2026-07-01"),
            ends_on: Some(d("2026-12-31")),
            note: None,
        };
        assert!(!m.active_on(d("2026-06-30")));
        assert!(m.active_on(d("2026-07-01")));
        assert!(m.active_on(d("2026-12-31")));
        assert!(!m.active_on(d("2027-01-01")));
    }
}
