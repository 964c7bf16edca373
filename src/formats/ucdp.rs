//! UCDP Georeferenced Event Dataset (GED) CSV, as UCDP publishes it.
//!
//! The mapping (documented in README.md):
//! - `id` -> uid `UCDP-<id>`, so re-importing updates instead of duplicating.
//! - `date_start`/`date_end` are kept as the span, with the precision its
//!   dates say (`DatePrecision::of`: day, ISO week, calendar month or year,
//!   otherwise range). UCDP's `date_prec` (1 exact day,
//!   2 two to six days, 3 a week, 4 a month, 5 longer) is kept as a tag.
//! - `where_prec` -> geo_precision: 1 -> 1 (exact place); 2 (within 25 km)
//!   and 3 (a second-order unit) -> 2; 4 (a first-order unit) -> 3; 5 (a
//!   part of the country larger than a province) -> 3 when `adm_1` names a
//!   province, else 4; 6 (country) and 7 (international waters) -> 4. The
//!   precision decides the levels credited (see `GeoPrecision::finest_level`),
//!   so they survive every edit, export and re-import.
//! - `best`, `low`, `high` -> fatalities best/low/high as given (UCDP has
//!   rows with best outside low..high; they are kept and counted in the
//!   import summary); `deaths_civilians` -> civilian fatalities.
//! - `side_a`/`side_b` -> actor1/actor2; `type_of_violence` 1 (state-based)
//!   and 2 (non-state) -> Battles / Armed clash, 3 (one-sided) -> Violence
//!   against civilians / Attack; the UCDP code is kept as a tag.
//! - `adm_1`/`adm_2` -> reported_admin1/2 (kept beside the polygon's answer);
//!   `where_coordinates` -> place; `source_article` -> the source excerpt;
//!   conflict and dyad names go into notes.

use crate::error::Result;
use crate::field::Field;
use crate::formats::fields::{Fields, RowError, Rows, csv_rows, invalid};
use crate::geo::countries;
use crate::model::{DateSpan, GeoPrecision, Incident, Source};

/// UCDP's columns and the fields they carry (see the mapping above).
const CARRIES: &[(&str, Field)] = &[
    ("type_of_violence", Field::EventType),
    ("type_of_violence", Field::SubEventType),
    ("type_of_violence", Field::Tags),
    ("date_start", Field::Span),
    ("date_end", Field::Span),
    ("where_prec", Field::GeoPrecision),
    ("adm_1", Field::ReportedAdmin1),
    ("adm_2", Field::ReportedAdmin2),
    ("country", Field::Country),
    ("latitude", Field::Coordinates),
    ("longitude", Field::Coordinates),
    ("where_coordinates", Field::Place),
    ("best", Field::Fatalities),
    ("low", Field::FatalitiesLow),
    ("high", Field::FatalitiesHigh),
    ("deaths_civilians", Field::CivilianFatalities),
    ("side_a", Field::Actor1),
    ("side_b", Field::Actor2),
    ("conflict_name", Field::Notes),
    ("dyad_name", Field::Notes),
    ("where_description", Field::Notes),
    ("id", Field::Sources),
];

