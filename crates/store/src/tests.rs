//! Store tests on both backends: audit chain tamper detection and backup round trips.

use verbund_domain::audit::ChainError;
use verbund_domain::authz::{Role, Scope, SystemAccess};
use verbund_domain::org::{Ags, OrgInput, OrgKind};
use verbund_domain::user::{Email, NewUser};

use super::*;

/// Tests read and write across members.
const TEST_ACCESS: SystemAccess = SystemAccess { reason: "test" };

fn pg_url() -> String {
    std::env::var("VERBUND_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/verbund_test".into())
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
    let s = Store::connect(p.to_str().expect("utf-8"))
        .await
        .expect("sqlite");
    s.migrate(false).await.expect("migrate");
    (s, p)
}

async fn postgres() -> Store {
    let s = Store::connect_in_schema(&pg_url(), Some(&unique()))
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL test database unreachable at {} (VERBUND_TEST_PG; {e}): start \
                 PostgreSQL and point VERBUND_TEST_PG at a database the tests may write to, \
                 or run `bash .ci/run`, which does both",
                without_password(&pg_url())
            )
        });
    s.migrate(false).await.expect("migrate");
    s
}

fn org(name: &str, ags: &str) -> OrgInput {
    OrgInput {
        name: name.into(),
        kind: OrgKind::Gemeinde,
        ags: Some(Ags::parse(ags).expect("valid")),
        population: Some(1000),
        staff: None,
        it_workplaces: None,
        address: Some("Rathausplatz 1\n12345 Musterstadt".into()),
    }
}

/// Creates a federation, two members, a user and some changes; returns the number of audit entries.
async fn fill(s: &Store) -> i64 {
    let sys = AuditActor::system();
    let office = OrgInput {
        kind: OrgKind::Office,
        ags: None,
        ..org("Stelle", "06433000")
    };
    let fed = s
        .create_federation(&sys, "Verbund Test", &office)
        .await
        .expect("federation");
    let a = s
        .create_org(&sys, fed.id, &org("Nauheim", "06433009"))
        .await
        .expect("org");
    s.create_org(&sys, fed.id, &org("Raunheim", "06433010"))
        .await
        .expect("org");
    let mut changed = org("Nauheim", "06433009");
    changed.population = Some(10840);
    s.update_org(&sys, &Scope::system(&TEST_ACCESS), a.id, Some(1), &changed)
        .await
        .expect("update");
    let user = NewUser {
        email: Email::parse("a@b.de").expect("valid"),
        display_name: "Ä Ö Ü ß".into(),
        password: None,
    };
    s.create_user(
        &sys,
        &user,
        Some("$argon2id$hash"),
        Some((a.id, Role::Coordinator)),
    )
    .await
    .expect("user");
    6
}

/// A settled statement of 2026 over `members` (by population, with per-member standalone
/// costs and savings), as the app would issue it.
fn statement_document(
    key: &verbund_domain::costs::AllocationKey,
    members: &[(OrgId, &str, u64)],
) -> verbund_domain::costs::StatementDocument {
    use verbund_domain::costs::{
        Budget, BudgetLine, Cents, CostCategory, MemberSnapshot, StandaloneCosts,
        StatementDocument, settle_year,
    };
    let members: Vec<MemberSnapshot> = members
        .iter()
        .map(|(id, name, population)| MemberSnapshot::new(*id, *name).with_population(*population))
        .collect();
    let budget = Budget::new(
        2026,
        vec![BudgetLine::new(
            CostCategory::Personnel,
            Cents::euros(90_000),
            "ISB",
        )],
    )
    .expect("valid budget");
    let statement = settle_year(&budget, &[], &members, key).expect("settles");
    let standalone = StandaloneCosts {
        common: None,
        per_member: members
            .iter()
            .map(|m| (m.id, Cents::euros(70_000)))
            .collect(),
    };
    let savings = statement.savings(&standalone).expect("computes");
    StatementDocument {
        key_name: key.name.clone(),
        key_version: 1,
        key: key.clone(),
        standalone,
        members,
        statement,
        savings: Some(savings),
        federation: None,
        payment: None,
    }
}

async fn raw(s: &Store, sql: &str) {
    match &s.db {
        Db::Sqlite(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(p)
                .await
                .expect("raw sql");
        }
        Db::Postgres(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(p)
                .await
                .expect("raw sql");
        }
    }
}

async fn chain_detects_edits_and_deletions(s: Store) {
    let n = fill(&s).await;
    assert_eq!(s.verify_audit().await.expect("verify"), Ok(n));
    raw(
        &s,
        "UPDATE audit_log SET after_json = '{\"population\":1}' WHERE seq = 4",
    )
    .await;
    assert_eq!(
        s.verify_audit().await.expect("verify"),
        Err(ChainError::Tampered { seq: 4 })
    );
    raw(&s, "DELETE FROM audit_log WHERE seq = 4").await;
    assert_eq!(
        s.verify_audit().await.expect("verify"),
        Err(ChainError::Gap {
            expected_prev: 3,
            found: 5
        })
    );
}

