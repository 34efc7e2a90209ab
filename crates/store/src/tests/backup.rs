//! Streaming backups (format 2) on both backends: round trip, the format 1 fixture, damaged and
//! failing files leave the target empty, and a backup taken while writers commit is consistent.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::*;

/// The demo federation's backup written by the program before format 2 (format 1, one JSON
/// document), gzip-compressed.
const V1_FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/demo-backup-v1.json.gz");

async fn stream(s: &Store) -> Vec<u8> {
    let mut out = Vec::new();
    s.backup_to(&mut out, &mut |_, _| {}).await.expect("backup");
    out
}

async fn restore_bytes(s: &Store, bytes: &[u8]) -> Result<RestoreSummary> {
    s.restore_from(&mut &bytes[..], &mut |_, _| {}).await
}

async fn org_count(s: &Store) -> i64 {
    s.list_orgs(&Scope::system(&TEST_ACCESS), None, Default::default())
        .await
        .expect("list")
        .total
}

async fn is_empty(s: &Store) -> bool {
    org_count(s).await == 0 && s.login_user("a@b.de").await.expect("query").is_none()
}

async fn a_backup_is_one_line_per_row_and_ends_with_counts(s: Store) {
    fill(&s).await;
    let text = String::from_utf8(stream(&s).await).expect("utf-8");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines[0]["format"], "verbund-backup");
    assert_eq!(lines[0]["format_version"], 2);
    let orgs = lines
        .iter()
        .position(|l| l["table"] == "organisations")
        .expect("table line");
    assert!(lines[orgs + 1..orgs + 4].iter().all(|l| l.is_array()));
    let end = lines.last().expect("end");
    assert_eq!(end["end"], true);
    assert_eq!(end["rows"]["organisations"], 3);
}

async fn the_format_1_fixture_restores(to: Store) {
    let mut json = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(V1_FIXTURE), &mut json)
        .expect("gzip");
    let doc: serde_json::Value = serde_json::from_slice(&json).expect("one JSON document");
    assert_eq!(doc["format_version"], 1);
    let summary = restore_bytes(&to, &json).await.expect("restore format 1");
    assert!(summary.tables.contains(&("organisations".into(), 14)));
    assert!(summary.tables.contains(&("users".into(), 28)));
    assert!(matches!(to.verify_audit().await.expect("verify"), Ok(n) if n > 0));
    assert!(
        to.login_user("isb@verbund.example")
            .await
            .expect("ok")
            .is_some()
    );
}

async fn a_truncated_backup_is_refused_and_the_target_stays_empty(from: Store, to: Store) {
    fill(&from).await;
    let bytes = stream(&from).await;
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    let cut: String = text
        .lines()
        .take(text.lines().count() - 3)
        .map(|l| format!("{l}\n"))
        .collect();
    let err = restore_bytes(&to, cut.as_bytes()).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Backup(m) if m.contains("abgeschnitten")),
        "{err:?}"
    );
    assert!(is_empty(&to).await, "nothing of the truncated file is kept");
    // A cut in the middle of a line is refused as well.
    let half = &bytes[..bytes.len() / 2];
    assert!(restore_bytes(&to, half).await.is_err());
    assert!(is_empty(&to).await);
    restore_bytes(&to, &bytes)
        .await
        .expect("the whole file restores afterwards");
    assert_eq!(org_count(&to).await, 3);
}

async fn a_row_failing_half_way_leaves_the_target_empty(from: Store, to: Store) {
    fill(&from).await;
    let text = String::from_utf8(stream(&from).await).expect("utf-8");
    let mut lines: Vec<&str> = text.lines().collect();
    let users = lines
        .iter()
        .position(|l| l.contains("\"table\":\"users\""))
        .expect("users");
    // The same user twice: the second INSERT violates the primary key after the
    // federation, organisations and memberships went in.
    let row = lines[users + 1];
    lines.insert(users + 1, row);
    let end = lines.pop().expect("end line");
    let mut end: serde_json::Value = serde_json::from_str(end).expect("json");
    end["rows"]["users"] = 2.into();
    let end = end.to_string();
    lines.push(&end);
    let damaged = lines.join("\n") + "\n";
    let err = restore_bytes(&to, damaged.as_bytes()).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Backup(m) if m.contains("users")),
        "{err:?}"
    );
    assert!(
        is_empty(&to).await,
        "the organisations before it are rolled back"
    );
    assert_eq!(to.verify_audit().await.expect("verify"), Ok(0));
}

