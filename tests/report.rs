//! `incidents report`: the seed reports' figures, periods, output formats,
//! errors, and every aggregate checked against an independent count over a
//! generated database of more than a thousand incidents.
mod common;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use common::{Session, both};
use incidents::model::{DatePrecision, DateSpan, Incident, TAXONOMY};
use serde_json::Value;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Runs `report` with `--format json` and returns the report and stderr.
fn report(s: &Session, args: &[&str]) -> (Value, String) {
    let mut a = vec!["report"];
    a.extend(args);
    a.extend(["--format", "json"]);
    let o = s.run(&a);
    assert_eq!(o.code, 0, "{a:?}: {}", o.stderr);
    let v = serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{a:?}: {e}\n{}", o.stdout));
    (v, o.stderr)
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn has_keys(v: &Value, want: &[&str]) {
    let k = keys(v);
    for w in want {
        assert!(k.contains(w), "missing key {w} in {k:?}");
    }
}

// ---------------------------------------------------------------------------
// The seeds

both!(seeded_daraa_june_report_has_every_section);
fn seeded_daraa_june_report_has_every_section() {
    let s = Session::seeded();
    let (r, _) = report(&s, &["--region", "Daraa", "--month", "2025-06"]);
    has_keys(
        &r,
        &[
            "region",
            "period",
            "incidents",
            "fatalities",
            "civilian_fatalities",
            "by_type",
            "overlapping",
            "previous_period",
            "tallies",
        ],
    );
    has_keys(&r["region"], &["name", "code"]);
    assert_eq!(r["region"]["code"], "SY-DR");
    assert_eq!(r["region"]["name"], "Dar'a");
    assert_eq!(r["period"]["start"], "2025-06-01");
    assert_eq!(r["period"]["end"], "2025-06-30");
    has_keys(
        &r["fatalities"],
        &["best", "low", "high", "unknown_incidents"],
    );
    has_keys(&r["previous_period"], &["incidents", "fatalities"]);
    assert_eq!(r["previous_period"]["start"], "2025-05-01");
    assert_eq!(r["previous_period"]["end"], "2025-05-31");
    for t in r["tallies"].as_array().unwrap() {
        has_keys(
            t,
            &["metric", "value", "period_start", "period_end", "source"],
        );
    }

    let tally = |metric: &str, coverage: &str| -> Value {
        let found: Vec<&Value> = r["tallies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["metric"] == metric && t["coverage"] == coverage)
            .collect();
        assert_eq!(found.len(), 1, "{metric} {coverage}: {found:?}");
        found[0].clone()
    };
    let june = tally("killings", "within");
    assert_eq!(june["value"], 38);
    assert_eq!(
        (&june["period_start"], &june["period_end"]),
        (&"2025-06-01".into(), &"2025-06-30".into())
    );
    assert_eq!(june["derived"], false);
    assert!(june["source"].as_str().unwrap().contains("Daraa 24"));
    let civ = tally("civilian killings", "within");
    assert_eq!(civ["value"], 23);
    let may = tally("killings", "previous_period");
    assert_eq!(may["value"], 19);
    assert_eq!(may["derived"], true);
    assert_eq!(may["period_start"], "2025-05-01");
    assert_eq!(may["period_end"], "2025-05-31");
    let sanamayn = tally("assassinations", "overlapping");
    assert_eq!(sanamayn["value"], 17);
    assert_eq!(sanamayn["period_start"], "2024-12-08");
    assert_eq!(sanamayn["period_end"], "2025-07-15");
    assert_eq!(sanamayn["region_code"], "SY1202");
    // Tallies are shown next to the counts, never added to them.
    assert!(r["incidents"].as_u64().unwrap() < 17);
    assert!(r["fatalities"]["best"].as_u64().unwrap() < 38);

    // Every seed incident in the governorate touching June is either
    // counted (whole span inside June) or listed as overlapping, not both.
    let touching = s.json(&[
        "list",
        "--region",
        "SY-DR",
        "--month",
        "2025-06",
        "--overlapping",
    ]);
    let touching = touching.as_array().unwrap();
    assert!(!touching.is_empty());
    let overlapping: BTreeSet<&str> = r["overlapping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["uid"].as_str().unwrap())
        .collect();
    let mut within = 0;
    for i in touching {
        let uid = i["uid"].as_str().unwrap();
        let inside = i["date_start"].as_str().unwrap() >= "2025-06-01"
            && i["date_end"].as_str().unwrap() <= "2025-06-30";
        if inside {
            within += 1;
            assert!(!overlapping.contains(uid), "{uid} counted and overlapping");
        } else {
            assert!(overlapping.contains(uid), "{uid} should be overlapping");
        }
    }
    assert_eq!(r["incidents"], within);
    assert_eq!(r["overlapping_total"], overlapping.len());
    assert!(overlapping.contains("SEED-SY-2025-DARAA-MAN-SHOT-WHILE-PRAYING"));
    assert!(overlapping.contains("SEED-SY-2025-MASMIYAH-CHECKPOINT-EXTORTION"));
    for o in r["overlapping"].as_array().unwrap() {
        has_keys(o, &["uid", "date_start", "date_end", "date_precision"]);
    }
}

both!(week_year_and_range_periods);
fn week_year_and_range_periods() {
    let s = Session::seeded();
    s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--lat",
        "32.62",
        "--lon",
        "36.10",
        "--fatalities",
        "3",
    ]);
    s.ok(&[
        "add",
        "--date",
        "2025-06-09",
        "--type",
        "battles",
        "--lat",
        "32.62",
        "--lon",
        "36.10",
        "--fatalities",
        "2",
    ]);

    let (w, _) = report(&s, &["--region", "Daraa", "--week", "2025-W25"]);
    assert_eq!(w["period"]["start"], "2025-06-16");
    assert_eq!(w["period"]["end"], "2025-06-22");
    assert_eq!(w["incidents"], 1);
    assert_eq!(w["fatalities"]["best"], 3);
    assert_eq!(w["previous_period"]["start"], "2025-06-09");
    assert_eq!(w["previous_period"]["end"], "2025-06-15");
    assert_eq!(w["previous_period"]["incidents"], 1);
    assert_eq!(w["previous_period"]["fatalities"]["best"], 2);

    let (y, _) = report(&s, &["--region", "Daraa", "--year", "2025"]);
    assert_eq!(y["period"]["start"], "2025-01-01");
    assert_eq!(y["period"]["end"], "2025-12-31");
    assert_eq!(y["previous_period"]["start"], "2024-01-01");
    // The seeds' ranges from 2024-12-08 only overlap 2025.
    let year_list = s.json(&[
        "list", "--region", "SY-DR", "--from", "2025", "--to", "2025",
    ]);
    assert_eq!(y["incidents"], year_list.as_array().unwrap().len());
    assert!(
        y["overlapping"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["uid"] == "SEED-SY-2025-MASMIYAH-CHECKPOINT-EXTORTION")
    );

    let (r, _) = report(
        &s,
        &[
            "--region",
            "Daraa",
            "--from",
            "2025-06-10",
            "--to",
            "2025-06-19",
        ],
    );
    assert_eq!(r["period"]["start"], "2025-06-10");
    assert_eq!(r["period"]["end"], "2025-06-19");
    assert_eq!(r["incidents"], 1);
    assert_eq!(r["previous_period"]["start"], "2025-05-31");
    assert_eq!(r["previous_period"]["end"], "2025-06-09");
    assert_eq!(r["previous_period"]["incidents"], 1);

    // Months given to --from/--to mean their first and last days.
    let (m, _) = report(
        &s,
        &["--region", "Daraa", "--from", "2025-06", "--to", "2025-06"],
    );
    assert_eq!(m["period"]["start"], "2025-06-01");
    assert_eq!(m["period"]["end"], "2025-06-30");
    assert_eq!(m["incidents"], 2);

    for (args, flag) in [
        (&["--week", "2025-W54"][..], "--week"),
        (&["--month", "2025-13"], "--month"),
        (&["--year", "25"], "--year"),
        (&["--month", "2025"], "--month"),
        (&["--from", "2025-06-10", "--to", "2025-06-01"], "--to"),
    ] {
        let mut a = vec!["report", "--region", "Daraa"];
        a.extend(args);
        let err = s.fails(&a);
        assert!(err.contains(flag), "{args:?}: {err}");
    }
}

both!(markdown_csv_and_table_formats);
fn markdown_csv_and_table_formats() {
    let s = Session::seeded();
    s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--lat",
        "32.62",
        "--lon",
        "36.10",
        "--fatalities",
        "3",
        "--actor1",
        "Actor A",
    ]);
    let args = [
        "report", "--region", "Daraa", "--month", "2025-06", "--format",
    ];

    let md = s.ok(&[&args[..], &["markdown"]].concat());
    assert!(md.contains("## Dar'a (SY-DR"), "{md}");
    assert!(md.contains("2025-06-01 to 2025-06-30"), "{md}");
    assert!(md.contains("| killings"), "{md}");
    assert!(md.contains("| 38"), "{md}");
    assert!(md.contains("|---"), "{md}");
    assert!(md.contains("Battles"), "{md}");

    let table = s.ok(&[&args[..], &["table"]].concat());
    assert!(table.contains("Dar'a (SY-DR"), "{table}");
    assert!(table.contains("38"), "{table}");
    assert!(table.contains("Battles"), "{table}");
    assert!(!table.contains("|---"), "{table}");

    let csv_text = s.ok(&[&args[..], &["csv"]].concat());
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
            "section",
            "key",
            "incidents",
            "fatalities",
            "known_incidents"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let row = |section: &str, key: &str| -> csv::StringRecord {
        rows.iter()
            .find(|r| &r[0] == section && &r[1] == key)
            .unwrap_or_else(|| panic!("no row {section},{key} in\n{csv_text}"))
            .clone()
    };
    assert_eq!(&row("total", "all")[2], "1");
    assert_eq!(&row("total", "all")[3], "3");
    assert_eq!(&row("total", "all")[4], "1");
    assert_eq!(&row("by_type", "Battles")[2], "1");
    assert_eq!(&row("by_actor", "Actor A")[2], "1");
    assert!(
        rows.iter()
            .any(|r| &r[0] == "tally" && r[1].contains("killings") && &r[3] == "38")
    );
    assert!(
        rows.iter()
            .any(|r| &r[0] == "overlapping" && &r[1] == "SEED-SY-2025-DARAA-MAN-SHOT-WHILE-PRAYING")
    );
    // Without --format, off a terminal, the report is CSV.
    assert_eq!(
        s.ok(&["report", "--region", "Daraa", "--month", "2025-06"]),
        csv_text
    );
}

