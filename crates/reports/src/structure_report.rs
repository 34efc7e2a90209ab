//! A member's "Strukturanalyse und Schutzbedarfsfeststellung" (BSI-Standard 200-2) as PDF and
//! XLSX: the object list, the protection needs per object and basic value (set, calculated,
//! effective, deviation and justification) with the inheritance path explaining each, the
//! links, and the provider objects the member relies on with its own contribution.
//!
//! Later parts of the method (Modellierung, IT-Grundschutz-Check) add their results through
//! [`StructureReport::sections`]: each [`ReportTable`] becomes a section of the PDF and a sheet
//! of the workbook, after the structure analysis.

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook};
use serde::Serialize;
use verbund_domain::structure::model::{
    Link, MemberStructure, Need, ObjectRef, OriginKind, PathEntry,
};
use verbund_domain::structure::{Category, Deviation};

use crate::ReportError;
use verbund_domain::structure::names_de::{
    link as link_de, object_type as type_de, status as status_de,
};

/// The typst template.
const TEMPLATE: &str = include_str!("structure_report.typ");

/// A table that a later feature adds to the report (e.g. the modelling or the check results).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTable {
    /// Heading of the PDF section, e.g. "Modellierung".
    pub title: String,
    /// Sheet name in the workbook (at most 31 characters, none of `[]:*?/\`).
    pub sheet: String,
    /// A sentence above the table (may be empty).
    pub intro: String,
    /// Column headings.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct StructureReport<'a> {
    /// The federation's name (top of the document).
    pub federation: String,
    /// The day of the report, e.g. "01.12.2026".
    pub date: String,
    /// The member's structure analysis.
    pub data: &'a MemberStructure,
    /// Sections added after the structure analysis (modelling, check), in order.
    pub sections: Vec<ReportTable>,
    /// The member's coat of arms (or the federation's logo), printed beside the heading.
    pub logo: Option<verbund_domain::logo::Logo>,
}

fn category_de(c: Option<Category>) -> &'static str {
    match c {
        None => "–",
        Some(Category::Normal) => "normal",
        Some(Category::High) => "hoch",
        Some(Category::VeryHigh) => "sehr hoch",
    }
}

fn deviation_de(d: Option<Deviation>) -> &'static str {
    match d {
        None => "",
        Some(Deviation::Cumulation) => "Kumulationseffekt",
        Some(Deviation::Distribution) => "Verteilungseffekt",
        Some(Deviation::Other) => "anderer Grund",
    }
}

const GOALS_DE: [&str; 3] = ["Vertraulichkeit", "Integrität", "Verfügbarkeit"];

fn object_label(o: &ObjectRef) -> String {
    format!("{} {}", o.short_id, o.name)
}

/// The path in words, from the object back to where a person set the need:
/// "S-01 Server ← läuft auf ← A-01 Fachverfahren ← … (hier festgelegt)".
pub(crate) fn path_text(path: &[PathEntry]) -> String {
    let mut out = String::new();
    for (i, step) in path.iter().enumerate() {
        if i > 0 {
            let via = match (path[i - 1].origin, path[i - 1].link_type) {
                (OriginKind::Cycle, _) => "Zyklus",
                (_, Some(t)) => link_de(t),
                _ => "",
            };
            out.push_str(&format!(" ← {via} ← "));
        }
        out.push_str(&object_label(&step.object));
    }
    match path.last() {
        Some(last) if last.own => {
            if path.len() == 1 {
                "hier festgelegt".into()
            } else {
                format!("{out} (dort festgelegt)")
            }
        }
        Some(last) if last.origin == OriginKind::Unset && last.effective.is_none() => {
            "nicht festgelegt".into()
        }
        Some(last) if last.origin != OriginKind::Unset && path.len() == 1 => {
            "geerbt von einem Objekt außerhalb dieses Mitglieds".into()
        }
        _ => out,
    }
}

