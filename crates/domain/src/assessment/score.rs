//! Points, tallies, federation spreads, heatmap bands and their German formatting.

use serde::{Deserialize, Serialize};

use super::AnswerStatus;

/// Basis points of a fully met requirement (100 %).
const FULL: u32 = 10_000;

/// Points of one answer in basis points of one requirement (0..=10,000): yes 10,000,
/// partial 5,000, no 0, unanswered 0, not applicable 10,000 only with a non-empty
/// justification (`justified`), else 0.
pub fn points(status: AnswerStatus, justified: bool) -> u32 {
    match status {
        AnswerStatus::Yes => FULL,
        AnswerStatus::Partial => FULL / 2,
        AnswerStatus::NotApplicable if justified => FULL,
        AnswerStatus::NotApplicable | AnswerStatus::No | AnswerStatus::Unanswered => 0,
    }
}

/// `numerator / denominator` rounded half up; `None` for a zero denominator.
fn div_half_up(numerator: u64, denominator: u64) -> Option<u64> {
    (denominator != 0).then(|| (numerator.saturating_mul(2) + denominator) / (denominator * 2))
}

/// Aggregate of a set of answers: counts per status and the sum of their points.
///
/// `not_applicable` counts every *entbehrlich* answer; `not_applicable_unjustified` is the
/// subset without a justification (those score 0).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    /// Number of requirements counted.
    pub total: u32,
    /// Of those, not answered yet.
    pub unanswered: u32,
    /// Answered *ja*.
    pub yes: u32,
    /// Answered *teilweise*.
    pub partial: u32,
    /// Answered *nein*.
    pub no: u32,
    /// Answered *entbehrlich* (with or without justification).
    pub not_applicable: u32,
    /// Answered *entbehrlich* without justification (included in `not_applicable`).
    pub not_applicable_unjustified: u32,
    /// Sum of [`points`] of all answers, in basis points.
    pub points: u64,
}

impl Tally {
    /// The tally of the given answers (status, justified).
    pub fn of(answers: impl IntoIterator<Item = (AnswerStatus, bool)>) -> Tally {
        let mut t = Tally::default();
        for (status, justified) in answers {
            t.add(status, justified);
        }
        t
    }

    fn counter(&mut self, status: AnswerStatus) -> &mut u32 {
        match status {
            AnswerStatus::Unanswered => &mut self.unanswered,
            AnswerStatus::Yes => &mut self.yes,
            AnswerStatus::Partial => &mut self.partial,
            AnswerStatus::No => &mut self.no,
            AnswerStatus::NotApplicable => &mut self.not_applicable,
        }
    }

    /// Counts one answer.
    pub fn add(&mut self, status: AnswerStatus, justified: bool) {
        self.total = self.total.saturating_add(1);
        let c = self.counter(status);
        *c = c.saturating_add(1);
        if status == AnswerStatus::NotApplicable && !justified {
            self.not_applicable_unjustified = self.not_applicable_unjustified.saturating_add(1);
        }
        self.points = self
            .points
            .saturating_add(u64::from(points(status, justified)));
    }

    /// Takes one answer out again: the inverse of [`Tally::add`], for aggregates kept up to
    /// date on every write (remove the old answer, add the new one). Saturates at zero, so
    /// removing what was never added cannot underflow.
    pub fn remove(&mut self, status: AnswerStatus, justified: bool) {
        self.total = self.total.saturating_sub(1);
        let c = self.counter(status);
        *c = c.saturating_sub(1);
        if status == AnswerStatus::NotApplicable && !justified {
            self.not_applicable_unjustified = self.not_applicable_unjustified.saturating_sub(1);
        }
        self.points = self
            .points
            .saturating_sub(u64::from(points(status, justified)));
    }

