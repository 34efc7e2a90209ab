/// Tables in the order a restore must insert them (parents first). Sessions are not kept:
/// a restored system starts with everyone logged out.
const BACKUP_TABLES: &[&str] = &[
    "federations",
    "organisations",
    "memberships",
    "users",
    "external_identities",
    "role_assignments",
    "role_invitations",
    "recovery_codes",
    "api_tokens",
    "budget_lines",
    "subsidies",
    "cost_keys",
    "cost_statements",
    "statement_members",
    "catalogs",
    "catalog_nodes",
    "federation_settings",
    "assessments",
    "assessment_topics",
    "assessment_answers",
    "assessment_group_changes",
    "assessment_snapshots",
    "evidence",
    "key_figure_proposals",
    "member_standalone_costs",
    "structure_settings",
    "structure_objects",
    "structure_links",
    "structure_needs",
    "structure_contributions",
    "structure_module_rules",
    "structure_modules",
    "check_rows",
    "logos",
    "measure_templates",
    "measures",
    "measure_requirements",
    "measure_objects",
    "measure_notes",
    "threats",
    "risk_matrix",
    "risks",
    "risk_measures",
    "requirement_threats",
    "reminder_settings",
    "calendar_feeds",
    "jobs",
    "outbox_mails",
    "pacts",
    "pact_members",
    "pact_resources",
    "pact_contacts",
    "pact_crises",
    "pact_crisis_entries",
    "pact_requests",
    "pact_loans",
    "pact_handbooks",
    "advisories",
    "advisory_products",
    "advisory_warnings",
    "csaf_providers",
    "csaf_provider_documents",
    "csaf_provider_runs",
    "audit_log",
    "audit_head",
];

/// Tables whose rows are derived from other tables: backed up for readers of the file, but
/// written again after a restore rather than read back.
const DERIVED_TABLES: &[&str] = &["statement_members"];

/// Tables added after the first backup format: a backup of an older schema lacks them, and
/// they start empty.
const ADDED_TABLES: &[&str] = &[
    "role_invitations",
    "key_figure_proposals",
    "assessment_group_changes",
    "member_standalone_costs",
    "structure_settings",
    "structure_objects",
    "structure_links",
    "structure_needs",
    "structure_contributions",
    "structure_module_rules",
    "structure_modules",
    "check_rows",
    "logos",
    "measure_templates",
    "measures",
    "measure_requirements",
    "measure_objects",
    "measure_notes",
    "threats",
    "risk_matrix",
    "risks",
    "risk_measures",
    "requirement_threats",
    "reminder_settings",
    "calendar_feeds",
    "jobs",
    "outbox_mails",
    "pacts",
    "pact_members",
    "pact_resources",
    "pact_contacts",
    "pact_crises",
    "pact_crisis_entries",
    "pact_requests",
    "pact_loans",
    "pact_handbooks",
    "advisories",
    "advisory_products",
    "advisory_warnings",
    "csaf_providers",
    "csaf_provider_documents",
    "csaf_provider_runs",
];

/// The version [`backup_to`] writes: 1 was one JSON document, 2 is one JSON value per line.
const FORMAT_VERSION: i64 = 2;

/// Rows read per query while backing up (keyset pagination on `id`) at most.
const BACKUP_PAGE: i64 = 5000;

/// Bytes a page of rows should hold: the next page's size follows the rows seen so far, so
/// tables of large rows (evidence files, snapshots) are read a few rows at a time.
const BACKUP_PAGE_BYTES: usize = 8 << 20;

/// Bind parameters per INSERT: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 30_000;

/// Rows per INSERT at most, whatever the column count.
const MAX_BATCH_ROWS: usize = 5_000;

/// Bytes of values per INSERT at most, so large evidence files do not pile up in memory.
const MAX_BATCH_BYTES: usize = 16 << 20;

