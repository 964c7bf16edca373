//! `incidents import`: formats and their detection, idempotent upserts,
//! dry runs, malformed files, --skip-invalid, regions and the UCDP mapping.
mod common;
use std::path::Path;
use std::time::Duration;

use common::{Session, both, fixture, uids};

/// A path as the &str the command line takes.
fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Runs a command that must succeed and returns everything it said: the
/// import summary (stdout) and its notes (stderr).
fn said(s: &Session, args: &[&str]) -> String {
    let o = s.run(args);
    assert_eq!(
        o.code, 0,
        "incidents {args:?} failed:\n{}\n{}",
        o.stdout, o.stderr
    );
    o.stdout + &o.stderr
}

fn count(s: &Session) -> usize {
    s.json(&["list"]).as_array().expect("array").len()
}

/// The file's own header and rows in our CSV format.
const NATIVE_CSV: &str = "\
uid,title,event_type,sub_event_type,date_start,date_end,date_precision,place,latitude,longitude,fatalities,tags
CSV-0001,Clash in Tafas,Battles,Armed clash,2025-06-18,2025-06-18,day,Tafas,32.7378,35.9725,3,daraa;clash
CSV-0002,\"Shelling on Al-Mazraa, As-Sweida\",Explosions/Remote violence,Shelling/artillery/missile attack,2025-07-14,2025-07-20,week,Al-Mazraa,32.7806,36.4789,,sweida
";

const GEOJSON: &str = r#"{
"type": "FeatureCollection",
"features": [
{ "type": "Feature", "id": "GJ-0001", "geometry": { "type": "Point", "coordinates": [36.1021, 32.6189] }, "properties": { "event_type": "Battles", "date_start": "2025-06-18", "date_end": "2025-06-18", "place": "Daraa", "fatalities": 3 } },
{ "type": "Feature", "id": "GJ-0002", "geometry": { "type": "Point", "coordinates": [44.4611, 33.3875] }, "properties": { "event_type": "Protests", "date_start": "2025-06-01", "date_end": "2025-06-30", "date_precision": "month", "place": "Sadr City" } }
]
}
"#;

const GEOJSONSEQ: &str = "\u{1e}{\"type\":\"Feature\",\"id\":\"SEQ-0001\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[36.5694,32.7094]},\"properties\":{\"event_type\":\"Protests\",\"date_start\":\"2025-07-01\",\"date_end\":\"2025-07-01\",\"place\":\"As-Sweida\"}}\n\
\u{1e}{\"type\":\"Feature\",\"id\":\"SEQ-0002\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[43.13,36.34]},\"properties\":{\"event_type\":\"Battles\",\"date_start\":\"2025-05-30\",\"date_end\":\"2025-05-30\",\"place\":\"Mosul\",\"fatalities\":3}}\n";

both!(each_format_is_detected_and_imported);
fn each_format_is_detected_and_imported() {
    let s = Session::new();
    let err = said(&s, &["import", arg(&fixture("acled_sample.csv"))]);
    assert!(err.contains("(Acled): 30 rows, 30 new"), "{err}");
    let err = said(&s, &["import", arg(&fixture("ucdp_sample.csv"))]);
    assert!(err.contains("(Ucdp): 30 rows, 30 new"), "{err}");
    let native = s.file("native.csv", NATIVE_CSV.as_bytes());
    let err = said(&s, &["import", arg(&native)]);
    assert!(err.contains("(Csv): 2 rows, 2 new"), "{err}");
    let gj = s.file("points.geojson", GEOJSON.as_bytes());
    let err = said(&s, &["import", arg(&gj)]);
    assert!(err.contains("(Geojson): 2 rows, 2 new"), "{err}");
    let seq = s.file("points.geojsonl", GEOJSONSEQ.as_bytes());
    let err = said(&s, &["import", arg(&seq)]);
    assert!(err.contains("(Geojsonseq): 2 rows, 2 new"), "{err}");
    assert_eq!(count(&s), 66);

    // A .json file that starts with the RS character is a sequence.
    let t = Session::new();
    let seq_json = t.file("points.json", GEOJSONSEQ.as_bytes());
    let err = said(&t, &["import", arg(&seq_json)]);
    assert!(err.contains("(Geojsonseq): 2 rows, 2 new"), "{err}");
    assert_eq!(uids(&t.json(&["list"])), ["SEQ-0001", "SEQ-0002"]);
}

