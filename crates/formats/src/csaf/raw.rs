//! CSAF 2.0 documents as serde structs (own structs, see the module documentation of
//! [`super`] for why). Required fields are plain, optional ones `Option`; every struct keeps
//! the fields it does not model in `extra`, so a document serialises back to the same JSON.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

/// The whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsafDocument {
    /// Document-level metadata.
    pub document: DocumentMeta,
    /// The products the document talks about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_tree: Option<ProductTree>,
    /// The vulnerabilities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerabilities: Option<Vec<Vulnerability>>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `document`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Profile, e.g. `csaf_security_advisory`, `csaf_vex`, `csaf_base`.
    pub category: String,
    /// `2.0`.
    pub csaf_version: String,
    /// Who published it.
    pub publisher: Publisher,
    /// Title.
    pub title: String,
    /// Id, version and history.
    pub tracking: Tracking,
    /// Distribution rules (TLP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// Notes (summary, details, legal disclaimer …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<Note>>,
    /// References.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<Vec<Reference>>,
    /// The publisher's overall severity (e.g. Red Hat's `Important`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregate_severity: Option<AggregateSeverity>,
    /// Language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `document.publisher`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publisher {
    /// `vendor`, `coordinator`, `discoverer`, `other`, `translator`, `user`.
    pub category: String,
    /// Name.
    pub name: String,
    /// Namespace URL.
    pub namespace: String,
    /// Anything else (contact details, issuing authority).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `document.tracking`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tracking {
    /// Unique id within the publisher, e.g. `BSI-2022-0001`.
    pub id: String,
    /// Version (integer or semantic), e.g. `1.0.0`.
    pub version: String,
    /// `draft`, `interim`, `final`.
    pub status: String,
    /// First release.
    pub initial_release_date: String,
    /// This release.
    pub current_release_date: String,
    /// Every revision with what it changed.
    pub revision_history: Vec<Revision>,
    /// Anything else (generator, aliases).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    /// When.
    pub date: String,
    /// Its version number.
    pub number: String,
    /// What changed.
    pub summary: String,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `document.distribution`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// TLP label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tlp: Option<TlpLabel>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `document.distribution.tlp`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TlpLabel {
    /// `WHITE`, `GREEN`, `AMBER`, `RED`.
    pub label: String,
    /// Anything else (url).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// `summary`, `description`, `details`, `general`, `faq`, `legal_disclaimer`, `other`.
    pub category: String,
    /// Text.
    pub text: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Anything else (audience).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// What it is.
    pub summary: String,
    /// Where.
    pub url: String,
    /// Anything else (category).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `document.aggregate_severity`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AggregateSeverity {
    /// The severity word.
    pub text: String,
    /// Anything else (namespace).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `product_tree`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductTree {
    /// Nested branches: vendor → product name → version …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branches: Option<Vec<Branch>>,
    /// Products outside branches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_product_names: Option<Vec<FullProductName>>,
    /// Products made of two others (a package as a component of a platform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationships: Option<Vec<Relationship>>,
    /// Named groups of products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_groups: Option<Vec<ProductGroup>>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One branch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    /// `vendor`, `product_family`, `product_name`, `product_version`,
    /// `product_version_range`, `architecture`, `language`, `legacy`, `patch_level`,
    /// `host_name`, `service_pack`, `specification`.
    pub category: String,
    /// The branch's name, e.g. the vendor's name or the version.
    pub name: String,
    /// A leaf's product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<FullProductName>,
    /// Deeper branches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branches: Option<Vec<Branch>>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A product with its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FullProductName {
    /// Full name.
    pub name: String,
    /// Id within the document.
    pub product_id: String,
    /// Machine-readable identifiers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_identification_helper: Option<IdentificationHelper>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `product_identification_helper`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentificationHelper {
    /// CPE 2.3 or 2.2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpe: Option<String>,
    /// Package URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// File hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashes: Option<Vec<Hashes>>,
    /// Model numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_numbers: Option<Vec<String>>,
    /// Serial numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_numbers: Option<Vec<String>>,
    /// Stock keeping units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skus: Option<Vec<String>>,
    /// SBOM locations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbom_urls: Option<Vec<String>>,
    /// Anything else (x_generic_uris).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Hashes of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hashes {
    /// The file.
    pub filename: String,
    /// Its hashes.
    pub file_hashes: Vec<FileHash>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileHash {
    /// e.g. `sha256`.
    pub algorithm: String,
    /// Hex value.
    pub value: String,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A relationship: `product_reference` is a `category` of `relates_to_product_reference`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relationship {
    /// `default_component_of`, `installed_on`, `optional_component_of`, …
    pub category: String,
    /// The combined product.
    pub full_product_name: FullProductName,
    /// The component.
    pub product_reference: String,
    /// The platform.
    pub relates_to_product_reference: String,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A product group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductGroup {
    /// Its id.
    pub group_id: String,
    /// Its products.
    pub product_ids: Vec<String>,
    /// Anything else (summary).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One vulnerability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vulnerability {
    /// CVE id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cve: Option<String>,
    /// CWE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwe: Option<Cwe>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<Note>>,
    /// References.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<Vec<Reference>>,
    /// Scores per product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<Vec<Score>>,
    /// What holds for which product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_status: Option<ProductStatus>,
    /// What to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediations: Option<Vec<RemediationRaw>>,
    /// Threats (impact, exploit status, target set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threats: Option<Vec<Threat>>,
    /// Anything else (ids, flags, involvements, dates, acknowledgments).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `cwe`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cwe {
    /// e.g. `CWE-611`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A score for some products.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// The products.
    pub products: Vec<String>,
    /// CVSS v3.x.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_v3: Option<Cvss>,
    /// CVSS v4.0 (CSAF 2.1; accepted here too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvss_v4: Option<Cvss>,
    /// Anything else (cvss_v2).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A CVSS block: base score and severity are read, the rest kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cvss {
    /// Base score 0–10.
    #[serde(rename = "baseScore")]
    pub base_score: Number,
    /// `NONE`, `LOW`, `MEDIUM`, `HIGH`, `CRITICAL`.
    #[serde(rename = "baseSeverity")]
    pub base_severity: String,
    /// Vector.
    #[serde(rename = "vectorString")]
    pub vector_string: String,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `product_status`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductStatus {
    /// First affected versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_affected: Option<Vec<String>>,
    /// First fixed versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_fixed: Option<Vec<String>>,
    /// Fixed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<Vec<String>>,
    /// Affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_affected: Option<Vec<String>>,
    /// Not affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_not_affected: Option<Vec<String>>,
    /// Last affected versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<Vec<String>>,
    /// Recommended versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended: Option<Vec<String>>,
    /// Under investigation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under_investigation: Option<Vec<String>>,
    /// Anything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One remediation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemediationRaw {
    /// `mitigation`, `no_fix_planned`, `none_available`, `vendor_fix`, `workaround`.
    pub category: String,
    /// What to do.
    pub details: String,
    /// Products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_ids: Option<Vec<String>>,
    /// Product groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_ids: Option<Vec<String>>,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Anything else (date, entitlements, restart_required).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One threat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threat {
    /// `exploit_status`, `impact`, `target_set`.
    pub category: String,
    /// Details.
    pub details: String,
    /// Products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_ids: Option<Vec<String>>,
    /// Product groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_ids: Option<Vec<String>>,
    /// Anything else (date).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