fn cell_to_json(row: &<DB as sqlx::Database>::Row, i: usize) -> Result<serde_json::Value> {
    use sqlx::ValueRef;
    if row.try_get_raw(i)?.is_null() {
        return Ok(serde_json::Value::Null);
    }
    // Columns are BIGINT, TEXT or (a few, e.g. a measure's effort in days) DOUBLE PRECISION on
    // both backends; try the integer first.
    if let Ok(n) = row.try_get::<i64, _>(i) {
        return Ok(n.into());
    }
    if let Ok(x) = row.try_get::<f64, _>(i) {
        return Ok(serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, Into::into));
    }
    Ok(row.try_get::<String, _>(i)?.into())
}

fn write_err(e: std::io::Error) -> StoreError {
    bad(format!("Schreiben der Sicherung fehlgeschlagen: {e}"))
}

fn write_line(out: &mut dyn std::io::Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| write_err(e.into()))?;
    std::io::Write::write_all(out, b"\n").map_err(write_err)
}

/// Streams every table in format 2 to `out`: a header line, then per table a line naming it and
/// its columns followed by one JSON array per row, then an end line with the row counts. All
/// tables are read in one snapshot transaction, page by page in ID order, so memory stays flat
/// and writers are not blocked. `progress` gets the table and the rows written so far.
pub(crate) async fn backup_to(
    pool: &Pool<DB>,
    out: &mut dyn std::io::Write,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<BackupSummary> {
    use sqlx::Column;
    let mut tx = begin_snapshot(pool).await?;
    let migration: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&mut *tx)
        .await?;
    write_line(
        out,
        &serde_json::json!({
            "format": "verbund-backup",
            "format_version": FORMAT_VERSION,
            "schema_version": migration,
            "created_at_ms": now_ms(),
        }),
    )?;
    let mut summary = BackupSummary::default();
    let mut counts = serde_json::Map::new();
    let mut total = 0u64;
    for table in BACKUP_TABLES {
        let sql = format!("SELECT * FROM {table} WHERE id > $1 ORDER BY id LIMIT $2");
        let mut last = i64::MIN;
        // The first page is one row, to learn the row size.
        let mut limit = 1i64;
        let mut line = Vec::new();
        let mut rows_in_table = 0usize;
        let mut header_written = false;
        loop {
            let rows = sqlx::query(AssertSqlSafe(sql.clone()))
                .bind(last)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
            let columns: Vec<String> = rows
                .first()
                .map(|r| r.columns().iter().map(|c| c.name().to_owned()).collect())
                .unwrap_or_default();
            if !header_written {
                write_line(
                    out,
                    &serde_json::json!({ "table": table, "columns": columns }),
                )?;
                header_written = true;
            }
            if rows.is_empty() {
                break;
            }
            let id_col = columns
                .iter()
                .position(|c| c == "id")
                .ok_or_else(|| bad(format!("Tabelle {table} hat keine Spalte id")))?;
            let mut page_bytes = 0usize;
            for r in &rows {
                let cells = (0..columns.len())
                    .map(|i| cell_to_json(r, i))
                    .collect::<Result<Vec<_>>>()?;
                line.clear();
                serde_json::to_writer(&mut line, &cells).map_err(|e| write_err(e.into()))?;
                line.push(b'\n');
                std::io::Write::write_all(out, &line).map_err(write_err)?;
                page_bytes += line.len();
                last = r.try_get::<i64, _>(id_col)?;
            }
            rows_in_table += rows.len();
            total += rows.len() as u64;
            progress(table, total);
            if rows.len() < limit as usize {
                break;
            }
            let row_bytes = (page_bytes / rows.len()).max(1);
            limit = i64::try_from(BACKUP_PAGE_BYTES / row_bytes)
                .unwrap_or(BACKUP_PAGE)
                .clamp(1, BACKUP_PAGE);
        }
        counts.insert((*table).to_owned(), rows_in_table.into());
        summary.tables.push(((*table).to_owned(), rows_in_table));
    }
    tx.commit().await?;
    write_line(out, &serde_json::json!({ "end": true, "rows": counts }))?;
    std::io::Write::flush(out).map_err(write_err)?;
    Ok(summary)
}

