//! Assessments as CSV, the way German spreadsheet programs read and write it.
//!
//! [`export_csv`] writes UTF-8 with a byte order mark (so that Excel recognises the
//! encoding), `;` as separator, dates as `DD.MM.YYYY` and the status as its German label.
//! Text that would start like a formula (`=`, `+`, `-`, `@`) gets a leading `'` so that
//! opening the file cannot run a formula; [`import_csv`] removes it again.
//!
//! [`import_csv`] accepts `;`, `,` or tab as separator (recognised from the header line),
//! dates as `DD.MM.YYYY` or `YYYY-MM-DD`, and the status as German label or English word
//! (see [`AnswerStatus::parse`](verbund_domain::assessment::AnswerStatus::parse)). It
//! never panics, whatever the bytes.

use verbund_domain::assessment::ExportRow;

use crate::assessment_import::{COLUMNS, Cell, TableReader, escape_formula, format_date_de};
pub use crate::assessment_import::{ImportError, ImportedAnswer, RowError};

pub(crate) const BOM: &str = "\u{FEFF}";

/// The rows as CSV: byte order mark, header `Kennung;URN;Thema;Anforderung;Priorität;
/// Status;Begründung;Verantwortlich;Fällig am;Kommentar`, one line per row, CRLF line
/// ends, fields quoted only where needed.
pub fn export_csv(rows: &[ExportRow]) -> String {
    let mut out = String::from(BOM);
    push_line(&mut out, COLUMNS.iter().map(|c| (*c).to_owned()));
    for r in rows {
        let a = &r.answer;
        let text = |t: &Option<String>| escape_formula(t.as_deref().unwrap_or_default());
        push_line(
            &mut out,
            [
                text(&r.ref_id),
                escape_formula(&r.urn),
                escape_formula(&r.topic),
                escape_formula(&r.requirement),
                text(&r.priority),
                a.status.label_de().to_owned(),
                text(&a.justification),
                text(&a.owner),
                a.due_on.map(format_date_de).unwrap_or_default(),
                text(&a.comment),
            ],
        );
    }
    out
}

pub(crate) fn push_line(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        if f.contains([';', ',', '"', '\n', '\r']) || f.starts_with(' ') || f.ends_with(' ') {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&f);
        }
    }
    out.push_str("\r\n");
}

/// Reads answers from CSV as written by [`export_csv`] (or edited in a spreadsheet
/// program). Columns are found by their header names; `URN` and `Status` are required.
///
/// Fails with [`ImportError::Empty`], [`ImportError::NotUtf8`] (e.g. saved in a legacy
/// code page), [`ImportError::MissingColumn`], [`ImportError::Csv`] for a structure the
/// reader cannot follow, or [`ImportError::Rows`] listing up to 50 invalid cells, each
/// with line and column, e.g. `Zeile 7, Spalte Status: unbekannter Wert „vielleicht“
/// (erwartet: ja, teilweise, nein, entbehrlich, offen)`.
pub fn import_csv(bytes: &[u8]) -> Result<Vec<ImportedAnswer>, ImportError> {
    let mut table = TableReader::default();
    read_csv(bytes, &mut |line, cells| {
        table.row(line, cells)?;
        Ok(table.is_full())
    })?;
    table.finish()
}

/// Reads CSV rows (UTF-8, optional byte order mark, separator recognised from the first
/// line) into `sink` with their line numbers; `sink` returns `true` to stop early. Fails
/// like [`import_csv`] for the file as a whole, or with what `sink` fails with.
pub(crate) fn read_csv(
    bytes: &[u8],
    sink: &mut crate::assessment_import::RowSink<'_>,
) -> Result<(), ImportError> {
    let body = bytes.strip_prefix(BOM.as_bytes()).unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|e| ImportError::NotUtf8 {
        offset: e.valid_up_to() + (bytes.len() - body.len()),
    })?;
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut lines = Lines::new(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Csv {
            line: e
                .position()
                .map_or(0, |p| lines.line_at(usize_of(p.byte()))),
            message: e.to_string(),
        })?;
        let line = lines.line_at(record.position().map_or(0, |p| usize_of(p.byte())));
        let cells: Vec<Cell> = record.iter().map(|f| Cell::Text(f.to_owned())).collect();
        if sink(line, &cells)? {
            break;
        }
    }
    Ok(())
}

fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Line numbers from byte offsets. The CSV reader's own line count is one short after a
/// header and ignores the blank lines it skips, so lines are counted here instead.
struct Lines<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a [u8]) -> Self {
        Lines {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the record the reader reports at `offset`; offsets only grow. Blank
    /// lines the reader skipped before the record are stepped over.
    fn line_at(&mut self, offset: usize) -> usize {
        let mut start = offset.clamp(self.offset, self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let skipped = self.text.get(self.offset..start).unwrap_or_default();
        self.line += skipped.iter().filter(|&&b| b == b'\n').count();
        self.offset = start;
        self.line
    }
}

/// The separator of the header line: whichever of `;`, `,` and tab occurs most often
/// outside quotes (`;` on a tie, as German Excel writes it).
fn separator(text: &str) -> u8 {
    let (mut semicolons, mut commas, mut tabs) = (0, 0, 0);
    let mut quoted = false;
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > semicolons && tabs > commas {
        b'\t'
    } else if commas > semicolons {
        b','
    } else {
        b';'
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_is_taken_from_the_header_line() {
        assert_eq!(separator("URN;Status\r\na,b;ja"), b';');
        assert_eq!(separator("URN,Status\na;b,ja"), b',');
        assert_eq!(separator("\"a;b\",URN,Status\n"), b',');
        assert_eq!(separator("URN\tStatus\n"), b'\t');
        assert_eq!(separator("URN\n"), b';');
    }
}
