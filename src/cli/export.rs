//! `incidents export`: GeoJSON, GeoJSONSeq, our CSV, ACLED CSV, GeoPackage,
//! Excel workbook.

use std::io::IsTerminal;
use std::path::PathBuf;

use incidents::Result;
use incidents::export::{self, ExportFormat, Options};

use super::{Ctx, FilterArgs, NearArgs, OverlappingArg, note};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file (stdout when left out; required for gpkg and xlsx).
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
    let db = ctx.read()?;
    let filter = a.filter.to_filter(&db, a.period.overlapping, &a.near)?;
    let opts = Options {
        format: a.format,
        raw: a.raw,
    };
    let bar = if std::io::stderr().is_terminal() && a.output.is_some() {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut progress = |n| bar.set_position(n);
    let n = match &a.output {
        Some(path) => export::to_file(&db, &filter, opts, path, &mut progress)?,
        None if a.format.needs_file() => return Err(export::needs_file(a.format)),
        None => export::to_writer(
            &db,
            &filter,
            opts,
            std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
            &mut progress,
        )?,
    };
    bar.finish_and_clear();
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
    if let Some(o) = &a.output {
        note(&format!("wrote {} incidents to {}", n.written, o.display()));
    }
    Ok(())
}
