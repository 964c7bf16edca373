//! Our exports read by readers that share no code with ours: GDAL (ogrinfo,
//! ogr2ogr) for GeoJSON, GeoJSONSeq and GeoPackage, Python's csv module for
//! our CSV and ACLED CSV, and the sqlite3 CLI for the GeoPackage and the
//! database itself. The expected values are written here, from what each
//! test incident was given and from seeds/incidents.json, never from our
//! own output. The tools are required: a missing one fails the test, it does
//! not skip it (CI installs gdal-bin and sqlite3; python3 is on every runner).
//!
//! The ACLED columns `country`, `iso`, `time_precision` and the `event_date`
//! of spans longer than a day, and how tags with separators are escaped, are
//! deliberately not checked here: tests/export.rs and tests/import.rs own them.
mod common;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use common::{Session, both};
use serde_json::{Value, json};

/// Runs an external tool that must be installed and succeed; returns stdout.
fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!(
            "`{name}` is required by this test and could not be run ({e}); install it \
             (Debian/Ubuntu: apt-get install gdal-bin sqlite3 python3)"
        )
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{name} {args:?}: not UTF-8: {e}"))
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The seeds plus four incidents that carry what readers trip on: Arabic
/// and a flag emoji, quotes, commas and a newline; text a spreadsheet would
/// run as a formula; a known toll of zero beside unknown ones; a week; a
/// point with more than 6 decimals; and one incident without a point.
fn session() -> Session {
    let s = Session::seeded();
    let adds: &[&[&str]] = &[
        &[
            "--uid",
            "IO-UNICODE",
            "--date",
            "2025-06-17",
            "--type",
            "Battles",
            "--sub-type",
            "Armed clash",
            "--lat",
            "32.6189",
            "--lon",
            "36.1021",
            "--place",
            "درعا البلد (Daraa al-Balad)",
            "--title",
            "Clash in \"Daraa al-Balad\", 3 killed — اشتباك 🇸🇾",
            "--fatalities",
            "3",
            "--fatalities-low",
            "2",
            "--fatalities-high",
            "5",
            "--civilian-fatalities",
            "1",
            "--actor1",
            "Military Forces of Syria (2024-)",
            "--actor2",
            "Unidentified Armed Group (Syria)",
            "--notes",
            "First line, with a comma.\nSecond line: \"quoted\"; درعا.",
            "--tag",
            "daraa",
            "--tag",
            "حوران",
            "--source",
            "SOHR",
            "--source-title",
            "Clashes in \"Daraa al-Balad\"",
            "--source-url",
            "https://example.org/sohr/1",
            "--source-date",
            "2025-06-18",
            "--excerpt",
            "three killed, \"two\" wounded",
        ],
        &[
            "--uid",
            "IO-FORMULA",
            "--date",
            "2025-06-21",
            "--type",
            "Protests",
            "--sub-type",
            "Peaceful protest",
            "--lat",
            "32.5176",
            "--lon",
            "36.4818",
            "--title",
            "=HYPERLINK(\"http://example.org\",\"click\")",
            "--notes=-3 reported by one source",
            "--actor1",
            "+Protesters (Syria)",
            "--actor2",
            "@home",
        ],
        &[
            "--uid",
            "IO-ZERO",
            "--date",
            "2025-W25",
            "--type",
            "Explosions/Remote violence",
            "--sub-type",
            "Air/drone strike",
            "--lat",
            "33.513312345",
            "--lon",
            "36.278123456",
            "--fatalities",
            "0",
        ],
        &[
            "--uid",
            "IO-NOWHERE",
            "--date",
            "2025-06",
            "--type",
            "Battles",
            "--title",
            "Clashes somewhere in the south",
        ],
    ];
    for a in adds {
        s.ok(&[&["add"][..], a].concat());
    }
    s
}

/// The fields every format carries, with their values as JSON (null is
/// unknown), plus `tags` (an array) and `point` ([lon, lat] or null).
const FIELDS: [&str; 20] = [
    "uid",
    "title",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "geo_precision",
    "country",
    "admin1_code",
    "admin2_code",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "civilian_fatalities",
    "actor1",
    "actor2",
    "assoc_actors",
    "notes",
];

