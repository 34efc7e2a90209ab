//! Bulk changes: the fields given replace those of every selected row, where the selection
//! is a list of rows or every row matching a filter.

use serde::Deserialize;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::validation::{FieldError, ValidationErrors};
use verbund_domain::{AnswerId, AssessmentId};
use verbund_store::{AnswerRow, AuditActor};

use super::{AnswerIn, AnswersQuery, org_of};
use crate::Services;
use crate::error::Result;

/// At most this many rows per bulk change (the BSI SYS group has 1,638).
pub const MAX_BULK_ROWS: usize = 5000;

/// Selects every row matching these filters (all optional, as the answer list's filters).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkFilter {
    /// Only this topic (index from 0).
    #[serde(default)]
    pub topic: Option<i64>,
    /// Only this status.
    #[serde(default)]
    pub status: Option<String>,
    /// Only this priority (implementation group).
    #[serde(default)]
    pub priority: Option<String>,
    /// Owner contains.
    #[serde(default)]
    pub owner: Option<String>,
    /// Text search in ref_id, title and requirement text.
    #[serde(default)]
    pub q: Option<String>,
}

impl From<&AnswersQuery> for BulkFilter {
    fn from(q: &AnswersQuery) -> Self {
        BulkFilter {
            topic: q.topic.as_deref().and_then(|t| t.trim().parse().ok()),
            status: q.status.clone(),
            priority: q.priority.clone(),
            owner: q.owner.clone(),
            q: q.q.clone(),
        }
    }
}

/// Several answers changed at once: the fields given replace those of every selected row.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkIn {
    /// Answer IDs (leave empty when `filter` is given).
    #[serde(default)]
    #[schema(value_type = Vec<i64>)]
    pub ids: Vec<AnswerId>,
    /// Every row matching this filter instead of `ids`.
    #[serde(default)]
    pub filter: Option<BulkFilter>,
    /// New status.
    #[serde(default)]
    pub status: Option<String>,
    /// New justification.
    #[serde(default)]
    pub justification: Option<String>,
    /// New owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// New due date.
    #[serde(default)]
    pub due_on: Option<String>,
}

/// The rows a bulk change aims at: `ids`, or every row matching `filter`.
async fn selection(
    st: &Services,
    actor: &Actor,
    id: AssessmentId,
    d: &BulkIn,
) -> Result<Vec<AnswerId>> {
    let ids = match &d.filter {
        Some(_) if !d.ids.is_empty() => {
            return Err(ValidationErrors::single("ids", "error-selection-both").into());
        }
        Some(f) => {
            let q = AnswersQuery {
                topic: f.topic.map(|t| t.to_string()),
                status: f.status.clone(),
                priority: f.priority.clone(),
                owner: f.owner.clone(),
                q: f.q.clone(),
                all: Some(true),
                ..AnswersQuery::default()
            };
            super::answers(st, actor, id, &q)
                .await?
                .items
                .into_iter()
                .map(|r| r.id)
                .collect()
        }
        None => d.ids.clone(),
    };
    if ids.is_empty() || ids.len() > MAX_BULK_ROWS {
        return Err(ValidationErrors::single("ids", "error-selection").into());
    }
    Ok(ids)
}

/// Applies a bulk change in one transaction; every row is validated (e.g. entbehrlich needs
/// a justification). If any row fails nothing is saved, and the error names every failing
/// row (field `<field>:<ref_id>`), not only the first.
pub async fn bulk(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: AssessmentId,
    d: &BulkIn,
) -> Result<Vec<AnswerRow>> {
    org_of(st, actor, id, Permission::AnswerAssessments).await?;
    let set = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    if [&d.status, &d.justification, &d.owner, &d.due_on]
        .iter()
        .all(|v| set(v).is_none())
    {
        return Err(ValidationErrors::single("status", "error-bulk-empty").into());
    }
    let ids = selection(st, actor, id, d).await?;
    let rows = st
        .store
        .answers_by_id(&actor.scope(Permission::AnswerAssessments), id, &ids)
        .await?;
    let mut changes = Vec::with_capacity(rows.len());
    let mut failed: Vec<FieldError> = Vec::new();
    for r in rows {
        let a = r.answer;
        let draft = AnswerIn {
            status: set(&d.status).unwrap_or_else(|| a.status.as_str().to_owned()),
            justification: set(&d.justification).or(a.justification),
            owner: set(&d.owner).or(a.owner),
            due_on: set(&d.due_on).or(a.due_on.map(verbund_domain::validation::format_date)),
            comment: a.comment,
            version: None,
        };
        match draft.to_answer() {
            Ok(answer) => changes.push((r.id, None, answer)),
            Err(e) => {
                let label = r.ref_id.clone().unwrap_or_else(|| r.urn.clone());
                failed.extend(e.0.into_iter().map(|mut f| {
                    f.field = format!("{}:{label}", f.field);
                    f
                }));
            }
        }
    }
    if !failed.is_empty() {
        return Err(ValidationErrors(failed).into());
    }
    Ok(st
        .store
        .set_answers(
            by,
            &actor.scope(Permission::AnswerAssessments),
            id,
            &changes,
        )
        .await?)
}
