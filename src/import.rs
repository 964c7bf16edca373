//! Importing files: format detection, per-row validation, region
//! assignment, idempotent upserts in one transaction (a row changes only
//! the fields its file carries), and a summary.
//!
//! By default a bad row aborts the whole import and the database is left as
//! it was; with `skip_invalid` the rest is imported and each rejected row is
//! handed to the caller with its line (or feature), field and reason.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::field;
use crate::filter::{Filter, Status};
use crate::formats::fields::{Row, RowError, Rows};
use crate::formats::{acled, csv, geojson, ucdp};
use crate::geo::Regions;
use crate::locate::{self, Placement};
use crate::model::Incident;
use crate::store::{ImportCounts, Store, Upsert, Writer};
use crate::stream::{Input, OnRead, read_head};
use crate::sync::{self, Conflict, Coverage, Local};

/// The formats `incidents import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ImportFormat {
    /// Our own CSV (see README: CSV columns).
    Csv,
    /// An ACLED CSV export.
    Acled,
    /// A UCDP GED CSV file.
    Ucdp,
    /// A GeoJSON FeatureCollection of Points.
    Geojson,
    /// GeoJSON Text Sequences (RFC 8142) or newline-delimited GeoJSON.
    Geojsonseq,
    /// Another incidents database file (SQLite), e.g. an offline copy made
    /// with `backup`: brings back what was added or changed there.
    Db,
}

impl ImportFormat {
    /// The format's name, as `--format` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportFormat::Csv => "csv",
            ImportFormat::Acled => "acled",
            ImportFormat::Ucdp => "ucdp",
            ImportFormat::Geojson => "geojson",
            ImportFormat::Geojsonseq => "geojsonseq",
            ImportFormat::Db => "db",
        }
    }
}

/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// Guesses the format from the file name (standard input has none) and its
/// first bytes.
pub fn detect(input: &Input, head: &[u8]) -> Result<ImportFormat> {
    let ext = input
        .path()
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = String::from_utf8_lossy(head);
    let first_line = text.lines().next().unwrap_or("").to_ascii_lowercase();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let format = match ext.as_str() {
        _ if head.starts_with(SQLITE_HEADER) => ImportFormat::Db,
        "geojsonl" | "geojsonseq" | "geojsons" | "ndjson" | "jsonl" => ImportFormat::Geojsonseq,
        "geojson" | "json" if trimmed.starts_with('\u{1e}') => ImportFormat::Geojsonseq,
        "geojson" | "json" => ImportFormat::Geojson,
        _ if trimmed.starts_with('\u{1e}') => ImportFormat::Geojsonseq,
        _ if trimmed.starts_with('{') && trimmed.contains("\"FeatureCollection\"") => {
            ImportFormat::Geojson
        }
        _ if trimmed.starts_with('{') && trimmed.contains("\"Feature\"") => {
            ImportFormat::Geojsonseq
        }
        _ if first_line.contains("event_id_cnty") => ImportFormat::Acled,
        _ if first_line.contains("where_prec") && first_line.contains("type_of_violence") => {
            ImportFormat::Ucdp
        }
        _ if first_line.contains("date_start") && first_line.contains("event_type") => {
            ImportFormat::Csv
        }
        _ => {
            let from = match input {
                Input::Stdin => "its content (standard input has no file name to go by)",
                Input::File(_) => "the name or header",
            };
            return Err(Error::Input {
                input: input.name(),
                location: "line 1".into(),
                reason: format!(
                    "cannot tell the format from {from}; give --format csv|acled|ucdp|geojson|geojsonseq|db"
                ),
            });
        }
    };
    Ok(format)
}

/// How much of the input format detection looks at.
const HEAD_LEN: usize = 4096;

