//! Applying an allocation key tree to a member list: exact shares plus one recorded
//! step per node, so a treasurer can follow the computation.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::error::AllocationError;
use super::fraction::Fraction;
use super::key::{AllocationKey, KeyNode, MemberFilter, child_path, weight_sum};
use super::member::{MemberSnapshot, Metric};
use super::money::Weight;
use super::prorata::{occupied_days, prorate};
use crate::OrgId;

/// An exact share with a display value for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// The exact fraction, e.g. `"7/40"`.
    pub fraction: Fraction,
    /// The same as a percentage with 4 decimals, rounded half away from zero, e.g. `"17.5000"`.
    pub percent: String,
}

impl Share {
    /// The share `fraction` with its percentage display.
    pub fn new(fraction: Fraction) -> Share {
        Share {
            fraction,
            percent: fraction.percent_display(),
        }
    }
}

/// What one key node did, in the order the nodes were visited (parents before children).
///
/// Steps show the key alone, as if every member were a member all year; the pro-rata rule
/// is applied on top of them (see [`super::prorata`] and [`super::MemberShare::share`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyStep {
    /// Path of the node: the key's name, then the labels of the parts leading to it.
    pub node: String,
    /// The rule the node applied.
    pub rule: StepRule,
    /// The node's share of the whole amount.
    pub share_of_total: Share,
    /// For leaf nodes, each member's part; empty for split nodes.
    pub members: Vec<StepMember>,
}

/// The rule a key node applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepRule {
    /// Handed fixed percentages of its share to parts.
    Split {
        /// The parts.
        parts: Vec<StepPart>,
    },
    /// Split equally among `count` members.
    Equal {
        /// Number of members.
        count: usize,
    },
    /// Split in proportion to `metric`, which adds up to `total` over the node's members.
    ByMetric {
        /// The metric.
        metric: Metric,
        /// Its sum over the node's members.
        total: u64,
    },
    /// Split by manual percentages.
    Manual,
}

/// One part of a split step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepPart {
    /// The part's label.
    pub label: String,
    /// Its weight within the split node.
    pub weight: Weight,
    /// The members it applied to.
    pub members: Vec<OrgId>,
}

/// One member's part in a leaf step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepMember {
    /// The member.
    pub member: OrgId,
    /// Its name.
    pub name: String,
    /// The metric value for by-metric nodes, the basis points for manual nodes, none for
    /// equal shares.
    pub value: Option<u64>,
    /// Its share of this node.
    pub share_of_node: Share,
    /// Its share of the whole amount through this node.
    pub share_of_total: Share,
}

/// The days of membership the within-step pro-rata rule works with (see
/// [`super::prorata`]): per member (in input order) its days and its first and last day in
/// the year, and the days of the year.
pub(crate) struct Membership<'a> {
    pub days: &'a [u16],
    pub spans: &'a [(u16, u16)],
    pub days_in_year: u16,
}

/// The result of applying a key: per member (in input order) the exact key share (as if
/// everyone were a member all year), the share after the within-step pro-rata rule,
/// whether any leaf reached it, and the metric values used.
pub(crate) struct KeyEvaluation {
    pub shares: Vec<Fraction>,
    pub prorated: Vec<Fraction>,
    pub covered: Vec<bool>,
    pub metrics: Vec<BTreeMap<Metric, u64>>,
    pub steps: Vec<KeyStep>,
}

/// Applies `key` to `members` with their `membership` (every member at least one day).
/// Fails on the first node whose weights are wrong, whose filter names an unknown member
/// or leaves nobody, or whose members lack a metric.
pub(crate) fn evaluate(
    key: &AllocationKey,
    members: &[MemberSnapshot],
    membership: &Membership<'_>,
) -> Result<KeyEvaluation, AllocationError> {
    let n = members.len();
    let mut ev = KeyEvaluation {
        shares: vec![Fraction::ZERO; n],
        prorated: vec![Fraction::ZERO; n],
        covered: vec![false; n],
        metrics: vec![BTreeMap::new(); n],
        steps: Vec::new(),
    };
    let scope: Vec<usize> = (0..n).collect();
    Ctx {
        members,
        membership,
        ev: &mut ev,
    }
    .node(&key.root, &key.name, &scope, (Fraction::ONE, Fraction::ONE))?;
    Ok(ev)
}

