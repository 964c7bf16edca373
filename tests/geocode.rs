//! `incidents geocode`, and `add --place` / `add --region` which geocode
//! through the same gazetteer and regions.
mod common;
use common::{Session, both};
use serde_json::Value;

/// The first candidate's admin1 code for a name.
fn admin1_of(s: &Session, name: &str) -> String {
    let v = s.json(&["geocode", name]);
    let first = &v.as_array().expect("array of candidates")[0];
    first["admin1_code"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: no admin1_code in {first}"))
        .to_string()
}

both!(seed_places_resolve_in_latin_and_arabic_spellings);
fn seed_places_resolve_in_latin_and_arabic_spellings() {
    let s = Session::new();
    let cases: &[(&[&str], &str)] = &[
        (&["Al-Masmiyah", "Mismiyah", "Mesmiye", "المسمية"], "SY-DR"),
        (&["Al-Sanamayn", "Sanamein", "الصنمين"], "SY-DR"),
        (&["Busra al-Sham", "Bosra", "بصرى الشام"], "SY-DR"),
        (&["Daraa", "Dar'a", "Deraa", "درعا"], "SY-DR"),
        (&["As-Suwayda", "السويداء"], "SY-SU"),
        (&["Baghdad", "بغداد"], "IQ-BG"),
        (&["Mosul", "الموصل"], "IQ-NI"),
        (&["Ramadi", "الرمادي"], "IQ-AN"),
        (&["Tikrit", "تكريت"], "IQ-SD"),
    ];
    for (names, code) in cases {
        for name in *names {
            assert_eq!(admin1_of(&s, name), *code, "geocode {name}");
        }
    }
}

both!(spellings_of_one_place_give_the_same_coordinates);
fn spellings_of_one_place_give_the_same_coordinates() {
    let s = Session::new();
    let point = |name: &str| {
        let v = s.json(&["geocode", name]);
        let c = &v[0];
        (
            c["latitude"].as_f64().unwrap(),
            c["longitude"].as_f64().unwrap(),
        )
    };
    let masmiyah = point("Al-Masmiyah");
    for name in ["Mismiyah", "Mesmiye", "المسمية"] {
        assert_eq!(point(name), masmiyah, "{name}");
    }
    let (lat, lon) = masmiyah;
    assert!((lat - 33.129).abs() < 0.01 && (lon - 36.394).abs() < 0.01);
}

both!(country_narrows_and_limit_limits);
fn country_narrows_and_limit_limits() {
    let s = Session::new();
    let all = s.json(&["geocode", "Tripoli", "--limit", "4"]);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 4);
    let countries: Vec<&str> = all.iter().map(|c| c["country"].as_str().unwrap()).collect();
    assert!(
        countries.contains(&"LY") && countries.contains(&"LB"),
        "{countries:?}"
    );

    let two = s.json(&["geocode", "Tripoli", "--limit", "2"]);
    assert_eq!(two.as_array().unwrap().len(), 2);
    let one = s.json(&["geocode", "Tripoli", "--limit", "1"]);
    assert_eq!(one.as_array().unwrap().len(), 1);

    let lb = s.json(&["geocode", "Tripoli", "--country", "LB"]);
    let lb = lb.as_array().unwrap();
    assert!(!lb.is_empty());
    assert!(lb.iter().all(|c| c["country"] == "LB"), "{lb:?}");
    assert_eq!(lb[0]["admin1_code"], "LB-AS");
    // Lower case works too.
    let ly = s.json(&["geocode", "Tripoli", "--country", "ly"]);
    assert!(ly.as_array().unwrap().iter().all(|c| c["country"] == "LY"));
    // A country where the name is unknown finds nothing.
    let err = s.fails(&["geocode", "Baghdad", "--country", "LB"]);
    assert!(err.contains("Baghdad"), "{err}");
}

both!(unknown_name_fails_with_a_message);
fn unknown_name_fails_with_a_message() {
    let s = Session::new();
    let err = s.fails(&["geocode", "Qwxzvbnmplk"]);
    assert!(err.contains("no place named \"Qwxzvbnmplk\""), "{err}");
    assert!(err.contains("places add"), "{err}");
}

both!(nonsense_name_gets_no_place_and_suggestions);
/// A name no place has, but spelled like some: exit 1, "no place named",
/// and the look-alikes printed as suggestions with their spelling distance.
fn nonsense_name_gets_no_place_and_suggestions() {
    let s = Session::new();
    let o = s.run(&["geocode", "Baghdax", "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("no place named \"Baghdax\""),
        "{}",
        o.stderr
    );
    let rows: Value = serde_json::from_str(&o.stdout).expect("json rows");
    let rows = rows.as_array().expect("array");
    assert!(!rows.is_empty(), "suggestions expected");
    assert!(
        rows.iter()
            .all(|r| r["match"] == "suggestion" && r["answer"] == false)
    );
    assert!(
        rows.iter()
            .any(|r| r["name"] == "Baghdad" && r["edits"] == 1),
        "{rows:?}"
    );
}

