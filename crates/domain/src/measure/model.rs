//! Measures as they are read: list rows, the detail with links and notes, templates and the
//! office's progress table.

use serde::Serialize;

use super::rules::LinkState;
use super::{MeasureStatus, Priority};
use crate::assessment::AnswerStatus;
use crate::{
    AnswerId, AssessmentId, MeasureId, MeasureTemplateId, OrgId, StructureObjectId, UserId,
};

/// One measure of a member's implementation plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Measure {
    /// Id.
    pub id: MeasureId,
    /// The member.
    pub org_id: OrgId,
    /// The member's name.
    pub org_name: String,
    /// The office's template it was pushed from, if any.
    pub template_id: Option<MeasureTemplateId>,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Responsible user.
    pub owner_user_id: Option<UserId>,
    /// The responsible user's display name.
    pub owner_name: Option<String>,
    /// Deadline `YYYY-MM-DD` (a date in the federation's time zone).
    pub due_on: Option<String>,
    /// Priority.
    pub priority: Priority,
    /// Status.
    pub status: MeasureStatus,
    /// Estimated cost in cents.
    pub cost_cents: Option<i64>,
    /// Estimated effort in person-days.
    pub effort_days: Option<f64>,
    /// Counter for optimistic locking.
    pub revision: i64,
    /// Created (Unix ms).
    pub created_at_ms: i64,
    /// Last changed (Unix ms).
    pub updated_at_ms: i64,
    /// When it became umgesetzt (Unix ms), while it is done.
    pub done_at_ms: Option<i64>,
    /// Open and past its deadline (Berlin date of the request).
    pub overdue: bool,
    /// What the linked requirements say.
    pub link: LinkState,
}

/// Filters of the measure list (all optional, combined with AND).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeasureFilter {
    /// Only this member.
    pub org: Option<OrgId>,
    /// Only this status.
    pub status: Option<MeasureStatus>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Only measures of this owner.
    pub owner: Option<UserId>,
    /// Only overdue measures (open and due before `today`).
    pub overdue: bool,
    /// Only measures pushed from this template.
    pub template: Option<MeasureTemplateId>,
    /// Search in title and description.
    pub search: Option<String>,
    /// The Berlin date the overdue flag and filter refer to (`YYYY-MM-DD`).
    pub today: String,
}

/// A requirement a measure works on, with its current answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedRequirement {
    /// The assessment.
    pub assessment_id: AssessmentId,
    /// The answer (one requirement of the assessment).
    pub answer_id: AnswerId,
    /// The requirement's reference, e.g. `OPS.1.1.5.A3`.
    pub ref_id: Option<String>,
    /// The requirement's name.
    pub name: Option<String>,
    /// The current answer.
    pub status: AnswerStatus,
}

/// A target object a measure works on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedObject {
    /// The object.
    pub object_id: StructureObjectId,
    /// Its short id.
    pub short_id: String,
    /// Its name.
    pub name: String,
}

/// A progress note (appended, never changed).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasureNote {
    /// Id.
    pub id: i64,
    /// Author's display name (empty when the account was deleted).
    pub author_name: Option<String>,
    /// Text.
    pub body: String,
    /// Written (Unix ms).
    pub created_at_ms: i64,
}

/// A measure with its links and notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasureDetail {
    /// The measure.
    pub measure: Measure,
    /// Linked requirements with their answers.
    pub requirements: Vec<LinkedRequirement>,
    /// Linked target objects.
    pub objects: Vec<LinkedObject>,
    /// Progress notes, oldest first.
    pub notes: Vec<MeasureNote>,
}

/// A measure the office offers to every member.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeasureTemplate {
    /// Id.
    pub id: MeasureTemplateId,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Priority given to the members' measures.
    pub priority: Priority,
    /// Deadline given to the members' measures.
    pub due_on: Option<String>,
    /// Measures created from it.
    pub pushed: i64,
    /// Of these, done (umgesetzt or geprüft).
    pub done: i64,
    /// Created (Unix ms).
    pub created_at_ms: i64,
}

/// One member's row of a template's progress table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateProgress {
    /// The member.
    pub org_id: OrgId,
    /// Its name.
    pub org_name: String,
    /// The member's measure.
    pub measure_id: MeasureId,
    /// Its status.
    pub status: MeasureStatus,
    /// Its owner's name.
    pub owner_name: Option<String>,
    /// Its deadline.
    pub due_on: Option<String>,
    /// When it was done (Unix ms).
    pub done_at_ms: Option<i64>,
    /// Open and past its deadline.
    pub overdue: bool,
}
