//! Merge records: what each merge did to the incident it kept.

use rusqlite::{OptionalExtension, params};

use super::SqliteWriter;
use crate::error::Result;
use crate::store::MergeRecord;

/// The merge recorded for `other`, if any.
pub(super) fn merge_record(
    conn: &rusqlite::Connection,
    other: &str,
) -> Result<Option<MergeRecord>> {
    one_record(
        conn,
        "SELECT record FROM merges WHERE other_uid = ?1",
        other,
    )
}

/// The record `sql` returns for `other` (its one parameter), if any.
fn one_record(conn: &rusqlite::Connection, sql: &str, other: &str) -> Result<Option<MergeRecord>> {
    let record: Option<String> = conn
        .query_row(sql, params![other], |r| r.get(0))
        .optional()?;
    record
        .map(|r| MergeRecord::from_json(other, &r))
        .transpose()
}

impl SqliteWriter<'_> {
    /// Records a merge; one already recorded for `m.other` is an error.
    pub fn save_merge(&mut self, m: &MergeRecord) -> Result<()> {
        let saved = self.tx.execute(
            "INSERT INTO merges (other_uid, keep_uid, record) VALUES (?1, ?2, ?3) \
             ON CONFLICT (other_uid) DO NOTHING",
            params![m.other, m.keep, serde_json::to_string(m)?],
        )?;
        if saved == 0 {
            return Err(m.already_saved());
        }
        Ok(())
    }

    /// The merge recorded for `other`, removed.
    pub fn take_merge(&mut self, other: &str) -> Result<Option<MergeRecord>> {
        one_record(
            &self.tx,
            "DELETE FROM merges WHERE other_uid = ?1 RETURNING record",
            other,
        )
    }

    /// The merges recorded into `keep`, oldest first (several written in
    /// the same millisecond in the order written).
    pub fn merges_into(&self, keep: &str) -> Result<Vec<MergeRecord>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT other_uid, record FROM merges WHERE keep_uid = ?1 ORDER BY at, rowid",
        )?;
        let rows = stmt.query_map(params![keep], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (other, record) = row?;
            out.push(MergeRecord::from_json(&other, &record)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::SqliteStore;
    use crate::filter::{Filter, Status};
    use crate::model::{DateSpan, Incident, Source};
    use crate::store::{MergeRecord, Store, write};

    fn record(other: &str, keep: &str) -> MergeRecord {
        MergeRecord {
            other: other.into(),
            keep: keep.into(),
            filled: vec!["notes".into(), "coordinates".into()],
            sources: vec![Source {
                publisher: "SOHR".into(),
                url: Some("https://example.org/a".into()),
                ..Default::default()
            }],
        }
    }

    #[test]
    fn merges_are_listed_oldest_first_and_taken_once() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        write(&mut s, |w| {
            w.save_merge(&record("Z", "A"))?;
            w.save_merge(&record("B", "A"))?;
            w.save_merge(&record("C", "X"))
        })
        .unwrap();
        let e = write(&mut s, |w| w.save_merge(&record("B", "X")))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"B\"") && e.contains("not merged already"),
            "{e}"
        );
        write(&mut s, |w| {
            assert_eq!(w.merges_into("A")?, [record("Z", "A"), record("B", "A")]);
            assert_eq!(w.take_merge("Z")?, Some(record("Z", "A")));
            assert_eq!(w.take_merge("Z")?, None);
            assert_eq!(w.merges_into("A")?, [record("B", "A")]);
            assert!(w.merges_into("B")?.is_empty());
            Ok(())
        })
        .unwrap();
        // Taken is gone for good; a failed transaction takes nothing.
        let failed: crate::error::Result<()> = write(&mut s, |w| {
            w.take_merge("B")?;
            Err(crate::error::Error::invalid("x", "y", "z"))
        });
        assert!(failed.is_err());
        write(&mut s, |w| {
            assert_eq!(w.merges_into("A")?, [record("B", "A")]);
            Ok(())
        })
        .unwrap();
    }

    fn uids(s: &SqliteStore, status: Status) -> Vec<String> {
        let mut out = Vec::new();
        let f = Filter {
            status,
            ..Filter::default()
        };
        Store::for_each_incident(s, &f, &mut |i| {
            out.push(i.uid.unwrap_or_default());
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn merged_into_is_stored_selected_by_status_and_kept_in_history() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let inc = Incident::new("Battles", DateSpan::parse("d", "2025-06-17").unwrap());
        let (keep, other) = write(&mut s, |w| {
            Ok((w.insert_incident(&inc)?, w.insert_incident(&inc)?))
        })
        .unwrap();
        write(&mut s, |w| {
            let mut o = w.get_incident(&other)?.unwrap();
            o.merged_into = Some(keep.clone());
            w.update_incident(&o)?;
            // The transaction reads its own change.
            let mut merged = Vec::new();
            let f = Filter {
                status: Status::Merged,
                ..Filter::default()
            };
            w.for_each_incident(&f, &mut |i| {
                merged.push(i.uid.unwrap_or_default());
                Ok(())
            })?;
            assert_eq!(merged, [other.as_str()]);
            let h = w.history(&other)?;
            assert_eq!(
                h.last().unwrap().changes(),
                format!("merged_into: null -> \"{keep}\"")
            );
            Ok(())
        })
        .unwrap();
        assert_eq!(
            s.get_incident(&other).unwrap().unwrap().merged_into,
            Some(keep.clone())
        );
        assert_eq!(uids(&s, Status::Reviewed), [keep.as_str()]);
        assert_eq!(uids(&s, Status::Merged), [other.as_str()]);
        assert_eq!(uids(&s, Status::All), [keep.as_str(), other.as_str()]);

        write(&mut s, |w| {
            let mut o = w.get_incident(&other)?.unwrap();
            o.merged_into = None;
            w.update_incident(&o)
        })
        .unwrap();
        let h = s.history(&other).unwrap();
        let actions: Vec<&str> = h.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["insert", "update", "update"]);
        // Unmerged documents have no such key; a merged one has it after
        // the incident's fields, before its review status.
        assert!(h[0].new.as_ref().unwrap().get("merged_into").is_none());
        let merged = h[1].new.as_ref().unwrap().as_object().unwrap();
        let keys: Vec<&str> = merged.keys().map(String::as_str).collect();
        assert_eq!(keys[keys.len() - 2..], ["merged_into", "status"]);
        assert_eq!(h[2].changes(), format!("merged_into: \"{keep}\" -> null"));
        assert!(h[2].new.as_ref().unwrap().get("merged_into").is_none());
    }
}