fn bad(msg: impl Into<String>) -> StoreError {
    StoreError::Backup(msg.into())
}

fn valid_ident(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Checks the header fields both formats share and that this program knows the schema.
async fn check_header(pool: &Pool<DB>, header: &serde_json::Value) -> Result<()> {
    if header.get("format").and_then(|v| v.as_str()) != Some("verbund-backup") {
        return Err(bad("keine Verbund-Sicherung (Feld \"format\" fehlt)"));
    }
    let ours: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(pool)
        .await?;
    let theirs = header.get("schema_version").and_then(|v| v.as_i64());
    if theirs > ours {
        return Err(bad(format!(
            "die Sicherung hat das Schema {theirs:?}, dieses Programm kennt nur {ours:?}: bitte zuerst das Programm aktualisieren"
        )));
    }
    Ok(())
}

/// The table being loaded.
struct TableLoad {
    name: &'static str,
    columns: Vec<String>,
    /// Derived rows are read but not inserted.
    skip: bool,
    batch: Vec<Vec<serde_json::Value>>,
    batch_bytes: usize,
    rows: usize,
}

/// Inserts the rows of a backup in one transaction, in batches of multi-row INSERTs: either
/// everything is committed or (on any error, including a missing end) nothing.
struct Loader<'p> {
    tx: Tx,
    current: Option<TableLoad>,
    /// Position in [`BACKUP_TABLES`] of the last table started: tables must come in that order.
    next_index: usize,
    summary: RestoreSummary,
    total: u64,
    /// Foreign keys dropped for the load (PostgreSQL), added again before the commit.
    foreign_keys: Vec<(String, String, String)>,
    progress: &'p mut (dyn FnMut(&str, u64) + Send),
}

