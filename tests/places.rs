//! `incidents places add|import`: your own places beside the bundled
//! gazetteer, and GeoNames files with errors that name the line.
mod common;
use common::{Session, both};
use serde_json::Value;

fn show(s: &Session, uid: &str) -> Value {
    serde_json::from_str(&s.ok(&["show", uid, "--format", "json"])).unwrap()
}

both!(added_place_is_geocodable_by_name_and_alt_names);
fn added_place_is_geocodable_by_name_and_alt_names() {
    let s = Session::new();
    let name = "Tal Zaytoun Checkpoint";
    s.fails(&["geocode", name, "--country", "SY"]);
    let out = s.ok(&[
        "places",
        "add",
        name,
        "--lat",
        "32.7012",
        "--lon",
        "36.1234",
        "--alt-names",
        "حاجز تل الزيتون,TZ checkpoint",
    ]);
    assert!(out.contains(name), "{out}");
    for q in [name, "TZ checkpoint", "حاجز تل الزيتون"] {
        let v = s.json(&["geocode", q]);
        let first = &v[0];
        assert_eq!(first["name"], name, "geocode {q}: {v}");
        assert_eq!(first["latitude"], 32.7012);
        assert_eq!(first["longitude"], 36.1234);
        // Country and admin1 come from the coordinates when not given.
        assert_eq!(first["country"], "SY");
        assert_eq!(first["admin1_code"], "SY-DR");
    }

    // `add --place` finds it too, as an exact place.
    let uid = s.ok(&[
        "add",
        "--date",
        "2025-06-03",
        "--type",
        "vac",
        "--place",
        "TZ checkpoint",
    ]);
    let i = show(&s, uid.trim());
    assert_eq!(i["latitude"], 32.7012);
    assert_eq!(i["longitude"], 36.1234);
    assert_eq!(i["geo_precision"], 1);
    assert_eq!(i["admin1_code"], "SY-DR");
}

both!(places_add_rejects_bad_input_and_changes_nothing);
fn places_add_rejects_bad_input_and_changes_nothing() {
    let s = Session::new();
    s.ok(&["init"]);
    let before = s.snapshot();
    for args in [
        &["places", "add", "X", "--lat", "95", "--lon", "36"][..],
        &["places", "add", "X", "--lat", "32", "--lon", "-181"],
        &["places", "add", "  ", "--lat", "32", "--lon", "36"],
    ] {
        let err = s.fails(args);
        assert!(err.contains("error"), "{args:?}: {err}");
    }
    assert_eq!(s.snapshot(), before);
}

/// A GeoNames line: the 19 tab-separated columns of allCountries.txt.
fn geonames_line(id: i64, name: &str, alt: &str, lat: &str, lon: &str, cc: &str) -> String {
    [
        id.to_string().as_str(),
        name,
        name,
        alt,
        lat,
        lon,
        "P",
        "PPL",
        cc,
        "",
        "12",
        "",
        "",
        "",
        "1234",
        "",
        "600",
        "Asia/Damascus",
        "2024-01-01",
    ]
    .join("\t")
}

both!(import_geonames_file_makes_its_places_geocodable);
fn import_geonames_file_makes_its_places_geocodable() {
    let s = Session::new();
    let text = [
        "# a comment line is skipped".to_string(),
        geonames_line(
            90000001,
            "Khirbat Qwerty",
            "Khirbet Qwerty,خربة كويرتي",
            "32.6500",
            "36.2000",
            "SY",
        ),
        String::new(),
        geonames_line(90000002, "Tall Zxcvb", "", "36.3000", "43.2000", "IQ"),
    ]
    .join("\n");
    let f = s.file("extra.txt", text.as_bytes());
    let out = s.ok(&["places", "import", f.to_str().unwrap()]);
    assert!(out.contains("imported 2 places"), "{out}");

    for (q, name, admin1) in [
        ("Khirbat Qwerty", "Khirbat Qwerty", "SY-DR"),
        ("خربة كويرتي", "Khirbat Qwerty", "SY-DR"),
        ("Khirbet Qwerty", "Khirbat Qwerty", "SY-DR"),
        ("Tall Zxcvb", "Tall Zxcvb", "IQ-NI"),
    ] {
        let v = s.json(&["geocode", q]);
        assert_eq!(v[0]["name"], name, "{q}: {v}");
        assert_eq!(v[0]["admin1_code"], admin1, "{q}: {v}");
        assert_eq!(v[0]["population"], 1234);
    }
    let v = s.json(&["geocode", "Tall Zxcvb"]);
    assert_eq!(v[0]["latitude"], 36.3);
    assert_eq!(v[0]["country"], "IQ");

    // Importing the same file again keeps one copy of each place.
    s.ok(&["places", "import", f.to_str().unwrap()]);
    let v = s.json(&["geocode", "Khirbat Qwerty", "--limit", "10"]);
    let copies = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "Khirbat Qwerty")
        .count();
    assert_eq!(copies, 1, "{v}");
}

both!(malformed_geonames_file_fails_naming_the_line_and_changes_nothing);
fn malformed_geonames_file_fails_naming_the_line_and_changes_nothing() {
    let s = Session::new();
    s.ok(&[
        "places",
        "add",
        "Existing Place Qq",
        "--lat",
        "33",
        "--lon",
        "36",
    ]);
    let before = s.snapshot();
    let good = geonames_line(90000011, "Good Qwerty", "", "32.6", "36.2", "SY");
    let bad_lat = geonames_line(90000012, "Bad Qwerty", "", "north", "36.2", "SY");
    let out_of_range = geonames_line(90000013, "Far Qwerty", "", "123.5", "36.2", "SY");
    let short = "90000014\tShort Qwerty\tShort Qwerty\t\t32.6\t36.2\tP";

    let mut errors = Vec::new();
    for (name, text, line, field) in [
        (
            "bad_lat.txt",
            format!("{good}\n{bad_lat}\n"),
            "line 2",
            "latitude",
        ),
        (
            "range.txt",
            format!("# header\n{good}\n{out_of_range}\n"),
            "line 3",
            "latitude",
        ),
        (
            "short.txt",
            format!("{good}\n{good}\n{short}\n"),
            "line 3",
            "columns",
        ),
    ] {
        let f = s.file(name, text.as_bytes());
        let err = s.fails(&["places", "import", f.to_str().unwrap()]);
        assert!(err.contains(line), "{name}: {err}");
        assert!(err.contains(field), "{name}: {err}");
        assert_eq!(s.snapshot(), before, "{name}: nothing imported");
        errors.push((name, err));
    }
    // The good line before the bad one was not imported either.
    s.fails(&["geocode", "Good Qwerty", "--country", "SY"]);
    let err = s.fails(&["places", "import", "no-such-file.txt"]);
    assert!(err.contains("no-such-file.txt"), "{err}");
    assert_eq!(s.snapshot(), before);

    // The errors name the user's file, and do not call it bundled data.
    for (name, err) in errors {
        assert!(
            err.contains(name),
            "{name}: the error names the file: {err}"
        );
        assert!(
            !err.contains("bundled"),
            "{name}: the user's file is not bundled data: {err}"
        );
    }
}
