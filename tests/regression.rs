//! One test per fixed bug, named after what broke.
mod common;
use common::Session;

/// Issue 11: `add --place "Kafr Nasij"` (a village in Daraa) stored the
/// incident in Karachi, Pakistan with geo precision 1, taking the best
/// fuzzy candidate of a gazetteer that lacked the village.
#[test]
fn add_place_kafr_nasij_stored_in_karachi() {
    let s = Session::new();
    let uid = s.ok(&[
        "add",
        "--date",
        "2017-03-01",
        "--place",
        "Kafr Nasij",
        "--type",
        "battles",
        "--sub-type",
        "armed clash",
    ]);
    let v = s.json(&["show", uid.trim()]);
    assert_eq!(v["country"], "SY", "{v}");
    assert_eq!(v["admin1_code"], "SY-DR", "{v}");
    let (lat, lon) = (
        v["latitude"].as_f64().unwrap(),
        v["longitude"].as_f64().unwrap(),
    );
    assert!(
        (lat - 33.151).abs() < 0.03 && (lon - 36.039).abs() < 0.03,
        "{lat},{lon}"
    );
}
