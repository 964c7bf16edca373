//! `incidents export`: every format read back by the tools analysts use
//! (GDAL's ogrinfo/ogr2ogr, sqlite3, a CSV parser), filters, round trips.
//! GDAL and sqlite3 are required: a missing tool fails the test, it does not
//! skip it.
mod common;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{Session, both, fixture, uids};
use serde_json::Value;

fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Runs an external tool that must be installed and succeed; returns stdout.
fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!(
            "`{name}` is required by this test and could not be run ({e}); \
             install it (Debian/Ubuntu: apt-get install gdal-bin sqlite3)"
        )
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `incidents`, asserts success, returns (stdout, stderr).
fn run(s: &Session, args: &[&str]) -> (String, String) {
    let o = s.run(args);
    assert_eq!(
        o.code, 0,
        "incidents {args:?} failed:\n{}\n{}",
        o.stdout, o.stderr
    );
    (o.stdout, o.stderr)
}

/// Seeds (7), the ACLED (30) and UCDP (30) fixtures, one incident with a
/// long longitude and one without coordinates: 69 incidents, 68 with a point.
fn loaded() -> Session {
    let s = Session::seeded();
    run(&s, &["import", arg(&fixture("acled_sample.csv"))]);
    run(&s, &["import", arg(&fixture("ucdp_sample.csv"))]);
    s.ok(&[
        "add",
        "--uid",
        "T-PRECISE",
        "--date",
        "2025-06-20",
        "--type",
        "Explosions/Remote violence",
        "--sub-type",
        "Air/drone strike",
        "--lat",
        "33.513312345",
        "--lon",
        "36.278123456",
    ]);
    s.ok(&[
        "add",
        "--uid",
        "T-NOWHERE",
        "--date",
        "2025-06",
        "--type",
        "Battles",
        "--title",
        "Clashes reported somewhere in the south",
    ]);
    s
}

/// A few incidents with what a round trip must carry: sources, tags, low
/// and high fatalities, every date precision, text with commas, quotes and
/// newlines, Arabic, and one incident without coordinates.
fn round_trip_session() -> Session {
    let s = Session::seeded();
    let adds: &[&[&str]] = &[
        &[
            "--uid",
            "RT-DAY",
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
            "--geo-precision",
            "1",
            "--place",
            "Daraa al-Balad (درعا البلد)",
            "--title",
            "Clash in \"Daraa al-Balad\", 3 killed",
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
            "--tag",
            "daraa",
            "--tag",
            "clash, city",
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
            "--notes",
            "First line, with a comma.\nSecond line.",
        ],
        &[
            "--uid",
            "RT-WEEK",
            "--date",
            "2025-W25",
            "--type",
            "Explosions/Remote violence",
            "--sub-type",
            "Air/drone strike",
            "--lat",
            "33.5133",
            "--lon",
            "36.2781",
            "--fatalities",
            "0",
        ],
        &[
            "--uid",
            "RT-MONTH",
            "--date",
            "2025-07",
            "--type",
            "Protests",
            "--sub-type",
            "Peaceful protest",
            "--lat",
            "33.305",
            "--lon",
            "44.422",
            "--place",
            "Karrada",
            "--source",
            "Rudaw",
        ],
        &[
            "--uid",
            "RT-YEAR",
            "--date",
            "2024",
            "--type",
            "Strategic developments",
            "--sub-type",
            "Other",
            "--lat",
            "36.34",
            "--lon",
            "43.13",
            "--title",
            "Year-long pattern in Mosul",
        ],
        &[
            "--uid",
            "RT-NOWHERE",
            "--date",
            "2025-06",
            "--type",
            "Battles",
            "--title",
            "Clashes somewhere in the south",
            "--fatalities-low",
            "4",
        ],
    ];
    for a in adds {
        let mut args = vec!["add"];
        args.extend_from_slice(a);
        s.ok(&args);
    }
    s.ok(&["edit", "RT-WEEK", "--fatalities", "4"]);
    s
}

