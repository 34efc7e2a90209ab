//! The statement as an XLSX workbook: "Übersicht", "Verteilung" and "Schlüssel".
//!
//! Amounts are numbers in euros (cents / 100) with the format `#,##0.00 €`; exact shares
//! are text fractions next to a rounded percentage. Totals are `SUM` formulas whose cached
//! results are the exact integer-cent totals, so a reader that does not recalculate (or a
//! test) sees the same figures as the statement.

mod distribution;

use rust_xlsxwriter::{
    DocProperties, Format, FormatAlign, Formula, Workbook, Worksheet, XlsxError,
};
use verbund_domain::OrgId;
use verbund_domain::costs::{Cents, StepRule};

use crate::format::{self, euros_f64};
use crate::{IssuedStatement, Letterhead, ReportError};

/// Cell formats shared by the sheets.
pub(crate) struct Styles {
    title: Format,
    bold: Format,
    header: Format,
    euro: Format,
    euro_bold: Format,
    euro_exact: Format,
    percent: Format,
    integer: Format,
    integer_bold: Format,
    cent: Format,
    wrap: Format,
}

const EURO: &str = "#,##0.00 €";

impl Styles {
    fn new() -> Styles {
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            header: header_format(),
            euro: Format::new().set_num_format(EURO),
            euro_bold: Format::new().set_num_format(EURO).set_bold(),
            euro_exact: Format::new().set_num_format("#,##0.000000 €"),
            percent: Format::new().set_num_format("0.0000 %"),
            integer: Format::new().set_num_format("#,##0"),
            integer_bold: Format::new().set_num_format("#,##0").set_bold(),
            cent: Format::new().set_num_format("0.0000"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// Writes a `SUM` over `col` in rows `first..=last` (0-based) with `cached` as its result.
pub(crate) fn write_sum(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    (first, last): (u32, u32),
    cached: String,
    format: &Format,
) -> Result<(), XlsxError> {
    let name = rust_xlsxwriter::utility::column_number_to_name(col);
    let formula = Formula::new(format!("=SUM({name}{}:{name}{})", first + 1, last + 1));
    ws.write_formula_with_format(row, col, formula.set_result(cached), format)?;
    Ok(())
}

/// Cents as the cached result of a formula, in euros: `"190000.00"`.
pub(crate) fn cached_euros(c: Cents) -> String {
    c.to_string()
}

/// Writes a header row.
/// The heading row of every workbook: bold, wrapped, top-aligned on a pale blue ground
/// with a thin line below.
pub(crate) fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(0xE8EEF4)
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin)
}

pub(crate) fn write_header(
    ws: &mut Worksheet,
    row: u32,
    headers: &[String],
    st: &Styles,
) -> Result<(), XlsxError> {
    for (col, h) in (0u16..).zip(headers) {
        ws.write_string_with_format(row, col, h, &st.header)?;
    }
    Ok(())
}

fn overview(
    ws: &mut Worksheet,
    s: &IssuedStatement,
    member: Option<OrgId>,
    lh: &Letterhead,
    st: &Styles,
) -> Result<(), XlsxError> {
    let doc = s.document;
    let y = doc.statement.year;
    ws.set_name("Übersicht")?;
    ws.write_string_with_format(
        0,
        0,
        format!("Kostenbeteiligung {y} – Interkommunale Informationssicherheit"),
        &st.title,
    )?;
    ws.write_string(1, 0, &lh.federation_name)?;
    ws.write_string(2, 0, &lh.office_name)?;
    ws.write_string(
        3,
        0,
        format!(
            "Abrechnung Nr. {} vom {}, erstellt von {}",
            s.id, s.issued_at, s.issued_by
        ),
    )?;
    ws.write_string(
        4,
        0,
        format!(
            "Finanzierungsschlüssel „{}“, Version {}",
            doc.key_name, doc.key_version
        ),
    )?;
    if let Some(bill) = member.and_then(|m| doc.statement.bill(m)) {
        ws.write_string_with_format(5, 0, format!("Auszug für {}", bill.name), &st.bold)?;
    }
    let mut row = 7;
    write_header(
        ws,
        row,
        &["Kostenart".into(), format!("Haushaltsansatz {y}")],
        st,
    )?;
    let first = row + 1;
    for (category, amount) in &doc.statement.budget_by_category {
        row += 1;
        ws.write_string(row, 0, format::category(*category))?;
        ws.write_number_with_format(row, 1, euros_f64(*amount), &st.euro)?;
    }
    row += 1;
    let budget_row = row;
    ws.write_string_with_format(row, 0, "Summe Haushalt", &st.bold)?;
    write_sum(
        ws,
        row,
        1,
        (first, row - 1),
        cached_euros(doc.statement.budget_total),
        &st.euro_bold,
    )?;

    row += 2;
    let headers = [
        "Förderung".into(),
        format!("Rate {y}"),
        "Rest danach".into(),
        "mindert die umzulegenden Kosten".into(),
    ];
    write_header(ws, row, &headers, st)?;
    let first = row + 1;
    for u in &doc.statement.subsidies {
        row += 1;
        ws.write_string(row, 0, &u.subsidy)?;
        ws.write_number_with_format(row, 1, euros_f64(u.instalment), &st.euro)?;
        ws.write_number_with_format(row, 2, euros_f64(u.remaining_after), &st.euro)?;
        ws.write_string(
            row,
            3,
            if u.reduces_shared_total {
                "ja"
            } else {
                "nein (Gutschrift an Mitglieder)"
            },
        )?;
    }
    if doc.statement.subsidies.is_empty() {
        row += 1;
        ws.write_string(row, 0, format!("keine Förderung in {y}"))?;
    }
    let last = row;
    let shared: i64 = doc
        .statement
        .subsidies
        .iter()
        .filter(|u| u.reduces_shared_total)
        .map(|u| u.instalment.get())
        .sum();

    row += 2;
    ws.write_string(row, 0, "Summe Haushalt")?;
    ws.write_formula_with_format(
        row,
        1,
        Formula::new(format!("=B{}", budget_row + 1))
            .set_result(cached_euros(doc.statement.budget_total)),
        &st.euro,
    )?;
    row += 1;
    ws.write_string(
        row,
        0,
        "abzüglich Förderungen, die die umzulegenden Kosten mindern",
    )?;
    let sumif = format!(
        "=SUMIF(D{a}:D{b},\"ja\",B{a}:B{b})",
        a = first + 1,
        b = last + 1
    );
    ws.write_formula_with_format(
        row,
        1,
        Formula::new(sumif).set_result(cached_euros(Cents(shared))),
        &st.euro,
    )?;
    row += 1;
    ws.write_string_with_format(row, 0, "Umzulegender Betrag", &st.bold)?;
    let diff = Formula::new(format!("=B{}-B{}", row - 1, row))
        .set_result(cached_euros(doc.statement.shared_total));
    ws.write_formula_with_format(row, 1, diff, &st.euro_bold)?;

    row += 2;
    let note = "Rundung: Jeder exakte Betrag (umzulegender Betrag × Anteil) wird auf volle Cent abgerundet. \
        Die Cent, die dann zum umzulegenden Betrag fehlen, erhalten die Mitglieder mit den größten \
        abgeschnittenen Resten, je einen Cent; bei gleichem Rest das Mitglied mit der kleineren Kennung \
        (Verfahren der größten Reste, Hare-Niemeyer). Siehe Blatt „Verteilung“.";
    ws.merge_range(row, 0, row, 3, note, &st.wrap)?;
    ws.set_row_height(row, 60)?;
    ws.set_column_width(0, 58)?;
    for col in 1..=3 {
        ws.set_column_width(col, 18)?;
    }
    Ok(())
}

fn rule_kind(r: &StepRule) -> &'static str {
    match r {
        StepRule::Split { .. } => "Aufteilung",
        StepRule::Equal { .. } => "gleiche Anteile",
        StepRule::ByMetric { .. } => "nach Kennzahl",
        StepRule::Manual => "feste Anteile",
    }
}

