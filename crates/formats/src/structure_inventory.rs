//! A member's inventory of target objects (structure analysis) as CSV and XLSX table.
//!
//! One row per object, columns found by their German header names (any order; unknown columns
//! such as the exported needs are ignored): `Kürzel` (short id, required), `Name` (required),
//! `Typ` (required; German name or code, e.g. `Server` or `server`), `Beschreibung`,
//! `Verantwortlich`, `Standort`, `Anzahl`, `Status`, `Tags`, `Produkt`, `Hersteller`,
//! `Version`, `CPE`, `PURL` and `Abhängigkeiten`: links to other objects of the same member as
//! `Linktyp:Kürzel`, separated by `;`, e.g. `läuft auf:S01; steht in:R-1`, and to a provider's
//! object as `Linktyp:Dienstleister/Kürzel` (the provider's name, a slash, the object's short
//! id), e.g. `bereitgestellt von:Kommunales Rechenzentrum/KRZ-EWO`. Short ids hold no slash, so
//! the last one separates; a provider name must not contain `;`.
//!
//! Every row error is collected (with line and column, up to 50) and nothing is returned
//! unless the whole file is valid; size limits as for assessment imports.

use std::collections::HashMap;

use verbund_domain::OrgId;
use verbund_domain::structure::model::{Link, TargetObject};
use verbund_domain::structure::{
    Category, LinkType, ObjectInput, ObjectStatus, ObjectType, RawObject,
};

use crate::assessment_csv::{BOM, push_line, read_csv};
use crate::assessment_import::{Cell, MAX_ROW_ERRORS, escape_formula, unescape};
pub use crate::assessment_import::{ImportError, RowError};
use verbund_domain::structure::names_de::status as status_de;
pub use verbund_domain::structure::names_de::{link as link_de, object_type as type_de};

/// Name of the sheet (export and import).
pub const SHEET: &str = "Strukturanalyse";

/// The columns of an export, in order.
pub const COLUMNS: [&str; 18] = [
    "Kürzel",
    "Name",
    "Typ",
    "Beschreibung",
    "Verantwortlich",
    "Standort",
    "Anzahl",
    "Status",
    "Tags",
    "Produkt",
    "Hersteller",
    "Version",
    "CPE",
    "PURL",
    "Abhängigkeiten",
    "Vertraulichkeit",
    "Integrität",
    "Verfügbarkeit",
];

/// At most this many objects per import.
pub const MAX_OBJECTS: usize = 20_000;

fn category_de(c: Option<Category>) -> &'static str {
    match c {
        None => "",
        Some(Category::Normal) => "normal",
        Some(Category::High) => "hoch",
        Some(Category::VeryHigh) => "sehr hoch",
    }
}

fn by_label<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    de: fn(T) -> &'static str,
    v: &str,
) -> Option<T> {
    let v = v.trim();
    all.iter()
        .copied()
        .find(|t| code(*t).eq_ignore_ascii_case(v) || de(*t).to_lowercase() == v.to_lowercase())
}

/// The export table: header and one row of text cells per object (links from it in
/// `Abhängigkeiten`, the effective needs in the last three columns).
///
/// `provider_names` names the organisation of each provider object a link points to, so that
/// the link is written as `Dienstleister/Kürzel` and reads back as the same link.
pub fn export_rows(
    objects: &[TargetObject],
    links: &[Link],
    provider_names: &HashMap<OrgId, String>,
) -> Vec<Vec<String>> {
    let mut deps: HashMap<i64, Vec<String>> = HashMap::new();
    for l in links {
        let target = match provider_names.get(&l.to.org_id) {
            Some(provider) if l.to.org_id != l.from.org_id => {
                format!("{provider}/{}", l.to.short_id)
            }
            _ => l.to.short_id.clone(),
        };
        deps.entry(l.from.id.0)
            .or_default()
            .push(format!("{}:{target}", link_de(l.link_type)));
    }
    let mut rows = vec![COLUMNS.iter().map(|c| (*c).to_owned()).collect()];
    for o in objects {
        let t = |v: &Option<String>| escape_formula(v.as_deref().unwrap_or_default());
        rows.push(vec![
            escape_formula(&o.short_id),
            escape_formula(&o.name),
            type_de(o.object_type).to_owned(),
            t(&o.description),
            t(&o.owner),
            t(&o.location),
            o.count.to_string(),
            status_de(o.status).to_owned(),
            escape_formula(&o.tags.join(", ")),
            t(&o.product),
            t(&o.vendor),
            t(&o.version),
            t(&o.cpe),
            t(&o.purl),
            escape_formula(&deps.remove(&o.id.0).unwrap_or_default().join("; ")),
            category_de(o.effective.confidentiality).to_owned(),
            category_de(o.effective.integrity).to_owned(),
            category_de(o.effective.availability).to_owned(),
        ]);
    }
    rows
}

