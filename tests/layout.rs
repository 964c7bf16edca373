//! Who may import whom (STYLE.md, "Growing without losing the shape"),
//! checked on the source so that a rule leaking into a face, or a caller
//! learning that the store is SQLite, fails a test instead of a review.

use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("source dir") {
            let p = e.expect("dir entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).expect("source file");
                out.push((p, text));
            }
        }
    }
    assert!(!out.is_empty(), "no sources under {dir}");
    out
}

fn relative(p: &Path) -> String {
    p.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .expect("inside the crate")
        .display()
        .to_string()
}

/// Lines that are code (not comments) and mention `needle`.
fn uses(text: &str, needle: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .filter(|l| l.contains(needle))
        .map(str::to_string)
        .collect()
}

#[test]
fn faces_call_the_library_not_the_store_or_the_geography() {
    let faces = sources("src/cli").into_iter().chain(sources("src/serve"));
    for (path, text) in faces {
        for needle in ["incidents::store", "incidents::geo", "rusqlite", "Store"] {
            let found = uses(&text, needle);
            assert!(
                found.is_empty(),
                "{} reaches {needle}: {found:?}",
                relative(&path)
            );
        }
    }
}

/// The web face reads flags with the command line's definitions and
/// answers with what its commands write; it never runs SQL of its own.
#[test]
fn the_web_face_builds_no_sql() {
    for (path, text) in sources("src/serve") {
        for needle in ["SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", "postgres::"] {
            let found = uses(&text, needle);
            assert!(found.is_empty(), "{} has SQL: {found:?}", relative(&path));
        }
    }
}

#[test]
fn only_the_store_knows_it_is_sqlite() {
    for (path, text) in sources("src") {
        let rel = relative(&path);
        // The store chooses its backend; a GeoPackage is itself an SQLite
        // file, so its writer needs SQLite.
        if rel.starts_with("src/store/") || rel == "src/formats/gpkg.rs" {
            continue;
        }
        for needle in ["rusqlite", "sqlite::", "SqliteStore", "SqliteWriter"] {
            let found = uses(&text, needle);
            assert!(found.is_empty(), "{rel} knows SQLite: {found:?}");
        }
    }
}

#[test]
fn pure_modules_import_only_each_other() {
    let pure = ["error", "model", "filter", "fold", "group"];
    for (path, text) in sources("src") {
        let rel = relative(&path);
        let is_pure = pure
            .iter()
            .any(|m| rel == format!("src/{m}.rs") || rel.starts_with(&format!("src/{m}/")));
        if !is_pure {
            continue;
        }
        for line in uses(&text, "crate::") {
            let target = line
                .split("crate::")
                .nth(1)
                .and_then(|t| t.split(|c: char| !c.is_alphanumeric() && c != '_').next())
                .unwrap_or_default()
                .to_string();
            assert!(
                pure.contains(&target.as_str()),
                "{rel} imports crate::{target}: {line}"
            );
        }
    }
}

#[test]
fn formats_render_and_parse_without_the_store() {
    for (path, text) in sources("src/formats") {
        let found = uses(&text, "crate::store");
        assert!(
            found.is_empty(),
            "{} imports the store: {found:?}",
            relative(&path)
        );
    }
}
