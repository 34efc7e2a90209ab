//! Points, tallies, federation spreads, heatmap bands and their German formatting.

use serde::{Deserialize, Serialize};

use super::AnswerStatus;

/// Basis points of a fully met requirement (100 %).
const FULL: u32 = 10_000;

/// Points of one answer in basis points of one requirement (0..=10,000): yes 10,000,
/// partial 5,000, no 0, unanswered 0, not applicable without a justification 0.
///
/// `None` for *entbehrlich* with a non-empty justification (`justified`): such a
/// requirement is taken out of the score altogether (numerator and denominator), see the
/// scoring rule in [`crate::assessment`].
pub fn points(status: AnswerStatus, justified: bool) -> Option<u32> {
    match status {
        AnswerStatus::Yes => Some(FULL),
        AnswerStatus::Partial => Some(FULL / 2),
        AnswerStatus::NotApplicable if justified => None,
        AnswerStatus::NotApplicable | AnswerStatus::No | AnswerStatus::Unanswered => Some(0),
    }
}

/// `numerator / denominator` rounded half up; `None` for a zero denominator.
fn div_half_up(numerator: u64, denominator: u64) -> Option<u64> {
    (denominator != 0).then(|| (numerator.saturating_mul(2) + denominator) / (denominator * 2))
}

/// Aggregate of a set of answers: counts per status and the sum of their points.
///
/// `not_applicable` counts every *entbehrlich* answer; `not_applicable_unjustified` is the
/// subset without a justification (those score 0 and stay in the denominator); the others
/// are out of the score.
///
/// `points` follows from the counts; when a stored tally is read it is computed again from
/// them, so tallies stored under an earlier scoring rule (when a justified *entbehrlich*
/// earned full points) load with the points of the current rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredTally")]
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
    /// Sum of [`points`] of the answers that count (all but justified *entbehrlich*), in
    /// basis points.
    pub points: u64,
}

/// A tally as stored: the counts; a stored `points` value is ignored and recomputed.
#[derive(Deserialize)]
struct StoredTally {
    total: u32,
    unanswered: u32,
    yes: u32,
    partial: u32,
    no: u32,
    not_applicable: u32,
    not_applicable_unjustified: u32,
}

impl From<StoredTally> for Tally {
    fn from(s: StoredTally) -> Tally {
        Tally {
            total: s.total,
            unanswered: s.unanswered,
            yes: s.yes,
            partial: s.partial,
            no: s.no,
            not_applicable: s.not_applicable,
            not_applicable_unjustified: s.not_applicable_unjustified,
            points: u64::from(s.yes) * u64::from(FULL) + u64::from(s.partial) * u64::from(FULL / 2),
        }
    }
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
            .saturating_add(u64::from(points(status, justified).unwrap_or(0)));
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
            .saturating_sub(u64::from(points(status, justified).unwrap_or(0)));
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

    /// Answered *entbehrlich* with a justification: out of the score.
    pub fn justified_not_applicable(&self) -> u32 {
        self.not_applicable
            .saturating_sub(self.not_applicable_unjustified)
    }

    /// The requirements the score is taken over: all but justified *entbehrlich*.
    pub fn scored(&self) -> u32 {
        self.total.saturating_sub(self.justified_not_applicable())
    }

    /// Fulfilment in basis points: `(ja + ½·teilweise) / (all − justified entbehrlich)`,
    /// rounded half up; *nein*, *offen* and unjustified *entbehrlich* count 0. `None` if
    /// no requirement is left to score (nothing counted, or everything justified
    /// *entbehrlich*). A tally with nothing answered scores `Some(0)`; whether it takes
    /// part in comparisons is [`Tally::compared_score_bp`].
    pub fn score_bp(&self) -> Option<u32> {
        div_half_up(self.points, u64::from(self.scored()))
            .map(|bp| u32::try_from(bp).unwrap_or(u32::MAX))
    }

    /// Whether at least one requirement is answered; without, the member has not assessed
    /// this catalog or topic yet (*noch nicht bewertet*).
    pub fn is_assessed(&self) -> bool {
        self.answered() > 0
    }