/// The export as CSV (byte order mark, `;`, CRLF), readable by [`import_csv`].
pub fn export_csv(
    objects: &[TargetObject],
    links: &[Link],
    provider_names: &HashMap<OrgId, String>,
) -> String {
    let mut out = String::from(BOM);
    for row in export_rows(objects, links, provider_names) {
        push_line(&mut out, row);
    }
    out
}

/// One object read from the file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedObject {
    /// Line (CSV) or row number (XLSX).
    pub line: usize,
    /// The validated object.
    pub object: ObjectInput,
}

/// A link read from the file, from an object of the member to another one of its objects or
/// to a provider's object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedLink {
    /// Line of the depending object.
    pub line: usize,
    /// Short id of the depending object (upper case).
    pub from: String,
    /// The provider owning the object depended on, by name as written (none: the member's own).
    pub provider: Option<String>,
    /// Short id of the object depended on (upper case).
    pub to: String,
    /// The relation.
    pub link_type: LinkType,
}

/// What a valid file holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inventory {
    /// The objects.
    pub objects: Vec<ImportedObject>,
    /// The links.
    pub links: Vec<ImportedLink>,
}

#[derive(Default)]
struct Reader {
    names: Vec<String>,
    cols: Option<HashMap<&'static str, usize>>,
    errors: Vec<RowError>,
    inv: Inventory,
    seen: HashMap<String, usize>,
    rows: usize,
}

const FIELDS: [(&str, &str); 15] = [
    ("short_id", "kürzel"),
    ("name", "name"),
    ("object_type", "typ"),
    ("description", "beschreibung"),
    ("owner", "verantwortlich"),
    ("location", "standort"),
    ("count", "anzahl"),
    ("status", "status"),
    ("tags", "tags"),
    ("product", "produkt"),
    ("vendor", "hersteller"),
    ("version", "version"),
    ("cpe", "cpe"),
    ("purl", "purl"),
    ("depends_on", "abhängigkeiten"),
];

fn message(code: &str) -> String {
    match code {
        "error-required" => "Wert fehlt".to_owned(),
        "error-too-long" => "zu lang".to_owned(),
        "error-short-id" => {
            "ungültiges Kürzel (höchstens 20 Zeichen: Buchstaben, Ziffern, - _ .)".to_owned()
        }
        "error-object-count" => "keine ganze Zahl von 1 bis 1.000.000".to_owned(),
        "error-too-many-tags" => "mehr als 20 Tags".to_owned(),
        "error-cpe" => "kein CPE-2.3-Name (beginnt mit „cpe:2.3:“)".to_owned(),
        "error-purl" => "keine Package-URL (beginnt mit „pkg:“)".to_owned(),
        "error-text-characters" => "enthält Steuer- oder Textrichtungszeichen".to_owned(),
        other => other.to_owned(),
    }
}

impl Reader {
    fn error(&mut self, line: usize, field: &str, message: String) {
        if self.errors.len() < MAX_ROW_ERRORS {
            let col = self.cols.as_ref().and_then(|c| c.get(field)).copied();
            let name = col
                .and_then(|i| self.names.get(i).cloned())
                .unwrap_or_else(|| field.to_owned());
            self.errors.push(RowError {
                line,
                field: name,
                message,
            });
        }
    }

