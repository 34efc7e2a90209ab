//! Assessments from XLSX workbooks, as exported by the reports crate and filled in by a
//! member in a spreadsheet program.
//!
//! Reads the sheet "Bewertung" (or the first sheet if there is none of that name) with
//! the same columns and rules as [`crate::assessment_csv::import_csv`]; line numbers in
//! errors are spreadsheet row numbers. Due dates may be date cells, Excel serial numbers
//! or text (`DD.MM.YYYY` or `YYYY-MM-DD`).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::assessment_import::{Cell, TableReader};
pub use crate::assessment_import::{ImportError, ImportedAnswer, RowError};

/// Name of the sheet that holds the answers.
pub const SHEET: &str = "Bewertung";

/// Reads answers from an XLSX workbook. Columns are found by their header names; `URN`
/// and `Status` are required.
///
/// Fails with [`ImportError::NotXlsx`] for anything that is not a readable XLSX file
/// (including old `.xls` files and empty input), [`ImportError::Empty`] for a workbook
/// without rows, [`ImportError::MissingColumn`], or [`ImportError::Rows`] listing up to
/// 50 invalid cells with their row number and column.
pub fn import_xlsx(bytes: &[u8]) -> Result<Vec<ImportedAnswer>, ImportError> {
    let not_xlsx = |reason: String| ImportError::NotXlsx { reason };
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| not_xlsx(e.to_string()))?;
    let names = workbook.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == SHEET)
        .or_else(|| names.first())
        .ok_or_else(|| not_xlsx("the workbook has no sheet".to_owned()))?
        .clone();
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| not_xlsx(e.to_string()))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let mut table = TableReader::default();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<Cell> = row.iter().map(cell).collect();
        table.row(first_row + i + 1, &cells)?;
        if table.is_full() {
            break;
        }
    }
    table.finish()
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "WAHR" } else { "FALSCH" }.to_owned()),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            let date = time::Month::try_from(m)
                .ok()
                .and_then(|m| time::Date::from_calendar_date(i32::from(y), m, d).ok())
                .filter(|_| dt.is_datetime() && dt.as_f64() >= 1.0);
            match date {
                Some(date) => Cell::Date(date),
                None => Cell::Text(dt.as_f64().to_string()),
            }
        }
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment_import::excel_serial_date;

    #[test]
    fn date_cells_become_dates_and_numbers_stay_numbers() {
        let dt =
            calamine::ExcelDateTime::new(46_477.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            cell(&Data::DateTime(dt)),
            Cell::Date(time::macros::date!(2027 - 03 - 31))
        );
        assert_eq!(cell(&Data::Int(3)), Cell::Number(3.0));
        assert_eq!(
            excel_serial_date(46_477.0),
            Some(time::macros::date!(2027 - 03 - 31))
        );
    }
}
