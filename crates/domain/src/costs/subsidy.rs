//! Subsidies (Zuwendungen, Förderung): external funding spread over a project period.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::allocation::Allocation;
use super::fraction::Fraction;
use super::money::Cents;
use super::split::split_largest_remainder;
use crate::OrgId;

/// The longest project period accepted, in years.
pub const MAX_SUBSIDY_YEARS: i32 = 100;

/// How a subsidy's yearly instalment is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SubsidyApplication {
    /// Reduces the shared total before it is split by the key: every member benefits
    /// by its key share.
    ReduceSharedTotal,
    /// Credited to the listed members only, in proportion to their allocated shares.
    ByShare {
        /// The members that receive it.
        members: Vec<OrgId>,
    },
    /// Credited to the listed members in proportion to fixed amounts that add up to the
    /// subsidy's total (each member's amount for the whole period).
    Fixed {
        /// The members and their amounts for the whole period.
        amounts: Vec<FixedCredit>,
    },
}

/// A member's fixed part of a subsidy over the whole period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FixedCredit {
    /// The member.
    pub member: OrgId,
    /// Its amount over the whole period, in cents.
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub amount: Cents,
}

/// Why a subsidy is invalid or cannot be credited.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SubsidyError {
    /// The total is negative.
    #[error("subsidy \"{subsidy}\": total {total} is negative")]
    NegativeTotal {
        /// The subsidy's name.
        subsidy: String,
        /// The total.
        total: Cents,
    },
    /// The period is empty or longer than [`MAX_SUBSIDY_YEARS`].
    #[error("subsidy \"{subsidy}\": period {first_year}–{last_year} is invalid")]
    InvalidPeriod {
        /// The subsidy's name.
        subsidy: String,
        /// First year.
        first_year: i32,
        /// Last year.
        last_year: i32,
    },
    /// A per-member subsidy lists no member.
    #[error("subsidy \"{subsidy}\" is credited per member but lists none")]
    NoMembers {
        /// The subsidy's name.
        subsidy: String,
    },
    /// A member is listed twice.
    #[error("subsidy \"{subsidy}\" lists member {member} twice")]
    DuplicateMember {
        /// The subsidy's name.
        subsidy: String,
        /// The member.
        member: OrgId,
    },
    /// A fixed amount is negative.
    #[error("subsidy \"{subsidy}\": fixed amount {amount} for member {member} is negative")]
    NegativeFixedAmount {
        /// The subsidy's name.
        subsidy: String,
        /// The member.
        member: OrgId,
        /// The amount.
        amount: Cents,
    },
    /// The fixed amounts do not add up to the subsidy's total.
    #[error("subsidy \"{subsidy}\": fixed amounts add up to {sum}, not the total {total}")]
    FixedAmountsMismatch {
        /// The subsidy's name.
        subsidy: String,
        /// What they add up to (the largest amount if the sum overflows).
        sum: Cents,
        /// The subsidy's total.
        total: Cents,
    },
    /// A listed member is not part of the year's allocation.
    #[error("subsidy \"{subsidy}\": member {member} is not part of the allocation")]
    UnknownMember {
        /// The subsidy's name.
        subsidy: String,
        /// The member.
        member: OrgId,
    },
    /// The listed members' shares are all zero, so the instalment cannot be divided.
    #[error("subsidy \"{subsidy}\": the listed members have no share to credit by")]
    ZeroShares {
        /// The subsidy's name.
        subsidy: String,
    },
}

/// One year of a subsidy's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SubsidyYear {
    /// The year.
    pub year: i32,
    /// The amount for that year.
    pub instalment: Cents,
    /// What is left of the total after that year.
    pub remaining_after: Cents,
}

/// A validated subsidy: a total spread evenly over the years `first_year..=last_year`.
///
/// The yearly instalment is `total / years`; if that is not a whole number of cents,
/// the leftover cents go to the earliest years (largest remainder, ties to the earlier
/// year), so the instalments add up to the total exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SubsidyDraft")]
pub struct Subsidy {
    name: String,
    total: Cents,
    first_year: i32,
    last_year: i32,
    application: SubsidyApplication,
}

/// The unvalidated shape a subsidy is deserialised from.
#[derive(Deserialize)]
struct SubsidyDraft {
    name: String,
    total: Cents,
    first_year: i32,
    last_year: i32,
    application: SubsidyApplication,
}

impl TryFrom<SubsidyDraft> for Subsidy {
    type Error = SubsidyError;

    fn try_from(d: SubsidyDraft) -> Result<Subsidy, SubsidyError> {
        Subsidy::new(d.name, d.total, d.first_year, d.last_year, d.application)
    }
}

