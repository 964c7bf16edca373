//! The SQLite backend: open and migrate, incidents, tallies, history,
//! places and custom regions. The only code that writes SQLite's SQL; it is
//! reached through the `Store` and `Writer` traits only.

mod aggregate;
mod filter_sql;
mod incidents;
mod merges;
mod places;
mod tallies;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction};

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::{DatabaseErrorKind, Error, Result};
use crate::filter::{Filter, Status};
use crate::geo::Region;
use crate::group::Dim;
use crate::model::{Incident, Tally};
use crate::store::{
    Aggregate, Author, Entity, HistoryEntry, MapPoint, MergeRecord, Mode, PlaceRow, PointRow,
    Store, Upsert, Writer,
};

/// The schema, as append-only migrations (see schema.sql).
const SCHEMA: &str = include_str!("../../../schema.sql");

/// Splits schema.sql into its numbered migrations.
fn migrations() -> Vec<(i64, String)> {
    let mut out: Vec<(i64, String)> = Vec::new();
    for line in SCHEMA.lines() {
        if let Some(v) = line.strip_prefix("-- migration ") {
            out.push((v.trim().parse().unwrap_or(0), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The schema version this program writes.
pub fn schema_version() -> i64 {
    migrations().last().map(|(v, _)| *v).unwrap_or(0)
}

/// An open incidents database.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// Who writes: the operating-system user and the `--as` label.
    by: Who,
    /// Whether opening it created the schema.
    created: bool,
    /// When running statements are interrupted (see [`watch_deadline`]).
    deadline: Deadline,
}

type Deadline = std::sync::Arc<std::sync::Mutex<Option<std::time::Instant>>>;

/// Makes the connection's statements stop once `deadline` holds a past
/// instant: SQLite asks the handler every N virtual-machine steps, and a
/// true answer interrupts the statement.
fn watch_deadline(conn: &mut Connection) -> Result<Deadline> {
    let deadline = Deadline::default();
    let seen = deadline.clone();
    conn.progress_handler(
        10_000,
        Some(move || {
            seen.lock()
                .map(|d| d.is_some_and(|d| std::time::Instant::now() >= d))
                .unwrap_or(false)
        }),
    )?;
    Ok(deadline)
}

/// Who a connection writes as.
#[derive(Debug, Clone)]
struct Who {
    user: String,
    label: Option<String>,
}

impl Who {
    fn new(author: &Author) -> Who {
        Who {
            user: whoami::username().unwrap_or_else(|_| "unknown".into()),
            label: author.label.clone(),
        }
    }
}

/// A write transaction: everything done through it lands together or not at all.
pub struct SqliteWriter<'a> {
    tx: Transaction<'a>,
    /// Source ids seen in this transaction, by (publisher, title, url).
    source_ids: std::collections::HashMap<(String, String, String), i64>,
    /// The custom regions, read when a write first needs them.
    custom: Option<crate::store::custom::CustomRegions>,
    /// The open import batch, which new incidents record.
    import_id: Option<i64>,
    by: Who,
    /// The last history row before this transaction: the ones after it are its own.
    history_before: i64,
}

impl<'a> SqliteWriter<'a> {
    fn new(tx: Transaction<'a>, by: Who) -> Result<SqliteWriter<'a>> {
        let history_before =
            tx.query_row("SELECT COALESCE(max(id), 0) FROM history", [], |r| r.get(0))?;
        Ok(SqliteWriter {
            tx,
            source_ids: Default::default(),
            custom: None,
            import_id: None,
            by,
            history_before,
        })
    }

    /// Names this transaction's author on the history rows it wrote, then commits.
    fn commit(self) -> Result<()> {
        self.tx.execute(
            "UPDATE history SET by_user = ?1, label = ?2 WHERE id > ?3 AND by_user IS NULL",
            rusqlite::params![self.by.user, self.by.label, self.history_before],
        )?;
        self.tx.commit()?;
        Ok(())
    }
}

impl SqliteWriter<'_> {
    /// The next generated uid (`INC-000123`, `TAL-000001`): one more than
    /// the largest number of any uid of that form ever stored (schema.sql
    /// keeps the count), so a uid is never handed out twice, also after a
    /// delete or an import.
    fn next_uid(&self, entity: Entity) -> Result<String> {
        let n: i64 = self
            .tx
            .prepare_cached("SELECT last + 1 FROM uid_sequence WHERE entity = ?1")?
            .query_row([entity.name()], |r| r.get(0))?;
        Ok(entity.uid(n))
    }
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What [`SqliteWriter::begin_bulk_load`] set aside, for [`SqliteWriter::end_bulk_load`].
pub struct BulkLoad {
    definitions: Vec<String>,
}

/// Tables whose secondary indexes a bulk load builds once at the end.
const BULK_TABLES: &[&str] = &["incidents", "history", "incident_sources"];

impl SqliteWriter<'_> {
    /// Prepares an empty database for a large import: drops the secondary
    /// indexes, which [`SqliteWriter::end_bulk_load`]
    /// rebuilds in one pass. Several times faster than keeping them up to
    /// date row by row. `None` when the database already holds incidents.
    pub fn begin_bulk_load(&mut self) -> Result<Option<BulkLoad>> {
        let empty: bool =
            self.tx
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM incidents)", [], |r| {
                    r.get(0)
                })?;
        if !empty {
            return Ok(None);
        }
        let mut defs: Vec<(String, String)> = Vec::new();
        for table in BULK_TABLES {
            let mut stmt = self.tx.prepare(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = ?1 AND sql IS NOT NULL \
                 AND type = 'index'",
            )?;
            let rows = stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?;
            for row in rows {
                defs.push(row?);
            }
        }
        for (name, _) in &defs {
            self.tx
                .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        Ok(Some(BulkLoad {
            definitions: defs.into_iter().map(|(_, sql)| sql).collect(),
        }))
    }

    /// Rebuilds what [`SqliteWriter::begin_bulk_load`] set aside.
    pub fn end_bulk_load(&mut self, bulk: BulkLoad) -> Result<()> {
        for sql in &bulk.definitions {
            self.tx.execute_batch(sql)?;
        }
        Ok(())
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its schema
    /// up to date. A database from a newer program is refused unchanged.
    pub fn open(path: &Path, author: &Author) -> Result<SqliteStore> {
        if path.is_dir() {
            return Err(Error::invalid(
                "database",
                path.display(),
                "a database file, not a directory",
            ));
        }
        let conn = Connection::open(path).map_err(|e| read_only(e.into(), path))?;
        SqliteStore::setup(conn, path, author).map_err(|e| read_only(e, path))
    }

    /// Opens an existing database for reading only.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore> {
        if !path.exists() {
            return Err(Error::NotFound {
                what: "database".into(),
                name: path.display().to_string(),
                suggestions: vec![],
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open = |conn: Connection| -> Result<(Connection, i64)> {
            conn.busy_timeout(Duration::from_secs(30))?;
            let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            Ok((conn, v))
        };
        // A WAL database in a directory we cannot write to cannot create its
        // -shm file, so it cannot even be read normally; since no one can
        // write it there either, it is read as immutable.
        let (conn, found) = match open(Connection::open_with_flags(path, flags)?) {
            Ok(x) => x,
            Err(_) => {
                let uri = format!("file:{}?immutable=1", path.display());
                open(Connection::open_with_flags(
                    uri,
                    flags | OpenFlags::SQLITE_OPEN_URI,
                )?)?
            }
        };
        if found > schema_version() {
            return Err(Error::SchemaTooNew {
                path: path.to_path_buf(),
                found,
                supported: schema_version(),
            });
        }
        prepare_connection(&conn)?;
        let mut conn = conn;
        let deadline = watch_deadline(&mut conn)?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
            by: Who::new(&Author::default()),
            created: false,
            deadline,
        })
    }

    /// An in-memory database, for tests and previews.
    pub fn open_in_memory() -> Result<SqliteStore> {
        SqliteStore::setup(
            Connection::open_in_memory()?,
            Path::new(":memory:"),
            &Author::default(),
        )
    }

    /// Gives this connection a large page cache (256 MB) for a big import,
    /// so pages are not spilled to disk before the commit. Readers keep
    /// SQLite's small default, which keeps exports' memory flat.
    pub fn use_large_cache(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -262144)?;
        // Index builds at the end of the import sort on both cores.
        self.conn.pragma_update(None, "threads", 2)?;
        Ok(())
    }

    /// Writes a consistent copy of the database to `dest` (which must not
    /// exist) with SQLite's online backup, safe while others write: the copy
    /// is one snapshot, written under a temporary name and renamed at the end.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::invalid(
                "backup file",
                dest.display(),
                "a path that does not exist yet (a backup never overwrites)",
            ));
        }
        copy_database(&self.conn, dest)
    }

    fn setup(mut conn: Connection, path: &Path, author: &Author) -> Result<SqliteStore> {
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > schema_version() {
            return Err(Error::SchemaTooNew {
                path: path.to_path_buf(),
                found,
                supported: schema_version(),
            });
        }
        if found < schema_version() {
            if found == 0 {
                // A new file: larger pages hold rows of ~600 bytes with less
                // overhead (the database is ~4 % smaller), before the first
                // write fixes the page size.
                conn.pragma_update(None, "page_size", 8192)?;
            }
            if found > 0 {
                // Keep a copy of the database as it was before changing its schema.
                let backup = backup_path(path, found);
                copy_database(&conn, &backup)?;
            }
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // A migration may rebuild a table (SQLite's way to change a
            // constraint); with foreign keys on, dropping the old table
            // would cascade into the rows that refer to it. They are checked
            // before the commit instead.
            conn.pragma_update(None, "foreign_keys", "OFF")?;
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            for (version, sql) in migrations() {
                if version > current {
                    tx.execute_batch(&sql)?;
                    tx.pragma_update(None, "user_version", version)?;
                }
            }
            let broken: i64 =
                tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
            if broken > 0 {
                return Err(Error::Data {
                    what: format!("database {}", path.display()),
                    reason: format!(
                        "{broken} rows break foreign keys after the schema migration; nothing was changed"
                    ),
                });
            }
            tx.commit()?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Statement journals (triggers, upserts) stay off the disk.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        prepare_connection(&conn)?;
        let mut conn = conn;
        let deadline = watch_deadline(&mut conn)?;
        Ok(SqliteStore {
            conn,
            path: path.to_path_buf(),
            by: Who::new(author),
            created: found == 0,
            deadline,
        })
    }

    /// Problems SQLite and the schema's own bookkeeping find: the integrity
    /// check, foreign keys, and the spatial index agreeing with the points.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                out.push(format!("integrity_check: {line}"));
            }
        }
        let fk: i64 =
            self.conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })?;
        if fk > 0 {
            out.push(format!(
                "{fk} rows break foreign keys (PRAGMA foreign_key_check)"
            ));
        }
        Ok(out)
    }

    /// One committed transaction with the concrete writer, for unit tests.
    #[cfg(test)]
    pub fn write<T>(&mut self, f: impl FnOnce(&mut SqliteWriter) -> Result<T>) -> Result<T> {
        let by = self.by.clone();
        let mut w = SqliteWriter::new(
            self.conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?,
            by,
        )?;
        let out = f(&mut w)?;
        w.commit()?;
        Ok(out)
    }

    /// One transaction (see [`Store::transaction`]). A bulk load gets a
    /// large page cache, and into an empty database builds the secondary
    /// indexes once at the end.
    fn transaction_in(
        &mut self,
        mode: Mode,
        f: &mut dyn FnMut(&mut dyn Writer) -> Result<()>,
    ) -> Result<()> {
        let path = self.path.clone();
        let by = self.by.clone();
        if mode.bulk {
            self.use_large_cache()?;
        }
        let mut run = || -> Result<()> {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut w = SqliteWriter::new(tx, by.clone())?;
            let bulk = if mode.bulk {
                w.begin_bulk_load()?
            } else {
                None
            };
            f(&mut w)?;
            if let Some(bulk) = bulk {
                w.end_bulk_load(bulk)?;
            }
            if mode.dry_run {
                w.tx.rollback()?;
            } else {
                w.commit()?;
            }
            Ok(())
        };
        run().map_err(|e| read_only(e, &path))
    }
}

