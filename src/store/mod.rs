//! Storage: the interface every backend implements, in domain types only
//! (incidents, filters, grouping dimensions, tallies, places, regions),
//! and the SQLite backend (`sqlite/`), the only code that writes SQL. A
//! second backend implements the same two traits in its own folder.

mod sqlite;

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::geo::Region;
use crate::group::Dim;
use crate::model::{Incident, Tally};

pub use sqlite::schema_version;

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
    /// Every recorded change of an incident or tally, oldest first.
    fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>>;
    /// Tallies of these regions (`None`: all) whose period overlaps `from..=to`.
    fn tallies(
        &self,
        region_codes: Option<&[String]>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<Tally>>;
    fn places(&self) -> Result<Vec<PlaceRow>>;
    fn custom_regions(&self) -> Result<Vec<Region>>;
    /// The stored custom-region links, by incident uid.
    fn incident_custom_regions(&self) -> Result<HashMap<String, Vec<String>>>;
    /// What the backend's own integrity checks find wrong.
    fn integrity_problems(&self) -> Result<Vec<String>>;
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
    fn upsert_tally(&mut self, t: &Tally) -> Result<(String, Upsert)>;
    fn delete_tally(&mut self, uid: &str) -> Result<()>;
    fn upsert_place(&mut self, p: &PlaceRow) -> Result<()>;
    /// Adds or replaces a custom region and links the incidents inside it.
    fn upsert_custom_region(&mut self, region: &Region, source: &str) -> Result<()>;
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
pub fn open(location: &Path) -> Result<Box<dyn Store>> {
    Ok(Box::new(sqlite::SqliteStore::open(location)?))
}

/// Opens an existing database for reading only.
pub fn open_read_only(location: &Path) -> Result<Box<dyn Store>> {
    Ok(Box::new(sqlite::SqliteStore::open_read_only(location)?))
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

impl HistoryEntry {
    /// What changed, field by field, as `field: old -> new; ...` (the
    /// time of writing left out: every change sets it).
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
        let mut out = Vec::new();
        for (k, nv) in new {
            let ov = old.get(k).unwrap_or(&serde_json::Value::Null);
            if ov != nv && k != "updated_at" {
                out.push(format!("{k}: {ov} -> {nv}"));
            }
        }
        out.join("; ")
    }
}
