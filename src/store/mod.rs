//! Storage: the interface every backend implements, in domain types only
//! (incidents, filters, grouping dimensions, tallies, places, regions),
//! and the two backends, each in its own folder with its own SQL: SQLite
//! (`sqlite/`, an embedded file, the default) and PostgreSQL with PostGIS
//! (`postgres/`, a shared team database). Nothing outside this module
//! knows which one it runs on.

mod custom;
mod postgres;
mod sqlite;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::filter::{Filter, Status};
use crate::geo::Region;
use crate::group::Dim;
use crate::model::{Incident, Review, Source, Tally};

/// Where a database is: a SQLite file, or a PostgreSQL server named by a
/// `postgresql://` (or `postgres://`) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Server(String),
}

impl Location {
    /// A URL with the PostgreSQL scheme names a server; anything else is a file path.
    pub fn parse(s: &str) -> Location {
        if s.starts_with("postgresql://") || s.starts_with("postgres://") {
            Location::Server(s.to_string())
        } else {
            Location::File(PathBuf::from(s))
        }
    }
}

/// As shown to users: a server's URL without its password.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Server(url) => f.write_str(&postgres::redacted(url)),
        }
    }
}

/// Who writes: the login (PostgreSQL) or operating-system user (SQLite)
/// is recorded with every change; `label` (`--as NAME`) is recorded beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Author {
    pub label: Option<String>,
}

/// An open incidents database: reads, and writes in transactions.
pub trait Store {
    fn get_incident(&self, uid: &str) -> Result<Option<Incident>>;
    /// Calls `f` with each incident the filter selects, in its order.
    fn for_each_incident(
        &self,
        filter: &Filter,
        f: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()>;
    fn count_incidents(&self) -> Result<u64>;
    /// The countries (alpha-2) that incidents are in, most incidents first.
    fn countries(&self) -> Result<Vec<String>>;
    /// Counts and fatality sums of the selected incidents by `dims`.
    fn aggregate(&self, filter: &Filter, dims: &[Dim]) -> Result<Vec<Aggregate>>;
    /// The marks of the selected incidents placed at a point (geo precision
    /// 1 or 2): one per incident, largest toll first, or with `cell` (in
    /// degrees) one per grid cell and event type.
    fn map_points(&self, filter: &Filter, cell: Option<f64>) -> Result<Vec<MapPoint>>;
    /// Calls `f` with each selected incident placed at a point (precision 1
    /// or 2, the ones a map draws), in no particular order.
    fn for_each_point(&self, filter: &Filter, f: &mut dyn FnMut(PointRow)) -> Result<()>;
    /// The first and last start dates of all incidents (None when empty).
    fn date_range(&self) -> Result<Option<(NaiveDate, NaiveDate)>>;
    /// A number that grows with every change to the incidents or tallies
    /// (the last history entry), so a reader can tell its copies are stale.
    fn changes(&self) -> Result<i64>;
    /// Tunes a long-lived reader (a server's) to keep what it read in
    /// memory between requests.
    fn keep_warm(&self) -> Result<()>;
    /// Stops any query still running at `deadline` with an error; `None`
    /// lifts the limit.
    fn set_deadline(&self, deadline: Option<std::time::Instant>) -> Result<()>;
    /// The publishers of the selected incidents' sources, most incidents
    /// first, at most `limit`.
    fn publishers(&self, filter: &Filter, limit: usize) -> Result<Vec<String>>;
    /// Every recorded change of an incident or tally, oldest first.
    fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>>;
    fn get_tally(&self, uid: &str) -> Result<Option<Tally>>;
    /// Tallies of these regions (`None`: all) whose period overlaps
    /// `from..=to`, with a status `status` selects, by period.
    fn tallies(
        &self,
        region_codes: Option<&[String]>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        status: Status,
    ) -> Result<Vec<Tally>>;
    fn places(&self) -> Result<Vec<PlaceRow>>;
    fn custom_regions(&self) -> Result<Vec<Region>>;
    /// The stored custom-region links, by incident uid.
    fn incident_custom_regions(&self) -> Result<HashMap<String, Vec<String>>>;
    /// What the merge of `other` into another incident did, if it was merged.
    fn merge_record(&self, other: &str) -> Result<Option<MergeRecord>>;
    /// What the backend's own integrity checks find wrong.
    fn integrity_problems(&self) -> Result<Vec<String>>;
    /// True when opening it created the database's schema.
    fn created(&self) -> bool;
    /// The version of the database's schema.
    fn schema_version(&self) -> Result<i64>;
    /// A consistent copy at `dest`, safe while others write; never overwrites.
    fn backup(&self, dest: &Path) -> Result<()>;
    /// Runs `f` in one transaction, committed only if `f` succeeds (and
    /// never when `mode` is a dry run). Use [`write`], [`dry_run`] or
    /// [`import`] rather than this.
    fn transaction(
        &mut self,
        mode: Mode,
        f: &mut dyn FnMut(&mut dyn Writer) -> Result<()>,
    ) -> Result<()>;
}

/// The records that get generated uids (`INC-000123`, `TAL-000001`).
#[derive(Debug, Clone, Copy)]
enum Entity {
    Incident,
    Tally,
}

impl Entity {
    /// The name the uid count is kept under.
    fn name(self) -> &'static str {
        match self {
            Entity::Incident => "incident",
            Entity::Tally => "tally",
        }
    }

