//! Translates a `Filter` into a SQL WHERE clause over `incidents i`, with
//! every user value bound as a parameter (never spliced into the SQL).

use rusqlite::types::Value;

use crate::filter::{Filter, RegionKey};

/// Escapes LIKE wildcards so that user text matches literally.
fn like_pattern(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
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
                "i.date_start >= date({p}, '-' || (SELECT COALESCE(MAX(julianday(date_end) - julianday(date_start)), 0) FROM incidents) || ' days')"
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
    if let Some(a) = &f.actor {
        let p = bind(&mut args, Value::Text(like_pattern(a)));
        parts.push(format!(
            "(i.actor1 LIKE {p} ESCAPE '\\' OR i.actor2 LIKE {p} ESCAPE '\\' OR i.assoc_actors LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some(t) = &f.text {
        let p = bind(&mut args, Value::Text(like_pattern(t)));
        parts.push(format!(
            "(i.title LIKE {p} ESCAPE '\\' OR i.notes LIKE {p} ESCAPE '\\' OR i.place LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some(tag) = &f.tag {
        let p = bind(&mut args, Value::Text(tag.clone()));
        parts.push(format!(
            "EXISTS (SELECT 1 FROM json_each(i.tags) WHERE json_each.value = {p})"
        ));
    }
    let boxes = [f.bbox.map(|b| vec![b]), f.near.map(|n| n.bboxes())];
    for group in boxes.iter().flatten() {
        // Any of the boxes (a circle across the antimeridian has two).
        let any: Vec<String> = group
            .iter()
            .map(|b| {
                let ps: Vec<String> = b.iter().map(|v| bind(&mut args, Value::Real(*v))).collect();
                // The R*Tree narrows down; its boxes are rounded outwards to
                // 32-bit floats, so the exact coordinates decide.
                format!(
                    "(i.id IN (SELECT id FROM incidents_rtree WHERE max_lon >= {0} AND min_lon <= {2} \
                     AND max_lat >= {1} AND min_lat <= {3}) \
                     AND i.longitude BETWEEN {0} AND {2} AND i.latitude BETWEEN {1} AND {3})",
                    ps[0], ps[1], ps[2], ps[3]
                )
            })
            .collect();
        parts.push(format!("({})", any.join(" OR ")));
    }
    if parts.is_empty() {
        ("1".to_string(), args)
    } else {
        (parts.join(" AND "), args)
    }
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
        assert_eq!(args[0], Value::Text("%50\\%\\_x%".into()));
    }

    #[test]
    fn empty_filter_selects_everything() {
        assert_eq!(where_clause(&Filter::default()).0, "1");
    }
}
