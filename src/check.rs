//! `incidents check`: the database's integrity and the project's own
//! invariants, so that a damaged or hand-edited database is noticed.

use chrono::{Datelike, Duration, Weekday};
use serde::Serialize;

use crate::error::Result;
use crate::filter::Filter;
use crate::geo::Regions;
use crate::model::{
    DatePrecision, Incident, canonical_event_type, canonical_sub_event_type, check_coordinates,
};
use crate::store::Store;

/// One broken invariant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub uid: Option<String>,
    pub problem: String,
}

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub incidents_checked: u64,
    pub problems: Vec<Problem>,
}

/// The problems of one incident: its date span agrees with its precision,
/// its type is in the taxonomy, its coordinates are in range, and its
/// regions are the ones its coordinates fall in (a region left empty on
/// purpose, as for a UCDP point known only to the country, is not a problem).
pub fn incident_problems(inc: &Incident, regions: &Regions) -> Vec<String> {
    let mut out = Vec::new();
    let s = &inc.span;
    let month_end = (s.start + Duration::days(31))
        .with_day(1)
        .and_then(|d| d.pred_opt());
    let precise = match s.precision {
        DatePrecision::Day => s.start == s.end,
        DatePrecision::Week => {
            s.start.weekday() == Weekday::Mon && s.end == s.start + Duration::days(6)
        }
        DatePrecision::Month => s.start.day() == 1 && Some(s.end) == month_end,
        DatePrecision::Year => {
            s.start.ordinal() == 1
                && s.end.year() == s.start.year()
                && s.end.month() == 12
                && s.end.day() == 31
        }
        DatePrecision::Range => s.end >= s.start,
    };
    if !precise || s.end < s.start {
        out.push(format!(
            "date span {}..{} does not match its precision {}",
            s.start,
            s.end,
            s.precision.as_str()
        ));
    }
    match canonical_event_type(&inc.event_type) {
        Ok(t) if t == inc.event_type => {
            if let Some(sub) = &inc.sub_event_type
                && canonical_sub_event_type(t, sub).ok() != Some(sub.as_str())
            {
                out.push(format!("sub-event type {sub:?} is not one of {t:?}"));
            }
        }
        _ => out.push(format!(
            "event type {:?} is not in the taxonomy",
            inc.event_type
        )),
    }
    if let (Some(lat), Some(lon)) = (inc.latitude, inc.longitude) {
        if let Err(e) = check_coordinates(lat, lon) {
            out.push(e.to_string());
        } else {
            let a = regions.assign(lat, lon);
            let code = |x: &Option<(String, String)>| x.as_ref().map(|(c, _)| c.clone());
            if inc.admin1_code.is_some() && inc.admin1_code != code(&a.admin1) {
                out.push(format!(
                    "admin1 {:?} but its coordinates {lat},{lon} are in {:?}",
                    inc.admin1_code,
                    code(&a.admin1)
                ));
            }
            if inc.admin2_code.is_some() && inc.admin2_code != code(&a.admin2) {
                out.push(format!(
                    "admin2 {:?} but its coordinates {lat},{lon} are in {:?}",
                    inc.admin2_code,
                    code(&a.admin2)
                ));
            }
        }
    } else if inc.latitude.is_some() != inc.longitude.is_some() {
        out.push("only one of latitude and longitude".into());
    }
    out
}

/// Checks the whole database.
pub fn check(store: &Store, regions: &Regions) -> Result<Report> {
    let mut report = Report::default();
    for p in store.integrity_problems()? {
        report.problems.push(Problem {
            uid: None,
            problem: p,
        });
    }
    store.for_each_incident(&Filter::default(), |inc| {
        report.incidents_checked += 1;
        for p in incident_problems(&inc, regions) {
            report.problems.push(Problem {
                uid: inc.uid.clone(),
                problem: p,
            });
        }
        Ok(())
    })?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;

    #[test]
    fn finds_broken_invariants() {
        let regions = Regions::bundled().unwrap();
        let mut ok = Incident::new("Battles", DateSpan::parse("d", "2025-06").unwrap());
        ok.latitude = Some(32.62);
        ok.longitude = Some(36.10);
        crate::locate::assign_regions(&regions, &mut ok);
        assert!(
            incident_problems(&ok, &regions).is_empty(),
            "{:?}",
            incident_problems(&ok, &regions)
        );
        let mut bad = ok.clone();
        bad.span.end = bad.span.start;
        bad.admin1_code = Some("IQ-BG".into());
        bad.event_type = "battles".into();
        let problems = incident_problems(&bad, &regions);
        assert_eq!(problems.len(), 3, "{problems:?}");
    }
}
