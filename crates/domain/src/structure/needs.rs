//! What a person sets on an object (a protection need with its justification, maybe a
//! deviation from the calculated value) and the federation's settings for the assessment:
//! damage-scenario thresholds, which links pass needs on, when to suggest cumulation.

use serde::{Deserialize, Serialize};

use super::{Category, Deviation, PropagationConfig, code_enum};
use crate::validation::{ValidationErrors, optional_multiline, required_text};

/// Longest justification.
pub const MAX_JUSTIFICATION: usize = 2000;

/// A need a person set on one object for one basic value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManualNeed {
    /// The category set.
    pub value: Category,
    /// Why it deviates from the calculated need; `None` for the object's own assessment (which
    /// the maximum principle can still raise).
    pub deviation: Option<Deviation>,
    /// Why: mandatory for every value a person sets.
    pub justification: String,
}

impl ManualNeed {
    /// Checks a setting against the object's calculated need (what inheritance alone gives).
    /// A justification is required (`error-need-justification`). A cumulation or other
    /// raise must lie above the calculated need (`error-deviation-not-higher`), a distribution
    /// below it (`error-deviation-not-lower`; nothing to lower without a calculated need).
    pub fn new(
        value: Category,
        deviation: Option<Deviation>,
        justification: &str,
        calculated: Option<Category>,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let justification = match required_text(justification, MAX_JUSTIFICATION) {
            Ok(j) => j,
            Err("error-required") => {
                e.add("justification", "error-need-justification");
                String::new()
            }
            Err(code) => {
                e.add("justification", code);
                String::new()
            }
        };
        match deviation {
            Some(Deviation::Cumulation | Deviation::Other) if Some(value) <= calculated => {
                e.add("deviation", "error-deviation-not-higher");
            }
            Some(Deviation::Distribution) if calculated.is_none_or(|c| value >= c) => {
                e.add("deviation", "error-deviation-not-lower");
            }
            _ => {}
        }
        e.into_result(Self {
            value,
            deviation,
            justification,
        })
    }
}

code_enum!(
    /// A damage scenario of BSI 200-2 by which the categories are defined.
    DamageScenario, "error-damage-scenario", {
        /// Breach of laws, regulations or contracts.
        Laws = "laws",
        /// Impairment of the right to informational self-determination (data protection).
        SelfDetermination = "self_determination",
        /// Impairment of personal integrity (physical harm).
        PersonalIntegrity = "personal_integrity",
        /// Impairment of task fulfilment.
        TaskFulfilment = "task_fulfilment",
        /// Negative internal or external effects.
        Reputation = "reputation",
        /// Financial consequences.
        Financial = "financial",
    }
);

/// Where, for one damage scenario, the categories high and very high begin (the federation's
/// own words; normal is everything below high).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScenarioThreshold {
    /// The scenario.
    pub scenario: DamageScenario,
    /// What counts as normal.
    pub normal: String,
    /// What makes the damage high.
    pub high: String,
    /// What makes it very high.
    pub very_high: String,
}

/// Default cumulation threshold: this many normal-need objects meeting on one object suggest
/// checking for a cumulation effect.
pub const DEFAULT_CUMULATION_THRESHOLD: u32 = 5;

/// The structure-analysis settings of one federation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StructureSettings {
    /// Which link types pass needs on.
    pub propagation: PropagationConfig,
    /// From how many normal-need objects on one object a cumulation is suggested (≥ 2).
    #[cfg_attr(feature = "openapi", schema(minimum = 2))]
    pub cumulation_threshold: u32,
    /// The definition of the categories per damage scenario, one entry per scenario.
    pub thresholds: Vec<ScenarioThreshold>,
}

fn t(scenario: DamageScenario, normal: &str, high: &str, very_high: &str) -> ScenarioThreshold {
    ScenarioThreshold {
        scenario,
        normal: normal.to_owned(),
        high: high.to_owned(),
        very_high: very_high.to_owned(),
    }
}

impl Default for StructureSettings {
    /// Starting values in our own words, meant to be tailored by each federation.
    fn default() -> Self {
        use DamageScenario::*;
        Self {
            propagation: PropagationConfig::default(),
            cumulation_threshold: DEFAULT_CUMULATION_THRESHOLD,
            thresholds: vec![
                t(
                    Laws,
                    "Verstöße mit geringen Folgen",
                    "Verstöße mit erheblichen Folgen",
                    "grundlegende Verstöße mit schwerwiegenden Folgen",
                ),
                t(
                    SelfDetermination,
                    "Einzelne Betroffene, geringe Folgen",
                    "Viele Betroffene oder erhebliche Folgen",
                    "Gefahr für Leib, Leben oder wirtschaftliche Existenz Betroffener",
                ),
                t(
                    PersonalIntegrity,
                    "Keine Beeinträchtigung zu erwarten",
                    "Beeinträchtigung nicht ausgeschlossen",
                    "Schwere oder bleibende Schäden möglich",
                ),
                t(
                    TaskFulfilment,
                    "Ausfall bis 24 Stunden tragbar",
                    "Ausfall über 24 Stunden nicht tragbar",
                    "Ausfall über 2 Stunden nicht tragbar",
                ),
                t(
                    Reputation,
                    "Geringe, nur interne Wirkung",
                    "Breite Wirkung in der Öffentlichkeit",
                    "Landesweite Wirkung, Vertrauen grundlegend gestört",
                ),
                t(
                    Financial,
                    "Schaden unter 50.000 EUR",
                    "Schaden 50.000 bis 500.000 EUR",
                    "Schaden über 500.000 EUR",
                ),
            ],
        }
    }
}