    /// The `n`th generated uid.
    fn uid(self, n: i64) -> String {
        let prefix = match self {
            Entity::Incident => "INC",
            Entity::Tally => "TAL",
        };
        format!("{prefix}-{n:06}")
    }
}

/// Writes everything `src` holds (incidents, tallies, places, custom
/// regions) to a new SQLite database at `dest`, which must not exist, as one
/// import named after `from`: a copy that opens anywhere, e.g. offline.
/// Written under a temporary name and renamed when complete.
fn copy_to_file(src: &dyn Store, from: &str, dest: &Path) -> Result<()> {
    if dest.exists() {
        return Err(Error::invalid(
            "backup file",
            dest.display(),
            "a path that does not exist yet (a backup never overwrites)",
        ));
    }
    let mut tmp = dest.as_os_str().to_owned();
    tmp.push(".partial");
    let tmp = PathBuf::from(tmp);
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<()> {
        let mut out = sqlite::SqliteStore::open(&tmp, &Author::default())?;
        let regions = src.custom_regions()?;
        let places = src.places()?;
        let tallies = src.tallies(None, None, None, Status::All)?;
        import(&mut out, false, |w| {
            w.begin_import(from, "snapshot")?;
            for r in &regions {
                w.upsert_custom_region(r, from)?;
            }
            for p in &places {
                w.upsert_place(p)?;
            }
            let mut n = 0;
            let all = Filter {
                status: Status::All,
                ..Filter::default()
            };
            let mut merged = Vec::new();
            src.for_each_incident(&all, &mut |inc| {
                w.insert_incident(&inc)?;
                n += 1;
                if inc.merged_into.is_some() {
                    merged.extend(inc.uid);
                }
                Ok(())
            })?;
            // So that the copy can undo them too.
            for uid in &merged {
                if let Some(m) = src.merge_record(uid)? {
                    w.save_merge(&m)?;
                }
            }
            for t in &tallies {
                w.upsert_tally(t)?;
            }
            w.end_import(&ImportCounts {
                rows: n,
                inserted: n,
                ..ImportCounts::default()
            })
        })?;
        drop(out);
        std::fs::rename(&tmp, dest).map_err(|e| Error::io(dest.display(), e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// How a transaction ends and what it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// Roll back at the end, whatever happened.
    pub dry_run: bool,
    /// Many rows at once: the backend may tune itself for it (SQLite builds
    /// the indexes of an empty database once at the end).
    pub bulk: bool,
}

/// Writes inside a transaction.
pub trait Writer {
    /// Opens an import batch: the incidents inserted until [`Writer::end_import`]
    /// record it instead of a history row each, and changes name it.
    fn begin_import(&mut self, input: &str, format: &str) -> Result<()>;
    /// Closes the batch with what it did.
    fn end_import(&mut self, counts: &ImportCounts) -> Result<()>;
    /// True when the database holds no incident.
    fn is_empty(&self) -> Result<bool>;
    fn get_incident(&self, uid: &str) -> Result<Option<Incident>>;
    /// Stores a new incident (a generated uid when it has none, never one
    /// handed out before) linked to the custom regions it lies in; returns its uid.
    fn insert_incident(&mut self, inc: &Incident) -> Result<String>;
    /// Replaces a stored incident's fields (history keeps the old ones).
    fn update_incident(&mut self, inc: &Incident) -> Result<()>;
    fn delete_incident(&mut self, uid: &str) -> Result<()>;
    fn get_tally(&self, uid: &str) -> Result<Option<Tally>>;
    fn upsert_tally(&mut self, t: &Tally) -> Result<(String, Upsert)>;
    fn delete_tally(&mut self, uid: &str) -> Result<()>;
    fn upsert_place(&mut self, p: &PlaceRow) -> Result<()>;
    /// Adds or replaces a custom region and links the incidents inside it.
    fn upsert_custom_region(&mut self, region: &Region, source: &str) -> Result<()>;
    /// Adds a change recorded in another database (an offline copy being
    /// imported), unless this one has it already (same uid, action and
    /// time); it names the open import, which must exist.
    fn append_history(&mut self, entry: &HistoryEntry) -> Result<()>;
    /// As [`Store::history`], seeing this transaction's changes.
    fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>>;
    /// As [`Store::for_each_incident`], seeing this transaction's changes.
    /// `f` must not use the writer: on PostgreSQL the connection is busy
    /// streaming the rows, and such a call fails.
    fn for_each_incident(
        &self,
        filter: &Filter,
        f: &mut dyn FnMut(Incident) -> Result<()>,
    ) -> Result<()>;
    /// Records a merge; one already recorded for `m.other` is an error.
    fn save_merge(&mut self, m: &MergeRecord) -> Result<()>;
    /// The merge recorded for the incident merged away `other`, removed.
    fn take_merge(&mut self, other: &str) -> Result<Option<MergeRecord>>;
    /// The merges recorded into `keep`, oldest first.
    fn merges_into(&self, keep: &str) -> Result<Vec<MergeRecord>>;
}

/// What a merge did to its kept incident, so that unmerging undoes exactly that.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeRecord {
    /// The incident merged away (hidden, `merged_into` = keep).
    pub other: String,
    pub keep: String,
    /// The fields of `keep` that were empty and filled from `other` (Field::name()s).
    pub filled: Vec<String>,
    /// The sources of `other` that were attached to `keep`.
    pub sources: Vec<Source>,
}

impl MergeRecord {
    /// A record as stored (JSON); `other` names it in errors.
    fn from_json(other: &str, json: &str) -> Result<MergeRecord> {
        serde_json::from_str(json).map_err(|e| Error::Data {
            what: format!("the merge record of {other} in the database"),
            reason: format!("not a merge record: {e}"),
        })
    }

    /// The error for saving a second merge of the same incident.
    fn already_saved(&self) -> Error {
        Error::invalid(
            "incident to merge",
            &self.other,
            "an incident not merged already",
        )
    }
}

/// Runs `f` in `mode`, returning what it returns.
fn run<T>(
    store: &mut dyn Store,
    mode: Mode,
    f: impl FnOnce(&mut dyn Writer) -> Result<T>,
) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    store.transaction(mode, &mut |w| {
        if let Some(f) = f.take() {
            out = Some(f(w)?);
        }
        Ok(())
    })?;
    out.ok_or_else(|| Error::Data {
        what: "transaction".into(),
        reason: "the backend did not run the transaction's body".into(),
    })
}

/// Runs `f` in one transaction: it lands whole or not at all.
pub fn write<T>(store: &mut dyn Store, f: impl FnOnce(&mut dyn Writer) -> Result<T>) -> Result<T> {
    run(
        store,
        Mode {
            dry_run: false,
            bulk: false,
        },
        f,
    )
}

/// Runs `f` in a transaction that is always rolled back (`--dry-run`).
pub fn dry_run<T>(
    store: &mut dyn Store,
    f: impl FnOnce(&mut dyn Writer) -> Result<T>,
) -> Result<T> {
    run(
        store,
        Mode {
            dry_run: true,
            bulk: false,
        },
        f,
    )
}

/// Runs a large import in one transaction (rolled back when `dry_run`).
pub fn import<T>(
    store: &mut dyn Store,
    dry_run: bool,
    f: impl FnOnce(&mut dyn Writer) -> Result<T>,
) -> Result<T> {
    run(
        store,
        Mode {
            dry_run,
            bulk: true,
        },
        f,
    )
}

/// Opens (creating if needed) the database at `location` and brings its
/// schema up to date; a database from a newer program is refused unchanged.
/// Changes are recorded as made by `author`.
pub fn open(location: &Location, author: &Author) -> Result<Box<dyn Store>> {
    Ok(match location {
        Location::File(path) => Box::new(sqlite::SqliteStore::open(path, author)?),
        Location::Server(url) => Box::new(postgres::PgStore::open(url, author)?),
    })
}

/// Opens an existing SQLite file for reading only (a read-only file or
/// directory works). A server is opened as by [`open`]: its permissions
/// decide what a login may do.
pub fn open_read_only(location: &Location) -> Result<Box<dyn Store>> {
    Ok(match location {
        Location::File(path) => Box::new(sqlite::SqliteStore::open_read_only(path)?),
        Location::Server(url) => Box::new(postgres::PgStore::open(url, &Author::default())?),
    })
}

/// Opens an existing database so that nothing can be written through
/// this connection: a SQLite file read-only, a server session whose
/// transactions are all read-only.
pub fn open_strictly_read_only(location: &Location) -> Result<Box<dyn Store>> {
    Ok(match location {
        Location::File(path) => Box::new(sqlite::SqliteStore::open_read_only(path)?),
        Location::Server(url) => Box::new(postgres::PgStore::open_read_only(url)?),
    })
}

/// A new empty database in memory, for tests and previews.
pub fn open_in_memory() -> Result<Box<dyn Store>> {
    Ok(Box::new(sqlite::SqliteStore::open_in_memory()?))
}

/// Counts and fatality sums for one group. Each sum comes with the number
/// of incidents it covers, so that a partial sum is never read as a total
/// (the report decides how to show a sum that covers none).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Aggregate {
    /// One key per dimension, in order; `None` is the dimension's null label.
    pub keys: Vec<Option<String>>,
    pub incidents: u64,
    /// Sum of best estimates.
    pub fatalities: u64,
    /// Sum of low estimates over the same incidents as `fatalities`.
    pub fatalities_low: u64,
    /// Sum of high estimates over the same incidents as `fatalities`.
    pub fatalities_high: u64,
    /// Incidents with a best estimate: the ones the three sums cover.
    pub fatalities_known: u64,
    pub civilian_fatalities: u64,
    /// Incidents with a civilian toll: the ones `civilian_fatalities` covers.
    pub civilian_known: u64,
}

