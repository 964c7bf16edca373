//! `incidents backup`, `check` and schema versions, end to end.
mod common;
use common::{Session, both};

/// The incidents in a SQLite file (a backup is one, whatever the backend).
fn count(db: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
        .unwrap()
}

/// The incidents in the session's database.
fn stored(s: &Session) -> i64 {
    s.query_sql("SELECT count(*) FROM incidents")[0][0]
        .parse()
        .unwrap()
}

both!(backup_is_a_working_copy_and_never_overwrites);
fn backup_is_a_working_copy_and_never_overwrites() {
    let s = Session::seeded();
    let dest = s.dir.path().join("copy.db");
    let out = s.ok(&["backup", dest.to_str().unwrap()]);
    assert!(out.contains("backed up"), "{out}");
    assert_eq!(count(&dest), stored(&s));
    let original = s.ok(&["list", "--format", "csv"]);
    let copy =
        Session::at(tempfile::tempdir().unwrap(), dest.clone()).ok(&["list", "--format", "csv"]);
    assert_eq!(original, copy);
    assert!(
        s.fails(&["backup", dest.to_str().unwrap()])
            .contains("never overwrites")
    );
}

both!(backup_while_an_import_writes_is_consistent);
fn backup_while_an_import_writes_is_consistent() {
    let s = Session::seeded();
    let mut csv = String::from("uid,event_type,date_start,date_end,latitude,longitude\n");
    for i in 0..20_000 {
        csv.push_str(&format!("B-{i},Battles,2020-01-01,2020-01-01,33.5,36.3\n"));
    }
    let file = s.file("many.csv", csv.as_bytes());
    let before = stored(&s);
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("incidents"))
        .args(["--db", &s.db_arg(), "import", file.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let dest = s.dir.path().join("during.db");
    s.ok(&["backup", dest.to_str().unwrap()]);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let n = count(&dest);
    assert!(n == before || n == before + 20_000, "backup holds {n} rows");
    let c = rusqlite::Connection::open(&dest).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

both!(check_passes_then_finds_a_hand_edited_region);
fn check_passes_then_finds_a_hand_edited_region() {
    let s = Session::seeded();
    assert!(s.ok(&["check"]).contains("0 problems"));
    s.exec_sql(
        "UPDATE incidents SET admin1_code = 'IQ-BG' WHERE uid = 'SEED-SY-2025-MASMIYAH-CLASH';
         UPDATE incidents SET date_precision = 'day' WHERE uid = 'SEED-SY-2025-DARAA-ISF-DISMISSALS'",
    );
    let o = s.run(&["check"]);
    assert_eq!(o.code, 1);
    assert!(
        o.stdout.contains("SEED-SY-2025-MASMIYAH-CLASH: admin1"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("2 problems"), "{}", o.stdout);
    let j: serde_json::Value = serde_json::from_str(&s.run(&["check", "--json"]).stdout).unwrap();
    assert_eq!(j["problems"].as_array().unwrap().len(), 2);
}

#[test]
fn a_newer_database_is_refused_unchanged() {
    let s = Session::seeded();
    let c = rusqlite::Connection::open(s.db_path()).unwrap();
    c.pragma_update(None, "user_version", 999).unwrap();
    drop(c);
    let before = s.snapshot();
    for args in [
        vec!["list"],
        vec!["add", "--date", "2025", "--type", "riots"],
        vec!["seed"],
    ] {
        let e = s.fails(&args);
        assert!(e.contains("newer") && e.contains("999"), "{e}");
    }
    assert_eq!(s.snapshot(), before);
}

#[test]
fn an_old_database_is_backed_up_then_migrated() {
    let s = Session::new();
    // A version-1 database: the first migration of schema.sql only.
    let schema =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.sql")).unwrap();
    let v1 = schema.split("-- migration 2").next().unwrap();
    let c = rusqlite::Connection::open(s.db_path()).unwrap();
    c.execute_batch(v1).unwrap();
    c.pragma_update(None, "user_version", 1).unwrap();
    c.execute(
        "INSERT INTO incidents (uid, event_type, date_start, date_end, date_precision, latitude, longitude, \
         created_at, updated_at) VALUES ('OLD-1', 'Battles', '2019-05-01', '2019-05-01', 'day', 33.51, 36.29, 'x', 'x')",
        [],
    )
    .unwrap();
    drop(c);
    let near = s.ok(&[
        "list",
        "--near",
        "33.51,36.29",
        "--radius",
        "1km",
        "--format",
        "csv",
    ]);
    assert!(near.contains("OLD-1"), "{near}");
    let backup = s.dir.path().join("test.db.schema-v1.backup");
    assert!(backup.exists());
    assert_eq!(count(&backup), 1);
    let b = rusqlite::Connection::open(&backup).unwrap();
    let v: i64 = b
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 1);
    assert!(s.ok(&["check"]).contains("0 problems"));
}
