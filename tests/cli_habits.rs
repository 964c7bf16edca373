//! The habits of a good CLI (issue 17): shell completions that real shells
//! load, a manual page that renders and names every command, `-` for
//! standard input and output wherever a file is read or written, progress
//! bars only on a terminal, and NO_COLOR honoured. Terminals are real
//! pseudo-terminals (util-linux `script`); shells are real shells.
mod common;

use std::path::Path;
use std::process::Command as Process;

use common::{DB_ENV, Output, Session, both, fixture};

/// A path as the &str the command line takes.
fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("incidents")
}

/// Runs with `input` on standard input.
fn with_stdin(s: &Session, args: &[&str], input: &[u8]) -> Output {
    let mut c = s.cmd(args);
    c.write_stdin(input.to_vec());
    Output::of(&mut c)
}

/// Quotes a word for `sh -c`.
fn sh_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// What a person at a terminal sees (stdout and stderr together, as the
/// terminal shows them) when `shell_line` runs on a pseudo-terminal, with
/// `NO_COLOR` as given (`None`: unset).
fn on_terminal(dir: &Path, shell_line: &str, no_color: Option<&str>) -> String {
    let mut c = Process::new("script");
    c.args(["-qec", shell_line, "/dev/null"])
        .current_dir(dir)
        .env("SHELL", "/bin/sh")
        .stdin(std::process::Stdio::null());
    for var in DB_ENV {
        c.env_remove(var);
    }
    match no_color {
        Some(v) => c.env("NO_COLOR", v),
        None => c.env_remove("NO_COLOR"),
    };
    let out = c
        .output()
        .expect("run script (util-linux) for a pseudo-terminal");
    let screen = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{shell_line} failed on a terminal:\n{screen}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    screen
}

/// The shell line that runs the binary on the session's database.
fn line(s: &Session, args: &[&str]) -> String {
    let mut words = vec![sh_quote(arg(&bin())), "--db".into(), sh_quote(&s.db_arg())];
    words.extend(args.iter().map(|a| sh_quote(a)));
    words.join(" ")
}

/// The top-level commands, as `--help` lists them.
fn subcommands(s: &Session) -> Vec<String> {
    let help = s.ok(&["--help"]);
    let names: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 20, "{names:?}");
    names
}

/// The database's incidents as CSV without the times of writing (which
/// differ between two imports of the same rows), sorted.
fn content(s: &Session) -> Vec<String> {
    let csv = s.ok(&["export", "--format", "csv", "--status", "all"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header = r.headers().expect("header").clone();
    let keep: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| !["created_at", "updated_at"].contains(h))
        .map(|(i, _)| i)
        .collect();
    let mut rows: Vec<String> = r
        .records()
        .map(|rec| {
            let rec = rec.expect("a CSV row");
            keep.iter().map(|&i| &rec[i]).collect::<Vec<_>>().join("|")
        })
        .collect();
    rows.sort();
    rows
}

/// The import summary after the input's name (`x.csv (Csv): 3 rows, ...`).
fn summary_counts(stdout: &str) -> String {
    let last = stdout.lines().last().expect("a summary line");
    last.split_once(" (")
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_else(|| panic!("no summary in {stdout}"))
}

const NATIVE_CSV: &str = "\
uid,title,event_type,sub_event_type,date_start,date_end,date_precision,place,latitude,longitude,fatalities,tags
CSV-0001,Clash in Tafas,Battles,Armed clash,2025-06-18,2025-06-18,day,Tafas,32.7378,35.9725,3,daraa;clash
CSV-0002,\"Shelling on Al-Mazraa, As-Sweida\",Explosions/Remote violence,Shelling/artillery/missile attack,2025-07-14,2025-07-20,week,Al-Mazraa,32.7806,36.4789,,sweida
CSV-0003,Protest with no place,Protests,Peaceful protest,2025-07-02,2025-07-02,day,,,,,
";

const GEOJSON: &str = r#"{
"type": "FeatureCollection",
"features": [
{ "type": "Feature", "id": "GJ-0001", "geometry": { "type": "Point", "coordinates": [36.1021, 32.6189] }, "properties": { "event_type": "Battles", "date_start": "2025-06-18", "date_end": "2025-06-18", "place": "Daraa", "fatalities": 3 } },
{ "type": "Feature", "id": "GJ-0002", "geometry": { "type": "Point", "coordinates": [44.4611, 33.3875] }, "properties": { "event_type": "Protests", "date_start": "2025-06-01", "date_end": "2025-06-30", "date_precision": "month", "place": "Sadr City" } }
]
}
"#;

