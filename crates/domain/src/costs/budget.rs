//! Yearly budgets of the security office and multi-year plans.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::money::Cents;

/// What a budget line pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostCategory {
    /// Salaries and employer costs of the office's posts (Personalkosten).
    Personnel,
    /// Equipment, licences, travel, training material (Sachkosten).
    Material,
    /// External consultants, e.g. an external ISB or penetration tests.
    ExternalServices,
    /// Overhead charged by the host authority (Gemeinkosten, rooms, IT workplace).
    Overhead,
    /// Anything else.
    Other,
}

impl CostCategory {
    /// The stable code as stored and in the API, e.g. `external_services`.
    pub fn code(self) -> &'static str {
        match self {
            CostCategory::Personnel => "personnel",
            CostCategory::Material => "material",
            CostCategory::ExternalServices => "external_services",
            CostCategory::Overhead => "overhead",
            CostCategory::Other => "other",
        }
    }
}

impl fmt::Display for CostCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CostCategory::Personnel => "personnel",
            CostCategory::Material => "material",
            CostCategory::ExternalServices => "external services",
            CostCategory::Overhead => "overhead",
            CostCategory::Other => "other",
        })
    }
}

/// One line of a yearly budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// What it pays for.
    pub category: CostCategory,
    /// The planned amount; must not be negative.
    pub amount: Cents,
    /// Free text, e.g. "ISB post 1 (E 11)".
    #[serde(default)]
    pub note: String,
}

impl BudgetLine {
    /// A line with a category, amount and note.
    pub fn new(category: CostCategory, amount: Cents, note: impl Into<String>) -> BudgetLine {
        BudgetLine {
            category,
            amount,
            note: note.into(),
        }
    }
}

/// A yearly index (e.g. for pay rises) in basis points: `IndexRate(250)` is +2.5 %.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IndexRate(pub i32);

impl fmt::Display for IndexRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "+" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02} %", abs / 100, abs % 100)
    }
}

/// Why a budget is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BudgetError {
    /// A line has a negative amount. `line` counts from 1.
    #[error("budget {year}, line {line} ({category}, \"{note}\"): amount {amount} is negative")]
    NegativeAmount {
        /// The budget year.
        year: i32,
        /// Position of the line, counting from 1.
        line: usize,
        /// Its category.
        category: CostCategory,
        /// Its note.
        note: String,
        /// The amount.
        amount: Cents,
    },
    /// The lines add up to more than `i64` cents.
    #[error("budget {year}: total exceeds the representable amount")]
    TotalOverflow {
        /// The budget year.
        year: i32,
    },
    /// An index below -100 % would make amounts negative.
    #[error("index {rate} is below -100 %")]
    IndexTooLow {
        /// The rate.
        rate: IndexRate,
    },
    /// The year after `year` cannot be represented.
    #[error("no year follows {year}")]
    YearOverflow {
        /// The last year.
        year: i32,
    },
}

/// A validated yearly budget: no negative line, total within range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BudgetDraft")]
pub struct Budget {
    year: i32,
    lines: Vec<BudgetLine>,
    total: Cents,
}

/// The unvalidated shape a budget is deserialised from.
#[derive(Deserialize)]
struct BudgetDraft {
    year: i32,
    lines: Vec<BudgetLine>,
}

impl TryFrom<BudgetDraft> for Budget {
    type Error = BudgetError;

    fn try_from(d: BudgetDraft) -> Result<Budget, BudgetError> {
        Budget::new(d.year, d.lines)
    }
}

impl Budget {
    /// A budget for `year`. Fails on the first negative line (naming it) or if the total
    /// overflows. An empty budget (total zero) is allowed.
    pub fn new(year: i32, lines: Vec<BudgetLine>) -> Result<Budget, BudgetError> {
        if let Some((i, line)) = lines
            .iter()
            .enumerate()
            .find(|(_, l)| l.amount.is_negative())
        {
            return Err(BudgetError::NegativeAmount {
                year,
                line: i + 1,
                category: line.category,
                note: line.note.clone(),
                amount: line.amount,
            });
        }
        let total = Cents::checked_sum(lines.iter().map(|l| l.amount))
            .ok_or(BudgetError::TotalOverflow { year })?;
        Ok(Budget { year, lines, total })
    }

