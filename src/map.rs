//! What a map of a report shows: the units of its region shaded by a
//! measure counted by the report's rule, the incidents drawn where they
//! happened, and what cannot be drawn. The queries are here; the drawing is
//! `formats::map`, which runs none.

use geo::{BoundingRect, Intersects, Rect};

use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::geo::{Level, Region, Regions};
use crate::group::Dim;
use crate::report::{self, FatalityTotals, Period, RegionSummary};
use crate::store::{Aggregate, MapPoint, Store};

/// What a map shades and a chart stacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Measure {
    Incidents,
    Fatalities,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Incidents => "incidents",
            Measure::Fatalities => "fatalities",
        }
    }

    /// A group's figure: its incidents, or the sum of their best estimates
    /// (the incidents without one add nothing; the legend says how many).
    pub fn of(self, a: &Aggregate) -> u64 {
        match self {
            Measure::Incidents => a.incidents,
            Measure::Fatalities => a.fatalities,
        }
    }
}

/// A unit of the map and the incidents counted in it.
#[derive(Debug, Clone)]
pub struct Unit<'a> {
    pub region: &'a Region,
    pub figures: Aggregate,
}

/// Everything a map draws.
#[derive(Debug, Clone)]
pub struct MapData<'a> {
    pub region: RegionSummary,
    pub period: Period,
    pub measure: Measure,
    /// The level of the units: admin1 or admin2.
    pub level: Dim,
    pub units: Vec<Unit<'a>>,
    /// A custom region drawn over its units.
    pub outline: Option<&'a Region>,
    /// Every region, for context around the units.
    pub regions: &'a Regions,
    pub points: Vec<MapPoint>,
    /// True when nearby incidents share a mark (too many to draw each).
    pub merged: bool,
    /// The incidents counted (whole span inside the period).
    pub incidents: u64,
    pub fatalities: FatalityTotals,
    /// Counted incidents without a point to draw (known only to the
    /// province or country, or without coordinates).
    pub not_drawn: u64,
    /// Counted incidents in no unit shown (district unknown).
    pub outside_units: u64,
    /// Incidents whose span only overlaps the period: not counted.
    pub overlapping: u64,
    /// Drafts in scope: not counted.
    pub awaiting_review: u64,
    /// The publishers of the counted incidents' sources, most first.
    pub publishers: Vec<String>,
}

/// Above this many incidents, nearby ones of a type share a mark.
const POINTS_DRAWN_SINGLY: u64 = 20_000;

/// Marks merged on a grid this many times finer than the units' extent:
/// about two pixels of a default-size map.
const GRID_CELLS: f64 = 400.0;

/// The level a report's map is drawn at and the units shown: the districts
/// of a governorate that has them, a district itself, the governorates of
/// a country, the units a custom region touches, or for everything the
/// governorates of the countries with incidents. `by` asks for a level.
pub fn units<'a>(
    regions: &'a Regions,
    region: &RegionSummary,
    by: Option<Dim>,
    row_codes: &[&str],
) -> (Dim, Vec<&'a Region>) {
    let has_districts = |code: &str| {
        regions
            .list(None)
            .iter()
            .any(|r| r.parent.as_deref() == Some(code))
    };
    let of_level = |country: Option<&str>, level: Level| -> Vec<&'a Region> {
        regions
            .list(country)
            .into_iter()
            .filter(|r| r.level == level)
            .collect()
    };
    let own = region.code.as_deref().and_then(|c| regions.get(c));
    match (region.level.as_str(), own) {
        ("admin1", Some(r)) if by != Some(Dim::Admin1) && has_districts(&r.code) => (
            Dim::Admin2,
            regions
                .list(Some(&r.country))
                .into_iter()
                .filter(|d| d.parent.as_deref() == Some(r.code.as_str()))
                .collect(),
        ),
        ("admin2", Some(r)) if by != Some(Dim::Admin1) => (Dim::Admin2, vec![r]),
        ("admin1" | "admin2", Some(r)) => {
            let parent = r
                .parent
                .as_deref()
                .and_then(|p| regions.get(p))
                .unwrap_or(r);
            (Dim::Admin1, vec![parent])
        }
        ("custom", Some(custom)) => {
            let country = (!custom.country.is_empty()).then_some(custom.country.as_str());
            let level = if by == Some(Dim::Admin1) {
                Level::Admin1
            } else {
                Level::Admin2
            };
            let touching = |level| -> Vec<&'a Region> {
                of_level(country, level)
                    .into_iter()
                    .filter(|u| u.geometry.intersects(&custom.geometry))
                    .collect()
            };
            match touching(level) {
                found if !found.is_empty() => (dim_of(level), found),
                _ => (Dim::Admin1, touching(Level::Admin1)),
            }
        }
        ("country", _) => {
            let cc = region.code.as_deref();
            match (by, of_level(cc, Level::Admin2)) {
                (Some(Dim::Admin2), districts) if !districts.is_empty() => (Dim::Admin2, districts),
                _ => (Dim::Admin1, of_level(cc, Level::Admin1)),
            }
        }
        _ => {
            let level = by.unwrap_or(Dim::Admin1);
            let mut countries: Vec<&str> = row_codes
                .iter()
                .filter_map(|c| regions.get(c))
                .map(|r| r.country.as_str())
                .collect();
            countries.sort_unstable();
            countries.dedup();
            let units = countries
                .into_iter()
                .flat_map(|c| of_level(Some(c), level_of(level)))
                .collect();
            (level, units)
        }
    }
}

