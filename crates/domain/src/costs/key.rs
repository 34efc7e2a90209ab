//! Allocation keys (Finanzierungsschlüssel) as plain, serialisable data.
//!
//! A key is a tree. Leaves say how a node's share is split among its members (equally,
//! by a metric, by manual percentages); a split node hands fixed percentages of its own
//! share to parts, each with its own member subset and sub-key. For example
//! "the Kreis carries 30 %, the towns 70 %, half equal and half by population":
//!
//! ```
//! use verbund_domain::OrgId;
//! use verbund_domain::costs::{AllocationKey, KeyNode, KeyPart, Metric, Weight};
//!
//! let kreis = OrgId(1);
//! let key = AllocationKey::new("Kreis GG", KeyNode::split(vec![
//!     KeyPart::new("Kreis", Weight::percent(30), KeyNode::Equal).only(vec![kreis]),
//!     KeyPart::new("towns", Weight::percent(70), KeyNode::split(vec![
//!         KeyPart::new("equal", Weight::percent(50), KeyNode::Equal),
//!         KeyPart::new("by population", Weight::percent(50), KeyNode::by(Metric::Population)),
//!     ])).except(vec![kreis]),
//! ]));
//! assert!(key.check_weights().is_ok());
//! ```

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::error::AllocationError;
use super::member::Metric;
use super::money::Weight;
use crate::OrgId;

/// A named allocation key: the rule that splits costs among members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationKey {
    /// Name shown in statements and used as the root of node paths in errors.
    pub name: String,
    /// The root node; it splits 100 % among all members passed in.
    pub root: KeyNode,
}

/// One node of an allocation key tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum KeyNode {
    /// Equal shares among the node's members.
    Equal,
    /// Shares proportional to a metric (population, staff, IT workplaces).
    ByMetric {
        /// The metric to split by; every member of the node needs a value.
        metric: Metric,
    },
    /// Fixed percentages per member; they must add up to 100 % and name every member
    /// of the node exactly once.
    Manual {
        /// The percentages.
        shares: Vec<ManualShare>,
    },
    /// Hands fixed percentages of this node's share to parts; the part weights must add
    /// up to exactly 100 %.
    Split {
        /// The parts.
        parts: Vec<KeyPart>,
    },
}

/// One part of a split node: a weight, the members it applies to and how it splits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyPart {
    /// Label shown in statements and error paths, e.g. "towns".
    pub label: String,
    /// Share of the parent node's amount, in basis points.
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub weight: Weight,
    /// Which of the parent node's members take part.
    #[serde(default)]
    pub members: MemberFilter,
    /// How this part is split among them.
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub key: KeyNode,
}

/// Which of a node's members a part applies to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MemberFilter {
    /// All members of the parent node.
    #[default]
    All,
    /// Only the listed members; each must be a member of the parent node.
    Only {
        /// The members.
        members: Vec<OrgId>,
    },
    /// All members of the parent node except the listed ones; each must be a member of it.
    Except {
        /// The members left out.
        members: Vec<OrgId>,
    },
}

/// A manual percentage for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManualShare {
    /// The member.
    pub member: OrgId,
    /// Its share of the node, in basis points.
    #[cfg_attr(feature = "openapi", schema(value_type = u32))]
    pub weight: Weight,
}

impl AllocationKey {
    /// A key with a name and root node.
    pub fn new(name: impl Into<String>, root: KeyNode) -> AllocationKey {
        AllocationKey {
            name: name.into(),
            root,
        }
    }

    /// Checks what can be checked without members: every split node's weights and every
    /// manual node's percentages add up to exactly 100 %, no split is empty, no manual
    /// node names a member twice and every part label is a valid name (at most 200
    /// characters, no control or text-direction characters). Fails with the first
    /// offending node.
    pub fn check_weights(&self) -> Result<(), AllocationError> {
        check_node(&self.root, &self.name)
    }
}

impl KeyNode {
    /// Shares proportional to `metric`.
    pub fn by(metric: Metric) -> KeyNode {
        KeyNode::ByMetric { metric }
    }

    /// A split node with the given parts.
    pub fn split(parts: Vec<KeyPart>) -> KeyNode {
        KeyNode::Split { parts }
    }

    /// Manual percentages, given as `(member, weight)` pairs.
    pub fn manual(shares: impl IntoIterator<Item = (OrgId, Weight)>) -> KeyNode {
        let shares = shares
            .into_iter()
            .map(|(member, weight)| ManualShare { member, weight })
            .collect();
        KeyNode::Manual { shares }
    }

