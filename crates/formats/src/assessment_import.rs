//! What the CSV and XLSX assessment imports share: the columns, the result and error
//! types, and the reading of one table row into an [`Answer`].
//!
//! The table is the one [`crate::assessment_csv::export_csv`] and the reports crate's
//! workbook write: a header row naming the columns (in any order; unknown columns are
//! ignored), then one row per requirement. Only `URN` and `Status` are required; a
//! missing optional column leaves that part of every answer empty. Rows whose cells are
//! all blank are skipped. Every row error is collected (up to [`MAX_ROW_ERRORS`]) so that
//! a member can fix the whole file at once.

use std::collections::HashMap;

use thiserror::Error;
use time::Date;
use verbund_domain::assessment::{Answer, AnswerStatus, MAX_OWNER_CHARS, MAX_TEXT_CHARS};

/// The columns of an exported assessment, in export order (one list, in the domain).
pub use verbund_domain::assessment::EXPORT_COLUMNS as COLUMNS;

/// At most this many row errors are collected; reading stops after the last one.
pub const MAX_ROW_ERRORS: usize = 50;

/// A table may have at most this many rows (blank ones included); an assessment of the
/// whole BSI IT-Grundschutz compendium has about 1,700.
pub const MAX_ROWS: usize = 50_000;

/// A table may use at most this many columns (an export has 10); cells further right must
/// be blank.
pub const MAX_COLUMNS: usize = 64;

/// One answer read from a table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedAnswer {
    /// The row's line (CSV: line in the file; XLSX: spreadsheet row number), from 1.
    pub line: usize,
    /// The requirement's URN as written in the row (trimmed).
    pub urn: String,
    /// The answer, already passed through [`Answer::validated`].
    pub answer: Answer,
}

/// A problem with one cell of one row.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("Zeile {line}, Spalte {field}: {message}")]
pub struct RowError {
    /// The row's line (CSV: line in the file; XLSX: spreadsheet row number), from 1.
    pub line: usize,
    /// The column as named in the file's header, e.g. `Status`.
    pub field: String,
    /// What is wrong, in German, e.g. `unbekannter Wert „vielleicht“ (...)`.
    pub message: String,
}

/// Why an assessment file cannot be imported. Messages are German and meant for the
/// member who uploaded the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    /// The file is empty or holds only whitespace.
    #[error("Die Datei ist leer.")]
    Empty,
    /// The CSV file is not UTF-8 text (e.g. saved as "CSV (Trennzeichen-getrennt)" in a
    /// legacy code page, or not a text file at all).
    #[error(
        "Die Datei ist keine UTF-8-Textdatei (ungültiges Byte an Position {offset}). Bitte in \
         Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“ speichern."
    )]
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The workbook is an archive that unpacks to more than the upload limits allow (see
    /// [`crate::archive::ZipLimits::OFFICE`]).
    #[error("{0}")]
    Archive(crate::archive::ArchiveError),
    /// The table has more than [`MAX_ROWS`] rows.
    #[error(
        "Die Tabelle hat mehr als {} Zeilen (Grenze für Importe).",
        crate::archive::thousands(*.limit as u64)
    )]
    TooManyRows {
        /// The limit.
        limit: usize,
    },
    /// A row has a non-blank cell right of column [`MAX_COLUMNS`].
    #[error(
        "Zeile {line}: Die Tabelle nutzt mehr als {limit} Spalten (Grenze für Importe); \
         rechts davon müssen die Zellen leer sein."
    )]
    TooManyColumns {
        /// The row's line (CSV) or row number (XLSX).
        line: usize,
        /// The limit.
        limit: usize,
    },
    /// The bytes are not a readable XLSX workbook.
    #[error(
        "Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx). Bitte die exportierte Datei \
         verwenden und als .xlsx speichern."
    )]
    NotXlsx {
        /// The reader's own explanation, for logs.
        reason: String,
    },
    /// The header row lacks a required column.
    #[error(
        "Zeile {line}: Die Kopfzeile enthält keine Spalte „{column}“. Bitte die exportierte \
         Datei als Vorlage verwenden und die Kopfzeile nicht ändern."
    )]
    MissingColumn {
        /// The missing column, e.g. `URN`.
        column: String,
        /// Line of the header row.
        line: usize,
    },
    /// The CSV structure itself is broken where the reader cannot go on.
    #[error("Zeile {line}: {message}")]
    Csv {
        /// Line where reading stopped.
        line: usize,
        /// The reader's explanation.
        message: String,
    },
    /// One or more rows have invalid cells (at most [`MAX_ROW_ERRORS`]).
    #[error("{}", rows_message(.0))]
    Rows(Vec<RowError>),
}