/// Opens `input` and reads it as `format` (detected when `None`).
/// `on_read` is told the bytes of each read, for a progress bar.
pub fn open(
    input: &Input,
    format: Option<ImportFormat>,
    on_read: OnRead,
) -> Result<(ImportFormat, Rows<'static>)> {
    let name = input.name();
    let mut r = input.open(on_read)?;
    // Read once and handed on with the rest, so standard input, which
    // cannot be opened twice, is detected like a file.
    let head = read_head(&mut r, HEAD_LEN).map_err(|e| Error::io(&name, e))?;
    if head.is_empty() {
        return Err(Error::Input {
            input: name,
            location: "byte 0".into(),
            reason: "the input is empty: nothing to import".into(),
        });
    }
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Err(Error::Input {
            input: name,
            location: "byte 0".into(),
            reason: "the file is UTF-16; convert it to UTF-8 (e.g. iconv -f utf-16 -t utf-8)"
                .into(),
        });
    }
    let format = match format {
        Some(f) => f,
        None => detect(input, &head)?,
    };
    let text = move || BufReader::with_capacity(1 << 16, std::io::Cursor::new(head).chain(r));
    let rows = match format {
        ImportFormat::Csv => csv::read(text(), &name)?,
        ImportFormat::Acled => acled::read(text(), &name)?,
        ImportFormat::Ucdp => ucdp::read(text(), &name)?,
        ImportFormat::Geojson => geojson::read(text(), &name)?,
        ImportFormat::Geojsonseq => geojson::read_seq(text(), &name)?,
        ImportFormat::Db => database_rows(input.file(
            "FILE",
            "an incidents database (SQLite file) is opened in place; save it to a file and import that",
        )?)?,
    };
    Ok((format, rows))
}

/// Every incident of another incidents database, as rows carrying every
/// field (so an incident changed there is changed here). Read whole before
/// the import starts: the file is a snapshot, not a stream.
fn database_rows(path: &Path) -> Result<Rows<'static>> {
    let store = crate::store::open_read_only(&crate::store::Location::File(path.to_path_buf()))?;
    let mut rows = Vec::new();
    let all = Filter {
        status: Status::All,
        ..Filter::default()
    };
    store.for_each_incident(&all, &mut |incident| {
        rows.push(Ok(Row {
            location: format!("incident {}", incident.uid.as_deref().unwrap_or("?")),
            incident,
            carried: crate::field::FieldSet::ALL,
        }));
        Ok(())
    })?;
    Ok(Box::new(rows.into_iter()))
}

/// Adds to this database the recorded changes of the incidents an import
/// of another database (`input`) changed: who did what there, offline.
/// The copy's own creation (a `backup` of a server records its incidents
/// as a "snapshot" import) is not a change; changes this database already
/// has are skipped.
fn bring_history(w: &mut dyn Writer, input: &str, uids: &[String]) -> Result<()> {
    let copy = crate::store::open_read_only(&crate::store::Location::File(input.into()))?;
    for uid in uids {
        for entry in copy.history(uid)? {
            if entry
                .import
                .as_ref()
                .is_some_and(|b| b.format == "snapshot")
            {
                continue;
            }
            w.append_history(&entry)?;
        }
    }
    Ok(())
}

/// The review of `from` (status, note, evidence, confidence) on `inc`:
/// what an offline copy brings back with an incident it changed. A
/// dataset's row does not carry one: it is inserted reviewed, and a stored
/// incident it updates keeps its own.
fn take_review(inc: &mut Incident, from: &Incident) {
    inc.status = from.status;
    inc.review_note.clone_from(&from.review_note);
    inc.evidence.clone_from(&from.evidence);
    inc.confidence = from.confidence;
}

/// A row whose dataset admin1 label names another region than its point.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Disagreement {
    pub uid: String,
    pub reported_admin1: String,
    pub assigned_admin1: Option<String>,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Summary {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub without_coordinates: u64,
    /// Points outside every region, placed in the nearest within the tolerance.
    pub nearest_region: u64,
    /// Points just outside the country their row states (within `HOLD_KM`),
    /// placed in that country's nearest region.
    pub held_in_country: u64,
    /// Rows whose fatality estimates are out of order (kept as given).
    pub fatalities_inconsistent: u64,
    /// Rows whose file admin1 names another region than the polygon: both kept.
    pub admin1_disagreements: u64,
    /// Rows whose file admin1 label matches no known region.
    pub admin1_unrecognised: u64,
    /// The most frequent disagreements, as "file label -> polygon code: count".
    pub disagreement_pairs: Vec<(String, u64)>,
    /// Incidents deleted because the file no longer holds them (`sync`).
    pub deleted: u64,
    pub deleted_uids: Vec<String>,
    /// Upstream changes and deletions of incidents changed here.
    pub conflicts: Vec<Conflict>,
    pub dry_run: bool,
}

/// Options for [`import`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub dry_run: bool,
    pub skip_invalid: bool,
    /// The file is its dataset's whole current content for what it covers:
    /// what it no longer holds is deleted.
    pub sync: bool,
    /// Upstream wins over changes made here (edits, merges).
    pub theirs: bool,
}

