//! Renders a one-period `Report` for people (table, Markdown) and for
//! spreadsheets (long-form CSV). JSON is the report serialised as is.

use std::io::Write;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::formats::{OutputFormat, RowWriter};
use crate::report::Report;

fn io(e: std::io::Error) -> Error {
    Error::io("<output>", e)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
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
    for r in &rows {
        w.write(r)?;
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
    writeln!(
        out,
        "\nIncidents (whole date span inside the period): {}\nFatalities: best {} (low {}, high {}); {} unknown, not counted as 0\nCivilian fatalities: {}",
        r.incidents,
        f.best,
        f.low,
        f.high,
        plural(f.unknown_incidents, "incident with fatalities", "incidents with fatalities"),
        r.civilian_fatalities
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
    writeln!(
        out,
        "Previous period ({} to {}): {}, {} fatalities; change {} incidents{}, {} fatalities{}",
        p.start,
        p.end,
        plural(p.incidents, "incident", "incidents"),
        p.fatalities.best,
        signed(p.incidents_change),
        ratio(p.incidents_ratio),
        signed(p.fatalities_change),
        ratio(p.fatalities_ratio)
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
        &["admin1", "incidents", "fatalities"],
        count_rows("admin1", &r.by_admin1),
    )?;
    section(
        out,
        format,
        "By admin2",
        &["admin2", "incidents", "fatalities"],
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

/// The report as long-form CSV: one row per figure (section, key, value).
pub fn write_csv<W: Write>(out: W, r: &Report, raw: bool) -> Result<()> {
    let mut w = RowWriter::new(
        out,
        OutputFormat::Csv,
        &["section", "key", "incidents", "fatalities"],
        raw,
    );
    let mut row = |section: &str, key: &str, incidents: Value, fatalities: Value| -> Result<()> {
        let mut m = Map::new();
        m.insert("section".into(), section.into());
        m.insert("key".into(), key.into());
        m.insert("incidents".into(), incidents);
        m.insert("fatalities".into(), fatalities);
        w.write(&m)
    };
    row("total", "all", r.incidents.into(), r.fatalities.best.into())?;
    row(
        "total",
        "fatalities_low",
        Value::Null,
        r.fatalities.low.into(),
    )?;
    row(
        "total",
        "fatalities_high",
        Value::Null,
        r.fatalities.high.into(),
    )?;
    row(
        "total",
        "fatalities_unknown",
        r.fatalities.unknown_incidents.into(),
        Value::Null,
    )?;
    row(
        "total",
        "civilian_fatalities",
        Value::Null,
        r.civilian_fatalities.into(),
    )?;
    if let Some(w) = &r.parent_without_district {
        row(
            "parent_without_district",
            &w.admin1_code,
            w.incidents.into(),
            Value::Null,
        )?;
    }
    row(
        "previous_period",
        &format!("{} to {}", r.previous_period.start, r.previous_period.end),
        r.previous_period.incidents.into(),
        r.previous_period.fatalities.best.into(),
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
                Value::Object(o) => {
                    row(section, k, o["incidents"].clone(), o["fatalities"].clone())?
                }
                n => row(section, k, n.clone(), Value::Null)?,
            }
        }
    }
    for o in &r.overlapping {
        row(
            "overlapping",
            o.uid.as_deref().unwrap_or(""),
            Value::Null,
            o.fatalities.map(Value::from).unwrap_or(Value::Null),
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
        )?;
    }
    w.finish()
}
