//! The seed incidents and tallies from the two reports in `seeds/`, built
//! into the binary so `incidents seed` works anywhere.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::geo::Regions;
use crate::locate;
use crate::model::{Incident, Tally};
use crate::store::{Store, Upsert};

const INCIDENTS: &str = include_str!("../seeds/incidents.json");
const TALLIES: &str = include_str!("../seeds/tallies.json");

/// What loading the seeds did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Counts {
    pub fn add(&mut self, u: Upsert) {
        match u {
            Upsert::Inserted => self.inserted += 1,
            Upsert::Updated => self.updated += 1,
            Upsert::Unchanged => self.unchanged += 1,
        }
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} new, {} updated, {} unchanged",
            self.inserted, self.updated, self.unchanged
        )
    }
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<Vec<T>> {
    serde_json::from_str(text).map_err(|e| Error::Input {
        input: name.into(),
        location: format!("line {}, column {}", e.line(), e.column()),
        reason: e.to_string(),
    })
}

/// The seed incidents, validated, with regions assigned.
pub fn incidents(regions: &Regions) -> Result<Vec<Incident>> {
    let mut out: Vec<Incident> = parse("seeds/incidents.json", INCIDENTS)?;
    for inc in &mut out {
        inc.normalize()?;
        locate::assign_regions(regions, inc)?;
    }
    Ok(out)
}

/// The seed tallies, validated, with their regions resolved to codes.
pub fn tallies(regions: &Regions) -> Result<Vec<Tally>> {
    let mut out: Vec<Tally> = parse("seeds/tallies.json", TALLIES)?;
    for t in &mut out {
        t.normalize()?;
        if let Some(name) = &t.region {
            t.region_code = Some(regions.resolve(name)?.region.code.clone());
        }
    }
    Ok(out)
}

/// Loads the seeds idempotently: running it twice adds nothing.
pub fn load(store: &mut Store, regions: &Regions) -> Result<(Counts, Counts)> {
    let incidents = incidents(regions)?;
    let tallies = tallies(regions)?;
    store.write(|w| {
        let mut ic = Counts::default();
        for inc in &incidents {
            ic.add(w.upsert_incident(inc)?);
            if let Some(uid) = &inc.uid {
                w.set_incident_custom_regions(uid, &locate::custom_regions_of(regions, inc))?;
            }
        }
        let mut tc = Counts::default();
        for t in &tallies {
            tc.add(w.upsert_tally(t)?.1);
        }
        Ok((ic, tc))
    })
}
