//! Storage for Verbund on SQLite (embedded default) and PostgreSQL (for several app instances).
//!
//! The query code is written once (`backend/*.rs`) and compiled for each backend, so both run the
//! same SQL; where the dialects differ, both versions sit side by side in `backend/mod.rs`.
//!
//! **Tenant isolation lives here.** Every call on member data takes a [`Scope`] (the set of
//! organisations the caller may reach, computed by `verbund_domain::authz`) and answers
//! [`StoreError::NotFound`] for objects outside it, so no handler can forget a filter.
//! Every change writes its audit entry in the same transaction as the change itself.

mod backend;
mod error;
mod redact;
mod rows;
mod types;

pub use error::{Result, StoreError};
pub use redact::without_password;
pub use types::*;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use verbund_domain::authz::{Actor, Role, Scope};
use verbund_domain::org::{Membership, MembershipInput, OrgInput, Organisation};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::user::{NewUser, User};
use verbund_domain::{FederationId, MembershipId, OrgId, RoleAssignmentId, UserId};

#[derive(Clone, Debug)]
enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same backend function on whichever database is configured.
macro_rules! dispatch {
    ($self:ident . $f:ident ( $($arg:expr),* $(,)? )) => {
        match &$self.db {
            Db::Sqlite(p) => backend::sqlite::$f(p $(, $arg)*).await,
            Db::Postgres(p) => backend::postgres::$f(p $(, $arg)*).await,
        }
    };
}

mod advisories;
mod advisory_rematch;
mod assessments;
mod auth;
mod catalogs;
mod check;
mod costs;
mod csaf_feed;
mod generate;
mod invitations;
mod key_figures;
mod logos;
mod mail;
mod measures;
mod office;
mod pact;
mod risks;
mod settings;
mod signin;
mod structure;
mod structure_modules;
pub use advisories::{InventoryObject, NewWarning, SaveOutcome, WarningFilter, WarningRecipient};
pub use advisory_rematch::{ObjectWarning, RematchOutcome};
pub use assessments::*;
pub use csaf_feed::{CsafProvider, ProviderDocumentState, ProviderRun, RunFailure};
pub use generate::{GeneratedNeed, StructureTemplate};
pub use mail::{CalendarFeed, Job, NewMail, OutboxMail, ReminderCandidate};
pub use measures::MeasureLinks;
pub use office::{AuditFilter, MemberSnapshotAge, RequirementLabel};
pub use pact::{ContactFields, CrisisFields, HandbookStand, LoanDecision, PactFields, Registry};
pub use risks::{NewThreat, RiskLibraryImported};
pub use structure::{ImportCounts, LinkEnd, ProviderObjectName};

/// Handle to the database; cheap to clone (a connection pool inside).
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    /// The office organisation never changes once the federation exists; cached because every
    /// request's authorization needs it.
    office: std::sync::Arc<std::sync::OnceLock<OrgId>>,
    /// Requirement texts per catalog revision (revisions never change once imported).
    node_texts: assessments::NodeTextCache,
}

