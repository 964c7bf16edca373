//! Incident rows: insert, read, update, delete, history.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::filter_sql::where_clause;
use super::{SqliteStore, SqliteWriter, now};
use crate::error::{Error, Result};
use crate::filter::{Filter, Order};
use crate::model::{
    DatePrecision, DateSpan, Evidence, Fatalities, GeoPrecision, Incident, Review, Source,
};
use crate::store::Entity;
use crate::store::{HistoryEntry, ImportBatch, complete_history};

/// The columns read for an incident, in the order `from_row` expects, then
/// those of one of its sources (NULL when it has none): one row per source.
const COLUMNS: &str = "i.id, i.uid, i.title, i.event_type, i.sub_event_type, i.date_start, i.date_end, \
    i.date_precision, i.place, i.latitude, i.longitude, i.geo_precision, i.country, i.admin1, \
    i.admin1_code, i.admin2, i.admin2_code, i.fatalities, i.fatalities_low, i.fatalities_high, \
    i.civilian_fatalities, i.actor1, i.actor2, i.assoc_actors, i.notes, i.tags, i.created_at, \
    i.updated_at, i.reported_admin1, i.reported_admin2, i.merged_into, s.publisher, \
    NULLIF(s.title, ''), NULLIF(s.url, ''), s.published, l.excerpt, i.status, i.review_note, \
    i.evidence, i.confidence \
    FROM incidents i LEFT JOIN incident_sources l ON l.incident_id = i.id \
    LEFT JOIN sources s ON s.id = l.source_id";

/// A date in its stored layout, "2025-06-17", read directly: chrono's
/// general parser costs as much as the rest of the row (export speed).
fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// A date column; what [`iso_date`] does not read is left to chrono, which
/// says what is wrong.
fn date_col(row: &Row, idx: usize) -> rusqlite::Result<NaiveDate> {
    let s = row.get_ref(idx)?.as_str()?;
    iso_date(s).map_or_else(
        || {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    idx,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })
        },
        Ok,
    )
}

fn conversion(idx: usize, e: Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
}

fn from_row(row: &Row) -> rusqlite::Result<Incident> {
    let precision: String = row.get(7)?;
    let geo: Option<u8> = row.get(11)?;
    let tags: String = row.get(25)?;
    let status: String = row.get(36)?;
    let evidence: Option<String> = row.get(38)?;
    Ok(Incident {
        status: Review::parse(&status).map_err(|e| conversion(36, e))?,
        review_note: row.get(37)?,
        evidence: evidence
            .map(|e| serde_json::from_str(&e))
            .transpose()
            .map_err(|e| conversion(38, e.into()))?
            .unwrap_or_default(),
        confidence: row.get(39)?,
        uid: row.get(1)?,
        title: row.get(2)?,
        event_type: row.get(3)?,
        sub_event_type: row.get(4)?,
        span: DateSpan {
            start: date_col(row, 5)?,
            end: date_col(row, 6)?,
            precision: DatePrecision::parse(&precision).map_err(|e| conversion(7, e))?,
        },
        place: row.get(8)?,
        latitude: row.get(9)?,
        longitude: row.get(10)?,
        geo_precision: geo
            .map(GeoPrecision::try_from)
            .transpose()
            .map_err(|e| conversion(11, e))?,
        country: row.get(12)?,
        admin1: row.get(13)?,
        admin1_code: row.get(14)?,
        admin2: row.get(15)?,
        admin2_code: row.get(16)?,
        reported_admin1: row.get(28)?,
        reported_admin2: row.get(29)?,
        fatalities: Fatalities {
            best: row.get(17)?,
            low: row.get(18)?,
            high: row.get(19)?,
        },
        civilian_fatalities: row.get(20)?,
        actor1: row.get(21)?,
        actor2: row.get(22)?,
        assoc_actors: row.get(23)?,
        notes: row.get(24)?,
        tags: serde_json::from_str(&tags).map_err(|e| conversion(25, e.into()))?,
        sources: Vec::new(),
        merged_into: row.get(30)?,
        created_at: row.get(26)?,
        updated_at: row.get(27)?,
    })
}

/// The source on this row, if the incident has one.
fn source_from_row(row: &Row) -> rusqlite::Result<Option<Source>> {
    let Some(publisher) = row.get(31)? else {
        return Ok(None);
    };
    Ok(Some(Source {
        publisher,
        title: row.get(32)?,
        url: row.get(33)?,
        published: row.get(34)?,
        excerpt: row.get(35)?,
    }))
}

