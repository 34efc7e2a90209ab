//! The start page: counts within the user's reach, their roles and the latest changes.

use verbund_domain::authz::{Actor, Permission};
use verbund_store::{AuditEntry, UserGrant};

use crate::Services;
use crate::error::Result;

/// What the start page shows.
#[derive(Debug, Clone)]
pub struct Overview {
    /// Organisations the user can see.
    pub org_count: i64,
    /// Users holding a role where the user may read users.
    pub user_count: i64,
    /// The user's own roles.
    pub roles: Vec<UserGrant>,
    /// The latest audit entries the user may read.
    pub recent: Vec<AuditEntry>,
}

/// The start page of `actor`, with the latest `recent` changes.
pub async fn overview(st: &Services, actor: &Actor, recent: i64) -> Result<Overview> {
    Ok(Overview {
        org_count: st
            .store
            .count_orgs(&actor.scope(Permission::ReadOrg))
            .await?,
        user_count: st
            .store
            .count_users(&actor.scope(Permission::ReadUsers))
            .await?,
        roles: crate::users::own_grants(st, actor).await?,
        recent: st
            .store
            .recent_audit(&actor.scope(Permission::ReadAudit), recent)
            .await?,
    })
}
