//! `costs statements`: the letters and the workbook of an issued statement.

use super::*;

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
            &verbund_app::statements::IssueOptions::default(),
        )
        .await
        .expect("issues");
        store.close().await;
        issued.id.0
    })
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
    remove_all(&[&db]);
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
    remove_all(&[&db]);
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
    remove_all(&[&db]);
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
    remove_all(&[&db]);
}