/// The incident whose rows `stmt` returns for `params`, if any.
fn read_incident(
    stmt: &mut rusqlite::Statement,
    params: impl rusqlite::Params,
) -> rusqlite::Result<Option<Incident>> {
    let mut rows = stmt.query(params)?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let mut inc = from_row(row)?;
    inc.sources.extend(source_from_row(row)?);
    while let Some(row) = rows.next()? {
        inc.sources.extend(source_from_row(row)?);
    }
    Ok(Some(inc))
}

fn tags_json(tags: &[String]) -> Result<String> {
    Ok(serde_json::to_string(tags)?)
}

/// A record's evidence as stored: a JSON array, NULL when there is none.
pub(super) fn evidence_json(evidence: &[Evidence]) -> Result<Option<String>> {
    Ok(if evidence.is_empty() {
        None
    } else {
        Some(serde_json::to_string(evidence)?)
    })
}

impl SqliteWriter<'_> {
    /// Inserts a new incident (validated and credited to its regions by the
    /// caller) and returns its uid; a uid is generated (`INC-000123`) when
    /// the incident has none. The store links it to the custom regions its
    /// point lies in.
    pub fn insert_incident(&mut self, inc: &Incident) -> Result<String> {
        let uid = match &inc.uid {
            Some(u) => u.clone(),
            None => self.next_uid(Entity::Incident)?,
        };
        // Imports keep the dataset's own timestamps; new records get now.
        let ts = inc.updated_at.clone().unwrap_or_else(now);
        let id = self.write_row(inc, &uid, &ts, None)?;
        self.link_sources(id, &inc.sources)?;
        self.link_custom_regions(id, point(inc), false)?;
        Ok(uid)
    }

    /// Replaces a stored incident's fields with `inc`'s (matched by uid);
    /// its custom regions follow its point.
    pub fn update_incident(&mut self, inc: &Incident) -> Result<()> {
        let uid = inc
            .uid
            .as_deref()
            .ok_or_else(|| Error::invalid("uid", "(none)", "the uid of the incident to update"))?;
        let id = self.incident_id(uid)?.ok_or_else(|| not_found(uid))?;
        self.write_row(inc, uid, &now(), Some(id))?;
        self.link_sources(id, &inc.sources)?;
        self.link_custom_regions(id, point(inc), true)?;
        Ok(())
    }

    /// Deletes an incident; its last values stay in the history.
    pub fn delete_incident(&mut self, uid: &str) -> Result<()> {
        let n = self
            .tx
            .execute("DELETE FROM incidents WHERE uid = ?1", params![uid])?;
        if n == 0 {
            return Err(not_found(uid));
        }
        Ok(())
    }

    /// The stored incident with this uid, if any.
    pub fn get_incident(&self, uid: &str) -> Result<Option<Incident>> {
        get_incident(&self.tx, uid)
    }

    fn incident_id(&self, uid: &str) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached("SELECT id FROM incidents WHERE uid = ?1")?
            .query_row(params![uid], |r| r.get(0))
            .optional()?)
    }

    fn write_row(&self, inc: &Incident, uid: &str, ts: &str, id: Option<i64>) -> Result<i64> {
        let tags = tags_json(&inc.tags)?;
        let evidence = evidence_json(&inc.evidence)?;
        let values = params![
            uid,
            inc.title,
            inc.event_type,
            inc.sub_event_type,
            inc.span.start.to_string(),
            inc.span.end.to_string(),
            inc.span.precision.as_str(),
            inc.place,
            inc.latitude,
            inc.longitude,
            inc.geo_precision.map(u8::from),
            inc.country,
            inc.admin1,
            inc.admin1_code,
            inc.admin2,
            inc.admin2_code,
            inc.fatalities.best,
            inc.fatalities.low,
            inc.fatalities.high,
            inc.civilian_fatalities,
            inc.actor1,
            inc.actor2,
            inc.assoc_actors,
            inc.notes,
            tags,
            ts,
            inc.reported_admin1,
            inc.reported_admin2,
            inc.created_at.as_deref().unwrap_or(ts),
            self.import_id,
            inc.merged_into,
            inc.status.as_str(),
            inc.review_note,
            evidence,
            inc.confidence,
        ];
        match id {
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO incidents (uid, title, event_type, sub_event_type, date_start, \
                         date_end, date_precision, place, latitude, longitude, geo_precision, country, \
                         admin1, admin1_code, admin2, admin2_code, fatalities, fatalities_low, \
                         fatalities_high, civilian_fatalities, actor1, actor2, assoc_actors, notes, \
                         tags, created_at, updated_at, reported_admin1, reported_admin2, import_id, \
                         merged_into, status, review_note, evidence, confidence) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
                         ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?29, ?26, ?27, ?28, ?30, \
                         ?31, ?32, ?33, ?34, ?35)",
                    )?
                    .execute(values)
                    .map_err(|e| match e.sqlite_error_code() {
                        // The uid's unique index says it is taken (one probe, not two).
                        Some(rusqlite::ErrorCode::ConstraintViolation)
                            if e.to_string().contains("incidents.uid") =>
                        {
                            Error::invalid("uid", uid, "a uid not already in the database")
                        }
                        _ => e.into(),
                    })?;
                Ok(self.tx.last_insert_rowid())
            }
            Some(id) => {
                self.tx
                    .prepare_cached(
                        "UPDATE incidents SET uid = ?1, title = ?2, event_type = ?3, \
                         sub_event_type = ?4, date_start = ?5, date_end = ?6, date_precision = ?7, \
                         place = ?8, latitude = ?9, longitude = ?10, geo_precision = ?11, \
                         country = ?12, admin1 = ?13, admin1_code = ?14, admin2 = ?15, \
                         admin2_code = ?16, fatalities = ?17, fatalities_low = ?18, \
                         fatalities_high = ?19, civilian_fatalities = ?20, actor1 = ?21, \
                         actor2 = ?22, assoc_actors = ?23, notes = ?24, tags = ?25, \
                         updated_at = ?26, reported_admin1 = ?27, reported_admin2 = ?28, \
                         merged_into = ?31, status = ?32, review_note = ?33, evidence = ?34, \
                         confidence = ?35 WHERE id = ?36",
                    )?
                    .execute(rusqlite::params_from_iter(
                        values
                            .iter()
                            .copied()
                            .chain(std::iter::once(&id as &dyn rusqlite::ToSql)),
                    ))?;
                Ok(id)
            }
        }
    }

    /// Links sources to an incident, adding sources not seen before.
    /// Links the incident to exactly these sources (a merge undone takes
    /// back the sources it attached).
    fn link_sources(&mut self, incident_id: i64, sources: &[Source]) -> Result<()> {
        let mut ids = Vec::with_capacity(sources.len());
        for s in sources {
            let source_id = self.source_id(s)?;
            ids.push(source_id);
            self.tx
                .prepare_cached(
                    "INSERT INTO incident_sources (incident_id, source_id, excerpt) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (incident_id, source_id) DO UPDATE SET \
                     excerpt = COALESCE(excluded.excerpt, excerpt)",
                )?
                .execute(params![incident_id, source_id, s.excerpt])?;
        }
        self.tx
            .prepare_cached(
                "DELETE FROM incident_sources WHERE incident_id = ?1 \
                 AND source_id NOT IN (SELECT value FROM json_each(?2))",
            )?
            .execute(params![incident_id, serde_json::to_string(&ids)?])?;
        Ok(())
    }

    /// The id of a source, inserting it when new. Ids are cached for the
    /// transaction: an import of a million rows cites few distinct sources.
    pub(super) fn source_id(&mut self, s: &Source) -> Result<i64> {
        let key = (
            s.publisher.clone(),
            s.title.clone().unwrap_or_default(),
            s.url.clone().unwrap_or_default(),
        );
        if s.published.is_none()
            && let Some(&id) = self.source_ids.get(&key)
        {
            return Ok(id);
        }
        let (publisher, title, url) = &key;
        self.tx
            .prepare_cached(
                "INSERT INTO sources (publisher, title, url, published) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (publisher, title, url) DO UPDATE SET \
                 published = COALESCE(excluded.published, published)",
            )?
            .execute(params![publisher, title, url, s.published])?;
        let id: i64 = self
            .tx
            .prepare_cached(
                "SELECT id FROM sources WHERE publisher = ?1 AND title = ?2 AND url = ?3",
            )?
            .query_row(params![publisher, title, url], |r| r.get(0))?;
        self.source_ids.insert(key, id);
        Ok(id)
    }
}