both!(geojson_is_a_feature_collection_of_polygons_with_counts);
fn geojson_is_a_feature_collection_of_polygons_with_counts() {
    let s = Session::seeded();
    s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--lat",
        "32.62",
        "--lon",
        "36.10",
        "--fatalities",
        "3",
    ]);
    s.ok(&[
        "add",
        "--date",
        "2025-06-18",
        "--type",
        "battles",
        "--place",
        "Al-Sanamayn",
    ]);
    let out = s.ok(&[
        "report", "--region", "Daraa", "--month", "2025-06", "--format", "geojson",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let features = v["features"].as_array().unwrap();
    assert!(!features.is_empty());
    let mut total = 0;
    let mut codes = BTreeSet::new();
    for f in features {
        assert_eq!(f["type"], "Feature");
        let t = f["geometry"]["type"].as_str().unwrap();
        assert!(t == "Polygon" || t == "MultiPolygon", "{t}");
        let p = &f["properties"];
        has_keys(p, &["incidents", "fatalities", "code", "name"]);
        total += p["incidents"].as_u64().unwrap();
        codes.insert(p["code"].as_str().unwrap().to_string());
    }
    assert_eq!(total, 2, "{out}");
    // A governorate's report maps its districts.
    assert!(
        codes.contains("SY1200") && codes.contains("SY1202"),
        "{codes:?}"
    );
    let sanamayn = features
        .iter()
        .find(|f| f["properties"]["code"] == "SY1202")
        .unwrap();
    assert_eq!(sanamayn["properties"]["incidents"], 1);
    assert_eq!(sanamayn["properties"]["fatalities_unknown"], 1);

    // Grouped by admin1: one polygon per governorate with incidents.
    let out = s.ok(&[
        "report",
        "--group-by",
        "admin1",
        "--from",
        "2025-06-01",
        "--to",
        "2025-06-30",
        "--format",
        "geojson",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let f = &v["features"].as_array().unwrap()[0];
    assert_eq!(f["properties"]["code"], "SY-DR");
    assert_eq!(f["properties"]["incidents"], 2);
}

both!(group_by_admin1_and_month_gives_rows);
fn group_by_admin1_and_month_gives_rows() {
    let s = Session::seeded();
    let v = s.json(&[
        "report",
        "--group-by",
        "admin1,month",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
    ]);
    let rows = v.as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        has_keys(r, &["admin1", "month", "incidents", "fatalities"]);
    }
    let spans = rows
        .iter()
        .find(|r| r["admin1"] == "SY-DR" && r["month"] == "(spans several months)")
        .expect("the seeds' ranges span several months");
    assert!(spans["incidents"].as_u64().unwrap() >= 3);
    // The 2020 Iraq seeds are outside the range.
    assert!(rows.iter().all(|r| r["admin1"] != "IQ-BG"));
    let err = s.fails(&[
        "report",
        "--group-by",
        "colour",
        "--from",
        "2025",
        "--to",
        "2025",
    ]);
    assert!(err.contains("--group-by"), "{err}");
}

both!(empty_period_says_so_and_exits_0);
fn empty_period_says_so_and_exits_0() {
    let s = Session::seeded();
    let (r, err) = report(&s, &["--region", "Daraa", "--month", "2023-02"]);
    assert_eq!(r["incidents"], 0);
    assert_eq!(r["fatalities"]["best"], 0);
    assert!(r["overlapping"].as_array().unwrap().is_empty());
    assert!(err.contains("no incidents"), "{err}");
    assert!(err.contains("2023-02-01"), "{err}");

    let o = s.run(&[
        "report",
        "--group-by",
        "month",
        "--from",
        "2010-01-01",
        "--to",
        "2010-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("no incidents"), "{}", o.stderr);
}

both!(unknown_region_and_missing_period_fail);
fn unknown_region_and_missing_period_fail() {
    let s = Session::seeded();
    let before = s.snapshot();
    let err = s.fails(&[
        "report",
        "--region",
        "Daraaa Governate",
        "--month",
        "2025-06",
    ]);
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("SY-DR"), "{err}");

    let err = s.fails(&["report", "--region", "Daraa"]);
    for flag in ["--month", "--week", "--year", "--from", "--to"] {
        assert!(err.contains(flag), "{flag}: {err}");
    }
    let err = s.fails(&["report", "--region", "Daraa", "--from", "2025-06-01"]);
    assert!(err.contains("--to"), "{err}");
    assert_eq!(s.snapshot(), before);
}

// ---------------------------------------------------------------------------
// A generated database checked against an independent count

/// xorshift64*: small, deterministic, good enough to spread test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// 0..n
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

/// Points well inside real governorates, with the codes they must get.
const PLACES: &[(&str, &str, &str, f64, f64)] = &[
    ("Daraa", "SY-DR", "SY", 32.62, 36.10),
    ("Damascus", "SY-DI", "SY", 33.51, 36.29),
    ("Aleppo", "SY-HL", "SY", 36.20, 37.16),
    ("Baghdad", "IQ-BG", "IQ", 33.34, 44.40),
    ("Mosul", "IQ-NI", "IQ", 36.34, 43.13),
    ("Basra", "IQ-BA", "IQ", 30.51, 47.78),
];

const ACTORS: &[&str] = &[
    "Military Forces of Syria",
    "Unidentified Armed Group",
    "Islamic State",
    "Civilians",
    "Police Forces of Iraq",
];

/// One generated incident with the region it was placed in.
struct Generated {
    inc: Incident,
    admin1: &'static str,
    country: &'static str,
}

fn random_span(rng: &mut Rng) -> DateSpan {
    let first = d("2024-11-01");
    let days = (d("2025-09-30") - first).num_days() as u64;
    let day = first + Duration::days(rng.below(days) as i64);
    match rng.below(100) {
        0..40 => DateSpan::day(day).unwrap(),
        40..55 => {
            let monday = day - Duration::days(day.weekday().num_days_from_monday() as i64);
            DateSpan::new(monday, monday + Duration::days(6), DatePrecision::Week).unwrap()
        }
        55..70 => DateSpan::parse("date", &day.format("%Y-%m").to_string()).unwrap(),
        70..75 => DateSpan::parse("date", &day.format("%Y").to_string()).unwrap(),
        75..85 => {
            // Around a month end, on purpose.
            let next_month = DateSpan::parse("date", &day.format("%Y-%m").to_string())
                .unwrap()
                .end;
            let start = next_month - Duration::days(rng.below(4) as i64);
            let end = next_month + Duration::days(rng.below(4) as i64);
            DateSpan::new(start, end, DatePrecision::Range).unwrap()
        }
        _ => {
            let end = day + Duration::days(rng.below(40) as i64);
            DateSpan::new(day, end, DatePrecision::Range).unwrap()
        }
    }
}

fn generate(n: usize) -> Vec<Generated> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let (name, admin1, country, lat, lon) = *rng.pick(PLACES);
        let (event_type, subs) = *rng.pick(TAXONOMY);
        let mut inc = Incident::new(event_type, random_span(&mut rng));
        inc.uid = Some(format!("GEN-{k:05}"));
        inc.title = Some(format!("Generated incident {k} near {name}"));
        if rng.chance(60) {
            inc.sub_event_type = Some(rng.pick(subs).to_string());
        }
        // Within about a kilometre of the point.
        let jitter = |r: &mut Rng| (r.below(2001) as f64 - 1000.0) / 100_000.0;
        inc.latitude = Some(lat + jitter(&mut rng));
        inc.longitude = Some(lon + jitter(&mut rng));
        inc.geo_precision = Some(incidents::model::GeoPrecision::Exact);
        inc.place = Some(name.to_string());
        if rng.chance(70) {
            let best = rng.below(26) as u32;
            inc.fatalities.best = Some(best);
            if rng.chance(40) {
                inc.fatalities.low = Some(best - rng.below(best as u64 + 1) as u32);
            }
            if rng.chance(40) {
                inc.fatalities.high = Some(best + rng.below(10) as u32);
            }
            if rng.chance(5) {
                // Out of order, as some imported UCDP rows are.
                inc.fatalities.low = Some(best + 1 + rng.below(5) as u32);
                inc.fatalities.high = Some(best.saturating_sub(1 + rng.below(3) as u32));
            }
            if rng.chance(40) {
                inc.civilian_fatalities = Some(rng.below(best as u64 + 1) as u32);
            }
        } else {
            if rng.chance(30) {
                // Only a range, or only one bound: no best estimate.
                let low = rng.below(10) as u32;
                inc.fatalities.low = Some(low).filter(|_| rng.chance(80));
                inc.fatalities.high = Some(low + rng.below(10) as u32).filter(|_| rng.chance(80));
            }
            if rng.chance(10) {
                // Unknown toll, but a civilian count was reported.
                inc.civilian_fatalities = Some(rng.below(5) as u32);
            }
        }
        if rng.chance(80) {
            inc.actor1 = Some(rng.pick(ACTORS).to_string());
        }
        if rng.chance(40) {
            // Sometimes the same group on both sides, as in ACLED.
            inc.actor2 = Some(rng.pick(ACTORS).to_string());
        }
        out.push(Generated {
            inc,
            admin1,
            country,
        });
    }
    out
}

/// What a report must say, computed from the generated list alone.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    totals: Totals,
    by_type: BTreeMap<String, u64>,
    by_week: BTreeMap<String, u64>,
    by_day: BTreeMap<String, u64>,
    by_actor: BTreeMap<String, u64>,
    by_admin1: BTreeMap<String, Figures>,
    overlapping: BTreeSet<String>,
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn week_key(s: &DateSpan) -> String {
    if iso_week(s.start) == iso_week(s.end) {
        iso_week(s.start)
    } else {
        "(spans several weeks)".into()
    }
}

fn day_key(s: &DateSpan) -> String {
    if s.start == s.end {
        s.start.to_string()
    } else {
        "(not a single day)".into()
    }
}

fn month_key(s: &DateSpan) -> String {
    if (s.start.year(), s.start.month()) == (s.end.year(), s.end.month()) {
        s.start.format("%Y-%m").to_string()
    } else {
        "(spans several months)".into()
    }
}

fn year_key(s: &DateSpan) -> String {
    if s.start.year() == s.end.year() {
        s.start.year().to_string()
    } else {
        "(spans several years)".into()
    }
}

/// The actors an incident counts under: each once, "(no actor)" for none.
fn actor_keys(i: &Incident) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = [&i.actor1, &i.actor2]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if keys.is_empty() {
        keys.insert("(no actor)".into());
    }
    keys
}

