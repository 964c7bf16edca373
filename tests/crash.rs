//! A killed import leaves the database as it was: `incidents import` is
//! killed with SIGKILL at spread-out moments of a 200,000-row import, and
//! each time the database must pass SQLite's integrity check and the
//! project's own (`incidents check`), hold either none or all of the
//! file's rows, keep its schema (a bulk load into an empty database drops
//! and rebuilds indexes), and still answer `incidents list`.
mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::{Output, Session};

const ROWS: i64 = 200_000;
/// Kill iterations on a database that already holds incidents; fewer when
/// a full import is slow, so the file stays near 90 s on two cores.
const MAX_KILLS: usize = 8;
const MIN_KILLS: usize = 5;
/// What the kills may take in all: each waits half a full import on
/// average, then the checks (seconds when the import completed first).
const KILL_BUDGET: Duration = Duration::from_secs(45);
const CHECKS_PER_KILL: Duration = Duration::from_secs(3);
const EARLIEST_KILL: Duration = Duration::from_millis(50);
/// The seed of the kill delays: change it to try other moments.
const SEED: u64 = 0x1c1d_e475;

/// A deterministic generator (SplitMix64) so a failing delay can be replayed.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `ROWS` rows of our CSV with distinct uids, valid dates and points in Syria.
fn big_csv() -> String {
    let mut s = String::with_capacity(120 * ROWS as usize);
    s.push_str(
        "uid,title,event_type,sub_event_type,date_start,date_end,date_precision,place,latitude,longitude,fatalities,tags\n",
    );
    for i in 0..ROWS {
        let lat = 34.0 + (i % 1000) as f64 / 1000.0;
        let lon = 37.0 + (i % 997) as f64 / 997.0 * 2.0;
        let d = format!("2025-{:02}-{:02}", i % 12 + 1, i % 28 + 1);
        s.push_str(&format!(
            "BULK-{i:07},Clash {i},Battles,Armed clash,{d},{d},day,Village {i},{lat:.4},{lon:.4},{},generated\n",
            i % 5
        ));
    }
    s
}

fn import(db: &Path, file: &Path) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("incidents"));
    c.arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .env_remove("INCIDENTS_DB")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Starts an import, kills it with SIGKILL after `delay` unless it ended
/// first, and returns how it ended.
fn import_killed_after(db: &Path, file: &Path, delay: Duration) -> ExitStatus {
    let mut child = import(db, file).spawn().expect("start import");
    let started = Instant::now();
    while started.elapsed() < delay {
        if let Some(status) = child.try_wait().expect("poll import") {
            return status;
        }
        std::thread::sleep(Duration::from_millis(5).min(delay - started.elapsed()));
    }
    // SIGKILL on Unix; it fails only if the child was already reaped.
    let _ = child.kill();
    let status = child.wait().expect("wait for import");
    assert!(
        status.success() || status.signal() == Some(9),
        "the import failed by itself after less than {delay:?}: {status:?}"
    );
    status
}

