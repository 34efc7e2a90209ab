//! Members joining or leaving during the year pay pro rata by days of membership.
//!
//! # The rule ([`ProRataRule::WithinStep`])
//!
//! Pro rata works inside the key step a member belongs to, so that it never moves a share
//! the key fixes:
//!
//! - **Leaf steps** (equal, by metric, manual): each member's weight in the step (1, its
//!   metric value, its percentage) is multiplied by `days of membership / days in year`,
//!   and the step's share is renormalised among the step's members:
//!   `shareᵢ = stepShare · wᵢ·dᵢ / Σⱼ wⱼ·dⱼ`. "Equal" therefore means equal per day: with
//!   three members of which one joins on 1 July, the shares are 365 : 184 : 365. Manual
//!   percentages are weights of the step like metric values; a share that must not move
//!   is a part of its own (a split part with one member), not a manual percentage.
//! - **Split steps** hand their parts the fixed percentages of the key. A part keeps its
//!   percentage as long as on every day of the year at least one of its members is a member
//!   ("the part is occupied"). Only a part that is unoccupied on some days — typically a
//!   part with a single member who joins or leaves during the year — shrinks by
//!   `occupied days / days in year`, and the split renormalises its parts for that case:
//!   `partShareⱼ = nodeShare · pⱼ·oⱼ / Σₖ pₖ·oₖ`. Nobody else carries a member's absent
//!   days then, except the other parts of that split, and only because the budget must be
//!   covered in full: a cooperation's costs do not shrink because a member joined late.
//!
//! So a fixed share — a split part whose members cover the whole year, in particular a
//! part with a single member who is a member all year — is exactly its percentage,
//! whoever else joins or leaves. Example: the Kreis carries 25 %, towns C, D, E 75 % by
//! population (10,000 / 20,000 / 30,000), E joins on 1 April 2026 (275 of 365 days): the
//! Kreis pays 25 %, C, D, E split 75 % as 10,000·365 : 20,000·365 : 30,000·275.
//!
//! Why a part-year single member's part shrinks rather than keep its full share: carrying
//! a whole year's share for three months would make joining late expensive, and
//! renormalising inside a one-member step cannot shrink anything (`w·d / w·d = 1`). Treating
//! it through occupancy keeps one consistent rule: a step's share is carried by its
//! members for the days they are there, and only a gap with nobody there goes up a level.
//!
//! Every step's parts and members add up to the step's share, so all shares add up to
//! exactly 1 and the budget is always fully covered. If every member is in for the whole
//! year, every share equals the key share.
//!
//! # The earlier rule ([`ProRataRule::WholeKey`])
//!
//! Statements issued before the rule above were settled with the whole-key rule: each
//! member's key share `kᵢ` times its days `dᵢ`, rescaled over all members,
//! `shareᵢ = kᵢ·dᵢ / Σⱼ kⱼ·dⱼ`. It spreads a late member's gap over the whole key, so a
//! fixed share (the Kreis's) grew whenever a town joined or left during the year. It is
//! kept only so that such statements can still be checked
//! ([`super::StatementDocument::verify`]); new allocations use the within-step rule.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::error::AllocationError;
use super::fraction::Fraction;
use super::member::MemberSnapshot;

/// How membership days change the key shares; see the module documentation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProRataRule {
    /// The earlier rule: key share × days, rescaled over all members. Statements stored
    /// before the rule was recorded were settled with it, hence the default.
    #[default]
    WholeKey,
    /// Key share × days inside each key step; fixed shares stay fixed.
    WithinStep,
}

/// Days in `year`: 366 in leap years, else 365.
pub fn days_in_year(year: i32) -> u16 {
    time::util::days_in_year(year)
}

/// The number of days `member` belongs to the federation in `year`, counting both the
/// first and the last day of membership.
///
/// Fails if the year is out of range or the membership ends before it starts. Returns
/// zero if the membership does not touch the year.
pub fn membership_days(member: &MemberSnapshot, year: i32) -> Result<u16, AllocationError> {
    Ok(membership_span(member, year)?.map_or(0, |(from, to)| to - from + 1))
}

/// The first and last day (1 = 1 January) of `member`'s membership in `year`, both
/// inclusive; `None` if the membership does not touch the year.
///
/// Fails like [`membership_days`].
pub fn membership_span(
    member: &MemberSnapshot,
    year: i32,
) -> Result<Option<(u16, u16)>, AllocationError> {
    let invalid_year = || AllocationError::InvalidYear { year };
    let first = Date::from_calendar_date(year, Month::January, 1).map_err(|_| invalid_year())?;
    let last = Date::from_calendar_date(year, Month::December, 31).map_err(|_| invalid_year())?;
    if let (Some(start), Some(end)) = (member.starts_on, member.ends_on)
        && end < start
    {
        return Err(AllocationError::MembershipEndsBeforeStart {
            member: member.id,
            name: member.name.clone(),
        });
    }
    let from = member.starts_on.map_or(first, |d| d.max(first));
    let to = member.ends_on.map_or(last, |d| d.min(last));
    if to < from {
        return Ok(None);
    }
    Ok(Some((from.ordinal(), to.ordinal())))
}

