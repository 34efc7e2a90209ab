//! `verbund backup`, `restore` and `backup-key`: backups hold password hashes and TOTP secrets,
//! so they are written readable by the owner only (0600) and can be encrypted with age — to a
//! key file for unattended backups, or with a passphrase from the environment. Restore detects
//! an encrypted file by its header.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use anyhow::{Context, bail};
use verbund_store::Store;

/// The environment variable a passphrase is read from (never a command-line argument, which
/// other users see in the process list).
pub const PASSPHRASE_ENV: &str = "VERBUND_BACKUP_PASSPHRASE";

const AGE_HEADER: &[u8] = b"age-encryption.org/v1";

/// How a backup is protected.
pub enum Protection {
    /// Plain JSON (still 0600).
    None,
    /// Encrypted to the public key of an age identity file; restore needs the file.
    KeyFile(PathBuf),
    /// Encrypted with a passphrase (scrypt) from [`PASSPHRASE_ENV`].
    Passphrase,
}

impl Protection {
    /// From the options: `--key-file` (or `VERBUND_BACKUP_KEY_FILE`), `--passphrase`.
    pub fn from_options(key_file: Option<PathBuf>, passphrase: bool) -> anyhow::Result<Self> {
        let key_file = key_file.or_else(|| {
            std::env::var_os("VERBUND_BACKUP_KEY_FILE")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        });
        match (key_file, passphrase) {
            (Some(_), true) => bail!("entweder --key-file oder --passphrase, nicht beides"),
            (Some(f), false) => Ok(Self::KeyFile(f)),
            (None, true) => Ok(Self::Passphrase),
            (None, false) => Ok(Self::None),
        }
    }
}

fn passphrase() -> anyhow::Result<SecretString> {
    match std::env::var(PASSPHRASE_ENV) {
        Ok(p) if p.chars().count() >= 12 => Ok(SecretString::from(p)),
        Ok(_) => bail!("die Passphrase in {PASSPHRASE_ENV} ist zu kurz (mindestens 12 Zeichen)"),
        Err(_) => bail!(
            "--passphrase: setzen Sie die Passphrase in der Umgebungsvariable {PASSPHRASE_ENV}"
        ),
    }
}

/// Reads an age identity file, refusing one that others may read.
fn identity(file: &Path) -> anyhow::Result<age::x25519::Identity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file)
            .with_context(|| format!("Schlüsseldatei {} nicht lesbar", file.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            bail!(
                "Schlüsseldatei {} ist für andere lesbar (Modus {:o}): chmod 600 {}",
                file.display(),
                mode & 0o777,
                file.display()
            );
        }
    }
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("Schlüsseldatei {} nicht lesbar", file.display()))?;
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .and_then(|l| l.parse().ok())
        .with_context(|| {
            format!(
                "{} enthält keinen age-Schlüssel (AGE-SECRET-KEY-…); neu anlegen mit verbund backup-key",
                file.display()
            )
        })
}

/// Creates `path` for writing, readable and writable by the owner only.
fn create_private(path: &Path, overwrite: bool) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true);
    if overwrite {
        o.create(true).truncate(true);
    } else {
        o.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(path)?;
    // A file that existed keeps its mode on open: set it explicitly.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(f)
}

/// `verbund backup-key FILE`: a new age identity, written 0600 (an existing file is kept).
pub fn new_key(file: &Path) -> anyhow::Result<()> {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let public = id.to_public().to_string();
    let mut f = create_private(file, false).with_context(|| {
        format!(
            "{} kann nicht angelegt werden (besteht sie schon?)",
            file.display()
        )
    })?;
    writeln!(
        f,
        "# Verbund-Sicherungsschlüssel (age), öffentlicher Teil: {public}"
    )?;
    writeln!(f, "{}", id.to_string().expose_secret())?;
    f.sync_all()?;
    println!(
        "Schlüssel geschrieben: {} (nur für den Eigentümer lesbar)",
        file.display()
    );
    println!("Öffentlicher Schlüssel: {public}");
    println!(
        "Bewahren Sie eine Kopie getrennt von den Sicherungen auf: ohne sie ist keine Wiederherstellung möglich."
    );
    Ok(())
}

/// `verbund backup`: writes the snapshot to a temporary file first (so an interrupted backup
/// never leaves a truncated file under the target name), 0600, encrypted if asked.
pub async fn backup(store: &Store, file: &Path, protection: &Protection) -> anyhow::Result<()> {
    let recipient: Option<Box<dyn age::Recipient + Send>> = match protection {
        Protection::None => None,
        Protection::KeyFile(k) => Some(Box::new(identity(k)?.to_public())),
        Protection::Passphrase => Some(Box::new(age::scrypt::Recipient::new(passphrase()?))),
    };
    let snapshot = store.backup().await?;
    let tmp = file.with_extension("tmp");
    let out = create_private(&tmp, true).with_context(|| format!("writing {}", tmp.display()))?;
    let mut out = std::io::BufWriter::new(out);
    match &recipient {
        None => serde_json::to_writer(&mut out, &snapshot)?,
        Some(r) => {
            let enc = age::Encryptor::with_recipients(std::iter::once(r.as_ref() as _))
                .context("Verschlüsselung")?;
            let mut w = enc.wrap_output(&mut out)?;
            serde_json::to_writer(&mut w, &snapshot)?;
            w.finish()?;
        }
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, file)?;
    println!(
        "Sicherung geschrieben: {}{}",
        file.display(),
        if recipient.is_some() {
            " (verschlüsselt)"
        } else {
            ""
        }
    );
    Ok(())
}

/// Reads a backup file, decrypting it when it is an age file.
pub fn read_backup(file: &Path, protection: &Protection) -> anyhow::Result<serde_json::Value> {
    let data = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    if !data.starts_with(AGE_HEADER) {
        return serde_json::from_slice(&data).context("the backup file is not valid JSON");
    }
    let dec =
        age::Decryptor::new(&data[..]).context("die Sicherung ist keine gültige age-Datei")?;
    let mut plain = Vec::new();
    let mut reader = match protection {
        Protection::KeyFile(k) => {
            let id = identity(k)?;
            dec.decrypt(std::iter::once(&id as &dyn age::Identity))
        }
        Protection::Passphrase => {
            let id = age::scrypt::Identity::new(passphrase()?);
            dec.decrypt(std::iter::once(&id as &dyn age::Identity))
        }
        Protection::None => bail!(
            "die Sicherung ist verschlüsselt: --key-file DATEI oder --passphrase (mit {PASSPHRASE_ENV}) angeben"
        ),
    }
    .map_err(|e| anyhow::anyhow!("Entschlüsseln fehlgeschlagen (falscher Schlüssel oder falsche Passphrase?): {e}"))?;
    reader
        .read_to_end(&mut plain)
        .context("Entschlüsseln fehlgeschlagen (Datei beschädigt?)")?;
    serde_json::from_slice(&plain).context("the backup file is not valid JSON")
}

/// `verbund restore`: loads a backup into an empty database and verifies the audit chain.
pub async fn restore(store: &Store, file: &Path, protection: &Protection) -> anyhow::Result<()> {
    let snapshot = read_backup(file, protection)?;
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
