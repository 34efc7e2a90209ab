//! Logos on documents: the federation's beside its name, a member's coat of arms above its
//! address; an image the PDF engine cannot read leaves the document without it.

mod common;

use common::{NAUHEIM, document, issued, letterhead};
use verbund_domain::logo;
use verbund_reports::{Letterhead, member_statement_pdf_with_arms};

/// The demo's shield (PNG, 128 × 128, drawn for Verbund).
const SHIELD: &[u8] = include_bytes!("../../app/assets/demo-logo.png");

/// Images in a PDF as `pdfimages -list` counts them (soft masks aside).
fn images(pdf: &[u8], name: &str) -> usize {
    let path =
        std::env::temp_dir().join(format!("verbund-logos-{}-{name}.pdf", std::process::id()));
    std::fs::write(&path, pdf).expect("written");
    let out = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages (poppler-utils) is installed");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count()
}

fn with_logo() -> Letterhead {
    Letterhead {
        logo: Some(logo::accept(SHIELD.to_vec()).expect("the shield is a PNG")),
        ..letterhead()
    }
}

#[test]
fn a_letter_carries_the_federation_logo_and_the_members_coat_of_arms() {
    let doc = document();
    let arms = logo::accept(SHIELD.to_vec()).expect("accepted");

    let both = member_statement_pdf_with_arms(&issued(&doc), NAUHEIM, &with_logo(), Some(&arms))
        .expect("renders");
    let logo_only = member_statement_pdf_with_arms(&issued(&doc), NAUHEIM, &with_logo(), None)
        .expect("renders");
    let plain = member_statement_pdf_with_arms(&issued(&doc), NAUHEIM, &letterhead(), None)
        .expect("renders");

    assert_eq!(images(&both, "both"), 2);
    assert_eq!(images(&logo_only, "logo"), 1);
    assert_eq!(images(&plain, "plain"), 0);
}

#[test]
fn an_image_with_a_valid_header_but_broken_content_leaves_the_letter_without_it() {
    let doc = document();
    // The PNG's header and size as uploaded, then garbage instead of the image data.
    let mut broken = SHIELD[..33].to_vec();
    broken.extend_from_slice(b"\0\0\0\x10IDATkein Bild hier!\0\0\0\0");
    let broken = logo::accept(broken).expect("the header check passes");
    let lh = Letterhead {
        logo: Some(broken),
        ..letterhead()
    };

    let pdf =
        member_statement_pdf_with_arms(&issued(&doc), NAUHEIM, &lh, None).expect("still renders");

    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(images(&pdf, "broken"), 0);
}
