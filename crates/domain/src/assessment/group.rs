//! A whole topic (a BSI module such as "SYS.1.8 Speichersysteme") marked *entbehrlich* at
//! once with one justification, and undoing that.
//!
//! Undo must give back exactly what was there before, and must not silently overwrite what
//! someone answered after the group change: a row whose version moved on since is a conflict,
//! and the undo is refused as a whole (naming every such row) rather than half applied.

use serde::{Deserialize, Serialize};

use super::{Answer, AnswerStatus};
use crate::validation::ValidationErrors;

/// One row of a topic as it is now: its ID, its version and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentRow {
    /// The answer row's ID.
    pub id: i64,
    /// The row's version (grows with every change).
    pub version: i64,
    /// The answer now.
    pub answer: Answer,
}

/// What a group change did to one row: the answer before, and the row version right after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedRow {
    /// The answer row's ID.
    pub id: i64,
    /// The answer before the group change.
    pub before: Answer,
    /// The row's version right after the group change.
    pub version_after: i64,
}

/// New answers by row ID, and the record to undo them.
pub type GroupPlan = (Vec<(i64, Answer)>, Vec<ChangedRow>);

/// The rows to change for "the whole topic is *entbehrlich* because `justification`": every
/// row that is not already exactly that, keeping its owner, due date and comment. Returns the
/// new answers (row ID, answer) and the record for undoing them; an empty or invalid
/// justification is a field error on `justification`.
pub fn mark_not_applicable(
    rows: &[CurrentRow],
    justification: &str,
) -> Result<GroupPlan, ValidationErrors> {
    if rows.is_empty() {
        return Err(ValidationErrors::single("topic", "error-group-empty"));
    }
    let mut changes = Vec::new();
    let mut record = Vec::new();
    for r in rows {
        let new = Answer {
            status: AnswerStatus::NotApplicable,
            justification: Some(justification.to_owned()),
            ..r.answer.clone()
        }
        .validated()
        .map_err(|e| {
            // Owner and comment were valid when stored; only the justification can fail here.
            ValidationErrors(
                e.0.into_iter()
                    .filter(|f| f.field == "justification")
                    .collect(),
            )
        })?;
        if new != r.answer {
            record.push(ChangedRow {
                id: r.id,
                before: r.answer.clone(),
                version_after: r.version + 1,
            });
            changes.push((r.id, new));
        }
    }
    Ok((changes, record))
}

/// The answers that undo a group change, given the rows' versions now (row ID, version).
/// Rows changed since the group change (another version) are returned as the error, all of
/// them, so the caller can name each; a row that no longer exists counts as changed.
pub fn undo_plan(
    record: &[ChangedRow],
    versions_now: &[(i64, i64)],
) -> Result<Vec<(i64, Answer)>, Vec<i64>> {
    let now: std::collections::HashMap<i64, i64> = versions_now.iter().copied().collect();
    let changed: Vec<i64> = record
        .iter()
        .filter(|r| now.get(&r.id) != Some(&r.version_after))
        .map(|r| r.id)
        .collect();
    if !changed.is_empty() {
        return Err(changed);
    }
    Ok(record.iter().map(|r| (r.id, r.before.clone())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, version: i64, status: AnswerStatus, justification: Option<&str>) -> CurrentRow {
        CurrentRow {
            id,
            version,
            answer: Answer {
                status,
                justification: justification.map(str::to_owned),
                owner: Some("IT".into()),
                ..Answer::default()
            },
        }
    }

    const NO_MAINFRAME: &str = "Keine IBM-Z-Großrechner im Einsatz.";

    #[test]
    fn a_module_becomes_not_applicable_and_rows_already_so_are_left_alone() {
        // SYS.1.8 with four sentences: one open, one "ja", one "nein", and one that already
        // says entbehrlich with the very same reason.
        let rows = [
            row(11, 1, AnswerStatus::Unanswered, None),
            row(12, 3, AnswerStatus::Yes, None),
            row(13, 2, AnswerStatus::No, Some("Budget 2027")),
            row(14, 5, AnswerStatus::NotApplicable, Some(NO_MAINFRAME)),
        ];
        let (changes, record) = mark_not_applicable(&rows, NO_MAINFRAME).unwrap();
        assert_eq!(
            changes.iter().map(|c| c.0).collect::<Vec<_>>(),
            [11, 12, 13]
        );
        assert!(
            changes
                .iter()
                .all(|(_, a)| a.status == AnswerStatus::NotApplicable
                    && a.justification.as_deref() == Some(NO_MAINFRAME)
                    && a.owner.as_deref() == Some("IT"))
        );
        assert_eq!(
            record
                .iter()
                .map(|r| (r.id, r.version_after, r.before.status))
                .collect::<Vec<_>>(),
            [
                (11, 2, AnswerStatus::Unanswered),
                (12, 4, AnswerStatus::Yes),
                (13, 3, AnswerStatus::No)
            ]
        );
        assert_eq!(
            record[2].before.justification.as_deref(),
            Some("Budget 2027"),
            "the previous justification is kept for the undo"
        );
    }

    #[test]
    fn a_blank_justification_is_refused() {
        let rows = [row(1, 1, AnswerStatus::Yes, None)];
        let e = mark_not_applicable(&rows, "   ").unwrap_err();
        assert_eq!(e.0[0].field, "justification");
        assert_eq!(e.0[0].code, "error-justification-required");
        let e = mark_not_applicable(&[], NO_MAINFRAME).unwrap_err();
        assert_eq!(e.0[0].code, "error-group-empty");
    }

    #[test]
    fn undo_restores_the_previous_answers_when_nothing_changed_since() {
        let rows = [
            row(11, 1, AnswerStatus::Unanswered, None),
            row(12, 3, AnswerStatus::Partial, Some("Teilweise umgesetzt")),
        ];
        let (_, record) = mark_not_applicable(&rows, NO_MAINFRAME).unwrap();
        let plan = undo_plan(&record, &[(11, 2), (12, 4)]).unwrap();
        assert_eq!(
            plan,
            vec![(11, rows[0].answer.clone()), (12, rows[1].answer.clone())]
        );
    }

    #[test]
    fn undo_names_every_row_changed_since() {
        let rows = [
            row(11, 1, AnswerStatus::Unanswered, None),
            row(12, 3, AnswerStatus::Yes, None),
            row(13, 1, AnswerStatus::No, None),
        ];
        let (_, record) = mark_not_applicable(&rows, NO_MAINFRAME).unwrap();
        // Row 11 was answered again after the group change, row 13 is gone.
        assert_eq!(undo_plan(&record, &[(11, 3), (12, 4)]), Err(vec![11, 13]));
    }
}
