//! Validated input for target objects and links.

use serde::{Deserialize, Serialize};

use super::{LinkType, ObjectType, code_enum};
use crate::validation::{ValidationErrors, optional_multiline, optional_text, required_text};

/// The short id of a target object within its organisation, e.g. `A012` or `S-03`: 1–20
/// characters, letters, digits, `-`, `_` and `.`, starting with a letter or digit; stored as
/// upper case so `a012` and `A012` are the same object.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ShortId(String);

impl ShortId {
    /// Parses a short id; fails with `error-required` or `error-short-id`.
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        let v = value.trim();
        if v.is_empty() {
            return Err("error-required");
        }
        let ok = v.len() <= 20
            && v.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if ok {
            Ok(Self(v.to_ascii_uppercase()))
        } else {
            Err("error-short-id")
        }
    }

    /// The id as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ShortId {
    type Error = &'static str;
    fn try_from(v: String) -> Result<Self, Self::Error> {
        Self::parse(&v)
    }
}

impl From<ShortId> for String {
    fn from(s: ShortId) -> Self {
        s.0
    }
}

code_enum!(
    /// The life-cycle state of a target object.
    ObjectStatus, "error-object-status", {
        /// Planned, not yet in operation.
        Planned = "planned",
        /// In operation.
        Active = "active",
        /// Taken out of operation (kept for history).
        Retired = "retired",
    }
);

/// Longest name of a target object.
pub const MAX_NAME: usize = 200;
/// Longest description.
pub const MAX_DESCRIPTION: usize = 4000;
/// Most tags per object.
pub const MAX_TAGS: usize = 20;
/// Largest count of a group of similar objects.
pub const MAX_COUNT: i64 = 1_000_000;

/// Validated data of a target object (everything a person edits).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectInput {
    /// Short id, unique within the organisation.
    pub short_id: ShortId,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Type.
    pub object_type: ObjectType,
    /// Who is responsible (person or department, free text).
    pub owner: Option<String>,
    /// Where it is (free text; rooms and buildings are objects of their own).
    pub location: Option<String>,
    /// How many similar objects this one stands for (BSI groups them), ≥ 1.
    pub count: i64,
    /// Life-cycle state.
    pub status: ObjectStatus,
    /// Tags, trimmed, deduplicated, sorted.
    pub tags: Vec<String>,
    /// Product name (IT systems and applications).
    pub product: Option<String>,
    /// Vendor.
    pub vendor: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// CPE 2.3 name, `cpe:2.3:…`.
    pub cpe: Option<String>,
    /// Package URL, `pkg:…`.
    pub purl: Option<String>,
}

/// Raw form or API fields of a target object, all text (the count may also be a JSON number).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawObject {
    /// Short id, e.g. `A012`.
    #[serde(default)]
    pub short_id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Type code, e.g. `server`.
    #[serde(default)]
    pub object_type: String,
    /// Owner.
    pub owner: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Count (empty: 1).
    #[serde(default, deserialize_with = "crate::validation::integer_or_text")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub count: Option<String>,
    /// Status code (empty: active).
    pub status: Option<String>,
    /// Tags separated by commas or semicolons.
    pub tags: Option<String>,
    /// Product.
    pub product: Option<String>,
    /// Vendor.
    pub vendor: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// CPE.
    pub cpe: Option<String>,
    /// PURL.
    pub purl: Option<String>,
    /// For a change: the revision read (a concurrent change answers 409).
    #[serde(default)]
    pub revision: Option<i64>,
}

fn parse_count(v: Option<&str>) -> Result<i64, &'static str> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(1),
        Some(v) => match v.parse::<i64>() {
            Ok(n) if (1..=MAX_COUNT).contains(&n) => Ok(n),
            _ => Err("error-object-count"),
        },
    }
}

fn parse_tags(v: Option<&str>) -> Result<Vec<String>, &'static str> {
    let mut tags = Vec::new();
    for t in v.unwrap_or("").split([',', ';']) {
        if let Some(t) = optional_text(Some(t), 40)? {
            tags.push(t);
        }
    }
    tags.sort();
    tags.dedup();
    if tags.len() > MAX_TAGS {
        return Err("error-too-many-tags");
    }
    Ok(tags)
}

fn prefixed(
    v: Option<&str>,
    prefix: &str,
    code: &'static str,
) -> Result<Option<String>, &'static str> {
    let v = optional_text(v, 500)?;
    match v {
        Some(s)
            if !s.to_ascii_lowercase().starts_with(prefix) || s.contains(char::is_whitespace) =>
        {
            Err(code)
        }
        other => Ok(other),
    }
}

impl RawObject {
    /// Validates every field and reports all errors by field name.
    pub fn validate(&self) -> Result<ObjectInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let short_id = e.check("short_id", ShortId::parse(&self.short_id));
        let name = e.check("name", required_text(&self.name, MAX_NAME));
        let description = e.check(
            "description",
            optional_multiline(self.description.as_deref(), MAX_DESCRIPTION),
        );
        let object_type = e.check("object_type", ObjectType::parse(&self.object_type));
        let owner = e.check("owner", optional_text(self.owner.as_deref(), 200));
        let location = e.check("location", optional_text(self.location.as_deref(), 200));
        let count = e.check("count", parse_count(self.count.as_deref()));
        let status = e.check(
            "status",
            match self
                .status
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                None => Ok(ObjectStatus::Active),
                Some(s) => ObjectStatus::parse(s),
            },
        );
        let tags = e.check("tags", parse_tags(self.tags.as_deref()));
        let product = e.check("product", optional_text(self.product.as_deref(), 200));
        let vendor = e.check("vendor", optional_text(self.vendor.as_deref(), 200));
        let version = e.check("version", optional_text(self.version.as_deref(), 100));
        let cpe = e.check(
            "cpe",
            prefixed(self.cpe.as_deref(), "cpe:2.3:", "error-cpe"),
        );
        let purl = e.check("purl", prefixed(self.purl.as_deref(), "pkg:", "error-purl"));
        match (
            short_id,
            name,
            description,
            object_type,
            owner,
            location,
            count,
            status,
            tags,
        ) {
            (
                Some(short_id),
                Some(name),
                Some(description),
                Some(object_type),
                Some(owner),
                Some(location),
                Some(count),
                Some(status),
                Some(tags),
            ) if e.0.is_empty() => Ok(ObjectInput {
                short_id,
                name,
                description,
                object_type,
                owner,
                location,
                count,
                status,
                tags,
                product: product.flatten(),
                vendor: vendor.flatten(),
                version: version.flatten(),
                cpe: cpe.flatten(),
                purl: purl.flatten(),
            }),
            _ => Err(e),
        }
    }
}

/// A validated link `from → to` between two objects (ids are checked by the store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LinkInput {
    /// The depending object.
    pub from: i64,
    /// The object depended on.
    pub to: i64,
    /// The relation.
    pub link_type: LinkType,
}

impl LinkInput {
    /// Builds a link; a link from an object to itself fails with `error-link-self`.
    pub fn new(from: i64, to: i64, link_type: LinkType) -> Result<Self, ValidationErrors> {
        if from == to {
            return Err(ValidationErrors::single("to", "error-link-self"));
        }
        Ok(Self {
            from,
            to,
            link_type,
        })
    }
}
