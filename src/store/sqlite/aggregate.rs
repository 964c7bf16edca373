//! Aggregates over incidents (counts and fatality sums by dimension), done
//! in SQL so that a region-month report on a million rows stays fast.

use super::SqliteStore;
use super::filter_sql::where_clause;
use crate::error::Result;
use crate::filter::Filter;
use crate::group::Dim;
use crate::store::{Aggregate, MapPoint, PointRow};

/// The incidents a map draws at a point: placed at precision 1 or 2.
const DRAWABLE: &str = "i.latitude IS NOT NULL AND COALESCE(i.geo_precision, 1) <= 2";

/// The SQL expression of a dimension's key. A time bucket is given only when the
/// incident's whole date span lies inside it: an incident known only to
/// the month has no day, and one spanning two months has no month. Those
/// get NULL, shown as "(spans several ...)", never a made-up date.
fn dim_sql(d: Dim) -> &'static str {
    match d {
        Dim::Year => {
            "CASE WHEN substr(i.date_start, 1, 4) = substr(i.date_end, 1, 4) THEN substr(i.date_start, 1, 4) END"
        }
        Dim::Month => {
            "CASE WHEN substr(i.date_start, 1, 7) = substr(i.date_end, 1, 7) THEN substr(i.date_start, 1, 7) END"
        }
        Dim::Week => {
            "CASE WHEN strftime('%G-W%V', i.date_start) = strftime('%G-W%V', i.date_end) THEN strftime('%G-W%V', i.date_start) END"
        }
        Dim::Day => "CASE WHEN i.date_start = i.date_end THEN i.date_start END",
        Dim::Country => "i.country",
        Dim::Admin1 => "i.admin1_code",
        Dim::Admin2 => "i.admin2_code",
        Dim::Type => "i.event_type",
        Dim::SubType => "i.event_type || ' / ' || COALESCE(i.sub_event_type, '(none)')",
        Dim::Actor => "a.value",
    }
}

