//! Malformed input for every command and import format, table-driven: each
//! case runs the real binary and checks that it does not panic, exits 1 (a
//! data error, with a message naming the flag, field or line) or 2 (a usage
//! error), and leaves the database as it was. Where bad-looking input has a
//! documented non-error result (SQL metacharacters in text filters match
//! literally), that result is checked instead.
mod common;

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{Backend, Session, both};
use serde_json::Value;

/// SQL metacharacters that must reach the database as plain text.
const SQL_META: &[&str] = &[
    "'; DROP TABLE incidents; --",
    "%",
    "_",
    "\"",
    "'",
    "\\",
    "50%",
    "a_b",
    "\\%",
    "%_%",
    "\" OR \"1\"=\"1",
    "') OR ('1'='1",
    "*",
    "[a-z]",
    "/*",
];

/// Incidents whose text holds the metacharacters literally, added to the
/// template database next to the seeds.
const LITERAL_INCIDENTS: &[&[&str]] = &[
    &[
        "--uid",
        "LIT-PCT",
        "--title",
        "Ceasefire holds in 100% of villages",
        "--actor1",
        "Brigade 50%",
        "--tag",
        "100%",
    ],
    &[
        "--uid",
        "LIT-UNDERSCORE",
        "--title",
        "Report file_2025 leaked",
        "--actor2",
        "Unit_7",
        "--tag",
        "a_b",
    ],
    &[
        "--uid",
        "LIT-QUOTES",
        "--title",
        "He said \"enough\"",
        "--notes",
        "'; DROP TABLE incidents; --",
        "--assoc-actors",
        "O'Neill militia",
        "--tag",
        "'; DROP TABLE incidents; --",
    ],
    &[
        "--uid",
        "LIT-BACKSLASH",
        "--place",
        "C:\\temp\\%x",
        "--actor1",
        "Back\\slash",
        "--tag",
        "\\",
    ],
];

/// The seeded template database (plus [`LITERAL_INCIDENTS`]), built once per
/// test process and backend and copied into each case's session.
fn template() -> &'static Session {
    static SQLITE: OnceLock<Session> = OnceLock::new();
    static POSTGRES: OnceLock<Session> = OnceLock::new();
    let once = match common::backend() {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    };
    once.get_or_init(|| {
        let s = Session::seeded();
        for extra in LITERAL_INCIDENTS {
            let mut args = vec![
                "add",
                "--date",
                "2025-06-10",
                "--type",
                "battles",
                "--lat",
                "32.62",
                "--lon",
                "36.10",
            ];
            args.extend_from_slice(extra);
            s.ok(&args);
        }
        s
    })
}

/// A session whose database is a copy of the template.
fn session() -> Session {
    template().copy()
}

/// What a malformed input must produce.
#[derive(Debug, Clone)]
enum Expect {
    /// Exit 1; stderr names each of these (case-insensitive); database unchanged.
    Data(Vec<String>),
    /// Exit 2 (a usage error from the argument parser); stderr names these.
    Usage(Vec<String>),
}

/// The words a message must contain.
fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

/// One malformed input: the arguments after `--db`, files to create in the
/// session directory first, and the expected outcome.
struct Case {
    name: String,
    args: Vec<OsString>,
    files: Vec<(String, Vec<u8>)>,
    expect: Expect,
}

impl Case {
    fn new(name: &str, args: &[&str], expect: Expect) -> Case {
        Case {
            name: name.to_string(),
            args: args.iter().map(OsString::from).collect(),
            files: Vec::new(),
            expect,
        }
    }

    fn os(name: &str, args: Vec<OsString>, expect: Expect) -> Case {
        Case {
            name: name.to_string(),
            args,
            files: Vec::new(),
            expect,
        }
    }

    fn file(mut self, name: &str, content: impl Into<Vec<u8>>) -> Case {
        self.files.push((name.to_string(), content.into()));
        self
    }
}

fn data(name: &str, args: &[&str], mentions: &[&str]) -> Case {
    Case::new(name, args, Expect::Data(words(mentions)))
}

fn usage(name: &str, args: &[&str], mentions: &[&str]) -> Case {
    Case::new(name, args, Expect::Usage(words(mentions)))
}

/// Checks one finished command against the rules every bad input shares:
/// no panic, exit 1 or 2 as expected, the named things in the message.
fn check_output(
    name: &str,
    code: i32,
    stderr: &str,
    expect: &Expect,
) -> std::result::Result<(), String> {
    if stderr.contains("panicked") || code == 101 {
        return Err(format!("{name}: panicked (exit {code}):\n{stderr}"));
    }
    let (want, mentions) = match expect {
        Expect::Data(m) => (1, m),
        Expect::Usage(m) => (2, m),
    };
    if code != want {
        return Err(format!("{name}: exit {code}, expected {want}:\n{stderr}"));
    }
    let lower = stderr.to_lowercase();
    for m in mentions {
        if !lower.contains(&m.to_lowercase()) {
            return Err(format!(
                "{name}: the message does not name {m:?}:\n{stderr}"
            ));
        }
    }
    Ok(())
}

