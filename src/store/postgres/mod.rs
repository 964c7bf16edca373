//! The PostgreSQL + PostGIS backend, for a database a team shares: connect
//! (libpq's environment variables honoured), create and migrate the schema
//! with its roles, and map the server's refusals to plain errors. The only
//! code that writes PostgreSQL's SQL; reached through `Store` and `Writer`.

mod aggregate;
mod filter_sql;
mod incidents;
mod merges;
mod places;
mod tallies;

use std::cell::{RefCell, RefMut};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use postgres::config::Host;
use postgres::{Client, Config, NoTls, Transaction};

use crate::error::{DatabaseErrorKind, Error, Result};
use crate::filter::{Filter, Status};
use crate::geo::Region;
use crate::group::Dim;
use crate::model::{Incident, Tally};
use crate::store::custom::CustomRegions;
use crate::store::{
    Aggregate, Author, HistoryEntry, ImportCounts, MapPoint, MergeRecord, Mode, PlaceRow, PointRow,
    Store, Upsert, Writer,
};

/// The schema, as append-only migrations (see schema.sql beside this file).
const SCHEMA: &str = include_str!("schema.sql");

/// The group roles `init` creates: readers, editors (readers who may also
/// change data and draft), reviewers (editors who may also accept or
/// reject drafts) and admins (reviewers who own the schema).
const ROLES: [&str; 4] = [
    "incidents_reader",
    "incidents_editor",
    "incidents_reviewer",
    "incidents_admin",
];

/// Each group role and the one it is a member of (whose rights it has).
const MEMBERSHIPS: [(&str, &str); 3] = [
    ("incidents_editor", "incidents_reader"),
    ("incidents_reviewer", "incidents_editor"),
    ("incidents_admin", "incidents_reviewer"),
];

/// The SQLSTATE of the schema's refusal of a review decision by a login
/// that is not a reviewer (see schema.sql, migration 3).
const REVIEW_REFUSED: &str = "IR001";

/// Splits schema.sql into its numbered migrations.
fn migrations() -> Vec<(i32, String)> {
    let mut out: Vec<(i32, String)> = Vec::new();
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

fn latest_version() -> i32 {
    migrations().last().map(|(v, _)| *v).unwrap_or(0)
}

/// `url` without its password, for messages.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}@{host}{tail}")
        }
        None => url.to_string(),
    }
}

/// Where a connection goes, for messages: host(s) and port, and database.
struct Target {
    server: String,
    database: String,
    user: String,
}

/// The connection settings of `url`, completed as libpq would from PGHOST,
/// PGPORT, PGUSER, PGPASSWORD and PGDATABASE (the URL wins).
fn config(url: &str) -> Result<(Config, Target)> {
    let mut c: Config = url.parse().map_err(|e: postgres::Error| {
        Error::invalid(
            "database URL",
            redacted(url),
            format!("postgresql://USER@HOST:PORT/DBNAME ({e})"),
        )
    })?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if c.get_hosts().is_empty() {
        let host = env("PGHOST").unwrap_or_else(|| "localhost".into());
        for h in host.split(',') {
            if h.starts_with('/') {
                c.host_path(h);
            } else {
                c.host(h);
            }
        }
    }
    if c.get_ports().is_empty()
        && let Some(port) = env("PGPORT")
    {
        let port: u16 = port
            .parse()
            .map_err(|_| Error::invalid("PGPORT", &port, "a port number"))?;
        c.port(port);
    }
    if c.get_user().is_none() {
        let user = env("PGUSER")
            .or_else(|| whoami::username().ok())
            .unwrap_or_else(|| "postgres".into());
        c.user(&user);
    }
    if c.get_password().is_none()
        && let Some(p) = env("PGPASSWORD")
    {
        c.password(p);
    }
    if c.get_dbname().is_none() {
        let db = env("PGDATABASE")
            .or_else(|| c.get_user().map(str::to_string))
            .unwrap_or_default();
        c.dbname(&db);
    }
    if c.get_connect_timeout().is_none() {
        c.connect_timeout(Duration::from_secs(10));
    }
    c.application_name("incidents");
    let hosts: Vec<String> = c
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let port = c.get_ports().first().copied().unwrap_or(5432);
    let target = Target {
        server: format!("{}:{port}", hosts.join(",")),
        database: c.get_dbname().unwrap_or_default().to_string(),
        user: c.get_user().unwrap_or_default().to_string(),
    };
    Ok((c, target))
}

