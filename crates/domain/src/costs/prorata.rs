//! Members joining or leaving during the year pay pro rata by days of membership.
//!
//! The rule: a member's key share is multiplied by `days of membership / days in year`
//! (365 or 366), and the shares are then scaled up again so they add up to 100 %. The
//! part a mid-year member does not carry is thereby redistributed among all members in
//! proportion to their (day-weighted) shares, and the budget is always fully covered.
//! This is how a cooperation whose costs the members must cover in full works: the
//! office's costs do not shrink because a member joined late.
//!
//! Formally, with key share `kᵢ` and membership days `dᵢ`:
//! `shareᵢ = kᵢ·dᵢ / Σⱼ kⱼ·dⱼ`. If every member is in for the whole year, `shareᵢ = kᵢ`.

use time::{Date, Month};

use super::error::AllocationError;
use super::fraction::Fraction;
use super::member::MemberSnapshot;

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
        return Ok(0);
    }
    // At most 366, so the conversion cannot fail.
    Ok(u16::try_from((to - from).whole_days() + 1).unwrap_or(u16::MAX))
}

/// Applies the pro-rata rule to key shares: `kᵢ·dᵢ / Σⱼ kⱼ·dⱼ`.
///
/// `shares` and `days` are in member order. Returns the shares unchanged when every member
/// has `days_in_year` days. Fails with [`AllocationError::Overflow`] (naming `node`) when
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
