//! The settlement of a crisis between the pact partners as an XLSX workbook: sheet
//! "Leistungen" with one row per accepted loan (hours and costs as numbers, `SUM` formulas
//! below) and sheet "Summen" with, per member, what it lent and what it received and the
//! balance (lent minus received costs).

use std::collections::BTreeMap;

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook};
use verbund_domain::costs::Cents;

use crate::ReportError;
use crate::format::euros_f64;

/// One accepted loan.
#[derive(Debug, Clone, PartialEq)]
pub struct SettlementLine {
    /// The help request in words (`#3: 8 × Arbeitsplatzrechner`).
    pub request: String,
    /// The borrowing member.
    pub borrower: String,
    /// The lending member.
    pub lender: String,
    /// The resource lent.
    pub resource: String,
    /// Hours worked (none recorded: empty, counted as 0).
    pub hours: Option<f64>,
    /// Costs in cents (none recorded: empty, counted as 0).
    pub cost_cents: Option<i64>,
    /// Notes.
    pub note: String,
}

/// The settlement of one crisis.
#[derive(Debug, Clone)]
pub struct SettlementReport<'a> {
    /// The federation.
    pub federation: String,
    /// The pact.
    pub pact: String,
    /// The crisis in words (member, services, declared, exercise or not).
    pub crisis: String,
    /// The day of the settlement.
    pub date: String,
    /// The accepted loans.
    pub lines: &'a [SettlementLine],
}

/// Per member: (hours lent, cents lent, hours received, cents received).
pub type MemberSums = BTreeMap<String, (f64, i64, f64, i64)>;

/// The sums per member (by name).
pub fn settlement_sums(lines: &[SettlementLine]) -> MemberSums {
    let mut out: MemberSums = BTreeMap::new();
    for l in lines {
        let (h, c) = (l.hours.unwrap_or(0.0), l.cost_cents.unwrap_or(0));
        let lender = out.entry(l.lender.clone()).or_default();
        lender.0 += h;
        lender.1 += c;
        let borrower = out.entry(l.borrower.clone()).or_default();
        borrower.2 += h;
        borrower.3 += c;
    }
    out
}

const HEADER: [&str; 8] = [
    "Nr.",
    "Hilfeersuchen",
    "Anfordernd",
    "Verleihend",
    "Ressource",
    "Stunden",
    "Kosten",
    "Notiz",
];
const SUM_HEADER: [&str; 6] = [
    "Mitglied",
    "Stunden verliehen",
    "Kosten verliehen (Forderung)",
    "Stunden erhalten",
    "Kosten erhalten (Schuld)",
    "Saldo",
];

/// The workbook. Fails with [`ReportError::Xlsx`] if it cannot be written.
pub fn pact_settlement_xlsx(r: &SettlementReport) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Abrechnung – {}", r.crisis))
            .set_author(&r.federation),
    );
    let head = crate::workbook::header_format();
    let text = Format::new().set_align(FormatAlign::Top).set_text_wrap();
    let euro = Format::new().set_num_format("#,##0.00 €");
    let euro_bold = euro.clone().set_bold();
    let hours = Format::new().set_num_format("0.0#");
    let hours_bold = hours.clone().set_bold();
    let bold = Format::new().set_bold();

    let ws = wb.add_worksheet().set_name("Leistungen")?;
    ws.write_with_format(0, 0, format!("Abrechnung: {}", r.crisis), &bold)?;
    ws.write_string(
        1,
        0,
        format!("{} · {} · Stand {}", r.pact, r.federation, r.date),
    )?;
    for (c, h) in (0u16..).zip(HEADER) {
        ws.write_string_with_format(3, c, h, &head)?;
    }
    for (c, w) in (0u16..).zip([5, 30, 22, 22, 30, 10, 14, 30]) {
        ws.set_column_width(c, w)?;
    }
    let first = 4u32;
    for (row, (i, l)) in (first..).zip(r.lines.iter().enumerate()) {
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string_with_format(row, 1, &l.request, &text)?;
        ws.write_string_with_format(row, 2, &l.borrower, &text)?;
        ws.write_string_with_format(row, 3, &l.lender, &text)?;
        ws.write_string_with_format(row, 4, &l.resource, &text)?;
        if let Some(h) = l.hours {
            ws.write_number_with_format(row, 5, h, &hours)?;
        }
        if let Some(c) = l.cost_cents {
            ws.write_number_with_format(row, 6, euros_f64(Cents(c)), &euro)?;
        }
        ws.write_string_with_format(row, 7, &l.note, &text)?;
    }
    let n = u32::try_from(r.lines.len()).unwrap_or(u32::MAX - first - 1);
    let sum_row = first + n;
    ws.write_string_with_format(sum_row, 1, "Summe", &bold)?;
    let total_hours: f64 = r.lines.iter().filter_map(|l| l.hours).sum();
    let total_cents: i64 = r.lines.iter().filter_map(|l| l.cost_cents).sum();
    if n > 0 {
        crate::workbook::write_sum(
            ws,
            sum_row,
            5,
            (first, sum_row - 1),
            format!("{total_hours}"),
            &hours_bold,
        )?;
        crate::workbook::write_sum(
            ws,
            sum_row,
            6,
            (first, sum_row - 1),
            format!("{:.2}", euros_f64(Cents(total_cents))),
            &euro_bold,
        )?;
    } else {
        ws.write_string(sum_row + 1, 1, "Keine zugesagten Leistungen.")?;
    }
    ws.set_freeze_panes(first, 0)?;

    let ws = wb.add_worksheet().set_name("Summen")?;
    ws.write_with_format(0, 0, format!("Summen je Mitglied: {}", r.crisis), &bold)?;
    for (c, h) in (0u16..).zip(SUM_HEADER) {
        ws.write_string_with_format(2, c, h, &head)?;
        ws.set_column_width(c, if c == 0 { 28 } else { 18 })?;
    }
    let sums = settlement_sums(r.lines);
    for (row, (name, (hl, cl, hr, cr))) in (3u32..).zip(sums.iter()) {
        ws.write_string(row, 0, name)?;
        ws.write_number_with_format(row, 1, *hl, &hours)?;
        ws.write_number_with_format(row, 2, euros_f64(Cents(*cl)), &euro)?;
        ws.write_number_with_format(row, 3, *hr, &hours)?;
        ws.write_number_with_format(row, 4, euros_f64(Cents(*cr)), &euro)?;
        ws.write_number_with_format(row, 5, euros_f64(Cents(cl - cr)), &euro)?;
    }
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(borrower: &str, lender: &str, h: Option<f64>, c: Option<i64>) -> SettlementLine {
        SettlementLine {
            request: "#1".into(),
            borrower: borrower.into(),
            lender: lender.into(),
            resource: "R".into(),
            hours: h,
            cost_cents: c,
            note: String::new(),
        }
    }

    #[test]
    fn sums_count_lent_and_received_per_member() {
        let s = settlement_sums(&[
            line("A", "B", Some(6.0), Some(48_000)),
            line("A", "C", Some(2.5), None),
            line("B", "C", None, Some(1_000)),
        ]);
        assert_eq!(s["A"], (0.0, 0, 8.5, 48_000));
        assert_eq!(s["B"], (6.0, 48_000, 0.0, 1_000));
        assert_eq!(s["C"], (2.5, 1_000, 0.0, 0));
    }
}
