//! Assessment CSV: export format, round trip, error messages, and no panics on any input.

use proptest::prelude::*;
use time::macros::date;
use verbund_domain::assessment::{Answer, AnswerStatus, ExportRow};
use verbund_formats::assessment_csv::{ImportError, RowError, export_csv, import_csv};
use verbund_formats::assessment_import::{MAX_COLUMNS, MAX_ROWS};

const HEADER: &str =
    "Kennung;URN;Thema;Anforderung;Priorität;Status;Begründung;Verantwortlich;Fällig am;Kommentar";

fn row(n: u32, answer: Answer) -> ExportRow {
    ExportRow {
        urn: format!("urn:verbund:risk:req_node:verbund-grundschutz-start:vs.bak.{n}"),
        ref_id: Some(format!("VS.BAK.{n}")),
        topic: "Datensicherung".into(),
        requirement: format!("Frage {n}?"),
        priority: Some("P1".into()),
        answer,
    }
}

fn answers() -> Vec<Answer> {
    vec![
        Answer::default(),
        Answer {
            status: AnswerStatus::Yes,
            owner: Some("Hauptamt; IT".into()),
            due_on: Some(date!(2027 - 03 - 31)),
            ..Answer::default()
        },
        Answer {
            status: AnswerStatus::Partial,
            justification: Some("Nur \"Rathaus\",\nnicht Bauhof".into()),
            comment: Some("=SUMME(A1:A3)".into()),
            ..Answer::default()
        },
        Answer {
            status: AnswerStatus::No,
            comment: Some("-geplant 2027 @Kämmerei".into()),
            ..Answer::default()
        },
        Answer {
            status: AnswerStatus::NotApplicable,
            justification: Some("Kein eigener Serverraum; Betrieb bei ekom21".into()),
            owner: Some("Frau Müller".into()),
            due_on: Some(date!(2026 - 12 - 01)),
            comment: Some("'=schon escaped'".into()),
        },
    ]
}

/// Imports `csv`, expecting row errors.
fn row_errors(csv: &str) -> Vec<RowError> {
    match import_csv(csv.as_bytes()) {
        Err(ImportError::Rows(errors)) => errors,
        other => panic!("expected row errors, got {other:?}"),
    }
}

fn one_line(status: &str, justification: &str, due: &str) -> String {
    format!("{HEADER}\nVS.BAK.1;urn:x:1;T;A;P1;{status};{justification};;{due};\n")
}

#[test]
fn export_starts_with_bom_and_german_header() {
    let csv = export_csv(&[row(1, answers()[1].clone())]);

    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next(), Some(format!("\u{feff}{HEADER}").as_str()));
    assert_eq!(
        lines.next(),
        Some(
            "VS.BAK.1;urn:verbund:risk:req_node:verbund-grundschutz-start:vs.bak.1;Datensicherung;\
             Frage 1?;P1;ja;;\"Hauptamt; IT\";31.03.2027;"
        )
    );
    assert_eq!(lines.next(), Some(""));
}

#[test]
fn export_guards_formula_like_text() {
    let csv = export_csv(&[row(3, answers()[2].clone())]);
    assert!(csv.contains(";'=SUMME(A1:A3)\r\n"), "{csv}");
}

#[test]
fn export_then_import_gives_the_same_answers() {
    let rows: Vec<ExportRow> = (1..).zip(answers()).map(|(n, a)| row(n, a)).collect();

    let imported = import_csv(export_csv(&rows).as_bytes()).expect("imports");

    assert_eq!(imported.len(), rows.len());
    for (i, r) in imported.iter().zip(&rows) {
        assert_eq!(i.urn, r.urn);
        assert_eq!(i.answer, r.answer, "{}", r.urn);
    }
    // Line 4 holds a justification with a line break, so row 4 starts on line 5.
    let lines: Vec<usize> = imported.iter().map(|i| i.line).collect();
    assert_eq!(lines, [2, 3, 4, 6, 7]);
}