both!(json_candidates_carry_their_match_kind);
fn json_candidates_carry_their_match_kind() {
    let s = Session::new();
    let exact = s.json(&["geocode", "Kafr Nasij", "--country", "SY"]);
    assert_eq!(exact[0]["match"], "exact");
    assert_eq!(exact[0]["answer"], true);
    let variant = s.json(&["geocode", "Kfar Nasij", "--country", "SY"]);
    assert_eq!(variant[0]["match"], "variant");
    assert_eq!(variant[0]["answer"], true);
    for row in exact
        .as_array()
        .unwrap()
        .iter()
        .chain(variant.as_array().unwrap())
    {
        let kind = row["match"].as_str().unwrap();
        assert!(["exact", "variant", "suggestion"].contains(&kind), "{row}");
    }
}

fn near(v: &Value, lat: f64, lon: f64, what: &str) {
    let (la, lo) = (
        v["latitude"].as_f64().unwrap(),
        v["longitude"].as_f64().unwrap(),
    );
    assert!(
        (la - lat).abs() < 0.05 && (lo - lon).abs() < 0.05,
        "{what}: {la},{lo} is not near {lat},{lon}"
    );
}

both!(village_names_resolve_in_any_script_spelling_and_with_a_descriptor);
fn village_names_resolve_in_any_script_spelling_and_with_a_descriptor() {
    let s = Session::new();
    // A village of Daraa that cities500 lacks (Who's On First has it).
    for name in ["Kafr Nasij", "Kafr Nasij village", "كفر ناسج", "Kfar Nasij"] {
        let v = s.json(&["geocode", name]);
        assert_eq!(v[0]["answer"], true, "{name}: {v}");
        near(&v[0], 33.151, 36.039, name);
        assert_eq!(v[0]["admin1_code"], "SY-DR", "{name}");
    }
    // Deir/Dayr, Tel/Tall: variant spellings of one place.
    let dayr = s.json(&["geocode", "Dayr Hafir", "--country", "SY"]);
    let deir = s.json(&["geocode", "Deir Hafer", "--country", "SY"]);
    assert_eq!(deir[0]["answer"], true, "{deir}");
    assert_eq!(dayr[0]["name"], deir[0]["name"]);
    assert_eq!(dayr[0]["latitude"], deir[0]["latitude"]);
}

both!(geocode_output_formats);
fn geocode_output_formats() {
    let s = Session::new();
    let csv = s.ok(&["geocode", "Mosul", "--format", "csv", "--limit", "1"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let headers = r.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    assert_eq!(&rows[0][col("name")], "Mosul");
    assert_eq!(&rows[0][col("admin1_code")], "IQ-NI");
    assert_eq!(&rows[0][col("country")], "IQ");
}

fn show(s: &Session, uid: &str) -> Value {
    let out = s.ok(&["show", uid, "--format", "json"]);
    serde_json::from_str(&out).unwrap()
}

both!(add_place_fills_coordinates_precision_and_admin_units);
fn add_place_fills_coordinates_precision_and_admin_units() {
    let s = Session::new();
    for (name, admin1, lat, lon) in [
        ("Mismiyah", "SY-DR", 33.129, 36.394),
        ("المسمية", "SY-DR", 33.129, 36.394),
        ("Sanamein", "SY-DR", 33.072, 36.183),
        ("Bosra", "SY-DR", 32.517, 36.482),
        ("Mosul", "IQ-NI", 36.335, 43.119),
        ("تكريت", "IQ-SD", 34.616, 43.679),
    ] {
        let uid = s.ok(&[
            "add",
            "--date",
            "2025-06-17",
            "--type",
            "battles",
            "--place",
            name,
        ]);
        let i = show(&s, uid.trim());
        assert_eq!(i["place"], name, "the place keeps the name as reported");
        assert_eq!(i["admin1_code"], admin1, "{name}: {i}");
        assert_eq!(i["geo_precision"], 1, "{name}");
        let (la, lo) = (
            i["latitude"].as_f64().unwrap(),
            i["longitude"].as_f64().unwrap(),
        );
        assert!(
            (la - lat).abs() < 0.01 && (lo - lon).abs() < 0.01,
            "{name}: {la},{lo}"
        );
        assert!(i["country"].is_string());
    }
    // Explicit coordinates win over the place name.
    let uid = s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--place",
        "Mosul",
        "--lat",
        "33.34",
        "--lon",
        "44.40",
    ]);
    let i = show(&s, uid.trim());
    assert_eq!(i["admin1_code"], "IQ-BG");
    assert_eq!(i["latitude"], 33.34);
}

