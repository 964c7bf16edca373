//! `incidents add`: every field, each date precision, and bad input.
mod common;
use common::{Session, both};

both!(add_prints_uid_and_stores_every_field);
fn add_prints_uid_and_stores_every_field() {
    let s = Session::new();
    let uid = s.ok(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--sub-type",
        "armed clash",
        "--lat",
        "33.12902",
        "--lon",
        "36.39402",
        "--geo-precision",
        "1",
        "--place",
        "Al-Masmiyah",
        "--title",
        "Checkpoint clash",
        "--notes",
        "n",
        "--actor1",
        "A",
        "--actor2",
        "B",
        "--assoc-actors",
        "C",
        "--fatalities",
        "3",
        "--fatalities-low",
        "2",
        "--fatalities-high",
        "5",
        "--civilian-fatalities",
        "1",
        "--tag",
        "checkpoint",
        "--source",
        "Asharq Al-Awsat",
        "--source-url",
        "https://example.org/a",
        "--source-title",
        "Headline",
    ]);
    assert_eq!(uid.trim(), "INC-000001");
    let j = s.json(&["show", "INC-000001"]);
    assert_eq!(j["event_type"], "Battles");
    assert_eq!(j["sub_event_type"], "Armed clash");
    assert_eq!(j["date_start"], "2025-06-17");
    assert_eq!(j["date_end"], "2025-06-17");
    assert_eq!(j["date_precision"], "day");
    assert_eq!(j["fatalities"], 3);
    assert_eq!(j["fatalities_low"], 2);
    assert_eq!(j["fatalities_high"], 5);
    assert_eq!(j["civilian_fatalities"], 1);
    assert_eq!(j["tags"][0], "checkpoint");
    assert_eq!(j["sources"][0]["publisher"], "Asharq Al-Awsat");
    assert_eq!(j["sources"][0]["url"], "https://example.org/a");
    assert_eq!(
        j["admin1_code"], "SY-DR",
        "region assigned from coordinates"
    );
    assert_eq!(j["country"], "SY");
    let second = s.ok(&[
        "add", "--date", "2025-06", "--type", "Protests", "--lat", "32.6", "--lon", "36.1",
    ]);
    assert_eq!(second.trim(), "INC-000002");
}

both!(dates_keep_their_precision);
fn dates_keep_their_precision() {
    let s = Session::new();
    for (args, start, end, precision) in [
        (
            vec!["--date", "2025-06"],
            "2025-06-01",
            "2025-06-30",
            "month",
        ),
        (vec!["--date", "2025"], "2025-01-01", "2025-12-31", "year"),
        (
            vec!["--date", "2025-W24"],
            "2025-06-09",
            "2025-06-15",
            "week",
        ),
        (
            vec!["--date", "2024-12-08", "--end-date", "2025-07-15"],
            "2024-12-08",
            "2025-07-15",
            "range",
        ),
    ] {
        let mut a = vec!["add", "--type", "battles"];
        a.extend(args);
        let uid = s.ok(&a);
        let j = s.json(&["show", uid.trim()]);
        assert_eq!(
            (
                j["date_start"].as_str(),
                j["date_end"].as_str(),
                j["date_precision"].as_str()
            ),
            (Some(start), Some(end), Some(precision))
        );
    }
}

both!(unknown_fatalities_stay_null);
fn unknown_fatalities_stay_null() {
    let s = Session::new();
    let uid = s.ok(&["add", "--date", "2025-06-17", "--type", "battles"]);
    let j = s.json(&["show", uid.trim()]);
    assert!(j["fatalities"].is_null());
    assert!(j["civilian_fatalities"].is_null());
}

both!(bad_input_names_the_field_and_changes_nothing);
fn bad_input_names_the_field_and_changes_nothing() {
    let s = Session::new();
    s.ok(&["add", "--date", "2025-06-17", "--type", "battles"]);
    let before = s.snapshot();
    for (args, needle) in [
        (vec!["--date", "2025-02-30", "--type", "battles"], "--date"),
        (vec!["--date", "2025-13", "--type", "battles"], "--date"),
        (
            vec![
                "--date",
                "2025-07-15",
                "--end-date",
                "2024-12-08",
                "--type",
                "battles",
            ],
            "end date",
        ),
        (vec!["--date", "2025-06-17", "--type", "battels"], "Battles"),
        (
            vec![
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--sub-type",
                "air strike",
            ],
            "sub-event type",
        ),
        (
            vec![
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--lat",
                "123",
                "--lon",
                "36",
            ],
            "latitude",
        ),
        (
            vec![
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--lat",
                "33",
                "--lon",
                "-200",
            ],
            "longitude",
        ),
        (
            vec!["--date", "2025-06-17", "--type", "battles", "--lat", "33"],
            "--lon",
        ),
        (
            vec![
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--fatalities-low",
                "5",
                "--fatalities-high",
                "2",
            ],
            "fatalities",
        ),
        (
            vec![
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--geo-precision",
                "7",
            ],
            "--geo-precision",
        ),
        (
            vec![
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--country",
                "Syria",
            ],
            "country",
        ),
        (
            vec![
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--uid",
                "INC-000001",
            ],
            "uid",
        ),
        (
            vec![
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--notes",
                "a\u{7}b",
            ],
            "notes",
        ),
    ] {
        let mut a = vec!["add"];
        a.extend(args.iter().copied());
        let err = s.fails(&a);
        assert!(err.contains(needle), "{a:?}: {err}");
    }
    assert_eq!(s.snapshot(), before);
}

both!(usage_errors_exit_2);
fn usage_errors_exit_2() {
    let s = Session::new();
    assert_eq!(s.run(&["add", "--type", "battles"]).code, 2);
    assert_eq!(
        s.run(&[
            "add",
            "--date",
            "2025-06-17",
            "--type",
            "battles",
            "--fatalities",
            "-1"
        ])
        .code,
        2
    );
}