/// Runs every case, each on a fresh copy of the template, and reports all
/// the failures together.
fn run_cases(cases: Vec<Case>) {
    let mut failures = Vec::new();
    let n = cases.len();
    for case in cases {
        let s = session();
        for (name, content) in &case.files {
            s.file(name, content);
        }
        let before = s.snapshot();
        let out = s
            .cmd(&[])
            .args(&case.args)
            .timeout(Duration::from_secs(120))
            .output()
            .expect("run incidents");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code().unwrap_or(-1);
        if let Err(e) = check_output(&case.name, code, &stderr, &case.expect) {
            failures.push(e);
            continue;
        }
        if s.snapshot() != before {
            failures.push(format!("{}: the database changed", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

const ADD: &[&str] = &["add", "--date", "2025-06-17", "--type", "battles"];

/// `add` with the base arguments and these extra ones.
fn add(extra: &[&str]) -> Vec<String> {
    ADD.iter().chain(extra).map(|s| s.to_string()).collect()
}

fn add_data(name: &str, extra: &[&str], mentions: &[&str]) -> Case {
    let args = add(extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    data(name, &args, mentions)
}

both!(bad_dates_are_refused_naming_the_flag);
fn bad_dates_are_refused_naming_the_flag() {
    let mut cases = Vec::new();
    for (flag, cmd) in [
        ("--date", &["add", "--type", "battles"][..]),
        ("--from", &["list", "--to", "2025-12-31"][..]),
        ("--to", &["list", "--from", "2025-01-01"][..]),
        ("--month", &["list"][..]),
        ("--from", &["export", "--format", "csv", "--to", "2025"][..]),
        ("--month", &["report"][..]),
    ] {
        for bad in [
            "2025-02-30",
            "2025-13",
            "0000-01-01",
            "99999",
            "2025-00",
            "2025-W54",
            "",
            "2025/06/17",
            "1850-01-01",
            "2101",
            "2025-06-17T00:00",
            "١٤٤٦",
        ] {
            if flag == "--month" && bad == "1850-01-01" {
                continue;
            }
            let mut args: Vec<&str> = cmd.to_vec();
            args.extend([flag, bad]);
            let mentions: &[&str] = match flag {
                "--date" => &["--date"],
                "--from" => &["--from"],
                "--to" => &["--to"],
                _ => &["--month"],
            };
            cases.push(data(&format!("{cmd:?} {flag} {bad:?}"), &args, mentions));
        }
    }
    cases.extend([
        add_data(
            "reversed --end-date",
            &["--end-date", "2024-12-08"],
            &["end date"],
        ),
        add_data(
            "impossible --end-date",
            &["--end-date", "2025-02-30"],
            &["--end-date"],
        ),
        data(
            "list: reversed --from/--to",
            &["list", "--from", "2025-07-01", "--to", "2025-06-01"],
            &["--to"],
        ),
        data(
            "report: reversed --from/--to",
            &["report", "--from", "2025-07", "--to", "2025-06"],
            &["--to"],
        ),
        data(
            "export: reversed --from/--to",
            &[
                "export", "--format", "csv", "--from", "2026", "--to", "2025",
            ],
            &["--to"],
        ),
        data(
            "list: --month a year",
            &["list", "--month", "2025"],
            &["--month"],
        ),
        data(
            "list: --month a day",
            &["list", "--month", "2025-06-01"],
            &["--month"],
        ),
        data(
            "edit: impossible --date",
            &["edit", "LIT-PCT", "--date", "2025-02-30"],
            &["--date"],
        ),
        data(
            "tally: impossible --period",
            &[
                "tally",
                "add",
                "--metric",
                "killings",
                "--value",
                "3",
                "--period",
                "2025-02-30",
            ],
            &["--period"],
        ),
        data(
            "tally: reversed --from/--to",
            &[
                "tally",
                "add",
                "--metric",
                "killings",
                "--value",
                "3",
                "--from",
                "2025-07-01",
                "--to",
                "2025-06-01",
            ],
            &["2025-07-01"],
        ),
    ]);
    run_cases(cases);
}

both!(bad_report_periods_are_refused_naming_the_flag);
fn bad_report_periods_are_refused_naming_the_flag() {
    let mut cases = Vec::new();
    for bad in [
        "2025-W00",
        "2025-W54",
        "2025-W",
        "2025-Wxx",
        "2025-06",
        "2025",
        "abc",
        "",
        "99999-W01",
        "2025-W5x",
    ] {
        cases.push(data(
            &format!("--week {bad:?}"),
            &["report", "--week", bad],
            &["--week"],
        ));
    }
    for bad in [
        "25", "2025-06", "99999", "0000", "", "1850", "2025-W01", "twenty",
    ] {
        cases.push(data(
            &format!("--year {bad:?}"),
            &["report", "--year", bad],
            &["--year"],
        ));
    }
    for bad in ["2025-13", "2025", "2025-06-01"] {
        cases.push(data(
            &format!("--month {bad:?}"),
            &["report", "--month", bad],
            &["--month"],
        ));
    }
    cases.extend([
        data(
            "no period",
            &["report", "--region", "Daraa"],
            &["--month", "--from"],
        ),
        data(
            "only --from",
            &["report", "--from", "2025-01-01"],
            &["--to"],
        ),
        usage(
            "--week with --month",
            &["report", "--week", "2025-W24", "--month", "2025-06"],
            &["--week"],
        ),
        usage(
            "--year with --from",
            &["report", "--year", "2025", "--from", "2025-01-01"],
            &["--year"],
        ),
        usage(
            "--format bogus",
            &["report", "--month", "2025-06", "--format", "pdf"],
            &["--format"],
        ),
        data(
            "unknown region",
            &["report", "--region", "Atlantis", "--month", "2025-06"],
            &["Atlantis"],
        ),
    ]);
    for bad in [
        "bogus",
        "",
        "month,,admin1",
        "month;admin1",
        "'; DROP TABLE incidents; --",
        "admin3",
    ] {
        cases.push(data(
            &format!("--group-by {bad:?}"),
            &[
                "report",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--group-by",
                bad,
            ],
            &["--group-by"],
        ));
    }
    run_cases(cases);
}

both!(bad_coordinates_are_refused);
fn bad_coordinates_are_refused() {
    let mut cases = Vec::new();
    for (lat, lon, field) in [
        ("NaN", "36.1", "lat"),
        ("inf", "36.1", "lat"),
        ("-inf", "36.1", "lat"),
        ("1e309", "36.1", "lat"),
        ("91", "36.1", "lat"),
        ("-90.000001", "36.1", "lat"),
        ("32.6", "NaN", "lon"),
        ("32.6", "181", "lon"),
        ("32.6", "-180.5", "lon"),
        ("32.6", "infinity", "lon"),
        ("123", "456", "lat"),
    ] {
        cases.push(add_data(
            &format!("add --lat {lat} --lon {lon}"),
            &["--lat", lat, "--lon", lon],
            match field {
                "lat" => &["lat"],
                _ => &["lon"],
            },
        ));
    }
    cases.extend([
        add_data("--lat without --lon", &["--lat", "32.6"], &["--lon"]),
        add_data("--lon without --lat", &["--lon", "36.1"], &["--lat"]),
        usage(
            "--lat not a number",
            &[
                "add",
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--lat",
                "north",
                "--lon",
                "36",
            ],
            &["--lat"],
        ),
        usage(
            "--lat empty",
            &[
                "add",
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--lat",
                "",
                "--lon",
                "36",
            ],
            &["--lat"],
        ),
        add_data(
            "--geo-precision 5",
            &["--geo-precision", "5"],
            &["--geo-precision"],
        ),
        add_data(
            "--geo-precision 0",
            &["--geo-precision", "0"],
            &["--geo-precision"],
        ),
        data(
            "edit: --lat 91",
            &["edit", "LIT-PCT", "--lat", "91", "--lon", "36"],
            &["lat"],
        ),
        data(
            "places add: --lat NaN",
            &["places", "add", "Nowhere", "--lat", "NaN", "--lon", "36"],
            &["lat"],
        ),
        data(
            "places add: --lon 200",
            &["places", "add", "Nowhere", "--lat", "32", "--lon", "200"],
            &["lon"],
        ),
    ]);
    for bad in [
        "1,2,3",
        "a,b,c,d",
        "10,0,5,1",
        "0,10,1,5",
        "-200,0,0,1",
        "0,-91,1,1",
        "0,0,1,91",
        "NaN,0,1,1",
        "0,0,inf,1",
        "",
        "1,2,3,4,5",
        "1;2;3;4",
        "'; DROP TABLE incidents; --",
    ] {
        cases.push(data(
            &format!("list --bbox {bad:?}"),
            &["list", "--bbox", bad],
            &["--bbox"],
        ));
    }
    cases.push(data(
        "export --bbox reversed",
        &["export", "--format", "geojson", "--bbox", "36,33,35,32"],
        &["--bbox"],
    ));
    cases.push(data(
        "report --bbox NaN",
        &["report", "--month", "2025-06", "--bbox", "NaN,NaN,NaN,NaN"],
        &["--bbox"],
    ));
    for bad in ["95,10", "10,200", "0,-181"] {
        cases.push(data(
            &format!("list --near {bad:?}"),
            &["list", "--near", bad],
            &["--near"],
        ));
    }
    // A negative latitude needs no `=` (as --bbox and --radius).
    cases.push(data(
        "list --near -91,0",
        &["list", "--near", "-91,0"],
        &["--near"],
    ));
    // Not two finite numbers, so taken as a place name.
    for bad in ["1,2,3", "NaN,1e999"] {
        cases.push(data(
            &format!("list --near {bad:?}"),
            &["list", "--near", bad],
            &[bad],
        ));
    }
    cases.push(data(
        "list --near an unknown place",
        &["list", "--near", "'; DROP TABLE incidents; --"],
        &["DROP TABLE"],
    ));
    for bad in [
        "-5km", "0", "0km", "abc", "1e9km", "NaN", "inf", "25 miles", "", "km", "-0.0", "20001km",
    ] {
        cases.push(data(
            &format!("list --radius {bad:?}"),
            &["list", "--near", "32.6,36.1", "--radius", bad],
            &["--radius"],
        ));
    }
    cases.push(usage(
        "--radius without --near",
        &["list", "--radius", "25km"],
        &["--near"],
    ));
    run_cases(cases);
}

both!(bad_limits_types_and_flags_are_refused);
fn bad_limits_types_and_flags_are_refused() {
    let mut cases = Vec::new();
    for bad in ["-1", "abc", "99999999999999999999999", "1.5", ""] {
        cases.push(usage(
            &format!("list --limit {bad:?}"),
            &["list", "--limit", bad],
            &[if bad.is_empty() { "--limit" } else { bad }],
        ));
    }
    cases.push(usage(
        "geocode --limit -1",
        &["geocode", "Daraa", "--limit", "-1"],
        &["-1"],
    ));
    for bad in [
        "Battle royale",
        "",
        "'; DROP TABLE incidents; --",
        "%",
        "Batt_es",
    ] {
        cases.push(add_data_type(bad));
        cases.push(data(
            &format!("list --type {bad:?}"),
            &["list", "--type", bad],
            &["event type"],
        ));
    }
    for (t, sub) in [
        ("battles", "air strike"),
        ("protests", "Armed clash"),
        ("battles", ""),
        ("battles", "%"),
        ("battles", "'; DROP TABLE incidents; --"),
    ] {
        // A blank --sub-type on add means unknown, like an empty cell on
        // import; as a filter it is an error (see below).
        if !sub.is_empty() {
            cases.push(data(
                &format!("add --type {t} --sub-type {sub:?}"),
                &[
                    "add",
                    "--date",
                    "2025-06-17",
                    "--type",
                    t,
                    "--sub-type",
                    sub,
                ],
                &["sub-event type"],
            ));
        }
        cases.push(data(
            &format!("list --type {t} --sub-type {sub:?}"),
            &["list", "--type", t, "--sub-type", sub],
            &["sub-event type"],
        ));
    }
    cases.extend([
        usage(
            "list --sub-type without --type",
            &["list", "--sub-type", "attack"],
            &["--type"],
        ),
        usage(
            "list --format bogus",
            &["list", "--format", "xml"],
            &["--format"],
        ),
        usage(
            "export --format bogus",
            &["export", "--format", "kml"],
            &["--format"],
        ),
        usage(
            "import --format bogus",
            &["import", "x.csv", "--format", "xlsx"],
            &["--format"],
        ),
        usage(
            "add --fatalities -1",
            &[
                "add",
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--fatalities",
                "-1",
            ],
            &["-1"],
        ),
        usage(
            "add --fatalities overflow",
            &[
                "add",
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--fatalities",
                "4294967296",
            ],
            &["--fatalities"],
        ),
        usage(
            "add --source-title without --source",
            &[
                "add",
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--source-title",
                "x",
            ],
            &["--source"],
        ),
        usage(
            "add without --date",
            &["add", "--type", "battles"],
            &["--date"],
        ),
        add_data(
            "civilian fatalities above the total",
            &["--fatalities", "2", "--civilian-fatalities", "5"],
            &["civilian"],
        ),
        add_data(
            "fatality estimates out of order",
            &["--fatalities", "5", "--fatalities-low", "9"],
            &["fatalities"],
        ),
        add_data(
            "--fatalities-low above --fatalities-high",
            &["--fatalities-low", "9", "--fatalities-high", "2"],
            &["fatalities"],
        ),
        data(
            "edit: unknown --clear field",
            &["edit", "LIT-PCT", "--clear", "bogus"],
            &["--clear"],
        ),
        data(
            "edit: unknown --type",
            &["edit", "LIT-PCT", "--type", "bogus"],
            &["event type"],
        ),
        data(
            "export gpkg without -o",
            &["export", "--format", "gpkg"],
            &["-o"],
        ),
        data(
            "export -o in a missing directory",
            &["export", "--format", "csv", "-o", "missing/dir/out.csv"],
            &["missing/dir/out.csv"],
        ),
        data(
            "tally: value NaN",
            &[
                "tally", "add", "--metric", "killings", "--value", "NaN", "--period", "2025-06",
            ],
            &["value"],
        ),
        data(
            "tally: value inf",
            &[
                "tally", "add", "--metric", "killings", "--value", "inf", "--period", "2025-06",
            ],
            &["value"],
        ),
        data(
            "tally: negative value",
            &[
                "tally", "add", "--metric", "killings", "--value", "-1", "--period", "2025-06",
            ],
            &["value"],
        ),
        data(
            "tally: empty metric",
            &[
                "tally", "add", "--metric", "", "--value", "1", "--period", "2025-06",
            ],
            &["metric"],
        ),
        data(
            "places add: empty name",
            &["places", "add", "", "--lat", "32", "--lon", "36"],
            &["name"],
        ),
    ]);
    for uid in SQL_META.iter().chain(&["", "LIT-%", "LIT-_CT", "lit-pct"]) {
        for cmd in ["show", "delete", "history"] {
            cases.push(data(&format!("{cmd} {uid:?}"), &[cmd, uid], &["not found"]));
        }
        cases.push(data(
            &format!("edit {uid:?}"),
            &["edit", uid, "--notes", "x"],
            &["not found"],
        ));
    }
    run_cases(cases);
}

fn add_data_type(t: &str) -> Case {
    data(
        &format!("add --type {t:?}"),
        &["add", "--date", "2025-06-17", "--type", t],
        &["event type"],
    )
}

both!(bad_text_is_refused_naming_the_field);
fn bad_text_is_refused_naming_the_field() {
    // Linux limits one argument to 128 KiB, so a 1 MB value can only come
    // from a file (see the import cases); 120 KB is over MAX_TEXT (100,000).
    let long = "x".repeat(120_000);
    let mut cases = Vec::new();
    for (flag, field) in [
        ("--title", "title"),
        ("--notes", "notes"),
        ("--actor1", "actor1"),
        ("--actor2", "actor2"),
        ("--assoc-actors", "assoc_actors"),
        ("--tag", "tag"),
        ("--source", "source"),
    ] {
        let mentions: &[&str] = match field {
            "title" => &["title"],
            "notes" => &["notes"],
            "actor1" => &["actor1"],
            "actor2" => &["actor2"],
            // The library names the field; the CLI names the flag typed.
            "assoc_actors" => &["--assoc-actors"],
            "tag" => &["tag"],
            _ => &["source"],
        };
        cases.push(add_data(
            &format!("{flag} of 120 KB"),
            &[flag, &long],
            mentions,
        ));
        for ctl in [
            "bell\u{7}",
            "esc\u{1b}[31m",
            "del\u{7f}",
            "\u{1}",
            "nel\u{85}",
        ] {
            cases.push(add_data(
                &format!("{flag} with control character {ctl:?}"),
                &[flag, ctl],
                mentions,
            ));
        }
    }
    for (flag, mention) in [
        ("--source-title", "source title"),
        ("--source-url", "source url"),
        ("--excerpt", "source excerpt"),
    ] {
        let mentions: &[&str] = match mention {
            "source title" => &["source title"],
            "source url" => &["source url"],
            _ => &["source excerpt"],
        };
        cases.push(add_data(
            &format!("{flag} with a control character"),
            &["--source", "SOHR", flag, "a\u{7}b"],
            mentions,
        ));
    }
    cases.extend([
        add_data("empty --uid", &["--uid", ""], &["uid"]),
        add_data(
            "--uid with SQL and spaces",
            &["--uid", "'; DROP TABLE incidents; --"],
            &["uid"],
        ),
        add_data("--uid of 101 bytes", &["--uid", &"u".repeat(101)], &["uid"]),
        add_data("--uid with a tab", &["--uid", "a\tb"], &["uid"]),
        add_data("--uid taken", &["--uid", "LIT-PCT"], &["LIT-PCT"]),
        add_data("--country a name", &["--country", "Syria"], &["country"]),
        add_data("--country empty", &["--country", ""], &["country"]),
        add_data(
            "--country SQL",
            &["--country", "'; DROP TABLE incidents; --"],
            &["country"],
        ),
        add_data("--country %_", &["--country", "%_"], &["country"]),
        add_data(
            "--region SQL",
            &["--region", "'; DROP TABLE incidents; --"],
            &["unknown region"],
        ),
        add_data("--region %", &["--region", "%"], &["unknown region"]),
        add_data(
            "--place SQL (geocoded)",
            &["--place", "'; DROP TABLE incidents; --"],
            &["DROP TABLE"],
        ),
    ]);
    for (flag, mention) in [("--country", "--country"), ("--region", "region")] {
        for bad in SQL_META {
            let mentions: &[&str] = if mention == "--country" {
                &["--country"]
            } else {
                &["region"]
            };
            cases.push(data(
                &format!("list {flag} {bad:?}"),
                &["list", flag, bad],
                mentions,
            ));
        }
    }
    // Invalid UTF-8 in arguments: the argument parser refuses it.
    let bad_utf8 = OsString::from_vec(b"caf\xe9 \xff\xfe".to_vec());
    let with = |args: &[&str], flag: &str| -> Vec<OsString> {
        let mut v: Vec<OsString> = args.iter().map(OsString::from).collect();
        v.push(flag.into());
        v.push(bad_utf8.clone());
        v
    };
    for flag in [
        "--title", "--notes", "--actor1", "--tag", "--place", "--uid",
    ] {
        cases.push(Case::os(
            &format!("add {flag} invalid UTF-8"),
            with(ADD, flag),
            Expect::Usage(words(&["UTF-8"])),
        ));
    }
    for flag in [
        "--text",
        "--actor",
        "--tag",
        "--region",
        "--country",
        "--near",
    ] {
        cases.push(Case::os(
            &format!("list {flag} invalid UTF-8"),
            with(&["list"], flag),
            Expect::Usage(words(&["UTF-8"])),
        ));
    }
    cases.push(Case::os(
        "geocode invalid UTF-8",
        vec!["geocode".into(), bad_utf8.clone()],
        Expect::Usage(words(&["UTF-8"])),
    ));
    run_cases(cases);
}

const NATIVE_HEADER: &str =
    "uid,event_type,sub_event_type,date_start,date_end,latitude,longitude,title,notes\n";
const NATIVE_ROW: &str = "X-1,Battles,Armed clash,2025-06-17,2025-06-17,32.6,36.1,Clash,none\n";

/// A native CSV file with the header, one good row, then `row`.
fn native(row: &str) -> Vec<u8> {
    format!("{NATIVE_HEADER}{NATIVE_ROW}{row}\n").into_bytes()
}

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,location,latitude,longitude,geo_precision,fatalities,notes,timestamp\n";

fn acled(row: &str) -> Vec<u8> {
    format!(
        "{ACLED_HEADER}SYR1,2025-06-17,2025,1,Battles,Armed clash,A,Daraa,32.6189,36.1021,1,3,n,1750701234\n{row}\n"
    )
    .into_bytes()
}

const UCDP_HEADER: &str = "id,type_of_violence,side_a,side_b,where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,date_prec,date_start,date_end,deaths_civilians,best,high,low,source_article\n";

fn ucdp(row: &str) -> Vec<u8> {
    format!("{UCDP_HEADER}1,1,A,B,1,Daraa,,,32.6,36.1,1,2016-01-01,2016-01-01,0,4,4,4,x\n{row}\n")
        .into_bytes()
}

/// A GeoJSON FeatureCollection with a good feature, then `feature`.
fn geojson(feature: &str) -> Vec<u8> {
    format!(
        r#"{{"type":"FeatureCollection","features":[
{{"type":"Feature","id":"G-1","geometry":{{"type":"Point","coordinates":[36.1,32.6]}},"properties":{{"event_type":"Battles","date_start":"2025-06-17","date_end":"2025-06-17"}}}},
{feature}
]}}"#
    )
    .into_bytes()
}

/// A feature with these extra properties (JSON members) at [36.1, 32.6].
fn feature(id: &str, props: &str) -> String {
    format!(
        r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":[36.1,32.6]}},"properties":{{"event_type":"Battles","date_start":"2025-06-17","date_end":"2025-06-17"{props}}}}}"#
    )
}

fn import(name: &str, file: &str, content: Vec<u8>, mentions: &[&str]) -> Case {
    data(name, &["import", file], mentions).file(file, content)
}

both!(bad_import_files_are_refused_naming_line_and_field);
fn bad_import_files_are_refused_naming_line_and_field() {
    let mega = "y".repeat(1_000_000);
    let with_nul = native("X-2,Battles,,2025-06-17,2025-06-17,,,a\0b,");
    let mut bad_utf8 = NATIVE_HEADER.as_bytes().to_vec();
    bad_utf8.extend_from_slice(NATIVE_ROW.as_bytes());
    bad_utf8.extend_from_slice(b"X-2,Battles,,2025-06-17,2025-06-17,,,caf\xe9 \xff,\n");
    let mut bad_utf8_geojson = geojson(&feature("G-2", r#","title":"caf"#));
    let at = bad_utf8_geojson
        .windows(9)
        .position(|w| w == b"\"title\":\"")
        .expect("title")
        + 12;
    bad_utf8_geojson.splice(at..at, [0xe9, 0xff, 0xfe]);
    let mut random = vec![0u8; 4096];
    let mut x: u32 = 0x2545_f491;
    for b in random.iter_mut() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    let cases = vec![
        // Our CSV.
        import(
            "csv: impossible date",
            "a.csv",
            native("X-2,Battles,,2025-02-30,2025-02-30,,,,"),
            &["line 3", "date_start"],
        ),
        import(
            "csv: month 13",
            "a.csv",
            native("X-2,Battles,,2025-13-01,2025-13-01,,,,"),
            &["line 3", "date_start"],
        ),
        import(
            "csv: year 0",
            "a.csv",
            native("X-2,Battles,,0000-01-01,0000-01-01,,,,"),
            &["line 3", "date"],
        ),
        import(
            "csv: year 99999",
            "a.csv",
            native("X-2,Battles,,99999-01-01,99999-01-01,,,,"),
            &["line 3", "date"],
        ),
        import(
            "csv: reversed range",
            "a.csv",
            native("X-2,Battles,,2025-07-01,2025-06-01,,,,"),
            &["line 3", "date"],
        ),
        import(
            "csv: empty date_end",
            "a.csv",
            native("X-2,Battles,,2025-07-01,,,,,"),
            &["line 3", "date_end"],
        ),
        import(
            "csv: latitude NaN",
            "a.csv",
            native("X-2,Battles,,2025-06-17,2025-06-17,NaN,36,,"),
            &["line 3", "latitude"],
        ),
        import(
            "csv: latitude inf",
            "a.csv",
            native("X-2,Battles,,2025-06-17,2025-06-17,inf,36,,"),
            &["line 3", "latitude"],
        ),
        import(
            "csv: longitude 1e400",
            "a.csv",
            native("X-2,Battles,,2025-06-17,2025-06-17,32,1e400,,"),
            &["line 3", "longitude"],
        ),
        import(
            "csv: latitude 123",
            "a.csv",
            native("X-2,Battles,,2025-06-17,2025-06-17,123,36,,"),
            &["line 3", "latitude"],
        ),
        import(
            "csv: latitude without longitude",
            "a.csv",
            native("X-2,Battles,,2025-06-17,2025-06-17,32,,,"),
            &["line 3", "longitude"],
        ),
        import(
            "csv: unknown event type",
            "a.csv",
            native("X-2,Battle royale,,2025-06-17,2025-06-17,,,,"),
            &["line 3", "event type"],
        ),
        import(
            "csv: empty event type",
            "a.csv",
            native("X-2,,,2025-06-17,2025-06-17,,,,"),
            &["line 3", "event_type"],
        ),
        import(
            "csv: unknown sub-type",
            "a.csv",
            native("X-2,Battles,Air/drone strike,2025-06-17,2025-06-17,,,,"),
            &["line 3", "sub-event type"],
        ),
        import(
            "csv: 1 MB title",
            "a.csv",
            native(&format!("X-2,Battles,,2025-06-17,2025-06-17,,,{mega},")),
            &["line 3", "title"],
        ),
        import(
            "csv: control character in notes",
            "a.csv",
            native("X-2,Battles,,2025-06-17,2025-06-17,,,,bell\u{7}"),
            &["line 3", "notes"],
        ),
        import("csv: NUL in title", "a.csv", with_nul, &["line 3", "title"]),
        import(
            "csv: invalid UTF-8",
            "a.csv",
            bad_utf8,
            &["line 3", "title", "UTF-8"],
        ),
        import(
            "csv: latin-1 with its iconv hint",
            "a.csv",
            b"uid,event_type,date_start,date_end,place\nX-1,Battles,2025-06-17,2025-06-17,Dar\xe2a\n"
                .to_vec(),
            &["line 2", "place", "iconv"],
        ),
        import(
            "csv: UTF-16",
            "a.csv",
            b"\xff\xfeu\0i\0d\0".to_vec(),
            &["UTF-16"],
        ),
        import(
            "csv: truncated inside a quoted field",
            "a.csv",
            native("X-2,Battles,,2025-06-17,2025-06-17,,,\"Clash in Taf"),
            &["line 3"],
        ),
        import(
            "csv: truncated mid-row",
            "a.csv",
            native("X-2,Battles,,2025-06-1"),
            &["line 3"],
        ),
        import(
            "csv: duplicate ids",
            "a.csv",
            native("X-1,Battles,,2025-06-18,2025-06-18,,,,"),
            &["line 3", "X-1"],
        ),
        data(
            "csv: missing required columns",
            &["import", "a.csv", "--format", "csv"],
            &["line 1", "event_type", "date_start"],
        )
        .file("a.csv", b"uid,title\nX-1,Clash\n".to_vec()),
        import("csv: empty file", "a.csv", Vec::new(), &["empty"]),
        import(
            "csv: bad fatalities",
            "a.csv",
            b"uid,event_type,date_start,date_end,fatalities\nX-1,Battles,2025-06-17,2025-06-17,-3\n"
                .to_vec(),
            &["line 2", "fatalities"],
        ),
        import(
            "csv: bad sources JSON",
            "a.csv",
            b"uid,event_type,date_start,date_end,sources\nX-1,Battles,2025-06-17,2025-06-17,[{\n"
                .to_vec(),
            &["line 2", "sources"],
        ),
        import(
            "csv: bad geo precision",
            "a.csv",
            b"uid,event_type,date_start,date_end,geo_precision\nX-1,Battles,2025-06-17,2025-06-17,7\n"
                .to_vec(),
            &["line 2", "geo precision"],
        ),
        import(
            "csv: SQL in uid",
            "a.csv",
            b"uid,event_type,date_start,date_end\n'; DROP TABLE incidents; --,Battles,2025-06-17,2025-06-17\n"
                .to_vec(),
            &["line 2", "uid"],
        ),
        data(
            "random bytes as CSV",
            &["import", "r.bin", "--format", "csv"],
            &["r.bin"],
        )
        .file("r.bin", random.clone()),
        data("random bytes, format undetected", &["import", "r.bin"], &["r.bin"])
            .file("r.bin", random.clone()),
        data(
            "missing file",
            &["import", "no-such-file.csv"],
            &["no-such-file.csv"],
        ),
        data("a directory", &["import", "."], &["."]),
        // ACLED.
        import(
            "acled: impossible date",
            "a.csv",
            acled("SYR2,2025-02-30,2025,1,Battles,,A,X,32.6,36.1,1,0,,"),
            &["line 3", "event_date"],
        ),
        import(
            "acled: time_precision 9",
            "a.csv",
            acled("SYR2,2025-06-17,2025,9,Battles,,A,X,32.6,36.1,1,0,,"),
            &["line 3", "time_precision"],
        ),
        import(
            "acled: latitude NaN",
            "a.csv",
            acled("SYR2,2025-06-17,2025,1,Battles,,A,X,NaN,36.1,1,0,,"),
            &["line 3", "latitude"],
        ),
        import(
            "acled: longitude out of range",
            "a.csv",
            acled("SYR2,2025-06-17,2025,1,Battles,,A,X,32.6,360,1,0,,"),
            &["line 3", "longitude"],
        ),
        import(
            "acled: unknown event type",
            "a.csv",
            acled("SYR2,2025-06-17,2025,1,Skirmish,,A,X,32.6,36.1,1,0,,"),
            &["line 3", "event type"],
        ),
        import(
            "acled: bad timestamp",
            "a.csv",
            acled("SYR2,2025-06-17,2025,1,Battles,,A,X,32.6,36.1,1,0,,yesterday"),
            &["line 3", "timestamp"],
        ),
        import(
            "acled: duplicate event ids",
            "a.csv",
            acled("SYR1,2025-06-18,2025,1,Battles,,A,X,32.6,36.1,1,0,,"),
            &["line 3", "SYR1"],
        ),
        import(
            "acled: year 0",
            "a.csv",
            acled("SYR2,0000-06-17,0,1,Battles,,A,X,32.6,36.1,1,0,,"),
            &["line 3", "date"],
        ),
        // UCDP GED.
        import(
            "ucdp: month 13",
            "a.csv",
            ucdp("2,1,A,B,1,X,,,32.6,36.1,1,2016-13-01,2016-13-01,0,1,1,1,x"),
            &["line 3", "date_start"],
        ),
        import(
            "ucdp: reversed range",
            "a.csv",
            ucdp("2,1,A,B,1,X,,,32.6,36.1,1,2016-02-01,2016-01-01,0,1,1,1,x"),
            &["line 3", "date"],
        ),
        import(
            "ucdp: where_prec 9",
            "a.csv",
            ucdp("2,1,A,B,9,X,,,32.6,36.1,1,2016-01-01,2016-01-01,0,1,1,1,x"),
            &["line 3", "where_prec"],
        ),
        import(
            "ucdp: type_of_violence 4",
            "a.csv",
            ucdp("2,4,A,B,1,X,,,32.6,36.1,1,2016-01-01,2016-01-01,0,1,1,1,x"),
            &["line 3", "type_of_violence"],
        ),
        import(
            "ucdp: best not a number",
            "a.csv",
            ucdp("2,1,A,B,1,X,,,32.6,36.1,1,2016-01-01,2016-01-01,0,many,1,1,x"),
            &["line 3", "best"],
        ),
        import(
            "ucdp: latitude -inf",
            "a.csv",
            ucdp("2,1,A,B,1,X,,,-inf,36.1,1,2016-01-01,2016-01-01,0,1,1,1,x"),
            &["line 3", "latitude"],
        ),
        import(
            "ucdp: truncated row",
            "a.csv",
            ucdp("2,1,A,B,1,X,,,32.6"),
            &["line 3"],
        ),
        import(
            "ucdp: duplicate ids",
            "a.csv",
            ucdp("1,1,A,B,1,X,,,32.6,36.1,1,2016-01-02,2016-01-02,0,1,1,1,x"),
            &["line 3", "UCDP-1"],
        ),
        // GeoJSON.
        import(
            "geojson: coordinates out of range",
            "a.geojson",
            geojson(
                r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[200,100]},"properties":{"event_type":"Battles","date_start":"2025-06-17","date_end":"2025-06-17"}}"#,
            ),
            &["feature 2", "latitude"],
        ),
        import(
            "geojson: NaN coordinates",
            "a.geojson",
            geojson(
                r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,1]},"properties":{"event_type":"Battles","date_start":"2025-06-17","date_end":"2025-06-17"}}"#,
            ),
            &["feature 2"],
        ),
        import(
            "geojson: a Point with one number",
            "a.geojson",
            geojson(
                r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[36]},"properties":{"event_type":"Battles","date_start":"2025-06-17","date_end":"2025-06-17"}}"#,
            ),
            &["feature 2"],
        ),
        import(
            "geojson: a Polygon",
            "a.geojson",
            geojson(
                r#"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":{"event_type":"Battles","date_start":"2025-06-17","date_end":"2025-06-17"}}"#,
            ),
            &["feature 2", "geometry"],
        ),
        import(
            "geojson: impossible date",
            "a.geojson",
            geojson(&feature("G-2", r#","date_start":"2025-02-30""#).replace(
                r#""date_start":"2025-06-17","#,
                "",
            )),
            &["feature 2", "date_start"],
        ),
        import(
            "geojson: unknown sub-type",
            "a.geojson",
            geojson(&feature("G-2", r#","sub_event_type":"Picnic""#)),
            &["feature 2", "sub-event type"],
        ),
        import(
            "geojson: 1 MB notes",
            "a.geojson",
            geojson(&feature("G-2", &format!(r#","notes":"{mega}""#))),
            &["feature 2", "notes"],
        ),
        import(
            "geojson: control character in title",
            "a.geojson",
            geojson(&feature("G-2", r#","title":"a\u0007b""#)),
            &["feature 2", "title"],
        ),
        import(
            "geojson: invalid UTF-8",
            "a.geojson",
            bad_utf8_geojson,
            &["feature 2"],
        ),
        import(
            "geojson: duplicate ids",
            "a.geojson",
            geojson(&feature("G-1", "")),
            &["feature 2", "G-1"],
        ),
        import(
            "geojson: truncated",
            "a.geojson",
            geojson(&feature("G-2", ""))[..300].to_vec(),
            &["truncated"],
        ),
        import(
            "geojson: fatalities a string",
            "a.geojson",
            geojson(&feature("G-2", r#","fatalities":"several""#)),
            &["feature 2", "fatalities"],
        ),
        import(
            "geojson: fatalities negative",
            "a.geojson",
            geojson(&feature("G-2", r#","fatalities":-2"#)),
            &["feature 2", "fatalities"],
        ),
        import(
            "geojson: not GeoJSON at all",
            "a.geojson",
            b"<kml></kml>".to_vec(),
            &["a.geojson"],
        ),
        import(
            "geojsonseq: garbage line",
            "a.geojsonl",
            format!(
                "\u{1e}{}\n\u{1e}{{\"type\":\"Feature\",\n",
                feature("S-1", "")
            )
            .into_bytes(),
            &["line 2"],
        ),
        import(
            "geojsonseq: duplicate ids",
            "a.geojsonl",
            format!("{}\n{}\n", feature("S-1", ""), feature("S-1", "")).into_bytes(),
            &["line 2", "S-1"],
        ),
        import(
            "geojsonseq: invalid UTF-8",
            "a.geojsonl",
            {
                let mut v = format!("{}\n", feature("S-1", "")).into_bytes();
                v.extend_from_slice(b"\xff\xfe{}\n");
                v
            },
            &["line 2"],
        ),
    ];
    run_cases(cases);
}

both!(bad_region_files_are_refused_naming_the_feature);
fn bad_region_files_are_refused_naming_the_feature() {
    let square =
        r#"{"type":"Polygon","coordinates":[[[36,32],[36.5,32],[36.5,32.5],[36,32.5],[36,32]]]}"#;
    let fc = |features: &str| format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#);
    let cases = vec![
        data(
            "regions: not a FeatureCollection",
            &["regions", "import", "r.geojson", "--name-field", "name"],
            &["FeatureCollection"],
        )
        .file("r.geojson", square),
        data(
            "regions: missing name field",
            &["regions", "import", "r.geojson", "--name-field", "name"],
            &["feature 0", "name"],
        )
        .file(
            "r.geojson",
            fc(&format!(
                r#"{{"type":"Feature","properties":{{"label":"x"}},"geometry":{square}}}"#
            )),
        ),
        data(
            "regions: a Point",
            &["regions", "import", "r.geojson", "--name-field", "name"],
            &["feature 0", "geometry"],
        )
        .file(
            "r.geojson",
            fc(
                r#"{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Point","coordinates":[36,32]}}"#,
            ),
        ),
        data(
            "regions: no geometry",
            &["regions", "import", "r.geojson", "--name-field", "name"],
            &["feature 0", "geometry"],
        )
        .file(
            "r.geojson",
            fc(r#"{"type":"Feature","properties":{"name":"x"},"geometry":null}"#),
        ),
        data(
            "regions: truncated",
            &["regions", "import", "r.geojson", "--name-field", "name"],
            &["r.geojson"],
        )
        .file(
            "r.geojson",
            fc(&format!(
                r#"{{"type":"Feature","properties":{{"name":"x"}},"geometry":{square}}}"#
            ))[..80]
                .to_string(),
        ),
        data(
            "regions: invalid UTF-8",
            &["regions", "import", "r.geojson", "--name-field", "name"],
            &["r.geojson"],
        )
        .file(
            "r.geojson",
            fc(&format!(
                r#"{{"type":"Feature","properties":{{"name":"caf\u00e9"}},"geometry":{square}}}"#
            ))
            .replace("\\u00e9", "\u{0}")
            .into_bytes()
            .into_iter()
            .map(|b| if b == 0 { 0xe9 } else { b })
            .collect::<Vec<u8>>(),
        ),
        data(
            "regions: NaN vertex",
            &["regions", "import", "r.geojson", "--name-field", "name"],
            &["r.geojson"],
        )
        .file(
            "r.geojson",
            fc(
                r#"{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[NaN,0],[1,0],[1,1],[NaN,0]]]}}"#,
            ),
        ),
        data(
            "regions: missing file",
            &["regions", "import", "nope.geojson", "--name-field", "name"],
            &["nope.geojson"],
        ),
        data(
            "places import: a GeoJSON file is not a GeoNames dump",
            &["places", "import", "r.geojson"],
            &["r.geojson"],
        )
        .file("r.geojson", fc("")),
    ];
    run_cases(cases);
}

/// A GeoJSON custom region: a circle of `n` vertices around (lat, lon).
fn circle(name: &str, lat: f64, lon: f64, radius_deg: f64, n: usize) -> String {
    let mut ring = String::with_capacity(n * 26);
    for i in 0..=n {
        let a = 2.0 * std::f64::consts::PI * (i % n) as f64 / n as f64;
        if i > 0 {
            ring.push(',');
        }
        ring.push_str(&format!(
            "[{:.7},{:.7}]",
            lon + radius_deg * a.cos(),
            lat + radius_deg * a.sin()
        ));
    }
    format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[{ring}]]}}}}]}}"#
    )
}

both!(a_million_vertex_region_imports_or_is_refused_cleanly);
/// Not documented in README.md: a custom region of a million vertices must
/// either be imported in reasonable time and then work like any region, or
/// be refused with a message naming the file (exit 1, database unchanged).
fn a_million_vertex_region_imports_or_is_refused_cleanly() {
    let s = session();
    s.file(
        "circle.geojson",
        circle("Circle AOI", 32.6, 36.1, 0.2, 1_000_000).as_bytes(),
    );
    let before = s.snapshot();
    let started = Instant::now();
    let out = s
        .cmd(&[
            "regions",
            "import",
            "circle.geojson",
            "--name-field",
            "name",
        ])
        .timeout(Duration::from_secs(180))
        .output()
        .expect("run");
    let took = started.elapsed();
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && code != 101,
        "panicked: {stderr}"
    );
    assert!(took < Duration::from_secs(120), "took {took:?}");
    match code {
        0 => {
            let inside = s.ok(&[
                "add",
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--lat",
                "32.6",
                "--lon",
                "36.1",
                "--uid",
                "INSIDE",
            ]);
            assert_eq!(inside.trim(), "INSIDE");
            s.ok(&[
                "add",
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                "--lat",
                "32.6",
                "--lon",
                "36.5",
                "--uid",
                "OUTSIDE",
            ]);
            let v = s.json(&["list", "--region", "Circle AOI"]);
            let uids: Vec<&str> = v
                .as_array()
                .expect("array")
                .iter()
                .filter_map(|i| i["uid"].as_str())
                .collect();
            assert!(uids.contains(&"INSIDE"), "{uids:?}");
            assert!(!uids.contains(&"OUTSIDE"), "{uids:?}");
        }
        1 => {
            assert!(stderr.contains("circle.geojson"), "{stderr}");
            assert_eq!(
                s.snapshot(),
                before,
                "a refused import changed the database"
            );
        }
        other => panic!("exit {other}: {stderr}"),
    }
}