/// A server's error in its own words (never the connection's password).
fn message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None => {
            let mut s = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(inner) = source {
                s = format!("{s}: {inner}");
                source = inner.source();
            }
            s
        }
    }
}

/// The server's errors reach callers as the backend-neutral [`Error::Database`].
impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        let kind = match e.code() {
            Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => {
                DatabaseErrorKind::PermissionDenied
            }
            Some(code) if code.code() == REVIEW_REFUSED => DatabaseErrorKind::ReviewRefused,
            _ => DatabaseErrorKind::Other,
        };
        Error::Database {
            kind,
            message: message(&e),
        }
    }
}

/// An open PostgreSQL incidents database.
pub struct PgStore {
    /// Reads take `&self`; the client needs `&mut` for every query.
    client: RefCell<Client>,
    target: Target,
    location: String,
    created: bool,
}

impl PgStore {
    /// Connects, and creates the schema or brings it up to date (one
    /// transaction); a schema newer than this program's is refused unchanged.
    pub fn open(url: &str, author: &Author) -> Result<PgStore> {
        let (config, target) = config(url)?;
        let mut client = config.connect(NoTls).map_err(|e| Error::Connect {
            server: target.server.clone(),
            database: target.database.clone(),
            reason: message(&e),
        })?;
        client.execute(
            "SELECT set_config('incidents.label', $1, false)",
            &[&author.label.clone().unwrap_or_default()],
        )?;
        let location = redacted(url);
        let created = migrate(&mut client, &target, &location)?;
        Ok(PgStore {
            client: RefCell::new(client),
            target,
            location,
            created,
        })
    }

    /// Opens the database for reading only: every transaction of the
    /// session is read-only, whatever the login may do.
    pub fn open_read_only(url: &str) -> Result<PgStore> {
        let store = PgStore::open(url, &Author::default())?;
        store
            .client()?
            .batch_execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
        Ok(store)
    }

    /// The client, for one call (reads never call back into the store
    /// while they hold it; if one did, it gets an error, not a panic).
    fn client(&self) -> Result<RefMut<'_, Client>> {
        self.client.try_borrow_mut().map_err(|_| Error::Data {
            what: "database connection".into(),
            reason: "already in use by another read of this store".into(),
        })
    }

    /// A refusal for lack of a privilege or a role, said as what the login may do.
    fn permission(&self, e: Error) -> Error {
        let (user, database) = (self.target.user.clone(), self.location.clone());
        match e {
            Error::Database {
                kind: DatabaseErrorKind::PermissionDenied,
                ..
            } => Error::NotPermitted { user, database },
            Error::Database {
                kind: DatabaseErrorKind::ReviewRefused,
                ..
            } => Error::NotReviewer { user, database },
            other => other,
        }
    }
}

/// The version of the schema in the database (0: none yet).
fn current_version(c: &mut impl postgres::GenericClient) -> Result<i32> {
    let exists: bool = c
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])?
        .get(0);
    if !exists {
        return Ok(0);
    }
    Ok(c.query_one("SELECT max(version) FROM schema_version", &[])?
        .get::<_, Option<i32>>(0)
        .unwrap_or(0))
}

/// Creates or migrates the schema; true when it created it.
fn migrate(client: &mut Client, target: &Target, location: &str) -> Result<bool> {
    let latest = latest_version();
    let too_new = |found: i32| Error::SchemaTooNew {
        path: PathBuf::from(location),
        found: found.into(),
        supported: latest.into(),
    };
    let found = current_version(client)?;
    if found > latest {
        return Err(too_new(found));
    }
    if found == latest {
        return Ok(false);
    }
    // One migrator at a time; the others find the work done. The lock is
    // taken before the transaction starts, so that the transaction sees
    // the schema another migrator has just committed (a lock taken inside
    // it would leave its catalog cache as it was before the wait).
    client.execute("SELECT pg_advisory_lock(1414)", &[])?;
    let migrated = (|| -> Result<bool> {
        let mut tx = client.transaction()?;
        let found = current_version(&mut tx)?;
        if found >= latest {
            return Ok(false);
        }
        prepare_database(&mut tx, target)?;
        tx.batch_execute("SET LOCAL ROLE incidents_admin")?;
        for (version, sql) in migrations() {
            if version > found {
                tx.batch_execute(&sql)?;
                tx.execute("UPDATE schema_version SET version = $1", &[&version])?;
            }
        }
        tx.commit()?;
        Ok(found == 0)
    })();
    client.execute("SELECT pg_advisory_unlock(1414)", &[])?;
    migrated
}

