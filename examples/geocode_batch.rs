//! Resolves many place names with one load of the bundled gazetteer, as
//! `incidents geocode NAME --country CC` would, one JSON object per line:
//! `{"name", "answer": null | {"name", "latitude", "longitude"}, "kind",
//! "looked_up", "candidates": [...]}`. Used by `benches/geocode_ucdp.py
//! --batch`, which would otherwise start the binary once per name.
//!
//!   cargo run --release --example geocode_batch -- SY < names.txt

use std::io::{BufRead, Write};

use incidents::geo::Gazetteer;
use incidents::locate::{Answer, resolve};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let country = std::env::args().nth(1);
    let gazetteer = Gazetteer::bundled();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let name = line?;
        let r = resolve(&gazetteer, &name, country.as_deref(), 5);
        let candidates: Vec<_> = r
            .candidates
            .iter()
            .map(|c| {
                json!({"name": c.place.name, "latitude": c.place.latitude,
                       "longitude": c.place.longitude, "match": c.kind.as_str(),
                       "feature_code": c.place.feature_code,
                       "population": c.place.population, "score": c.score})
            })
            .collect();
        let answer = (r.answer == Answer::One).then(|| candidates[0].clone());
        let verdict = match r.answer {
            Answer::One => "one".to_string(),
            Answer::Ambiguous(n) => format!("ambiguous {n}"),
            Answer::NoMatch => "none".to_string(),
        };
        writeln!(
            out,
            "{}",
            json!({"name": name, "answer": answer, "verdict": verdict,
                   "looked_up": r.looked_up, "candidates": candidates})
        )?;
    }
    Ok(())
}
