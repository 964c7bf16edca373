//! ACLED CSV: the column names and meanings of ACLED's data exports, as
//! its codebook defines them.
//!
//! Dates: ACLED gives one `event_date` and a `time_precision`: 1 the day;
//! 2 a week or a few days, dated the middle day; 3 a month, dated its
//! middle (the 15th). Importing maps 1 to that day, 2 to the seven days
//! centred on the date (every span of up to a week whose middle day it is
//! lies inside them; an ISO week when the date is a Thursday) and 3 to the
//! calendar month. Exporting writes one day as 1; two to seven days as 2
//! with the middle day (the earlier of two); longer spans as 3 with the 15th
//! of the month of the middle day. ACLED has nothing coarser, so a span
//! longer than a month, or across months, is lost (keep our own CSV or
//! GeoJSON when it matters); a week or a month comes back as it was.
//!
//! Countries: `country` is the name ("Syria"), `iso` the ISO 3166-1 numeric
//! code (760); the reader takes a name, alpha-2, alpha-3 or numeric code from
//! either. Geo precision: ACLED's 1-3 as they are; a location known only to
//! the country (our 4) is written as 3 with no admin1, and a row at 3
//! without an admin1 reads back as 4.
//!
//! Fatalities: ACLED always writes a number, 0 when none are reported. An
//! unknown toll is exported as 0 with the tag [`FATALITIES_UNKNOWN`], which
//! our reader turns back into unknown; other readers see 0.

use std::io::Write;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Map, Value};

use crate::error::Result;
use crate::field::Field;
use crate::formats::fields::{Fields, RowError, Rows, csv_rows, invalid};
use crate::formats::{OutputFormat, RowWriter, tags};
use crate::geo::countries;
use crate::model::{DateSpan, GeoPrecision, Incident, Source};

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

/// The tag that marks a row whose fatalities are unknown: ACLED's column
/// must hold a number, so the row says 0 and carries this tag.
pub const FATALITIES_UNKNOWN: &str = "incidents:fatalities=unknown";

/// The event date and time precision ACLED's codebook gives a span (see the
/// module documentation).
pub fn event_date(span: &DateSpan) -> (NaiveDate, u8) {
    let days = (span.end - span.start).num_days();
    let middle = span.start + Duration::days(days / 2);
    match days {
        0 => (span.start, 1),
        1..=6 => (middle, 2),
        // Every month has a 15th.
        _ => (middle.with_day(15).unwrap_or(middle), 3),
    }
}