/// Runs the binary on a database path that is not a usable database and
/// checks for a clean data error naming the path, with the file untouched.
fn check_unusable_database(db: &Path, what: &str, failures: &mut Vec<String>) {
    let before = std::fs::read(db).ok();
    for args in [
        &["list"][..],
        &["add", "--date", "2025-06-17", "--type", "battles"],
        &["report", "--month", "2025-06"],
        &["init"],
    ] {
        let out = assert_cmd::Command::cargo_bin("incidents")
            .expect("binary")
            .arg("--db")
            .arg(db)
            .args(args)
            .env_remove("INCIDENTS_DB")
            .timeout(Duration::from_secs(60))
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let name = format!("{what}: {args:?}");
        let file_name = db.file_name().and_then(OsStr::to_str).unwrap_or("?");
        if let Err(e) = check_output(
            &name,
            out.status.code().unwrap_or(-1),
            &stderr,
            &Expect::Data(Vec::new()),
        ) {
            failures.push(e);
        } else if !stderr.contains(file_name) {
            failures.push(format!(
                "{name}: the message does not name the database {file_name:?}:\n{stderr}"
            ));
        }
        if std::fs::read(db).ok() != before {
            failures.push(format!("{name}: the file was changed"));
        }
    }
}

#[test]
fn unusable_database_paths_are_refused_naming_the_path() {
    let s = Session::new();
    let mut failures = Vec::new();
    let dir = s.dir.path().join("a-directory.db");
    std::fs::create_dir(&dir).expect("dir");
    check_unusable_database(&dir, "a directory", &mut failures);

    let mut noise = vec![0u8; 64 * 1024];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for b in noise.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    let random = s.file("random.db", &noise);
    check_unusable_database(&random, "random bytes", &mut failures);

    let text = s.file("notes.db", b"These are my notes, not a database.\n");
    check_unusable_database(&text, "a text file", &mut failures);

    let real = std::fs::read(template().db_path()).expect("template");
    let truncated = s.file("truncated.db", &real[..real.len().min(8192)]);
    for args in [&["list"][..], &["report", "--month", "2025-06"]] {
        let out = assert_cmd::Command::cargo_bin("incidents")
            .expect("binary")
            .arg("--db")
            .arg(&truncated)
            .args(args)
            .env_remove("INCIDENTS_DB")
            .timeout(Duration::from_secs(60))
            .output()
            .expect("run");
        let code = out.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // The first pages may still answer; a damaged page must be an error.
        if stderr.contains("panicked") || !(code == 0 || code == 1) {
            failures.push(format!(
                "truncated database {args:?}: exit {code}: {stderr}"
            ));
        }
    }
    assert_eq!(
        std::fs::read(&truncated).expect("read"),
        &real[..real.len().min(8192)],
        "reading a truncated database changed it"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

both!(failed_export_leaves_no_partial_file);
/// An export that cannot be written says where and leaves no half-written
/// file behind (README: "an interrupted export never leaves a file that
/// looks whole").
fn failed_export_leaves_no_partial_file() {
    let s = session();
    std::fs::create_dir(s.dir.path().join("out.csv")).expect("dir");
    for target in [".", "out.csv"] {
        let e = s.fails(&["export", "--format", "csv", "-o", target]);
        assert!(e.contains(target), "{target}: {e}");
        let stray: Vec<String> = std::fs::read_dir(s.dir.path())
            .expect("read dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".partial"))
            .collect();
        assert!(stray.is_empty(), "-o {target} left {stray:?}");
    }
}

/// The incidents of `list` with a filter, as uids.
fn listed(s: &Session, args: &[&str]) -> Vec<String> {
    let mut a = vec!["list"];
    a.extend_from_slice(args);
    let v = s.json(&a);
    let mut uids: Vec<String> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["uid"].as_str().expect("uid").to_string())
        .collect();
    uids.sort();
    uids
}

/// Which incidents hold `needle` literally (ASCII case-insensitively, as
/// SQLite's LIKE) in any of `fields`.
fn literal_matches(all: &[Value], fields: &[&str], needle: &str) -> Vec<String> {
    let n = needle.to_ascii_lowercase();
    let mut uids: Vec<String> = all
        .iter()
        .filter(|i| {
            fields.iter().any(|f| {
                i[*f]
                    .as_str()
                    .is_some_and(|v| v.to_ascii_lowercase().contains(&n))
            })
        })
        .map(|i| i["uid"].as_str().expect("uid").to_string())
        .collect();
    uids.sort();
    uids
}

both!(sql_metacharacters_in_text_filters_match_literally);
fn sql_metacharacters_in_text_filters_match_literally() {
    let s = session();
    let before = s.snapshot();
    let all: Vec<Value> = s.json(&["list"]).as_array().expect("array").clone();
    assert!(all.len() >= 8, "{}", all.len());
    let mut failures = Vec::new();
    let mut check = |what: String, got: Vec<String>, want: Vec<String>| {
        if got != want {
            failures.push(format!("{what}: got {got:?}, expected {want:?}"));
        }
    };
    let needles: Vec<&str> = SQL_META
        .iter()
        .copied()
        .chain(["100%", "Unit_7", "o'neill", "C:\\temp\\%x", "%x", "_2025"])
        .collect();
    for needle in &needles {
        check(
            format!("--text {needle:?}"),
            listed(&s, &["--text", needle]),
            literal_matches(&all, &["title", "notes", "place"], needle),
        );
        check(
            format!("--actor {needle:?}"),
            listed(&s, &["--actor", needle]),
            literal_matches(&all, &["actor1", "actor2", "assoc_actors"], needle),
        );
        let mut tagged: Vec<String> = all
            .iter()
            .filter(|i| {
                i["tags"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t.as_str() == Some(needle)))
            })
            .map(|i| i["uid"].as_str().expect("uid").to_string())
            .collect();
        tagged.sort();
        check(
            format!("--tag {needle:?}"),
            listed(&s, &["--tag", needle]),
            tagged,
        );
    }
    // The literal incidents are found by exactly their own text.
    check(
        "--text 100%".into(),
        listed(&s, &["--text", "100%"]),
        vec!["LIT-PCT".into()],
    );
    check(
        "--tag with SQL".into(),
        listed(&s, &["--tag", "'; DROP TABLE incidents; --"]),
        vec!["LIT-QUOTES".into()],
    );
    check(
        "--actor Unit_7".into(),
        listed(&s, &["--actor", "Unit_7"]),
        vec!["LIT-UNDERSCORE".into()],
    );
    check(
        "--actor Unit%7 (no wildcard)".into(),
        listed(&s, &["--actor", "Unit%7"]),
        vec![],
    );
    // Reports and exports apply the same filters.
    for needle in ["%", "_", "'; DROP TABLE incidents; --", "100%"] {
        let want = literal_matches(&all, &["title", "notes", "place"], needle).len();
        let r = s.json(&["report", "--from", "1900", "--to", "2100", "--text", needle]);
        if r["incidents"].as_u64() != Some(want as u64) {
            failures.push(format!(
                "report --text {needle:?}: {} incidents, expected {want}",
                r["incidents"]
            ));
        }
        let csv = s.ok(&["export", "--format", "csv", "--text", needle]);
        let rows = csv.lines().filter(|l| !l.is_empty()).count() - 1;
        if rows != want {
            failures.push(format!(
                "export --text {needle:?}: {rows} rows, expected {want}"
            ));
        }
    }
    assert_eq!(s.snapshot(), before, "a filter changed the database");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

both!(sql_metacharacters_in_every_add_field_are_stored_literally);
/// Every text field of `add` stores SQL metacharacters as they were typed.
fn sql_metacharacters_in_every_add_field_are_stored_literally() {
    let s = session();
    let before = listed(&s, &[]).len();
    let mut failures = Vec::new();
    for (n, meta) in SQL_META.iter().enumerate() {
        let uid = format!("META-{n}");
        let out = s.run(&[
            "add",
            "--date",
            "2025-06-17",
            "--type",
            "battles",
            "--uid",
            &uid,
            "--lat",
            "32.6",
            "--lon",
            "36.1",
            "--title",
            meta,
            "--notes",
            meta,
            "--place",
            meta,
            "--actor1",
            meta,
            "--actor2",
            meta,
            "--assoc-actors",
            meta,
            "--tag",
            meta,
            "--source",
            meta,
            "--source-title",
            meta,
            "--source-url",
            meta,
            "--source-date",
            meta,
            "--excerpt",
            meta,
        ]);
        if out.code != 0 {
            failures.push(format!(
                "add with {meta:?}: exit {}: {}",
                out.code, out.stderr
            ));
            continue;
        }
        let v = s.json(&["show", &uid]);
        for f in [
            "title",
            "notes",
            "place",
            "actor1",
            "actor2",
            "assoc_actors",
        ] {
            if v[f].as_str() != Some(meta) {
                failures.push(format!("{meta:?}: {f} stored as {}", v[f]));
            }
        }
        if v["tags"] != serde_json::json!([meta]) {
            failures.push(format!("{meta:?}: tags stored as {}", v["tags"]));
        }
        let src = &v["sources"][0];
        for f in ["publisher", "title", "url", "published", "excerpt"] {
            if src[f].as_str() != Some(meta) {
                failures.push(format!("{meta:?}: source {f} stored as {}", src[f]));
            }
        }
        if listed(&s, &["--text", meta]).iter().all(|u| *u != uid) {
            failures.push(format!("{meta:?}: --text does not find {uid}"));
        }
    }
    // A uid may hold metacharacters as long as it has no spaces.
    let odd = "x'\"%_;--\\";
    let out = s.run(&[
        "add",
        "--date",
        "2025-06-17",
        "--type",
        "battles",
        "--uid",
        odd,
    ]);
    if out.code != 0 {
        failures.push(format!("uid {odd:?}: exit {}: {}", out.code, out.stderr));
    } else {
        assert_eq!(out.stdout.trim(), odd);
        assert_eq!(s.json(&["show", odd])["uid"], odd);
        let e = s.fails(&["show", "x'\"%_;--"]);
        assert!(e.contains("not found"), "{e}");
    }
    // Tallies and places keep their text too.
    let meta = "'; DROP TABLE incidents; --";
    s.ok(&[
        "tally", "add", "--metric", meta, "--value", "3", "--period", "2025-06", "--notes", meta,
        "--source", meta, "--place", meta,
    ]);
    let t = s.json(&["tally", "list"]);
    assert!(
        t.as_array()
            .expect("array")
            .iter()
            .any(|r| r["metric"] == meta && r["notes"] == meta),
        "{t}"
    );
    s.ok(&[
        "places",
        "add",
        "O'Brien_50% \"town\"",
        "--lat",
        "32.7",
        "--lon",
        "36.2",
    ]);
    let g = s.json(&["geocode", "O'Brien_50% \"town\""]);
    assert_eq!(g[0]["name"], "O'Brien_50% \"town\"", "{g}");
    // The tables are all still there, with every row.
    assert_eq!(
        listed(&s, &[]).len(),
        before + SQL_META.len() + 1 - failures.iter().filter(|f| f.contains("exit")).count()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

both!(custom_region_names_with_metacharacters_match_literally);
/// A custom region whose name holds metacharacters is found by exactly that
/// name, and a pattern does not find it.
fn custom_region_names_with_metacharacters_match_literally() {
    let s = session();
    let name = "AOI 50%_\"x'; --";
    let fc = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"{}"}},"geometry":{{"type":"Polygon","coordinates":[[[36.0,32.5],[36.2,32.5],[36.2,32.7],[36.0,32.7],[36.0,32.5]]]}}}}]}}"#,
        name.replace('"', "\\\"")
    );
    s.file("aoi.geojson", fc.as_bytes());
    s.ok(&["regions", "import", "aoi.geojson", "--name-field", "name"]);
    let inside = listed(&s, &["--region", name]);
    for uid in ["LIT-PCT", "LIT-UNDERSCORE", "LIT-QUOTES", "LIT-BACKSLASH"] {
        assert!(inside.contains(&uid.to_string()), "{uid} not in {inside:?}");
    }
    for pattern in ["AOI%", "AOI 50%", "AOI _0%_\"x'; --"] {
        let before = s.snapshot();
        let e = s.fails(&["list", "--region", pattern]);
        assert!(e.contains("unknown region"), "{pattern}: {e}");
        assert_eq!(s.snapshot(), before);
    }
}