/// What every incident of `session()` must read back as.
fn expected() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/incidents.json");
    let seeds: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // seeds/README.md: the regions each seed is credited to (precision 3
    // gets no district).
    let regions = BTreeMap::from([
        ("SEED-SY-2025-MASMIYAH-CLASH", ("SY-DR", Some("SY1202"))),
        (
            "SEED-SY-2025-MASMIYAH-CHECKPOINT-EXTORTION",
            ("SY-DR", Some("SY1202")),
        ),
        ("SEED-SY-2025-DARAA-MAN-SHOT-WHILE-PRAYING", ("SY-DR", None)),
        (
            "SEED-SY-2025-SANAMAYN-SECURITY-DEPLOYMENT",
            ("SY-DR", Some("SY1202")),
        ),
        ("SEED-SY-2025-DARAA-ISF-DISMISSALS", ("SY-DR", None)),
        (
            "SEED-IQ-2020-US-TROOP-REDUCTION-ANNOUNCEMENT",
            ("IQ-BG", None),
        ),
        (
            "SEED-IQ-2020-PMF-SOLEIMANI-ANNIVERSARY-THREAT",
            ("IQ-BG", None),
        ),
    ]);
    let mut all: Vec<Value> = seeds
        .as_array()
        .unwrap()
        .iter()
        .map(|seed| {
            let uid = seed["uid"].as_str().unwrap();
            let (admin1, admin2) = regions[uid];
            let mut e = serde_json::Map::new();
            for f in FIELDS {
                e.insert(f.into(), seed[f].clone());
            }
            e.insert("admin1_code".into(), admin1.into());
            e.insert("admin2_code".into(), admin2.into());
            e.insert("tags".into(), seed["tags"].clone());
            e.insert("sources".into(), seed["sources"].clone());
            e.insert("point".into(), json!([seed["longitude"], seed["latitude"]]));
            Value::Object(e)
        })
        .collect();
    all.extend([
        json!({
            "uid": "IO-UNICODE",
            "title": "Clash in \"Daraa al-Balad\", 3 killed — اشتباك 🇸🇾",
            "event_type": "Battles", "sub_event_type": "Armed clash",
            "date_start": "2025-06-17", "date_end": "2025-06-17", "date_precision": "day",
            "place": "درعا البلد (Daraa al-Balad)", "geo_precision": 1,
            // Daraa city: Dar'a governorate, Dar'a district (OCHA SY1200).
            "country": "SY", "admin1_code": "SY-DR", "admin2_code": "SY1200",
            "fatalities": 3, "fatalities_low": 2, "fatalities_high": 5, "civilian_fatalities": 1,
            "actor1": "Military Forces of Syria (2024-)",
            "actor2": "Unidentified Armed Group (Syria)", "assoc_actors": null,
            "notes": "First line, with a comma.\nSecond line: \"quoted\"; درعا.",
            "tags": ["daraa", "حوران"],
            "sources": [{
                "publisher": "SOHR", "title": "Clashes in \"Daraa al-Balad\"",
                "url": "https://example.org/sohr/1", "published": "2025-06-18",
                "excerpt": "three killed, \"two\" wounded"
            }],
            "point": [36.1021, 32.6189],
        }),
        json!({
            "uid": "IO-FORMULA",
            "title": "=HYPERLINK(\"http://example.org\",\"click\")",
            "event_type": "Protests", "sub_event_type": "Peaceful protest",
            "date_start": "2025-06-21", "date_end": "2025-06-21", "date_precision": "day",
            "place": null, "geo_precision": 1,
            // Busra al-Sham, in Dar'a district.
            "country": "SY", "admin1_code": "SY-DR", "admin2_code": "SY1200",
            "fatalities": null, "fatalities_low": null, "fatalities_high": null,
            "civilian_fatalities": null,
            "actor1": "+Protesters (Syria)", "actor2": "@home", "assoc_actors": null,
            "notes": "-3 reported by one source",
            "tags": [], "sources": [],
            "point": [36.4818, 32.5176],
        }),
        json!({
            "uid": "IO-ZERO",
            "title": null,
            "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
            // ISO week 25 of 2025: Monday 16 to Sunday 22 June.
            "date_start": "2025-06-16", "date_end": "2025-06-22", "date_precision": "week",
            "place": null, "geo_precision": 1,
            // Damascus: Damascus governorate and district.
            "country": "SY", "admin1_code": "SY-DI", "admin2_code": "SY0100",
            "fatalities": 0, "fatalities_low": null, "fatalities_high": null,
            "civilian_fatalities": null,
            "actor1": null, "actor2": null, "assoc_actors": null, "notes": null,
            "tags": [], "sources": [],
            "point": [36.278123456, 33.513312345],
        }),
        json!({
            "uid": "IO-NOWHERE",
            "title": "Clashes somewhere in the south",
            "event_type": "Battles", "sub_event_type": null,
            "date_start": "2025-06-01", "date_end": "2025-06-30", "date_precision": "month",
            "place": null, "geo_precision": null,
            "country": null, "admin1_code": null, "admin2_code": null,
            "fatalities": null, "fatalities_low": null, "fatalities_high": null,
            "civilian_fatalities": null,
            "actor1": null, "actor2": null, "assoc_actors": null, "notes": null,
            "tags": [], "sources": [],
            "point": null,
        }),
    ]);
    all
}

