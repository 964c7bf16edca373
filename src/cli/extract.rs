//! `incidents extract FILE --published DATE`: draft incidents and tallies
//! from a report's text, for review.

use std::path::{Path, PathBuf};

use incidents::extract::{self, Report};
use incidents::model::{DateSpan, Source};
use incidents::stream::Input;
use incidents::{Error, Result};

use super::{Ctx, dry_run_prefix, note, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The report: a plain-text file in English, or - for standard input.
    pub file: PathBuf,
    /// The report's publication date (YYYY-MM-DD): "on Tuesday" and
    /// "last month" are read relative to it.
    #[arg(long)]
    pub published: String,
    /// Who published the report (default: the file's name).
    #[arg(long)]
    pub source: Option<String>,
    /// The report's address.
    #[arg(long)]
    pub source_url: Option<String>,
    /// Show the drafts without storing them.
    #[arg(long)]
    pub dry_run: bool,
    /// table (default) or json ({"incidents": [...], "tallies": [...]}).
    #[arg(long, value_parser = ["table", "json"], default_value = "table")]
    pub format: String,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let published = DateSpan::parse("--published", &a.published)?;
    if published.start != published.end {
        return Err(Error::invalid(
            "--published",
            &a.published,
            "the day the report was published, YYYY-MM-DD",
        ));
    }
    let input = Input::from_arg(&a.file);
    let text = extract::read_report(&input)?;
    let publisher = a.source.clone().unwrap_or_else(|| {
        input
            .path()
            .and_then(Path::file_name)
            .map_or("standard input".into(), |n| {
                n.to_string_lossy().into_owned()
            })
    });
    let report = Report {
        text: &text,
        published: published.start,
        source: Source {
            publisher,
            title: None,
            url: a.source_url.clone(),
            published: Some(published.start.to_string()),
            excerpt: None,
        },
    };
    let mut db = if a.dry_run { ctx.read()? } else { ctx.open()? };
    let mut drafts = db.extract(&report)?;
    for w in &drafts.warnings {
        note(&format!("{input}: {w}"));
    }
    if !a.dry_run {
        let (incidents, tallies) = db.add_drafts(&drafts)?;
        for (inc, uid) in drafts.incidents.iter_mut().zip(incidents) {
            inc.uid = Some(uid);
        }
        for (t, uid) in drafts.tallies.iter_mut().zip(tallies) {
            t.uid = Some(uid);
        }
    }
    if a.format == "json" {
        let doc = serde_json::json!({"incidents": drafts.incidents, "tallies": drafts.tallies});
        return say(serde_json::to_string_pretty(&doc)?);
    }
    let mut lines = vec![format!(
        "{}{} draft incidents and {} draft tallies from {}{}",
        dry_run_prefix(a.dry_run),
        drafts.incidents.len(),
        drafts.tallies.len(),
        input,
        if a.dry_run {
            ""
        } else {
            "; review them with `incidents review`"
        }
    )];
    for i in &drafts.incidents {
        lines.push(format!(
            "  {} {}..{} {} / {} | {} | {} | fatalities {} | confidence {:.2}",
            i.uid.as_deref().unwrap_or("-"),
            i.span.start,
            i.span.end,
            i.event_type,
            i.sub_event_type.as_deref().unwrap_or(""),
            i.place.as_deref().unwrap_or("(no place)"),
            i.admin1.as_deref().unwrap_or("-"),
            i.fatalities
                .best
                .map_or("unknown".into(), |n| n.to_string()),
            i.confidence.unwrap_or(0.0)
        ));
    }
    for t in &drafts.tallies {
        lines.push(format!(
            "  {} tally {} {} in {} {}..{}{}",
            t.uid.as_deref().unwrap_or("-"),
            t.value,
            t.metric,
            t.region.as_deref().unwrap_or("-"),
            t.period_start,
            t.period_end,
            if t.derived { " (derived)" } else { "" }
        ));
    }
    say(lines.join("\n"))
}
