//! Assessments for the HTML and JSON handlers: authorize, validate, call the store.
//!
//! Reading needs `ReadAssessments` on the member, answering `AnswerAssessments`, starting,
//! snapshots and imports `ManageAssessments`. Objects outside the actor's reach are 404,
//! own objects without the right 403 (decided by `Actor::check`).

mod access;
mod bulk;
mod files;
mod groups;
mod list_cache;
mod migration;
mod snapshots;
mod topic_cache;

pub use migration::{MigrationPreview, migrate, migration_preview, newer_revisions};
pub use snapshots::{Comparison, compare, snapshot, snapshots};

pub use list_cache::{ListCache, ListJson, answers_json};
pub use topic_cache::TopicCache;

pub use bulk::{BulkFilter, BulkIn, bulk};
pub use groups::{TopicNotApplicableIn, group_change, mark_topic_not_applicable, undo};

pub use access::{Target, all_answers, answer_row, authorize, evidence_answer, priorities};

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use verbund_domain::assessment::{Answer, AnswerStatus};
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::page::{DEFAULT_PER_PAGE, Page, PageRequest};
use verbund_domain::validation::{ValidationErrors, parse_date};
use verbund_domain::{AnswerId, AssessmentId, CatalogId, OrgId};
use verbund_store::{AnswerFilter, AnswerRow, AuditActor, StoredAssessment, TopicScore};

pub use files::{
    EVIDENCE_LIMIT, EvidenceIn, ExportFormat, ImportOutcome, add_evidence, delete_evidence,
    evidence, evidence_list, export, import,
};

use crate::Services;
use crate::error::{Error, Result};

/// The org an assessment belongs to, after checking `p` on it (404 outside reach).
pub(crate) async fn org_of(
    st: &Services,
    actor: &Actor,
    id: AssessmentId,
    p: Permission,
) -> Result<StoredAssessment> {
    let a = st
        .store
        .assessment(&actor.scope(Permission::ReadAssessments), id)
        .await?;
    actor.check(p, a.org_id)?;
    Ok(a)
}

/// Starts assessments of a catalog revision.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartIn {
    /// The catalog revision to answer.
    #[schema(value_type = i64)]
    pub catalog_id: CatalogId,
    /// Members to start for; omitted: every member of the federation (office only).
    #[serde(default)]
    #[schema(value_type = Option<Vec<i64>>, min_items = 1)]
    pub orgs: Option<Vec<OrgId>>,
}

/// What "start for every member" would do with `catalog` (office only): how many members
/// get a new assessment and how many are skipped because they assess that revision already.
pub async fn start_preview(
    st: &Services,
    actor: &Actor,
    catalog: CatalogId,
) -> Result<(usize, usize)> {
    actor.check_office(Permission::ManageAssessments)?;
    let fed = crate::federation(&st.store).await?;
    st.store.catalog(fed.id, catalog).await?;
    let members = st
        .store
        .member_rows_federation_wide(&actor.scope(Permission::ManageAssessments), fed.id)
        .await?
        .into_iter()
        .filter(|(o, _)| o.id != fed.office_org_id)
        .count();
    let already = st
        .store
        .assessment_counts_by_catalog(fed.id)
        .await?
        .into_iter()
        .find(|(c, _)| *c == catalog)
        .map_or(0, |(_, n)| usize::try_from(n).unwrap_or(0));
    Ok((members.saturating_sub(already), already.min(members)))
}

/// Starts assessments; returns the IDs created (members that already have one are skipped).
pub async fn start(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    d: &StartIn,
) -> Result<Vec<AssessmentId>> {
    let fed = crate::federation(&st.store).await?;
    let orgs: Vec<OrgId> = match &d.orgs {
        Some(ids) => {
            let ids = ids.clone();
            for o in &ids {
                actor.check(Permission::ManageAssessments, *o)?;
            }
            ids
        }
        None => {
            actor.check_office(Permission::ManageAssessments)?;
            st.store
                .member_rows_federation_wide(&actor.scope(Permission::ManageAssessments), fed.id)
                .await?
                .into_iter()
                .map(|(o, _)| o.id)
                .filter(|o| *o != fed.office_org_id)
                .collect()
        }
    };
    if orgs.is_empty() {
        return Err(ValidationErrors::single("orgs", "error-required").into());
    }
    st.store.catalog(fed.id, d.catalog_id).await?;
    Ok(st
        .store
        .start_assessments(
            by,
            &actor.scope(Permission::ManageAssessments),
            fed.id,
            d.catalog_id,
            &orgs,
        )
        .await?)
}