impl Store for SqliteStore {
    fn get_incident(&self, uid: &str) -> Result<Option<Incident>> {
        SqliteStore::get_incident(self, uid)
    }
    fn for_each_incident(
        &self,
        filter: &Filter,
        f: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        SqliteStore::for_each_incident(self, filter, f)
    }
    fn count_incidents(&self) -> Result<u64> {
        SqliteStore::count_incidents(self)
    }
    fn countries(&self) -> Result<Vec<String>> {
        SqliteStore::countries(self)
    }
    fn aggregate(&self, filter: &Filter, dims: &[Dim]) -> Result<Vec<Aggregate>> {
        SqliteStore::aggregate(self, filter, dims)
    }
    fn map_points(&self, filter: &Filter, cell: Option<f64>) -> Result<Vec<MapPoint>> {
        SqliteStore::map_points(self, filter, cell)
    }
    fn publishers(&self, filter: &Filter, limit: usize) -> Result<Vec<String>> {
        SqliteStore::publishers(self, filter, limit)
    }
    fn for_each_point(&self, filter: &Filter, f: &mut dyn FnMut(PointRow)) -> Result<()> {
        SqliteStore::for_each_point(self, filter, f)
    }
    fn keep_warm(&self) -> Result<()> {
        // Pages read through a memory map are not copied per query, and a
        // larger cache keeps the indexes of recent requests.
        self.conn.pragma_update(None, "mmap_size", 1i64 << 32)?;
        self.conn.pragma_update(None, "cache_size", -65536)?;
        Ok(())
    }
    fn date_range(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        // Two index lookups, not a scan (hence start dates only).
        let (first, last): (Option<String>, Option<String>) = self.conn.query_row(
            "SELECT (SELECT min(date_start) FROM incidents), (SELECT max(date_start) FROM incidents)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let day =
            |s: Option<String>| s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
        Ok(day(first).zip(day(last)))
    }
    fn changes(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(max(id), 0) FROM history", [], |r| r.get(0))?)
    }
    fn set_deadline(&self, deadline: Option<std::time::Instant>) -> Result<()> {
        if let Ok(mut d) = self.deadline.lock() {
            *d = deadline;
        }
        Ok(())
    }
    fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>> {
        SqliteStore::history(self, uid)
    }
    fn get_tally(&self, uid: &str) -> Result<Option<Tally>> {
        SqliteStore::get_tally(self, uid)
    }
    fn tallies(
        &self,
        region_codes: Option<&[String]>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        status: Status,
    ) -> Result<Vec<Tally>> {
        SqliteStore::tallies(self, region_codes, from, to, status)
    }
    fn places(&self) -> Result<Vec<PlaceRow>> {
        SqliteStore::places(self)
    }
    fn custom_regions(&self) -> Result<Vec<Region>> {
        SqliteStore::custom_regions(self)
    }
    fn incident_custom_regions(&self) -> Result<HashMap<String, Vec<String>>> {
        SqliteStore::incident_custom_regions(self)
    }
    fn merge_record(&self, other: &str) -> Result<Option<MergeRecord>> {
        merges::merge_record(&self.conn, other)
    }
    fn integrity_problems(&self) -> Result<Vec<String>> {
        SqliteStore::integrity_problems(self)
    }
    fn created(&self) -> bool {
        self.created
    }
    fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
    fn backup(&self, dest: &Path) -> Result<()> {
        SqliteStore::backup(self, dest)
    }
    fn transaction(
        &mut self,
        mode: Mode,
        f: &mut dyn FnMut(&mut dyn Writer) -> Result<()>,
    ) -> Result<()> {
        self.transaction_in(mode, f)
    }
}

impl Writer for SqliteWriter<'_> {
    fn begin_import(&mut self, input: &str, format: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO imports (input, format, by_user, label) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![input, format, self.by.user, self.by.label],
        )?;
        self.import_id = Some(self.tx.last_insert_rowid());
        Ok(())
    }
    fn end_import(&mut self, c: &crate::store::ImportCounts) -> Result<()> {
        let Some(id) = self.import_id.take() else {
            return Ok(());
        };
        // An import that changed nothing leaves nothing behind (importing
        // the same file again is a no-op).
        if !c.changed() {
            self.tx
                .execute("DELETE FROM imports WHERE id = ?1", rusqlite::params![id])?;
        } else {
            self.tx.execute(
                "UPDATE imports SET done = 1, rows = ?2, inserted = ?3, updated = ?4, \
                 unchanged = ?5, rejected = ?6 WHERE id = ?1",
                rusqlite::params![
                    id,
                    c.rows as i64,
                    c.inserted as i64,
                    c.updated as i64,
                    c.unchanged as i64,
                    c.rejected as i64
                ],
            )?;
        }
        Ok(())
    }
    fn is_empty(&self) -> Result<bool> {
        Ok(self
            .tx
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM incidents)", [], |r| {
                r.get(0)
            })?)
    }
    fn get_incident(&self, uid: &str) -> Result<Option<Incident>> {
        SqliteWriter::get_incident(self, uid)
    }
    fn insert_incident(&mut self, inc: &Incident) -> Result<String> {
        SqliteWriter::insert_incident(self, inc)
    }
    fn update_incident(&mut self, inc: &Incident) -> Result<()> {
        SqliteWriter::update_incident(self, inc)
    }
    fn delete_incident(&mut self, uid: &str) -> Result<()> {
        SqliteWriter::delete_incident(self, uid)
    }
    fn get_tally(&self, uid: &str) -> Result<Option<Tally>> {
        SqliteWriter::get_tally(self, uid)
    }
    fn upsert_tally(&mut self, t: &Tally) -> Result<(String, Upsert)> {
        SqliteWriter::upsert_tally(self, t)
    }
    fn delete_tally(&mut self, uid: &str) -> Result<()> {
        SqliteWriter::delete_tally(self, uid)
    }
    fn upsert_place(&mut self, p: &PlaceRow) -> Result<()> {
        SqliteWriter::upsert_place(self, p)
    }
    fn upsert_custom_region(&mut self, region: &Region, source: &str) -> Result<()> {
        SqliteWriter::upsert_custom_region(self, region, source)
    }
    fn append_history(&mut self, e: &HistoryEntry) -> Result<()> {
        let import_id = self.import_id.ok_or_else(|| Error::Data {
            what: "history".into(),
            reason: "changes from another database are added only by an import".into(),
        })?;
        let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
        self.tx.execute(
            "INSERT INTO history (entity, uid, action, old, new, at, import_id, by_user, label) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE NOT EXISTS \
             (SELECT 1 FROM history WHERE uid = ?2 AND action = ?3 AND at = ?6)",
            rusqlite::params![
                e.entity,
                e.uid,
                e.action,
                json(&e.old),
                json(&e.new),
                e.at,
                import_id,
                e.by.as_deref().unwrap_or("unknown"),
                e.label
            ],
        )?;
        Ok(())
    }
    fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>> {
        SqliteWriter::history(self, uid)
    }
    fn for_each_incident(
        &self,
        filter: &Filter,
        f: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        SqliteWriter::for_each_incident(self, filter, f)
    }
    fn save_merge(&mut self, m: &MergeRecord) -> Result<()> {
        SqliteWriter::save_merge(self, m)
    }
    fn take_merge(&mut self, other: &str) -> Result<Option<MergeRecord>> {
        SqliteWriter::take_merge(self, other)
    }
    fn merges_into(&self, keep: &str) -> Result<Vec<MergeRecord>> {
        SqliteWriter::merges_into(self, keep)
    }
}