/// Writers keep committing while the backup runs (it does not block them), and the backup
/// is one consistent state: its audit chain verifies after the restore and its row counts
/// match each other.
async fn a_backup_while_writers_commit_is_consistent(from: Store, to: Store) {
    fill(&from).await;
    let fed = from.federation().await.expect("ok").expect("exists");
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (s, stop, written) = (from.clone(), stop.clone(), written.clone());
        tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) && i < 800 {
                i += 1;
                s.create_org(
                    &AuditActor::system(),
                    fed.id,
                    &org(&format!("Ort {i}"), &format!("06434{i:03}")),
                )
                .await
                .expect("a writer is not blocked by the backup");
                written.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    while written.load(Ordering::SeqCst) < 3 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before = written.load(Ordering::SeqCst);
    let mut out = Vec::new();
    from.backup_to(&mut out, &mut |_, _| {
        // A slow disk: the backup takes a while, writers go on meanwhile.
        std::thread::sleep(std::time::Duration::from_millis(40));
    })
    .await
    .expect("backup");
    let during = written.load(Ordering::SeqCst) - before;
    stop.store(true, Ordering::SeqCst);
    writer.await.expect("writer");
    assert!(during > 0, "writers committed during the backup");
    let summary = restore_bytes(&to, &out).await.expect("restore");
    let orgs = summary
        .tables
        .iter()
        .find(|(t, _)| t == "organisations")
        .map(|(_, n)| *n)
        .expect("organisations");
    // fill: office + 2 members and 6 audit entries; each writer commit adds one of each.
    assert_eq!(
        to.verify_audit().await.expect("verify"),
        Ok(6 + (orgs as i64 - 3)),
        "the chain is complete and matches the organisations in the backup"
    );
    assert!(org_count(&to).await < org_count(&from).await);
}

