//! The crisis pact (Pakt für Cyberresilienz): members of a pact promise each other help in an IT
//! crisis. This module holds the pure rules: the codes of resources, skills, equipment,
//! severities and timeline entries, validated inputs, the [`matching`] of a help request to the
//! registered resources of the other members, and the [`blast`] radius of a provider outage
//! over the structure analysis' dependency links.

pub mod blast;
pub mod matching;
pub mod model;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::structure::code_enum;
use crate::validation::{
    ValidationErrors, optional_multiline, optional_text, parse_date, required_text,
};

code_enum!(
    /// What a member registers as lendable.
    ResourceKind, "error-pact-resource-kind", {
        /// A person with skills, availability and an on-call phone.
        Person = "person",
        /// Remote support a team can give (by skill).
        RemoteSupport = "remote_support",
        /// Loanable equipment: a count of one equipment type at a location.
        Equipment = "equipment",
    }
);

code_enum!(
    /// A skill a person or a remote-support offer brings.
    Skill, "error-pact-skill", {
        /// Windows clients and servers, Active Directory.
        WindowsAd = "windows_ad",
        /// Networks: switching, routing, VPN.
        Network = "network",
        /// Firewalls.
        Firewall = "firewall",
        /// Forensics and incident analysis.
        Forensics = "forensics",
        /// Crisis communication with press, citizens and staff.
        CrisisCommunication = "crisis_communication",
        /// Linux servers.
        Linux = "linux",
        /// Backup and restore.
        BackupRestore = "backup_restore",
        /// Setting up and supporting workplaces.
        ClientSupport = "client_support",
    }
);

code_enum!(
    /// A type of loanable equipment.
    EquipmentType, "error-pact-equipment-type", {
        /// A complete workplace computer.
        Workstation = "workstation",
        /// A notebook.
        Notebook = "notebook",
        /// A (mobile) phone.
        Phone = "phone",
        /// A printer.
        Printer = "printer",
    }
);

code_enum!(
    /// How serious a crisis is.
    Severity, "error-pact-severity", {
        /// Limited disturbance, the member copes alone for now.
        Low = "low",
        /// Important services are down.
        Medium = "medium",
        /// Many services down, help from partners needed.
        High = "high",
        /// The administration cannot work; all hands.
        Critical = "critical",
    }
);

code_enum!(
    /// Who may declare a crisis in a pact (besides the office).
    DeclareRule, "error-pact-declare-rule", {
        /// Coordinators of pact members.
        Coordinator = "coordinator",
        /// Coordinators and management of pact members.
        CoordinatorOrManagement = "coordinator_or_management",
    }
);

code_enum!(
    /// The kind of a timeline entry. Entries are never changed: a correction is a new entry
    /// that names the corrected one.
    EntryKind, "error-pact-entry-kind", {
        /// Something that happened or was done.
        Log = "log",
        /// A decision taken.
        Decision = "decision",
        /// Corrects an earlier entry.
        Correction = "correction",
        /// Written by Verbund for a step of the flow (declared, request, loan, closed).
        System = "system",
    }
);

code_enum!(
    /// What a help request needs.
    NeedKind, "error-pact-need-kind", {
        /// People with a skill (on site or remote).
        Skill = "skill",
        /// Equipment of a type.
        Equipment = "equipment",
    }
);

code_enum!(
    /// Where a loan (a resource asked for a request) stands.
    LoanStatus, "error-pact-loan-status", {
        /// Asked by the requesting member, waiting for the lender.
        Asked = "asked",
        /// The lender agreed.
        Accepted = "accepted",
        /// The lender declined.
        Declined = "declined",
    }
);

