//! The member data an allocation needs: metrics and membership dates for one year.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::OrgId;

/// A size figure of a member that an allocation key can split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Metric {
    /// Inhabitants (Einwohner), usually as of 31 December of the year before last.
    Population,
    /// Staff head count of the administration.
    Staff,
    /// IT workplaces (IT-Arbeitsplätze).
    ItWorkplaces,
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Metric::Population => "population",
            Metric::Staff => "staff",
            Metric::ItWorkplaces => "IT workplaces",
        })
    }
}

/// One member as the allocation sees it: a snapshot taken for the year being settled,
/// so that a statement can be reproduced later from the values it records.
///
/// Membership dates are inclusive: `ends_on = 31 March` means the member still pays
/// for 31 March. `None` means "before the year" / "after the year". A member with
/// several membership periods in one year is not supported; pass the covering period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberSnapshot {
    /// The organisation.
    pub id: OrgId,
    /// Display name, e.g. "Stadt Raunheim".
    pub name: String,
    /// Inhabitants, if known.
    pub population: Option<u64>,
    /// Staff head count, if known.
    pub staff: Option<u64>,
    /// IT workplaces, if known.
    pub it_workplaces: Option<u64>,
    /// First day of membership, if it falls in or after the year.
    #[serde(default)]
    pub starts_on: Option<Date>,
    /// Last day of membership (inclusive), if it falls in or before the year.
    #[serde(default)]
    pub ends_on: Option<Date>,
    /// When the member's key figures last changed before the statement used them (Unix
    /// milliseconds). Not written when unknown, so statements issued before it was recorded
    /// keep their exact JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figures_changed_at_ms: Option<i64>,
}

impl MemberSnapshot {
    /// A member for the whole year with no metrics yet; add them with the `with_*` methods.
    pub fn new(id: OrgId, name: impl Into<String>) -> MemberSnapshot {
        MemberSnapshot {
            id,
            name: name.into(),
            population: None,
            staff: None,
            it_workplaces: None,
            starts_on: None,
            ends_on: None,
            figures_changed_at_ms: None,
        }
    }

    /// Sets the population.
    pub fn with_population(mut self, population: u64) -> MemberSnapshot {
        self.population = Some(population);
        self
    }

    /// Sets the staff head count.
    pub fn with_staff(mut self, staff: u64) -> MemberSnapshot {
        self.staff = Some(staff);
        self
    }

    /// Sets the number of IT workplaces.
    pub fn with_it_workplaces(mut self, it_workplaces: u64) -> MemberSnapshot {
        self.it_workplaces = Some(it_workplaces);
        self
    }

    /// Sets the membership period (inclusive dates, `None` = open).
    pub fn with_membership(
        mut self,
        starts_on: Option<Date>,
        ends_on: Option<Date>,
    ) -> MemberSnapshot {
        self.starts_on = starts_on;
        self.ends_on = ends_on;
        self
    }

    /// The value of `metric`, if known.
    pub fn metric(&self, metric: Metric) -> Option<u64> {
        match metric {
            Metric::Population => self.population,
            Metric::Staff => self.staff,
            Metric::ItWorkplaces => self.it_workplaces,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_reads_the_matching_field() {
        let m = MemberSnapshot::new(OrgId(1), "Nauheim")
            .with_population(10_840)
            .with_staff(120);
        assert_eq!(m.metric(Metric::Population), Some(10_840));
        assert_eq!(m.metric(Metric::Staff), Some(120));
        assert_eq!(m.metric(Metric::ItWorkplaces), None);
    }

    #[test]
    fn metric_serialises_in_snake_case() {
        let json = serde_json::to_string(&Metric::ItWorkplaces).expect("serialises");
        assert_eq!(json, "\"it_workplaces\"");
    }
}