/// Sums and counts over the incidents whose whole span lies in `start..=end`.
#[derive(Debug, Default, PartialEq, Clone, Copy)]
struct Totals {
    incidents: u64,
    best: u64,
    low: u64,
    high: u64,
    known: u64,
    civilian: u64,
    civilian_known: u64,
}

/// What a report shows for a group: sums with the incidents they cover,
/// `None` for unknown.
#[derive(Debug, PartialEq)]
struct Figures {
    incidents: u64,
    best: Option<u64>,
    low: Option<u64>,
    high: Option<u64>,
    known: u64,
    unknown: u64,
    civilian: Option<u64>,
    civilian_known: u64,
}

impl Totals {
    fn add(&mut self, i: &Incident) {
        let f = &i.fatalities;
        self.incidents += 1;
        // Only incidents with a best estimate are in the sums; their bounds
        // default to it and never cross it.
        if let Some(b) = f.best {
            self.known += 1;
            self.best += b as u64;
            self.low += f.low.map_or(b, |l| l.min(b)) as u64;
            self.high += f.high.map_or(b, |h| h.max(b)) as u64;
        }
        if let Some(c) = i.civilian_fatalities {
            self.civilian_known += 1;
            self.civilian += c as u64;
        }
    }

    fn figures(&self) -> Figures {
        // Unknown when there are incidents and none has the figure.
        let sum = |v: u64, known: u64| (known > 0 || self.incidents == 0).then_some(v);
        Figures {
            incidents: self.incidents,
            best: sum(self.best, self.known),
            low: sum(self.low, self.known),
            high: sum(self.high, self.known),
            known: self.known,
            unknown: self.incidents - self.known,
            civilian: sum(self.civilian, self.civilian_known),
            civilian_known: self.civilian_known,
        }
    }
}

