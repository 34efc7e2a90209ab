//! A member's implementation plan (Realisierungsplan) as PDF and XLSX: every measure in plan
//! order (priority, then deadline) with owner, deadline, status, estimated cost and effort and
//! the requirements it works on, and the sums per priority — of all measures and of the open
//! ones, which is what is still to be paid and done.

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook};
use serde::Serialize;
use verbund_domain::costs::Cents;
use verbund_domain::measure::plan::{PlanEntry, Tally, plan_totals};
use verbund_domain::measure::{MeasureStatus, Priority};

use crate::ReportError;
use crate::format::{decimal, euros, euros_f64};

/// The typst template.
const TEMPLATE: &str = include_str!("plan.typ");

/// Everything the plan shows.
#[derive(Debug, Clone)]
pub struct PlanReport<'a> {
    /// The federation's name (top of the document).
    pub federation: String,
    /// The member's name.
    pub member: String,
    /// The day of the plan, e.g. "01.12.2026".
    pub date: String,
    /// The measures in plan order.
    pub entries: &'a [PlanEntry],
    /// The member's coat of arms (or the federation's logo), printed beside the heading.
    pub logo: Option<verbund_domain::logo::Logo>,
}

/// German label of a priority.
pub fn priority_de(p: Priority) -> &'static str {
    match p {
        Priority::VeryHigh => "sehr hoch",
        Priority::High => "hoch",
        Priority::Medium => "mittel",
        Priority::Low => "niedrig",
    }
}

/// German label of a status.
pub fn status_de(s: MeasureStatus) -> &'static str {
    match s {
        MeasureStatus::Open => "offen",
        MeasureStatus::InProgress => "in Arbeit",
        MeasureStatus::Implemented => "umgesetzt",
        MeasureStatus::Verified => "geprüft",
    }
}

/// `2026-03-31` → `31.03.2026` (anything else as it is).
fn date_de(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_owned(),
    }
}

/// Person-days with at most two decimals, German notation: `2.5` → `"2,5"`.
fn days_de(d: f64) -> String {
    let s = format!("{d:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    decimal(s)
}

const HEADER: [&str; 10] = [
    "Nr.",
    "Maßnahme",
    "Priorität",
    "Status",
    "Verantwortlich",
    "Frist",
    "Kosten",
    "Aufwand (PT)",
    "Anforderungen",
    "Hinweis",
];
const TOTAL_HEADER: [&str; 7] = [
    "Priorität",
    "Maßnahmen",
    "davon offen",
    "davon überfällig",
    "Kosten gesamt",
    "Kosten offen",
    "Aufwand offen (PT)",
];

#[derive(Serialize)]
struct Data {
    federation: String,
    member: String,
    date: String,
    rows: Vec<Vec<String>>,
    totals: Vec<Vec<String>>,
    note: String,
}

fn note(e: &PlanEntry) -> String {
    let m = &e.measure;
    let mut n = Vec::new();
    if m.overdue {
        n.push("überfällig");
    }
    if m.link.warning.is_some() {
        n.push("Anforderungen prüfen");
    }
    n.join(", ")
}

fn tally_row(label: &str, t: &Tally) -> Vec<String> {
    vec![
        label.to_owned(),
        t.measures.to_string(),
        t.open.to_string(),
        t.overdue.to_string(),
        euros(Cents(t.cost_cents)),
        euros(Cents(t.open_cost_cents)),
        days_de(t.open_effort_days),
    ]
}

fn data(r: &PlanReport) -> Data {
    let rows = r
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let m = &e.measure;
            vec![
                (i + 1).to_string(),
                m.title.clone(),
                priority_de(m.priority).into(),
                status_de(m.status).into(),
                m.owner_name.clone().unwrap_or_default(),
                m.due_on.as_deref().map(date_de).unwrap_or_default(),
                m.cost_cents.map(|c| euros(Cents(c))).unwrap_or_default(),
                m.effort_days.map(days_de).unwrap_or_default(),
                e.requirements.join(", "),
                note(e),
            ]
        })
        .collect();
    let t = plan_totals(r.entries.iter().map(|e| &e.measure));
    let mut totals: Vec<Vec<String>> = t
        .by_priority
        .iter()
        .map(|(p, t)| tally_row(priority_de(*p), t))
        .collect();
    totals.push(tally_row("Summe", &t.all));
    let note = if t.all.without_cost > 0 {
        format!(
            "{} Maßnahmen haben noch keine Kostenschätzung; die Summen enthalten sie mit 0 €.",
            t.all.without_cost
        )
    } else {
        String::new()
    };
    Data {
        federation: r.federation.clone(),
        member: r.member.clone(),
        date: r.date.clone(),
        rows,
        totals,
        note,
    }
}

/// The plan as a tagged PDF (German, PDF/UA-1 and PDF/A-2a), landscape A4. User text reaches
/// typst only as string values. Fails with [`ReportError::Render`] if typst fails.
pub fn plan_pdf(r: &PlanReport) -> Result<Vec<u8>, ReportError> {
    let json = serde_json::to_vec(&data(r)).map_err(|e| ReportError::Render(e.to_string()))?;
    let images = crate::render::Embedded::logo(&r.logo);
    crate::render::pdf_with_images(TEMPLATE, json, crate::format::date(&r.date), &images)
}

