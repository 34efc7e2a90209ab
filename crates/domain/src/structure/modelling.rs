//! Modelling (Modellierung, BSI 200-2): which modules (Bausteine) of an imported catalog apply to
//! which target object. The rules that suggest modules by object type (and optionally a tag or a
//! product word) are configuration per federation; matching them and finding coverage gaps are
//! pure functions here.
//!
//! Module IDs (`SYS.1.1`) are facts of the catalog's numbering; titles and texts are never kept
//! here, they come from the imported catalog when shown.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::ObjectType;
use crate::validation::ValidationErrors;
use crate::{CatalogId, OrgId, StructureObjectId};

/// Longest module ID accepted in a rule (`SYS.1.2.3` has 9 characters).
const MAX_MODULE_ID: usize = 32;
/// Rules per federation at most.
const MAX_RULES: usize = 500;
/// Modules per rule at most.
const MAX_MODULES_PER_RULE: usize = 50;
/// Longest tag or product word in a rule.
const MAX_MATCH_TEXT: usize = 100;

/// Checks a module ID's form: letters, digits, dots and hyphens, starting with a letter or digit,
/// at most 32 characters (`error-module-id` otherwise).
pub fn check_module_id(id: &str) -> Result<String, &'static str> {
    let id = id.trim();
    let ok = !id.is_empty()
        && id.len() <= MAX_MODULE_ID
        && id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_');
    if ok {
        Ok(id.to_owned())
    } else {
        Err("error-module-id")
    }
}

/// One suggestion rule: objects of `object_type` (having `tag`, if given, and whose product,
/// vendor or CPE contains `product`, if given) get `modules` suggested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionRule {
    /// The object type the rule applies to.
    pub object_type: ObjectType,
    /// Only objects carrying this tag (compared without case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Only objects whose product, vendor or CPE contains this word (without case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Module IDs suggested, e.g. `["SYS.1.1", "SYS.1.2.3"]`.
    pub modules: Vec<String>,
}

/// The federation's suggestion rules, in the order they are listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModuleRules {
    /// The rules.
    pub rules: Vec<SuggestionRule>,
}

fn rule(
    object_type: ObjectType,
    tag: Option<&str>,
    product: Option<&str>,
    modules: &[&str],
) -> SuggestionRule {
    SuggestionRule {
        object_type,
        tag: tag.map(str::to_owned),
        product: product.map(str::to_owned),
        modules: modules.iter().map(|m| (*m).to_owned()).collect(),
    }
}

impl Default for ModuleRules {
    /// Our own starting set, by the Kompendium 2023 numbering: every server gets the general
    /// server module, a Windows or Linux server its operating-system module as well, and so on.
    /// Only the numbers are written down; a module the imported catalogs lack is not suggested.
    fn default() -> Self {
        use ObjectType as T;
        Self {
            rules: vec![
                rule(T::Application, None, None, &["APP.6"]),
                rule(T::Server, None, None, &["SYS.1.1"]),
                rule(T::Server, None, Some("windows"), &["SYS.1.2.3"]),
                rule(T::Server, Some("windows"), None, &["SYS.1.2.3"]),
                rule(T::Server, None, Some("linux"), &["SYS.1.3"]),
                rule(T::Server, Some("linux"), None, &["SYS.1.3"]),
                rule(T::Server, Some("virtualisierung"), None, &["SYS.1.5"]),
                rule(T::Server, None, Some("vmware"), &["SYS.1.5"]),
                rule(T::Client, None, None, &["SYS.2.1"]),
                rule(T::Client, None, Some("windows"), &["SYS.2.2.3"]),
                rule(T::Client, Some("windows"), None, &["SYS.2.2.3"]),
                rule(T::Client, None, Some("linux"), &["SYS.2.3"]),
                rule(T::Client, None, Some("macos"), &["SYS.2.4"]),
                rule(T::MobileDevice, None, None, &["SYS.3.2.1"]),
                rule(T::MobileDevice, Some("laptop"), None, &["SYS.3.1"]),
                rule(T::NetworkComponent, None, None, &["NET.3.1"]),
                rule(T::NetworkComponent, Some("firewall"), None, &["NET.3.2"]),
                rule(T::IcsIot, None, None, &["SYS.4.4"]),
                rule(T::Network, None, None, &["NET.1.1"]),
                rule(T::Room, None, None, &["INF.7"]),
                rule(T::Room, Some("serverraum"), None, &["INF.2"]),
                rule(T::Building, None, None, &["INF.1"]),
            ],
        }
    }
}

