//! `verbund costs …`: cost-sharing documents for the office's own records.

use std::path::Path;

use verbund_app::{AuthPolicy, Error, Services};
use verbund_store::Store;

use crate::errors::message;

/// Writes the PDF letters and the workbook of a year's statement into `out` and prints what
/// was written. A document that fails does not stop the others: the failures are listed on
/// stderr afterwards (member, file, reason) and the command fails (exit code 1).
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
        "{n} {} und {} Arbeitsmappe nach {} geschrieben ({} MB)",
        if n == 1 { "Abrechnung" } else { "Abrechnungen" },
        usize::from(written.workbook.is_some()),
        out.display(),
        megabytes(written.bytes)
    );
    if written.failures.is_empty() {
        return Ok(());
    }
    eprintln!("{}", failure_list(&written.failures));
    let failed = written.failures.len();
    anyhow::bail!(
        "{failed} {} nicht geschrieben",
        if failed == 1 {
            "Datei wurde"
        } else {
            "Dateien wurden"
        }
    )
}

/// The failures as the operator reads them, one per line, e.g.
/// `Nauheim (Nr. 9): kostenbeteiligung-2026-3-nauheim.pdf: Is a directory (os error 21)`.
fn failure_list(failures: &[verbund_app::statements::FailedFile]) -> String {
    let mut text = String::from("Nicht geschrieben:");
    for f in failures {
        let who = match &f.member {
            Some((id, name)) => format!("{name} (Nr. {id})"),
            None => "Arbeitsmappe".to_owned(),
        };
        let file = f.file.file_name().map(|n| n.to_string_lossy().into_owned());
        text.push_str(&format!(
            "\n  {who}: {}: {}",
            file.unwrap_or_default(),
            f.reason
        ));
    }
    text
}

/// `bytes` in MB with one decimal and a decimal comma, e.g. `1,4`.
fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_000_000.0).replace('.', ",")
}

#[cfg(test)]
mod tests {
    #[test]
    fn failures_name_member_file_and_reason() {
        use std::path::PathBuf;
        use verbund_app::statements::FailedFile;
        let failures = [
            FailedFile {
                member: Some((verbund_domain::OrgId(9), "Nauheim".into())),
                file: PathBuf::from("/tmp/out/kostenbeteiligung-2026-3-nauheim.pdf"),
                reason: "Is a directory (os error 21)".into(),
            },
            FailedFile {
                member: None,
                file: PathBuf::from("/tmp/out/kostenbeteiligung-2026-3-alle.xlsx"),
                reason: "the workbook could not be written".into(),
            },
        ];
        assert_eq!(
            super::failure_list(&failures),
            "Nicht geschrieben:\n  Nauheim (Nr. 9): kostenbeteiligung-2026-3-nauheim.pdf: Is \
             a directory (os error 21)\n  Arbeitsmappe: kostenbeteiligung-2026-3-alle.xlsx: the \
             workbook could not be written"
        );
    }

    #[test]
    fn megabytes_use_a_decimal_comma() {
        assert_eq!(super::megabytes(1_449_999), "1,4");
        assert_eq!(super::megabytes(0), "0,0");
    }
}
