//! How well `incidents extract` drafts (issue 16), on the real reports of
//! benches/extract/: `dev` (the set the rules were written against) and
//! `holdout` (coded by someone else, not read while writing them). The
//! script benches/extract_score.py runs the built binary on every report
//! and scores the drafts against the hand-coded truth.
//!
//! The targets on unseen reports (incident recall >= 0.80,
//! precision >= 0.75, date span right >= 0.85, admin1 right >= 0.90, event
//! type right >= 0.75) are not all met: the floors below are what the
//! extractor reaches today (README "From report text: extract"), so that a
//! change making it worse fails here. Every run must also draft every
//! report without failing and with evidence that quotes the text exactly.
//!
//! python3 is required: a missing one fails the test. `--nocapture` shows
//! the figures.
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn score(set: &str) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .arg(root.join("benches/extract_score.py"))
        .args(["--bin", env!("CARGO_BIN_EXE_incidents"), "--json"])
        .arg(root.join("benches/extract").join(set))
        .output()
        .unwrap_or_else(|e| {
            panic!("python3 is required to score extract and could not be run: {e}")
        });
    assert!(
        out.status.success(),
        "the scorer failed on {set}:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("the scorer prints JSON");
    let shown: serde_json::Map<String, Value> = v
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| *k != "per_report")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    println!("{set}: {}", Value::Object(shown));
    v
}

fn at_least(v: &Value, key: &str, floor: f64) {
    let got = v[key].as_f64().unwrap_or_else(|| panic!("no {key} in {v}"));
    assert!(got >= floor, "{key} {got:.3} fell below {floor}");
}

fn every_report_drafted_with_exact_evidence(v: &Value) {
    assert_eq!(v["failed"], 0, "{v}");
    assert!(v["evidence_spans"].as_u64().unwrap() > 100, "{v}");
    assert_eq!(v["evidence_violations"], 0, "{v}");
}

#[test]
fn extract_on_the_development_reports_keeps_its_figures() {
    let v = score("dev");
    every_report_drafted_with_exact_evidence(&v);
    assert!(v["reports"].as_u64().unwrap() >= 20);
    at_least(&v, "incident_recall", 0.60);
    at_least(&v, "incident_precision", 0.55);
    at_least(&v, "date_span_right", 0.85);
    at_least(&v, "admin1_right", 0.95);
    at_least(&v, "event_type_right", 0.85);
    at_least(&v, "tally_recall", 0.30);
}

#[test]
fn extract_on_the_held_out_reports_keeps_its_figures() {
    let v = score("holdout");
    every_report_drafted_with_exact_evidence(&v);
    at_least(&v, "incident_recall", 0.40);
    at_least(&v, "incident_precision", 0.45);
    at_least(&v, "date_span_right", 0.75);
    at_least(&v, "admin1_right", 0.90);
    at_least(&v, "event_type_right", 0.60);
}
