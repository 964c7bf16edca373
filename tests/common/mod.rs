//! The test harness: a temporary database and the real `incidents` binary,
//! so that each test reads like a user's session. A session's database is a
//! SQLite file or a fresh PostgreSQL database, as the running test's
//! [`Backend`] says: `both!(name);` above `fn name()` runs it on each.
#![allow(dead_code)]

pub mod pg;
pub mod serve;

use std::cell::Cell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use assert_cmd::Command;
use tempfile::TempDir;

/// Where a session's database lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

thread_local! {
    /// The backend of the sessions the running test makes: set by `run_on`
    /// for the test's duration; tests outside `both!` run on SQLite.
    static BACKEND: Cell<Backend> = const { Cell::new(Backend::Sqlite) };
}

/// The backend of the sessions the running test makes.
pub fn backend() -> Backend {
    BACKEND.get()
}

/// Runs `test` on `backend`. On PostgreSQL, when the server or PostGIS is
/// not installed, says so on stderr (past the test harness's capture) and
/// returns; with `INCIDENTS_REQUIRE_PG=1` it fails instead.
pub fn run_on(backend: Backend, name: &str, test: fn()) {
    if backend == Backend::Postgres
        && let Err(why) = pg::cluster()
    {
        if std::env::var("INCIDENTS_REQUIRE_PG").as_deref() == Ok("1") {
            panic!("{name}: INCIDENTS_REQUIRE_PG=1 but {why}");
        }
        let _ = writeln!(std::io::stderr(), "SKIPPED (no PostgreSQL): {name}: {why}");
        return;
    }
    struct Restore(Backend);
    impl Drop for Restore {
        fn drop(&mut self) {
            BACKEND.set(self.0);
        }
    }
    let _restore = Restore(BACKEND.replace(backend));
    test();
}