    /// The score as the federation comparison counts it: [`Tally::score_bp`] once at least
    /// one requirement is answered, `None` while nothing is (not yet assessed) or when
    /// there is no score. Averages, minimum and maximum leave `None` out.
    pub fn compared_score_bp(&self) -> Option<u32> {
        if self.is_assessed() {
            self.score_bp()
        } else {
            None
        }
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
        assert_eq!(points(Yes, false), Some(10_000));
        assert_eq!(points(Partial, false), Some(5_000));
        assert_eq!(points(No, true), Some(0));
        assert_eq!(points(Unanswered, true), Some(0));
        assert_eq!(points(NotApplicable, true), None);
        assert_eq!(points(NotApplicable, false), Some(0));
    }

    #[test]
    fn justified_not_applicable_leaves_numerator_and_denominator() {
        // 10 requirements: 4 ja, 2 teilweise, 1 nein, 1 offen, 2 entbehrlich justified.
        // Numerator 4 + 2 × ½ = 5; denominator 10 − 2 = 8; 5 / 8 = 62.5 %.
        let mut answers = vec![(Yes, false); 4];
        answers.extend([(Partial, false), (Partial, false), (No, false)]);
        answers.extend([
            (Unanswered, false),
            (NotApplicable, true),
            (NotApplicable, true),
        ]);

        let t = Tally::of(answers);

        assert_eq!(t.total, 10);
        assert_eq!(t.scored(), 8);
        assert_eq!(t.points, 50_000);
        assert_eq!(t.score_bp(), Some(6_250));
        assert_eq!(format_bp_de(6_250), "62,5 %");
        // Progress still counts every answer but *offen*: 9 of 10.
        assert_eq!(t.progress_bp(), Some(9_000));
    }

    #[test]
    fn unjustified_not_applicable_counts_as_nein() {
        // ja + entbehrlich without reason: 1 / 2 = 50 %, the same as ja + nein.
        let t = Tally::of([(Yes, false), (NotApplicable, false)]);

        assert_eq!(t.score_bp(), Some(5_000));
        assert_eq!(
            t.score_bp(),
            Tally::of([(Yes, false), (No, false)]).score_bp()
        );
        assert_eq!(t.not_applicable, 1);
        assert_eq!(t.not_applicable_unjustified, 1);
        assert_eq!(t.scored(), 2);
    }

    #[test]
    fn a_justified_not_applicable_does_not_raise_a_partial_score_to_full() {
        // Old rule: (5,000 + 10,000) / 2 = 75 %; now the entbehrlich is out: 5,000 / 1.
        let t = Tally::of([(Partial, false), (NotApplicable, true)]);
        assert_eq!(t.score_bp(), Some(5_000));
    }

    #[test]
    fn everything_justified_not_applicable_has_no_score_but_full_progress() {
        let t = Tally::of([(NotApplicable, true), (NotApplicable, true)]);

        assert_eq!(t.scored(), 0);
        assert_eq!(t.score_bp(), None);
        assert_eq!(t.compared_score_bp(), None);
        assert_eq!(t.progress_bp(), Some(10_000));
    }

    #[test]
    fn nothing_answered_scores_zero_but_is_not_compared() {
        let t = Tally::of([(Unanswered, false), (Unanswered, false)]);

        assert!(!t.is_assessed());
        assert_eq!(t.score_bp(), Some(0));
        assert_eq!(t.compared_score_bp(), None);
    }

    #[test]
    fn one_answer_makes_a_tally_compared() {
        let t = Tally::of([(No, false), (Unanswered, false)]);

        assert!(t.is_assessed());
        assert_eq!(t.compared_score_bp(), Some(0));
    }

    #[test]
    fn stored_points_are_recomputed_from_the_counts() {
        // Stored under the old rule: the justified entbehrlich earned 10,000 points.
        let json = r#"{"total":2,"unanswered":0,"yes":1,"partial":0,"no":0,
            "not_applicable":1,"not_applicable_unjustified":0,"points":20000}"#;

        let t: Tally = serde_json::from_str(json).expect("parses");

        assert_eq!(t, Tally::of([(Yes, false), (NotApplicable, true)]));
        assert_eq!(t.points, 10_000);
        assert_eq!(t.score_bp(), Some(10_000));
    }

    #[test]
    fn a_tally_survives_a_json_round_trip() {
        let t = Tally::of([(Yes, false), (Partial, false), (NotApplicable, false)]);
        let back: Tally =
            serde_json::from_str(&serde_json::to_string(&t).expect("serialises")).expect("parses");
        assert_eq!(back, t);
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
