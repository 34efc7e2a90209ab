//! A member's offline emergency handbook (Notfallhandbuch) for the crisis pact: the IT
//! emergency card (whom to call first, generated from the alarm chain and the partners'
//! contacts), first steps, the alarm chain, the pact partners with what they can lend, and the
//! member's business processes by protection need with what they depend on. Meant to be
//! printed and kept on paper: it must work when the member's own IT is down.

use serde::Serialize;
use verbund_domain::pact::{EquipmentType, ResourceKind, Skill};

use crate::ReportError;

/// The typst template.
const TEMPLATE: &str = include_str!("pact_handbook.typ");

/// A contact of an alarm chain, ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandbookContact {
    /// Position in the chain.
    pub position: String,
    /// Name.
    pub name: String,
    /// Function.
    pub function: String,
    /// Landline.
    pub phone: String,
    /// Mobile.
    pub mobile: String,
    /// E-mail.
    pub email: String,
}

/// A pact partner: its contacts and what it can lend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandbookPartner {
    /// The pact.
    pub pact: String,
    /// The partner.
    pub name: String,
    /// Its alarm chain.
    pub contacts: Vec<HandbookContact>,
    /// Rows: kind, name, what it offers, where / phone, available, last confirmed.
    pub resources: Vec<[String; 6]>,
}

/// A business process and what it depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandbookProcess {
    /// Short id and name.
    pub name: String,
    /// Availability need in words.
    pub availability: String,
    /// Highest need in words.
    pub highest: String,
    /// What it depends on, nearest first (`A-FIN Finanzanbindung`, a provider's objects
    /// with the provider's name).
    pub dependencies: Vec<String>,
}

/// Everything the handbook shows except its date: the content whose hash decides whether it
/// changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HandbookContent {
    /// The member.
    pub member: String,
    /// The member's alarm chain.
    pub contacts: Vec<HandbookContact>,
    /// The pacts' partners.
    pub partners: Vec<HandbookPartner>,
    /// The member's business processes, most needed first.
    pub processes: Vec<HandbookProcess>,
}

/// The handbook as printed.
#[derive(Debug, Clone)]
pub struct HandbookReport<'a> {
    /// The federation (top of the document).
    pub federation: String,
    /// When the content last changed, e.g. "02.12.2026 14:05".
    pub stand: String,
    /// A short content version (the first characters of the content hash).
    pub version: String,
    /// The content.
    pub content: &'a HandbookContent,
}

/// German name of a resource kind.
pub fn kind_de(k: ResourceKind) -> &'static str {
    match k {
        ResourceKind::Person => "Person",
        ResourceKind::RemoteSupport => "Fernunterstützung",
        ResourceKind::Equipment => "Geräte",
    }
}

/// German name of a skill.
pub fn skill_de(s: Skill) -> &'static str {
    match s {
        Skill::WindowsAd => "Windows/Active Directory",
        Skill::Network => "Netzwerk",
        Skill::Firewall => "Firewall",
        Skill::Forensics => "Forensik",
        Skill::CrisisCommunication => "Krisenkommunikation",
        Skill::Linux => "Linux",
        Skill::BackupRestore => "Datensicherung",
        Skill::ClientSupport => "Arbeitsplatzbetreuung",
    }
}

/// German name of an equipment type.
pub fn equipment_de(t: EquipmentType) -> &'static str {
    match t {
        EquipmentType::Workstation => "Arbeitsplatzrechner",
        EquipmentType::Notebook => "Notebook",
        EquipmentType::Phone => "Telefon",
        EquipmentType::Printer => "Drucker",
    }
}

#[derive(Serialize)]
struct Data<'a> {
    federation: &'a str,
    stand: &'a str,
    version: &'a str,
    #[serde(flatten)]
    content: &'a HandbookContent,
}

/// The handbook as a tagged PDF (German, PDF/UA-1), A4 portrait. User text reaches typst only
/// as string values, so typed markup prints as it is. Fails with [`ReportError::Render`] if
/// typst fails.
pub fn pact_handbook_pdf(r: &HandbookReport) -> Result<Vec<u8>, ReportError> {
    let data = Data {
        federation: &r.federation,
        stand: &r.stand,
        version: &r.version,
        content: r.content,
    };
    let json = serde_json::to_vec(&data).map_err(|e| ReportError::Render(e.to_string()))?;
    let day = r.stand.get(..10).unwrap_or("");
    crate::render::pdf_with_images(TEMPLATE, json, crate::format::date(day), &[])
}
