//! A member's assessment as an XLSX workbook to fill in offline and import again.
//!
//! Sheet "Bewertung" has the columns of the CSV export (`Kennung`, `URN`, `Thema`,
//! `Anforderung`, `Priorität`, `Status`, `Begründung`, `Verantwortlich`, `Fällig am`,
//! `Kommentar`); the import finds them by these header names, so the header must stay.
//! The columns a member fills in are white, the others grey. Sheet "Hinweise" explains
//! how to fill it in.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, Workbook, Worksheet, XlsxError,
};
use verbund_domain::assessment::{AnswerStatus, ExportRow};

use crate::ReportError;

/// Name of the sheet with the answers (the import looks for it).
pub const ASSESSMENT_SHEET: &str = "Bewertung";

/// The same columns the CSV export writes and the import reads.
const HEADERS: [&str; 10] = verbund_domain::assessment::EXPORT_COLUMNS;
const WIDTHS: [f64; 10] = [11.0, 8.0, 22.0, 60.0, 9.0, 13.0, 40.0, 20.0, 12.0, 40.0];
const STATUS_COL: u16 = 5;
const DUE_COL: u16 = 8;
const LAST_COL: u16 = 9;
/// Rows prepared with the status list even when the export has fewer rows.
const MIN_VALIDATED_ROWS: u32 = 1;

struct Styles {
    header: Format,
    fixed: Format,
    editable: Format,
    date: Format,
    title: Format,
    wrap: Format,
}

impl Styles {
    fn new() -> Styles {
        let grey = Color::RGB(0xF2F2F2);
        Styles {
            header: crate::workbook::header_format(),
            fixed: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(grey),
            editable: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format("DD.MM.YYYY")
                .set_align(FormatAlign::Top),
            title: Format::new().set_bold().set_font_size(14),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// The assessment as an XLSX workbook: sheet "Bewertung" (one row per requirement, header
/// row bold and frozen, autofilter, a drop-down list for the status, dates as
/// `DD.MM.YYYY`) and sheet "Hinweise" (how to fill it in). `title` and `member` appear on
/// "Hinweise" and in the document properties.
///
/// Fails with [`ReportError::Xlsx`] if the workbook cannot be written (e.g. a text longer
/// than a spreadsheet cell allows, 32,767 characters).
pub fn assessment_xlsx(
    title: &str,
    member: &str,
    rows: &[ExportRow],
) -> Result<Vec<u8>, ReportError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_subject(format!("Bewertung – {member}"))
            .set_company(member),
    );
    answers_sheet(wb.add_worksheet(), rows, &st)?;
    hints_sheet(wb.add_worksheet(), title, member, &st)?;
    Ok(wb.save_to_buffer()?)
}

fn answers_sheet(ws: &mut Worksheet, rows: &[ExportRow], st: &Styles) -> Result<(), XlsxError> {
    ws.set_name(ASSESSMENT_SHEET)?;
    for (col, h) in (0u16..).zip(HEADERS) {
        ws.write_string_with_format(0, col, h, &st.header)?;
    }
    let mut last = 0u32;
    for (row, r) in (1u32..).zip(rows) {
        last = row;
        let a = &r.answer;
        let fixed = [
            r.ref_id.as_deref().unwrap_or_default(),
            r.urn.as_str(),
            r.topic.as_str(),
            r.requirement.as_str(),
            r.priority.as_deref().unwrap_or_default(),
        ];
        for (col, text) in (0u16..).zip(fixed) {
            ws.write_string_with_format(row, col, text, &st.fixed)?;
        }
        ws.write_string_with_format(row, STATUS_COL, a.status.label_de(), &st.editable)?;
        let texts = [(6, &a.justification), (7, &a.owner), (9, &a.comment)];
        for (col, text) in texts {
            ws.write_string_with_format(
                row,
                col,
                text.as_deref().unwrap_or_default(),
                &st.editable,
            )?;
        }
        match a.due_on.map(|d| (d, excel_date(d))) {
            Some((_, Some(day))) => {
                ws.write_datetime_with_format(row, DUE_COL, &day, &st.date)?;
            }
            // Outside Excel's calendar (before 1900 or after 9999): keep it readable as text.
            Some((d, None)) => {
                let text = format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year());
                ws.write_string_with_format(row, DUE_COL, text, &st.date)?;
            }
            None => {
                ws.write_blank(row, DUE_COL, &st.date)?;
            }
        }
    }
    use AnswerStatus::{No, NotApplicable, Partial, Unanswered, Yes};
    let ordered = [Yes, Partial, No, NotApplicable, Unanswered].map(AnswerStatus::label_de);
    let status_list = DataValidation::new()
        .allow_list_strings(&ordered)?
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Ungültiger Status")?
        .set_error_message(
            "Bitte einen Wert aus der Liste wählen: ja, teilweise, nein, entbehrlich oder offen.",
        )?
        .set_input_title("Status")?
        .set_input_message("ja, teilweise, nein, entbehrlich (mit Begründung) oder offen")?;
    ws.add_data_validation(
        1,
        STATUS_COL,
        last.max(MIN_VALIDATED_ROWS),
        STATUS_COL,
        &status_list,
    )?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last, LAST_COL)?;
    ws.set_row_height(0, 30)?;
    for (col, width) in (0u16..).zip(WIDTHS) {
        ws.set_column_width(col, width)?;
    }
    Ok(())
}

