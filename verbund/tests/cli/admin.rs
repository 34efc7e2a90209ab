//! Setting up and importing: `create-admin`, `import catalog`, `demo --scale`, help and usage errors.

use super::*;

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
    remove_all(&[&db]);
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
    remove_all(&[&db, &bad]);
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
            && stdout.contains("30 Bewertungen mit 750 Antworten")
            && stdout.contains("600 Zielobjekte"),
        "{stdout}"
    );
    let out = verbund(&["audit", "verify"], url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    remove_all(&[&db]);
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
    remove_all(&[&db]);
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
    remove_all(&[&db]);
}
