//! Aggregates over incidents (counts and fatality sums by dimension), with
//! the same keys, sums and order as the SQLite backend's.

use postgres::GenericClient;
use postgres::fallible_iterator::FallibleIterator;

use super::filter_sql::where_clause;
use super::refs;
use crate::error::Result;
use crate::filter::Filter;
use crate::group::Dim;
use crate::store::{Aggregate, MapPoint, PointRow};

/// The incidents a map draws at a point: placed at precision 1 or 2.
const DRAWABLE: &str = "i.latitude IS NOT NULL AND COALESCE(i.geo_precision, 1) <= 2";

/// The SQL expression of a dimension's key: a time bucket only when the
/// incident's whole date span lies inside it (else NULL, shown as
/// "(spans several ...)"), as on SQLite.
fn dim_sql(d: Dim) -> &'static str {
    match d {
        Dim::Year => {
            "CASE WHEN date_trunc('year', i.date_start) = date_trunc('year', i.date_end) \
             THEN to_char(i.date_start, 'YYYY') END"
        }
        Dim::Month => {
            "CASE WHEN date_trunc('month', i.date_start) = date_trunc('month', i.date_end) \
             THEN to_char(i.date_start, 'YYYY-MM') END"
        }
        Dim::Week => {
            "CASE WHEN to_char(i.date_start, 'IYYY-\"W\"IW') = to_char(i.date_end, 'IYYY-\"W\"IW') \
             THEN to_char(i.date_start, 'IYYY-\"W\"IW') END"
        }
        Dim::Day => {
            "CASE WHEN i.date_start = i.date_end THEN to_char(i.date_start, 'YYYY-MM-DD') END"
        }
        Dim::Country => "i.country",
        Dim::Admin1 => "i.admin1_code",
        Dim::Admin2 => "i.admin2_code",
        Dim::Type => "i.event_type",
        Dim::SubType => "i.event_type || ' / ' || COALESCE(i.sub_event_type, '(none)')",
        Dim::Actor => "a.value",
    }
}

/// The distinct countries of the incidents, sorted. Read as a loose index
/// scan, one probe of `incidents_by_country` per country: PostgreSQL has no
/// skip scan, and a plain DISTINCT reads every row (about a second at a
/// million incidents, paid by every report that names a region).
pub(super) fn countries(c: &mut impl GenericClient) -> Result<Vec<String>> {
    Ok(c.query(
        "WITH RECURSIVE c (country) AS ( \
             SELECT min(country) FROM incidents \
             UNION ALL \
             SELECT (SELECT min(i.country) FROM incidents i WHERE i.country > c.country) \
             FROM c WHERE c.country IS NOT NULL) \
         SELECT country FROM c WHERE country IS NOT NULL ORDER BY country",
        &[],
    )?
    .iter()
    .map(|r| r.get(0))
    .collect())
}

/// Aggregates the incidents matching `filter`, grouped by `dims`: largest
/// groups first for category dimensions, in time order for time ones;
/// keys compare byte by byte and a missing key comes first, as on SQLite.
pub(super) fn aggregate(
    c: &mut impl GenericClient,
    filter: &Filter,
    dims: &[Dim],
) -> Result<Vec<Aggregate>> {
    let (clause, args) = where_clause(filter);
    let keys: Vec<String> = dims
        .iter()
        .map(|d| format!("({}) COLLATE \"C\"", dim_sql(*d)))
        .collect();
    // Each incident counts once for each of its actors (see SQLite's).
    let from = if dims.contains(&Dim::Actor) {
        "incidents i CROSS JOIN LATERAL unnest(CASE \
           WHEN i.actor2 IS NULL OR i.actor2 = i.actor1 THEN ARRAY[i.actor1] \
           WHEN i.actor1 IS NULL THEN ARRAY[i.actor2] \
           ELSE ARRAY[i.actor1, i.actor2] END) AS a(value)"
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
        let ordered: Vec<String> = n.iter().map(|k| format!("{k} NULLS FIRST")).collect();
        let time_first = dims
            .iter()
            .all(|d| matches!(d, Dim::Year | Dim::Month | Dim::Week | Dim::Day));
        let order = if time_first {
            ordered.join(", ")
        } else {
            format!("{} DESC, {}", keys.len() + 1, ordered.join(", "))
        };
        format!(" GROUP BY {} ORDER BY {order}", n.join(", "))
    };
    // The three sums cover the same incidents, those with a best estimate
    // (see SQLite's); PostgreSQL's least/greatest skip NULLs, so the best's
    // NULL is kept explicitly.
    let sql = format!(
        "SELECT {select_keys}count(*), \
         COALESCE(sum(i.fatalities), 0)::bigint, \
         COALESCE(sum(CASE WHEN i.fatalities IS NOT NULL \
             THEN least(COALESCE(i.fatalities_low, i.fatalities), i.fatalities) END), 0)::bigint, \
         COALESCE(sum(CASE WHEN i.fatalities IS NOT NULL \
             THEN greatest(COALESCE(i.fatalities_high, i.fatalities), i.fatalities) END), 0)::bigint, \
         count(i.fatalities), \
         COALESCE(sum(i.civilian_fatalities), 0)::bigint, \
         count(i.civilian_fatalities) \
         FROM {from} WHERE {clause}{group}"
    );
    let n = dims.len();
    let num = |r: &postgres::Row, i: usize| r.get::<_, i64>(i).max(0) as u64;
    let mut out: Vec<Aggregate> = c
        .query(&sql, &refs(&args))?
        .iter()
        .map(|r| Aggregate {
            keys: (0..n).map(|i| r.get::<_, Option<String>>(i)).collect(),
            incidents: num(r, n),
            fatalities: num(r, n + 1),
            fatalities_low: num(r, n + 2),
            fatalities_high: num(r, n + 3),
            fatalities_known: num(r, n + 4),
            civilian_fatalities: num(r, n + 5),
            civilian_known: num(r, n + 6),
        })
        .collect();
    if dims.is_empty() && out.is_empty() {
        out.push(Aggregate::default());
    }
    Ok(out)
}