/// What a rule looks at in an object.
#[derive(Debug, Clone, Copy)]
pub struct RuleSubject<'a> {
    /// Its type.
    pub object_type: ObjectType,
    /// Its tags.
    pub tags: &'a [String],
    /// Product, vendor and CPE (whichever are set).
    pub product_texts: [Option<&'a str>; 3],
}

impl SuggestionRule {
    /// Whether the rule applies to `s`.
    pub fn matches(&self, s: &RuleSubject<'_>) -> bool {
        if self.object_type != s.object_type {
            return false;
        }
        if let Some(tag) = &self.tag
            && !s.tags.iter().any(|t| t.trim().eq_ignore_ascii_case(tag))
        {
            return false;
        }
        if let Some(word) = &self.product {
            let word = word.to_lowercase();
            if !s
                .product_texts
                .iter()
                .flatten()
                .any(|t| t.to_lowercase().contains(&word))
            {
                return false;
            }
        }
        true
    }
}

impl ModuleRules {
    /// Checks the rules: at most 500, each with 1–50 well-formed module IDs
    /// (`rules.N.modules`: `error-module-id`, `error-required`), tag and product word single
    /// lines of at most 100 characters; empty words become "no condition"; IDs are deduplicated.
    pub fn validated(mut self) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.rules.len() > MAX_RULES {
            e.add("rules", "error-module-rules-too-many");
        }
        for (i, r) in self.rules.iter_mut().enumerate() {
            let field = format!("rules.{i}");
            for text in [&mut r.tag, &mut r.product] {
                match crate::validation::optional_text(text.as_deref(), MAX_MATCH_TEXT) {
                    Ok(v) => *text = v,
                    Err(code) => e.add(&field, code),
                }
            }
            if r.modules.is_empty() {
                e.add(&format!("{field}.modules"), "error-required");
            } else if r.modules.len() > MAX_MODULES_PER_RULE {
                e.add(&format!("{field}.modules"), "error-module-rules-too-many");
            }
            let mut seen = BTreeSet::new();
            let mut ids = Vec::new();
            for m in &r.modules {
                match check_module_id(m) {
                    Ok(id) => {
                        if seen.insert(id.to_ascii_uppercase()) {
                            ids.push(id);
                        }
                    }
                    Err(code) => e.add(&format!("{field}.modules"), code),
                }
            }
            r.modules = ids;
        }
        e.into_result(self)
    }

    /// The module IDs suggested for `s`, in rule order, each once (compared without case).
    pub fn suggest(&self, s: &RuleSubject<'_>) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.rules
            .iter()
            .filter(|r| r.matches(s))
            .flat_map(|r| r.modules.iter())
            .filter(|m| seen.insert(m.to_ascii_uppercase()))
            .cloned()
            .collect()
    }
}

/// A module (Baustein) of an imported catalog: a top-level node with a reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Module {
    /// The catalog revision.
    pub catalog_id: CatalogId,
    /// The catalog's name.
    pub catalog_name: String,
    /// The node's row ID.
    pub node_id: i64,
    /// Its reference, e.g. `SYS.1.1`.
    pub ref_id: String,
    /// Its title as the catalog has it.
    pub name: Option<String>,
}

/// A module assigned to an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    /// The assignment's ID.
    pub id: i64,
    /// The object.
    pub object_id: StructureObjectId,
    /// The object's organisation.
    pub org_id: OrgId,
    /// The module.
    pub module: Module,
    /// Who assigned it.
    pub assigned_by: String,
    /// When (ms since the epoch).
    pub assigned_at_ms: i64,
}