/// `both!(name);` above `fn name()` makes the tests `name::sqlite` and
/// `name::postgres`, which run it on each backend.
#[allow(unused_macros)]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[test]
            fn sqlite() {
                $crate::common::run_on(
                    $crate::common::Backend::Sqlite,
                    concat!(module_path!(), "::sqlite"),
                    super::$name,
                );
            }
            #[test]
            fn postgres() {
                $crate::common::run_on(
                    $crate::common::Backend::Postgres,
                    concat!(module_path!(), "::postgres"),
                    super::$name,
                );
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use both;

/// A temporary directory and a database: a file in it, or a PostgreSQL
/// database dropped with the session.
pub struct Session {
    pub dir: TempDir,
    db: Db,
}

enum Db {
    Sqlite(PathBuf),
    Postgres {
        database: pg::Database,
        /// An admin connection for `pg_exec` and `snapshot`, opened on
        /// first use (one per query would cost a few milliseconds each).
        admin: Box<Mutex<Option<postgres::Client>>>,
    },
}

/// What a finished command printed.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Runs `c` and returns what it printed, whatever the exit code.
    pub fn of(c: &mut Command) -> Output {
        let out = c.output().expect("run incidents");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Environment variables that would point the binary at another database.
pub const DB_ENV: &[&str] = &[
    "INCIDENTS_DB",
    "PGHOST",
    "PGHOSTADDR",
    "PGPORT",
    "PGUSER",
    "PGPASSWORD",
    "PGPASSFILE",
    "PGDATABASE",
    "PGSERVICE",
    "PGSERVICEFILE",
    "PGOPTIONS",
    "PGSSLMODE",
];

impl Session {
    /// An empty database on the running test's backend.
    pub fn new() -> Session {
        match BACKEND.get() {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let db = dir.path().join("test.db");
                Session::at(dir, db)
            }
            Backend::Postgres => Session::postgres(None),
        }
    }

    /// A session on the SQLite file `db`, which need not exist yet.
    pub fn at(dir: TempDir, db: PathBuf) -> Session {
        Session {
            dir,
            db: Db::Sqlite(db),
        }
    }

    fn postgres(source: Option<&str>) -> Session {
        let cluster = pg::cluster().unwrap_or_else(|why| panic!("no PostgreSQL: {why}"));
        Session::on(cluster.create_database(source))
    }

    /// An empty PostgreSQL database whose text collation is ICU's
    /// `icu_locale` (see `pg::Cluster::create_collated_database`).
    pub fn postgres_collated(icu_locale: &str) -> Session {
        let cluster = pg::cluster().unwrap_or_else(|why| panic!("no PostgreSQL: {why}"));
        Session::on(cluster.create_collated_database(icu_locale))
    }

    fn on(database: pg::Database) -> Session {
        Session {
            dir: tempfile::tempdir().expect("temp dir"),
            db: Db::Postgres {
                database,
                admin: Box::new(Mutex::new(None)),
            },
        }
    }

    /// A new empty database with the seeds loaded.
    pub fn seeded() -> Session {
        let s = Session::new();
        s.ok(&["seed"]);
        s
    }

    /// A new session whose database is a copy of `self`'s, on the same
    /// backend: build an expensive starting point once, copy it per test.
    pub fn copy(&self) -> Session {
        match &self.db {
            Db::Sqlite(db) => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("test.db");
                std::fs::copy(db, &path).expect("copy the database file");
                Session::at(dir, path)
            }
            Db::Postgres { database, admin } => {
                // A database with open connections cannot be a template.
                admin.lock().expect("admin connection").take();
                Session::postgres(Some(&database.name))
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres { .. } => Backend::Postgres,
        }
    }

    /// What `--db` is given: the SQLite file's path or the PostgreSQL URL.
    pub fn db_arg(&self) -> String {
        match &self.db {
            Db::Sqlite(db) => db.to_str().expect("a UTF-8 temp path").to_string(),
            Db::Postgres { database, .. } => database.cluster.url(pg::ADMIN, &database.name),
        }
    }

    /// The SQLite file, for tests about the file itself.
    pub fn db_path(&self) -> &Path {
        match &self.db {
            Db::Sqlite(db) => db,
            Db::Postgres { .. } => panic!("db_path: this session is on PostgreSQL, not a file"),
        }
    }

    /// The session database's URL for another login (trusted on 127.0.0.1,
    /// except [`pg::PASSWORD_USER`]).
    pub fn url_as(&self, login: &str) -> String {
        let database = self.pg_database();
        database.cluster.url(login, &database.name)
    }

    /// The session database's URL for a login with a password.
    pub fn url_with_password(&self, login: &str, password: &str) -> String {
        self.url_as(&format!("{login}:{password}"))
    }

    fn pg_database(&self) -> &pg::Database {
        match &self.db {
            Db::Postgres { database, .. } => database,
            Db::Sqlite(_) => panic!("this session is on SQLite, not PostgreSQL"),
        }
    }

    /// Runs SQL (one or more statements) on the session's database, whatever
    /// its backend: for tests that put in rows no command would write.
    pub fn exec_sql(&self, sql: &str) {
        match &self.db {
            Db::Sqlite(db) => rusqlite::Connection::open(db)
                .and_then(|c| c.execute_batch(sql))
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            Db::Postgres { .. } => self.pg_exec(sql),
        }
    }

    /// The rows of a query on the session's database, whatever its backend,
    /// every value as text and NULL as `NULL`.
    pub fn query_sql(&self, sql: &str) -> Vec<Vec<String>> {
        let Db::Sqlite(db) = &self.db else {
            return self.pg_query(sql);
        };
        let c = rusqlite::Connection::open(db).expect("open db");
        let mut stmt = c.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n)
                .map(|i| {
                    Ok(match r.get::<_, rusqlite::types::Value>(i)? {
                        rusqlite::types::Value::Null => "NULL".to_string(),
                        rusqlite::types::Value::Integer(v) => v.to_string(),
                        rusqlite::types::Value::Real(v) => v.to_string(),
                        rusqlite::types::Value::Text(v) => v,
                        rusqlite::types::Value::Blob(v) => format!("{v:?}"),
                    })
                })
                .collect()
        })
        .and_then(|rows| rows.collect())
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs SQL (one or more statements) on the session's PostgreSQL
    /// database as the superuser.
    pub fn pg_exec(&self, sql: &str) {
        self.with_admin(|c| c.batch_execute(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// The rows of a query on the session's PostgreSQL database, run as the
    /// superuser, every value as PostgreSQL prints it and NULL as `NULL`.
    pub fn pg_query(&self, sql: &str) -> Vec<Vec<String>> {
        let messages = self
            .with_admin(|c| c.simple_query(sql))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        messages
            .iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(row) => Some(
                    (0..row.len())
                        .map(|i| row.get(i).unwrap_or("NULL").to_string())
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }

    fn with_admin<T>(
        &self,
        f: impl FnOnce(&mut postgres::Client) -> Result<T, postgres::Error>,
    ) -> Result<T, postgres::Error> {
        let Db::Postgres { database, admin } = &self.db else {
            panic!("this session is on SQLite, not PostgreSQL")
        };
        let mut admin = admin.lock().expect("admin connection");
        f(admin.get_or_insert_with(|| database.cluster.connect(&database.name)))
    }

    /// The binary with `--db` set, not yet run.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_at(&self.db_arg(), args)
    }

    /// The binary with `--db` set to `db` (e.g. this session's database as
    /// another login), in the session directory, not yet run.
    pub fn cmd_at(&self, db: &str, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("incidents").expect("binary built");
        c.arg("--db").arg(db).args(args);
        for var in DB_ENV {
            c.env_remove(var);
        }
        c.current_dir(self.dir.path());
        c
    }

    /// Runs and returns what it printed, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        Output::of(&mut self.cmd(args))
    }

    /// Runs, asserts success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code, 0,
            "incidents {args:?} failed:\n{}\n{}",
            o.stdout, o.stderr
        );
        o.stdout
    }

    /// Runs, asserts failure with exit code 1 and no panic, returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code, 1,
            "incidents {args:?} should fail with 1:\n{}\n{}",
            o.stdout, o.stderr
        );
        assert!(!o.stderr.contains("panicked"), "panic: {}", o.stderr);
        o.stderr
    }

    /// Runs with `--format json` appended and parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        let out = self.ok(&a);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
    }

    /// A path in the session directory (nothing is created).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A file in the session directory with this content.
    pub fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).expect("write fixture");
        p
    }

    /// The database's logical content (every table's rows, sorted), to
    /// check that a failed command changed nothing.
    pub fn snapshot(&self) -> String {
        match &self.db {
            Db::Sqlite(db) => snapshot(db),
            Db::Postgres { .. } => self.pg_snapshot(),
        }
    }

    /// Every table but PostGIS's `spatial_ref_sys`, each row as PostgreSQL
    /// prints a composite value. Sequences are left out: a rolled-back
    /// transaction advances them, and that changes no data.
    fn pg_snapshot(&self) -> String {
        let tables = self.pg_query(
            "SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables \
             WHERE table_type = 'BASE TABLE' \
             AND table_schema NOT IN ('pg_catalog', 'information_schema') \
             AND (table_schema, table_name) <> ('public', 'spatial_ref_sys') \
             ORDER BY table_schema, table_name",
        );
        let mut out = String::new();
        for t in tables {
            let t = &t[0];
            let mut rows: Vec<String> = self
                .pg_query(&format!("SELECT t::text FROM {t} t"))
                .into_iter()
                .map(|mut r| r.remove(0))
                .collect();
            rows.sort();
            out.push_str(&format!("{t}:{}\n", rows.join("\n")));
        }
        out
    }
}