fn expected(
    all: &[Generated],
    keep: &dyn Fn(&Generated) -> bool,
    start: NaiveDate,
    end: NaiveDate,
) -> Expected {
    let mut e = Expected::default();
    let mut by_admin1: BTreeMap<String, Totals> = BTreeMap::new();
    for g in all.iter().filter(|g| keep(g)) {
        let i = &g.inc;
        let s = &i.span;
        if s.start >= start && s.end <= end {
            e.totals.add(i);
            *e.by_type.entry(i.event_type.clone()).or_default() += 1;
            *e.by_week.entry(week_key(s)).or_default() += 1;
            *e.by_day.entry(day_key(s)).or_default() += 1;
            by_admin1.entry(g.admin1.to_string()).or_default().add(i);
            for a in actor_keys(i) {
                *e.by_actor.entry(a).or_default() += 1;
            }
        } else if s.start <= end && s.end >= start {
            e.overlapping.insert(i.uid.clone().unwrap());
        }
    }
    e.by_admin1 = by_admin1
        .into_iter()
        .map(|(k, t)| (k, t.figures()))
        .collect();
    e
}

fn totals(
    all: &[Generated],
    keep: &dyn Fn(&Generated) -> bool,
    start: NaiveDate,
    end: NaiveDate,
) -> Totals {
    let mut t = Totals::default();
    for g in all.iter().filter(|g| keep(g)) {
        if g.inc.span.start >= start && g.inc.span.end <= end {
            t.add(&g.inc);
        }
    }
    t
}