    fn row(&mut self, line: usize, cells: &[Cell]) -> Result<bool, ImportError> {
        self.rows += 1;
        if self.rows > MAX_OBJECTS + 1 {
            return Err(ImportError::TooManyRows { limit: MAX_OBJECTS });
        }
        if cells.iter().all(|c| c.text().is_empty()) {
            return Ok(false);
        }
        let Some(cols) = self.cols.clone() else {
            self.names = cells.iter().map(Cell::text).collect();
            let mut cols = HashMap::new();
            for (field, header) in FIELDS {
                if let Some(i) = self
                    .names
                    .iter()
                    .position(|n| n.trim().to_lowercase() == header)
                {
                    cols.insert(field, i);
                }
            }
            for (field, header) in [
                ("short_id", "Kürzel"),
                ("name", "Name"),
                ("object_type", "Typ"),
            ] {
                if !cols.contains_key(field) {
                    return Err(ImportError::MissingColumn {
                        column: header.to_owned(),
                        line,
                    });
                }
            }
            self.cols = Some(cols);
            return Ok(false);
        };
        let get = |f: &str| -> Option<String> {
            cols.get(f)
                .and_then(|&i| cells.get(i))
                .map(|c| unescape(c.text()))
                .filter(|t| !t.is_empty())
        };
        let raw_type = get("object_type").unwrap_or_default();
        let object_type = by_label(ObjectType::ALL, ObjectType::code, type_de, &raw_type)
            .map_or(raw_type.clone(), |t| t.code().to_owned());
        let status = get("status").map(|s| {
            by_label(ObjectStatus::ALL, ObjectStatus::code, status_de, &s)
                .map_or(s, |t| t.code().to_owned())
        });
        let raw = RawObject {
            short_id: get("short_id").unwrap_or_default(),
            name: get("name").unwrap_or_default(),
            description: get("description"),
            object_type,
            owner: get("owner"),
            location: get("location"),
            count: get("count").map(|c| c.trim_end_matches(".0").to_owned()),
            status,
            tags: get("tags"),
            product: get("product"),
            vendor: get("vendor"),
            version: get("version"),
            cpe: get("cpe"),
            purl: get("purl"),
            revision: None,
        };
        let before = self.errors.len();
        let object = match raw.validate() {
            Ok(o) => Some(o),
            Err(e) => {
                for f in e.0 {
                    let m = if f.code == "error-object-type" {
                        format!(
                            "unbekannter Typ „{raw_type}“ (erwartet z. B. Geschäftsprozess, Anwendung, Server, Raum)"
                        )
                    } else if f.code == "error-object-status" {
                        "unbekannter Status (erwartet: geplant, in Betrieb, außer Betrieb)"
                            .to_owned()
                    } else {
                        message(&f.code)
                    };
                    self.error(line, &f.field, m);
                }
                None
            }
        };
        if let Some(o) = &object
            && let Some(first) = self.seen.get(o.short_id.as_str())
        {
            let m = format!("„{}“ steht bereits in Zeile {first}", o.short_id.as_str());
            self.error(line, "short_id", m);
        }
        for dep in get("depends_on").unwrap_or_default().split(';') {
            let dep = dep.trim();
            if dep.is_empty() {
                continue;
            }
            let parsed = dep.split_once(':').and_then(|(t, target)| {
                let lt = by_label(LinkType::ALL, LinkType::code, link_de, t)?;
                let (provider, short) = match target.rsplit_once('/') {
                    Some((p, s)) if !p.trim().is_empty() => (Some(p.trim().to_owned()), s),
                    Some(_) => return None,
                    None => (None, target),
                };
                let to = verbund_domain::structure::ShortId::parse(short).ok()?;
                Some((lt, provider, to))
            });
            match (parsed, &object) {
                (Some((link_type, provider, to)), Some(o)) => self.inv.links.push(ImportedLink {
                    line,
                    from: o.short_id.as_str().to_owned(),
                    provider,
                    to: to.as_str().to_owned(),
                    link_type,
                }),
                (Some(_), None) => {}
                (None, _) => self.error(
                    line,
                    "depends_on",
                    format!("„{dep}“ ist keine Abhängigkeit der Form „Linktyp:Kürzel“ oder „Linktyp:Dienstleister/Kürzel“ (z. B. „läuft auf:S01“)"),
                ),
            }
        }
        if let Some(object) = object.filter(|_| self.errors.len() == before) {
            self.seen.insert(object.short_id.as_str().to_owned(), line);
            self.inv.objects.push(ImportedObject { line, object });
        }
        Ok(self.errors.len() >= MAX_ROW_ERRORS)
    }

    fn finish(self) -> Result<Inventory, ImportError> {
        if self.cols.is_none() {
            Err(ImportError::Empty)
        } else if self.errors.is_empty() {
            Ok(self.inv)
        } else {
            Err(ImportError::Rows(self.errors))
        }
    }
}