fn row(c: &impl Fields) -> std::result::Result<Incident, RowError> {
    let id = c.required("id")?;
    let start = c
        .date("date_start")?
        .ok_or_else(|| c.error("date_start", "is empty"))?;
    let end = c
        .date("date_end")?
        .ok_or_else(|| c.error("date_end", "is empty"))?;
    let span = DateSpan::infer(start, end).map_err(|e| invalid(c.location(), e))?;
    let violence = c.u32("type_of_violence")?;
    let (event_type, sub) = match violence {
        Some(1) | Some(2) => ("Battles", "Armed clash"),
        Some(3) => ("Violence against civilians", "Attack"),
        other => {
            return Err(c.error(
                "type_of_violence",
                format!("{other:?}: expected 1 (state-based), 2 (non-state) or 3 (one-sided)"),
            ));
        }
    };
    let mut inc = Incident::new(event_type, span);
    inc.uid = Some(format!("UCDP-{id}"));
    inc.sub_event_type = Some(sub.into());
    let where_prec = c.u32("where_prec")?;
    inc.reported_admin1 = c.text("adm_1")?;
    // The country UCDP codes the event in holds region assignment there.
    inc.country = c.text("country")?.and_then(|s| countries::alpha2(&s));
    inc.geo_precision = Some(match where_prec {
        Some(1) => GeoPrecision::Exact,
        Some(2) | Some(3) => GeoPrecision::Near,
        Some(4) => GeoPrecision::Region,
        // A part of the country larger than a province ("northern Syria",
        // a border between two): the province only when UCDP names one.
        Some(5) if inc.reported_admin1.is_some() => GeoPrecision::Region,
        Some(5) | Some(6) | Some(7) => GeoPrecision::Country,
        other => return Err(c.error("where_prec", format!("{other:?}: expected 1 to 7"))),
    });
    inc.latitude = c.f64("latitude")?;
    inc.longitude = c.f64("longitude")?;
    inc.place = c.text("where_coordinates")?;
    inc.reported_admin2 = c.text("adm_2")?;
    inc.fatalities.best = c.u32("best")?;
    inc.fatalities.low = c.u32("low")?;
    inc.fatalities.high = c.u32("high")?;
    inc.civilian_fatalities = c.u32("deaths_civilians")?;
    inc.actor1 = c.text("side_a")?;
    inc.actor2 = c.text("side_b")?;
    let notes: Vec<String> = [
        c.text("conflict_name")?
            .map(|s| format!("UCDP conflict: {s}")),
        c.text("dyad_name")?.map(|s| format!("dyad: {s}")),
        c.text("where_description")?.map(|s| format!("where: {s}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    inc.notes = (!notes.is_empty()).then(|| notes.join("; "));
    inc.tags = vec![format!("ucdp:type_of_violence={}", violence.unwrap_or(0))];
    if let Some(p) = c.u32("date_prec")? {
        inc.tags.push(format!("ucdp:date_prec={p}"));
    }
    if let Some(p) = where_prec {
        inc.tags.push(format!("ucdp:where_prec={p}"));
    }
    inc.sources.push(Source {
        publisher: "UCDP GED".into(),
        title: Some(format!("UCDP GED event {id}")),
        url: None,
        published: None,
        excerpt: c.text("source_article")?,
    });
    inc.normalize().map_err(|e| invalid(c.location(), e))?;
    Ok(inc)
}

/// Reads a UCDP GED CSV file.
pub fn read<'a, R: std::io::Read + Send + 'a>(r: R, input: &str) -> Result<Rows<'a>> {
    csv_rows(
        r,
        input,
        &[
            "id",
            "date_start",
            "date_end",
            "where_prec",
            "latitude",
            "longitude",
            "best",
            "type_of_violence",
        ],
        CARRIES,
        |c| row(c),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ged_rows_faithfully() {
        let text = "id,type_of_violence,side_a,side_b,where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,date_prec,date_start,date_end,deaths_civilians,best,high,low,source_article\n\
1,1,Government of Syria,Syrian insurgents,1,Teir Maaleh village,Homs Governorate,Ar Rastan district,34.802462,36.707602,1,2016-01-01,2016-01-01,0,4,4,4,\"\"\"SOHR,2015\"\"\"\n\
2,3,IS,Civilians,6,Syria,,,35.0,38.5,4,2016-03-01,2016-03-31,5,5,9,3,x\n\
3,1,A,B,1,X,,,34,36,1,2016-01-01,2016-01-01,0,142,177,177,x\n\
4,9,A,B,1,X,,,34,36,1,2016-01-01,2016-01-01,0,1,1,1,x\n";
        let rows: Vec<_> = read(text.as_bytes(), "ged.csv").unwrap().collect();
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.incident.uid.as_deref(), Some("UCDP-1"));
        assert_eq!(a.incident.event_type, "Battles");
        assert_eq!(
            a.incident.reported_admin1.as_deref(),
            Some("Homs Governorate")
        );
        assert_eq!(a.incident.civilian_fatalities, Some(0));
        let b = rows[1].as_ref().unwrap();
        assert_eq!(b.incident.geo_precision, Some(GeoPrecision::Country));
        assert_eq!(
            b.incident.span.precision,
            crate::model::DatePrecision::Month
        );
        assert_eq!(
            (b.incident.fatalities.low, b.incident.fatalities.high),
            (Some(3), Some(9))
        );
        let quirk = &rows[2].as_ref().unwrap().incident;
        assert!(quirk.fatalities.inconsistent());
        let e = rows[3].as_ref().unwrap_err();
        assert_eq!(
            (e.location.as_str(), e.field.as_str()),
            ("line 5", "type_of_violence")
        );
    }
}
