//! `incidents tally add|list|delete`.
mod common;
use common::{Session, both};

both!(tallies_are_added_listed_and_deleted);
fn tallies_are_added_listed_and_deleted() {
    let s = Session::new();
    let uid = s.ok(&[
        "tally",
        "add",
        "--region",
        "Daraa",
        "--period",
        "2025-06",
        "--metric",
        "killings",
        "--value",
        "38",
        "--source",
        "Daraa 24 Network",
    ]);
    assert_eq!(uid.trim(), "TAL-000001");
    s.ok(&[
        "tally",
        "add",
        "--region",
        "As-Sanamayn",
        "--from",
        "2024-12-08",
        "--to",
        "2025-07-15",
        "--metric",
        "assassinations",
        "--value",
        "17",
    ]);
    s.ok(&[
        "tally", "add", "--region", "Baghdad", "--period", "2020", "--metric", "attacks",
        "--value", "5",
    ]);
    let all = s.json(&["tally", "list"]);
    assert_eq!(all.as_array().unwrap().len(), 3);
    let june = s.json(&[
        "tally",
        "list",
        "--region",
        "SY-DR",
        "--from",
        "2025-06-01",
        "--to",
        "2025-06-30",
    ]);
    let june = june.as_array().unwrap();
    assert_eq!(
        june.len(),
        2,
        "governorate includes its districts: {june:?}"
    );
    assert_eq!(june[0]["region_code"], "SY1202");
    assert_eq!(june[1]["value"], 38);
    assert_eq!(june[1]["source"], "Daraa 24 Network");
    s.ok(&["tally", "delete", "TAL-000003"]);
    assert_eq!(s.json(&["tally", "list"]).as_array().unwrap().len(), 2);
    let h = s.json(&["history", "TAL-000003"]);
    assert_eq!(h.as_array().unwrap().last().unwrap()["action"], "delete");
}

both!(bad_tallies_are_refused);
fn bad_tallies_are_refused() {
    let s = Session::new();
    s.ok(&[
        "tally", "add", "--period", "2025-06", "--metric", "killings", "--value", "1",
    ]);
    let before = s.snapshot();
    for (args, needle) in [
        (
            vec!["--period", "2025-06-31", "--metric", "k", "--value", "1"],
            "--period",
        ),
        (
            vec![
                "--from",
                "2025-07-01",
                "--to",
                "2025-06-01",
                "--metric",
                "k",
                "--value",
                "1",
            ],
            "end date",
        ),
        (
            vec!["--period", "2025-06", "--metric", "k", "--value", "-3"],
            "value",
        ),
        (
            vec!["--period", "2025-06", "--metric", "k", "--value", "NaN"],
            "value",
        ),
        (
            vec!["--period", "2025-06", "--metric", " ", "--value", "1"],
            "metric",
        ),
        (
            vec![
                "--period", "2025-06", "--metric", "k", "--value", "1", "--region", "Narnia",
            ],
            "unknown region",
        ),
        (vec!["--metric", "k", "--value", "1"], "--period"),
        (
            vec![
                "--from",
                "2025-13-01",
                "--to",
                "2025-12-31",
                "--metric",
                "k",
                "--value",
                "1",
            ],
            "invalid --from",
        ),
    ] {
        let mut a = vec!["tally", "add"];
        a.extend(args);
        let e = s.fails(&a);
        assert!(e.contains(needle), "{a:?}: {e}");
    }
    assert_eq!(s.snapshot(), before);
}
