//! Measures of a member's implementation plan (Realisierungsplan, BSI 200-2): the codes that the
//! measures, risk and reminder features share. The rules of each feature live in submodules.

use crate::structure::code_enum;

pub mod input;
pub mod model;
pub mod plan;
pub mod rules;

code_enum!(
    /// Where a measure stands. `offen` and `in_arbeit` are open work (reminders, overdue);
    /// `umgesetzt` and `geprueft` are done.
    MeasureStatus, "error-measure-status", {
        /// Not started (offen).
        Open = "offen",
        /// Being worked on (in Arbeit).
        InProgress = "in_arbeit",
        /// Implemented (umgesetzt).
        Implemented = "umgesetzt",
        /// Implemented and checked (geprüft).
        Verified = "geprueft",
    }
);

impl MeasureStatus {
    /// Whether the measure still needs work: only open work is overdue or reminded of.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Open | Self::InProgress)
    }

    /// The SQL list of open codes, for queries that select open work.
    pub const OPEN_CODES_SQL: &'static str = "('offen','in_arbeit')";
}

code_enum!(
    /// How urgent a measure is; the plan sorts by it.
    Priority, "error-measure-priority", {
        /// Sehr hoch.
        VeryHigh = "sehr_hoch",
        /// Hoch.
        High = "hoch",
        /// Mittel.
        Medium = "mittel",
        /// Niedrig.
        Low = "niedrig",
    }
);

impl Priority {
    /// Sort rank, most urgent first (0 = sehr hoch).
    pub fn rank(self) -> u8 {
        match self {
            Self::VeryHigh => 0,
            Self::High => 1,
            Self::Medium => 2,
            Self::Low => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_codes_sql_lists_exactly_the_open_statuses() {
        let open: Vec<&str> = MeasureStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.code())
            .collect();
        assert_eq!(open, ["offen", "in_arbeit"]);
        for code in open {
            assert!(MeasureStatus::OPEN_CODES_SQL.contains(&format!("'{code}'")));
        }
        assert!(!MeasureStatus::OPEN_CODES_SQL.contains("umgesetzt"));
    }

    #[test]
    fn json_reads_and_writes_the_code_and_still_reads_the_older_english_names() {
        assert_eq!(
            serde_json::to_string(&MeasureStatus::InProgress).unwrap(),
            r#""in_arbeit""#
        );
        assert_eq!(
            serde_json::from_str::<MeasureStatus>(r#""in_arbeit""#).unwrap(),
            MeasureStatus::InProgress
        );
        assert_eq!(
            serde_json::from_str::<Priority>(r#""very_high""#).unwrap(),
            Priority::VeryHigh
        );
        let e = serde_json::from_str::<Priority>(r#""dringend""#).unwrap_err();
        assert!(e.to_string().contains("sehr_hoch"), "{e}");
    }

    #[test]
    fn codes_parse_case_insensitively_and_priorities_sort_most_urgent_first() {
        assert_eq!(
            MeasureStatus::parse(" In_Arbeit "),
            Ok(MeasureStatus::InProgress)
        );
        assert!(MeasureStatus::parse("erledigt").is_err());
        let mut p = vec![
            Priority::Low,
            Priority::VeryHigh,
            Priority::Medium,
            Priority::High,
        ];
        p.sort_by_key(|p| p.rank());
        assert_eq!(
            p,
            [
                Priority::VeryHigh,
                Priority::High,
                Priority::Medium,
                Priority::Low
            ]
        );
    }
}