impl StructureSettings {
    /// Checks the settings: threshold ≥ 2 (`error-cumulation-threshold`), each scenario exactly
    /// once (`error-thresholds`), every text present, single-line and at most 300 characters.
    pub fn validated(mut self) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        if !(2..=10_000).contains(&self.cumulation_threshold) {
            e.add("cumulation_threshold", "error-cumulation-threshold");
        }
        let mut seen: Vec<DamageScenario> = self.thresholds.iter().map(|t| t.scenario).collect();
        seen.sort();
        seen.dedup();
        if seen.len() != self.thresholds.len() || seen.len() != DamageScenario::ALL.len() {
            e.add("thresholds", "error-thresholds");
        }
        for th in &mut self.thresholds {
            let field = format!("thresholds.{}", th.scenario.code());
            for text in [&mut th.normal, &mut th.high, &mut th.very_high] {
                match optional_multiline(Some(text.as_str()), 300) {
                    Ok(Some(v)) if !v.contains('\n') => *text = v,
                    Ok(Some(_)) => e.add(&field, "error-text-characters"),
                    Ok(None) => e.add(&field, "error-required"),
                    Err(code) => e.add(&field, code),
                }
            }
        }
        self.thresholds.sort_by_key(|t| t.scenario);
        e.into_result(self)
    }
}

impl StructureSettings {
    /// The settings as the fields of a form, named as [`StructureSettings::from_fields`] reads
    /// them back.
    pub fn to_fields(&self) -> std::collections::HashMap<String, String> {
        let mut f = std::collections::HashMap::new();
        for t in super::LinkType::ALL {
            f.insert(
                format!("direction_{}", t.code()),
                self.propagation.direction(*t).code().to_owned(),
            );
        }
        f.insert(
            "cumulation_threshold".into(),
            self.cumulation_threshold.to_string(),
        );
        for th in &self.thresholds {
            let c = th.scenario.code();
            f.insert(format!("{c}_normal"), th.normal.clone());
            f.insert(format!("{c}_high"), th.high.clone());
            f.insert(format!("{c}_very_high"), th.very_high.clone());
        }
        f
    }

    /// Reads the settings from the fields of a form, by name: `direction_<link type>` (a
    /// [`super::Direction`] code), `cumulation_threshold`, and per damage scenario
    /// `<scenario>_normal`, `<scenario>_high`, `<scenario>_very_high`; then checks them like
    /// [`StructureSettings::validated`]. A missing or unknown direction is an error on its
    /// field (`error-direction`), a threshold that is no number one on `cumulation_threshold`.
    pub fn from_fields<'a>(
        field: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let mut propagation = PropagationConfig::default();
        for t in super::LinkType::ALL {
            let name = format!("direction_{}", t.code());
            match field(&name).map(super::Direction::parse) {
                Some(Ok(d)) => propagation.set(*t, d),
                _ => e.add(&name, "error-direction"),
            }
        }
        let cumulation_threshold =
            match field("cumulation_threshold").map(|v| v.trim().parse::<u32>()) {
                Some(Ok(n)) => n,
                _ => 0,
            };
        let thresholds = DamageScenario::ALL
            .iter()
            .map(|&scenario| {
                let text = |level: &str| {
                    field(&format!("{}_{level}", scenario.code()))
                        .unwrap_or_default()
                        .to_owned()
                };
                ScenarioThreshold {
                    scenario,
                    normal: text("normal"),
                    high: text("high"),
                    very_high: text("very_high"),
                }
            })
            .collect();
        let parsed = Self {
            propagation,
            cumulation_threshold,
            thresholds,
        };
        match parsed.validated() {
            Ok(s) if e.0.is_empty() => Ok(s),
            Ok(_) => Err(e),
            Err(mut more) => {
                e.0.append(&mut more.0);
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod form_tests {
    use super::*;
    use crate::structure::Direction;

    #[test]
    fn the_form_of_the_defaults_reads_back_as_the_defaults() {
        let d = StructureSettings::default();
        let f = StructureSettings::to_fields(&d);

        let read = StructureSettings::from_fields(|k| f.get(k).map(String::as_str));

        assert_eq!(read, Ok(d));
    }

    #[test]
    fn a_changed_direction_and_threshold_are_taken() {
        let mut f = StructureSettings::to_fields(&StructureSettings::default());
        f.insert("direction_communicates_over".into(), "none".into());
        f.insert("cumulation_threshold".into(), " 8 ".into());

        let read = StructureSettings::from_fields(|k| f.get(k).map(String::as_str)).expect("valid");

        assert_eq!(read.propagation.communicates_over, Direction::None);
        assert_eq!(read.cumulation_threshold, 8);
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut f = StructureSettings::to_fields(&StructureSettings::default());
        f.insert("direction_runs_on".into(), "sideways".into());
        f.insert("cumulation_threshold".into(), "viele".into());
        f.insert("financial_high".into(), "  ".into());
        f.remove("laws_very_high");

        let Err(e) = StructureSettings::from_fields(|k| f.get(k).map(String::as_str)) else {
            panic!("errors expected")
        };

        let got: Vec<(&str, &str)> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect();
        assert_eq!(
            got,
            [
                ("direction_runs_on", "error-direction"),
                ("cumulation_threshold", "error-cumulation-threshold"),
                ("thresholds.laws", "error-required"),
                ("thresholds.financial", "error-required"),
            ]
        );
    }
}
