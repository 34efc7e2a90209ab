//! Snapshots of an assessment ("Stand festhalten") and the comparison of two of them.

use serde::Serialize;
use verbund_domain::assessment::{ChangeLine, compare_snapshots};
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{AssessmentId, SnapshotId};
use verbund_store::{AuditActor, StoredSnapshot};

use super::org_of;
use crate::Services;
use crate::error::{Error, Result};

/// Takes a snapshot.
pub async fn snapshot(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: AssessmentId,
    name: &str,
) -> Result<StoredSnapshot> {
    org_of(st, actor, id, Permission::ManageAssessments).await?;
    let name = verbund_domain::validation::required_text(name, 200)
        .map_err(|c| ValidationErrors::single("name", c))?;
    Ok(st
        .store
        .take_snapshot(by, &actor.scope(Permission::ManageAssessments), id, &name)
        .await?)
}

/// Snapshots of an assessment, newest first.
pub async fn snapshots(
    st: &Services,
    actor: &Actor,
    id: AssessmentId,
) -> Result<Vec<StoredSnapshot>> {
    Ok(st
        .store
        .snapshots(&actor.scope(Permission::ReadAssessments), id)
        .await?)
}

/// What changed between two states of one assessment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    /// Earlier state: a snapshot (None = current state).
    #[schema(value_type = Option<Object>)]
    pub from: Option<StoredSnapshot>,
    /// Later state: a snapshot (None = current state).
    #[schema(value_type = Option<Object>)]
    pub to: Option<StoredSnapshot>,
    /// Changed requirements with their trend.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<ChangeLine>,
    /// Number improved.
    pub improved: usize,
    /// Number regressed.
    pub regressed: usize,
}

/// Compares snapshot `from` with snapshot `to` (None: the current answers).
pub async fn compare(
    st: &Services,
    actor: &Actor,
    id: AssessmentId,
    from: SnapshotId,
    to: Option<SnapshotId>,
) -> Result<Comparison> {
    use verbund_domain::assessment::Trend;
    let scope = actor.scope(Permission::ReadAssessments);
    let load = |sid: SnapshotId| {
        let scope = scope.clone();
        async move {
            let (s, answers) = st.store.snapshot(&scope, sid).await?;
            if s.assessment_id != id {
                return Err(Error::NotFound);
            }
            Ok((s, answers))
        }
    };
    let (a, before) = load(from).await?;
    let (b, after) = match to {
        Some(t) => {
            let (s, x) = load(t).await?;
            (Some(s), x)
        }
        None => (None, st.store.current_answers(&scope, id).await?),
    };
    let changes = compare_snapshots(&before, &after);
    let count = |t: Trend| changes.iter().filter(|c| c.trend == t).count();
    Ok(Comparison {
        improved: count(Trend::Improved),
        regressed: count(Trend::Regressed),
        from: Some(a),
        to: b,
        changes,
    })
}