    /// Adds another tally to this one (e.g. topics to a whole catalog).
    pub fn merge(&mut self, other: &Tally) {
        self.total = self.total.saturating_add(other.total);
        self.unanswered = self.unanswered.saturating_add(other.unanswered);
        self.yes = self.yes.saturating_add(other.yes);
        self.partial = self.partial.saturating_add(other.partial);
        self.no = self.no.saturating_add(other.no);
        self.not_applicable = self.not_applicable.saturating_add(other.not_applicable);
        self.not_applicable_unjustified = self
            .not_applicable_unjustified
            .saturating_add(other.not_applicable_unjustified);
        self.points = self.points.saturating_add(other.points);
    }

    /// Number of answered requirements (everything but *offen*).
    pub fn answered(&self) -> u32 {
        self.total.saturating_sub(self.unanswered)
    }

    /// Fulfilment in basis points: points / total, rounded half up; `None` if nothing was
    /// counted.
    pub fn score_bp(&self) -> Option<u32> {
        div_half_up(self.points, u64::from(self.total))
            .map(|bp| u32::try_from(bp).unwrap_or(u32::MAX))
    }

    /// Progress (answered / total) in basis points, rounded half up; `None` if nothing was
    /// counted.
    pub fn progress_bp(&self) -> Option<u32> {
        div_half_up(
            u64::from(self.answered()) * u64::from(FULL),
            u64::from(self.total),
        )
        .map(|bp| u32::try_from(bp).unwrap_or(u32::MAX))
    }
}

/// Federation-wide comparison of one topic or overall: scores of members in basis points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spread {
    /// Number of members compared.
    pub members: u32,
    /// Average score, rounded half up.
    pub average_bp: u32,
    /// Lowest score.
    pub min_bp: u32,
    /// Highest score.
    pub max_bp: u32,
    /// How far the weakest member is below the average (`average_bp - min_bp`).
    pub gap_bp: u32,
}

/// The spread of the members' scores; `None` when there are none. The average is rounded
/// half up.
pub fn spread(scores: impl IntoIterator<Item = u32>) -> Option<Spread> {
    let mut members = 0u64;
    let mut sum = 0u64;
    let mut min = u32::MAX;
    let mut max = 0u32;
    for s in scores {
        members += 1;
        sum = sum.saturating_add(u64::from(s));
        min = min.min(s);
        max = max.max(s);
    }
    let average = div_half_up(sum, members)?;
    let average_bp = u32::try_from(average).unwrap_or(u32::MAX);
    Some(Spread {
        members: u32::try_from(members).unwrap_or(u32::MAX),
        average_bp,
        min_bp: min,
        max_bp: max,
        gap_bp: average_bp.saturating_sub(min),
    })
}

/// Colour band of a score for the heatmap (always shown with the number, never colour
/// alone): 0 below 25 %, 1 below 50 %, 2 below 75 %, 3 below 90 %, 4 from 90 %.
pub fn band(score_bp: u32) -> u8 {
    match score_bp {
        0..2_500 => 0,
        2_500..5_000 => 1,
        5_000..7_500 => 2,
        7_500..9_000 => 3,
        _ => 4,
    }
}

