//! IT-Grundschutz-Check (BSI 200-2): per target object and requirement of its modules, the
//! answer (ja / teilweise / nein / entbehrlich with justification, owner, date, implementation
//! note) and, optionally, the object that fulfils it (a higher-level object or a provider
//! object the member relies on). Rows come from the modelling (assigning a module writes them);
//! high-level requirements count only for objects with a high need (see
//! [`verbund_domain::structure::check`]).
//!
//! Permissions as for the objects (see [`crate::structure`]): `ReadStructure` to read,
//! `EditStructure` to answer. A row the actor cannot see is 404; one it sees but may not
//! change (management, a provider's row) is 403. The federation comparison is the office's.

use serde::{Deserialize, Serialize};
use verbund_domain::authz::{Actor, Denied, Permission};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::structure::check::{CheckFilter, CheckRow, LevelTallies, MemberFulfilment};
use verbund_domain::structure::model::ObjectFilter;
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, StructureObjectId};
use verbund_store::AuditActor;

use crate::Services;
use crate::assessments::AnswerIn;
use crate::error::{Error, Result};

/// A member's check: one page of rows and the tallies per level.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Check {
    /// The rows of this page.
    pub rows: Page<CheckRow>,
    /// The tallies per level over every row in scope (all pages, no filter).
    pub summary: LevelTallies,
}

/// The check of `org` (a member, or a provider for the office).
pub async fn check(
    st: &Services,
    actor: &Actor,
    org: OrgId,
    filter: &CheckFilter,
    page: PageRequest,
) -> Result<Check> {
    actor.check(Permission::ReadStructure, org)?;
    let scope = actor.scope(Permission::ReadStructure);
    let rows = st.store.check_rows(&scope, org, filter, page).await?;
    let summary = st.store.check_summary(&scope, org).await?;
    Ok(Check { rows, summary })
}

/// The check rows of one object the actor sees (every row, in scope or not).
pub async fn object_rows(
    st: &Services,
    actor: &Actor,
    object: StructureObjectId,
) -> Result<Vec<CheckRow>> {
    let scope = actor.scope(Permission::ReadStructure);
    let o = st.store.get_structure_object(&scope, object).await?;
    let filter = CheckFilter {
        object: Some(object),
        with_out_of_scope: true,
        ..CheckFilter::default()
    };
    Ok(st
        .store
        .check_rows(
            &scope,
            o.org_id,
            &filter,
            PageRequest::new(Some(1), Some(200)),
        )
        .await?
        .items)
}

/// One row the actor sees.
pub async fn row(st: &Services, actor: &Actor, id: i64) -> Result<CheckRow> {
    Ok(st
        .store
        .get_check_row(&actor.scope(Permission::ReadStructure), id)
        .await?)
}

/// An answer to a check row as entered: the assessment answer's fields plus the object that
/// fulfils the requirement.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckAnswerIn {
    /// unanswered, yes, partial, no, not_applicable (German labels accepted).
    pub status: String,
    /// Why (mandatory for not_applicable).
    #[serde(default)]
    pub justification: Option<String>,
    /// Responsible person.
    #[serde(default)]
    pub owner: Option<String>,
    /// Date of implementation, `YYYY-MM-DD` or `TT.MM.JJJJ`.
    #[serde(default)]
    pub due_on: Option<String>,
    /// Implementation note.
    #[serde(default)]
    pub comment: Option<String>,
    /// Another object that fulfils the requirement for this one (a higher-level object, or a
    /// provider object the member relies on), with its own row for the same requirement.
    #[serde(default)]
    pub fulfilled_by: Option<i64>,
    /// The row version read; if given and the row changed since, 409.
    #[serde(default)]
    pub version: Option<i64>,
}

/// Answers a row of an object the actor may change.
pub async fn answer(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: i64,
    d: &CheckAnswerIn,
) -> Result<CheckRow> {
    let read = actor.scope(Permission::ReadStructure);
    let row = st.store.get_check_row(&read, id).await?;
    actor
        .check(Permission::EditStructure, row.org_id)
        .map_err(|d| match d {
            Denied::NotFound | Denied::Forbidden => Error::Forbidden,
        })?;
    let input = AnswerIn {
        status: d.status.clone(),
        justification: d.justification.clone(),
        owner: d.owner.clone(),
        due_on: d.due_on.clone(),
        comment: d.comment.clone(),
        version: d.version,
    };
    let a = input.to_answer()?;
    if d.fulfilled_by.is_some_and(|f| f <= 0) {
        return Err(
            ValidationErrors::single("fulfilled_by", "error-check-reference-unknown").into(),
        );
    }
    Ok(st
        .store
        .answer_check_row(
            by,
            &actor.scope(Permission::EditStructure),
            &read,
            id,
            d.version,
            &a,
            d.fulfilled_by.map(StructureObjectId),
        )
        .await?)
}

/// Basis and Standard fulfilment per member (office only).
pub async fn comparison(st: &Services, actor: &Actor) -> Result<Vec<MemberFulfilment>> {
    actor.check_office(Permission::ReadStructure)?;
    Ok(st
        .store
        .check_fulfilment_federation_wide(&actor.scope(Permission::ReadStructure))
        .await?)
}

/// The objects of `org` for the check's object filter: (id, short id and name), at most 200.
pub async fn objects(st: &Services, actor: &Actor, org: OrgId) -> Result<Vec<(i64, String)>> {
    let filter = ObjectFilter {
        org: Some(org),
        ..ObjectFilter::default()
    };
    let page =
        crate::structure::list(st, actor, &filter, PageRequest::new(Some(1), Some(200))).await?;
    Ok(page
        .items
        .into_iter()
        .map(|o| (o.id.0, format!("{} {}", o.short_id, o.name)))
        .collect())
}
