//! `incidents dedup`: pairs of incidents that may report one event, and
//! `--apply` to merge the duplicates.

use incidents::Result;
use incidents::dedup::{self, Pair};
use incidents::formats::OutputFormat;
use serde_json::{Map, Value};

use super::{Ctx, FilterArgs, NearArgs, OutputArgs, dry_run_prefix, note, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Most days between two incidents' date spans.
    #[arg(long, default_value_t = dedup::Options::default().window_days)]
    pub window: u32,
    /// Farthest apart two located incidents may be, in km.
    #[arg(long, default_value_t = dedup::Options::default().radius_km)]
    pub radius: f64,
    /// Show pairs scoring at least this (0..1).
    #[arg(long, default_value_t = dedup::Options::default().min_score)]
    pub min_score: f64,
    /// Merge every `duplicate` pair (groups: three reports of one event
    /// become one incident), in one transaction.
    #[arg(long)]
    pub apply: bool,
    /// With --apply: show what would be merged, changing nothing.
    #[arg(long, requires = "apply")]
    pub dry_run: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The flat columns of the table and CSV views.
const COLUMNS: &[&str] = &[
    "a",
    "b",
    "score",
    "verdict",
    "days_apart",
    "km_apart",
    "place",
    "event_type",
    "actors",
    "fatalities",
    "same_source",
    "best_match",
];

fn flat(p: &Pair) -> Map<String, Value> {
    let r = &p.reasons;
    let deaths = |v: Option<u32>| v.map_or("unknown".to_string(), |n| n.to_string());
    let mut m = Map::new();
    m.insert("a".into(), p.a.clone().into());
    m.insert("b".into(), p.b.clone().into());
    m.insert("score".into(), format!("{:.3}", p.score).into());
    m.insert("verdict".into(), p.verdict.as_str().into());
    m.insert("days_apart".into(), r.days_apart.into());
    m.insert("km_apart".into(), r.km_apart.into());
    m.insert("place".into(), r.place.as_str().into());
    m.insert("event_type".into(), r.event_type.as_str().into());
    m.insert("actors".into(), r.actors.as_str().into());
    m.insert(
        "fatalities".into(),
        format!("{} / {}", deaths(r.fatalities[0]), deaths(r.fatalities[1])).into(),
    );
    m.insert("same_source".into(), r.same_source.into());
    m.insert("best_match".into(), r.best_match.into());
    m
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let opts = dedup::Options {
        window_days: a.window,
        radius_km: a.radius,
        min_score: a.min_score,
    };
    opts.check()?;
    if a.apply {
        let mut db = ctx.open()?;
        let filter = a.filter.to_filter(&db, false, &NearArgs::default())?;
        let applied = db.apply_dedup(&filter, &opts, a.dry_run)?;
        let merged: usize = applied.iter().map(|g| g.merged.len()).sum();
        for g in &applied {
            say(format!("{} <- {}", g.keep, g.merged.join(", ")))?;
        }
        return say(format!(
            "{}{} incidents merged into {} (see `incidents unmerge UID` to undo one)",
            dry_run_prefix(a.dry_run),
            merged,
            applied.len()
        ));
    }
    let db = ctx.read()?;
    let filter = a.filter.to_filter(&db, false, &NearArgs::default())?;
    let (_, pairs) = db.dedup(&filter, &opts)?;
    let format = a.output.format();
    let nested = matches!(format, OutputFormat::Json | OutputFormat::Ndjson);
    let mut out = a.output.writer(if nested {
        &["a", "b", "score", "verdict", "reasons"]
    } else {
        COLUMNS
    });
    for p in &pairs {
        if nested {
            out.write_serialize(p)?;
        } else {
            out.write(&flat(p))?;
        }
    }
    out.finish()?;
    if !nested {
        let dup = pairs
            .iter()
            .filter(|p| p.verdict == dedup::Verdict::Duplicate)
            .count();
        note(&format!(
            "{} pairs: {dup} duplicate, {} possible",
            pairs.len(),
            pairs.len() - dup
        ));
    }
    Ok(())
}