/// What the schema needs before its first migration: PostGIS and the group
/// roles (which belong to the whole server). When the login may not create
/// them, the error says exactly what an administrator must run.
fn prepare_database(tx: &mut Transaction, target: &Target) -> Result<()> {
    let db = &target.database;
    let has_postgis: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')",
            &[],
        )?
        .get(0);
    if !has_postgis {
        tx.batch_execute("SAVEPOINT postgis")?;
        if let Err(e) = tx.batch_execute("CREATE EXTENSION postgis") {
            return Err(Error::Data {
                what: format!("database {db} on {}", target.server),
                reason: format!(
                    "it needs the PostGIS extension, which {} may not create ({}). An administrator must run, connected to database {db}: CREATE EXTENSION postgis; (on Debian the server first needs the package postgresql-15-postgis-3 or the one for its version)",
                    target.user,
                    message(&e)
                ),
            });
        }
    }
    let missing: Vec<String> = tx
        .query(
            "SELECT r FROM unnest($1::text[]) r WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)",
            &[&ROLES.to_vec()],
        )?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut roles_sql: String = ROLES
        .iter()
        .map(|r| format!("CREATE ROLE {r} NOLOGIN; "))
        .collect();
    for (member, group) in MEMBERSHIPS {
        roles_sql.push_str(&format!("GRANT {group} TO {member}; "));
    }
    let roles_sql = roles_sql.trim_end();
    let refused = |what: &str, e: &postgres::Error| Error::Data {
        what: format!("database {db} on {}", target.server),
        reason: format!(
            "{} may not {what} ({}). An administrator must run: {roles_sql} then, connected to database {db}: GRANT USAGE, CREATE ON SCHEMA public TO incidents_admin; GRANT incidents_admin TO {};",
            target.user,
            message(e),
            target.user
        ),
    };
    // Roles belong to the whole server: another database's first open may
    // create them at the same moment, which is as good as doing it here.
    for role in &missing {
        unless_done(tx, &format!("CREATE ROLE {role} NOLOGIN"))
            .map_err(|e| refused("create the group roles", &e))?;
    }
    for (member, group) in MEMBERSHIPS {
        let is_member: bool = tx
            .query_one("SELECT pg_has_role($1, $2, 'MEMBER')", &[&member, &group])?
            .get(0);
        if !is_member {
            unless_done(tx, &format!("GRANT {group} TO {member}"))
                .map_err(|e| refused("set up the group roles", &e))?;
        }
    }
    tx.batch_execute("GRANT USAGE, CREATE ON SCHEMA public TO incidents_admin")
        .map_err(|e| refused("set up the group roles", &e))?;
    let member: bool = tx
        .query_one(
            "SELECT pg_has_role('incidents_admin', 'MEMBER') OR \
             (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)",
            &[],
        )?
        .get(0);
    if !member {
        tx.batch_execute("GRANT incidents_admin TO CURRENT_USER")
            .map_err(|e| refused("join incidents_admin", &e))?;
    }
    Ok(())
}

/// Runs `sql`, taking "already exists" (another session did it first) as done.
fn unless_done(tx: &mut Transaction, sql: &str) -> std::result::Result<(), postgres::Error> {
    use postgres::error::SqlState;
    tx.batch_execute("SAVEPOINT unless_done")?;
    match tx.batch_execute(sql) {
        Ok(()) => tx.batch_execute("RELEASE SAVEPOINT unless_done"),
        Err(e)
            if [SqlState::UNIQUE_VIOLATION, SqlState::DUPLICATE_OBJECT]
                .iter()
                .any(|c| e.code() == Some(c)) =>
        {
            tx.batch_execute("ROLLBACK TO SAVEPOINT unless_done")
        }
        Err(e) => Err(e),
    }
}