#[test]
fn import_accepts_commas_iso_dates_english_words_and_blank_lines() {
    let csv = "URN,Status,Due on,Comment,Justification\n\nurn:x:1,Yes,2027-03-31, gut ,\n,,,,\n\
               urn:x:2,n/a,,,kein WLAN\n";

    let imported = import_csv(csv.as_bytes()).expect("imports");

    assert_eq!(imported.len(), 2);
    assert_eq!(imported[0].line, 3);
    assert_eq!(imported[0].answer.status, AnswerStatus::Yes);
    assert_eq!(imported[0].answer.due_on, Some(date!(2027 - 03 - 31)));
    assert_eq!(imported[0].answer.comment.as_deref(), Some("gut"));
    assert_eq!(imported[1].line, 5);
    assert_eq!(imported[1].answer.status, AnswerStatus::NotApplicable);
    assert_eq!(
        imported[1].answer.justification.as_deref(),
        Some("kein WLAN")
    );
}

#[test]
fn header_only_gives_no_answers() {
    assert_eq!(import_csv(format!("{HEADER}\r\n").as_bytes()), Ok(vec![]));
}

#[test]
fn unknown_status_names_line_column_and_expected_values() {
    let errors = row_errors(&one_line("vielleicht", "", ""));
    assert_eq!(
        errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "Zeile 2, Spalte Status: unbekannter Wert „vielleicht“ (erwartet: ja, teilweise, nein, \
          entbehrlich, offen)"
        ]
    );
}

#[test]
fn bad_date_names_line_column_and_expected_format() {
    let errors = row_errors(&one_line("ja", "", "31.02.2027"));
    assert_eq!(
        errors[0].to_string(),
        "Zeile 2, Spalte Fällig am: ungültiges Datum „31.02.2027“ (erwartet: TT.MM.JJJJ oder \
         JJJJ-MM-TT)"
    );
}

#[test]
fn not_applicable_without_justification_is_a_row_error() {
    let errors = row_errors(&one_line("entbehrlich", " ", ""));
    assert_eq!(
        errors[0].to_string(),
        "Zeile 2, Spalte Begründung: fehlt; „entbehrlich“ muss begründet werden"
    );
}

#[test]
fn not_applicable_without_justification_column_names_the_field() {
    let errors = row_errors("URN;Status\nurn:x:1;entbehrlich\n");
    assert_eq!(
        errors[0].to_string(),
        "Zeile 2, Spalte Begründung: fehlt; „entbehrlich“ muss begründet werden"
    );
}

#[test]
fn too_long_owner_is_a_row_error() {
    let csv = format!(
        "URN;Status;Verantwortlich\nurn:x:1;ja;{}\n",
        "x".repeat(201)
    );
    assert_eq!(
        row_errors(&csv)[0].to_string(),
        "Zeile 2, Spalte Verantwortlich: zu lang (höchstens 200 Zeichen)"
    );
}

#[test]
fn missing_urn_and_duplicate_urn_are_row_errors() {
    let csv = "URN;Status\n;ja\nurn:x:1;ja\nurn:x:1;nein\n";
    let messages: Vec<String> = row_errors(csv).iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "Zeile 2, Spalte URN: Wert fehlt",
            "Zeile 4, Spalte URN: „urn:x:1“ steht bereits in Zeile 3",
        ]
    );
}

#[test]
fn every_error_of_a_row_and_of_the_file_is_reported() {
    let csv = format!(
        "{HEADER}\nA;urn:x:1;T;A;P1;vielleicht;;;morgen;\nB;urn:x:2;T;A;P1;ja;;;;\n\
         C;urn:x:3;T;A;P1;entbehrlich;;;;\n"
    );
    let lines: Vec<(usize, String)> = row_errors(&csv)
        .into_iter()
        .map(|e| (e.line, e.field))
        .collect();
    assert_eq!(
        lines,
        [
            (2, "Status".into()),
            (2, "Fällig am".into()),
            (4, "Begründung".into())
        ]
    );
}

#[test]
fn at_most_fifty_row_errors_are_collected() {
    let mut csv = String::from("URN;Status\n");
    for i in 0..80 {
        csv.push_str(&format!("urn:x:{i};vielleicht\n"));
    }
    let errors = row_errors(&csv);
    assert_eq!(errors.len(), 50);
    assert_eq!(errors[49].line, 51);
}

