//! `incidents seed`, `demo`, `init` and `types`.
mod common;
use common::Session;

#[test]
fn seed_is_idempotent_and_complete() {
    let s = Session::new();
    let first = s.ok(&["seed"]);
    assert!(first.contains("incidents 7 new"), "{first}");
    let again = s.ok(&["seed"]);
    assert!(again.contains("0 new, 0 updated, 7 unchanged"), "{again}");
    let all = s.json(&["list"]);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 7);
    let clash = all
        .iter()
        .find(|i| i["uid"] == "SEED-SY-2025-MASMIYAH-CLASH")
        .unwrap();
    assert_eq!(clash["date_precision"], "range");
    assert_eq!(clash["admin1_code"], "SY-DR");
    assert_eq!(clash["admin2_code"], "SY1202");
    assert!(clash["fatalities"].is_null());
    assert!(clash["notes"].as_str().unwrap().contains("Tuesday"));
    let threat = all
        .iter()
        .find(|i| i["tags"].as_array().unwrap().iter().any(|t| t == "threat"))
        .unwrap();
    assert_eq!(threat["event_type"], "Strategic developments");
    let us = all
        .iter()
        .find(|i| i["date_start"] == "2020-11-17")
        .unwrap();
    assert_eq!(us["country"], "IQ");
    let tallies = s.json(&["tally", "list"]);
    let tallies = tallies.as_array().unwrap();
    let value_of = |metric: &str, start: &str| {
        tallies
            .iter()
            .find(|t| t["metric"] == metric && t["period_start"] == start)
            .map(|t| {
                (
                    t["value"].as_f64().unwrap(),
                    t["derived"].as_bool().unwrap(),
                )
            })
    };
    assert_eq!(value_of("killings", "2025-06-01"), Some((38.0, false)));
    assert_eq!(
        value_of("civilian killings", "2025-06-01"),
        Some((23.0, false))
    );
    assert_eq!(value_of("killings", "2025-05-01"), Some((19.0, true)));
    assert_eq!(
        value_of("assassinations", "2024-12-08"),
        Some((17.0, false))
    );
}

#[test]
fn demo_builds_a_fresh_database_and_shows_the_seeds() {
    let s = Session::new();
    let path = s.dir.path().join("demo.db");
    let out = s.ok(&["demo", path.to_str().unwrap()]);
    assert!(out.contains("SEED-SY-2025-MASMIYAH-CLASH"), "{out}");
    assert!(out.contains("38"));
    assert!(path.exists());
    assert!(
        s.fails(&["demo", path.to_str().unwrap()])
            .contains("does not exist yet")
    );
}

#[test]
fn init_creates_the_database() {
    let s = Session::new();
    let out = s.ok(&["init"]);
    assert!(out.starts_with("created"), "{out}");
    assert!(s.db.exists());
    assert!(s.ok(&["init"]).starts_with("opened"));
}

#[test]
fn database_from_env_var() {
    let s = Session::new();
    let path = s.dir.path().join("env.db");
    let mut c = assert_cmd::Command::cargo_bin("incidents").unwrap();
    c.env("INCIDENTS_DB", &path)
        .args(["add", "--date", "2025", "--type", "riots"])
        .assert()
        .success();
    assert!(path.exists());
}

#[test]
fn types_lists_the_taxonomy() {
    let s = Session::new();
    let t = s.json(&["types"]);
    let t = t.as_array().unwrap();
    assert_eq!(t.len(), 25);
    assert!(
        t.iter()
            .any(|r| r["event_type"] == "Explosions/Remote violence"
                && r["sub_event_type"] == "Remote explosive/landmine/IED")
    );
}

#[test]
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