/// How a row's own admin1 label compares with the region its point is in.
enum Label {
    /// The row has no label, or no point to compare it with.
    Agrees,
    Unrecognised,
    /// "file label -> assigned code".
    Disagrees(String),
}

/// What placing a row found, for the summary.
struct Placed {
    placement: Placement,
    label: Label,
}

/// Completes a row's incident before it is stored: the country its
/// province label implies, its regions, and how its label compares. Labels
/// are resolved once per import (a cache per reading thread).
struct Placer<'r> {
    regions: &'r Regions,
    labels: HashMap<(String, String), Option<String>>,
}

impl<'r> Placer<'r> {
    fn new(regions: &'r Regions) -> Placer<'r> {
        Placer {
            regions,
            labels: HashMap::new(),
        }
    }

    /// The region a dataset's admin1 label ("Homs Governorate") names,
    /// preferring one in `country`.
    fn label_code(&mut self, label: &str, country: &str) -> Option<String> {
        let regions = self.regions;
        self.labels
            .entry((country.to_string(), label.to_string()))
            .or_insert_with(|| {
                let r = regions.resolve_in(label, &[country]).ok()?;
                Some(r.region.code.clone())
            })
            .clone()
    }

    fn place(&mut self, inc: &mut Incident, location: &str) -> Result<Placed, RowError> {
        // A row that names its province but not its country states the
        // province's country.
        if inc.country.is_none()
            && let Some(label) = inc.reported_admin1.clone()
        {
            inc.country = self
                .label_code(&label, "")
                .and_then(|code| self.regions.get(&code))
                .map(|region| region.country.clone())
                .filter(|c| c.len() == 2);
        }
        let placement = locate::assign_regions(self.regions, inc).map_err(|e| RowError {
            location: location.to_string(),
            field: "latitude, longitude".into(),
            reason: e.to_string(),
        })?;
        let label = match inc.reported_admin1.clone() {
            None => Label::Agrees,
            Some(label) => {
                let country = inc.country.clone().unwrap_or_default();
                match (self.label_code(&label, &country), &inc.admin1_code) {
                    (None, _) => Label::Unrecognised,
                    (Some(c), Some(assigned)) if *assigned != c => {
                        Label::Disagrees(format!("{label} -> {assigned}"))
                    }
                    _ => Label::Agrees,
                }
            }
        };
        Ok(Placed { placement, label })
    }
}

/// What [`upsert`] did with one row.
pub struct Upserted {
    pub outcome: Upsert,
    /// Where region assignment put its point.
    pub placement: Placement,
    /// The incident as stored.
    pub incident: Incident,
}

/// Upserts one row on its uid, inserting it when the uid is new (or it has
/// none). The stored incident keeps the fields the row does not carry
/// ([`field::merge`]: one rule for every format and the seeds); its
/// regions are derived from the result, and it is written only when
/// something changed. The outer error is the database's; the inner one the
/// row's (a point far from its stated country).
pub fn upsert(
    w: &mut dyn Writer,
    regions: &Regions,
    row: Row,
) -> Result<std::result::Result<Upserted, RowError>> {
    let mut placer = Placer::new(regions);
    let old = match &row.incident.uid {
        Some(uid) => w.get_incident(uid)?,
        None => None,
    };
    let location = row.location.clone();
    let mut inc = match &old {
        Some(old) => field::merge(old, &row.incident, row.carried),
        None => row.incident,
    };
    let placed = match placer.place(&mut inc, &location) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(Upserted {
        outcome: store_row(w, old, &inc)?,
        placement: placed.placement,
        incident: inc,
    }))
}

/// Writes `inc` over `old` (inserts it when there is none), only if it changed.
fn store_row(w: &mut dyn Writer, old: Option<Incident>, inc: &Incident) -> Result<Upsert> {
    Ok(match old {
        None => {
            w.insert_incident(inc)?;
            Upsert::Inserted
        }
        Some(old) if old == *inc => Upsert::Unchanged,
        Some(_) => {
            w.update_incident(inc)?;
            Upsert::Updated
        }
    })
}

/// A row read, checked and placed on the reading thread.
struct Prepared {
    location: String,
    /// The row as read, to merge with a stored incident of the same uid
    /// (kept only when the database was not empty).
    row: Option<Row>,
    /// The row's incident, placed as if it were new.
    incident: Incident,
    placed: std::result::Result<Placed, RowError>,
}

