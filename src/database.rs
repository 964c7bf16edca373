//! The handle every face (the CLI, later the web server) holds: an open
//! store plus the geography it is read with, loaded once and only when an
//! operation needs it. Faces call operations here and render the results;
//! they never reach the store or the geography themselves.

use std::cell::OnceCell;
use std::path::Path;

use std::io::Write;

use serde_json::{Map, Value};

use crate::check;
use crate::dedup::{self, Pair, Pool};
use crate::edit::Patch;
use crate::error::{Error, Result};
use crate::extract;
use crate::filter::{Filter, Status};
use crate::formats::fields::{RowError, Rows};
use crate::geo::{Gazetteer, Region, Regions};
use crate::group::Dim;
use crate::import;
use crate::locate::{self, FilterSpec, Locator, Resolution};
use crate::merge;
use crate::model::{Incident, Tally, check_coordinates};
use crate::report::{self, Period, Report};
use crate::report_scope;
use crate::review;
use crate::store::{self, Author, HistoryEntry, Location, MergeRecord, PlaceRow, Store};
use crate::stream::{self, Input};
use crate::sync;

/// An open incidents database.
pub struct Database {
    store: Box<dyn Store>,
    location: Location,
    regions: OnceCell<Regions>,
    names: OnceCell<Regions>,
    gazetteer: OnceCell<Gazetteer>,
}

/// What `init` reports about a database.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Description {
    pub schema_version: i64,
    /// Whether opening it created the database (its schema).
    pub created: bool,
    pub incidents: u64,
    pub gazetteer_places: usize,
    pub regions: usize,
}

/// Loads a cached value on first use (`OnceCell::get_or_try_init` is not stable).
fn cached<T>(cell: &OnceCell<T>, load: impl FnOnce() -> Result<T>) -> Result<&T> {
    if let Some(v) = cell.get() {
        return Ok(v);
    }
    let v = load()?;
    Ok(cell.get_or_init(|| v))
}

/// The bundled regions with polygons plus the custom ones, loaded once.
/// A free function over the two fields, so a caller can hold the regions
/// while it writes through the store.
fn full_regions<'a>(cell: &'a OnceCell<Regions>, store: &dyn Store) -> Result<&'a Regions> {
    cached(cell, || locate::regions_with_custom(store))
}

impl Database {
    fn with_store(store: Box<dyn Store>, location: &Location) -> Database {
        Database {
            store,
            location: location.clone(),
            regions: OnceCell::new(),
            names: OnceCell::new(),
            gazetteer: OnceCell::new(),
        }
    }

    /// Opens the database for reading and writing, creating it (with the
    /// schema) on first use and migrating an older one. Changes are
    /// recorded as made by `author`.
    pub fn open(location: &Location, author: &Author) -> Result<Database> {
        Ok(Database::with_store(
            store::open(location, author)?,
            location,
        ))
    }

    /// Opens the database for reading; a read-only file or directory works.
    pub fn open_for_reading(location: &Location) -> Result<Database> {
        let store = match (store::open(location, &Author::default()), location) {
            (Ok(s), _) => s,
            (Err(Error::Database { .. } | Error::ReadOnly { .. }), Location::File(path))
                if path.exists() =>
            {
                store::open_read_only(location)?
            }
            (Err(e), _) => return Err(e),
        };
        Ok(Database::with_store(store, location))
    }

    /// Opens the database read-only for a long-lived reader such as a web
    /// server: nothing can change it through this handle, and what it reads
    /// stays in memory between requests.
    pub fn open_for_serving(location: &Location) -> Result<Database> {
        let store = store::open_strictly_read_only(location)?;
        store.keep_warm()?;
        Ok(Database::with_store(store, location))
    }

    /// Stops any query still running at `deadline` with an error.
    pub fn set_deadline(&self, deadline: Option<std::time::Instant>) -> Result<()> {
        self.store.set_deadline(deadline)
    }