/// Current time in Unix milliseconds.
pub fn now_ms() -> i64 {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

impl Store {
    /// Connects to `url`: `postgres://…` for PostgreSQL, otherwise a SQLite URL or file path
    /// (created if missing, WAL journal, foreign keys on).
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_in_schema(url, None).await
    }

    /// Like [`Store::connect`], but on PostgreSQL all tables live in `schema` (created if missing).
    /// Tests use this for a fresh, isolated database per test.
    pub async fn connect_in_schema(url: &str, schema: Option<&str>) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // No JIT: Verbund's statements are short, and on a large batch read (the weekly
            // digest at 11,000 members) compiling took 350 ms of a 1.7 s query.
            let mut opts = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
            if let Some(schema) = schema {
                let admin = PgPoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts.clone())
                    .await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "CREATE SCHEMA IF NOT EXISTS \"{}\"",
                    schema.replace('"', "")
                )))
                .execute(&admin)
                .await?;
                admin.close().await;
                opts = opts.options([("search_path", schema)]);
            }
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            return Ok(Self {
                db: Db::Postgres(pool),
                office: Default::default(),
                node_texts: Default::default(),
            });
        }
        let url = if url.starts_with("sqlite:") {
            url.to_owned()
        } else {
            format!("sqlite://{url}")
        };
        let opts = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await?;
        Ok(Self {
            db: Db::Sqlite(pool),
            office: Default::default(),
            node_texts: Default::default(),
        })
    }

    /// Which backend this is: `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Applies pending migrations, then writes data the program derives in Rust for rows older
    /// than their table (the member parts of issued statements, see
    /// [`Store::complete_statement_members`]). `locking` guards against several instances
    /// migrating at once (PostgreSQL advisory lock); tests that each own a schema switch it off.
    pub async fn migrate(&self, locking: bool) -> Result<()> {
        match &self.db {
            Db::Sqlite(p) => {
                let mut m = sqlx::migrate!("./migrations/sqlite");
                m.set_locking(locking);
                m.run(p).await?;
            }
            Db::Postgres(p) => {
                let mut m = sqlx::migrate!("./migrations/postgres");
                m.set_locking(locking);
                m.run(p).await?;
            }
        }
        self.complete_statement_members().await?;
        Ok(())
    }

    /// Answers whether the database responds.
    pub async fn ping(&self) -> Result<()> {
        dispatch!(self.ping())
    }

    /// Closes all connections.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }

    // ---- federation ----

    /// The federation of this installation, if one was set up.
    pub async fn federation(&self) -> Result<Option<Federation>> {
        dispatch!(self.federation())
    }

    /// Creates the federation together with its office organisation.
    pub async fn create_federation(
        &self,
        by: &AuditActor,
        name: &str,
        office: &OrgInput,
    ) -> Result<Federation> {
        dispatch!(self.create_federation(by, name, office))
    }

    // ---- organisations ----

    /// Organisations inside `scope`, filtered by a name/AGS search, ordered by name.
    pub async fn list_orgs(
        &self,
        scope: &Scope,
        search: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Organisation>> {
        dispatch!(self.list_orgs(scope, search, page))
    }

    /// One organisation; `NotFound` outside `scope`.
    pub async fn get_org(&self, scope: &Scope, id: OrgId) -> Result<Organisation> {
        dispatch!(self.get_org(scope, id))
    }

    /// Creates an organisation (office-level action; authorize before calling).
    pub async fn create_org(
        &self,
        by: &AuditActor,
        federation: FederationId,
        input: &OrgInput,
    ) -> Result<Organisation> {
        dispatch!(self.create_org(by, federation, input))
    }

    /// Changes an organisation's facts. With `expected_version`, fails with `Stale` if it changed
    /// since it was read. `NotFound` outside `scope`.
    pub async fn update_org(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: OrgId,
        expected_version: Option<i64>,
        input: &OrgInput,
    ) -> Result<Organisation> {
        dispatch!(self.update_org(by, scope, id, expected_version, input))
    }

    // ---- memberships ----

    /// Membership periods of an organisation, newest first; `NotFound` outside `scope`.
    pub async fn list_memberships(&self, scope: &Scope, org: OrgId) -> Result<Vec<Membership>> {
        dispatch!(self.list_memberships(scope, org))
    }

    /// One membership period; `NotFound` if its organisation is outside `scope`.
    pub async fn get_membership(&self, scope: &Scope, id: MembershipId) -> Result<Membership> {
        dispatch!(self.get_membership(scope, id))
    }

    /// Adds a membership period.
    pub async fn add_membership(
        &self,
        by: &AuditActor,
        scope: &Scope,
        org: OrgId,
        input: &MembershipInput,
    ) -> Result<Membership> {
        dispatch!(self.add_membership(by, scope, org, input))
    }

    /// Changes a membership period.
    pub async fn update_membership(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: MembershipId,
        input: &MembershipInput,
    ) -> Result<Membership> {
        dispatch!(self.update_membership(by, scope, id, input))
    }

    /// Deletes a membership period (for corrections; ending one sets its end date instead).
    pub async fn delete_membership(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: MembershipId,
    ) -> Result<()> {
        dispatch!(self.delete_membership(by, scope, id))
    }

    // ---- users and roles ----

    /// Users holding a role inside `scope` (all users for a scope that reaches every organisation), searched by name/e-mail.
    pub async fn list_users(
        &self,
        scope: &Scope,
        search: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<User>> {
        dispatch!(self.list_users(scope, search, page))
    }

    /// One user; `NotFound` unless they hold a role inside `scope` (or `scope` is `All`).
    pub async fn get_user(&self, scope: &Scope, id: UserId) -> Result<User> {
        dispatch!(self.get_user(scope, id))
    }

    /// A user by ID without scope: only for the user's own session and profile.
    pub async fn get_user_unscoped(&self, id: UserId) -> Result<User> {
        dispatch!(self.get_user_unscoped(id))
    }

    /// The user's roles inside `scope`.
    pub async fn user_grants(&self, scope: &Scope, user: UserId) -> Result<Vec<UserGrant>> {
        dispatch!(self.user_grants(scope, user))
    }

    /// Creates a user, optionally with a first role, in one transaction.
    pub async fn create_user(
        &self,
        by: &AuditActor,
        user: &NewUser,
        password_hash: Option<&str>,
        grant: Option<(OrgId, Role)>,
    ) -> Result<User> {
        dispatch!(self.create_user(by, user, password_hash, grant))
    }

    /// Changes name, language or the disabled flag. `NotFound` outside `scope`.
    pub async fn update_user(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: UserId,
        change: &UserChange,
    ) -> Result<User> {
        dispatch!(self.update_user(by, scope, id, change))
    }

    /// Grants `role` in `org`; both the organisation and the user must be inside `scope`.
    pub async fn add_grant(
        &self,
        by: &AuditActor,
        scope: &Scope,
        user: UserId,
        org: OrgId,
        role: Role,
    ) -> Result<UserGrant> {
        dispatch!(self.add_grant(by, scope, user, org, role))
    }

    /// One role assignment; `NotFound` if its organisation is outside `scope`.
    pub async fn get_grant(&self, scope: &Scope, id: RoleAssignmentId) -> Result<UserGrant> {
        dispatch!(self.get_grant(scope, id))
    }

    /// Revokes a role assignment; `NotFound` if its organisation is outside `scope`.
    pub async fn remove_grant(
        &self,
        by: &AuditActor,
        scope: &Scope,
        id: RoleAssignmentId,
    ) -> Result<()> {
        dispatch!(self.remove_grant(by, scope, id))
    }

    /// The user's roles as an [`Actor`], for authorization.
    pub async fn load_actor(&self, user: UserId) -> Result<Actor> {
        let grants = dispatch!(self.user_roles(user))?;
        self.actor(user, grants).await
    }

    /// The office organisation (read once; a federation's office never changes).
    async fn office(&self) -> Result<OrgId> {
        Ok(match self.office.get() {
            Some(o) => *o,
            None => match self.federation().await? {
                Some(f) => *self.office.get_or_init(|| f.office_org_id),
                // Without a federation nobody has an office; -1 matches no organisation.
                None => OrgId(-1),
            },
        })
    }

    async fn actor(
        &self,
        user: UserId,
        grants: Vec<verbund_domain::authz::Grant>,
    ) -> Result<Actor> {
        Ok(Actor {
            user_id: user,
            office_org: self.office().await?,
            grants,
        })
    }

    /// Number of organisations inside `scope`.
    pub async fn count_orgs(&self, scope: &Scope) -> Result<i64> {
        dispatch!(self.count_orgs(scope))
    }

    /// Number of users holding a role inside `scope`.
    pub async fn count_users(&self, scope: &Scope) -> Result<i64> {
        dispatch!(self.count_users(scope))
    }

    // ---- audit ----

    /// Audit entries whose organisation is inside `scope` (entries without organisation only for
    /// a scope reaching every organisation), newest first, optionally for one organisation.
    pub async fn list_audit(
        &self,
        scope: &Scope,
        org: Option<OrgId>,
        page: PageRequest,
    ) -> Result<Page<AuditEntry>> {
        dispatch!(self.list_audit(scope, org, page))
    }

    /// The newest `n` audit entries inside `scope` (no total count: for the dashboard).
    pub async fn recent_audit(&self, scope: &Scope, n: i64) -> Result<Vec<AuditEntry>> {
        dispatch!(self.recent_audit(scope, n))
    }

    /// Checks the whole hash chain; returns the number of entries on success, else the first
    /// problem.
    pub async fn verify_audit(&self) -> Result<Result<i64, verbund_domain::audit::ChainError>> {
        Ok(self.verify_audit_report().await?.first())
    }

    /// Checks the whole hash chain and reports every problem, not only the first.
    pub async fn verify_audit_report(&self) -> Result<verbund_domain::audit::ChainReport> {
        dispatch!(self.verify_audit())
    }

    /// The head of the audit chain: newest sequence number and its hash.
    pub async fn audit_head(&self) -> Result<(i64, String)> {
        dispatch!(self.audit_head())
    }

    /// The stored hash of audit entry `seq`, if it exists (to check a checkpoint).
    pub async fn audit_hash_at(&self, seq: i64) -> Result<Option<String>> {
        dispatch!(self.audit_hash_at(seq))
    }

    // ---- backup ----

    /// A whole snapshot in memory, in the shape of backup format 1 (one JSON document with every
    /// table's columns and rows): for tests and small databases; files use [`Store::backup_to`].
    pub async fn backup(&self) -> Result<serde_json::Value> {
        let mut buf = Vec::new();
        self.backup_to(&mut buf, &mut |_, _| {}).await?;
        let mut lines = buf.split(|b| *b == b'\n').filter(|l| !l.is_empty());
        let parse = |l: &[u8]| -> Result<serde_json::Value> {
            serde_json::from_slice(l).map_err(|e| StoreError::Backup(e.to_string()))
        };
        let mut doc = parse(lines.next().unwrap_or_default())?;
        doc["format_version"] = 1.into();
        let mut tables = serde_json::Map::new();
        let mut current: Option<(String, serde_json::Value)> = None;
        for l in lines {
            let v = parse(l)?;
            if v.is_array() {
                if let Some(rows) = current.as_mut().and_then(|(_, t)| t["rows"].as_array_mut()) {
                    rows.push(v);
                }
                continue;
            }
            if let Some((name, t)) = current.take() {
                tables.insert(name, t);
            }
            if let Some(name) = v["table"].as_str() {
                let t = serde_json::json!({ "columns": v["columns"], "rows": [] });
                current = Some((name.to_owned(), t));
            }
        }
        doc["tables"] = tables.into();
        Ok(doc)
    }

    /// Streams a consistent snapshot of every table to `out` in backup format 2 (one JSON value
    /// per line, see `backend/backup.rs`), reading one snapshot transaction page by page: memory
    /// stays flat and writers are not blocked. `progress` gets the current table and the rows
    /// written so far. Fails on a database or write error (the output is then incomplete and
    /// lacks its end line, so a restore refuses it).
    pub async fn backup_to(
        &self,
        out: &mut dyn std::io::Write,
        progress: &mut (dyn FnMut(&str, u64) + Send),
    ) -> Result<BackupSummary> {
        dispatch!(self.backup_to(out, progress))
    }

    /// Loads a snapshot made by [`Store::backup`] (format 1) into this (freshly migrated, empty)
    /// database.
    pub async fn restore(&self, snapshot: &serde_json::Value) -> Result<RestoreSummary> {
        let summary = dispatch!(self.restore(snapshot))?;
        self.after_bulk_load().await?;
        Ok(summary)
    }

    /// After a restore PostgreSQL has neither statistics nor a visibility map for the new rows:
    /// until autovacuum comes round, it counts the members of a large federation with
    /// sequential scans and may choose poor joins (measured at 11,000 members: the heatmap's
    /// counts 2–13 ms each instead of about 1 ms). One `VACUUM (ANALYZE)` right after the
    /// commit fixes both. (SQLite's plans do not depend on statistics here.)
    async fn after_bulk_load(&self) -> Result<()> {
        if let Db::Postgres(p) = &self.db {
            // Only this schema's tables (several installations or test runs may share a
            // database); the simple protocol, since VACUUM refuses to run in a transaction.
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
            )
            .fetch_all(p)
            .await?;
            if !tables.is_empty() {
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "VACUUM (ANALYZE) {}",
                    tables.join(", ")
                )))
                .execute(p)
                .await?;
            }
        }
        Ok(())
    }

    /// Restores a backup file's content (format 2 streamed line by line, or format 1) into this
    /// freshly migrated, empty database, in one transaction: a truncated or damaged file, a
    /// failing row or a non-empty target fail with [`StoreError::Backup`] and leave the
    /// database unchanged. `progress` gets the current table and the rows inserted so far.
    pub async fn restore_from(
        &self,
        input: &mut dyn std::io::BufRead,
        progress: &mut (dyn FnMut(&str, u64) + Send),
    ) -> Result<RestoreSummary> {
        let summary = dispatch!(self.restore_from(input, progress))?;
        self.after_bulk_load().await?;
        Ok(summary)
    }
}

/// Builds the SQL condition restricting `column` to the organisations of `scope`.
/// IDs are integers, so formatting them into SQL is safe.
pub(crate) fn scope_sql(scope: &Scope, column: &str) -> String {
    match scope.orgs() {
        None => "1=1".to_owned(),
        Some([]) => "1=0".to_owned(),
        Some(ids) => {
            let list: Vec<String> = ids.iter().map(|i| i.0.to_string()).collect();
            format!("{column} IN ({})", list.join(","))
        }
    }
}

/// Turns a search term into a case-insensitive `LIKE` pattern, escaping wildcards.
pub(crate) fn like_pattern(search: Option<&str>) -> Option<String> {
    let s = search.map(str::trim).filter(|s| !s.is_empty())?;
    let escaped = s
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    Some(format!("%{escaped}%"))
}

#[cfg(test)]
mod tests;
