//! Tally rows: figures that sources report in aggregate.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};

use super::incidents::evidence_json;
use super::{SqliteStore, SqliteWriter, now};
use crate::error::{Error, Result};
use crate::filter::Status;
use crate::model::{Review, Source, Tally};
use crate::store::Entity;
use crate::store::Upsert;
use crate::store::status_sql;

const COLUMNS: &str = "t.uid, t.region, t.region_code, t.place, t.period_start, t.period_end, \
    t.metric, t.value, t.derived, t.notes, t.created_at, t.updated_at, t.excerpt, \
    s.publisher, NULLIF(s.title, ''), NULLIF(s.url, ''), s.published, t.status, t.review_note, \
    t.evidence, t.confidence";

fn date(row: &Row, idx: usize) -> rusqlite::Result<NaiveDate> {
    let s: String = row.get(idx)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn conversion(idx: usize, e: Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
}

fn from_row(row: &Row) -> rusqlite::Result<Tally> {
    let publisher: Option<String> = row.get(13)?;
    let status: String = row.get(17)?;
    let evidence: Option<String> = row.get(19)?;
    Ok(Tally {
        status: Review::parse(&status).map_err(|e| conversion(17, e))?,
        review_note: row.get(18)?,
        evidence: evidence
            .map(|e| serde_json::from_str(&e))
            .transpose()
            .map_err(|e| conversion(19, e.into()))?
            .unwrap_or_default(),
        confidence: row.get(20)?,
        uid: row.get(0)?,
        region: row.get(1)?,
        region_code: row.get(2)?,
        place: row.get(3)?,
        period_start: date(row, 4)?,
        period_end: date(row, 5)?,
        metric: row.get(6)?,
        value: row.get(7)?,
        derived: row.get(8)?,
        notes: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
        source: match publisher {
            Some(publisher) => Some(Source {
                publisher,
                title: row.get(14)?,
                url: row.get(15)?,
                published: row.get(16)?,
                excerpt: row.get(12)?,
            }),
            None => None,
        },
    })
}

impl SqliteWriter<'_> {
    /// Inserts a tally, or updates the one with the same uid; a uid is
    /// generated (`TAL-000001`) when the tally has none.
    pub fn upsert_tally(&mut self, t: &Tally) -> Result<(String, Upsert)> {
        let source_id = t.source.as_ref().map(|s| self.source_id(s)).transpose()?;
        let existing = match &t.uid {
            Some(uid) => self.get_tally(uid)?,
            None => None,
        };
        let uid = match &t.uid {
            Some(u) => u.clone(),
            None => self.next_uid(Entity::Tally)?,
        };
        if existing.as_ref().is_some_and(|old| old.same_figure(t)) {
            return Ok((uid, Upsert::Unchanged));
        }
        let ts = now();
        self.tx.execute(
            "INSERT INTO tallies (uid, region, region_code, place, period_start, period_end, metric, \
             value, derived, source_id, excerpt, notes, created_at, updated_at, status, review_note, \
             evidence, confidence) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15, ?16, ?17) \
             ON CONFLICT (uid) DO UPDATE SET region = excluded.region, \
             region_code = excluded.region_code, place = excluded.place, \
             period_start = excluded.period_start, period_end = excluded.period_end, \
             metric = excluded.metric, value = excluded.value, derived = excluded.derived, \
             source_id = COALESCE(excluded.source_id, source_id), \
             excerpt = COALESCE(excluded.excerpt, excerpt), notes = COALESCE(excluded.notes, notes), \
             updated_at = excluded.updated_at, status = excluded.status, \
             review_note = COALESCE(excluded.review_note, review_note), \
             evidence = COALESCE(excluded.evidence, evidence), \
             confidence = COALESCE(excluded.confidence, confidence)",
            params![
                uid,
                t.region,
                t.region_code,
                t.place,
                t.period_start.to_string(),
                t.period_end.to_string(),
                t.metric,
                t.value,
                t.derived,
                source_id,
                t.source.as_ref().and_then(|s| s.excerpt.clone()),
                t.notes,
                ts,
                t.status.as_str(),
                t.review_note,
                evidence_json(&t.evidence)?,
                t.confidence
            ],
        )?;
        let outcome = if existing.is_some() {
            Upsert::Updated
        } else {
            Upsert::Inserted
        };
        Ok((uid, outcome))
    }

    /// Deletes a tally; its last values stay in the history.
    pub fn delete_tally(&mut self, uid: &str) -> Result<()> {
        if self
            .tx
            .execute("DELETE FROM tallies WHERE uid = ?1", params![uid])?
            == 0
        {
            return Err(Error::NotFound {
                what: "tally".into(),
                name: uid.into(),
                suggestions: vec![],
            });
        }
        Ok(())
    }

    /// The stored tally with this uid, if any.
    pub fn get_tally(&self, uid: &str) -> Result<Option<Tally>> {
        get_tally(&self.tx, uid)
    }
}