async fn chain_detects_a_truncated_end(s: Store) {
    let n = fill(&s).await;
    raw(&s, &format!("DELETE FROM audit_log WHERE seq = {n}")).await;
    assert_eq!(
        s.verify_audit().await.expect("verify"),
        Err(ChainError::HeadMismatch {
            last_seq: n - 1,
            head_seq: n
        })
    );
}

/// The attack of the review: delete the newest entries and rewind the head row. The chain
/// verifies; the checkpoint taken before does not, and every broken entry is listed.
async fn a_checkpoint_catches_a_shortened_chain(s: Store) {
    use verbund_domain::audit::Checkpoint;
    let n = fill(&s).await;
    let (seq, hash) = s.audit_head().await.expect("head");
    assert_eq!(seq, n);
    let cp = Checkpoint {
        seq,
        hash,
        at_ms: 0,
    };
    assert_eq!(
        cp.check(s.audit_hash_at(cp.seq).await.expect("hash").as_deref()),
        Ok(())
    );
    let prev: String = match &s.db {
        Db::Sqlite(p) => sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(n - 2)
            .fetch_one(p)
            .await
            .unwrap(),
        Db::Postgres(p) => sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(n - 2)
            .fetch_one(p)
            .await
            .unwrap(),
    };
    raw(&s, &format!("DELETE FROM audit_log WHERE seq > {}", n - 2)).await;
    raw(
        &s,
        &format!(
            "UPDATE audit_head SET seq = {}, hash = '{prev}' WHERE id = 1",
            n - 2
        ),
    )
    .await;
    assert_eq!(
        s.verify_audit().await.expect("verify"),
        Ok(n - 2),
        "the chain alone cannot tell"
    );
    assert_eq!(
        cp.check(s.audit_hash_at(cp.seq).await.expect("hash").as_deref()),
        Err(ChainError::CheckpointMissing { seq: n })
    );
    // Two more edits: the report names each.
    raw(&s, "UPDATE audit_log SET after_json = '{}' WHERE seq = 1").await;
    raw(&s, "UPDATE audit_log SET actor_label = 'x' WHERE seq = 3").await;
    let report = s.verify_audit_report().await.expect("verify");
    assert_eq!(
        report.problems,
        [
            ChainError::Tampered { seq: 1 },
            ChainError::Tampered { seq: 3 }
        ]
    );
}

async fn failed_change_writes_neither_data_nor_audit(s: Store) {
    fill(&s).await;
    let fed = s.federation().await.expect("ok").expect("exists");
    let err = s
        .create_org(&AuditActor::system(), fed.id, &org("Doppelt", "06433009"))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(
        s.verify_audit().await.expect("verify"),
        Ok(6),
        "no audit entry for the failed insert"
    );
    assert_eq!(
        s.list_orgs(&Scope::system(&TEST_ACCESS), None, Default::default())
            .await
            .expect("list")
            .total,
        3
    );
}