impl ImportError {
    /// Whether the file was refused for its size (more rows, columns or unpacked bytes
    /// than allowed) rather than its content; the web layer answers 413 then.
    pub fn is_too_large(&self) -> bool {
        match self {
            Self::Archive(e) => e.is_too_large(),
            Self::TooManyRows { .. } | Self::TooManyColumns { .. } => true,
            _ => false,
        }
    }
}

fn rows_message(errors: &[RowError]) -> String {
    let mut lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    if errors.len() >= MAX_ROW_ERRORS {
        lines.push(format!(
            "(Nach {MAX_ROW_ERRORS} Fehlern wurde die Prüfung abgebrochen.)"
        ));
    }
    lines.join("\n")
}

/// Receives each table row (line or row number, cells) from the CSV and XLSX readers; returns
/// `true` to stop reading.
pub(crate) type RowSink<'a> = dyn FnMut(usize, &[Cell]) -> Result<bool, ImportError> + 'a;

/// One cell as the table readers hand it over.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Blank.
    Empty,
    /// Text (CSV fields are always text).
    Text(String),
    /// A number from a spreadsheet; in the date column an Excel serial date.
    Number(f64),
    /// A date from a spreadsheet cell formatted as date.
    Date(Date),
}

impl Cell {
    /// The cell as text, trimmed; numbers without a trailing `.0`, dates as DD.MM.YYYY.
    pub(crate) fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => format_date_de(*d),
        }
    }
}

/// A date as `DD.MM.YYYY`.
pub(crate) fn format_date_de(d: Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Parses `DD.MM.YYYY` (also with one-digit day or month) or `YYYY-MM-DD` (optionally
/// followed by a time, as spreadsheet ISO dates are).
pub(crate) fn parse_date_text(text: &str) -> Option<Date> {
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, m, d) = if let Some((day, rest)) = text.split_once('.') {
        let (month, year) = rest.split_once('.')?;
        (year.len() == 4).then_some(())?;
        (num(year)?, num(month)?, num(day)?)
    } else {
        let date = text.split_once(['T', ' ']).map_or(text, |(d, _)| d);
        let mut parts = date.split('-');
        let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
        (parts.next().is_none() && year.len() == 4).then_some(())?;
        (num(year)?, num(month)?, num(day)?)
    };
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()
}

/// An Excel serial date (1900 date system) as a date; `None` outside 1900-03-01 ..
/// 9999-12-31 or for a fraction of a day only.
pub(crate) fn excel_serial_date(serial: f64) -> Option<Date> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Serial 61 is 1900-03-01; below it Excel counts a 29 February 1900 that never was.
    let epoch = Date::from_calendar_date(1899, time::Month::December, 30).ok()?;
    epoch.checked_add(time::Duration::days(serial.floor() as i64))
}

/// Where the columns are, found by their header names.
#[derive(Debug, Clone, Copy)]
struct Columns {
    urn: usize,
    status: usize,
    justification: Option<usize>,
    owner: Option<usize>,
    due_on: Option<usize>,
    comment: Option<usize>,
}

