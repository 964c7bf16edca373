//! `incidents show UID`: one incident in full.

use incidents::{Error, Result};
use serde_json::{Map, Value};

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident's uid.
    pub uid: String,
    /// text (default) or json.
    #[arg(long, value_parser = ["text", "json"], default_value = "text")]
    pub format: String,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let inc = ctx.read()?.incident(&a.uid)?;
    if a.format == "json" {
        return say(json(&inc)?);
    }
    let Value::Object(map) = serde_json::to_value(&inc)? else {
        return Err(Error::Data {
            what: "incident".into(),
            reason: "not an object".into(),
        });
    };
    say(field_lines(&map).trim_end())
}

/// The record as `show --format json` prints it (without the last newline).
pub fn json(inc: &incidents::model::Incident) -> Result<String> {
    Ok(serde_json::to_string_pretty(inc)?)
}

/// A record's fields, one `name: value` line each, for people: empty ones
/// left out, unknown fatalities said, each source on a line of its own.
pub fn field_lines(map: &Map<String, Value>) -> String {
    let mut text = String::new();
    for (k, v) in map {
        let shown = match v {
            Value::Null if k.starts_with("fatalities") || k == "civilian_fatalities" => {
                "unknown".to_string()
            }
            Value::Null => continue,
            Value::Array(a) if a.is_empty() => continue,
            Value::Array(sources) if k == "sources" => sources.iter().map(source_line).collect(),
            Value::Object(_) if k == "source" => source_line(v),
            Value::Array(spans) if k == "evidence" => evidence_text(spans),
            other => incidents::formats::rows::cell(other),
        };
        text.push_str(&format!("{k:>20}: {shown}\n"));
    }
    text
}

/// The spans a draft came from, as `field: text; ...`.
pub fn evidence_text(spans: &[Value]) -> String {
    spans
        .iter()
        .map(|e| {
            let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default();
            format!("{}: {}", text("field"), text("text"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A source as one line: publisher | title | published | url | excerpt.
fn source_line(source: &Value) -> String {
    let parts: Vec<&str> = ["publisher", "title", "published", "url", "excerpt"]
        .iter()
        .filter_map(|k| source.get(k).and_then(Value::as_str))
        .collect();
    format!("\n    - {}", parts.join(" | "))
}