both!(add_place_prefers_a_city_over_an_unpopulated_namesake);
/// Provincial capitals whose only rival in the gazetteer is a namesake
/// village with no recorded population (Ramadi, Iraq, pop 223,500 vs Ar
/// Ramādī, Yemen, pop 0) are not ambiguous to an analyst.
fn add_place_prefers_a_city_over_an_unpopulated_namesake() {
    let s = Session::new();
    for (name, admin1) in [("Ramadi", "IQ-AN"), ("As-Suwayda", "SY-SU")] {
        let o = s.run(&[
            "add",
            "--date",
            "2025-06-17",
            "--type",
            "battles",
            "--place",
            name,
        ]);
        assert_eq!(o.code, 0, "add --place {name}: {}", o.stderr);
        let i = show(&s, o.stdout.trim());
        assert_eq!(i["admin1_code"], admin1, "{name}");
    }
}

both!(add_region_alone_uses_the_label_point_with_precision_3);
fn add_region_alone_uses_the_label_point_with_precision_3() {
    let s = Session::new();
    let uid = s.ok(&[
        "add", "--date", "2025-06", "--type", "vac", "--region", "Daraa",
    ]);
    let i = show(&s, uid.trim());
    assert_eq!(i["geo_precision"], 3);
    assert_eq!(i["admin1_code"], "SY-DR");
    assert_eq!(i["country"], "SY");
    let regions = incidents::geo::Regions::bundled().unwrap();
    let daraa = regions.resolve("SY-DR").unwrap().region;
    let (lat, lon) = daraa.label;
    assert!((i["latitude"].as_f64().unwrap() - lat).abs() < 1e-9);
    assert!((i["longitude"].as_f64().unwrap() - lon).abs() < 1e-9);
    // The label point lies inside the governorate it labels.
    assert_eq!(
        regions.assign(lat, lon).admin1.map(|(c, _)| c).as_deref(),
        Some("SY-DR")
    );

    // The Arabic name and the code give the same point.
    for q in ["درعا", "SY-DR"] {
        let uid = s.ok(&["add", "--date", "2025-06", "--type", "vac", "--region", q]);
        let j = show(&s, uid.trim());
        assert_eq!(
            (&j["latitude"], &j["longitude"], &j["geo_precision"]),
            (&i["latitude"], &i["longitude"], &i["geo_precision"]),
            "{q}"
        );
    }
}

both!(ambiguous_place_fails_off_a_terminal_listing_candidates);
fn ambiguous_place_fails_off_a_terminal_listing_candidates() {
    let s = Session::seeded();
    let before = s.snapshot();
    // The test harness gives the binary no terminal on stdin or stderr.
    let err = s.fails(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--place",
        "Tripoli",
    ]);
    assert!(err.contains("ambiguous"), "{err}");
    assert!(err.contains("Tripoli (LY"), "{err}");
    assert!(err.contains("Tripoli (LB"), "{err}");
    assert!(err.contains("--country"), "{err}");
    assert_eq!(s.snapshot(), before, "a failed add changes nothing");

    // Narrowing by country settles it.
    let uid = s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--place",
        "Tripoli",
        "--country",
        "LB",
    ]);
    let i = show(&s, uid.trim());
    assert_eq!(i["country"], "LB");
    assert_eq!(i["admin1_code"], "LB-AS");
}

both!(a_name_shared_by_villages_is_ambiguous);
/// Several villages share the name: no guess, a list to choose from.
fn a_name_shared_by_villages_is_ambiguous() {
    let s = Session::new();
    let o = s.run(&[
        "geocode",
        "Hamdaniyah",
        "--country",
        "SY",
        "--format",
        "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("different places"), "{}", o.stderr);
    let rows: Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["answer"] == false)
    );
    let err = s.fails(&[
        "add",
        "--date",
        "2017-03-01",
        "--type",
        "battles",
        "--place",
        "Hamdaniyah",
        "--country",
        "SY",
    ]);
    assert!(err.contains("ambiguous"), "{err}");
}

both!(add_place_with_only_suggestions_fails_and_stores_nothing);
fn add_place_with_only_suggestions_fails_and_stores_nothing() {
    let s = Session::new();
    let err = s.fails(&[
        "add",
        "--date",
        "2017-03-01",
        "--type",
        "battles",
        "--sub-type",
        "armed clash",
        "--place",
        "Baghdax",
    ]);
    assert!(err.contains("no place named \"Baghdax\""), "{err}");
    assert!(err.contains("DIFFERENT names"), "{err}");
    assert!(err.contains("Baghdad (IQ"), "{err}");
    assert!(err.contains("places add \"Baghdax\" --lat"), "{err}");
    assert_eq!(
        s.ok(&["list", "--format", "csv"]).lines().count(),
        1,
        "header only"
    );
}

both!(unknown_place_in_add_fails_and_changes_nothing);
fn unknown_place_in_add_fails_and_changes_nothing() {
    let s = Session::seeded();
    let before = s.snapshot();
    let err = s.fails(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--place",
        "Qwxzvbnmplk",
    ]);
    assert!(
        err.contains("Qwxzvbnmplk") && err.contains("--lat"),
        "{err}"
    );
    assert_eq!(s.snapshot(), before);
}