/// Assessments the actor may read.
pub async fn list(
    st: &Services,
    actor: &Actor,
    catalog: Option<CatalogId>,
    page: PageRequest,
) -> Result<Page<StoredAssessment>> {
    Ok(st
        .store
        .assessments(&actor.scope(Permission::ReadAssessments), catalog, page)
        .await?)
}

/// An assessment with its topic scores.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssessmentOut {
    /// The assessment with its overall tally.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub assessment: StoredAssessment,
    /// Fulfilment in basis points (None without requirements).
    pub score_bp: Option<u32>,
    /// Progress in basis points.
    pub progress_bp: Option<u32>,
    /// Topics with their tallies and scores.
    #[schema(value_type = Vec<Object>)]
    pub topics: Vec<TopicOut>,
}

/// A topic's tally with its score.
#[derive(Debug, Serialize)]
pub struct TopicOut {
    /// Topic data and tally.
    #[serde(flatten)]
    pub topic: TopicScore,
    /// Fulfilment in basis points.
    pub score_bp: Option<u32>,
    /// Progress in basis points.
    pub progress_bp: Option<u32>,
}

/// One assessment with its summary.
pub async fn get(st: &Services, actor: &Actor, id: AssessmentId) -> Result<AssessmentOut> {
    let a = org_of(st, actor, id, Permission::ReadAssessments).await?;
    let topics = match st.topics.get(id.0, a.revision) {
        Some(t) => t,
        None => {
            let t = Arc::new(
                st.store
                    .assessment_topics(&actor.scope(Permission::ReadAssessments), id)
                    .await?,
            );
            st.topics.put(id.0, a.revision, Arc::clone(&t));
            t
        }
    };
    let topics = topics
        .iter()
        .map(|t| TopicOut {
            score_bp: t.tally.score_bp(),
            progress_bp: t.tally.progress_bp(),
            topic: t.clone(),
        })
        .collect();
    Ok(AssessmentOut {
        score_bp: a.tally.score_bp(),
        progress_bp: a.tally.progress_bp(),
        assessment: a,
        topics,
    })
}

/// Filters and paging of the answer list, as query parameters.
// Filters arrive as text because the HTML filter form sends empty fields; an empty one is no
// filter. The API documents the values a filter takes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnswersQuery {
    /// Only this topic (index from 0).
    #[param(value_type = Option<i64>, nullable = false)]
    pub topic: Option<String>,
    /// Only this status.
    #[param(value_type = Option<AnswerStatus>, inline, nullable = false)]
    pub status: Option<String>,
    /// Only this priority (implementation group).
    #[param(nullable = false)]
    pub priority: Option<String>,
    /// Owner contains.
    #[param(nullable = false)]
    pub owner: Option<String>,
    /// Text search in ref_id, title and requirement text.
    #[param(nullable = false)]
    pub q: Option<String>,
    /// Page (1-based); with `all=true` every row is returned.
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 25, 1 to 200; outside that range the request is refused with 422).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
    /// Return every row in one response.
    #[param(nullable = false)]
    pub all: Option<bool>,
}

impl AnswersQuery {
    /// The query in a canonical form, for caching its result.
    fn cache_key(&self) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.topic,
            self.status,
            self.priority,
            self.owner,
            self.q,
            self.page,
            self.per_page,
            self.all
        )
    }

    /// The store filter; an unknown status is a field error.
    pub fn filter(&self) -> Result<AnswerFilter> {
        let blank = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let status = match blank(&self.status) {
            Some(s) => Some(
                AnswerStatus::parse(&s)
                    .ok_or(ValidationErrors::single("status", "error-status"))?,
            ),
            None => None,
        };
        let topic = match blank(&self.topic) {
            Some(t) => Some(
                t.parse::<i64>()
                    .map_err(|_| ValidationErrors::single("topic", "error-number"))?,
            ),
            None => None,
        };
        Ok(AnswerFilter {
            topic,
            status,
            priority: blank(&self.priority),
            owner: blank(&self.owner),
            q: blank(&self.q),
        })
    }
}

