//! The 4×4 risk matrix: frequency (rows) × impact (columns) → risk category.

use serde::{Deserialize, Serialize};

use super::{Frequency, Impact, Rating, RiskCategory};
use crate::validation::ValidationErrors;

use RiskCategory::{High as H, Low as L, Medium as M, VeryHigh as V};

/// Verbund's default (not the BSI example, whose cells are not reproduced here): impact
/// weighs more than frequency — an existence-threatening damage is never below hoch, a
/// negligible one never above mittel; a rare but considerable damage is mittel, anything at
/// least yearly with considerable damage hoch or worse. Rows: selten, mittel, häufig, sehr
/// häufig; columns: vernachlässigbar, begrenzt, beträchtlich, existenzbedrohend.
pub const DEFAULT_CELLS: [[RiskCategory; 4]; 4] =
    [[L, L, M, H], [L, M, H, V], [L, M, H, V], [M, H, V, V]];

/// A federation's risk matrix. `cells[frequency][impact]`, both in the order of their `ALL`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RiskMatrix {
    /// Four rows (selten … sehr häufig) of four categories (vernachlässigbar … existenzbedrohend).
    pub cells: Vec<Vec<RiskCategory>>,
}

impl Default for RiskMatrix {
    fn default() -> Self {
        Self {
            cells: DEFAULT_CELLS.iter().map(|r| r.to_vec()).collect(),
        }
    }
}

impl RiskMatrix {
    /// The category of a rating. A malformed matrix (never stored: [`Self::validate`] runs
    /// first) answers `sehr hoch`, the safe side.
    pub fn category(&self, r: Rating) -> RiskCategory {
        self.cells
            .get(r.frequency.index())
            .and_then(|row| row.get(r.impact.index()))
            .copied()
            .unwrap_or(RiskCategory::VeryHigh)
    }

    /// The cell for a frequency and an impact.
    pub fn cell(&self, frequency: Frequency, impact: Impact) -> RiskCategory {
        self.category(Rating { frequency, impact })
    }

    /// Checks a matrix: 4 × 4 cells (`error-risk-matrix-shape`), and monotone — no cell lower
    /// than the one left of it (smaller impact) or above it (smaller frequency), so a worse
    /// rating never gives a lower category (`error-risk-matrix-monotone`, field
    /// `cells.<row>.<column>` of the first offending cell).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        if self.cells.len() != 4 || self.cells.iter().any(|r| r.len() != 4) {
            return Err(ValidationErrors::single("cells", "error-risk-matrix-shape"));
        }
        let mut e = ValidationErrors::default();
        for f in 0..4 {
            for i in 0..4 {
                let c = self.cells[f][i];
                let below_left = i > 0 && c < self.cells[f][i - 1];
                let below_up = f > 0 && c < self.cells[f - 1][i];
                if below_left || below_up {
                    e.add(&format!("cells.{f}.{i}"), "error-risk-matrix-monotone");
                }
            }
        }
        e.into_result(())
    }

    /// Parses form fields `cell_<row>_<column>` (codes) into a matrix; a missing or unknown
    /// code is a field error on that cell.
    pub fn from_fields(get: impl Fn(&str) -> Option<String>) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let mut cells = vec![vec![RiskCategory::Low; 4]; 4];
        for (f, row) in cells.iter_mut().enumerate() {
            for (i, cell) in row.iter_mut().enumerate() {
                let name = format!("cell_{f}_{i}");
                match get(&name).as_deref().map(RiskCategory::parse) {
                    Some(Ok(c)) => *cell = c,
                    Some(Err(code)) => e.add(&name, code),
                    None => e.add(&name, "error-required"),
                }
            }
        }
        let m = e.into_result(Self { cells })?;
        m.validate()?;
        Ok(m)
    }
}
