//! `incidents seed`, `demo`, `init` and `types`. Expectations come from the
//! seed files themselves (seeds/*.json) and from seeds/README.md, never from
//! running the program.
mod common;
use std::collections::BTreeMap;

use common::{Session, both};
use serde_json::{Value, json};

fn seed_file(name: &str) -> Vec<Value> {
    let path = format!("{}/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    v.as_array().expect("a JSON array").clone()
}

/// The regions seeds/README.md says each seed incident is credited to
/// (admin1 code, admin2 code): precision 3 gets no district.
const SEED_REGIONS: [(&str, &str, Option<&str>); 7] = [
    ("SEED-SY-2025-MASMIYAH-CLASH", "SY-DR", Some("SY1202")),
    (
        "SEED-SY-2025-MASMIYAH-CHECKPOINT-EXTORTION",
        "SY-DR",
        Some("SY1202"),
    ),
    ("SEED-SY-2025-DARAA-MAN-SHOT-WHILE-PRAYING", "SY-DR", None),
    (
        "SEED-SY-2025-SANAMAYN-SECURITY-DEPLOYMENT",
        "SY-DR",
        Some("SY1202"),
    ),
    ("SEED-SY-2025-DARAA-ISF-DISMISSALS", "SY-DR", None),
    (
        "SEED-IQ-2020-US-TROOP-REDUCTION-ANNOUNCEMENT",
        "IQ-BG",
        None,
    ),
    (
        "SEED-IQ-2020-PMF-SOLEIMANI-ANNIVERSARY-THREAT",
        "IQ-BG",
        None,
    ),
];

/// A seed value as our CSV writes it: null is an empty cell.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

both!(seed_is_idempotent);
fn seed_is_idempotent() {
    let s = Session::new();
    assert_eq!(
        s.ok(&["seed"]).trim(),
        "seed: incidents 7 new, 0 updated, 0 unchanged; tallies 4 new, 0 updated, 0 unchanged"
    );
    let before = s.snapshot();
    assert_eq!(
        s.ok(&["seed"]).trim(),
        "seed: incidents 0 new, 0 updated, 7 unchanged; tallies 0 new, 0 updated, 4 unchanged"
    );
    assert_eq!(s.snapshot(), before, "a second seed changed the database");
}

both!(seed_incidents_are_stored_as_the_seed_file_says);
fn seed_incidents_are_stored_as_the_seed_file_says() {
    let s = Session::seeded();
    let seeds = seed_file("incidents.json");
    assert_eq!(seeds.len(), SEED_REGIONS.len());
    let text = s.ok(&["list", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<BTreeMap<String, String>> = r
        .records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), seeds.len(), "{text}");
    for seed in &seeds {
        let uid = seed["uid"].as_str().unwrap();
        let row = rows
            .iter()
            .find(|r| r["uid"] == uid)
            .unwrap_or_else(|| panic!("{uid} not listed"));
        for field in [
            "title",
            "event_type",
            "sub_event_type",
            "date_start",
            "date_end",
            "date_precision",
            "place",
            "geo_precision",
            "country",
            "fatalities",
            "fatalities_low",
            "fatalities_high",
            "civilian_fatalities",
            "actor1",
            "actor2",
            "assoc_actors",
            "notes",
        ] {
            assert_eq!(row[field], cell(&seed[field]), "{uid}: {field}");
        }
        for field in ["latitude", "longitude"] {
            let got: f64 = row[field].parse().unwrap();
            assert_eq!(Some(got), seed[field].as_f64(), "{uid}: {field}");
        }
        let tags: Vec<&str> = seed["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(row["tags"], tags.join(";"), "{uid}: tags");
        let sources: Value = serde_json::from_str(&row["sources"]).unwrap();
        assert_eq!(sources, seed["sources"], "{uid}: sources");
        let (_, admin1, admin2) = SEED_REGIONS.iter().find(|r| r.0 == uid).unwrap();
        assert_eq!(row["admin1_code"], *admin1, "{uid}: admin1_code");
        assert_eq!(
            row["admin2_code"],
            admin2.unwrap_or(""),
            "{uid}: admin2_code"
        );
    }
}

both!(seed_tallies_are_the_reported_figures);
fn seed_tallies_are_the_reported_figures() {
    let s = Session::seeded();
    let seeds = seed_file("tallies.json");
    let got = s.json(&["tally", "list"]);
    let got = got.as_array().unwrap();
    assert_eq!(got.len(), seeds.len(), "{got:?}");
    // seeds/README.md: the tallies name Daraa governorate and As-Sanamayn district.
    let codes = BTreeMap::from([("Daraa", "SY-DR"), ("As-Sanamayn", "SY1202")]);
    for seed in &seeds {
        let uid = seed["uid"].as_str().unwrap();
        let t = got
            .iter()
            .find(|t| t["uid"] == uid)
            .unwrap_or_else(|| panic!("{uid} not listed"));
        for field in [
            "region",
            "place",
            "period_start",
            "period_end",
            "metric",
            "derived",
            "notes",
        ] {
            assert_eq!(t[field], seed[field], "{uid}: {field}");
        }
        assert_eq!(t["value"].as_f64(), seed["value"].as_f64(), "{uid}: value");
        assert_eq!(t["source"], seed["source"]["publisher"], "{uid}: source");
        let region = seed["region"].as_str().unwrap();
        assert_eq!(t["region_code"], codes[region], "{uid}: region_code");
    }
}

/// The report's tallies as uid -> (value, coverage, derived).
fn tallies(report: &Value) -> BTreeMap<String, (f64, String, bool)> {
    report["tallies"]
        .as_array()
        .expect("tallies")
        .iter()
        .map(|t| {
            (
                t["uid"].as_str().unwrap().to_string(),
                (
                    t["value"].as_f64().unwrap(),
                    t["coverage"].as_str().unwrap().to_string(),
                    t["derived"].as_bool().unwrap(),
                ),
            )
        })
        .collect()
}

fn overlapping(report: &Value) -> Vec<String> {
    let mut u: Vec<String> = report["overlapping"]
        .as_array()
        .expect("overlapping")
        .iter()
        .map(|i| i["uid"].as_str().unwrap().to_string())
        .collect();
    u.sort();
    u
}

fn tally(value: f64, coverage: &str, derived: bool) -> (f64, String, bool) {
    (value, coverage.to_string(), derived)
}

both!(seed_reports_follow_the_counting_rules);
fn seed_reports_follow_the_counting_rules() {
    let s = Session::seeded();
    // June 2025: every Daraa seed runs into July, so none counts; four
    // overlap June. The June tallies are within it, the derived May one is
    // the previous period, the district's assassinations overlap.
    let june = s.json(&["report", "--region", "Daraa", "--month", "2025-06"]);
    assert_eq!(june["region"]["code"], "SY-DR");
    assert_eq!(june["region"]["level"], "admin1");
    assert_eq!(
        june["period"],
        json!({"start": "2025-06-01", "end": "2025-06-30"})
    );
    assert_eq!(june["incidents"], 0);
    assert_eq!(
        overlapping(&june),
        [
            "SEED-SY-2025-DARAA-ISF-DISMISSALS",
            "SEED-SY-2025-DARAA-MAN-SHOT-WHILE-PRAYING",
            "SEED-SY-2025-MASMIYAH-CHECKPOINT-EXTORTION",
            "SEED-SY-2025-SANAMAYN-SECURITY-DEPLOYMENT",
        ]
    );
    assert_eq!(june["overlapping_total"], 4);
    assert_eq!(
        tallies(&june),
        BTreeMap::from([
            (
                "SEED-TALLY-DARAA-2025-06-KILLINGS".to_string(),
                tally(38.0, "within", false)
            ),
            (
                "SEED-TALLY-DARAA-2025-06-CIVILIAN-KILLINGS".to_string(),
                tally(23.0, "within", false)
            ),
            (
                "SEED-TALLY-DARAA-2025-05-KILLINGS-DERIVED".to_string(),
                tally(19.0, "previous_period", true)
            ),
            (
                "SEED-TALLY-SANAMAYN-2024-12-TO-2025-07-ASSASSINATIONS".to_string(),
                tally(17.0, "overlapping", false)
            ),
        ])
    );

    // July 2025: only the clash (1-15 July) lies wholly inside.
    let july = s.json(&["report", "--region", "Dar'a", "--month", "2025-07"]);
    assert_eq!(july["incidents"], 1);
    assert_eq!(july["by_type"], json!({"Battles": 1}));
    assert_eq!(july["by_admin2"]["SY1202"]["incidents"], 1);
    assert_eq!(july["overlapping_total"], 4);
    let t = tallies(&july);
    assert_eq!(
        t["SEED-TALLY-DARAA-2025-06-KILLINGS"],
        tally(38.0, "previous_period", false)
    );
    assert_eq!(
        t["SEED-TALLY-SANAMAYN-2024-12-TO-2025-07-ASSASSINATIONS"],
        tally(17.0, "overlapping", false)
    );
    assert!(!t.contains_key("SEED-TALLY-DARAA-2025-05-KILLINGS-DERIVED"));

    // June-July: four Daraa seeds lie inside. In As-Sanamayn district only
    // the two placed there count; the two known only to the governorate
    // (precision 3) are its incidents without a district.
    let range = ["--from", "2025-06-01", "--to", "2025-07-31"];
    let daraa = s.json(&[&["report", "--region", "Daraa"][..], &range].concat());
    assert_eq!(daraa["incidents"], 4);
    assert_eq!(
        overlapping(&daraa),
        ["SEED-SY-2025-MASMIYAH-CHECKPOINT-EXTORTION"]
    );
    let district = s.json(&[&["report", "--region", "As-Sanamayn"][..], &range].concat());
    assert_eq!(district["region"]["code"], "SY1202");
    assert_eq!(district["region"]["level"], "admin2");
    assert_eq!(district["incidents"], 2);
    assert_eq!(
        district["parent_without_district"],
        json!({"admin1_code": "SY-DR", "incidents": 2})
    );
    assert_eq!(
        district["by_type"],
        json!({"Battles": 1, "Strategic developments": 1})
    );

    // The two Iraq records count in Baghdad governorate, in no district.
    let iraq = s.json(&[
        "report",
        "--country",
        "IQ",
        "--from",
        "2020-01-01",
        "--to",
        "2021-12-31",
    ]);
    assert_eq!(iraq["incidents"], 2);
    assert_eq!(iraq["by_admin1"]["IQ-BG"]["incidents"], 2);
    assert_eq!(iraq["by_admin2"].as_object().unwrap().len(), 1, "{iraq}");
    assert_eq!(iraq["by_admin2"]["(district unknown)"]["incidents"], 2);
}

/// The cells of the box-drawn table rows of `text` (comfy-table's layout).
fn table_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| {
            l.trim_matches('│')
                .split('┆')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn demo_builds_a_fresh_database_and_shows_the_june_report() {
    let s = Session::new();
    let path = s.dir.path().join("demo.db");
    let out = s.ok(&["demo", path.to_str().unwrap()]);
    let start = out
        .find("== The Daraa June 2025 report")
        .expect("the demo shows the June report");
    let end = out[start..]
        .find("== The seed incidents")
        .map_or(out.len(), |e| start + e);
    let rows = table_rows(&out[start..end]);
    let killings = rows
        .iter()
        .find(|r| r[0] == "killings" && r.get(2).is_some_and(|p| p.starts_with("2025-06-01")))
        .unwrap_or_else(|| panic!("no June killings tally in the demo's report:\n{out}"));
    assert_eq!(killings[1], "38", "{killings:?}");
    assert_eq!(killings[3], "within", "{killings:?}");
    let civilians = rows
        .iter()
        .find(|r| r[0] == "civilian killings")
        .unwrap_or_else(|| panic!("no civilian killings tally:\n{out}"));
    assert_eq!(civilians[1], "23", "{civilians:?}");

    // The demo's database is the seeded one.
    let demo = Session::at(tempfile::tempdir().unwrap(), path.clone());
    assert_eq!(demo.json(&["list"]).as_array().unwrap().len(), 7);
    assert_eq!(demo.json(&["tally", "list"]).as_array().unwrap().len(), 4);
    let e = s.fails(&["demo", path.to_str().unwrap()]);
    assert!(e.contains("does not exist yet"), "{e}");
}

#[test]
fn init_creates_the_database_at_the_latest_schema() {
    let s = Session::new();
    let schema = include_str!("../schema.sql");
    let migrations = schema
        .lines()
        .filter(|l| l.starts_with("-- migration "))
        .count();
    let readme = include_str!("../README.md");
    let places: String = readme
        .split("the gazetteer (")
        .nth(1)
        .and_then(|t| t.split(" places").next())
        .expect("README states the gazetteer's size")
        .replace(',', "");
    let expected = |verb: &str| {
        format!(
            "{verb} {} (schema version {migrations}): 0 incidents; bundled gazetteer of {places} places;",
            s.db_path().display()
        )
    };
    let out = s.ok(&["init"]);
    assert!(out.starts_with(&expected("created")), "{out}");
    let c = rusqlite::Connection::open(s.db_path()).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(usize::try_from(version), Ok(migrations));
    drop(c);
    let before = s.snapshot();
    let again = s.ok(&["init"]);
    assert!(again.starts_with(&expected("opened")), "{again}");
    assert_eq!(s.snapshot(), before);
}

both!(database_from_env_var);
fn database_from_env_var() {
    let s = Session::new();
    let mut c = assert_cmd::Command::cargo_bin("incidents").unwrap();
    c.env("INCIDENTS_DB", s.db_arg())
        .current_dir(s.dir.path())
        .args(["add", "--date", "2025", "--type", "riots"])
        .assert()
        .success();
    assert!(
        !s.dir.path().join("incidents.db").exists(),
        "the default path was used instead of $INCIDENTS_DB"
    );
    let rows = s.json(&["list"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["event_type"], "Riots");
    assert_eq!(rows[0]["date_start"], "2025-01-01");
    assert_eq!(rows[0]["date_end"], "2025-12-31");
}

both!(types_lists_the_acled_taxonomy);
fn types_lists_the_acled_taxonomy() {
    let s = Session::new();
    let t = s.json(&["types"]);
    let t = t.as_array().unwrap();
    let mut by_type: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in t {
        by_type
            .entry(r["event_type"].as_str().unwrap())
            .or_default()
            .push(r["sub_event_type"].as_str().unwrap());
    }
    // ACLED's codebook: six event types, 25 sub-event types.
    let counts: BTreeMap<&str, usize> = by_type.iter().map(|(k, v)| (*k, v.len())).collect();
    assert_eq!(
        counts,
        BTreeMap::from([
            ("Battles", 3),
            ("Explosions/Remote violence", 6),
            ("Protests", 3),
            ("Riots", 2),
            ("Strategic developments", 8),
            ("Violence against civilians", 3),
        ])
    );
    assert!(by_type["Explosions/Remote violence"].contains(&"Remote explosive/landmine/IED"));
    assert!(by_type["Battles"].contains(&"Non-state actor overtakes territory"));
    assert!(by_type["Violence against civilians"].contains(&"Sexual violence"));
}

both!(seeds_are_linked_to_the_custom_regions_they_lie_in);
fn seeds_are_linked_to_the_custom_regions_they_lie_in() {
    let s = Session::new();
    let aoi = s.file(
        "aoi.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Masmiyah area"},
        "geometry":{"type":"Polygon","coordinates":[[[36.3,33.0],[36.5,33.0],[36.5,33.2],[36.3,33.2],[36.3,33.0]]]}}]}"#,
    );
    s.ok(&[
        "regions",
        "import",
        aoi.to_str().expect("UTF-8 path"),
        "--name-field",
        "name",
    ]);
    s.ok(&["seed"]);
    let v = s.json(&["list", "--region", "Masmiyah area"]);
    let uids: Vec<&str> = v
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|i| i["uid"].as_str().expect("uid"))
        .collect();
    assert_eq!(
        uids,
        [
            "SEED-SY-2025-MASMIYAH-CHECKPOINT-EXTORTION",
            "SEED-SY-2025-MASMIYAH-CLASH"
        ]
    );
    s.ok(&["check"]);
}

/// `--db SERVER demo` seeds that server's database and shows the June
/// report; a server database that already holds incidents is refused
/// unchanged (the demo starts fresh).
#[test]
fn demo_on_a_server_seeds_it_and_refuses_one_in_use() {
    common::run_on(
        common::Backend::Postgres,
        "demo_on_a_server_seeds_it_and_refuses_one_in_use",
        || {
            let s = Session::new();
            let out = s.ok(&["demo"]);
            assert!(out.contains("Daraa June 2025 report"), "{out}");
            assert!(
                out.contains(&format!("--db {} report", s.db_arg())),
                "{out}"
            );
            assert_eq!(s.json(&["list"]).as_array().unwrap().len(), 7);
            let before = s.snapshot();
            let err = s.fails(&["demo"]);
            assert!(err.contains("holds no incidents"), "{err}");
            assert_eq!(s.snapshot(), before);
        },
    );
}
