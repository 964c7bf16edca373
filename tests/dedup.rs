//! `dedup`, `merge`, `unmerge`, `import --sync`, `import --deletions` and
//! `undelete`: several sources add up to one honest count, on both backends.
mod common;
use common::{Session, both, fixture};

/// A UCDP event: id, first and last day, place, lat, lon, side a, side b, best.
type Ucdp<'a> = (
    u32,
    &'a str,
    &'a str,
    &'a str,
    f64,
    f64,
    &'a str,
    &'a str,
    u32,
);

/// A UCDP GED CSV (the official header) holding `events`.
fn ucdp_csv(events: &[Ucdp]) -> String {
    let sample = std::fs::read_to_string(fixture("ucdp_sample.csv")).unwrap();
    let header = sample.lines().next().unwrap();
    let columns: Vec<&str> = header.split(',').collect();
    let mut out = format!("{header}\n");
    for &(id, start, end, place, lat, lon, a, b, best) in events {
        let cell = |c: &str| -> String {
            match c {
                "id" => id.to_string(),
                "year" => start[..4].to_string(),
                "type_of_violence" => "1".into(),
                "side_a" => a.into(),
                "side_b" => b.into(),
                "where_prec" => "1".into(),
                "where_coordinates" => place.into(),
                "adm_1" => "Daraa Governorate".into(),
                "latitude" => lat.to_string(),
                "longitude" => lon.to_string(),
                "country" => "Syria".into(),
                "date_prec" => "1".into(),
                "date_start" => start.into(),
                "date_end" => end.into(),
                "best" | "low" | "high" => best.to_string(),
                _ => String::new(),
            }
        };
        let row: Vec<String> = columns.iter().map(|c| cell(c)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// An ACLED event: id, day, event type, actor 1, actor 2, place, lat, lon, fatalities.
type Acled<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    f64,
    f64,
    u32,
);

fn acled_csv(events: &[Acled]) -> String {
    let mut out = String::from(
        "event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,country,iso,admin1,location,latitude,longitude,geo_precision,time_precision,source,fatalities\n",
    );
    for &(id, day, kind, a, b, place, lat, lon, deaths) in events {
        let sub = match kind {
            "Battles" => "Armed clash",
            _ => "Shelling/artillery/missile attack",
        };
        out.push_str(&format!(
            "{id},{day},{kind},{sub},{a},{b},Syria,760,Dara,{place},{lat},{lon},1,1,SOHR,{deaths}\n"
        ));
    }
    out
}

const GOV: &str = "Government of Syria";
const INS: &str = "Syrian insurgents";
const ACLED_GOV: &str = "Military Forces of Syria (2000-2024)";
const ACLED_REB: &str = "Opposition Rebels (Syria)";

/// Two UCDP events in Daraa a day apart with the same actors, and ACLED's
/// report of the first: a day's precision, 2 km off, another spelling.
fn two_sources(s: &Session) {
    let u = s.file(
        "ucdp.csv",
        ucdp_csv(&[
            (
                1,
                "2017-03-10",
                "2017-03-10",
                "Daraa town",
                32.6183,
                36.1016,
                GOV,
                INS,
                4,
            ),
            (
                2,
                "2017-03-11",
                "2017-03-11",
                "Daraa town",
                32.6183,
                36.1016,
                GOV,
                INS,
                1,
            ),
            (
                3,
                "2017-03-20",
                "2017-03-20",
                "Nawa town",
                32.8889,
                36.0431,
                GOV,
                INS,
                2,
            ),
        ])
        .as_bytes(),
    );
    let a = s.file(
        "acled.csv",
        acled_csv(&[(
            "SYR1",
            "2017-03-10",
            "Battles",
            ACLED_GOV,
            ACLED_REB,
            "Dar'a",
            32.63,
            36.12,
            5,
        )])
        .as_bytes(),
    );
    s.ok(&["import", u.to_str().unwrap()]);
    s.ok(&["import", a.to_str().unwrap()]);
}

fn count(s: &Session, args: &[&str]) -> usize {
    s.json(&[&["list"], args].concat())
        .as_array()
        .unwrap()
        .len()
}

both!(dedup_pairs_a_rereport_with_its_twin_not_the_next_days_event);
fn dedup_pairs_a_rereport_with_its_twin_not_the_next_days_event() {
    let s = Session::new();
    two_sources(&s);
    let pairs = s.json(&["dedup"]);
    let pairs = pairs.as_array().unwrap();
    let best = &pairs[0];
    assert_eq!(
        (best["a"].as_str(), best["b"].as_str()),
        (Some("SYR1"), Some("UCDP-1")),
        "{pairs:#?}"
    );
    assert_eq!(best["verdict"], "duplicate");
    let r = &best["reasons"];
    assert_eq!(r["days_apart"], 0);
    assert!(r["km_apart"].as_f64().unwrap() < 3.0);
    assert_eq!(r["actors"], "same", "aliases join the spellings");
    assert_eq!(r["place"], "related", "Dar'a and Daraa town");
    assert_eq!(r["fatalities"], serde_json::json!([5, 4]));
    // The next day's event is at most possible; Nawa, 30 km away, no candidate.
    for p in &pairs[1..] {
        assert_ne!(p["verdict"], "duplicate", "{p}");
        assert!(p["a"] != "UCDP-3" && p["b"] != "UCDP-3", "{p}");
    }
    let scores: Vec<f64> = pairs.iter().map(|p| p["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    // CSV and filters.
    let csv = s.ok(&["dedup", "--format", "csv", "--min-score", "0.9"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "a,b,score,verdict,days_apart,km_apart,place,event_type,actors,fatalities,same_source,best_match"
        )
    );
    assert!(lines.next().unwrap().starts_with("SYR1,UCDP-1,"));
    assert_eq!(lines.next(), None, "only the pair above 0.9");
    let none = s.json(&["dedup", "--month", "2017-04"]);
    assert_eq!(none, serde_json::json!([]));
    let err = s.fails(&["dedup", "--min-score", "2"]);
    assert!(
        err.contains("--min-score") && err.contains("0 to 1"),
        "{err}"
    );
}

both!(merge_hides_the_other_and_unmerge_restores_both_exactly);
fn merge_hides_the_other_and_unmerge_restores_both_exactly() {
    let s = Session::new();
    two_sources(&s);
    s.ok(&[
        "add",
        "--date",
        "2017-03-10",
        "--type",
        "battles",
        "--region",
        "Daraa",
        "--source",
        "Daraa 24",
        "--notes",
        "local report",
    ]);
    let before_keep = s.json(&["show", "INC-000001"]);
    let before_other = s.json(&["show", "SYR1"]);
    assert_eq!(count(&s, &[]), 5);
    let out = s.ok(&["merge", "INC-000001", "SYR1", "UCDP-1"]);
    assert!(out.contains("SYR1 merged into INC-000001"), "{out}");
    // Hidden from list, report and export; shown with --status merged.
    assert_eq!(count(&s, &[]), 3);
    assert_eq!(count(&s, &["--status", "merged"]), 2);
    assert_eq!(count(&s, &["--status", "all"]), 5);
    let export = s.ok(&["export", "--format", "csv"]);
    assert!(!export.contains("SYR1"));
    let keep = s.json(&["show", "INC-000001"]);
    let mut publishers: Vec<&str> = keep["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["publisher"].as_str().unwrap())
        .collect();
    publishers.sort();
    assert_eq!(
        publishers,
        ["Daraa 24", "SOHR", "UCDP GED"],
        "cites every source"
    );
    // Filled from SYR1 (the first merged): the point, its fatalities, actors.
    assert_eq!(keep["fatalities"], 5);
    assert_eq!(keep["actor1"], ACLED_GOV);
    assert!(keep["latitude"].is_number());
    assert_eq!(keep["notes"], "local report", "a field it had is kept");
    assert_eq!(s.json(&["show", "SYR1"])["merged_into"], "INC-000001");
    let h = s.json(&["history", "SYR1"]);
    let last = h.as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "update");
    assert!(
        last["changes"]
            .as_str()
            .unwrap_or_default()
            .contains("merged_into")
            || last["new"]["merged_into"] == "INC-000001",
        "{last}"
    );
    // A merged incident cannot be merged again or deleted.
    let err = s.fails(&["merge", "UCDP-2", "SYR1"]);
    assert!(err.contains("merged into INC-000001"), "{err}");
    let err = s.fails(&["delete", "INC-000001"]);
    assert!(err.contains("unmerge"), "{err}");

    s.ok(&["unmerge", "INC-000001"]);
    assert_eq!(count(&s, &[]), 5);
    let strip = |mut v: serde_json::Value| {
        v.as_object_mut().unwrap().remove("updated_at");
        v
    };
    assert_eq!(strip(s.json(&["show", "INC-000001"])), strip(before_keep));
    assert_eq!(strip(s.json(&["show", "SYR1"])), strip(before_other));
    let err = s.fails(&["unmerge", "SYR1"]);
    assert!(err.contains("merged"), "{err}");
}

both!(dedup_apply_merges_groups_and_reports_count_each_event_once);
fn dedup_apply_merges_groups_and_reports_count_each_event_once() {
    let s = Session::new();
    two_sources(&s);
    let report = |s: &Session| {
        s.json(&["report", "--region", "Daraa", "--month", "2017-03"])["incidents"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(report(&s), 4);
    let dry = s.ok(&["dedup", "--apply", "--dry-run"]);
    assert!(
        dry.contains("dry run") && dry.contains("SYR1 <- UCDP-1"),
        "{dry}"
    );
    assert_eq!(report(&s), 4, "a dry run changes nothing");
    let out = s.ok(&["dedup", "--apply"]);
    assert!(out.contains("1 incidents merged into 1"), "{out}");
    assert_eq!(report(&s), 3);
    assert_eq!(
        s.json(&["dedup"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["verdict"] == "duplicate")
            .count(),
        0
    );
    s.ok(&["unmerge", "UCDP-1"]);
    assert_eq!(report(&s), 4);
    let h = s.json(&["history", "UCDP-1"]);
    assert_eq!(
        h.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "update")
            .count(),
        2,
        "merge and unmerge"
    );
}

both!(reimporting_a_merged_away_source_does_not_bring_it_back);
fn reimporting_a_merged_away_source_does_not_bring_it_back() {
    let s = Session::new();
    two_sources(&s);
    s.ok(&["merge", "UCDP-1", "SYR1"]);
    let out = s.ok(&["import", s.dir.path().join("acled.csv").to_str().unwrap()]);
    assert!(out.contains("0 new"), "{out}");
    assert_eq!(count(&s, &[]), 3);
    assert_eq!(s.json(&["show", "SYR1"])["merged_into"], "UCDP-1");
}

/// Version 1 of an ACLED file, and version 2: SYR2 removed, SYR3 changed, SYR4 added.
fn versions(s: &Session) -> (String, String) {
    let v1 = acled_csv(&[
        (
            "SYR1",
            "2025-06-10",
            "Battles",
            ACLED_GOV,
            ACLED_REB,
            "Nawa",
            32.8889,
            36.0431,
            1,
        ),
        (
            "SYR2",
            "2025-06-12",
            "Battles",
            ACLED_GOV,
            ACLED_REB,
            "Tafas",
            32.7378,
            35.9725,
            2,
        ),
        (
            "SYR3",
            "2025-06-14",
            "Battles",
            ACLED_GOV,
            ACLED_REB,
            "Inkhil",
            33.0167,
            36.1333,
            3,
        ),
    ]);
    let v2 = acled_csv(&[
        (
            "SYR1",
            "2025-06-10",
            "Battles",
            ACLED_GOV,
            ACLED_REB,
            "Nawa",
            32.8889,
            36.0431,
            1,
        ),
        (
            "SYR3",
            "2025-06-14",
            "Battles",
            ACLED_GOV,
            ACLED_REB,
            "Inkhil",
            33.0167,
            36.1333,
            7,
        ),
        (
            "SYR4",
            "2025-06-15",
            "Battles",
            ACLED_GOV,
            ACLED_REB,
            "Jasim",
            32.9922,
            36.0603,
            1,
        ),
    ]);
    (
        s.file("v1.csv", v1.as_bytes())
            .to_str()
            .unwrap()
            .to_string(),
        s.file("v2.csv", v2.as_bytes())
            .to_str()
            .unwrap()
            .to_string(),
    )
}

both!(sync_deletes_what_upstream_removed_and_undelete_restores_it);
fn sync_deletes_what_upstream_removed_and_undelete_restores_it() {
    let s = Session::new();
    let (v1, v2) = versions(&s);
    s.ok(&["import", &v1]);
    // Outside what v2 covers: another dataset, another period.
    s.ok(&[
        "add",
        "--date",
        "2025-06-12",
        "--type",
        "battles",
        "--region",
        "Daraa",
    ]);
    let outside = acled_csv(&[(
        "SYR9",
        "2025-05-01",
        "Battles",
        ACLED_GOV,
        ACLED_REB,
        "Nawa",
        32.8889,
        36.0431,
        1,
    )]);
    let outside = s.file("outside.csv", outside.as_bytes());
    s.ok(&["import", outside.to_str().unwrap()]);
    // Without --sync nothing is deleted.
    let out = s.ok(&["import", &v2, "--dry-run"]);
    assert!(out.contains("1 new, 1 updated, 1 unchanged"), "{out}");
    assert!(!out.contains("deleted"), "{out}");
    let dry = s.ok(&["import", &v2, "--sync", "--dry-run"]);
    assert!(dry.contains("would delete SYR2"), "{dry}");
    assert!(
        dry.contains("1 new, 1 updated, 1 unchanged") && dry.contains("1 deleted"),
        "{dry}"
    );
    assert_eq!(count(&s, &[]), 5, "a dry run changes nothing");
    let out = s.ok(&["import", &v2, "--sync"]);
    assert!(out.contains("1 deleted, 0 conflicts"), "{out}");
    let uids = common::uids(&s.json(&["list", "--status", "all"]));
    assert_eq!(uids.len(), 5);
    assert!(!uids.contains(&"SYR2".to_string()));
    assert!(uids.contains(&"SYR9".to_string()) && uids.contains(&"INC-000001".to_string()));
    assert_eq!(s.json(&["show", "SYR3"])["fatalities"], 7);
    let h = s.json(&["history", "SYR2"]);
    let last = h.as_array().unwrap().last().unwrap();
    assert_eq!(last["action"], "delete");
    s.ok(&["undelete", "SYR2"]);
    let back = s.json(&["show", "SYR2"]);
    assert_eq!(back["place"], "Tafas");
    assert_eq!(back["fatalities"], 2);
    assert_eq!(back["sources"][0]["publisher"], "SOHR");
    let err = s.fails(&["undelete", "SYR2"]);
    assert!(err.contains("exists"), "{err}");
    let err = s.fails(&["undelete", "SYR77"]);
    assert!(err.contains("not found"), "{err}");
}

both!(a_deletions_list_deletes_the_named_incidents);
fn a_deletions_list_deletes_the_named_incidents() {
    let s = Session::new();
    let (v1, _) = versions(&s);
    s.ok(&["import", &v1]);
    let list = s.file(
        "deleted.csv",
        b"event_id_cnty,deleted_timestamp\nSYR1,1750701234\nSYR404,1750701235\n",
    );
    let dry = s.ok(&["import", list.to_str().unwrap(), "--deletions", "--dry-run"]);
    assert!(
        dry.contains("dry run") && dry.contains("1 deleted, 1 not in this database"),
        "{dry}"
    );
    assert_eq!(count(&s, &[]), 3);
    s.ok(&["import", list.to_str().unwrap(), "--deletions"]);
    assert_eq!(common::uids(&s.json(&["list"])), ["SYR2", "SYR3"]);
    let bad = s.file("bad.csv", b"id,when\nSYR2,1\n");
    let err = s.fails(&["import", bad.to_str().unwrap(), "--deletions"]);
    assert!(
        err.contains("bad.csv") && err.contains("event_id_cnty"),
        "{err}"
    );
}

both!(upstream_changes_to_locally_edited_incidents_are_conflicts);
fn upstream_changes_to_locally_edited_incidents_are_conflicts() {
    let s = Session::new();
    let (v1, v2) = versions(&s);
    s.ok(&["import", &v1]);
    // Edited here: SYR3 (which v2 changes), SYR1 (which v2 does not), SYR2 (which v2 drops).
    s.ok(&["edit", "SYR3", "--fatalities", "4"]);
    s.ok(&["edit", "SYR1", "--notes", "checked with a local source"]);
    s.ok(&["edit", "SYR2", "--notes", "confirmed by a witness"]);
    let out = s.ok(&["import", &v2, "--sync"]);
    assert!(
        out.contains("conflict: SYR3 changed upstream, edited here"),
        "{out}"
    );
    assert!(
        out.contains("conflict: SYR2 deleted upstream, edited here"),
        "{out}"
    );
    assert!(
        !out.contains("SYR1 changed"),
        "upstream did not change SYR1: {out}"
    );
    assert!(out.contains("0 deleted, 2 conflicts"), "{out}");
    assert_eq!(
        s.json(&["show", "SYR3"])["fatalities"],
        4,
        "local edits win"
    );
    assert_eq!(
        s.json(&["show", "SYR1"])["notes"],
        "checked with a local source"
    );
    assert_eq!(s.json(&["show", "SYR2"])["notes"], "confirmed by a witness");
    let out = s.ok(&["import", &v2, "--sync", "--theirs"]);
    assert!(out.contains("upstream taken"), "{out}");
    assert_eq!(s.json(&["show", "SYR3"])["fatalities"], 7);
    s.fails(&["show", "SYR2"]);
    // Taken upstream's: no longer a conflict.
    let out = s.ok(&["import", &v2, "--sync"]);
    assert!(out.contains("0 conflicts"), "{out}");
}

both!(a_backup_keeps_merges_so_the_copy_can_undo_them);
fn a_backup_keeps_merges_so_the_copy_can_undo_them() {
    let s = Session::new();
    two_sources(&s);
    s.ok(&["merge", "UCDP-1", "SYR1"]);
    let copy = s.dir.path().join("copy.db");
    s.ok(&["backup", copy.to_str().unwrap()]);
    let at = |args: &[&str]| {
        let o = common::Output::of(&mut s.cmd_at(copy.to_str().unwrap(), args));
        assert_eq!(o.code, 0, "{args:?}: {}", o.stderr);
        o.stdout
    };
    assert!(at(&["list", "--status", "merged", "--format", "csv"]).contains("SYR1"));
    assert!(at(&["unmerge", "SYR1"]).contains("SYR1 is no longer merged into UCDP-1"));
    assert!(at(&["list", "--format", "csv"]).contains("SYR1"));
}

both!(upstream_changes_to_merged_incidents_are_conflicts);
fn upstream_changes_to_merged_incidents_are_conflicts() {
    let s = Session::new();
    let (v1, v2) = versions(&s);
    s.ok(&["import", &v1]);
    s.ok(&["merge", "SYR1", "SYR3"]);
    let out = s.ok(&["import", &v2, "--sync"]);
    assert!(
        out.contains("conflict: SYR3 changed upstream, merged here"),
        "{out}"
    );
    assert!(
        !out.contains("conflict: SYR1"),
        "upstream did not change the kept one: {out}"
    );
    assert!(
        out.contains("1 deleted, 1 conflicts"),
        "SYR2 was not merged: {out}"
    );
    assert_eq!(s.json(&["show", "SYR3"])["fatalities"], 3);
    s.ok(&["import", &v2, "--sync", "--theirs"]);
    let merged = s.json(&["show", "SYR3"]);
    assert_eq!(merged["fatalities"], 7, "upstream's values");
    assert_eq!(merged["merged_into"], "SYR1", "still merged");
}
