//! `incidents list`: filters and output formats.
mod common;
use common::{Session, both, uids_in_order};

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

both!(filters_select_the_right_incidents);
fn filters_select_the_right_incidents() {
    let s = session();
    let all = ["INC-000004", "INC-000003", "INC-000002", "INC-000001"];
    assert_eq!(uids_in_order(&s.json(&["list"])), all);
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
        uids_in_order(&s.json(&["list", "--region", "SY-DR", "--month", "2025-06"])),
        ["INC-000002", "INC-000001"]
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
    assert_eq!(
        uids_in_order(&s.json(&["list", "--limit", "1"])),
        ["INC-000004"]
    );
    assert!(uids_in_order(&s.json(&["list", "--text", "'; DROP TABLE incidents; --"])).is_empty());
    assert_eq!(uids_in_order(&s.json(&["list"])), all);
}

/// The cells of the rows of a box-drawn (comfy-table) table, header first.
fn table_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| {
            l.trim_matches('│')
                .split('┆')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

/// The cells of the rows of a Markdown table, header first, separator left out.
fn markdown_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|-"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

both!(every_format_prints_the_rows);
fn every_format_prints_the_rows() {
    let s = session();
    let order = ["INC-000004", "INC-000003", "INC-000002", "INC-000001"];

    let csv_out = s.ok(&["list", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv_out.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(
        rows.iter().map(|r| &r[0]).collect::<Vec<_>>(),
        order,
        "CSV rows in date order"
    );
    let clash = &rows[3];
    for (field, value) in [
        ("title", "Clash near Daraa"),
        ("event_type", "Battles"),
        ("date_start", "2025-06-17"),
        ("date_end", "2025-06-17"),
        ("date_precision", "day"),
        ("geo_precision", "1"),
        ("country", "SY"),
        ("admin1_code", "SY-DR"),
        ("actor1", "Military Forces of Syria"),
        ("fatalities", ""),
        ("tags", "x"),
    ] {
        assert_eq!(&clash[col(field)], value, "{field}");
    }
    assert_eq!(clash[col("latitude")].parse::<f64>().unwrap(), 32.62);
    assert_eq!(clash[col("longitude")].parse::<f64>().unwrap(), 36.1);
    let span = &rows[1];
    assert_eq!(
        (
            &span[col("date_start")],
            &span[col("date_end")],
            &span[col("date_precision")]
        ),
        ("2024-12-08", "2025-07-15", "range")
    );
    assert_eq!(&rows[2][col("notes")], "shot while praying");
    assert_eq!(&rows[0][col("country")], "IQ");

    let json = s.json(&["list"]);
    let nd = s.ok(&["list", "--format", "ndjson"]);
    let nd: Vec<serde_json::Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&serde_json::Value::from(nd.clone()), &json);
    assert_eq!(nd[3]["uid"], "INC-000001");
    assert_eq!(nd[3]["title"], "Clash near Daraa");
    assert!(nd[3]["fatalities"].is_null());
    assert_eq!(nd[3]["tags"], serde_json::json!(["x"]));

    let expected_cells = |rows: &[Vec<String>]| {
        assert_eq!(
            rows[0],
            [
                "uid",
                "date",
                "event_type",
                "place",
                "admin1",
                "fatalities",
                "title"
            ]
        );
        assert_eq!(rows.len(), 5, "{rows:?}");
        assert_eq!(
            rows[1..].iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
            order
        );
        assert_eq!(rows[4][1], "2025-06-17");
        assert_eq!(rows[4][2], "Battles");
        assert_eq!(rows[4][5], "unknown", "unknown fatalities say so");
        assert_eq!(rows[4][6], "Clash near Daraa");
        assert_eq!(rows[2][1], "2024-12-08..2025-07-15 (range)");
        assert_eq!(rows[3][1], "2025-06 (month)");
    };
    expected_cells(&table_rows(&s.ok(&["list", "--format", "table"])));
    expected_cells(&markdown_rows(&s.ok(&["list", "--format", "markdown"])));
}

both!(bad_filters_are_errors);
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

both!(closed_pipe_is_quiet);
fn closed_pipe_is_quiet() {
    // `incidents list | head -c 4096`: 3000 rows of 1000-character notes are
    // megabytes, so the reader closes the pipe long before the writer is done.
    let s = Session::new();
    s.add_bulk(3000, 1000);
    let whole = s.ok(&["list", "--format", "ndjson"]);
    assert!(whole.len() > 40 * 65536, "{} bytes", whole.len());
    for args in [
        &["list", "--format", "ndjson"][..],
        &["list", "--format", "json"],
        &["list", "--format", "csv"],
        &["list", "--format", "table"],
        &["list", "--format", "markdown"],
        &["export", "--format", "geojson"],
        &["export", "--format", "geojsonseq"],
        &["export", "--format", "csv"],
        &["export", "--format", "acled"],
    ] {
        let (first, out) = s.run_into_closed_pipe(args);
        assert!(!first.is_empty(), "{args:?} printed nothing");
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        for bad in ["Broken pipe", "panicked", "error"] {
            assert!(!out.stderr.contains(bad), "{args:?}: {}", out.stderr);
        }
    }
}

both!(near_and_bbox_find_points_on_cell_edges_poles_and_the_antimeridian);
/// The spatial index is a grid of 0.25-degree cells: points on cell edges,
/// at the poles and on the antimeridian are found by boxes and circles that
/// just reach them, and points just outside are not.
fn near_and_bbox_find_points_on_cell_edges_poles_and_the_antimeridian() {
    let s = Session::new();
    let points = [
        ("EDGE", "32.5", "36.25"),
        ("EDGE-OUT", "32.4999", "36.25"),
        ("POLE-N", "90", "0"),
        ("POLE-S", "-90", "180"),
        ("EAST", "-16.5", "180"),
        ("WEST", "-16.5", "-179.99"),
    ];
    for (uid, lat, lon) in points {
        s.ok(&[
            "add",
            "--uid",
            uid,
            "--date",
            "2025-06-01",
            "--type",
            "Battles",
            "--lat",
            lat,
            "--lon",
            lon,
            "--source",
            "test",
        ]);
    }
    let list = |args: &[&str]| {
        let mut a = vec!["list"];
        a.extend(args);
        let mut got = common::uids(&s.json(&a));
        got.sort();
        got
    };
    assert_eq!(list(&["--bbox", "36.25,32.5,36.25,32.5"]), ["EDGE"]);
    assert_eq!(list(&["--bbox", "36.0,32.5,36.5,33.0"]), ["EDGE"]);
    assert_eq!(
        list(&["--bbox", "36.0,32.0,36.5,32.5"]),
        ["EDGE", "EDGE-OUT"]
    );
    assert_eq!(list(&["--bbox", "-180,89.9,180,90"]), ["POLE-N"]);
    assert_eq!(list(&["--bbox", "179,-90,180,-89"]), ["POLE-S"]);
    assert_eq!(
        list(&["--near", "32.5,36.25", "--radius", "0.001km"]),
        ["EDGE"]
    );
    assert_eq!(
        list(&["--near", "32.5,36.25", "--radius", "0.02km"]),
        ["EDGE", "EDGE-OUT"]
    );
    // Across the antimeridian: 180 and -179.99 are about 1 km apart.
    assert_eq!(
        list(&["--near", "-16.5,179.999", "--radius", "2km"]),
        ["EAST", "WEST"]
    );
    assert_eq!(
        list(&["--near", "89.99,100", "--radius", "5km"]),
        ["POLE-N"]
    );
}
