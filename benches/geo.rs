//! Figures for the geo module: load times, the first points a command
//! places, point assignments per second (world and Syria/Iraq), geocoding
//! lookups per second. Prints them; see benches/README.md for the latest
//! numbers.

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

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e3
}

fn main() -> Result<(), incidents::Error> {
    let start = Instant::now();
    let names = Regions::bundled_names()?;
    let loaded = ms(start);
    let start = Instant::now();
    let code = black_box(names.resolve_in("Dar'a", &["SY"]))?
        .region
        .code
        .clone();
    println!(
        "Regions::bundled_names: {loaded:.3} ms, then resolve Dar'a ({code}): {:.3} ms",
        ms(start)
    );

    // What a command that places a few points pays: the load and the first
    // point (setting up the layers, decoding the polygons it falls in);
    // then, point by point, the queries answered before the bulk indexes,
    // the one that builds them, and those after.
    let start = Instant::now();
    let regions = Regions::bundled()?;
    let loaded = ms(start);
    let start = Instant::now();
    let first = black_box(regions.assign(32.62, 36.10)).admin2;
    println!(
        "Regions::bundled: {loaded:.3} ms; first assign {:.2} ms ({first:?})",
        ms(start)
    );
    let times: Vec<f64> = points(40_000, (29.0, 37.4), (35.6, 48.6))
        .into_iter()
        .map(|(lat, lon)| {
            let start = Instant::now();
            black_box(regions.assign(lat, lon));
            ms(start)
        })
        .collect();
    let (built_at, built_ms) = times
        .iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or_default();
    let mean_us = |t: &[f64]| t.iter().sum::<f64>() / t.len().max(1) as f64 * 1e3;
    println!(
        "assign, Syria/Iraq, point by point: {:.2} us before the bulk indexes, {:.2} us after; point {} built them in {built_ms:.0} ms",
        mean_us(&times[..built_at]),
        mean_us(&times[built_at + 1..]),
        built_at + 1
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