/// Answer rows of an assessment.
pub async fn answers(
    st: &Services,
    actor: &Actor,
    id: AssessmentId,
    q: &AnswersQuery,
) -> Result<Page<AnswerRow>> {
    let filter = q.filter()?;
    let page = PageRequest::checked(q.page, q.per_page, DEFAULT_PER_PAGE)?;
    let page = if q.all == Some(true) {
        None
    } else {
        Some(page)
    };
    Ok(st
        .store
        .answers(&actor.scope(Permission::ReadAssessments), id, &filter, page)
        .await?)
}

/// An answer as entered.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerIn {
    /// unanswered, yes, partial, no, not_applicable (German labels accepted).
    pub status: String,
    /// Why (mandatory for not_applicable).
    #[serde(default)]
    pub justification: Option<String>,
    /// Responsible person.
    #[serde(default)]
    pub owner: Option<String>,
    /// Due date, `YYYY-MM-DD` or `TT.MM.JJJJ`.
    #[serde(default)]
    pub due_on: Option<String>,
    /// Comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// The row version read; if given and the row changed since, 409.
    #[serde(default)]
    pub version: Option<i64>,
}

impl AnswerIn {
    /// The validated answer.
    pub fn to_answer(&self) -> Result<Answer, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let status = e.check(
            "status",
            AnswerStatus::parse(&self.status).ok_or("error-status"),
        );
        let due_on = match self
            .due_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(d) => e
                .check(
                    "due_on",
                    parse_date(d)
                        .or_else(|_| parse_german_date(d))
                        .map_err(|_| "error-date"),
                )
                .map(Some),
            None => Some(None),
        };
        let (Some(status), Some(due_on)) = (status, due_on) else {
            return Err(e);
        };
        let a = Answer {
            status,
            justification: self.justification.clone(),
            owner: self.owner.clone(),
            due_on,
            comment: self.comment.clone(),
        };
        match a.validated() {
            Ok(a) if e.0.is_empty() => Ok(a),
            Ok(_) => Err(e),
            Err(v) => {
                e.0.extend(v.0);
                Err(e)
            }
        }
    }
}

/// `TT.MM.JJJJ`, as German users type dates.
fn parse_german_date(s: &str) -> Result<time::Date, ()> {
    let mut parts = s
        .split('.')
        .map(|p| p.trim().parse::<i32>().map_err(|_| ()));
    let (d, m, y) = (
        parts.next().ok_or(())??,
        parts.next().ok_or(())??,
        parts.next().ok_or(())??,
    );
    let month = time::Month::try_from(u8::try_from(m).map_err(|_| ())?).map_err(|_| ())?;
    time::Date::from_calendar_date(y, month, u8::try_from(d).map_err(|_| ())?).map_err(|_| ())
}

/// Sets one answer.
pub async fn answer(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    answer_id: AnswerId,
    d: &AnswerIn,
) -> Result<AnswerRow> {
    // The write is scoped to the members the actor may answer for; only when it finds nothing
    // (or the input is invalid) is the answer looked up to tell 404 from 403, so the common
    // case costs no read before the transaction.
    let denied = || async {
        let (_, org) = st
            .store
            .answer_assessment(&actor.scope(Permission::ReadAssessments), answer_id)
            .await?;
        actor.check(Permission::AnswerAssessments, org)?;
        Ok::<_, Error>(())
    };
    let a = match d.to_answer() {
        Ok(a) => a,
        Err(e) => {
            denied().await?;
            return Err(e.into());
        }
    };
    match st
        .store
        .set_answer(
            by,
            &actor.scope(Permission::AnswerAssessments),
            answer_id,
            d.version,
            &a,
        )
        .await
    {
        Ok((_, row)) => Ok(row),
        Err(verbund_store::StoreError::NotFound) => {
            denied().await?;
            Err(Error::NotFound)
        }
        Err(e) => Err(e.into()),
    }
}