/// The marks of the selected incidents with a drawable point, as on SQLite.
pub(super) fn map_points(
    c: &mut impl GenericClient,
    filter: &Filter,
    cell: Option<f64>,
) -> Result<Vec<MapPoint>> {
    let (clause, mut args) = where_clause(filter);
    let drawable = DRAWABLE;
    let sql = match cell {
        None => format!(
            "SELECT i.latitude, i.longitude, i.event_type, 1::bigint, i.fatalities::bigint, i.place \
             FROM incidents i WHERE {clause} AND {drawable} \
             ORDER BY COALESCE(i.fatalities, 0) DESC, i.id"
        ),
        Some(cell) => {
            args.push(Box::new(cell));
            let p = args.len();
            format!(
                "SELECT avg(i.latitude), avg(i.longitude), i.event_type, count(*), \
                 sum(i.fatalities)::bigint, CASE WHEN count(*) = 1 THEN min(i.place) END \
                 FROM incidents i WHERE {clause} AND {drawable} \
                 GROUP BY round(i.latitude / ${p})::bigint, round(i.longitude / ${p})::bigint, \
                 i.event_type \
                 ORDER BY COALESCE(sum(i.fatalities), 0) DESC, 1, 2, 3 COLLATE \"C\""
            )
        }
    };
    Ok(c.query(&sql, &refs(&args))?
        .iter()
        .map(|r| MapPoint {
            lat: r.get(0),
            lon: r.get(1),
            event_type: r.get(2),
            incidents: r.get::<_, i64>(3).max(0) as u64,
            fatalities: r.get::<_, Option<i64>>(4).map(|v| v.max(0) as u64),
            place: r.get(5),
        })
        .collect())
}

/// Each selected incident a map draws at a point, streamed in table order.
pub(super) fn for_each_point(
    c: &mut impl GenericClient,
    filter: &Filter,
    f: &mut dyn FnMut(PointRow),
) -> Result<()> {
    let (clause, args) = where_clause(filter);
    let sql = format!(
        "SELECT i.uid, i.longitude, i.latitude, i.event_type, i.fatalities::bigint \
         FROM incidents i WHERE {clause} AND {DRAWABLE}"
    );
    let mut rows = c.query_raw(&sql, refs(&args))?;
    while let Some(r) = rows.next()? {
        f(PointRow {
            uid: r.get(0),
            lon: r.get(1),
            lat: r.get(2),
            event_type: r.get(3),
            fatalities: r.get::<_, Option<i64>>(4).map(|v| v.max(0) as u64),
        });
    }
    Ok(())
}

/// The publishers of the selected incidents' sources, most first.
pub(super) fn publishers(
    c: &mut impl GenericClient,
    filter: &Filter,
    limit: usize,
) -> Result<Vec<String>> {
    let (clause, mut args) = where_clause(filter);
    args.push(Box::new(limit as i64));
    let sql = format!(
        "SELECT s.publisher FROM incidents i \
         JOIN incident_sources l ON l.incident_id = i.id JOIN sources s ON s.id = l.source_id \
         WHERE {clause} GROUP BY s.publisher \
         ORDER BY count(*) DESC, s.publisher COLLATE \"C\" LIMIT ${}",
        args.len()
    );
    Ok(c.query(&sql, &refs(&args))?
        .iter()
        .map(|r| r.get(0))
        .collect())
}
