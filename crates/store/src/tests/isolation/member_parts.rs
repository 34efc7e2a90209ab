//! Member parts of cost statements, which a member's scope reads statements through, are
//! completed after a migration and after restoring an older backup.

use verbund_domain::authz::Permission;

use super::*;

/// Statements issued before member parts were stored (or restored from an older backup
/// without them) get their parts after migrating or restoring, once.
async fn member_parts_are_completed_after_migration_and_an_old_restore(from: Store, to: Store) {
    let w = seed(&from).await;
    raw(&from, "DELETE FROM statement_members").await;
    let costs = coordinator_scope(&w, w.a, Permission::ReadCosts);
    assert!(
        from.statements(&costs, w.fed, None)
            .await
            .expect("list")
            .is_empty()
    );
    from.migrate(false)
        .await
        .expect("migrate completes the parts");
    assert_eq!(
        from.complete_statement_members().await.expect("again"),
        0,
        "idempotent"
    );
    let part = from
        .statement(&costs, w.fed, w.statement_ab)
        .await
        .expect("A's part after migrating");
    assert!(!part.document.to_string().contains("Raunheim"));

    let mut snapshot = from.backup().await.expect("backup");
    let tables = snapshot["tables"].as_object_mut().expect("tables");
    assert_eq!(
        tables["statement_members"]["rows"].as_array().map(Vec::len),
        Some(3)
    );
    tables.remove("statement_members");
    to.restore(&snapshot)
        .await
        .expect("restore without the table");
    let restored = to
        .statement(&costs, w.fed, w.statement_ab)
        .await
        .expect("A's part after restoring");
    assert_eq!(restored, part);
    assert_eq!(to.complete_statement_members().await.expect("again"), 0);
}

#[tokio::test]
async fn sqlite_member_parts_are_completed_after_migration_and_an_old_restore() {
    member_parts_are_completed_after_migration_and_an_old_restore(
        sqlite().await.0,
        sqlite().await.0,
    )
    .await;
}

#[tokio::test]
async fn postgres_member_parts_are_completed_after_migration_and_an_old_restore() {
    member_parts_are_completed_after_migration_and_an_old_restore(
        postgres().await,
        postgres().await,
    )
    .await;
}
