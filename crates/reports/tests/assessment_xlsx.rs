//! The assessment workbook: its layout, read back with calamine, and the round trip through
//! the formats crate's XLSX import, including the import's error messages.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use time::macros::date;
use verbund_domain::assessment::{Answer, AnswerStatus, ExportRow};
use verbund_formats::assessment_xlsx::{ImportError, import_xlsx};
use verbund_reports::assessment_xlsx;

const HEADERS: [&str; 10] = [
    "Kennung",
    "URN",
    "Thema",
    "Anforderung",
    "Priorität",
    "Status",
    "Begründung",
    "Verantwortlich",
    "Fällig am",
    "Kommentar",
];

fn rows() -> Vec<ExportRow> {
    let answers = [
        Answer::default(),
        Answer {
            status: AnswerStatus::Yes,
            owner: Some("Hauptamt".into()),
            due_on: Some(date!(2027 - 03 - 31)),
            ..Answer::default()
        },
        Answer {
            status: AnswerStatus::Partial,
            justification: Some("Nur im Rathaus,\nnicht im Bauhof".into()),
            comment: Some("=SUMME(A1)".into()),
            ..Answer::default()
        },
        Answer {
            status: AnswerStatus::No,
            due_on: Some(date!(1850 - 01 - 01)),
            ..Answer::default()
        },
        Answer {
            status: AnswerStatus::NotApplicable,
            justification: Some("Kein eigener Serverraum".into()),
            owner: Some("Frau Müller".into()),
            due_on: Some(date!(2026 - 12 - 01)),
            comment: Some("geprüft 2026".into()),
        },
    ];
    (1..)
        .zip(answers)
        .map(|(n, answer)| ExportRow {
            urn: format!("urn:verbund:risk:req_node:verbund-grundschutz-start:vs.bak.{n}"),
            ref_id: Some(format!("VS.BAK.{n}")),
            topic: "Datensicherung".into(),
            requirement: format!("Wird gesichert ({n})?"),
            priority: (n % 2 == 1).then(|| "P1".to_owned()),
            answer,
        })
        .collect()
}

fn export(rows: &[ExportRow]) -> Vec<u8> {
    assessment_xlsx("Grundschutz-Start 2026", "Stadt Raunheim", rows).expect("writes")
}

/// A workbook whose first sheet holds `cells` (rows of text; "" stays blank).
fn workbook(sheet: &str, cells: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).expect("valid name");
    for (r, row) in (0u32..).zip(cells) {
        for (c, text) in (0u16..).zip(row.iter()) {
            if !text.is_empty() {
                ws.write_string(r, c, *text).expect("writes");
            }
        }
    }
    wb.save_to_buffer().expect("saves")
}

fn messages(bytes: &[u8]) -> Vec<String> {
    match import_xlsx(bytes) {
        Err(ImportError::Rows(errors)) => errors.iter().map(ToString::to_string).collect(),
        other => panic!("expected row errors, got {other:?}"),
    }
}

#[test]
fn workbook_has_answer_and_hint_sheets_with_the_import_header() {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(export(&rows()))).expect("opens");

    assert_eq!(wb.sheet_names(), ["Bewertung", "Hinweise"]);
    let sheet = wb.worksheet_range("Bewertung").expect("sheet");
    let header: Vec<String> = sheet
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, HEADERS);
    let second = sheet.rows().nth(2).expect("row");
    assert_eq!(second[0], Data::String("VS.BAK.2".into()));
    assert_eq!(second[5], Data::String("ja".into()));
    assert!(matches!(second[8], Data::DateTime(_)), "{:?}", second[8]);
    let hints = wb.worksheet_range("Hinweise").expect("sheet");
    assert_eq!(
        hints.get((0, 0)),
        Some(&Data::String("Grundschutz-Start 2026".into()))
    );
    assert_eq!(
        hints.get((1, 0)),
        Some(&Data::String("Mitglied: Stadt Raunheim".into()))
    );
}

#[test]
fn exported_workbook_imports_to_the_same_answers() {
    let rows = rows();

    let imported = import_xlsx(&export(&rows)).expect("imports");

    assert_eq!(imported.len(), rows.len());
    for ((i, r), line) in imported.iter().zip(&rows).zip(2..) {
        assert_eq!(i.line, line);
        assert_eq!(i.urn, r.urn);
        assert_eq!(i.answer, r.answer, "{}", r.urn);
    }
}

#[test]
fn empty_assessment_exports_and_imports_to_nothing() {
    assert_eq!(import_xlsx(&export(&[])), Ok(vec![]));
}

