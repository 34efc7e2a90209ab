//! Records the store returns that are not domain types (sessions, tokens, login data).

use serde::Serialize;
use verbund_domain::audit::ChainedRecord;
use verbund_domain::authz::Role;
use verbund_domain::user::NewUser;
use verbund_domain::{
    ApiTokenId, AuditEntryId, FederationId, InvitationId, OrgId, RoleAssignmentId, UserId,
};

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
    /// The federation's name and the hash of its logo, if one was uploaded: the page header
    /// shows both, so they come with the session rather than in a query of their own.
    pub branding: Branding,
}

/// The federation as every page's header shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Branding {
    /// The federation's name (`None` before it is set up).
    pub federation_name: Option<String>,
    /// SHA-256 (hex) of the federation's logo, which versions its URL.
    pub logo_sha256: Option<String>,
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

/// One sign-in throttling counter (see `verbund_domain::signin`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginCounter {
    /// The counter's key (a SHA-256).
    pub key: String,
    /// Failures in the current window.
    pub failures: i64,
    /// Start of the current window (Unix ms).
    pub window_start_ms: i64,
    /// Attempts are refused until then (Unix ms), if set.
    pub blocked_until_ms: Option<i64>,
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Waiting for the account's owner.
    Pending,
    /// The owner took the role.
    Accepted,
    /// The owner refused it.
    Declined,
}

impl InvitationStatus {
    /// Stored code: `pending`, `accepted`, `declined`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
        }
    }

    /// The status of a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "pending" => Some(Self::Pending),
            "accepted" => Some(Self::Accepted),
            "declined" => Some(Self::Declined),
            _ => None,
        }
    }
}

/// A role in a member offered to an account; its owner accepts or declines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// ID.
    pub id: InvitationId,
    /// The invited account (never shown to the inviting member).
    pub user_id: UserId,
    /// The member offering the role.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// The role offered.
    pub role: Role,
    /// The address as the inviter typed it.
    pub email: String,
    /// Who invited (e-mail).
    pub invited_by: String,
    /// Where it stands.
    pub status: InvitationStatus,
    /// Sent (Unix ms).
    pub created_at_ms: i64,
    /// Accepted or declined (Unix ms).
    pub decided_at_ms: Option<i64>,
}

/// An invitation to write: the account is created with these details if the address has none.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    /// Address, name and (unhashed, unused here) password of a new account.
    pub user: NewUser,
    /// Argon2id hash of the initial password of a new account.
    pub password_hash: Option<String>,
    /// The member offering the role.
    pub org: OrgId,
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

/// What a backup wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BackupSummary {
    /// Rows per table.
    pub tables: Vec<(String, usize)>,
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

/// A stored logo without its bytes: what pages and the API say about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogoMeta {
    /// PNG or JPEG.
    pub format: verbund_domain::logo::LogoFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// File size.
    pub size_bytes: i64,
    /// SHA-256 of the file (hex); its start versions the URL it is served under.
    pub sha256: String,
    /// Last upload, Unix milliseconds.
    pub updated_at_ms: i64,
}