/// Where incidents are drawn on a map: one incident, or those of one event
/// type in one grid cell (at their mean position).
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    pub lat: f64,
    pub lon: f64,
    pub event_type: String,
    pub incidents: u64,
    /// The sum of the best estimates (None when none has one).
    pub fatalities: Option<u64>,
    /// The reported place of a single incident.
    pub place: Option<String>,
}

/// An incident placed at a point, as a map index holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct PointRow {
    pub uid: String,
    pub lon: f64,
    pub lat: f64,
    pub event_type: String,
    /// The best estimate, when known.
    pub fatalities: Option<u64>,
}

/// What an upsert (of an imported row, a seed, a tally) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Upsert {
    Inserted,
    Updated,
    Unchanged,
}

/// What an import batch did, kept with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// Deleted (sync, deletions lists): recorded in history, not in the import.
    pub deleted: u64,
}

impl ImportCounts {
    /// Whether the import changed anything: one that did not leaves no
    /// record (importing the same file again is a no-op).
    pub fn changed(&self) -> bool {
        self.inserted + self.updated + self.deleted > 0
    }
}

/// The import that made a change: which file, read as what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportBatch {
    pub id: i64,
    pub input: String,
    pub format: String,
}

/// One recorded change of an incident or tally.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub at: String,
    pub entity: String,
    pub uid: String,
    pub action: String,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
    /// The import that made this change, when one did.
    pub import: Option<ImportBatch>,
    /// Who made it: the database login or operating-system user (unknown
    /// for changes made before this was recorded, or by other programs).
    pub by: Option<String>,
    /// The name given with `--as`, if any.
    pub label: Option<String>,
}

