//! How well the bundled regions agree with UCDP GED's own admin labels.
//! A measurement, not a test (it needs the real UCDP file, which the
//! project does not ship). Every label is resolved with
//! `Regions::resolve_in(label, &[country])`, the point's units come from
//! either the library or a database export:
//!
//!   cargo run --release --example ucdp_regions -- UCDP.csv
//!       the library ceiling: `assign_in` with each row's stated country
//!   cargo run --release --example ucdp_regions -- UCDP.csv --stored EXPORT.csv
//!       what `incidents import` stored (EXPORT from `incidents export --format csv`)
//!   cargo run --release --example ucdp_regions -- UCDP.csv --labels
//!       every distinct label with the unit most of its precise points fall
//!       in, and the unit the label resolves to (for tests/fixtures)
//!
//! Precise means where_prec 1-3 (a place, or within 25 km of it, or a
//! district), as in geodata/README.md.

use std::collections::{BTreeMap, HashMap};
use std::error::Error;

use incidents::geo::{Regions, countries};

struct Row {
    uid: String,
    /// where_prec 1-3.
    precise: bool,
    country: String,
    adm1: String,
    adm2: String,
    lat: f64,
    lon: f64,
}

/// (country, admin1, admin2) of a point.
type Units = (Option<String>, Option<String>, Option<String>);

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        return Err("usage: ucdp_regions UCDP.csv [--stored EXPORT.csv | --labels]".into());
    };
    let rows = read_rows(path)?;
    let regions = Regions::bundled()?;
    match args.get(1).map(String::as_str) {
        Some("--labels") => print_labels(&regions, &rows),
        Some("--stored") => {
            let export = args.get(2).ok_or("--stored needs an export file")?;
            let stored = read_export(export)?;
            let units: Vec<Units> = rows
                .iter()
                .map(|r| stored.get(&r.uid).cloned().unwrap_or_default())
                .collect();
            report(&regions, &rows, &units, "stored by `incidents import`");
        }
        _ => {
            let units: Vec<Units> = rows
                .iter()
                .map(|r| {
                    let country = countries::alpha2(&r.country);
                    match regions.assign_in(r.lat, r.lon, country.as_deref()) {
                        Ok(a) => (a.country, a.admin1.map(|x| x.0), a.admin2.map(|x| x.0)),
                        Err(out) => (out.found, None, None),
                    }
                })
                .collect();
            report(
                &regions,
                &rows,
                &units,
                "library: assign_in with the stated country",
            );
        }
    }
    Ok(())
}

/// The position of a named column, or an error naming the file.
fn column(h: &csv::StringRecord, path: &str, name: &str) -> Result<usize, String> {
    h.iter()
        .position(|c| c == name)
        .ok_or(format!("{path}: no column {name}"))
}

fn read_rows(path: &str) -> Result<Vec<Row>, Box<dyn Error>> {
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("{path}: {e}"))?;
    let h = r.headers()?.clone();
    let col = |name: &str| column(&h, path, name);
    let (id, prec, country, adm1, adm2, lat, lon) = (
        col("id")?,
        col("where_prec")?,
        col("country")?,
        col("adm_1")?,
        col("adm_2")?,
        col("latitude")?,
        col("longitude")?,
    );
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        rows.push(Row {
            uid: format!("UCDP-{}", &rec[id]),
            precise: matches!(&rec[prec], "1" | "2" | "3"),
            country: rec[country].to_string(),
            adm1: rec[adm1].to_string(),
            adm2: rec[adm2].to_string(),
            lat: rec[lat].parse()?,
            lon: rec[lon].parse()?,
        });
    }
    Ok(rows)
}

fn read_export(path: &str) -> Result<HashMap<String, Units>, Box<dyn Error>> {
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("{path}: {e}"))?;
    let h = r.headers()?.clone();
    let col = |name: &str| column(&h, path, name);
    let (uid, country, a1, a2) = (
        col("uid")?,
        col("country")?,
        col("admin1_code")?,
        col("admin2_code")?,
    );
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let mut out = HashMap::new();
    for rec in r.records() {
        let rec = rec?;
        out.insert(
            rec[uid].to_string(),
            (some(&rec[country]), some(&rec[a1]), some(&rec[a2])),
        );
    }
    Ok(out)
}