both!(geojson_is_detected_by_content_whatever_the_name);
fn geojson_is_detected_by_content_whatever_the_name() {
    let s = Session::new();
    // One line of GeoJSON in a .dat file, newline-delimited features without
    // RS in a .txt file: the content tells the format.
    let one_line = GEOJSON.replace('\n', "");
    let dat = s.file("points.dat", one_line.as_bytes());
    let out = said(&s, &["import", arg(&dat)]);
    assert!(out.contains("(Geojson): 2 rows, 2 new"), "{out}");
    let out = said(&s, &["import", arg(&dat), "--format", "geojson"]);
    assert!(out.contains("(Geojson): 2 rows, 0 new"), "{out}");
    let nd = GEOJSONSEQ.replace('\u{1e}', "");
    let txt = s.file("points.txt", nd.as_bytes());
    let out = said(&s, &["import", arg(&txt)]);
    assert!(out.contains("(Geojsonseq): 2 rows, "), "{out}");
    let unknown = s.file("notes.txt", b"hello\n");
    assert!(s.fails(&["import", arg(&unknown)]).contains("--format"));
    // An ACLED export saved with another extension is known by its header.
    let acled = std::fs::read(fixture("acled_sample.csv")).unwrap();
    let renamed = s.file("acled_download.txt", &acled);
    let err = said(&s, &["import", arg(&renamed)]);
    assert!(err.contains("(Acled): 30 rows, 30 new"), "{err}");
    let err = said(&s, &["import", arg(&renamed), "--format", "acled"]);
    assert!(err.contains("0 new, 0 updated, 30 unchanged"), "{err}");
    assert_eq!(
        uids(&s.json(&["list", "--text", "Sadr City"])),
        ["GJ-0002", "IRQ38126"]
    );
}

both!(reimport_adds_nothing_and_a_changed_row_is_updated_with_history);
fn reimport_adds_nothing_and_a_changed_row_is_updated_with_history() {
    let s = Session::new();
    let acled = fixture("acled_sample.csv");
    said(&s, &["import", arg(&acled)]);
    said(&s, &["import", arg(&fixture("ucdp_sample.csv"))]);
    let before = s.snapshot();
    let err = said(&s, &["import", arg(&acled)]);
    assert!(
        err.contains("30 rows, 0 new, 0 updated, 30 unchanged"),
        "{err}"
    );
    let err = said(&s, &["import", arg(&fixture("ucdp_sample.csv"))]);
    assert!(
        err.contains("30 rows, 0 new, 0 updated, 30 unchanged"),
        "{err}"
    );
    assert_eq!(
        s.snapshot(),
        before,
        "an unchanged re-import changed the database"
    );
    assert_eq!(count(&s), 60);

    // ACLED revises SYR140112 from 1 to 2 fatalities.
    let text = std::fs::read_to_string(&acled).unwrap();
    assert_eq!(text.matches(",1,,1750701234\n").count(), 1);
    let revised = s.file(
        "acled_revised.csv",
        text.replace(",1,,1750701234\n", ",2,,1750790000\n")
            .as_bytes(),
    );
    let err = said(&s, &["import", arg(&revised)]);
    assert!(
        err.contains("30 rows, 0 new, 1 updated, 29 unchanged"),
        "{err}"
    );
    assert_eq!(s.json(&["show", "SYR140112"])["fatalities"], 2);
    let history = s.json(&["history", "SYR140112"]);
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["insert", "update"]);
    let change = history[1]["changes"].as_str().unwrap();
    assert!(change.contains("fatalities: 1 -> 2"), "{change}");
    assert_eq!(count(&s), 60);
    // Each change names the import that made it (one record per import,
    // not per incident), also once the incident is deleted.
    let imports = |h: &serde_json::Value| -> Vec<String> {
        h.as_array()
            .unwrap()
            .iter()
            .map(|e| e["import"].as_str().unwrap_or("-").to_string())
            .collect()
    };
    let first = format!("import 1 of {} (acled)", acled.display());
    let second = format!("import 3 of {} (acled)", revised.display());
    assert_eq!(imports(&history), [first.clone(), second.clone()]);
    s.ok(&["delete", "SYR140112"]);
    let history = s.json(&["history", "SYR140112"]);
    assert_eq!(imports(&history), [first, second, "-".to_string()]);
    assert_eq!(history[0]["new"]["fatalities"], 1);
    assert_eq!(history[2]["action"], "delete");
    assert_eq!(history[2]["old"]["fatalities"], 2);
}

