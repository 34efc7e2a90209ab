//! Administration commands: `create-admin`, `audit verify`, `backup` and `restore`.

use std::path::Path;

use anyhow::{Context, bail};
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

/// `verbund audit verify`: checks the hash chain; exit code 1 when it was tampered with.
pub async fn verify_audit(store: &Store) -> anyhow::Result<()> {
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

/// `verbund backup`: writes the snapshot to a temporary file first, so an interrupted backup
/// never leaves a truncated file under the target name.
pub async fn backup(store: &Store, file: &Path) -> anyhow::Result<()> {
    let snapshot = store.backup().await?;
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, serde_json::to_vec(&snapshot)?)
        .with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, file)?;
    println!("Sicherung geschrieben: {}", file.display());
    Ok(())
}

/// `verbund restore`: loads a backup into an empty database and verifies the audit chain.
pub async fn restore(store: &Store, file: &Path) -> anyhow::Result<()> {
    let data = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
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