fn counts(v: &Value) -> BTreeMap<String, u64> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .iter()
        .map(|(k, n)| {
            let n = n.as_u64().or_else(|| n["incidents"].as_u64()).unwrap();
            (k.clone(), n)
        })
        .collect()
}

/// A count, which is never null.
fn count(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"))
}

/// A sum: a number, or null for unknown.
fn sum(v: &Value, k: &str) -> Option<u64> {
    match &v[k] {
        Value::Null => None,
        n => Some(n.as_u64().unwrap_or_else(|| panic!("{k} in {v}"))),
    }
}

/// The figures of a report (its totals, with the previous period's
/// fatalities given as `fatalities` and no civilian figures).
fn report_figures(r: &Value) -> Figures {
    let f = &r["fatalities"];
    let has_civilian = r.get("civilian_known_incidents").is_some();
    Figures {
        incidents: count(r, "incidents"),
        best: sum(f, "best"),
        low: sum(f, "low"),
        high: sum(f, "high"),
        known: count(f, "known_incidents"),
        unknown: count(f, "unknown_incidents"),
        civilian: if has_civilian {
            sum(r, "civilian_fatalities")
        } else {
            None
        },
        civilian_known: if has_civilian {
            count(r, "civilian_known_incidents")
        } else {
            0
        },
    }
}