both!(dry_run_reports_counts_and_changes_nothing);
fn dry_run_reports_counts_and_changes_nothing() {
    let s = Session::seeded();
    let before = s.snapshot();
    let acled = fixture("acled_sample.csv");
    let err = said(&s, &["import", "--dry-run", arg(&acled)]);
    assert!(err.contains("dry run, nothing changed"), "{err}");
    assert!(
        err.contains("30 rows, 30 new, 0 updated, 0 unchanged"),
        "{err}"
    );
    assert!(err.contains("1 admin1 disagreements"), "{err}");
    assert_eq!(s.snapshot(), before);

    said(&s, &["import", arg(&acled)]);
    let imported = s.snapshot();
    let text = std::fs::read_to_string(&acled).unwrap();
    let revised = s.file(
        "acled_revised.csv",
        text.replace(",1,,1750701234\n", ",2,,1750790000\n")
            .as_bytes(),
    );
    let err = said(&s, &["import", "--dry-run", arg(&revised)]);
    assert!(err.contains("0 new, 1 updated, 29 unchanged"), "{err}");
    assert_eq!(s.snapshot(), imported);
    assert_eq!(s.json(&["show", "SYR140112"])["fatalities"], 1);
}

/// Each malformed fixture, and what its error must name besides the file.
const MALFORMED: &[(&str, &[&str])] = &[
    (
        "acled_impossible_date.csv",
        &["line 4", "event_date", "2025-02-30"],
    ),
    (
        "csv_impossible_date.csv",
        &["line 3", "date_start", "2025-02-30"],
    ),
    (
        "latitude_out_of_range.csv",
        &["line 3", "latitude", "132.6189"],
    ),
    (
        "longitude_out_of_range.csv",
        &["line 5", "longitude", "241.0944"],
    ),
    (
        "missing_columns.csv",
        &["line 1", "missing column", "latitude, longitude"],
    ),
    (
        "ucdp_missing_columns.csv",
        &["line 1", "missing column", "date_end, best"],
    ),
    ("latin1.csv", &["line 3", "notes", "UTF-8", "iconv"]),
    ("utf16.csv", &["byte 0", "UTF-16", "iconv"]),
    (
        "duplicate_ids.csv",
        &["line 4", "field id", "SYR140112", "first at line 2"],
    ),
    ("truncated.geojson", &["feature 3", "not valid GeoJSON"]),
    (
        "linestring.geojson",
        &["feature 2", "geometry", "LineString"],
    ),
];

both!(malformed_files_fail_naming_file_place_and_field_and_change_nothing);
fn malformed_files_fail_naming_file_place_and_field_and_change_nothing() {
    let s = Session::seeded();
    let before = s.snapshot();
    for (name, needles) in MALFORMED {
        let path = fixture(&format!("bad/{name}"));
        let err = s.fails(&["import", arg(&path)]);
        assert!(
            err.contains(name),
            "{name}: the error does not name the file:\n{err}"
        );
        for n in *needles {
            assert!(err.contains(n), "{name}: expected {n:?} in:\n{err}");
        }
        assert_eq!(s.snapshot(), before, "{name}: the database changed");
    }
}

