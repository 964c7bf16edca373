//! Figures for the geo module: load times, point assignments per second
//! (world and Syria/Iraq), geocoding lookups per second. Prints them; see
//! benches/README.md for the latest numbers.

use std::hint::black_box;
use std::time::Instant;

use incidents::geo::{Gazetteer, Regions};

/// A fixed xorshift so every run measures the same points.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn points(n: usize, lat: (f64, f64), lon: (f64, f64)) -> Vec<(f64, f64)> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|_| {
            (
                lat.0 + (lat.1 - lat.0) * rng.next_f64(),
                lon.0 + (lon.1 - lon.0) * rng.next_f64(),
            )
        })
        .collect()
}

fn assign_rate(regions: &Regions, label: &str, pts: &[(f64, f64)]) {
    let start = Instant::now();
    let mut found = 0usize;
    for &(lat, lon) in pts {
        if black_box(regions.assign(lat, lon)).admin1.is_some() {
            found += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "assign {label}: {} points in {secs:.3} s = {:.0} points/s ({found} in a region)",
        pts.len(),
        pts.len() as f64 / secs
    );
}

fn main() -> Result<(), incidents::Error> {
    let start = Instant::now();
    let regions = Regions::bundled()?;
    println!(
        "Regions::bundled: {:.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    // What a geocoding command pays: the index is read in place, so the
    // first search also pays for touching its pages.
    let start = Instant::now();
    let gazetteer = Gazetteer::bundled();
    let found = gazetteer.search("Damascus", None, 5).len();
    println!(
        "Gazetteer::bundled + first search: {:.2} ms ({} places, {found} candidates)",
        start.elapsed().as_secs_f64() * 1e3,
        gazetteer.len()
    );

    assign_rate(
        &regions,
        "world",
        &points(1_000_000, (-90.0, 90.0), (-180.0, 180.0)),
    );
    assign_rate(
        &regions,
        "Syria/Iraq bbox",
        &points(1_000_000, (29.0, 37.4), (35.6, 48.6)),
    );

    // Real names, spelling variants and Arabic, cycled.
    let queries: Vec<String> = gazetteer
        .places()
        .step_by(97)
        .map(|p| p.name)
        .chain(
            [
                "Daraa",
                "Deraa",
                "درعا",
                "Mesmiye",
                "Sanamein",
                "Bosra",
                "Busra al-Sham",
                "الموصل",
                "Baghdad",
                "Ramadi",
                "تكريت",
                "As-Suwayda",
            ]
            .map(String::from),
        )
        .collect();
    let n = 100_000;
    let start = Instant::now();
    let mut hits = 0usize;
    for q in queries.iter().cycle().take(n) {
        if !black_box(gazetteer.search(q, None, 5)).is_empty() {
            hits += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "search: {n} lookups in {secs:.3} s = {:.0} lookups/s ({hits} with a candidate)",
        n as f64 / secs
    );
    Ok(())
}