/// A target object with the modules assigned to it (a row of the modelling table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelledObject {
    /// The object.
    pub id: StructureObjectId,
    /// Its organisation.
    pub org_id: OrgId,
    /// The organisation's name.
    pub org_name: String,
    /// Short id.
    pub short_id: String,
    /// Name.
    pub name: String,
    /// Type.
    pub object_type: ObjectType,
    /// Tags.
    pub tags: Vec<String>,
    /// Product.
    pub product: Option<String>,
    /// Vendor.
    pub vendor: Option<String>,
    /// CPE name.
    pub cpe: Option<String>,
    /// References of the assigned modules, e.g. `["SYS.1.1"]`, in catalog order.
    pub modules: Vec<String>,
}

impl ModelledObject {
    /// What the suggestion rules look at.
    pub fn subject(&self) -> RuleSubject<'_> {
        RuleSubject {
            object_type: self.object_type,
            tags: &self.tags,
            product_texts: [
                self.product.as_deref(),
                self.vendor.as_deref(),
                self.cpe.as_deref(),
            ],
        }
    }

    /// As input of [`gaps`].
    pub fn gap_object(&self) -> GapObject<'_> {
        GapObject {
            id: self.id,
            subject: self.subject(),
            assigned: &self.modules,
        }
    }
}

/// An object of a member with what the gap analysis needs.
#[derive(Debug, Clone)]
pub struct GapObject<'a> {
    /// Its ID.
    pub id: StructureObjectId,
    /// What the rules look at.
    pub subject: RuleSubject<'a>,
    /// The module IDs assigned to it.
    pub assigned: &'a [String],
}

/// Coverage gaps of one member: objects with no module, and modules the rules suggest for its
/// objects that no object of the member has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gaps {
    /// Objects without any module.
    pub objects_without_modules: Vec<StructureObjectId>,
    /// Suggested module IDs (available in a catalog) that no object has, with the objects they
    /// are suggested for.
    pub unused_modules: BTreeMap<String, Vec<StructureObjectId>>,
}

