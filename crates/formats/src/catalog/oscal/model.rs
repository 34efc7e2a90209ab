//! The subset of the OSCAL catalog and profile models (1.0.x and 1.1.x) that the importer
//! reads. Unknown fields are skipped; required fields are `Option`s checked by the
//! converter so that a missing one is reported with its path.

use serde::Deserialize;
use serde::de::IgnoredAny;

/// Top level of an OSCAL JSON document; one of the fields is set.
#[derive(Deserialize)]
pub(crate) struct RawDocument {
    pub(crate) catalog: Option<RawCatalog>,
    pub(crate) profile: Option<RawProfile>,
    /// Other OSCAL models, only looked at to explain why such a file is not imported.
    #[serde(rename = "system-security-plan")]
    pub(crate) ssp: Option<IgnoredAny>,
    #[serde(rename = "component-definition")]
    pub(crate) component_definition: Option<IgnoredAny>,
    #[serde(rename = "assessment-plan")]
    pub(crate) assessment_plan: Option<IgnoredAny>,
    #[serde(rename = "assessment-results")]
    pub(crate) assessment_results: Option<IgnoredAny>,
    #[serde(rename = "plan-of-action-and-milestones")]
    pub(crate) poam: Option<IgnoredAny>,
}

impl RawDocument {
    /// Name of a non-catalog OSCAL model in this document, if any.
    pub(crate) fn other_model(&self) -> Option<&'static str> {
        [
            (self.ssp.is_some(), "system-security-plan"),
            (self.component_definition.is_some(), "component-definition"),
            (self.assessment_plan.is_some(), "assessment-plan"),
            (self.assessment_results.is_some(), "assessment-results"),
            (self.poam.is_some(), "plan-of-action-and-milestones"),
        ]
        .into_iter()
        .find_map(|(present, name)| present.then_some(name))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct RawCatalog {
    pub(crate) uuid: Option<String>,
    pub(crate) metadata: Option<Metadata>,
    #[serde(default)]
    pub(crate) params: Vec<Param>,
    #[serde(default)]
    pub(crate) controls: Vec<Control>,
    #[serde(default)]
    pub(crate) groups: Vec<Group>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Metadata {
    pub(crate) title: Option<String>,
    pub(crate) version: Option<String>,
    #[serde(default)]
    pub(crate) document_ids: Vec<DocumentId>,
    #[serde(default)]
    pub(crate) parties: Vec<Party>,
    #[serde(default)]
    pub(crate) responsible_parties: Vec<ResponsibleParty>,
    pub(crate) remarks: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct DocumentId {
    pub(crate) identifier: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct Party {
    pub(crate) uuid: Option<String>,
    pub(crate) name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct ResponsibleParty {
    pub(crate) role_id: Option<String>,
    #[serde(default)]
    pub(crate) party_uuids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Group {
    pub(crate) id: Option<String>,
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) props: Vec<Prop>,
    #[serde(default)]
    pub(crate) params: Vec<Param>,
    #[serde(default)]
    pub(crate) parts: Vec<Part>,
    #[serde(default)]
    pub(crate) groups: Vec<Group>,
    #[serde(default)]
    pub(crate) controls: Vec<Control>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Control {
    pub(crate) id: Option<String>,
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) params: Vec<Param>,
    #[serde(default)]
    pub(crate) props: Vec<Prop>,
    #[serde(default)]
    pub(crate) links: Vec<Link>,
    #[serde(default)]
    pub(crate) parts: Vec<Part>,
    #[serde(default)]
    pub(crate) controls: Vec<Control>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Param {
    pub(crate) id: Option<String>,
    pub(crate) label: Option<String>,
    pub(crate) select: Option<Select>,
    #[serde(default)]
    pub(crate) values: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Select {
    pub(crate) how_many: Option<String>,
    #[serde(default)]
    pub(crate) choice: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct Part {
    pub(crate) name: Option<String>,
    #[serde(default)]
    pub(crate) props: Vec<Prop>,
    pub(crate) prose: Option<String>,
    #[serde(default)]
    pub(crate) parts: Vec<Part>,
}

#[derive(Deserialize)]
pub(crate) struct Prop {
    pub(crate) name: Option<String>,
    pub(crate) value: Option<String>,
    pub(crate) class: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct Link {
    pub(crate) href: Option<String>,
    pub(crate) rel: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct RawProfile {
    pub(crate) uuid: Option<String>,
    pub(crate) metadata: Option<Metadata>,
    pub(crate) imports: Option<Vec<Import>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Import {
    pub(crate) include_all: Option<IgnoredAny>,
    #[serde(default)]
    pub(crate) include_controls: Vec<Selection>,
    #[serde(default)]
    pub(crate) exclude_controls: Vec<Selection>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Selection {
    pub(crate) with_child_controls: Option<String>,
    #[serde(default)]
    pub(crate) with_ids: Vec<String>,
    #[serde(default)]
    pub(crate) matching: Vec<Matching>,
}

#[derive(Deserialize)]
pub(crate) struct Matching {
    pub(crate) pattern: Option<String>,
}

/// Value of the first prop with this name, preferring one without a `class` (OSCAL 1.1
/// catalogs add a second `label` with class `sp800-53a`, e.g. `AC-01`).
pub(crate) fn prop<'a>(props: &'a [Prop], name: &str) -> Option<&'a str> {
    let mut named = props.iter().filter(|p| p.name.as_deref() == Some(name));
    let first = named.clone().next();
    named
        .find(|p| p.class.is_none())
        .or(first)
        .and_then(|p| p.value.as_deref())
}
