//! `incidents show UID`: one incident in full.

use incidents::{Error, Result};

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
        return say(serde_json::to_string_pretty(&inc)?);
    }
    let serde_json::Value::Object(map) = serde_json::to_value(&inc)? else {
        return Err(Error::Data {
            what: "incident".into(),
            reason: "not an object".into(),
        });
    };
    let mut text = String::new();
    for (k, v) in &map {
        let shown = match v {
            serde_json::Value::Null
                if k.starts_with("fatalities") || k == "civilian_fatalities" =>
            {
                "unknown".to_string()
            }
            serde_json::Value::Null => continue,
            serde_json::Value::Array(a) if a.is_empty() => continue,
            serde_json::Value::Array(_) if k == "sources" => inc
                .sources
                .iter()
                .map(|s| {
                    let parts: Vec<&str> = [
                        Some(s.publisher.as_str()),
                        s.title.as_deref(),
                        s.published.as_deref(),
                        s.url.as_deref(),
                        s.excerpt.as_deref(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    format!("\n    - {}", parts.join(" | "))
                })
                .collect(),
            other => incidents::formats::rows::cell(other),
        };
        text.push_str(&format!("{k:>20}: {shown}\n"));
    }
    say(text.trim_end())
}