fn dim_of(level: Level) -> Dim {
    match level {
        Level::Admin2 => Dim::Admin2,
        _ => Dim::Admin1,
    }
}

fn level_of(dim: Dim) -> Level {
    match dim {
        Dim::Admin2 => Level::Admin2,
        _ => Level::Admin1,
    }
}

/// The bounding box of some regions' shapes.
pub fn extent<'r>(regions: impl IntoIterator<Item = &'r Region>) -> Option<Rect<f64>> {
    regions
        .into_iter()
        .filter_map(|r| r.geometry.bounding_rect())
        .reduce(|a, b| {
            Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        })
}

/// The sum of groups that partition the incidents (a region level).
fn total(rows: &[Aggregate]) -> Aggregate {
    rows.iter().fold(Aggregate::default(), |mut t, r| {
        t.incidents += r.incidents;
        t.fatalities += r.fatalities;
        t.fatalities_low += r.fatalities_low;
        t.fatalities_high += r.fatalities_high;
        t.fatalities_known += r.fatalities_known;
        t.civilian_fatalities += r.civilian_fatalities;
        t.civilian_known += r.civilian_known;
        t
    })
}

/// Builds a map of the incidents `filter` selects whose whole span lies in
/// `period`, by the report's rules (reviewed incidents only; `overlapping`
/// refused).
pub fn build<'a>(
    store: &dyn Store,
    regions: &'a Regions,
    filter: &Filter,
    region: RegionSummary,
    period: Period,
    by: Option<Dim>,
    measure: Measure,
) -> Result<MapData<'a>> {
    if let Some(d) = by.filter(|d| !matches!(d, Dim::Admin1 | Dim::Admin2)) {
        return Err(Error::invalid("by", d.name(), "admin1 or admin2"));
    }
    report::check_counting_rule(filter)?;
    let within = Filter {
        from: Some(period.start),
        to: Some(period.end),
        limit: None,
        ..filter.clone()
    };
    let rows_by = |d: Dim| store.aggregate(&within, &[d]);
    // The level decides the rows, and for everything the rows decide the
    // units: ask by admin1 first when the level depends on them.
    let probe = if region.level == "all" {
        rows_by(by.unwrap_or(Dim::Admin1))?
    } else {
        Vec::new()
    };
    let probe_codes: Vec<&str> = probe.iter().filter_map(|r| r.keys[0].as_deref()).collect();
    let (level, shown) = units(regions, &region, by, &probe_codes);
    let rows = if region.level == "all" && level == by.unwrap_or(Dim::Admin1) {
        probe
    } else {
        rows_by(level)?
    };
    let counted = total(&rows);
    let mut outside_units = counted.incidents;
    let units: Vec<Unit<'a>> = shown
        .into_iter()
        .map(|r| {
            let figures = rows
                .iter()
                .find(|row| row.keys[0].as_deref() == Some(r.code.as_str()))
                .cloned()
                .unwrap_or_default();
            outside_units -= figures.incidents.min(outside_units);
            Unit { region: r, figures }
        })
        .collect();

    let touching = Filter {
        overlapping: true,
        ..within.clone()
    };
    let touching = store
        .aggregate(&touching, &[])?
        .first()
        .map_or(0, |a| a.incidents);

    let cell = (counted.incidents > POINTS_DRAWN_SINGLY)
        .then(|| extent(units.iter().map(|u| u.region)))
        .flatten()
        .map(|r| (r.width().max(r.height()) / GRID_CELLS).max(1e-6));
    let points = store.map_points(&within, cell)?;
    let drawn: u64 = points.iter().map(|p| p.incidents).sum();
    let outline = region
        .code
        .as_deref()
        .and_then(|c| regions.get(c))
        .filter(|r| r.level == Level::Custom);
    Ok(MapData {
        measure,
        level,
        units,
        outline,
        regions,
        merged: cell.is_some(),
        not_drawn: counted.incidents.saturating_sub(drawn),
        points,
        incidents: counted.incidents,
        fatalities: FatalityTotals::from(&counted),
        outside_units,
        overlapping: touching.saturating_sub(counted.incidents),
        awaiting_review: report::drafts(store, &within)?,
        publishers: store.publishers(&within, 5)?,
        region,
        period,
    })
}
