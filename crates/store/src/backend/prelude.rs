// Imports and helpers shared by every included file (included once per backend module).
#[allow(unused_imports)]
use crate::rows::*;
#[allow(unused_imports)]
use crate::types::*;
#[allow(unused_imports)]
use crate::{Result, StoreError, like_pattern, now_ms, scope_sql};
#[allow(unused_imports)]
use sqlx::{AssertSqlSafe, Pool, Row};
#[allow(unused_imports)]
use verbund_domain::audit::{AuditRecord, ChainError, ChainReport, ChainVerifier, ChainedRecord};
#[allow(unused_imports)]
use verbund_domain::authz::{Actor, Grant, Role, Scope, SystemAccess};
#[allow(unused_imports)]
use verbund_domain::catalog::{Catalog, CatalogNode};
#[allow(unused_imports)]
use verbund_domain::costs::{
    AllocationKey, BudgetLine, Cents, CostCategory, StandaloneCosts, StatementDocument, Subsidy,
    SubsidyApplication,
};
#[allow(unused_imports)]
use verbund_domain::key_figures::{KeyFigureProposal, ProposalInput, ProposalStatus};
#[allow(unused_imports)]
use verbund_domain::org::{Membership, MembershipInput, OrgInput, Organisation};
#[allow(unused_imports)]
use verbund_domain::page::{Page, PageRequest};
#[allow(unused_imports)]
use verbund_domain::signin::Rule;
#[allow(unused_imports)]
use verbund_domain::structure as st;
#[allow(unused_imports)]
use verbund_domain::user::{NewUser, User};
#[allow(unused_imports)]
use verbund_domain::validation::format_date;
#[allow(unused_imports)]
use verbund_domain::{
    AnswerId, ApiTokenId, AssessmentId, AuditEntryId, BudgetLineId, CatalogId, CostKeyId,
    EvidenceId, FederationId, InvitationId, KeyFigureProposalId, MembershipId, OrgId,
    RoleAssignmentId, SnapshotId, StatementId, StructureLinkId, StructureObjectId, SubsidyId,
    UserId,
};

type Tx = sqlx::Transaction<'static, DB>;

pub(crate) async fn ping(pool: &Pool<DB>) -> Result<()> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}

fn json_text<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Db(sqlx::Error::Encode(Box::new(e))))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| {
        StoreError::Db(sqlx::Error::Decode(
            format!("stored {what} is invalid: {e}").into(),
        ))
    })
}