impl ResourceKind {
    /// Translation key of the name.
    pub fn label_key(self) -> String {
        format!("pact-kind-{}", self.code().replace('_', "-"))
    }
}
impl Skill {
    /// Translation key of the name.
    pub fn label_key(self) -> String {
        format!("pact-skill-{}", self.code().replace('_', "-"))
    }
}
impl EquipmentType {
    /// Translation key of the name.
    pub fn label_key(self) -> String {
        format!("pact-equipment-{}", self.code())
    }
}
impl Severity {
    /// Translation key of the name.
    pub fn label_key(self) -> String {
        format!("pact-severity-{}", self.code())
    }
}
impl EntryKind {
    /// Translation key of the name.
    pub fn label_key(self) -> String {
        format!("pact-entry-{}", self.code())
    }
}
impl LoanStatus {
    /// Translation key of the name.
    pub fn label_key(self) -> String {
        format!("pact-loan-{}", self.code())
    }
}
impl DeclareRule {
    /// Translation key of the name.
    pub fn label_key(self) -> String {
        format!("pact-rule-{}", self.code().replace('_', "-"))
    }
}

/// A point on earth in degrees (WGS 84), e.g. a town hall.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coordinates {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
}

impl Coordinates {
    /// Checked coordinates: out of range or not finite is `error-pact-coordinates`.
    pub fn new(lat: f64, lon: f64) -> Result<Self, &'static str> {
        if lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon)
        {
            Ok(Self { lat, lon })
        } else {
            Err("error-pact-coordinates")
        }
    }

    /// Straight-line (great-circle, haversine) distance in kilometres.
    pub fn distance_km(self, other: Coordinates) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6371.0;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

/// Parses optional coordinates from two form/JSON fields: both empty is `None`, one alone is
/// an error.
pub fn parse_coordinates(
    lat: Option<&str>,
    lon: Option<&str>,
) -> Result<Option<Coordinates>, &'static str> {
    let f = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| v.replace(',', "."))
    };
    match (f(lat), f(lon)) {
        (None, None) => Ok(None),
        (Some(a), Some(b)) => {
            let a: f64 = a.parse().map_err(|_| "error-pact-coordinates")?;
            let b: f64 = b.parse().map_err(|_| "error-pact-coordinates")?;
            Coordinates::new(a, b).map(Some)
        }
        _ => Err("error-pact-coordinates"),
    }
}

/// A day range, both ends included; `None` ends are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Window {
    /// First day.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub from: Option<time::Date>,
    /// Last day.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub until: Option<time::Date>,
}

impl Window {
    /// A window; `until` before `from` is `error-pact-window`.
    pub fn new(from: Option<time::Date>, until: Option<time::Date>) -> Result<Self, &'static str> {
        match (from, until) {
            (Some(f), Some(u)) if u < f => Err("error-pact-window"),
            _ => Ok(Self { from, until }),
        }
    }

    /// The days both windows share (`None`: they do not overlap). An open end stays open.
    pub fn overlap(self, other: Window) -> Option<Window> {
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let until = match (self.until, other.until) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match (from, until) {
            (Some(f), Some(u)) if u < f => None,
            _ => Some(Window { from, until }),
        }
    }

    /// Whether this window covers every day of `other`.
    pub fn covers(self, other: Window) -> bool {
        let from_ok = match (self.from, other.from) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a <= b,
        };
        let until_ok = match (self.until, other.until) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a >= b,
        };
        from_ok && until_ok
    }
}

fn opt_date(e: &mut ValidationErrors, field: &str, v: Option<&str>) -> Option<time::Date> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    e.check(field, parse_date(v))
}

fn opt_code<T>(
    e: &mut ValidationErrors,
    field: &str,
    v: Option<&str>,
    parse: fn(&str) -> Result<T, &'static str>,
) -> Option<T> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => {
            e.add(field, "error-required");
            None
        }
        Some(v) => e.check(field, parse(v)),
    }
}

