//! The workbook read back with calamine: amounts to the cent, totals, one-member extracts.

mod common;

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use common::{
    KREIS, NAUHEIM, RAUNHEIM, RUESSELSHEIM, document, document_renamed, issued, letterhead,
    with_credit, with_late_member,
};
use verbund_domain::OrgId;
use verbund_domain::costs::StatementDocument;
use verbund_reports::{ReportError, statement_xlsx};

/// Whether a cell holds exactly the text `s`.
fn is_text(c: &Data, s: &str) -> bool {
    matches!(c, Data::String(t) if t == s)
}

struct Sheet {
    values: Range<Data>,
    formulas: Range<String>,
}

fn open(bytes: Vec<u8>, name: &str) -> Sheet {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("opens");
    Sheet {
        values: wb.worksheet_range(name).expect("sheet exists"),
        formulas: wb.worksheet_formula(name).expect("sheet exists"),
    }
}

impl Sheet {
    fn column(&self, header: &str) -> usize {
        let first = self.values.rows().next().expect("has a header row");
        first
            .iter()
            .position(|c| is_text(c, header))
            .unwrap_or_else(|| panic!("no column {header:?}"))
    }

    fn row(&self, label: &str) -> &[Data] {
        self.values
            .rows()
            .find(|r| r.first().is_some_and(|c| is_text(c, label)))
            .unwrap_or_else(|| panic!("no row {label:?}"))
    }

    /// The value at (`label`, `header`) in cents.
    fn cents(&self, label: &str, header: &str) -> i64 {
        match self.row(label)[self.column(header)] {
            Data::Float(f) => (f * 100.0).round() as i64,
            Data::Int(i) => i * 100,
            ref other => panic!("{label}/{header} is not a number: {other:?}"),
        }
    }

    fn labels(&self) -> Vec<String> {
        self.values
            .rows()
            .skip(1)
            .map(|r| r[0].to_string())
            .collect()
    }
}

fn check_every_member_pays_what_the_document_says(doc: &StatementDocument) {
    let sheet = open(
        statement_xlsx(&issued(doc), None, &letterhead()).expect("writes"),
        "Verteilung",
    );

    for bill in &doc.statement.bills {
        assert_eq!(
            sheet.cents(&bill.name, "Zahlbetrag"),
            bill.payable.get(),
            "{}",
            bill.name
        );
        assert_eq!(
            sheet.cents(&bill.name, "Betrag"),
            bill.share.get(),
            "{}",
            bill.name
        );
    }
    assert_eq!(
        sheet.cents("Summe", "Betrag"),
        doc.statement.shared_total.get()
    );
    let payable: i64 = doc.statement.bills.iter().map(|b| b.payable.get()).sum();
    assert_eq!(sheet.cents("Summe", "Zahlbetrag"), payable);
    let extra_cents = doc
        .statement
        .allocation
        .members
        .iter()
        .filter(|m| m.extra_cent)
        .count();
    // `cents` reads euros, so one extra cent (the number 1) reads as 100.
    assert_eq!(
        sheet.cents("Summe", "Zusatzcent (0/1)"),
        100 * extra_cents as i64
    );
}

#[test]
fn workbook_payable_amounts_match_the_statement_to_the_cent() {
    check_every_member_pays_what_the_document_says(&document());
}

#[test]
fn workbook_with_a_credit_still_matches_to_the_cent() {
    let doc = with_credit();
    check_every_member_pays_what_the_document_says(&doc);
    let sheet = open(
        statement_xlsx(&issued(&doc), None, &letterhead()).expect("writes"),
        "Verteilung",
    );
    assert_eq!(sheet.cents("Raunheim", "Gutschriften"), 100_000);
    assert_eq!(sheet.cents("Summe", "Gutschriften"), 100_000);
    assert!(doc.statement.bill(RAUNHEIM).is_some());
}

#[test]
fn workbook_with_a_mid_year_member_still_matches_to_the_cent() {
    let doc = with_late_member();
    check_every_member_pays_what_the_document_says(&doc);
    let sheet = open(
        statement_xlsx(&issued(&doc), None, &letterhead()).expect("writes"),
        "Verteilung",
    );
    let days = sheet.row("Nauheim")[sheet.column("Mitgliedstage")].clone();
    assert_eq!(days, Data::Float(184.0));
}

