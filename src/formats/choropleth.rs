//! Report results as GeoJSON region polygons with the aggregates as
//! properties, ready for a choropleth in QGIS or kepler.gl.

use std::io::Write;

use geojson::{Feature, FeatureCollection, Geometry, feature::Id};
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::geo::{Region, Regions};
use crate::group::Dim;
use crate::report::{AGGREGATE_COLUMNS, Report, no_incidents};

fn feature(region: &Region, mut properties: Map<String, Value>) -> Feature {
    properties.insert("code".into(), Value::from(region.code.clone()));
    properties.insert("name".into(), Value::from(region.name.clone()));
    properties.insert("country".into(), Value::from(region.country.clone()));
    Feature {
        bbox: None,
        geometry: Some(Geometry::from(&region.geometry)),
        id: Some(Id::String(region.code.clone())),
        properties: Some(properties),
        foreign_members: None,
    }
}

fn write<W: Write>(
    out: &mut W,
    features: Vec<Feature>,
    foreign_members: Option<Map<String, Value>>,
) -> Result<()> {
    let fc = FeatureCollection {
        bbox: None,
        features,
        foreign_members,
    };
    serde_json::to_writer(&mut *out, &fc)?;
    out.write_all(b"\n").map_err(|e| Error::io("<output>", e))?;
    out.flush().map_err(|e| Error::io("<output>", e))
}

/// Grouped rows (from `report::grouped`) as one feature per row, placed on
/// the polygon of the row's admin1 or admin2 key.
pub fn write_grouped<W: Write>(
    out: &mut W,
    regions: &Regions,
    dims: &[Dim],
    rows: &[Map<String, Value>],
) -> Result<()> {
    let key = dims
        .iter()
        .find(|d| matches!(d, Dim::Admin2 | Dim::Admin1))
        .ok_or_else(|| {
            Error::invalid(
                "group-by",
                "(no region dimension)",
                "admin1 or admin2 among the dimensions for --format geojson",
            )
        })?
        .name();
    let features = rows
        .iter()
        .filter_map(|row| {
            let code = row.get(key)?.as_str()?;
            regions.get(code).map(|r| feature(r, row.clone()))
        })
        .collect();
    write(out, features, None)
}

/// A one-period report as the polygons of the units inside its region (all
/// of them, those without incidents too, so the map has no holes), each
/// with the [`AGGREGATE_COLUMNS`] of its grouped row; the collection's
/// `awaiting_review` member counts the drafts in its scope.
pub fn write_report<W: Write>(
    out: &mut W,
    regions: &Regions,
    report: &Report,
    dim: Dim,
    parent: Option<&str>,
    rows: &[Map<String, Value>],
) -> Result<()> {
    let key = dim.name();
    let units: Vec<&Region> = match (parent, &report.region.level[..], &report.region.code) {
        (Some(p), _, _) => regions
            .list(None)
            .into_iter()
            .filter(|r| r.parent.as_deref() == Some(p))
            .collect(),
        (None, "country", Some(cc)) => regions
            .list(Some(cc))
            .into_iter()
            .filter(|r| r.level == crate::geo::Level::Admin1)
            .collect(),
        (None, _, Some(code)) if report.region.level != "all" => {
            regions.get(code).into_iter().collect()
        }
        _ => rows
            .iter()
            .filter_map(|row| {
                row.get(key)
                    .and_then(Value::as_str)
                    .and_then(|c| regions.get(c))
            })
            .collect(),
    };
    let empty = no_incidents();
    let features = units
        .into_iter()
        .map(|r| {
            let found = rows
                .iter()
                .find(|row| row.get(key).and_then(Value::as_str) == Some(&r.code));
            let figures = found.unwrap_or(&empty);
            let mut p = Map::new();
            p.insert("level".into(), Value::from(key));
            p.insert(
                "period_start".into(),
                Value::from(report.period.start.to_string()),
            );
            p.insert(
                "period_end".into(),
                Value::from(report.period.end.to_string()),
            );
            for k in AGGREGATE_COLUMNS {
                p.insert(k.into(), figures.get(k).cloned().unwrap_or(Value::Null));
            }
            feature(r, p)
        })
        .collect();
    // The drafts in the report's scope, said beside the map (never counted).
    let mut members = Map::new();
    members.insert(
        "awaiting_review".into(),
        serde_json::to_value(report.awaiting_review)?,
    );
    write(out, features, Some(members))
}

/// A map's units (see [`crate::map::build`]) as polygons with the value
/// shaded and the fill `incidents map` gives it, for a web map: the same
/// classes and colours, computed here so that no client repeats the rule.
/// The collection carries the legend, the measure and the counting note.
pub fn write_map<W: Write>(out: &mut W, m: &crate::map::MapData) -> Result<()> {
    use super::palette::{Classes, EMPTY};
    let values: Vec<u64> = m.units.iter().map(|u| m.measure.of(&u.figures)).collect();
    let classes = Classes::of(&values);
    let features = m
        .units
        .iter()
        .zip(&values)
        .map(|(u, value)| {
            let mut p = Map::new();
            p.insert("level".into(), Value::from(m.level.name()));
            p.insert("value".into(), Value::from(*value));
            p.insert("incidents".into(), Value::from(u.figures.incidents));
            p.insert("fatalities".into(), Value::from(u.figures.fatalities));
            p.insert("fill".into(), Value::from(classes.fill(*value)));
            feature(u.region, p)
        })
        .collect();
    let legend: Vec<Value> = classes
        .bounds
        .iter()
        .enumerate()
        .map(|(i, (lo, hi))| {
            serde_json::json!({"from": lo, "to": hi, "label": classes.label(i), "fill": classes.colour(i)})
        })
        .collect();
    let mut members = Map::new();
    members.insert("measure".into(), Value::from(m.measure.name()));
    members.insert("empty".into(), Value::from(EMPTY));
    members.insert("legend".into(), Value::from(legend));
    members.insert("incidents".into(), Value::from(m.incidents));
    members.insert("outside_units".into(), Value::from(m.outside_units));
    members.insert("overlapping".into(), Value::from(m.overlapping));
    members.insert("awaiting_review".into(), Value::from(m.awaiting_review));
    members.insert(
        "footnote".into(),
        Value::from(crate::formats::map::counting_note(m.overlapping)),
    );
    write(out, features, Some(members))
}

/// Region outlines simplified to `tolerance` degrees, as a base layer.
pub fn write_outlines<'r, W: Write>(
    out: &mut W,
    regions: impl IntoIterator<Item = &'r Region>,
    tolerance: f64,
) -> Result<()> {
    use geo::Simplify;
    let features = regions
        .into_iter()
        .map(|r| {
            let mut f = feature(r, Map::new());
            f.geometry = Some(Geometry::from(&r.geometry.simplify(tolerance)));
            f
        })
        .collect();
    write(out, features, None)
}
