//! `incidents check`: the database's integrity and the project's own
//! invariants, so that a damaged or hand-edited database is noticed.

use serde::Serialize;

use crate::error::Result;
use crate::filter::{Filter, Status};
use crate::geo::Regions;
use crate::locate;
use crate::model::{
    AdminLevel, Incident, canonical_event_type, canonical_sub_event_type, check_coordinates,
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
/// its type is in the taxonomy, its coordinates are in range, it is not
/// credited to a level finer than its geo precision vouches for, and its
/// regions are the ones its coordinates and precision give.
pub fn incident_problems(inc: &Incident, regions: &Regions) -> Vec<String> {
    let mut out = Vec::new();
    let s = &inc.span;
    if s.end < s.start || !s.precision.fits(s.start, s.end) {
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
    if let Some(level) = inc.credited_below_precision() {
        out.push(format!(
            "credited to {level:?} ({}) but its geo precision {} vouches only for {:?}",
            match level {
                AdminLevel::Admin2 => inc.admin2_code.as_deref(),
                _ => inc.admin1_code.as_deref(),
            }
            .unwrap_or("?"),
            inc.geo_precision.map(u8::from).unwrap_or(0),
            inc.finest_level()
        ));
    }
    if let (Some(lat), Some(lon)) = (inc.latitude, inc.longitude) {
        if let Err(e) = check_coordinates(lat, lon) {
            out.push(e.to_string());
        } else {
            // The regions it would be given now, by the one rule that gave them.
            let mut expected = inc.clone();
            match locate::assign_regions(regions, &mut expected) {
                Err(e) => out.push(e.to_string()),
                Ok(_) => {
                    for (level, stored, derived) in [
                        ("admin1", &inc.admin1_code, &expected.admin1_code),
                        ("admin2", &inc.admin2_code, &expected.admin2_code),
                    ] {
                        if stored.is_some() && stored != derived {
                            out.push(format!(
                                "{level} {stored:?} but its coordinates {lat},{lon} and geo precision give {derived:?}"
                            ));
                        }
                    }
                }
            }
        }
    } else if inc.latitude.is_some() != inc.longitude.is_some() {
        out.push("only one of latitude and longitude".into());
    }
    out
}

/// Checks the whole database: its integrity, every incident, and which
/// custom regions each incident is linked to.
pub fn check(store: &dyn Store, regions: &Regions) -> Result<Report> {
    let mut report = Report::default();
    for p in store.integrity_problems()? {
        report.problems.push(Problem {
            uid: None,
            problem: p,
        });
    }
    let mut links = store.incident_custom_regions()?;
    let mut merged: Vec<(String, String)> = Vec::new();
    let every = Filter {
        status: Status::All,
        ..Filter::default()
    };
    store.for_each_incident(&every, &mut |inc| {
        report.incidents_checked += 1;
        if let (Some(uid), Some(into)) = (&inc.uid, &inc.merged_into) {
            merged.push((uid.clone(), into.clone()));
        }
        let mut problems = incident_problems(&inc, regions);
        // Custom regions hold the incidents their polygon holds, no others.
        let linked = inc
            .uid
            .as_ref()
            .and_then(|uid| links.remove(uid))
            .unwrap_or_default();
        let mut inside = locate::custom_regions_of(regions, &inc);
        inside.sort();
        if linked != inside {
            problems.push(format!(
                "linked to the custom regions {linked:?} but its point lies in {inside:?}"
            ));
        }
        for p in problems {
            report.problems.push(Problem {
                uid: inc.uid.clone(),
                problem: p,
            });
        }
        Ok(())
    })?;
    // A merged incident points at a kept one, not at another merged one.
    for (uid, into) in merged {
        let problem = match store.get_incident(&into)? {
            None => format!("merged into {into}, which does not exist"),
            Some(keep) => match keep.merged_into {
                Some(further) => format!("merged into {into}, which is merged into {further}"),
                None => continue,
            },
        };
        report.problems.push(Problem {
            uid: Some(uid),
            problem,
        });
    }
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
        crate::locate::assign_regions(&regions, &mut ok).unwrap();
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