/// A login role made for one test and dropped with it. Roles belong to the
/// whole cluster, which other tests and later runs share, so its name ends
/// with the session's database name: `alice_t_1234_5`.
pub struct Login {
    pub name: String,
}

impl Login {
    /// `CREATE ROLE {who}_{db} {attributes}`, a member of `groups`.
    pub fn new(s: &Session, who: &str, attributes: &str, groups: &[&str]) -> Login {
        let name = format!("{who}_{}", s.pg_database().name);
        let mut sql = format!("DROP ROLE IF EXISTS {name}; CREATE ROLE {name} {attributes};");
        for group in groups {
            sql.push_str(&format!(" GRANT {group} TO {name};"));
        }
        s.pg_exec(&sql);
        Login { name }
    }
}

impl Drop for Login {
    fn drop(&mut self) {
        let dropped = pg::cluster()
            .expect("a cluster")
            .connect("postgres")
            .batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name));
        if let Err(e) = dropped {
            eprintln!("could not drop role {}: {e}", self.name);
        }
    }
}

/// Dumps every table of a database in a stable order.
pub fn snapshot(db: &Path) -> String {
    if !db.exists() {
        return String::new();
    }
    let c = rusqlite::Connection::open(db).expect("open db");
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("tables");
    let mut out = String::new();
    for t in tables {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("select");
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut cells = Vec::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    cells.push(format!("{v:?}"));
                }
                Ok(cells.join("|"))
            })
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        let mut rows = rows;
        rows.sort();
        out.push_str(&format!("{t}:{}\n", rows.join("\n")));
    }
    out
}

