//! Renders Rüsselsheim's 2026 statement as PDF and XLSX to /tmp/verbund-reports/ and
//! prints how long rendering takes: `cargo run -p verbund-reports --example render`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use verbund_reports::{member_statement_pdf, statement_xlsx};

fn time<T>(runs: u32, mut f: impl FnMut() -> T) -> (T, Duration) {
    let start = Instant::now();
    let mut out = f();
    for _ in 1..runs {
        out = f();
    }
    (out, start.elapsed() / runs)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let doc = common::document();
    let issued = common::issued(&doc);
    let lh = common::letterhead();
    let dir = std::path::Path::new("/tmp/verbund-reports");
    std::fs::create_dir_all(dir)?;

    let (pdf, cold) = time(1, || {
        member_statement_pdf(&issued, common::RUESSELSHEIM, &lh)
    });
    let pdf = pdf?;
    // Warm: other members' letters, as when a whole year is issued.
    let ids: Vec<_> = doc.statement.bills.iter().map(|b| b.member).collect();
    let mut i = 0;
    let (other, warm) = time(ids.len() as u32, || {
        i += 1;
        member_statement_pdf(&issued, ids[i - 1], &lh)
    });
    other?;
    let (xlsx, xlsx_time) = time(20, || statement_xlsx(&issued, None, &lh));
    let xlsx = xlsx?;
    let (_, xlsx_member_time) = time(20, || {
        statement_xlsx(&issued, Some(common::RUESSELSHEIM), &lh)
    });

    std::fs::write(dir.join("statement.pdf"), &pdf)?;
    std::fs::write(dir.join("statement.xlsx"), &xlsx)?;
    std::fs::write(
        dir.join("statement-ruesselsheim.xlsx"),
        statement_xlsx(&issued, Some(common::RUESSELSHEIM), &lh)?,
    )?;
    // Two variants to look at: a credit (Raunheim) and a mid-year member (Nauheim).
    let credit = common::with_credit();
    let late = common::with_late_member();
    std::fs::write(
        dir.join("statement-raunheim-credit.pdf"),
        member_statement_pdf(&common::issued(&credit), common::RAUNHEIM, &lh)?,
    )?;
    std::fs::write(
        dir.join("statement-nauheim-mid-year.pdf"),
        member_statement_pdf(&common::issued(&late), common::NAUHEIM, &lh)?,
    )?;
    println!(
        "PDF  first (fonts, library, layout): {cold:?}, {} bytes",
        pdf.len()
    );
    println!(
        "PDF  warm, per member letter ({} letters): {warm:?}",
        ids.len()
    );
    println!("XLSX all members: {xlsx_time:?}, {} bytes", xlsx.len());
    println!("XLSX one member: {xlsx_member_time:?}");
    println!("written to {}", dir.display());
    Ok(())
}
