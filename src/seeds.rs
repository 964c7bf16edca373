//! The seed incidents and tallies from the two reports in `seeds/`, built
//! into the binary so `incidents seed` works anywhere.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::field::{FieldSet, NATIVE_COLUMNS};
use crate::formats::fields::Row;
use crate::geo::Regions;
use crate::import;
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

/// The seed incidents, validated, each as a row that carries the fields
/// its JSON object has.
fn incidents() -> Result<Vec<Row>> {
    let objects: Vec<Map<String, Value>> = parse("seeds/incidents.json", INCIDENTS)?;
    let mut out = Vec::new();
    for (i, object) in objects.into_iter().enumerate() {
        let location = format!("incident {}", i + 1);
        let carried = FieldSet::carried(NATIVE_COLUMNS, |k| object.contains_key(k));
        let mut incident: Incident =
            serde_json::from_value(Value::Object(object)).map_err(|e| Error::Input {
                input: "seeds/incidents.json".into(),
                location: location.clone(),
                reason: e.to_string(),
            })?;
        incident.normalize()?;
        out.push(Row {
            location,
            incident,
            carried,
        });
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

/// Loads the seeds idempotently: running it twice adds nothing, and a
/// seed incident keeps what was added to it since (fields a seed does not
/// carry), as an imported row does.
pub fn load(store: &mut dyn Store, regions: &Regions) -> Result<(Counts, Counts)> {
    let incidents = incidents()?;
    let tallies = tallies(regions)?;
    crate::store::write(store, |w| {
        let mut ic = Counts::default();
        for row in incidents {
            let done = import::upsert(w, regions, row)?.map_err(|e| Error::Input {
                input: "seeds/incidents.json".into(),
                location: e.location,
                reason: e.reason,
            })?;
            ic.add(done.outcome);
        }
        let mut tc = Counts::default();
        for t in &tallies {
            tc.add(w.upsert_tally(t)?.1);
        }
        Ok((ic, tc))
    })
}