fn key_sheet(
    ws: &mut Worksheet,
    s: &IssuedStatement,
    member: Option<OrgId>,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Schlüssel")?;
    let headers = [
        "Schritt",
        "Art",
        "Regel",
        "Anteil am Gesamtbetrag (Bruch)",
        "Anteil am Gesamtbetrag",
        "Mitglied",
        "Wert",
        "Anteil am Schritt (Bruch)",
        "Anteil am Schritt",
        "Anteil am Gesamtbetrag über diesen Schritt (Bruch)",
        "Anteil am Gesamtbetrag über diesen Schritt",
    ];
    write_header(ws, 0, &headers.map(String::from), st)?;
    let mut row = 0;
    for step in &s.document.statement.allocation.steps {
        row += 1;
        ws.write_string_with_format(row, 0, format::path(&step.node), &st.bold)?;
        ws.write_string(row, 1, rule_kind(&step.rule))?;
        ws.write_string(row, 2, format::rule(&step.rule))?;
        ws.write_string(row, 3, step.share_of_total.fraction.to_string())?;
        ws.write_number_with_format(
            row,
            4,
            format::to_f64(step.share_of_total.fraction),
            &st.percent,
        )?;
        for m in step
            .members
            .iter()
            .filter(|m| member.is_none_or(|id| m.member == id))
        {
            row += 1;
            ws.write_string(row, 5, &m.name)?;
            if let Some(v) = m.value {
                ws.write_number_with_format(row, 6, v as f64, &st.integer)?;
            }
            ws.write_string(row, 7, m.share_of_node.fraction.to_string())?;
            ws.write_number_with_format(
                row,
                8,
                format::to_f64(m.share_of_node.fraction),
                &st.percent,
            )?;
            ws.write_string(row, 9, m.share_of_total.fraction.to_string())?;
            ws.write_number_with_format(
                row,
                10,
                format::to_f64(m.share_of_total.fraction),
                &st.percent,
            )?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_row_height(0, 45)?;
    for (col, width) in (0u16..).zip([
        34.0, 15.0, 40.0, 16.0, 12.0, 26.0, 10.0, 16.0, 12.0, 20.0, 14.0,
    ]) {
        ws.set_column_width(col, width)?;
    }
    Ok(())
}

/// Builds the workbook; see [`crate::statement_xlsx`].
pub(crate) fn statement_xlsx(
    s: &IssuedStatement,
    member: Option<OrgId>,
    lh: &Letterhead,
) -> Result<Vec<u8>, ReportError> {
    if let Some(m) = member
        && (s.document.statement.bill(m).is_none()
            || s.document.statement.allocation.member(m).is_none())
    {
        return Err(ReportError::MemberNotInStatement { member: m });
    }
    let st = Styles::new();
    let mut wb = Workbook::new();
    let year = s.document.statement.year;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Kostenbeteiligung {year} – Interkommunale Informationssicherheit"
            ))
            .set_author(&lh.office_name)
            .set_company(&lh.federation_name),
    );
    overview(wb.add_worksheet(), s, member, lh, &st)?;
    distribution::sheet(wb.add_worksheet(), s, member, &st)?;
    key_sheet(wb.add_worksheet(), s, member, &st)?;
    Ok(wb.save_to_buffer()?)
}