both!(an_empty_file_is_refused_as_empty_whatever_its_name);
fn an_empty_file_is_refused_as_empty_whatever_its_name() {
    let s = Session::seeded();
    let before = s.snapshot();
    let empty = std::fs::read(fixture("bad/empty.csv")).unwrap();
    assert!(empty.is_empty());
    let mut problems = Vec::new();
    for name in ["zero.csv", "zero.geojson", "zero.geojsonl"] {
        let path = s.file(name, &empty);
        let o = s.run(&["import", arg(&path)]);
        let said = o.stderr.replace(arg(&path), "FILE");
        if o.code != 1 || !said.contains("FILE") || !said.to_lowercase().contains("empty") {
            problems.push(format!("{name}: exit {}: {}", o.code, o.stderr.trim()));
        }
        assert!(!o.stderr.contains("panicked"), "{}", o.stderr);
        assert_eq!(s.snapshot(), before, "{name}: the database changed");
    }
    assert!(
        problems.is_empty(),
        "an empty file should fail with exit 1 and say that FILE is empty:\n{}",
        problems.join("\n")
    );
}

both!(skip_invalid_imports_the_rest_and_writes_the_rejects);
fn skip_invalid_imports_the_rest_and_writes_the_rejects() {
    // (fixture, rows imported, rejected location, field, words of the reason)
    let cases: &[(&str, usize, &str, &str, &str)] = &[
        (
            "acled_impossible_date.csv",
            3,
            "line 4",
            "event_date",
            "2025-02-30",
        ),
        (
            "csv_impossible_date.csv",
            2,
            "line 3",
            "date_start",
            "2025-02-30",
        ),
        (
            "latitude_out_of_range.csv",
            1,
            "line 3",
            "latitude",
            "-90 to 90",
        ),
        (
            "longitude_out_of_range.csv",
            3,
            "line 5",
            "longitude",
            "-180 to 180",
        ),
        ("latin1.csv", 2, "line 3", "notes", "UTF-8"),
        (
            "duplicate_ids.csv",
            3,
            "line 4",
            "id",
            "duplicate id \"SYR140112\"",
        ),
        (
            "linestring.geojson",
            2,
            "feature 2",
            "geometry",
            "LineString",
        ),
    ];
    for (name, imported, location, field, reason) in cases {
        let s = Session::new();
        let rejects = s.dir.path().join("rejects.csv");
        let path = fixture(&format!("bad/{name}"));
        let err = said(
            &s,
            &[
                "import",
                "--skip-invalid",
                "--rejects",
                arg(&rejects),
                arg(&path),
            ],
        );
        assert!(err.contains("1 rejected"), "{name}: {err}");
        assert!(err.contains("rejected rows written to"), "{name}: {err}");
        assert_eq!(count(&s), *imported, "{name}");
        let mut r = csv::Reader::from_path(&rejects).unwrap();
        assert_eq!(r.headers().unwrap(), vec!["location", "field", "reason"]);
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), 1, "{name}: {rows:?}");
        assert_eq!((&rows[0][0], &rows[0][1]), (*location, *field), "{name}");
        assert!(rows[0][2].contains(reason), "{name}: {:?}", &rows[0][2]);
    }

    // Without --rejects the rejects go beside the file, as FILE.rejects.csv.
    let s = Session::new();
    let copy = s.file(
        "duplicates.csv",
        &std::fs::read(fixture("bad/duplicate_ids.csv")).unwrap(),
    );
    said(&s, &["import", "--skip-invalid", arg(&copy)]);
    let beside = s.dir.path().join("duplicates.csv.rejects.csv");
    let text = std::fs::read_to_string(&beside).expect("FILE.rejects.csv written");
    assert!(
        text.starts_with("location,field,reason\nline 4,id,"),
        "{text}"
    );

    // A clean file writes no rejects file at all.
    let clean = s.file("clean.csv", NATIVE_CSV.as_bytes());
    said(&s, &["import", "--skip-invalid", arg(&clean)]);
    assert!(!s.dir.path().join("clean.csv.rejects.csv").exists());
}

