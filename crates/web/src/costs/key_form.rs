//! The key form: presets (equal, by metric, base + metric, host + rest) or free JSON,
//! turned into a key tree with field errors named after the form fields.

use serde::Deserialize;
use verbund_domain::OrgId;
use verbund_domain::costs::{KeyNode, StandaloneCosts, parse_euros};
use verbund_domain::validation::ValidationErrors;

use super::KeyDraft;

/// A key as composed in the form: a preset plus its parameters, or free JSON.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct KeyForm {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// `equal`, `metric`, `base`, `host` or `json`.
    #[serde(default)]
    pub preset: String,
    /// Metric for the variable part: `population`, `staff`, `it_workplaces`.
    #[serde(default)]
    pub metric: String,
    /// Percentage of the equal (base) part, e.g. `30` or `50`.
    #[serde(default)]
    pub base_percent: String,
    /// Host organisation (e.g. the Kreis) carrying a fixed part.
    #[serde(default)]
    pub host: String,
    /// Percentage the host carries.
    #[serde(default)]
    pub host_percent: String,
    /// Free definition (preset `json`).
    #[serde(default)]
    pub json: String,
    /// Standalone cost per member, as typed euros (optional).
    #[serde(default)]
    pub standalone: String,
}

fn percent_bp(field: &str, text: &str, e: &mut ValidationErrors) -> Option<u32> {
    let t = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let v: Option<f64> = t.parse().ok().filter(|v: &f64| (0.0..=100.0).contains(v));
    match v {
        // Basis points are exact for up to two decimals, which is all a form offers.
        Some(v) => Some((v * 100.0).round() as u32),
        None => {
            e.add(field, "error-percent");
            None
        }
    }
}

impl KeyForm {
    /// Builds the key tree; field errors name the form field.
    pub fn to_draft(&self) -> Result<KeyDraft, ValidationErrors> {
        use verbund_domain::costs::{KeyPart, MemberFilter, Metric, Weight};
        let mut e = ValidationErrors::default();
        let metric = || match self.metric.as_str() {
            "staff" => Metric::Staff,
            "it_workplaces" => Metric::ItWorkplaces,
            _ => Metric::Population,
        };
        let part = |label: &str, bp: u32, members: MemberFilter, key: KeyNode| KeyPart {
            label: label.into(),
            weight: Weight(bp),
            members,
            key,
        };
        let base_plus = |bp: u32| {
            if bp == 10_000 {
                KeyNode::Equal
            } else if bp == 0 {
                KeyNode::by(metric())
            } else {
                KeyNode::Split {
                    parts: vec![
                        part("gleiche Anteile", bp, MemberFilter::All, KeyNode::Equal),
                        part(
                            "nach Kennzahl",
                            10_000 - bp,
                            MemberFilter::All,
                            KeyNode::by(metric()),
                        ),
                    ],
                }
            }
        };
        let root = match self.preset.as_str() {
            "equal" => Some(KeyNode::Equal),
            "metric" => Some(KeyNode::by(metric())),
            "base" => percent_bp("base_percent", &self.base_percent, &mut e).map(base_plus),
            "host" => {
                let host = e.check(
                    "host",
                    self.host
                        .trim()
                        .parse::<i64>()
                        .map(OrgId)
                        .map_err(|_| "error-required"),
                );
                let host_bp = percent_bp("host_percent", &self.host_percent, &mut e);
                let base_bp = percent_bp("base_percent", &self.base_percent, &mut e);
                match (host, host_bp, base_bp) {
                    (Some(h), Some(hb), Some(bb)) => Some(KeyNode::Split {
                        parts: vec![
                            part(
                                "Träger",
                                hb,
                                MemberFilter::Only { members: vec![h] },
                                KeyNode::Equal,
                            ),
                            part(
                                "übrige Mitglieder",
                                10_000 - hb,
                                MemberFilter::Except { members: vec![h] },
                                base_plus(bb),
                            ),
                        ],
                    }),
                    _ => None,
                }
            }
            "json" => e.check(
                "json",
                serde_json::from_str::<KeyNode>(&self.json).map_err(|_| "error-key-json"),
            ),
            _ => {
                e.add("preset", "error-required");
                None
            }
        };
        let standalone = match self.standalone.trim() {
            "" => Some(None),
            t => e
                .check("standalone", parse_euros(t))
                .map(|c| Some(StandaloneCosts::common(c))),
        };
        match (root, standalone) {
            (Some(root), Some(standalone)) if e.0.is_empty() => Ok(KeyDraft {
                name: self.name.clone(),
                root,
                standalone,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use verbund_domain::costs::{AllocationKey, Cents};

    #[test]
    fn host_preset_builds_the_two_level_kreis_key() {
        let f = KeyForm {
            name: "K".into(),
            preset: "host".into(),
            host: "2".into(),
            host_percent: "30".into(),
            base_percent: "50".into(),
            metric: "population".into(),
            ..Default::default()
        };
        let d = f.to_draft().unwrap();
        let json = serde_json::to_value(&d.root).unwrap();
        assert_eq!(json["parts"][0]["weight"], 3000);
        assert_eq!(
            json["parts"][0]["members"],
            serde_json::json!({"kind": "only", "members": [2]})
        );
        assert_eq!(json["parts"][1]["weight"], 7000);
        assert_eq!(
            json["parts"][1]["key"]["parts"][1]["key"],
            serde_json::json!({"kind": "by_metric", "metric": "population"})
        );
        assert!(
            AllocationKey {
                name: "K".into(),
                root: d.root
            }
            .check_weights()
            .is_ok()
        );
    }

    #[test]
    fn base_preset_and_errors() {
        let f = KeyForm {
            name: "B".into(),
            preset: "base".into(),
            base_percent: "12,5 %".into(),
            metric: "staff".into(),
            standalone: "42.500".into(),
            ..Default::default()
        };
        let d = f.to_draft().unwrap();
        assert_eq!(
            serde_json::to_value(&d.root).unwrap()["parts"][0]["weight"],
            1250
        );
        assert_eq!(d.standalone.unwrap().common, Some(Cents(4_250_000)));
        let bad = KeyForm {
            preset: "host".into(),
            host_percent: "130".into(),
            base_percent: "x".into(),
            json: String::new(),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .to_draft()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["host", "host_percent", "base_percent"]);
        let j = KeyForm {
            name: "J".into(),
            preset: "json".into(),
            json: "{\"kind\": \"equal\"}".into(),
            ..Default::default()
        };
        assert_eq!(j.to_draft().unwrap().root, KeyNode::Equal);
    }
}
