//! `incidents regions list|import`, and how region names and points are
//! resolved by `list --region`, `report --region` and `add`.
mod common;
use common::{Session, both, uids};
use serde_json::Value;

fn show(s: &Session, uid: &str) -> Value {
    serde_json::from_str(&s.ok(&["show", uid, "--format", "json"])).unwrap()
}

both!(syria_has_14_governorates_and_their_districts);
fn syria_has_14_governorates_and_their_districts() {
    let s = Session::new();
    let v = s.json(&["regions", "list", "--country", "SY"]);
    let rows = v.as_array().unwrap();
    assert!(rows.iter().all(|r| r["country"] == "SY"));
    let admin1: Vec<&Value> = rows.iter().filter(|r| r["level"] == "admin1").collect();
    let mut codes: Vec<&str> = admin1.iter().map(|r| r["code"].as_str().unwrap()).collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            "SY-DI", "SY-DR", "SY-DY", "SY-HA", "SY-HI", "SY-HL", "SY-HM", "SY-ID", "SY-LA",
            "SY-QU", "SY-RA", "SY-RD", "SY-SU", "SY-TA"
        ]
    );
    let daraa = admin1.iter().find(|r| r["code"] == "SY-DR").unwrap();
    assert_eq!(daraa["pcode"], "SY12");
    assert_eq!(daraa["name_ar"], "درعا");

    let districts: Vec<&Value> = rows.iter().filter(|r| r["level"] == "admin2").collect();
    assert!(districts.len() >= 60, "{} districts", districts.len());
    let sanamayn = districts.iter().find(|r| r["code"] == "SY1202").unwrap();
    assert_eq!(sanamayn["name"], "As-Sanamayn");
    assert_eq!(sanamayn["parent"], "SY-DR");
    // Every district's parent is one of the governorates.
    for d in &districts {
        assert!(codes.contains(&d["parent"].as_str().unwrap()), "{d}");
    }
    let in_daraa = districts.iter().filter(|r| r["parent"] == "SY-DR").count();
    assert_eq!(in_daraa, 3, "Dar'a, As-Sanamayn and Izra'");

    // Without --country every country is listed; Iraq's governorates too.
    let all = s.json(&["regions", "list"]);
    assert!(all.as_array().unwrap().len() > rows.len());
    let iq = s.json(&["regions", "list", "--country", "iq"]);
    let iq_admin1 = iq
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "admin1")
        .count();
    assert_eq!(iq_admin1, 18);
}

/// A square around Daraa city, well inside Dar'a governorate.
const DARAA_CITY: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature",
   "properties": {"name": "Daraa city test area", "note": "made for a test"},
   "geometry": {"type": "Polygon", "coordinates": [[
     [36.05, 32.58], [36.15, 32.58], [36.15, 32.66], [36.05, 32.66], [36.05, 32.58]
   ]]}}
]}"#;

fn add_at(s: &Session, date: &str, lat: &str, lon: &str, fatalities: Option<&str>) -> String {
    let mut args = vec![
        "add", "--date", date, "--type", "battles", "--lat", lat, "--lon", lon,
    ];
    if let Some(f) = fatalities {
        args.extend(["--fatalities", f]);
    }
    s.ok(&args).trim().to_string()
}

