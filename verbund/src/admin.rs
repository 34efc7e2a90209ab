//! Administration commands: `create-admin`, `audit verify` and `audit checkpoint`.

use std::path::Path;

use anyhow::{Context, bail};
use verbund_domain::audit::Checkpoint;
use verbund_domain::authz::Role;
use verbund_domain::user::{Email, NewUser, check_password};
use verbund_domain::validation::required_text;
use verbund_store::{AuditActor, Store};

use crate::errors;

/// `verbund create-admin`: creates the federation when there is none, then a platform administrator.
pub async fn create_admin(
    store: &Store,
    email: &str,
    name: &str,
    federation: &str,
    office: &str,
    password: String,
) -> anyhow::Result<()> {
    check_password(&password).map_err(|c| anyhow::anyhow!("password rejected: {c}"))?;
    let email = Email::parse(email).map_err(|c| anyhow::anyhow!("e-mail rejected: {c}"))?;
    // The names end up in letters and page titles: the same rules as in the UI.
    let text = |option: &str, value: &str| {
        required_text(value, 200)
            .map_err(|c| anyhow::anyhow!("--{option}: {}", verbund_i18n::Lang::De.t(c)))
    };
    let (name, federation, office) = (
        text("name", name)?,
        text("federation", federation)?,
        text("office", office)?,
    );
    let sys = AuditActor::system();
    let fed = match store.federation().await? {
        Some(f) => f,
        None => {
            let office = verbund_domain::org::OrgInput {
                name: office,
                kind: verbund_domain::org::OrgKind::Office,
                ags: None,
                population: None,
                staff: None,
                it_workplaces: None,
                address: None,
            };
            store.create_federation(&sys, &federation, &office).await?
        }
    };
    let hash = verbund_app::crypto::hash_password(password)
        .await
        .map_err(errors::message)?;
    let user = NewUser {
        email,
        display_name: name,
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

/// `verbund audit verify`: checks the hash chain and every checkpoint in `checkpoints` (if the
/// file exists); lists every problem and exits with code 1 if there is one.
pub async fn verify_audit(store: &Store, checkpoints: &Path) -> anyhow::Result<()> {
    let report = store.verify_audit_report().await?;
    let mut problems: Vec<String> = report.problems.iter().map(errors::chain_problem).collect();
    let mut checked = 0;
    match std::fs::read_to_string(checkpoints) {
        Ok(text) => {
            for cp in text.lines().filter_map(Checkpoint::parse_line) {
                checked += 1;
                if let Err(e) = cp.check(store.audit_hash_at(cp.seq).await?.as_deref()) {
                    problems.push(format!(
                        "{} (Prüfpunkt vom {})",
                        errors::chain_problem(&e),
                        verbund_domain::localtime::fmt_ms(cp.at_ms)
                    ));
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!(
                "Hinweis: keine Prüfpunktdatei {} – gekürzte Enden erkennt nur ein Prüfpunkt (verbund audit checkpoint).",
                checkpoints.display()
            );
        }
        Err(e) => bail!("Prüfpunktdatei {} nicht lesbar: {e}", checkpoints.display()),
    }
    if problems.is_empty() {
        println!(
            "Änderungsprotokoll intakt: {} Einträge und {checked} Prüfpunkte geprüft.",
            report.entries
        );
        return Ok(());
    }
    eprintln!(
        "Änderungsprotokoll MANIPULIERT ({} Befunde):",
        problems.len()
    );
    for p in &problems {
        eprintln!("  - {p}");
    }
    std::process::exit(1);
}

/// `verbund audit checkpoint`: appends the chain's head to `file` (after checking the chain:
/// a broken chain gets no checkpoint) and prints the line, so it can also go to a log or a mail.
pub async fn audit_checkpoint(store: &Store, file: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    let report = store.verify_audit_report().await?;
    if let Some(e) = report.problems.first() {
        bail!(
            "kein Prüfpunkt: das Änderungsprotokoll ist nicht intakt ({})",
            errors::chain_problem(e)
        );
    }
    let (seq, hash) = store.audit_head().await?;
    let line = Checkpoint {
        seq,
        hash,
        at_ms: verbund_store::now_ms(),
    }
    .to_line();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .with_context(|| format!("Prüfpunktdatei {} nicht beschreibbar", file.display()))?;
    writeln!(f, "{line}")?;
    f.sync_all()?;
    tracing::info!(checkpoint = %line, file = %file.display(), "audit checkpoint");
    println!("{line}");
    Ok(())
}
