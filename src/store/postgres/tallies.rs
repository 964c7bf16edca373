//! Tally rows: figures that sources report in aggregate.

use chrono::NaiveDate;
use postgres::{GenericClient, Row};

use super::PgWriter;
use super::incidents::evidence_json;
use crate::error::{Error, Result};
use crate::filter::Status;
use crate::model::{Review, Source, Tally};
use crate::store::status_sql;
use crate::store::{Entity, Upsert};

const COLUMNS: &str = "t.uid, t.region, t.region_code, t.place, t.period_start, t.period_end, \
    t.metric, t.value, t.derived, t.notes, t.created_at, t.updated_at, t.excerpt, \
    s.publisher, NULLIF(s.title, ''), NULLIF(s.url, ''), s.published, t.status, t.review_note, \
    t.evidence, t.confidence";

fn bad(column: &str, reason: impl std::fmt::Display) -> Error {
    Error::Data {
        what: format!("tallies.{column} in the database"),
        reason: reason.to_string(),
    }
}

fn from_row(row: &Row) -> Result<Tally> {
    let publisher: Option<String> = row.get(13);
    let status: String = row.get(17);
    let evidence: Option<serde_json::Value> = row.get(19);
    Ok(Tally {
        status: Review::parse(&status)?,
        review_note: row.get(18),
        evidence: match evidence {
            Some(e) => serde_json::from_value(e).map_err(|e| bad("evidence", e))?,
            None => Vec::new(),
        },
        confidence: row.get(20),
        uid: row.get(0),
        region: row.get(1),
        region_code: row.get(2),
        place: row.get(3),
        period_start: row.get(4),
        period_end: row.get(5),
        metric: row.get(6),
        value: row.get(7),
        derived: row.get(8),
        notes: row.get(9),
        created_at: row.get(10),
        updated_at: row.get(11),
        source: publisher.map(|publisher| Source {
            publisher,
            title: row.get(14),
            url: row.get(15),
            published: row.get(16),
            excerpt: row.get(12),
        }),
    })
}

pub(super) fn get_tally(c: &mut impl GenericClient, uid: &str) -> Result<Option<Tally>> {
    c.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM tallies t LEFT JOIN sources s ON s.id = t.source_id WHERE t.uid = $1"
        ),
        &[&uid],
    )?
    .map(|r| from_row(&r))
    .transpose()
}

impl PgWriter<'_> {
    /// Inserts a tally, or updates the one with the same uid; a uid is
    /// generated (`TAL-000001`) when the tally has none.
    pub fn upsert_tally(&mut self, t: &Tally) -> Result<(String, Upsert)> {
        let source_id = t.source.as_ref().map(|s| self.source_id(s)).transpose()?;
        let existing = match &t.uid {
            Some(uid) => get_tally(&mut *self.tx()?, uid)?,
            None => None,
        };
        let uid = match &t.uid {
            Some(u) => u.clone(),
            None => self.next_uid(Entity::Tally)?,
        };
        if existing.as_ref().is_some_and(|old| old.same_figure(t)) {
            return Ok((uid, Upsert::Unchanged));
        }
        let ts = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        self.tx()?.execute(
            "INSERT INTO tallies (uid, region, region_code, place, period_start, period_end, metric, \
             value, derived, source_id, excerpt, notes, created_at, updated_at, status, review_note, \
             evidence, confidence) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17) \
             ON CONFLICT (uid) DO UPDATE SET region = EXCLUDED.region, \
             region_code = EXCLUDED.region_code, place = EXCLUDED.place, \
             period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end, \
             metric = EXCLUDED.metric, value = EXCLUDED.value, derived = EXCLUDED.derived, \
             source_id = COALESCE(EXCLUDED.source_id, tallies.source_id), \
             excerpt = COALESCE(EXCLUDED.excerpt, tallies.excerpt), \
             notes = COALESCE(EXCLUDED.notes, tallies.notes), updated_at = EXCLUDED.updated_at, \
             status = EXCLUDED.status, \
             review_note = COALESCE(EXCLUDED.review_note, tallies.review_note), \
             evidence = COALESCE(EXCLUDED.evidence, tallies.evidence), \
             confidence = COALESCE(EXCLUDED.confidence, tallies.confidence)",
            &[
                &uid,
                &t.region,
                &t.region_code,
                &t.place,
                &t.period_start,
                &t.period_end,
                &t.metric,
                &t.value,
                &t.derived,
                &source_id,
                &t.source.as_ref().and_then(|s| s.excerpt.clone()),
                &t.notes,
                &ts,
                &t.status.as_str(),
                &t.review_note,
                &evidence_json(&t.evidence)?,
                &t.confidence,
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
            .tx()?
            .execute("DELETE FROM tallies WHERE uid = $1", &[&uid])?
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
}

/// Tallies whose period overlaps `from..=to` (when given), whose region
/// is one of `region_codes` (when given) and whose status `status`
/// selects, by period.
pub(super) fn tallies(
    c: &mut impl GenericClient,
    region_codes: Option<&[String]>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    status: Status,
) -> Result<Vec<Tally>> {
    let status = status_sql(status, "t.status", None).unwrap_or_else(|| "true".into());
    let rows = c.query(
        &format!(
            "SELECT {COLUMNS} FROM tallies t LEFT JOIN sources s ON s.id = t.source_id \
             WHERE ($1::date IS NULL OR t.period_end >= $1) AND ($2::date IS NULL OR t.period_start <= $2) \
             AND {status} ORDER BY t.period_start, t.id"
        ),
        &[&from, &to],
    )?;
    let mut out = Vec::new();
    for row in &rows {
        let t = from_row(row)?;
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