/// Formats basis points as a German percentage with one decimal, rounded half up:
/// 8333 → `83,3 %`, 10000 → `100,0 %`.
pub fn format_bp_de(bp: u32) -> String {
    let tenths = (u64::from(bp) + 5) / 10;
    format!("{},{} %", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use AnswerStatus::*;

    #[test]
    fn points_follow_the_scoring_rule() {
        assert_eq!(points(Yes, false), 10_000);
        assert_eq!(points(Partial, false), 5_000);
        assert_eq!(points(No, true), 0);
        assert_eq!(points(Unanswered, true), 0);
        assert_eq!(points(NotApplicable, true), 10_000);
        assert_eq!(points(NotApplicable, false), 0);
    }

    #[test]
    fn four_different_answers_score_62_5_percent() {
        let t = Tally::of([
            (Yes, false),
            (Partial, false),
            (No, false),
            (NotApplicable, true),
        ]);

        assert_eq!(t.points, 25_000);
        assert_eq!(t.score_bp(), Some(6_250));
        assert_eq!(t.progress_bp(), Some(10_000));
        assert_eq!(format_bp_de(6_250), "62,5 %");
    }

    #[test]
    fn unjustified_not_applicable_counts_as_zero_and_is_flagged() {
        let t = Tally::of([(Yes, false), (NotApplicable, false)]);

        assert_eq!(t.score_bp(), Some(5_000));
        assert_eq!(t.not_applicable, 1);
        assert_eq!(t.not_applicable_unjustified, 1);
    }

    #[test]
    fn empty_tally_has_no_score_and_no_progress() {
        let t = Tally::default();
        assert_eq!(t.score_bp(), None);
        assert_eq!(t.progress_bp(), None);
        assert_eq!(t.answered(), 0);
    }

    #[test]
    fn scores_round_half_up() {
        // 1/3 = 3333.33 → 3333; 2/3 = 6666.67 → 6667; 1/8 of a partial = 312.5 → 313.
        assert_eq!(
            Tally::of([(Yes, false), (No, false), (No, false)]).score_bp(),
            Some(3_333)
        );
        assert_eq!(
            Tally::of([(Yes, false), (Yes, false), (No, false)]).score_bp(),
            Some(6_667)
        );
        let mut eighth = Tally::of([(Partial, false)]);
        (0..15).for_each(|_| eighth.add(No, false));
        assert_eq!(eighth.score_bp(), Some(313));
    }

    #[test]
    fn progress_counts_every_status_but_unanswered() {
        let t = Tally::of([(Unanswered, false), (No, false), (NotApplicable, false)]);
        assert_eq!(t.answered(), 2);
        assert_eq!(t.progress_bp(), Some(6_667));
    }

    #[test]
    fn merge_adds_every_counter() {
        let mut a = Tally::of([(Yes, false), (NotApplicable, false)]);
        let b = Tally::of([(Partial, false), (Unanswered, false), (NotApplicable, true)]);

        a.merge(&b);

        let all = Tally::of([
            (Yes, false),
            (NotApplicable, false),
            (Partial, false),
            (Unanswered, false),
            (NotApplicable, true),
        ]);
        assert_eq!(a, all);
    }

    #[test]
    fn remove_on_empty_tally_saturates() {
        let mut t = Tally::default();
        t.remove(NotApplicable, false);
        assert_eq!(t, Tally::default());
    }

    #[test]
    fn spread_of_three_members() {
        let s = spread([8_000, 6_000, 9_001]).expect("three members");
        assert_eq!(
            s,
            Spread {
                members: 3,
                average_bp: 7_667,
                min_bp: 6_000,
                max_bp: 9_001,
                gap_bp: 1_667
            }
        );
    }

    #[test]
    fn spread_of_one_member_has_no_gap() {
        let s = spread([4_200]).expect("one member");
        assert_eq!(
            (s.average_bp, s.min_bp, s.max_bp, s.gap_bp),
            (4_200, 4_200, 4_200, 0)
        );
    }

    #[test]
    fn spread_average_rounds_half_up_and_empty_is_none() {
        assert_eq!(spread([1, 2]).map(|s| s.average_bp), Some(2));
        assert_eq!(spread([]), None);
    }

    #[test]
    fn bands_change_exactly_at_their_thresholds() {
        let cases = [
            (0, 0),
            (2_499, 0),
            (2_500, 1),
            (4_999, 1),
            (5_000, 2),
            (7_499, 2),
            (7_500, 3),
            (8_999, 3),
            (9_000, 4),
            (10_000, 4),
        ];
        for (bp, expected) in cases {
            assert_eq!(band(bp), expected, "{bp}");
        }
    }

    #[test]
    fn percentages_use_a_decimal_comma_and_round_half_up() {
        assert_eq!(format_bp_de(8_333), "83,3 %");
        assert_eq!(format_bp_de(8_335), "83,4 %");
        assert_eq!(format_bp_de(8_334), "83,3 %");
        assert_eq!(format_bp_de(0), "0,0 %");
        assert_eq!(format_bp_de(5), "0,1 %");
        assert_eq!(format_bp_de(10_000), "100,0 %");
        assert_eq!(format_bp_de(u32::MAX), "42949673,0 %");
    }
}
