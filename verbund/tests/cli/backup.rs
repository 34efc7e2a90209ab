//! `backup`, `restore` and `backup-key`: round trips, older formats, private and encrypted files.

use super::*;

#[test]
fn demo_backup_restore_and_audit_verify_round_trip() {
    let (a, b, file) = (tmp("a.db"), tmp("b.db"), tmp("backup.json"));
    let a_url = a.to_str().expect("utf-8");
    let out = Command::new(env!("CARGO_BIN_EXE_verbund"))
        .args(["demo", "--reset", "--no-serve", "--db", a_url])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("isb@verbund.example"),
        "logins printed"
    );

    let out = verbund(&["audit", "verify"], a_url);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("intakt"));

    let out = verbund(&["backup", file.to_str().expect("utf-8")], a_url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = verbund(
        &["restore", file.to_str().expect("utf-8")],
        b.to_str().expect("utf-8"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // The office, the Kreis, twelve towns and the demo's IT provider.
    assert!(
        text.contains("organisations: 15") && text.contains("users: 28"),
        "{text}"
    );

    let out = verbund(
        &["restore", file.to_str().expect("utf-8")],
        b.to_str().expect("utf-8"),
    );
    assert!(
        !out.status.success(),
        "restoring twice into the same database is refused"
    );
    remove_all(&[&a, &b, &file]);
}

#[test]
fn a_backup_of_the_previous_format_restores_and_a_truncated_one_is_refused() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/store/tests/fixtures/demo-backup-v1.json.gz"
    );
    let (a, b, file, cut) = (
        tmp("v1-a.db"),
        tmp("v1-b.db"),
        tmp("v2.jsonl.gz"),
        tmp("v2-cut.jsonl.gz"),
    );
    let a_url = a.to_str().expect("utf-8");
    let out = verbund(&["restore", fixture], a_url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("organisations: 14") && text.contains("intakt"),
        "{text}"
    );

    let out = verbund(&["backup", file.to_str().expect("utf-8")], a_url);
    assert!(out.status.success());
    let bytes = std::fs::read(&file).expect("backup");
    assert!(bytes.starts_with(&[0x1f, 0x8b]), "gzip-compressed");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).expect("write");
    let b_url = b.to_str().expect("utf-8");
    let out = verbund(&["restore", cut.to_str().expect("utf-8")], b_url);
    assert!(!out.status.success(), "a truncated backup is refused");
    let out = verbund(&["restore", file.to_str().expect("utf-8")], b_url);
    assert!(
        out.status.success(),
        "the target stayed empty, so the whole backup restores: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    remove_all(&[&a, &b, &file, &cut]);
}

#[cfg(unix)]
#[test]
fn backups_are_private_and_can_be_encrypted_with_a_key_file_or_a_passphrase() {
    use std::os::unix::fs::PermissionsExt;
    let (a, key) = (tmp("enc-a.db"), tmp("backup.key"));
    let (plain, with_key, with_pass) = (tmp("plain.json"), tmp("key.age"), tmp("pass.age"));
    let targets = [tmp("enc-b.db"), tmp("enc-c.db"), tmp("enc-d.db")];
    remove_all(&[
        &a,
        &key,
        &plain,
        &with_key,
        &with_pass,
        &targets[0],
        &targets[1],
        &targets[2],
    ]);
    let url = a.to_str().unwrap();
    assert!(
        verbund(&["demo", "--reset", "--no-serve", "--db", url], url)
            .status
            .success()
    );
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let out = verbund(&["backup", plain.to_str().unwrap()], url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        mode(&plain),
        0o600,
        "TOTP secrets and password hashes: owner only"
    );

    let out = verbund(&["backup-key", key.to_str().unwrap()], url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&key), 0o600);
    assert!(
        !verbund(&["backup-key", key.to_str().unwrap()], url)
            .status
            .success(),
        "never overwritten"
    );
    let k = ["--key-file", key.to_str().unwrap()];
    let out = verbund(&["backup", with_key.to_str().unwrap(), k[0], k[1]], url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&with_key).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    assert!(
        !String::from_utf8_lossy(&bytes).contains("isb@verbund.example"),
        "nothing readable"
    );
    assert_eq!(mode(&with_key), 0o600);

    // Restore: refused without the key, done with it.
    let t0 = targets[0].to_str().unwrap();
    let out = verbund(&["restore", with_key.to_str().unwrap()], t0);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("verschlüsselt"));
    let out = verbund(&["restore", with_key.to_str().unwrap(), k[0], k[1]], t0);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("users: 28"));

    // Passphrase from the environment.
    let run = |args: &[&str], db: &str, pass: &str| {
        Command::new(env!("CARGO_BIN_EXE_verbund"))
            .args(args)
            .env("VERBUND_DATABASE_URL", db)
            .env("VERBUND_BACKUP_PASSPHRASE", pass)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let out = run(
        &["backup", with_pass.to_str().unwrap(), "--passphrase"],
        url,
        "korrekt-pferd-batterie",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t1 = targets[1].to_str().unwrap();
    let out = run(
        &["restore", with_pass.to_str().unwrap(), "--passphrase"],
        t1,
        "falsche-passphrase!",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Entschlüsseln fehlgeschlagen"));
    let out = run(
        &["restore", with_pass.to_str().unwrap(), "--passphrase"],
        t1,
        "korrekt-pferd-batterie",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A key file others can read is refused.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = verbund(
        &["restore", with_key.to_str().unwrap(), k[0], k[1]],
        targets[2].to_str().unwrap(),
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("für andere lesbar"));
    remove_all(&[
        &a,
        &key,
        &plain,
        &with_key,
        &with_pass,
        &targets[0],
        &targets[1],
        &targets[2],
    ]);
}
