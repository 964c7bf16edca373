//! `incidents export`: GeoJSON, GeoJSONSeq, our CSV, ACLED CSV, GeoPackage.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use incidents::formats::csv::{COLUMNS, incident_row};
use incidents::formats::geojson::GeoJsonWriter;
use incidents::formats::{OutputFormat, RowWriter, acled};
use incidents::{Error, Result};

use super::{Ctx, FilterArgs, OverlappingArg, note};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// RFC 7946 FeatureCollection of Points.
    Geojson,
    /// RFC 8142 GeoJSON Text Sequences, one feature per line.
    Geojsonseq,
    /// Our own CSV columns (see README).
    Csv,
    /// ACLED's CSV columns and meanings.
    Acled,
    /// OGC GeoPackage point layer with a spatial index (needs -o).
    Gpkg,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Output file (stdout when left out; required for gpkg).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not neutralise spreadsheet formulas (= + - @) in CSV cells.
    #[arg(long)]
    pub raw: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub period: OverlappingArg,
}

/// A temporary name beside `path`, renamed over it once the export is
/// complete, so an interrupted export never leaves a file that looks whole.
fn partial(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".partial");
    PathBuf::from(p)
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    if let Some(o) = &a.output
        && o.is_dir()
    {
        return Err(Error::invalid(
            "-o",
            o.display(),
            "a file path, not a directory",
        ));
    }
    let store = ctx.reader()?;
    let mut filter = a.filter.to_filter(ctx, &store, a.period.overlapping)?;
    if a.format == ExportFormat::Acled {
        filter.order = incidents::filter::Order::AcledDate;
    }
    let bar = if std::io::stderr().is_terminal() && a.output.is_some() {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut written = 0u64;
    let mut skipped = 0u64;
    if a.format == ExportFormat::Gpkg {
        let path = a
            .output
            .as_ref()
            .ok_or_else(|| Error::invalid("-o", "(missing)", "an output file for --format gpkg"))?;
        let mut w = incidents::formats::gpkg::GpkgWriter::create(path, "incidents")?;
        store.for_each_incident(&filter, |i| {
            if w.write(&i)? {
                written += 1
            } else {
                skipped += 1
            }
            if written.is_multiple_of(10_000) {
                bar.set_position(written);
            }
            Ok(())
        })?;
        w.finish()?;
    } else {
        let tmp = a.output.as_deref().map(partial);
        let out: Box<dyn Write> = match &tmp {
            Some(p) => Box::new(File::create(p).map_err(|e| Error::io(p.display(), e))?),
            None => Box::new(std::io::stdout().lock()),
        };
        let out = BufWriter::with_capacity(1 << 16, out);
        let result = write_stream(
            &store,
            &filter,
            a.format,
            a.raw,
            out,
            &mut written,
            &mut skipped,
            &bar,
        );
        match (&tmp, &a.output, result) {
            (Some(t), Some(o), Ok(())) => std::fs::rename(t, o).map_err(|e| {
                let _ = std::fs::remove_file(t);
                Error::io(o.display(), e)
            })?,
            (Some(t), _, Err(e)) => {
                let _ = std::fs::remove_file(t);
                return Err(e);
            }
            (_, _, r) => r?,
        }
    }
    bar.finish_and_clear();
    if skipped > 0 {
        note(&format!(
            "{skipped} incidents without coordinates were left out"
        ));
    }
    if let Some(o) = &a.output {
        note(&format!("wrote {written} incidents to {}", o.display()));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_stream<W: Write>(
    store: &incidents::store::Store,
    filter: &incidents::filter::Filter,
    format: ExportFormat,
    raw: bool,
    out: W,
    written: &mut u64,
    skipped: &mut u64,
    bar: &indicatif::ProgressBar,
) -> Result<()> {
    let tick = |n: u64| {
        if n.is_multiple_of(10_000) {
            bar.set_position(n);
        }
    };
    match format {
        ExportFormat::Geojson | ExportFormat::Geojsonseq => {
            let mut w = if format == ExportFormat::Geojson {
                GeoJsonWriter::collection(out)
            } else {
                GeoJsonWriter::sequence(out)
            };
            store.for_each_incident(filter, |i| {
                if w.write(&i)? {
                    *written += 1
                } else {
                    *skipped += 1
                }
                tick(*written);
                Ok(())
            })?;
            w.finish()
        }
        ExportFormat::Csv => {
            let mut w = RowWriter::new(out, OutputFormat::Csv, COLUMNS, raw);
            store.for_each_incident(filter, |i| {
                *written += 1;
                tick(*written);
                w.write(&incident_row(&i)?)
            })?;
            w.finish()
        }
        ExportFormat::Acled => {
            let mut w = acled::writer(out, raw);
            store.for_each_incident(filter, |i| {
                *written += 1;
                tick(*written);
                w.write(&acled::incident_row(&i))
            })?;
            w.finish()
        }
        ExportFormat::Gpkg => Err(Error::invalid("--format", "gpkg", "an output file (-o)")),
    }
}