// --- completions ---

#[test]
fn bash_loads_the_completions_and_completes_commands_and_values() {
    let script = format!(
        r#"source <({bin} completions bash)
complete -p incidents
COMP_WORDS=(incidents imp); COMP_CWORD=1; _incidents incidents imp incidents
echo "commands: ${{COMPREPLY[*]}}"
COMP_WORDS=(incidents export --format ""); COMP_CWORD=3; _incidents incidents "" --format
echo "formats: ${{COMPREPLY[*]}}""#,
        bin = sh_quote(arg(&bin()))
    );
    let out = Process::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("-F _incidents incidents"), "{stdout}");
    assert!(stdout.contains("commands: import"), "{stdout}");
    for format in ["geojson", "geojsonseq", "csv", "acled", "gpkg"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with("formats:") && l.split(' ').any(|w| w == format)),
            "{format}: {stdout}"
        );
    }
}

#[test]
fn zsh_and_fish_load_the_completions() {
    let s = Session::new();
    let dir = s.dir.path();
    if common::installed("zsh") {
        let script = dir.join("_incidents");
        std::fs::write(&script, s.ok(&["completions", "zsh"])).unwrap();
        let out = Process::new("zsh")
            .args(["-c", "autoload -U compinit && compinit -u && source \"$1\" && print -r -- ${_comps[incidents]}", "zsh", arg(&script)])
            .env("HOME", dir)
            .output()
            .expect("zsh");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.trim() == "_incidents",
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    if common::installed("fish") {
        let script = dir.join("incidents.fish");
        std::fs::write(&script, s.ok(&["completions", "fish"])).unwrap();
        let bin_dir = bin().parent().unwrap().to_path_buf();
        let out = Process::new("fish")
            .args([
                "-c",
                "source $argv[1]; complete -C'incidents imp'; complete -C'incidents export --format '",
                arg(&script),
            ])
            .env("HOME", dir)
            .env("PATH", format!("{}:/usr/bin:/bin", bin_dir.display()))
            .output()
            .expect("fish");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let first: Vec<&str> = stdout
            .lines()
            .filter_map(|l| l.split('\t').next())
            .collect();
        assert!(first.contains(&"import"), "{stdout}");
        assert!(
            first.contains(&"gpkg") && first.contains(&"acled"),
            "{stdout}"
        );
    }
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    let s = Session::new();
    let commands = subcommands(&s);
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = s.ok(&["completions", shell]);
        for c in &commands {
            assert!(script.contains(c.as_str()), "{shell}: no {c}");
        }
    }
    let err = s.run(&["completions", "tcsh"]);
    assert_eq!(err.code, 2, "an unknown shell is a usage error");
    assert!(err.stderr.contains("bash"), "{}", err.stderr);
}

// --- the manual ---

#[test]
fn the_manual_is_one_page_with_a_section_per_command_that_man_renders() {
    let s = Session::new();
    let page = s.ok(&["man"]);
    assert!(
        page.lines().any(|l| l.starts_with(".TH INCIDENTS 1")),
        "{}",
        &page[..page.len().min(400)]
    );
    let headings: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix(".SS \""))
        .filter_map(|l| l.strip_suffix('"'))
        .collect();
    for c in subcommands(&s) {
        assert!(
            headings.contains(&format!("incidents {c}").as_str()),
            "no section for {c}: {headings:?}"
        );
    }
    // Nested commands have theirs; clap's `help` commands are not documented.
    assert!(
        headings.contains(&"incidents places import"),
        "{headings:?}"
    );
    assert!(
        !headings.iter().any(|h| h.contains(" help")),
        "{headings:?}"
    );
    for section in [
        ".SH OPTIONS",
        ".SH COMMANDS",
        ".SH ENVIRONMENT",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    // One preamble, not one per rendered section.
    assert_eq!(page.matches(".ds Aq \\(aq").count(), 1);

    if common::installed("groff") {
        let path = s.file("incidents.1", page.as_bytes());
        let out = Process::new("groff")
            .args(["-k", "-man", "-Tutf8", "-ww", arg(&path)])
            .output()
            .expect("groff");
        let text = String::from_utf8_lossy(&out.stdout);
        let warnings = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && warnings.is_empty(), "{warnings}");
        let seen = readable(&text);
        for c in subcommands(&s) {
            assert!(seen.contains(&format!("incidents {c}")), "{c} not rendered");
        }
        assert!(seen.contains("NO_COLOR") && seen.contains("EXIT STATUS"));
    }
}