#[tokio::test]
async fn sqlite_a_backup_is_one_line_per_row_and_ends_with_counts() {
    a_backup_is_one_line_per_row_and_ends_with_counts(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_a_backup_is_one_line_per_row_and_ends_with_counts() {
    a_backup_is_one_line_per_row_and_ends_with_counts(postgres().await).await;
}

#[tokio::test]
async fn sqlite_the_format_1_fixture_restores() {
    the_format_1_fixture_restores(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_the_format_1_fixture_restores() {
    the_format_1_fixture_restores(postgres().await).await;
}

#[tokio::test]
async fn sqlite_a_truncated_backup_is_refused_and_the_target_stays_empty() {
    a_truncated_backup_is_refused_and_the_target_stays_empty(sqlite().await.0, sqlite().await.0)
        .await;
}

#[tokio::test]
async fn postgres_a_truncated_backup_is_refused_and_the_target_stays_empty() {
    a_truncated_backup_is_refused_and_the_target_stays_empty(postgres().await, postgres().await)
        .await;
}

#[tokio::test]
async fn sqlite_a_row_failing_half_way_leaves_the_target_empty() {
    a_row_failing_half_way_leaves_the_target_empty(sqlite().await.0, sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_a_row_failing_half_way_leaves_the_target_empty() {
    a_row_failing_half_way_leaves_the_target_empty(postgres().await, postgres().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_backup_while_writers_commit_is_consistent() {
    a_backup_while_writers_commit_is_consistent(sqlite().await.0, sqlite().await.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_backup_while_writers_commit_is_consistent() {
    a_backup_while_writers_commit_is_consistent(postgres().await, postgres().await).await;
}

/// Backslashes, tabs, line breaks and a text that reads like COPY's NULL survive the trip
/// through both backends' bulk loaders.
async fn special_text_survives_the_round_trip(from: Store, to: Store) {
    fill(&from).await;
    raw(
        &from,
        "UPDATE organisations SET address = 'C:\\Verbund\t\\N\r\nZeile 2 \\\\ Ende' WHERE name = 'Nauheim'",
    )
    .await;
    let out = stream(&from).await;
    restore_bytes(&to, &out).await.expect("restore");
    let all = |s: Store| async move {
        s.list_orgs(&Scope::system(&TEST_ACCESS), None, Default::default())
            .await
            .expect("list")
            .items
    };
    let (a, b) = (all(from).await, all(to).await);
    assert!(
        a.iter()
            .any(|o| o.address.as_deref() == Some("C:\\Verbund\t\\N\r\nZeile 2 \\\\ Ende"))
    );
    assert_eq!(a, b);
}

#[tokio::test]
async fn sqlite_special_text_survives_the_round_trip() {
    special_text_survives_the_round_trip(sqlite().await.0, sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_special_text_survives_the_round_trip() {
    special_text_survives_the_round_trip(postgres().await, postgres().await).await;
    special_text_survives_the_round_trip(sqlite().await.0, postgres().await).await;
}

/// A fractional number (a measure's effort in days) survives the trip through both backends.
async fn fractions_survive_the_round_trip(from: Store, to: Store) {
    fill(&from).await;
    raw(
        &from,
        "INSERT INTO measures (org_id, title, effort_days, cost_cents, created_at_ms, updated_at_ms) \
         SELECT id, 'Offline-Datensicherung', 2.5, 150000, 1, 1 FROM organisations WHERE name = 'Nauheim'",
    )
    .await;
    let out = stream(&from).await;
    restore_bytes(&to, &out).await.expect("restore");
    let sql = "SELECT effort_days, cost_cents FROM measures WHERE title = 'Offline-Datensicherung'";
    let got: (f64, i64) = match &to.db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await,
    }
    .expect("the measure");
    assert_eq!(got, (2.5, 150_000));
}

#[tokio::test]
async fn sqlite_fractions_survive_the_round_trip() {
    fractions_survive_the_round_trip(sqlite().await.0, sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_fractions_survive_the_round_trip() {
    fractions_survive_the_round_trip(postgres().await, postgres().await).await;
    fractions_survive_the_round_trip(sqlite().await.0, postgres().await).await;
}

#[tokio::test]
async fn a_backup_of_a_newer_format_or_not_a_backup_is_refused() {
    let (s, _) = sqlite().await;
    let newer = "{\"format\":\"verbund-backup\",\"format_version\":3,\"schema_version\":1}\n[1]\n";
    let err = restore_bytes(&s, newer.as_bytes()).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Backup(m) if m.contains("neuer als")),
        "{err:?}"
    );
    let err = restore_bytes(&s, b"hello\nworld\n").await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Backup(m) if m.contains("keine Verbund-Sicherung")),
        "{err:?}"
    );
}

/// PostgreSQL loads without checking foreign keys row by row and checks them all before the
/// commit: a row whose parent is missing still fails the restore.
async fn a_row_without_its_parent_is_refused(from: Store, to: Store) {
    fill(&from).await;
    let text = String::from_utf8(stream(&from).await).expect("utf-8");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let at = lines
        .iter()
        .position(|l| l.contains("\"table\":\"role_assignments\""))
        .expect("role assignments");
    let header: serde_json::Value = serde_json::from_str(&lines[at]).expect("json");
    let user = header["columns"]
        .as_array()
        .and_then(|c| c.iter().position(|c| c == "user_id"))
        .expect("user_id column");
    let mut row: serde_json::Value = serde_json::from_str(&lines[at + 1]).expect("row");
    row[user] = 999_999.into();
    lines[at + 1] = row.to_string();
    let orphan = lines.join("\n") + "\n";
    let err = restore_bytes(&to, orphan.as_bytes()).await.unwrap_err();
    assert!(matches!(&err, StoreError::Backup(_)), "{err:?}");
    assert!(is_empty(&to).await);
    restore_bytes(&to, text.as_bytes())
        .await
        .expect("the foreign keys were restored with the rollback");
}

#[tokio::test]
async fn sqlite_a_row_without_its_parent_is_refused() {
    a_row_without_its_parent_is_refused(sqlite().await.0, sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_a_row_without_its_parent_is_refused() {
    a_row_without_its_parent_is_refused(postgres().await, postgres().await).await;
}

/// A restore leaves PostgreSQL with statistics of the new rows (it vacuums and analyses its
/// tables after the commit), so the first requests get the indexed plans of a filled database,
/// not those of an empty one.
#[tokio::test]
async fn postgres_a_restore_leaves_statistics_for_the_planner() {
    let from = sqlite().await.0;
    fill(&from).await;
    let to = postgres().await;
    restore_bytes(&to, &stream(&from).await)
        .await
        .expect("restore");
    let Db::Postgres(p) = &to.db else {
        unreachable!("postgres() opens PostgreSQL")
    };
    let tuples: f64 = sqlx::query_scalar(
        "SELECT c.reltuples::float8 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema() AND c.relname = 'organisations'",
    )
    .fetch_one(p)
    .await
    .expect("pg_class");
    assert_eq!(
        tuples,
        f64::from(i32::try_from(org_count(&to).await).expect("small"))
    );
}
