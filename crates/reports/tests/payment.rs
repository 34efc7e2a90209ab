//! The payment block of the statement letter, read back with `pdftotext` (poppler-utils) as a
//! treasurer's software or a person would: address, due date, account, payment reference,
//! signer.

mod common;

use common::{KREIS, RUESSELSHEIM, document, issued, letterhead};
use verbund_domain::costs::{
    BankAccount, Iban, MemberPayment, PaymentTerms, Signer, StatementDocument,
};
use verbund_reports::{Letterhead, member_statement_pdf};

/// The PDF's text as `pdftotext` extracts it, runs of white space as single spaces.
fn pdftotext(pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!(
        "verbund-payment-{}-{}",
        std::process::id(),
        std::thread::current()
            .name()
            .unwrap_or("t")
            .replace("::", "-")
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("letter.pdf");
    std::fs::write(&path, pdf).expect("written");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed");
    std::fs::remove_dir_all(&dir).ok();
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn with_payment(doc: &mut StatementDocument, address: &str, signer: Signer) {
    doc.payment = Some(PaymentTerms {
        due_on: time::macros::date!(2027 - 03 - 31),
        account: Some(BankAccount {
            holder: "Kreisausschuss des Kreises Groß-Gerau".into(),
            iban: Iban::parse("DE89370400440532013000").expect("valid"),
            bic: Some("COBADEFFXXX".into()),
            bank: Some("Commerzbank".into()),
        }),
        signer: Some(signer),
        members: doc
            .statement
            .bills
            .iter()
            .map(|b| MemberPayment {
                member: b.member,
                reference: format!("IKZ-2026-{}", b.member),
                address: (b.member == RUESSELSHEIM).then(|| address.to_owned()),
            })
            .collect(),
    });
}

#[test]
fn the_letter_carries_address_due_date_account_reference_and_signer() {
    let mut doc = document();
    with_payment(
        &mut doc,
        "Rathaus\nMarktplatz 4\n65428 Rüsselsheim am Main",
        Signer {
            name: "Dr. Maria Beispiel".into(),
            role: Some("Leiterin der Informationssicherheitsstelle".into()),
        },
    );

    let pdf = member_statement_pdf(&issued(&doc), RUESSELSHEIM, &letterhead()).expect("renders");

    let text = pdftotext(&pdf);
    for expected in [
        "Marktplatz 4 65428 Rüsselsheim am Main",
        "Zahlungshinweis",
        "bis zum 31.03.2027",
        "Kassenzeichen IKZ-2026-12",
        "DE89 3704 0044 0532 0130 00",
        "COBADEFFXXX",
        "Commerzbank",
        "Kreisausschuss des Kreises Groß-Gerau",
        "Fällig am: 31.03.2027",
        "Dr. Maria Beispiel Leiterin der Informationssicherheitsstelle",
        "23.456,19 €",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    assert!(
        !text.contains("IKZ-2026-1 ") && !text.contains("IKZ-2026-9"),
        "no other member's reference: {text}"
    );
}

#[test]
fn the_signer_is_a_person_of_the_office_never_the_issuing_account() {
    let doc = document();
    // Issued before payment terms were recorded: the current settings' signer signs.
    let lh = Letterhead {
        signer: Some(Signer {
            name: "Jan Muster".into(),
            role: None,
        }),
        ..letterhead()
    };
    let mut s = issued(&doc);
    s.issued_by = "isb@verbund.example".into();

    let text = pdftotext(&member_statement_pdf(&s, KREIS, &lh).expect("renders"));

    assert!(text.contains("Jan Muster"), "{text}");
    assert!(!text.contains("isb@verbund.example"), "{text}");
    assert!(
        !text.contains("Zahlungshinweis"),
        "no terms recorded: {text}"
    );
    let unsigned = pdftotext(&member_statement_pdf(&s, KREIS, &letterhead()).expect("renders"));
    assert!(
        unsigned.contains("Mit freundlichen Grüßen Interkommunale Informationssicherheitsstelle"),
        "without a signer the office signs: {unsigned}"
    );
}

#[test]
fn typed_text_in_the_payment_block_prints_verbatim() {
    let mut doc = document();
    with_payment(
        &mut doc,
        "#set page(width: 1pt)\n*fett* $x$ [a]",
        Signer {
            name: "#pagebreak() Muster".into(),
            role: Some("\\ Leitung <ISB>".into()),
        },
    );

    let text = pdftotext(
        &member_statement_pdf(&issued(&doc), RUESSELSHEIM, &letterhead()).expect("renders"),
    );

    assert!(
        text.contains("#set page(width: 1pt) *fett* $x$ [a]"),
        "{text}"
    );
    assert!(text.contains("#pagebreak() Muster"), "{text}");
    assert!(text.contains("\\ Leitung <ISB>"), "{text}");
}