    /// The budget year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The lines.
    pub fn lines(&self) -> &[BudgetLine] {
        &self.lines
    }

    /// The sum of all lines.
    pub fn total(&self) -> Cents {
        self.total
    }

    /// The sum per category (only categories that occur).
    pub fn totals_by_category(&self) -> BTreeMap<CostCategory, Cents> {
        let mut sums = BTreeMap::new();
        for line in &self.lines {
            let sum = sums.entry(line.category).or_insert(Cents::ZERO);
            // Each partial sum is at most the total, which fits.
            *sum = Cents(sum.get() + line.amount.get());
        }
        sums
    }

    /// A copy for the next year (`IndexRate(0)` copies it unchanged), each line
    /// multiplied by `1 + rate` and rounded to the
    /// cent **half away from zero** (0.5 cent rounds up). Rounding is per line, so the new
    /// total is the sum of the rounded lines and may differ by a few cents from the old
    /// total times the index.
    ///
    /// Fails if the rate is below -100 %, an amount or the year overflows.
    pub fn next_year(&self, rate: IndexRate) -> Result<Budget, BudgetError> {
        if rate.0 < -10_000 {
            return Err(BudgetError::IndexTooLow { rate });
        }
        let year = self
            .year
            .checked_add(1)
            .ok_or(BudgetError::YearOverflow { year: self.year })?;
        let factor = 10_000 + i128::from(rate.0);
        let overflow = BudgetError::TotalOverflow { year };
        let lines = self
            .lines
            .iter()
            .map(|line| {
                let amount = index_amount(line.amount, factor).ok_or(overflow.clone())?;
                Ok(BudgetLine {
                    amount,
                    ..line.clone()
                })
            })
            .collect::<Result<Vec<_>, BudgetError>>()?;
        Budget::new(year, lines)
    }

    /// This budget followed by `following` indexed copies, each from the previous rounded
    /// year (so the index compounds). Fails like [`Budget::next_year`].
    pub fn plan(&self, following: usize, rate: IndexRate) -> Result<Vec<Budget>, BudgetError> {
        let mut plan = vec![self.clone()];
        for _ in 0..following {
            let next = plan.last().unwrap_or(self).next_year(rate)?;
            plan.push(next);
        }
        Ok(plan)
    }
}

