//! `verbund pact handbook --out DIR`: every pact member's emergency handbook as PDF, with a
//! progress bar; each line says whether the content changed since the last generation.

use std::path::Path;

use anyhow::Context;
use verbund_app::{AuthPolicy, Services};
use verbund_store::{AuditActor, Store};

/// Writes `notfallhandbuch-<member>.pdf` for every member of any pact into `out` (created if
/// missing; files are replaced). A member that fails does not stop the others; the command
/// then fails (exit code 1).
pub async fn handbooks(store: Store, out: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(out)
        .with_context(|| format!("Verzeichnis {} nicht anlegbar", out.display()))?;
    let st = Services::new(store, AuthPolicy::default());
    let by = AuditActor::system();
    let members = verbund_app::pact_handbook::members_system(&st)
        .await
        .map_err(crate::errors::message)?;
    let bar = indicatif::ProgressBar::new(members.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let (mut changed, mut failed) = (0usize, 0usize);
    for (org, name) in &members {
        bar.set_message(name.clone());
        match verbund_app::pact_handbook::handbook_system(&st, &by, *org).await {
            Ok(h) => {
                let path = out.join(&h.file.filename);
                match std::fs::write(&path, &h.file.bytes) {
                    Ok(()) => {
                        let stand = verbund_domain::localtime::fmt_ms(h.stand.changed_at_ms);
                        if h.stand.changed {
                            changed += 1;
                        }
                        bar.suspend(|| {
                            println!(
                                "{}: {} ({})",
                                path.display(),
                                if h.stand.changed {
                                    "Inhalt geändert, neuer Stand".to_owned()
                                } else {
                                    "unverändert".to_owned()
                                },
                                stand
                            )
                        });
                    }
                    Err(e) => {
                        failed += 1;
                        bar.suspend(|| println!("FEHLER {}: {e}", path.display()));
                    }
                }
            }
            Err(e) => {
                failed += 1;
                bar.suspend(|| println!("FEHLER {name}: {}", crate::errors::message(e)));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!(
        "{} Notfallhandbücher geschrieben, davon {changed} mit geändertem Inhalt.",
        members.len() - failed
    );
    if failed > 0 {
        anyhow::bail!("{failed} Notfallhandbücher konnten nicht erstellt werden");
    }
    Ok(())
}
