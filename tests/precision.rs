//! Geo precision decides which regions an incident is credited to, however
//! it enters or changes: add, edit, import of every format, the seeds, and
//! the migration of databases written before the rule.
mod common;
use std::collections::BTreeMap;

use common::{Session, both, fixture};
use serde_json::Value;

/// uid -> (geo precision, country, admin1 code, admin2 code) of every incident.
fn credited(s: &Session) -> BTreeMap<String, [Value; 4]> {
    s.json(&["list"])
        .as_array()
        .expect("array")
        .iter()
        .map(|i| {
            (
                i["uid"].as_str().expect("uid").to_string(),
                [
                    i["geo_precision"].clone(),
                    i["country"].clone(),
                    i["admin1_code"].clone(),
                    i["admin2_code"].clone(),
                ],
            )
        })
        .collect()
}

/// What `credited` holds for one incident.
fn levels(precision: u8, country: &str, admin1: Option<&str>, admin2: Option<&str>) -> [Value; 4] {
    let text = |t: Option<&str>| t.map_or(Value::Null, Value::from);
    [precision.into(), country.into(), text(admin1), text(admin2)]
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

both!(an_incident_known_only_to_the_governorate_counts_in_no_district);
fn an_incident_known_only_to_the_governorate_counts_in_no_district() {
    let s = Session::new();
    s.ok(&[
        "add",
        "--date",
        "2025-06",
        "--region",
        "Daraa",
        "--type",
        "violence against civilians",
        "--sub-type",
        "attack",
    ]);
    s.ok(&[
        "add",
        "--date",
        "2025-06-12",
        "--lat",
        "32.8294",
        "--lon",
        "36.1593",
        "--type",
        "battles",
    ]);
    let v = s.json(&["show", "INC-000001"]);
    assert_eq!(v["geo_precision"], 3);
    assert_eq!(v["admin1_code"], "SY-DR");
    assert!(v["admin2_code"].is_null(), "{v}");

    // Its label point lies in Izra' (SY1203); the district report does not
    // count it, and says the governorate has one incident without a district.
    let izra = s.json(&["report", "--region", "SY1203", "--month", "2025-06"]);
    assert_eq!(izra["incidents"], 1, "{izra}");
    assert_eq!(izra["parent_without_district"]["admin1_code"], "SY-DR");
    assert_eq!(izra["parent_without_district"]["incidents"], 1);
    let text = s.ok(&[
        "report", "--region", "SY1203", "--month", "2025-06", "--format", "table",
    ]);
    assert!(
        text.contains("Not in any district: 1 incident of SY-DR"),
        "{text}"
    );

    let daraa = s.json(&["report", "--region", "Daraa", "--month", "2025-06"]);
    assert_eq!(daraa["incidents"], 2);
    assert_eq!(daraa["by_admin2"]["(district unknown)"]["incidents"], 1);
    assert_eq!(daraa["by_admin2"]["SY1203"]["incidents"], 1);
    assert!(daraa.get("parent_without_district").is_none());

    let grouped = s.json(&[
        "report",
        "--region",
        "Daraa",
        "--month",
        "2025-06",
        "--group-by",
        "admin2",
    ]);
    let rows: BTreeMap<&str, &Value> = grouped
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| (r["admin2"].as_str().expect("key"), &r["incidents"]))
        .collect();
    assert_eq!(rows.get("(district unknown)"), Some(&&Value::from(1)));
    assert_eq!(rows.get("SY1203"), Some(&&Value::from(1)));
    assert!(s.ok(&["check"]).contains("0 problems"));
}

both!(the_seeds_known_only_to_a_province_have_no_district);
fn the_seeds_known_only_to_a_province_have_no_district() {
    let s = Session::seeded();
    let all = credited(&s);
    let province_only: Vec<_> = all
        .iter()
        .filter(|(_, c)| c[0] == 3)
        .map(|(uid, c)| (uid.clone(), c.clone()))
        .collect();
    assert!(province_only.len() >= 4, "{province_only:?}");
    for (uid, c) in &province_only {
        assert!(!c[2].is_null(), "{uid} keeps its province: {c:?}");
        assert!(c[3].is_null(), "{uid} has a district: {c:?}");
    }
    // Nothing of the seeds counts in Izra' or Al-Risafa any more.
    for region in ["SY1203", "IQG08Q03"] {
        let r = s.json(&["report", "--region", region, "--year", "2025"]);
        assert_eq!(r["incidents"], 0, "{region}: {r}");
    }
}

