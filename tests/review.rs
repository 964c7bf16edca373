//! Review statuses (issue 16) end to end, on both backends: what `add`,
//! `import` and `seed` write is reviewed; drafts are hidden from `list`,
//! `export` and `report` until asked for, and a report never counts one
//! but says how many await review; `review` lists the queue, shows a
//! draft's evidence in context, and accepts (with edits, or a trusted
//! source's batch) or rejects (with a reason) in one write that history
//! records with who decided; backups and offline copies carry it all; on
//! PostgreSQL only incidents_reviewer may decide.
//!
//! Until `extract` drafts from report text, drafts are made here by
//! setting the status of stored rows with SQL.
mod common;

use common::{Backend, Login, Output, Session, both, pg};
use incidents::model::{DateSpan, Evidence, Incident, Review, Source, Tally};
use incidents::store::{self, Author, Location};
use serde_json::Value;

/// A draft's evidence: "Nawa" in its sentence of the report, at
/// characters 120..124 (the sentence starts at 100).
const EVIDENCE: &str = r#"[{"field":"place","start":120,"end":124,"text":"Nawa","context":"A man was killed in Nawa on Tuesday.","context_start":100}]"#;

/// Marks the stored incidents or tallies `uids` as drafts (as `extract`
/// will write them), with [`EVIDENCE`] and a confidence.
fn make_drafts(s: &Session, table: &str, uids: &[&str]) {
    let list: Vec<String> = uids.iter().map(|u| format!("'{u}'")).collect();
    s.exec_sql(&format!(
        "UPDATE {table} SET status = 'draft', evidence = '{EVIDENCE}', confidence = 0.6 \
         WHERE uid IN ({})",
        list.join(", ")
    ));
}

/// `add` of a day battle near Daraa city, citing `source`; returns its uid.
fn add(s: &Session, date: &str, source: &str) -> String {
    s.ok(&[
        "add", "--date", date, "--type", "battles", "--lat", "32.62", "--lon", "36.10", "--source",
        source,
    ])
    .trim()
    .to_string()
}

/// `tally add` of killings in Daraa in July 2025, citing `source`.
fn add_tally(s: &Session, value: &str, source: &str) -> String {
    s.ok(&[
        "tally", "add", "--region", "Daraa", "--period", "2025-07", "--metric", "killings",
        "--value", value, "--source", source,
    ])
    .trim()
    .to_string()
}

/// The uids of a JSON array of records, sorted.
fn uids(v: &Value) -> Vec<String> {
    common::uids(v)
}

/// The login changes are recorded under: the operating-system user on
/// SQLite, the PostgreSQL login (the harness's administrator) on a server.
fn login(s: &Session) -> String {
    match s.backend() {
        Backend::Sqlite => {
            let out = std::process::Command::new("id")
                .arg("-un")
                .output()
                .expect("run id -un");
            String::from_utf8(out.stdout)
                .expect("UTF-8")
                .trim()
                .to_string()
        }
        Backend::Postgres => pg::ADMIN.to_string(),
    }
}