impl Store for PgStore {
    fn get_incident(&self, uid: &str) -> Result<Option<Incident>> {
        incidents::get_incident(&mut *self.client()?, uid)
    }
    fn for_each_incident(
        &self,
        filter: &Filter,
        f: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        incidents::for_each_incident(&mut *self.client()?, filter, f)
    }
    fn count_incidents(&self) -> Result<u64> {
        let n: i64 = self
            .client()?
            .query_one("SELECT count(*) FROM incidents", &[])?
            .get(0);
        Ok(n.max(0) as u64)
    }
    fn countries(&self) -> Result<Vec<String>> {
        aggregate::countries(&mut *self.client()?)
    }
    fn aggregate(&self, filter: &Filter, dims: &[Dim]) -> Result<Vec<Aggregate>> {
        aggregate::aggregate(&mut *self.client()?, filter, dims)
    }
    fn map_points(&self, filter: &Filter, cell: Option<f64>) -> Result<Vec<MapPoint>> {
        aggregate::map_points(&mut *self.client()?, filter, cell)
    }
    fn publishers(&self, filter: &Filter, limit: usize) -> Result<Vec<String>> {
        aggregate::publishers(&mut *self.client()?, filter, limit)
    }
    fn for_each_point(&self, filter: &Filter, f: &mut dyn FnMut(PointRow)) -> Result<()> {
        aggregate::for_each_point(&mut *self.client()?, filter, f)
    }
    fn keep_warm(&self) -> Result<()> {
        // The server keeps its own caches.
        Ok(())
    }
    fn date_range(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let row = self.client()?.query_one(
            "SELECT (SELECT min(date_start) FROM incidents), (SELECT max(date_start) FROM incidents)",
            &[],
        )?;
        let (first, last): (Option<NaiveDate>, Option<NaiveDate>) = (row.get(0), row.get(1));
        Ok(first.zip(last))
    }
    fn changes(&self) -> Result<i64> {
        let row = self
            .client()?
            .query_one("SELECT COALESCE(max(id), 0)::bigint FROM history", &[])?;
        Ok(row.get(0))
    }
    fn set_deadline(&self, deadline: Option<std::time::Instant>) -> Result<()> {
        // The server stops each statement that runs past what is left.
        let ms = deadline.map_or(0, |d| {
            d.saturating_duration_since(std::time::Instant::now())
                .as_millis()
                .max(1)
        });
        self.client()?.execute(
            "SELECT set_config('statement_timeout', $1, false)",
            &[&ms.to_string()],
        )?;
        Ok(())
    }
    fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>> {
        incidents::history(&mut *self.client()?, uid)
    }
    fn get_tally(&self, uid: &str) -> Result<Option<Tally>> {
        tallies::get_tally(&mut *self.client()?, uid)
    }
    fn tallies(
        &self,
        region_codes: Option<&[String]>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        status: Status,
    ) -> Result<Vec<Tally>> {
        tallies::tallies(&mut *self.client()?, region_codes, from, to, status)
    }
    fn places(&self) -> Result<Vec<PlaceRow>> {
        places::places(&mut *self.client()?)
    }
    fn custom_regions(&self) -> Result<Vec<Region>> {
        places::custom_regions(&mut *self.client()?)
    }
    fn incident_custom_regions(&self) -> Result<HashMap<String, Vec<String>>> {
        places::incident_custom_regions(&mut *self.client()?)
    }
    fn merge_record(&self, other: &str) -> Result<Option<MergeRecord>> {
        merges::merge_record(&mut *self.client()?, other)
    }
    fn integrity_problems(&self) -> Result<Vec<String>> {
        integrity_problems(&mut *self.client()?)
    }
    fn created(&self) -> bool {
        self.created
    }
    fn schema_version(&self) -> Result<i64> {
        Ok(current_version(&mut *self.client()?)?.into())
    }
    fn backup(&self, dest: &Path) -> Result<()> {
        // Every read of the copy sees the same snapshot of the database.
        self.client()?
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        let copied = crate::store::copy_to_file(self, &self.location, dest);
        self.client()?.batch_execute("ROLLBACK")?;
        copied
    }
    fn transaction(
        &mut self,
        mode: Mode,
        f: &mut dyn FnMut(&mut dyn Writer) -> Result<()>,
    ) -> Result<()> {
        let result = (|| -> Result<()> {
            let client = self.client.get_mut();
            let tx = client.transaction()?;
            let mut w = PgWriter::new(tx);
            f(&mut w)?;
            w.flush()?;
            let mut tx = w.tx.into_inner();
            if mode.bulk && !mode.dry_run {
                // Fresh statistics for what a large import wrote: without
                // them the planner reads a million rows to answer a report.
                tx.batch_execute("ANALYZE incidents, incident_sources, incident_regions")?;
            }
            if mode.dry_run {
                tx.rollback()?;
            } else {
                tx.commit()?;
            }
            Ok(())
        })();
        result.map_err(|e| self.permission(e))
    }
}

