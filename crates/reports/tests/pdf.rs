//! The member statement letter: content a treasurer checks, German text, tagging.

mod common;

use common::{
    KREIS, NAUHEIM, RAUNHEIM, RUESSELSHEIM, document, document_renamed, issued, letterhead,
    manual_key_document, with_credit, with_late_member,
};
use verbund_domain::OrgId;
use verbund_reports::{Letterhead, ReportError, member_statement_pdf};

/// The PDF's text with line breaks and runs of spaces as single spaces.
fn text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn statement_for_ruesselsheim_shows_its_amount_with_umlauts_intact() {
    let doc = document();

    let pdf = member_statement_pdf(&issued(&doc), RUESSELSHEIM, &letterhead()).expect("renders");

    assert!(pdf.starts_with(b"%PDF"));
    let text = text(&pdf);
    for expected in [
        "Rüsselsheim am Main",
        "23.456,19 €",
        "Kostenbeteiligung 2026 – Interkommunale Informationssicherheit",
        "Kämmerei",
        "Informationssicherheitsverbund Kreis Groß-Gerau",
        "Schlüsselanteil",
        "größten",
        "190.000,00 €",
        "67.277",
        "249.737",
        "7.399.427/59.936.880",
        "12,3454 %",
        "42.500,00 €",
        "19.043,81 €",
        "Seite 1 von",
        "Ihr Rest von 0,4750 Cent ist kleiner als der kleinste berücksichtigte Rest von 0,5054 Cent; Sie erhalten daher keinen zusätzlichen Cent.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn statement_names_no_other_members_amount() {
    let doc = document();

    let pdf = member_statement_pdf(&issued(&doc), RUESSELSHEIM, &letterhead()).expect("renders");

    let text = text(&pdf);
    // Biebesheim pays 7,319.09 €, Mörfelden-Walldorf 14,938.96 €.
    assert!(!text.contains("7.319,09"));
    assert!(!text.contains("Mörfelden-Walldorf"));
    assert!(!text.contains("14.938,96"));
}

#[test]
fn statement_is_a_tagged_pdf_in_german_with_a_title() {
    let doc = document();

    let pdf = member_statement_pdf(&issued(&doc), RUESSELSHEIM, &letterhead()).expect("renders");

    let parsed = pdf_extract::Document::load_mem(&pdf).expect("parses");
    let catalog = parsed.catalog().expect("has a catalog");
    assert!(catalog.get(b"StructTreeRoot").is_ok(), "no structure tree");
    let lang = catalog
        .get(b"Lang")
        .and_then(|l| l.as_str())
        .expect("has a language");
    assert!(lang.starts_with(b"de"), "language {lang:?}");
    let mark_info = catalog.get(b"MarkInfo").expect("has MarkInfo");
    let marked = parsed
        .dereference(mark_info)
        .and_then(|(_, o)| o.as_dict())
        .and_then(|d| d.get(b"Marked"))
        .and_then(|m| m.as_bool())
        .expect("MarkInfo has Marked");
    assert!(marked);
}

#[test]
fn credits_are_subtracted_in_the_letter() {
    let doc = with_credit();
    let bill = doc.statement.bill(RAUNHEIM).expect("Raunheim has a bill");
    assert_eq!(bill.credits[0].amount.get(), 100_000);

    let pdf = member_statement_pdf(&issued(&doc), RAUNHEIM, &letterhead()).expect("renders");

    let text = text(&pdf);
    assert!(text.contains("Gutschrift"), "{text}");
    assert!(text.contains("-1.000,00 €"), "{text}");
    assert!(
        text.contains("Förderprogramm „Kommunale IT-Sicherheit“"),
        "{text}"
    );
}

#[test]
fn a_member_joining_mid_year_sees_its_pro_rata_share_explained() {
    let doc = with_late_member();
    let lh = Letterhead {
        office_address: None,
        contact: None,
        ..letterhead()
    };

    let pdf = member_statement_pdf(&issued(&doc), NAUHEIM, &lh).expect("renders");

    let text = text(&pdf);
    assert!(text.contains("184 von 365 Tagen"), "{text}");
    assert!(text.contains("zeitanteilig"), "{text}");
    assert!(
        !text.contains("Wirtschaftlichkeit"),
        "no savings without standalone costs"
    );
    let line = doc.statement.allocation.member(NAUHEIM).expect("allocated");
    assert_ne!(line.share, line.key_share);
    assert!(
        text.contains(&format!("{} €", german(line.amount.get()))),
        "{text}"
    );
}

/// Cents in German notation without the euro sign, e.g. `"4.113,45"`.
fn german(cents: i64) -> String {
    let euros = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", cents % 100)
}

#[test]
fn a_manual_key_shows_the_fixed_percentage() {
    let doc = manual_key_document();

    let pdf = member_statement_pdf(&issued(&doc), RUESSELSHEIM, &letterhead()).expect("renders");

    let text = text(&pdf);
    assert!(text.contains("feste Anteile je Mitglied"), "{text}");
    assert!(text.contains("30,00 %"), "{text}");
    assert!(text.contains("30.000,00 €"), "{text}");
    assert!(text.contains("Fremdleistungen"), "{text}");
    assert!(text.contains("es war kein Cent zu verteilen"), "{text}");
}

#[test]
fn an_issue_date_that_is_no_date_still_renders_without_the_archival_profile() {
    let doc = document();
    let mut s = issued(&doc);
    s.issued_at = "im November".into();

    let pdf = member_statement_pdf(&s, RUESSELSHEIM, &letterhead()).expect("renders");

    assert!(text(&pdf).contains("im November"));
}

#[test]
fn markup_characters_in_names_print_verbatim() {
    let mut doc = document();
    let name = r#"Stadt *Fett* _kursiv_ #set page(width: 1cm) $x^2$ [a] \ <l> @r "zitiert" // kein Kommentar"#;
    for m in &mut doc.statement.allocation.members {
        if m.member == RUESSELSHEIM {
            m.name = name.into();
        }
    }
    for b in &mut doc.statement.bills {
        if b.member == RUESSELSHEIM {
            b.name = name.into();
        }
    }
    doc.key_name = "#panic(\"x\") ]".into();

    let pdf = member_statement_pdf(&issued(&doc), RUESSELSHEIM, &letterhead()).expect("renders");

    let text = text(&pdf);
    assert!(
        text.contains("Stadt *Fett* _kursiv_ #set page(width: 1cm) $x^2$"),
        "{text}"
    );
    assert!(text.contains("#panic(\"x\") ]"), "{text}");
}

#[test]
fn member_not_in_the_statement_is_an_error() {
    let doc = document();

    let err = member_statement_pdf(&issued(&doc), OrgId(99), &letterhead()).expect_err("fails");

    assert!(matches!(
        err,
        ReportError::MemberNotInStatement { member: OrgId(99) }
    ));
}

/// Names as they may be stored: emoji (no embedded font has them), mathematical letters,
/// a NUL from before names were checked, bidi overrides and typst markup.
const HOSTILE: [(OrgId, &str); 5] = [
    (NAUHEIM, "Nauheim 👩\u{200D}👩\u{200D}👧"),
    (RAUNHEIM, "𝕸𝖆𝖙𝖍"),
    (RUESSELSHEIM, "A\u{0}B"),
    (KREIS, "#set page(width: 1pt)"),
    (OrgId(2), "Biebes\u{202E}heim\u{7}"),
];

#[test]
fn any_stored_name_renders_with_a_visible_replacement_for_what_no_font_has() {
    let doc = document_renamed(&HOSTILE);
    let mut lh = letterhead();
    lh.office_name = "ISB 🛡 $x$ ] *".into();
    lh.contact = Some("Tel.\t06152\u{0}\n📞 110".into());

    for (member, visible) in [
        (NAUHEIM, "Nauheim \u{FFFD}"),
        (RAUNHEIM, "Math"),
        (RUESSELSHEIM, "AB"),
        (KREIS, "#set page(width: 1pt)"),
        (OrgId(2), "Biebesheim"),
    ] {
        let pdf = member_statement_pdf(&issued(&doc), member, &lh)
            .unwrap_or_else(|e| panic!("{member:?}: {e}"));

        let text = text(&pdf);
        assert!(
            text.contains(visible),
            "{member:?}: {visible:?} not in:\n{text}"
        );
        assert!(text.contains("ISB \u{FFFD} $x$ ] *"), "{text}");
        assert!(
            !text.contains('\u{0}') && !text.contains('\u{202E}'),
            "{text}"
        );
    }
}
