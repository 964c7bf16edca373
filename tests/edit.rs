//! `incidents edit`, `delete` and `history`: changes never lose data.
mod common;
use common::{Session, both};

both!(edit_changes_fields_and_keeps_old_values_in_history);
fn edit_changes_fields_and_keeps_old_values_in_history() {
    let s = Session::new();
    s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--lat",
        "32.62",
        "--lon",
        "36.10",
        "--notes",
        "first",
    ]);
    let out = s.ok(&[
        "edit",
        "INC-000001",
        "--fatalities",
        "4",
        "--notes",
        "second",
        "--type",
        "explosions/remote violence",
        "--sub-type",
        "air/drone strike",
    ]);
    assert!(out.contains("updated"));
    let j = s.json(&["show", "INC-000001"]);
    assert_eq!(j["fatalities"], 4);
    assert_eq!(j["event_type"], "Explosions/Remote violence");
    assert_eq!(j["notes"], "second");
    s.ok(&[
        "edit",
        "INC-000001",
        "--clear",
        "fatalities",
        "--date",
        "2025-06",
        "--lat",
        "33.34",
        "--lon",
        "44.40",
    ]);
    let j = s.json(&["show", "INC-000001"]);
    assert!(j["fatalities"].is_null());
    assert_eq!(j["date_precision"], "month");
    assert_eq!(
        j["admin1_code"], "IQ-BG",
        "regions re-assigned after a move"
    );
    let h = s.json(&["history", "INC-000001"]);
    let h = h.as_array().unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(h[0]["action"], "insert");
    assert_eq!(h[1]["old"]["notes"], "first");
    assert_eq!(h[1]["new"]["notes"], "second");
    assert_eq!(h[2]["old"]["fatalities"], 4);
    assert!(
        h[2]["changes"]
            .as_str()
            .unwrap()
            .contains("fatalities: 4 -> null")
    );
}

both!(edit_bad_values_change_nothing);
fn edit_bad_values_change_nothing() {
    let s = Session::new();
    s.ok(&["add", "--date", "2025-06-17", "--type", "battles"]);
    let before = s.snapshot();
    assert!(
        s.fails(&["edit", "INC-000001", "--date", "2025-02-30"])
            .contains("--date")
    );
    assert!(
        s.fails(&["edit", "INC-000001", "--end-date", "2020-01-01"])
            .contains("end date")
    );
    assert!(
        s.fails(&["edit", "INC-000001", "--clear", "uid"])
            .contains("--clear")
    );
    assert!(
        s.fails(&["edit", "INC-999999", "--notes", "x"])
            .contains("not found")
    );
    assert_eq!(s.snapshot(), before);
    assert!(s.ok(&["edit", "INC-000001"]).contains("nothing changed"));
}

both!(delete_is_recorded_in_history);
fn delete_is_recorded_in_history() {
    let s = Session::new();
    s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--source",
        "SOHR",
        "--title",
        "gone",
    ]);
    assert!(s.ok(&["delete", "INC-000001"]).contains("deleted"));
    assert!(s.fails(&["show", "INC-000001"]).contains("not found"));
    assert!(s.fails(&["delete", "INC-000001"]).contains("not found"));
    let h = s.json(&["history", "INC-000001"]);
    let last = h.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "delete");
    assert_eq!(last["old"]["title"], "gone");
    assert_eq!(last["old"]["sources"][0]["publisher"], "SOHR");
    assert!(s.fails(&["history", "NOPE"]).contains("not found"));
}

both!(show_prints_text_and_json);
fn show_prints_text_and_json() {
    let s = Session::new();
    s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--title",
        "T",
        "--source",
        "X",
    ]);
    let text = s.ok(&["show", "INC-000001"]);
    assert!(text.contains("title: T"));
    assert!(text.contains("fatalities: unknown"));
    assert!(text.contains("- X"));
    assert_eq!(s.json(&["show", "INC-000001"])["title"], "T");
}

both!(clearing_the_coordinates_keeps_the_country_given);
fn clearing_the_coordinates_keeps_the_country_given() {
    let s = Session::new();
    s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--lat",
        "33.34",
        "--lon",
        "44.40",
    ]);
    s.ok(&[
        "edit",
        "INC-000001",
        "--clear",
        "coordinates",
        "--country",
        "SY",
    ]);
    let j = s.json(&["show", "INC-000001"]);
    assert!(j["latitude"].is_null() && j["admin1_code"].is_null());
    assert_eq!(j["country"], "SY");
}
