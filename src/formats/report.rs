//! Renders a one-period `Report` for people (table, Markdown) and for
//! spreadsheets (long-form CSV), and grouped rows. JSON is the report
//! serialised as is. Drafts awaiting review in the report's scope are said
//! in every format (never counted). An unknown sum is "unknown" for
//! people, an empty CSV cell and a JSON null, never 0.

use std::io::Write;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::formats::{OutputFormat, RowWriter, plural};
use crate::report::{AGGREGATE_COLUMNS, Report};

fn io(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

pub(crate) fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// A sum for people with how many incidents it covers; `what` is the figure
/// an incident may lack.
fn covered(sum: Option<String>, known: u64, incidents: u64, what: &str) -> String {
    match sum {
        _ if incidents == 0 => "0 (no incidents)".into(),
        Some(s) => format!(
            "{s} over {known} of {}",
            plural(incidents, "incident", "incidents")
        ),
        None => format!("unknown (no incident has {what})"),
    }
}

/// A grouped row for people: its unknown sums say so.
fn for_people(mut row: Map<String, Value>) -> Map<String, Value> {
    for c in AGGREGATE_COLUMNS {
        if let Some(v @ Value::Null) = row.get_mut(c) {
            *v = Value::from("unknown");
        }
    }
    row
}

/// Grouped rows (from `report::grouped`) with a column per dimension
/// (`keys`) and then the aggregates.
pub fn write_grouped<W: Write>(
    out: W,
    format: OutputFormat,
    keys: &[&str],
    rows: Vec<Map<String, Value>>,
    raw: bool,
) -> Result<()> {
    let mut columns = keys.to_vec();
    columns.extend(AGGREGATE_COLUMNS);
    let mut w = RowWriter::new(out, format, &columns, raw);
    let text = matches!(format, OutputFormat::Table | OutputFormat::Markdown);
    for r in rows {
        w.write(&if text { for_people(r) } else { r })?;
    }
    w.finish()
}

/// Writes a titled table of rows (skipped when there are none).
fn section<W: Write>(
    out: &mut W,
    format: OutputFormat,
    title: &str,
    columns: &[&str],
    rows: Vec<Map<String, Value>>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let heading = if format == OutputFormat::Markdown {
        format!("\n### {title}\n")
    } else {
        format!("\n{title}")
    };
    writeln!(out, "{heading}").map_err(io)?;
    let mut w = RowWriter::new(&mut *out, format, columns, false);
    for r in rows {
        w.write(&for_people(r))?;
    }
    w.finish()
}

fn count_rows(key: &str, counts: &Map<String, Value>) -> Vec<Map<String, Value>> {
    counts
        .iter()
        .map(|(k, v)| {
            let mut m = Map::new();
            m.insert(key.into(), Value::from(k.clone()));
            match v {
                Value::Object(o) => m.extend(o.clone()),
                n => {
                    m.insert("incidents".into(), n.clone());
                }
            }
            m
        })
        .collect()
}

/// The report as text (table or Markdown).
pub fn write_text<W: Write>(out: &mut W, r: &Report, format: OutputFormat) -> Result<()> {
    let region = match &r.region.code {
        Some(code) => format!("{} ({code}, {})", r.region.name, r.region.level),
        None => r.region.name.clone(),
    };
    let h = if format == OutputFormat::Markdown {
        "## "
    } else {
        ""
    };
    writeln!(out, "{h}{region}: {} to {}", r.period.start, r.period.end).map_err(io)?;
    if r.incidents == 0 {
        writeln!(
            out,
            "\nNo incidents with a date span wholly inside this period in {region}."
        )
        .map_err(io)?;
    }
    let f = &r.fatalities;
    // The three sums cover the same incidents: known together or not at all.
    let best = match (f.best, f.low, f.high) {
        (Some(b), Some(l), Some(h)) => Some(format!("best {b} (low {l}, high {h})")),
        _ => None,
    };
    let unknown = if f.unknown_incidents > 0 && f.known_incidents > 0 {
        format!(
            "; {} without a best estimate, not counted as 0",
            f.unknown_incidents
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "\nIncidents (whole date span inside the period): {}\nFatalities: {}{unknown}\nCivilian fatalities: {}",
        r.incidents,
        covered(best, f.known_incidents, r.incidents, "a best estimate"),
        covered(
            r.civilian_fatalities.map(|c| c.to_string()),
            r.civilian_known_incidents,
            r.incidents,
            "a civilian toll"
        ),
    )
    .map_err(io)?;
    if let Some(w) = &r.parent_without_district {
        writeln!(
            out,
            "Not in any district: {} of {} in this period known only to the governorate, not counted here",
            plural(w.incidents, "incident", "incidents"),
            w.admin1_code
        )
        .map_err(io)?;
    }
    let p = &r.previous_period;
    let ratio = |x: Option<f64>| x.map(|v| format!(" (x{v:.2})")).unwrap_or_default();
    let fatalities_change = match p.fatalities_change {
        Some(c) => format!("{} fatalities{}", signed(c), ratio(p.fatalities_ratio)),
        None => "fatalities unknown".into(),
    };
    writeln!(
        out,
        "Previous period ({} to {}): {}, fatalities {}; change {} incidents{}, {fatalities_change}",
        p.start,
        p.end,
        plural(p.incidents, "incident", "incidents"),
        covered(
            p.fatalities.best.map(|b| b.to_string()),
            p.fatalities.known_incidents,
            p.incidents,
            "a best estimate"
        ),
        signed(p.incidents_change),
        ratio(p.incidents_ratio),
    )
    .map_err(io)?;
    if r.overlapping_total > 0 {
        writeln!(
            out,
            "Overlapping, not counted: {} whose date span only overlaps the period (listed below)",
            plural(r.overlapping_total, "incident", "incidents")
        )
        .map_err(io)?;
    }
    if let Some(n) = r.awaiting_review.note() {
        writeln!(
            out,
            "Awaiting review: {n}; see them with `incidents review`"
        )
        .map_err(io)?;
    }
    let tallies: Vec<Map<String, Value>> = r
        .tallies
        .iter()
        .map(|t| {
            let mut m = Map::new();
            m.insert("metric".into(), Value::from(t.metric.clone()));
            m.insert(
                "value".into(),
                serde_json::to_value(t)
                    .map(|v| v["value"].clone())
                    .unwrap_or(Value::Null),
            );
            m.insert(
                "period".into(),
                Value::from(format!("{} to {}", t.period_start, t.period_end)),
            );
            m.insert("coverage".into(), Value::from(t.coverage));
            m.insert("region".into(), Value::from(t.region.clone()));
            m.insert("source".into(), Value::from(t.source.clone()));
            m.insert(
                "derived".into(),
                Value::from(if t.derived { "derived" } else { "" }),
            );
            m
        })
        .collect();
    section(
        out,
        format,
        "Reported figures (tallies from sources, not counted above)",
        &[
            "metric", "value", "period", "coverage", "region", "source", "derived",
        ],
        tallies,
    )?;
    section(
        out,
        format,
        "By event type",
        &["type", "incidents"],
        count_rows("type", &r.by_type),
    )?;
    section(
        out,
        format,
        "By sub-event type",
        &["sub_type", "incidents"],
        count_rows("sub_type", &r.by_sub_type),
    )?;
    section(
        out,
        format,
        "By admin1",
        &["admin1", "incidents", "fatalities", "fatalities_known"],
        count_rows("admin1", &r.by_admin1),
    )?;
    section(
        out,
        format,
        "By admin2",
        &["admin2", "incidents", "fatalities", "fatalities_known"],
        count_rows("admin2", &r.by_admin2),
    )?;
    section(
        out,
        format,
        "By actor",
        &["actor", "incidents"],
        count_rows("actor", &r.by_actor),
    )?;
    section(
        out,
        format,
        "By week",
        &["week", "incidents"],
        count_rows("week", &r.by_week),
    )?;
    section(
        out,
        format,
        "By day",
        &["day", "incidents"],
        count_rows("day", &r.by_day),
    )?;
    let overlapping: Vec<Map<String, Value>> = r
        .overlapping
        .iter()
        .map(|o| {
            let mut m = Map::new();
            m.insert("uid".into(), Value::from(o.uid.clone()));
            m.insert(
                "date_span".into(),
                Value::from(format!(
                    "{}..{} ({})",
                    o.date_start,
                    o.date_end,
                    o.date_precision.as_str()
                )),
            );
            m.insert("event_type".into(), Value::from(o.event_type.clone()));
            m.insert("place".into(), Value::from(o.place.clone()));
            m.insert("title".into(), Value::from(o.title.clone()));
            m
        })
        .collect();
    section(
        out,
        format,
        "Overlapping incidents (date span only overlaps the period; not counted)",
        &["uid", "date_span", "event_type", "place", "title"],
        overlapping,
    )?;
    out.flush().map_err(io)
}

/// The report as long-form CSV: one row per figure (section, key, value),
/// with how many incidents a sum covers in `known_incidents`.
pub fn write_csv<W: Write>(out: W, r: &Report, raw: bool) -> Result<()> {
    let mut w = RowWriter::new(
        out,
        OutputFormat::Csv,
        &[
            "section",
            "key",
            "incidents",
            "fatalities",
            "known_incidents",
        ],
        raw,
    );
    let mut row = |section: &str,
                   key: &str,
                   incidents: Value,
                   fatalities: Value,
                   known: Value|
     -> Result<()> {
        let mut m = Map::new();
        m.insert("section".into(), section.into());
        m.insert("key".into(), key.into());
        m.insert("incidents".into(), incidents);
        m.insert("fatalities".into(), fatalities);
        m.insert("known_incidents".into(), known);
        w.write(&m)
    };
    let f = &r.fatalities;
    let known = Value::from(f.known_incidents);
    row(
        "total",
        "all",
        r.incidents.into(),
        f.best.into(),
        known.clone(),
    )?;
    row(
        "total",
        "fatalities_low",
        Value::Null,
        f.low.into(),
        known.clone(),
    )?;
    row(
        "total",
        "fatalities_high",
        Value::Null,
        f.high.into(),
        known,
    )?;
    row(
        "total",
        "fatalities_unknown",
        f.unknown_incidents.into(),
        Value::Null,
        Value::Null,
    )?;
    row(
        "total",
        "civilian_fatalities",
        Value::Null,
        r.civilian_fatalities.into(),
        r.civilian_known_incidents.into(),
    )?;
    if let Some(w) = &r.parent_without_district {
        row(
            "parent_without_district",
            &w.admin1_code,
            w.incidents.into(),
            Value::Null,
            Value::Null,
        )?;
    }
    let p = &r.previous_period;
    row(
        "previous_period",
        &format!("{} to {}", p.start, p.end),
        p.incidents.into(),
        p.fatalities.best.into(),
        p.fatalities.known_incidents.into(),
    )?;
    for (section, counts) in [
        ("by_type", &r.by_type),
        ("by_sub_type", &r.by_sub_type),
        ("by_admin1", &r.by_admin1),
        ("by_admin2", &r.by_admin2),
        ("by_actor", &r.by_actor),
        ("by_week", &r.by_week),
        ("by_day", &r.by_day),
    ] {
        for (k, v) in counts {
            match v {
                Value::Object(o) => row(
                    section,
                    k,
                    o["incidents"].clone(),
                    o["fatalities"].clone(),
                    o["fatalities_known"].clone(),
                )?,
                n => row(section, k, n.clone(), Value::Null, Value::Null)?,
            }
        }
    }
    // Drafts are said only when there are some: most reports have none.
    let drafts = r.awaiting_review;
    if drafts.note().is_some() {
        for (key, n) in [("incidents", drafts.incidents), ("tallies", drafts.tallies)] {
            row("awaiting_review", key, n.into(), Value::Null, Value::Null)?;
        }
    }
    for o in &r.overlapping {
        row(
            "overlapping",
            o.uid.as_deref().unwrap_or(""),
            Value::Null,
            o.fatalities.into(),
            Value::Null,
        )?;
    }
    for t in &r.tallies {
        row(
            "tally",
            &format!(
                "{} {} to {} ({}{})",
                t.metric,
                t.period_start,
                t.period_end,
                t.source.as_deref().unwrap_or("?"),
                if t.derived { ", derived" } else { "" }
            ),
            Value::Null,
            serde_json::to_value(t)
                .map(|v| v["value"].clone())
                .unwrap_or(Value::Null),
            Value::Null,
        )?;
    }
    w.finish()
}
