//! `verbund import advisories DIR`: every CSAF document (`*.json`) below a directory, with a
//! progress bar; a bad file is reported by file and field and the run goes on.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use verbund_app::advisories::{Mailer, import_system};
use verbund_app::reminders::MailSite;
use verbund_app::{AuthPolicy, Services};
use verbund_store::{AuditActor, Store};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("Verzeichnis {} nicht lesbar", dir.display()))?
    {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            && !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains("provider-metadata"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Imports every document; fails (exit code 1) when any file could not be imported.
pub async fn import_dir(store: Store, dir: &Path, base_url: &str) -> anyhow::Result<()> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    let st = Services::new(store, AuthPolicy::default());
    let texts = crate::mail::texts();
    let site = MailSite {
        base_url: if base_url.is_empty() {
            "http://127.0.0.1:8080".to_owned()
        } else {
            base_url.to_owned()
        },
    };
    let mailer = Mailer {
        texts: &texts,
        site: &site,
    };
    let bar = indicatif::ProgressBar::new(files.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let by = AuditActor::system();
    let (mut ok, mut failed, mut opened) = (0usize, 0usize, 0usize);
    for path in &files {
        let name = path.display().to_string();
        bar.set_message(name.clone());
        let result = match std::fs::read(path) {
            Ok(bytes) => import_system(&st, &by, &bytes, &name, Some(&mailer)).await,
            Err(e) => {
                bar.println(format!("FEHLER {name}: nicht lesbar: {e}"));
                failed += 1;
                bar.inc(1);
                continue;
            }
        };
        match result {
            Ok(out) => {
                ok += 1;
                opened += out.opened;
                bar.println(format!(
                    "{name}: {} {} ({}): {} Warnmeldung(en) neu, {} zu bestätigen, {} geschlossen{}",
                    out.tracking_id,
                    out.version,
                    out.outcome,
                    out.opened,
                    out.unconfirmed,
                    out.closed,
                    if out.notes.is_empty() { String::new() } else { format!("; Hinweise: {}", out.notes.join("; ")) }
                ));
            }
            Err(
                verbund_app::Error::BadInput { detail, .. }
                | verbund_app::Error::TooLarge { detail, .. },
            ) => {
                failed += 1;
                bar.println(format!("FEHLER {detail}"));
            }
            Err(e) => {
                bar.abandon();
                return Err(crate::errors::message(e));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!("{ok} Meldung(en) eingelesen, {failed} fehlerhaft, {opened} Warnmeldung(en) neu.");
    if failed > 0 {
        bail!("{failed} Datei(en) konnten nicht eingelesen werden (siehe oben)");
    }
    Ok(())
}
