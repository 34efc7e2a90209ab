//! The binary's administration commands, run as a user would run them.

use std::process::Command;

fn verbund(args: &[&str], db: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_verbund"))
        .args(args)
        .env("VERBUND_DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("binary runs")
}

fn tmp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("verbund-cli-{}-{name}", std::process::id()))
}

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
    assert!(
        text.contains("organisations: 14") && text.contains("users: 28"),
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
    for p in [&a, &b, &file] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    }
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
    for p in [&a, &b, &file, &cut] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    }
}

#[test]
fn create_admin_rejects_a_short_password_and_then_works() {
    let db = tmp("admin.db");
    let url = db.to_str().expect("utf-8");
    let run = |pw: &str| {
        Command::new(env!("CARGO_BIN_EXE_verbund"))
            .args([
                "create-admin",
                "--email",
                "Admin@Kreis.example",
                "--name",
                "Admin",
            ])
            .env("VERBUND_DATABASE_URL", url)
            .env("VERBUND_ADMIN_PASSWORD", pw)
            .output()
            .expect("runs")
    };
    let out = run("kurz");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password rejected"));
    let out = run("eine lange passphrase");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("admin@kreis.example"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

#[test]
fn catalog_import_reports_a_broken_file_precisely_and_stores_nothing() {
    let db = tmp("import.db");
    let url = db.to_str().expect("utf-8");
    // A federation without the demo data (the demo already imports the starter catalog).
    let out = Command::new(env!("CARGO_BIN_EXE_verbund"))
        .args([
            "create-admin",
            "--email",
            "admin@kreis.example",
            "--name",
            "Admin",
        ])
        .env("VERBUND_DATABASE_URL", url)
        .env("VERBUND_ADMIN_PASSWORD", "eine lange passphrase")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let bad = tmp("bad.yaml");
    std::fs::write(&bad, "urn: x\nobjects: [\n").expect("write");
    let out = verbund(&["import", "catalog", bad.to_str().expect("utf-8")], url);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.yaml") && err.contains("line") && err.contains("nichts gespeichert"),
        "{err}"
    );
    assert!(!err.contains("backtrace"), "no backtrace for users: {err}");
    let starter = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../catalogs/verbund-starter.yaml"
    );
    let out = verbund(&["import", "catalog", starter], url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("149 Einträge, davon 130 Anforderungen"));
    for p in [&db, &bad] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    }
}

/// Seeds the demo into `db` and issues its 2026 statement through the library, as the office
/// would in the UI; returns the statement's ID.
fn demo_with_statement(db: &str) -> i64 {
    demo_with_statement_renamed(db, &[])
}

/// [`demo_with_statement`] with members renamed in the store first, bypassing validation
/// (as names stored before it was checked may be).
fn demo_with_statement_renamed(db: &str, names: &[(&str, &str)]) -> i64 {
    let out = Command::new(env!("CARGO_BIN_EXE_verbund"))
        .args(["demo", "--reset", "--no-serve", "--db", db])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = verbund_store::Store::connect(db).await.expect("connects");
        let fed = store.federation().await.expect("reads").expect("seeded");
        let all = verbund_domain::authz::Scope::system(&verbund_domain::authz::SystemAccess {
            reason: "test renames members",
        });
        for (old, new) in names {
            let org = store
                .list_orgs(
                    &all,
                    Some(old),
                    verbund_domain::page::PageRequest::new(Some(1), Some(200)),
                )
                .await
                .expect("lists")
                .items
                .into_iter()
                .find(|o| o.name == *old)
                .expect("member exists");
            let input = verbund_domain::org::OrgInput {
                name: (*new).to_owned(),
                kind: org.kind,
                ags: org.ags.clone(),
                population: org.population,
                staff: org.staff,
                it_workplaces: org.it_workplaces,
                address: org.address.clone(),
            };
            store
                .update_org(
                    &verbund_store::AuditActor::system(),
                    &all,
                    org.id,
                    None,
                    &input,
                )
                .await
                .expect("renames");
        }
        let key = store
            .cost_keys(fed.id)
            .await
            .expect("reads")
            .into_iter()
            .find(|k| k.key.name == "Finanzierungsschlüssel (Demo)")
            .expect("demo key");
        let isb = verbund_domain::authz::Actor {
            user_id: verbund_domain::UserId(1),
            office_org: fed.office_org_id,
            grants: vec![verbund_domain::authz::Grant {
                org_id: fed.office_org_id,
                role: verbund_domain::authz::Role::OfficeIsb,
            }],
        };
        let st = verbund_app::Services::new(store.clone(), verbund_app::AuthPolicy::default());
        let issued = verbund_app::statements::issue(
            &st,
            &verbund_store::AuditActor::system(),
            &isb,
            2026,
            key.id,
        )
        .await
        .expect("issues");
        store.close().await;
        issued.id.0
    })
}