/// `amount × factor / 10,000`, rounded half away from zero; `None` if it leaves `i64`.
fn index_amount(amount: Cents, factor: i128) -> Option<Cents> {
    let p = i128::from(amount.get()) * factor;
    let (q, r) = (p / 10_000, p % 10_000);
    let rounded = if r.abs() * 2 >= 10_000 {
        q + p.signum()
    } else {
        q
    };
    i64::try_from(rounded).ok().map(Cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_posts(year: i32) -> Budget {
        Budget::new(
            year,
            vec![
                BudgetLine::new(CostCategory::Personnel, Cents::euros(85_000), "ISB post 1"),
                BudgetLine::new(CostCategory::Personnel, Cents::euros(85_000), "ISB post 2"),
                BudgetLine::new(
                    CostCategory::Material,
                    Cents::euros(20_000),
                    "licences, training",
                ),
            ],
        )
        .expect("valid budget")
    }

    #[test]
    fn total_and_category_sums() {
        let b = two_posts(2025);
        assert_eq!(b.total(), Cents::euros(190_000));
        let by_cat = b.totals_by_category();
        assert_eq!(by_cat[&CostCategory::Personnel], Cents::euros(170_000));
        assert_eq!(by_cat[&CostCategory::Material], Cents::euros(20_000));
        assert_eq!(by_cat.get(&CostCategory::Overhead), None);
    }

    #[test]
    fn negative_line_is_an_error_naming_the_line() {
        let err = Budget::new(
            2025,
            vec![
                BudgetLine::new(CostCategory::Personnel, Cents::euros(85_000), "ISB post 1"),
                BudgetLine::new(CostCategory::Other, Cents(-1), "refund"),
            ],
        )
        .expect_err("negative line");
        assert_eq!(
            err.to_string(),
            "budget 2025, line 2 (other, \"refund\"): amount -0.01 is negative"
        );
    }

    #[test]
    fn total_overflow_is_an_error() {
        let lines = vec![BudgetLine::new(CostCategory::Other, Cents(i64::MAX), ""); 2];
        assert_eq!(
            Budget::new(2025, lines),
            Err(BudgetError::TotalOverflow { year: 2025 })
        );
    }

    #[test]
    fn next_year_indexes_each_line_by_two_and_a_half_percent() {
        let next = two_posts(2025).next_year(IndexRate(250)).expect("indexes");
        assert_eq!(next.year(), 2026);
        // 85,000 × 1.025 = 87,125; 20,000 × 1.025 = 20,500.
        assert_eq!(next.lines()[0].amount, Cents::euros(87_125));
        assert_eq!(next.lines()[2].amount, Cents::euros(20_500));
        assert_eq!(next.total(), Cents::euros(194_750));
        assert_eq!(next.lines()[0].note, "ISB post 1");
    }

    #[test]
    fn indexing_rounds_half_a_cent_away_from_zero_per_line() {
        let b = Budget::new(
            2025,
            vec![
                BudgetLine::new(CostCategory::Other, Cents(2), "2 cents"),
                BudgetLine::new(CostCategory::Other, Cents(1), "1 cent"),
            ],
        )
        .expect("valid");
        // +25 %: 2.5 → 3 and 1.25 → 1; -25 %: 1.5 → 2 and 0.75 → 1.
        let up = b.next_year(IndexRate(2_500)).expect("indexes");
        assert_eq!(
            up.lines()
                .iter()
                .map(|l| l.amount.get())
                .collect::<Vec<_>>(),
            vec![3, 1]
        );
        let down = b.next_year(IndexRate(-2_500)).expect("indexes");
        assert_eq!(
            down.lines()
                .iter()
                .map(|l| l.amount.get())
                .collect::<Vec<_>>(),
            vec![2, 1]
        );
    }

    #[test]
    fn plan_compounds_from_the_rounded_previous_year() {
        let plan = two_posts(2025).plan(2, IndexRate(250)).expect("plans");
        assert_eq!(
            plan.iter().map(Budget::year).collect::<Vec<_>>(),
            vec![2025, 2026, 2027]
        );
        // 87,125 × 1.025 = 89,303.125 → 89,303.13 (0.5 cent rounds up).
        assert_eq!(plan[2].lines()[0].amount, Cents(8_930_313));
        assert_eq!(
            two_posts(2025).plan(0, IndexRate(0)).expect("plans").len(),
            1
        );
    }

    #[test]
    fn index_below_minus_100_percent_is_rejected() {
        assert_eq!(
            two_posts(2025).next_year(IndexRate(-10_001)),
            Err(BudgetError::IndexTooLow {
                rate: IndexRate(-10_001)
            })
        );
        assert_eq!(IndexRate(-10_001).to_string(), "-100.01 %");
    }

    #[test]
    fn deserialising_validates_the_lines() {
        let ok = r#"{"year":2025,"lines":[{"category":"external_services","amount":100,"note":"pentest"}]}"#;
        assert_eq!(
            serde_json::from_str::<Budget>(ok).expect("valid").total(),
            Cents(100)
        );
        let bad = r#"{"year":2025,"lines":[{"category":"material","amount":-5}]}"#;
        let err = serde_json::from_str::<Budget>(bad).expect_err("negative");
        assert!(err.to_string().contains("line 1 (material"), "{err}");
        let round_trip: Budget =
            serde_json::from_value(serde_json::to_value(two_posts(2025)).expect("serialises"))
                .expect("parses");
        assert_eq!(round_trip, two_posts(2025));
    }
}