fn get_tally(conn: &rusqlite::Connection, uid: &str) -> Result<Option<Tally>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM tallies t LEFT JOIN sources s ON s.id = t.source_id WHERE t.uid = ?1"
        ))?
        .query_row(params![uid], from_row)
        .optional()?)
}

impl SqliteStore {
    /// The tally with this uid, if any.
    pub fn get_tally(&self, uid: &str) -> Result<Option<Tally>> {
        get_tally(&self.conn, uid)
    }

    /// Tallies whose period overlaps `from..=to` (when given), whose region
    /// is one of `region_codes` (when given) and whose status `status`
    /// selects, by period.
    pub fn tallies(
        &self,
        region_codes: Option<&[String]>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        status: Status,
    ) -> Result<Vec<Tally>> {
        let status = status_sql(status, "t.status", None).unwrap_or_else(|| "1".into());
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM tallies t LEFT JOIN sources s ON s.id = t.source_id \
             WHERE (?1 IS NULL OR t.period_end >= ?1) AND (?2 IS NULL OR t.period_start <= ?2) \
             AND {status} ORDER BY t.period_start, t.id"
        ))?;
        let rows = stmt.query_map(
            params![from.map(|d| d.to_string()), to.map(|d| d.to_string())],
            from_row,
        )?;
        let mut out = Vec::new();
        for row in rows {
            let t = row?;
            let keep = match region_codes {
                None => true,
                Some(codes) => t.region_code.as_ref().is_some_and(|c| codes.contains(c)),
            };
            if keep {
                out.push(t);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(uid: &str, start: &str, end: &str) -> Tally {
        Tally {
            status: Default::default(),
            review_note: None,
            evidence: Vec::new(),
            confidence: None,
            uid: Some(uid.into()),
            region: Some("Daraa".into()),
            region_code: Some("SY-DR".into()),
            place: None,
            period_start: start.parse().unwrap(),
            period_end: end.parse().unwrap(),
            metric: "killings".into(),
            value: 38.0,
            derived: false,
            source: Some(Source {
                publisher: "Daraa 24".into(),
                ..Default::default()
            }),
            notes: None,
            created_at: None,
            updated_at: None,
        }
    }

    #[test]
    fn upsert_is_idempotent_and_filters_by_period() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let t = tally("T1", "2025-06-01", "2025-06-30");
        assert_eq!(s.write(|w| w.upsert_tally(&t)).unwrap().1, Upsert::Inserted);
        assert_eq!(
            s.write(|w| w.upsert_tally(&t)).unwrap().1,
            Upsert::Unchanged
        );
        s.write(|w| w.upsert_tally(&tally("T2", "2024-12-08", "2025-07-15")))
            .unwrap();
        let june = s
            .tallies(
                None,
                "2025-06-01".parse().ok(),
                "2025-06-30".parse().ok(),
                Status::Reviewed,
            )
            .unwrap();
        assert_eq!(june.len(), 2);
        let may = s
            .tallies(
                None,
                "2025-05-01".parse().ok(),
                "2025-05-31".parse().ok(),
                Status::Reviewed,
            )
            .unwrap();
        assert_eq!(may.len(), 1);
        let other = s
            .tallies(Some(&["IQ-BG".to_string()]), None, None, Status::All)
            .unwrap();
        assert!(other.is_empty());
        assert_eq!(s.history("T1").unwrap().len(), 1);
    }
}