both!(skip_invalid_on_a_truncated_geojson_stops_at_the_break);
fn skip_invalid_on_a_truncated_geojson_stops_at_the_break() {
    // Nothing can be read after the point where the file breaks off: the
    // import must end (reporting feature 3 once), not reject forever.
    let s = Session::new();
    let path = fixture("bad/truncated.geojson");
    let out = s
        .cmd(&[
            "import",
            "--skip-invalid",
            "--rejects",
            "/dev/null",
            arg(&path),
        ])
        .timeout(Duration::from_secs(10))
        .output()
        .expect("run incidents");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code().is_some(),
        "import --skip-invalid {} did not finish within 10 s (it keeps rejecting \
         \"feature N: failed to fill whole buffer\" after the break)",
        path.display()
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    let rejects = s.dir.path().join("rejects.csv");
    let o = s.run(&[
        "import",
        "--skip-invalid",
        "--rejects",
        arg(&rejects),
        arg(&path),
    ]);
    assert!(o.code == 0 || o.code == 1, "{}", o.stderr);
    if o.code == 0 {
        let text = std::fs::read_to_string(&rejects).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("feature 3"), "{text}");
        assert_eq!(uids(&s.json(&["list"])), ["GJ-0101", "GJ-0102"]);
    } else {
        assert!(o.stderr.contains("feature 3"), "{}", o.stderr);
        assert_eq!(count(&s), 0);
    }
}

both!(regions_come_from_the_point_and_the_files_admin1_is_kept_beside);
fn regions_come_from_the_point_and_the_files_admin1_is_kept_beside() {
    let s = Session::new();
    let err = said(&s, &["import", arg(&fixture("acled_sample.csv"))]);
    assert!(err.contains("1 admin1 disagreements"), "{err}");
    assert!(err.contains("0 unrecognised admin1 labels"), "{err}");
    assert!(err.contains("As-Sweida -> SY-DR: 1"), "{err}");
    assert!(err.contains("both are kept"), "{err}");

    // Busra al-Harir lies in Daraa; the file says As-Sweida.
    let v = s.json(&["show", "SYR140271"]);
    assert_eq!(v["country"], "SY");
    assert_eq!(v["admin1_code"], "SY-DR");
    assert_eq!(v["admin1"], "Dar'a");
    assert_eq!(v["reported_admin1"], "As-Sweida");
    for (uid, code) in [
        ("SYR140112", "SY-DR"),
        ("SYR140175", "SY-SU"),
        ("SYR140183", "SY-DI"),
        ("SYR140215", "SY-RD"),
        ("SYR140230", "SY-HL"),
        ("IRQ38101", "IQ-AN"),
        ("IRQ38126", "IQ-BG"),
        ("IRQ38150", "IQ-NI"),
    ] {
        let v = s.json(&["show", uid]);
        assert_eq!(v["admin1_code"], code, "{uid}: {v}");
        assert!(v["admin2_code"].is_string(), "{uid}: {v}");
        assert!(v["reported_admin1"].is_string(), "{uid}: {v}");
    }
    let daraa = uids(&s.json(&["list", "--region", "Daraa"]));
    assert_eq!(daraa.len(), 9, "{daraa:?}");
    assert!(daraa.contains(&"SYR140271".to_string()));
    assert_eq!(uids(&s.json(&["list", "--region", "SY-SU"])).len(), 4);

    // ACLED time_precision 2 dates a week or a few days by its middle day:
    // the seven days around it hold the span. 3 is the month.
    let week = s.json(&["show", "SYR140131"]);
    assert_eq!(
        (
            &week["date_start"],
            &week["date_end"],
            &week["date_precision"]
        ),
        (&"2025-06-17".into(), &"2025-06-23".into(), &"range".into())
    );
    let month = s.json(&["show", "SYR140160"]);
    assert_eq!(
        (
            &month["date_start"],
            &month["date_end"],
            &month["date_precision"]
        ),
        (&"2025-06-01".into(), &"2025-06-30".into(), &"month".into())
    );
    let day = s.json(&["show", "SYR140175"]);
    assert_eq!(day["date_precision"], "day");
    assert_eq!(day["fatalities"], 30);
    assert!(
        day["notes"]
            .as_str()
            .unwrap()
            .contains("\"between 30 and 37\"")
    );
    assert_eq!(day["updated_at"], "2025-07-14T13:33:50Z");
    let protest = s.json(&["show", "SYR140140"]);
    assert_eq!(protest["fatalities"], 0, "ACLED's 0 imports as 0");
    assert_eq!(
        protest["tags"],
        serde_json::json!(["crowd size=around 200"])
    );
}