#[test]
fn totals_row_sums_with_formulas_whose_cached_value_is_the_shared_total() {
    let doc = document();

    let sheet = open(
        statement_xlsx(&issued(&doc), None, &letterhead()).expect("writes"),
        "Verteilung",
    );

    assert_eq!(sheet.cents("Summe", "Betrag"), 19_000_000);
    let col = sheet.column("Betrag");
    let total_row = sheet
        .values
        .rows()
        .position(|r| is_text(&r[0], "Summe"))
        .expect("has totals");
    let (start_row, start_col) = sheet.formulas.start().expect("has formulas");
    let formula = sheet
        .formulas
        .get((total_row - start_row as usize, col - start_col as usize))
        .expect("totals cell has a formula");
    assert!(formula.starts_with("SUM("), "{formula}");
}

#[test]
fn overview_shows_budget_and_shared_total() {
    let doc = document();

    let sheet = open(
        statement_xlsx(&issued(&doc), None, &letterhead()).expect("writes"),
        "Übersicht",
    );

    let value = |label: &str| match sheet.row(label)[1] {
        Data::Float(f) => (f * 100.0).round() as i64,
        ref other => panic!("{other:?}"),
    };
    assert_eq!(value("Summe Haushalt"), 19_000_000);
    assert_eq!(value("Umzulegender Betrag"), 19_000_000);
    assert_eq!(value("Personalkosten"), 17_000_000);
}

#[test]
fn one_member_extract_has_its_row_and_the_federation_totals_only() {
    let doc = document();

    let bytes = statement_xlsx(&issued(&doc), Some(RUESSELSHEIM), &letterhead()).expect("writes");

    let sheet = open(bytes.clone(), "Verteilung");
    assert_eq!(sheet.cents("Rüsselsheim am Main", "Zahlbetrag"), 2_345_619);
    assert_eq!(
        sheet.cents("Verbund gesamt (13 Mitglieder)", "Betrag"),
        19_000_000
    );
    assert_eq!(
        sheet.cents("Verbund gesamt (13 Mitglieder)", "Einwohnerzahl"),
        24_973_700
    );
    let labels = sheet.labels();
    assert!(
        !labels
            .iter()
            .any(|l| l == "Raunheim" || l == "Kreis Groß-Gerau"),
        "{labels:?}"
    );
    let key = open(bytes, "Schlüssel");
    let names: Vec<String> = key
        .values
        .rows()
        .skip(1)
        .map(|r| r[5].to_string())
        .filter(|n| !n.is_empty())
        .collect();
    assert_eq!(names, vec!["Rüsselsheim am Main", "Rüsselsheim am Main"]);
}

#[test]
fn key_sheet_lists_every_step() {
    let doc = document();

    let sheet = open(
        statement_xlsx(&issued(&doc), None, &letterhead()).expect("writes"),
        "Schlüssel",
    );

    let steps: Vec<String> = sheet
        .labels()
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(steps.len(), doc.statement.allocation.steps.len());
    assert!(
        steps.contains(&"Kreis GG 2026 › Städte und Gemeinden › nach Einwohnern".to_owned()),
        "{steps:?}"
    );
}

#[test]
fn member_not_in_the_statement_is_an_error() {
    let doc = document();

    let err = statement_xlsx(&issued(&doc), Some(OrgId(99)), &letterhead()).expect_err("fails");

    assert!(matches!(
        err,
        ReportError::MemberNotInStatement { member: OrgId(99) }
    ));
}

#[test]
fn any_stored_name_gives_a_readable_workbook() {
    let doc = document_renamed(&[
        (NAUHEIM, "Nauheim 👩\u{200D}👩\u{200D}👧"),
        (RAUNHEIM, "Raun\u{0}heim\u{7}"),
        (RUESSELSHEIM, "=HYPERLINK(\"x\")"),
        (KREIS, "Kreis \u{202E}GG"),
    ]);

    let bytes = statement_xlsx(&issued(&doc), None, &letterhead()).expect("writes");

    let sheet = open(bytes, "Verteilung");
    let cells: Vec<String> = sheet
        .values
        .rows()
        .filter_map(|r| r.first())
        .map(ToString::to_string)
        .collect();
    for name in [
        "Nauheim 👩\u{200D}👩\u{200D}👧",
        "=HYPERLINK(\"x\")",
        "Kreis \u{202E}GG",
    ] {
        assert!(cells.iter().any(|c| c == name), "{name:?} not in {cells:?}");
    }
    assert!(
        cells
            .iter()
            .any(|c| c.starts_with("Raun") && c.contains("heim")),
        "{cells:?}"
    );
}