    /// A fixed base share split equally plus the rest by a metric, e.g.
    /// `base_plus_metric(Weight::percent(30), Metric::Population)` is "30 % equal,
    /// 70 % by population". A base above 100 % yields a key that fails its weight check.
    pub fn base_plus_metric(base: Weight, metric: Metric) -> KeyNode {
        KeyNode::split(vec![
            KeyPart::new("base (equal)", base, KeyNode::Equal),
            KeyPart::new(
                format!("by {metric}"),
                Weight(Weight::FULL.0.saturating_sub(base.0)),
                KeyNode::by(metric),
            ),
        ])
    }

    /// A weighted mix of metrics, e.g. 60 % population and 40 % IT workplaces; the
    /// weights must add up to 100 % when the key is applied.
    pub fn weighted_mix(mix: impl IntoIterator<Item = (Weight, Metric)>) -> KeyNode {
        let parts = mix
            .into_iter()
            .map(|(w, m)| KeyPart::new(format!("by {m}"), w, KeyNode::by(m)))
            .collect();
        KeyNode::split(parts)
    }
}

impl KeyPart {
    /// A part for all members of its parent node.
    pub fn new(label: impl Into<String>, weight: Weight, key: KeyNode) -> KeyPart {
        KeyPart {
            label: label.into(),
            weight,
            members: MemberFilter::All,
            key,
        }
    }

    /// Restricts the part to the listed members.
    pub fn only(mut self, members: Vec<OrgId>) -> KeyPart {
        self.members = MemberFilter::Only { members };
        self
    }

    /// Restricts the part to all members except the listed ones.
    pub fn except(mut self, members: Vec<OrgId>) -> KeyPart {
        self.members = MemberFilter::Except { members };
        self
    }
}

/// The path of a part below `parent`, used in errors and statements.
pub(crate) fn child_path(parent: &str, index: usize, label: &str) -> String {
    if label.trim().is_empty() {
        format!("{parent} > part {}", index + 1)
    } else {
        format!("{parent} > {label}")
    }
}

/// Sum of weights, saturating so that absurd inputs still compare unequal to 100 %.
pub(crate) fn weight_sum(weights: impl Iterator<Item = Weight>) -> Weight {
    Weight(weights.fold(0u32, |acc, w| acc.saturating_add(w.0)))
}

fn check_node(node: &KeyNode, path: &str) -> Result<(), AllocationError> {
    match node {
        KeyNode::Equal | KeyNode::ByMetric { .. } => Ok(()),
        KeyNode::Manual { shares } => {
            let mut seen = BTreeSet::new();
            if let Some(dup) = shares.iter().find(|s| !seen.insert(s.member)) {
                return Err(AllocationError::DuplicateManualShare {
                    node: path.to_owned(),
                    member: dup.member,
                });
            }
            let sum = weight_sum(shares.iter().map(|s| s.weight));
            if sum != Weight::FULL {
                return Err(AllocationError::WeightsNotFull {
                    node: path.to_owned(),
                    sum,
                });
            }
            Ok(())
        }
        KeyNode::Split { parts } => {
            check_split(path, parts)?;
            for (i, part) in parts.iter().enumerate() {
                if part.label.chars().count() > 200
                    || crate::validation::check_line(&part.label).is_err()
                {
                    return Err(AllocationError::InvalidLabel {
                        node: child_path(path, i, ""),
                    });
                }
                check_node(&part.key, &child_path(path, i, &part.label))?;
            }
            Ok(())
        }
    }
}