both!(swapped_coordinates_are_refused_as_outside_the_stated_country);
fn swapped_coordinates_are_refused_as_outside_the_stated_country() {
    // Latitude 36.1, longitude 32.6 is a valid point, on the Turkish coast,
    // but the row says Syria (country and iso): a probable coordinate error,
    // and the swapped point lies in Syria.
    let s = Session::new();
    let file = fixture("bad/swapped_coordinates.csv");
    let err = s.fails(&["import", arg(&file)]);
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("36.1021,32.6189"), "{err}");
    assert!(err.contains("latitude and longitude look swapped"), "{err}");
    assert_eq!(count(&s), 0, "a failed import writes nothing");

    let out = said(&s, &["import", arg(&file), "--skip-invalid"]);
    assert!(out.contains("2 rows, 1 new"), "{out}");
    assert!(out.contains("1 rejected"), "{out}");
    assert_eq!(uids(&s.json(&["list", "--region", "Daraa"])), ["SYR140112"]);
}

both!(ucdp_rows_map_as_documented);
fn ucdp_rows_map_as_documented() {
    let s = Session::new();
    let err = said(&s, &["import", arg(&fixture("ucdp_sample.csv"))]);
    assert!(err.contains("(Ucdp): 30 rows, 30 new"), "{err}");
    assert!(
        err.contains("2 rows have fatality estimates out of order"),
        "{err}"
    );
    assert!(err.contains("0 unrecognised admin1 labels"), "{err}");

    let a = s.json(&["show", "UCDP-301001"]);
    assert_eq!(a["event_type"], "Battles");
    assert_eq!(a["sub_event_type"], "Armed clash");
    assert_eq!(a["actor1"], "Government of Syria");
    assert_eq!(a["actor2"], "Syrian insurgents");
    assert_eq!(
        (
            &a["fatalities"],
            &a["fatalities_low"],
            &a["fatalities_high"]
        ),
        (&4.into(), &4.into(), &4.into())
    );
    assert_eq!(a["civilian_fatalities"], 1);
    assert_eq!(a["date_precision"], "day");
    assert_eq!(a["geo_precision"], 1);
    assert_eq!(a["place"], "Daraa town");
    assert_eq!(a["admin1_code"], "SY-DR");
    assert_eq!(a["admin2_code"], "SY1200");
    assert_eq!(a["reported_admin1"], "Daraa Governorate");
    assert_eq!(a["reported_admin2"], "Daraa district");
    assert!(
        a["notes"]
            .as_str()
            .unwrap()
            .contains("UCDP conflict: Syria: Government")
    );
    let tags = a["tags"].as_array().unwrap();
    assert!(tags.contains(&"ucdp:type_of_violence=1".into()), "{tags:?}");
    assert!(tags.contains(&"ucdp:where_prec=1".into()), "{tags:?}");
    assert_eq!(a["sources"][0]["publisher"], "UCDP GED");
    assert_eq!(
        a["sources"][0]["excerpt"],
        "\"SOHR,2016-02-03,Clashes in Daraa al-Balad, and 4 killed by shelling on \u{201c}Al-Manshiyah\u{201d}\""
    );
    let quoted = s.json(&["show", "UCDP-301002"]);
    assert_eq!(
        quoted["sources"][0]["excerpt"],
        "\"SOHR,2016-02-05,Regime forces advance in Sheikh Miskin, \"heavy\" losses on both sides\""
    );

    // where_prec 6: a country centroid, so the country only.
    for (uid, country) in [("UCDP-301004", "SY"), ("UCDP-301025", "IQ")] {
        let v = s.json(&["show", uid]);
        assert_eq!(v["country"], country, "{uid}");
        assert!(
            v["admin1"].is_null() && v["admin1_code"].is_null(),
            "{uid}: {v}"
        );
        assert!(
            v["admin2"].is_null() && v["admin2_code"].is_null(),
            "{uid}: {v}"
        );
        assert!(
            v["reported_admin1"].is_null(),
            "{uid}: empty adm_1 stays unknown"
        );
        assert_eq!(v["geo_precision"], 4, "{uid}: only the country is known");
        assert_eq!(v["date_precision"], "year", "{uid}");
    }
    let national = s.json(&["show", "UCDP-301004"]);
    assert_eq!(
        (
            &national["fatalities"],
            &national["fatalities_low"],
            &national["fatalities_high"]
        ),
        (&2000.into(), &1900.into(), &2150.into())
    );
    assert!(
        national["sources"][0]["excerpt"]
            .as_str()
            .unwrap()
            .contains("\";\"Reuters,2017-01-02,")
    );
    assert!(!uids(&s.json(&["list", "--region", "Baghdad"])).contains(&"UCDP-301025".into()));

    // where_prec 4: the province, no district.
    let province = s.json(&["show", "UCDP-301003"]);
    assert_eq!(province["admin1_code"], "SY-DR");
    assert!(province["admin2_code"].is_null(), "{province}");
    assert_eq!(province["geo_precision"], 3);

    // Date ranges get their calendar precision.
    for (uid, start, end, precision) in [
        ("UCDP-301003", "2016-02-01", "2016-02-29", "month"),
        ("UCDP-301008", "2016-01-11", "2016-01-17", "week"),
        ("UCDP-301009", "2016-01-01", "2016-04-01", "range"),
        ("UCDP-301013", "2018-07-25", "2018-07-27", "range"),
        ("UCDP-301025", "2017-01-01", "2017-12-31", "year"),
    ] {
        let v = s.json(&["show", uid]);
        assert_eq!(
            (&v["date_start"], &v["date_end"], &v["date_precision"]),
            (&start.into(), &end.into(), &precision.into()),
            "{uid}"
        );
    }

    // Estimates out of order are kept as published.
    let quirk = s.json(&["show", "UCDP-301005"]);
    assert_eq!(
        (
            &quirk["fatalities"],
            &quirk["fatalities_low"],
            &quirk["fatalities_high"]
        ),
        (&15.into(), &8.into(), &7.into())
    );

    // One-sided violence.
    let one_sided = s.json(&["show", "UCDP-301007"]);
    assert_eq!(one_sided["event_type"], "Violence against civilians");
    assert_eq!(one_sided["sub_event_type"], "Attack");
    assert_eq!(one_sided["civilian_fatalities"], 3);
    assert!(
        one_sided["tags"]
            .as_array()
            .unwrap()
            .contains(&"ucdp:type_of_violence=3".into())
    );
}