/// The date as an Excel date, if Excel can represent it (1900-01-01 to 9999-12-31).
fn excel_date(d: time::Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year())
        .ok()
        .filter(|y| (1900..=9999).contains(y))?;
    ExcelDateTime::from_ymd(year, u8::from(d.month()), d.day()).ok()
}

const HINTS: [&str; 9] = [
    "So füllen Sie die Bewertung aus",
    "1. Beantworten Sie auf dem Blatt „Bewertung“ jede Anforderung in der Spalte „Status“ mit ja, teilweise, nein, entbehrlich oder offen (Auswahlliste).",
    "2. „entbehrlich“ bedeutet: Die Anforderung trifft auf Ihre Verwaltung nicht zu (z. B. kein eigener Serverraum). Dann ist eine Begründung Pflicht; ohne Begründung wird die Zeile nicht übernommen.",
    "3. Tragen Sie bei „teilweise“ oder „nein“ möglichst ein, wer sich darum kümmert („Verantwortlich“) und bis wann („Fällig am“, als Datum TT.MM.JJJJ).",
    "4. Ändern Sie die grau hinterlegten Spalten (Kennung, URN, Thema, Anforderung, Priorität) und die Kopfzeile nicht: Beim Hochladen werden die Zeilen über die URN zugeordnet.",
    "5. Sie dürfen Zeilen filtern, sortieren und Spalten breiter machen; leere Zeilen werden beim Hochladen übersprungen.",
    "6. Laden Sie die Datei anschließend im Verbund unter „Bewertung importieren“ wieder hoch. Fehler werden mit Zeile und Spalte gemeldet, damit Sie sie gezielt korrigieren können.",
    "Punkte: ja und begründet entbehrlich zählen voll, teilweise zur Hälfte, nein und offen nicht.",
    "Die Datei enthält Angaben zur Informationssicherheit Ihrer Verwaltung. Bitte nur an Berechtigte weitergeben.",
];

fn hints_sheet(
    ws: &mut Worksheet,
    title: &str,
    member: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("Hinweise")?;
    ws.write_string_with_format(0, 0, title, &st.title)?;
    ws.write_string(1, 0, format!("Mitglied: {member}"))?;
    ws.write_string_with_format(3, 0, HINTS[0], &st.header)?;
    for (row, text) in (4u32..).zip(&HINTS[1..]) {
        ws.write_string_with_format(row, 0, *text, &st.wrap)?;
        ws.set_row_height(row, 45)?;
    }
    ws.set_column_width(0, 100)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_the_import_columns() {
        assert_eq!(HEADERS[usize::from(STATUS_COL)], "Status");
        assert_eq!(HEADERS[usize::from(DUE_COL)], "Fällig am");
        assert_eq!(HEADERS.len(), usize::from(LAST_COL) + 1);
    }
}
