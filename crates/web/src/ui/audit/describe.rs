//! The audit log in words: entity, field and value names translated, the requirement named
//! for answer changes, and a bulk change as one entry with its rows inside. The page, the
//! CSV export and the dashboard's "recent changes" share this.

use std::collections::HashMap;

use serde_json::Value;
use verbund_domain::comparison::group_thousands;
use verbund_domain::validation::{format_date_de, parse_date};
use verbund_store::{AuditEntry, RequirementLabel};

use crate::i18n::Lang;

/// One field that differs between before and after, in words.
#[derive(Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One row of a bulk change: which requirement, and what changed in it.
#[derive(Debug, PartialEq, Eq)]
pub struct BulkRow {
    pub requirement: String,
    pub changes: Vec<FieldChange>,
}

/// An entry as people read it.
#[derive(Debug)]
pub struct Described {
    pub seq: i64,
    pub at_ms: i64,
    pub who: String,
    pub org_id: Option<i64>,
    /// The kind of change, e.g. "Organisation geändert".
    pub action: String,
    /// What was changed, e.g. "Organisation Nauheim" or "Anforderung SYS.1.1.A1 …".
    pub object: String,
    pub changes: Vec<FieldChange>,
    pub rows: Vec<BulkRow>,
}

impl Described {
    /// One sentence: kind of change, object and the first changed fields.
    pub fn sentence(&self, lang: Lang) -> String {
        let mut s = format!("{}: {}", self.action, self.object);
        if !self.rows.is_empty() {
            s.push_str(&format!(
                " ({})",
                lang.t_count("audit-bulk-rows", self.rows.len() as i64)
            ));
        } else if !self.changes.is_empty() {
            let parts: Vec<String> = self
                .changes
                .iter()
                .take(2)
                .map(|c| format!("{} {} → {}", c.field, c.before, c.after))
                .collect();
            s.push_str(&format!(" ({})", parts.join("; ")));
        }
        s
    }
}

/// Translation of `key`, or `fallback` where the key is not defined.
fn t_or(lang: Lang, key: &str, fallback: &str) -> String {
    let t = lang.t(key);
    if t == key { fallback.to_owned() } else { t }
}

/// The requirement in words: reference and name, in the reader's language where the
/// catalog carries it.
pub fn requirement_text(r: &RequirementLabel, lang: Lang) -> String {
    let name = r
        .translations
        .get(lang.code())
        .and_then(|t| t.name.clone())
        .or_else(|| r.name.clone())
        .unwrap_or_default();
    match &r.ref_id {
        Some(id) if !name.is_empty() => format!("{id} {name}"),
        Some(id) => id.clone(),
        None => name,
    }
}

fn value(lang: Lang, field: &str, v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "–".to_owned(),
        Some(Value::Bool(b)) => lang.t(if *b { "yes" } else { "no" }),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) if field.ends_with("_bp") => {
                verbund_domain::assessment::format_bp_de(u32::try_from(i.max(0)).unwrap_or(0))
            }
            Some(i) if field.ends_with("_id") || field == "id" || field == "version" => {
                i.to_string()
            }
            Some(i) => group_thousands(i),
            None => n.to_string(),
        },
        Some(Value::String(s)) => {
            let prefix = match field {
                "status" => Some("status-"),
                "role" => Some("role-"),
                "kind" => Some("kind-"),
                "goal" => Some("structure-goal-"),
                "effective" | "manual" | "calculated" => Some("structure-category-"),
                "link_type" | "origin_link_type" => Some("structure-link-"),
                "object_type" => Some("structure-type-"),
                "deviation" => Some("structure-deviation-"),
                _ => None,
            };
            if let Some(p) = prefix {
                // The structure analysis spells its keys with hyphens (`very-high`), and its
                // object statuses have their own keys.
                let key = format!("{p}{}", s.replace('_', "-"));
                let fallback = t_or(lang, &format!("structure-status-{s}"), s);
                return t_or(lang, &format!("{p}{s}"), &t_or(lang, &key, &fallback));
            }
            if s.len() == 10
                && let Ok(d) = parse_date(s)
            {
                return format_date_de(d);
            }
            s.clone()
        }
        // A referenced object (e.g. the two ends of a dependency) by its name and short ID;
        // never a JSON document, which would say little and break the page's layout.
        Some(Value::Object(o)) => match (
            o.get("name").and_then(Value::as_str),
            o.get("short_id").and_then(Value::as_str),
        ) {
            (Some(n), Some(id)) => format!("„{n}“ ({id})"),
            (Some(n), None) => format!("„{n}“"),
            _ => lang.t_count("audit-fields", o.len() as i64),
        },
        Some(Value::Array(a)) => lang.t_count("audit-entries", a.len() as i64),
    }
}

fn field_name(lang: Lang, f: &str) -> String {
    t_or(lang, &format!("audit-field-{f}"), f)
}

/// The fields that differ between the before and after JSON of an entry, in words: what a
/// reader wants to know, and much less to render than both documents in full.
pub fn changes(lang: Lang, before: &Value, after: &Value) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let (bo, ao) = (
        before.as_object().unwrap_or(&empty),
        after.as_object().unwrap_or(&empty),
    );
    if bo.is_empty() && ao.is_empty() {
        return if before == after {
            vec![]
        } else {
            vec![FieldChange {
                field: String::new(),
                before: value(lang, "", Some(before)),
                after: value(lang, "", Some(after)),
            }]
        };
    }
    let mut keys: Vec<&String> = bo.keys().chain(ao.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| bo.get(*k) != ao.get(*k))
        .map(|k| FieldChange {
            field: field_name(lang, k),
            before: value(lang, k, bo.get(k)),
            after: value(lang, k, ao.get(k)),
        })
        .collect()
}

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or(Value::Null)
}