/// What a reader sees of a rendered page: without groff's overstrike
/// (`x\bx` for bold, `_\bx` for italics), one space between words (a
/// justified line has more) and ASCII hyphens.
fn readable(page: &str) -> String {
    strip_overstrike(page)
        .replace('\u{2010}', "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn strip_overstrike(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 2 < chars.len() && chars[i + 1] == '\u{8}' {
            out.push(chars[i + 2]);
            i += 3;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn man_dir_writes_a_page_per_command_that_man_reads() {
    let s = Session::new();
    let dir = s.dir.path().join("man1");
    std::fs::create_dir(&dir).unwrap();
    let said = s.ok(&["man", "--dir", arg(&dir)]);
    assert!(said.contains("manual pages"), "{said}");
    let top = std::fs::read_to_string(dir.join("incidents.1")).unwrap();
    assert!(top.contains(".TH INCIDENTS 1"), "{top}");
    for c in subcommands(&s) {
        let page = dir.join(format!("incidents-{c}.1"));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(
            text.contains(&format!(".TH INCIDENTS-{} 1", c.to_uppercase())),
            "{c}"
        );
        // The top page lists it as a page to read.
        assert!(top.contains(&format!("incidents\\-{c}(1)")), "{c}");
    }
    assert!(dir.join("incidents-places-import.1").exists());
    assert!(!dir.join("incidents-help.1").exists());
    if common::installed("man") {
        let out = Process::new("man")
            .args(["-l", arg(&dir.join("incidents-import.1"))])
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .expect("man");
        let text = readable(&String::from_utf8_lossy(&out.stdout));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("incidents import"), "{text}");
        assert!(text.contains("standard input"), "{text}");
    }
    let err = s.fails(&["man", "--dir", arg(&dir.join("missing"))]);
    assert!(err.contains("--dir") && err.contains("directory"), "{err}");
}

// --- `-` for standard input and output ---

both!(import_from_stdin_equals_importing_the_file);
fn import_from_stdin_equals_importing_the_file() {
    let from_file = Session::new();
    let file = from_file.file("native.csv", NATIVE_CSV.as_bytes());
    let by_file = from_file.ok(&["import", arg(&file)]);
    let from_stdin = Session::new();
    let out = with_stdin(
        &from_stdin,
        &["import", "-", "--format", "csv"],
        NATIVE_CSV.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("<stdin> (Csv)"), "{}", out.stdout);
    assert_eq!(summary_counts(&out.stdout), summary_counts(&by_file));
    assert_eq!(content(&from_stdin), content(&from_file));
    assert_eq!(content(&from_file).len(), 3);

    // Without --format the content tells.
    let sniffed = Session::new();
    let out = with_stdin(&sniffed, &["import", "-"], NATIVE_CSV.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(content(&sniffed), content(&from_file));
}

both!(acled_and_geojson_from_stdin_equal_their_files);
fn acled_and_geojson_from_stdin_equal_their_files() {
    let acled = std::fs::read(fixture("acled_sample.csv")).unwrap();
    for (name, bytes, format) in [
        ("acled_sample.csv", acled.as_slice(), "(Acled)"),
        ("points.geojson", GEOJSON.as_bytes(), "(Geojson)"),
    ] {
        let from_file = Session::new();
        let file = from_file.file(name, bytes);
        let by_file = from_file.ok(&["import", arg(&file)]);
        let from_stdin = Session::new();
        let out = with_stdin(&from_stdin, &["import", "-"], bytes);
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        assert!(out.stdout.contains(format), "{name}: {}", out.stdout);
        assert_eq!(
            summary_counts(&out.stdout),
            summary_counts(&by_file),
            "{name}"
        );
        assert_eq!(content(&from_stdin), content(&from_file), "{name}");
        assert!(!content(&from_file).is_empty());
    }
}

both!(stdin_import_errors_name_stdin_and_the_row);
fn stdin_import_errors_name_stdin_and_the_row() {
    let s = Session::new();
    s.ok(&["init"]);
    let before = s.snapshot();
    let bad = NATIVE_CSV.replace("2025-07-14,2025-07-20", "2025-07-14,2025-13-20");
    let out = with_stdin(&s, &["import", "-", "--format", "csv"], bad.as_bytes());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("<stdin>: line 3"), "{}", out.stderr);
    assert!(out.stderr.contains("date_end"), "{}", out.stderr);

    // Content that no format's header names: the error says --format.
    let out = with_stdin(&s, &["import", "-"], b"a,b\n1,2\n");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("<stdin>") && out.stderr.contains("--format csv|acled"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("standard input"), "{}", out.stderr);

    let out = with_stdin(&s, &["import", "-", "--format", "csv"], b"");
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("<stdin>: byte 0"), "{}", out.stderr);

    // --skip-invalid puts rejected rows beside the file; stdin has none.
    let out = with_stdin(&s, &["import", "-", "--skip-invalid"], bad.as_bytes());
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("--rejects"), "{}", out.stderr);
    let out = with_stdin(
        &s,
        &["import", "-", "--skip-invalid", "--rejects", "-"],
        bad.as_bytes(),
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("--rejects") && out.stderr.contains("summary"),
        "{}",
        out.stderr
    );
    assert_eq!(s.snapshot(), before, "nothing imported");

    let out = with_stdin(
        &s,
        &["import", "-", "--skip-invalid", "--rejects", "rejects.csv"],
        bad.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("2 new") && out.stdout.contains("1 rejected"),
        "{}",
        out.stdout
    );
    let rejects = std::fs::read_to_string(s.dir.path().join("rejects.csv")).unwrap();
    assert!(
        rejects.contains("line 3") && rejects.contains("date_end"),
        "{rejects}"
    );
}

