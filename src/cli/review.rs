//! `incidents review`: the queue of drafts; `review show UID`, a draft
//! with each span of the report it came from highlighted in context; and
//! the decisions, `review accept` (with edit flags as `edit` takes them,
//! or `--all-from SOURCE`) and `review reject --reason`.

use incidents::edit::Patch;
use incidents::formats::OutputFormat;
use incidents::review::{Record, in_context};
use incidents::{Error, Result};
use serde_json::{Map, Value};

use super::edit::Changes;
use super::list::span_text;
use super::show::{evidence_text, field_lines};
use super::{Ctx, OutputArgs, dry_run_prefix, say};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<ReviewCommand>,
    /// Only drafts citing this source (its publisher or URL).
    #[arg(long)]
    pub source: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum ReviewCommand {
    /// A draft's fields, then each span of the report it came from, in context.
    Show(ShowArgs),
    /// Accept a draft (with edits, as `edit` takes them), or every draft of a source.
    Accept(Box<AcceptArgs>),
    /// Reject a draft, saying why.
    Reject(RejectArgs),
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The draft's uid (an incident or a tally).
    pub uid: String,
    /// text (default) or json.
    #[arg(long, value_parser = ["text", "json"], default_value = "text")]
    pub format: String,
}

#[derive(Debug, clap::Args)]
pub struct AcceptArgs {
    /// The draft's uid (an incident or a tally).
    #[arg(required_unless_present = "all_from", conflicts_with = "all_from")]
    pub uid: Option<String>,
    /// Accept, as they are, every draft citing this source (its publisher
    /// or URL): a trusted batch.
    #[arg(long, value_name = "SOURCE")]
    pub all_from: Option<String>,
    /// Say what would be accepted; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub changes: Changes,
}

#[derive(Debug, clap::Args)]
pub struct RejectArgs {
    /// The draft's uid (an incident or a tally).
    pub uid: String,
    /// Why: kept as the draft's review note, and in its history.
    #[arg(long)]
    pub reason: String,
    /// Say what would be rejected; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    match a.command {
        None => queue(ctx, a.source.as_deref(), &a.output),
        Some(ReviewCommand::Show(s)) => show(ctx, &s),
        Some(ReviewCommand::Accept(a)) => accept(ctx, *a),
        Some(ReviewCommand::Reject(r)) => {
            let record = ctx.open()?.reject(&r.uid, &r.reason, r.dry_run)?;
            say(format!(
                "{}{}: rejected ({})",
                dry_run_prefix(r.dry_run),
                record.uid(),
                r.reason.trim()
            ))
        }
    }
}

/// The queue's columns.
const COLUMNS: &[&str] = &[
    "kind",
    "uid",
    "created_at",
    "date",
    "what",
    "where",
    "source",
    "confidence",
    "evidence",
];

/// A draft as a queue row: its evidence as `field: text; ...` for people,
/// whole (offsets and context too) in JSON.
fn queue_row(r: &Record, human: bool) -> Result<Map<String, Value>> {
    let json = r.to_json()?;
    let (date, what, place) = match r {
        Record::Incident(i) => (
            span_text(i),
            match &i.sub_event_type {
                Some(s) => format!("{} / {s}", i.event_type),
                None => i.event_type.clone(),
            },
            i.place.clone().or_else(|| i.admin1.clone()),
        ),
        Record::Tally(t) => (
            format!("{}..{}", t.period_start, t.period_end),
            format!("{} {}", t.metric, json["value"]),
            t.region.clone().or_else(|| t.place.clone()),
        ),
    };
    let evidence = json
        .get("evidence")
        .cloned()
        .unwrap_or(Value::Array(vec![]));
    let sources: Vec<&str> = r.sources().iter().map(|s| s.publisher.as_str()).collect();
    let mut m = Map::new();
    m.insert("kind".into(), r.kind().into());
    m.insert("uid".into(), r.uid().into());
    m.insert("created_at".into(), r.created_at().into());
    m.insert("date".into(), date.into());
    m.insert("what".into(), what.into());
    m.insert("where".into(), place.into());
    m.insert("source".into(), sources.join("; ").into());
    m.insert(
        "confidence".into(),
        json.get("confidence").cloned().unwrap_or(Value::Null),
    );
    m.insert(
        "evidence".into(),
        match (&evidence, human) {
            (Value::Array(spans), true) => evidence_text(spans).into(),
            _ => evidence,
        },
    );
    Ok(m)
}

fn queue(ctx: &Ctx, source: Option<&str>, output: &OutputArgs) -> Result<()> {
    let drafts = ctx.read()?.review_queue(source)?;
    let human = matches!(
        output.format(),
        OutputFormat::Table | OutputFormat::Markdown | OutputFormat::Csv
    );
    let mut out = output.writer(COLUMNS);
    for r in &drafts {
        out.write(&queue_row(r, human)?)?;
    }
    out.finish()?;
    if matches!(
        output.format(),
        OutputFormat::Table | OutputFormat::Markdown
    ) {
        let n = drafts.len();
        super::note(&format!(
            "{n} draft{} awaiting review",
            if n == 1 { "" } else { "s" }
        ));
    }
    Ok(())
}

/// How a span is marked in its context: reverse video where output may
/// be styled ([`super::styled`]), `[[span]]` otherwise.
fn markers() -> (&'static str, &'static str) {
    if super::styled(&std::io::stdout()) {
        ("\x1b[7m", "\x1b[0m")
    } else {
        ("[[", "]]")
    }
}

fn show(ctx: &Ctx, a: &ShowArgs) -> Result<()> {
    let record = ctx.read()?.record(&a.uid)?;
    let mut fields = record.to_json()?;
    if a.format == "json" {
        return say(serde_json::to_string_pretty(&fields)?);
    }
    fields.remove("evidence");
    let mut text = field_lines(&fields);
    let (open, close) = markers();
    if record.evidence().is_empty() {
        text.push_str("\nNo evidence: the record was not drafted from a report.");
    } else {
        text.push_str("\nEvidence (the report's words, each span marked in its sentence):");
        for ev in record.evidence() {
            let (before, span, after) = in_context(ev);
            text.push_str(&format!(
                "\n{:>20}: {before}{open}{span}{close}{after}",
                ev.field
            ));
        }
    }
    say(text.trim_end())
}

fn accept(ctx: &Ctx, a: AcceptArgs) -> Result<()> {
    let patch = a.changes.patch()?;
    let prefix = dry_run_prefix(a.dry_run);
    let mut db = ctx.open()?;
    match (&a.uid, &a.all_from) {
        (_, Some(source)) => {
            if patch != Patch::default() {
                return Err(Error::invalid(
                    "all-from",
                    source,
                    "no edit flags with it: a batch is accepted as it is (edit one draft with \
                     `review accept UID` and the flags)",
                ));
            }
            let uids = db.accept_all_from(source, a.dry_run)?;
            let n = uids.len();
            say(format!(
                "{prefix}accepted {n} draft{} citing {source:?}",
                if n == 1 { "" } else { "s" }
            ))?;
            for uid in uids {
                say(uid)?;
            }
            Ok(())
        }
        (Some(uid), None) => {
            let record = db.accept(uid, &patch, a.dry_run, &super::pick, &super::note)?;
            say(format!("{prefix}{}: accepted", record.uid()))
        }
        (None, None) => Err(Error::invalid(
            "uid",
            "(none)",
            "the uid of the draft to accept, or --all-from SOURCE",
        )),
    }
}
