//! `verbund costs …`: cost-sharing documents for the office's own records.

use std::path::Path;

use verbund_store::Store;
use verbund_web::error::AppError;
use verbund_web::i18n::Lang;
use verbund_web::{AppState, WebConfig};

/// Writes the PDF letters and the workbook of a year's statement into `out` and prints what
/// was written.
pub async fn statements(
    store: Store,
    year: i32,
    statement: Option<i64>,
    out: &Path,
) -> anyhow::Result<()> {
    let st = AppState::new(store, WebConfig::default());
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let written = verbund_web::costs::write_statement_files(
        &st,
        year,
        statement,
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
        (Err(AppError::NotFound), Some(id)) => {
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

/// The message an operator needs: the German text of a 4xx with its detail, the cause of a
/// 5xx (the operator owns the machine, so file and database errors may be shown).
fn message(e: AppError) -> anyhow::Error {
    match e {
        AppError::BadRequest { detail, .. } if !detail.is_empty() => anyhow::anyhow!(detail),
        AppError::Internal(cause) => anyhow::anyhow!(cause),
        AppError::Invalid(v) => anyhow::anyhow!(
            v.0.iter()
                .map(|f| Lang::De.t(&f.code))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        other => anyhow::anyhow!(Lang::De.t(other.code())),
    }
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
