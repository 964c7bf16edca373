//! Translates a `Filter` into a SQL WHERE clause over `incidents i`, with
//! every user value bound as a parameter (never spliced into the SQL). Its
//! meaning is `Filter::matches`: where SQL alone cannot say the same thing
//! (folding text, the exact circle) it calls the same Rust functions,
//! registered on the connection by [`register_functions`].

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;

use crate::filter::{Filter, Near, RegionKey};
use crate::fold::fold;

/// Registers the SQL functions the WHERE clause uses: `fold(text)` (case and
/// diacritics folded, [`fold`]) and `in_circle(lat, lon, centre_lat,
/// centre_lon, radius_km)` ([`Near::contains`]). Both are deterministic and
/// NULL in, NULL out.
pub(super) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("fold", 1, flags, |ctx| {
        Ok(ctx.get::<Option<String>>(0)?.map(|s| fold(&s)))
    })?;
    conn.create_scalar_function("in_circle", 5, flags, |ctx| {
        let v = |i| ctx.get::<Option<f64>>(i);
        let (Some(lat), Some(lon), Some(latitude), Some(longitude), Some(radius_km)) =
            (v(0)?, v(1)?, v(2)?, v(3)?, v(4)?)
        else {
            return Ok(None);
        };
        let near = Near {
            latitude,
            longitude,
            radius_km,
        };
        Ok(Some(near.contains(lat, lon)))
    })
}

/// The WHERE clause (without the keyword) and its parameters.
pub(crate) fn where_clause(f: &Filter) -> (String, Vec<Value>) {
    let mut parts: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let bind = |args: &mut Vec<Value>, v: Value| {
        args.push(v);
        format!("?{}", args.len())
    };
    match &f.region {
        Some(RegionKey::Admin1(code)) => {
            let p = bind(&mut args, Value::Text(code.clone()));
            parts.push(format!("i.admin1_code = {p}"));
        }
        Some(RegionKey::Admin2(code)) => {
            let p = bind(&mut args, Value::Text(code.clone()));
            parts.push(format!("i.admin2_code = {p}"));
        }
        Some(RegionKey::Custom(code)) => {
            let p = bind(&mut args, Value::Text(code.clone()));
            parts.push(format!(
                "i.id IN (SELECT incident_id FROM incident_regions WHERE region_code = {p})"
            ));
        }
        None => {}
    }
    if let Some(c) = &f.country {
        let p = bind(&mut args, Value::Text(c.to_ascii_uppercase()));
        parts.push(format!("i.country = {p}"));
    }
    // Wholly inside by default; with `overlapping`, any shared day.
    let (start_col, end_col) = if f.overlapping {
        ("i.date_end", "i.date_start")
    } else {
        ("i.date_start", "i.date_end")
    };
    if let Some(from) = f.from {
        let p = bind(&mut args, Value::Text(from.to_string()));
        parts.push(format!("{start_col} >= {p}"));
        if f.overlapping {
            // An incident overlapping the period starts at most the longest
            // span in the database before it: a bound the date indexes can
            // use (the longest span comes from incidents_by_span).
            parts.push(format!(
                "i.date_start >= date({p}, '-' || (SELECT COALESCE(MAX(julianday(date_end) - julianday(date_start)), 0) FROM incidents WHERE date_end > date_start) || ' days')"
            ));
        } else {
            // Lets SQLite use the date index's leading column for both bounds.
            parts.push(format!("i.date_end >= {p}"));
        }
    }
    if let Some(to) = f.to {
        let p = bind(&mut args, Value::Text(to.to_string()));
        parts.push(format!("{end_col} <= {p}"));
        if !f.overlapping {
            parts.push(format!("i.date_start <= {p}"));
        }
    }
    if let Some(t) = &f.event_type {
        let p = bind(&mut args, Value::Text(t.clone()));
        parts.push(format!("i.event_type = {p}"));
    }
    if let Some(t) = &f.sub_event_type {
        let p = bind(&mut args, Value::Text(t.clone()));
        parts.push(format!("i.sub_event_type = {p}"));
    }
    // Substrings of the folded text (instr, unlike LIKE, has no wildcards).
    let texts = [
        (&f.actor, ["i.actor1", "i.actor2", "i.assoc_actors"]),
        (&f.text, ["i.title", "i.notes", "i.place"]),
    ];
    for (needle, columns) in texts {
        if let Some(needle) = needle {
            let p = bind(&mut args, Value::Text(fold(needle)));
            let any: Vec<String> = columns
                .iter()
                .map(|c| format!("instr(fold({c}), {p}) > 0"))
                .collect();
            parts.push(format!("({})", any.join(" OR ")));
        }
    }
    if let Some(tag) = &f.tag {
        let p = bind(&mut args, Value::Text(tag.clone()));
        parts.push(format!(
            "EXISTS (SELECT 1 FROM json_each(i.tags) WHERE json_each.value = {p})"
        ));
    }
    if let Some(b) = &f.bbox {
        parts.push(in_box(&mut args, b));
    }
    if let Some(n) = &f.near {
        // Any of the circle's boxes (two across the antimeridian), then the
        // circle itself.
        let any: Vec<String> = n.bboxes().iter().map(|b| in_box(&mut args, b)).collect();
        let c: Vec<String> = [n.latitude, n.longitude, n.radius_km]
            .into_iter()
            .map(|v| bind(&mut args, Value::Real(v)))
            .collect();
        parts.push(format!(
            "({}) AND in_circle(i.latitude, i.longitude, {}, {}, {})",
            any.join(" OR "),
            c[0],
            c[1],
            c[2]
        ));
    }
    if let Some(status) = crate::store::status_sql(f.status, "i.status", Some("i.merged_into")) {
        parts.push(status);
    }
    if parts.is_empty() {
        ("1".to_string(), args)
    } else {
        (parts.join(" AND "), args)
    }
}

