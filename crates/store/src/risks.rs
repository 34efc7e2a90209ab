//! Risk analysis (BSI 200-3): the federation's threats and risk matrix, the risks of members'
//! target objects, and their links to measures.
//!
//! Scopes as for the structure analysis: `write` to create, change, accept, link and delete
//! (the risk's organisation must lie inside, else `NotFound`), `scope` to read.

use verbund_domain::authz::Scope;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::risk::model::{Risk, RiskFilter, Threat, ThreatSummary};
use verbund_domain::risk::{RiskInput, RiskMatrix};
use verbund_domain::{FederationId, MeasureId, OrgId, RiskId, StructureObjectId, ThreatId, UserId};

use crate::{AuditActor, Db, Result, Store, backend};

/// A threat the office defines or a library brings.
#[derive(Debug, Clone)]
pub struct NewThreat<'a> {
    /// `federation` or `import:<library urn>`.
    pub source: &'a str,
    /// Reference, unique per source.
    pub code: &'a str,
    /// Short name.
    pub name: &'a str,
    /// What it means.
    pub description: Option<&'a str>,
    /// Basic values it touches: letters of `CIA`.
    pub goals: &'a str,
}

/// What importing a risk library changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskLibraryImported {
    /// Threats new in the federation.
    pub threats_new: u64,
    /// Threats of an earlier import of the library, with their texts updated.
    pub threats_updated: u64,
    /// Reference controls new as measure templates.
    pub controls_new: u64,
    /// Measure templates from an earlier import, with their texts updated.
    pub controls_updated: u64,
    /// Links of requirements to the library's threats (they replace the earlier import's).
    pub links: u64,
}

impl Store {
    /// Writes a risk library's threats (source `import:<urn>`, found again by URN), its
    /// reference controls as measure templates and its requirement links, in one audited
    /// transaction (office capability: the threats are the federation's).
    pub async fn import_risk_library_federation_wide(
        &self,
        by: &AuditActor,
        federation: FederationId,
        lib: &verbund_domain::risk::library::RiskLibrary,
    ) -> Result<RiskLibraryImported> {
        dispatch!(self.import_risk_library_federation_wide(by, federation, lib))
    }

    /// Threats that imported libraries link to requirements `org` left unmet (assessment
    /// answers *nein*/*teilweise*, or `object`'s check rows): what the risk analysis of
    /// `object` suggests beside the elementary threats. `NotFound` outside `scope`.
    pub async fn threats_of_unmet_requirements(
        &self,
        scope: &Scope,
        org: OrgId,
        object: StructureObjectId,
    ) -> Result<Vec<ThreatId>> {
        dispatch!(self.threats_of_unmet_requirements(scope, org, object))
    }

    /// The federation's threats: the 47 elementary ones (written on first use) and the
    /// federation's own and imported ones.
    pub async fn list_threats(&self) -> Result<Vec<Threat>> {
        dispatch!(self.list_threats())
    }

    /// Adds a threat, audited; a code the source has already is `code` `error-duplicate`.
    pub async fn create_threat(
        &self,
        by: &AuditActor,
        federation: FederationId,
        t: &NewThreat<'_>,
    ) -> Result<Threat> {
        dispatch!(self.create_threat(by, federation, t))
    }

    /// The federation's risk matrix (Verbund's default if never saved).
    pub async fn risk_matrix(&self) -> Result<RiskMatrix> {
        dispatch!(self.risk_matrix())
    }

    /// Saves a (validated) matrix and rewrites every risk's categories by it, audited.
    pub async fn save_risk_matrix(
        &self,
        by: &AuditActor,
        federation: FederationId,
        matrix: &RiskMatrix,
    ) -> Result<()> {
        dispatch!(self.save_risk_matrix(by, federation, matrix))
    }

    /// One risk in `scope` with its measures.
    pub async fn get_risk(&self, scope: &Scope, id: RiskId) -> Result<Risk> {
        dispatch!(self.get_risk(scope, id))
    }

    /// Creates a risk for an object in `write`, audited; categories by the stored matrix.
    pub async fn create_risk(
        &self,
        by: &AuditActor,
        write: &Scope,
        object: StructureObjectId,
        threat: ThreatId,
        input: &RiskInput,
    ) -> Result<Risk> {
        dispatch!(self.create_risk(by, write, object, threat, input))
    }

    /// Changes a risk (`revision`, if given, must be current: else `Stale`), audited. With
    /// `acceptance` (approver, expiry `YYYY-MM-DD`, checked by the caller) it records the
    /// acceptance.
    pub async fn update_risk(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: RiskId,
        revision: Option<i64>,
        input: &RiskInput,
        acceptance: Option<(UserId, &str)>,
    ) -> Result<Risk> {
        dispatch!(self.update_risk(by, write, id, revision, input, acceptance))
    }

    /// Deletes a risk, audited.
    pub async fn delete_risk(&self, by: &AuditActor, write: &Scope, id: RiskId) -> Result<Risk> {
        dispatch!(self.delete_risk(by, write, id))
    }

    /// Links (`link`) or unlinks a measure of the risk's member, audited.
    pub async fn link_risk_measure(
        &self,
        by: &AuditActor,
        write: &Scope,
        id: RiskId,
        measure: MeasureId,
        link: bool,
    ) -> Result<Risk> {
        dispatch!(self.link_risk_measure(by, write, id, measure, link))
    }

    /// The risk register: risks in `scope` by filter, worst first.
    pub async fn list_risks(
        &self,
        scope: &Scope,
        filter: &RiskFilter,
        page: PageRequest,
    ) -> Result<Page<Risk>> {
        dispatch!(self.list_risks(scope, filter, page))
    }

    /// The threats most members rate hoch or sehr hoch, across the whole federation; `own`
    /// marks the reader's members (office-wide figures: the caller decides what a member may
    /// see of them).
    pub async fn risk_threat_summary_federation_wide(
        &self,
        own: &Scope,
    ) -> Result<Vec<ThreatSummary>> {
        dispatch!(self.risk_threat_summary_federation_wide(own))
    }

    /// The active management users of `org` (inside `scope`): who may approve an acceptance.
    pub async fn risk_approvers(&self, scope: &Scope, org: OrgId) -> Result<Vec<(UserId, String)>> {
        dispatch!(self.risk_approvers(scope, org))
    }
}