fn with_point(all: &[Value]) -> Vec<&Value> {
    all.iter().filter(|e| !e["point"].is_null()).collect()
}

fn uid_set<'a>(items: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
    items
        .into_iter()
        .map(|v| v["uid"].as_str().expect("uid").to_string())
        .collect()
}

/// Asserts that two coordinates agree to the 6 decimals GeoJSON keeps.
fn assert_close(got: &Value, want: &Value, what: &str) {
    let (g, w) = (got.as_f64(), want.as_f64());
    assert!(
        matches!((g, w), (Some(g), Some(w)) if (g - w).abs() < 1e-6),
        "{what}: got {got}, expected {want}"
    );
}

/// The features of a layer as GDAL reads them, written out by GDAL itself as
/// GeoJSON (which keeps nulls and types apart).
fn gdal_features(file: &Path, layer: Option<&str>) -> Vec<Value> {
    let mut args = vec!["-f", "GeoJSON", "/vsistdout/", arg(file)];
    args.extend(layer);
    let out = tool("ogr2ogr", &args);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}:\n{out}"));
    v["features"].as_array().expect("features").clone()
}

/// The field types and feature count `ogrinfo -so` reports for a layer.
fn gdal_schema(file: &Path, layer: &str) -> (BTreeMap<String, String>, usize) {
    let out = tool("ogrinfo", &["-ro", "-so", arg(file), layer]);
    let count = out
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .unwrap_or_else(|| panic!("no feature count:\n{out}"))
        .trim()
        .parse()
        .unwrap();
    let types = out
        .lines()
        .filter_map(|l| {
            let (name, rest) = l.split_once(": ")?;
            let ty = rest.split(" (").next()?;
            (!name.contains(' ') && rest.ends_with(')')).then(|| (name.into(), ty.into()))
        })
        .collect();
    (types, count)
}