both!(a_database_file_on_stdin_is_refused_with_what_to_do);
fn a_database_file_on_stdin_is_refused_with_what_to_do() {
    let s = Session::seeded();
    let copy = s.dir.path().join("copy.db");
    s.ok(&["backup", arg(&copy)]);
    let other = Session::new();
    other.ok(&["init"]);
    let out = with_stdin(&other, &["import", "-"], &std::fs::read(&copy).unwrap());
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("standard input") && out.stderr.contains("save it to a file"),
        "{}",
        out.stderr
    );
}

both!(deletions_from_stdin);
fn deletions_from_stdin() {
    let s = Session::new();
    s.ok(&["import", arg(&fixture("acled_sample.csv"))]);
    let csv = s.ok(&["export", "--format", "acled"]);
    let first_id = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let list = format!("event_id_cnty,deleted_timestamp\n{first_id},1700000000\n");
    let out = with_stdin(&s, &["import", "-", "--deletions"], list.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("<stdin> (deletions): 1 rows, 1 deleted"),
        "{}",
        out.stdout
    );
}

both!(export_dash_equals_export_to_stdout);
fn export_dash_equals_export_to_stdout() {
    let s = Session::seeded();
    for format in ["csv", "acled", "geojson", "geojsonseq"] {
        let plain = s.ok(&["export", "--format", format]);
        let dash = s.ok(&["export", "--format", format, "-o", "-"]);
        assert!(!plain.is_empty(), "{format}");
        assert_eq!(dash, plain, "{format}");
    }
    assert!(!s.dir.path().join("-").exists(), "no file named -");
    for args in [
        &["export", "--format", "gpkg", "-o", "-"][..],
        &["export", "--format", "gpkg"][..],
    ] {
        let err = s.fails(args);
        assert!(
            err.contains("-o") && err.contains("GeoPackage") && err.contains("file"),
            "{err}"
        );
    }
}

