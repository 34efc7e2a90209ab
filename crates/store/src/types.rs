//! Records the store returns that are not domain types (sessions, tokens, login data).

use serde::Serialize;
use verbund_domain::audit::ChainedRecord;
use verbund_domain::authz::Role;
use verbund_domain::{ApiTokenId, AuditEntryId, FederationId, OrgId, RoleAssignmentId, UserId};

/// The federation of this installation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Federation {
    /// Its ID.
    pub id: FederationId,
    /// Name, e.g. "Informationssicherheitsverbund Kreis Groß-Gerau".
    pub name: String,
    /// The office organisation; roles held there reach every member.
    pub office_org_id: OrgId,
}

/// Who made a change, as written into the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditActor {
    /// The user, if a person acted.
    pub user_id: Option<UserId>,
    /// E-mail or `system`.
    pub label: String,
}

impl AuditActor {
    /// The system itself (seeding, jobs, CLI).
    pub fn system() -> Self {
        Self {
            user_id: None,
            label: "system".into(),
        }
    }
}

/// What the login needs to know about a user. Holds secrets: never serialize or log it.
#[derive(Clone)]
pub struct LoginUser {
    /// ID.
    pub id: UserId,
    /// E-mail.
    pub email: String,
    /// Argon2id PHC string; none for single-sign-on-only users.
    pub password_hash: Option<String>,
    /// Failed logins since the last success.
    pub failed_logins: i64,
    /// Locked until this time (Unix ms).
    pub locked_until_ms: Option<i64>,
    /// Deactivated.
    pub disabled: bool,
    /// TOTP secret (base32), set while enrolling or enabled.
    pub totp_secret: Option<String>,
    /// Whether MFA is switched on.
    pub totp_enabled: bool,
    /// UI language.
    pub locale: String,
}

impl std::fmt::Debug for LoginUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginUser")
            .field("id", &self.id)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// A session to store.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie token.
    pub id_hash: String,
    /// Owner.
    pub user_id: UserId,
    /// `mfa` (password ok, second factor pending) or `full`.
    pub stage: String,
    /// Token that forms must echo.
    pub csrf_token: String,
    /// Absolute expiry (Unix ms).
    pub expires_at_ms: i64,
}

/// A stored session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    /// Owner.
    pub user_id: UserId,
    /// `mfa` or `full`.
    pub stage: String,
    /// CSRF token.
    pub csrf_token: String,
}

/// An API token as listed (the secret itself is shown only once, at creation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    /// ID.
    pub id: ApiTokenId,
    /// Name given by the user.
    pub name: String,
    /// First characters, to recognise it.
    pub prefix: String,
    /// Created (Unix ms).
    pub created_at_ms: i64,
    /// Last used (Unix ms).
    pub last_used_ms: Option<i64>,
    /// Expiry (Unix ms).
    pub expires_at_ms: Option<i64>,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// One role of a user in one organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserGrant {
    /// Assignment ID.
    pub id: RoleAssignmentId,
    /// The user.
    pub user_id: UserId,
    /// Where.
    pub org_id: OrgId,
    /// The organisation's name.
    pub org_name: String,
    /// The role.
    pub role: Role,
}

/// Changes to a user's account.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserChange {
    /// New display name.
    pub display_name: Option<String>,
    /// New language (`de`, `en`).
    pub locale: Option<String>,
    /// Deactivate (`true`) or reactivate (`false`).
    pub disabled: Option<bool>,
}

/// One audit log entry as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// Row ID.
    pub id: AuditEntryId,
    /// Content and chain links.
    #[serde(flatten)]
    pub entry: ChainedRecord,
}

/// What a restore loaded.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RestoreSummary {
    /// Rows per table.
    pub tables: Vec<(String, usize)>,
}

/// A stored budget line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredBudgetLine {
    /// Row ID.
    pub id: verbund_domain::BudgetLineId,
    /// Budget year.
    pub year: i32,
    /// Order within the year.
    pub position: i64,
    /// The line.
    #[serde(flatten)]
    pub line: verbund_domain::costs::BudgetLine,
}

/// A stored subsidy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSubsidy {
    /// Row ID.
    pub id: verbund_domain::SubsidyId,
    /// The subsidy.
    pub subsidy: verbund_domain::costs::Subsidy,
}

/// A stored allocation key version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredKey {
    /// Row ID (one per version).
    pub id: verbund_domain::CostKeyId,
    /// Name and definition.
    pub key: verbund_domain::costs::AllocationKey,
    /// Version, counting from 1 per name.
    pub version: i64,
    /// What each member would pay alone (for the savings comparison).
    pub standalone: verbund_domain::costs::StandaloneCosts,
    /// Created (Unix ms).
    pub created_at_ms: i64,
    /// Used by an issued statement: changes create a new version.
    pub locked: bool,
}

/// An issued, immutable cost statement of a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredStatement {
    /// Row ID.
    pub id: verbund_domain::StatementId,
    /// Year.
    pub year: i32,
    /// Key version used.
    pub key_id: verbund_domain::CostKeyId,
    /// Issued (Unix ms).
    pub issued_at_ms: i64,
    /// Who issued it.
    pub issued_by: String,
    /// Everything needed to reproduce it: inputs and results.
    pub document: serde_json::Value,
}

/// An imported catalog revision (without its nodes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogSummary {
    /// Row ID (one per revision).
    pub id: verbund_domain::CatalogId,
    /// The catalog's URN (stable across revisions).
    pub urn: String,
    /// Our revision counter for this URN, from 1.
    pub revision: i64,
    /// Short identifier.
    pub ref_id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// The source's own version.
    pub version: String,
    /// Main language.
    pub locale: String,
    /// Publisher.
    pub provider: Option<String>,
    /// Copyright or licence statement.
    pub copyright: Option<String>,
    /// Import format (`ciso_assistant`, `oscal`, …).
    pub source: String,
    /// All nodes.
    pub node_count: i64,
    /// Requirements that can be answered.
    pub assessable_count: i64,
    /// Implementation groups and translations.
    pub meta: serde_json::Value,
    /// Imported (Unix ms).
    pub imported_at_ms: i64,
    /// Who imported it.
    pub imported_by: String,
}
