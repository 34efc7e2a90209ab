//! A plain table as an XLSX workbook: one sheet, the first row a bold, frozen header with an
//! autofilter, every cell text (so short ids like `0012` keep their zeros). Used for the
//! structure-analysis inventory, whose rows the formats crate builds so that CSV and XLSX
//! carry the same columns.

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook};

use crate::ReportError;

/// The rows (`rows[0]` the header) as a workbook with one sheet named `sheet`; `title` goes
/// into the document properties.
///
/// Fails with [`ReportError::Xlsx`] if the workbook cannot be written (e.g. a text longer than
/// a spreadsheet cell allows).
pub fn table_xlsx(title: &str, sheet: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, ReportError> {
    let header = crate::workbook::header_format();
    let text = Format::new()
        .set_align(FormatAlign::Top)
        .set_num_format("@");
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_title(title));
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let columns = rows.first().map_or(0, Vec::len);
    for (r, row) in (0u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(row) {
            let format = if r == 0 { &header } else { &text };
            ws.write_string_with_format(r, c, cell, format)?;
        }
    }
    if columns > 0 {
        let last_col = u16::try_from(columns - 1).unwrap_or(u16::MAX);
        let last_row = u32::try_from(rows.len().saturating_sub(1)).unwrap_or(u32::MAX);
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, last_row.max(1), last_col)?;
        for c in 0..=last_col {
            ws.set_column_width(c, 18)?;
        }
    }
    Ok(wb.save_to_buffer()?)
}