/// Checks GDAL's reading of a point layer against `expected()`. `tags` says
/// how the format holds the tag list.
fn check_gdal_features(features: &[Value], tags_as_list: bool, format: &str) {
    let all = expected();
    let want = with_point(&all);
    let got_props: Vec<&Value> = features.iter().map(|f| &f["properties"]).collect();
    assert_eq!(
        uid_set(got_props.iter().copied()),
        uid_set(want.iter().copied()),
        "{format}: the features GDAL reads"
    );
    for e in want {
        let uid = e["uid"].as_str().unwrap();
        let f = features
            .iter()
            .find(|f| f["properties"]["uid"] == uid)
            .unwrap();
        let p = &f["properties"];
        for field in FIELDS {
            assert_eq!(p[field], e[field], "{format} {uid}: {field}");
        }
        assert_eq!(f["geometry"]["type"], "Point", "{format} {uid}");
        let xy = &f["geometry"]["coordinates"];
        assert_close(
            &xy[0],
            &e["point"][0],
            &format!("{format} {uid}: longitude"),
        );
        assert_close(&xy[1], &e["point"][1], &format!("{format} {uid}: latitude"));
        assert_close(&p["longitude"], &e["point"][0], &format!("{format} {uid}"));
        assert_close(&p["latitude"], &e["point"][1], &format!("{format} {uid}"));
        let tags: Vec<&str> = e["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        if tags_as_list {
            assert_eq!(p["tags"], e["tags"], "{format} {uid}: tags");
        } else {
            assert_eq!(
                p["tags"].as_str().unwrap_or(""),
                tags.join(";"),
                "{format} {uid}: tags"
            );
        }
    }
}

both!(gdal_reads_our_geojson);
fn gdal_reads_our_geojson() {
    let s = session();
    let file = s.dir.path().join("incidents.geojson");
    s.ok(&["export", "--format", "geojson", "-o", arg(&file)]);
    let (types, count) = gdal_schema(&file, "incidents");
    assert_eq!(count, 10, "seven seeds and three of ours have a point");
    for (field, ty) in [
        ("uid", "String"),
        ("date_start", "Date"),
        ("date_end", "Date"),
        ("latitude", "Real"),
        ("geo_precision", "Integer"),
        ("fatalities", "Integer"),
        ("civilian_fatalities", "Integer"),
        ("tags", "StringList"),
        ("created_at", "DateTime"),
    ] {
        assert_eq!(types.get(field).map(String::as_str), Some(ty), "{field}");
    }
    let features = gdal_features(&file, None);
    check_gdal_features(&features, true, "GeoJSON");
    let unicode = features
        .iter()
        .find(|f| f["properties"]["uid"] == "IO-UNICODE")
        .unwrap();
    let all = expected();
    let want = all.iter().find(|e| e["uid"] == "IO-UNICODE").unwrap();
    assert_eq!(
        unicode["properties"]["sources"], want["sources"],
        "{unicode}"
    );
}

both!(gdal_reads_our_geojsonseq);
fn gdal_reads_our_geojsonseq() {
    let s = session();
    let file = s.dir.path().join("incidents.geojsonseq");
    s.ok(&["export", "--format", "geojsonseq", "-o", arg(&file)]);
    let (types, count) = gdal_schema(&file, "incidents");
    assert_eq!(count, 10);
    assert_eq!(types.get("date_start").map(String::as_str), Some("Date"));
    assert_eq!(types.get("fatalities").map(String::as_str), Some("Integer"));
    check_gdal_features(&gdal_features(&file, None), true, "GeoJSONSeq");
}