/// An incident's point, when it has one.
fn point(inc: &Incident) -> Option<(f64, f64)> {
    Some((inc.latitude?, inc.longitude?))
}

fn not_found(uid: &str) -> Error {
    Error::NotFound {
        what: "incident".into(),
        name: uid.into(),
        suggestions: vec![],
    }
}

fn get_incident(conn: &Connection, uid: &str) -> Result<Option<Incident>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} WHERE i.uid = ?1 ORDER BY l.source_id"
    ))?;
    Ok(read_incident(&mut stmt, params![uid])?)
}

impl SqliteStore {
    /// The incident with this uid, if any.
    pub fn get_incident(&self, uid: &str) -> Result<Option<Incident>> {
        get_incident(&self.conn, uid)
    }

    /// Calls `f` with every incident matching `filter`, in its order, streaming.
    pub fn for_each_incident(
        &self,
        filter: &Filter,
        f: impl FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        for_each_incident(&self.conn, filter, f)
    }

    /// How many incidents there are in all.
    pub fn count_incidents(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM incidents", [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The recorded changes of the incident or tally with this uid, oldest first.
    pub fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>> {
        history(&self.conn, uid)
    }
}

impl SqliteWriter<'_> {
    /// [`SqliteStore::for_each_incident`], inside the transaction.
    pub fn for_each_incident(
        &self,
        filter: &Filter,
        f: impl FnMut(Incident) -> Result<()>,
    ) -> Result<()> {
        for_each_incident(&self.tx, filter, f)
    }