both!(the_stated_country_holds_within_10_km_and_a_point_beyond_is_refused);
fn the_stated_country_holds_within_10_km_and_a_point_beyond_is_refused() {
    let s = Session::new();
    let file = s.file(
        "borders.csv",
        b"uid,event_type,date_start,date_end,latitude,longitude,country\n\
          RAMTHA-SY,Battles,2025-06-01,2025-06-01,32.5592,36.0150,SY\n\
          RAMTHA,Battles,2025-06-01,2025-06-01,32.5592,36.0150,\n\
          AMMAN-SY,Battles,2025-06-01,2025-06-01,31.95,35.93,SY\n\
          KILIS-SY,Battles,2025-06-01,2025-06-01,36.7184,37.1212,SY\n\
          GAZIANTEP-SY,Battles,2025-06-01,2025-06-01,37.0662,37.3833,SY\n\
          NUSAYBIN-SY,Battles,2025-06-01,2025-06-01,37.0750,41.2153,SY\n\
          GOLAN-SY,Battles,2025-06-01,2025-06-01,33.03333,35.78333,SY\n\
          GOLAN,Battles,2025-06-01,2025-06-01,33.03333,35.78333,\n\
          DARAA-TR,Battles,2025-06-01,2025-06-01,32.6189,36.1021,TR\n",
    );
    let out = said(&s, &["import", arg(&file), "--skip-invalid"]);
    assert!(out.contains("9 rows, 6 new"), "{out}");
    assert!(out.contains("3 rejected"), "{out}");
    assert!(out.contains("3 held in their stated country"), "{out}");
    // Ramtha (Jordan, 4 km from the border), Kilis and Nusaybin (Turkey,
    // a few km from it) go to Syria's nearest governorate when the row says
    // Syria; without a stated country Ramtha stays in Jordan. The occupied
    // Golan is Quneitra either way (UN boundaries win).
    for (uid, admin1) in [
        ("RAMTHA-SY", "SY-DR"),
        ("RAMTHA", "JO-IR"),
        ("KILIS-SY", "SY-HL"),
        ("NUSAYBIN-SY", "SY-HA"),
        ("GOLAN-SY", "SY-QU"),
        ("GOLAN", "SY-QU"),
    ] {
        assert_eq!(s.json(&["show", uid])["admin1_code"], admin1, "{uid}");
    }
    let rejects = std::fs::read_to_string(s.dir.path().join("borders.csv.rejects.csv"))
        .expect("rejects file");
    for (line, says) in [
        ("line 4", "it lies in JO, 65 km from SY"),
        ("line 6", "it lies in TR, 44 km from SY"),
        ("line 10", "latitude and longitude look swapped"),
    ] {
        assert!(
            rejects
                .lines()
                .any(|l| l.starts_with(line) && l.contains(says)),
            "{line}: {says}\n{rejects}"
        );
    }
}