/// SQLite's errors reach callers as the backend-neutral [`Error::Database`].
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        let kind = match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ReadOnly) => DatabaseErrorKind::ReadOnly,
            Some(rusqlite::ErrorCode::NotADatabase) => DatabaseErrorKind::NotADatabase,
            _ => DatabaseErrorKind::Other,
        };
        Error::Database {
            kind,
            message: e.to_string(),
        }
    }
}

/// Errors about the database file itself (read-only, not a database), said plainly.
fn read_only(e: Error, path: &Path) -> Error {
    match e {
        Error::Database {
            kind: DatabaseErrorKind::ReadOnly,
            ..
        } => Error::ReadOnly {
            path: path.to_path_buf(),
        },
        Error::Database {
            kind: DatabaseErrorKind::NotADatabase,
            ..
        } => Error::Input {
            input: path.display().to_string(),
            location: "-".into(),
            reason: "not an incidents database (not SQLite, or encrypted or damaged)".into(),
        },
        other => other,
    }
}

/// What every connection needs: the SQL functions filters call, and a page
/// cache of 16 MB, since a report reads the same pages several times (its
/// period, the previous one, the incidents that only overlap); memory still
/// stays flat however much a reader streams.
fn prepare_connection(conn: &Connection) -> Result<()> {
    filter_sql::register_functions(conn)?;
    conn.pragma_update(None, "cache_size", -16384)?;
    Ok(())
}