/// Describes `entries`; `requirements` names the answers they mention.
pub fn describe(
    lang: Lang,
    entries: &[AuditEntry],
    requirements: &[RequirementLabel],
) -> Vec<Described> {
    let req: HashMap<i64, String> = requirements
        .iter()
        .map(|r| (r.answer_id.0, requirement_text(r, lang)))
        .collect();
    let requirement = |id: i64| {
        req.get(&id)
            .cloned()
            .unwrap_or_else(|| format!("{} {id}", lang.t("audit-entity-assessment_answer")))
    };
    entries
        .iter()
        .map(|e| {
            let r = &e.entry.record;
            let (before, after) = (parse(&r.before), parse(&r.after));
            let entity = t_or(
                lang,
                &format!("audit-entity-{}", r.object_type),
                &r.object_type,
            );
            let named = after["name"]
                .as_str()
                .or_else(|| before["name"].as_str())
                .or_else(|| after["display_name"].as_str())
                .or_else(|| before["display_name"].as_str())
                .map(str::to_owned);
            let mut rows = Vec::new();
            let (object, changes) = if r.action == "answer.bulk_update" {
                for row in after["rows"].as_array().into_iter().flatten() {
                    rows.push(BulkRow {
                        requirement: row["answer_id"]
                            .as_i64()
                            .map(requirement)
                            .unwrap_or_default(),
                        changes: changes(lang, &row["before"], &row["after"]),
                    });
                }
                (lang.t_count("audit-bulk-object", rows.len() as i64), vec![])
            } else if r.object_type == "assessment_answer" {
                let id = r.object_id.parse::<i64>().unwrap_or_default();
                (
                    format!("{}: {}", lang.t("audit-requirement"), requirement(id)),
                    changes(lang, &before, &after),
                )
            } else {
                let label = match named {
                    Some(n) => format!("{entity} „{n}“"),
                    None => format!("{entity} {}", r.object_id),
                };
                (label, changes(lang, &before, &after))
            };
            Described {
                seq: r.seq,
                at_ms: r.at_ms,
                who: r.actor_label.clone(),
                org_id: r.org_id,
                action: t_or(
                    lang,
                    &format!("action-{}", r.action.replace('.', "-")),
                    &r.action,
                ),
                object,
                changes,
                rows,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fc(f: &str, b: &str, a: &str) -> FieldChange {
        FieldChange {
            field: f.into(),
            before: b.into(),
            after: a.into(),
        }
    }

    #[test]
    fn structure_changes_read_as_words_and_referenced_objects_by_name() {
        let after = json!({
            "from": {"id": 11, "name": "Meldewesen", "object_type": "application", "short_id": "A-EWO"},
            "to": {"id": 3, "name": "Virtualisierungscluster", "short_id": "S-01"},
            "link_type": "runs_on",
            "goal": "confidentiality",
            "effective": "very_high",
        });
        let got = changes(Lang::De, &Value::Null, &after);
        let find = |f: &str| got.iter().find(|c| c.field == f).map(|c| c.after.clone());
        assert_eq!(find("Objekt").as_deref(), Some("„Meldewesen“ (A-EWO)"));
        assert_eq!(
            find("Hängt ab von").as_deref(),
            Some("„Virtualisierungscluster“ (S-01)")
        );
        assert_eq!(find("Art der Abhängigkeit").as_deref(), Some("läuft auf"));
        assert_eq!(find("Grundwert").as_deref(), Some("Vertraulichkeit"));
        assert_eq!(find("Schutzbedarf").as_deref(), Some("sehr hoch"));
        assert!(got.iter().all(|c| !c.after.contains('{')), "{got:?}");
    }

    #[test]
    fn only_changed_fields_are_listed_with_german_names_and_numbers() {
        let before = json!({"name":"Nauheim","population":10840,"version":1,"ags":"06433009"});
        let after = json!({"name":"Nauheim","population":10900,"version":2,"ags":"06433009"});
        assert_eq!(
            changes(Lang::De, &before, &after),
            vec![
                fc("Einwohnerzahl", "10.840", "10.900"),
                fc("Version", "1", "2")
            ]
        );
    }

    #[test]
    fn codes_and_dates_are_shown_in_words() {
        assert_eq!(
            changes(
                Lang::De,
                &json!({"status":"no","due_on":"2027-03-31"}),
                &json!({"status":"yes","due_on":null})
            ),
            vec![
                fc("Fällig am", "31.03.2027", "–"),
                fc("Status", "nein", "ja")
            ]
        );
    }

    #[test]
    fn creation_lists_every_field_and_deletion_too() {
        assert_eq!(
            changes(
                Lang::De,
                &Value::Null,
                &json!({"role":"coordinator","org_name":"Raunheim"})
            ),
            vec![
                fc("Organisation", "–", "Raunheim"),
                fc("Rolle", "–", "Koordination")
            ]
        );
        assert_eq!(
            changes(Lang::De, &json!({"id":3}), &Value::Null),
            vec![fc("ID", "3", "–")]
        );
        assert_eq!(changes(Lang::De, &Value::Null, &Value::Null), vec![]);
    }
}