/// Runs the binary on `db` and returns what it printed.
fn run(db: &Path, args: &[&str]) -> Output {
    let out = Command::new(assert_cmd::cargo::cargo_bin("incidents"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("INCIDENTS_DB")
        .stdin(Stdio::null())
        .output()
        .expect("run incidents");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn count(db: &Path) -> i64 {
    let c = rusqlite::Connection::open(db).expect("open db");
    c.query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
        .expect("count")
}

fn integrity(db: &Path) -> String {
    let c = rusqlite::Connection::open(db).expect("open db");
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check")
}

/// Every table, index and trigger with its SQL.
fn schema(db: &Path) -> Vec<(String, String, Option<String>)> {
    let c = rusqlite::Connection::open(db).expect("open db");
    let mut stmt = c
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .expect("schema");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("schema")
        .collect::<Result<_, _>>()
        .expect("schema")
}

/// A copy of the database at `template` (no WAL: its last user closed it).
fn copy_of(template: &Path, dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    std::fs::copy(template, &db).expect("copy template database");
    db
}

/// The checks after a kill; `c0` rows before, `what` names the iteration.
fn assert_whole(
    db: &Path,
    c0: i64,
    expected_schema: &[(String, String, Option<String>)],
    what: &str,
) {
    assert_eq!(integrity(db), "ok", "{what}: integrity_check");
    let n = count(db);
    assert!(
        n == c0 || n == c0 + ROWS,
        "{what}: {n} incidents, expected {c0} (nothing) or {} (everything)",
        c0 + ROWS
    );
    assert_eq!(schema(db), expected_schema, "{what}: the schema changed");
    let check = run(db, &["check"]);
    assert_eq!(
        check.code, 0,
        "{what}: incidents check:\n{}\n{}",
        check.stdout, check.stderr
    );
    let list = run(db, &["list", "--limit", "1", "--format", "csv"]);
    assert_eq!(
        list.code, 0,
        "{what}: incidents list:\n{}\n{}",
        list.stdout, list.stderr
    );
    let header_and_row = if n == 0 { 1 } else { 2 };
    assert_eq!(
        list.stdout.lines().count(),
        header_and_row,
        "{what}: {}",
        list.stdout
    );
}

#[test]
fn a_killed_import_leaves_nothing_or_everything() {
    let s = Session::new();
    let dir = s.dir.path();
    let file = s.file("big.csv", big_csv().as_bytes());

    // Templates: one database with the seed incidents, one empty.
    let seeded = dir.join("seeded.db");
    let out = run(&seeded, &["seed"]);
    assert_eq!(out.code, 0, "seed: {}", out.stderr);
    let c0 = count(&seeded);
    assert!(c0 > 0);
    let seeded_schema = schema(&seeded);
    let empty = dir.join("empty.db");
    let out = run(&empty, &["init"]);
    assert_eq!(out.code, 0, "init: {}", out.stderr);
    let empty_schema = schema(&empty);

    // A full import, timed, on its own copy: also the "everything" state.
    let full = copy_of(&seeded, dir, "full.db");
    let started = Instant::now();
    let status = import(&full, &file).status().expect("run import");
    let full_time = started.elapsed();
    assert!(status.success(), "the full import failed: {status:?}");
    assert_whole(&full, c0, &seeded_schema, "full import");
    assert_eq!(count(&full), c0 + ROWS);
    std::fs::remove_file(&full).expect("remove full.db");

    let per_kill = full_time / 2 + CHECKS_PER_KILL;
    let kills =
        ((KILL_BUDGET.as_secs_f64() / per_kill.as_secs_f64()) as usize).clamp(MIN_KILLS, MAX_KILLS);
    eprintln!("full import of {ROWS} rows: {full_time:?}; {kills} kills");
    let span = full_time.saturating_sub(EARLIEST_KILL);
    let mut rng = SplitMix(SEED);
    let mut outcomes = Vec::new();
    // One delay in each of `kills` equal slices of [50 ms, full time], so
    // the kills reach every phase: opening, upserts, commit.
    for i in 0..kills {
        let at = (i as f64 + rng.unit()) / kills as f64;
        let delay = EARLIEST_KILL + span.mul_f64(at);
        let db = copy_of(&seeded, dir, &format!("kill{i}.db"));
        let status = import_killed_after(&db, &file, delay);
        let what = format!("kill {i} after {delay:?} ({status:?})");
        assert_whole(&db, c0, &seeded_schema, &what);
        outcomes.push((delay, status.success(), count(&db)));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }

    // Into an empty database the import drops the indexes and rebuilds them
    // at the end: a kill in between must leave them all in place.
    let delay = EARLIEST_KILL + span.mul_f64(0.3 + rng.unit() * 0.4);
    let db = copy_of(&empty, dir, "kill_bulk.db");
    let status = import_killed_after(&db, &file, delay);
    let what = format!("kill of a bulk load after {delay:?} ({status:?})");
    assert_whole(&db, 0, &empty_schema, &what);
    outcomes.push((delay, status.success(), count(&db)));
    eprintln!("kills (delay, completed, rows): {outcomes:?}");
}
