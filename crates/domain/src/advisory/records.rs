//! Advisories and warnings as stored and shown.

use serde::{Deserialize, Serialize};

use super::matcher::{Confidence, Reason};
use super::{ProductState, Severity, Tlp, WarningState};
use crate::{AdvisoryId, AdvisoryWarningId, MeasureId, OrgId, StructureObjectId};

/// An imported advisory (its newest revision).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisoryRecord {
    /// ID.
    pub id: AdvisoryId,
    /// Tracking id, e.g. `BSI-2022-0001`.
    pub tracking_id: String,
    /// Version of the newest revision.
    pub version: String,
    /// Title.
    pub title: String,
    /// Profile (`csaf_security_advisory`, `csaf_vex`, …).
    pub category: String,
    /// Publisher.
    pub publisher: String,
    /// TLP label.
    pub tlp: Tlp,
    /// Highest severity.
    pub severity: Severity,
    /// Highest CVSS base score.
    pub max_score: Option<f64>,
    /// CVE ids.
    pub cves: Vec<String>,
    /// Release date of this revision.
    pub released: String,
    /// Summary.
    pub summary: String,
    /// What this revision changed.
    pub change_summary: Option<String>,
    /// What the import noted (unknown profile, …): `pointer: message`.
    pub import_warnings: Vec<String>,
    /// Revisions imported so far.
    pub revision: i64,
    /// First import (Unix ms).
    pub imported_at_ms: i64,
    /// Last replacement (Unix ms).
    pub updated_at_ms: i64,
    /// Warnings that ask something of members (open or acknowledged) — for the office; a
    /// member sees only its own.
    pub pending_warnings: i64,
    /// Name-only warnings waiting for the office to confirm (0 for members).
    pub unconfirmed_warnings: i64,
}

/// One product of an advisory as listed on its page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvisoryProductRow {
    /// The document's product id.
    pub product_id: String,
    /// Full name.
    pub name: String,
    /// What the advisory says about it.
    pub state: ProductState,
    /// Vendor.
    pub vendor: Option<String>,
    /// Product.
    pub product: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Version range.
    pub version_range: Option<String>,
    /// CPE.
    pub cpe: Option<String>,
    /// Package URL.
    pub purl: Option<String>,
}

/// One object of a member a warning is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarningMatch {
    /// The object.
    pub object_id: StructureObjectId,
    /// Its organisation (the member, or the provider whose object the member relies on).
    pub object_org_id: OrgId,
    /// Its short id.
    pub short_id: String,
    /// Its name.
    pub object_name: String,
    /// Whether it is a provider's object the member relies on.
    pub via_provider: bool,
    /// The advisory's product.
    pub product_id: String,
    /// Its full name.
    pub product_name: String,
    /// What the advisory says about it.
    pub state: ProductState,
    /// How sure.
    pub confidence: Confidence,
    /// Why.
    pub reason: Reason,
}

/// A member's warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    /// ID.
    pub id: AdvisoryWarningId,
    /// The advisory.
    pub advisory_id: AdvisoryId,
    /// Its tracking id.
    pub tracking_id: String,
    /// Its title.
    pub title: String,
    /// Its TLP label.
    pub tlp: Tlp,
    /// The member.
    pub org_id: OrgId,
    /// The member's name.
    pub org_name: String,
    /// State.
    pub state: WarningState,
    /// Best confidence over the matches.
    pub confidence: Confidence,
    /// The advisory's severity.
    pub severity: Severity,
    /// Deal with it by (`YYYY-MM-DD`).
    pub deadline_on: Option<String>,
    /// Whether the deadline has passed while it is pending (set by the app).
    pub overdue: bool,
    /// The matched objects.
    pub matches: Vec<WarningMatch>,
    /// Why it was closed (`fixed_or_not_affected`, `no_match`).
    pub closed_reason: Option<String>,
    /// Who acknowledged it.
    pub acknowledged_by_name: Option<String>,
    /// When.
    pub acknowledged_at_ms: Option<i64>,
    /// Who marked it done.
    pub done_by_name: Option<String>,
    /// When.
    pub done_at_ms: Option<i64>,
    /// The measure made from it.
    pub measure_id: Option<MeasureId>,
    /// Changes so far (for optimistic locking).
    pub revision: i64,
    /// Created (Unix ms).
    pub created_at_ms: i64,
    /// Last change (Unix ms).
    pub updated_at_ms: i64,
}