/// The code a label resolves to, preferring the row's country.
fn label_code(regions: &Regions, label: &str, country: &str) -> Option<String> {
    let alpha2 = countries::alpha2(country).unwrap_or_default();
    let r = regions.resolve_in(label, &[alpha2.as_str()]).ok()?;
    Some(r.region.code.clone())
}

fn report(regions: &Regions, rows: &[Row], units: &[Units], what: &str) {
    let mut codes: HashMap<(String, String), Option<String>> = HashMap::new();
    let mut code = |label: &str, country: &str| {
        codes
            .entry((label.to_string(), country.to_string()))
            .or_insert_with(|| label_code(regions, label, country))
            .clone()
    };
    let (mut n1, mut ok1, mut n2, mut ok2, mut elsewhere) = (0, 0, 0, 0, 0);
    let mut pairs: BTreeMap<String, u32> = BTreeMap::new();
    for (row, (country, a1, a2)) in rows.iter().zip(units) {
        let stated = countries::alpha2(&row.country);
        if country.is_some() && *country != stated {
            elsewhere += 1;
            *pairs
                .entry(format!(
                    "country {} -> {}",
                    row.country,
                    country.as_deref().unwrap_or("-")
                ))
                .or_default() += 1;
        }
        if !row.precise {
            continue;
        }
        for (label, got, n, ok, level) in [
            (&row.adm1, a1, &mut n1, &mut ok1, "admin1"),
            (&row.adm2, a2, &mut n2, &mut ok2, "admin2"),
        ] {
            if label.is_empty() {
                continue;
            }
            *n += 1;
            let want = code(label, &row.country);
            if want.is_some() && want == *got {
                *ok += 1;
            } else {
                let got = got.as_deref().unwrap_or("-");
                *pairs
                    .entry(format!(
                        "{level} {label} ({}) -> {got}",
                        want.as_deref().unwrap_or("?")
                    ))
                    .or_default() += 1;
            }
        }
    }
    let pct = |a: u32, b: u32| 100.0 * f64::from(a) / f64::from(b.max(1));
    let precise = rows.iter().filter(|r| r.precise).count();
    println!(
        "{what}: {} events, {precise} precise (where_prec 1-3)",
        rows.len()
    );
    println!("admin1 agreement: {ok1} of {n1} ({:.2} %)", pct(ok1, n1));
    println!(
        "admin2 agreement: {ok2} of {n2} ({:.2} %) (non-empty adm_2)",
        pct(ok2, n2)
    );
    println!("events (any where_prec) assigned to another country than stated: {elsewhere}");
    let mut top: Vec<(String, u32)> = pairs.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    println!("top disagreements (label (its unit) -> assigned):");
    for (pair, n) in top.iter().take(15) {
        println!("  {n:5}  {pair}");
    }
}

/// Each label, the unit most of its points fall in (and its share), and the
/// unit the label resolves to.
fn print_labels(regions: &Regions, rows: &[Row]) {
    let mut votes: BTreeMap<(&str, &str), HashMap<String, u32>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.precise) {
        let a = regions.assign_in(row.lat, row.lon, Some("SY"));
        let Ok(a) = a else { continue };
        for (level, label, got) in [
            ("admin1", &row.adm1, a.admin1),
            ("admin2", &row.adm2, a.admin2),
        ] {
            if let (false, Some((code, _))) = (label.is_empty(), got) {
                *votes
                    .entry((level, label))
                    .or_default()
                    .entry(code)
                    .or_default() += 1;
            }
        }
    }
    println!("level\tlabel\tmajority\tshare\tresolved");
    for ((level, label), v) in votes {
        let total: u32 = v.values().sum();
        let (best, n) = v
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .unwrap_or_default();
        let resolved = label_code(regions, label, "Syria").unwrap_or_else(|| "?".into());
        println!(
            "{level}\t{label}\t{best}\t{:.2}\t{resolved}",
            f64::from(n) / f64::from(total)
        );
    }
}