/// The uids of a JSON array of incidents, in their order.
pub fn uids_in_order(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .expect("a JSON array")
        .iter()
        .map(|i| i["uid"].as_str().expect("uid").to_string())
        .collect()
}

/// The uids of a JSON array of incidents, sorted.
pub fn uids(v: &serde_json::Value) -> Vec<String> {
    let mut u = uids_in_order(v);
    u.sort();
    u
}

/// The path to a fixture file in tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

impl Session {
    /// Imports `n` day incidents (`BULK-00000`, ...) whose notes are `note_len`
    /// characters long: output many times the size of a pipe's buffer.
    pub fn add_bulk(&self, n: usize, note_len: usize) {
        let path = self.dir.path().join("bulk.csv");
        let mut w = csv::Writer::from_path(&path).expect("write bulk.csv");
        w.write_record([
            "uid",
            "event_type",
            "sub_event_type",
            "date_start",
            "date_end",
            "date_precision",
            "latitude",
            "longitude",
            "notes",
        ])
        .expect("bulk header");
        let notes = "n".repeat(note_len);
        for i in 0..n {
            let uid = format!("BULK-{i:05}");
            w.write_record([
                uid.as_str(),
                "Battles",
                "Armed clash",
                "2025-06-17",
                "2025-06-17",
                "day",
                "32.62",
                "36.1",
                notes.as_str(),
            ])
            .expect("bulk row");
        }
        w.flush().expect("flush bulk.csv");
        self.ok(&["import", path.to_str().expect("UTF-8 path")]);
    }

    /// Runs with stdout on a pipe whose reader takes the first few bytes and
    /// then closes it, as `incidents ... | head -c 4096` does. Give the
    /// command output far larger than a pipe's buffer (64 KiB on Linux): it
    /// is then certainly still writing when the pipe closes. Returns the
    /// bytes read and what the command printed on stderr.
    pub fn run_into_closed_pipe(&self, args: &[&str]) -> (String, Output) {
        use std::io::Read;
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("incidents"));
        for var in DB_ENV {
            c.env_remove(var);
        }
        let mut child = c
            .arg("--db")
            .arg(self.db_arg())
            .args(args)
            .current_dir(self.dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run incidents");
        let mut first = [0; 4096];
        let n = child
            .stdout
            .take()
            .expect("piped stdout")
            .read(&mut first)
            .expect("read the first bytes");
        // The reader was dropped above: the pipe's only read end is closed.
        let out = child.wait_with_output().expect("wait for incidents");
        let output = Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::new(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        (String::from_utf8_lossy(&first[..n]).into_owned(), output)
    }
}

/// True when `program` runs here; says on stderr why a check is skipped.
/// In CI (`INCIDENTS_REQUIRE_TOOLS=1`, set by .ci/run) a missing program
/// fails the test instead.
pub fn installed(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("INCIDENTS_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "INCIDENTS_REQUIRE_TOOLS=1 but {program} is not installed"
        );
        eprintln!("SKIPPED: {program} is not installed");
    }
    found
}