both!(add_import_and_seed_write_reviewed_rows);
fn add_import_and_seed_write_reviewed_rows() {
    let s = Session::seeded();
    add(&s, "2025-07-02", "Daraa 24");
    add_tally(&s, "41", "Daraa 24");
    // A status column in our CSV is not read: an import writes reviewed rows.
    let csv = s.file(
        "in.csv",
        b"uid,event_type,date_start,date_end,latitude,longitude,status\n\
          CSV-1,Battles,2025-07-03,2025-07-03,32.62,36.1,draft\n",
    );
    s.ok(&["import", csv.to_str().unwrap()]);
    for table in ["incidents", "tallies"] {
        assert_eq!(
            s.query_sql(&format!(
                "SELECT status, count(*) FROM {table} GROUP BY status"
            )),
            [[
                "reviewed".to_string(),
                if table == "incidents" { "9" } else { "5" }.to_string()
            ]],
            "{table}"
        );
    }
    let all = s.json(&["list", "--status", "all"]);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] == "reviewed"),
        "{all}"
    );
    // Our CSV says so in its status column.
    let csv = s.ok(&["export", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let status = r.headers().unwrap().iter().position(|h| h == "status");
    let status = status.expect("a status column");
    assert!(r.records().all(|rec| &rec.unwrap()[status] == "reviewed"));
}

both!(drafts_are_hidden_until_asked_for_and_never_counted);
fn drafts_are_hidden_until_asked_for_and_never_counted() {
    let s = Session::seeded();
    let counted = add(&s, "2025-07-02", "Daraa 24");
    let drafts = [
        add(&s, "2025-07-03", "Daraa 24"),
        add(&s, "2025-07-04", "SOHR"),
    ];
    let rejected = add(&s, "2025-07-05", "SOHR");
    let tally = add_tally(&s, "41", "Daraa 24");
    let draft_tally = add_tally(&s, "44", "SOHR");
    make_drafts(&s, "incidents", &[&drafts[0], &drafts[1], &rejected]);
    make_drafts(&s, "tallies", &[&draft_tally]);
    s.exec_sql(&format!(
        "UPDATE incidents SET status = 'rejected' WHERE uid = '{rejected}'"
    ));

    let july = ["--month", "2025-07"];
    let listed = |status: Option<&str>| {
        let mut args = vec!["list"];
        args.extend(july);
        if let Some(st) = status {
            args.extend(["--status", st]);
        }
        uids(&s.json(&args))
    };
    let seed_clash = "SEED-SY-2025-MASMIYAH-CLASH".to_string();
    let mut reviewed = vec![counted.clone(), seed_clash.clone()];
    reviewed.sort();
    assert_eq!(listed(None), reviewed);
    assert_eq!(listed(Some("reviewed")), reviewed);
    assert_eq!(listed(Some("active")), reviewed, "issue 15's name for it");
    let mut want = drafts.to_vec();
    want.sort();
    assert_eq!(listed(Some("draft")), want);
    assert_eq!(listed(Some("rejected")), [rejected.as_str()]);
    assert_eq!(listed(Some("all")).len(), 5);
    // The table says which is which when others are shown.
    let table = s.ok(&["list", "--status", "all", "--format", "table"]);
    assert!(
        table.contains("draft") && table.contains("rejected"),
        "{table}"
    );

    let exported = |status: &str| {
        let csv = s.ok(&["export", "--format", "csv", "--status", status]);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let mut u: Vec<String> = r.records().map(|rec| rec.unwrap()[0].to_string()).collect();
        u.sort();
        u
    };
    assert!(!exported("reviewed").contains(&drafts[0]));
    assert_eq!(exported("draft"), want);
    let geojson: Value =
        serde_json::from_str(&s.ok(&["export", "--format", "geojson", "--status", "draft"]))
            .unwrap();
    let statuses: Vec<&Value> = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["properties"]["status"])
        .collect();
    assert_eq!(statuses, [&Value::from("draft"), &Value::from("draft")]);

    // Tallies too: reviewed by default, drafts when asked.
    let tallies = |status: Option<&str>| {
        let mut args = vec!["tally", "list", "--format", "json"];
        if let Some(st) = status {
            args.extend(["--status", st]);
        }
        let v: Value = serde_json::from_str(&s.ok(&args)).unwrap();
        uids(&v)
    };
    assert!(tallies(None).contains(&tally));
    assert!(!tallies(None).contains(&draft_tally));
    assert_eq!(tallies(Some("draft")), [draft_tally.as_str()]);

    // The report counts reviewed rows only and says what awaits review.
    let report = s.json(&["report", "--region", "Daraa", "--month", "2025-07"]);
    assert_eq!(report["incidents"], 2, "{report}");
    assert_eq!(
        report["awaiting_review"],
        serde_json::json!({"incidents": 2, "tallies": 1})
    );
    let reported: Vec<&Value> = report["tallies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["uid"])
        .collect();
    assert!(reported.contains(&&Value::from(tally.clone())));
    assert!(!reported.contains(&&Value::from(draft_tally.clone())));
    let note = "2 draft incidents and 1 draft tally in this scope await review (not counted)";
    let text = s.ok(&[
        "report", "--region", "Daraa", "--month", "2025-07", "--format", "table",
    ]);
    assert!(text.contains(note), "{text}");
    let markdown = s.ok(&[
        "report", "--region", "Daraa", "--month", "2025-07", "--format", "markdown",
    ]);
    assert!(markdown.contains(note), "{markdown}");
    let csv = s.ok(&[
        "report", "--region", "Daraa", "--month", "2025-07", "--format", "csv",
    ]);
    assert!(csv.contains("awaiting_review,incidents,2,,"), "{csv}");
    assert!(csv.contains("awaiting_review,tallies,1,,"), "{csv}");
    let map: Value = serde_json::from_str(&s.ok(&[
        "report", "--region", "Daraa", "--month", "2025-07", "--format", "geojson",
    ]))
    .unwrap();
    assert_eq!(map["awaiting_review"]["incidents"], 2);
    // Outside the drafts' scope there is nothing to say.
    let june = s.json(&["report", "--region", "Daraa", "--month", "2025-06"]);
    assert_eq!(
        june["awaiting_review"],
        serde_json::json!({"incidents": 0, "tallies": 0})
    );
    let june = s.ok(&[
        "report", "--region", "Daraa", "--month", "2025-06", "--format", "table",
    ]);
    assert!(!june.contains("await"), "{june}");
    // Grouped reports count reviewed rows and say the rest on stderr.
    let grouped = s.run(&[
        "report",
        "--from",
        "2025-07-01",
        "--to",
        "2025-07-31",
        "--group-by",
        "type",
        "--format",
        "json",
    ]);
    assert_eq!(grouped.code, 0, "{}", grouped.stderr);
    let rows: Value = serde_json::from_str(&grouped.stdout).unwrap();
    assert_eq!(rows[0]["incidents"], 2, "{rows}");
    assert!(
        grouped
            .stderr
            .contains("2 draft incidents in this scope await review"),
        "{}",
        grouped.stderr
    );

    // A report refuses any other status, as a usage error.
    for status in ["draft", "rejected", "merged", "all"] {
        let o = s.run(&["report", "--month", "2025-07", "--status", status]);
        assert_eq!(o.code, 2, "--status {status}: {}{}", o.stdout, o.stderr);
        assert!(
            o.stderr.contains("a report counts reviewed rows only")
                && o.stderr.contains("incidents review")
                && o.stderr.contains("list --status draft"),
            "{}",
            o.stderr
        );
    }
    let o = s.run(&[
        "report",
        "--from",
        "2025-07-01",
        "--to",
        "2025-07-31",
        "--group-by",
        "type",
        "--status",
        "draft",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
}

/// `history UID` as JSON: each change's action, who made it and what changed.
fn history(s: &Session, uid: &str) -> Vec<(String, String, String)> {
    s.json(&["history", uid])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["by"].as_str().unwrap_or("NULL").to_string(),
                e["changes"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

both!(accept_with_an_edit_and_reject_with_a_reason_in_one_recorded_write);
fn accept_with_an_edit_and_reject_with_a_reason_in_one_recorded_write() {
    let s = Session::new();
    let inc = add(&s, "2025-07-03", "Daraa 24");
    let tally = add_tally(&s, "41", "SOHR");
    make_drafts(&s, "incidents", &[&inc]);
    make_drafts(&s, "tallies", &[&tally]);
    let before = history(&s, &inc).len();

    let said = s.ok(&[
        "--as",
        "Desk",
        "review",
        "accept",
        &inc,
        "--fatalities",
        "3",
    ]);
    assert_eq!(said.trim(), format!("{inc}: accepted"));
    let shown = s.json(&["show", &inc]);
    assert_eq!(
        (&shown["status"], &shown["fatalities"]),
        (&"reviewed".into(), &3.into())
    );
    assert_eq!(shown["evidence"][0]["text"], "Nawa", "the evidence stays");
    // One change: the edit and the decision together, by whom.
    let h = history(&s, &inc);
    assert_eq!(h.len(), before + 1, "{h:?}");
    let (action, by, changes) = h.last().unwrap();
    assert_eq!(action, "update");
    assert_eq!(*by, format!("{} (as Desk)", login(&s)));
    assert_eq!(
        changes,
        "fatalities: null -> 3; status: \"draft\" -> \"reviewed\""
    );
    assert_eq!(uids(&s.json(&["list"])), [inc.as_str()]);

    let said = s.ok(&["review", "reject", &tally, "--reason", "counted twice"]);
    assert_eq!(said.trim(), format!("{tally}: rejected (counted twice)"));
    let (_, by, changes) = history(&s, &tally).pop().unwrap();
    assert_eq!(by, login(&s));
    assert_eq!(
        changes,
        "status: \"draft\" -> \"rejected\"; review_note: null -> \"counted twice\""
    );
    let rejected: Value =
        serde_json::from_str(&s.ok(&["tally", "list", "--status", "rejected", "--format", "json"]))
            .unwrap();
    assert_eq!(uids(&rejected), [tally.as_str()]);

    // Only drafts are decided; the error names the uid and its status.
    let before = s.snapshot();
    for args in [
        vec!["review", "accept", inc.as_str()],
        vec!["review", "reject", inc.as_str(), "--reason", "late"],
        vec!["review", "accept", tally.as_str()],
    ] {
        let err = s.fails(&args);
        let status = if args[2] == inc {
            "reviewed"
        } else {
            "rejected"
        };
        assert!(
            err.contains(&format!("{} is {status}", args[2]))
                && err.contains("only drafts can be accepted or rejected"),
            "{args:?}: {err}"
        );
    }
    let err = s.fails(&["review", "accept", "INC-999999"]);
    assert!(
        err.contains("incident or tally \"INC-999999\" not found"),
        "{err}"
    );
    // A reason is required.
    assert_eq!(s.run(&["review", "reject", &inc]).code, 2);
    assert_eq!(s.snapshot(), before, "refusals change nothing");
    // An edit flag is for incidents, and a blank reason is none.
    let other = add_tally(&s, "12", "SOHR");
    make_drafts(&s, "tallies", &[&other]);
    let before = s.snapshot();
    let err = s.fails(&["review", "accept", &other, "--fatalities", "3"]);
    assert!(err.contains("this is a tally"), "{err}");
    let err = s.fails(&["review", "reject", &other, "--reason", " "]);
    assert!(err.contains("reason"), "{err}");
    assert_eq!(s.snapshot(), before, "refusals change nothing");
}

both!(accept_all_from_a_trusted_source);
fn accept_all_from_a_trusted_source() {
    let s = Session::new();
    let daraa = [
        add(&s, "2025-07-03", "Daraa 24"),
        add(&s, "2025-07-04", "Daraa 24"),
    ];
    let sohr = add(&s, "2025-07-05", "SOHR");
    let tally = add_tally(&s, "41", "Daraa 24");
    make_drafts(&s, "incidents", &[&daraa[0], &daraa[1], &sohr]);
    make_drafts(&s, "tallies", &[&tally]);

    let before = s.snapshot();
    let said = s.ok(&["review", "accept", "--all-from", "Daraa 24", "--dry-run"]);
    assert!(
        said.starts_with("dry run, nothing changed: accepted 3 drafts citing \"Daraa 24\""),
        "{said}"
    );
    assert_eq!(s.snapshot(), before);

    let said = s.ok(&["review", "accept", "--all-from", "daraa 24"]);
    let mut lines = said.lines();
    assert_eq!(lines.next(), Some("accepted 3 drafts citing \"daraa 24\""));
    let mut accepted: Vec<&str> = lines.collect();
    accepted.sort();
    let mut want = vec![daraa[0].as_str(), daraa[1].as_str(), tally.as_str()];
    want.sort();
    assert_eq!(accepted, want);
    let queue = s.json(&["review"]);
    assert_eq!(uids(&queue), [sohr.as_str()], "SOHR's draft still waits");
    // A batch takes no edits.
    let err = s.fails(&[
        "review",
        "accept",
        "--all-from",
        "SOHR",
        "--fatalities",
        "2",
    ]);
    assert!(err.contains("--all-from"), "{err}");
    assert_eq!(
        s.ok(&["review", "accept", "--all-from", "Nobody"]).trim(),
        "accepted 0 drafts citing \"Nobody\""
    );
}

both!(the_queue_lists_drafts_oldest_first_and_shows_their_evidence_in_context);
fn the_queue_lists_drafts_oldest_first_and_shows_their_evidence_in_context() {
    let s = Session::new();
    let first = add(&s, "2025-07-03", "Daraa 24");
    let second = add(&s, "2025-07-01", "SOHR");
    let tally = add_tally(&s, "41", "Daraa 24");
    make_drafts(&s, "incidents", &[&first, &second]);
    make_drafts(&s, "tallies", &[&tally]);
    // Written in this order, whatever the clock said.
    for (table, uid, at) in [
        ("incidents", &second, "2025-07-10T00:00:00Z"),
        ("tallies", &tally, "2025-07-10T00:00:00Z"),
        ("incidents", &first, "2025-07-11T00:00:00Z"),
    ] {
        s.exec_sql(&format!(
            "UPDATE {table} SET created_at = '{at}' WHERE uid = '{uid}'"
        ));
    }
    let queue = s.json(&["review"]);
    let order: Vec<&str> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uid"].as_str().unwrap())
        .collect();
    let mut tied = [second.as_str(), tally.as_str()];
    tied.sort();
    assert_eq!(order, [tied[0], tied[1], first.as_str()]);
    assert_eq!(
        queue[0]["evidence"][0]["context"],
        "A man was killed in Nawa on Tuesday."
    );
    let kinds: Vec<&str> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "tally").count(), 1);
    let table = s.ok(&["review", "--format", "table"]);
    assert!(table.contains("place: Nawa"), "{table}");
    let only = s.json(&["review", "--source", "sohr"]);
    assert_eq!(uids(&only), [second.as_str()]);

    // Not on a terminal: the span is marked with brackets.
    let shown = s.ok(&["review", "show", &first]);
    assert!(shown.contains("status: draft"), "{shown}");
    assert!(
        shown.contains("place: A man was killed in [[Nawa]] on Tuesday."),
        "{shown}"
    );
    let json: Value =
        serde_json::from_str(&s.ok(&["review", "show", &tally, "--format", "json"])).unwrap();
    assert_eq!(
        (&json["kind"], &json["status"]),
        (&"tally".into(), &"draft".into())
    );
    let err = s.fails(&["review", "show", "TAL-999999"]);
    assert!(err.contains("not found"), "{err}");
}

/// A draft incident and a draft tally with evidence and a confidence, as
/// `extract` will build them.
fn drafted() -> (Incident, Tally) {
    let evidence = Evidence {
        field: "date".into(),
        start: 5,
        end: 17,
        text: "on Tuesday".into(),
        context: "Gunmen on Tuesday shot a man in Nawa.".into(),
        context_start: 0,
    };
    let mut inc = Incident::new(
        "Violence against civilians",
        DateSpan::parse("d", "2025-07-08").unwrap(),
    );
    inc.uid = Some("DRAFT-1".into());
    inc.latitude = Some(32.88);
    inc.longitude = Some(36.04);
    inc.country = Some("SY".into());
    inc.admin1 = Some("Dar'a".into());
    inc.admin1_code = Some("SY-DR".into());
    inc.status = Review::Draft;
    inc.evidence = vec![evidence.clone()];
    inc.confidence = Some(0.75);
    inc.sources = vec![Source {
        publisher: "Daraa 24".into(),
        ..Source::default()
    }];
    let tally = Tally {
        uid: Some("DRAFT-T1".into()),
        region: Some("Daraa".into()),
        region_code: Some("SY-DR".into()),
        place: None,
        period_start: "2025-07-01".parse().unwrap(),
        period_end: "2025-07-31".parse().unwrap(),
        metric: "killings".into(),
        value: 38.0,
        derived: false,
        source: None,
        notes: None,
        status: Review::Draft,
        review_note: None,
        evidence: vec![evidence],
        confidence: Some(0.5),
        created_at: None,
        updated_at: None,
    };
    (inc, tally)
}

both!(a_draft_stored_through_the_library_reads_back_and_travels_with_copies);
fn a_draft_stored_through_the_library_reads_back_and_travels_with_copies() {
    let s = Session::new();
    let (inc, tally) = drafted();
    let mut db = store::open(&Location::parse(&s.db_arg()), &Author::default()).unwrap();
    store::write(db.as_mut(), |w| {
        w.insert_incident(&inc)?;
        w.upsert_tally(&tally)
    })
    .unwrap();
    let got = db.get_incident("DRAFT-1").unwrap().unwrap();
    assert_eq!(
        (got.status, &got.evidence, got.confidence),
        (Review::Draft, &inc.evidence, Some(0.75))
    );
    let got = db.get_tally("DRAFT-T1").unwrap().unwrap();
    assert_eq!(
        (got.status, &got.evidence, got.confidence),
        (Review::Draft, &tally.evidence, Some(0.5))
    );
    drop(db);
    assert!(uids(&s.json(&["list"])).is_empty());
    assert_eq!(uids(&s.json(&["review"])), ["DRAFT-1", "DRAFT-T1"]);
    // The history of a draft says it was one.
    let h = s.json(&["history", "DRAFT-1"]);
    assert_eq!(h[0]["new"]["status"], "draft", "{h}");

    // A backup carries the drafts, and an offline copy brings them back
    // (and a decision made there) to another database.
    s.ok(&["backup", "copy.db"]);
    let copy = s.dir.path().join("copy.db");
    let copy = copy.to_str().unwrap();
    let at_copy = |args: &[&str]| Output::of(&mut s.cmd_at(copy, args));
    let shown: Value =
        serde_json::from_str(&at_copy(&["review", "show", "DRAFT-1", "--format", "json"]).stdout)
            .unwrap();
    assert_eq!(
        (&shown["status"], &shown["confidence"]),
        (&"draft".into(), &0.75.into())
    );
    assert_eq!(shown["evidence"][0]["text"], "on Tuesday");
    let tallies: Value = serde_json::from_str(
        &at_copy(&["tally", "list", "--status", "draft", "--format", "json"]).stdout,
    )
    .unwrap();
    assert_eq!(uids(&tallies), ["DRAFT-T1"]);

    let other = Session::new();
    other.ok(&["import", copy]);
    let back = other.json(&["list", "--status", "draft"]);
    assert_eq!(uids(&back), ["DRAFT-1"]);
    assert_eq!(back[0]["status"], "draft");
    let o = at_copy(&["review", "reject", "DRAFT-1", "--reason", "wrong village"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    other.ok(&["import", copy]);
    let back = other.json(&["show", "DRAFT-1"]);
    assert_eq!(
        (
            &back["status"],
            &back["review_note"],
            &back["evidence"][0]["text"]
        ),
        (
            &"rejected".into(),
            &"wrong village".into(),
            &"on Tuesday".into()
        )
    );
}

/// The status of `uid` in the session's database.
fn status_of(s: &Session, uid: &str) -> String {
    s.query_sql(&format!("SELECT status FROM incidents WHERE uid = '{uid}'"))[0][0].clone()
}

/// Runs `incidents --db DB ARGS` in the session's directory.
fn run_at(s: &Session, db: &str, args: &[&str]) -> Output {
    Output::of(&mut s.cmd_at(db, args))
}

#[test]
fn an_editor_drafts_but_only_a_reviewer_decides() {
    common::run_on(
        Backend::Postgres,
        "review::an_editor_drafts_but_only_a_reviewer_decides",
        editor_drafts_reviewer_decides,
    );
}

fn editor_drafts_reviewer_decides() {
    let s = Session::new();
    s.ok(&["init"]);
    assert_eq!(
        s.pg_query(
            "SELECT pg_has_role('incidents_reviewer', 'incidents_editor', 'MEMBER'), \
             pg_has_role('incidents_admin', 'incidents_reviewer', 'MEMBER'), \
             pg_has_role('incidents_editor', 'incidents_reviewer', 'MEMBER')"
        ),
        [["t", "t", "f"]],
        "reviewers have the editors' rights, admins the reviewers'"
    );
    let bob = Login::new(&s, "bob", "LOGIN", &["incidents_editor"]);
    let carol = Login::new(&s, "carol", "LOGIN", &["incidents_reviewer"]);
    let (as_bob, as_carol) = (s.url_as(&bob.name), s.url_as(&carol.name));

    // An editor drafts (through the library, as `extract` will) and edits drafts.
    let (inc, tally) = drafted();
    let mut db = store::open(&Location::parse(&as_bob), &Author::default()).unwrap();
    store::write(db.as_mut(), |w| {
        w.insert_incident(&inc)?;
        w.upsert_tally(&tally)
    })
    .unwrap();
    drop(db);
    let o = run_at(
        &s,
        &as_bob,
        &["edit", "DRAFT-1", "--notes", "checked the village"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    // ... and still adds reviewed rows: a person's decision.
    let o = run_at(
        &s,
        &as_bob,
        &[
            "add",
            "--date",
            "2025-07-02",
            "--type",
            "battles",
            "--lat",
            "32.6",
            "--lon",
            "36.1",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);

    // But an editor's decision is refused, changing nothing.
    let before = s.snapshot();
    for args in [
        &["review", "accept", "DRAFT-1"][..],
        &["review", "accept", "DRAFT-1", "--fatalities", "1"],
        &["review", "reject", "DRAFT-1", "--reason", "no"],
        &["review", "accept", "DRAFT-T1"],
        &["review", "accept", "--all-from", "Daraa 24"],
    ] {
        let o = run_at(&s, &as_bob, args);
        assert_eq!(o.code, 1, "{args:?}: {}{}", o.stdout, o.stderr);
        assert!(
            o.stderr.contains(&format!(
                "{} may draft and edit but not review in this database",
                bob.name
            )) && o.stderr.contains("GRANT incidents_reviewer TO"),
            "{args:?}: {}",
            o.stderr
        );
        assert_eq!(o.stderr.trim_end().lines().count(), 1, "{}", o.stderr);
        assert_eq!(s.snapshot(), before, "{args:?} changed the database");
    }
    // Nor can the editor's own SQL decide.
    let o = Output::of(
        assert_cmd::Command::new("psql")
            .args(["-X", "-v", "ON_ERROR_STOP=1", &as_bob, "-c"])
            .arg("UPDATE incidents SET status = 'reviewed' WHERE uid = 'DRAFT-1'")
            .env_remove("PGPASSWORD"),
    );
    assert_ne!(o.code, 0, "{}", o.stdout);
    assert!(o.stderr.contains("incidents_reviewer"), "{}", o.stderr);
    assert_eq!(status_of(&s, "DRAFT-1"), "draft");

    // A reviewer decides, and history says who.
    let o = run_at(
        &s,
        &as_carol,
        &["review", "accept", "DRAFT-1", "--fatalities", "1"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = run_at(
        &s,
        &as_carol,
        &["review", "reject", "DRAFT-T1", "--reason", "a rumour"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(status_of(&s, "DRAFT-1"), "reviewed");
    let h = s.json(&["history", "DRAFT-1"]);
    let last = h.as_array().unwrap().last().unwrap();
    assert_eq!(last["by"], carol.name.as_str());
    assert_eq!(
        last["changes"],
        "fatalities: null -> 1; status: \"draft\" -> \"reviewed\""
    );
    let h = s.json(&["history", "DRAFT-T1"]);
    assert_eq!(
        h.as_array().unwrap().last().unwrap()["by"],
        carol.name.as_str()
    );
}