    /// [`SqliteStore::history`], inside the transaction.
    pub fn history(&self, uid: &str) -> Result<Vec<HistoryEntry>> {
        history(&self.tx, uid)
    }
}

/// Calls `f` with every incident matching `filter`, in its order,
/// streaming: memory use does not grow with the number of rows.
fn for_each_incident(
    conn: &Connection,
    filter: &Filter,
    mut f: impl FnMut(Incident) -> Result<()>,
) -> Result<()> {
    let (clause, args) = where_clause(filter);
    let limit = filter
        .limit
        .map(|n| format!(" LIMIT {n}"))
        .unwrap_or_default();
    // The ids in order first: sorting them is cheap, sorting whole rows is not.
    let sql = format!(
        "SELECT i.id FROM incidents i WHERE {clause} ORDER BY {}{limit}",
        match filter.order {
            Order::Date => "i.date_start, i.id",
            // The date `formats::acled::event_date` writes: the middle
            // day of a span of up to seven days, else the 15th of the
            // middle day's month.
            Order::AcledDate => {
                "CASE WHEN julianday(i.date_end) - julianday(i.date_start) < 7 \
                 THEN date(i.date_start, '+' || (CAST(julianday(i.date_end) \
                   - julianday(i.date_start) AS INTEGER) / 2) || ' days') \
                 ELSE substr(date(i.date_start, '+' || (CAST(julianday(i.date_end) \
                   - julianday(i.date_start) AS INTEGER) / 2) || ' days'), 1, 7) || '-15' \
                 END, i.uid"
            }
        },
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut fetch = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} WHERE i.id = ?1 ORDER BY l.source_id"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let inc =
            read_incident(&mut fetch, params![id])?.ok_or_else(|| not_found(&id.to_string()))?;
        f(inc)?;
    }
    Ok(())
}

/// The stored JSON document of an incident (as history records it).
fn incident_doc(conn: &Connection, uid: &str) -> Result<Option<serde_json::Value>> {
    let doc: Option<String> = conn
        .query_row(
            "SELECT doc FROM incident_json WHERE uid = ?1",
            params![uid],
            |r| r.get(0),
        )
        .optional()?;
    Ok(doc.map(|d| serde_json::from_str(&d)).transpose()?)
}