/// A stored user place.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    pub id: i64,
    pub name: String,
    pub alt_names: Vec<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub country: Option<String>,
    pub feature_code: String,
    pub population: u64,
    pub geonameid: Option<i64>,
}

/// Puts an incident's history in order: `created` (its import's insert,
/// when an import created it) goes where its time puts it among the
/// `stored` rows, and an insert stored without a copy of the row (see
/// schema.sql, migration 6) gets its values: the next change's old ones,
/// or `current()`, the incident as it is, when nothing changed since.
fn complete_history(
    mut out: Vec<HistoryEntry>,
    created: Option<HistoryEntry>,
    current: impl FnOnce() -> Result<Option<serde_json::Value>>,
) -> Result<Vec<HistoryEntry>> {
    out.extend(created);
    // Times are written the same way everywhere, so they sort as text.
    out.sort_by(|a, b| a.at.cmp(&b.at));
    let mut current = Some(current);
    for i in 0..out.len() {
        if out[i].action == "insert" && out[i].new.is_none() && out[i].entity == "incident" {
            let after = out[i + 1..]
                .iter()
                .find(|e| e.uid == out[i].uid)
                .map(|e| e.old.clone());
            out[i].new = match (after, current.take()) {
                (Some(old), _) => old,
                (None, Some(current)) => current()?,
                (None, None) => None,
            };
        }
    }
    Ok(out)
}

