//! Structure analysis and protection needs after BSI-Standard 200-2 (Strukturanalyse,
//! Schutzbedarfsfeststellung): target objects, typed dependency links between them, the three
//! basic values with their categories, and the inheritance of protection needs by the maximum
//! principle ([`inherit`]).
//!
//! The graph is shared with later features: the IT-Grundschutz check keys rows by object, and
//! the crisis pact walks the same links to find the blast radius of a provider outage.

pub mod check;
pub mod inherit;
mod input;
pub mod model;
pub mod modelling;
pub mod names_de;
pub mod needs;
mod path;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use input::{LinkInput, ObjectInput, ObjectStatus, RawObject, ShortId};
pub use path::{PathStep, path_of};

use serde::{Deserialize, Serialize};

/// Generates a closed code enum: `ALL`, `code()` and `parse()` (unknown codes fail with `$err`).
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $err:literal, { $($(#[$vdoc:meta])* $variant:ident = $code:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Stable code for database, forms, files and the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// Parses a code (trimmed, case-insensitive).
            pub fn parse(code: &str) -> Result<Self, &'static str> {
                let c = code.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code().eq_ignore_ascii_case(c))
                    .ok_or($err)
            }
        }

        // JSON carries the code, as forms, files and the database do: the API reads and
        // writes one spelling. Reading also takes the variant's English snake-case name,
        // which JSON of earlier versions (stored settings, backups) may hold.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Self::ALL
                    .iter()
                    .copied()
                    .zip([$(stringify!($variant)),*])
                    .find(|(v, name)| v.code() == s || $crate::structure::snake_case_eq(name, &s))
                    .map(|(v, _)| v)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&s, &[$($code),*]))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),*]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use code_enum;

/// Whether `snake` is the snake-case spelling of the CamelCase `camel` (`InProgress` →
/// `in_progress`): the names serde derived before codes were written to JSON.
pub(crate) fn snake_case_eq(camel: &str, snake: &str) -> bool {
    let mut expected = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            expected.push('_');
        }
        expected.push(c.to_ascii_lowercase());
    }
    expected == snake
}

code_enum!(
    /// The kind of a target object. IT systems come in five subtypes, as BSI 200-2 groups them.
    ObjectType, "error-object-type", {
        /// A business process (Geschäftsprozess), e.g. Meldewesen.
        BusinessProcess = "business_process",
        /// An application (Anwendung), e.g. the registration software.
        Application = "application",
        /// IT system: server.
        Server = "server",
        /// IT system: client (workplace PC, thin client).
        Client = "client",
        /// IT system: network component (switch, router, firewall).
        NetworkComponent = "network_component",
        /// IT system: mobile device (smartphone, tablet, laptop on the road).
        MobileDevice = "mobile_device",
        /// IT system: industrial control or IoT device.
        IcsIot = "ics_iot",
        /// A room (server room, office, archive).
        Room = "room",
        /// A building.
        Building = "building",
        /// A communication link (e.g. a WAN line to the provider).
        CommunicationLink = "communication_link",
        /// A network (segment, VLAN, the administration network).
        Network = "network",
    }
);

impl ObjectType {
    /// Whether the type is one of the IT-system subtypes (these carry product data).
    pub fn is_it_system(self) -> bool {
        matches!(
            self,
            Self::Server
                | Self::Client
                | Self::NetworkComponent
                | Self::MobileDevice
                | Self::IcsIot
        )
    }

    /// Translation key of the type's name.
    pub fn label_key(self) -> String {
        format!("structure-type-{}", self.code().replace('_', "-"))
    }
}

code_enum!(
    /// A basic value of information security (Grundwert).
    Goal, "error-goal", {
        /// Confidentiality (Vertraulichkeit).
        Confidentiality = "confidentiality",
        /// Integrity (Integrität).
        Integrity = "integrity",
        /// Availability (Verfügbarkeit).
        Availability = "availability",
    }
);

impl Goal {
    /// Position in a per-goal array `[C, I, A]`.
    pub fn index(self) -> usize {
        match self {
            Self::Confidentiality => 0,
            Self::Integrity => 1,
            Self::Availability => 2,
        }
    }

    /// The three goals in `[C, I, A]` order.
    pub const EACH: [Goal; 3] = [Self::Confidentiality, Self::Integrity, Self::Availability];
}