/// A resource as typed (form or JSON), before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PactResourceIn))]
pub struct RawResource {
    /// `person`, `remote_support` or `equipment`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Name (a person's name, the offer's or the equipment's description).
    #[serde(default)]
    pub name: Option<String>,
    /// Skill codes (person, remote support), at least one there.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Equipment type code (equipment).
    #[serde(default)]
    pub equipment_type: Option<String>,
    /// How many (equipment; people and offers count 1).
    #[serde(default)]
    pub count: Option<i64>,
    /// Where it is.
    #[serde(default)]
    pub location: Option<String>,
    /// On-call phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Available from (`YYYY-MM-DD` or `TT.MM.JJJJ`; empty: always).
    #[serde(default)]
    pub available_from: Option<String>,
    /// Available until.
    #[serde(default)]
    pub available_until: Option<String>,
    /// Notes (availability hours, conditions).
    #[serde(default)]
    pub note: Option<String>,
}

/// A validated resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceInput {
    /// Kind.
    pub kind: ResourceKind,
    /// Name.
    pub name: String,
    /// Skills (person, remote support).
    pub skills: Vec<Skill>,
    /// Equipment type (equipment only).
    pub equipment_type: Option<EquipmentType>,
    /// Count (1 for people and offers).
    pub count: i64,
    /// Location.
    pub location: Option<String>,
    /// On-call phone.
    pub phone: Option<String>,
    /// When available.
    pub window: Window,
    /// Notes.
    pub note: Option<String>,
}

impl RawResource {
    /// Validates: a person or offer needs a skill, equipment a type and a count 1–10,000.
    pub fn validate(&self) -> Result<ResourceInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let kind = opt_code(&mut e, "kind", self.kind.as_deref(), ResourceKind::parse);
        let name = e.check(
            "name",
            required_text(self.name.as_deref().unwrap_or(""), 200),
        );
        let mut skills = Vec::new();
        for s in &self.skills {
            if s.trim().is_empty() {
                continue;
            }
            if let Some(s) = e.check("skills", Skill::parse(s))
                && !skills.contains(&s)
            {
                skills.push(s);
            }
        }
        skills.sort();
        let mut equipment_type = None;
        let mut count = 1;
        match kind {
            Some(ResourceKind::Equipment) => {
                equipment_type = opt_code(
                    &mut e,
                    "equipment_type",
                    self.equipment_type.as_deref(),
                    EquipmentType::parse,
                );
                count = self.count.unwrap_or(1);
                if !(1..=10_000).contains(&count) {
                    e.add("count", "error-pact-count");
                }
                skills.clear();
            }
            Some(_) if skills.is_empty() => e.add("skills", "error-pact-skill-required"),
            _ => {}
        }
        let location = e
            .check("location", optional_text(self.location.as_deref(), 200))
            .flatten();
        let phone = e
            .check("phone", optional_text(self.phone.as_deref(), 50))
            .flatten();
        let from = opt_date(&mut e, "available_from", self.available_from.as_deref());
        let until = opt_date(&mut e, "available_until", self.available_until.as_deref());
        let window = e
            .check("available_until", Window::new(from, until))
            .unwrap_or_default();
        let note = e
            .check("note", optional_multiline(self.note.as_deref(), 2000))
            .flatten();
        let (Some(kind), Some(name)) = (kind, name) else {
            return Err(e);
        };
        e.into_result(ResourceInput {
            kind,
            name,
            skills,
            equipment_type,
            count,
            location,
            phone,
            window,
            note,
        })
    }
}

/// A help request as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = PactRequestIn))]
pub struct RawRequest {
    /// `skill` or `equipment`.
    #[serde(default)]
    pub need_kind: Option<String>,
    /// A skill code or an equipment type code.
    #[serde(default)]
    pub need: Option<String>,
    /// How many people or devices (1–10,000).
    #[serde(default)]
    pub count: Option<i64>,
    /// From (`YYYY-MM-DD`).
    #[serde(default)]
    pub from: Option<String>,
    /// Until.
    #[serde(default)]
    pub until: Option<String>,
    /// Where (address, building).
    #[serde(default)]
    pub location: Option<String>,
    /// What exactly is needed.
    #[serde(default)]
    pub note: Option<String>,
}