/// A split must have parts whose weights add up to exactly 100 %.
pub(crate) fn check_split(path: &str, parts: &[KeyPart]) -> Result<(), AllocationError> {
    if parts.is_empty() {
        return Err(AllocationError::EmptySplit {
            node: path.to_owned(),
        });
    }
    let sum = weight_sum(parts.iter().map(|p| p.weight));
    if sum != Weight::FULL {
        return Err(AllocationError::WeightsNotFull {
            node: path.to_owned(),
            sum,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn towns_key(towns_weight: Weight) -> AllocationKey {
        AllocationKey::new(
            "Kreis GG",
            KeyNode::split(vec![
                KeyPart::new("Kreis", Weight::percent(30), KeyNode::Equal).only(vec![OrgId(1)]),
                KeyPart::new(
                    "towns",
                    towns_weight,
                    KeyNode::base_plus_metric(Weight::percent(50), Metric::Population),
                )
                .except(vec![OrgId(1)]),
            ]),
        )
    }

    #[test]
    fn weights_summing_to_100_percent_pass() {
        assert_eq!(towns_key(Weight::percent(70)).check_weights(), Ok(()));
    }

    #[test]
    fn weights_not_summing_to_100_percent_name_the_node() {
        let err = towns_key(Weight::percent(60))
            .check_weights()
            .expect_err("90 % must fail");
        assert_eq!(
            err,
            AllocationError::WeightsNotFull {
                node: "Kreis GG".into(),
                sum: Weight::percent(90)
            }
        );
        assert_eq!(
            err.to_string(),
            "key node \"Kreis GG\": part weights add up to 90.00 %, not 100.00 %"
        );
    }

    #[test]
    fn nested_weight_error_names_the_nested_node() {
        let key = AllocationKey::new(
            "mix",
            KeyNode::split(vec![KeyPart::new(
                "all",
                Weight::FULL,
                KeyNode::weighted_mix([
                    (Weight::percent(60), Metric::Population),
                    (Weight::percent(30), Metric::Staff),
                ]),
            )]),
        );
        let err = key.check_weights().expect_err("60 + 30 must fail");
        assert_eq!(
            err,
            AllocationError::WeightsNotFull {
                node: "mix > all".into(),
                sum: Weight::percent(90)
            }
        );
    }

    #[test]
    fn manual_shares_must_add_up_and_be_unique() {
        let bad_sum = AllocationKey::new(
            "m",
            KeyNode::manual([(OrgId(1), Weight::bp(3_333)), (OrgId(2), Weight::bp(6_666))]),
        );
        assert_eq!(
            bad_sum.check_weights(),
            Err(AllocationError::WeightsNotFull {
                node: "m".into(),
                sum: Weight::bp(9_999)
            })
        );
        let dup = AllocationKey::new(
            "m",
            KeyNode::manual([
                (OrgId(1), Weight::percent(50)),
                (OrgId(1), Weight::percent(50)),
            ]),
        );
        assert_eq!(
            dup.check_weights(),
            Err(AllocationError::DuplicateManualShare {
                node: "m".into(),
                member: OrgId(1)
            })
        );
    }

    #[test]
    fn empty_split_and_unlabelled_parts_are_reported_by_position() {
        let key = AllocationKey::new(
            "k",
            KeyNode::split(vec![KeyPart::new("", Weight::FULL, KeyNode::split(vec![]))]),
        );
        assert_eq!(
            key.check_weights(),
            Err(AllocationError::EmptySplit {
                node: "k > part 1".into()
            })
        );
    }

    #[test]
    fn part_labels_with_control_or_bidi_characters_are_refused() {
        for label in ["Städte\u{0}", "Städte\n", "\u{202E}Kreis", &"x".repeat(201)] {
            let key = AllocationKey::new(
                "k",
                KeyNode::split(vec![
                    KeyPart::new("Kreis", Weight::percent(25), KeyNode::Equal),
                    KeyPart::new(label, Weight::percent(75), KeyNode::Equal),
                ]),
            );
            assert_eq!(
                key.check_weights(),
                Err(AllocationError::InvalidLabel {
                    node: "k > part 2".into()
                }),
                "{label:?}"
            );
        }
        let emoji = AllocationKey::new(
            "k",
            KeyNode::split(vec![KeyPart::new("Städte 🏙", Weight::FULL, KeyNode::Equal)]),
        );
        assert_eq!(emoji.check_weights(), Ok(()));
    }

    #[test]
    fn key_definition_round_trips_through_json() {
        let key = towns_key(Weight::percent(70));
        let json = serde_json::to_value(&key).expect("serialises");
        assert_eq!(json["root"]["kind"], "split");
        assert_eq!(json["root"]["parts"][0]["members"]["kind"], "only");
        assert_eq!(
            json["root"]["parts"][1]["key"]["parts"][1]["key"]["metric"],
            "population"
        );
        let back: AllocationKey = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, key);
    }

    #[test]
    fn member_filter_defaults_to_all_when_omitted() {
        let json = r#"{"label":"all","weight":10000,"key":{"kind":"equal"}}"#;
        let part: KeyPart = serde_json::from_str(json).expect("deserialises");
        assert_eq!(part.members, MemberFilter::All);
    }
}
