//! Assessment storage: one assessment per member and catalog revision, its answers, the
//! tallies per topic and overall (maintained on every write), snapshots, evidence files and
//! the federation comparison.
//!
//! Every call on member data takes a [`Scope`]; objects outside it are [`StoreError::NotFound`].

use serde::{Deserialize, Serialize};
use verbund_domain::assessment::{Answer, AnswerStatus, Tally};
use verbund_domain::authz::Scope;
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::{
    AnswerId, AssessmentId, CatalogId, EvidenceId, FederationId, OrgId, SnapshotId,
};

use crate::{AuditActor, Db, Result, Store, StoreError, backend};

/// An assessment with its overall tally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredAssessment {
    /// ID.
    pub id: AssessmentId,
    /// The member.
    pub org_id: OrgId,
    /// The member's name.
    pub org_name: String,
    /// The catalog revision answered.
    pub catalog_id: CatalogId,
    /// The catalog's name.
    pub catalog_name: String,
    /// The catalog's revision counter.
    pub catalog_revision: i64,
    /// When it was started.
    pub created_at_ms: i64,
    /// Who started it.
    pub created_by: String,
    /// Last change of an answer.
    pub updated_at_ms: i64,
    /// Bumped by every write that changes the answers or tallies (for caches, not shown).
    #[serde(skip)]
    pub revision: i64,
    /// Counts and points over all requirements.
    pub tally: Tally,
}

/// One topic's tally in an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicScore {
    /// Position of the topic among the catalog's topics, from 0.
    pub topic_index: i64,
    /// The topic's `ref_id`.
    pub ref_id: Option<String>,
    /// The topic's name.
    pub name: String,
    /// Counts and points.
    pub tally: Tally,
}

/// One answer row with the requirement it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerRow {
    /// Answer ID.
    pub id: AnswerId,
    /// The requirement's URN.
    pub urn: String,
    /// The requirement's `ref_id`.
    pub ref_id: Option<String>,
    /// Short title.
    pub name: Option<String>,
    /// The requirement text.
    pub description: Option<String>,
    /// Help text.
    pub guidance: Option<String>,
    /// The `ref_id` of the requirement this row is a sentence of (BSI: `SYS.1.1.A1` above
    /// `SYS.1.1.A1.1`); `None` when the row's parent is its topic.
    pub parent_ref_id: Option<String>,
    /// That requirement's title ("Zugriffsschutz und Nutzung").
    pub parent_name: Option<String>,
    /// Topic position.
    pub topic_index: i64,
    /// Priority (implementation group), if the catalog gives one.
    pub priority: Option<String>,
    /// The answer.
    pub answer: Answer,
    /// Row version, increased on every change.
    pub version: i64,
    /// Last change.
    pub updated_at_ms: Option<i64>,
    /// Who changed it last.
    pub updated_by: Option<String>,
    /// Number of evidence files.
    pub evidence_count: i64,
}

/// Filters of the answer list; all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct AnswerFilter {
    /// Only this topic.
    pub topic: Option<i64>,
    /// Only this status.
    pub status: Option<AnswerStatus>,
    /// Only this priority.
    pub priority: Option<String>,
    /// Owner contains this text (case-insensitive).
    pub owner: Option<String>,
    /// `ref_id`, name or text contains this (case-insensitive).
    pub q: Option<String>,
}

/// A frozen state of an assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredSnapshot {
    /// ID.
    pub id: SnapshotId,
    /// The assessment.
    pub assessment_id: AssessmentId,
    /// Name, e.g. "Stand Jahresbericht 2026".
    pub name: String,
    /// When it was taken.
    pub taken_at_ms: i64,
    /// By whom.
    pub taken_by: String,
    /// The overall tally at that time.
    pub tally: Tally,
    /// The topic tallies at that time.
    pub topics: Vec<TopicScore>,
}

/// One requirement's state in a snapshot: URN, status, whether justified.
pub type SnapshotAnswer = (String, AnswerStatus, bool);

/// An evidence file's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceMeta {
    /// ID.
    pub id: EvidenceId,
    /// The answer it belongs to.
    pub answer_id: AnswerId,
    /// File name as uploaded.
    pub file_name: String,
    /// MIME type (checked against the content).
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Upload time.
    pub uploaded_at_ms: i64,
    /// Who uploaded it.
    pub uploaded_by: String,
}

/// A new evidence file.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    /// File name.
    pub file_name: String,
    /// MIME type.
    pub content_type: String,
    /// Content.
    pub content: Vec<u8>,
}

