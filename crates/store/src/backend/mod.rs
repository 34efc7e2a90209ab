//! The query code, compiled once per backend.
//!
//! Each module sets `DB` and the few dialect-specific pieces, then includes the shared files.
//! Included files hold only items (no `use`, no inner docs), so they can be included twice.

/// The query files both backends compile.
macro_rules! shared_queries {
    () => {
        include!("prelude.rs");
        include!("audit.rs");
        include!("orgs.rs");
        include!("key_figures.rs");
        include!("users.rs");
        include!("auth.rs");
        include!("signin.rs");
        include!("invitations.rs");
        include!("backup.rs");
        include!("costs.rs");
        include!("cost_statements.rs");
        include!("catalogs.rs");
        include!("settings.rs");
        include!("assessments.rs");
        include!("assessment_tallies.rs");
        include!("answers.rs");
        include!("answer_writes.rs");
        include!("snapshots.rs");
        include!("evidence.rs");
        include!("heatmap.rs");
        include!("assessment_migration.rs");
        include!("generate.rs");
    };
}

pub(crate) mod sqlite {
    pub(crate) type DB = sqlx::Sqlite;

    /// Begins a write transaction. `IMMEDIATE` takes SQLite's write lock up front: a deferred
    /// transaction that reads first and writes later fails at once with SQLITE_BUSY if another
    /// writer committed in between, instead of waiting.
    pub(crate) async fn begin_write(
        pool: &sqlx::Pool<DB>,
    ) -> Result<sqlx::Transaction<'static, DB>, sqlx::Error> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// Begins a read-only snapshot (a SQLite transaction reads one consistent snapshot).
    pub(crate) async fn begin_snapshot(
        pool: &sqlx::Pool<DB>,
    ) -> Result<sqlx::Transaction<'static, DB>, sqlx::Error> {
        pool.begin().await
    }

    /// After inserting rows with explicit IDs nothing is needed: SQLite continues after MAX(id).
    pub(crate) async fn reset_id_sequence(
        _tx: &mut sqlx::Transaction<'static, DB>,
        _table: &str,
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }

    shared_queries!();
}

pub(crate) mod postgres {
    pub(crate) type DB = sqlx::Postgres;

    /// Begins a write transaction; concurrent writers serialize on the audit head row.
    pub(crate) async fn begin_write(
        pool: &sqlx::Pool<DB>,
    ) -> Result<sqlx::Transaction<'static, DB>, sqlx::Error> {
        pool.begin().await
    }

    /// Begins a read-only snapshot: REPEATABLE READ sees one state across all statements.
    pub(crate) async fn begin_snapshot(
        pool: &sqlx::Pool<DB>,
    ) -> Result<sqlx::Transaction<'static, DB>, sqlx::Error> {
        pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
    }

    /// Identity columns must be moved past the IDs a restore inserted explicitly.
    pub(crate) async fn reset_id_sequence(
        tx: &mut sqlx::Transaction<'static, DB>,
        table: &str,
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    shared_queries!();
}
