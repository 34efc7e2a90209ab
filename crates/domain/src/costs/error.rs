//! Why an allocation key cannot be applied to a set of members.

use thiserror::Error;

use super::member::Metric;
use super::money::{Cents, Weight};
use crate::OrgId;

/// Why splitting an amount among members by an allocation key failed.
///
/// `node` is the path of the key node at fault, e.g. `"Kreis GG 2025 > towns > by population"`:
/// the key's name followed by the labels of the parts leading to the node.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AllocationError {
    /// No members were passed in.
    #[error("no members to split the costs among")]
    NoMembers,
    /// The same member appears twice in the member list.
    #[error("member {member} is listed twice")]
    DuplicateMember {
        /// The repeated member.
        member: OrgId,
    },
    /// The amount to split is negative (e.g. subsidies larger than the budget).
    #[error("the amount to split is negative: {total}")]
    NegativeTotal {
        /// The amount.
        total: Cents,
    },
    /// A split node's part weights do not add up to exactly 100 %.
    #[error("key node \"{node}\": part weights add up to {sum}, not 100.00 %")]
    WeightsNotFull {
        /// Path of the split node.
        node: String,
        /// What the weights add up to.
        sum: Weight,
    },
    /// A split node has no parts.
    #[error("key node \"{node}\" has no parts")]
    EmptySplit {
        /// Path of the split node.
        node: String,
    },
    /// A node's member filter leaves nobody to carry its share.
    #[error("key node \"{node}\" applies to no member")]
    EmptyScope {
        /// Path of the node.
        node: String,
    },
    /// A filter or manual share names a member that is not among the node's members.
    #[error("key node \"{node}\" names member {member}, which is not among the members it splits")]
    UnknownMember {
        /// Path of the node.
        node: String,
        /// The member named.
        member: OrgId,
    },
    /// A member lacks a metric that the key splits by.
    #[error("member {member} ({name}) has no value for {metric}, needed by key node \"{node}\"")]
    MissingMetric {
        /// The member.
        member: OrgId,
        /// Its name.
        name: String,
        /// The metric.
        metric: Metric,
        /// Path of the node that needs it.
        node: String,
    },
    /// All members of a metric node have the value zero, so there is nothing to split by.
    #[error("key node \"{node}\": {metric} adds up to zero over its members")]
    ZeroMetricTotal {
        /// Path of the node.
        node: String,
        /// The metric.
        metric: Metric,
    },
    /// A manual-percentages node has no share for one of its members.
    #[error("key node \"{node}\": no manual share for member {member} ({name})")]
    MissingManualShare {
        /// Path of the node.
        node: String,
        /// The member.
        member: OrgId,
        /// Its name.
        name: String,
    },
    /// A manual-percentages node lists the same member twice.
    #[error("key node \"{node}\": member {member} has two manual shares")]
    DuplicateManualShare {
        /// Path of the node.
        node: String,
        /// The member.
        member: OrgId,
    },
    /// A member is not reached by any part of the key, so it would pay nothing.
    #[error("member {member} ({name}) is not covered by any part of the key")]
    MemberNotInKey {
        /// The member.
        member: OrgId,
        /// Its name.
        name: String,
    },
    /// The year is outside the supported calendar range.
    #[error("year {year} is out of range")]
    InvalidYear {
        /// The year.
        year: i32,
    },
    /// A member's membership ends before it starts.
    #[error("member {member} ({name}): membership ends before it starts")]
    MembershipEndsBeforeStart {
        /// The member.
        member: OrgId,
        /// Its name.
        name: String,
    },
    /// A member has no day of membership in the year.
    #[error("member {member} ({name}) is not a member on any day of {year}")]
    NotMemberInYear {
        /// The member.
        member: OrgId,
        /// Its name.
        name: String,
        /// The year.
        year: i32,
    },
    /// A part's label is longer than 200 characters or holds characters that are not
    /// allowed in names (see [`crate::validation::check_line`]).
    #[error(
        "key node \"{node}\": the label is longer than 200 characters or holds control or \
         text-direction characters"
    )]
    InvalidLabel {
        /// Path of the part, numbered instead of named.
        node: String,
    },
    /// The exact fractions grew beyond 128 bits (only for very intricate keys).
    #[error("key node \"{node}\": exact arithmetic exceeds 128 bits; simplify the key")]
    Overflow {
        /// Path of the node where it happened.
        node: String,
    },
}