/// Reads table rows one by one: the first non-blank row is the header, the rest answers.
#[derive(Debug, Default)]
pub(crate) struct TableReader {
    columns: Option<Columns>,
    names: Vec<String>,
    answers: Vec<ImportedAnswer>,
    errors: Vec<RowError>,
    seen: HashMap<String, usize>,
    rows: usize,
}

/// Refuses a row with a non-blank cell at or right of column index [`MAX_COLUMNS`].
pub(crate) fn check_columns(line: usize, column: usize, cell: &Cell) -> Result<(), ImportError> {
    if column >= MAX_COLUMNS && !cell.text().is_empty() {
        Err(ImportError::TooManyColumns {
            line,
            limit: MAX_COLUMNS,
        })
    } else {
        Ok(())
    }
}

fn find(headers: &[String], aliases: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        let h = h.trim().to_lowercase();
        aliases.contains(&h.as_str())
    })
}

fn is_blank(cells: &[Cell]) -> bool {
    cells.iter().all(|c| c.text().is_empty())
}

impl TableReader {
    /// Whether enough errors were collected to stop reading.
    pub(crate) fn is_full(&self) -> bool {
        self.errors.len() >= MAX_ROW_ERRORS
    }

    /// Takes the next row; `line` is its line or row number (from 1).
    ///
    /// Fails with [`ImportError::MissingColumn`] when the header lacks `URN` or `Status`,
    /// [`ImportError::TooManyRows`] for the row after [`MAX_ROWS`] and
    /// [`ImportError::TooManyColumns`] for a non-blank cell right of [`MAX_COLUMNS`].
    pub(crate) fn row(&mut self, line: usize, cells: &[Cell]) -> Result<(), ImportError> {
        self.rows += 1;
        if self.rows > MAX_ROWS {
            return Err(ImportError::TooManyRows { limit: MAX_ROWS });
        }
        for (column, cell) in cells.iter().enumerate().skip(MAX_COLUMNS) {
            check_columns(line, column, cell)?;
        }
        if is_blank(cells) || self.is_full() {
            return Ok(());
        }
        match self.columns {
            None => self.header(line, cells),
            Some(columns) => {
                self.answer(line, cells, columns);
                Ok(())
            }
        }
    }

    fn header(&mut self, line: usize, cells: &[Cell]) -> Result<(), ImportError> {
        let names: Vec<String> = cells.iter().map(Cell::text).collect();
        let missing = |column: &str| ImportError::MissingColumn {
            column: column.to_owned(),
            line,
        };
        self.columns = Some(Columns {
            urn: find(&names, &["urn"]).ok_or_else(|| missing("URN"))?,
            status: find(&names, &["status", "antwort"]).ok_or_else(|| missing("Status"))?,
            justification: find(&names, &["begründung", "justification"]),
            owner: find(&names, &["verantwortlich", "owner"]),
            due_on: find(
                &names,
                &["fällig am", "fällig", "due on", "due_on", "due date"],
            ),
            comment: find(&names, &["kommentar", "comment"]),
        });
        self.names = names;
        Ok(())
    }

    fn error(&mut self, line: usize, column: usize, message: String) {
        if !self.is_full() {
            let field = self.names.get(column).cloned().unwrap_or_default();
            self.errors.push(RowError {
                line,
                field,
                message,
            });
        }
    }

    fn answer(&mut self, line: usize, cells: &[Cell], c: Columns) {
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).unwrap_or(&Cell::Empty);
        let text = |i: Option<usize>| Some(unescape(cell(i).text())).filter(|t| !t.is_empty());
        let before = self.errors.len();

