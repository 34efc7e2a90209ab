use time::macros::date;

use super::*;

#[test]
fn dates_parse_in_german_and_iso_form() {
    assert_eq!(parse_date_text("31.03.2027"), Some(date!(2027 - 03 - 31)));
    assert_eq!(parse_date_text("1.2.2027"), Some(date!(2027 - 02 - 01)));
    assert_eq!(parse_date_text("2027-03-31"), Some(date!(2027 - 03 - 31)));
    assert_eq!(
        parse_date_text("2027-03-31T00:00:00"),
        Some(date!(2027 - 03 - 31))
    );
    assert_eq!(
        parse_date_text("2027-03-31 00:00:00"),
        Some(date!(2027 - 03 - 31))
    );
}

#[test]
fn impossible_or_ambiguous_dates_are_rejected() {
    for bad in [
        "31.02.2027",
        "31.03.27",
        "2027/03/31",
        "03.31.2027",
        "morgen",
        "2027-03",
        "..",
        "1.2.3.2027",
        "+1.2.2027",
        "2027-03-31-1",
        "00.01.2027",
        "99999.1.2027",
    ] {
        assert_eq!(parse_date_text(bad), None, "{bad}");
    }
}

#[test]
fn excel_serials_count_days_from_1899_12_30() {
    assert_eq!(excel_serial_date(46_477.0), Some(date!(2027 - 03 - 31)));
    assert_eq!(excel_serial_date(46_477.75), Some(date!(2027 - 03 - 31)));
    assert_eq!(excel_serial_date(61.0), Some(date!(1900 - 03 - 01)));
    assert_eq!(excel_serial_date(60.0), None);
    assert_eq!(excel_serial_date(-1.0), None);
    assert_eq!(excel_serial_date(f64::NAN), None);
    assert_eq!(excel_serial_date(f64::INFINITY), None);
}

#[test]
fn german_date_format_has_leading_zeros() {
    assert_eq!(format_date_de(date!(2027 - 03 - 05)), "05.03.2027");
}

#[test]
fn formula_like_text_is_escaped_and_restored() {
    for text in [
        "=SUMME(A1)",
        "+49 6152",
        "-Punkt",
        "@home",
        "'=x",
        "''",
        "'x",
        "normal",
        "",
    ] {
        assert_eq!(unescape(escape_formula(text)), text, "{text}");
    }
    assert_eq!(escape_formula("=1+1"), "'=1+1");
    assert_eq!(escape_formula("'x"), "'x");
}

#[test]
fn a_row_error_names_line_and_column() {
    let e = RowError {
        line: 7,
        field: "Status".into(),
        message: "unbekannter Wert „vielleicht“".into(),
    };
    assert_eq!(
        e.to_string(),
        "Zeile 7, Spalte Status: unbekannter Wert „vielleicht“"
    );
}

#[test]
fn many_row_errors_say_that_checking_stopped() {
    let one = RowError {
        line: 2,
        field: "URN".into(),
        message: "Wert fehlt".into(),
    };
    let e = ImportError::Rows(vec![one; MAX_ROW_ERRORS]);
    assert!(
        e.to_string()
            .ends_with("(Nach 50 Fehlern wurde die Prüfung abgebrochen.)")
    );
}