/// The plan as a workbook: sheet "Realisierungsplan" (one row per measure; cost in euros and
/// effort in person-days as numbers, with `SUM` formulas below) and sheet "Summen" (per
/// priority). Fails with [`ReportError::Xlsx`] if the workbook cannot be written.
pub fn plan_xlsx(r: &PlanReport) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Realisierungsplan – {}", r.member))
            .set_author(&r.federation),
    );
    let head = crate::workbook::header_format();
    let text = Format::new().set_align(FormatAlign::Top).set_text_wrap();
    let euro = Format::new()
        .set_align(FormatAlign::Top)
        .set_num_format("#,##0.00 €");
    let euro_bold = euro.clone().set_bold();
    let days = Format::new()
        .set_align(FormatAlign::Top)
        .set_num_format("0.0#");
    let days_bold = days.clone().set_bold();
    let bold = Format::new().set_bold();
    let date = Format::new()
        .set_align(FormatAlign::Top)
        .set_num_format("dd.mm.yyyy");

    let ws = wb.add_worksheet().set_name("Realisierungsplan")?;
    for (c, h) in (0u16..).zip(HEADER) {
        ws.write_string_with_format(0, c, h, &head)?;
    }
    for (c, w) in (0u16..).zip([5, 48, 11, 11, 22, 11, 14, 12, 30, 22]) {
        ws.set_column_width(c, w)?;
    }
    for (row, (i, e)) in (1u32..).zip(r.entries.iter().enumerate()) {
        let m = &e.measure;
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string_with_format(row, 1, &m.title, &text)?;
        ws.write_string_with_format(row, 2, priority_de(m.priority), &text)?;
        ws.write_string_with_format(row, 3, status_de(m.status), &text)?;
        ws.write_string_with_format(row, 4, m.owner_name.as_deref().unwrap_or(""), &text)?;
        // A real date cell, so that the plan can be sorted and filtered by deadline.
        match m.due_on.as_deref().and_then(excel_date) {
            Some(d) => ws.write_datetime_with_format(row, 5, &d, &date)?,
            None => ws.write_string_with_format(row, 5, "", &text)?,
        };
        if let Some(c) = m.cost_cents {
            ws.write_number_with_format(row, 6, euros_f64(Cents(c)), &euro)?;
        }
        if let Some(d) = m.effort_days {
            ws.write_number_with_format(row, 7, d, &days)?;
        }
        ws.write_string_with_format(row, 8, e.requirements.join(", "), &text)?;
        ws.write_string_with_format(row, 9, note(e), &text)?;
    }
    let t = plan_totals(r.entries.iter().map(|e| &e.measure));
    let n = u32::try_from(r.entries.len()).unwrap_or(u32::MAX - 2);
    let sum_row = n + 1;
    ws.write_string_with_format(sum_row, 1, "Summe", &bold)?;
    if n > 0 {
        crate::workbook::write_sum(
            ws,
            sum_row,
            6,
            (1, n),
            format!("{:.2}", euros_f64(Cents(t.all.cost_cents))),
            &euro_bold,
        )?;
        crate::workbook::write_sum(
            ws,
            sum_row,
            7,
            (1, n),
            format!("{}", t.all.effort_days),
            &days_bold,
        )?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, n.max(1), u16::try_from(HEADER.len() - 1).unwrap_or(0))?;

    let ws = wb.add_worksheet().set_name("Summen")?;
    ws.write_with_format(0, 0, format!("Realisierungsplan: {}", r.member), &bold)?;
    ws.write_string(1, 0, format!("{} · Stand {}", r.federation, r.date))?;
    for (c, h) in (0u16..).zip(TOTAL_HEADER) {
        ws.write_string_with_format(3, c, h, &head)?;
        ws.set_column_width(c, 16)?;
    }
    let lines = t
        .by_priority
        .iter()
        .map(|(p, t)| (priority_de(*p), t))
        .chain(std::iter::once(("Summe", &t.all)));
    for (row, (label, t)) in (4u32..).zip(lines) {
        ws.write_string(row, 0, label)?;
        ws.write_number(row, 1, t.measures as f64)?;
        ws.write_number(row, 2, t.open as f64)?;
        ws.write_number(row, 3, t.overdue as f64)?;
        ws.write_number_with_format(row, 4, euros_f64(Cents(t.cost_cents)), &euro)?;
        ws.write_number_with_format(row, 5, euros_f64(Cents(t.open_cost_cents)), &euro)?;
        ws.write_number_with_format(row, 6, t.open_effort_days, &days)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// `YYYY-MM-DD` as a spreadsheet date.
fn excel_date(iso: &str) -> Option<rust_xlsxwriter::ExcelDateTime> {
    let mut p = iso.split('-');
    let y = p.next()?.parse().ok()?;
    let m = p.next()?.parse().ok()?;
    let d = p.next()?.parse().ok()?;
    rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_days_print_in_german_notation() {
        assert_eq!(date_de("2026-03-31"), "31.03.2026");
        assert_eq!(days_de(2.5), "2,5");
        assert_eq!(days_de(10.0), "10");
        assert_eq!(days_de(1234.25), "1.234,25");
        assert!(excel_date("2026-02-30").is_none());
        assert!(excel_date("morgen").is_none());
    }
}