/// The figures of a grouped row (or of a `by_admin1` entry).
fn row_figures(r: &Value) -> Figures {
    Figures {
        incidents: count(r, "incidents"),
        best: sum(r, "fatalities"),
        low: sum(r, "fatalities_low"),
        high: sum(r, "fatalities_high"),
        known: count(r, "fatalities_known"),
        unknown: count(r, "fatalities_unknown"),
        civilian: sum(r, "civilian_fatalities"),
        civilian_known: count(r, "civilian_known"),
    }
}

/// Low <= best <= high wherever the sums are known.
fn assert_ordered(f: &Figures, what: &str) {
    if let (Some(l), Some(b), Some(h)) = (f.low, f.best, f.high) {
        assert!(l <= b && b <= h, "{what}: low {l}, best {b}, high {h}");
    } else {
        assert_eq!(
            (f.low, f.high),
            (None, None),
            "{what}: sums cover the same incidents"
        );
    }
}

/// Checks one report against the independent count.
fn check_report(
    s: &Session,
    all: &[Generated],
    args: &[&str],
    keep: &dyn Fn(&Generated) -> bool,
    start: NaiveDate,
    end: NaiveDate,
    prev: (NaiveDate, NaiveDate),
) -> u64 {
    let (r, _) = report(s, args);
    let e = expected(all, keep, start, end);
    let what = format!("report {args:?}");
    assert_eq!(r["period"]["start"], start.to_string(), "{what}");
    assert_eq!(r["period"]["end"], end.to_string(), "{what}");
    let figures = report_figures(&r);
    assert_eq!(figures, e.totals.figures(), "{what}: totals");
    assert_ordered(&figures, &what);
    assert_eq!(counts(&r["by_type"]), e.by_type, "{what}: by_type");
    assert_eq!(counts(&r["by_week"]), e.by_week, "{what}: by_week");
    assert_eq!(counts(&r["by_day"]), e.by_day, "{what}: by_day");
    assert_eq!(counts(&r["by_actor"]), e.by_actor, "{what}: by_actor");
    let by_admin1: BTreeMap<String, Figures> = r["by_admin1"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), row_figures(v)))
        .collect();
    assert_eq!(by_admin1, e.by_admin1, "{what}: by_admin1");
    let by_sub: u64 = counts(&r["by_sub_type"]).values().sum();
    assert_eq!(by_sub, e.totals.incidents, "{what}: by_sub_type adds up");
    let by_admin2: u64 = counts(&r["by_admin2"]).values().sum();
    assert_eq!(by_admin2, e.totals.incidents, "{what}: by_admin2 adds up");
    let overlapping: BTreeSet<String> = r["overlapping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["uid"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        r["overlapping_total"],
        e.overlapping.len(),
        "{what}: overlapping_total"
    );
    assert_eq!(overlapping, e.overlapping, "{what}: overlapping uids");
    for o in r["overlapping"].as_array().unwrap() {
        let (a, b) = (
            o["date_start"].as_str().unwrap(),
            o["date_end"].as_str().unwrap(),
        );
        assert!(
            a <= end.to_string().as_str() && b >= start.to_string().as_str(),
            "{what}: {o}"
        );
    }

    let p = &r["previous_period"];
    assert_eq!(p["start"], prev.0.to_string(), "{what}: previous start");
    assert_eq!(p["end"], prev.1.to_string(), "{what}: previous end");
    let pt = totals(all, keep, prev.0, prev.1).figures();
    let previous = report_figures(p);
    assert_eq!(
        previous,
        Figures {
            civilian: None,
            civilian_known: 0,
            ..pt
        },
        "{what}: previous period"
    );
    assert_ordered(&previous, &what);
    let now = e.totals.figures();
    assert_eq!(
        p["incidents_change"],
        now.incidents as i64 - pt.incidents as i64,
        "{what}"
    );
    let change = now.best.zip(pt.best).map(|(a, b)| a as i64 - b as i64);
    assert_eq!(sum_i64(&p["fatalities_change"]), change, "{what}");
    assert!(r["tallies"].as_array().unwrap().is_empty(), "{what}");

    // The long CSV gives the same totals, with the incidents each covers.
    let csv_text = s.ok(&[&["report"][..], args, &["--format", "csv"]].concat());
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let cell = |key: &str, col: usize| -> String {
        let row = rows
            .iter()
            .find(|r| &r[0] == "total" && &r[1] == key)
            .unwrap_or_else(|| panic!("{what}: no total {key}"));
        row[col].to_string()
    };
    let text = |v: Option<u64>| v.map_or_else(String::new, |n| n.to_string());
    assert_eq!(cell("all", 3), text(now.best), "{what}: CSV best");
    assert_eq!(cell("all", 4), now.known.to_string(), "{what}: CSV known");
    assert_eq!(cell("fatalities_low", 3), text(now.low), "{what}: CSV low");
    assert_eq!(
        cell("civilian_fatalities", 3),
        text(now.civilian),
        "{what}: CSV civilian"
    );
    assert_eq!(
        cell("civilian_fatalities", 4),
        now.civilian_known.to_string(),
        "{what}: CSV civilian known"
    );
    now.incidents
}

fn sum_i64(v: &Value) -> Option<i64> {
    (!v.is_null()).then(|| v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}")))
}

