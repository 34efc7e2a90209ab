//! `verbund`: the server and its administration commands.

mod config;
mod costs;
mod errors;

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use verbund_domain::authz::Role;
use verbund_domain::user::{Email, NewUser, check_password};
use verbund_store::{AuditActor, Store};
use verbund_web::{AppState, WebConfig};

use crate::config::Config;

/// SQLite worker threads allocate every row and the async workers free it: glibc's malloc
/// serializes such cross-thread frees on arena locks (a third of the CPU time of a large
/// answer list in a profile); mimalloc frees them without contention.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Help in German: clap's own headings and flag texts are English, so they are replaced here.
const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
Aufruf: {usage}

{all-args}{after-help}";

#[derive(Parser)]
#[command(
    name = "verbund",
    version,
    about = "Verbund – interkommunale Informationssicherheit",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Befehle",
    subcommand_value_name = "BEFEHL",
    next_help_heading = "Optionen",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "Hilfe zu einem Befehl: verbund BEFEHL --help"
)]
struct Cli {
    /// Konfigurationsdatei (TOML); ohne Angabe `verbund.toml`, falls vorhanden.
    #[arg(long, global = true, env = "VERBUND_CONFIG", value_name = "DATEI")]
    config: Option<PathBuf>,
    /// Diese Hilfe anzeigen.
    #[arg(short, long, global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// Version anzeigen.
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Startet den Webserver (bringt die Datenbank vorher auf den neuesten Stand).
    Serve,
    /// Bringt die Datenbank auf den neuesten Stand und beendet sich.
    Migrate,
    /// Legt den Demo-Verbund (Kreis Groß-Gerau) in einer SQLite-Datei an und startet den Server.
    Demo {
        /// Datenbankdatei der Demo.
        #[arg(long, default_value = "verbund-demo.db", value_name = "DATEI")]
        db: String,
        /// Die Demo-Datenbank vorher löschen.
        #[arg(long)]
        reset: bool,
        /// Adresse, auf der der Server lauscht.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADRESSE")]
        bind: String,
        /// Nur anlegen, keinen Server starten.
        #[arg(long)]
        no_serve: bool,
        /// Zusätzlich N Mitglieder erzeugen (Namen, AGS und Einwohner aus der Gemeindeliste
        /// `gemeinden.csv` unter $VERBUND_DATASETS oder ../shared/datasets), einen
        /// synthetischen Katalog und je eine Bewertung mit Zufallsantworten (Lasttests).
        #[arg(long, value_name = "N")]
        scale: Option<usize>,
        /// Anforderungen des synthetischen Katalogs (mit --scale).
        #[arg(long, default_value_t = 300, requires = "scale", value_name = "ANZAHL")]
        catalog_items: usize,
    },
    /// Legt den Verbund an (falls noch keiner besteht) und eine Plattform-Administration.
    CreateAdmin {
        /// E-Mail-Adresse der Administration.
        #[arg(long, value_name = "E-MAIL")]
        email: String,
        /// Anzeigename.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Name des Verbunds, wenn er jetzt angelegt wird.
        #[arg(
            long,
            default_value = "Informationssicherheitsverbund",
            value_name = "NAME"
        )]
        federation: String,
        /// Name der Informationssicherheitsstelle, wenn sie jetzt angelegt wird.
        #[arg(
            long,
            default_value = "Informationssicherheitsstelle",
            value_name = "NAME"
        )]
        office: String,
        /// Passwort; aus VERBUND_ADMIN_PASSWORD gelesen, damit es nicht in der Shell-Historie landet.
        #[arg(
            long,
            env = "VERBUND_ADMIN_PASSWORD",
            hide_env_values = true,
            value_name = "PASSWORT"
        )]
        password: String,
    },
    /// Importiert Dateien.
    Import {
        #[command(subcommand)]
        cmd: ImportCmd,
    },
    /// Kostenbeteiligung: Dokumente erstellter Abrechnungen.
    Costs {
        #[command(subcommand)]
        cmd: CostsCmd,
    },
    /// Änderungsprotokoll.
    Audit {
        #[command(subcommand)]
        cmd: AuditCmd,
    },
    /// Schreibt eine konsistente, übertragbare Sicherung der Datenbank in DATEI (JSON).
    Backup {
        /// Zieldatei.
        #[arg(value_name = "DATEI")]
        file: PathBuf,
    },
    /// Stellt eine Sicherung in einer leeren Datenbank wieder her.
    Restore {
        /// Sicherungsdatei von `verbund backup`.
        #[arg(value_name = "DATEI")]
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCmd {
    /// Importiert einen Anforderungskatalog (CISO-Assistant-YAML, OSCAL-Katalog oder ein
    /// OSCAL-Profil zusammen mit `--catalog`) als neue Revision.
    Catalog {
        /// Die Datei.
        #[arg(value_name = "DATEI")]
        file: PathBuf,
        /// Format: auto, ciso oder oscal.
        #[arg(long, default_value = "auto", value_name = "FORMAT")]
        format: String,
        /// Bei einem OSCAL-Profil: der Katalog, aus dem es auswählt.
        #[arg(long, value_name = "DATEI")]
        catalog: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CostsCmd {
    /// Schreibt die Abrechnung eines Jahres in ein Verzeichnis: ein PDF-Schreiben je Mitglied
    /// und eine XLSX-Arbeitsmappe mit der ganzen Berechnung (vorhandene Dateien werden ersetzt).
    Statements {
        /// Das Jahr.
        #[arg(long, value_name = "JAHR")]
        year: i32,
        /// Zielverzeichnis; wird angelegt, falls es fehlt.
        #[arg(long, value_name = "VERZEICHNIS")]
        out: PathBuf,
        /// Nummer der Abrechnung; ohne Angabe die neueste des Jahres.
        #[arg(long, value_name = "NR")]
        statement: Option<i64>,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Prüft die Hash-Kette; Exit-Code 1, wenn ein Eintrag geändert oder gelöscht wurde.
    Verify,
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let b = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        b.json().init();
    } else {
        b.init();
    }
}

async fn open(url: &str) -> anyhow::Result<Store> {
    let store = Store::connect(url)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))?;
    store
        .migrate(true)
        .await
        .context("migrating the database")?;
    Ok(store)
}

/// Hides a password in a database URL before it is logged.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].find(':') {
            Some(c) => format!("{}:***{}", &url[..s + 3 + c], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The message chain is what a user needs; a backtrace would only bury it.
            eprintln!("Fehler: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Applies the German headings and template to a command and all its subcommands (clap's
/// settings on the top command do not reach the subcommands).
fn german(cmd: clap::Command) -> clap::Command {
    cmd.help_template(HELP_TEMPLATE)
        .subcommand_help_heading("Befehle")
        .subcommand_value_name("BEFEHL")
        .disable_help_subcommand(true)
        .mut_args(|a| {
            if a.is_positional() {
                a.help_heading("Argumente")
            } else {
                a.help_heading("Optionen")
            }
        })
        .mut_subcommands(german)
}

/// Help and version are printed as clap renders them; a wrong call gets a German sentence
/// (clap's own error texts are English) and exit code 2.
fn usage_error(e: clap::Error) -> ! {
    use clap::error::{ContextKind, ErrorKind};
    let what = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        ErrorKind::InvalidSubcommand => "unbekannter Befehl",
        ErrorKind::UnknownArgument => "unbekannte Option",
        ErrorKind::MissingRequiredArgument => "es fehlt eine Angabe",
        ErrorKind::MissingSubcommand => "es fehlt der Befehl",
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => "ungültiger Wert",
        _ => "ungültiger Aufruf",
    };
    let detail = e
        .get(ContextKind::InvalidArg)
        .or_else(|| e.get(ContextKind::InvalidSubcommand))
        .map(|v| format!(": {v}"))
        .unwrap_or_default();
    eprintln!("Fehler: {what}{detail}\nHilfe: verbund --help");
    std::process::exit(2)
}

async fn run() -> anyhow::Result<()> {
    use clap::{CommandFactory, FromArgMatches};
    let matches = match german(Cli::command()).try_get_matches() {
        Ok(m) => m,
        Err(e) => usage_error(e),
    };
    let cli = Cli::from_arg_matches(&matches)?;
    let mut cfg = Config::load(cli.config.as_deref())?;
    init_logging(cfg.log_json);
    match cli.cmd {
        Cmd::Serve => {
            let store = open(&cfg.database_url).await?;
            serve(store, &cfg).await
        }
        Cmd::Migrate => {
            open(&cfg.database_url).await?;
            println!("Datenbank ist auf dem neuesten Stand.");
            Ok(())
        }
        Cmd::Demo {
            db,
            reset,
            bind,
            no_serve,
            scale,
            catalog_items,
        } => {
            if reset {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{db}{suffix}"));
                }
            }
            let store = open(&db).await?;
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
        Cmd::CreateAdmin {
            email,
            name,
            federation,
            office,
            password,
        } => {
            let store = open(&cfg.database_url).await?;
            create_admin(&store, &email, &name, &federation, &office, password).await
        }
        Cmd::Import {
            cmd:
                ImportCmd::Catalog {
                    file,
                    format,
                    catalog,
                },
        } => {
            let store = open(&cfg.database_url).await?;
            import_catalog(&store, &file, &format, catalog.as_deref()).await
        }
        Cmd::Costs {
            cmd:
                CostsCmd::Statements {
                    year,
                    out,
                    statement,
                },
        } => {
            let store = open(&cfg.database_url).await?;
            costs::statements(store, year, statement, &out).await
        }
        Cmd::Audit {
            cmd: AuditCmd::Verify,
        } => {
            let store = open(&cfg.database_url).await?;
            match store.verify_audit().await? {
                Ok(n) => {
                    println!("Änderungsprotokoll intakt: {n} Einträge geprüft.");
                    Ok(())
                }
                Err(e) => {
                    eprintln!("Änderungsprotokoll MANIPULIERT: {e}");
                    std::process::exit(1);
                }
            }
        }
        Cmd::Backup { file } => {
            let store = open(&cfg.database_url).await?;
            let snapshot = store.backup().await?;
            let tmp = file.with_extension("tmp");
            std::fs::write(&tmp, serde_json::to_vec(&snapshot)?)
                .with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, &file)?;
            println!("Sicherung geschrieben: {}", file.display());
            Ok(())
        }
        Cmd::Restore { file } => {
            let store = open(&cfg.database_url).await?;
            let data =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let snapshot: serde_json::Value =
                serde_json::from_slice(&data).context("the backup file is not valid JSON")?;
            let summary = store.restore(&snapshot).await?;
            for (table, rows) in summary.tables {
                println!("{table}: {rows}");
            }
            match store.verify_audit().await? {
                Ok(n) => println!("Wiederhergestellt; Änderungsprotokoll intakt ({n} Einträge)."),
                Err(e) => bail!("restored, but the audit chain does not verify: {e}"),
            }
            Ok(())
        }
    }
}

async fn import_catalog(
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
    let (member_bar, assessment_bar) = (new_bar("Mitglieder"), new_bar("Bewertungen"));
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
    })
    .await
    .context("generating members and assessments")?;
    member_bar.finish();
    assessment_bar.finish();
    println!(
        "Erzeugt: {} Mitglieder ({} aus der Gemeindeliste, {} synthetisch), {} Bewertungen mit {} Antworten (Katalog {}) in {:.1} s",
        report.from_list + report.synthesised,
        report.from_list,
        report.synthesised,
        report.assessments,
        report.answers,
        report.catalog_id,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn create_admin(
    store: &Store,
    email: &str,
    name: &str,
    federation: &str,
    office: &str,
    password: String,
) -> anyhow::Result<()> {
    check_password(&password).map_err(|c| anyhow::anyhow!("password rejected: {c}"))?;
    let email = Email::parse(email).map_err(|c| anyhow::anyhow!("e-mail rejected: {c}"))?;
    let sys = AuditActor::system();
    let fed = match store.federation().await? {
        Some(f) => f,
        None => {
            let office = verbund_domain::org::OrgInput {
                name: office.to_owned(),
                kind: verbund_domain::org::OrgKind::Office,
                ags: None,
                population: None,
                staff: None,
                it_workplaces: None,
                address: None,
            };
            store.create_federation(&sys, federation, &office).await?
        }
    };
    let hash = verbund_app::crypto::hash_password(password)
        .await
        .map_err(errors::message)?;
    let user = NewUser {
        email,
        display_name: name.to_owned(),
        password: None,
    };
    let u = store
        .create_user(
            &sys,
            &user,
            Some(&hash),
            Some((fed.office_org_id, Role::FederationAdmin)),
        )
        .await?;
    println!("Administrator angelegt: {} (ID {})", u.email, u.id);
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

async fn serve(store: Store, cfg: &Config) -> anyhow::Result<()> {
    let web = WebConfig {
        base_url: cfg.base_url.clone(),
        trust_proxy: cfg.trust_proxy,
        ..WebConfig::default()
    };
    let mut state = AppState::new(store, web);
    state.metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .ok();
    let app = verbund_web::app(state);
    let listener = tokio::net::TcpListener::bind(&cfg.bind)
        .await
        .with_context(|| format!("binding {}", cfg.bind))?;
    tracing::info!(addr = %cfg.bind, url = %cfg.base_url, "listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Ends on Ctrl-C or SIGTERM; in-flight requests are finished first.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_password_in_url() {
        assert_eq!(
            super::redact("postgres://app:s3cret@db:5432/verbund"),
            "postgres://app:***@db:5432/verbund"
        );
        assert_eq!(super::redact("sqlite://verbund.db"), "sqlite://verbund.db");
    }
}