/// A node's share of the whole amount: by the key alone, and after pro rata.
type NodeShare = (Fraction, Fraction);

struct Ctx<'a> {
    members: &'a [MemberSnapshot],
    membership: &'a Membership<'a>,
    ev: &'a mut KeyEvaluation,
}

impl Ctx<'_> {
    fn node(
        &mut self,
        node: &KeyNode,
        path: &str,
        scope: &[usize],
        weight: NodeShare,
    ) -> Result<(), AllocationError> {
        let overflow = || AllocationError::Overflow {
            node: path.to_owned(),
        };
        match node {
            KeyNode::Equal => {
                let each = Fraction::new(1, scope.len() as i128).ok_or_else(overflow)?;
                let entries = scope.iter().map(|&i| (i, None, each)).collect();
                self.leaf(
                    path,
                    StepRule::Equal { count: scope.len() },
                    weight,
                    entries,
                )
            }
            KeyNode::ByMetric { metric } => {
                let mut values = Vec::with_capacity(scope.len());
                for &i in scope {
                    let m = &self.members[i];
                    let value =
                        m.metric(*metric)
                            .ok_or_else(|| AllocationError::MissingMetric {
                                member: m.id,
                                name: m.name.clone(),
                                metric: *metric,
                                node: path.to_owned(),
                            })?;
                    values.push((i, value));
                }
                let total = values
                    .iter()
                    .try_fold(0u64, |acc, &(_, v)| acc.checked_add(v))
                    .ok_or_else(overflow)?;
                if total == 0 {
                    return Err(AllocationError::ZeroMetricTotal {
                        node: path.to_owned(),
                        metric: *metric,
                    });
                }
                let mut entries = Vec::with_capacity(values.len());
                for (i, value) in values {
                    self.ev.metrics[i].insert(*metric, value);
                    entries.push((
                        i,
                        Some(value),
                        Fraction::new(value.into(), total.into()).ok_or_else(overflow)?,
                    ));
                }
                self.leaf(
                    path,
                    StepRule::ByMetric {
                        metric: *metric,
                        total,
                    },
                    weight,
                    entries,
                )
            }
            KeyNode::Manual { shares } => {
                let mut by_member = BTreeMap::new();
                for share in shares {
                    if by_member.insert(share.member, share.weight).is_some() {
                        return Err(AllocationError::DuplicateManualShare {
                            node: path.to_owned(),
                            member: share.member,
                        });
                    }
                    self.index_in(scope, share.member, path)?;
                }
                let sum = weight_sum(shares.iter().map(|s| s.weight));
                if sum != Weight::FULL {
                    return Err(AllocationError::WeightsNotFull {
                        node: path.to_owned(),
                        sum,
                    });
                }
                let mut entries = Vec::with_capacity(scope.len());
                for &i in scope {
                    let m = &self.members[i];
                    let w = by_member.get(&m.id).ok_or_else(|| {
                        AllocationError::MissingManualShare {
                            node: path.to_owned(),
                            member: m.id,
                            name: m.name.clone(),
                        }
                    })?;
                    let share = Fraction::new(w.get().into(), Weight::FULL.get().into())
                        .ok_or_else(overflow)?;
                    entries.push((i, Some(w.get().into()), share));
                }
                self.leaf(path, StepRule::Manual, weight, entries)
            }
            KeyNode::Split { parts } => {
                super::key::check_split(path, parts)?;
                let mut resolved = Vec::with_capacity(parts.len());
                for (k, part) in parts.iter().enumerate() {
                    let part_path = child_path(path, k, &part.label);
                    let sub_scope = self.resolve(&part.members, scope, &part_path)?;
                    resolved.push((part, part_path, sub_scope));
                }
                let step_parts = resolved
                    .iter()
                    .map(|(part, _, sub)| StepPart {
                        label: part.label.clone(),
                        weight: part.weight,
                        members: sub.iter().map(|&i| self.members[i].id).collect(),
                    })
                    .collect();
                self.ev.steps.push(KeyStep {
                    node: path.to_owned(),
                    rule: StepRule::Split { parts: step_parts },
                    share_of_total: Share::new(weight.0),
                    members: Vec::new(),
                });
                let mut of_node = Vec::with_capacity(resolved.len());
                let mut occupied = Vec::with_capacity(resolved.len());
                for (part, _, sub_scope) in &resolved {
                    of_node.push(
                        Fraction::new(part.weight.get().into(), Weight::FULL.get().into())
                            .ok_or_else(overflow)?,
                    );
                    occupied.push(occupied_days(
                        sub_scope.iter().map(|&i| self.membership.spans[i]),
                    ));
                }
                // Parts keep their percentage unless nobody of theirs is a member on
                // some days (see `prorata`).
                let prorated = prorate(&of_node, &occupied, self.membership.days_in_year, path)?;
                for (((part, part_path, sub_scope), k), p) in
                    resolved.into_iter().zip(of_node).zip(prorated)
                {
                    let part_share = (
                        k.checked_mul(weight.0).ok_or_else(overflow)?,
                        p.checked_mul(weight.1).ok_or_else(overflow)?,
                    );
                    self.node(&part.key, &part_path, &sub_scope, part_share)?;
                }
                Ok(())
            }
        }
    }

    /// Records a leaf step and adds each member's part to its total share; the pro-rated
    /// part weights the member's part of the node by its days (see `prorata`).
    fn leaf(
        &mut self,
        path: &str,
        rule: StepRule,
        weight: NodeShare,
        entries: Vec<(usize, Option<u64>, Fraction)>,
    ) -> Result<(), AllocationError> {
        let overflow = || AllocationError::Overflow {
            node: path.to_owned(),
        };
        let of_node: Vec<Fraction> = entries.iter().map(|e| e.2).collect();
        let days: Vec<u16> = entries.iter().map(|e| self.membership.days[e.0]).collect();
        let prorated = prorate(&of_node, &days, self.membership.days_in_year, path)?;
        let mut step_members = Vec::with_capacity(entries.len());
        for ((i, value, of_node), p) in entries.into_iter().zip(prorated) {
            let of_total = of_node.checked_mul(weight.0).ok_or_else(overflow)?;
            self.ev.shares[i] = self.ev.shares[i]
                .checked_add(of_total)
                .ok_or_else(overflow)?;
            let p = p.checked_mul(weight.1).ok_or_else(overflow)?;
            self.ev.prorated[i] = self.ev.prorated[i].checked_add(p).ok_or_else(overflow)?;
            self.ev.covered[i] = true;
            let m = &self.members[i];
            step_members.push(StepMember {
                member: m.id,
                name: m.name.clone(),
                value,
                share_of_node: Share::new(of_node),
                share_of_total: Share::new(of_total),
            });
        }
        self.ev.steps.push(KeyStep {
            node: path.to_owned(),
            rule,
            share_of_total: Share::new(weight.0),
            members: step_members,
        });
        Ok(())
    }

    /// The members of `scope` that `filter` selects, in input order; fails if the filter
    /// names a member outside `scope` or selects nobody.
    fn resolve(
        &self,
        filter: &MemberFilter,
        scope: &[usize],
        path: &str,
    ) -> Result<Vec<usize>, AllocationError> {
        let selected: Vec<usize> = match filter {
            MemberFilter::All => scope.to_vec(),
            MemberFilter::Only { members } | MemberFilter::Except { members } => {
                let mut listed = BTreeSet::new();
                for &id in members {
                    listed.insert(self.index_in(scope, id, path)?);
                }
                let keep = matches!(filter, MemberFilter::Only { .. });
                scope
                    .iter()
                    .copied()
                    .filter(|i| listed.contains(i) == keep)
                    .collect()
            }
        };
        if selected.is_empty() {
            return Err(AllocationError::EmptyScope {
                node: path.to_owned(),
            });
        }
        Ok(selected)
    }

    fn index_in(&self, scope: &[usize], id: OrgId, path: &str) -> Result<usize, AllocationError> {
        scope
            .iter()
            .copied()
            .find(|&i| self.members[i].id == id)
            .ok_or_else(|| AllocationError::UnknownMember {
                node: path.to_owned(),
                member: id,
            })
    }
}
