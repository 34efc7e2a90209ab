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
        include!("standalone.rs");
        include!("catalogs.rs");
        include!("settings.rs");
        include!("logos.rs");
        include!("assessments.rs");
        include!("assessment_tallies.rs");
        include!("answers.rs");
        include!("answer_writes.rs");
        include!("group_changes.rs");
        include!("snapshots.rs");
        include!("evidence.rs");
        include!("heatmap.rs");
        include!("assessment_migration.rs");
        include!("generate.rs");
        include!("audit_query.rs");
        include!("password_resets.rs");
        include!("comparison.rs");
        include!("structure.rs");
        include!("structure_graph.rs");
        include!("structure_links.rs");
        include!("structure_detail.rs");
        include!("structure_import.rs");
        include!("structure_modules.rs");
        include!("structure_writes.rs");
        include!("structure_generate.rs");
        include!("structure_report.rs");
        include!("measures.rs");
        include!("risks.rs");
        include!("risk_library.rs");
        include!("check.rs");
        include!("jobs_mail.rs");
        include!("pact.rs");
        include!("pact_crises.rs");
        include!("pact_map.rs");
        include!("advisories.rs");
        include!("csaf_feed.rs");
        include!("advisory_rematch.rs");
    };
}

pub(crate) mod sqlite {
    pub(crate) type DB = sqlx::Sqlite;

    /// SQLite has no `LATERAL` join; queries that would use one take another form.
    pub(crate) const HAS_LATERAL: bool = false;

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

    /// Foreign keys stay on during a restore on SQLite (checking them is cheap there).
    pub(crate) async fn suspend_foreign_keys(
        _tx: &mut sqlx::Transaction<'static, DB>,
    ) -> Result<Vec<(String, String, String)>, sqlx::Error> {
        Ok(Vec::new())
    }

    /// Counterpart of [`suspend_foreign_keys`]: nothing to do.
    pub(crate) async fn resume_foreign_keys(
        _tx: &mut sqlx::Transaction<'static, DB>,
        _keys: &[(String, String, String)],
    ) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// Restores a batch of rows with one multi-row INSERT (the caller keeps the parameter count
    /// below SQLite's limit).
    ///
    /// The placeholders are anonymous `?`: SQLite looks each numbered `$N` up in a list of
    /// the names seen so far, when parsing and again when binding, which made a batch of
    /// 30,000 parameters quadratic (a 3,000-row batch took 2–6 s, and restoring 11,000 members
    /// would have taken over an hour; with `?` it is linear).
    pub(crate) async fn bulk_insert(
        tx: &mut sqlx::Transaction<'static, DB>,
        table: &str,
        columns: &[String],
        rows: Vec<Vec<serde_json::Value>>,
    ) -> Result<(), sqlx::Error> {
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", table, columns.join(", "));
        for (i, cells) in rows.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for (j, c) in cells.iter().enumerate() {
                if j > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(if c.is_null() { "NULL" } else { "?" });
            }
            sql.push(')');
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
        for c in rows.into_iter().flatten() {
            q = match c {
                serde_json::Value::Number(n) => match n.as_i64() {
                    Some(i) => q.bind(i),
                    None => q.bind(n.as_f64()),
                },
                serde_json::Value::String(s) => q.bind(s),
                // NULL is written into the SQL, not bound.
                serde_json::Value::Null => q,
                // Backups hold numbers, texts and NULL; anything else is kept as its JSON text
                // so that every `?` gets its value.
                other => q.bind(other.to_string()),
            };
        }
        q.execute(&mut **tx).await?;
        Ok(())
    }

    shared_queries!();
}

pub(crate) mod postgres {
    pub(crate) type DB = sqlx::Postgres;

    /// PostgreSQL joins `LATERAL` subqueries (a per-row `LIMIT` that walks an index).
    pub(crate) const HAS_LATERAL: bool = true;

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

    /// Drops the schema's foreign keys for a restore (inside its transaction) and returns them
    /// (table, name, definition): checking each of millions of rows one by one costs more than
    /// the load itself, validating a key again afterwards is one join.
    pub(crate) async fn suspend_foreign_keys(
        tx: &mut sqlx::Transaction<'static, DB>,
    ) -> Result<Vec<(String, String, String)>, sqlx::Error> {
        let keys: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT c.conrelid::regclass::text, c.conname::text, pg_get_constraintdef(c.oid) \
             FROM pg_constraint c \
             WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace \
             ORDER BY 1, 2",
        )
        .fetch_all(&mut **tx)
        .await?;
        for (table, name, _) in &keys {
            let sql = format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\"");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut **tx)
                .await?;
        }
        Ok(keys)
    }

    /// Adds the foreign keys [`suspend_foreign_keys`] dropped again, validating every row: a
    /// restored row without its parent fails the restore.
    pub(crate) async fn resume_foreign_keys(
        tx: &mut sqlx::Transaction<'static, DB>,
        keys: &[(String, String, String)],
    ) -> Result<(), sqlx::Error> {
        for (table, name, definition) in keys {
            let sql = format!("ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}");
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Restores a batch of rows with `COPY … FROM STDIN` (text format): several times faster
    /// than INSERT on PostgreSQL. Table and column names are checked identifiers; values are
    /// integers, text or NULL.
    pub(crate) async fn bulk_insert(
        tx: &mut sqlx::Transaction<'static, DB>,
        table: &str,
        columns: &[String],
        rows: Vec<Vec<serde_json::Value>>,
    ) -> Result<(), sqlx::Error> {
        let mut data = Vec::with_capacity(64 * 1024);
        for row in &rows {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    data.push(b'\t');
                }
                match cell {
                    serde_json::Value::Null => data.extend_from_slice(b"\\N"),
                    serde_json::Value::String(s) => copy_escape(&mut data, s),
                    other => data.extend_from_slice(other.to_string().as_bytes()),
                }
            }
            data.push(b'\n');
        }
        let sql = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
        let mut copy = tx.copy_in_raw(&sql).await?;
        copy.send(data).await?;
        copy.finish().await?;
        Ok(())
    }

    /// Escapes text for COPY's text format: backslash, tab, newline and carriage return.
    fn copy_escape(out: &mut Vec<u8>, s: &str) {
        for b in s.bytes() {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => out.push(b),
            }
        }
    }

    shared_queries!();
}
