//! Docs that cannot rot: every subcommand appears in README.md, and the
//! README's tour runs, command by command, on a fresh database.
mod common;
use common::{Backend, Session, both, pg, run_on};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The commands of the ```sh block after the "### A tour" heading.
fn tour() -> Vec<String> {
    commands("### A tour", "incidents ")
}

/// The lines starting with `prefix` of the first ```sh block after `heading`.
fn commands(heading: &str, prefix: &str) -> Vec<String> {
    let text = readme();
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("README has no {heading}"));
    let block = &text[start..];
    let open = block.find("```sh\n").expect("tour block") + 6;
    let close = block[open..].find("```").expect("end of tour block") + open;
    block[open..close]
        .lines()
        .map(str::to_string)
        .filter(|l| l.starts_with(prefix))
        .collect()
}

/// Splits a command line like a shell would for our simple quoting.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            c => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn every_subcommand_is_in_the_readme() {
    let s = Session::new();
    let help = s.ok(&["--help"]);
    let readme = readme();
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 17, "{commands:?}");
    for c in commands {
        assert!(
            readme.contains(&format!("incidents {c}")),
            "README does not mention `incidents {c}`"
        );
    }
}

both!(the_readme_tour_runs);
fn the_readme_tour_runs() {
    let s = Session::new();
    s.file(
        "aoi.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Daraa AOI"},
        "geometry":{"type":"Polygon","coordinates":[[[35.9,32.5],[36.3,32.5],[36.3,32.8],[35.9,32.8],[35.9,32.5]]]}}]}"#,
    );
    let lines = tour();
    assert!(lines.len() >= 25, "{lines:?}");
    let mut printed = std::collections::BTreeMap::new();
    for line in lines {
        let args = words(&line);
        let refs: Vec<&str> = args[1..].iter().map(String::as_str).collect();
        let out = s.run(&refs);
        assert_eq!(
            out.code, 0,
            "README tour: `{line}` failed:\n{}\n{}",
            out.stdout, out.stderr
        );
        printed.insert(line, out.stdout);
    }
    for f in ["daraa.geojson", "all.csv", "acled.csv", "incidents.gpkg"] {
        assert!(s.dir.path().join(f).exists(), "{f} was not written");
    }

    // What the tour promises, read from what its commands printed.
    let json = |start: &str| -> serde_json::Value {
        let (line, out) = printed
            .iter()
            .find(|(l, _)| l.starts_with(start))
            .unwrap_or_else(|| panic!("the tour has no `{start}`"));
        serde_json::from_str(out).unwrap_or_else(|e| panic!("`{line}`: {e}\n{out}"))
    };
    // The first generated uid (the seeds keep their own), geocoded to Al-Masmiyah.
    let clash = json("incidents show INC-000001");
    assert_eq!(clash["title"], "Checkpoint clash");
    assert_eq!(clash["place"], "Al-Masmiyah");
    assert_eq!(
        (&clash["latitude"], &clash["longitude"]),
        (&33.12902.into(), &36.39402.into())
    );
    assert_eq!(
        (&clash["admin1_code"], &clash["admin2_code"]),
        (&"SY-DR".into(), &"SY1202".into())
    );
    assert_eq!(clash["fatalities"], 2);
    assert_eq!(clash["sources"][0]["publisher"], "Asharq Al-Awsat");
    let busra = json("incidents geocode \"بصرى الشام\"");
    let answer = busra
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["answer"] == true))
        .unwrap_or_else(|| panic!("no answer for Busra al-Sham: {busra}"));
    assert_eq!(answer["admin1_code"], "SY-DR");
    assert!((answer["latitude"].as_f64().unwrap() - 32.517).abs() < 0.01);
    // July 2025 in Daraa: the seed clash (1-15 July) and the tour's clash;
    // the tour's tally of 41 killings is within the month.
    let july = json("incidents report --region \"Dar'a\" --month 2025-07");
    assert_eq!(july["incidents"], 2);
    assert_eq!(july["by_type"], serde_json::json!({"Battles": 2}));
    let tally = july["tallies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["value"] == 41)
        .unwrap_or_else(|| panic!("the tour's tally is not reported: {july}"));
    assert_eq!(
        (&tally["metric"], &tally["coverage"]),
        (&"killings".into(), &"within".into())
    );
    // Our own CSV export, imported again, changes nothing.
    let dry = printed
        .iter()
        .find(|(l, _)| l.starts_with("incidents import all.csv --dry-run"))
        .map(|(_, out)| out.as_str())
        .expect("the tour dry-runs an import");
    assert!(dry.contains(" 0 new, 0 updated,"), "{dry}");
}

/// The README's "Team database" session, run against the test cluster: its
/// server, database and logins stand in for the README's (unique names, as
/// roles belong to the whole cluster), every command must succeed, and
/// what it promises is read from what they print.
#[test]
fn the_readme_team_database_runs() {
    run_on(
        Backend::Postgres,
        "the_readme_team_database_runs",
        team_database,
    );
}