fn need_row(object: &str, goal: usize, n: Option<&Need>, path: &[PathEntry]) -> Vec<String> {
    let Some(n) = n else {
        return vec![
            object.into(),
            GOALS_DE[goal].into(),
            "–".into(),
            "–".into(),
            "–".into(),
            String::new(),
            String::new(),
            "nicht festgelegt".into(),
        ];
    };
    let mut deviation = deviation_de(n.deviation).to_owned();
    if n.stale {
        deviation.push_str(" (Abweichung prüfen)");
    }
    vec![
        object.into(),
        GOALS_DE[goal].into(),
        category_de(n.manual).into(),
        category_de(n.calculated).into(),
        category_de(n.effective).into(),
        deviation.trim().to_owned(),
        n.justification.clone().unwrap_or_default(),
        path_text(path),
    ]
}

fn link_row(l: &Link, provider_names: &dyn Fn(&ObjectRef) -> String) -> Vec<String> {
    vec![
        object_label(&l.from),
        link_de(l.link_type).into(),
        if l.to.provider {
            format!("{} ({})", object_label(&l.to), provider_names(&l.to))
        } else {
            object_label(&l.to)
        },
        if l.passes_needs { "ja" } else { "nein" }.into(),
    ]
}

/// The report's tables, shared by PDF and workbook.
#[derive(Serialize)]
struct Data {
    federation: String,
    member: String,
    date: String,
    summary: Vec<[String; 2]>,
    objects: Vec<Vec<String>>,
    needs: Vec<Vec<String>>,
    links: Vec<Vec<String>>,
    providers: Vec<Vec<String>>,
    sections: Vec<Section>,
}

