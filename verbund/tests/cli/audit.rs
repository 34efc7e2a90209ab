//! `audit checkpoint` and `audit verify`.

use super::*;

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
