//! Changes between two snapshots of an assessment (e.g. last year's and this year's).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{AnswerStatus, points};

/// One requirement's change between two snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Trend {
    /// More points than before.
    Improved,
    /// Fewer points than before.
    Regressed,
    /// The same points (possibly with another status, e.g. *ja* → justified
    /// *entbehrlich*).
    Unchanged,
}

/// The trend from one answer to another, judged by [`points`]: equal points with a
/// different status are [`Trend::Unchanged`].
///
/// A justified *entbehrlich* has no points (it is out of the score); for the trend it
/// stands as fully met, because the requirement is no longer a gap: *nein* → justified
/// *entbehrlich* is an improvement, *ja* → justified *entbehrlich* no change, and losing
/// the justification a regression.
pub fn trend(
    before: AnswerStatus,
    before_justified: bool,
    after: AnswerStatus,
    after_justified: bool,
) -> Trend {
    let as_met = |status, justified| points(status, justified).unwrap_or(10_000);
    let (b, a) = (
        as_met(before, before_justified),
        as_met(after, after_justified),
    );
    match a.cmp(&b) {
        std::cmp::Ordering::Greater => Trend::Improved,
        std::cmp::Ordering::Less => Trend::Regressed,
        std::cmp::Ordering::Equal => Trend::Unchanged,
    }
}

/// One line of the diff of two snapshots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeLine {
    /// The requirement's URN.
    pub urn: String,
    /// Its status in the earlier snapshot; `None` if it was not there.
    pub before: Option<AnswerStatus>,
    /// Its status in the later snapshot; `None` if it is no longer there.
    pub after: Option<AnswerStatus>,
    /// Better, worse or the same by points.
    pub trend: Trend,
}

/// Diff of two snapshots of `(urn, status, justified)`, keyed by URN.
///
/// Lists only requirements whose status or trend changed: first in the order of `after`,
/// then those missing from `after`, in the order of `before`. A requirement missing on
/// one side counts as *offen* without justification for the trend and for "changed", so
/// a new requirement that is still unanswered is no change. If a URN appears more than
/// once on one side, its first occurrence counts.
pub fn compare_snapshots(
    before: &[(String, AnswerStatus, bool)],
    after: &[(String, AnswerStatus, bool)],
) -> Vec<ChangeLine> {
    let mut earlier: HashMap<&str, (AnswerStatus, bool)> = HashMap::new();
    for (urn, status, justified) in before {
        earlier.entry(urn.as_str()).or_insert((*status, *justified));
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let mut lines = Vec::new();
    let missing = (AnswerStatus::Unanswered, false);
    for (urn, status, justified) in after {
        if !seen.insert(urn.as_str()) {
            continue;
        }
        let old = earlier.get(urn.as_str()).copied();
        push_if_changed(&mut lines, urn, old, Some((*status, *justified)), missing);
    }
    let mut removed: HashSet<&str> = HashSet::new();
    for (urn, status, justified) in before {
        if seen.contains(urn.as_str()) || !removed.insert(urn.as_str()) {
            continue;
        }
        push_if_changed(&mut lines, urn, Some((*status, *justified)), None, missing);
    }
    lines
}

fn push_if_changed(
    lines: &mut Vec<ChangeLine>,
    urn: &str,
    before: Option<(AnswerStatus, bool)>,
    after: Option<(AnswerStatus, bool)>,
    missing: (AnswerStatus, bool),
) {
    let (b, a) = (before.unwrap_or(missing), after.unwrap_or(missing));
    let t = trend(b.0, b.1, a.0, a.1);
    if b.0 != a.0 || t != Trend::Unchanged {
        lines.push(ChangeLine {
            urn: urn.to_owned(),
            before: before.map(|b| b.0),
            after: after.map(|a| a.0),
            trend: t,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AnswerStatus::*;

    fn snap(items: &[(&str, AnswerStatus, bool)]) -> Vec<(String, AnswerStatus, bool)> {
        items
            .iter()
            .map(|(u, s, j)| ((*u).to_owned(), *s, *j))
            .collect()
    }

    fn line(
        urn: &str,
        before: Option<AnswerStatus>,
        after: Option<AnswerStatus>,
        trend: Trend,
    ) -> ChangeLine {
        ChangeLine {
            urn: urn.to_owned(),
            before,
            after,
            trend,
        }
    }

    #[test]
    fn more_points_is_an_improvement_and_fewer_a_regression() {
        assert_eq!(trend(No, false, Partial, false), Trend::Improved);
        assert_eq!(trend(Unanswered, false, Yes, false), Trend::Improved);
        assert_eq!(trend(Yes, false, Partial, false), Trend::Regressed);
        assert_eq!(
            trend(NotApplicable, true, NotApplicable, false),
            Trend::Regressed
        );
        assert_eq!(
            trend(NotApplicable, false, NotApplicable, true),
            Trend::Improved
        );
    }

    #[test]
    fn equal_points_with_another_status_are_unchanged() {
        assert_eq!(trend(Yes, false, NotApplicable, true), Trend::Unchanged);
        assert_eq!(trend(No, false, Unanswered, false), Trend::Unchanged);
        assert_eq!(trend(Partial, false, Partial, true), Trend::Unchanged);
    }

    #[test]
    fn compare_lists_changes_in_after_order_then_removed_ones() {
        let before = snap(&[
            ("a", Yes, false),
            ("b", No, false),
            ("c", Partial, false),
            ("d", Yes, false),
        ]);
        let after = snap(&[
            ("c", Yes, false),
            ("b", No, false),
            ("e", Partial, false),
            ("a", NotApplicable, true),
        ]);

        let lines = compare_snapshots(&before, &after);

        assert_eq!(
            lines,
            vec![
                line("c", Some(Partial), Some(Yes), Trend::Improved),
                line("e", None, Some(Partial), Trend::Improved),
                line("a", Some(Yes), Some(NotApplicable), Trend::Unchanged),
                line("d", Some(Yes), None, Trend::Regressed),
            ]
        );
    }

    #[test]
    fn compare_reports_lost_justification_with_the_same_status() {
        let before = snap(&[("a", NotApplicable, true)]);
        let after = snap(&[("a", NotApplicable, false)]);

        assert_eq!(
            compare_snapshots(&before, &after),
            vec![line(
                "a",
                Some(NotApplicable),
                Some(NotApplicable),
                Trend::Regressed
            )]
        );
    }

    #[test]
    fn unanswered_requirements_appearing_or_vanishing_are_no_change() {
        let before = snap(&[("old", Unanswered, false)]);
        let after = snap(&[("new", Unanswered, false)]);

        assert!(compare_snapshots(&before, &after).is_empty());
    }

    #[test]
    fn a_removed_answered_requirement_is_listed_even_without_points() {
        let before = snap(&[("a", No, false)]);

        assert_eq!(
            compare_snapshots(&before, &[]),
            vec![line("a", Some(No), None, Trend::Unchanged)]
        );
    }

    #[test]
    fn duplicate_urns_count_once_by_first_occurrence() {
        let before = snap(&[("a", No, false), ("a", Yes, false)]);
        let after = snap(&[("a", Yes, false), ("a", No, false)]);

        assert_eq!(
            compare_snapshots(&before, &after),
            vec![line("a", Some(No), Some(Yes), Trend::Improved)]
        );
    }

    #[test]
    fn identical_snapshots_have_no_changes() {
        let s = snap(&[("a", Yes, false), ("b", NotApplicable, true)]);
        assert!(compare_snapshots(&s, &s).is_empty());
    }
}