/// Exports `format` from `s`, imports it into a new database, exports again.
fn round_trip(s: &Session, format: &str, ext: &str) -> (Vec<u8>, Vec<u8>, Session) {
    let first = s.dir.path().join(format!("first.{ext}"));
    run(s, &["export", "--format", format, "-o", arg(&first)]);
    let fresh = Session::new();
    run(&fresh, &["import", "--format", format, arg(&first)]);
    let second = fresh.dir.path().join(format!("second.{ext}"));
    run(&fresh, &["export", "--format", format, "-o", arg(&second)]);
    (
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap(),
        fresh,
    )
}

/// The first line that differs, for a readable failure.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            let short = |l: &str| l.chars().take(120).collect::<String>();
            return format!(
                "line {}:\n  first:  {}\n  second: {}",
                i + 1,
                short(x),
                short(y)
            );
        }
    }
    format!(
        "{} lines against {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

/// Splits `ogrinfo -al` output into one text block per feature.
fn ogr_features(text: &str) -> Vec<&str> {
    text.split("OGRFeature(").skip(1).collect()
}

/// The fields of an `ogrinfo -al` feature block: "name (Type)" -> value.
fn ogr_fields(block: &str) -> BTreeMap<String, String> {
    block
        .lines()
        .filter_map(|l| l.strip_prefix("  ")?.split_once(" = "))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// True when some line of `text`, without its leading blanks, is `line`.
fn has_line(text: &str, line: &str) -> bool {
    text.lines().any(|l| l.trim_start() == line)
}

/// True when some line of `text` starts with `prefix` followed by a blank
/// or its end: "wrote 68 incidents" does not match "wrote 680 incidents".
fn has_line_starting(text: &str, prefix: &str) -> bool {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix(prefix))
        .any(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// The POINT (lon lat) of an `ogrinfo -al` feature block.
fn ogr_point(block: &str) -> (f64, f64) {
    let line = block
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("POINT ("))
        .unwrap_or_else(|| panic!("no POINT in:\n{block}"));
    let inner = line.trim_start_matches("POINT (").trim_end_matches(')');
    let mut xy = inner.split_whitespace().map(|v| v.parse::<f64>().unwrap());
    (xy.next().unwrap(), xy.next().unwrap())
}

both!(geojson_export_reads_back_in_gdal);
fn geojson_export_reads_back_in_gdal() {
    let s = loaded();
    let out = s.dir.path().join("incidents.geojson");
    let (stdout, stderr) = run(&s, &["export", "--format", "geojson", "-o", arg(&out)]);
    assert!(stdout.is_empty(), "-o wrote to stdout too: {stdout}");
    assert!(
        has_line_starting(&stderr, "1 incidents without coordinates were left out"),
        "{stderr}"
    );
    assert!(has_line_starting(&stderr, "wrote 68 incidents"), "{stderr}");
    assert!(!s.dir.path().join("incidents.geojson.partial").exists());

    let summary = tool("ogrinfo", &["-al", "-so", arg(&out)]);
    assert!(summary.contains("using driver `GeoJSON'"), "{summary}");
    assert!(has_line(&summary, "Geometry: Point"), "{summary}");
    assert!(has_line(&summary, "Feature Count: 68"), "{summary}");
    assert!(has_line(&summary, "date_start: Date (0.0)"), "{summary}");

    let all = tool("ogrinfo", &["-al", arg(&out)]);
    let features = ogr_features(&all);
    assert_eq!(features.len(), 68);
    let daraa = features
        .iter()
        .find(|f| ogr_fields(f).get("uid (String)").map(String::as_str) == Some("SYR140112"))
        .expect("SYR140112 in ogrinfo output");
    let (lon, lat) = ogr_point(daraa);
    assert!(
        (lon - 36.1).abs() < 0.05 && (lat - 32.6).abs() < 0.05,
        "{lon} {lat}"
    );
    let fields = ogr_fields(daraa);
    for (field, value) in [
        ("id (String)", "SYR140112"),
        ("date_start (Date)", "2025/06/17"),
        ("date_end (Date)", "2025/06/17"),
        ("fatalities (Integer)", "1"),
        ("fatalities_low (Integer)", "(null)"),
        ("admin1_code (String)", "SY-DR"),
        ("place (String)", "Daraa"),
    ] {
        assert_eq!(
            fields.get(field).map(String::as_str),
            Some(value),
            "{field}: {daraa}"
        );
    }

    // The raw file: RFC 7946, lon first, no crs, rounded coordinates.
    let text = std::fs::read_to_string(&out).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    assert!(v.get("crs").is_none(), "RFC 7946 has no crs member");
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), 68);
    for f in features {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Point");
        assert_eq!(f["id"], f["properties"]["uid"], "the uid is the feature id");
        for c in f["geometry"]["coordinates"].as_array().unwrap() {
            let repr = c.to_string();
            let decimals = repr.split('.').nth(1).map_or(0, str::len);
            assert!(decimals <= 6, "{repr} has more than 6 decimals");
        }
    }
    let by_id = |id: &str| {
        features
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("{id} not exported"))
    };
    let daraa = by_id("SYR140112");
    assert_eq!(
        daraa["geometry"]["coordinates"],
        serde_json::json!([36.1021, 32.6189])
    );
    let p = &daraa["properties"];
    assert_eq!(p["date_start"], "2025-06-17");
    assert_eq!(p["date_end"], "2025-06-17");
    assert!(p["fatalities_low"].is_null() && p["civilian_fatalities"].is_null());
    let precise = by_id("T-PRECISE");
    assert_eq!(
        precise["geometry"]["coordinates"],
        serde_json::json!([36.278123, 33.513312])
    );
    assert!(by_id("SEED-SY-2025-MASMIYAH-CLASH")["properties"]["fatalities"].is_null());
    assert!(!features.iter().any(|f| f["id"] == "T-NOWHERE"));
    assert!(!text.contains("\"crs\""));

    // Without -o the collection goes to stdout.
    let (stdout, _) = run(&s, &["export", "--format", "geojson"]);
    assert_eq!(stdout, text);
}

