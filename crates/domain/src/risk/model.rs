//! Risks and threats as read: what the store returns and the API shows.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{AcceptanceState, Frequency, Impact, RiskCategory, Treatment, acceptance_state};
use crate::validation::parse_date;
use crate::{MeasureId, OrgId, RiskId, StructureObjectId, ThreatId, UserId};

/// A threat of the federation's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Threat {
    /// The threat.
    pub id: ThreatId,
    /// `bsi` (elementary threat), `federation` (the office's own) or `import:<library urn>`.
    pub source: String,
    /// Reference, e.g. `G 0.18`.
    pub code: String,
    /// Short name.
    pub name: String,
    /// What it means.
    pub description: Option<String>,
    /// Basic values it touches: letters of `CIA`.
    pub goals: String,
}

/// A measure linked to a risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedMeasure {
    /// The measure.
    pub id: MeasureId,
    /// Its title.
    pub title: String,
    /// Its status code (`offen`, `in_arbeit`, `umgesetzt`, `geprueft`).
    pub status: String,
}

/// One risk: an object × a threat, rated before and after treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Risk {
    /// The risk.
    pub id: RiskId,
    /// The member.
    pub org_id: OrgId,
    /// The member's name.
    pub org_name: String,
    /// The target object.
    pub object_id: StructureObjectId,
    /// The object's short id.
    pub object_short_id: String,
    /// The object's name.
    pub object_name: String,
    /// The threat.
    pub threat: Threat,
    /// Frequency before treatment.
    pub frequency: Frequency,
    /// Impact before treatment.
    pub impact: Impact,
    /// Category before treatment (by the federation's matrix).
    pub category: RiskCategory,
    /// Frequency after treatment, if assessed.
    pub frequency_after: Option<Frequency>,
    /// Impact after treatment, if assessed.
    pub impact_after: Option<Impact>,
    /// Category after treatment, if assessed.
    pub category_after: Option<RiskCategory>,
    /// The treatment, if decided.
    pub treatment: Option<Treatment>,
    /// Why.
    pub justification: Option<String>,
    /// Who approved the acceptance (management of the member).
    pub approver_id: Option<UserId>,
    /// The approver's name.
    pub approver_name: Option<String>,
    /// When the acceptance was recorded (Unix ms).
    pub accepted_at_ms: Option<i64>,
    /// Until when the acceptance holds (`YYYY-MM-DD`, inclusive).
    pub expires_on: Option<String>,
    /// The acceptance's state today (`lapsed`: the risk counts as untreated).
    pub acceptance: AcceptanceState,
    /// Whether the risk still needs a decision (no treatment, or a lapsed acceptance).
    pub untreated: bool,
    /// Optimistic-locking counter.
    pub revision: i64,
    /// Created (Unix ms).
    pub created_at_ms: i64,
    /// Last changed (Unix ms).
    pub updated_at_ms: i64,
    /// Linked measures (filled on the single-risk reads).
    pub measures: Vec<LinkedMeasure>,
}

impl Risk {
    /// The category that counts now: after treatment where assessed, else before.
    pub fn current_category(&self) -> RiskCategory {
        self.category_after.unwrap_or(self.category)
    }

    /// Sets `acceptance` and `untreated` for `today`.
    pub fn stamp(mut self, today: Date) -> Self {
        let expires = self.expires_on.as_deref().and_then(|d| parse_date(d).ok());
        self.acceptance = acceptance_state(self.treatment, expires, today);
        self.untreated = super::is_untreated(self.treatment, expires, today);
        self
    }
}

/// What the register shows: a treatment, or the untreated risks (no treatment or a lapsed
/// acceptance), or only the lapsed acceptances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreatmentFilter {
    /// Risks with this treatment (an acceptance also when lapsed).
    Is(Treatment),
    /// No treatment, or an acceptance that has lapsed.
    Untreated,
    /// Acceptances that have lapsed.
    Lapsed,
}

impl TreatmentFilter {
    /// Parses `vermeiden` … `akzeptieren`, `unbehandelt` or `abgelaufen`.
    pub fn parse(s: &str) -> Result<Self, &'static str> {
        match s.trim() {
            "unbehandelt" => Ok(Self::Untreated),
            "abgelaufen" => Ok(Self::Lapsed),
            other => Treatment::parse(other)
                .map(Self::Is)
                .map_err(|_| "error-risk-treatment-filter"),
        }
    }

    /// The code [`Self::parse`] reads.
    pub fn code(self) -> &'static str {
        match self {
            Self::Is(t) => t.code(),
            Self::Untreated => "unbehandelt",
            Self::Lapsed => "abgelaufen",
        }
    }
}

/// The register's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RiskFilter {
    /// Only this member.
    pub org: Option<OrgId>,
    /// Only this object.
    pub object: Option<StructureObjectId>,
    /// Only risks whose current category is this.
    pub category: Option<RiskCategory>,
    /// By treatment.
    pub treatment: Option<TreatmentFilter>,
    /// Today (`YYYY-MM-DD`), for lapsed acceptances.
    pub today: String,
}

/// One threat across the federation: how many members and risks rate it hoch or sehr hoch
/// now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreatSummary {
    /// The threat's reference.
    pub code: String,
    /// The threat's name.
    pub name: String,
    /// Members with at least one such risk.
    pub members: i64,
    /// Such risks.
    pub risks: i64,
    /// Of them sehr hoch.
    pub very_high: i64,
    /// Whether the reader's own members are among them (members only; the office: false).
    pub own: bool,
}
