//! What a member's page links to: its assessments, its cost statements and its users with
//! their roles, each as far as the actor may read it.

use verbund_domain::OrgId;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::page::PageRequest;
use verbund_domain::user::User;
use verbund_store::{StoredAssessment, StoredStatement, UserGrant};

use crate::Services;
use crate::error::Result;

/// The member's objects the actor may read (empty where it may not).
#[derive(Debug, Clone, Default)]
pub struct MemberLinks {
    /// Its assessments (the newest 50).
    pub assessments: Vec<StoredAssessment>,
    /// The statements it is part of, newest first.
    pub statements: Vec<StoredStatement>,
    /// Its users (the first 50 by name) with their roles in this member.
    pub users: Vec<(User, Vec<UserGrant>)>,
}

/// The links of member `org`'s page.
pub async fn member_links(st: &Services, actor: &Actor, org: OrgId) -> Result<MemberLinks> {
    let first = PageRequest::new(Some(1), Some(50));
    let assess = actor.scope(Permission::ReadAssessments).narrowed_to(org);
    let assessments = if assess.is_empty() {
        vec![]
    } else {
        st.store.assessments(&assess, None, first).await?.items
    };
    let costs = actor.scope(Permission::ReadCosts).narrowed_to(org);
    let statements = if costs.is_empty() {
        vec![]
    } else {
        let fed = crate::federation(&st.store).await?;
        st.store.statements(&costs, fed.id, None).await?
    };
    let people = actor.scope(Permission::ReadUsers).narrowed_to(org);
    let mut users = Vec::new();
    if !people.is_empty() {
        for u in st.store.list_users(&people, None, first).await?.items {
            let grants = st.store.user_grants(&people, u.id).await?;
            users.push((u, grants));
        }
    }
    Ok(MemberLinks {
        assessments,
        statements,
        users,
    })
}

/// Each user of `page` with the roles the actor may see (in the actor's reach only).
pub async fn with_roles(
    st: &Services,
    actor: &Actor,
    users: Vec<User>,
) -> Result<Vec<(User, Vec<UserGrant>)>> {
    let scope = actor.scope(Permission::ReadUsers);
    let mut out = Vec::with_capacity(users.len());
    for u in users {
        let grants = st.store.user_grants(&scope, u.id).await?;
        out.push((u, grants));
    }
    Ok(out)
}