both!(gdal_and_sqlite3_read_our_geopackage);
fn gdal_and_sqlite3_read_our_geopackage() {
    let s = session();
    let file = s.dir.path().join("incidents.gpkg");
    s.ok(&["export", "--format", "gpkg", "-o", arg(&file)]);
    let (types, count) = gdal_schema(&file, "incidents");
    assert_eq!(count, 10);
    for (field, ty) in [
        ("uid", "String"),
        ("latitude", "Real"),
        ("longitude", "Real"),
        ("fatalities", "Integer64"),
        ("fatalities_low", "Integer64"),
    ] {
        assert_eq!(types.get(field).map(String::as_str), Some(ty), "{field}");
    }
    check_gdal_features(&gdal_features(&file, Some("incidents")), false, "GPKG");

    // A GeoPackage is an SQLite database: sqlite3 reads the same values and
    // the metadata tables GIS tools rely on.
    let sql = |q: &str| -> Value {
        let out = tool("sqlite3", &["-json", arg(&file), q]);
        if out.trim().is_empty() {
            json!([])
        } else {
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{q}: {e}\n{out}"))
        }
    };
    assert_eq!(
        sql("PRAGMA application_id"),
        json!([{"application_id": 0x4750_4B47}]),
        "the 'GPKG' application id"
    );
    assert_eq!(
        sql("PRAGMA integrity_check"),
        json!([{"integrity_check": "ok"}])
    );
    assert_eq!(
        sql("SELECT table_name, data_type, srs_id FROM gpkg_contents"),
        json!([{"table_name": "incidents", "data_type": "features", "srs_id": 4326}])
    );
    assert_eq!(
        sql(
            "SELECT geometry_type_name, srs_id FROM gpkg_geometry_columns WHERE table_name = 'incidents'"
        ),
        json!([{"geometry_type_name": "POINT", "srs_id": 4326}])
    );
    assert_eq!(
        sql("SELECT count(*) AS n FROM rtree_incidents_geom"),
        json!([{"n": 10}]),
        "every point is in the spatial index"
    );
    let rows = sql(
        "SELECT uid, fatalities, typeof(fatalities) AS t, date_start, date_end, place \
         FROM incidents WHERE uid IN ('IO-UNICODE', 'IO-ZERO', 'SEED-SY-2025-MASMIYAH-CLASH') \
         ORDER BY uid",
    );
    assert_eq!(
        rows,
        json!([
            {"uid": "IO-UNICODE", "fatalities": 3, "t": "integer", "date_start": "2025-06-17",
             "date_end": "2025-06-17", "place": "درعا البلد (Daraa al-Balad)"},
            {"uid": "IO-ZERO", "fatalities": 0, "t": "integer", "date_start": "2025-06-16",
             "date_end": "2025-06-22", "place": null},
            {"uid": "SEED-SY-2025-MASMIYAH-CLASH", "fatalities": null, "t": "null",
             "date_start": "2025-07-01", "date_end": "2025-07-15", "place": "Al-Masmiyah"},
        ])
    );
}

/// A CSV file as Python's csv module reads it (strict quoting): the header
/// and one map per row; every row must have the header's width.
fn python_csv(file: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    const READ: &str = "import csv, json, sys\n\
        with open(sys.argv[1], newline='', encoding='utf-8') as f:\n    \
            print(json.dumps(list(csv.reader(f, strict=True))))";
    let out = tool("python3", &["-c", READ, arg(file)]);
    let mut rows: Vec<Vec<String>> = serde_json::from_str(&out).unwrap();
    assert!(!rows.is_empty(), "{} has no header", file.display());
    let header = rows.remove(0);
    let maps = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            assert_eq!(r.len(), header.len(), "row {} of {}", i + 1, file.display());
            header.iter().cloned().zip(r).collect()
        })
        .collect();
    (header, maps)
}

fn find<'a>(
    rows: &'a [BTreeMap<String, String>],
    key: &str,
    uid: &str,
) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r[key] == uid)
        .unwrap_or_else(|| panic!("{uid} not in the file"))
}

/// A JSON value as a CSV cell: null is empty.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Text a spreadsheet would run as a formula, as our CSV guards it and as
/// `--raw` leaves it (README, CSV safety).
const GUARDED: [(&str, &str, &str); 4] = [
    (
        "title",
        "'=HYPERLINK(\"http://example.org\",\"click\")",
        "=HYPERLINK(\"http://example.org\",\"click\")",
    ),
    (
        "notes",
        "'-3 reported by one source",
        "-3 reported by one source",
    ),
    ("actor1", "'+Protesters (Syria)", "+Protesters (Syria)"),
    ("actor2", "'@home", "@home"),
];