#[test]
fn missing_urn_column_is_a_structural_error() {
    let e = import_csv("Kennung;Status\nVS.BAK.1;ja\n".as_bytes()).expect_err("fails");
    assert_eq!(
        e.to_string(),
        "Zeile 1: Die Kopfzeile enthält keine Spalte „URN“. Bitte die exportierte Datei als \
         Vorlage verwenden und die Kopfzeile nicht ändern."
    );
}

#[test]
fn missing_status_column_is_a_structural_error() {
    let e = import_csv("\n\nURN;Antwortx\n".as_bytes()).expect_err("fails");
    assert_eq!(
        e,
        ImportError::MissingColumn {
            column: "Status".into(),
            line: 3
        }
    );
}

#[test]
fn legacy_code_page_is_rejected_with_a_hint() {
    let latin1 = b"URN;Status;Begr\xfcndung\n";
    let e = import_csv(latin1).expect_err("fails");
    assert_eq!(e, ImportError::NotUtf8 { offset: 15 });
    assert!(
        e.to_string()
            .contains("„CSV UTF-8 (durch Trennzeichen getrennt)“")
    );
}

#[test]
fn a_file_with_more_rows_than_allowed_is_refused() {
    let mut csv = String::from("URN;Status\n");
    for i in 0..MAX_ROWS {
        csv.push_str(&format!("urn:x:{i};ja\n"));
    }

    let err = import_csv(csv.as_bytes()).unwrap_err();

    assert_eq!(err, ImportError::TooManyRows { limit: MAX_ROWS });
    assert!(err.is_too_large());
}

#[test]
fn a_filled_field_right_of_the_column_limit_is_refused() {
    let csv = format!(
        "URN;Status\nurn:x:1;ja{}Notiz\n",
        ";".repeat(MAX_COLUMNS - 1)
    );

    let err = import_csv(csv.as_bytes()).unwrap_err();

    assert_eq!(
        err,
        ImportError::TooManyColumns {
            line: 2,
            limit: MAX_COLUMNS
        }
    );
    // Empty fields further right are fine (spreadsheet programs write them).
    let csv = format!("URN;Status\nurn:x:1;ja{}\n", ";".repeat(200));
    assert_eq!(import_csv(csv.as_bytes()).map(|a| a.len()), Ok(1));
}

#[test]
fn an_xlsx_file_is_not_csv() {
    let e = import_csv(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff").expect_err("fails");
    assert!(matches!(e, ImportError::NotUtf8 { .. }), "{e:?}");
}

#[test]
fn empty_input_is_empty() {
    assert_eq!(import_csv(b""), Err(ImportError::Empty));
    assert_eq!(import_csv(b"\xef\xbb\xbf \r\n"), Err(ImportError::Empty));
}

fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        ";",
        ",",
        "\t",
        "\"",
        "\n",
        "\r\n",
        "URN",
        "Status",
        "Fällig am",
        "Begründung",
        "ja",
        "entbehrlich",
        "vielleicht",
        "31.02.2027",
        "2027-03-31",
        "99.99.99999",
        "'=",
        "urn:x",
        "\u{feff}",
        "ä",
        "",
        " ",
    ])
}

proptest! {
    #[test]
    fn import_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = import_csv(&bytes);
    }

    #[test]
    fn import_never_panics_on_csv_like_text(tokens in prop::collection::vec(token(), 0..200)) {
        let text = format!("URN;Status;Fällig am;Begründung\n{}", tokens.concat());
        let _ = import_csv(text.as_bytes());
    }

    #[test]
    fn any_valid_answer_survives_the_round_trip(
        status in prop::sample::select(AnswerStatus::ALL.to_vec()),
        justification in "[a-zäöü;,\"'=+\\- \n]{1,40}",
        owner in proptest::option::of("[A-Za-z ;=@-]{0,30}"),
        comment in proptest::option::of("\\PC{0,60}"),
        day in 0i32..20_000,
    ) {
        let due = date!(2000 - 01 - 01) + time::Duration::days(i64::from(day));
        let answer = Answer {
            status,
            justification: Some(format!("x{justification}")),
            owner,
            due_on: Some(due),
            comment,
        };
        let Ok(answer) = answer.validated() else { return Ok(()) };

        let imported = import_csv(export_csv(&[row(1, answer.clone())]).as_bytes());

        prop_assert_eq!(imported.map(|mut v| v.remove(0).answer), Ok(answer));
    }
}
