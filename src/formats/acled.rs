//! ACLED CSV: the column names and meanings of ACLED's data exports.
//!
//! Dates: ACLED gives one `event_date` and a `time_precision` (1 the day,
//! 2 within that week, 3 within that month). Importing maps 1 to a day, 2 to
//! the ISO week containing the date, 3 to the calendar month. Exporting
//! writes day spans as 1; week spans as 2 with the week's Monday; month,
//! year and range spans as 3 with the first day of the start's month (ACLED
//! has no coarser precision: the full span is lost, so keep our own CSV or
//! GeoJSON when it matters). Geo precision: ACLED's 1-3 as they are; a
//! location known only to the country (our 4) is written as 3 with no
//! admin1, and a row at 3 without an admin1 reads back as 4. Unknown fatalities are exported as an empty
//! cell, never 0; ACLED itself writes 0 for "none reported", which imports
//! as 0.

use std::io::Write;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde_json::{Map, Value};

use crate::error::Result;
use crate::field::Field;
use crate::formats::fields::{Fields, RowError, Rows, csv_rows, invalid};
use crate::formats::{OutputFormat, RowWriter};
use crate::geo::countries;
use crate::model::{DatePrecision, DateSpan, GeoPrecision, Incident, Source};

/// ACLED's export columns, in ACLED's order.
pub const COLUMNS: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// ACLED's disorder type for an event type.
fn disorder_type(event_type: &str) -> &'static str {
    match event_type {
        "Battles" | "Explosions/Remote violence" | "Violence against civilians" => {
            "Political violence"
        }
        "Protests" | "Riots" => "Demonstrations",
        _ => "Strategic developments",
    }
}

/// The event date and time precision ACLED would give a span.
pub fn event_date(span: &DateSpan) -> (NaiveDate, u8) {
    match span.precision {
        DatePrecision::Day => (span.start, 1),
        DatePrecision::Week => (span.start.week(Weekday::Mon).first_day(), 2),
        _ => (span.start.with_day(1).unwrap_or(span.start), 3),
    }
}

fn unix_time(ts: &Option<String>) -> Option<i64> {
    let ts = ts.as_deref()?;
    chrono::DateTime::parse_from_rfc3339(ts)
        .ok()
        .map(|t| t.timestamp())
}

/// An incident as an ACLED row.
pub fn incident_row(inc: &Incident) -> Map<String, Value> {
    let (date, precision) = event_date(&inc.span);
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("event_id_cnty", inc.uid.clone().into());
    put("event_date", date.to_string().into());
    put("year", date.year().into());
    put("time_precision", precision.into());
    put("disorder_type", disorder_type(&inc.event_type).into());
    put("event_type", inc.event_type.clone().into());
    put("sub_event_type", inc.sub_event_type.clone().into());
    put("actor1", inc.actor1.clone().into());
    put("assoc_actor_1", inc.assoc_actors.clone().into());
    put("actor2", inc.actor2.clone().into());
    put(
        "civilian_targeting",
        (if inc.event_type == "Violence against civilians" {
            "Civilian targeting"
        } else {
            ""
        })
        .into(),
    );
    put("country", inc.country.clone().into());
    put("admin1", inc.admin1.clone().into());
    put("admin2", inc.admin2.clone().into());
    put("location", inc.place.clone().into());
    put(
        "latitude",
        inc.latitude
            .map(crate::formats::geojson::round_coordinate)
            .into(),
    );
    put(
        "longitude",
        inc.longitude
            .map(crate::formats::geojson::round_coordinate)
            .into(),
    );
    // ACLED's scale stops at 3; a location known only to the country is
    // written as 3 with no admin1, which is how `row` reads it back.
    put(
        "geo_precision",
        inc.geo_precision.map(|p| u8::from(p).min(3)).into(),
    );
    let publishers: Vec<&str> = inc.sources.iter().map(|s| s.publisher.as_str()).collect();
    put(
        "source",
        (!publishers.is_empty())
            .then(|| publishers.join("; "))
            .into(),
    );
    put("notes", inc.notes.clone().into());
    put("fatalities", inc.fatalities.best.into());
    put(
        "tags",
        (!inc.tags.is_empty()).then(|| inc.tags.join("; ")).into(),
    );
    put("timestamp", unix_time(&inc.updated_at).into());
    m
}

/// A row writer for ACLED CSV.
pub fn writer<W: Write>(out: W, raw: bool) -> RowWriter<W> {
    RowWriter::new(out, OutputFormat::Csv, COLUMNS, raw)
}

/// Parses ACLED's event_date: ISO (2025-06-17) or the older "17 June 2025".
fn parse_event_date(c: &impl Fields) -> std::result::Result<NaiveDate, RowError> {
    let s = c.required("event_date")?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&s, "%d %B %Y"))
        .or_else(|_| NaiveDate::parse_from_str(&s, "%d-%B-%Y"))
        .map_err(|_| {
            c.error(
                "event_date",
                format!("{s:?} is not a date (YYYY-MM-DD or 17 June 2025)"),
            )
        })
}