both!(an_offline_copy_brings_back_what_was_added_and_changed_there);
/// `backup` makes a SQLite copy (of a file or a server) that works offline;
/// `import COPY` brings back the incidents added and changed there, once.
fn an_offline_copy_brings_back_what_was_added_and_changed_there() {
    let s = Session::seeded();
    s.ok(&["backup", "field.db"]);
    let field = |args: &[&str]| {
        let mut all = vec!["--db", "field.db"];
        all.extend_from_slice(args);
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("incidents"))
            .args(&all)
            .current_dir(s.dir.path())
            .env_remove("INCIDENTS_DB")
            .output()
            .expect("run incidents on the copy");
        assert!(out.status.success(), "{args:?}: {out:?}");
    };
    field(&[
        "add",
        "--date",
        "2025-07-03",
        "--lat",
        "32.74",
        "--lon",
        "36.21",
        "--type",
        "battles",
        "--sub-type",
        "armed clash",
        "--uid",
        "FIELD-0001",
    ]);
    field(&[
        "edit",
        "SEED-SY-2025-DARAA-MAN-SHOT-WHILE-PRAYING",
        "--fatalities",
        "2",
    ]);
    let summary = said(&s, &["import", "field.db"]);
    assert!(
        summary.contains(" 1 new, 1 updated, 6 unchanged"),
        "{summary}"
    );
    let back = s.json(&["show", "FIELD-0001"]);
    assert_eq!(back["admin1_code"], "SY-DR");
    let edited = s.json(&["show", "SEED-SY-2025-DARAA-MAN-SHOT-WHILE-PRAYING"]);
    assert_eq!(edited["fatalities"], 2);
    let history = s.ok(&["history", "FIELD-0001", "--format", "csv"]);
    assert!(history.contains("import 1 of field.db (db)"), "{history}");
    // The copy's own record of the edit comes along, beside the import's.
    let edits = s.ok(&[
        "history",
        "SEED-SY-2025-DARAA-MAN-SHOT-WHILE-PRAYING",
        "--format",
        "csv",
    ]);
    let updates: Vec<&str> = edits.lines().filter(|l| l.contains(",update,")).collect();
    assert_eq!(updates.len(), 2, "{edits}");
    let again = said(&s, &["import", "field.db"]);
    assert!(again.contains(" 0 new, 0 updated, 8 unchanged"), "{again}");
}