impl<'p> Loader<'p> {
    async fn begin(
        pool: &Pool<DB>,
        progress: &'p mut (dyn FnMut(&str, u64) + Send),
    ) -> Result<Self> {
        let mut tx = begin_write(pool).await?;
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *tx)
            .await?;
        let orgs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
            .fetch_one(&mut *tx)
            .await?;
        if existing + orgs > 0 {
            return Err(bad(
                "die Zieldatenbank ist nicht leer: nur in eine neue, leere Datenbank wiederherstellen",
            ));
        }
        sqlx::query("DELETE FROM audit_head")
            .execute(&mut *tx)
            .await?;
        let foreign_keys = suspend_foreign_keys(&mut tx).await?;
        Ok(Self {
            tx,
            current: None,
            next_index: 0,
            summary: RestoreSummary::default(),
            total: 0,
            foreign_keys,
            progress,
        })
    }

    async fn start_table(&mut self, name: &str, columns: Vec<String>) -> Result<()> {
        self.end_table().await?;
        let Some(offset) = BACKUP_TABLES[self.next_index..]
            .iter()
            .position(|t| *t == name)
        else {
            return Err(bad(format!(
                "unbekannte oder falsch eingeordnete Tabelle {name:?} in der Sicherung"
            )));
        };
        let index = self.next_index + offset;
        if let Some(missing) = BACKUP_TABLES[self.next_index..index]
            .iter()
            .find(|t| !ADDED_TABLES.contains(t) && !DERIVED_TABLES.contains(t))
        {
            return Err(bad(format!("Tabelle {missing} fehlt")));
        }
        self.next_index = index + 1;
        let name = BACKUP_TABLES[index];
        if let Some(c) = columns.iter().find(|c| !valid_ident(c)) {
            return Err(bad(format!("Tabelle {name}: ungültiger Spaltenname {c:?}")));
        }
        self.current = Some(TableLoad {
            name,
            columns,
            // Derived rows are written again at the end from the restored statements, in this
            // program's format (a backup's copy may come from an older one).
            skip: DERIVED_TABLES.contains(&name),
            batch: Vec::new(),
            batch_bytes: 0,
            rows: 0,
        });
        Ok(())
    }

    async fn row(&mut self, cells: Vec<serde_json::Value>, bytes: usize) -> Result<()> {
        let t = self
            .current
            .as_mut()
            .ok_or_else(|| bad("Zeile vor der ersten Tabelle"))?;
        t.rows += 1;
        if cells.len() != t.columns.len() {
            return Err(bad(format!(
                "Tabelle {}, Zeile {}: falsche Anzahl Werte",
                t.name, t.rows
            )));
        }
        if let Some(c) = cells
            .iter()
            .find(|c| !(c.is_null() || c.is_string() || c.is_number()))
        {
            return Err(bad(format!(
                "Tabelle {}, Zeile {}: nicht unterstützter Wert {c}",
                t.name, t.rows
            )));
        }
        if t.skip {
            return Ok(());
        }
        t.batch.push(cells);
        t.batch_bytes += bytes;
        let rows_max = (MAX_PARAMS / t.columns.len().max(1)).clamp(1, MAX_BATCH_ROWS);
        if t.batch.len() >= rows_max || t.batch_bytes >= MAX_BATCH_BYTES {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<()> {
        let Some(t) = self.current.as_mut() else {
            return Ok(());
        };
        if t.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut t.batch);
        let batch_rows = batch.len() as u64;
        t.batch_bytes = 0;
        bulk_insert(&mut self.tx, t.name, &t.columns, batch)
            .await
            .map_err(|e| bad(format!("Tabelle {}, Zeilen bis {}: {e}", t.name, t.rows)))?;
        self.total += batch_rows;
        (self.progress)(t.name, self.total);
        Ok(())
    }

    async fn end_table(&mut self) -> Result<()> {
        self.flush().await?;
        let Some(t) = self.current.take() else {
            return Ok(());
        };
        if t.skip {
            return Ok(());
        }
        if t.name != "audit_head" {
            reset_id_sequence(&mut self.tx, t.name).await?;
        }
        self.summary.tables.push((t.name.to_owned(), t.rows));
        Ok(())
    }

    async fn finish(mut self) -> Result<RestoreSummary> {
        self.end_table().await?;
        if let Some(missing) = BACKUP_TABLES[self.next_index..]
            .iter()
            .find(|t| !ADDED_TABLES.contains(t) && !DERIVED_TABLES.contains(t))
        {
            return Err(bad(format!("Tabelle {missing} fehlt")));
        }
        rebuild_score_sums(&mut self.tx).await?;
        complete_members_in(&mut self.tx).await?;
        resume_foreign_keys(&mut self.tx, &self.foreign_keys)
            .await
            .map_err(|e| {
                bad(format!(
                    "einer wiederhergestellten Zeile fehlt ihre übergeordnete Zeile: {e}"
                ))
            })?;
        self.tx.commit().await?;
        Ok(self.summary)
    }
}

