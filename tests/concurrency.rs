//! Several `incidents` processes on one database at once: imports of
//! different files, imports of the same file, a stream of `add`s, and
//! first use of a database that does not exist yet. Every process must
//! succeed (the 30 s busy timeout covers the waits) and no row may be lost
//! or doubled.
mod common;

use std::collections::BTreeSet;
use std::process::{Child, Command, Output, Stdio};
use std::thread;

use common::{Backend, Session, both};

/// Rows per generated import file.
const ROWS: usize = 3_000;
/// `incidents add` calls run while the imports are going.
const ADDS: usize = 30;

/// The built binary with `--db` set, stdout and stderr captured.
fn incidents(db: &str, args: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("incidents"));
    c.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("INCIDENTS_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn start(db: &str, args: &[&str]) -> Child {
    incidents(db, args).spawn().expect("start incidents")
}

/// Waits for a process and asserts that it succeeded; returns its stdout.
fn succeeded(what: &str, out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} ended with {:?}:\n{stdout}\n{stderr}",
        out.status
    );
    stdout
}

fn finish(what: &str, child: Child) -> String {
    succeeded(what, child.wait_with_output().expect("wait for incidents"))
}

/// A point inside Syria (the Homs–Hama steppe), varied by row.
fn point(i: usize) -> (f64, f64) {
    (
        34.0 + (i % 1000) as f64 / 1000.0,
        37.0 + (i % 997) as f64 / 997.0 * 2.0,
    )
}

/// A date in 2025, varied by row.
fn date(i: usize) -> String {
    format!("2025-{:02}-{:02}", i % 12 + 1, i % 28 + 1)
}

/// `n` rows in our own CSV format, uids `{prefix}-0000000`...
fn native_csv(prefix: &str, n: usize) -> String {
    let mut s = String::from(
        "uid,title,event_type,sub_event_type,date_start,date_end,date_precision,place,latitude,longitude,fatalities,tags\n",
    );
    for i in 0..n {
        let (lat, lon) = point(i);
        let d = date(i);
        s.push_str(&format!(
            "{prefix}-{i:07},Clash {i},Battles,Armed clash,{d},{d},day,Village {i},{lat:.4},{lon:.4},{},generated\n",
            i % 5
        ));
    }
    s
}

/// `n` rows in ACLED's export format, event ids `{prefix}{i}`.
fn acled_csv(prefix: &str, n: usize) -> String {
    let mut s = String::from(
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n",
    );
    for i in 0..n {
        let (lat, lon) = point(i + 500);
        s.push_str(&format!(
            "{prefix}{i},{},2025,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Syria (2024-),,State forces,,,,,,760,Middle East,Syria,,,,Village {i},{lat:.4},{lon:.4},1,SOHR,National,Shelling reported near village {i}.,{},,1750701234\n",
            date(i),
            i % 4
        ));
    }
    s
}

/// Every uid in the database.
fn stored_uids(s: &Session) -> Vec<String> {
    s.query_sql("SELECT uid FROM incidents")
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect()
}

/// SQLite's own check of the file; PostgreSQL has no such check to run.
fn assert_intact(s: &Session) {
    if s.backend() == Backend::Sqlite {
        let c = rusqlite::Connection::open(s.db_path()).expect("open db");
        let integrity: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity_check");
        assert_eq!(integrity, "ok");
    }
}

/// Runs `incidents add` `ADDS` times in a row on another thread, with
/// coordinates so that no gazetteer lookup is needed; returns the printed uids.
fn add_loop(db: String) -> thread::JoinHandle<Vec<String>> {
    thread::spawn(move || {
        (0..ADDS)
            .map(|i| {
                let (lat, lon) = point(i * 31);
                let (lat, lon) = (format!("{lat:.4}"), format!("{lon:.4}"));
                let title = format!("Added while importing {i}");
                let args = [
                    "add",
                    "--date",
                    "2025-07-15",
                    "--type",
                    "battles",
                    "--sub-type",
                    "armed clash",
                    "--lat",
                    &lat,
                    "--lon",
                    &lon,
                    "--title",
                    &title,
                ];
                let out = incidents(&db, &args).output().expect("run add");
                succeeded(&format!("add #{i}"), out).trim().to_string()
            })
            .collect()
    })
}