both!(imported_polygon_selects_exactly_the_incidents_inside_it);
fn imported_polygon_selects_exactly_the_incidents_inside_it() {
    let s = Session::new();
    let in_june_1 = add_at(&s, "2025-06-10", "32.62", "36.10", Some("2"));
    let in_june_2 = add_at(&s, "2025-06", "32.60", "36.13", None);
    let in_may = add_at(&s, "2025-05-15", "32.63", "36.07", Some("1"));
    let in_overlapping = add_at(&s, "2025-06-28", "32.61", "36.11", Some("9"));
    s.ok(&["edit", &in_overlapping, "--end-date", "2025-07-03"]);
    // Same governorate, outside the square.
    let out_north = add_at(&s, "2025-06-11", "32.70", "36.10", Some("4"));
    let out_sanamayn = add_at(&s, "2025-06-12", "33.07", "36.18", Some("5"));
    let out_baghdad = add_at(&s, "2025-06-13", "33.34", "44.40", Some("6"));

    let f = s.file("daraa_city.geojson", DARAA_CITY.as_bytes());
    let out = s.ok(&[
        "regions",
        "import",
        f.to_str().unwrap(),
        "--name-field",
        "name",
    ]);
    assert!(out.contains("imported 1 custom region"), "{out}");
    let listed = s.json(&["regions", "list"]);
    let custom: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "custom")
        .collect();
    assert_eq!(custom.len(), 1);
    assert_eq!(custom[0]["name"], "Daraa city test area");

    // Added after the import: linked on insert.
    let later_in = add_at(&s, "2025-06-25", "32.64", "36.09", Some("3"));
    let later_out = add_at(&s, "2025-06-26", "32.75", "36.00", Some("8"));

    let region = "Daraa city test area";
    let mut want = vec![in_june_1.clone(), in_june_2.clone(), later_in.clone()];
    want.sort();
    assert_eq!(
        uids(&s.json(&["list", "--region", region, "--month", "2025-06"])),
        want
    );
    let mut all_inside = vec![
        in_june_1.clone(),
        in_june_2.clone(),
        in_may.clone(),
        in_overlapping.clone(),
        later_in.clone(),
    ];
    all_inside.sort();
    assert_eq!(uids(&s.json(&["list", "--region", region])), all_inside);
    // Case and spacing in the name do not matter.
    assert_eq!(
        uids(&s.json(&["list", "--region", "daraa city TEST area"])),
        all_inside
    );

    let r = s.json(&["report", "--region", region, "--month", "2025-06"]);
    assert_eq!(r["region"]["name"], region);
    assert_eq!(r["region"]["level"], "custom");
    assert_eq!(r["incidents"], 3);
    assert_eq!(r["fatalities"]["best"], 5);
    assert_eq!(r["fatalities"]["unknown_incidents"], 1);
    let overlapping: Vec<&str> = r["overlapping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["uid"].as_str().unwrap())
        .collect();
    assert_eq!(overlapping, [in_overlapping.as_str()]);
    assert_eq!(r["previous_period"]["incidents"], 1);
    assert_eq!(r["previous_period"]["fatalities"]["best"], 1);

    // The governorate still holds everything in it, inside the square or not.
    let mut gov = vec![
        in_june_1.clone(),
        in_june_2.clone(),
        later_in.clone(),
        out_north.clone(),
        out_sanamayn.clone(),
        later_out.clone(),
    ];
    gov.sort();
    assert_eq!(
        uids(&s.json(&["list", "--region", "SY-DR", "--month", "2025-06"])),
        gov
    );
    assert_eq!(
        uids(&s.json(&["list", "--region", "Baghdad", "--month", "2025-06"])),
        [out_baghdad]
    );

    // Moving an incident into the square links it; moving it out unlinks it.
    s.ok(&["edit", &out_north, "--lat", "32.65", "--lon", "36.14"]);
    s.ok(&["edit", &later_in, "--lat", "32.80", "--lon", "36.14"]);
    let mut want = vec![in_june_1, in_june_2, out_north];
    want.sort();
    assert_eq!(
        uids(&s.json(&["list", "--region", region, "--month", "2025-06"])),
        want
    );
}

both!(bad_geojson_fails_naming_the_problem_and_changes_nothing);
fn bad_geojson_fails_naming_the_problem_and_changes_nothing() {
    let s = Session::new();
    s.ok(&["init"]);
    let before = s.snapshot();
    let no_name = DARAA_CITY.replace("\"name\"", "\"title\"");
    let point = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
      "properties": {"name": "A point"}, "geometry": {"type": "Point", "coordinates": [36.1, 32.6]}}]}"#;
    let mut errors = Vec::new();
    for (file, text, what) in [
        ("no_name.geojson", no_name.as_str(), "name"),
        ("point.geojson", point, "Polygon"),
        ("broken.geojson", "{\"type\": \"FeatureColl", ""),
    ] {
        let f = s.file(file, text.as_bytes());
        let err = s.fails(&[
            "regions",
            "import",
            f.to_str().unwrap(),
            "--name-field",
            "name",
        ]);
        assert!(err.contains(what), "{file}: {err}");
        assert_eq!(s.snapshot(), before, "{file}");
        errors.push((file, err));
    }
    // The errors name the user's file, and do not call it bundled data.
    for (file, err) in errors {
        assert!(
            err.contains(file),
            "{file}: the error names the file: {err}"
        );
        assert!(
            !err.contains("bundled"),
            "{file}: the user's file is not bundled data: {err}"
        );
    }
}

both!(unknown_region_fails_with_suggestions);
fn unknown_region_fails_with_suggestions() {
    let s = Session::new();
    s.ok(&["init"]);
    let before = s.snapshot();
    let err = s.fails(&["list", "--region", "Daraaa Governate"]);
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("SY-DR"), "{err}");
    let err = s.fails(&["list", "--region", "Narnia"]);
    assert!(err.contains("unknown region"), "{err}");
    assert!(err.contains("did you mean"), "{err}");
    assert_eq!(s.snapshot(), before);
}

both!(region_spellings_resolve_to_the_governorate);
fn region_spellings_resolve_to_the_governorate() {
    let s = Session::new();
    let uid = add_at(&s, "2025-06-10", "32.62", "36.10", None);
    for q in ["Daraa", "Deraa", "درعا", "SY-DR", "sy-dr", "SY12"] {
        let o = s.run(&["list", "--region", q, "--format", "json"]);
        assert_eq!(o.code, 0, "{q}: {}", o.stderr);
        let v: Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(uids(&v), std::slice::from_ref(&uid), "{q}");
    }
}