/// Restores a format 1 snapshot (one JSON document, held in memory).
pub(crate) async fn restore(
    pool: &Pool<DB>,
    snapshot: &serde_json::Value,
) -> Result<RestoreSummary> {
    check_header(pool, snapshot).await?;
    let tables = snapshot
        .get("tables")
        .and_then(|v| v.as_object())
        .ok_or_else(|| bad("Feld \"tables\" fehlt"))?;
    let mut quiet = |_: &str, _: u64| {};
    let mut loader = Loader::begin(pool, &mut quiet).await?;
    for table in BACKUP_TABLES {
        let Some(t) = tables.get(*table) else {
            continue;
        };
        let columns: Vec<String> = t
            .get("columns")
            .and_then(|c| c.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        loader.start_table(table, columns).await?;
        let rows = t
            .get("rows")
            .and_then(|r| r.as_array())
            .ok_or_else(|| bad(format!("Tabelle {table}: Zeilen fehlen")))?;
        for row in rows {
            let cells = row
                .as_array()
                .cloned()
                .ok_or_else(|| bad(format!("Tabelle {table}: eine Zeile ist keine Liste")))?;
            loader.row(cells, 0).await?;
        }
    }
    loader.finish().await
}

/// Restores a backup from `input` (format 2 line by line; format 1 is read whole) into this
/// empty database in one transaction: a damaged, truncated or refused backup leaves it empty.
pub(crate) async fn restore_from(
    pool: &Pool<DB>,
    input: &mut dyn std::io::BufRead,
    progress: &mut (dyn FnMut(&str, u64) + Send),
) -> Result<RestoreSummary> {
    let read_err = |e: std::io::Error| bad(format!("Lesen der Sicherung fehlgeschlagen: {e}"));
    let mut line = String::new();
    std::io::BufRead::read_line(input, &mut line).map_err(read_err)?;
    let header: Option<serde_json::Value> = serde_json::from_str(&line).ok();
    let version = header
        .as_ref()
        .and_then(|h| h.get("format_version"))
        .and_then(|v| v.as_i64());
    if version > Some(FORMAT_VERSION) {
        return Err(bad(
            "das Format der Sicherung ist neuer als dieses Programm: bitte zuerst das Programm aktualisieren",
        ));
    }
    if version != Some(FORMAT_VERSION) {
        // Format 1 (or not a backup at all): one JSON document, possibly over several lines.
        std::io::Read::read_to_string(input, &mut line).map_err(read_err)?;
        let snapshot: serde_json::Value = serde_json::from_str(&line)
            .map_err(|_| bad("keine Verbund-Sicherung (weder Format 1 noch 2)"))?;
        return restore(pool, &snapshot).await;
    }
    check_header(pool, header.as_ref().unwrap_or(&serde_json::Value::Null)).await?;
    let mut loader = Loader::begin(pool, progress).await?;
    let mut n = 1u64;
    loop {
        line.clear();
        if std::io::BufRead::read_line(input, &mut line).map_err(read_err)? == 0 {
            return Err(bad(
                "die Sicherung endet vorzeitig (Endmarke fehlt): die Datei ist abgeschnitten",
            ));
        }
        n += 1;
        let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| {
            bad(format!(
                "Zeile {n}: ungültiges JSON ({e}): die Datei ist beschädigt"
            ))
        })?;
        match value {
            serde_json::Value::Array(cells) => loader.row(cells, line.len()).await?,
            serde_json::Value::Object(mut o) => {
                if let Some(serde_json::Value::String(table)) = o.remove("table") {
                    let columns = match o.remove("columns") {
                        Some(serde_json::Value::Array(c)) => c
                            .into_iter()
                            .map(|c| match c {
                                serde_json::Value::String(s) => Ok(s),
                                _ => Err(bad(format!("Zeile {n}: ein Spaltenname ist kein Text"))),
                            })
                            .collect::<Result<Vec<_>>>()?,
                        _ => return Err(bad(format!("Zeile {n}: Spalten fehlen"))),
                    };
                    loader.start_table(&table, columns).await?;
                } else if o.get("end").is_some() {
                    let counts = o.get("rows").and_then(|r| r.as_object()).cloned();
                    return finish_with_counts(loader, counts).await;
                } else {
                    return Err(bad(format!("Zeile {n}: weder eine Tabelle noch das Ende")));
                }
            }
            _ => return Err(bad(format!("Zeile {n}: unerwarteter Wert"))),
        }
    }
}

/// Compares the rows read with the end marker's counts before committing.
async fn finish_with_counts(
    mut loader: Loader<'_>,
    counts: Option<serde_json::Map<String, serde_json::Value>>,
) -> Result<RestoreSummary> {
    loader.end_table().await?;
    let counts = counts.ok_or_else(|| bad("Endmarke ohne Zeilenzahlen"))?;
    for (table, rows) in &loader.summary.tables {
        let expected = counts.get(table).and_then(|v| v.as_u64());
        if expected != Some(*rows as u64) {
            return Err(bad(format!(
                "Tabelle {table}: {rows} Zeilen gelesen, die Endmarke nennt {expected:?}: die Datei ist beschädigt"
            )));
        }
    }
    loader.finish().await
}
