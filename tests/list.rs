//! `incidents list`: filters and output formats.
mod common;
use common::{Session, uids_in_order};

fn session() -> Session {
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
        "--actor1",
        "Military Forces of Syria",
        "--title",
        "Clash near Daraa",
        "--tag",
        "x",
    ]);
    s.ok(&[
        "add",
        "--date",
        "2025-06",
        "--type",
        "Violence against civilians",
        "--lat",
        "33.07",
        "--lon",
        "36.18",
        "--notes",
        "shot while praying",
    ]);
    s.ok(&[
        "add",
        "--date",
        "2024-12-08",
        "--end-date",
        "2025-07-15",
        "--type",
        "battles",
        "--lat",
        "32.62",
        "--lon",
        "36.10",
    ]);
    s.ok(&[
        "add",
        "--date",
        "2020-11-17",
        "--type",
        "Strategic developments",
        "--lat",
        "33.34",
        "--lon",
        "44.40",
    ]);
    s
}

#[test]
fn filters_select_the_right_incidents() {
    let s = session();
    assert_eq!(uids_in_order(&s.json(&["list"])).len(), 4);
    assert_eq!(
        uids_in_order(&s.json(&["list", "--month", "2025-06"])),
        ["INC-000002", "INC-000001"]
    );
    assert_eq!(
        uids_in_order(&s.json(&["list", "--month", "2025-06", "--overlapping"])).len(),
        3
    );
    assert_eq!(
        uids_in_order(&s.json(&["list", "--country", "IQ"])),
        ["INC-000004"]
    );
    assert_eq!(
        uids_in_order(&s.json(&[
            "list",
            "--type",
            "BATTLES",
            "--from",
            "2025-06-01",
            "--to",
            "2025-06-30"
        ])),
        ["INC-000001"]
    );
    assert_eq!(
        uids_in_order(&s.json(&["list", "--actor", "military forces"])),
        ["INC-000001"]
    );
    assert_eq!(
        uids_in_order(&s.json(&["list", "--text", "PRAYING"])),
        ["INC-000002"]
    );
    assert_eq!(
        uids_in_order(&s.json(&["list", "--tag", "x"])),
        ["INC-000001"]
    );
    assert_eq!(
        uids_in_order(&s.json(&["list", "--region", "SY-DR", "--month", "2025-06"])).len(),
        2
    );
    assert_eq!(
        uids_in_order(&s.json(&["list", "--region", "Baghdad"])),
        ["INC-000004"]
    );
    assert_eq!(
        uids_in_order(&s.json(&["list", "--near", "32.62,36.10", "--radius", "5km"])),
        ["INC-000003", "INC-000001"]
    );
    assert_eq!(
        uids_in_order(&s.json(&["list", "--bbox", "44,33,45,34"])),
        ["INC-000004"]
    );
    assert_eq!(uids_in_order(&s.json(&["list", "--limit", "1"])).len(), 1);
    assert!(uids_in_order(&s.json(&["list", "--text", "'; DROP TABLE incidents; --"])).is_empty());
    assert_eq!(uids_in_order(&s.json(&["list"])).len(), 4);
}

#[test]
fn every_format_prints_the_rows() {
    let s = session();
    let csv_out = s.ok(&["list", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv_out.as_bytes());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "uid");
    assert!(headers.iter().any(|h| h == "date_precision"));
    assert_eq!(r.records().count(), 4);
    let nd = s.ok(&["list", "--format", "ndjson"]);
    assert_eq!(nd.lines().count(), 4);
    for l in nd.lines() {
        serde_json::from_str::<serde_json::Value>(l).unwrap();
    }
    let table = s.ok(&["list", "--format", "table"]);
    assert!(table.contains("INC-000001") && table.contains("unknown"));
    let md = s.ok(&["list", "--format", "markdown"]);
    assert!(md.starts_with("| uid"));
}

#[test]
fn bad_filters_are_errors() {
    let s = session();
    for (args, needle) in [
        (vec!["list", "--month", "2025-13"], "--month"),
        (
            vec!["list", "--from", "2025-07-01", "--to", "2025-06-01"],
            "--to",
        ),
        (vec!["list", "--type", "riot police"], "event type"),
        (vec!["list", "--region", "Atlantis"], "unknown region"),
        (vec!["list", "--bbox", "1,2,3"], "--bbox"),
        (
            vec!["list", "--near", "33,36", "--radius", "-4km"],
            "--radius",
        ),
    ] {
        let e = s.fails(&args);
        assert!(e.contains(needle), "{args:?}: {e}");
    }
}

#[test]
fn closed_pipe_is_quiet() {
    let s = session();
    for _ in 0..5 {
        s.ok(&["seed"]);
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("incidents"))
        .args(["--db", s.db.to_str().unwrap(), "list", "--format", "ndjson"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).is_empty());
}
