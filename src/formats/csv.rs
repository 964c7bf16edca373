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
}