fn remove_db(db: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

#[test]
fn demo_scale_generates_members_and_says_when_names_are_synthesised() {
    let db = tmp("scale.db");
    let url = db.to_str().expect("utf-8");
    let out = Command::new(env!("CARGO_BIN_EXE_verbund"))
        .args(["demo", "--reset", "--no-serve", "--db", url])
        .args(["--scale", "30", "--catalog-items", "25"])
        .env("VERBUND_DATASETS", tmp("no-datasets"))
        .env("RUST_LOG", "warn")
        .output()
        .expect("runs");

    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("30 Namen synthetisch"), "{stderr}");
    assert!(
        stdout.contains("Erzeugt: 30 Mitglieder")
            && stdout.contains("30 Bewertungen mit 750 Antworten"),
        "{stdout}"
    );
    let out = verbund(&["audit", "verify"], url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

#[test]
fn costs_statements_writes_a_letter_per_member_and_one_workbook() {
    let (db, dir) = (tmp("statements.db"), tmp("statements"));
    let url = db.to_str().expect("utf-8");
    let id = demo_with_statement(url);
    let _ = std::fs::remove_dir_all(&dir);

    let out = verbund(
        &[
            "costs",
            "statements",
            "--year",
            "2026",
            "--out",
            dir.to_str().expect("utf-8"),
        ],
        url,
    );

    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("13 Abrechnungen und 1 Arbeitsmappe nach") && text.contains(" MB)"),
        "{text}"
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("directory written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let pdfs: Vec<&String> = names.iter().filter(|n| n.ends_with(".pdf")).collect();
    assert_eq!(pdfs.len(), 13, "{names:?}");
    for p in &pdfs {
        let bytes = std::fs::read(dir.join(p)).expect("read");
        assert!(bytes.starts_with(b"%PDF-"), "{p} is a PDF");
    }
    assert!(
        names.contains(&format!(
            "kostenbeteiligung-2026-{id}-ruesselsheim-am-main.pdf"
        )),
        "{names:?}"
    );
    let workbook = format!("kostenbeteiligung-2026-{id}-alle.xlsx");
    assert!(
        std::fs::read(dir.join(&workbook))
            .expect("workbook written")
            .starts_with(b"PK"),
        "XLSX is a zip"
    );
    assert_eq!(names.len(), 14, "no temporary files left: {names:?}");
    let _ = std::fs::remove_dir_all(&dir);
    remove_db(&db);
}

#[test]
fn costs_statements_writes_every_document_it_can_then_lists_the_failures() {
    let (db, dir) = (tmp("failing.db"), tmp("failing"));
    let url = db.to_str().expect("utf-8");
    // Names no font has, a NUL and a bidi override, stored before names were checked.
    let id = demo_with_statement_renamed(
        url,
        &[
            ("Nauheim", "Nauheim 👩\u{200D}👩\u{200D}👧"),
            ("Raunheim", "Raun\u{0}heim"),
            ("Gernsheim", "𝕲𝖊𝖗𝖓𝖘𝖍𝖊𝖎𝖒 \u{202E}"),
            // Its file name would be Nauheim's.
            ("Bischofsheim", "Nauheim\u{7}"),
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
    // A directory where Riedstadt's letter should go: writing it must fail.
    let blocked = dir.join(format!("kostenbeteiligung-2026-{id}-riedstadt.pdf"));
    std::fs::create_dir_all(blocked.join("belegt")).expect("blocking directory");

    let out = verbund(
        &[
            "costs",
            "statements",
            "--year",
            "2026",
            "--out",
            dir.to_str().expect("utf-8"),
        ],
        url,
    );

    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("12 Abrechnungen und 1 Arbeitsmappe nach"),
        "{stdout}"
    );
    assert!(
        stderr.contains("Nicht geschrieben:\n  Riedstadt (Nr. ")
            && stderr.contains(&format!("): kostenbeteiligung-2026-{id}-riedstadt.pdf: "))
            && stderr.contains("Fehler: 1 Datei wurde nicht geschrieben"),
        "{stderr}"
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("directory written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let pdfs = names
        .iter()
        .filter(|n| n.ends_with(".pdf") && !n.contains("riedstadt"));
    assert_eq!(pdfs.count(), 12, "{names:?}");
    assert!(
        names.contains(&format!("kostenbeteiligung-2026-{id}-alle.xlsx")),
        "the workbook is written although a letter failed: {names:?}"
    );
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
    let nauheims = names.iter().filter(|n| n.contains("-nauheim"));
    assert_eq!(
        nauheims.count(),
        2,
        "no letter overwrites another: {names:?}"
    );
    let prefix = format!("kostenbeteiligung-2026-{id}-mitglied-");
    assert!(
        names.iter().any(|n| n.starts_with(&prefix)),
        "a name without a slug letter gets the member number: {names:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    remove_db(&db);
}

#[test]
fn costs_statements_without_an_issued_statement_fails_clearly() {
    let (db, dir) = (tmp("no-statement.db"), tmp("no-statement"));
    let url = db.to_str().expect("utf-8");
    demo_with_statement(url);

    let out = verbund(
        &[
            "costs",
            "statements",
            "--year",
            "2024",
            "--out",
            dir.to_str().expect("utf-8"),
        ],
        url,
    );

    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Fehler: Für 2024 wurde noch keine Abrechnung erstellt"),
        "{err}"
    );
    assert!(!err.contains("backtrace"), "no backtrace for users: {err}");
    assert!(!dir.exists(), "nothing written");
    remove_db(&db);
}

#[test]
fn the_demo_has_last_years_statement_ready_for_the_letters() {
    let (db, dir) = (tmp("demo-2025.db"), tmp("demo-2025"));
    let url = db.to_str().expect("utf-8");
    let seeded = Command::new(env!("CARGO_BIN_EXE_verbund"))
        .args(["demo", "--reset", "--no-serve", "--db", url])
        .output()
        .expect("runs");
    assert!(seeded.status.success());
    let out = verbund(
        &[
            "costs",
            "statements",
            "--year",
            "2025",
            "--out",
            dir.to_str().expect("utf-8"),
        ],
        url,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("13 Abrechnungen und 1 Arbeitsmappe"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
    remove_db(&db);
}

#[test]
fn help_and_usage_errors_are_german() {
    let db = tmp("help.db");
    let url = db.to_str().expect("utf-8");
    let out = verbund(&["--help"], url);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for expected in ["Aufruf:", "Befehle:", "Optionen:", "Diese Hilfe anzeigen"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(
        !text.contains("Usage:") && !text.contains("Print help"),
        "{text}"
    );
    let sub = verbund(&["import", "catalog", "--help"], url);
    let sub_text = String::from_utf8_lossy(&sub.stdout);
    assert!(
        sub_text.contains("Argumente:") && sub_text.contains("Optionen:"),
        "{sub_text}"
    );
    let wrong = verbund(&["imprt"], url);
    assert_eq!(wrong.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&wrong.stderr),
        "Fehler: unbekannter Befehl: imprt\nHilfe: verbund --help\n"
    );
}

#[test]
fn importing_before_any_federation_says_to_create_the_administrator_first() {
    let db = tmp("empty.db");
    remove_db(&db);
    let url = db.to_str().expect("utf-8");
    let catalog = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../catalogs/verbund-starter.yaml"
    );
    let out = verbund(&["import", "catalog", catalog], url);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Es ist noch kein Verbund eingerichtet")
            && err.contains("verbund create-admin"),
        "{err}"
    );
    remove_db(&db);
}

fn remove_all(paths: &[&std::path::Path]) {
    for p in paths {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
        }
    }
}

fn sqlite(db: &std::path::Path, sql: &str) {
    let conn = Command::new("python3")
        .args(["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()"])
        .arg(db)
        .arg(sql)
        .output()
        .expect("python3 runs");
    assert!(
        conn.status.success(),
        "{}",
        String::from_utf8_lossy(&conn.stderr)
    );
}

/// The attack of the review: delete the newest entries and rewind the head row. `verify`
/// alone passes; with the checkpoint taken before it fails, naming the checkpoint, and every
/// broken entry is listed.
#[test]
fn a_checkpoint_outside_the_database_catches_a_shortened_audit_log() {
    let (db, cps) = (tmp("cp.db"), tmp("checkpoints.txt"));
    remove_all(&[&db, &cps]);
    let url = db.to_str().unwrap();
    let out = verbund(&["demo", "--reset", "--no-serve", "--db", url], url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cp_arg = ["--file", cps.to_str().unwrap()];
    let out = verbund(&["audit", "checkpoint", cp_arg[0], cp_arg[1]], url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(line.starts_with("verbund-audit-checkpoint seq="), "{line}");
    assert_eq!(
        std::fs::read_to_string(&cps).unwrap().trim(),
        line,
        "appended to the file"
    );
    let verify = ["audit", "verify", "--checkpoints", cps.to_str().unwrap()];
    let out = verbund(&verify, url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 Prüfpunkte geprüft"));

    // Cut the log back by three entries and rewind the head to the new end.
    sqlite(
        &db,
        "DELETE FROM audit_log WHERE seq > (SELECT seq - 3 FROM audit_head); \
        UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log), hash = (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1);",
    );
    let out = verbund(
        &["audit", "verify", "--checkpoints", "/nonexistent/none.txt"],
        url,
    );
    assert!(
        out.status.success(),
        "without a checkpoint the shortened chain passes"
    );
    let out = verbund(&verify, url);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("MANIPULIERT") && err.contains("hinter den Prüfpunkt gekürzt"),
        "{err}"
    );

    // Two edited entries: both are reported, not only the first.
    sqlite(
        &db,
        "UPDATE audit_log SET after_json = '{}' WHERE seq IN (2, 5);",
    );
    let out = verbund(&verify, url);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Eintrag 2:") && err.contains("Eintrag 5:") && err.contains("3 Befunde"),
        "{err}"
    );
    // A broken chain gets no new checkpoint.
    let out = verbund(&["audit", "checkpoint", cp_arg[0], cp_arg[1]], url);
    assert!(!out.status.success());
    remove_all(&[&db, &cps]);
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
