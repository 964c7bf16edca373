//! Docs that cannot rot: every subcommand appears in README.md, and the
//! README's tour runs, command by command, on a fresh database.
mod common;
use common::Session;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The commands of the ```sh block after the "### A tour" heading.
fn tour() -> Vec<String> {
    let text = readme();
    let start = text.find("### A tour").expect("README has a tour");
    let block = &text[start..];
    let open = block.find("```sh\n").expect("tour block") + 6;
    let close = block[open..].find("```").expect("end of tour block") + open;
    block[open..close]
        .lines()
        .map(str::to_string)
        .filter(|l| l.starts_with("incidents "))
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

#[test]
fn the_readme_tour_runs() {
    let s = Session::new();
    s.file(
        "aoi.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Daraa AOI"},
        "geometry":{"type":"Polygon","coordinates":[[[35.9,32.5],[36.3,32.5],[36.3,32.8],[35.9,32.8],[35.9,32.5]]]}}]}"#,
    );
    let lines = tour();
    assert!(lines.len() >= 25, "{lines:?}");
    for line in lines {
        let args = words(&line);
        let refs: Vec<&str> = args[1..].iter().map(String::as_str).collect();
        let out = s.run(&refs);
        assert_eq!(
            out.code, 0,
            "README tour: `{line}` failed:\n{}\n{}",
            out.stdout, out.stderr
        );
    }
    for f in ["daraa.geojson", "all.csv", "acled.csv", "incidents.gpkg"] {
        assert!(s.dir.path().join(f).exists(), "{f} was not written");
    }
}

#[test]
fn words_split_like_a_shell() {
    assert_eq!(words(r#"a "b c" d"#), ["a", "b c", "d"]);
    assert_eq!(words(r#"a "" b"#), ["a", "", "b"]);
}