impl HistoryEntry {
    /// What changed, field by field, as `field: old -> new; ...` (the
    /// time of writing left out: every change sets it). A field missing
    /// on one side is null there (`merged_into` is written only when set).
    pub fn changes(&self) -> String {
        let empty = serde_json::Map::new();
        let old = self
            .old
            .as_ref()
            .and_then(|v| v.as_object())
            .unwrap_or(&empty);
        let new = self
            .new
            .as_ref()
            .and_then(|v| v.as_object())
            .unwrap_or(&empty);
        let null = serde_json::Value::Null;
        // A delete lists no changes (its old document is what it removed).
        let only_old = old
            .keys()
            .filter(|k| self.new.is_some() && !new.contains_key(*k));
        let mut out = Vec::new();
        for k in new.keys().chain(only_old) {
            let (ov, nv) = (old.get(k).unwrap_or(&null), new.get(k).unwrap_or(&null));
            if ov != nv && k != "updated_at" {
                out.push(format!("{k}: {ov} -> {nv}"));
            }
        }
        out.join("; ")
    }
}

/// The condition [`Status::selects`] states, over a table's `status`
/// column and its `merged_into` column (`None` for tallies, which are never
/// merged), or `None` when it selects everything. The review status is one
/// of the schema's three words, never user input; the same SQL in both
/// dialects.
pub(crate) fn status_sql(
    status: Status,
    status_col: &str,
    merged_col: Option<&str>,
) -> Option<String> {
    let is = |r: Review| format!("{status_col} = '{}'", r.as_str());
    match (status.review(), merged_col) {
        (Some(r), Some(m)) => Some(format!("{m} IS NULL AND {}", is(r))),
        (Some(r), None) => Some(is(r)),
        (None, _) if status == Status::All => None,
        (None, Some(m)) => Some(format!("{m} IS NOT NULL")),
        (None, None) => Some("false".into()),
    }
}