/// The number of days on which at least one of `spans` (from [`membership_span`]) is a
/// member: the length of their union.
pub(crate) fn occupied_days(spans: impl IntoIterator<Item = (u16, u16)>) -> u16 {
    let mut spans: Vec<(u16, u16)> = spans.into_iter().collect();
    spans.sort_unstable();
    let mut days = 0;
    let mut covered_to = 0; // last day counted so far
    for (from, to) in spans {
        let from = from.max(covered_to + 1);
        if to >= from {
            days += to - from + 1;
            covered_to = to;
        }
    }
    days
}

/// Weights shares by days and renormalises them to add up to 1: `kᵢ·dᵢ / Σⱼ kⱼ·dⱼ`.
/// Used on the whole key ([`ProRataRule::WholeKey`]) and inside one step (the members of
/// a leaf, the parts of a split, [`ProRataRule::WithinStep`]).
///
/// `shares` and `days` are in the same order; the shares must add up to 1. Returns the shares unchanged when every
/// entry has `days_in_year` days. Fails with [`AllocationError::Overflow`] (naming `node`) when
/// the fractions exceed 128 bits.
pub(crate) fn prorate(
    shares: &[Fraction],
    days: &[u16],
    days_in_year: u16,
    node: &str,
) -> Result<Vec<Fraction>, AllocationError> {
    if days.iter().all(|&d| d == days_in_year) {
        return Ok(shares.to_vec());
    }
    let overflow = || AllocationError::Overflow {
        node: node.to_owned(),
    };
    let weighted = shares
        .iter()
        .zip(days)
        .map(|(k, &d)| {
            k.checked_mul(Fraction::integer(d.into()))
                .ok_or_else(overflow)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sum = weighted
        .iter()
        .try_fold(Fraction::ZERO, |acc, w| acc.checked_add(*w))
        .ok_or_else(overflow)?;
    weighted
        .iter()
        .map(|w| w.checked_div(sum).ok_or_else(overflow))
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::OrgId;

    fn member(starts_on: Option<Date>, ends_on: Option<Date>) -> MemberSnapshot {
        MemberSnapshot::new(OrgId(7), "Trebur").with_membership(starts_on, ends_on)
    }

    #[test]
    fn leap_years_have_366_days() {
        assert_eq!(days_in_year(2024), 366);
        assert_eq!(days_in_year(2025), 365);
        assert_eq!(days_in_year(2100), 365);
    }

    #[test]
    fn joining_on_1_july_counts_184_days() {
        // July 31 + August 31 + September 30 + October 31 + November 30 + December 31.
        assert_eq!(
            membership_days(&member(Some(date!(2025 - 07 - 01)), None), 2025),
            Ok(184)
        );
    }

    #[test]
    fn leaving_on_31_march_counts_90_days_including_31_march() {
        // January 31 + February 28 + March 31.
        assert_eq!(
            membership_days(&member(None, Some(date!(2025 - 03 - 31))), 2025),
            Ok(90)
        );
        assert_eq!(
            membership_days(&member(None, Some(date!(2024 - 03 - 31))), 2024),
            Ok(91)
        );
    }

    #[test]
    fn whole_year_and_outside_year_memberships() {
        assert_eq!(membership_days(&member(None, None), 2025), Ok(365));
        assert_eq!(
            membership_days(
                &member(Some(date!(2020 - 05 - 01)), Some(date!(2030 - 01 - 01))),
                2025
            ),
            Ok(365)
        );
        assert_eq!(
            membership_days(&member(Some(date!(2026 - 01 - 01)), None), 2025),
            Ok(0)
        );
        assert_eq!(
            membership_days(&member(Some(date!(2025 - 12 - 31)), None), 2025),
            Ok(1)
        );
    }

    #[test]
    fn membership_ending_before_it_starts_is_an_error() {
        let m = member(Some(date!(2025 - 05 - 01)), Some(date!(2025 - 04 - 30)));
        assert_eq!(
            membership_days(&m, 2025),
            Err(AllocationError::MembershipEndsBeforeStart {
                member: crate::OrgId(7),
                name: "Trebur".into()
            })
        );
    }

    #[test]
    fn occupied_days_count_overlaps_once_and_skip_gaps() {
        // Days 1–90 and 60–100 overlap: 100 days; 200–200 adds one; nested 10–20 adds none.
        assert_eq!(
            occupied_days([(60, 100), (200, 200), (1, 90), (10, 20)]),
            101
        );
        assert_eq!(occupied_days([(1, 90), (91, 365)]), 365);
        assert_eq!(occupied_days([]), 0);
    }

    #[test]
    fn membership_span_gives_day_numbers_within_the_year() {
        let m = member(Some(date!(2024 - 03 - 01)), Some(date!(2025 - 01 - 31)));
        // 2024 is a leap year: 1 March is day 61, 31 December day 366.
        assert_eq!(membership_span(&m, 2024), Ok(Some((61, 366))));
        assert_eq!(membership_span(&m, 2025), Ok(Some((1, 31))));
        assert_eq!(membership_span(&m, 2026), Ok(None));
    }

    #[test]
    fn prorate_redistributes_absent_days_to_the_others() {
        let third = Fraction::new(1, 3).expect("valid");
        let shares = prorate(&[third, third, third], &[365, 184, 365], 365, "k").expect("fits");
        // 365 : 184 : 365 out of 914.
        assert_eq!(
            shares,
            vec![
                Fraction::new(365, 914).expect("valid"),
                Fraction::new(184, 914).expect("valid"),
                Fraction::new(365, 914).expect("valid"),
            ]
        );
    }
}
