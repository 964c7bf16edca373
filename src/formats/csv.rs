//! Our own CSV columns for incidents (used by `list --format csv` and
//! `export --format csv`) and the guard against spreadsheet formulas.

use serde_json::{Map, Value};

use crate::error::Result;
use crate::model::Incident;

/// The native CSV columns, in order. Documented in README.md.
pub const COLUMNS: &[&str] = &[
    "uid",
    "title",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "latitude",
    "longitude",
    "geo_precision",
    "country",
    "admin1",
    "admin1_code",
    "admin2",
    "admin2_code",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "civilian_fatalities",
    "actor1",
    "actor2",
    "assoc_actors",
    "notes",
    "tags",
    "sources",
    "created_at",
    "updated_at",
];

/// Prefixes a cell that a spreadsheet would run as a formula (= + - @, tab,
/// carriage return) with an apostrophe, as OWASP recommends.
pub fn neutralise(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// An incident as a flat row for the native CSV: tags joined with `;`,
/// sources as a JSON array so that nothing is lost.
pub fn incident_row(inc: &Incident) -> Result<Map<String, Value>> {
    let Value::Object(mut map) = serde_json::to_value(inc)? else {
        unreachable!("an Incident always serialises to an object")
    };
    map.insert("tags".into(), Value::String(inc.tags.join(";")));
    let sources = if inc.sources.is_empty() {
        Value::Null
    } else {
        Value::String(serde_json::to_string(&inc.sources)?)
    };
    map.insert("sources".into(), sources);
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;

    #[test]
    fn formulas_are_neutralised() {
        for s in ["=1+1", "+1", "-2", "@SUM(A1)"] {
            assert!(neutralise(s).starts_with('\''));
        }
        assert_eq!(neutralise("Daraa"), "Daraa");
    }

    #[test]
    fn row_has_every_column() {
        let inc = Incident::new("Battles", DateSpan::parse("d", "2025-06").unwrap());
        let row = incident_row(&inc).unwrap();
        for c in COLUMNS {
            assert!(row.contains_key(*c), "{c}");
        }
    }
}
