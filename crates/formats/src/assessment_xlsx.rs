//! Assessments from XLSX workbooks, as exported by the reports crate and filled in by a
//! member in a spreadsheet program.
//!
//! Reads the sheet "Bewertung" (or the first sheet if there is none of that name) with
//! the same columns and rules as [`crate::assessment_csv::import_csv`]; line numbers in
//! errors are spreadsheet row numbers. Due dates may be date cells, Excel serial numbers
//! or text (`DD.MM.YYYY` or `YYYY-MM-DD`).

use std::io::Cursor;

use calamine::{Data, DataRef, Reader, Xlsx};

use crate::archive::{ZipLimits, check_zip};
use crate::assessment_import::{Cell, TableReader, check_columns};
pub use crate::assessment_import::{ImportError, ImportedAnswer, MAX_COLUMNS, MAX_ROWS, RowError};

/// Name of the sheet that holds the answers.
pub const SHEET: &str = "Bewertung";

/// Reads answers from an XLSX workbook. Columns are found by their header names; `URN`
/// and `Status` are required.
///
/// The archive is checked against [`ZipLimits::OFFICE`] before it is opened, and the sheet
/// is read cell by cell (never as a whole), so a hostile file costs neither memory nor
/// time: at most [`MAX_ROWS`] rows and [`MAX_COLUMNS`] columns are read.
///
/// Fails with [`ImportError::Archive`] for a workbook that unpacks to more than the limits
/// allow, [`ImportError::NotXlsx`] for anything that is not a readable XLSX file
/// (including old `.xls` files and empty input), [`ImportError::TooManyRows`] or
/// [`ImportError::TooManyColumns`] for a sheet over the limits, [`ImportError::Empty`] for
/// a workbook without rows, [`ImportError::MissingColumn`], or [`ImportError::Rows`]
/// listing up to 50 invalid cells with their row number and column.
pub fn import_xlsx(bytes: &[u8]) -> Result<Vec<ImportedAnswer>, ImportError> {
    let mut table = TableReader::default();
    read_xlsx(bytes, SHEET, &mut |line, cells| {
        table.row(line, cells)?;
        Ok(table.is_full())
    })?;
    table.finish()
}

/// Reads the rows of sheet `sheet` (or the first sheet) into `sink` with their row numbers,
/// under the same limits as [`import_xlsx`]; `sink` returns `true` to stop early.
pub(crate) fn read_xlsx(
    bytes: &[u8],
    sheet: &str,
    sink: &mut crate::assessment_import::RowSink<'_>,
) -> Result<(), ImportError> {
    let not_xlsx = |reason: String| ImportError::NotXlsx { reason };
    match check_zip(bytes, &ZipLimits::OFFICE) {
        Ok(_) => {}
        Err(crate::archive::ArchiveError::NotZip { reason }) => return Err(not_xlsx(reason)),
        Err(e) => return Err(ImportError::Archive(e)),
    }
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| not_xlsx(e.to_string()))?;
    let names = workbook.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == sheet)
        .or_else(|| names.first())
        .ok_or_else(|| not_xlsx("the workbook has no sheet".to_owned()))?
        .clone();
    let mut reader = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| not_xlsx(e.to_string()))?;
    // Cells arrive row by row in the order of the sheet XML; one row is kept at a time.
    let mut row: Option<usize> = None;
    let mut cells: Vec<Cell> = Vec::new();
    while let Some(c) = reader.next_cell().map_err(|e| not_xlsx(e.to_string()))? {
        let (r, col) = c.get_position();
        let (line, col) = (r as usize + 1, col as usize);
        let value = cell_ref(c.get_value());
        check_columns(line, col, &value)?;
        if row != Some(line) {
            if let Some(previous) = row
                && sink(previous, &cells)?
            {
                return Ok(());
            }
            row = Some(line);
            cells.clear();
        }
        if col < MAX_COLUMNS {
            if cells.len() <= col {
                cells.resize(col + 1, Cell::Empty);
            }
            cells[col] = value;
        }
    }
    if let Some(last) = row {
        sink(last, &cells)?;
    }
    Ok(())
}

fn cell_ref(data: &DataRef<'_>) -> Cell {
    match data {
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        other => cell(&Data::from(other.clone())),
    }
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