/// What a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "code", rename_all = "snake_case")]
pub enum Need {
    /// People with a skill.
    Skill(Skill),
    /// Equipment of a type.
    Equipment(EquipmentType),
}

impl Need {
    /// `skill`/`equipment` and the code.
    pub fn codes(self) -> (&'static str, &'static str) {
        match self {
            Self::Skill(s) => ("skill", s.code()),
            Self::Equipment(t) => ("equipment", t.code()),
        }
    }

    /// From stored codes.
    pub fn parse(kind: &str, code: &str) -> Result<Self, &'static str> {
        match NeedKind::parse(kind)? {
            NeedKind::Skill => Skill::parse(code).map(Self::Skill),
            NeedKind::Equipment => EquipmentType::parse(code).map(Self::Equipment),
        }
    }

    /// Translation key of what is needed.
    pub fn label_key(self) -> String {
        match self {
            Self::Skill(s) => s.label_key(),
            Self::Equipment(t) => t.label_key(),
        }
    }
}

/// A validated help request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestInput {
    /// What.
    pub need: Need,
    /// How many.
    pub count: i64,
    /// When.
    pub window: Window,
    /// Where.
    pub location: Option<String>,
    /// Details.
    pub note: Option<String>,
}

impl RawRequest {
    /// Validates the request.
    pub fn validate(&self) -> Result<RequestInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let kind = opt_code(
            &mut e,
            "need_kind",
            self.need_kind.as_deref(),
            NeedKind::parse,
        );
        let need = match (
            kind,
            self.need
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty()),
        ) {
            (Some(_), None) => {
                e.add("need", "error-required");
                None
            }
            (Some(NeedKind::Skill), Some(c)) => e.check("need", Skill::parse(c)).map(Need::Skill),
            (Some(NeedKind::Equipment), Some(c)) => e
                .check("need", EquipmentType::parse(c))
                .map(Need::Equipment),
            (None, _) => None,
        };
        let count = self.count.unwrap_or(1);
        if !(1..=10_000).contains(&count) {
            e.add("count", "error-pact-count");
        }
        let from = opt_date(&mut e, "from", self.from.as_deref());
        let until = opt_date(&mut e, "until", self.until.as_deref());
        let window = e
            .check("until", Window::new(from, until))
            .unwrap_or_default();
        let location = e
            .check("location", optional_text(self.location.as_deref(), 200))
            .flatten();
        let note = e
            .check("note", optional_multiline(self.note.as_deref(), 2000))
            .flatten();
        let Some(need) = need else {
            return Err(e);
        };
        e.into_result(RequestInput {
            need,
            count,
            window,
            location,
            note,
        })
    }
}

/// Checks a webhook URL: empty is none; else `http://` or `https://` with a host, at most
/// 500 characters (`error-pact-webhook`).
pub fn webhook_url(v: Option<&str>) -> Result<Option<String>, &'static str> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let rest = v
        .strip_prefix("http://")
        .or_else(|| v.strip_prefix("https://"))
        .ok_or("error-pact-webhook")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || v.len() > 500 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("error-pact-webhook");
    }
    Ok(Some(v.to_owned()))
}

/// A pact's name, description, rule and webhook, validated.
pub fn pact_fields(
    name: Option<&str>,
    description: Option<&str>,
    rule: Option<&str>,
    webhook: Option<&str>,
) -> Result<(String, Option<String>, DeclareRule, Option<String>), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let name = e.check("name", required_text(name.unwrap_or(""), 200));
    let description = e
        .check("description", optional_multiline(description, 4000))
        .flatten();
    let rule = match rule.map(str::trim).filter(|v| !v.is_empty()) {
        None => Some(DeclareRule::Coordinator),
        Some(r) => e.check("declare_rule", DeclareRule::parse(r)),
    };
    let webhook = e.check("webhook_url", webhook_url(webhook)).flatten();
    match (name, rule) {
        (Some(n), Some(r)) => e.into_result((n, description, r, webhook)),
        _ => Err(e),
    }
}
