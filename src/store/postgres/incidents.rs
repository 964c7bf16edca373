//! Incident rows: insert (in batches, with COPY), read, update, delete, history.

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::Type;
use postgres::{GenericClient, Row, Transaction};

use super::filter_sql::{search_column, where_clause};
use super::{PgWriter, refs};
use crate::error::{Error, Result};
use crate::filter::{Filter, Order};
use crate::model::{
    DatePrecision, DateSpan, Evidence, Fatalities, GeoPrecision, Incident, Review, Source,
};
use crate::store::{Entity, HistoryEntry, ImportBatch, complete_history};

/// The columns read for an incident, in the order `from_row` expects; its
/// sources come as one JSON array, in the order SQLite gives them.
const COLUMNS: &str = "i.uid, i.title, i.event_type, i.sub_event_type, i.date_start, i.date_end, \
    i.date_precision, i.place, i.latitude, i.longitude, i.geo_precision, i.country, i.admin1, \
    i.admin1_code, i.admin2, i.admin2_code, i.fatalities, i.fatalities_low, i.fatalities_high, \
    i.civilian_fatalities, i.actor1, i.actor2, i.assoc_actors, i.notes, i.tags, i.created_at, \
    i.updated_at, i.reported_admin1, i.reported_admin2, i.merged_into, \
    (SELECT json_agg(json_build_object('publisher', s.publisher, 'title', NULLIF(s.title, ''), \
        'url', NULLIF(s.url, ''), 'published', s.published, 'excerpt', l.excerpt) ORDER BY l.source_id) \
     FROM incident_sources l JOIN sources s ON s.id = l.source_id WHERE l.incident_id = i.id), \
    i.status, i.review_note, i.evidence, i.confidence";

/// A record's evidence as stored: a JSON array, NULL when there is none.
pub(super) fn evidence_json(evidence: &[Evidence]) -> Result<Option<serde_json::Value>> {
    Ok(if evidence.is_empty() {
        None
    } else {
        Some(serde_json::to_value(evidence)?)
    })
}

/// Incidents inserted but not yet sent to the server.
pub(super) const BATCH: usize = 10_000;

fn bad(column: &str, reason: impl std::fmt::Display) -> Error {
    Error::Data {
        what: format!("incidents.{column} in the database"),
        reason: reason.to_string(),
    }
}

/// A count column as the model holds it.
fn count(row: &Row, idx: usize, column: &str) -> Result<Option<u32>> {
    row.get::<_, Option<i64>>(idx)
        .map(|v| u32::try_from(v).map_err(|e| bad(column, e)))
        .transpose()
}

pub(super) fn from_row(row: &Row) -> Result<Incident> {
    let precision: String = row.get(6);
    let geo: Option<i16> = row.get(10);
    let tags: serde_json::Value = row.get(24);
    let sources: Option<serde_json::Value> = row.get(30);
    let status: String = row.get(31);
    let evidence: Option<serde_json::Value> = row.get(33);
    Ok(Incident {
        status: Review::parse(&status)?,
        review_note: row.get(32),
        evidence: match evidence {
            Some(e) => serde_json::from_value(e).map_err(|e| bad("evidence", e))?,
            None => Vec::new(),
        },
        confidence: row.get(34),
        uid: row.get(0),
        title: row.get(1),
        event_type: row.get(2),
        sub_event_type: row.get(3),
        span: DateSpan {
            start: row.get(4),
            end: row.get(5),
            precision: DatePrecision::parse(&precision)?,
        },
        place: row.get(7),
        latitude: row.get(8),
        longitude: row.get(9),
        geo_precision: geo
            .map(|g| u8::try_from(g).map_err(|e| bad("geo_precision", e)))
            .transpose()?
            .map(GeoPrecision::try_from)
            .transpose()?,
        country: row.get(11),
        admin1: row.get(12),
        admin1_code: row.get(13),
        admin2: row.get(14),
        admin2_code: row.get(15),
        reported_admin1: row.get(27),
        reported_admin2: row.get(28),
        fatalities: Fatalities {
            best: count(row, 16, "fatalities")?,
            low: count(row, 17, "fatalities_low")?,
            high: count(row, 18, "fatalities_high")?,
        },
        civilian_fatalities: count(row, 19, "civilian_fatalities")?,
        actor1: row.get(20),
        actor2: row.get(21),
        assoc_actors: row.get(22),
        notes: row.get(23),
        tags: serde_json::from_value(tags).map_err(|e| bad("tags", e))?,
        sources: match sources {
            Some(s) => serde_json::from_value(s).map_err(|e| bad("sources", e))?,
            None => Vec::new(),
        },
        merged_into: row.get(29),
        created_at: row.get(25),
        updated_at: row.get(26),
    })
}