        let urn = cell(Some(c.urn)).text();
        if urn.is_empty() {
            self.error(line, c.urn, "Wert fehlt".to_owned());
        } else if let Some(first) = self.seen.get(&urn) {
            let message = format!("„{urn}“ steht bereits in Zeile {first}");
            self.error(line, c.urn, message);
        }
        let raw_status = cell(Some(c.status)).text();
        let status = AnswerStatus::parse(&raw_status).unwrap_or_else(|| {
            let message = format!(
                "unbekannter Wert „{raw_status}“ (erwartet: ja, teilweise, nein, entbehrlich, \
                 offen)"
            );
            self.error(line, c.status, message);
            AnswerStatus::Unanswered
        });
        let due_on = match cell(c.due_on) {
            Cell::Empty => None,
            Cell::Date(d) => Some(*d),
            Cell::Number(n) => excel_serial_date(*n),
            Cell::Text(t) if t.trim().is_empty() => None,
            Cell::Text(t) => parse_date_text(t.trim()),
        };
        let raw_due = cell(c.due_on).text();
        if due_on.is_none() && !raw_due.is_empty() {
            let message =
                format!("ungültiges Datum „{raw_due}“ (erwartet: TT.MM.JJJJ oder JJJJ-MM-TT)");
            self.error(line, c.due_on.unwrap_or_default(), message);
        }
        let answer = Answer {
            status,
            justification: text(c.justification),
            owner: text(c.owner),
            due_on,
            comment: text(c.comment),
        };
        let answer = match answer.validated() {
            Ok(a) => Some(a),
            Err(e) => {
                for f in e.0 {
                    let (column, max) = match f.field.as_str() {
                        "owner" => (c.owner, MAX_OWNER_CHARS),
                        "comment" => (c.comment, MAX_TEXT_CHARS),
                        _ => (c.justification, MAX_TEXT_CHARS),
                    };
                    let message = match f.code.as_str() {
                        "error-justification-required" => {
                            "fehlt; „entbehrlich“ muss begründet werden".to_owned()
                        }
                        "error-too-long" => format!("zu lang (höchstens {max} Zeichen)"),
                        "error-text-characters" => "enthält Steuer- oder \
                                                    Textrichtungszeichen, die nicht erlaubt sind"
                            .to_owned(),
                        other => other.to_owned(),
                    };
                    match column {
                        Some(col) => self.error(line, col, message),
                        // No such column: name the field by its German column title.
                        None => self.named_error(line, f.field.as_str(), message),
                    }
                }
                None
            }
        };
        if let Some(answer) = answer.filter(|_| self.errors.len() == before) {
            self.seen.insert(urn.clone(), line);
            self.answers.push(ImportedAnswer { line, urn, answer });
        } else if !urn.is_empty() {
            self.seen.entry(urn).or_insert(line);
        }
    }

    fn named_error(&mut self, line: usize, field: &str, message: String) {
        if !self.is_full() {
            let field = match field {
                "justification" => "Begründung",
                "owner" => "Verantwortlich",
                "comment" => "Kommentar",
                other => other,
            };
            self.errors.push(RowError {
                line,
                field: field.to_owned(),
                message,
            });
        }
    }

    /// The answers, or every row error collected. A file without any row (not even a
    /// header) is [`ImportError::Empty`].
    pub(crate) fn finish(self) -> Result<Vec<ImportedAnswer>, ImportError> {
        if self.columns.is_none() {
            Err(ImportError::Empty)
        } else if self.errors.is_empty() {
            Ok(self.answers)
        } else {
            Err(ImportError::Rows(self.errors))
        }
    }
}

/// Characters that make spreadsheet programs treat a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Guards text against formula injection when a CSV file is opened in a spreadsheet
/// program: text starting like a formula gets a leading `'`, which [`unescape`] removes.
pub(crate) fn escape_formula(text: &str) -> String {
    if text.starts_with(FORMULA_START) || text.starts_with('\'') && starts_escaped(text) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn starts_escaped(text: &str) -> bool {
    text.strip_prefix('\'')
        .is_some_and(|rest| rest.starts_with(FORMULA_START) || rest.starts_with('\''))
}

/// Removes the `'` that [`escape_formula`] put in front of formula-like text.
pub(crate) fn unescape(text: String) -> String {
    if starts_escaped(&text) {
        text[1..].to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests;