/// Rows travel between the threads in batches, to keep the hand-over cheap.
const BATCH: usize = 256;

/// Reads `rows`, refuses ids repeated in the file and places each row (as a
/// new incident), sending them on in order. Stops when the receiver is gone.
fn prepare_rows(
    rows: Rows,
    regions: &Regions,
    keep_rows: bool,
    tx: std::sync::mpsc::SyncSender<Vec<std::result::Result<Prepared, RowError>>>,
) {
    let mut placer = Placer::new(regions);
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut batch = Vec::with_capacity(BATCH);
    for row in rows {
        let item = row.and_then(|r| {
            if let Some(uid) = &r.incident.uid {
                if let Some(first) = seen.get(uid) {
                    return Err(RowError {
                        location: r.location.clone(),
                        field: "id".into(),
                        reason: format!("duplicate id {uid:?} (first at {first})"),
                    });
                }
                seen.insert(uid.clone(), r.location.clone());
            }
            let mut incident = r.incident.clone();
            let placed = placer.place(&mut incident, &r.location);
            Ok(Prepared {
                location: r.location.clone(),
                row: keep_rows.then_some(r),
                incident,
                placed,
            })
        });
        batch.push(item);
        if batch.len() == BATCH && tx.send(std::mem::take(&mut batch)).is_err() {
            return;
        }
    }
    let _ = tx.send(batch);
}