/// Reads an inventory from CSV. Fails like the assessment import: the file as a whole
/// (empty, not UTF-8, broken CSV, missing column `Kürzel`, `Name` or `Typ`, more than
/// [`MAX_OBJECTS`] rows) or [`ImportError::Rows`] with every invalid cell by line and column.
pub fn import_csv(bytes: &[u8]) -> Result<Inventory, ImportError> {
    let mut r = Reader::default();
    read_csv(bytes, &mut |line, cells| r.row(line, cells))?;
    r.finish()
}

/// Reads an inventory from an XLSX workbook (sheet [`SHEET`] or the first), checked against
/// the upload limits before it is opened; errors as [`import_csv`].
pub fn import_xlsx(bytes: &[u8]) -> Result<Inventory, ImportError> {
    let mut r = Reader::default();
    crate::assessment_xlsx::read_xlsx(bytes, SHEET, &mut |line, cells| r.row(line, cells))?;
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_errors_are_reported_by_line_and_column_and_nothing_is_returned() {
        let csv = "Kürzel;Name;Typ;Anzahl;Abhängigkeiten\r\n\
                   GP1;Meldewesen;Geschäftsprozess;;\r\n\
                   A1;OK.EWO;Anwendung;;\"verarbeitet Daten von:GP1; läuft auf:S1\"\r\n\
                   S1;Server;Toaster;0;\r\n\
                   A1;doppelt;Anwendung;;läuft:S1\r\n";
        let Err(ImportError::Rows(errors)) = import_csv(csv.as_bytes()) else {
            panic!("errors expected")
        };
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            got,
            [
                (4, "Typ"),
                (4, "Anzahl"),
                (5, "Kürzel"),
                (5, "Abhängigkeiten")
            ]
        );
        assert!(errors[0].message.contains("Toaster"));
    }

    #[test]
    fn a_valid_file_round_trips_through_the_export() {
        let csv = "Typ;Kürzel;Name;Abhängigkeiten;Tags\n\
                   Geschäftsprozess;gp1;Meldewesen;;\n\
                   application;A1;=Fachverfahren;processes_data_of:GP1;ewo, bürgeramt\n";
        let inv = import_csv(csv.as_bytes()).expect("valid");
        assert_eq!(inv.objects.len(), 2);
        assert_eq!(inv.objects[0].object.short_id.as_str(), "GP1");
        assert_eq!(inv.objects[1].object.name, "=Fachverfahren");
        assert_eq!(inv.objects[1].object.tags, vec!["bürgeramt", "ewo"]);
        assert_eq!(
            inv.links,
            vec![ImportedLink {
                line: 3,
                from: "A1".into(),
                provider: None,
                to: "GP1".into(),
                link_type: LinkType::ProcessesDataOf
            }]
        );
        assert!(matches!(
            import_csv(b"Name;Typ\nx;Server\n"),
            Err(ImportError::MissingColumn { .. })
        ));
        assert!(matches!(import_csv(b"  \n"), Err(ImportError::Empty)));
    }

    #[test]
    fn a_provider_object_is_named_by_provider_and_short_id() {
        let csv = "Kürzel;Name;Typ;Abhängigkeiten\n\
                   A1;EWO;Anwendung;\"bereitgestellt von:Landes-IT / Rechenzentrum/krz-ewo; läuft auf:S1\"\n\
                   S1;Server;Server;bereitgestellt von:/KRZ-VM\n";
        let Err(ImportError::Rows(errors)) = import_csv(csv.as_bytes()) else {
            panic!("an empty provider name is an error")
        };
        assert_eq!(
            (errors[0].line, errors[0].field.as_str()),
            (3, "Abhängigkeiten")
        );

        let inv =
            import_csv(csv.replace("bereitgestellt von:/KRZ-VM", "").as_bytes()).expect("valid");
        assert_eq!(
            inv.links[0],
            ImportedLink {
                line: 2,
                from: "A1".into(),
                provider: Some("Landes-IT / Rechenzentrum".into()),
                to: "KRZ-EWO".into(),
                link_type: LinkType::ProvidedBy
            }
        );
        assert_eq!(inv.links[1].provider, None);
    }

    #[test]
    fn never_panics_on_arbitrary_bytes() {
        for bytes in [&b"\xff\xfe"[..], b"K\xc3;", b"\"", b"PK\x03\x04"] {
            let _ = import_csv(bytes);
            let _ = import_xlsx(bytes);
        }
    }
}
