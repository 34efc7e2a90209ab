//! IT-Grundschutz-Check: one row per target object and requirement of its modules (written
//! when a module is assigned, kept inactive with its answer when it is removed), answered like
//! an assessment answer, optionally fulfilled by another object (a higher-level object or a
//! provider object the member relies on).
//!
//! Scopes as in [`crate::structure`]: `scope` to read (the objects the reader sees, provider
//! objects included), `write` to answer (the object's organisation must lie inside).

use verbund_domain::assessment::Answer;
use verbund_domain::authz::Scope;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::structure::check::{CheckFilter, CheckRow, LevelTallies, MemberFulfilment};
use verbund_domain::{OrgId, StructureObjectId};

use crate::{AuditActor, Db, Result, Store, backend};

impl Store {
    /// The active check rows of `org`'s objects the reader sees, filtered, by object short id
    /// and catalog order. Rows out of scope (high-level requirements of objects without a high
    /// need) only with `filter.with_out_of_scope`.
    pub async fn check_rows(
        &self,
        scope: &Scope,
        org: OrgId,
        filter: &CheckFilter,
        page: PageRequest,
    ) -> Result<Page<CheckRow>> {
        dispatch!(self.check_rows(scope, org, filter, page))
    }

    /// One check row whose object the reader sees (`NotFound` otherwise).
    pub async fn get_check_row(&self, scope: &Scope, id: i64) -> Result<CheckRow> {
        dispatch!(self.get_check_row(scope, id))
    }

    /// Answers a row of a writable object, audited. `version` (if given) must be the stored
    /// one (`Stale` otherwise). `fulfilled_by` must be another object the reader sees (`read`)
    /// with an active row for the same requirement: field `fulfilled_by` with
    /// `error-check-reference-unknown`, `-self` or `-requirement` otherwise.
    #[expect(
        clippy::too_many_arguments,
        reason = "one write with its scopes and lock"
    )]
    pub async fn answer_check_row(
        &self,
        by: &AuditActor,
        write: &Scope,
        read: &Scope,
        id: i64,
        version: Option<i64>,
        answer: &Answer,
        fulfilled_by: Option<StructureObjectId>,
    ) -> Result<CheckRow> {
        dispatch!(self.answer_check_row(by, write, read, id, version, answer, fulfilled_by))
    }

    /// The tallies per level of `org`'s active rows in scope.
    pub async fn check_summary(&self, scope: &Scope, org: OrgId) -> Result<LevelTallies> {
        dispatch!(self.check_summary(scope, org))
    }

    /// Basis and Standard fulfilment of every member with check rows (providers are left
    /// out). Office-wide: `office` must reach every organisation, otherwise `NotFound`.
    pub async fn check_fulfilment_federation_wide(
        &self,
        office: &Scope,
    ) -> Result<Vec<MemberFulfilment>> {
        if !office.is_all() {
            return Err(crate::StoreError::NotFound);
        }
        dispatch!(self.check_fulfilment())
    }
}