both!(geojsonseq_export_reads_back_in_gdal);
fn geojsonseq_export_reads_back_in_gdal() {
    let s = loaded();
    let out = s.dir.path().join("incidents.geojsonseq");
    let (stdout, stderr) = run(&s, &["export", "--format", "geojsonseq", "-o", arg(&out)]);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        has_line_starting(&stderr, "1 incidents without coordinates"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 68);
    for line in text.lines() {
        let json = line
            .strip_prefix('\u{1e}')
            .expect("each record starts with RS");
        let f: Value = serde_json::from_str(json).unwrap();
        assert_eq!(f["geometry"]["type"], "Point");
    }
    let summary = tool("ogrinfo", &["-al", "-so", arg(&out)]);
    assert!(summary.contains("using driver `GeoJSONSeq'"), "{summary}");
    assert!(has_line(&summary, "Geometry: Point"), "{summary}");
    assert!(has_line(&summary, "Feature Count: 68"), "{summary}");
}

both!(gpkg_export_reads_back_in_gdal);
fn gpkg_export_reads_back_in_gdal() {
    let s = loaded();
    let out = s.dir.path().join("incidents.gpkg");
    let (stdout, stderr) = run(&s, &["export", "--format", "gpkg", "-o", arg(&out)]);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(has_line_starting(&stderr, "wrote 68 incidents"), "{stderr}");
    let summary = tool("ogrinfo", &["-so", arg(&out), "incidents"]);
    assert!(summary.contains("using driver `GPKG'"), "{summary}");
    assert!(has_line(&summary, "Geometry: Point"), "{summary}");
    assert!(has_line(&summary, "Feature Count: 68"), "{summary}");
    let one = tool(
        "ogrinfo",
        &["-al", "-where", "uid = 'SYR140271'", arg(&out)],
    );
    let features = ogr_features(&one);
    assert_eq!(features.len(), 1, "{one}");
    let (lon, lat) = ogr_point(features[0]);
    assert!((lon - 36.3411).abs() < 1e-6 && (lat - 32.8406).abs() < 1e-6);
    let fields = ogr_fields(features[0]);
    for (field, value) in [
        ("reported_admin1 (String)", "As-Sweida"),
        ("admin1_code (String)", "SY-DR"),
        ("fatalities (Integer64)", "2"),
        ("date_start (String)", "2025-06-25"),
        ("event_type (String)", "Battles"),
    ] {
        assert_eq!(
            fields.get(field).map(String::as_str),
            Some(value),
            "{field}: {one}"
        );
    }

    let err = s.fails(&["export", "--format", "gpkg"]);
    assert!(
        err.contains("expected an output file for --format gpkg"),
        "{err}"
    );
}

