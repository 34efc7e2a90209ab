//! Splitting one amount among members by an allocation key, with a breakdown a
//! treasurer can check step by step.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::error::AllocationError;
use super::fraction::Fraction;
use super::key::AllocationKey;
use super::key_eval::{KeyStep, Membership, Share, evaluate};
use super::member::{MemberSnapshot, Metric};
use super::money::Cents;
use super::prorata::{ProRataRule, days_in_year, membership_span, prorate};
use super::split::{SplitError, split_largest_remainder};
use crate::OrgId;

/// The explainable result of splitting `total` among members for one year.
///
/// The member amounts add up to `total` exactly. Computation order:
/// 1. the key tree gives each member an exact key share as if everyone were a member all
///    year (`steps`, `key_share`);
/// 2. the pro-rata rule (`pro_rata`, see [`super::prorata`]) weights by days of membership
///    inside each key step, so fixed shares stay fixed (`share`);
/// 3. `share × total` is cut down to cents and the leftover cents go by largest remainder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// The key's name.
    pub key_name: String,
    /// The year settled.
    pub year: i32,
    /// 365 or 366.
    pub days_in_year: u16,
    /// The pro-rata rule applied. Allocations stored before it was recorded used
    /// [`ProRataRule::WholeKey`], which is what a missing field reads as.
    #[serde(default)]
    pub pro_rata: ProRataRule,
    /// The amount split.
    pub total: Cents,
    /// One entry per key node, parents before children.
    pub steps: Vec<KeyStep>,
    /// One entry per member, in input order.
    pub members: Vec<MemberShare>,
}

/// One member's line of an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberShare {
    /// The member.
    pub member: OrgId,
    /// Its name.
    pub name: String,
    /// The metric values the key used for it.
    pub metrics: BTreeMap<Metric, u64>,
    /// Its share by the key alone, as if every member were in for the whole year.
    pub key_share: Share,
    /// Days of membership in the year.
    pub membership_days: u16,
    /// Its final share after the pro-rata rule; equals `key_share` when nobody joined or left
    /// (and, under [`ProRataRule::WithinStep`], for a fixed share whoever joined or left).
    pub share: Share,
    /// The exact amount (`share × total`) in euros with 6 decimals, before rounding.
    pub exact_euros: String,
    /// The exact amount cut down to whole cents.
    pub floor: Cents,
    /// The cut-off part of a cent, in `[0, 1)`.
    pub remainder: Fraction,
    /// Whether it received one of the leftover cents.
    pub extra_cent: bool,
    /// What it pays.
    pub amount: Cents,
}

impl Allocation {
    /// The amount `member` pays, if it is part of the allocation.
    pub fn amount_of(&self, member: OrgId) -> Option<Cents> {
        self.members
            .iter()
            .find(|m| m.member == member)
            .map(|m| m.amount)
    }

    /// The line of `member`, if it is part of the allocation.
    pub fn member(&self, member: OrgId) -> Option<&MemberShare> {
        self.members.iter().find(|m| m.member == member)
    }
}

/// Splits `total` among `members` for `year` by `key`, pro rata by days of membership
/// inside each key step ([`ProRataRule::WithinStep`], see [`super::prorata`]), to the exact
/// cent by largest remainder (see [`super::split`]).
///
/// Fails when there are no members, a member is listed twice, the total is negative, the
/// key is malformed for these members (weights not 100 %, missing metric, unknown member,
/// empty part, a member no part covers), a membership is invalid or misses the year, or the
/// exact fractions exceed 128 bits. Every error names the member and/or key node.
pub fn allocate(
    total: Cents,
    year: i32,
    members: &[MemberSnapshot],
    key: &AllocationKey,
) -> Result<Allocation, AllocationError> {
    allocate_with(ProRataRule::WithinStep, total, year, members, key)
}

/// [`allocate`] with the given pro-rata rule: issued statements are checked again with
/// the rule they were settled with.
pub(crate) fn allocate_with(
    rule: ProRataRule,
    total: Cents,
    year: i32,
    members: &[MemberSnapshot],
    key: &AllocationKey,
) -> Result<Allocation, AllocationError> {
    if members.is_empty() {
        return Err(AllocationError::NoMembers);
    }
    let mut seen = BTreeSet::new();
    if let Some(dup) = members.iter().find(|m| !seen.insert(m.id)) {
        return Err(AllocationError::DuplicateMember { member: dup.id });
    }
    if total.is_negative() {
        return Err(AllocationError::NegativeTotal { total });
    }
    let year_days = days_in_year(year);
    let mut days = Vec::with_capacity(members.len());
    let mut spans = Vec::with_capacity(members.len());
    for m in members {
        let Some((from, to)) = membership_span(m, year)? else {
            return Err(AllocationError::NotMemberInYear {
                member: m.id,
                name: m.name.clone(),
                year,
            });
        };
        days.push(to - from + 1);
        spans.push((from, to));
    }
    let membership = Membership {
        days: &days,
        spans: &spans,
        days_in_year: year_days,
    };
    let ev = evaluate(key, members, &membership)?;
    if let Some(i) = ev.covered.iter().position(|c| !c) {
        return Err(AllocationError::MemberNotInKey {
            member: members[i].id,
            name: members[i].name.clone(),
        });
    }
    let shares = match rule {
        ProRataRule::WithinStep => ev.prorated.clone(),
        ProRataRule::WholeKey => prorate(&ev.shares, &days, year_days, &key.name)?,
    };
    let items: Vec<(OrgId, Fraction)> = members
        .iter()
        .map(|m| m.id)
        .zip(shares.iter().copied())
        .collect();
    let entries = split_largest_remainder(total, &items).map_err(|e| match e {
        SplitError::NegativeTotal(total) => AllocationError::NegativeTotal { total },
        // Key shares add up to 1 and every member has at least one day, so only
        // overflow is left.
        SplitError::NegativeWeight(_) | SplitError::ZeroWeights | SplitError::Overflow => {
            AllocationError::Overflow {
                node: key.name.clone(),
            }
        }
    })?;
    let lines = members
        .iter()
        .zip(entries)
        .zip(ev.metrics)
        .zip(ev.shares.iter().zip(days))
        .map(
            |(((m, e), metrics), (key_share, membership_days))| MemberShare {
                member: m.id,
                name: m.name.clone(),
                metrics,
                key_share: Share::new(*key_share),
                membership_days,
                share: Share::new(e.share),
                exact_euros: e.exact_euros,
                floor: e.floor,
                remainder: e.remainder,
                extra_cent: e.extra_cent,
                amount: e.amount,
            },
        )
        .collect();
    Ok(Allocation {
        key_name: key.name.clone(),
        year,
        days_in_year: year_days,
        pro_rata: rule,
        total,
        steps: ev.steps,
        members: lines,
    })
}
