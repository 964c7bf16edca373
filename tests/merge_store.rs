//! The storage side of merging incidents (issue 15), on both backends: an
//! incident's `merged_into` is stored, shown in its history and selected by
//! `--status`; merge records are saved, listed oldest first and taken, each
//! in its transaction.
mod common;

use common::{Backend, Session, both, uids};
use incidents::filter::{Filter, Status};
use incidents::model::Source;
use incidents::store::{self, Author, Location, MergeRecord, Store};

fn open(s: &Session) -> Box<dyn Store> {
    store::open(&Location::parse(&s.db_arg()), &Author::default()).expect("open the database")
}

fn record(other: &str, keep: &str) -> MergeRecord {
    MergeRecord {
        other: other.into(),
        keep: keep.into(),
        filled: vec!["fatalities".into(), "notes".into()],
        sources: vec![Source {
            publisher: "SOHR".into(),
            title: Some("Daily report".into()),
            url: Some("https://example.org/r".into()),
            published: Some("2025-06-18".into()),
            excerpt: Some("two killed".into()),
        }],
    }
}

both!(merge_records_are_saved_listed_and_taken);
fn merge_records_are_saved_listed_and_taken() {
    let s = Session::new();
    let mut db = open(&s);
    store::write(db.as_mut(), |w| {
        w.save_merge(&record("INC-000009", "INC-000001"))?;
        w.save_merge(&record("INC-000002", "INC-000001"))?;
        w.save_merge(&record("INC-000003", "INC-000004"))
    })
    .expect("save merges");
    // Stored as the record's JSON, the same on both backends.
    assert_eq!(
        s.query_sql("SELECT keep_uid, record FROM merges WHERE other_uid = 'INC-000002'"),
        [[
            "INC-000001".to_string(),
            serde_json::to_string(&record("INC-000002", "INC-000001")).expect("JSON")
        ]]
    );

    let before = s.snapshot();
    let e = store::write(db.as_mut(), |w| {
        w.save_merge(&record("INC-000005", "INC-000004"))?;
        w.save_merge(&record("INC-000002", "INC-000004"))
    })
    .expect_err("a second merge of INC-000002")
    .to_string();
    assert!(
        e.contains("INC-000002") && e.contains("an incident not merged already"),
        "{e}"
    );
    assert_eq!(s.snapshot(), before, "a failed save changes nothing");

    store::write(db.as_mut(), |w| {
        assert_eq!(
            w.merges_into("INC-000001")?,
            [
                record("INC-000009", "INC-000001"),
                record("INC-000002", "INC-000001")
            ],
            "oldest first"
        );
        assert_eq!(
            w.take_merge("INC-000009")?,
            Some(record("INC-000009", "INC-000001"))
        );
        assert_eq!(w.take_merge("INC-000009")?, None);
        assert!(w.merges_into("INC-000009")?.is_empty());
        Ok(())
    })
    .expect("take a merge");
    store::dry_run(db.as_mut(), |w| w.take_merge("INC-000002").map(drop)).expect("dry run");
    store::write(db.as_mut(), |w| {
        assert_eq!(
            w.merges_into("INC-000001")?,
            [record("INC-000002", "INC-000001")],
            "taken for good, and a dry run takes nothing"
        );
        Ok(())
    })
    .expect("read merges");
}

both!(merged_into_round_trips_and_status_selects_by_it);
fn merged_into_round_trips_and_status_selects_by_it() {
    let s = Session::new();
    let add = |title: &str| {
        s.ok(&[
            "add",
            "--date",
            "2025-06-17",
            "--type",
            "Battles",
            "--lat",
            "32.62",
            "--lon",
            "36.1",
            "--title",
            title,
        ])
        .trim()
        .to_string()
    };
    let keep = add("Clashes in Daraa");
    let other = add("Clashes in Dar'a");
    let mut db = open(&s);
    store::write(db.as_mut(), |w| {
        let mut o = w.get_incident(&other)?.expect("stored");
        o.merged_into = Some(keep.clone());
        w.update_incident(&o)?;
        // The transaction reads its own change.
        let merged = Filter {
            status: Status::Merged,
            ..Filter::default()
        };
        let mut seen = Vec::new();
        w.for_each_incident(&merged, &mut |i| {
            seen.push(i.uid.unwrap_or_default());
            Ok(())
        })?;
        assert_eq!(seen, [other.as_str()]);
        let h = w.history(&other)?;
        assert_eq!(
            h.last().expect("history").changes(),
            format!("merged_into: null -> \"{keep}\"")
        );
        Ok(())
    })
    .expect("merge");
    // A read's callback that uses the writer: fine on SQLite; on PostgreSQL
    // the connection is busy streaming, which is an error, not a panic.
    let nested = store::dry_run(db.as_mut(), |w| {
        let w: &dyn store::Writer = w;
        w.for_each_incident(&Filter::default(), &mut |_| w.merges_into(&keep).map(drop))
    });
    match common::backend() {
        Backend::Sqlite => nested.expect("nested read on SQLite"),
        Backend::Postgres => {
            let e = nested.expect_err("nested read on PostgreSQL").to_string();
            assert!(e.contains("in use by a read of this transaction"), "{e}");
        }
    }
    drop(db);

    assert_eq!(s.json(&["show", &other])["merged_into"], keep.as_str());
    assert!(s.json(&["show", &keep]).get("merged_into").is_none());
    let listed = |status: Option<&str>| {
        let mut args = vec!["list"];
        args.extend(status.map(|st| ["--status", st]).into_iter().flatten());
        uids(&s.json(&args))
    };
    assert_eq!(listed(None), [keep.as_str()]);
    assert_eq!(listed(Some("active")), [keep.as_str()]);
    assert_eq!(listed(Some("merged")), [other.as_str()]);
    assert_eq!(listed(Some("all")), [keep.as_str(), other.as_str()]);
    let csv = s.ok(&["export", "--format", "csv", "--status", "all"]);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(!csv.contains("merged_into"), "no new column: {csv}");
    let report = |status: &str| {
        s.json(&["report", "--month", "2025-06", "--status", status])["incidents"].as_u64()
    };
    assert_eq!(report("active"), Some(1));
    // A report counts reviewed incidents, never the merged ones (issue 16).
    for status in ["merged", "all"] {
        let o = s.run(&["report", "--month", "2025-06", "--status", status]);
        assert_eq!(o.code, 2, "--status {status}: {}", o.stderr);
    }

    let h = s.json(&["history", &other]);
    let last = h.as_array().expect("history").last().expect("an entry");
    assert_eq!(last["new"]["merged_into"], keep.as_str());
    let document = last["new"].as_object().expect("a document");
    let keys: Vec<&str> = document.keys().map(String::as_str).collect();
    assert_eq!(
        keys[keys.len() - 2..],
        ["merged_into", "status"],
        "after the incident's fields, before its review status"
    );
    assert!(last["old"].get("merged_into").is_none());

    let e = s.fails(&["list", "--status", "gone"]);
    assert!(
        e.contains("--status") && e.contains("reviewed, draft, rejected, merged or all"),
        "{e}"
    );
}