/// One member's row in the federation comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeatmapRow {
    /// The assessment.
    pub assessment_id: AssessmentId,
    /// The member.
    pub org_id: OrgId,
    /// Its name.
    pub name: String,
    /// Overall score, basis points; 0 when not assessed.
    pub score_bp: i64,
    /// Whether the member has assessed the catalog (at least one answer and a score), i.e.
    /// counts in the federation average, minimum and maximum; if not, the comparison shows
    /// it as *noch nicht bewertet* rather than 0 %.
    pub assessed: bool,
    /// Requirements answered.
    pub answered: i64,
    /// Overall progress (answered / total), basis points.
    pub progress_bp: i64,
    /// Score per topic in topic order, basis points; 0 when not assessed.
    pub topics: Vec<i64>,
    /// Per topic in topic order, whether the member has assessed it (see `assessed`).
    pub topics_assessed: Vec<bool>,
    /// Overall score of the latest snapshot, if any.
    pub previous_bp: Option<i64>,
}

/// Federation-wide figures of one topic (or overall), over the members that have assessed
/// it: members with nothing answered (or no score, everything justified *entbehrlich*)
/// are left out of count, average, minimum and maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TopicStats {
    /// Members counted.
    pub members: i64,
    /// Average score, basis points, rounded half up.
    pub average_bp: i64,
    /// Lowest score.
    pub min_bp: i64,
    /// Highest score.
    pub max_bp: i64,
}

/// A topic marked *entbehrlich* as a whole, undoable while `undone_at_ms` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupChange {
    /// ID (what an undo names).
    pub id: i64,
    /// The assessment.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub assessment_id: AssessmentId,
    /// The member.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub org_id: OrgId,
    /// The topic (index from 0).
    pub topic_index: i64,
    /// The one justification given for every row.
    pub justification: String,
    /// How many answers it changed (rows already so were left alone).
    pub row_count: i64,
    /// When.
    pub created_at_ms: i64,
    /// By whom.
    pub created_by: String,
    /// When it was undone, if it was.
    pub undone_at_ms: Option<i64>,
}

/// How the comparison rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HeatmapSort {
    /// By member name.
    #[default]
    Name,
    /// By overall score, lowest first.
    Score,
    /// By the score of one topic, lowest first.
    Topic(i64),
}

impl Store {
    /// Starts assessments of catalog `catalog_id` for `orgs` (members without one); returns
    /// the IDs of the assessments created. Already existing ones are left as they are.
    /// `NotFound` (and nothing started) if any of `orgs` is outside `scope` or `fed`.
    pub async fn start_assessments(
        &self,
        by: &AuditActor,
        scope: &Scope,
        fed: FederationId,
        catalog_id: CatalogId,
        orgs: &[OrgId],
    ) -> Result<Vec<AssessmentId>> {
        let ids = dispatch!(self.start_assessments(by, scope, fed, catalog_id.0, orgs))?;
        Ok(ids.into_iter().map(AssessmentId).collect())
    }

    /// Assessments inside `scope`, optionally of one catalog revision.
    pub async fn assessments(
        &self,
        scope: &Scope,
        catalog_id: Option<CatalogId>,
        page: PageRequest,
    ) -> Result<Page<StoredAssessment>> {
        dispatch!(self.assessments(scope, catalog_id.map(|c| c.0), page))
    }

    /// One assessment.
    pub async fn assessment(&self, scope: &Scope, id: AssessmentId) -> Result<StoredAssessment> {
        dispatch!(self.assessment(scope, id.0))
    }

    /// The revision of an assessment inside `scope`: it grows with every write that changes
    /// what its answer list shows (answers, evidence), so a cached list is valid while the
    /// revision is unchanged — also across instances sharing one database.
    pub async fn assessment_revision(&self, scope: &Scope, id: AssessmentId) -> Result<i64> {
        dispatch!(self.assessment_revision(scope, id.0))
    }