both!(places_and_regions_import_from_stdin);
fn places_and_regions_import_from_stdin() {
    let s = Session::new();
    s.ok(&["init"]);
    let place = [
        "90000009",
        "Khirbet Stdin",
        "Khirbet Stdin",
        "",
        "32.6500",
        "36.2000",
        "P",
        "PPL",
        "SY",
        "",
        "12",
        "",
        "",
        "",
        "1234",
        "",
        "600",
        "Asia/Damascus",
        "2024-01-01",
    ]
    .join("\t");
    let out = with_stdin(&s, &["places", "import", "-"], place.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("imported 1 places from <stdin>"),
        "{}",
        out.stdout
    );
    let v = s.json(&["geocode", "Khirbet Stdin"]);
    assert_eq!(v[0]["name"], "Khirbet Stdin");

    let square = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
      "properties": {"name": "Stdin Square"},
      "geometry": {"type": "Polygon", "coordinates": [[[36.0, 32.5], [36.2, 32.5], [36.2, 32.7], [36.0, 32.7], [36.0, 32.5]]]}}]}"#;
    let out = with_stdin(
        &s,
        &["regions", "import", "-", "--name-field", "name"],
        square.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("imported 1 custom regions from <stdin>"),
        "{}",
        out.stdout
    );
    let regions = s.ok(&["regions", "list", "--format", "csv"]);
    assert!(regions.contains("Stdin Square"), "{regions}");

    // A broken one names standard input and where.
    let out = with_stdin(
        &s,
        &["regions", "import", "-", "--name-field", "name"],
        b"{\"type\": \"FeatureColl",
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("<stdin>: line 1"), "{}", out.stderr);
}

both!(backup_dash_writes_a_database_to_stdout);
fn backup_dash_writes_a_database_to_stdout() {
    let s = Session::seeded();
    let out = s.cmd(&["backup", "-"]).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.starts_with(b"SQLite format 3\0"));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("to <stdout>"),
        "the note goes to stderr"
    );
    // What came out is a whole database: another one imports it.
    let copy = s.file("from-stdout.db", &out.stdout);
    let other = Session::new();
    other.ok(&["import", arg(&copy)]);
    assert_eq!(content(&other), content(&s));
    assert!(!s.dir.path().join("-").exists(), "no file named -");
}

#[test]
fn backup_dash_refuses_a_terminal() {
    let s = Session::seeded();
    let screen = on_terminal(
        s.dir.path(),
        &format!("{} || echo exit=$?", line(&s, &["backup", "-"])),
        None,
    );
    assert!(screen.contains("exit=1"), "{screen}");
    assert!(screen.contains("not written to a terminal"), "{screen}");
    assert!(!screen.contains("SQLite format"), "{screen}");
}