/// The incident with a uid.
pub(super) const BY_UID: &str =
    const_format::concatcp!("SELECT ", COLUMNS, " FROM incidents i WHERE i.uid = $1");

/// The incident with a uid, read to be written: the row stays locked until
/// the transaction ends, and a change committed while this waited for the
/// lock is what it reads (so an edit never writes back stale values).
pub(super) const BY_UID_FOR_UPDATE: &str = const_format::concatcp!(BY_UID, " FOR UPDATE OF i");

pub(super) fn get_incident(c: &mut impl GenericClient, uid: &str) -> Result<Option<Incident>> {
    c.query_opt(BY_UID, &[&uid])?
        .map(|r| from_row(&r))
        .transpose()
}

/// Calls `f` with every incident matching `filter`, in its order,
/// streaming: the server sends rows as they are read.
pub(super) fn for_each_incident(
    c: &mut impl GenericClient,
    filter: &Filter,
    f: &mut dyn FnMut(Incident) -> Result<()>,
) -> Result<()> {
    let (clause, args) = where_clause(filter);
    let limit = filter
        .limit
        .map(|n| format!(" LIMIT {n}"))
        .unwrap_or_default();
    let order = match filter.order {
        Order::Date => "i.date_start, i.id",
        // The date `formats::acled::event_date` writes (see SQLite's).
        Order::AcledDate => {
            "CASE WHEN i.date_end - i.date_start < 7 \
             THEN i.date_start + (i.date_end - i.date_start) / 2 \
             ELSE (date_trunc('month', i.date_start + (i.date_end - i.date_start) / 2) \
                   + interval '14 days')::date END, i.uid"
        }
    };
    let sql = format!("SELECT {COLUMNS} FROM incidents i WHERE {clause} ORDER BY {order}{limit}");
    let mut rows = c.query_raw(&sql, refs(&args))?;
    while let Some(row) = rows.next()? {
        f(from_row(&row)?)?;
    }
    Ok(())
}

/// The recorded changes of the incident or tally with this uid, oldest first.
pub(super) fn history(c: &mut impl GenericClient, uid: &str) -> Result<Vec<HistoryEntry>> {
    let batch = |r: &Row, i: usize| -> Option<ImportBatch> {
        r.get::<_, Option<i64>>(i).map(|id| ImportBatch {
            id,
            input: r.get(i + 1),
            format: r.get(i + 2),
        })
    };
    let out: Vec<HistoryEntry> = c
        .query(
            "SELECT h.at, h.entity, h.uid, h.action, h.old, h.new, b.id, b.input, b.format, \
             h.by_user, h.label FROM history h LEFT JOIN imports b ON b.id = h.import_id \
             WHERE h.uid = $1 ORDER BY h.id",
            &[&uid],
        )?
        .iter()
        .map(|r| HistoryEntry {
            at: r.get(0),
            entity: r.get(1),
            uid: r.get(2),
            action: r.get(3),
            old: r.get(4),
            new: r.get(5),
            import: batch(r, 6),
            by: r.get(9),
            label: r.get(10),
        })
        .collect();
    let created = c
        .query_opt(
            "SELECT b.at, b.id, b.input, b.format, b.by_user, b.label FROM incidents i \
             JOIN imports b ON b.id = i.import_id WHERE i.uid = $1",
            &[&uid],
        )?
        .map(|r| HistoryEntry {
            at: r.get(0),
            entity: "incident".into(),
            uid: uid.to_string(),
            action: "insert".into(),
            old: None,
            new: None,
            import: batch(&r, 1),
            by: r.get(4),
            label: r.get(5),
        });
    complete_history(out, created, || {
        Ok(c.query_opt(
            "SELECT incident_doc(i) FROM incidents i WHERE i.uid = $1",
            &[&uid],
        )?
        .map(|r| r.get(0)))
    })
}

/// An incident waiting to be sent, with what the server needs besides it.
struct PendingRow {
    inc: Incident,
    uid: String,
    written_at: String,
    import_id: Option<i64>,
    /// Its sources' ids with their excerpts, one per source.
    sources: Vec<(i64, Option<String>)>,
    /// The custom regions its point lies in.
    regions: Vec<String>,
}

