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

/// Runs the binary and returns its output with its peak resident memory in KiB. A fresh
/// python3 runs it and reports `RUSAGE_CHILDREN`, which then covers exactly this one child.
fn verbund_peak_kib(args: &[&str], db: &str) -> (std::process::Output, i64) {
    let out = Command::new("python3")
        .args([
            "-c",
            "import resource, subprocess, sys\n\
             r = subprocess.run(sys.argv[1:], capture_output=True)\n\
             sys.stderr.buffer.write(r.stderr)\n\
             sys.stdout.buffer.write(r.stdout)\n\
             print(f'PEAK {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')\n\
             sys.exit(r.returncode)",
            env!("CARGO_BIN_EXE_verbund"),
        ])
        .args(args)
        .env("VERBUND_DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let peak = text
        .lines()
        .find_map(|l| l.strip_prefix("PEAK ")?.parse().ok())
        .expect("peak printed");
    (out, peak)
}

/// Backup and restore stream the rows: a federation eight times as large (the backup holds
/// about 50 MB of rows uncompressed) costs the same memory, give or take a few MB. Were the
/// file or a table held in memory, the difference would be tens of MB.
#[test]
fn backup_and_restore_memory_stays_flat_as_the_federation_grows() {
    let mut peaks = Vec::new();
    for members in ["200", "1600"] {
        let (db, file, restored) = (
            tmp(&format!("scale-{members}.db")),
            tmp(&format!("scale-{members}.vbk")),
            tmp(&format!("scale-{members}-restored.db")),
        );
        let db_url = db.to_str().expect("utf-8");
        let out = verbund(
            &[
                "demo",
                "--reset",
                "--no-serve",
                "--db",
                db_url,
                "--scale",
                members,
            ],
            db_url,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (out, backup_kib) =
            verbund_peak_kib(&["backup", file.to_str().expect("utf-8")], db_url);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (out, restore_kib) = verbund_peak_kib(
            &["restore", file.to_str().expect("utf-8")],
            restored.to_str().expect("utf-8"),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let answers = String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("assessment_answers: ")?.parse::<u64>().ok())
            .expect("answer count printed");
        assert!(
            answers >= members.parse::<u64>().expect("number") * 300,
            "{answers}"
        );
        eprintln!(
            "{members} members: {answers} answers, backup peak {backup_kib} KiB, restore peak {restore_kib} KiB"
        );
        peaks.push((backup_kib, restore_kib));
        remove_all(&[&db, &file, &restored]);
    }
    let ((small_backup, small_restore), (large_backup, large_restore)) = (peaks[0], peaks[1]);
    assert!(
        large_backup - small_backup < 12 * 1024,
        "backup grew: {peaks:?}"
    );
    assert!(
        large_restore - small_restore < 12 * 1024,
        "restore grew: {peaks:?}"
    );
}