both!(empty_text_flags_are_unknown_not_empty_strings);
/// Empty text is unknown (README: "Empty cells are unknown"): `add` either
/// refuses an empty value or stores nothing, never an empty string that an
/// export then turns into null.
fn empty_text_flags_are_unknown_not_empty_strings() {
    let s = session();
    let mut failures = Vec::new();
    for (flag, field) in [
        ("--title", "title"),
        ("--notes", "notes"),
        ("--actor1", "actor1"),
        ("--actor2", "actor2"),
        ("--assoc-actors", "assoc_actors"),
        ("--tag", "tags"),
    ] {
        for value in ["", "   "] {
            let before = s.snapshot();
            let out = s.run(&[
                "add",
                "--date",
                "2025-06-17",
                "--type",
                "battles",
                flag,
                value,
            ]);
            if out.code != 0 {
                let mentions: &[&str] = &[];
                if let Err(e) =
                    check_output(flag, out.code, &out.stderr, &Expect::Data(words(mentions)))
                {
                    failures.push(e);
                } else if !out.stderr.contains(field.trim_end_matches('s')) {
                    failures.push(format!("{flag} {value:?}: {}", out.stderr));
                } else if s.snapshot() != before {
                    failures.push(format!("{flag} {value:?}: database changed"));
                }
                continue;
            }
            let v = s.json(&["show", out.stdout.trim()]);
            let stored = &v[field];
            let unknown = stored.is_null() || stored.as_array().is_some_and(|a| a.is_empty());
            if !unknown {
                failures.push(format!(
                    "add {flag} {value:?}: stored {stored}, expected unknown (null) or a refusal"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

both!(import_reads_a_file_whose_name_is_not_utf8);
/// A file whose name is not UTF-8 is still read (Linux allows any bytes).
fn import_reads_a_file_whose_name_is_not_utf8() {
    let s = session();
    let name = OsStr::from_bytes(b"caf\xe9-\xff.csv");
    let path = s.dir.path().join(name);
    std::fs::write(
        &path,
        "uid,event_type,date_start,date_end\nNAME-1,Battles,2025-06-17,2025-06-17\n",
    )
    .expect("write");
    let out = s.cmd(&["import"]).arg(&path).output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(s.json(&["show", "NAME-1"])["uid"], "NAME-1");
}

both!(header_only_files_import_nothing);
/// Files with only a header (or no features) import nothing and say so.
fn header_only_files_import_nothing() {
    let mut failures = Vec::new();
    for (file, content) in [
        ("h.csv", NATIVE_HEADER.to_string()),
        ("h-acled.csv", ACLED_HEADER.to_string()),
        ("h-ucdp.csv", UCDP_HEADER.to_string()),
        (
            "h.geojson",
            r#"{"type":"FeatureCollection","features":[]}"#.to_string(),
        ),
        ("h.geojsonl", "\n\n".to_string()),
    ] {
        let s = session();
        s.file(file, content.as_bytes());
        let before = s.snapshot();
        let out = s.run(&["import", file]);
        if out.code != 0 {
            failures.push(format!("{file}: exit {}: {}", out.code, out.stderr));
            continue;
        }
        if !out.stdout.contains(": 0 rows, 0 new") {
            failures.push(format!("{file}: {}", out.stdout));
        }
        if s.snapshot() != before {
            failures.push(format!("{file}: the database changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

both!(odd_but_valid_filter_values_have_documented_results);
/// Documented non-error results of odd filter values.
fn odd_but_valid_filter_values_have_documented_results() {
    let s = session();
    let all = listed(&s, &[]);
    assert_eq!(listed(&s, &["--limit", "0"]), Vec::<String>::new());
    assert_eq!(listed(&s, &["--text", ""]), all, "empty text matches all");
    assert_eq!(listed(&s, &["--bbox", "-180,-90,180,90"]).len(), {
        let v = s.json(&["list"]);
        v.as_array()
            .expect("array")
            .iter()
            .filter(|i| !i["latitude"].is_null())
            .count()
    });
    assert_eq!(
        listed(&s, &["--country", "sy"]),
        listed(&s, &["--country", "SY"]),
        "country codes are case-insensitive"
    );
    assert_eq!(listed(&s, &["--country", "ZZ"]), Vec::<String>::new());
    // A zero-area box and a tiny radius are valid and select what they cover.
    assert_eq!(
        listed(&s, &["--bbox", "36.1,32.62,36.1,32.62"]),
        vec!["LIT-BACKSLASH", "LIT-PCT", "LIT-QUOTES", "LIT-UNDERSCORE"]
    );
    assert_eq!(
        listed(&s, &["--near", "32.62,36.1", "--radius", "1m"]),
        vec!["LIT-BACKSLASH", "LIT-PCT", "LIT-QUOTES", "LIT-UNDERSCORE"]
    );
    let empty = s.run(&["report", "--month", "1950-01", "--format", "json"]);
    assert_eq!(empty.code, 0, "{}", empty.stderr);
    assert!(empty.stderr.contains("no incidents"), "{}", empty.stderr);
    // Southern and western coordinates need no `=`, as with --bbox.
    let south = s.run(&["list", "--near", "-33.92,18.42", "--format", "json"]);
    assert_eq!(south.code, 0, "--near -33.92,18.42: {}", south.stderr);
}