async fn backup_restores_everything(from: Store, to: Store) {
    fill(&from).await;
    let mut file = Vec::new();
    from.backup_to(&mut file, &mut |_, _| {})
        .await
        .expect("backup");
    let summary = to
        .restore_from(&mut &file[..], &mut |_, _| {})
        .await
        .expect("restore");
    assert!(
        summary
            .tables
            .iter()
            .any(|(t, n)| t == "organisations" && *n == 3)
    );
    assert_eq!(
        to.verify_audit().await.expect("verify"),
        Ok(6),
        "audit chain survives the round trip"
    );
    let a = from
        .list_orgs(&Scope::system(&TEST_ACCESS), None, Default::default())
        .await
        .expect("list");
    let b = to
        .list_orgs(&Scope::system(&TEST_ACCESS), None, Default::default())
        .await
        .expect("list");
    assert_eq!(a, b);
    let u = to
        .login_user("a@b.de")
        .await
        .expect("ok")
        .expect("user restored");
    assert_eq!(u.password_hash.as_deref(), Some("$argon2id$hash"));
    // New rows continue after the restored IDs.
    let fed = to.federation().await.expect("ok").expect("exists");
    let new = to
        .create_org(&AuditActor::system(), fed.id, &org("Trebur", "06433014"))
        .await
        .expect("insert after restore");
    assert!(a.items.iter().all(|o| o.id != new.id));
    assert_eq!(to.verify_audit().await.expect("verify"), Ok(7));
    let again = to
        .restore_from(&mut &file[..], &mut |_, _| {})
        .await
        .unwrap_err();
    assert!(
        matches!(again, StoreError::Backup(m) if m.contains("nicht leer")),
        "restore refuses a non-empty database"
    );
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
async fn sqlite_a_checkpoint_catches_a_shortened_chain() {
    a_checkpoint_catches_a_shortened_chain(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_a_checkpoint_catches_a_shortened_chain() {
    a_checkpoint_catches_a_shortened_chain(postgres().await).await;
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
    let err = s
        .restore(&serde_json::json!({"hello": 1}))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Backup(m) if m.contains("keine Verbund-Sicherung")));
    let err = s.restore(&serde_json::json!({"format": "verbund-backup", "schema_version": 1, "tables": {"federations": {"columns": ["id; DROP TABLE users"], "rows": []}}})).await.unwrap_err();
    assert!(matches!(err, StoreError::Backup(m) if m.contains("ungültiger Spaltenname")));
}

async fn key_versions_lock_once_a_statement_is_issued(s: Store) {
    use verbund_domain::costs::{AllocationKey, KeyNode, StandaloneCosts};
    fill(&s).await;
    let fed = s.federation().await.expect("ok").expect("exists");
    let by = AuditActor::system();
    let equal = AllocationKey {
        name: "Schlüssel".into(),
        root: KeyNode::Equal,
    };
    let k1 = s
        .save_cost_key(&by, fed.id, None, &equal, &StandaloneCosts::default())
        .await
        .expect("create");
    assert_eq!((k1.version, k1.locked), (1, false));
    let k1b = s
        .save_cost_key(
            &by,
            fed.id,
            Some(k1.id),
            &equal,
            &StandaloneCosts::common(verbund_domain::costs::Cents(4_250_000)),
        )
        .await
        .expect("edit in place");
    assert_eq!(
        (k1b.id, k1b.version),
        (k1.id, 1),
        "unissued versions change in place"
    );
    let members = s
        .member_rows_federation_wide(&Scope::system(&TEST_ACCESS), fed.id)
        .await
        .expect("members");
    let members: Vec<(OrgId, &str, u64)> = members
        .iter()
        .map(|(o, _)| (o.id, o.name.as_str(), 1000))
        .collect();
    let document = statement_document(&equal, &members);
    let st = s
        .issue_statement(&by, fed.id, 2026, k1.id, &document)
        .await
        .expect("issue");
    assert!(s.cost_key(fed.id, k1.id).await.expect("get").locked);
    let k2 = s
        .save_cost_key(
            &by,
            fed.id,
            Some(k1.id),
            &equal,
            &StandaloneCosts::default(),
        )
        .await
        .expect("new version");
    assert_eq!(k2.version, 2);
    assert_ne!(k2.id, k1.id);
    assert_eq!(
        s.cost_key(fed.id, k1.id)
            .await
            .expect("get")
            .standalone
            .common,
        Some(verbund_domain::costs::Cents(4_250_000)),
        "issued version unchanged"
    );
    assert_eq!(
        s.statement(&Scope::system(&TEST_ACCESS), fed.id, st.id)
            .await
            .expect("get")
            .document,
        serde_json::to_value(&document).expect("json")
    );
    let snapshot = s.backup().await.expect("backup");
    assert_eq!(
        snapshot["tables"]["cost_keys"]["rows"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(
        snapshot["tables"]["cost_statements"]["rows"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        snapshot["tables"]["statement_members"]["rows"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "one part per member"
    );
}

async fn budget_lines_keep_order_and_a_year_is_created_once(s: Store) {
    use verbund_domain::costs::{BudgetLine, Cents, CostCategory};
    fill(&s).await;
    let fed = s.federation().await.expect("ok").expect("exists");
    let by = AuditActor::system();
    let lines = [
        BudgetLine::new(CostCategory::Personnel, Cents(17_000_000), "2 Stellen E 11"),
        BudgetLine::new(CostCategory::Material, Cents(2_000_000), "Sachkosten"),
    ];
    let made = s
        .create_budget(&by, fed.id, 2026, &lines)
        .await
        .expect("create");
    assert_eq!(
        made.iter().map(|l| l.position).collect::<Vec<_>>(),
        vec![1, 2]
    );
    let again = s
        .create_budget(&by, fed.id, 2026, &lines)
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Invalid(_)));
    let third = s
        .add_budget_line(
            &by,
            fed.id,
            2026,
            &BudgetLine::new(CostCategory::Other, Cents(1), "x"),
        )
        .await
        .expect("add");
    assert_eq!(third.position, 3);
    s.delete_budget_line(&by, fed.id, made[0].id)
        .await
        .expect("delete");
    let now: Vec<_> = s
        .budget_lines(fed.id, 2026)
        .await
        .expect("list")
        .into_iter()
        .map(|l| l.line.note)
        .collect();
    assert_eq!(now, vec!["Sachkosten", "x"]);
    assert_eq!(s.budget_years(fed.id).await.expect("years"), vec![2026]);
    assert!(matches!(
        s.delete_budget_line(&by, fed.id, made[0].id).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn sqlite_key_versions_lock_once_a_statement_is_issued() {
    key_versions_lock_once_a_statement_is_issued(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_key_versions_lock_once_a_statement_is_issued() {
    key_versions_lock_once_a_statement_is_issued(postgres().await).await;
}

#[tokio::test]
async fn sqlite_budget_lines_keep_order_and_a_year_is_created_once() {
    budget_lines_keep_order_and_a_year_is_created_once(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_budget_lines_keep_order_and_a_year_is_created_once() {
    budget_lines_keep_order_and_a_year_is_created_once(postgres().await).await;
}

mod advisories;
mod backup;
mod check;
mod generate;
mod isolation;
mod mail;
mod measures;
mod risks;
mod signin;
mod structure;
mod structure_modules;