both!(two_imports_and_a_stream_of_adds_lose_nothing);
fn two_imports_and_a_stream_of_adds_lose_nothing() {
    let s = Session::new();
    s.ok(&["init"]);
    let db = s.db_arg();
    let native = s.file("native.csv", native_csv("NAT", ROWS).as_bytes());
    let acled = s.file("acled.csv", acled_csv("SYRX", ROWS).as_bytes());
    let native_arg = native.to_str().expect("UTF-8 path");
    let acled_arg = acled.to_str().expect("UTF-8 path");

    let first = start(&db, &["import", native_arg]);
    let second = start(&db, &["import", acled_arg]);
    let adds = add_loop(db.clone());

    let said = finish("import native.csv", first);
    assert!(said.contains(&format!("{ROWS} rows, {ROWS} new")), "{said}");
    let said = finish("import acled.csv", second);
    assert!(said.contains(&format!("{ROWS} rows, {ROWS} new")), "{said}");
    let added = adds.join().expect("add loop");

    let added_set: BTreeSet<&String> = added.iter().collect();
    assert_eq!(added_set.len(), ADDS, "add printed a uid twice: {added:?}");
    let stored = stored_uids(&s);
    assert_eq!(stored.len(), 2 * ROWS + ADDS);
    let stored: BTreeSet<String> = stored.into_iter().collect();
    assert_eq!(stored.len(), 2 * ROWS + ADDS, "a uid is stored twice");
    for i in 0..ROWS {
        let nat = format!("NAT-{i:07}");
        assert!(stored.contains(&nat), "{nat} is missing");
        let acl = format!("SYRX{i}");
        assert!(stored.contains(&acl), "{acl} is missing");
    }
    for uid in &added {
        assert!(stored.contains(uid), "added {uid} is missing");
    }
    assert_intact(&s);
}

both!(the_same_file_imported_twice_at_once_gives_each_row_once);
fn the_same_file_imported_twice_at_once_gives_each_row_once() {
    let s = Session::new();
    s.ok(&["init"]);
    let db = s.db_arg();
    let file = s.file("same.csv", native_csv("SAME", ROWS).as_bytes());
    let arg = file.to_str().expect("UTF-8 path");

    let a = start(&db, &["import", arg]);
    let b = start(&db, &["import", arg]);
    let said = [finish("first import", a), finish("second import", b)];

    // One of them inserted every row, the other found them all unchanged.
    let all_new = format!("{ROWS} rows, {ROWS} new, 0 updated, 0 unchanged");
    let none_new = format!("{ROWS} rows, 0 new, 0 updated, {ROWS} unchanged");
    assert!(
        (said[0].contains(&all_new) && said[1].contains(&none_new))
            || (said[1].contains(&all_new) && said[0].contains(&none_new)),
        "{said:?}"
    );
    let stored = stored_uids(&s);
    assert_eq!(stored.len(), ROWS);
    let distinct: BTreeSet<&String> = stored.iter().collect();
    assert_eq!(distinct.len(), ROWS, "a row was imported twice");
    assert_intact(&s);
}

both!(first_use_by_several_processes_at_once);
fn first_use_by_several_processes_at_once() {
    // No `init`: every process finds no database and creates the schema.
    let s = Session::new();
    let db = s.db_arg();
    let one = s.file("one.csv", native_csv("ONE", 500).as_bytes());
    let two = s.file("two.csv", acled_csv("TWO", 500).as_bytes());
    let children = [
        start(&db, &["import", one.to_str().expect("UTF-8 path")]),
        start(&db, &["import", two.to_str().expect("UTF-8 path")]),
        start(
            &db,
            &[
                "add",
                "--date",
                "2025-07-15",
                "--type",
                "battles",
                "--sub-type",
                "armed clash",
                "--lat",
                "34.5",
                "--lon",
                "38.0",
                "--uid",
                "FIRST-USE-ADD",
            ],
        ),
        start(&db, &["list", "--limit", "1", "--format", "csv"]),
    ];
    for (i, child) in children.into_iter().enumerate() {
        finish(&format!("process #{i}"), child);
    }
    let stored: BTreeSet<String> = stored_uids(&s).into_iter().collect();
    assert_eq!(stored.len(), 1001);
    assert!(stored.contains("ONE-0000499"));
    assert!(stored.contains("TWO499"));
    assert!(stored.contains("FIRST-USE-ADD"));
    assert_intact(&s);
}
