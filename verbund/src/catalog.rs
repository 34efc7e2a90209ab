//! `verbund import catalog`: a requirements catalog from a file, with a progress bar.

use anyhow::{Context, bail};
use verbund_store::{AuditActor, Store};

use crate::errors;

pub async fn import_catalog(
    store: &Store,
    file: &std::path::Path,
    format: &str,
    profile_catalog: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use verbund_app::catalogs::ImportFormat;
    let bar = indicatif::ProgressBar::new(3);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("Datei lesen");
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    bar.inc(1);
    bar.set_message("prüfen");
    let started = std::time::Instant::now();
    let parsed = match profile_catalog {
        Some(cat) => {
            let cat_bytes =
                std::fs::read(cat).with_context(|| format!("reading {}", cat.display()))?;
            let c = verbund_formats::catalog::oscal::resolve_profile_bytes(&bytes, &cat_bytes)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            c.validate().map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            Ok(c)
        }
        None => {
            let f = match format {
                "auto" => ImportFormat::Auto,
                "ciso" => ImportFormat::Ciso,
                "oscal" => ImportFormat::Oscal,
                other => bail!("unknown format {other:?}: use auto, ciso or oscal"),
            };
            verbund_app::catalogs::parse(&bytes, &name, f)
        }
    };
    let catalog = match parsed {
        Ok(c) => c,
        Err(verbund_app::Error::BadInput { detail, .. }) => {
            bar.abandon();
            bail!("Import abgebrochen, nichts gespeichert – {detail}");
        }
        Err(e) => return Err(errors::message(e)),
    };
    bar.inc(1);
    bar.set_message("speichern");
    let imported = verbund_app::catalogs::store(store, &AuditActor::system(), &catalog)
        .await
        .inspect_err(|_| bar.abandon())
        .map_err(errors::message)?;
    bar.inc(1);
    bar.finish_and_clear();
    let c = &imported.catalog;
    if imported.created {
        println!(
            "Importiert: {} (Revision {}, {} Einträge, davon {} Anforderungen) in {} ms",
            c.name,
            c.revision,
            c.node_count,
            c.assessable_count,
            started.elapsed().as_millis()
        );
    } else {
        println!(
            "Unverändert: {} ist bereits als Revision {} vorhanden.",
            c.name, c.revision
        );
    }
    Ok(())
}
