//! Security advisories (CSAF 2.0) matched against members' inventories.
//!
//! - [`Advisory`]: what Verbund keeps of an advisory for matching and display (the formats
//!   crate reads CSAF documents into it);
//! - [`cpe`], [`purl`], [`version`]: identifier parsers and comparisons;
//! - [`matcher`]: which inventory objects an advisory's products match, with a confidence and
//!   a reason in words, and which of them a VEX statement (fixed, not affected) suppresses;
//! - [`records`]: advisories and warnings as stored and shown;
//! - [`Tlp`], [`Severity`], [`WarningState`]: codes with their rules (who may read an
//!   advisory, the deadline a severity gives).

pub mod cpe;
pub mod matcher;
pub mod purl;
pub mod records;
pub mod version;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::structure::code_enum;

code_enum!(
    /// Traffic Light Protocol label of a document: who may read it. CSAF 2.0's `WHITE` is read
    /// as [`Tlp::Clear`].
    Tlp, "error-advisory-tlp", {
        /// Public.
        Clear = "clear",
        /// The community (here: the federation).
        Green = "green",
        /// Only those who need it to act (here: the office and the members it warns).
        Amber = "amber",
        /// Named recipients only (here: the office and the members it warns).
        Red = "red",
    }
);

impl Tlp {
    /// Reads a CSAF label (`WHITE`, `GREEN`, `AMBER`, `RED`, also TLP 2.0 `CLEAR` and
    /// `AMBER+STRICT`); `None` for anything else.
    pub fn from_csaf(label: &str) -> Option<Self> {
        match label.trim().to_ascii_uppercase().as_str() {
            "WHITE" | "CLEAR" => Some(Self::Clear),
            "GREEN" => Some(Self::Green),
            "AMBER" | "AMBER+STRICT" => Some(Self::Amber),
            "RED" => Some(Self::Red),
            _ => None,
        }
    }

    /// Whether a member may read an advisory with this label: CLEAR and GREEN every member of
    /// the federation, AMBER and RED only a member the office warned (`warned`).
    pub fn member_may_read(self, warned: bool) -> bool {
        match self {
            Self::Clear | Self::Green => true,
            Self::Amber | Self::Red => warned,
        }
    }
}

code_enum!(
    /// The highest severity of an advisory's vulnerabilities (from CVSS base scores or the
    /// aggregate severity).
    Severity, "error-advisory-severity", {
        /// No score given.
        None = "none",
        /// CVSS 0.1–3.9.
        Low = "low",
        /// CVSS 4.0–6.9.
        Medium = "medium",
        /// CVSS 7.0–8.9.
        High = "high",
        /// CVSS 9.0–10.0.
        Critical = "critical",
    }
);

impl Severity {
    /// The severity of a CVSS base score (v3 and v4 share the bands).
    pub fn from_score(score: f64) -> Self {
        if !score.is_finite() || score <= 0.0 {
            Self::None
        } else if score < 4.0 {
            Self::Low
        } else if score < 7.0 {
            Self::Medium
        } else if score < 9.0 {
            Self::High
        } else {
            Self::Critical
        }
    }

    /// Reads a CVSS severity word (`CRITICAL`, `high`, …) or a CSAF aggregate severity text
    /// such as `Important` or `Moderate` (Red Hat's words); `None` when unknown.
    pub fn from_text(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "critical" | "kritisch" => Some(Self::Critical),
            "high" | "important" | "hoch" => Some(Self::High),
            "medium" | "moderate" | "mittel" => Some(Self::Medium),
            "low" | "niedrig" => Some(Self::Low),
            "none" => Some(Self::None),
            _ => None,
        }
    }

    /// Days a member has to deal with a warning of this severity by default (critical 3,
    /// high 7, medium 30, low and none 90).
    pub fn default_deadline_days(self) -> i64 {
        match self {
            Self::Critical => 3,
            Self::High => 7,
            Self::Medium => 30,
            Self::Low | Self::None => 90,
        }
    }
}

code_enum!(
    /// What an advisory says about one product (the strongest statement over its
    /// vulnerabilities: affected beats under investigation beats fixed beats not affected).
    ProductState, "error-advisory-product-state", {
        /// `known_affected` (or `first_affected`/`last_affected`).
        Affected = "affected",
        /// `under_investigation`.
        UnderInvestigation = "under_investigation",
        /// `fixed` or `first_fixed`.
        Fixed = "fixed",
        /// `known_not_affected`.
        NotAffected = "not_affected",
        /// Only `recommended` or not named in any status.
        Unknown = "unknown",
    }
);