/// What the server's own bookkeeping finds wrong: points that disagree
/// with their PostGIS geometry, and triggers that history depends on.
fn integrity_problems(client: &mut Client) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let off: i64 = client
        .query_one(
            "SELECT count(*) FROM incidents WHERE (geom IS NULL) <> (latitude IS NULL) \
             OR ST_X(geom) <> longitude OR ST_Y(geom) <> latitude",
            &[],
        )?
        .get(0);
    if off > 0 {
        out.push(format!("{off} incidents whose geometry is not their point"));
    }
    let disabled: Vec<String> = client
        .query(
            "SELECT tgname FROM pg_trigger WHERE tgrelid IN ('incidents'::regclass, 'tallies'::regclass) \
             AND NOT tgisinternal AND tgenabled = 'D' ORDER BY tgname",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    for t in disabled {
        out.push(format!(
            "trigger {t} is disabled: changes are not recorded in history"
        ));
    }
    Ok(out)
}

/// A write transaction. Inserted incidents wait in `pending` and go to the
/// server together with COPY (a million-row import is one stream, not a
/// million round trips); anything else that reads or writes sends them first.
pub struct PgWriter<'a> {
    tx: RefCell<Transaction<'a>>,
    pending: RefCell<incidents::Pending>,
    /// Source ids seen in this transaction, by (publisher, title, url),
    /// with the publication date stored.
    source_ids: HashMap<(String, String, String), (i64, Option<String>)>,
    /// Statements prepared in this transaction, by their SQL.
    statements: RefCell<HashMap<&'static str, postgres::Statement>>,
    /// The custom regions, read when a write first needs them.
    custom: Option<CustomRegions>,
    import_id: Option<i64>,
    /// Uids taken in this transaction but not yet sent.
    pending_uids: HashSet<String>,
}

