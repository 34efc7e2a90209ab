//! The German names of object types, statuses and kinds of dependency, as the inventory file
//! format and the documents print them (the UI takes its words from the translations).

use super::{LinkType, ObjectStatus, ObjectType};

/// An object type in German, e.g. "Geschäftsprozess".
pub fn object_type(t: ObjectType) -> &'static str {
    match t {
        ObjectType::BusinessProcess => "Geschäftsprozess",
        ObjectType::Application => "Anwendung",
        ObjectType::Server => "Server",
        ObjectType::Client => "Client",
        ObjectType::NetworkComponent => "Netzkomponente",
        ObjectType::MobileDevice => "Mobilgerät",
        ObjectType::IcsIot => "ICS/IoT",
        ObjectType::Room => "Raum",
        ObjectType::Building => "Gebäude",
        ObjectType::CommunicationLink => "Kommunikationsverbindung",
        ObjectType::Network => "Netz",
    }
}

/// An object's status in German, e.g. "in Betrieb".
pub fn status(s: ObjectStatus) -> &'static str {
    match s {
        ObjectStatus::Planned => "geplant",
        ObjectStatus::Active => "in Betrieb",
        ObjectStatus::Retired => "außer Betrieb",
    }
}

/// A kind of dependency in German, e.g. "läuft auf".
pub fn link(t: LinkType) -> &'static str {
    match t {
        LinkType::RunsOn => "läuft auf",
        LinkType::LocatedIn => "steht in",
        LinkType::CommunicatesOver => "kommuniziert über",
        LinkType::ProcessesDataOf => "verarbeitet Daten von",
        LinkType::ProvidedBy => "bereitgestellt von",
    }
}