fn team_database() {
    let cluster = pg::cluster().expect("the harness checked the cluster");
    let tag = format!("docs_{}", std::process::id());
    let (db, alice, bob) = (
        format!("conflict_{tag}"),
        format!("alice_{tag}"),
        format!("bob_{tag}"),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let ours = |line: &str| {
        line.replace("@localhost/", &format!("@127.0.0.1:{}/", cluster.port))
            .replace(
                "host=localhost",
                &format!("host=127.0.0.1 port={}", cluster.port),
            )
            .replace("conflict", &db)
            .replace("alice", &alice)
            .replace("bob", &bob)
    };
    let lines = commands("## Team database", "");
    assert!(lines.len() >= 10, "{lines:?}");
    let mut printed = Vec::new();
    for line in &lines {
        let args = words(&ours(line));
        let program = match args[0].as_str() {
            "incidents" => assert_cmd::cargo::cargo_bin("incidents"),
            other => other.into(),
        };
        let out = std::process::Command::new(&program)
            .args(&args[1..])
            .current_dir(dir.path())
            .env_remove("INCIDENTS_DB")
            .env_remove("PGPASSWORD")
            .output()
            .unwrap_or_else(|e| panic!("run {program:?}: {e}"));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "README team database: `{line}` failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        printed.push((line.clone(), stdout));
    }
    let output = |start: &str| -> &str {
        printed
            .iter()
            .find(|(l, _)| l.contains(start))
            .map(|(_, out)| out.as_str())
            .unwrap_or_else(|| panic!("the README has no `{start}`"))
    };
    // The reader's report counts the seeds' June killings in Daraa.
    assert!(output("report --region Daraa").contains("38"));
    // History names the editor's login and the name given with --as.
    assert!(
        output("history INC-000001").contains(&format!("{bob} (as Bob (Daraa desk))")),
        "{}",
        output("history INC-000001")
    );
    // GDAL sees the live layer: the seven seeds and the editor's incident.
    let layer = output("ogrinfo");
    assert!(layer.contains("Feature Count: 8"), "{layer}");
    assert!(layer.contains("Geometry: Point"), "{layer}");
    // The offline copy's incident came back, once.
    assert!(output("import field.db").contains(" 1 new, 0 updated,"));
    let july = output("list --month 2025-07");
    assert!(
        july.contains("FIELD-0001") && july.contains("INC-000001"),
        "{july}"
    );
    let mut admin = cluster.connect("postgres");
    for sql in [
        format!("DROP DATABASE \"{db}\" WITH (FORCE)"),
        format!("DROP ROLE \"{alice}\""),
        format!("DROP ROLE \"{bob}\""),
    ] {
        admin
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("clean up the README's database and roles: {sql}: {e}"));
    }
}

#[test]
fn words_split_like_a_shell() {
    assert_eq!(words(r#"a "b c" d"#), ["a", "b c", "d"]);
    assert_eq!(words(r#"a "" b"#), ["a", "", "b"]);
}

/// Text with every run of whitespace made one space, to compare licence
/// texts whatever their line breaks.
fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn repo_file(name: &str) -> String {
    let path = format!("{}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_code_is_licensed_mit_or_apache_2() {
    assert_eq!(
        env!("CARGO_PKG_LICENSE"),
        "MIT OR Apache-2.0",
        "Cargo.toml's license"
    );
    assert!(
        !repo_file("Cargo.toml").contains("license-file"),
        "an SPDX `license` needs no license-file"
    );

    // The MIT licence, word for word after its copyright line.
    let mit = repo_file("LICENSE-MIT");
    let mut lines = mit.lines().filter(|l| !l.trim().is_empty());
    assert_eq!(lines.next(), Some("MIT License"));
    let copyright = lines.next().unwrap_or_default();
    assert!(copyright.starts_with("Copyright (c) 20"), "{copyright}");
    assert_eq!(
        normalised(&lines.collect::<Vec<_>>().join("\n")),
        normalised(
            "Permission is hereby granted, free of charge, to any person obtaining a copy \
             of this software and associated documentation files (the \"Software\"), to deal \
             in the Software without restriction, including without limitation the rights \
             to use, copy, modify, merge, publish, distribute, sublicense, and/or sell \
             copies of the Software, and to permit persons to whom the Software is \
             furnished to do so, subject to the following conditions: \
             The above copyright notice and this permission notice shall be included in all \
             copies or substantial portions of the Software. \
             THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR \
             IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, \
             FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE \
             AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER \
             LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, \
             OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE \
             SOFTWARE."
        ),
        "LICENSE-MIT is not the MIT licence"
    );

    // The Apache License 2.0: its title, its nine sections in order and
    // the end of its terms.
    let apache = normalised(&repo_file("LICENSE-APACHE"));
    let mut rest = apache.as_str();
    for part in [
        "Apache License Version 2.0, January 2004 http://www.apache.org/licenses/",
        "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
        "1. Definitions.",
        "2. Grant of Copyright License. Subject to the terms and conditions of this \
         License, each Contributor hereby grants to You a perpetual, worldwide, \
         non-exclusive, no-charge, royalty-free, irrevocable copyright license",
        "3. Grant of Patent License.",
        "4. Redistribution.",
        "5. Submission of Contributions.",
        "6. Trademarks.",
        "7. Disclaimer of Warranty.",
        "8. Limitation of Liability.",
        "9. Accepting Warranty or Additional Liability.",
        "END OF TERMS AND CONDITIONS",
    ] {
        let at = rest
            .find(part)
            .unwrap_or_else(|| panic!("LICENSE-APACHE lacks, or misplaces, {part:?}"));
        rest = &rest[at + part.len()..];
    }

    // README says so.
    let readme = readme();
    let section = readme
        .split("\n## Licence\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has a Licence section");
    for needle in [
        "MIT licence (`LICENSE-MIT`)",
        "Apache License 2.0 (`LICENSE-APACHE`)",
        "at your option",
    ] {
        assert!(
            normalised(section).contains(needle),
            "README's Licence section lacks {needle:?}:\n{section}"
        );
    }
}