/// A database of generated incidents written through the library (calling
/// the binary a thousand times would take minutes).
fn generated_session(n: usize) -> (Session, Vec<Generated>) {
    let s = Session::new();
    let mut all = generate(n);
    let regions = incidents::geo::Regions::bundled().unwrap();
    for g in &mut all {
        g.inc.normalize().unwrap();
        let placed = incidents::locate::assign_regions(&regions, &mut g.inc).unwrap();
        assert_eq!(
            placed,
            incidents::locate::Placement::Inside,
            "{:?} is inside a region",
            g.inc.uid
        );
        assert_eq!(
            g.inc.admin1_code.as_deref(),
            Some(g.admin1),
            "{:?} at {:?},{:?}",
            g.inc.uid,
            g.inc.latitude,
            g.inc.longitude
        );
        assert_eq!(g.inc.country.as_deref(), Some(g.country));
    }
    let mut store = incidents::store::open(
        &incidents::store::Location::parse(&s.db_arg()),
        &incidents::store::Author::default(),
    )
    .unwrap();
    incidents::store::write(store.as_mut(), |w| {
        for g in &all {
            w.insert_incident(&g.inc)?;
        }
        Ok(())
    })
    .unwrap();
    drop(store);
    (s, all)
}

fn month_bounds(m: &str) -> (NaiveDate, NaiveDate) {
    let span = DateSpan::parse("month", m).unwrap();
    (span.start, span.end)
}

both!(generated_incidents_aggregate_exactly);
fn generated_incidents_aggregate_exactly() {
    let (s, all) = generated_session(1200);
    assert_eq!(
        s.json(&["list", "--limit", "5000"])
            .as_array()
            .unwrap()
            .len(),
        1200
    );

    // The generator covers what the counting rule has to handle.
    let precisions: BTreeSet<&str> = all.iter().map(|g| g.inc.span.precision.as_str()).collect();
    assert_eq!(precisions.len(), 5, "{precisions:?}");
    assert!(
        all.iter()
            .any(|g| g.inc.span.precision == DatePrecision::Week
                && month_key(&g.inc.span).starts_with('('))
    );
    assert!(
        all.iter()
            .filter(|g| g.inc.fatalities.best.is_none())
            .count()
            > 100
    );
    assert!(all.iter().any(|g| g.inc.fatalities.low.is_some()));
    let f = |g: &Generated| g.inc.fatalities;
    assert!(
        all.iter()
            .any(|g| f(g).best.is_none() && f(g).low.is_some() && f(g).high.is_some())
    );
    assert!(
        all.iter()
            .any(|g| f(g).best.is_none() && f(g).high.is_none() && f(g).low.is_some())
    );
    assert!(
        all.iter()
            .any(|g| f(g).best.is_some() && f(g).inconsistent())
    );
    assert!(
        all.iter()
            .any(|g| g.inc.actor1.is_some() && g.inc.actor1 == g.inc.actor2)
    );
    assert!(
        all.iter()
            .any(|g| g.inc.actor1.is_none() && g.inc.actor2.is_none())
    );

    let mut counted = 0;
    // Region by month, with the previous month.
    for (i, (name, code, _, _, _)) in PLACES.iter().enumerate() {
        let in_region = |g: &Generated| g.admin1 == *code;
        let months: &[&str] = match i % 3 {
            0 => &["2025-01", "2025-06"],
            1 => &["2025-03", "2024-12"],
            _ => &["2025-05", "2025-08"],
        };
        for m in months {
            let (start, end) = month_bounds(m);
            let prev = month_bounds(&(start - Duration::days(1)).format("%Y-%m").to_string());
            counted += check_report(
                &s,
                &all,
                &["--region", name, "--month", m],
                &in_region,
                start,
                end,
                prev,
            );
        }
    }
    assert!(counted > 50, "the months checked hold incidents: {counted}");

    // The region by code gives the same report as by name.
    let (by_name, _) = report(&s, &["--region", "Mosul", "--month", "2025-04"]);
    let (by_code, _) = report(&s, &["--region", "IQ-NI", "--month", "2025-04"]);
    assert_eq!(by_name, by_code);

    // Weeks, including one across a month end and one across the year end.
    let damascus = |g: &Generated| g.admin1 == "SY-DI";
    for (week, start) in [
        ("2025-W18", "2025-04-28"),
        ("2025-W01", "2024-12-30"),
        ("2025-W23", "2025-06-02"),
    ] {
        let start = d(start);
        let end = start + Duration::days(6);
        check_report(
            &s,
            &all,
            &["--region", "Damascus", "--week", week],
            &damascus,
            start,
            end,
            (start - Duration::days(7), start - Duration::days(1)),
        );
    }

    // A year, with the previous year.
    let baghdad = |g: &Generated| g.admin1 == "IQ-BG";
    check_report(
        &s,
        &all,
        &["--region", "Baghdad", "--year", "2025"],
        &baghdad,
        d("2025-01-01"),
        d("2025-12-31"),
        (d("2024-01-01"), d("2024-12-31")),
    );

    // An arbitrary range across a month end, with the same length before.
    let aleppo = |g: &Generated| g.admin1 == "SY-HL";
    check_report(
        &s,
        &all,
        &[
            "--region",
            "Aleppo",
            "--from",
            "2025-03-20",
            "--to",
            "2025-04-12",
        ],
        &aleppo,
        d("2025-03-20"),
        d("2025-04-12"),
        (d("2025-02-24"), d("2025-03-19")),
    );

    // A country, and everything.
    let iraq = |g: &Generated| g.country == "IQ";
    let (start, end) = month_bounds("2025-02");
    check_report(
        &s,
        &all,
        &["--country", "IQ", "--month", "2025-02"],
        &iraq,
        start,
        end,
        month_bounds("2025-01"),
    );
    check_report(
        &s,
        &all,
        &["--month", "2025-07"],
        &|_| true,
        d("2025-07-01"),
        d("2025-07-31"),
        month_bounds("2025-06"),
    );

    // Other filters narrow the report the same way.
    let battles_in_basra = |g: &Generated| g.admin1 == "IQ-BA" && g.inc.event_type == "Battles";
    let (start, end) = month_bounds("2025-04");
    check_report(
        &s,
        &all,
        &[
            "--region", "Basra", "--type", "battles", "--month", "2025-04",
        ],
        &battles_in_basra,
        start,
        end,
        month_bounds("2025-03"),
    );
}

