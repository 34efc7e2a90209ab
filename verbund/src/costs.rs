//! `verbund costs …`: cost-sharing documents for the office's own records.

use std::path::Path;

use verbund_app::{AuthPolicy, Error, Services};
use verbund_store::Store;

use crate::errors::message;

/// Writes the PDF letters and the workbook of a year's statement into `out` and prints what
/// was written.
pub async fn statements(
    store: Store,
    year: i32,
    statement: Option<i64>,
    out: &Path,
) -> anyhow::Result<()> {
    let st = Services::new(store, AuthPolicy::default());
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let written = verbund_app::statements::write_statement_files(
        &st,
        year,
        statement.map(verbund_domain::StatementId),
        out,
        |done, total, name| {
            bar.set_message(name.to_owned());
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        },
    )
    .await;
    bar.finish_and_clear();
    let written = match (written, statement) {
        (Ok(w), _) => w,
        (Err(Error::NotFound), Some(id)) => {
            anyhow::bail!("Abrechnung {id} gibt es nicht")
        }
        (Err(e), _) => return Err(message(e)),
    };
    let n = written.letters.len();
    println!(
        "{n} {} und 1 Arbeitsmappe nach {} geschrieben ({} MB)",
        if n == 1 { "Abrechnung" } else { "Abrechnungen" },
        out.display(),
        megabytes(written.bytes)
    );
    Ok(())
}

/// `bytes` in MB with one decimal and a decimal comma, e.g. `1,4`.
fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_000_000.0).replace('.', ",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn megabytes_use_a_decimal_comma() {
        assert_eq!(super::megabytes(1_449_999), "1,4");
        assert_eq!(super::megabytes(0), "0,0");
    }
}
