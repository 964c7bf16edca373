//! `incidents export`: GeoJSON, GeoJSONSeq, our CSV, ACLED CSV, GeoPackage,
//! Excel workbook.

use std::io::IsTerminal;
use std::path::PathBuf;

use incidents::Result;
use incidents::export::{self, ExportFormat, Options};
use incidents::stream::Output;

use super::progress::{self, Unit};
use super::{Ctx, FilterArgs, NearArgs, OverlappingArg, note};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file; standard output when left out or - (a file is needed
    /// for gpkg and xlsx).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not neutralise spreadsheet formulas (= + - @) in CSV cells (xlsx
    /// cells always hold the exact text, as text).
    #[arg(long)]
    pub raw: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub near: NearArgs,
    #[command(flatten)]
    pub period: OverlappingArg,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let output = a.output.as_deref().map_or(Output::Stdout, Output::from_arg);
    if a.format.needs_file() && output == Output::Stdout {
        return Err(export::needs_file(
            a.format,
            &a.output
                .as_ref()
                .map_or("(missing)".into(), |p| p.display().to_string()),
        ));
    }
    let db = ctx.read()?;
    let filter = a.filter.to_filter(&db, a.period.overlapping, &a.near)?;
    let opts = Options {
        format: a.format,
        raw: a.raw,
    };
    // A bar between the lines of data on a terminal would garble both.
    let show = output != Output::Stdout || !std::io::stdout().is_terminal();
    let show = show && std::io::stderr().is_terminal();
    // Counting first costs a query; worth it only when the bar is seen.
    let total = if show { Some(db.count(&filter)?) } else { None };
    let bar = progress::bar(Unit::Rows, total, format!("exporting to {output}"), show);
    let mut progress = |n| bar.set_position(n);
    let n = match &output {
        Output::File(path) => export::to_file(&db, &filter, opts, path, &mut progress),
        Output::Stdout => export::to_writer(
            &db,
            &filter,
            opts,
            std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
            &mut progress,
        ),
    };
    bar.finish_and_clear();
    let n = n?;
    if n.skipped > 0 {
        note(&format!(
            "{} incidents without coordinates were left out",
            n.skipped
        ));
    }
    if !n.cut.is_empty() {
        let shown: Vec<String> = n.cut.iter().take(5).map(|c| c.to_string()).collect();
        let more = n.cut.len() - shown.len();
        let (cells, were) = if n.cut.len() == 1 {
            ("cell", "was")
        } else {
            ("cells", "were")
        };
        note(&format!(
            "{} {cells} longer than a spreadsheet cell holds ({} characters) {were} cut, \
             marked in the cell and listed on the about sheet (the CSV export keeps \
             the whole text): {}{}",
            n.cut.len(),
            incidents::formats::xlsx::CELL_TEXT_MAX,
            shown.join("; "),
            if more > 0 {
                format!("; {more} more")
            } else {
                String::new()
            }
        ));
    }
    if let Output::File(path) = &output {
        note(&format!(
            "wrote {} incidents to {}",
            n.written,
            path.display()
        ));
    }
    Ok(())
}