impl SqliteStore {
    /// The distinct countries of the incidents, sorted.
    pub fn countries(&self) -> Result<Vec<String>> {
        // A skip-scan of the country index, one seek per country, as the
        // PostgreSQL store does: DISTINCT walks every entry of the index,
        // a tenth of a second at a million incidents, paid by every
        // --region lookup.
        let mut stmt = self.conn.prepare(
            "WITH RECURSIVE c (country) AS ( \
                 SELECT min(country) FROM incidents \
                 UNION ALL \
                 SELECT (SELECT min(i.country) FROM incidents i WHERE i.country > c.country) \
                 FROM c WHERE c.country IS NOT NULL) \
             SELECT country FROM c WHERE country IS NOT NULL ORDER BY country",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Aggregates the incidents matching `filter`, grouped by `dims` (none:
    /// one row for everything), largest groups first for category
    /// dimensions and in time order for time dimensions.
    pub fn aggregate(&self, filter: &Filter, dims: &[Dim]) -> Result<Vec<Aggregate>> {
        let (clause, args) = where_clause(filter);
        let keys: Vec<String> = dims.iter().map(|d| dim_sql(*d).to_string()).collect();
        // Each incident counts once for each of its actors: once when both
        // sides are the same group (ACLED's "Unidentified Armed Group" often
        // is), and under "(no actor)" when it has none. The associated actors
        // are not a dimension.
        let from = if dims.contains(&Dim::Actor) {
            "incidents i, json_each(CASE \
               WHEN i.actor2 IS NULL OR i.actor2 = i.actor1 THEN json_array(i.actor1) \
               WHEN i.actor1 IS NULL THEN json_array(i.actor2) \
               ELSE json_array(i.actor1, i.actor2) END) a"
        } else {
            "incidents i"
        };
        let select_keys = if keys.is_empty() {
            String::new()
        } else {
            format!("{}, ", keys.join(", "))
        };
        let group = if keys.is_empty() {
            String::new()
        } else {
            let n: Vec<String> = (1..=keys.len()).map(|i| i.to_string()).collect();
            let time_first = dims
                .iter()
                .all(|d| matches!(d, Dim::Year | Dim::Month | Dim::Week | Dim::Day));
            let order = if time_first {
                n.join(", ")
            } else {
                format!("{} DESC, {}", keys.len() + 1, n.join(", "))
            };
            format!(" GROUP BY {} ORDER BY {order}", n.join(", "))
        };
        // The fatality sums cover the incidents with a best estimate, all
        // three the same ones, so that low <= best <= high holds for the
        // sums: a missing bound is the best estimate, and so is a bound on
        // the wrong side of it (imported UCDP rows have some). An incident
        // with only a range has no best estimate and is in none of them.
        // SQLite's two-argument min/max are NULL when the best is NULL.
        let sql = format!(
            "SELECT {select_keys}COUNT(*), \
             COALESCE(SUM(i.fatalities), 0), \
             COALESCE(SUM(min(COALESCE(i.fatalities_low, i.fatalities), i.fatalities)), 0), \
             COALESCE(SUM(max(COALESCE(i.fatalities_high, i.fatalities), i.fatalities)), 0), \
             COUNT(i.fatalities), \
             COALESCE(SUM(i.civilian_fatalities), 0), \
             COUNT(i.civilian_fatalities) \
             FROM {from} WHERE {clause}{group}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let n = dims.len();
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            let mut keys = Vec::with_capacity(n);
            for i in 0..n {
                keys.push(r.get::<_, Option<String>>(i)?);
            }
            let num = |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)?.max(0) as u64) };
            Ok(Aggregate {
                keys,
                incidents: num(n)?,
                fatalities: num(n + 1)?,
                fatalities_low: num(n + 2)?,
                fatalities_high: num(n + 3)?,
                fatalities_known: num(n + 4)?,
                civilian_fatalities: num(n + 5)?,
                civilian_known: num(n + 6)?,
            })
        })?;
        let mut out: Vec<Aggregate> = rows.collect::<rusqlite::Result<_>>()?;
        if dims.is_empty() && out.is_empty() {
            out.push(Aggregate::default());
        }
        Ok(out)
    }

    /// The marks of the selected incidents with a drawable point (see
    /// [`crate::store::Store::map_points`]). A point known only to the
    /// province or country is not drawn: it is not where the incident was.
    pub fn map_points(&self, filter: &Filter, cell: Option<f64>) -> Result<Vec<MapPoint>> {
        let (clause, mut args) = where_clause(filter);
        let drawable = DRAWABLE;
        let sql = match cell {
            None => format!(
                "SELECT i.latitude, i.longitude, i.event_type, 1, i.fatalities, i.place \
                 FROM incidents i WHERE {clause} AND {drawable} \
                 ORDER BY COALESCE(i.fatalities, 0) DESC, i.id"
            ),
            Some(cell) => {
                args.push(rusqlite::types::Value::Real(cell));
                let p = args.len();
                format!(
                    "SELECT avg(i.latitude), avg(i.longitude), i.event_type, COUNT(*), \
                     SUM(i.fatalities), CASE WHEN COUNT(*) = 1 THEN min(i.place) END \
                     FROM incidents i WHERE {clause} AND {drawable} \
                     GROUP BY CAST(round(i.latitude / ?{p}) AS INTEGER), \
                     CAST(round(i.longitude / ?{p}) AS INTEGER), i.event_type \
                     ORDER BY COALESCE(SUM(i.fatalities), 0) DESC, 1, 2, 3"
                )
            }
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(MapPoint {
                lat: r.get(0)?,
                lon: r.get(1)?,
                event_type: r.get(2)?,
                incidents: r.get::<_, i64>(3)?.max(0) as u64,
                fatalities: r.get::<_, Option<i64>>(4)?.map(|v| v.max(0) as u64),
                place: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each selected incident a map draws at a point, in table order.
    pub fn for_each_point(&self, filter: &Filter, f: &mut dyn FnMut(PointRow)) -> Result<()> {
        let (clause, args) = where_clause(filter);
        let sql = format!(
            "SELECT i.uid, i.longitude, i.latitude, i.event_type, i.fatalities \
             FROM incidents i WHERE {clause} AND {DRAWABLE}"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            f(PointRow {
                uid: r.get(0)?,
                lon: r.get(1)?,
                lat: r.get(2)?,
                event_type: r.get(3)?,
                fatalities: r.get::<_, Option<i64>>(4)?.map(|v| v.max(0) as u64),
            });
        }
        Ok(())
    }

    /// The publishers of the selected incidents' sources, most first.
    pub fn publishers(&self, filter: &Filter, limit: usize) -> Result<Vec<String>> {
        let (clause, mut args) = where_clause(filter);
        args.push(rusqlite::types::Value::Integer(limit as i64));
        let sql = format!(
            "SELECT s.publisher FROM incidents i \
             JOIN incident_sources l ON l.incident_id = i.id JOIN sources s ON s.id = l.source_id \
             WHERE {clause} GROUP BY s.publisher ORDER BY COUNT(*) DESC, s.publisher LIMIT ?{}",
            args.len()
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateSpan, Incident};

    fn add(
        s: &mut SqliteStore,
        date: &str,
        end: Option<&str>,
        fatalities: Option<u32>,
        actor: &str,
    ) {
        let mut i = Incident::new("Battles", DateSpan::from_flags(date, end).unwrap());
        i.fatalities.best = fatalities;
        i.actor1 = Some(actor.into());
        s.write(|w| w.insert_incident(&i)).unwrap();
    }

    #[test]
    fn time_buckets_only_hold_whole_spans() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        add(&mut s, "2025-06-17", None, Some(2), "A");
        add(&mut s, "2025-06", None, None, "B");
        add(&mut s, "2025-06-28", Some("2025-07-02"), Some(1), "A");
        let rows = s.aggregate(&Filter::default(), &[Dim::Month]).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].keys, [None]);
        assert_eq!(rows[1].keys, [Some("2025-06".to_string())]);
        assert_eq!(
            (
                rows[1].incidents,
                rows[1].fatalities,
                rows[1].fatalities_known
            ),
            (2, 2, 1)
        );
        let days = s.aggregate(&Filter::default(), &[Dim::Day]).unwrap();
        assert_eq!(
            days.iter().find(|r| r.keys[0].is_some()).unwrap().incidents,
            1
        );
        let weeks = s.aggregate(&Filter::default(), &[Dim::Week]).unwrap();
        assert!(
            weeks
                .iter()
                .any(|r| r.keys[0].as_deref() == Some("2025-W25"))
        );
        let actors = s.aggregate(&Filter::default(), &[Dim::Actor]).unwrap();
        assert_eq!(actors[0].keys[0].as_deref(), Some("A"));
        assert_eq!(actors[0].incidents, 2);
        let total = s.aggregate(&Filter::default(), &[]).unwrap();
        assert_eq!(total[0].incidents, 3);
    }
}