/// The recorded changes of the incident or tally with this uid, oldest first.
fn history(conn: &Connection, uid: &str) -> Result<Vec<HistoryEntry>> {
    let batch = |r: &Row, i: usize| -> rusqlite::Result<Option<ImportBatch>> {
        let id: Option<i64> = r.get(i)?;
        Ok(match id {
            Some(id) => Some(ImportBatch {
                id,
                input: r.get(i + 1)?,
                format: r.get(i + 2)?,
            }),
            None => None,
        })
    };
    let parse = |s: Option<String>| -> Result<Option<serde_json::Value>> {
        Ok(s.map(|s| serde_json::from_str(&s)).transpose()?)
    };
    let mut stmt = conn.prepare(
        "SELECT h.at, h.entity, h.uid, h.action, h.old, h.new, b.id, b.input, b.format, \
         h.by_user, h.label \
         FROM history h LEFT JOIN imports b ON b.id = h.import_id WHERE h.uid = ?1 ORDER BY h.id",
    )?;
    let rows = stmt.query_map(params![uid], |r| {
        let old: Option<String> = r.get(4)?;
        let new: Option<String> = r.get(5)?;
        Ok((
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
            (old, new),
            batch(r, 6)?,
            (r.get(9)?, r.get(10)?),
        ))
    })?;
    let mut out: Vec<HistoryEntry> = Vec::new();
    for row in rows {
        let ((at, entity, uid, action), (old, new), import, (by, label)) = row?;
        out.push(HistoryEntry {
            at,
            entity,
            uid,
            action,
            old: parse(old)?,
            new: parse(new)?,
            import,
            by,
            label,
        });
    }
    // An imported incident's insert is its import's (see schema.sql,
    // migration 6), written out only when the incident is deleted.
    type Created = (String, Option<ImportBatch>, Option<String>, Option<String>);
    let created: Option<Created> = conn
        .query_row(
            "SELECT b.at, b.id, b.input, b.format, b.by_user, b.label FROM incidents i \
             JOIN imports b ON b.id = i.import_id WHERE i.uid = ?1",
            params![uid],
            |r| Ok((r.get(0)?, batch(r, 1)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let created = created.map(|(at, import, by, label)| HistoryEntry {
        at,
        entity: "incident".into(),
        uid: uid.to_string(),
        action: "insert".into(),
        old: None,
        new: None,
        import,
        by,
        label,
    });
    complete_history(out, created, || incident_doc(conn, uid))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(date: &str) -> Incident {
        let mut i = Incident::new("Battles", DateSpan::parse("d", date).unwrap());
        i.latitude = Some(32.6);
        i.longitude = Some(36.1);
        i.sources.push(Source {
            publisher: "Test".into(),
            ..Default::default()
        });
        i
    }

    #[test]
    fn insert_get_update_delete_with_history() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let uid = s
            .write(|w| w.insert_incident(&incident("2025-06-17")))
            .unwrap();
        assert_eq!(uid, "INC-000001");
        let mut got = s.get_incident(&uid).unwrap().unwrap();
        assert_eq!(got.sources.len(), 1);
        assert_eq!(got.fatalities.best, None);
        got.fatalities.best = Some(3);
        s.write(|w| w.update_incident(&got)).unwrap();
        assert_eq!(
            s.get_incident(&uid).unwrap().unwrap().fatalities.best,
            Some(3)
        );
        s.write(|w| w.delete_incident(&uid)).unwrap();
        assert!(s.get_incident(&uid).unwrap().is_none());
        let h = s.history(&uid).unwrap();
        let actions: Vec<_> = h.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["insert", "update", "delete"]);
        assert_eq!(
            h[1].old.as_ref().unwrap()["fatalities"],
            serde_json::Value::Null
        );
        assert_eq!(h[1].new.as_ref().unwrap()["fatalities"], 3);
        assert_eq!(
            h[2].old.as_ref().unwrap()["sources"][0]["publisher"],
            "Test"
        );
    }

    #[test]
    fn uids_are_never_handed_out_twice() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let add = |s: &mut SqliteStore| {
            s.write(|w| w.insert_incident(&incident("2025-06-17")))
                .unwrap()
        };
        assert_eq!(add(&mut s), "INC-000001");
        assert_eq!(add(&mut s), "INC-000002");
        s.write(|w| w.delete_incident("INC-000002")).unwrap();
        assert_eq!(add(&mut s), "INC-000003", "the newest uid deleted");
        let mut given = incident("2025-06-17");
        given.uid = Some("INC-000009".into());
        s.write(|w| w.insert_incident(&given)).unwrap();
        s.write(|w| w.delete_incident("INC-000009")).unwrap();
        assert_eq!(
            add(&mut s),
            "INC-000010",
            "a uid given in our form counts too"
        );
    }

    #[test]
    fn failed_write_rolls_back() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let r: Result<()> = s.write(|w| {
            w.insert_incident(&incident("2025-06-17"))?;
            Err(Error::invalid("x", "y", "z"))
        });
        assert!(r.is_err());
        assert_eq!(s.count_incidents().unwrap(), 0);
    }

    #[test]
    fn duplicate_uid_is_refused() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let mut a = incident("2025-06-17");
        a.uid = Some("X-1".into());
        s.write(|w| w.insert_incident(&a)).unwrap();
        assert!(s.write(|w| w.insert_incident(&a)).is_err());
    }
}