    /// The first and last start dates of all incidents (None when empty).
    pub fn date_range(&self) -> Result<Option<(chrono::NaiveDate, chrono::NaiveDate)>> {
        self.store.date_range()
    }

    /// The outlines of the bundled regions of one level (admin1 or admin2),
    /// of one country or (with `None`) of the countries that have
    /// incidents, simplified, as GeoJSON for a base layer.
    pub fn write_outlines(
        &self,
        out: &mut dyn Write,
        level: Dim,
        country: Option<&str>,
    ) -> Result<()> {
        let level = match level {
            Dim::Admin2 => crate::geo::Level::Admin2,
            _ => crate::geo::Level::Admin1,
        };
        let countries = match country {
            Some(c) => vec![c.to_string()],
            None => self.countries()?,
        };
        // The full regions: the names-only set has no geometry.
        let regions = self
            .regions()?
            .list(None)
            .into_iter()
            .filter(|r| countries.contains(&r.country));
        let mut out = out;
        crate::formats::choropleth::write_outlines(
            &mut out,
            regions.filter(|r| r.level == level),
            // About a kilometre: finer than a screen shows at country scale.
            0.01,
        )
    }

    /// A number that grows with every change to the database.
    pub fn changes(&self) -> Result<i64> {
        self.store.changes()
    }

    /// Calls `f` with each selected incident placed at a point.
    pub fn for_each_point(
        &self,
        filter: &Filter,
        f: &mut dyn FnMut(crate::store::PointRow),
    ) -> Result<()> {
        self.store.for_each_point(filter, f)
    }

    /// Where the database is, as the user named it (a server without its password).
    pub fn location(&self) -> String {
        self.location.to_string()
    }

    /// The bundled regions with polygons, plus the database's custom regions.
    pub fn regions(&self) -> Result<&Regions> {
        full_regions(&self.regions, self.store.as_ref())
    }

    /// Region names and codes only (fast to load): enough to resolve and
    /// list regions. The full regions serve when already loaded.
    pub fn region_names(&self) -> Result<&Regions> {
        if let Some(r) = self.regions.get() {
            return Ok(r);
        }
        cached(&self.names, || {
            locate::region_names_with_custom(self.store.as_ref())
        })
    }

    /// Regions (bundled and custom), of one country when given.
    pub fn list_regions(&self, country: Option<&str>) -> Result<Vec<&Region>> {
        let country = country.map(str::to_ascii_uppercase);
        Ok(self.region_names()?.list(country.as_deref()))
    }

    /// The bundled gazetteer plus the database's own places.
    pub fn gazetteer(&self) -> Result<&Gazetteer> {
        cached(&self.gazetteer, || {
            locate::gazetteer_with_places(self.store.as_ref())
        })
    }

    /// Checks and resolves filter values as the user gave them. A region
    /// name shared across countries means the one the database holds
    /// incidents in, unless a country is given.
    pub fn filter(&self, spec: &FilterSpec, note: &mut dyn FnMut(&str)) -> Result<Filter> {
        let mut spec = spec.clone();
        if spec.region.is_some() && spec.country.is_none() {
            spec.countries = self.store.countries()?;
        }
        spec.build(|| self.region_names(), || self.gazetteer(), note)
    }

    /// The countries (alpha-2) the database holds incidents in.
    pub fn countries(&self) -> Result<Vec<String>> {
        self.store.countries()
    }

    /// One incident by uid.
    pub fn incident(&self, uid: &str) -> Result<Incident> {
        self.store
            .get_incident(uid)?
            .ok_or_else(|| Error::NotFound {
                what: "incident".into(),
                name: uid.to_string(),
                suggestions: vec![],
            })
    }

    /// Calls `f` with each incident the filter selects, in the filter's order.
    pub fn for_each_incident(
        &self,
        filter: &Filter,
        mut f: impl FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        self.store.for_each_incident(filter, &mut f)
    }