both!(an_edit_of_the_precision_or_point_derives_the_levels_again);
fn an_edit_of_the_precision_or_point_derives_the_levels_again() {
    let s = Session::new();
    s.ok(&[
        "add", "--date", "2025-06", "--region", "Daraa", "--type", "battles",
    ]);
    s.ok(&[
        "edit",
        "INC-000001",
        "--geo-precision",
        "1",
        "--lat",
        "33.07186",
        "--lon",
        "36.18316",
    ]);
    let v = s.json(&["show", "INC-000001"]);
    assert_eq!(
        (&v["geo_precision"], &v["admin2_code"]),
        (&1.into(), &"SY1202".into())
    );
    s.ok(&["edit", "INC-000001", "--geo-precision", "3"]);
    let v = s.json(&["show", "INC-000001"]);
    assert_eq!(v["admin1_code"], "SY-DR");
    assert!(v["admin2_code"].is_null(), "{v}");
    let history = s.json(&["history", "INC-000001"]);
    assert_eq!(history.as_array().expect("history").len(), 3, "{history}");
}

both!(a_district_given_as_region_is_precision_2_and_credited_to_it);
fn a_district_given_as_region_is_precision_2_and_credited_to_it() {
    let s = Session::new();
    s.ok(&[
        "add", "--date", "2025-06", "--region", "SY1202", "--type", "battles",
    ]);
    let v = s.json(&["show", "INC-000001"]);
    assert_eq!(v["geo_precision"], 2);
    assert_eq!(v["admin2_code"], "SY1202");
}

both!(ucdp_precision_survives_every_format_round_trip_and_edit);
fn ucdp_precision_survives_every_format_round_trip_and_edit() {
    let s = Session::new();
    s.ok(&["import", path(&fixture("ucdp_sample.csv"))]);
    let original = credited(&s);
    // where_prec 4 and 5 (with a province): the province only; 6: the country only.
    assert_eq!(original["UCDP-301003"][0], 3);
    assert!(original["UCDP-301003"][3].is_null());
    assert_eq!(original["UCDP-301014"][0], 3);
    assert_eq!(original["UCDP-301004"][0], 4);
    assert!(original["UCDP-301004"][2].is_null());

    for format in ["csv", "geojson", "geojsonseq", "acled"] {
        let first = s.dir.path().join(format!("first.{format}"));
        s.ok(&["export", "--format", format, "-o", path(&first)]);
        let b = Session::new();
        b.ok(&["import", path(&first), "--format", format]);
        // (ACLED's scale stops at 3: a country-only row goes out as 3 with
        // no admin1 and reads back as 4.)
        let expected = original.clone();
        assert_eq!(credited(&b), expected, "{format}");
        let second = b.dir.path().join(format!("second.{format}"));
        b.ok(&["export", "--format", format, "-o", path(&second)]);
        let c = Session::new();
        c.ok(&["import", path(&second), "--format", format]);
        assert_eq!(credited(&c), expected, "{format}, exported twice");
    }

    // Our own export imported again changes nothing.
    let own = s.dir.path().join("own.csv");
    s.ok(&["export", "--format", "csv", "-o", path(&own)]);
    let out = s.run(&["import", path(&own)]);
    let said = out.stdout + &out.stderr;
    assert!(
        said.contains("30 rows, 0 new, 0 updated, 30 unchanged"),
        "{said}"
    );
    // An edit of the title moves nothing.
    for uid in ["UCDP-301003", "UCDP-301004", "UCDP-301014"] {
        s.ok(&["edit", uid, "--title", "Retitled"]);
    }
    assert_eq!(credited(&s), original);
}

both!(ucdp_where_prec_5_without_a_province_is_credited_to_the_country_only);
fn ucdp_where_prec_5_without_a_province_is_credited_to_the_country_only() {
    let s = Session::new();
    let file = s.file(
        "ged.csv",
        b"id,type_of_violence,side_a,side_b,where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,date_prec,date_start,date_end,deaths_civilians,best,high,low,country\n\
          9,1,Government of Syria,IS,5,Northern Syria,,,36.2,37.1,1,2016-05-01,2016-05-01,0,3,3,3,Syria\n\
          10,1,Government of Syria,IS,5,Daraa Governorate,Daraa governorate,,32.9,36.2,1,2016-05-01,2016-05-01,0,3,3,3,Syria\n",
    );
    s.ok(&["import", path(&file)]);
    let c = credited(&s);
    assert_eq!(c["UCDP-9"], levels(4, "SY", None, None));
    assert_eq!(c["UCDP-10"], levels(3, "SY", Some("SY-DR"), None));
}