both!(a_name_of_both_a_governorate_and_a_district_means_the_governorate);
fn a_name_of_both_a_governorate_and_a_district_means_the_governorate() {
    let s = Session::new();
    // Izra' district of Dar'a governorate, not in Dar'a district.
    let izra = add_at(&s, "2025-06-10", "32.85", "36.25", None);
    let city = add_at(&s, "2025-06-11", "32.62", "36.10", None);
    assert_eq!(show(&s, &izra)["admin1_code"], "SY-DR");
    assert_ne!(show(&s, &izra)["admin2_code"], "SY1200");
    assert_eq!(show(&s, &city)["admin2_code"], "SY1200");

    let o = s.run(&["list", "--region", "Dar'a", "--format", "json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let mut both = vec![izra.clone(), city.clone()];
    both.sort();
    assert_eq!(uids(&v), both, "the governorate, both districts");
    assert!(o.stderr.contains("note"), "{}", o.stderr);
    assert!(o.stderr.contains("SY-DR"), "{}", o.stderr);
    assert!(o.stderr.contains("SY1200"), "{}", o.stderr);

    let o = s.run(&[
        "report", "--region", "Dar'a", "--month", "2025-06", "--format", "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(r["region"]["code"], "SY-DR");
    assert_eq!(r["region"]["level"], "admin1");
    assert_eq!(r["incidents"], 2);
    assert!(o.stderr.contains("SY1200"), "{}", o.stderr);

    // The district's code still selects only the district.
    assert_eq!(uids(&s.json(&["list", "--region", "SY1200"])), [city]);
}

both!(a_point_just_off_the_coast_gets_the_nearest_governorate_with_a_note);
fn a_point_just_off_the_coast_gets_the_nearest_governorate_with_a_note() {
    let s = Session::new();
    let o = s.run(&[
        "add",
        "--date",
        "2025-06-10",
        "--type",
        "battles",
        "--lat",
        "35.5",
        "--lon",
        "35.75",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("nearest"), "{}", o.stderr);
    assert!(o.stderr.contains("SY-LA"), "{}", o.stderr);
    let i = show(&s, o.stdout.trim());
    assert_eq!(i["admin1_code"], "SY-LA");
    assert_eq!(i["country"], "SY");
    // The coordinates are kept as given.
    assert_eq!(i["latitude"], 35.5);
    assert_eq!(i["longitude"], 35.75);
}

both!(a_point_in_mid_ocean_gets_no_region);
fn a_point_in_mid_ocean_gets_no_region() {
    let s = Session::new();
    let o = s.run(&[
        "add",
        "--date",
        "2025-06-10",
        "--type",
        "battles",
        "--lat",
        "0",
        "--lon",
        "-30",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("not inside any region"), "{}", o.stderr);
    let i = show(&s, o.stdout.trim());
    assert_eq!(i["admin1_code"], Value::Null);
    assert_eq!(i["admin2_code"], Value::Null);
    assert_eq!(i["country"], Value::Null);
}

both!(a_misspelt_name_means_the_closest_spelling);
/// A misspelling that matches several regions through their consonants
/// means the one it is spelt closest to, not the first code in order
/// ("Darra" is one letter from "Daraa" but two from "Derry").
fn a_misspelt_name_means_the_closest_spelling() {
    let s = Session::new();
    s.ok(&["init"]);
    for q in ["Darra", "Dera"] {
        let o = s.run(&[
            "report", "--region", q, "--month", "2025-06", "--format", "json",
        ]);
        assert_eq!(o.code, 0, "{q}: {}", o.stderr);
        let r: Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(r["region"]["code"], "SY-DR", "{q}: {}", o.stderr);
    }
}

both!(every_dataset_and_ocha_label_resolves_to_its_unit);
/// Every admin1 and admin2 label of the real UCDP GED Syria file (2016-2019),
/// the spellings UCDP and ACLED use, and every OCHA name (English, Arabic,
/// REF) of Syria and Iraq resolve to the unit they name, within the data's
/// country. The fixture's header says how each expected unit was found.
fn every_dataset_and_ocha_label_resolves_to_its_unit() {
    let regions = incidents::geo::Regions::bundled_names().unwrap();
    let text = std::fs::read_to_string(common::fixture("region_labels.tsv")).unwrap();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let (query, country, want) = (f[0], f[1], f[2]);
        let got = regions
            .resolve_in(query, &[country])
            .map(|r| r.region.code.clone());
        if got.as_deref().ok() != Some(want) {
            wrong.push(format!("{query} ({country}): want {want}, got {got:?}"));
        }
        checked += 1;
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked > 400, "{checked}");
}
