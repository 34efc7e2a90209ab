//! `verbund`: the server and its administration commands. `main` parses the command line and
//! hands each subcommand to its module.

mod admin;
mod advisories;
mod backup;
mod catalog;
mod cli;
mod config;
mod costs;
mod db;
mod demo;
mod errors;
mod mail;
mod pact;
mod serve;

use crate::cli::{AuditCmd, Cli, Cmd, CostsCmd, ImportCmd, PactCmd};
use crate::config::Config;
use crate::db::open;

/// SQLite worker threads allocate every row and the async workers free it: glibc's malloc
/// serializes such cross-thread frees on arena locks (a third of the CPU time of a large
/// answer list in a profile); mimalloc frees them without contention.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// mimalloc keeps freed memory mapped for reuse, and commits its arenas eagerly: a single
/// login (argon2 hashes in 19 MiB) then leaves the process 30 MB larger for good. Returning
/// freed pages at once and committing lazily keeps a small server small (measured: 25 MB
/// after start and 28 MB after a login, instead of 35 and 66) at no measurable cost in the
/// benchmarks. mimalloc reads these options from the environment before `main` runs, so the
/// binary starts itself once more with them set, unless the operator set them already.
#[cfg(unix)]
fn tune_allocator() {
    use std::os::unix::process::CommandExt;
    const PURGE: &str = "MIMALLOC_PURGE_DELAY";
    if std::env::var_os(PURGE).is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut again = std::process::Command::new(exe);
    again
        .args(std::env::args_os().skip(1))
        .env(PURGE, "0")
        .env("MIMALLOC_ARENA_EAGER_COMMIT", "0");
    // `exec` returns only if it failed; then the defaults stay, which is only less frugal.
    let _failed = again.exec();
}

#[cfg(not(unix))]
fn tune_allocator() {}

fn main() -> std::process::ExitCode {
    tune_allocator();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(run_main()),
        Err(e) => {
            eprintln!("Fehler: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run_main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The message chain is what a user needs; a backtrace would only bury it.
            eprintln!("Fehler: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    use clap::{CommandFactory, FromArgMatches};
    let matches = match cli::german(Cli::command()).try_get_matches() {
        Ok(m) => m,
        Err(e) => cli::usage_error(e),
    };
    let cli = Cli::from_arg_matches(&matches)?;
    let cfg = Config::load(cli.config.as_deref())?;
    init_logging(cfg.log_json);
    match cli.cmd {
        Cmd::Serve => serve::serve(open(&cfg.database_url).await?, &cfg).await,
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
        } => demo::run(cfg, &db, reset, bind, no_serve, scale, catalog_items).await,
        Cmd::CreateAdmin {
            email,
            name,
            federation,
            office,
            password,
        } => {
            let store = open(&cfg.database_url).await?;
            admin::create_admin(&store, &email, &name, &federation, &office, password).await
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
            catalog::import_catalog(&store, &file, &format, catalog.as_deref()).await
        }
        Cmd::Import {
            cmd: ImportCmd::Advisories { dir },
        } => {
            let store = open(&cfg.database_url).await?;
            advisories::import_dir(store, &dir, &cfg.base_url).await
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
        Cmd::Pact {
            cmd: PactCmd::Handbook { out },
        } => {
            let store = open(&cfg.database_url).await?;
            pact::handbooks(store, &out).await
        }
        Cmd::Audit {
            cmd: AuditCmd::Verify { checkpoints },
        } => {
            let file = checkpoints.unwrap_or_else(|| cfg.audit_checkpoints.clone().into());
            admin::verify_audit(&open(&cfg.database_url).await?, &file).await
        }
        Cmd::Audit {
            cmd: AuditCmd::Checkpoint { file },
        } => {
            let file = file.unwrap_or_else(|| cfg.audit_checkpoints.clone().into());
            admin::audit_checkpoint(&open(&cfg.database_url).await?, &file).await
        }
        Cmd::Backup { file, protection } => {
            let p = backup::Protection::from_options(protection.key_file, protection.passphrase)?;
            backup::backup(&open(&cfg.database_url).await?, &file, &p).await
        }
        Cmd::Restore { file, protection } => {
            let p = backup::Protection::from_options(protection.key_file, protection.passphrase)?;
            backup::restore(&open(&cfg.database_url).await?, &file, &p).await
        }
        Cmd::BackupKey { file } => backup::new_key(&file),
        Cmd::BenchReminders {
            db,
            members,
            per_member,
        } => mail::bench(open(&db).await?, members, per_member).await,
    }
}
