//! `incidents extract`: drafts from report text, on both backends. The
//! reports are our own paraphrases of the two seed reports (written for
//! these tests), so the drafts can be checked against what seeds/ holds.
mod common;
use common::{Session, both, fixture};
use serde_json::Value;

const DARAA: &str = "seed-daraa.txt";
const IRAQ: &str = "seed-iraq.txt";

fn drafts(s: &Session, report: &str, published: &str) -> Value {
    let file = fixture(&format!("extract/{report}"));
    s.json(&[
        "extract",
        file.to_str().unwrap(),
        "--published",
        published,
        "--dry-run",
    ])
}

fn find<'a>(v: &'a Value, event_type: &str, sub: &str) -> &'a Value {
    v["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["event_type"] == event_type && i["sub_event_type"] == sub)
        .unwrap_or_else(|| panic!("no {event_type} / {sub} in {v:#}"))
}

fn tally<'a>(v: &'a Value, metric: &str, value: u64) -> &'a Value {
    v["tallies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["metric"] == metric && t["value"] == value)
        .unwrap_or_else(|| panic!("no tally {value} {metric} in {v:#}"))
}

/// Every evidence span is the report's text at its character offsets.
fn assert_evidence_points_into(v: &Value, report: &str) {
    let text: Vec<char> = std::fs::read_to_string(fixture(&format!("extract/{report}")))
        .unwrap()
        .chars()
        .collect();
    let all = v["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["tallies"].as_array().unwrap());
    for draft in all {
        let evidence = draft["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty(), "{draft:#}");
        for e in evidence {
            let (start, end) = (
                e["start"].as_u64().unwrap() as usize,
                e["end"].as_u64().unwrap() as usize,
            );
            let span: String = text[start..end].iter().collect();
            assert_eq!(span, e["text"].as_str().unwrap(), "{e:#}");
            let c = e["context_start"].as_u64().unwrap() as usize;
            let context: String = text[c..c + e["context"].as_str().unwrap().chars().count()]
                .iter()
                .collect();
            assert_eq!(context, e["context"].as_str().unwrap());
        }
        assert_eq!(draft["status"], "draft");
        let confidence = draft["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence), "{draft:#}");
    }
}

both!(extract_drafts_the_seed_incidents_and_tallies_from_the_daraa_report);
fn extract_drafts_the_seed_incidents_and_tallies_from_the_daraa_report() {
    let s = Session::new();
    // Published on a Tuesday: "on Tuesday" is that day.
    let v = drafts(&s, DARAA, "2025-07-15");
    let clash = find(&v, "Battles", "Armed clash");
    assert_eq!(clash["place"], "Al-Masmiyah");
    assert_eq!(clash["date_start"], "2025-07-15");
    assert_eq!(clash["date_precision"], "day");
    assert_eq!(clash["geo_precision"], 1);
    assert_eq!(clash["admin1_code"], "SY-DR");
    let deployment = find(&v, "Strategic developments", "Change to group/activity");
    assert_eq!(deployment["place"], "Al-Sanamayn");
    assert_eq!(deployment["admin2_code"], "SY1202");
    let shot = find(&v, "Violence against civilians", "Attack");
    assert_eq!(
        shot["fatalities"], 1,
        "one son shot dead; the earlier deaths are background"
    );
    let dismissals = find(&v, "Strategic developments", "Other");
    assert_eq!(dismissals["admin1_code"], "SY-DR");
    assert_eq!(dismissals["geo_precision"], 3, "only the province is named");
    assert_eq!(
        dismissals["fatalities"],
        Value::Null,
        "200 dismissed are not deaths"
    );

    let june = tally(&v, "killings", 38);
    assert_eq!(
        (june["period_start"].as_str(), june["period_end"].as_str()),
        (Some("2025-06-01"), Some("2025-06-30"))
    );
    assert_eq!(june["region_code"], "SY-DR");
    let civilians = tally(&v, "civilian killings", 23);
    assert_eq!(
        civilians["period_start"], "2025-06-01",
        "part of June's figure"
    );
    let may = tally(&v, "killings", 19);
    assert_eq!(
        may["derived"], true,
        "half of June's, from 'double the toll in May'"
    );
    assert_eq!(may["period_start"], "2025-05-01");
    let sanamayn = tally(&v, "assassinations", 17);
    assert_eq!(sanamayn["region_code"], "SY1202");
    assert_eq!(sanamayn["place"], "Al-Sanamayn");
    assert_eq!(
        (
            sanamayn["period_start"].as_str(),
            sanamayn["period_end"].as_str()
        ),
        (Some("2024-12-08"), Some("2025-07-15")),
        "since the regime's fall"
    );
    // Aggregate figures are never incidents.
    for i in v["incidents"].as_array().unwrap() {
        assert!(
            ![Some(38), Some(23), Some(17)].contains(&i["fatalities"].as_u64()),
            "{i:#}"
        );
    }
    assert_evidence_points_into(&v, DARAA);
}

both!(extract_drafts_the_drawdown_announcement_and_not_the_threat);
fn extract_drafts_the_drawdown_announcement_and_not_the_threat() {
    let s = Session::new();
    let v = drafts(&s, IRAQ, "2020-11-30");
    let incidents = v["incidents"].as_array().unwrap();
    assert_eq!(
        incidents.len(),
        1,
        "planned attacks and fears are not events: {v:#}"
    );
    let a = &incidents[0];
    assert_eq!(
        (a["event_type"].as_str(), a["sub_event_type"].as_str()),
        (Some("Strategic developments"), Some("Other"))
    );
    assert_eq!(
        a["date_start"], "2020-11-17",
        "'on Nov. 17', not the publication date"
    );
    assert_eq!(a["admin1_code"], "IQ-BG");
    assert!(
        v["tallies"].as_array().unwrap().is_empty(),
        "troop numbers are not tallies"
    );
    assert_evidence_points_into(&v, IRAQ);
}

both!(extract_stores_drafts_that_reports_do_not_count_until_reviewed);
fn extract_stores_drafts_that_reports_do_not_count_until_reviewed() {
    let s = Session::new();
    let file = fixture(&format!("extract/{DARAA}"));
    let out = s.json(&[
        "extract",
        file.to_str().unwrap(),
        "--published",
        "2025-07-15",
        "--source",
        "Asharq Al-Awsat",
        "--source-url",
        "https://english.aawsat.com/node/5160954",
    ]);
    let uid = out["incidents"][0]["uid"].as_str().unwrap().to_string();
    let stored = s.json(&["show", &uid]);
    assert_eq!(stored["status"], "draft");
    assert_eq!(stored["sources"][0]["publisher"], "Asharq Al-Awsat");
    assert_eq!(stored["sources"][0]["published"], "2025-07-15");
    assert!(!stored["evidence"].as_array().unwrap().is_empty());
    // Not listed, not counted, not among the reported tallies.
    assert!(s.json(&["list"]).as_array().unwrap().is_empty());
    let report = s.json(&["report", "--region", "Daraa", "--month", "2025-06"]);
    assert_eq!(report["incidents"], 0, "{report:#}");
    assert!(
        report["tallies"].as_array().is_none_or(|t| t.is_empty()),
        "{report:#}"
    );
    // They are there for review.
    let drafts = s.json(&["list", "--status", "draft"]);
    assert_eq!(
        drafts.as_array().unwrap().len(),
        out["incidents"].as_array().unwrap().len()
    );
}

both!(extract_dry_run_and_bad_input_store_nothing);
fn extract_dry_run_and_bad_input_store_nothing() {
    let s = Session::new();
    s.ok(&["init"]);
    let before = s.snapshot();
    let report = fixture(&format!("extract/{DARAA}"));
    let report = report.to_str().unwrap();
    s.ok(&["extract", report, "--published", "2025-07-15", "--dry-run"]);
    let empty = s.file("empty.txt", b"");
    let binary = s.file(
        "photo.jpg",
        &[0xff, 0xd8, 0xff, 0xe0, 0, 16, b'J', b'F', b'I', b'F', 0],
    );
    let german = s.file(
        "bericht.txt",
        "Am Dienstag wurden bei Kämpfen nahe der Stadt Daraa mehrere Menschen getötet, teilte die Beobachtungsstelle in London mit. Die Lage bleibt angespannt."
            .as_bytes(),
    );
    let huge = s.file(
        "dump.txt",
        &b"Gunmen killed two men in Nawa on Tuesday. ".repeat((50 << 20) / 43 + 1),
    );
    for (file, expected) in [
        (&empty, "no words"),
        (&binary, "binary data"),
        (&german, "English"),
        (&huge, "at most 1048576 bytes"),
    ] {
        let err = s.fails(&[
            "extract",
            file.to_str().unwrap(),
            "--published",
            "2025-07-15",
        ]);
        assert!(
            err.contains(file.to_str().unwrap()),
            "names the file: {err}"
        );
        assert!(
            err.contains(expected),
            "says what is wrong ({expected}): {err}"
        );
    }
    let missing = s.fails(&["extract", "no-such-report.txt", "--published", "2025-07-15"]);
    assert!(missing.contains("no-such-report.txt"), "{missing}");
    let bad_date = s.run(&["extract", report, "--published", "2025-07"]);
    assert_ne!(bad_date.code, 0);
    assert!(
        bad_date.stderr.contains("--published"),
        "{}",
        bad_date.stderr
    );
    assert_eq!(s.snapshot(), before, "nothing stored");
}

#[test]
fn extract_reads_standard_input() {
    let s = Session::new();
    let text = std::fs::read(fixture(&format!("extract/{IRAQ}"))).unwrap();
    let mut c = s.cmd(&[
        "extract",
        "-",
        "--published",
        "2020-11-30",
        "--dry-run",
        "--format",
        "json",
    ]);
    c.write_stdin(text);
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["incidents"][0]["date_start"], "2020-11-17");
}

both!(extract_reads_names_in_the_reports_context_and_keeps_unknown_ones);
fn extract_reads_names_in_the_reports_context_and_keeps_unknown_ones() {
    let s = Session::new();
    s.ok(&["init"]);
    // The bare name ranks the larger Nawa in India first; a Daraa report
    // means the Syrian town.
    let report = s.file(
        "nawa.txt",
        b"Gunmen shot dead a farmer in the town of Nawa in the western Daraa countryside on Monday, local sources said.\n\n\
          On Sunday, unidentified gunmen killed two men in the village of Khirbet Qarqazzuz in the eastern Daraa countryside.\n",
    );
    let out = s.run(&[
        "extract",
        report.to_str().unwrap(),
        "--published",
        "2025-03-04",
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let incidents = v["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 2, "two villages, two events: {v:#}");
    let nawa = &incidents[0];
    assert_eq!(nawa["place"], "Nawa");
    assert_eq!(nawa["country"], "SY");
    assert_eq!(nawa["admin1_code"], "SY-DR");
    assert_eq!(nawa["geo_precision"], 1);
    assert_eq!(
        nawa["date_start"], "2025-03-03",
        "the Monday before a Tuesday"
    );
    assert_eq!(nawa["fatalities"], 1);
    assert_eq!(nawa["event_type"], "Violence against civilians");
    // A village the gazetteer lacks: kept as written, placed in its province.
    let unknown = &incidents[1];
    assert_eq!(unknown["place"], "Khirbet Qarqazzuz");
    assert_eq!(unknown["admin1_code"], "SY-DR");
    assert_eq!(unknown["geo_precision"], 3);
    assert_eq!(unknown["fatalities"], 2);
    assert_eq!(unknown["date_start"], "2025-03-02");
    assert!(
        out.stderr.contains("Khirbet Qarqazzuz") && out.stderr.contains("incidents places add"),
        "a warning says to add the place: {}",
        out.stderr
    );
}
