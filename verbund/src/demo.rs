//! `verbund demo`: the demo federation, optionally with generated members for load tests.

use std::path::PathBuf;

use anyhow::{Context, bail};
use verbund_store::Store;

use crate::config::Config;
use crate::db::open;
use crate::serve::serve;

/// `verbund demo`: seeds the demo federation (optionally from scratch and with generated
/// members), prints the logins and serves unless `--no-serve`.
pub async fn run(
    mut cfg: Config,
    db: &str,
    reset: bool,
    bind: String,
    no_serve: bool,
    scale: Option<usize>,
    catalog_items: usize,
) -> anyhow::Result<()> {
    if reset {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{db}{suffix}"));
        }
    }
    let store = open(db).await?;
    let seeded = verbund_app::demo::seed(&store)
        .await
        .context("seeding the demo federation")?;
    if let Some(members) = scale {
        if seeded.is_none() {
            bail!("--scale needs a new demo database: add --reset");
        }
        generate_scale(&store, members, catalog_items).await?;
    }
    cfg.bind = bind;
    cfg.base_url = format!("http://{}", cfg.bind);
    print_demo(&cfg, seeded.is_some());
    if no_serve {
        Ok(())
    } else {
        serve(store, &cfg).await
    }
}

/// The shared datasets folder: `$VERBUND_DATASETS`, else `../shared/datasets` from the
/// working directory, else the one next to the source tree this binary was built from.
fn datasets_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("VERBUND_DATASETS") {
        return PathBuf::from(d);
    }
    let local = PathBuf::from("../shared/datasets");
    if local.is_dir() {
        return local;
    }
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/datasets"
    ))
}

/// `demo --scale N`: generated members, catalog and assessments, with progress bars.
async fn generate_scale(store: &Store, members: usize, catalog_items: usize) -> anyhow::Result<()> {
    use verbund_app::demo::scale::{Event, ScaleOptions, generate};
    if catalog_items == 0 {
        bail!("--catalog-items must be at least 1");
    }
    let opts = ScaleOptions {
        members,
        catalog_items,
        gemeinden_csv: Some(datasets_dir().join("gemeinden/gemeinden.csv")),
        seed: 2026,
    };
    let style = indicatif::ProgressStyle::with_template(
        "{prefix:>12} {bar:30} {pos}/{len} {per_sec} {elapsed_precise}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    let bars = indicatif::MultiProgress::new();
    let new_bar = |prefix: &'static str| {
        let b = bars.add(indicatif::ProgressBar::new(0));
        b.set_style(style.clone());
        b.set_prefix(prefix);
        b
    };
    let (member_bar, assessment_bar, structure_bar) = (
        new_bar("Mitglieder"),
        new_bar("Bewertungen"),
        new_bar("Strukturen"),
    );
    let started = std::time::Instant::now();
    let report = generate(store, &opts, |e| match e {
        Event::Note(text) => {
            // Printed whether or not stderr is a terminal (bars are hidden otherwise).
            bars.suspend(|| eprintln!("Hinweis: {text}"));
        }
        Event::Members(done, total) => {
            member_bar.set_length(total as u64);
            member_bar.set_position(done as u64);
        }
        Event::Assessments(done, total) => {
            assessment_bar.set_length(total as u64);
            assessment_bar.set_position(done as u64);
        }
        Event::Structures(done, total) => {
            structure_bar.set_length(total as u64);
            structure_bar.set_position(done as u64);
        }
    })
    .await
    .context("generating members and assessments")?;
    member_bar.finish();
    assessment_bar.finish();
    structure_bar.finish();
    println!(
        "Erzeugt: {} Mitglieder ({} aus der Gemeindeliste, {} synthetisch), {} Bewertungen mit {} Antworten (Katalog {}), {} Zielobjekte in {:.1} s",
        report.from_list + report.synthesised,
        report.from_list,
        report.synthesised,
        report.assessments,
        report.answers,
        report.catalog_id,
        report.structure_objects,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_demo(cfg: &Config, fresh: bool) {
    println!();
    println!(
        "  Verbund-Demo: Informationssicherheitsverbund Kreis Groß-Gerau{}",
        if fresh { " (neu angelegt)" } else { "" }
    );
    println!("  Öffnen Sie {}", cfg.base_url);
    println!(
        "  Passwort für alle Demo-Konten: {}",
        verbund_app::demo::DEMO_PASSWORD
    );
    println!("    admin@verbund.example                    Plattform-Administration");
    println!(
        "    isb@verbund.example                      ISB der Informationssicherheitsstelle (alle Mitglieder)"
    );
    println!(
        "    koordination@nauheim.example             Koordination Nauheim (nur eigene Gemeinde)"
    );
    println!("    leitung@nauheim.example                  Verwaltungsspitze Nauheim (nur lesen)");
    println!("    massnahmen@nauheim.example               Maßnahmenverantwortung Nauheim");
    println!(
        "    koordination@<stadt>.example             z. B. koordination@ruesselsheim-am-main.example"
    );
    println!();
}