both!(python_reads_our_csv);
fn python_reads_our_csv() {
    let s = session();
    let file = s.dir.path().join("incidents.csv");
    s.ok(&["export", "--format", "csv", "-o", arg(&file)]);
    let (header, rows) = python_csv(&file);
    let mut documented = FIELDS.to_vec();
    documented.extend(["latitude", "longitude", "tags", "sources"]);
    for f in documented {
        assert!(header.iter().any(|h| h == f), "no column {f}: {header:?}");
    }
    let all = expected();
    assert_eq!(rows.len(), all.len());
    for e in &all {
        let uid = e["uid"].as_str().unwrap();
        let row = find(&rows, "uid", uid);
        for field in FIELDS {
            if uid == "IO-FORMULA" && GUARDED.iter().any(|g| g.0 == field) {
                continue;
            }
            assert_eq!(row[field], cell(&e[field]), "CSV {uid}: {field}");
        }
        match e["point"].as_array() {
            Some(xy) => {
                assert_close(
                    &row["longitude"].parse::<f64>().unwrap().into(),
                    &xy[0],
                    uid,
                );
                assert_close(&row["latitude"].parse::<f64>().unwrap().into(), &xy[1], uid);
            }
            None => assert_eq!(
                (row["longitude"].as_str(), row["latitude"].as_str()),
                ("", "")
            ),
        }
        let tags: Vec<&str> = e["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(row["tags"], tags.join(";"), "CSV {uid}: tags");
        let sources = if row["sources"].is_empty() {
            json!([])
        } else {
            serde_json::from_str(&row["sources"]).unwrap()
        };
        assert_eq!(sources, e["sources"], "CSV {uid}: sources");
    }
    let formula = find(&rows, "uid", "IO-FORMULA");
    for (field, guarded, _) in GUARDED {
        assert_eq!(formula[field], guarded, "CSV IO-FORMULA: {field}");
    }

    let raw = s.dir.path().join("raw.csv");
    s.ok(&["export", "--format", "csv", "--raw", "-o", arg(&raw)]);
    let (_, rows) = python_csv(&raw);
    let formula = find(&rows, "uid", "IO-FORMULA");
    for (field, _, text) in GUARDED {
        assert_eq!(formula[field], text, "raw CSV IO-FORMULA: {field}");
    }
}

/// ACLED's 31 columns, in ACLED's order.
const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

both!(python_reads_our_acled_csv);
fn python_reads_our_acled_csv() {
    let s = session();
    let file = s.dir.path().join("acled.csv");
    s.ok(&["export", "--format", "acled", "-o", arg(&file)]);
    let (header, rows) = python_csv(&file);
    assert_eq!(header, ACLED_COLUMNS);
    let all = expected();
    assert_eq!(rows.len(), all.len());
    for e in &all {
        let uid = e["uid"].as_str().unwrap();
        let row = find(&rows, "event_id_cnty", uid);
        for (acled, ours) in [
            ("event_type", "event_type"),
            ("sub_event_type", "sub_event_type"),
            ("actor1", "actor1"),
            ("actor2", "actor2"),
            ("assoc_actor_1", "assoc_actors"),
            ("location", "place"),
            ("geo_precision", "geo_precision"),
            ("notes", "notes"),
        ] {
            if uid == "IO-FORMULA" && GUARDED.iter().any(|g| g.0 == ours) {
                continue;
            }
            assert_eq!(row[acled], cell(&e[ours]), "ACLED {uid}: {acled}");
        }
        // ACLED's codebook has no unknown toll: it writes 0, and a tag
        // says the toll is unknown.
        match e["fatalities"].as_u64() {
            Some(n) => assert_eq!(row["fatalities"], n.to_string(), "ACLED {uid}"),
            None => {
                assert_eq!(row["fatalities"], "0", "ACLED {uid}");
                assert!(
                    row["tags"].contains("incidents:fatalities=unknown"),
                    "ACLED {uid}: {}",
                    row["tags"]
                );
            }
        }
        // ACLED gives one date, inside the span (its middle day or month
        // for a span), and the year of that date.
        assert_eq!(row["year"], row["event_date"][..4], "{uid}");
        let (start, end) = (
            e["date_start"].as_str().unwrap(),
            e["date_end"].as_str().unwrap(),
        );
        assert!(
            start <= row["event_date"].as_str() && row["event_date"].as_str() <= end,
            "{uid}: {} outside {start}..{end}",
            row["event_date"]
        );
        if e["date_precision"] == "day" {
            assert_eq!(
                row["event_date"],
                e["date_start"].as_str().unwrap(),
                "{uid}"
            );
        }
        let publisher = e["sources"]
            .get(0)
            .map_or(Value::Null, |s| s["publisher"].clone());
        assert_eq!(row["source"], cell(&publisher), "ACLED {uid}: source");
        match e["point"].as_array() {
            Some(xy) => {
                assert_close(
                    &row["longitude"].parse::<f64>().unwrap().into(),
                    &xy[0],
                    uid,
                );
                assert_close(&row["latitude"].parse::<f64>().unwrap().into(), &xy[1], uid);
            }
            None => assert_eq!(
                (row["longitude"].as_str(), row["latitude"].as_str()),
                ("", "")
            ),
        }
    }
    let formula = find(&rows, "event_id_cnty", "IO-FORMULA");
    for (field, guarded, _) in GUARDED {
        if field != "title" {
            assert_eq!(formula[field], guarded, "ACLED IO-FORMULA: {field}");
        }
    }

    let raw = s.dir.path().join("acled-raw.csv");
    s.ok(&["export", "--format", "acled", "--raw", "-o", arg(&raw)]);
    let (_, rows) = python_csv(&raw);
    let formula = find(&rows, "event_id_cnty", "IO-FORMULA");
    for (field, _, text) in GUARDED {
        if field != "title" {
            assert_eq!(formula[field], text, "raw ACLED IO-FORMULA: {field}");
        }
    }
}

#[test]
fn sqlite3_reads_the_database() {
    let s = session();
    s.ok(&["edit", "IO-ZERO", "--fatalities", "2"]);
    let db = arg(s.db_path());
    let sql = |q: &str| -> Value {
        let out = tool("sqlite3", &["-json", db, q]);
        if out.trim().is_empty() {
            json!([])
        } else {
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{q}: {e}\n{out}"))
        }
    };
    assert_eq!(
        sql("PRAGMA integrity_check"),
        json!([{"integrity_check": "ok"}])
    );
    assert_eq!(sql("PRAGMA foreign_key_check"), json!([]));
    assert_eq!(sql("PRAGMA journal_mode"), json!([{"journal_mode": "wal"}]));

    // Unknown is NULL, a known zero is 0, in the table itself.
    let mut all = expected();
    for e in &mut all {
        if e["uid"] == "IO-ZERO" {
            e["fatalities"] = json!(2);
        }
    }
    let rows = sql(
        "SELECT uid, fatalities, fatalities_low, fatalities_high, civilian_fatalities, \
         date_start, date_end, date_precision, latitude, longitude, tags FROM incidents",
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(uid_set(rows), uid_set(&all));
    for e in &all {
        let uid = e["uid"].as_str().unwrap();
        let r = rows.iter().find(|r| r["uid"] == uid).unwrap();
        for f in [
            "fatalities",
            "fatalities_low",
            "fatalities_high",
            "civilian_fatalities",
            "date_start",
            "date_end",
            "date_precision",
        ] {
            assert_eq!(r[f], e[f], "sqlite3 {uid}: {f}");
        }
        assert_eq!(
            [&r["longitude"], &r["latitude"]],
            [&e["point"][0], &e["point"][1]],
            "sqlite3 {uid}: point, stored as given"
        );
        let tags: Value = serde_json::from_str(r["tags"].as_str().unwrap()).unwrap();
        assert_eq!(tags, e["tags"], "sqlite3 {uid}: tags");
    }

    // The edit is in the history, with the old and the new toll.
    assert_eq!(
        sql("SELECT action, json_extract(old, '$.fatalities') AS old, \
             json_extract(new, '$.fatalities') AS new FROM history \
             WHERE uid = 'IO-ZERO' ORDER BY id"),
        json!([
            {"action": "insert", "old": null, "new": null},
            {"action": "update", "old": 0, "new": 2},
        ])
    );
}
