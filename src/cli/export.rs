//! `incidents export`: GeoJSON, GeoJSONSeq, our CSV, ACLED CSV, GeoPackage.

use std::io::IsTerminal;
use std::path::PathBuf;

use incidents::export::{self, ExportFormat, Options};
use incidents::stream::Output;
use incidents::{Error, Result};

use super::progress::{self, Unit};
use super::{Ctx, FilterArgs, NearArgs, OverlappingArg, note};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file; standard output when left out or - (a file is needed
    /// for gpkg).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not neutralise spreadsheet formulas (= + - @) in CSV cells.
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
    if a.format == ExportFormat::Gpkg && output == Output::Stdout {
        return Err(Error::invalid(
            "-o/--output",
            a.output
                .as_ref()
                .map_or("(missing)".into(), |p| p.display().to_string()),
            "an output file for --format gpkg (-o FILE.gpkg): a GeoPackage is a database file, written in place, not a stream to standard output",
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
    if let Output::File(path) = &output {
        note(&format!(
            "wrote {} incidents to {}",
            n.written,
            path.display()
        ));
    }
    Ok(())
}
