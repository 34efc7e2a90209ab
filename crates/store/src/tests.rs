//! Store tests on both backends: audit chain tamper detection and backup round trips.

use verbund_domain::audit::ChainError;
use verbund_domain::authz::{Role, Scope};
use verbund_domain::org::{Ags, OrgInput, OrgKind};
use verbund_domain::user::{Email, NewUser};

use super::*;

fn pg_url() -> String {
    std::env::var("VERBUND_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/verbund_test".into())
}

/// A name no other test (in this or a parallel run) uses: RandomState is seeded randomly.
fn unique() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(now_ms());
    format!("s{:016x}", h.finish())
}

async fn sqlite() -> (Store, std::path::PathBuf) {
    let p = std::env::temp_dir().join(format!("verbund-store-{}.db", unique()));
    let s = Store::connect(p.to_str().expect("utf-8")).await.expect("sqlite");
    s.migrate(false).await.expect("migrate");
    (s, p)
}

async fn postgres() -> Store {
    let s = Store::connect_in_schema(&pg_url(), Some(&unique())).await.expect("postgres reachable (run bash .ci/run)");
    s.migrate(false).await.expect("migrate");
    s
}

fn org(name: &str, ags: &str) -> OrgInput {
    OrgInput { name: name.into(), kind: OrgKind::Gemeinde, ags: Some(Ags::parse(ags).expect("valid")), population: Some(1000), staff: None, it_workplaces: None, address: Some("Rathausplatz 1\n12345 Musterstadt".into()) }
}

/// Creates a federation, two members, a user and some changes; returns the number of audit entries.
async fn fill(s: &Store) -> i64 {
    let sys = AuditActor::system();
    let office = OrgInput { kind: OrgKind::Office, ags: None, ..org("Stelle", "06433000") };
    let fed = s.create_federation(&sys, "Verbund Test", &office).await.expect("federation");
    let a = s.create_org(&sys, fed.id, &org("Nauheim", "06433009")).await.expect("org");
    s.create_org(&sys, fed.id, &org("Raunheim", "06433010")).await.expect("org");
    let mut changed = org("Nauheim", "06433009");
    changed.population = Some(10840);
    s.update_org(&sys, &Scope::All, a.id, Some(1), &changed).await.expect("update");
    let user = NewUser { email: Email::parse("a@b.de").expect("valid"), display_name: "Ä Ö Ü ß".into(), password: None };
    s.create_user(&sys, &user, Some("$argon2id$hash"), Some((a.id, Role::Coordinator))).await.expect("user");
    6
}

async fn raw(s: &Store, sql: &str) {
    match &s.db {
        Db::Sqlite(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(p).await.expect("raw sql");
        }
        Db::Postgres(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).execute(p).await.expect("raw sql");
        }
    }
}

async fn chain_detects_edits_and_deletions(s: Store) {
    let n = fill(&s).await;
    assert_eq!(s.verify_audit().await.expect("verify"), Ok(n));
    raw(&s, "UPDATE audit_log SET after_json = '{\"population\":1}' WHERE seq = 4").await;
    assert_eq!(s.verify_audit().await.expect("verify"), Err(ChainError::Tampered { seq: 4 }));
    raw(&s, "DELETE FROM audit_log WHERE seq = 4").await;
    assert_eq!(s.verify_audit().await.expect("verify"), Err(ChainError::Gap { expected_prev: 3, found: 5 }));
}

async fn chain_detects_a_truncated_end(s: Store) {
    let n = fill(&s).await;
    raw(&s, &format!("DELETE FROM audit_log WHERE seq = {n}")).await;
    assert_eq!(s.verify_audit().await.expect("verify"), Err(ChainError::HeadMismatch { last_seq: n - 1, head_seq: n }));
}

async fn failed_change_writes_neither_data_nor_audit(s: Store) {
    fill(&s).await;
    let fed = s.federation().await.expect("ok").expect("exists");
    let err = s.create_org(&AuditActor::system(), fed.id, &org("Doppelt", "06433009")).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(s.verify_audit().await.expect("verify"), Ok(6), "no audit entry for the failed insert");
    assert_eq!(s.list_orgs(&Scope::All, None, Default::default()).await.expect("list").total, 3);
}

async fn backup_restores_everything(from: Store, to: Store) {
    fill(&from).await;
    let snapshot = from.backup().await.expect("backup");
    let text = serde_json::to_string(&snapshot).expect("json");
    let back: serde_json::Value = serde_json::from_str(&text).expect("parse");
    let summary = to.restore(&back).await.expect("restore");
    assert!(summary.tables.iter().any(|(t, n)| t == "organisations" && *n == 3));
    assert_eq!(to.verify_audit().await.expect("verify"), Ok(6), "audit chain survives the round trip");
    let a = from.list_orgs(&Scope::All, None, Default::default()).await.expect("list");
    let b = to.list_orgs(&Scope::All, None, Default::default()).await.expect("list");
    assert_eq!(a, b);
    let u = to.login_user("a@b.de").await.expect("ok").expect("user restored");
    assert_eq!(u.password_hash.as_deref(), Some("$argon2id$hash"));
    // New rows continue after the restored IDs.
    let fed = to.federation().await.expect("ok").expect("exists");
    let new = to.create_org(&AuditActor::system(), fed.id, &org("Trebur", "06433014")).await.expect("insert after restore");
    assert!(a.items.iter().all(|o| o.id != new.id));
    assert_eq!(to.verify_audit().await.expect("verify"), Ok(7));
    let again = to.restore(&back).await.unwrap_err();
    assert!(matches!(again, StoreError::Backup(m) if m.contains("not empty")), "restore refuses a non-empty database");
}

#[tokio::test]
async fn sqlite_chain_detects_edits_and_deletions() {
    chain_detects_edits_and_deletions(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_chain_detects_edits_and_deletions() {
    chain_detects_edits_and_deletions(postgres().await).await;
}

#[tokio::test]
async fn sqlite_chain_detects_a_truncated_end() {
    chain_detects_a_truncated_end(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_chain_detects_a_truncated_end() {
    chain_detects_a_truncated_end(postgres().await).await;
}

#[tokio::test]
async fn sqlite_failed_change_writes_neither_data_nor_audit() {
    failed_change_writes_neither_data_nor_audit(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_failed_change_writes_neither_data_nor_audit() {
    failed_change_writes_neither_data_nor_audit(postgres().await).await;
}

#[tokio::test]
async fn sqlite_backup_restores_into_sqlite() {
    backup_restores_everything(sqlite().await.0, sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_backup_restores_into_postgres() {
    backup_restores_everything(postgres().await, postgres().await).await;
}

#[tokio::test]
async fn sqlite_backup_restores_into_postgres_and_back() {
    backup_restores_everything(sqlite().await.0, postgres().await).await;
    backup_restores_everything(postgres().await, sqlite().await.0).await;
}

#[tokio::test]
async fn restore_rejects_a_file_that_is_not_a_backup() {
    let (s, _) = sqlite().await;
    let err = s.restore(&serde_json::json!({"hello": 1})).await.unwrap_err();
    assert!(matches!(err, StoreError::Backup(m) if m.contains("not a Verbund backup")));
    let err = s.restore(&serde_json::json!({"format": "verbund-backup", "schema_version": 1, "tables": {"federations": {"columns": ["id; DROP TABLE users"], "rows": []}}})).await.unwrap_err();
    assert!(matches!(err, StoreError::Backup(m) if m.contains("invalid column")));
}
