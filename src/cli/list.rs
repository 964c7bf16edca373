//! `incidents list`: incidents matching filters, in any output format.

use incidents::Result;
use incidents::filter::Status;
use incidents::formats::OutputFormat;
use incidents::formats::csv::{COLUMNS, incident_row};
use incidents::model::Incident;
use serde_json::{Map, Value};

use super::{Ctx, FilterArgs, NearArgs, OutputArgs, OverlappingArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub near: NearArgs,
    #[command(flatten)]
    pub period: OverlappingArg,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The columns of the table view: enough to recognise an incident.
const TABLE_COLUMNS: &[&str] = &[
    "uid",
    "date",
    "event_type",
    "place",
    "admin1",
    "fatalities",
    "title",
];

/// A date span as people read it: `2025-06-17`, `2025-06 (month)`,
/// `2024-12-08..2025-07-15 (range)`.
pub fn span_text(i: &Incident) -> String {
    let s = &i.span;
    match s.precision {
        incidents::model::DatePrecision::Day => s.start.to_string(),
        incidents::model::DatePrecision::Month => format!("{} (month)", s.start.format("%Y-%m")),
        incidents::model::DatePrecision::Year => format!("{} (year)", s.start.format("%Y")),
        p => format!("{}..{} ({})", s.start, s.end, p.as_str()),
    }
}

fn table_row(i: &Incident) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("uid".into(), i.uid.clone().into());
    m.insert("date".into(), span_text(i).into());
    m.insert(
        "event_type".into(),
        match &i.sub_event_type {
            Some(s) => format!("{} / {s}", i.event_type),
            None => i.event_type.clone(),
        }
        .into(),
    );
    m.insert("place".into(), i.place.clone().into());
    m.insert("admin1".into(), i.admin1.clone().into());
    m.insert(
        "fatalities".into(),
        i.fatalities
            .best
            .map(|f| f.to_string())
            .unwrap_or_else(|| "unknown".into())
            .into(),
    );
    m.insert("title".into(), i.title.clone().into());
    let status = match i.merged_into {
        Some(_) => "merged",
        None => i.status.as_str(),
    };
    m.insert("status".into(), status.into());
    m
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let db = ctx.read()?;
    let filter = a.filter.to_filter(&db, a.period.overlapping, &a.near)?;
    let format = a.output.format();
    let human = matches!(format, OutputFormat::Table | OutputFormat::Markdown);
    // Beyond the default's reviewed incidents, the table says which is which.
    let mut table = TABLE_COLUMNS.to_vec();
    if filter.status != Status::Reviewed {
        table.push("status");
    }
    let mut out = a.output.writer(if human { &table } else { COLUMNS });
    db.for_each_incident(&filter, |i| match format {
        OutputFormat::Table | OutputFormat::Markdown => out.write(&table_row(&i)),
        OutputFormat::Csv => out.write(&incident_row(&i)?),
        OutputFormat::Json | OutputFormat::Ndjson => out.write_serialize(&i),
    })?;
    let n = out.count();
    out.finish()?;
    if human {
        super::note(&format!("{n} incident{}", if n == 1 { "" } else { "s" }));
    }
    Ok(())
}
