//! Our own CSV columns for incidents (used by `list --format csv` and
//! `export --format csv`).

use serde_json::{Map, Value};

use crate::error::Result;
use crate::field::NATIVE_COLUMNS;
use crate::formats::fields::{Fields, RowError, Rows, csv_rows, invalid};
use crate::formats::tags;
use crate::model::{DatePrecision, DateSpan, Incident};

/// The native CSV columns, in order. Documented in README.md.
pub const COLUMNS: &[&str] = &[
    "uid",
    "title",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "latitude",
    "longitude",
    "geo_precision",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "admin2_code",
    "reported_admin1",
    "reported_admin2",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "civilian_fatalities",
    "actor1",
    "actor2",
    "assoc_actors",
    "notes",
    "tags",
    "sources",
    "status",
    "created_at",
    "updated_at",
];

/// What a native column holds, for the formats whose columns have types
/// (GeoPackage, xlsx); the CSV itself writes every value as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    /// A whole number (fatalities, geo precision).
    Integer,
    /// A decimal number (coordinates).
    Real,
    /// A calendar day, YYYY-MM-DD.
    Date,
    /// A UTC time, YYYY-MM-DDTHH:MM:SSZ (when the record was written).
    Timestamp,
}

/// The kind of a column of [`COLUMNS`].
pub fn column_kind(column: &str) -> ColumnKind {
    match column {
        "latitude" | "longitude" => ColumnKind::Real,
        "geo_precision"
        | "fatalities"
        | "fatalities_low"
        | "fatalities_high"
        | "civilian_fatalities" => ColumnKind::Integer,
        "date_start" | "date_end" => ColumnKind::Date,
        "created_at" | "updated_at" => ColumnKind::Timestamp,
        _ => ColumnKind::Text,
    }
}

/// An incident as a flat row for the native CSV: tags in one cell (see
/// `formats::tags`), sources as a JSON array so that nothing is lost.
pub fn incident_row(inc: &Incident) -> Result<Map<String, Value>> {
    let Value::Object(mut map) = serde_json::to_value(inc)? else {
        unreachable!("an Incident always serialises to an object")
    };
    map.insert("tags".into(), Value::String(tags::join(&inc.tags, ";")));
    let sources = if inc.sources.is_empty() {
        Value::Null
    } else {
        Value::String(serde_json::to_string(&inc.sources)?)
    };
    map.insert("sources".into(), sources);
    Ok(map)
}

/// Reads our own CSV (the columns of [`COLUMNS`]; `event_type`,
/// `date_start` and `date_end` are required, the rest optional). `status`
/// is not read: an import writes reviewed incidents (a dataset's decision).
pub fn read<'a, R: std::io::Read + Send + 'a>(r: R, input: &str) -> Result<Rows<'a>> {
    csv_rows(
        r,
        input,
        &["event_type", "date_start", "date_end"],
        NATIVE_COLUMNS,
        |c| row(c),
    )
}

/// An incident from the native columns of any row (CSV record or GeoJSON properties).
pub fn row(c: &impl Fields) -> std::result::Result<Incident, RowError> {
    let start = c
        .date("date_start")?
        .ok_or_else(|| c.error("date_start", "is empty"))?;
    let end = c
        .date("date_end")?
        .ok_or_else(|| c.error("date_end", "is empty"))?;
    // A stated precision must fit the dates; without one, the dates say it.
    let span = match c.text("date_precision")? {
        Some(p) => DatePrecision::parse(&p).and_then(|p| DateSpan::new(start, end, p)),
        None => DateSpan::infer(start, end),
    }
    .map_err(|e| invalid(c.location(), e))?;
    let mut inc = Incident::new(&c.required("event_type")?, span);
    inc.uid = c.text("uid")?;
    inc.title = c.text("title")?;
    inc.sub_event_type = c.text("sub_event_type")?;
    inc.place = c.text("place")?;
    inc.latitude = c.f64("latitude")?;
    inc.longitude = c.f64("longitude")?;
    inc.geo_precision = c.geo_precision("geo_precision")?;
    inc.country = c.text("country")?;
    inc.reported_admin1 = c.text("reported_admin1")?;
    inc.reported_admin2 = c.text("reported_admin2")?;
    inc.fatalities.best = c.u32("fatalities")?;
    inc.fatalities.low = c.u32("fatalities_low")?;
    inc.fatalities.high = c.u32("fatalities_high")?;
    inc.civilian_fatalities = c.u32("civilian_fatalities")?;
    inc.actor1 = c.text("actor1")?;
    inc.actor2 = c.text("actor2")?;
    inc.assoc_actors = c.text("assoc_actors")?;
    inc.notes = c.text("notes")?;
    inc.tags = c.tags("tags")?;
    if let Some(s) = c.text("sources")? {
        inc.sources = serde_json::from_str(&s)
            .map_err(|e| c.error("sources", format!("expected a JSON array of sources: {e}")))?;
    }
    inc.created_at = c.text("created_at")?;
    inc.updated_at = c.text("updated_at")?;
    inc.normalize().map_err(|e| invalid(c.location(), e))?;
    Ok(inc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;

    #[test]
    fn row_has_every_column() {
        let inc = Incident::new("Battles", DateSpan::parse("d", "2025-06").unwrap());
        let row = incident_row(&inc).unwrap();
        for c in COLUMNS {
            assert!(row.contains_key(*c), "{c}");
        }
    }

    #[test]
    fn typed_columns_are_columns_and_hold_their_kind() {
        let mut inc = Incident::new("Battles", DateSpan::parse("d", "2025-06-17").unwrap());
        inc.latitude = Some(32.6);
        inc.longitude = Some(36.1);
        inc.geo_precision = Some(crate::model::GeoPrecision::Exact);
        inc.fatalities.best = Some(3);
        inc.fatalities.low = Some(2);
        inc.fatalities.high = Some(4);
        inc.civilian_fatalities = Some(1);
        inc.created_at = Some("2025-06-18T09:30:00Z".into());
        inc.updated_at = inc.created_at.clone();
        let row = incident_row(&inc).unwrap();
        for c in COLUMNS {
            let v = &row[*c];
            let fits = match column_kind(c) {
                ColumnKind::Integer => v.is_u64(),
                ColumnKind::Real => v.is_f64(),
                ColumnKind::Date => v.as_str().is_some_and(|s| s.len() == 10),
                ColumnKind::Timestamp => v.as_str().is_some_and(|s| s.ends_with('Z')),
                ColumnKind::Text => !v.is_number(),
            };
            assert!(fits, "{c}: {v}");
        }
    }
}