/// Incidents inserted in a transaction and not yet sent.
#[derive(Default)]
pub(super) struct Pending {
    rows: Vec<PendingRow>,
}

impl Pending {
    pub(super) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The staging table COPY fills, one per transaction.
/// Each staged row takes its incident's id as COPY writes it, in order, so
/// that the source and region links need no join on uid.
const STAGING: &str = "CREATE TEMP TABLE IF NOT EXISTS incident_staging (
    id int8 DEFAULT nextval('incidents_id_seq'), ord int4, uid text, title text, event_type text, sub_event_type text, date_start date,
    date_end date, date_precision text, place text, latitude float8, longitude float8,
    geo_precision int2, country text, admin1 text, admin1_code text, admin2 text,
    admin2_code text, reported_admin1 text, reported_admin2 text, fatalities int8,
    fatalities_low int8, fatalities_high int8, civilian_fatalities int8, actor1 text,
    actor2 text, assoc_actors text, notes text, tags jsonb, created_at text, updated_at text,
    import_id int8, search_actors text, search_text text, merged_into text, status text,
    review_note text, evidence jsonb, confidence float8, source_ids int8[], excerpts text[],
    regions text[]) ON COMMIT DROP";

/// The staged columns that go to `incidents` as they are.
const STAGED: &str = "uid, title, event_type, sub_event_type, date_start, date_end, \
    date_precision, place, latitude, longitude, geo_precision, country, admin1, admin1_code, \
    admin2, admin2_code, reported_admin1, reported_admin2, fatalities, fatalities_low, \
    fatalities_high, civilian_fatalities, actor1, actor2, assoc_actors, notes, tags, created_at, \
    updated_at, import_id, search_actors, search_text, merged_into, status, review_note, evidence, \
    confidence";

/// Sends the pending incidents: COPY into the staging table, then one
/// INSERT each into incidents, their source links and their custom regions.
pub(super) fn send(tx: &mut Transaction, pending: &mut Pending) -> Result<()> {
    use Type as T;
    tx.batch_execute(STAGING)?;
    let types = [
        T::INT4,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::DATE,
        T::DATE,
        T::TEXT,
        T::TEXT,
        T::FLOAT8,
        T::FLOAT8,
        T::INT2,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::INT8,
        T::INT8,
        T::INT8,
        T::INT8,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::JSONB,
        T::TEXT,
        T::TEXT,
        T::INT8,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::TEXT,
        T::JSONB,
        T::FLOAT8,
        T::INT8_ARRAY,
        T::TEXT_ARRAY,
        T::TEXT_ARRAY,
    ];
    {
        let sink = tx.copy_in(&format!(
            "COPY incident_staging (ord, {STAGED}, source_ids, excerpts, regions) \
             FROM STDIN (FORMAT binary)"
        ))?;
        let mut w = BinaryCopyInWriter::new(sink, &types);
        for (ord, p) in pending.rows.iter().enumerate() {
            let i = &p.inc;
            let n = |v: Option<u32>| v.map(i64::from);
            let tags = serde_json::to_value(&i.tags)?;
            let evidence = evidence_json(&i.evidence)?;
            let (ids, excerpts): (Vec<i64>, Vec<Option<String>>) =
                p.sources.iter().cloned().unzip();
            w.write(&[
                &(ord as i32),
                &p.uid,
                &i.title,
                &i.event_type,
                &i.sub_event_type,
                &i.span.start,
                &i.span.end,
                &i.span.precision.as_str(),
                &i.place,
                &i.latitude,
                &i.longitude,
                &i.geo_precision.map(|g| i16::from(u8::from(g))),
                &i.country,
                &i.admin1,
                &i.admin1_code,
                &i.admin2,
                &i.admin2_code,
                &i.reported_admin1,
                &i.reported_admin2,
                &n(i.fatalities.best),
                &n(i.fatalities.low),
                &n(i.fatalities.high),
                &n(i.civilian_fatalities),
                &i.actor1,
                &i.actor2,
                &i.assoc_actors,
                &i.notes,
                &tags,
                &i.created_at.as_deref().unwrap_or(&p.written_at),
                &p.written_at,
                &p.import_id,
                &search_actors(i),
                &search_text(i),
                &i.merged_into,
                &i.status.as_str(),
                &i.review_note,
                &evidence,
                &i.confidence,
                &ids,
                &excerpts,
                &p.regions,
            ])?;
        }
        w.finish()?;
    }
    tx.execute(
        &format!(
            "INSERT INTO incidents (id, {STAGED}) SELECT id, {STAGED} FROM incident_staging ORDER BY ord"
        ),
        &[],
    )
    .map_err(|e| match e.as_db_error() {
        // The uid's unique index says it is taken (one probe, not two).
        Some(db) if db.constraint() == Some("incidents_uid_key") => {
            let uid = db
                .detail()
                .and_then(|d| d.split_once("=(")?.1.split_once(") ").map(|x| x.0))
                .unwrap_or_default()
                .to_string();
            Error::invalid("uid", uid, "a uid not already in the database")
        }
        _ => e.into(),
    })?;
    tx.batch_execute(
        "INSERT INTO incident_sources (incident_id, source_id, excerpt) \
         SELECT st.id, s.source_id, s.excerpt FROM incident_staging st \
         CROSS JOIN LATERAL unnest(st.source_ids, st.excerpts) AS s(source_id, excerpt); \
         INSERT INTO incident_regions (region_code, incident_id) \
         SELECT r.code, st.id FROM incident_staging st \
         CROSS JOIN LATERAL unnest(st.regions) AS r(code); \
         TRUNCATE incident_staging",
    )?;
    pending.rows.clear();
    Ok(())
}

