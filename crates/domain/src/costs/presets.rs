//! Key presets as offered in the key form (equal, by metric, base + metric, host + rest) or
//! free JSON, turned into a key tree with field errors named after the form fields.

use serde::Deserialize;

use super::{KeyNode, KeyPart, MemberFilter, Metric, StandaloneCosts, Weight, parse_euros};
use crate::OrgId;
use crate::validation::ValidationErrors;

/// A key built from a preset: name, tree and the optional standalone costs.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetKey {
    /// Name as typed.
    pub name: String,
    /// The key tree.
    pub root: KeyNode,
    /// What members would pay alone, if given.
    pub standalone: Option<StandaloneCosts>,
}

/// The metric named in a form (`population`, `staff`, `it_workplaces`); anything else is an
/// error naming the field, never a silent default.
fn parse_metric(text: &str) -> Result<Metric, &'static str> {
    match text.trim() {
        "population" => Ok(Metric::Population),
        "staff" => Ok(Metric::Staff),
        "it_workplaces" => Ok(Metric::ItWorkplaces),
        "" => Err("error-required"),
        _ => Err("error-metric"),
    }
}

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
    /// Builds the key tree; field errors name the form field (an unknown or missing metric
    /// where the preset needs one is an error on `metric`).
    pub fn to_key(&self) -> Result<PresetKey, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let needs_metric = match self.preset.as_str() {
            "metric" => true,
            "base" | "host" => self.base_percent.trim().trim_end_matches('%').trim() != "100",
            _ => false,
        };
        let parsed_metric = if needs_metric {
            e.check("metric", parse_metric(&self.metric))
        } else {
            None
        };
        let metric = || parsed_metric.unwrap_or(Metric::Population);
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
            (Some(root), Some(standalone)) if e.0.is_empty() => Ok(PresetKey {
                name: self.name.clone(),
                root,
                standalone,
            }),
            _ => Err(e),
        }
    }
}

/// A weight in basis points as the form shows it: `30`, `12,5`, `33,33`.
fn percent_text(w: Weight) -> String {
    let bp = w.get();
    match bp % 100 {
        0 => (bp / 100).to_string(),
        r if r % 10 == 0 => format!("{},{}", bp / 100, r / 10),
        r => format!("{},{r:02}", bp / 100),
    }
}

fn metric_code(m: Metric) -> &'static str {
    match m {
        Metric::Population => "population",
        Metric::Staff => "staff",
        Metric::ItWorkplaces => "it_workplaces",
    }
}

/// `base_percent` and `metric` of a "base + metric" node, as [`KeyForm::to_key`] builds it.
fn base_plus_of(node: &KeyNode) -> Option<(String, String)> {
    match node {
        KeyNode::Equal => Some(("100".into(), String::new())),
        KeyNode::ByMetric { metric } => Some(("0".into(), metric_code(*metric).into())),
        KeyNode::Split { parts } => match parts.as_slice() {
            [a, b]
                if a.members == MemberFilter::All
                    && b.members == MemberFilter::All
                    && a.key == KeyNode::Equal
                    && a.weight.get() > 0
                    && b.weight.get() > 0 =>
            {
                match &b.key {
                    KeyNode::ByMetric { metric } => {
                        Some((percent_text(a.weight), metric_code(*metric).into()))
                    }
                    _ => None,
                }
            }
            _ => None,
        },
        KeyNode::Manual { .. } => None,
    }
}

