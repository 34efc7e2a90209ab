// Imports shared by every included file (included once per backend module).
#[allow(unused_imports)]
use crate::rows::*;
#[allow(unused_imports)]
use crate::types::*;
#[allow(unused_imports)]
use crate::{Result, StoreError, like_pattern, now_ms, scope_sql};
#[allow(unused_imports)]
use sqlx::{AssertSqlSafe, Pool, Row};
#[allow(unused_imports)]
use verbund_domain::audit::{AuditRecord, ChainError, ChainVerifier, ChainedRecord};
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
use verbund_domain::org::{Membership, MembershipInput, OrgInput, Organisation};
#[allow(unused_imports)]
use verbund_domain::page::{Page, PageRequest};
#[allow(unused_imports)]
use verbund_domain::user::{NewUser, User};
#[allow(unused_imports)]
use verbund_domain::validation::format_date;
#[allow(unused_imports)]
use verbund_domain::{
    ApiTokenId, AuditEntryId, FederationId, MembershipId, OrgId, RoleAssignmentId, UserId,
};

type Tx = sqlx::Transaction<'static, DB>;

pub(crate) async fn ping(pool: &Pool<DB>) -> Result<()> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}