#[test]
fn a_database_is_never_a_dash() {
    let s = Session::new();
    let out = Output::of(&mut s.cmd_at("-", &["list"]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let err = out.stderr;
    assert!(
        err.contains("--db") && err.contains("standard input"),
        "{err}"
    );
    let err = s.fails(&["demo", "-"]);
    assert!(err.contains("PATH") && err.contains("./-"), "{err}");
    assert!(!s.dir.path().join("-").exists());
}

#[test]
fn extract_from_stdin_names_stdin() {
    let s = Session::new();
    let report = "Gunmen shot dead a farmer in the town of Nawa in the western Daraa countryside on Monday, local sources said.\n";
    let out = with_stdin(
        &s,
        &["extract", "-", "--published", "2025-06-10", "--dry-run"],
        report.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("from <stdin>"), "{}", out.stdout);
    let out = with_stdin(
        &s,
        &["extract", "-", "--published", "2025-06-10"],
        b"\0\x01binary",
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("<stdin>: whole file"), "{}", out.stderr);
}

// --- progress ---

/// A CSV of `n` incidents, as bytes.
fn many(n: usize) -> String {
    let mut csv = String::from(
        "uid,event_type,sub_event_type,date_start,date_end,date_precision,latitude,longitude\n",
    );
    for i in 0..n {
        csv.push_str(&format!(
            "P-{i:05},Battles,Armed clash,2025-06-17,2025-06-17,day,32.62,36.1\n"
        ));
    }
    csv
}

#[test]
fn no_progress_is_drawn_when_stderr_is_not_a_terminal() {
    let s = Session::new();
    let file = s.file("many.csv", many(2000).as_bytes());
    let out = s.run(&["import", arg(&file)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let exported = s.run(&["export", "--format", "csv", "-o", "out.csv"]);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let piped = with_stdin(&s, &["import", "-"], many(10).as_bytes());
    for stderr in [&out.stderr, &exported.stderr, &piped.stderr] {
        assert!(!stderr.contains('\r'), "{stderr:?}");
        assert!(!stderr.contains("ETA"), "{stderr:?}");
        assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    }
}

both!(on_a_terminal_imports_and_exports_show_a_bar_with_a_total_and_an_eta);
fn on_a_terminal_imports_and_exports_show_a_bar_with_a_total_and_an_eta() {
    let s = Session::new();
    let data = many(2000);
    let file = s.file("many.csv", data.as_bytes());
    let size = data.len() as f64 / 1024.0;
    let total = format!("/{size:.2} KiB");

    let screen = on_terminal(s.dir.path(), &line(&s, &["import", arg(&file)]), None);
    assert!(screen.contains("importing"), "{screen}");
    assert!(screen.contains(&total), "{total}: {screen}");
    assert!(screen.contains("ETA"), "{screen}");
    assert!(screen.contains("(Csv): 2000 rows"), "{screen}");

    // Standard input from a file has a size too; from a pipe it has none:
    // a spinner with the bytes read, no ETA.
    let redirected = on_terminal(
        s.dir.path(),
        &format!("{} < {}", line(&s, &["import", "-"]), sh_quote(arg(&file))),
        None,
    );
    assert!(
        redirected.contains(&total) && redirected.contains("ETA"),
        "{redirected}"
    );
    let piped = on_terminal(
        s.dir.path(),
        &format!(
            "cat {} | {}",
            sh_quote(arg(&file)),
            line(&s, &["import", "-"])
        ),
        None,
    );
    assert!(piped.contains("read ("), "{piped}");
    assert!(!piped.contains("ETA"), "{piped}");

    // An export's total is the filter's count.
    let n = s.json(&["list"]).as_array().unwrap().len();
    let screen = on_terminal(
        s.dir.path(),
        &line(
            &s,
            &[
                "export", "--format", "csv", "-o", "out.csv", "--limit", "1500",
            ],
        ),
        None,
    );
    assert!(n > 1500);
    assert!(screen.contains("/1,500 incidents"), "{screen}");
    assert!(screen.contains("ETA"), "{screen}");
    // Data on the terminal is not drawn over.
    let screen = on_terminal(
        s.dir.path(),
        &line(&s, &["export", "--format", "csv", "--limit", "3"]),
        None,
    );
    assert!(!screen.contains("ETA"), "{screen}");
}

// --- NO_COLOR ---

/// A draft with evidence, as `extract` makes it; returns its uid.
fn draft(s: &Session) -> String {
    let report = "Gunmen shot dead a farmer in the town of Nawa in the western Daraa countryside on Monday, local sources said.\n";
    let out = with_stdin(
        s,
        &["extract", "-", "--published", "2025-06-10"],
        report.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let queue = s.json(&["review"]);
    queue[0]["uid"].as_str().expect("a draft").to_string()
}

#[test]
fn no_color_turns_off_every_style_on_a_terminal() {
    let s = Session::new();
    let uid = draft(&s);
    let show = line(&s, &["review", "show", &uid]);
    let styled = on_terminal(s.dir.path(), &show, None);
    assert!(styled.contains("\u{1b}[7mNawa\u{1b}[0m"), "{styled}");
    // The empty string is as if unset (no-color.org).
    let empty = on_terminal(s.dir.path(), &show, Some(""));
    assert!(empty.contains("\u{1b}["), "{empty}");
    let plain = on_terminal(s.dir.path(), &show, Some("1"));
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(plain.contains("[[Nawa]]"), "{plain}");

    // clap's help.
    let help = line(&s, &["--help"]);
    assert!(on_terminal(s.dir.path(), &help, None).contains("\u{1b}["));
    assert!(!on_terminal(s.dir.path(), &help, Some("1")).contains('\u{1b}'));
    let usage = format!("{} || true", line(&s, &["import", "--no-such-flag"]));
    assert!(on_terminal(s.dir.path(), &usage, None).contains("\u{1b}["));
    assert!(!on_terminal(s.dir.path(), &usage, Some("1")).contains('\u{1b}'));

    // The progress bar's colours (its cursor movements are not colour).
    let file = s.file("many.csv", many(500).as_bytes());
    let import = line(&s, &["import", arg(&file), "--dry-run"]);
    let coloured = on_terminal(s.dir.path(), &import, None);
    assert!(coloured.contains("\u{1b}[36m"), "{coloured}");
    let plain = on_terminal(s.dir.path(), &import, Some("1"));
    assert!(plain.contains("ETA"), "{plain}");
    assert!(!plain.contains("\u{1b}[3"), "{plain}");
}