impl ProductState {
    /// Whether the state asks for a warning.
    pub fn warns(self) -> bool {
        matches!(self, Self::Affected | Self::UnderInvestigation)
    }

    /// Whether the state says an object is not (or no longer) affected (VEX).
    pub fn suppresses(self) -> bool {
        matches!(self, Self::Fixed | Self::NotAffected)
    }

    /// Rank for combining statements (higher wins).
    fn rank(self) -> u8 {
        match self {
            Self::Affected => 4,
            Self::UnderInvestigation => 3,
            Self::Fixed => 2,
            Self::NotAffected => 1,
            Self::Unknown => 0,
        }
    }

    /// The stronger of two statements about the same product.
    pub fn combine(self, other: Self) -> Self {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

code_enum!(
    /// The state of a member's warning.
    WarningState, "error-advisory-warning-state", {
        /// Matched by name only: the office confirms it before the member sees it.
        Unconfirmed = "unconfirmed",
        /// The member has to look at it.
        Open = "open",
        /// The member has seen it and works on it.
        Acknowledged = "acknowledged",
        /// The member has dealt with it (erledigt).
        Done = "done",
        /// A newer revision says the member's objects are fixed or not affected, or no
        /// longer matches them.
        Closed = "closed",
    }
);

impl WarningState {
    /// Whether the warning still asks something of the member.
    pub fn is_pending(self) -> bool {
        matches!(self, Self::Open | Self::Acknowledged)
    }
}

/// One way to name a product: what the product tree says about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductIdent {
    /// Vendor name from the `vendor` branch.
    pub vendor: Option<String>,
    /// Product name from the `product_name` (or `product_family`) branch.
    pub product: Option<String>,
    /// Exact version from a `product_version` branch.
    pub version: Option<String>,
    /// Version range from a `product_version_range` branch (`vers:…` or `<=1.2` forms).
    pub version_range: Option<String>,
    /// CPE (2.3 formatted string or 2.2 URI) from the identification helper.
    pub cpe: Option<String>,
    /// Package URL from the identification helper.
    pub purl: Option<String>,
}

impl ProductIdent {
    /// Whether it names anything the matcher can use.
    pub fn is_empty(&self) -> bool {
        self.product.is_none() && self.cpe.is_none() && self.purl.is_none()
    }
}

/// One product of an advisory (a `full_product_name` of the tree, from branches or a
/// relationship) with what the advisory says about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisoryProduct {
    /// The document's product id, e.g. `CSAFPID-0001`.
    pub product_id: String,
    /// The full product name.
    pub name: String,
    /// How to recognise it: one ident from branches; for a relationship the component's
    /// and the platform's.
    pub idents: Vec<ProductIdent>,
    /// What the advisory says about it.
    pub state: ProductState,
}

/// What Verbund keeps of an advisory for matching and display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// `document.tracking.id`, e.g. `BSI-2022-0001`.
    pub tracking_id: String,
    /// `document.tracking.version`, e.g. `1.0.0` or `3`.
    pub version: String,
    /// `document.title`.
    pub title: String,
    /// `document.category` (profile), e.g. `csaf_security_advisory`.
    pub category: String,
    /// `document.publisher.name`.
    pub publisher: String,
    /// TLP label (CLEAR when the document has none).
    pub tlp: Tlp,
    /// The highest severity over all vulnerabilities.
    pub severity: Severity,
    /// The highest CVSS base score, if any.
    pub max_score: Option<f64>,
    /// CVE ids of its vulnerabilities.
    pub cves: Vec<String>,
    /// `document.tracking.current_release_date`.
    pub released: String,
    /// A short summary (the first summary note or the title).
    pub summary: String,
    /// What the newest revision changed (the summary of its revision-history entry).
    pub change_summary: Option<String>,
    /// Every product.
    pub products: Vec<AdvisoryProduct>,
    /// Remediations, in words, with the product ids they apply to.
    pub remediations: Vec<Remediation>,
}

/// One remediation of a vulnerability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remediation {
    /// CSAF category, e.g. `vendor_fix`, `workaround`, `mitigation`.
    pub category: String,
    /// What to do.
    pub details: String,
    /// Where to read more.
    pub url: Option<String>,
    /// The products it applies to (groups resolved).
    pub product_ids: Vec<String>,
}

/// Compares two dotted revision numbers of `document.tracking.version` (`1.0.0`, `2`, `1.1`);
/// `Greater` when `a` is newer.
pub fn compare_revisions(a: &str, b: &str) -> std::cmp::Ordering {
    version::compare(a, b)
}