impl KeyForm {
    /// The form showing a stored key, to edit it: the preset whose shape the key has (as
    /// [`KeyForm::to_key`] builds them), else the free JSON definition. The common standalone
    /// cost is shown as typed euros.
    pub fn from_key(name: &str, root: &KeyNode, standalone: Option<&StandaloneCosts>) -> KeyForm {
        let mut f = KeyForm {
            name: name.to_owned(),
            metric: "population".into(),
            base_percent: "50".into(),
            host_percent: "30".into(),
            standalone: standalone
                .and_then(|s| s.common)
                .map(|c| c.to_string().replace('.', ","))
                .unwrap_or_default(),
            ..Default::default()
        };
        let host = match root {
            KeyNode::Split { parts } => match parts.as_slice() {
                [h, rest] => match (&h.members, &rest.members) {
                    (MemberFilter::Only { members: a }, MemberFilter::Except { members: b })
                        if a.len() == 1 && a == b && h.key == KeyNode::Equal =>
                    {
                        base_plus_of(&rest.key).map(|bp| (a[0], h.weight, bp))
                    }
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        if let Some((h, w, (base, metric))) = host {
            f.preset = "host".into();
            f.host = h.0.to_string();
            f.host_percent = percent_text(w);
            f.base_percent = base;
            if !metric.is_empty() {
                f.metric = metric;
            }
            return f;
        }
        match root {
            KeyNode::Equal => f.preset = "equal".into(),
            KeyNode::ByMetric { metric } => {
                f.preset = "metric".into();
                f.metric = metric_code(*metric).into();
            }
            other => match base_plus_of(other) {
                Some((base, metric)) => {
                    f.preset = "base".into();
                    f.base_percent = base;
                    f.metric = metric;
                }
                None => {
                    f.preset = "json".into();
                    f.json = serde_json::to_string_pretty(other).unwrap_or_default();
                }
            },
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::{AllocationKey, Cents};

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
        let d = f.to_key().unwrap();
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
        let d = f.to_key().unwrap();
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
            .to_key()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec!["metric", "host", "host_percent", "base_percent"]
        );
        let j = KeyForm {
            name: "J".into(),
            preset: "json".into(),
            json: "{\"kind\": \"equal\"}".into(),
            ..Default::default()
        };
        assert_eq!(j.to_key().unwrap().root, KeyNode::Equal);
    }

    #[test]
    fn a_stored_key_opens_in_the_form_it_was_built_with() {
        let host = KeyForm {
            name: "Kreis GG".into(),
            preset: "host".into(),
            host: "2".into(),
            host_percent: "25".into(),
            base_percent: "12,5".into(),
            metric: "staff".into(),
            standalone: "42.500".into(),
            ..Default::default()
        };
        let k = host.to_key().unwrap();
        let back = KeyForm::from_key(&k.name, &k.root, k.standalone.as_ref());
        assert_eq!(back.preset, "host");
        assert_eq!(
            (
                back.host.as_str(),
                back.host_percent.as_str(),
                back.base_percent.as_str()
            ),
            ("2", "25", "12,5")
        );
        assert_eq!(back.metric, "staff");
        assert_eq!(back.standalone, "42500,00");
        assert_eq!(
            back.to_key().unwrap().root,
            k.root,
            "saving it unchanged keeps the key"
        );

        let base = KeyForm {
            preset: "base".into(),
            base_percent: "33,33".into(),
            metric: "it_workplaces".into(),
            name: "B".into(),
            ..Default::default()
        };
        let k = base.to_key().unwrap();
        let back = KeyForm::from_key("B", &k.root, None);
        assert_eq!(
            (back.preset.as_str(), back.base_percent.as_str()),
            ("base", "33,33")
        );
        assert_eq!(back.to_key().unwrap().root, k.root);

        assert_eq!(
            KeyForm::from_key("E", &KeyNode::Equal, None).preset,
            "equal"
        );
        let metric = KeyForm::from_key("M", &KeyNode::by(Metric::Population), None);
        assert_eq!(
            (metric.preset.as_str(), metric.metric.as_str()),
            ("metric", "population")
        );
    }

    #[test]
    fn a_key_no_preset_builds_opens_as_json() {
        let root = KeyNode::Split {
            parts: vec![
                KeyPart::new("a", Weight::percent(40), KeyNode::Equal),
                KeyPart::new("b", Weight::percent(60), KeyNode::Equal),
            ],
        };
        let f = KeyForm::from_key("Frei", &root, None);
        assert_eq!(f.preset, "json");
        let again = KeyForm {
            name: "Frei".into(),
            ..f
        };
        assert_eq!(again.to_key().unwrap().root, root);
    }

    #[test]
    fn an_unknown_metric_is_an_error_on_the_metric_field() {
        let f = KeyForm {
            name: "M".into(),
            preset: "metric".into(),
            metric: "einwohner".into(),
            ..Default::default()
        };
        let err = f.to_key().unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].field, "metric");
        assert_eq!(err.0[0].code, "error-metric");
        let missing = KeyForm {
            metric: String::new(),
            ..f.clone()
        };
        assert_eq!(missing.to_key().unwrap_err().0[0].code, "error-required");
        // Equal shares need no metric, and a base share of 100 % neither.
        let equal = KeyForm {
            preset: "equal".into(),
            ..f.clone()
        };
        assert!(equal.to_key().is_ok());
        let all_base = KeyForm {
            preset: "base".into(),
            base_percent: "100".into(),
            ..f
        };
        assert_eq!(all_base.to_key().unwrap().root, KeyNode::Equal);
    }
}