/// Where the automatic backup before a migration from `version` goes: the
/// first free `<db>.schema-v<version>.backup[.N]`.
fn backup_path(db: &Path, version: i64) -> PathBuf {
    let base = format!("{}.schema-v{version}.backup", db.display());
    let mut candidate = PathBuf::from(&base);
    let mut n = 1;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{base}.{n}"));
        n += 1;
    }
    candidate
}

/// Copies the whole database in one backup step (one consistent snapshot;
/// in WAL mode writers are not blocked), to a temporary name first.
fn copy_database(conn: &Connection, dest: &Path) -> Result<()> {
    let mut tmp = dest.as_os_str().to_owned();
    tmp.push(".partial");
    let tmp = PathBuf::from(tmp);
    let result = (|| -> Result<()> {
        let mut out = Connection::open(&tmp)?;
        {
            let b = rusqlite::backup::Backup::new(conn, &mut out)?;
            b.step(-1)?;
        }
        out.close().map_err(|(_, e)| Error::from(e))?;
        std::fs::rename(&tmp, dest).map_err(|e| Error::io(dest.display(), e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order() {
        let m = migrations();
        assert!(!m.is_empty());
        for (i, (v, sql)) in m.iter().enumerate() {
            assert_eq!(*v, i as i64 + 1);
            assert!(sql.contains("CREATE"));
        }
    }

    #[test]
    fn old_schema_is_backed_up_then_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let c = Connection::open(&path).unwrap();
        let first = &migrations()[0];
        c.execute_batch(&first.1).unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.execute_batch(
            "INSERT INTO incidents (uid, event_type, date_start, date_end, date_precision, latitude, \
             longitude, created_at, updated_at) VALUES ('OLD-1', 'Battles', '2020-01-01', '2020-01-01', \
             'day', 32.6, 36.1, 'x', 'x')",
        )
        .unwrap();
        drop(c);
        let store = SqliteStore::open(&path, &Author::default()).unwrap();
        assert_eq!(store.count_incidents().unwrap(), 1);
        let v: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, schema_version());
        let near = Filter {
            near: Some(crate::filter::Near {
                latitude: 32.6,
                longitude: 36.1,
                radius_km: 1.0,
            }),
            ..Filter::default()
        };
        let mut found = Vec::new();
        store
            .for_each_incident(&near, &mut |i: Incident| {
                found.push(i.uid);
                Ok(())
            })
            .unwrap();
        assert_eq!(
            found,
            [Some("OLD-1".to_string())],
            "the spatial index covers old rows"
        );
        let backup = dir.path().join("old.db.schema-v1.backup");
        let b = Connection::open(&backup).unwrap();
        let bv: i64 = b
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(bv, 1);
        let n: i64 = b
            .query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }

    #[test]
    fn version_7_is_migrated_keeping_rows_and_history_documents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v7.db");
        let c = Connection::open(&path).unwrap();
        for (version, sql) in migrations().into_iter().take(7) {
            c.execute_batch(&sql).unwrap();
            c.pragma_update(None, "user_version", version).unwrap();
        }
        c.execute_batch(
            "INSERT INTO incidents (uid, event_type, date_start, date_end, date_precision, latitude, \
             longitude, tags, created_at, updated_at) VALUES ('OLD-1', 'Battles', '2020-01-01', \
             '2020-01-01', 'day', 32.61234567891234, 36.1, '[\"a\"]', 'x', 'x'); \
             INSERT INTO sources (publisher) VALUES ('SOHR'); \
             INSERT INTO incident_sources (incident_id, source_id) VALUES (1, 1); \
             UPDATE incidents SET notes = 'edited' WHERE uid = 'OLD-1';",
        )
        .unwrap();
        let doc = |c: &Connection| -> String {
            c.query_row("SELECT doc FROM incident_json", [], |r| r.get(0))
                .unwrap()
        };
        let before = doc(&c);
        drop(c);

        let mut store = SqliteStore::open(&path, &Author::default()).unwrap();
        assert_eq!(store.schema_version().unwrap(), schema_version());
        assert!(dir.path().join("v7.db.schema-v7.backup").exists());
        let old = store.get_incident("OLD-1").unwrap().unwrap();
        assert_eq!(old.notes.as_deref(), Some("edited"));
        assert_eq!(old.sources[0].publisher, "SOHR");
        assert_eq!(old.merged_into, None);
        assert_eq!(old.status, crate::model::Review::Reviewed);
        // Migration 8 adds nothing to an unmerged incident's document;
        // migration 9 adds its status, last.
        let reviewed = format!("{},\"status\":\"reviewed\"}}", before.trim_end_matches('}'));
        assert_eq!(doc(&store.conn), reviewed);
        let h = store.history("OLD-1").unwrap();
        assert_eq!(h.len(), 2);
        // Documents written before gained the status too: the change is the note alone.
        assert_eq!(h[1].changes(), "notes: null -> \"edited\"", "{h:?}");
        assert_eq!(h[1].new.as_ref().unwrap()["status"], "reviewed");
        // The new column and table work on the migrated rows.
        let mut merged = old.clone();
        merged.merged_into = Some("OLD-2".into());
        crate::store::write(&mut store, |w| {
            w.update_incident(&merged)?;
            w.save_merge(&crate::store::MergeRecord {
                other: "OLD-1".into(),
                keep: "OLD-2".into(),
                filled: Vec::new(),
                sources: Vec::new(),
            })
        })
        .unwrap();
        let got = store.get_incident("OLD-1").unwrap().unwrap();
        assert_eq!(got.merged_into.as_deref(), Some("OLD-2"));
        assert_eq!((got.notes, got.sources), (merged.notes, merged.sources));
        assert!(store.integrity_problems().unwrap().is_empty());
    }

    #[test]
    fn backup_copies_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("a.db"), &Author::default()).unwrap();
        let dest = dir.path().join("copy.db");
        store.backup(&dest).unwrap();
        assert!(SqliteStore::open(&dest, &Author::default()).is_ok());
        assert!(
            store
                .backup(&dest)
                .unwrap_err()
                .to_string()
                .contains("never overwrites")
        );
    }

    #[test]
    fn newer_schema_is_refused_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        drop(SqliteStore::open(&path, &Author::default()).unwrap());
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        let e = SqliteStore::open(&path, &Author::default())
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("newer"), "{e}");
        let c = Connection::open(&path).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 99);
    }
}