    /// Topic tallies of an assessment, in topic order.
    pub async fn assessment_topics(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<Vec<TopicScore>> {
        dispatch!(self.assessment_topics(scope, id.0))
    }

    /// Answer rows in catalog order, filtered; `page = None` returns all.
    pub async fn answers(
        &self,
        scope: &Scope,
        id: AssessmentId,
        filter: &AnswerFilter,
        page: Option<PageRequest>,
    ) -> Result<Page<AnswerRow>> {
        dispatch!(self.answers(&self.node_texts, scope, id.0, filter, page))
    }

    /// Answer rows by ID (all must belong to assessment `id`).
    pub async fn answers_by_id(
        &self,
        scope: &Scope,
        id: AssessmentId,
        answer_ids: &[AnswerId],
    ) -> Result<Vec<AnswerRow>> {
        let answer_ids: Vec<i64> = answer_ids.iter().map(|a| a.0).collect();
        dispatch!(self.answers_by_id(scope, id.0, &answer_ids))
    }

    /// Sets answers (already validated) in one transaction, keeping the tallies in step and
    /// writing one audit entry per changed answer. Unknown IDs are [`StoreError::NotFound`].
    /// With `expected_version`, a row changed since is [`StoreError::Stale`].
    pub async fn set_answers(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: AssessmentId,
        changes: &[(AnswerId, Option<i64>, Answer)],
    ) -> Result<Vec<AnswerRow>> {
        dispatch!(self.set_answers(by, scope, id.0, changes))
    }

    /// Sets one answer of whichever assessment inside `scope` it belongs to, in one
    /// transaction (no lookup before it); `NotFound` when it is outside `scope`. Returns the
    /// assessment and the row as stored.
    pub async fn set_answer(
        &self,
        by: &AuditActor,
        scope: &Scope,
        answer_id: AnswerId,
        version: Option<i64>,
        answer: &Answer,
    ) -> Result<(AssessmentId, AnswerRow)> {
        let (id, row) = dispatch!(self.set_answer(by, scope, answer_id, version, answer))?;
        Ok((AssessmentId(id), row))
    }

    /// Marks every answer of topic `topic_index` *entbehrlich* with `justification` (owner,
    /// due date and comment stay), in one transaction audited as one entry with its rows,
    /// and records the previous answers for [`Store::undo_group_change`]. A topic without
    /// rows or a blank justification is a field error.
    pub async fn mark_topic_not_applicable(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: AssessmentId,
        topic_index: i64,
        justification: &str,
    ) -> Result<GroupChange> {
        dispatch!(self.mark_topic_not_applicable(by, scope, id.0, topic_index, justification))
    }

    /// One group change inside `scope`.
    pub async fn group_change(&self, scope: &Scope, change_id: i64) -> Result<GroupChange> {
        dispatch!(self.group_change(scope, change_id))
    }

    /// Restores the answers a group change replaced, exactly, audited as one entry. Undone
    /// already: [`StoreError::Stale`]; a row answered again since: a field error per such
    /// row (`rows:<ref_id>`, nothing restored).
    pub async fn undo_group_change(
        &self,
        by: &AuditActor,
        scope: &Scope,
        change_id: i64,
    ) -> Result<GroupChange> {
        dispatch!(self.undo_group_change(by, scope, change_id))
    }

    /// The assessment and member an answer belongs to, if inside `scope`.
    pub async fn answer_assessment(
        &self,
        scope: &Scope,
        answer_id: AnswerId,
    ) -> Result<(AssessmentId, OrgId)> {
        let (id, org) = dispatch!(self.answer_assessment(scope, answer_id.0))?;
        Ok((AssessmentId(id), org))
    }

    /// Moves an assessment to another revision of its catalog: a new assessment of the member
    /// on `new_catalog` with the answers and evidence of every requirement still there (by
    /// URN), in one transaction. The old assessment stays as it was. Fails with a field error
    /// if `new_catalog` is no other revision of the same catalog or the member has one already.
    pub async fn migrate_assessment(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: AssessmentId,
        new_catalog: CatalogId,
    ) -> Result<AssessmentId> {
        dispatch!(self.migrate_assessment(by, scope, id.0, new_catalog.0)).map(AssessmentId)
    }

    /// Answer IDs by requirement URN (for imports).
    pub async fn answer_ids_by_urn(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<Vec<(String, AnswerId)>> {
        let ids = dispatch!(self.answer_ids_by_urn(scope, id.0))?;
        Ok(ids.into_iter().map(|(urn, a)| (urn, AnswerId(a))).collect())
    }

    /// Freezes the current state under `name`.
    pub async fn take_snapshot(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: AssessmentId,
        name: &str,
    ) -> Result<StoredSnapshot> {
        dispatch!(self.take_snapshot(by, scope, id.0, name))
    }

    /// Snapshots of an assessment, newest first.
    pub async fn snapshots(&self, scope: &Scope, id: AssessmentId) -> Result<Vec<StoredSnapshot>> {
        dispatch!(self.snapshots(scope, id.0))
    }

    /// One snapshot with its answers.
    pub async fn snapshot(
        &self,
        scope: &Scope,
        snapshot_id: SnapshotId,
    ) -> Result<(StoredSnapshot, Vec<SnapshotAnswer>)> {
        dispatch!(self.snapshot(scope, snapshot_id.0))
    }

    /// The current answers of an assessment in the snapshot shape.
    pub async fn current_answers(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<Vec<SnapshotAnswer>> {
        dispatch!(self.current_answers(scope, id.0))
    }

    /// Stores an evidence file for an answer.
    pub async fn add_evidence(
        &self,
        by: &AuditActor,
        scope: &Scope,
        answer_id: AnswerId,
        e: &NewEvidence,
        sha256: &str,
    ) -> Result<EvidenceMeta> {
        dispatch!(self.add_evidence(by, scope, answer_id.0, e, sha256))
    }

    /// Evidence files of an answer.
    pub async fn evidence_list(
        &self,
        scope: &Scope,
        answer_id: AnswerId,
    ) -> Result<Vec<EvidenceMeta>> {
        dispatch!(self.evidence_list(scope, answer_id.0))
    }

    /// One evidence file with its content.
    pub async fn evidence(
        &self,
        scope: &Scope,
        evidence_id: EvidenceId,
    ) -> Result<(EvidenceMeta, Vec<u8>)> {
        dispatch!(self.evidence(scope, evidence_id.0))
    }

    /// Deletes an evidence file.
    pub async fn delete_evidence(
        &self,
        by: &AuditActor,
        scope: &Scope,
        evidence_id: EvidenceId,
    ) -> Result<()> {
        dispatch!(self.delete_evidence(by, scope, evidence_id.0))
    }

    /// Comparison rows of catalog revision `catalog_id` inside `scope`, one page.
    pub async fn heatmap_rows(
        &self,
        scope: &Scope,
        catalog_id: CatalogId,
        sort: HeatmapSort,
        page: PageRequest,
    ) -> Result<Page<HeatmapRow>> {
        dispatch!(self.heatmap_rows(scope, catalog_id.0, sort, page))
    }

    /// Federation-wide figures per topic (index -1: overall) of catalog revision `catalog_id`,
    /// over every member (office-wide; callers decide what a member may see of it).
    pub async fn heatmap_stats_federation_wide(
        &self,
        catalog_id: CatalogId,
    ) -> Result<Vec<(i64, TopicStats)>> {
        dispatch!(self.heatmap_stats(catalog_id.0))
    }

    /// Number of assessments per catalog revision (office-wide, no member data).
    pub async fn assessment_counts_by_catalog(
        &self,
        fed: FederationId,
    ) -> Result<Vec<(CatalogId, i64)>> {
        let counts = dispatch!(self.assessment_counts_by_catalog(fed))?;
        Ok(counts.into_iter().map(|(c, n)| (CatalogId(c), n)).collect())
    }

    /// The implementation groups (priorities) a catalog revision defines, by `ref_id`.
    pub async fn catalog_groups(&self, catalog_id: CatalogId) -> Result<Vec<String>> {
        dispatch!(self.catalog_groups(catalog_id.0))
    }

    /// Topics of a catalog revision: index, `ref_id`, name.
    pub async fn catalog_topics(
        &self,
        fed: FederationId,
        catalog_id: CatalogId,
    ) -> Result<Vec<(i64, Option<String>, String)>> {
        dispatch!(self.catalog_topics(fed, catalog_id.0))
    }
}

/// The texts of a catalog node, as answer rows show them.
#[derive(Debug, Clone)]
pub(crate) struct NodeText {
    pub urn: String,
    pub ref_id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub guidance: Option<String>,
    /// The parent requirement's `ref_id` and title, unless the parent is a topic (root).
    pub parent_ref_id: Option<String>,
    pub parent_name: Option<String>,
}

/// Node texts by node ID.
pub(crate) type NodeTexts = std::collections::HashMap<i64, NodeText>;

/// Node texts per catalog revision, loaded once: the answer list would otherwise read and
/// copy the same megabyte of requirement text (NIST SP 800-53) from the database on every
/// request. Revisions are immutable, so entries never go stale; the number kept is bounded.
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeTextCache(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<i64, std::sync::Arc<NodeTexts>>>>,
);

impl NodeTextCache {
    /// Catalog revisions kept at most (a few MB each for the largest catalogs).
    const CAPACITY: usize = 32;

    pub(crate) fn get(&self, catalog_id: i64) -> Option<std::sync::Arc<NodeTexts>> {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&catalog_id).cloned()
    }

    pub(crate) fn put(&self, catalog_id: i64, texts: std::sync::Arc<NodeTexts>) {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= Self::CAPACITY {
            map.clear();
        }
        map.insert(catalog_id, texts);
    }
}

/// Turns a missing row into [`StoreError::NotFound`].
pub(crate) fn found<T>(v: Option<T>) -> Result<T> {
    v.ok_or(StoreError::NotFound)
}