/// The folded actors a `--actor` filter reads.
fn search_actors(i: &Incident) -> String {
    search_column([
        i.actor1.as_deref(),
        i.actor2.as_deref(),
        i.assoc_actors.as_deref(),
    ])
}

/// The folded text a `--text` filter reads.
fn search_text(i: &Incident) -> String {
    search_column([i.title.as_deref(), i.notes.as_deref(), i.place.as_deref()])
}

fn not_found(uid: &str) -> Error {
    Error::NotFound {
        what: "incident".into(),
        name: uid.into(),
        suggestions: vec![],
    }
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl PgWriter<'_> {
    /// Takes a new incident (validated and credited to its regions by the
    /// caller) for the next batch and returns its uid, generated
    /// (`INC-000123`) when it has none.
    pub fn insert_incident(&mut self, inc: &Incident) -> Result<String> {
        let uid = match &inc.uid {
            Some(u) => u.clone(),
            None => self.next_uid(Entity::Incident)?,
        };
        if self.pending_uids.contains(&uid) {
            return Err(Error::invalid(
                "uid",
                &uid,
                "a uid not already in the database",
            ));
        }
        let sources = self.source_links(&inc.sources)?;
        let regions = match (inc.latitude, inc.longitude) {
            (Some(lat), Some(lon)) => self.custom_regions()?.containing(lat, lon),
            _ => Vec::new(),
        };
        self.pending.get_mut().rows.push(PendingRow {
            inc: inc.clone(),
            uid: uid.clone(),
            // Imports keep the dataset's own timestamps; new records get now.
            written_at: inc.updated_at.clone().unwrap_or_else(now),
            import_id: self.import_id,
            sources,
            regions,
        });
        self.pending_uids.insert(uid.clone());
        if self.pending.get_mut().rows.len() >= BATCH {
            self.flush()?;
            self.pending_uids.clear();
        }
        Ok(uid)
    }

    /// Replaces a stored incident's fields with `inc`'s (matched by uid);
    /// its custom regions follow its point.
    pub fn update_incident(&mut self, inc: &Incident) -> Result<()> {
        let uid = inc
            .uid
            .as_deref()
            .ok_or_else(|| Error::invalid("uid", "(none)", "the uid of the incident to update"))?;
        let n = |v: Option<u32>| v.map(i64::from);
        let tags = serde_json::to_value(&inc.tags)?;
        let id: i64 = self
            .tx()?
            .query_opt(
                "UPDATE incidents SET title = $2, event_type = $3, sub_event_type = $4, \
                 date_start = $5, date_end = $6, date_precision = $7, place = $8, latitude = $9, \
                 longitude = $10, geo_precision = $11, country = $12, admin1 = $13, \
                 admin1_code = $14, admin2 = $15, admin2_code = $16, fatalities = $17, \
                 fatalities_low = $18, fatalities_high = $19, civilian_fatalities = $20, \
                 actor1 = $21, actor2 = $22, assoc_actors = $23, notes = $24, tags = $25, \
                 updated_at = $26, reported_admin1 = $27, reported_admin2 = $28, \
                 search_actors = $29, search_text = $30, merged_into = $31, status = $32, \
                 review_note = $33, evidence = $34, confidence = $35 \
                 WHERE uid = $1 RETURNING id",
                &[
                    &uid,
                    &inc.title,
                    &inc.event_type,
                    &inc.sub_event_type,
                    &inc.span.start,
                    &inc.span.end,
                    &inc.span.precision.as_str(),
                    &inc.place,
                    &inc.latitude,
                    &inc.longitude,
                    &inc.geo_precision.map(|g| i16::from(u8::from(g))),
                    &inc.country,
                    &inc.admin1,
                    &inc.admin1_code,
                    &inc.admin2,
                    &inc.admin2_code,
                    &n(inc.fatalities.best),
                    &n(inc.fatalities.low),
                    &n(inc.fatalities.high),
                    &n(inc.civilian_fatalities),
                    &inc.actor1,
                    &inc.actor2,
                    &inc.assoc_actors,
                    &inc.notes,
                    &tags,
                    &now(),
                    &inc.reported_admin1,
                    &inc.reported_admin2,
                    &search_actors(inc),
                    &search_text(inc),
                    &inc.merged_into,
                    &inc.status.as_str(),
                    &inc.review_note,
                    &evidence_json(&inc.evidence)?,
                    &inc.confidence,
                ],
            )?
            .ok_or_else(|| not_found(uid))?
            .get(0);
        // Exactly these sources (a merge undone takes back the ones it attached).
        let mut ids: Vec<i64> = Vec::with_capacity(inc.sources.len());
        for (source_id, excerpt) in self.source_links(&inc.sources)? {
            self.tx()?.execute(
                "INSERT INTO incident_sources (incident_id, source_id, excerpt) VALUES ($1, $2, $3) \
                 ON CONFLICT (incident_id, source_id) DO UPDATE SET \
                 excerpt = COALESCE(EXCLUDED.excerpt, incident_sources.excerpt)",
                &[&id, &source_id, &excerpt],
            )?;
            ids.push(source_id);
        }
        self.tx()?.execute(
            "DELETE FROM incident_sources WHERE incident_id = $1 AND NOT (source_id = ANY($2))",
            &[&id, &ids],
        )?;
        if !self.custom_regions()?.is_empty() {
            let codes = match (inc.latitude, inc.longitude) {
                (Some(lat), Some(lon)) => self.custom_regions()?.containing(lat, lon),
                _ => Vec::new(),
            };
            self.relink(id, &codes)?;
        }
        Ok(())
    }

    /// Deletes an incident; its last values stay in the history.
    pub fn delete_incident(&mut self, uid: &str) -> Result<()> {
        if self
            .tx()?
            .execute("DELETE FROM incidents WHERE uid = $1", &[&uid])?
            == 0
        {
            return Err(not_found(uid));
        }
        Ok(())
    }

    /// The ids of an incident's sources (inserting new ones), each once,
    /// with its last excerpt given (as repeated links keep on SQLite).
    fn source_links(&mut self, sources: &[Source]) -> Result<Vec<(i64, Option<String>)>> {
        let mut out: Vec<(i64, Option<String>)> = Vec::new();
        for s in sources {
            let id = self.source_id(s)?;
            match out.iter_mut().find(|(i, _)| *i == id) {
                Some((_, excerpt)) => {
                    if s.excerpt.is_some() {
                        excerpt.clone_from(&s.excerpt);
                    }
                }
                None => out.push((id, s.excerpt.clone())),
            }
        }
        Ok(out)
    }

    /// The id of a source, inserting it when new. Ids are cached for the
    /// transaction: an import of a million rows cites few distinct sources.
    pub(super) fn source_id(&mut self, s: &Source) -> Result<i64> {
        let key = (
            s.publisher.clone(),
            s.title.clone().unwrap_or_default(),
            s.url.clone().unwrap_or_default(),
        );
        // Known, and nothing to add: its publication date is the stored one.
        if let Some((id, published)) = self.source_ids.get(&key)
            && (s.published.is_none() || s.published == *published)
        {
            return Ok(*id);
        }
        let (publisher, title, url) = &key;
        // Sources are not incidents: pending inserts need not go first.
        let mut tx = self.tx.borrow_mut();
        let stmt = self.statement(
            &mut tx,
            "INSERT INTO sources (publisher, title, url, published) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (publisher, title, url) DO UPDATE SET \
             published = COALESCE(EXCLUDED.published, sources.published) RETURNING id, published",
        )?;
        let row = tx.query_one(&stmt, &[publisher, title, url, &s.published])?;
        drop(tx);
        let id: i64 = row.get(0);
        self.source_ids.insert(key, (id, row.get(1)));
        Ok(id)
    }
}
