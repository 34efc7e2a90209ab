//! Reading the audit log (writing happens in the store, in the same transaction as the change).

use verbund_domain::OrgId;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::page::{Page, PageRequest};
use verbund_store::AuditEntry;

use crate::Services;
use crate::error::Result;

/// Audit entries the actor may read, optionally for one organisation.
pub async fn list_audit(
    st: &Services,
    actor: &Actor,
    org: Option<OrgId>,
    page: PageRequest,
) -> Result<Page<AuditEntry>> {
    if let Some(o) = org {
        actor.check(Permission::ReadAudit, o)?;
    }
    Ok(st
        .store
        .list_audit(&actor.scope(Permission::ReadAudit), org, page)
        .await?)
}