impl Subsidy {
    /// A subsidy of `total` over `first_year..=last_year`.
    ///
    /// Fails if the total is negative, the period is empty or longer than
    /// [`MAX_SUBSIDY_YEARS`], or a per-member application lists no member, a member twice,
    /// a negative fixed amount, or fixed amounts that do not add up to the total.
    pub fn new(
        name: impl Into<String>,
        total: Cents,
        first_year: i32,
        last_year: i32,
        application: SubsidyApplication,
    ) -> Result<Subsidy, SubsidyError> {
        let subsidy = name.into();
        if total.is_negative() {
            return Err(SubsidyError::NegativeTotal { subsidy, total });
        }
        let years = i64::from(last_year) - i64::from(first_year) + 1;
        if !(1..=i64::from(MAX_SUBSIDY_YEARS)).contains(&years) {
            return Err(SubsidyError::InvalidPeriod {
                subsidy,
                first_year,
                last_year,
            });
        }
        let ids: Vec<OrgId> = match &application {
            SubsidyApplication::ReduceSharedTotal => Vec::new(),
            SubsidyApplication::ByShare { members } => members.clone(),
            SubsidyApplication::Fixed { amounts } => amounts.iter().map(|a| a.member).collect(),
        };
        if ids.is_empty() && application != SubsidyApplication::ReduceSharedTotal {
            return Err(SubsidyError::NoMembers { subsidy });
        }
        let mut seen = BTreeSet::new();
        if let Some(&member) = ids.iter().find(|id| !seen.insert(**id)) {
            return Err(SubsidyError::DuplicateMember { subsidy, member });
        }
        if let SubsidyApplication::Fixed { amounts } = &application {
            if let Some(a) = amounts.iter().find(|a| a.amount.is_negative()) {
                return Err(SubsidyError::NegativeFixedAmount {
                    subsidy,
                    member: a.member,
                    amount: a.amount,
                });
            }
            let sum =
                Cents::checked_sum(amounts.iter().map(|a| a.amount)).unwrap_or(Cents(i64::MAX));
            if sum != total {
                return Err(SubsidyError::FixedAmountsMismatch {
                    subsidy,
                    sum,
                    total,
                });
            }
        }
        Ok(Subsidy {
            name: subsidy,
            total,
            first_year,
            last_year,
            application,
        })
    }

    /// The name, e.g. "Landesförderung 2025–2029".
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The total over the whole period.
    pub fn total(&self) -> Cents {
        self.total
    }

    /// How it is applied.
    pub fn application(&self) -> &SubsidyApplication {
        &self.application
    }

    /// The instalment and remaining amount for every year of the period.
    pub fn schedule(&self) -> Vec<SubsidyYear> {
        let items: Vec<(i32, Fraction)> = (self.first_year..=self.last_year)
            .map(|y| (y, Fraction::ONE))
            .collect();
        // Non-negative total, at least one year and equal weights: the split cannot fail.
        let entries = split_largest_remainder(self.total, &items).unwrap_or_default();
        let mut remaining = self.total;
        entries
            .into_iter()
            .map(|e| {
                remaining = Cents(remaining.get() - e.amount.get());
                SubsidyYear {
                    year: e.item,
                    instalment: e.amount,
                    remaining_after: remaining,
                }
            })
            .collect()
    }

    /// The instalment for `year`; zero outside the period.
    pub fn instalment(&self, year: i32) -> Cents {
        self.schedule()
            .into_iter()
            .find(|y| y.year == year)
            .map_or(Cents::ZERO, |y| y.instalment)
    }

    /// What is left after `year`: the whole total before the period, zero after it.
    pub fn remaining_after(&self, year: i32) -> Cents {
        if year < self.first_year {
            return self.total;
        }
        self.schedule()
            .into_iter()
            .take_while(|y| y.year <= year)
            .last()
            .map_or(self.total, |y| y.remaining_after)
    }

    /// The credits of a per-member subsidy for `allocation.year`, in cents that add up to
    /// the year's instalment exactly. Empty for [`SubsidyApplication::ReduceSharedTotal`].
    ///
    /// Fails if a listed member is not in the allocation or all listed members' shares
    /// are zero.
    pub fn member_credits(
        &self,
        allocation: &Allocation,
    ) -> Result<Vec<(OrgId, Cents)>, SubsidyError> {
        let weights: Vec<(OrgId, Fraction)> = match &self.application {
            SubsidyApplication::ReduceSharedTotal => return Ok(Vec::new()),
            SubsidyApplication::ByShare { members } => members
                .iter()
                .map(|&id| {
                    let line = allocation.member(id).ok_or(SubsidyError::UnknownMember {
                        subsidy: self.name.clone(),
                        member: id,
                    })?;
                    Ok((id, line.share.fraction))
                })
                .collect::<Result<_, SubsidyError>>()?,
            SubsidyApplication::Fixed { amounts } => amounts
                .iter()
                .map(|a| {
                    allocation
                        .member(a.member)
                        .ok_or(SubsidyError::UnknownMember {
                            subsidy: self.name.clone(),
                            member: a.member,
                        })?;
                    Ok((a.member, Fraction::integer(a.amount.get().into())))
                })
                .collect::<Result<_, SubsidyError>>()?,
        };
        let instalment = self.instalment(allocation.year);
        if instalment == Cents::ZERO {
            return Ok(weights
                .into_iter()
                .map(|(id, _)| (id, Cents::ZERO))
                .collect());
        }
        let entries = split_largest_remainder(instalment, &weights).map_err(|_| {
            SubsidyError::ZeroShares {
                subsidy: self.name.clone(),
            }
        })?;
        Ok(entries.into_iter().map(|e| (e.item, e.amount)).collect())
    }
}
