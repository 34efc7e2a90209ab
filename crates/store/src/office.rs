//! The office's reading tools: the filtered audit log, the comparison's trend and snapshot
//! ages, and one-time password-reset links.

use std::collections::BTreeMap;

use serde::Serialize;
use verbund_domain::authz::Scope;
use verbund_domain::catalog::Translation;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::{AnswerId, AssessmentId, CatalogId, FederationId, OrgId, UserId};

use crate::{AuditActor, AuditEntry, Db, Result, Store, backend};

/// Which audit entries to read; every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// One organisation (must be inside the scope, else not found).
    pub org: Option<OrgId>,
    /// The person who acted.
    pub actor: Option<UserId>,
    /// From this moment (Unix ms, inclusive).
    pub from_ms: Option<i64>,
    /// Until this moment (Unix ms, exclusive).
    pub to_ms: Option<i64>,
    /// The kind of change, e.g. `org.update`.
    pub action: Option<String>,
    /// The kind of object, e.g. `assessment_answer`.
    pub object_type: Option<String>,
    /// One object (with `object_type`).
    pub object_id: Option<String>,
    /// Only entries older than this sequence number (for reading in batches).
    pub before_seq: Option<i64>,
}

/// The requirement an assessment answer belongs to, for naming it in the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct RequirementLabel {
    /// The answer.
    pub answer_id: AnswerId,
    /// The requirement's reference, e.g. `SYS.1.1.A1`.
    pub ref_id: Option<String>,
    /// Its name in the catalog's language.
    pub name: Option<String>,
    /// Its names in other languages.
    pub translations: BTreeMap<String, Translation>,
    /// The catalog's name.
    pub catalog: String,
}

/// When a member last took a snapshot of its assessment of a catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberSnapshotAge {
    /// The assessment.
    pub assessment_id: AssessmentId,
    /// The member.
    pub org_id: OrgId,
    /// Its name.
    pub name: String,
    /// The newest snapshot (Unix ms); `None` if it never took one.
    pub last_snapshot_ms: Option<i64>,
    /// Requirements answered.
    pub answered: i64,
    /// Requirements in the assessment.
    pub total: i64,
}

impl Store {
    /// One page of the audit entries inside `scope` that match `f`, newest first. Fails
    /// with not found if `f.org` is outside the scope.
    pub async fn list_audit_filtered(
        &self,
        scope: &Scope,
        f: &AuditFilter,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>> {
        dispatch!(self.list_audit_filtered(scope, f, page))
    }

    /// The newest `n` matching entries (set `f.before_seq` to continue after a batch).
    pub async fn audit_batch(
        &self,
        scope: &Scope,
        f: &AuditFilter,
        n: i64,
    ) -> Result<Vec<AuditEntry>> {
        dispatch!(self.audit_batch(scope, f, n))
    }

    /// The people who appear in the audit log inside `scope`: `(user id, newest label)`,
    /// at most 500.
    pub async fn audit_people(&self, scope: &Scope) -> Result<Vec<(i64, String)>> {
        dispatch!(self.audit_people(scope))
    }

    /// The requirements of the answers `ids` inside `scope` (answers outside are left out).
    pub async fn answer_requirements(
        &self,
        scope: &Scope,
        ids: &[i64],
    ) -> Result<Vec<RequirementLabel>> {
        dispatch!(self.answer_requirements(scope, ids))
    }

    /// `(catalog, requirements answered over all its assessments)`.
    pub async fn answers_by_catalog(
        &self,
        federation: FederationId,
    ) -> Result<Vec<(CatalogId, i64)>> {
        let counts = dispatch!(self.answers_by_catalog(federation))?;
        Ok(counts.into_iter().map(|(c, n)| (CatalogId(c), n)).collect())
    }

    /// Every snapshot of the assessments of `catalog` inside `scope`: `(assessment, taken at
    /// (Unix ms), overall score in basis points)`, oldest first.
    pub async fn snapshot_points(
        &self,
        scope: &Scope,
        catalog: CatalogId,
    ) -> Result<Vec<(i64, i64, i64)>> {
        dispatch!(self.snapshot_points(scope, catalog.0))
    }

    /// The assessments of `catalog` inside `scope` with their newest snapshot, the oldest
    /// (and those without any) first, at most `limit`.
    pub async fn last_snapshots(
        &self,
        scope: &Scope,
        catalog: CatalogId,
        limit: i64,
    ) -> Result<Vec<MemberSnapshotAge>> {
        dispatch!(self.last_snapshots(scope, catalog.0, limit))
    }

    /// The member with the lowest overall score in `catalog` inside `scope`, among those that
    /// have answered anything: `(org id, name, score in basis points)`.
    pub async fn weakest_member(
        &self,
        scope: &Scope,
        catalog: CatalogId,
    ) -> Result<Option<(i64, String, i64)>> {
        dispatch!(self.weakest_member(scope, catalog.0))
    }

    /// Stores a new reset link for `user` (only the token's hash), voiding older unused
    /// ones; audited.
    pub async fn create_password_reset(
        &self,
        by: &AuditActor,
        user: UserId,
        token_hash: &str,
        expires_at_ms: i64,
    ) -> Result<()> {
        dispatch!(self.create_password_reset(by, user, token_hash, expires_at_ms))
    }

    /// The user a reset link is for, if it is unused, unexpired and the user active.
    pub async fn password_reset_user(&self, token_hash: &str, now: i64) -> Result<Option<UserId>> {
        dispatch!(self.password_reset_user(token_hash, now))
    }

    /// Uses a reset link: sets the password hash, ends every session and revokes every API
    /// token of the user, in one transaction; audited. `None` if the link is not valid (used,
    /// expired, unknown, or the user disabled).
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Option<UserId>> {
        dispatch!(self.use_password_reset(token_hash, password_hash, now))
    }

    /// Whether the user signs in through an identity provider (then no local reset).
    pub async fn has_external_identity(&self, user: UserId) -> Result<bool> {
        dispatch!(self.has_external_identity(user))
    }
}