#[derive(Serialize)]
struct Section {
    title: String,
    intro: String,
    columns: usize,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

const OBJECT_HEADER: [&str; 11] = [
    "Kürzel",
    "Name",
    "Typ",
    "Verantwortlich",
    "Standort",
    "Anzahl",
    "Status",
    "V",
    "I",
    "A",
    "Hinweis",
];
/// Position of "Anzahl" in [`OBJECT_HEADER`]: the one numeric column of the object list.
const COUNT_COLUMN: usize = 5;
const NEED_HEADER: [&str; 8] = [
    "Objekt",
    "Grundwert",
    "Festgelegt",
    "Berechnet",
    "Wirksam",
    "Abweichung",
    "Begründung",
    "Herleitung (Vererbungspfad)",
];
const LINK_HEADER: [&str; 4] = ["Von", "Beziehung", "Nach", "Vererbt Schutzbedarf"];
const PROVIDER_HEADER: [&str; 9] = [
    "Dienstleister",
    "Kürzel",
    "Name",
    "V",
    "I",
    "A",
    "Eigener Beitrag V",
    "Eigener Beitrag I",
    "Eigener Beitrag A",
];

fn data(r: &StructureReport) -> Data {
    let d = r.data;
    let objects: Vec<Vec<String>> = d
        .objects
        .iter()
        .map(|o| {
            let t = &o.object;
            let e = t.effective.to_array();
            let mut note = Vec::new();
            if t.in_cycle {
                note.push("Zyklus: prüfen");
            }
            if o.needs.iter().any(|n| n.stale) {
                note.push("Abweichung prüfen");
            }
            vec![
                t.short_id.clone(),
                t.name.clone(),
                type_de(t.object_type).into(),
                t.owner.clone().unwrap_or_default(),
                t.location.clone().unwrap_or_default(),
                t.count.to_string(),
                status_de(t.status).into(),
                category_de(e[0]).into(),
                category_de(e[1]).into(),
                category_de(e[2]).into(),
                note.join(", "),
            ]
        })
        .collect();
    let mut needs = Vec::new();
    for o in &d.objects {
        let label = format!("{} {}", o.object.short_id, o.object.name);
        for g in 0..3 {
            let n = o.needs.iter().find(|n| n.goal.index() == g);
            let path = o.paths.get(g).map(Vec::as_slice).unwrap_or_default();
            needs.push(need_row(&label, g, n, path));
        }
    }
    let provider_name = |o: &ObjectRef| {
        d.provider_objects
            .iter()
            .find(|p| p.object.id == o.id)
            .map(|p| p.object.org_name.clone())
            .unwrap_or_else(|| "Dienstleister".into())
    };
    let links = d
        .links
        .iter()
        .map(|l| link_row(l, &provider_name))
        .collect();
    let providers = d
        .provider_objects
        .iter()
        .map(|p| {
            let e = p.object.effective.to_array();
            let c = p.contribution.to_array();
            vec![
                p.object.org_name.clone(),
                p.object.short_id.clone(),
                p.object.name.clone(),
                category_de(e[0]).into(),
                category_de(e[1]).into(),
                category_de(e[2]).into(),
                category_de(c[0]).into(),
                category_de(c[1]).into(),
                category_de(c[2]).into(),
            ]
        })
        .collect();
    let set = d
        .objects
        .iter()
        .flat_map(|o| &o.needs)
        .filter(|n| n.manual.is_some())
        .count();
    Data {
        federation: r.federation.clone(),
        member: d.org_name.clone(),
        date: r.date.clone(),
        summary: vec![
            ["Zielobjekte".into(), d.objects.len().to_string()],
            ["Abhängigkeiten".into(), d.links.len().to_string()],
            ["Festgelegte Schutzbedarfe".into(), set.to_string()],
            [
                "Genutzte Objekte von Dienstleistern".into(),
                d.provider_objects.len().to_string(),
            ],
        ],
        objects,
        needs,
        links,
        providers,
        sections: r
            .sections
            .iter()
            .map(|s| Section {
                title: s.title.clone(),
                intro: s.intro.clone(),
                columns: s.header.len().max(1),
                header: s.header.clone(),
                // Short rows are padded so that no cell of the table shifts.
                rows: s
                    .rows
                    .iter()
                    .map(|row| {
                        let mut row = row.clone();
                        row.resize(s.header.len().max(1), String::new());
                        row
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The report as a tagged PDF (German, PDF/UA-1 and, with a date, PDF/A-2a). User text reaches
/// typst only as string values. Fails with [`ReportError::Render`] if typst fails.
pub fn structure_pdf(r: &StructureReport) -> Result<Vec<u8>, ReportError> {
    let json = serde_json::to_vec(&data(r)).map_err(|e| ReportError::Render(e.to_string()))?;
    let images = crate::render::Embedded::logo(&r.logo);
    crate::render::pdf_with_images(TEMPLATE, json, crate::format::date(&r.date), &images)
}

/// The report as a workbook: "Übersicht", "Zielobjekte", "Schutzbedarf", "Abhängigkeiten",
/// "Dienstleister", then one sheet per added section. Counts are numbers, every other cell is text. Fails with
/// [`ReportError::Xlsx`] if the workbook cannot be written (e.g. an invalid section sheet name).
pub fn structure_xlsx(r: &StructureReport) -> Result<Vec<u8>, ReportError> {
    let d = data(r);
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Strukturanalyse und Schutzbedarfsfeststellung – {}",
                d.member
            ))
            .set_author(&d.federation),
    );
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let s = wb.add_worksheet().set_name("Übersicht")?;
    s.write_with_format(
        0,
        0,
        format!(
            "Strukturanalyse und Schutzbedarfsfeststellung: {}",
            d.member
        ),
        &title,
    )?;
    s.write_with_format(2, 0, "Verbund", &bold)?;
    s.write_string(2, 1, &d.federation)?;
    s.write_with_format(3, 0, "Stand", &bold)?;
    s.write_string(3, 1, &d.date)?;
    for (i, [k, v]) in d.summary.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(0) + 4;
        s.write_with_format(row, 0, k.as_str(), &bold)?;
        // The counts are numbers, so that a spreadsheet can sum and compare them.
        match v.parse::<u32>() {
            Ok(n) => s.write_number(row, 1, f64::from(n))?,
            Err(_) => s.write_string(row, 1, v)?,
        };
    }
    s.set_column_width(0, 36)?;
    s.set_column_width(1, 50)?;
    sheet(
        &mut wb,
        "Zielobjekte",
        &header(&OBJECT_HEADER),
        &d.objects,
        &[COUNT_COLUMN],
    )?;
    sheet(
        &mut wb,
        "Schutzbedarf",
        &header(&NEED_HEADER),
        &d.needs,
        &[],
    )?;
    sheet(
        &mut wb,
        "Abhängigkeiten",
        &header(&LINK_HEADER),
        &d.links,
        &[],
    )?;
    sheet(
        &mut wb,
        "Dienstleister",
        &header(&PROVIDER_HEADER),
        &d.providers,
        &[],
    )?;
    for (s, section) in r.sections.iter().zip(&d.sections) {
        sheet(&mut wb, &s.sheet, &section.header, &section.rows, &[])?;
    }
    Ok(wb.save_to_buffer()?)
}

fn header(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| (*s).to_owned()).collect()
}

/// One sheet: a bold, frozen header with an autofilter, text cells, except in the `numeric`
/// columns, where whole numbers are written as numbers (short IDs such as "001" stay text
/// because only the listed columns are converted).
fn sheet(
    wb: &mut Workbook,
    name: &str,
    header: &[String],
    rows: &[Vec<String>],
    numeric: &[usize],
) -> Result<(), ReportError> {
    let head = crate::workbook::header_format();
    let text = Format::new()
        .set_align(FormatAlign::Top)
        .set_text_wrap()
        .set_num_format("@");
    let number = Format::new()
        .set_align(FormatAlign::Top)
        .set_num_format("0");
    let ws = wb.add_worksheet().set_name(name)?;
    for (c, h) in (0u16..).zip(header) {
        ws.write_string_with_format(0, c, h, &head)?;
        ws.set_column_width(c, 20)?;
    }
    for (r, row) in (1u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(row) {
            match cell.parse::<u32>() {
                Ok(n) if numeric.contains(&usize::from(c)) => {
                    ws.write_number_with_format(r, c, f64::from(n), &number)?
                }
                _ => ws.write_string_with_format(r, c, cell, &text)?,
            };
        }
    }
    if !header.is_empty() {
        let last_col = u16::try_from(header.len() - 1).unwrap_or(u16::MAX);
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(
            0,
            0,
            u32::try_from(rows.len()).unwrap_or(u32::MAX).max(1),
            last_col,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use verbund_domain::structure::{LinkType, ObjectType};
    use verbund_domain::{OrgId, StructureObjectId};

    fn step(
        id: i64,
        short: &str,
        own: bool,
        origin: OriginKind,
        lt: Option<LinkType>,
    ) -> PathEntry {
        PathEntry {
            object: ObjectRef {
                id: StructureObjectId(id),
                org_id: OrgId(1),
                provider: false,
                short_id: short.into(),
                name: format!("Objekt {short}"),
                object_type: ObjectType::Server,
            },
            effective: Some(Category::High),
            own,
            origin,
            link_type: lt,
        }
    }

    #[test]
    fn a_path_reads_from_the_object_back_to_where_the_need_was_set() {
        let path = [
            step(3, "S-01", false, OriginKind::Link, Some(LinkType::RunsOn)),
            step(
                2,
                "A-01",
                false,
                OriginKind::Link,
                Some(LinkType::ProcessesDataOf),
            ),
            step(1, "GP-1", true, OriginKind::Unset, None),
        ];

        assert_eq!(
            path_text(&path),
            "S-01 Objekt S-01 ← läuft auf ← A-01 Objekt A-01 ← verarbeitet Daten von ← GP-1 Objekt GP-1 (dort festgelegt)"
        );
    }

    #[test]
    fn a_need_set_on_the_object_itself_says_so() {
        let path = [step(1, "GP-1", true, OriginKind::Unset, None)];

        assert_eq!(path_text(&path), "hier festgelegt");
    }

    #[test]
    fn a_cycle_is_named_in_the_path() {
        let path = [
            step(1, "S-01", false, OriginKind::Cycle, None),
            step(2, "S-02", true, OriginKind::Unset, None),
        ];

        assert_eq!(
            path_text(&path),
            "S-01 Objekt S-01 ← Zyklus ← S-02 Objekt S-02 (dort festgelegt)"
        );
    }
}