impl<'a> PgWriter<'a> {
    fn new(tx: Transaction<'a>) -> PgWriter<'a> {
        PgWriter {
            tx: RefCell::new(tx),
            pending: RefCell::new(incidents::Pending::default()),
            source_ids: HashMap::new(),
            statements: RefCell::new(HashMap::new()),
            custom: None,
            import_id: None,
            pending_uids: HashSet::new(),
        }
    }

    /// `sql` prepared once per transaction: a statement run for every row
    /// of an import then costs one round trip, not two.
    fn statement(&self, tx: &mut Transaction, sql: &'static str) -> Result<postgres::Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = tx.prepare(sql)?;
        self.statements.borrow_mut().insert(sql, s.clone());
        Ok(s)
    }

    /// The transaction, with every pending insert sent.
    fn tx(&self) -> Result<RefMut<'_, Transaction<'a>>> {
        self.flush()?;
        self.borrow()
    }

    /// The transaction as it is, unless a read of this writer is using it
    /// (`for_each_incident`'s callback calling the writer): an error then,
    /// since the connection is busy streaming that read's rows.
    fn borrow(&self) -> Result<RefMut<'_, Transaction<'a>>> {
        self.tx.try_borrow_mut().map_err(|_| Error::Data {
            what: "database transaction".into(),
            reason: "in use by a read of this transaction".into(),
        })
    }

    /// Sends the pending inserts.
    fn flush(&self) -> Result<()> {
        let mut pending = self.pending.borrow_mut();
        if pending.is_empty() {
            return Ok(());
        }
        incidents::send(&mut *self.borrow()?, &mut pending)
    }

    /// The next generated uid (`INC-000123`): the count only grows and the
    /// row stays locked until this transaction ends, so no two writers
    /// ever get the same.
    fn next_uid(&self, entity: crate::store::Entity) -> Result<String> {
        let n: i64 = self
            .tx()?
            .query_one(
                "UPDATE uid_sequence SET last = last + 1 WHERE entity = $1 RETURNING last",
                &[&entity.name()],
            )?
            .get(0);
        Ok(entity.uid(n))
    }
}

impl Writer for PgWriter<'_> {
    fn begin_import(&mut self, input: &str, format: &str) -> Result<()> {
        let mut tx = self.tx()?;
        // Imports run one at a time (as on SQLite): two imports of the same
        // file at once then find each other's rows instead of colliding.
        tx.execute("SELECT pg_advisory_xact_lock(1415)", &[])?;
        // Numbered as SQLite numbers them: one more than the last kept.
        let id: i64 = tx
            .query_one(
                "INSERT INTO imports (id, input, format) \
                 SELECT COALESCE(max(id), 0) + 1, $1, $2 FROM imports RETURNING id",
                &[&input, &format],
            )?
            .get(0);
        tx.execute(
            "SELECT set_config('incidents.import_id', $1, true)",
            &[&id.to_string()],
        )?;
        drop(tx);
        self.import_id = Some(id);
        Ok(())
    }
    fn end_import(&mut self, c: &ImportCounts) -> Result<()> {
        let Some(id) = self.import_id.take() else {
            return Ok(());
        };
        let mut tx = self.tx()?;
        tx.execute("SELECT set_config('incidents.import_id', '', true)", &[])?;
        // An import that changed nothing leaves nothing behind.
        if !c.changed() {
            tx.execute("DELETE FROM imports WHERE id = $1", &[&id])?;
        } else {
            let n = |v: u64| v as i64;
            tx.execute(
                "UPDATE imports SET done = true, rows = $2, inserted = $3, updated = $4, \
                 unchanged = $5, rejected = $6 WHERE id = $1",
                &[
                    &id,
                    &n(c.rows),
                    &n(c.inserted),
                    &n(c.updated),
                    &n(c.unchanged),
                    &n(c.rejected),
                ],
            )?;
        }
        Ok(())
    }
    fn is_empty(&self) -> Result<bool> {
        if !self.pending.borrow().is_empty() {
            return Ok(false);
        }
        Ok(self
            .borrow()?
            .query_one("SELECT NOT EXISTS (SELECT 1 FROM incidents)", &[])?
            .get(0))
    }
    fn get_incident(&self, uid: &str) -> Result<Option<Incident>> {
        // Only an incident still pending needs the others sent first.
        if self.pending_uids.contains(uid) {
            self.flush()?;
        }
        let mut tx = self.borrow()?;
        let stmt = self.statement(&mut tx, incidents::BY_UID_FOR_UPDATE)?;
        tx.query_opt(&stmt, &[&uid])?
            .map(|r| incidents::from_row(&r))
            .transpose()
    }
    fn insert_incident(&mut self, inc: &Incident) -> Result<String> {
        PgWriter::insert_incident(self, inc)
    }
    fn update_incident(&mut self, inc: &Incident) -> Result<()> {
        PgWriter::update_incident(self, inc)
    }
    fn delete_incident(&mut self, uid: &str) -> Result<()> {
        PgWriter::delete_incident(self, uid)
    }
    fn get_tally(&self, uid: &str) -> Result<Option<Tally>> {
        tallies::get_tally(&mut *self.tx()?, uid)
    }
    fn upsert_tally(&mut self, t: &Tally) -> Result<(String, Upsert)> {
        PgWriter::upsert_tally(self, t)
    }
    fn delete_tally(&mut self, uid: &str) -> Result<()> {
        PgWriter::delete_tally(self, uid)
    }
    fn upsert_place(&mut self, p: &PlaceRow) -> Result<()> {
        PgWriter::upsert_place(self, p)
    }
    fn upsert_custom_region(&mut self, region: &Region, source: &str) -> Result<()> {
        PgWriter::upsert_custom_region(self, region, source)
    }
    fn append_history(&mut self, e: &HistoryEntry) -> Result<()> {
        self.tx()?.execute(
            "SELECT incidents_append_history($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &e.entity, &e.uid, &e.action, &e.old, &e.new, &e.at, &e.by, &e.label,
            ],
        )?;
        Ok(())
    }
    fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>> {
        incidents::history(&mut *self.tx()?, uid)
    }
    fn for_each_incident(
        &self,
        filter: &Filter,
        f: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        incidents::for_each_incident(&mut *self.tx()?, filter, f)
    }
    fn save_merge(&mut self, m: &MergeRecord) -> Result<()> {
        PgWriter::save_merge(self, m)
    }
    fn take_merge(&mut self, other: &str) -> Result<Option<MergeRecord>> {
        PgWriter::take_merge(self, other)
    }
    fn merges_into(&self, keep: &str) -> Result<Vec<MergeRecord>> {
        PgWriter::merges_into(self, keep)
    }
}

/// Parameters of a statement built at run time.
pub(super) type Params = Vec<Box<dyn postgres::types::ToSql + Sync>>;

/// `params` as the client takes them.
pub(super) fn refs(params: &Params) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    params.iter().map(|p| p.as_ref()).collect()
}