code_enum!(
    /// A protection-need category (Schutzbedarfskategorie). Ordered: normal < high < very high,
    /// so the maximum principle is `max`.
    Category, "error-need-category", {
        /// normal: damage limited and manageable.
        Normal = "normal",
        /// hoch: damage can be considerable.
        High = "high",
        /// sehr hoch: damage can threaten the existence of the institution.
        VeryHigh = "very_high",
    }
);

impl Category {
    /// Translation key of the category's name.
    pub fn label_key(self) -> String {
        format!("structure-category-{}", self.code().replace('_', "-"))
    }
}

code_enum!(
    /// The type of a dependency link `from → to`, read as "from … to":
    /// the application *runs on* the server.
    LinkType, "error-link-type", {
        /// `from` runs on `to` (application on server, server on virtualisation host).
        RunsOn = "runs_on",
        /// `from` is located in `to` (server in room, room in building).
        LocatedIn = "located_in",
        /// `from` communicates over `to` (server over network, network over a line).
        CommunicatesOver = "communicates_over",
        /// `from` processes data of `to` (application processes the data of a process).
        ProcessesDataOf = "processes_data_of",
        /// `from` is provided by `to` (a local object provided by a provider's object).
        ProvidedBy = "provided_by",
    }
);

impl LinkType {
    /// Translation key of the link type's name.
    pub fn label_key(self) -> String {
        format!("structure-link-{}", self.code().replace('_', "-"))
    }
}

code_enum!(
    /// Why an effective need deviates from the calculated one.
    Deviation, "error-deviation", {
        /// Kumulationseffekt: many objects together raise the need above each single one.
        Cumulation = "cumulation",
        /// Verteilungseffekt: the object carries only part of what depends on it (redundancy,
        /// pseudonymised data), so its need is lower.
        Distribution = "distribution",
        /// Another reason to raise the need (e.g. a legal duty specific to this object).
        Other = "other",
    }
);

code_enum!(
    /// Whether and which way a link type passes protection needs on.
    Direction, "error-direction", {
        /// The link documents a relation but passes no need.
        None = "none",
        /// The need flows from `from` to `to` (the application's need reaches its server).
        Forward = "forward",
        /// The need flows from `to` to `from` (the process's need reaches the application that
        /// processes its data).
        Backward = "backward",
    }
);

/// Which link types pass needs on, and in which direction: configuration per federation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PropagationConfig {
    /// Direction for `runs_on`.
    pub runs_on: Direction,
    /// Direction for `located_in`.
    pub located_in: Direction,
    /// Direction for `communicates_over`.
    pub communicates_over: Direction,
    /// Direction for `processes_data_of`.
    pub processes_data_of: Direction,
    /// Direction for `provided_by`.
    pub provided_by: Direction,
}

impl Default for PropagationConfig {
    /// The reading of BSI 200-2: everything an object depends on inherits its need; a process's
    /// need reaches the applications that process its data.
    fn default() -> Self {
        Self {
            runs_on: Direction::Forward,
            located_in: Direction::Forward,
            communicates_over: Direction::Forward,
            processes_data_of: Direction::Backward,
            provided_by: Direction::Forward,
        }
    }
}

impl PropagationConfig {
    /// The direction configured for `t`.
    pub fn direction(&self, t: LinkType) -> Direction {
        match t {
            LinkType::RunsOn => self.runs_on,
            LinkType::LocatedIn => self.located_in,
            LinkType::CommunicatesOver => self.communicates_over,
            LinkType::ProcessesDataOf => self.processes_data_of,
            LinkType::ProvidedBy => self.provided_by,
        }
    }

    /// Sets the direction of `t`.
    pub fn set(&mut self, t: LinkType, d: Direction) {
        let slot = match t {
            LinkType::RunsOn => &mut self.runs_on,
            LinkType::LocatedIn => &mut self.located_in,
            LinkType::CommunicatesOver => &mut self.communicates_over,
            LinkType::ProcessesDataOf => &mut self.processes_data_of,
            LinkType::ProvidedBy => &mut self.provided_by,
        };
        *slot = d;
    }

    /// For a link `from → to` of type `t`: the (source, target) of the need's flow, if any.
    pub fn flow<T: Copy>(&self, t: LinkType, from: T, to: T) -> Option<(T, T)> {
        match self.direction(t) {
            Direction::None => None,
            Direction::Forward => Some((from, to)),
            Direction::Backward => Some((to, from)),
        }
    }
}

/// One value per basic value, in `[C, I, A]` order.
pub type PerGoal<T> = [T; 3];