/// The CSV columns README.md documents, in order.
const CSV_COLUMNS: [&str; 31] = [
    "uid",
    "title",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "latitude",
    "longitude",
    "geo_precision",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "admin2_code",
    "reported_admin1",
    "reported_admin2",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "civilian_fatalities",
    "actor1",
    "actor2",
    "assoc_actors",
    "notes",
    "tags",
    "sources",
    "status",
    "created_at",
    "updated_at",
];

both!(csv_export_has_the_documented_columns_and_guards_formulas);
fn csv_export_has_the_documented_columns_and_guards_formulas() {
    let s = loaded();
    s.ok(&[
        "add",
        "--uid",
        "T-FORMULA",
        "--date",
        "2025-06-21",
        "--type",
        "Protests",
        "--lat",
        "32.5176",
        "--lon",
        "36.4818",
        "--title",
        "=HYPERLINK(\"http://example.org\",\"click\")",
        "--notes=-3 reported by one source",
    ]);
    let (text, _) = run(&s, &["export", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap(), &CSV_COLUMNS[..]);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 70, "every incident, with or without a point");
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    let row = |uid: &str| rows.iter().find(|r| &r[0] == uid).unwrap().clone();
    let f = row("T-FORMULA");
    assert_eq!(
        &f[col("title")],
        "'=HYPERLINK(\"http://example.org\",\"click\")"
    );
    assert_eq!(&f[col("notes")], "'-3 reported by one source");
    let ucdp = row("UCDP-301005");
    assert_eq!(
        (
            &ucdp[col("fatalities")],
            &ucdp[col("fatalities_low")],
            &ucdp[col("fatalities_high")]
        ),
        ("15", "8", "7")
    );
    let sources: Value = serde_json::from_str(&ucdp[col("sources")]).unwrap();
    assert_eq!(sources[0]["publisher"], "UCDP GED");
    assert_eq!(&row("T-NOWHERE")[col("latitude")], "");
    // ACLED's time_precision 2: the seven days around its date.
    assert_eq!(&row("SYR140131")[col("date_precision")], "range");

    let (raw, _) = run(&s, &["export", "--format", "csv", "--raw"]);
    let mut r = csv::Reader::from_reader(raw.as_bytes());
    let f = r
        .records()
        .map(|x| x.unwrap())
        .find(|r| &r[0] == "T-FORMULA")
        .unwrap();
    assert_eq!(
        &f[col("title")],
        "=HYPERLINK(\"http://example.org\",\"click\")"
    );
    assert_eq!(&f[col("notes")], "-3 reported by one source");

    let out = s.dir.path().join("incidents.csv");
    let (stdout, stderr) = run(&s, &["export", "--format", "csv", "-o", arg(&out)]);
    assert!(stdout.is_empty(), "{stdout}");
    assert!(has_line_starting(&stderr, "wrote 70 incidents"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
}

both!(acled_export_has_the_acled_header);
fn acled_export_has_the_acled_header() {
    let s = loaded();
    let header: Vec<String> = std::fs::read_to_string(fixture("acled_sample.csv"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .split(',')
        .map(String::from)
        .collect();
    assert_eq!(header.len(), 31);
    let (text, _) = run(&s, &["export", "--format", "acled"]);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(r.headers().unwrap(), &header[..]);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 69);
    let col = |name: &str| header.iter().position(|c| c == name).unwrap();
    let row = |uid: &str| rows.iter().find(|r| &r[0] == uid).unwrap().clone();
    // ACLED's own dates come back: the middle of the week, the 15th of the month.
    let week = row("SYR140131");
    assert_eq!(
        (&week[col("event_date")], &week[col("time_precision")]),
        ("2025-06-20", "2")
    );
    let month = row("SYR140160");
    assert_eq!(
        (&month[col("event_date")], &month[col("time_precision")]),
        ("2025-06-15", "3")
    );
    let day = row("SYR140112");
    assert_eq!(
        (&day[col("event_date")], &day[col("time_precision")]),
        ("2025-06-17", "1")
    );
    assert_eq!(&day[col("latitude")], "32.6189");
    assert_eq!(&day[col("longitude")], "36.1021");
    assert_eq!(&day[col("fatalities")], "1");
    assert_eq!(&day[col("timestamp")], "1750701234");
    assert_eq!(&day[col("civilian_targeting")], "Civilian targeting");
    assert_eq!((&day[col("country")], &day[col("iso")]), ("Syria", "760"));
    let unknown = row("SEED-SY-2025-MASMIYAH-CLASH");
    assert_eq!(
        &unknown[col("fatalities")],
        "0",
        "ACLED always writes a number"
    );
    assert_eq!(
        &unknown[col("tags")],
        "checkpoint; damascus-suwayda-highway; road-closure; intra-security-forces; \
         date-uncertain; incidents:fatalities=unknown",
        "the last tag says the toll is unknown"
    );
    let protest = row("SYR140140");
    assert_eq!(
        (&protest[col("fatalities")], &protest[col("tags")]),
        ("0", "crowd size=around 200")
    );
}

both!(csv_round_trip_is_byte_identical);
fn csv_round_trip_is_byte_identical() {
    let s = round_trip_session();
    let (first, second, fresh) = round_trip(&s, "csv", "csv");
    assert!(
        first == second,
        "csv: export -> import -> export differs at {}",
        first_difference(&first, &second)
    );
    assert_eq!(
        s.json(&["list"]),
        fresh.json(&["list"]),
        "the re-imported database differs"
    );
}

both!(geojson_round_trip_is_byte_identical);
fn geojson_round_trip_is_byte_identical() {
    let s = round_trip_session();
    let (first, second, fresh) = round_trip(&s, "geojson", "geojson");
    assert!(
        first == second,
        "geojson: export -> import -> export differs at {}",
        first_difference(&first, &second)
    );
    let mut original = s.json(&["list"]);
    original
        .as_array_mut()
        .unwrap()
        .retain(|i| i["uid"] != "RT-NOWHERE");
    assert_eq!(
        original,
        fresh.json(&["list"]),
        "the re-imported database differs"
    );
}

both!(acled_round_trip_is_byte_identical);
fn acled_round_trip_is_byte_identical() {
    // ACLED cannot hold titles, ranges or low/high estimates, so the first
    // export is lossy; but exporting what it re-imports must give it back.
    let s = round_trip_session();
    let (first, second, _) = round_trip(&s, "acled", "csv");
    let sorted = |b: &[u8]| {
        let mut l: Vec<String> = String::from_utf8_lossy(b)
            .lines()
            .map(String::from)
            .collect();
        l.sort();
        l
    };
    assert_eq!(
        sorted(&first),
        sorted(&second),
        "the rows themselves differ"
    );
    assert!(
        first == second,
        "acled: export -> import -> export has the same rows in another order, \
         first difference at {}",
        first_difference(&first, &second)
    );
}

both!(csv_export_then_import_keeps_formula_like_text);
fn csv_export_then_import_keeps_formula_like_text() {
    // The formula guard protects spreadsheets; it must not leak into the
    // data when our own CSV is imported back.
    let s = Session::new();
    let title = "=HYPERLINK(\"http://example.org\",\"click\")";
    s.ok(&[
        "add",
        "--uid",
        "T-FORMULA",
        "--date",
        "2025-06-21",
        "--type",
        "Protests",
        "--lat",
        "32.5176",
        "--lon",
        "36.4818",
        "--title",
        title,
        "--notes=-3 reported by one source",
    ]);
    let (_, _, fresh) = round_trip(&s, "csv", "csv");
    let v = fresh.json(&["show", "T-FORMULA"]);
    assert_eq!(v["title"], title);
    assert_eq!(v["notes"], "-3 reported by one source");
}

both!(geojson_made_by_ogr2ogr_from_our_csv_imports);
fn geojson_made_by_ogr2ogr_from_our_csv_imports() {
    let s = round_trip_session();
    let csv_path = s.dir.path().join("incidents.csv");
    run(&s, &["export", "--format", "csv", "-o", arg(&csv_path)]);
    let gj = s.dir.path().join("from_gdal.geojson");
    tool(
        "ogr2ogr",
        &[
            "-f",
            "GeoJSON",
            arg(&gj),
            arg(&csv_path),
            "-oo",
            "X_POSSIBLE_NAMES=longitude",
            "-oo",
            "Y_POSSIBLE_NAMES=latitude",
        ],
    );
    let fresh = Session::new();
    let (stdout, _) = run(&fresh, &["import", arg(&gj)]);
    assert!(stdout.contains("(Geojson): 12 rows, 12 new"), "{stdout}");
    assert!(stdout.contains(", 1 without coordinates,"), "{stdout}");
    let again = fresh.dir.path().join("again.csv");
    run(&fresh, &["export", "--format", "csv", "-o", arg(&again)]);
    let (a, b) = (
        std::fs::read(&csv_path).unwrap(),
        std::fs::read(&again).unwrap(),
    );
    assert!(a == b, "differs at {}", first_difference(&a, &b));
}

both!(filters_select_what_is_exported);
fn filters_select_what_is_exported() {
    let s = loaded();
    // What the fixtures hold (read from the files, not from a run): June
    // 2025 is 13 ACLED rows (SYR140131's week is 16-22 June, IRQ38112's 9-15
    // June, SYR140160 is coded to the month) and our two June additions;
    // the only Baghdad protest is IRQ38120; UCDP's Iraq rows inside 2017
    // are the Mosul month and the country-level year.
    let june = [
        "IRQ38101",
        "IRQ38105",
        "IRQ38112",
        "IRQ38120",
        "IRQ38126",
        "IRQ38158",
        "SYR140112",
        "SYR140118",
        "SYR140131",
        "SYR140140",
        "SYR140152",
        "SYR140160",
        "SYR140271",
        "T-NOWHERE",
        "T-PRECISE",
    ];
    for (filter, known) in [
        (&["--region", "Daraa"][..], &[][..]),
        (&["--month", "2025-06"], &june),
        (
            &["--region", "Baghdad", "--type", "Protests"],
            &["IRQ38120"],
        ),
        (
            &[
                "--country",
                "IQ",
                "--from",
                "2017-01-01",
                "--to",
                "2017-12-31",
            ],
            &["UCDP-301022", "UCDP-301025"],
        ),
    ] {
        let mut list = vec!["list"];
        list.extend_from_slice(filter);
        let expected = uids(&s.json(&list));
        assert!(!expected.is_empty(), "{filter:?} selects nothing");
        if !known.is_empty() {
            assert_eq!(expected, known, "{filter:?}");
        }
        let mut export = vec!["export", "--format", "geojson"];
        export.extend_from_slice(filter);
        let (text, _) = run(&s, &export);
        let v: Value = serde_json::from_str(&text).unwrap();
        let mut got: Vec<String> = v["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
        got.sort();
        let expected_with_point: Vec<String> =
            expected.into_iter().filter(|u| u != "T-NOWHERE").collect();
        assert_eq!(got, expected_with_point, "{filter:?}");
        let mut export = vec!["export", "--format", "csv"];
        export.extend_from_slice(filter);
        let (text, _) = run(&s, &export);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let mut got: Vec<String> = r.records().map(|x| x.unwrap()[0].to_string()).collect();
        got.sort();
        let mut list = vec!["list"];
        list.extend_from_slice(filter);
        assert_eq!(got, uids(&s.json(&list)), "{filter:?}");
    }
    let (text, _) = run(&s, &["export", "--format", "geojson", "--region", "Daraa"]);
    let v: Value = serde_json::from_str(&text).unwrap();
    for f in v["features"].as_array().unwrap() {
        assert_eq!(f["properties"]["admin1_code"], "SY-DR", "{f}");
    }
}

#[test]
fn sqlite3_reads_the_database() {
    let s = loaded();
    let n = tool(
        "sqlite3",
        &[arg(s.db_path()), "SELECT count(*) FROM incidents"],
    );
    assert_eq!(n.trim(), "69");
    assert_eq!(s.json(&["list"]).as_array().unwrap().len(), 69);
    let uid = tool(
        "sqlite3",
        &[
            arg(s.db_path()),
            "SELECT uid FROM incidents WHERE uid = 'UCDP-301004'",
        ],
    );
    assert_eq!(uid.trim(), "UCDP-301004");
}
