//! A database the user may only read (a shared copy, a read-only mount):
//! `list`, `report` and `export` work and print what they print on a
//! writable copy; `add`, `edit` and `import` fail with exit code 1 and a
//! message that says the database is read-only, and change nothing.
//!
//! Permission bits do not stop root, so when the tests run as root the
//! commands run as the unprivileged user `nobody` instead. Where that is
//! impossible (the binary not reachable by `nobody`), the write errors are
//! checked through the library's `Store::open_read_only`.
mod common;

use std::fs::{OpenOptions, Permissions};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Output, Session, snapshot};
use incidents::model::{DateSpan, Incident};
use incidents::store;

/// uid and gid of `nobody` on Linux.
const NOBODY: u32 = 65534;

/// A seeded database made read-only, and a writable copy to compare with.
struct ReadOnly {
    session: Session,
    /// A copy of the binary inside the session directory, which `nobody`
    /// can reach (the build directory may not be).
    bin: PathBuf,
    copy: Session,
    /// Run the commands as `nobody`: the tests run as root.
    as_nobody: bool,
}

/// One valid row of our CSV, for the import that must be refused.
const IMPORT_CSV: &str = "\
uid,title,event_type,sub_event_type,date_start,date_end,date_precision,place,latitude,longitude,fatalities,tags
RO-0001,Clash in Tafas,Battles,Armed clash,2025-06-18,2025-06-18,day,Tafas,32.7378,35.9725,3,daraa
";

impl ReadOnly {
    /// `dir_writable`: whether the reader may create files (-wal, -shm)
    /// next to the database.
    fn new(dir_writable: bool) -> ReadOnly {
        let session = Session::seeded();
        session.file("import.csv", IMPORT_CSV.as_bytes());
        let copy = Session::new();
        std::fs::copy(session.db_path(), copy.db_path()).expect("copy database");
        let bin = session.dir.path().join("incidents-bin");
        std::fs::copy(assert_cmd::cargo::cargo_bin("incidents"), &bin).expect("copy binary");
        set_mode(&bin, 0o755);
        set_mode(session.db_path(), 0o444);
        let privileged = OpenOptions::new()
            .write(true)
            .open(session.db_path())
            .is_ok();
        let dir_mode = match (dir_writable, privileged) {
            (false, _) => 0o555,
            // `nobody` must be able to create files in it.
            (true, true) => 0o777,
            (true, false) => 0o755,
        };
        set_mode(session.dir.path(), dir_mode);
        ReadOnly {
            session,
            bin,
            copy,
            as_nobody: privileged,
        }
    }

    fn db(&self) -> &Path {
        self.session.db_path()
    }

    /// The binary on the read-only database, as a user it binds.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--db")
            .arg(self.db())
            .args(args)
            .env_remove("INCIDENTS_DB")
            .current_dir(self.session.dir.path())
            .stdin(Stdio::null());
        if self.as_nobody {
            // std also drops root's supplementary groups.
            c.uid(NOBODY).gid(NOBODY);
        }
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd(args).output().expect("run incidents");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Whether the commands can run at all as the chosen user.
    fn can_run(&self) -> bool {
        self.run(&["--version"]).code == 0
    }
}

impl Drop for ReadOnly {
    /// Gives the directory back its write bit so that it can be removed.
    fn drop(&mut self) {
        set_mode(self.session.dir.path(), 0o755);
    }
}

fn set_mode(p: &Path, mode: u32) {
    std::fs::set_permissions(p, Permissions::from_mode(mode)).expect("chmod");
}

fn path_arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// The read commands print what they print on a writable copy; returns
/// what went wrong, one line per command.
fn read_problems(ro: &ReadOnly) -> Vec<String> {
    let reads: [&[&str]; 3] = [
        &["list", "--format", "json"],
        &[
            "report", "--region", "Daraa", "--month", "2025-06", "--format", "json",
        ],
        &["export", "--format", "geojson"],
    ];
    let mut problems = Vec::new();
    for args in reads {
        let got = ro.run(args);
        if got.code != 0 {
            problems.push(format!(
                "incidents {args:?}: exit {}, expected 0: {}",
                got.code,
                got.stderr.trim()
            ));
        } else if got.stdout != ro.copy.ok(args) {
            problems.push(format!(
                "incidents {args:?}: output differs from the writable copy's:\n{}",
                got.stdout
            ));
        } else {
            let v: serde_json::Value = serde_json::from_str(&got.stdout).expect("JSON");
            let rows = match args[0] {
                "list" => v.as_array().map(Vec::len),
                "export" => v["features"].as_array().map(Vec::len),
                _ => v.as_object().map(|o| o.len()),
            };
            if rows.unwrap_or(0) == 0 {
                problems.push(format!("incidents {args:?}: empty output: {}", got.stdout));
            }
        }
    }
    problems
}

