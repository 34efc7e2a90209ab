//! Hostile workbooks: decompression bombs, archives of many parts, sheets over the row and
//! column limits, and mutated bytes. Every one is refused quickly with a message naming the
//! limit, and nothing panics. The bombs are built here (a few hundred KB each), not stored.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use verbund_formats::archive::{ArchiveError, ZipLimits, check_zip};
use verbund_formats::assessment_xlsx::{ImportError, MAX_COLUMNS, MAX_ROWS, import_xlsx};
use zip::write::SimpleFileOptions;

const MIB: usize = 1024 * 1024;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Bewertung" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_END: &str = "</sheetData></worksheet>";

/// Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA.
fn column(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// One row of the sheet XML; `row` is 1-based, `cells` are (0-based column, text).
fn row_xml(row: usize, cells: &[(usize, &str)]) -> String {
    let cells: String = cells
        .iter()
        .map(|(c, text)| {
            format!(
                r#"<c r="{}{row}" t="inlineStr"><is><t>{text}</t></is></c>"#,
                column(*c)
            )
        })
        .collect();
    format!(r#"<row r="{row}">{cells}</row>"#)
}

/// Header `URN`, `Status` and `n` answered rows.
fn rows(n: usize) -> String {
    let mut xml = row_xml(1, &[(0, "URN"), (1, "Status")]);
    for i in 0..n {
        xml.push_str(&row_xml(i + 2, &[(0, &format!("urn:x:{i}")), (1, "ja")]));
    }
    xml
}

/// A minimal XLSX workbook whose one sheet holds `rows` (sheet XML) followed by `padding`
/// bytes of spaces, written in 1 MiB pieces so the bomb is never in memory unpacked.
fn workbook(rows: &str, padding: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        zip.start_file(name, opts).expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    }
    let large = opts.large_file(padding as u64 > u64::from(u32::MAX));
    zip.start_file("xl/worksheets/sheet1.xml", large)
        .expect("sheet");
    zip.write_all(SHEET_START.as_bytes()).expect("write");
    zip.write_all(rows.as_bytes()).expect("write");
    let spaces = vec![b' '; MIB];
    let mut left = padding;
    while left > 0 {
        let n = left.min(MIB);
        zip.write_all(&spaces[..n]).expect("write");
        left -= n;
    }
    zip.write_all(SHEET_END.as_bytes()).expect("write");
    zip.finish().expect("finish").into_inner()
}

/// Runs the import and checks it took less than a second.
fn import_quickly(bytes: &[u8]) -> Result<usize, ImportError> {
    let started = Instant::now();
    let result = import_xlsx(bytes).map(|answers| answers.len());
    let took = started.elapsed();
    assert!(took < Duration::from_secs(1), "took {took:?}");
    result
}

#[test]
fn a_small_workbook_imports() {
    assert_eq!(import_quickly(&workbook(&rows(3), 0)), Ok(3));
    assert_eq!(import_quickly(&workbook(&rows(3), 1000)), Ok(3));
}

#[test]
fn a_whitespace_bomb_is_refused_by_its_declared_size_without_unpacking() {
    // 200 MiB of spaces pack into about 200 KB.
    let bomb = workbook(&rows(3), 200 * MIB);
    assert!(bomb.len() < MIB, "{} bytes", bomb.len());

    let err = import_quickly(&bomb).unwrap_err();

    assert_eq!(
        err,
        ImportError::Archive(ArchiveError::EntryTooLarge {
            name: "xl/worksheets/sheet1.xml".into(),
            limit: 64 * MIB as u64,
        })
    );
    assert!(err.is_too_large());
    assert_eq!(
        err.to_string(),
        "Der Teil „xl/worksheets/sheet1.xml“ der Datei ist entpackt größer als 64 MB (Grenze \
         für Uploads)."
    );
}

#[test]
fn a_bomb_below_the_size_limit_is_refused_for_its_compression_ratio() {
    let bomb = workbook(&rows(3), 30 * MIB);

    let err = import_quickly(&bomb).unwrap_err();

    assert_eq!(
        err,
        ImportError::Archive(ArchiveError::RatioTooHigh {
            name: "xl/worksheets/sheet1.xml".into(),
            limit: 100,
        })
    );
    assert!(
        err.to_string().contains("mehr als 100-fach komprimiert"),
        "{err}"
    );
}

/// Overwrites the declared unpacked size of every entry (local and central headers).
fn lie_about_sizes(mut bytes: Vec<u8>, declared: u32) -> Vec<u8> {
    let mut i = 0;
    while i + 30 <= bytes.len() {
        let at = match &bytes[i..i + 4] {
            b"PK\x03\x04" => Some(i + 22),
            b"PK\x01\x02" => Some(i + 24),
            _ => None,
        };
        if let Some(at) = at {
            bytes[at..at + 4].copy_from_slice(&declared.to_le_bytes());
        }
        i += 1;
    }
    bytes
}

#[test]
fn a_bomb_that_lies_about_its_size_is_refused_while_unpacking() {
    let bomb = lie_about_sizes(workbook(&rows(3), 200 * MIB), 1000);

    let err = import_quickly(&bomb).unwrap_err();

    assert!(
        matches!(
            err,
            ImportError::NotXlsx { .. } | ImportError::Archive(ArchiveError::RatioTooHigh { .. })
        ),
        "{err:?}"
    );
}

#[test]
fn the_guard_stops_an_entry_at_its_limits_even_when_the_header_lies() {
    let bomb = lie_about_sizes(workbook("", 20 * MIB), 1000);
    // Whatever a lying header declares, no more than the limit plus one byte is unpacked.
    let limits = ZipLimits {
        max_entries: 10,
        max_entry_bytes: 4096,
        max_total_bytes: 8192,
        max_ratio: 100,
        ratio_floor: 1024,
    };

    let err = check_zip(&bomb, &limits).unwrap_err();

    assert!(
        matches!(
            err,
            ArchiveError::NotZip { .. } | ArchiveError::EntryTooLarge { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn archives_of_too_many_parts_are_refused() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..1_001 {
        zip.start_file(format!("x/{i}.xml"), SimpleFileOptions::default())
            .expect("entry");
    }
    let bytes = zip.finish().expect("finish").into_inner();

    let err = import_quickly(&bytes).unwrap_err();

    assert_eq!(
        err,
        ImportError::Archive(ArchiveError::TooManyEntries { limit: 1_000 })
    );
    assert_eq!(
        err.to_string(),
        "Die Datei enthält mehr als 1.000 Einträge (Grenze für Uploads)."
    );
}

#[test]
fn the_total_unpacked_size_is_limited() {
    let limits = ZipLimits {
        max_entries: 10,
        max_entry_bytes: 1_000_000,
        max_total_bytes: 1500,
        max_ratio: 1_000_000,
        ratio_floor: 1_000_000,
    };
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for name in ["a", "b"] {
        zip.start_file(name, SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(&[b'x'; 1000]).expect("write");
    }
    let bytes = zip.finish().expect("finish").into_inner();

    assert_eq!(
        check_zip(&bytes, &limits),
        Err(ArchiveError::TotalTooLarge { limit: 1500 })
    );
    let summary = check_zip(&bytes, &ZipLimits::OFFICE).expect("within the office limits");
    assert_eq!((summary.entries, summary.unpacked_bytes), (2, 2000));
}

#[test]
fn small_parts_may_compress_strongly() {
    // 1 MiB of spaces packs about 1000 : 1, but parts this small are allowed any ratio.
    assert_eq!(import_quickly(&workbook(&rows(2), MIB - 2000)), Ok(2));
}

#[test]
fn a_sheet_with_more_rows_than_allowed_is_refused() {
    let mut xml = rows(0);
    for r in 2..=MAX_ROWS + 1 {
        xml.push_str(&format!(r#"<row r="{r}"><c r="A{r}" s="0"/></row>"#));
    }

    let err = import_xlsx(&workbook(&xml, 0)).unwrap_err();

    assert_eq!(err, ImportError::TooManyRows { limit: MAX_ROWS });
    assert!(err.is_too_large());
    assert_eq!(
        err.to_string(),
        "Die Tabelle hat mehr als 50.000 Zeilen (Grenze für Importe)."
    );
}

#[test]
fn a_filled_cell_right_of_the_column_limit_is_refused() {
    let mut xml = rows(1);
    xml.push_str(&row_xml(
        3,
        &[(0, "urn:x:z"), (1, "ja"), (MAX_COLUMNS, "Notiz")],
    ));

    let err = import_quickly(&workbook(&xml, 0)).unwrap_err();

    assert_eq!(
        err,
        ImportError::TooManyColumns {
            line: 3,
            limit: MAX_COLUMNS
        }
    );
    assert_eq!(
        err.to_string(),
        "Zeile 3: Die Tabelle nutzt mehr als 64 Spalten (Grenze für Importe); rechts davon \
         müssen die Zellen leer sein."
    );
}

#[test]
fn cells_far_away_cost_nothing() {
    // A sheet that claims the whole grid: reading it as one range would allocate 17
    // billion cells; read cell by cell it is one header and one answer.
    let xml = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>URN</t></is></c><c r="B1" t="inlineStr"><is><t>Status</t></is></c></row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>urn:x:1</t></is></c><c r="B1048576" t="inlineStr"><is><t>ja</t></is></c><c r="XFD1048576" s="0"/></row>"#;
    let bytes = workbook(xml, 0);

    let answers = import_xlsx(&bytes).expect("imports");

    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].line, 1_048_576);
}

fn mutate(mut bytes: Vec<u8>, edits: &[(f64, u8)], cut: Option<f64>) -> Vec<u8> {
    for (p, b) in edits {
        let i = ((p * bytes.len() as f64) as usize).min(bytes.len() - 1);
        bytes[i] = *b;
    }
    if let Some(p) = cut {
        bytes.truncate((p * bytes.len() as f64) as usize);
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_workbooks_never_panic(
        edits in prop::collection::vec((0.0..1.0f64, any::<u8>()), 1..8),
        cut in prop::option::weighted(0.2, 0.0..1.0f64),
    ) {
        let real = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/assessment.xlsx"))
            .expect("fixture");
        let _ = import_xlsx(&mutate(real, &edits, cut));
    }

    #[test]
    fn mutated_stored_workbooks_never_panic(
        edits in prop::collection::vec((0.0..1.0f64, any::<u8>()), 1..8),
    ) {
        // Without compression the mutations reach the XML itself.
        let _ = import_xlsx(&mutate(stored_workbook(), &edits, None));
    }
}

/// The small workbook with its parts stored, not deflated.
fn stored_workbook() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", RELS.to_owned()),
        ("xl/workbook.xml", WORKBOOK.to_owned()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.to_owned()),
        (
            "xl/worksheets/sheet1.xml",
            format!("{SHEET_START}{}{SHEET_END}", rows(3)),
        ),
    ] {
        zip.start_file(name, opts).expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

#[test]
fn the_real_fixture_imports() {
    let real = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/assessment.xlsx"
    ))
    .expect("fixture");
    assert!(!import_xlsx(&real).expect("imports").is_empty());
    assert_eq!(import_xlsx(&stored_workbook()).map(|a| a.len()), Ok(3));
}
