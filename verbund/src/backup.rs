//! `verbund backup`, `restore` and `backup-key`: backups hold password hashes and TOTP secrets,
//! so they are written readable by the owner only (0600) and can be encrypted with age — to a
//! key file for unattended backups, or with a passphrase from the environment. Restore detects
//! an encrypted file by its header. The snapshot itself is backup format 2 (one JSON value per
//! line, streamed by the store) compressed with gzip inside the optional encryption.

use std::io::{BufRead, Write};
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
    /// Not encrypted (gzip-compressed JSON lines, still 0600).
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

/// A progress line on stderr (drawn only on a terminal): table, rows so far, rows per second.
fn progress_bar(prefix: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{prefix:>16} {spinner} {pos} Zeilen ({per_sec}) {msg} {elapsed_precise}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_prefix(prefix);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Rows and rate, for the closing line.
fn rate(rows: u64, started: std::time::Instant) -> String {
    let secs = started.elapsed().as_secs_f64();
    format!(
        "{rows} Zeilen in {secs:.1} s ({:.0} Zeilen/s)",
        rows as f64 / secs.max(0.001)
    )
}

/// Streams the backup gzip-compressed into `w` and returns `w` (to finish an encryption).
async fn write_compressed<W: Write>(
    store: &Store,
    w: W,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> anyhow::Result<(W, u64)> {
    let gz = flate2::write::GzEncoder::new(w, flate2::Compression::fast());
    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, gz);
    let summary = store.backup_to(&mut buffered, progress).await?;
    let gz = buffered.into_inner().map_err(|e| e.into_error())?;
    let rows = summary.tables.iter().map(|(_, n)| *n as u64).sum();
    Ok((gz.finish()?, rows))
}

/// `verbund backup`: streams the snapshot (format 2, gzip) to a temporary file first (so an
/// interrupted backup never leaves a truncated file under the target name), 0600, encrypted
/// if asked.
pub async fn backup(store: &Store, file: &Path, protection: &Protection) -> anyhow::Result<()> {
    let recipient: Option<Box<dyn age::Recipient + Send>> = match protection {
        Protection::None => None,
        Protection::KeyFile(k) => Some(Box::new(identity(k)?.to_public())),
        Protection::Passphrase => Some(Box::new(age::scrypt::Recipient::new(passphrase()?))),
    };
    let tmp = file.with_extension("tmp");
    let out = create_private(&tmp, true).with_context(|| format!("writing {}", tmp.display()))?;
    let out = std::io::BufWriter::with_capacity(1 << 20, out);
    let started = std::time::Instant::now();
    let bar = progress_bar("Sicherung");
    let mut on_progress = |table: &str, rows: u64| {
        bar.set_position(rows);
        bar.set_message(table.to_owned());
    };
    let written = match &recipient {
        None => write_compressed(store, out, &mut on_progress).await,
        Some(r) => {
            let enc = age::Encryptor::with_recipients(std::iter::once(r.as_ref() as _))
                .context("Verschlüsselung")?;
            let w = enc.wrap_output(out)?;
            match write_compressed(store, w, &mut on_progress).await {
                Ok((w, rows)) => Ok((w.finish()?, rows)),
                Err(e) => Err(e),
            }
        }
    };
    bar.finish_and_clear();
    let (out, rows) = match written {
        Ok(w) => w,
        Err(e) => {
            // Best effort: the error below matters, not a leftover temporary file.
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, file)?;
    println!(
        "Sicherung geschrieben: {}{} — {}",
        file.display(),
        if recipient.is_some() {
            " (verschlüsselt)"
        } else {
            ""
        },
        rate(rows, started)
    );
    Ok(())
}

/// Opens a backup file for reading line by line: decrypted when it is an age file, unpacked
/// when it is gzip-compressed (format 2; format 1 files are plain JSON).
pub fn open_backup(file: &Path, protection: &Protection) -> anyhow::Result<Box<dyn BufRead>> {
    let f = std::fs::File::open(file).with_context(|| format!("reading {}", file.display()))?;
    let mut input = std::io::BufReader::with_capacity(1 << 20, f);
    let encrypted = input
        .fill_buf()
        .with_context(|| format!("reading {}", file.display()))?
        .starts_with(AGE_HEADER);
    let plain: Box<dyn BufRead> = if encrypted {
        let dec = age::Decryptor::new_buffered(input)
            .context("die Sicherung ist keine gültige age-Datei")?;
        let reader = match protection {
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
        Box::new(std::io::BufReader::with_capacity(1 << 20, reader))
    } else {
        Box::new(input)
    };
    gunzip_if_compressed(plain).context("Entschlüsseln fehlgeschlagen (Datei beschädigt?)")
}

fn gunzip_if_compressed(mut input: Box<dyn BufRead>) -> std::io::Result<Box<dyn BufRead>> {
    if input.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::bufread::MultiGzDecoder::new(input);
        return Ok(Box::new(std::io::BufReader::with_capacity(1 << 20, gz)));
    }
    Ok(input)
}

/// `verbund restore`: loads a backup line by line into an empty database (one transaction:
/// on any error the database stays empty) and verifies the audit chain.
pub async fn restore(store: &Store, file: &Path, protection: &Protection) -> anyhow::Result<()> {
    let mut input = open_backup(file, protection)?;
    let started = std::time::Instant::now();
    let bar = progress_bar("Wiederherstellung");
    let result = store
        .restore_from(&mut input, &mut |table: &str, rows: u64| {
            bar.set_position(rows);
            bar.set_message(table.to_owned());
        })
        .await;
    bar.finish_and_clear();
    let summary = result?;
    for (table, rows) in &summary.tables {
        println!("{table}: {rows}");
    }
    let rows = summary.tables.iter().map(|(_, n)| *n as u64).sum();
    println!("{}", rate(rows, started));
    match store.verify_audit().await? {
        Ok(n) => println!("Wiederhergestellt; Änderungsprotokoll intakt ({n} Einträge)."),
        Err(e) => {
            bail!("wiederhergestellt, aber die Kette des Änderungsprotokolls ist nicht intakt: {e}")
        }
    }
    Ok(())
}
