//! `incidents tally add|list|delete`: figures that sources report in
//! aggregate, kept apart from counted incidents.

use chrono::NaiveDate;
use incidents::filter::Status;
use incidents::model::{DateSpan, Source, Tally};
use incidents::{Error, Result};
use serde_json::{Map, Value};

use super::{Ctx, OutputArgs, note, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: TallyCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum TallyCommand {
    /// Record a reported figure.
    Add(Box<AddArgs>),
    /// List reported figures.
    List(ListArgs),
    /// Delete a reported figure (kept in history).
    Delete { uid: String },
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// What is counted, e.g. killings, civilian killings, assassinations.
    #[arg(long)]
    pub metric: String,
    /// The figure.
    #[arg(long, allow_hyphen_values = true)]
    pub value: f64,
    /// The period as a date, month or year (YYYY-MM-DD, YYYY-MM, YYYY).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// First day of the period.
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// Last day of the period.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// Region name or code the figure covers.
    #[arg(long)]
    pub region: Option<String>,
    /// Place name as reported.
    #[arg(long)]
    pub place: Option<String>,
    /// The figure is computed from the source's words (e.g. "double May's toll").
    #[arg(long)]
    pub derived: bool,
    /// Who reports the figure.
    #[arg(long)]
    pub source: Option<String>,
    #[arg(long, requires = "source")]
    pub source_title: Option<String>,
    #[arg(long, requires = "source")]
    pub source_url: Option<String>,
    #[arg(long, requires = "source")]
    pub source_date: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// Keep this uid instead of generating TAL-000001.
    #[arg(long)]
    pub uid: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only figures for this region (or its districts).
    #[arg(long)]
    pub region: Option<String>,
    /// Figures whose period overlaps from this day.
    #[arg(long)]
    pub from: Option<String>,
    /// Figures whose period overlaps up to this day.
    #[arg(long)]
    pub to: Option<String>,
    /// reviewed (the default), draft, rejected or all.
    #[arg(long)]
    pub status: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

fn period(a: &AddArgs) -> Result<(NaiveDate, NaiveDate)> {
    match (&a.period, &a.from, &a.to) {
        (Some(p), _, _) => {
            let s = DateSpan::parse("--period", p)?;
            Ok((s.start, s.end))
        }
        (None, Some(f), Some(t)) => {
            let s = DateSpan::from_flags(f, Some(t)).map_err(|e| match e {
                Error::Invalid {
                    value,
                    expected,
                    field,
                } => Error::Invalid {
                    // A tally's period is given by --from and --to.
                    field: match field.as_str() {
                        "date" => "from".into(),
                        "end-date" => "to".into(),
                        _ => field,
                    },
                    value,
                    expected,
                },
                other => other,
            })?;
            Ok((s.start, s.end))
        }
        _ => Err(Error::invalid(
            "--period",
            "(missing)",
            "--period YYYY-MM or --from and --to",
        )),
    }
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    match a.command {
        TallyCommand::Add(a) => add(ctx, *a),
        TallyCommand::List(a) => list(ctx, a),
        TallyCommand::Delete { uid } => {
            ctx.open()?.delete_tally(&uid)?;
            say(format!("{uid}: deleted"))
        }
    }
}

fn add(ctx: &Ctx, a: AddArgs) -> Result<()> {
    let (start, end) = period(&a)?;
    let t = Tally {
        uid: a.uid.clone(),
        region: a.region.clone(),
        region_code: None,
        place: a.place.clone(),
        period_start: start,
        period_end: end,
        metric: a.metric.clone(),
        value: a.value,
        derived: a.derived,
        source: a.source.as_ref().map(|p| Source {
            publisher: p.clone(),
            title: a.source_title.clone(),
            url: a.source_url.clone(),
            published: a.source_date.clone(),
            excerpt: None,
        }),
        notes: a.notes.clone(),
        status: Default::default(),
        review_note: None,
        evidence: Vec::new(),
        confidence: None,
        created_at: None,
        updated_at: None,
    };
    say(ctx.open()?.add_tally(t, &mut note)?)
}

/// The tallies of a region (and its districts) and period.
fn list(ctx: &Ctx, a: ListArgs) -> Result<()> {
    let from = a
        .from
        .as_deref()
        .map(|s| DateSpan::parse("--from", s))
        .transpose()?
        .map(|s| s.start);
    let to =
        a.to.as_deref()
            .map(|s| DateSpan::parse("--to", s))
            .transpose()?
            .map(|s| s.end);
    let status = a
        .status
        .as_deref()
        .map(Status::parse)
        .transpose()?
        .unwrap_or_default();
    let tallies = ctx
        .read()?
        .tallies(a.region.as_deref(), from, to, status, &mut note)?;
    let mut out = a.output.writer(&[
        "uid",
        "region",
        "region_code",
        "place",
        "period_start",
        "period_end",
        "metric",
        "value",
        "derived",
        "source",
        "notes",
        "status",
    ]);
    for t in tallies {
        let Value::Object(mut row) = serde_json::to_value(&t)? else {
            continue;
        };
        row.insert(
            "source".into(),
            t.source
                .as_ref()
                .map(|s| Value::from(s.publisher.clone()))
                .unwrap_or(Value::Null),
        );
        let row: Map<String, Value> = row;
        out.write(&row)?;
    }
    out.finish()
}