/// The write commands fail with 1, say "read-only", name the database and
/// change nothing; returns what went wrong, one line per command.
fn write_problems(ro: &ReadOnly) -> Vec<String> {
    let before = snapshot(ro.db());
    let uid = ro.copy.json(&["list"])[0]["uid"]
        .as_str()
        .expect("uid")
        .to_string();
    let csv = ro.session.dir.path().join("import.csv");
    let writes: [Vec<&str>; 3] = [
        vec![
            "add",
            "--date",
            "2025-07-15",
            "--type",
            "battles",
            "--sub-type",
            "armed clash",
            "--lat",
            "32.7",
            "--lon",
            "36.1",
        ],
        vec!["edit", &uid, "--fatalities", "9"],
        vec!["import", path_arg(&csv)],
    ];
    let name = ro.db().file_name().and_then(|n| n.to_str()).expect("name");
    let mut problems = Vec::new();
    for args in writes {
        let out = ro.run(&args);
        let said = out.stderr.trim();
        let lower = said.to_lowercase();
        if out.code != 1 {
            problems.push(format!(
                "incidents {args:?}: exit {}, expected 1: {said}",
                out.code
            ));
        } else if said.contains("panicked") {
            problems.push(format!("incidents {args:?}: panicked: {said}"));
        } else if !(lower.contains("read-only") || lower.contains("readonly")) {
            problems.push(format!(
                "incidents {args:?}: the error does not say read-only: {said}"
            ));
        } else if !said.contains(name) {
            problems.push(format!(
                "incidents {args:?}: the error does not name the database {name}: {said}"
            ));
        }
    }
    if snapshot(ro.db()) != before {
        problems.push("a refused write changed the database".into());
    }
    problems
}

#[test]
fn reads_work_on_a_read_only_database_in_a_read_only_directory() {
    let ro = ReadOnly::new(false);
    if !ro.can_run() {
        eprintln!("cannot run the binary as nobody; see store_opened_read_only_refuses_writes");
        return;
    }
    let problems = read_problems(&ro);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn reads_work_on_a_read_only_file_in_a_writable_directory() {
    let ro = ReadOnly::new(true);
    if !ro.can_run() {
        eprintln!("cannot run the binary as nobody; see store_opened_read_only_refuses_writes");
        return;
    }
    let problems = read_problems(&ro);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn writes_to_a_read_only_database_fail_with_a_clear_error() {
    let mut problems = Vec::new();
    for dir_writable in [false, true] {
        let ro = ReadOnly::new(dir_writable);
        if !ro.can_run() {
            eprintln!("cannot run the binary as nobody; see store_opened_read_only_refuses_writes");
            return;
        }
        let dir = if dir_writable {
            "writable"
        } else {
            "read-only"
        };
        for p in write_problems(&ro) {
            problems.push(format!("{dir} directory: {p}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The library's read-only open, which also binds root: reads work, a write
/// fails with an error that says why and leaves the database unchanged.
#[test]
fn store_opened_read_only_refuses_writes() {
    let s = Session::seeded();
    let before = s.snapshot();
    let mut store = store::open_read_only(&store::Location::File(s.db_path().to_path_buf()))
        .expect("open read-only");
    assert_eq!(store.count_incidents().expect("count"), 7);
    let span = DateSpan::from_flags("2025-07-15", None).expect("date");
    let mut inc = Incident::new("Battles", span);
    inc.latitude = Some(32.7);
    inc.longitude = Some(36.1);
    let err = store::write(store.as_mut(), |w| w.insert_incident(&inc))
        .expect_err("a write through a read-only store");
    let msg = err.to_string().to_lowercase();
    assert!(
        msg.contains("read-only") || msg.contains("readonly"),
        "the error should say the database is read-only: {err}"
    );
    drop(store);
    assert_eq!(s.snapshot(), before);
    let missing: PathBuf = s.dir.path().join("missing.db");
    assert!(store::open_read_only(&store::Location::File(missing.clone())).is_err());
    assert!(!missing.exists(), "a read-only open created the database");
}