/// The grid cell of a point, as the `incidents_by_cell` index computes it
/// (schema.sql, migration 6): 0.01-degree cells numbered row by row.
const CELL: &str = "(CAST((latitude + 90) * 100 AS INTEGER) * 36001 \
    + CAST((longitude + 180) * 100 AS INTEGER))";
const CELLS_PER_DEGREE: f64 = 100.0;
const CELL_COLUMNS: i64 = 36001;
const CELL_ROWS: i64 = 18001;
/// Above this many rows of cells (5 degrees) a box is read as one band of
/// latitude.
const MAX_CELL_RANGES: i64 = 500;

/// Points inside `[west, south, east, north]`: the cell range of each row
/// of cells the box covers, which the index reads, then the exact
/// coordinates. Cells are computed with the same floating-point operations
/// as in SQL, so a point's cell is the one its coordinates give here.
pub(super) fn in_box(args: &mut Vec<Value>, b: &[f64; 4]) -> String {
    let cell = |v: f64, offset: f64, max: i64| {
        (((v + offset) * CELLS_PER_DEGREE).floor() as i64).clamp(0, max)
    };
    let (c0, c1) = (
        cell(b[0], 180.0, CELL_COLUMNS - 1),
        cell(b[2], 180.0, CELL_COLUMNS - 1),
    );
    let (r0, r1) = (
        cell(b[1], 90.0, CELL_ROWS - 1),
        cell(b[3], 90.0, CELL_ROWS - 1),
    );
    let mut bind = |v: Value| {
        args.push(v);
        format!("?{}", args.len())
    };
    let ranges: Vec<(i64, i64)> = if r1 - r0 < MAX_CELL_RANGES {
        (r0..=r1)
            .map(|r| (r * CELL_COLUMNS + c0, r * CELL_COLUMNS + c1))
            .collect()
    } else {
        vec![(r0 * CELL_COLUMNS, r1 * CELL_COLUMNS + CELL_COLUMNS - 1)]
    };
    let cells: Vec<String> = ranges
        .into_iter()
        .map(|(lo, hi)| {
            let (lo, hi) = (bind(Value::Integer(lo)), bind(Value::Integer(hi)));
            format!("{CELL} BETWEEN {lo} AND {hi}")
        })
        .collect();
    let p: Vec<String> = b.iter().map(|v| bind(Value::Real(*v))).collect();
    // As a subquery, so that the planner reads the cells first instead of
    // scanning the date index for the ORDER BY.
    format!(
        "i.id IN (SELECT rowid FROM incidents WHERE {}) \
         AND i.longitude BETWEEN {} AND {} AND i.latitude BETWEEN {} AND {}",
        cells.join(" OR "),
        p[0],
        p[2],
        p[1],
        p[3]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_bound_not_spliced() {
        let f = Filter {
            text: Some("'; DROP TABLE incidents; --".into()),
            actor: Some("50%_x".into()),
            ..Default::default()
        };
        let (sql, args) = where_clause(&f);
        assert!(!sql.contains("DROP"));
        assert_eq!(args.len(), 2);
        assert_eq!(args[0], Value::Text("50%_x".into()));
    }

    #[test]
    fn empty_filter_selects_the_reviewed_incidents() {
        assert_eq!(
            where_clause(&Filter::default()).0,
            "i.merged_into IS NULL AND i.status = 'reviewed'"
        );
        let all = Filter {
            status: crate::filter::Status::All,
            ..Filter::default()
        };
        assert_eq!(where_clause(&all).0, "1");
    }
}