both!(check_reports_an_incident_credited_below_its_precision);
fn check_reports_an_incident_credited_below_its_precision() {
    let s = Session::new();
    s.ok(&[
        "add", "--date", "2025-06", "--region", "Daraa", "--type", "battles",
    ]);
    s.exec_sql(
        "UPDATE incidents SET admin2_code = 'SY1203', admin2 = 'Izra''' WHERE uid = 'INC-000001'",
    );
    let out = s.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let all = out.stdout + &out.stderr;
    assert!(
        all.contains("credited to Admin2 (SY1203) but its geo precision 3"),
        "{all}"
    );
}

#[test]
fn the_migration_corrects_a_database_written_before_the_rule() {
    let s = Session::new();
    let schema = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.sql"))
        .expect("schema");
    let v3 = schema.split("-- migration 4").next().expect("v3");
    let c = rusqlite::Connection::open(s.db_path()).expect("open");
    c.execute_batch(v3).expect("v3 schema");
    c.pragma_update(None, "user_version", 3).expect("version");
    // As the previous version stored them: a governorate-only incident in the
    // district of its label point, a UCDP country centroid in a province,
    // a UCDP where_prec 5 row without a province in one, and an exact point.
    c.execute_batch(
        "INSERT INTO incidents (uid, event_type, date_start, date_end, date_precision, latitude, longitude,
            geo_precision, country, admin1, admin1_code, admin2, admin2_code, reported_admin1, tags, created_at, updated_at) VALUES
         ('OLD-REGION', 'Battles', '2025-06-01', '2025-06-30', 'month', 32.87, 36.23, 3, 'SY', 'Dar''a', 'SY-DR', 'Izra''', 'SY1203', NULL, '[]', 'x', 'x'),
         ('UCDP-6', 'Battles', '2016-05-01', '2016-05-01', 'day', 35.0, 38.5, 3, 'SY', NULL, NULL, NULL, NULL, NULL, '[\"ucdp:where_prec=6\"]', 'x', 'x'),
         ('UCDP-5', 'Battles', '2016-05-01', '2016-05-01', 'day', 36.2, 37.1, 3, 'SY', 'Aleppo', 'SY-HL', NULL, NULL, NULL, '[\"ucdp:where_prec=5\"]', 'x', 'x'),
         ('OLD-EXACT', 'Battles', '2025-06-03', '2025-06-03', 'day', 33.07186, 36.18316, 1, 'SY', 'Dar''a', 'SY-DR', 'As-Sanamayn', 'SY1202', NULL, '[]', 'x', 'x');
         INSERT INTO sources (publisher) VALUES ('Daraa 24');
         INSERT INTO incident_sources (incident_id, source_id) SELECT id, 1 FROM incidents;",
    )
    .expect("old rows");
    drop(c);

    let c = credited(&s);
    assert_eq!(c["OLD-REGION"], levels(3, "SY", Some("SY-DR"), None));
    assert_eq!(c["UCDP-6"], levels(4, "SY", None, None));
    assert_eq!(c["UCDP-5"], levels(4, "SY", None, None));
    assert_eq!(
        c["OLD-EXACT"],
        levels(1, "SY", Some("SY-DR"), Some("SY1202"))
    );
    // The sources survived the table rebuild; each correction is in history.
    assert_eq!(
        s.json(&["show", "OLD-EXACT"])["sources"][0]["publisher"],
        "Daraa 24"
    );
    let h = s.json(&["history", "OLD-REGION"]);
    let update = h
        .as_array()
        .expect("history")
        .iter()
        .find(|e| e["action"] == "update")
        .unwrap_or_else(|| panic!("no update in {h}"));
    assert_eq!(update["old"]["admin2_code"], "SY1203", "{h}");
    assert!(update["new"]["admin2_code"].is_null(), "{h}");
    assert!(s.ok(&["check"]).contains("0 problems"));
}
