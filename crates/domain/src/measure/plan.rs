//! The implementation plan (Realisierungsplan) as a document: measures in plan order with the
//! requirements they work on, and the sums a treasurer and a mayor look for — estimated cost
//! and effort per priority, of all measures and of the open ones.

use super::Priority;
use super::model::Measure;

/// One measure of the plan with the references of the requirements it works on.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanEntry {
    /// The measure.
    pub measure: Measure,
    /// References of the linked requirements (e.g. `OPS.1.1.5.A3`), in catalog order.
    pub requirements: Vec<String>,
}

/// Counts and sums over a group of measures.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// Measures.
    pub measures: usize,
    /// Of these, open (offen, in Arbeit).
    pub open: usize,
    /// Of these, open and past their deadline.
    pub overdue: usize,
    /// Estimated cost of all measures, in cents (measures without an estimate count 0).
    pub cost_cents: i64,
    /// Estimated cost of the open measures, in cents: what is still to be spent.
    pub open_cost_cents: i64,
    /// Estimated effort of all measures, in person-days.
    pub effort_days: f64,
    /// Estimated effort of the open measures, in person-days.
    pub open_effort_days: f64,
    /// Measures without a cost estimate: the sums are lower bounds while this is not 0.
    pub without_cost: usize,
}

impl Tally {
    fn add(&mut self, m: &Measure) {
        let open = m.status.is_open();
        let cost = m.cost_cents.unwrap_or(0);
        let effort = m.effort_days.unwrap_or(0.0);
        self.measures += 1;
        self.cost_cents = self.cost_cents.saturating_add(cost);
        self.effort_days += effort;
        if m.cost_cents.is_none() {
            self.without_cost += 1;
        }
        if open {
            self.open += 1;
            self.open_cost_cents = self.open_cost_cents.saturating_add(cost);
            self.open_effort_days += effort;
            if m.overdue {
                self.overdue += 1;
            }
        }
    }
}

/// The plan's sums: one [`Tally`] per priority (most urgent first, every priority listed even
/// when it has no measure, so that tables keep their shape) and one over all measures.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanTotals {
    /// Per priority, most urgent first.
    pub by_priority: Vec<(Priority, Tally)>,
    /// Over all measures.
    pub all: Tally,
}

/// Sums the plan's measures by priority.
pub fn plan_totals<'a>(measures: impl IntoIterator<Item = &'a Measure>) -> PlanTotals {
    let mut by_priority: Vec<(Priority, Tally)> = Priority::ALL
        .iter()
        .map(|p| (*p, Tally::default()))
        .collect();
    by_priority.sort_by_key(|(p, _)| p.rank());
    let mut all = Tally::default();
    for m in measures {
        all.add(m);
        if let Some((_, t)) = by_priority.iter_mut().find(|(p, _)| *p == m.priority) {
            t.add(m);
        }
    }
    PlanTotals { by_priority, all }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::MeasureStatus;
    use crate::measure::rules::LinkState;
    use crate::{MeasureId, OrgId};

    fn m(
        id: i64,
        priority: Priority,
        status: MeasureStatus,
        cost: Option<i64>,
        effort: Option<f64>,
        due: Option<&str>,
        overdue: bool,
    ) -> Measure {
        Measure {
            id: MeasureId(id),
            org_id: OrgId(1),
            org_name: "Musterstadt".into(),
            template_id: None,
            title: format!("Maßnahme {id}"),
            description: None,
            owner_user_id: None,
            owner_name: None,
            due_on: due.map(str::to_owned),
            priority,
            status,
            cost_cents: cost,
            effort_days: effort,
            revision: 1,
            created_at_ms: 0,
            updated_at_ms: 0,
            done_at_ms: None,
            overdue,
            link: LinkState {
                linked: 0,
                met: 0,
                fulfilled: false,
                warning: None,
            },
        }
    }

    #[test]
    fn totals_sum_cost_and_effort_per_priority_and_separate_what_is_still_open() {
        use MeasureStatus::*;
        use Priority::*;
        // Worked example: a backup measure (high, open, 1,200.50 €, 2.5 days, overdue), a
        // training (high, done, 800 €, 1 day), a policy (medium, in progress, no estimate,
        // 0.5 days) and an inventory (low, verified, 0 €).
        let plan = [
            m(
                1,
                High,
                Open,
                Some(120_050),
                Some(2.5),
                Some("2026-11-30"),
                true,
            ),
            m(2, High, Implemented, Some(80_000), Some(1.0), None, false),
            m(
                3,
                Medium,
                InProgress,
                None,
                Some(0.5),
                Some("2027-03-01"),
                false,
            ),
            m(4, Low, Verified, Some(0), None, None, false),
        ];

        let t = plan_totals(&plan);

        let order: Vec<Priority> = t.by_priority.iter().map(|(p, _)| *p).collect();
        assert_eq!(order, [VeryHigh, High, Medium, Low]);
        assert_eq!(t.by_priority[0].1, Tally::default());
        let high = t.by_priority[1].1;
        assert_eq!((high.measures, high.open, high.overdue), (2, 1, 1));
        assert_eq!((high.cost_cents, high.open_cost_cents), (200_050, 120_050));
        assert_eq!((high.effort_days, high.open_effort_days), (3.5, 2.5));
        let medium = t.by_priority[2].1;
        assert_eq!(
            (medium.without_cost, medium.open, medium.cost_cents),
            (1, 1, 0)
        );
        assert_eq!(t.all.measures, 4);
        assert_eq!(t.all.open, 2);
        assert_eq!(t.all.cost_cents, 200_050);
        assert_eq!(t.all.open_cost_cents, 120_050);
        assert_eq!(t.all.effort_days, 4.0);
        assert_eq!(t.all.open_effort_days, 3.0);
        assert_eq!(t.all.without_cost, 1);
    }

    #[test]
    fn an_empty_plan_still_lists_every_priority_with_zero() {
        let t = plan_totals(&[]);

        assert_eq!(t.by_priority.len(), 4);
        assert!(t.by_priority.iter().all(|(_, t)| *t == Tally::default()));
        assert_eq!(t.all, Tally::default());
    }
}