/// Finds the gaps. `available` holds the module IDs (upper case) the imported catalogs offer;
/// a suggestion outside it cannot be assigned and is no gap.
pub fn gaps(rules: &ModuleRules, objects: &[GapObject<'_>], available: &BTreeSet<String>) -> Gaps {
    let used: BTreeSet<String> = objects
        .iter()
        .flat_map(|o| o.assigned.iter().map(|m| m.to_ascii_uppercase()))
        .collect();
    let mut out = Gaps::default();
    for o in objects {
        if o.assigned.is_empty() {
            out.objects_without_modules.push(o.id);
        }
        for m in rules.suggest(&o.subject) {
            let key = m.to_ascii_uppercase();
            if available.contains(&key) && !used.contains(&key) {
                out.unused_modules.entry(m).or_default().push(o.id);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject<'a>(t: ObjectType, tags: &'a [String], product: Option<&'a str>) -> RuleSubject<'a> {
        RuleSubject {
            object_type: t,
            tags,
            product_texts: [product, None, None],
        }
    }

    #[test]
    fn a_windows_server_gets_the_server_and_the_windows_server_module() {
        let rules = ModuleRules::default();
        let got = rules.suggest(&subject(
            ObjectType::Server,
            &[],
            Some("Microsoft Windows Server 2022"),
        ));
        assert_eq!(got, vec!["SYS.1.1", "SYS.1.2.3"]);
    }

    #[test]
    fn a_tag_suggests_the_same_module_once() {
        let rules = ModuleRules::default();
        let tags = vec!["Windows".to_owned()];
        let got = rules.suggest(&subject(ObjectType::Server, &tags, Some("windows")));
        assert_eq!(got, vec!["SYS.1.1", "SYS.1.2.3"], "SYS.1.2.3 only once");
    }

    #[test]
    fn a_plain_server_gets_only_the_general_module_and_a_process_nothing() {
        let rules = ModuleRules::default();
        assert_eq!(
            rules.suggest(&subject(ObjectType::Server, &[], None)),
            vec!["SYS.1.1"]
        );
        assert!(
            rules
                .suggest(&subject(ObjectType::BusinessProcess, &[], None))
                .is_empty()
        );
    }

    #[test]
    fn tag_and_product_must_both_match_when_a_rule_names_both() {
        let r = rule(ObjectType::Client, Some("kiosk"), Some("linux"), &["X.1"]);
        let kiosk = vec!["KIOSK".to_owned()];
        assert!(r.matches(&subject(ObjectType::Client, &kiosk, Some("Debian Linux"))));
        assert!(!r.matches(&subject(ObjectType::Client, &kiosk, Some("Windows 11"))));
        assert!(!r.matches(&subject(ObjectType::Client, &[], Some("Debian Linux"))));
        assert!(!r.matches(&subject(ObjectType::Server, &kiosk, Some("Debian Linux"))));
    }

    #[test]
    fn product_word_is_found_in_vendor_or_cpe_too() {
        let r = rule(ObjectType::Server, None, Some("linux"), &["SYS.1.3"]);
        let s = RuleSubject {
            object_type: ObjectType::Server,
            tags: &[],
            product_texts: [
                Some("Server"),
                None,
                Some("cpe:2.3:o:linux:linux_kernel:6.1:*:*:*:*:*:*:*"),
            ],
        };
        assert!(r.matches(&s));
    }

    #[test]
    fn module_ids_are_checked() {
        assert_eq!(check_module_id(" SYS.1.2.3 "), Ok("SYS.1.2.3".to_owned()));
        assert_eq!(check_module_id("T01"), Ok("T01".to_owned()));
        for bad in ["", ".SYS", "SYS 1", "SYS;1", &"A".repeat(33), "Ä.1"] {
            assert_eq!(check_module_id(bad), Err("error-module-id"), "{bad:?}");
        }
    }

    #[test]
    fn validation_names_the_rule_and_drops_duplicates_and_empty_words() {
        let rules = ModuleRules {
            rules: vec![
                rule(
                    ObjectType::Server,
                    Some("  "),
                    None,
                    &["SYS.1.1", "sys.1.1"],
                ),
                rule(ObjectType::Client, None, None, &["bad id"]),
                rule(ObjectType::Room, None, None, &[]),
            ],
        };
        let e = rules.clone().validated().unwrap_err();
        let fields: Vec<(&str, &str)> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect();
        assert_eq!(
            fields,
            vec![
                ("rules.1.modules", "error-module-id"),
                ("rules.2.modules", "error-required")
            ]
        );
        let ok = ModuleRules {
            rules: vec![rules.rules[0].clone()],
        }
        .validated()
        .unwrap();
        assert_eq!(ok.rules[0].tag, None);
        assert_eq!(ok.rules[0].modules, vec!["SYS.1.1"]);
    }

    #[test]
    fn the_default_rules_are_valid() {
        let d = ModuleRules::default();
        assert_eq!(d.clone().validated().unwrap(), d);
    }

    #[test]
    fn gaps_list_objects_without_modules_and_suggested_modules_nobody_has() {
        // S1 a Windows server with SYS.1.1, S2 a plain server with nothing, R1 a room.
        let rules = ModuleRules::default();
        let win = vec!["windows".to_owned()];
        let s1_assigned = vec!["SYS.1.1".to_owned()];
        let objects = [
            GapObject {
                id: StructureObjectId(1),
                subject: subject(ObjectType::Server, &win, None),
                assigned: &s1_assigned,
            },
            GapObject {
                id: StructureObjectId(2),
                subject: subject(ObjectType::Server, &[], None),
                assigned: &[],
            },
            GapObject {
                id: StructureObjectId(3),
                subject: subject(ObjectType::Room, &[], None),
                assigned: &[],
            },
        ];
        // The catalogs offer SYS only: INF.7 for the room is no gap.
        let available: BTreeSet<String> = ["SYS.1.1", "SYS.1.2.3", "SYS.1.3"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        let g = gaps(&rules, &objects, &available);
        assert_eq!(
            g.objects_without_modules,
            vec![StructureObjectId(2), StructureObjectId(3)]
        );
        // SYS.1.1 is used by S1, so S2 lacking it is an object gap, not a module gap.
        assert_eq!(
            g.unused_modules.into_iter().collect::<Vec<_>>(),
            vec![("SYS.1.2.3".to_owned(), vec![StructureObjectId(1)])]
        );
    }
}