    /// How many incidents `filter` selects, its limit included (e.g. the
    /// total of an export's progress), counted without reading them.
    pub fn count(&self, filter: &Filter) -> Result<u64> {
        let n = self
            .store
            .aggregate(filter, &[])?
            .first()
            .map_or(0, |a| a.incidents);
        Ok(filter.limit.map_or(n, |limit| n.min(limit as u64)))
    }

    /// Every recorded change of an incident or tally, oldest first.
    pub fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>> {
        let entries = self.store.history(uid)?;
        if entries.is_empty() {
            return Err(Error::NotFound {
                what: "history for".into(),
                name: uid.to_string(),
                suggestions: vec![],
            });
        }
        Ok(entries)
    }

    /// A consistent copy at `dest`, safe while others write; never overwrites.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        self.store.backup(dest)
    }

    /// A consistent copy written to `out` (named `out_name` in errors), e.g.
    /// standard output. The copy is made whole first, in a private
    /// temporary file: SQLite writes a database file in place, not as a
    /// stream.
    pub fn backup_to(&self, out: &mut dyn Write, out_name: &str) -> Result<u64> {
        let scratch = stream::ScratchDir::new("backup")?;
        let path = scratch.path().join("backup.db");
        self.store.backup(&path)?;
        stream::copy_file_to(&path, out, out_name)
    }

    /// Integrity and the project's invariants, for every incident.
    pub fn check(&self) -> Result<check::Report> {
        check::check(self.store.as_ref(), self.regions()?)
    }

    /// Loads the seed incidents and tallies (idempotent).
    pub fn seed(&mut self) -> Result<(crate::seeds::Counts, crate::seeds::Counts)> {
        let regions = full_regions(&self.regions, self.store.as_ref())?;
        crate::seeds::load(self.store.as_mut(), regions)
    }

    /// Schema version and what the database and the bundled data hold.
    pub fn describe(&self) -> Result<Description> {
        Ok(Description {
            schema_version: self.store.schema_version()?,
            created: self.store.created(),
            incidents: self.store.count_incidents()?,
            gazetteer_places: self.gazetteer()?.len(),
            regions: self.region_names()?.list(None).len(),
        })
    }

    /// The report for a region (or country, or everything) and a period:
    /// counts, fatalities, the previous period, overlapping incidents and
    /// the tallies reported for the region.
    pub fn report(&self, filter: &Filter, period: Period) -> Result<Report> {
        let regions = if filter.region.is_some() || filter.country.is_some() {
            Some(self.region_names()?)
        } else {
            None
        };
        let (summary, tally_codes) = report_scope::scope(filter, regions)?;
        report::build(
            self.store.as_ref(),
            filter,
            summary,
            tally_codes.as_deref(),
            period,
        )
    }

    /// The map of a report's region and period (see [`crate::map::build`]).
    pub fn map(
        &self,
        filter: &Filter,
        period: Period,
        by: Option<Dim>,
        measure: crate::map::Measure,
    ) -> Result<crate::map::MapData<'_>> {
        let regions = self.regions()?;
        let (summary, _) = report_scope::scope(filter, Some(regions))?;
        crate::map::build(
            self.store.as_ref(),
            regions,
            filter,
            summary,
            period,
            by,
            measure,
        )
    }

    /// A period report as one self-contained HTML page with its map and the
    /// chart of the preceding periods.
    pub fn report_html(&self, filter: &Filter, report: &Report, period: Period) -> Result<String> {
        let map = self.map(filter, period, None, crate::map::Measure::Incidents)?;
        let layout = crate::formats::map::Layout {
            width: 1000.0,
            height: 720.0,
            title: None,
            points: true,
        };
        let map_svg = crate::formats::map::draw(&map, &layout);
        let (from, to, by) = crate::chart::preceding(&period, 12);
        let chart = self.chart(
            filter,
            crate::chart::ChartSpec {
                from,
                to,
                by,
                stack: crate::chart::Stack::Type,
                measure: crate::map::Measure::Incidents,
            },
        )?;
        let chart_svg = crate::formats::chart::draw(
            &chart,
            &crate::formats::chart::Layout {
                width: 1000.0,
                height: 460.0,
                title: None,
            },
        );
        let regions = self.regions()?;
        let names = report
            .by_admin1
            .keys()
            .chain(report.by_admin2.keys())
            .filter_map(|c| regions.get(c).map(|r| (c.clone(), r.name.clone())))
            .collect();
        Ok(crate::formats::html::page(&crate::formats::html::Page {
            report,
            map: &map_svg,
            chart: Some(&chart_svg),
            names: &names,
            attribution: &crate::formats::map::attribution_text(&map),
        }))
    }

    /// The chart of the filter's incidents over time, with the region's
    /// reported tallies beside the bars (see [`crate::chart::build`]).
    pub fn chart(
        &self,
        filter: &Filter,
        spec: crate::chart::ChartSpec,
    ) -> Result<crate::chart::ChartData> {
        let names = self.region_names()?;
        let (summary, tally_codes) = report_scope::scope(filter, Some(names))?;
        crate::chart::build(
            self.store.as_ref(),
            filter,
            summary,
            tally_codes.as_deref(),
            Some(names),
            spec,
        )
    }

    /// Aggregates by `dims` over the filter, within `period` when given.
    pub fn grouped_report(
        &self,
        filter: &Filter,
        period: Option<Period>,
        dims: &[Dim],
    ) -> Result<Vec<Map<String, Value>>> {
        let mut f = filter.clone();
        if let Some(p) = period {
            f.from = Some(p.start);
            f.to = Some(p.end);
        }
        report::grouped(self.store.as_ref(), &f, dims)
    }

    /// The draft incidents a grouped report over the filter (within
    /// `period` when given) leaves out: awaiting review, never counted.
    pub fn grouped_drafts(&self, filter: &Filter, period: Option<Period>) -> Result<u64> {
        let mut f = filter.clone();
        if let Some(p) = period {
            f.from = Some(p.start);
            f.to = Some(p.end);
        }
        report::drafts(self.store.as_ref(), &f)
    }

    /// Grouped rows as a GeoJSON choropleth of the regions they name.
    pub fn write_grouped_geojson<W: Write>(
        &self,
        out: &mut W,
        dims: &[Dim],
        rows: &[Map<String, Value>],
    ) -> Result<()> {
        crate::formats::choropleth::write_grouped(out, self.regions()?, dims, rows)
    }

    /// A period report as a GeoJSON choropleth: the districts of a
    /// governorate that has them, the district itself, or the governorates.
    pub fn write_report_geojson<W: Write>(
        &self,
        out: &mut W,
        filter: &Filter,
        report: &Report,
        period: Period,
    ) -> Result<()> {
        let regions = self.regions()?;
        let (dim, parent) = match (&report.region.level[..], &report.region.code) {
            ("admin1", Some(code))
                if regions
                    .list(None)
                    .iter()
                    .any(|x| x.parent.as_deref() == Some(code)) =>
            {
                (Dim::Admin2, Some(code.clone()))
            }
            ("admin2", Some(_)) => (Dim::Admin2, None),
            _ => (Dim::Admin1, None),
        };
        let rows = self.grouped_report(filter, Some(period), &[dim])?;
        crate::formats::choropleth::write_report(
            out,
            regions,
            report,
            dim,
            parent.as_deref(),
            &rows,
        )
    }

    /// Adds an incident (see [`crate::add::add`]); returns its uid. `pick`
    /// chooses among places of the same name (`None`: nobody can, and the
    /// error lists them); `note` receives messages for the user.
    pub fn add(
        &mut self,
        inc: Incident,
        region: Option<&str>,
        pick: &dyn Fn(&[String]) -> Option<usize>,
        note: &dyn Fn(&str),
    ) -> Result<String> {
        let regions = full_regions(&self.regions, self.store.as_ref())?;
        let locator = Locator {
            regions,
            pick,
            note,
        };
        crate::add::add(self.store.as_mut(), &locator, inc, region)
    }

    /// Applies a patch to an incident in one transaction (see
    /// [`crate::edit::edit`]); false when nothing changed.
    pub fn edit(
        &mut self,
        uid: &str,
        patch: &Patch,
        pick: &dyn Fn(&[String]) -> Option<usize>,
        note: &dyn Fn(&str),
    ) -> Result<bool> {
        let regions = full_regions(&self.regions, self.store.as_ref())?;
        let locator = Locator {
            regions,
            pick,
            note,
        };
        crate::edit::edit(self.store.as_mut(), &locator, uid, patch)
    }

    /// The drafts awaiting review, oldest first (see [`review::queue`]).
    pub fn review_queue(&self, source: Option<&str>) -> Result<Vec<review::Record>> {
        review::queue(self.store.as_ref(), source)
    }

    /// The incident or tally `uid`, whatever its status.
    pub fn record(&self, uid: &str) -> Result<review::Record> {
        review::find(self.store.as_ref(), uid)
    }

    /// Accepts a draft with edits, in one write (see [`review::accept`]).
    pub fn accept(
        &mut self,
        uid: &str,
        patch: &Patch,
        dry_run: bool,
        pick: &dyn Fn(&[String]) -> Option<usize>,
        note: &dyn Fn(&str),
    ) -> Result<review::Record> {
        let regions = full_regions(&self.regions, self.store.as_ref())?;
        let locator = Locator {
            regions,
            pick,
            note,
        };
        review::accept(self.store.as_mut(), &locator, uid, patch, dry_run)
    }

    /// Rejects a draft, keeping the reason (see [`review::reject`]).
    pub fn reject(&mut self, uid: &str, reason: &str, dry_run: bool) -> Result<review::Record> {
        review::reject(self.store.as_mut(), uid, reason, dry_run)
    }

    /// Accepts every draft citing `source` (see [`review::accept_all_from`]).
    pub fn accept_all_from(&mut self, source: &str, dry_run: bool) -> Result<Vec<String>> {
        review::accept_all_from(self.store.as_mut(), source, dry_run)
    }

    /// Deletes an incident; its last values stay in its history.
    pub fn delete(&mut self, uid: &str) -> Result<()> {
        crate::edit::delete(self.store.as_mut(), uid)
    }

    /// Imports incidents in one transaction (see [`import::import`]).
    pub fn import(
        &mut self,
        input: &str,
        format: import::ImportFormat,
        rows: Rows,
        opts: import::Options,
        reject: &mut dyn FnMut(&RowError) -> Result<()>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<import::Summary> {
        let regions = full_regions(&self.regions, self.store.as_ref())?;
        import::import(
            self.store.as_mut(),
            regions,
            input,
            format,
            rows,
            opts,
            reject,
            progress,
        )
    }

    /// Candidate pairs of incidents that may report one event, among those
    /// `filter` selects (see [`dedup`]).
    pub fn dedup(&self, filter: &Filter, opts: &dedup::Options) -> Result<(Pool, Vec<Pair>)> {
        let mut pool = Pool::default();
        self.store.for_each_incident(filter, &mut |inc| {
            pool.add(&inc);
            Ok(())
        })?;
        let pairs = pool.pairs(opts);
        Ok((pool, pairs))
    }

    /// Merges every group of `duplicate` pairs in one transaction (rolled
    /// back when `dry_run`); returns what was (or would be) merged.
    pub fn apply_dedup(
        &mut self,
        filter: &Filter,
        opts: &dedup::Options,
        dry_run: bool,
    ) -> Result<Vec<merge::Applied>> {
        let (pool, pairs) = self.dedup(filter, opts)?;
        let groups = pool.groups(&pairs);
        let regions = full_regions(&self.regions, self.store.as_ref())?;
        let body = |w: &mut dyn store::Writer| merge::apply(w, regions, &groups);
        if dry_run {
            store::dry_run(self.store.as_mut(), body)
        } else {
            store::write(self.store.as_mut(), body)
        }
    }

    /// Merges `others` into `keep` (see [`merge::merge`]).
    pub fn merge(&mut self, keep: &str, others: &[String]) -> Result<Vec<MergeRecord>> {
        let regions = full_regions(&self.regions, self.store.as_ref())?;
        store::write(self.store.as_mut(), |w| {
            merge::merge(w, regions, keep, others)
        })
    }

    /// Undoes the merges of `uid` (see [`merge::unmerge`]).
    pub fn unmerge(&mut self, uid: &str) -> Result<Vec<MergeRecord>> {
        let regions = full_regions(&self.regions, self.store.as_ref())?;
        store::write(self.store.as_mut(), |w| merge::unmerge(w, regions, uid))
    }

    /// Deletes the incidents an ACLED deleted-events list names, as one
    /// import (see [`sync::apply_deletions`]).
    pub fn import_deletions(
        &mut self,
        file: &Input,
        theirs: bool,
        dry_run: bool,
    ) -> Result<sync::Deletions> {
        let input = file.name();
        let f = file.open(stream::no_progress())?;
        let uids = sync::read_deletions(std::io::BufReader::new(f), &input)?;
        let regions = full_regions(&self.regions, self.store.as_ref())?;
        let mut out = store::import(self.store.as_mut(), dry_run, |w| {
            w.begin_import(&input, "deletions")?;
            let d = sync::apply_deletions(w, regions, &uids, theirs)?;
            w.end_import(&store::ImportCounts {
                rows: d.rows,
                unchanged: d.absent,
                deleted: d.deleted,
                ..store::ImportCounts::default()
            })?;
            Ok(d)
        })?;
        out.dry_run = dry_run;
        Ok(out)
    }

    /// Restores a deleted incident from its history.
    pub fn undelete(&mut self, uid: &str) -> Result<Incident> {
        store::write(self.store.as_mut(), |w| sync::undelete(w, uid))
    }

    /// Imports polygons from a GeoJSON file as custom regions named by
    /// `name_field`, replacing those of the same name, and links the
    /// incidents inside them. Returns how many.
    pub fn import_regions(&mut self, file: &Input, name_field: &str) -> Result<usize> {
        let source = file.name();
        let f = file.open(stream::no_progress())?;
        let imported =
            Regions::read_geojson_regions(f, name_field).map_err(|e| e.in_file(&source))?;
        let n = imported.len();
        // The store links the incidents inside each region.
        store::write(self.store.as_mut(), |w| {
            for r in &imported {
                w.upsert_custom_region(r, &source)?;
            }
            Ok(())
        })?;
        // The cached regions no longer hold the new polygons.
        self.regions = OnceCell::new();
        self.names = OnceCell::new();
        Ok(n)
    }

    /// Ranked gazetteer candidates for a place name.
    pub fn geocode(&self, name: &str, country: Option<&str>, limit: usize) -> Result<Resolution> {
        let country = country.map(str::to_ascii_uppercase);
        Ok(locate::resolve(
            self.gazetteer()?,
            name,
            country.as_deref(),
            limit,
        ))
    }

    /// Adds (or updates, by name and position) one of the user's own places.
    pub fn add_place(&mut self, place: NewPlace) -> Result<()> {
        check_coordinates(place.latitude, place.longitude)?;
        if place.name.trim().is_empty() {
            return Err(Error::invalid("name", place.name, "a non-empty place name"));
        }
        let row = PlaceRow {
            id: 0,
            name: place.name,
            alt_names: place
                .alt_names
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .collect(),
            latitude: place.latitude,
            longitude: place.longitude,
            country: place.country.map(|c| c.to_ascii_uppercase()),
            feature_code: "PPL".into(),
            population: 0,
            geonameid: None,
        };
        store::write(self.store.as_mut(), |w| w.upsert_place(&row))
    }

    /// Imports places from a GeoNames dump (tab-separated); returns how many.
    pub fn import_places(&mut self, file: &Input) -> Result<usize> {
        let f = file.open(stream::no_progress())?;
        let places = Gazetteer::read_geonames(f).map_err(|e| e.in_file(&file.name()))?;
        let n = places.len();
        store::write(self.store.as_mut(), |w| {
            for p in places {
                w.upsert_place(&PlaceRow {
                    id: 0,
                    name: p.name,
                    alt_names: p.alt_names,
                    latitude: p.latitude,
                    longitude: p.longitude,
                    country: Some(p.country).filter(|c| !c.is_empty()),
                    feature_code: p.feature_code,
                    population: p.population,
                    geonameid: Some(p.id),
                })?;
            }
            Ok(())
        })?;
        Ok(n)
    }

    /// Drafts the incidents and tallies of a report (see [`extract`]),
    /// placed with the database's own places and regions too.
    pub fn extract(&self, report: &extract::Report) -> Result<extract::Drafts> {
        Ok(extract::extract(report, self.gazetteer()?, self.regions()?))
    }

    /// Stores drafts in one transaction: all or, on an error, none.
    /// Returns the uids of the incidents and of the tallies.
    pub fn add_drafts(&mut self, drafts: &extract::Drafts) -> Result<(Vec<String>, Vec<String>)> {
        let mut tallies = drafts.tallies.clone();
        for t in &mut tallies {
            t.normalize()?;
        }
        store::write(self.store.as_mut(), |w| {
            let incidents = drafts
                .incidents
                .iter()
                .map(|inc| w.insert_incident(inc))
                .collect::<Result<Vec<String>>>()?;
            let tallies = tallies
                .iter()
                .map(|t| w.upsert_tally(t).map(|(uid, _)| uid))
                .collect::<Result<Vec<String>>>()?;
            Ok((incidents, tallies))
        })
    }

    /// Records a reported figure; its region (name or code) is resolved to
    /// a code. Returns the tally's uid.
    pub fn add_tally(&mut self, mut tally: Tally, note: &mut dyn FnMut(&str)) -> Result<String> {
        if let Some(r) = &tally.region {
            let regions = self.region_names()?;
            tally.region_code = Some(locate::resolve_region(regions, r, note)?.code.clone());
        }
        tally.normalize()?;
        let (uid, _) = store::write(self.store.as_mut(), |w| w.upsert_tally(&tally))?;
        Ok(uid)
    }

    /// The tallies reported for a region (and its districts) that overlap
    /// `from..=to`, with a status `status` selects.
    pub fn tallies(
        &self,
        region: Option<&str>,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
        status: Status,
        note: &mut dyn FnMut(&str),
    ) -> Result<Vec<Tally>> {
        let codes = match region {
            Some(r) => {
                let regions = self.region_names()?;
                let region = locate::resolve_region(regions, r, note)?;
                Some(report_scope::region_codes(regions, region))
            }
            None => None,
        };
        self.store.tallies(codes.as_deref(), from, to, status)
    }

    /// Deletes a tally; its last values stay in its history.
    pub fn delete_tally(&mut self, uid: &str) -> Result<()> {
        store::write(self.store.as_mut(), |w| w.delete_tally(uid))
    }
}

/// One of the user's own places, as [`Database::add_place`] takes it.
#[derive(Debug, Clone)]
pub struct NewPlace {
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
    pub alt_names: Vec<String>,
    /// ISO 3166-1 alpha-2; found from the point when left out.
    pub country: Option<String>,
}