type GroupKey = Vec<String>;

fn grouped_expected(
    all: &[Generated],
    keep: &dyn Fn(&Generated) -> bool,
    dims: &[&str],
    start: NaiveDate,
    end: NaiveDate,
) -> BTreeMap<GroupKey, Figures> {
    let mut out: BTreeMap<GroupKey, Totals> = BTreeMap::new();
    for g in all.iter().filter(|g| keep(g)) {
        let s = &g.inc.span;
        if !(s.start >= start && s.end <= end) {
            continue;
        }
        // Every combination of the keys (an incident has several actors).
        let mut keys: Vec<GroupKey> = vec![vec![]];
        for d in dims {
            let values: Vec<String> = match *d {
                "admin1" => vec![g.admin1.to_string()],
                "country" => vec![g.country.to_string()],
                "month" => vec![month_key(s)],
                "week" => vec![week_key(s)],
                "day" => vec![day_key(s)],
                "year" => vec![year_key(s)],
                "type" => vec![g.inc.event_type.clone()],
                "actor" => actor_keys(&g.inc).into_iter().collect(),
                other => panic!("no expectation for {other}"),
            };
            keys = keys
                .into_iter()
                .flat_map(|k| {
                    values.iter().map(move |v| {
                        let mut k = k.clone();
                        k.push(v.clone());
                        k
                    })
                })
                .collect();
        }
        for key in keys {
            out.entry(key).or_default().add(&g.inc);
        }
    }
    out.into_iter().map(|(k, t)| (k, t.figures())).collect()
}

fn grouped_actual(v: &Value, dims: &[&str]) -> BTreeMap<GroupKey, Figures> {
    let mut out = BTreeMap::new();
    for r in v.as_array().unwrap() {
        let key: GroupKey = dims
            .iter()
            .map(|d| {
                r[*d]
                    .as_str()
                    .unwrap_or_else(|| panic!("{d} in {r}"))
                    .to_string()
            })
            .collect();
        let t = row_figures(r);
        assert_ordered(&t, &format!("{key:?}"));
        assert!(
            out.insert(key.clone(), t).is_none(),
            "duplicate row {key:?}"
        );
    }
    out
}

both!(generated_incidents_group_exactly);
fn generated_incidents_group_exactly() {
    let (s, all) = generated_session(1000);
    // Some groups have partial sums and some only unknown ones.
    let (mut partial, mut unknown) = (false, false);
    for (dims, from, to) in [
        ("admin1,month", "2025-01-01", "2025-12-31"),
        ("admin1,month", "2024-11-15", "2025-04-10"),
        ("country,week", "2025-02-01", "2025-05-31"),
        ("year", "2024-01-01", "2025-12-31"),
        ("type,day", "2025-06-01", "2025-06-30"),
        ("actor", "2024-11-01", "2025-09-30"),
        ("actor,month", "2025-01-01", "2025-06-30"),
    ] {
        let v = s.json(&["report", "--group-by", dims, "--from", from, "--to", to]);
        let names: Vec<&str> = dims.split(',').collect();
        let want = grouped_expected(&all, &|_| true, &names, d(from), d(to));
        assert!(!want.is_empty());
        partial |= want.values().any(|f| f.known > 0 && f.unknown > 0);
        unknown |= want
            .values()
            .any(|f| f.best.is_none() && f.civilian.is_none());
        assert_eq!(
            grouped_actual(&v, &names),
            want,
            "--group-by {dims} --from {from} --to {to}"
        );
    }
    assert!(partial && unknown, "partial {partial}, unknown {unknown}");
    // With a month instead of --from/--to, and a region.
    let v = s.json(&[
        "report",
        "--group-by",
        "admin1,day",
        "--month",
        "2025-03",
        "--region",
        "Mosul",
    ]);
    let (start, end) = month_bounds("2025-03");
    let mosul = |g: &Generated| g.admin1 == "IQ-NI";
    let want = grouped_expected(&all, &mosul, &["admin1", "day"], start, end);
    assert!(!want.is_empty());
    assert_eq!(grouped_actual(&v, &["admin1", "day"]), want);
}