/// ACLED's columns and the fields they carry (see [`row`]); `timestamp`
/// becomes `updated_at`, which every change sets anyway.
const CARRIES: &[(&str, Field)] = &[
    ("event_type", Field::EventType),
    ("event_date", Field::Span),
    ("time_precision", Field::Span),
    ("sub_event_type", Field::SubEventType),
    ("actor1", Field::Actor1),
    ("actor2", Field::Actor2),
    ("assoc_actor_1", Field::AssocActors),
    ("assoc_actor_2", Field::AssocActors),
    ("location", Field::Place),
    ("latitude", Field::Coordinates),
    ("longitude", Field::Coordinates),
    ("admin1", Field::ReportedAdmin1),
    ("admin2", Field::ReportedAdmin2),
    ("country", Field::Country),
    ("iso", Field::Country),
    ("geo_precision", Field::GeoPrecision),
    ("notes", Field::Notes),
    ("fatalities", Field::Fatalities),
    ("tags", Field::Tags),
    ("source", Field::Sources),
];

fn row(c: &impl Fields) -> std::result::Result<Incident, RowError> {
    let date = parse_event_date(c)?;
    let span = match c.u32("time_precision")?.unwrap_or(1) {
        1 => DateSpan::day(date),
        2 => {
            let monday = date.week(Weekday::Mon).first_day();
            DateSpan::new(monday, monday + Duration::days(6), DatePrecision::Week)
        }
        3 => DateSpan::parse("event_date", &date.format("%Y-%m").to_string()),
        p => {
            return Err(c.error(
                "time_precision",
                format!("{p} is not 1 (day), 2 (week) or 3 (month)"),
            ));
        }
    }
    .map_err(|e| invalid(c.location(), e))?;
    let mut inc = Incident::new(&c.required("event_type")?, span);
    inc.uid = Some(c.required("event_id_cnty")?);
    inc.sub_event_type = c.text("sub_event_type")?;
    inc.actor1 = c.text("actor1")?;
    inc.actor2 = c.text("actor2")?;
    let assoc: Vec<String> = [c.text("assoc_actor_1")?, c.text("assoc_actor_2")?]
        .into_iter()
        .flatten()
        .collect();
    inc.assoc_actors = (!assoc.is_empty()).then(|| assoc.join("; "));
    inc.place = c.text("location")?;
    inc.latitude = c.f64("latitude")?;
    inc.longitude = c.f64("longitude")?;
    inc.reported_admin1 = c.text("admin1")?;
    // ACLED names the country and gives its numeric ISO code; either holds
    // region assignment in that country.
    inc.country = [c.text("country")?, c.text("iso")?]
        .into_iter()
        .flatten()
        .find_map(|s| countries::alpha2(&s));
    inc.geo_precision = match c.geo_precision("geo_precision")? {
        Some(GeoPrecision::Region) if inc.reported_admin1.is_none() => Some(GeoPrecision::Country),
        p => p,
    };
    inc.reported_admin2 = c.text("admin2")?;
    inc.notes = c.text("notes")?;
    inc.fatalities.best = c.u32("fatalities")?;
    inc.tags = c.list("tags")?;
    if let Some(s) = c.text("source")? {
        inc.sources.push(Source {
            publisher: s,
            ..Source::default()
        });
    }
    if let Some(ts) = c.text("timestamp")? {
        let secs: i64 = ts
            .parse()
            .map_err(|_| c.error("timestamp", format!("{ts:?} is not a Unix time")))?;
        inc.updated_at = chrono::DateTime::from_timestamp(secs, 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    }
    inc.normalize().map_err(|e| invalid(c.location(), e))?;
    Ok(inc)
}

/// Reads an ACLED CSV export.
pub fn read<'a, R: std::io::Read + 'a>(r: R, input: &str) -> Result<Rows<'a>> {
    csv_rows(
        r,
        input,
        &[
            "event_id_cnty",
            "event_date",
            "event_type",
            "latitude",
            "longitude",
        ],
        CARRIES,
        |c| row(c),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_mapping_is_stable() {
        let week = DateSpan::parse("d", "2025-W25").unwrap();
        assert_eq!(event_date(&week), ("2025-06-16".parse().unwrap(), 2));
        let range = DateSpan::from_flags("2024-12-08", Some("2025-07-15")).unwrap();
        assert_eq!(event_date(&range), ("2024-12-01".parse().unwrap(), 3));
    }

    #[test]
    fn reads_acled_rows() {
        let text = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities,timestamp\n\
SYR1,2025-06-17,2025,1,Battles,Armed clash,A,Dara'a,Daraa,32.62,36.10,1,SOHR,n,3,1750000000\n\
SYR2,17 June 2025,2025,2,Battles,Armed clash,A,Dara'a,Daraa,32.62,36.10,1,SOHR,n,0,\n\
SYR3,2025-06-31,2025,1,Battles,,A,,Daraa,32.62,36.10,1,,,,\n";
        let rows: Vec<_> = read(text.as_bytes(), "t.csv").unwrap().collect();
        let r0 = rows[0].as_ref().unwrap();
        assert_eq!(r0.incident.uid.as_deref(), Some("SYR1"));
        assert_eq!(r0.incident.fatalities.best, Some(3));
        assert_eq!(r0.incident.reported_admin1.as_deref(), Some("Dara'a"));
        let r1 = &rows[1].as_ref().unwrap().incident;
        assert_eq!(r1.span.precision, DatePrecision::Week);
        assert_eq!(r1.span.start.to_string(), "2025-06-16");
        let e = rows[2].as_ref().unwrap_err();
        assert_eq!(
            (e.location.as_str(), e.field.as_str()),
            ("line 4", "event_date")
        );
        assert!(
            read("event_date\n".as_bytes(), "t.csv")
                .err()
                .unwrap()
                .to_string()
                .contains("missing column")
        );
    }
}