/// The span an ACLED date and time precision stand for.
fn span_of(date: NaiveDate, precision: u32) -> Option<crate::Result<DateSpan>> {
    Some(match precision {
        1 => DateSpan::day(date),
        // `day` refuses a date outside the accepted years first, so three
        // days either side of it cannot overflow.
        2 => DateSpan::day(date)
            .and_then(|_| DateSpan::infer(date - Duration::days(3), date + Duration::days(3))),
        3 => DateSpan::parse("event_date", &date.format("%Y-%m").to_string()),
        _ => return None,
    })
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
    // The name and numeric code ACLED writes; a code with neither (Natural
    // Earth's, for a territory without an ISO code) is written as it is.
    put(
        "iso",
        inc.country.as_deref().and_then(countries::numeric).into(),
    );
    put(
        "country",
        inc.country
            .as_deref()
            .map(|c| countries::name(c).unwrap_or(c))
            .into(),
    );
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
    put("fatalities", inc.fatalities.best.unwrap_or(0).into());
    let mut tags = inc.tags.clone();
    if inc.fatalities.best.is_none() {
        tags.push(FATALITIES_UNKNOWN.into());
    }
    put(
        "tags",
        (!tags.is_empty()).then(|| tags::join(&tags, "; ")).into(),
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
    let precision = c.u32("time_precision")?.unwrap_or(1);
    let span = span_of(date, precision)
        .ok_or_else(|| {
            c.error(
                "time_precision",
                format!("{precision} is not 1 (day), 2 (week) or 3 (month)"),
            )
        })?
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
    inc.tags = c.tags("tags")?;
    let before = inc.tags.len();
    inc.tags.retain(|t| t != FATALITIES_UNKNOWN);
    if inc.tags.len() < before && inc.fatalities.best == Some(0) {
        inc.fatalities.best = None;
    }
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
pub fn read<'a, R: std::io::Read + Send + 'a>(r: R, input: &str) -> Result<Rows<'a>> {
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

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn spans_get_the_codebook_date_and_precision() {
        for (span, want) in [
            (
                DateSpan::parse("d", "2025-06-17").unwrap(),
                ("2025-06-17", 1),
            ),
            (DateSpan::parse("d", "2025-W25").unwrap(), ("2025-06-19", 2)),
            (
                DateSpan::infer(d("2025-06-17"), d("2025-06-18")).unwrap(),
                ("2025-06-17", 2),
            ),
            (
                DateSpan::infer(d("2025-06-17"), d("2025-06-20")).unwrap(),
                ("2025-06-18", 2),
            ),
            (
                DateSpan::infer(d("2025-06-17"), d("2025-06-23")).unwrap(),
                ("2025-06-20", 2),
            ),
            (
                DateSpan::infer(d("2025-06-17"), d("2025-06-24")).unwrap(),
                ("2025-06-15", 3),
            ),
            (DateSpan::parse("d", "2025-02").unwrap(), ("2025-02-15", 3)),
            (
                DateSpan::from_flags("2024-12-08", Some("2025-07-15")).unwrap(),
                ("2025-03-15", 3),
            ),
        ] {
            assert_eq!(event_date(&span), (d(want.0), want.1), "{span:?}");
            // What ACLED's date stands for holds the span, and writes the same date.
            let (date, precision) = event_date(&span);
            let read = span_of(date, u32::from(precision)).unwrap().unwrap();
            assert_eq!(event_date(&read), (date, precision), "{span:?}");
            if span.end - span.start <= Duration::days(30) && span.start.month() == span.end.month()
            {
                assert!(span.within(read.start, read.end), "{span:?} in {read:?}");
            }
        }
        assert!(span_of(NaiveDate::MAX, 2).unwrap().is_err(), "no overflow");
        let thursday = span_of(d("2025-06-19"), 2).unwrap().unwrap();
        assert_eq!(thursday, DateSpan::parse("d", "2025-W25").unwrap());
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
        assert_eq!(
            (r1.span.start, r1.span.end, r1.span.precision),
            (
                d("2025-06-14"),
                d("2025-06-20"),
                crate::model::DatePrecision::Range
            )
        );
        assert_eq!(r1.fatalities.best, Some(0), "ACLED's 0 stays 0");
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

    #[test]
    fn countries_by_name_or_code_and_unknown_fatalities() {
        let text = "event_id_cnty,event_date,event_type,country,iso,latitude,longitude,fatalities,tags\n\
A,2025-06-17,Battles,Syria,,32.62,36.10,0,\n\
B,2025-06-17,Battles,,760,32.62,36.10,0,incidents:fatalities=unknown\n\
C,2025-06-17,Battles,SY,760,32.62,36.10,4,a\\;b; incidents:fatalities=unknown\n\
D,2025-06-17,Battles,Narnia,368,33.3,44.4,,\n";
        let rows: Vec<Incident> = read(text.as_bytes(), "t.csv")
            .unwrap()
            .map(|r| r.unwrap().incident)
            .collect();
        let got: Vec<_> = rows
            .iter()
            .map(|i| (i.country.as_deref(), i.fatalities.best, i.tags.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("SY"), Some(0), vec![]),
                (Some("SY"), None, vec![]),
                (Some("SY"), Some(4), vec!["a;b".to_string()]),
                (Some("IQ"), None, vec![]),
            ]
        );
    }

    #[test]
    fn rows_say_country_name_and_numeric_code_and_mark_unknown_tolls() {
        let mut inc = Incident::new("Battles", DateSpan::parse("d", "2025-06-17").unwrap());
        inc.country = Some("SY".into());
        inc.tags = vec!["a;b".into()];
        let row = incident_row(&inc);
        assert_eq!(row["country"], "Syria");
        assert_eq!(row["iso"], 760);
        assert_eq!(row["fatalities"], 0);
        assert_eq!(row["tags"], "a\\;b; incidents:fatalities=unknown");
        inc.fatalities.best = Some(2);
        inc.tags.clear();
        let row = incident_row(&inc);
        assert_eq!(
            (&row["fatalities"], &row["tags"]),
            (&Value::from(2), &Value::Null)
        );
    }
}