/// Imports `rows` in one transaction, as one import batch named by `input`
/// and `format`. `reject` receives each invalid row when `skip_invalid` is
/// set; `progress` the number of rows read so far. Rows are read, checked
/// and placed on a second thread while this one writes.
#[allow(clippy::too_many_arguments)]
pub fn import(
    store: &mut dyn Store,
    regions: &Regions,
    input: &str,
    format: ImportFormat,
    rows: Rows,
    opts: Options,
    reject: &mut dyn FnMut(&RowError) -> Result<()>,
    progress: &mut dyn FnMut(u64),
) -> Result<Summary> {
    let body = |w: &mut dyn Writer| -> Result<Summary> {
        let mut s = Summary {
            dry_run: opts.dry_run,
            ..Summary::default()
        };
        // A bad row is set aside with --skip-invalid, else it ends the import.
        let mut refuse = |s: &mut Summary, e: RowError| -> Result<()> {
            if !opts.skip_invalid {
                return Err(Error::Input {
                    input: input.into(),
                    location: e.location,
                    reason: format!(
                        "field {}: {} (nothing was imported; fix the row or use --skip-invalid)",
                        e.field, e.reason
                    ),
                });
            }
            s.rejected += 1;
            reject(&e)
        };
        w.begin_import(input, format.as_str())?;
        // Into an empty database every row is new (a repeated id is refused
        // on reading), so nothing needs to be looked up.
        let empty = w.is_empty()?;
        let mut placer = Placer::new(regions);
        let mut pairs: HashMap<String, u64> = HashMap::new();
        let mut coverage = Coverage::default();
        // The incidents an offline copy changed, whose history comes along.
        let mut changed: Vec<String> = Vec::new();
        std::thread::scope(|scope| -> Result<()> {
            let (tx, rx) = std::sync::mpsc::sync_channel(16);
            scope.spawn(move || prepare_rows(rows, regions, !empty, tx));
            for item in rx.into_iter().flatten() {
                s.rows += 1;
                if s.rows.is_multiple_of(10_000) {
                    progress(s.rows);
                }
                let p = match item {
                    Ok(p) => p,
                    Err(e) => {
                        refuse(&mut s, e)?;
                        continue;
                    }
                };
                let old = match (&p.incident.uid, empty) {
                    (Some(uid), false) => w.get_incident(uid)?,
                    _ => None,
                };
                let (inc, placed, row) = match (&old, p.row) {
                    (Some(old), Some(row)) => {
                        let mut inc = field::merge(old, &row.incident, row.carried);
                        if format == ImportFormat::Db {
                            take_review(&mut inc, &row.incident);
                        }
                        let placed = placer.place(&mut inc, &p.location);
                        (inc, placed, Some(row))
                    }
                    (_, row) => (p.incident, p.placed, row),
                };
                let placed = match placed {
                    Ok(placed) => placed,
                    Err(e) => {
                        refuse(&mut s, e)?;
                        continue;
                    }
                };
                match placed.placement {
                    Placement::NoPoint => s.without_coordinates += 1,
                    Placement::Nearest(_) => s.nearest_region += 1,
                    Placement::Held(_) => s.held_in_country += 1,
                    Placement::Inside | Placement::Nowhere => {}
                }
                if inc.fatalities.inconsistent() {
                    s.fatalities_inconsistent += 1;
                }
                match placed.label {
                    Label::Agrees => {}
                    Label::Unrecognised => s.admin1_unrecognised += 1,
                    Label::Disagrees(pair) => {
                        s.admin1_disagreements += 1;
                        *pairs.entry(pair).or_insert(0) += 1;
                    }
                }
                if opts.sync {
                    coverage.add(&inc);
                }
                // An offline copy brings back the team's own changes: no
                // upstream to be in conflict with.
                if let (Some(o), Some(row)) = (&old, &row)
                    && format != ImportFormat::Db
                    && *o != inc
                    && let Some(local) = sync::local_change(w, o)?
                {
                    // The row differs because of a change made here; it is
                    // an upstream change only when upstream no longer says
                    // what it said when last imported.
                    let upstream_changed = match &local {
                        Local::Edited(Some(imported)) => row.carried.iter().any(|f| {
                            f != field::Field::Sources && !f.agrees(imported, &row.incident)
                        }),
                        _ => true,
                    };
                    if upstream_changed {
                        s.conflicts.push(Conflict {
                            uid: o.uid.clone().unwrap_or_default(),
                            upstream: "changed",
                            local: local.name(),
                        });
                    }
                    if !upstream_changed {
                        s.unchanged += 1;
                        continue;
                    }
                    // Local changes win unless `theirs`.
                    if !opts.theirs {
                        continue;
                    }
                }
                let outcome = store_row(w, old, &inc)?;
                match outcome {
                    Upsert::Inserted => s.inserted += 1,
                    Upsert::Updated => s.updated += 1,
                    Upsert::Unchanged => s.unchanged += 1,
                }
                if format == ImportFormat::Db && outcome != Upsert::Unchanged {
                    changed.extend(inc.uid);
                }
            }
            Ok(())
        })?;
        if opts.sync {
            for inc in coverage.missing(w)? {
                let conflict = sync::delete(w, regions, &inc, opts.theirs)?;
                if conflict.is_none() || opts.theirs {
                    s.deleted += 1;
                    s.deleted_uids.extend(inc.uid.clone());
                }
                s.conflicts.extend(conflict);
            }
        }
        if !changed.is_empty() {
            bring_history(w, input, &changed)?;
        }
        let mut pairs: Vec<(String, u64)> = pairs.into_iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        pairs.truncate(10);
        s.disagreement_pairs = pairs;
        progress(s.rows);
        w.end_import(&ImportCounts {
            rows: s.rows,
            inserted: s.inserted,
            updated: s.updated,
            unchanged: s.unchanged,
            rejected: s.rejected,
            deleted: s.deleted,
        })?;
        Ok(s)
    };
    crate::store::import(store, opts.dry_run, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        let p = |s: &str| Input::from_arg(s);
        assert_eq!(
            detect(&p("a.geojson"), b"{\"type\":\"FeatureCollection\"").unwrap(),
            ImportFormat::Geojson
        );
        assert_eq!(
            detect(&p("a.geojsonl"), b"{}").unwrap(),
            ImportFormat::Geojsonseq
        );
        assert_eq!(
            detect(&p("a.json"), b"\x1e{}").unwrap(),
            ImportFormat::Geojsonseq
        );
        assert_eq!(
            detect(&p("a.csv"), b"event_id_cnty,event_date\n").unwrap(),
            ImportFormat::Acled
        );
        assert_eq!(
            detect(&p("a.csv"), b"id,relid,year,type_of_violence,where_prec\n").unwrap(),
            ImportFormat::Ucdp
        );
        assert_eq!(
            detect(&p("a.csv"), b"uid,title,event_type,date_start\n").unwrap(),
            ImportFormat::Csv
        );
        assert!(detect(&p("a.txt"), b"hello\n").is_err());
        let one_line = br#"{"type":"FeatureCollection","features":[{"properties":{"date_start":"","event_type":""}}]}"#;
        assert_eq!(
            detect(&p("a.dat"), one_line).unwrap(),
            ImportFormat::Geojson
        );
        assert_eq!(
            detect(&p("a.txt"), br#"{"type":"Feature","properties":{}}"#).unwrap(),
            ImportFormat::Geojsonseq
        );
    }
}
