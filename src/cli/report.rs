//! `incidents report`: per-region, per-period counts and fatalities next to
//! the figures sources report, or grouped aggregates over a range.

use std::io::Write;

use incidents::filter::Status;
use incidents::formats::OutputFormat;
use incidents::group::Dim;
use incidents::report::AwaitingReview;
use incidents::stream::Output;
use incidents::{Error, Result};

use super::{Ctx, FilterArgs, NearArgs, PeriodArgs, note};

/// Report output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Csv,
    Json,
    /// The regions of the result as polygons with the aggregates as
    /// properties, for a choropleth in QGIS or kepler.gl.
    Geojson,
    /// One self-contained page (inline SVG map and chart, no scripts, no
    /// links to the network) that prints on A4.
    Html,
}

#[derive(Debug, clap::Args)]
#[command(
    after_long_help = "COUNTING RULE: an incident counts in the period only when its whole \
date span lies inside the period. An incident whose span only overlaps the period (for example \
\"since December 2024\" in a June report) is not counted: a period report lists it under \
\"overlapping\" with its span, and --group-by leaves it out. So a report takes no --overlapping \
(list and export do). By actor, an incident counts once under each of its actors (once when both sides are \
the same group). Reported tallies from sources that overlap the region and period are shown next \
to the counts, never added to them.

FATALITY RULE: the best, low and high sums cover the same incidents, those with a best estimate, \
so low <= best <= high holds for the sums: a missing bound, or one on the wrong side of the best \
estimate, is the best estimate. An incident without a best estimate (even one with a range) is in \
none of them. Civilian fatalities sum the incidents with a civilian toll. Every sum says how many \
incidents it covers: \"over 2 of 3 incidents\" in text; known_incidents and \
civilian_known_incidents in JSON; a known_incidents column in CSV; fatalities_known and \
civilian_known in grouped rows and GeoJSON. A sum that covers none of a group's incidents is \
unknown (\"unknown\", JSON null, an empty CSV cell), never 0; a group without incidents sums to \
0."
)]
#[command(mut_arg("status", |a| a
    .value_parser(counted_status)
    .help("reviewed (the default, and the only one: a report never counts a draft, a rejected or a merged incident)")))]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub near: NearArgs,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Aggregate over --from/--to by these dimensions, comma-separated:
    /// month, week, year, day, country, admin1, admin2, type, sub_type, actor.
    #[arg(long, value_delimiter = ',')]
    pub group_by: Vec<String>,
    /// Output format (table on a terminal, csv otherwise).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Do not neutralise spreadsheet formulas in CSV cells.
    #[arg(long)]
    pub raw: bool,
    /// Write to this file (it appears only complete) instead of standard output.
    #[arg(short, long)]
    pub output: Option<std::path::PathBuf>,
}

/// `--status` of a report: `reviewed` (or `active`); any other is a usage
/// error saying where drafts are seen.
pub(super) fn counted_status(s: &str) -> std::result::Result<String, String> {
    Status::parse(s)
        .and_then(incidents::report::check_status)
        .map(|()| s.to_string())
        .map_err(|e| e.to_string())
}

fn io(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let db = ctx.read()?;
    let format = a.format.unwrap_or_else(|| {
        match OutputFormat::default_for(std::io::IsTerminal::is_terminal(&std::io::stdout())) {
            OutputFormat::Table => ReportFormat::Table,
            _ => ReportFormat::Csv,
        }
    });
    let filter = a.filter.to_filter(&db, false, &a.near)?;
    let period = a.period.resolve(&a.filter)?;
    let output = Output::from_arg(a.output.as_deref().unwrap_or(std::path::Path::new("-")));
    if output.path().is_none() {
        return write(
            &db,
            &a,
            &filter,
            period,
            format,
            &mut std::io::stdout().lock(),
        );
    }
    // A file: written whole, so a failed report leaves no partial file.
    super::picture::write_bytes(&output, &bytes(&db, &a, format)?)
}

/// The whole report in one format, for a file or the web API.
pub fn bytes(db: &incidents::Database, a: &Args, format: ReportFormat) -> Result<Vec<u8>> {
    let filter = a.filter.to_filter(db, false, &a.near)?;
    let period = a.period.resolve(&a.filter)?;
    let mut buf = Vec::new();
    write(db, a, &filter, period, format, &mut buf)?;
    Ok(buf)
}

fn write(
    db: &incidents::Database,
    a: &Args,
    filter: &incidents::filter::Filter,
    period: Option<incidents::report::Period>,
    format: ReportFormat,
    mut out: &mut dyn Write,
) -> Result<()> {
    let filter = filter.clone();

    if !a.group_by.is_empty() {
        let dims: Vec<Dim> = a
            .group_by
            .iter()
            .map(|d| Dim::parse(d))
            .collect::<Result<_>>()?;
        let rows = db.grouped_report(&filter, period, &dims)?;
        if rows.is_empty() {
            note("no incidents match these filters and period");
        }
        let drafts = AwaitingReview {
            incidents: db.grouped_drafts(&filter, period)?,
            tallies: 0,
        };
        if let Some(n) = drafts.note() {
            note(&format!("note: {n}"));
        }
        return match format {
            ReportFormat::Geojson => db.write_grouped_geojson(&mut out, &dims, &rows),
            ReportFormat::Html => Err(Error::invalid(
                "--format",
                "html",
                "a one-period report for a page (--month, --week, --year or --from/--to, without --group-by)",
            )),
            other => {
                let of = match other {
                    ReportFormat::Table => OutputFormat::Table,
                    ReportFormat::Markdown => OutputFormat::Markdown,
                    ReportFormat::Csv => OutputFormat::Csv,
                    _ => OutputFormat::Json,
                };
                let keys: Vec<&str> = dims.iter().map(|d| d.name()).collect();
                incidents::formats::report::write_grouped(&mut out, of, &keys, rows, a.raw)
            }
        };
    }

    let period = period.ok_or_else(|| {
        Error::invalid("period", "(none)", "--month YYYY-MM, --week YYYY-Www, --year YYYY or --from/--to (or --group-by over a range)")
    })?;
    let r = db.report(&filter, period)?;
    if r.incidents == 0 && r.overlapping_total == 0 && r.tallies.is_empty() {
        note(&format!(
            "no incidents in {} from {} to {}",
            r.region.name, period.start, period.end
        ));
    }
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &r)?;
            writeln!(out).map_err(io)
        }
        ReportFormat::Csv => incidents::formats::report::write_csv(&mut out, &r, a.raw),
        ReportFormat::Table => {
            incidents::formats::report::write_text(&mut out, &r, OutputFormat::Table)
        }
        ReportFormat::Markdown => {
            incidents::formats::report::write_text(&mut out, &r, OutputFormat::Markdown)
        }
        ReportFormat::Geojson => db.write_report_geojson(&mut out, &filter, &r, period),
        ReportFormat::Html => out
            .write_all(db.report_html(&filter, &r, period)?.as_bytes())
            .map_err(io),
    }
}