#[test]
fn columns_are_found_by_name_on_the_first_sheet_and_dates_may_be_text_or_serials() {
    let bytes = workbook(
        "Tabelle1",
        &[
            &["Status", "Fällig am", "URN", "Begründung"],
            &["Teilweise", "05.01.2027", "urn:x:1", ""],
            &["", "", "", ""],
            &["entbehrlich", "2027-01-05", "urn:x:2", "kein WLAN"],
        ],
    );

    let imported = import_xlsx(&bytes).expect("imports");

    let got: Vec<_> = imported
        .iter()
        .map(|i| (i.line, i.urn.as_str(), i.answer.status, i.answer.due_on))
        .collect();
    assert_eq!(
        got,
        [
            (
                2,
                "urn:x:1",
                AnswerStatus::Partial,
                Some(date!(2027 - 01 - 05))
            ),
            (
                4,
                "urn:x:2",
                AnswerStatus::NotApplicable,
                Some(date!(2027 - 01 - 05))
            ),
        ]
    );
}

#[test]
fn a_number_in_the_date_column_is_an_excel_serial_date() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_row(0, 0, ["URN", "Status", "Fällig am"])
        .expect("writes");
    ws.write_row(1, 0, ["urn:x:1", "nein"]).expect("writes");
    ws.write_number(1, 2, 46_477.0).expect("writes");
    let bytes = wb.save_to_buffer().expect("saves");

    let imported = import_xlsx(&bytes).expect("imports");

    assert_eq!(imported[0].answer.due_on, Some(date!(2027 - 03 - 31)));
}

#[test]
fn unknown_status_names_the_spreadsheet_row() {
    let ok: &[&str] = &["VS.1", "urn:x:1", "", "", "", "ja"];
    let bad: &[&str] = &["VS.7", "urn:x:7", "", "", "", "vielleicht"];
    let cells = [&HEADERS[..], ok, &[], &[], &[], &[], bad];

    assert_eq!(
        messages(&workbook("Bewertung", &cells)),
        [
            "Zeile 7, Spalte Status: unbekannter Wert „vielleicht“ (erwartet: ja, teilweise, nein, \
          entbehrlich, offen)"
        ]
    );
}

#[test]
fn bad_date_text_is_a_row_error() {
    let bytes = workbook(
        "Bewertung",
        &[
            &["URN", "Status", "Fällig am"],
            &["urn:x:1", "ja", "31.02.2027"],
        ],
    );
    assert_eq!(
        messages(&bytes),
        [
            "Zeile 2, Spalte Fällig am: ungültiges Datum „31.02.2027“ (erwartet: TT.MM.JJJJ oder \
          JJJJ-MM-TT)"
        ]
    );
}

#[test]
fn not_applicable_without_justification_is_a_row_error() {
    let mut rows = rows();
    rows[4].answer.justification = None;

    assert_eq!(
        messages(&export(&rows)),
        ["Zeile 6, Spalte Begründung: fehlt; „entbehrlich“ muss begründet werden"]
    );
}

#[test]
fn missing_urn_column_is_reported_with_the_header_row() {
    let bytes = workbook(
        "Bewertung",
        &[&[], &["Kennung", "Status"], &["VS.BAK.1", "ja"]],
    );
    assert_eq!(
        import_xlsx(&bytes).expect_err("fails").to_string(),
        "Zeile 2: Die Kopfzeile enthält keine Spalte „URN“. Bitte die exportierte Datei als \
         Vorlage verwenden und die Kopfzeile nicht ändern."
    );
}

#[test]
fn a_file_that_is_not_xlsx_is_rejected() {
    for bytes in [
        &b"URN;Status\nurn:x:1;ja\n"[..],
        b"",
        b"%PDF-1.7\n",
        b"PK\x03\x04garbage",
    ] {
        let e = import_xlsx(bytes).expect_err("fails");
        assert!(matches!(e, ImportError::NotXlsx { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "Die Datei ist keine lesbare Excel-Arbeitsmappe (.xlsx). Bitte die exportierte Datei \
             verwenden und als .xlsx speichern."
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn import_never_panics_on_a_damaged_workbook(
        edits in prop::collection::vec((0.0f64..1.0, any::<u8>()), 1..8),
        cut in proptest::option::of(0.0f64..1.0),
    ) {
        let mut bytes = export(&rows());
        for (at, value) in edits {
            let i = ((bytes.len() - 1) as f64 * at) as usize;
            bytes[i] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate((bytes.len() as f64 * cut) as usize);
        }
        let _ = import_xlsx(&bytes);
    }
}
