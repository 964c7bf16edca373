//! Translates a `Filter` into a WHERE clause over `incidents i`, every user
//! value bound as a parameter. Its meaning is `Filter::matches`: text is
//! compared folded (the program folds the stored columns on write and the
//! needle here, with the same function), and --near's circle is the same
//! haversine (`incidents_in_circle`, schema.sql), after PostGIS's GiST
//! index has narrowed the search to the circle's boxes.

use super::Params;
use crate::filter::{Filter, RegionKey};
use crate::fold::fold;

/// The separator between the folded columns of `search_actors` and
/// `search_text`: a control character no name or needle contains, so a
/// needle never matches across two columns.
pub(super) const SEPARATOR: char = '\u{1f}';

/// The WHERE clause (without the keyword) and its parameters.
pub(super) fn where_clause(f: &Filter) -> (String, Params) {
    let mut parts: Vec<String> = Vec::new();
    let mut args: Params = Vec::new();
    fn bind<T: postgres::types::ToSql + Sync + 'static>(args: &mut Params, v: T) -> String {
        args.push(Box::new(v));
        format!("${}", args.len())
    }
    match &f.region {
        Some(RegionKey::Admin1(code)) => {
            let p = bind(&mut args, code.clone());
            parts.push(format!("i.admin1_code = {p}"));
        }
        Some(RegionKey::Admin2(code)) => {
            let p = bind(&mut args, code.clone());
            parts.push(format!("i.admin2_code = {p}"));
        }
        Some(RegionKey::Custom(code)) => {
            let p = bind(&mut args, code.clone());
            parts.push(format!(
                "i.id IN (SELECT incident_id FROM incident_regions WHERE region_code = {p})"
            ));
        }
        None => {}
    }
    if let Some(c) = &f.country {
        let p = bind(&mut args, c.to_ascii_uppercase());
        parts.push(format!("i.country = {p}"));
    }
    // Wholly inside by default; with `overlapping`, any shared day.
    let (start_col, end_col) = if f.overlapping {
        ("i.date_end", "i.date_start")
    } else {
        ("i.date_start", "i.date_end")
    };
    if let Some(from) = f.from {
        let p = bind(&mut args, from);
        parts.push(format!("{start_col} >= {p}"));
        if f.overlapping {
            // An incident overlapping the period starts at most the longest
            // span in the database before it: a bound the date index can use.
            parts.push(format!(
                "i.date_start >= {p}::date - (SELECT COALESCE(max(date_end - date_start), 0) \
                 FROM incidents WHERE date_end > date_start)"
            ));
        } else {
            parts.push(format!("i.date_end >= {p}"));
        }
    }
    if let Some(to) = f.to {
        let p = bind(&mut args, to);
        parts.push(format!("{end_col} <= {p}"));
        if !f.overlapping {
            parts.push(format!("i.date_start <= {p}"));
        }
    }
    if let Some(t) = &f.event_type {
        let p = bind(&mut args, t.clone());
        parts.push(format!("i.event_type = {p}"));
    }
    if let Some(t) = &f.sub_event_type {
        let p = bind(&mut args, t.clone());
        parts.push(format!("i.sub_event_type = {p}"));
    }
    for (needle, column) in [(&f.actor, "i.search_actors"), (&f.text, "i.search_text")] {
        if let Some(needle) = needle {
            let p = bind(&mut args, fold(needle));
            parts.push(format!("strpos({column}, {p}) > 0"));
        }
    }
    if let Some(tag) = &f.tag {
        let p = bind(&mut args, tag.clone());
        parts.push(format!("i.tags ? {p}"));
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
            .map(|v| bind(&mut args, v))
            .collect();
        parts.push(format!(
            "({}) AND incidents_in_circle(i.latitude, i.longitude, {}, {}, {})",
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
        ("true".to_string(), args)
    } else {
        (parts.join(" AND "), args)
    }
}

/// Points inside `[west, south, east, north]`: the GiST index on `geom`
/// finds the candidates (its boxes are rounded outwards), then the exact
/// coordinates decide, as on SQLite.
pub(super) fn in_box(args: &mut Params, b: &[f64; 4]) -> String {
    let p: Vec<String> = b
        .iter()
        .map(|v| {
            args.push(Box::new(*v));
            format!("${}", args.len())
        })
        .collect();
    format!(
        "(i.geom && ST_MakeEnvelope({w}, {s}, {e}, {n}, 4326) \
         AND i.longitude BETWEEN {w} AND {e} AND i.latitude BETWEEN {s} AND {n})",
        w = p[0],
        s = p[1],
        e = p[2],
        n = p[3]
    )
}

/// The folded search column of three text columns, as `where_clause` reads it.
pub(super) fn search_column(columns: [Option<&str>; 3]) -> String {
    let folded: Vec<String> = columns
        .iter()
        .map(|c| c.map(fold).unwrap_or_default())
        .collect();
    folded.join(&SEPARATOR.to_string())
}
