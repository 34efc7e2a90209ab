//! Key-figure proposals: a member proposes new population, staff or IT-workplace figures, the
//! office accepts (the figures become the organisation's) or rejects them. Authorize before
//! calling: proposing needs the member's `EditOrg` scope, deciding the office's
//! `SetKeyFigures` scope; reading goes through a `ReadOrg` scope.

use verbund_domain::authz::Scope;
use verbund_domain::key_figures::{KeyFigureProposal, ProposalInput, ProposalStatus};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::{KeyFigureProposalId, OrgId};

use crate::{AuditActor, Db, Result, Store, backend};

impl Store {
    /// Records a member's proposal for `org`; fails with a field error while another one is
    /// open.
    pub async fn propose_key_figures(
        &self,
        by: &AuditActor,
        scope: &Scope,
        org: OrgId,
        input: &ProposalInput,
    ) -> Result<KeyFigureProposal> {
        dispatch!(self.propose_key_figures(by, scope, org, input))
    }

    /// One proposal within `scope`.
    pub async fn get_key_figure_proposal(
        &self,
        scope: &Scope,
        id: KeyFigureProposalId,
    ) -> Result<KeyFigureProposal> {
        dispatch!(self.get_key_figure_proposal(scope, id))
    }

    /// Proposals within `scope`, newest first, optionally of one organisation or status.
    pub async fn list_key_figure_proposals(
        &self,
        scope: &Scope,
        org: Option<OrgId>,
        status: Option<ProposalStatus>,
        page: PageRequest,
    ) -> Result<Page<KeyFigureProposal>> {
        dispatch!(self.list_key_figure_proposals(scope, org, status, page))
    }

    /// Accepts or rejects an open proposal (`Stale` if it was decided already).
    pub async fn decide_key_figure_proposal(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: KeyFigureProposalId,
        accept: bool,
        note: Option<&str>,
    ) -> Result<KeyFigureProposal> {
        dispatch!(self.decide_key_figure_proposal(by, scope, id, accept, note))
    }
}
