//! The test harness: a temporary database and the real `incidents` binary,
//! so that each test reads like a user's session.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A temporary directory with a database path in it.
pub struct Session {
    pub dir: TempDir,
    pub db: PathBuf,
}

/// What a finished command printed.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Session {
    pub fn new() -> Session {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("test.db");
        Session { dir, db }
    }

    /// A new empty database with the seeds loaded.
    pub fn seeded() -> Session {
        let s = Session::new();
        s.ok(&["seed"]);
        s
    }

    /// The binary with `--db` set, not yet run.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("incidents").expect("binary built");
        c.arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("INCIDENTS_DB");
        c.current_dir(self.dir.path());
        c
    }

    /// Runs and returns what it printed, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd(args).output().expect("run incidents");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs, asserts success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code, 0,
            "incidents {args:?} failed:\n{}\n{}",
            o.stdout, o.stderr
        );
        o.stdout
    }

    /// Runs, asserts failure with exit code 1 and no panic, returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert_eq!(
            o.code, 1,
            "incidents {args:?} should fail with 1:\n{}\n{}",
            o.stdout, o.stderr
        );
        assert!(!o.stderr.contains("panicked"), "panic: {}", o.stderr);
        o.stderr
    }

    /// Runs with `--format json` appended and parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        let out = self.ok(&a);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
    }

    /// A file in the session directory with this content.
    pub fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).expect("write fixture");
        p
    }

    /// A hash of the database's logical content (every table's rows), to
    /// check that a failed command changed nothing.
    pub fn snapshot(&self) -> String {
        snapshot(&self.db)
    }
}

/// Dumps every table of a database in a stable order.
pub fn snapshot(db: &Path) -> String {
    if !db.exists() {
        return String::new();
    }
    let c = rusqlite::Connection::open(db).expect("open db");
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("tables");
    let mut out = String::new();
    for t in tables {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("select");
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut cells = Vec::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    cells.push(format!("{v:?}"));
                }
                Ok(cells.join("|"))
            })
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        let mut rows = rows;
        rows.sort();
        out.push_str(&format!("{t}:{}\n", rows.join("\n")));
    }
    out
}

/// The uids of a JSON array of incidents, in their order.
pub fn uids_in_order(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .expect("a JSON array")
        .iter()
        .map(|i| i["uid"].as_str().expect("uid").to_string())
        .collect()
}

/// The uids of a JSON array of incidents, sorted.
pub fn uids(v: &serde_json::Value) -> Vec<String> {
    let mut u = uids_in_order(v);
    u.sort();
    u
}

/// The path to a fixture file in tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

impl Session {
    /// Imports `n` day incidents (`BULK-00000`, ...) whose notes are `note_len`
    /// characters long: output many times the size of a pipe's buffer.
    pub fn add_bulk(&self, n: usize, note_len: usize) {
        let path = self.dir.path().join("bulk.csv");
        let mut w = csv::Writer::from_path(&path).expect("write bulk.csv");
        w.write_record([
            "uid",
            "event_type",
            "sub_event_type",
            "date_start",
            "date_end",
            "date_precision",
            "latitude",
            "longitude",
            "notes",
        ])
        .expect("bulk header");
        let notes = "n".repeat(note_len);
        for i in 0..n {
            let uid = format!("BULK-{i:05}");
            w.write_record([
                uid.as_str(),
                "Battles",
                "Armed clash",
                "2025-06-17",
                "2025-06-17",
                "day",
                "32.62",
                "36.1",
                notes.as_str(),
            ])
            .expect("bulk row");
        }
        w.flush().expect("flush bulk.csv");
        self.ok(&["import", path.to_str().expect("UTF-8 path")]);
    }

    /// Runs with stdout on a pipe whose reader takes the first few bytes and
    /// then closes it, as `incidents ... | head -c 4096` does. Give the
    /// command output far larger than a pipe's buffer (64 KiB on Linux): it
    /// is then certainly still writing when the pipe closes. Returns the
    /// bytes read and what the command printed on stderr.
    pub fn run_into_closed_pipe(&self, args: &[&str]) -> (String, Output) {
        use std::io::Read;
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("incidents"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("INCIDENTS_DB")
            .current_dir(self.dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run incidents");
        let mut first = [0; 4096];
        let n = child
            .stdout
            .take()
            .expect("piped stdout")
            .read(&mut first)
            .expect("read the first bytes");
        // The reader was dropped above: the pipe's only read end is closed.
        let out = child.wait_with_output().expect("wait for incidents");
        let output = Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::new(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        (String::from_utf8_lossy(&first[..n]).into_owned(), output)
    }
}
