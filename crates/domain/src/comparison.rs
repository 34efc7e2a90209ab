//! Figures of the federation comparison that the committee reads: the federation level over
//! time (from assessment snapshots), differences in percentage points, and German number
//! formats for them.

use serde::Serialize;

/// One snapshot of one assessment: `(assessment, taken at (Unix ms), overall score in basis
/// points)`.
pub type SnapshotPoint = (i64, i64, i64);

/// The federation level at the end of one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    /// Calendar year (Berlin time).
    pub year: i32,
    /// Month 1–12.
    pub month: u8,
    /// Assessments counted: those with at least one snapshot by the end of the month.
    pub members: i64,
    /// Average of each counted assessment's latest snapshot score, basis points (half up).
    pub average_bp: i64,
}

/// The federation level over time: for every month in which at least one snapshot was
/// taken, the average over all assessments of their latest snapshot up to the end of that
/// month (a member that took no snapshot that month counts with its previous one, so one
/// member's new snapshot does not make the level jump by the others' absence). Months are
/// Berlin calendar months; at most `max_points` of the newest months are returned, oldest
/// first.
pub fn federation_trend(points: &[SnapshotPoint], max_points: usize) -> Vec<TrendPoint> {
    let mut sorted: Vec<(i32, u8, i64, i64, i64)> = points
        .iter()
        .map(|&(a, at, bp)| {
            let (y, m) = berlin_month(at);
            (y, m, at, a, bp)
        })
        .collect();
    sorted.sort_unstable();
    let mut latest: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    let mut out: Vec<TrendPoint> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let (y, m) = (sorted[i].0, sorted[i].1);
        while i < sorted.len() && (sorted[i].0, sorted[i].1) == (y, m) {
            latest.insert(sorted[i].3, sorted[i].4);
            i += 1;
        }
        let n = i64::try_from(latest.len()).unwrap_or(i64::MAX);
        let sum: i64 = latest.values().sum();
        out.push(TrendPoint {
            year: y,
            month: m,
            members: n,
            average_bp: (sum + n / 2) / n.max(1),
        });
    }
    let skip = out.len().saturating_sub(max_points);
    out.split_off(skip)
}

/// The Berlin calendar month of Unix milliseconds.
fn berlin_month(ms: i64) -> (i32, u8) {
    // "DD.MM.YYYY HH:MM" in Berlin time; the local date decides the month at midnight.
    let text = crate::localtime::fmt_ms(ms);
    let month = text.get(3..5).and_then(|m| m.parse().ok()).unwrap_or(1);
    let year = text.get(6..10).and_then(|y| y.parse().ok()).unwrap_or(1970);
    (year, month)
}

/// A difference of two scores in percentage points, German, with sign and one decimal:
/// `-1234` → `"−12,3 Prozentpunkte"`; `0` → `"±0,0 Prozentpunkte"`. `unit` is the word for
/// percentage points in the reader's language.
pub fn format_pp(diff_bp: i64, unit: &str) -> String {
    let sign = match diff_bp.signum() {
        1 => "+",
        -1 => "−",
        _ => "±",
    };
    let tenths = (diff_bp.unsigned_abs() + 5) / 10;
    format!("{sign}{},{} {unit}", tenths / 10, tenths % 10)
}

/// A whole number with German thousands separators: `11000` → `"11.000"`, `-1234567` →
/// `"-1.234.567"`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // 15.01.2026 12:00 UTC, 20.02.2026 12:00 UTC, 10.03.2026 12:00 UTC.
    const JAN: i64 = 1_768_478_400_000;
    const FEB: i64 = 1_771_588_800_000;
    const MAR: i64 = 1_773_144_000_000;

    fn p(year: i32, month: u8, members: i64, average_bp: i64) -> TrendPoint {
        TrendPoint {
            year,
            month,
            members,
            average_bp,
        }
    }

    #[test]
    fn a_member_without_a_new_snapshot_counts_with_its_previous_one() {
        // Nauheim (1) 40 % in January and 60 % in March; Raunheim (2) 80 % in February.
        let points = [(1, JAN, 4_000), (2, FEB, 8_000), (1, MAR, 6_000)];

        assert_eq!(
            federation_trend(&points, 12),
            vec![
                p(2026, 1, 1, 4_000),
                p(2026, 2, 2, 6_000),
                p(2026, 3, 2, 7_000)
            ]
        );
    }

    #[test]
    fn the_latest_snapshot_of_a_month_counts_and_averages_round_half_up() {
        // Two snapshots of assessment 1 in January: the later (50 %) counts; with 2's 33,33 %
        // the average is (5000 + 3333) / 2 = 4166,5 → 4167.
        let points = [(1, JAN + 1_000, 5_000), (1, JAN, 1_000), (2, JAN, 3_333)];

        assert_eq!(federation_trend(&points, 12), vec![p(2026, 1, 2, 4_167)]);
    }

    #[test]
    fn only_the_newest_months_are_kept_and_no_snapshots_give_no_trend() {
        let points = [(1, JAN, 4_000), (2, FEB, 8_000), (1, MAR, 6_000)];

        assert_eq!(
            federation_trend(&points, 1),
            vec![p(2026, 3, 2, 7_000)],
            "the level in March still counts February's snapshot of 2"
        );
        assert!(federation_trend(&[], 12).is_empty());
    }

    #[test]
    fn months_are_berlin_months() {
        // 31.01.2026 23:30 UTC is 01.02.2026 00:30 in Berlin.
        let points = [(1, 1_769_902_200_000, 5_000)];

        assert_eq!(federation_trend(&points, 12), vec![p(2026, 2, 1, 5_000)]);
    }

    #[test]
    fn differences_are_percentage_points_with_sign() {
        assert_eq!(format_pp(-1_234, "Prozentpunkte"), "−12,3 Prozentpunkte");
        assert_eq!(format_pp(2_505, "pp"), "+25,1 pp");
        assert_eq!(format_pp(0, "Prozentpunkte"), "±0,0 Prozentpunkte");
    }

    #[test]
    fn thousands_are_grouped_with_dots() {
        assert_eq!(group_thousands(11_000), "11.000");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(-1_234_567), "-1.234.567");
        assert_eq!(group_thousands(0), "0");
    }
}
