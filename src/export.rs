//! Export: the incidents a filter selects, written in one of the mapping
//! and analysis formats. The one place that decides order and format, so
//! the CLI and the web server write the same bytes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::database::Database;
use crate::error::{Error, Result};
use crate::filter::{Filter, Order};
use crate::formats::csv::{COLUMNS, incident_row};
use crate::formats::geojson::GeoJsonWriter;
use crate::formats::gpkg::GpkgWriter;
use crate::formats::{OutputFormat, RowWriter, acled};

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
    /// OGC GeoPackage point layer with a spatial index (needs a file).
    Gpkg,
}

/// What an export wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    pub written: u64,
    /// Incidents without coordinates, which the point formats leave out.
    pub skipped: u64,
}

/// Options every export shares.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub format: ExportFormat,
    /// Keep cells that a spreadsheet would run as formulas (CSV formats).
    pub raw: bool,
}

/// The filter with the order the format needs: ACLED files are read by
/// date, and a stable order keeps export-import-export byte-identical.
fn ordered(filter: &Filter, format: ExportFormat) -> Filter {
    let mut f = filter.clone();
    if format == ExportFormat::Acled {
        f.order = Order::AcledDate;
    }
    f
}

/// Writes the selected incidents to `out` (every format but GeoPackage,
/// which is a database file and needs [`to_file`]). `progress` is called
/// with the number of incidents handled so far (written or left out).
pub fn to_writer<W: Write>(
    db: &Database,
    filter: &Filter,
    opts: Options,
    out: W,
    progress: &mut dyn FnMut(u64),
) -> Result<Exported> {
    let filter = ordered(filter, opts.format);
    let mut n = Exported::default();
    let mut count = |n: &mut Exported, written: bool| {
        if written {
            n.written += 1;
        } else {
            n.skipped += 1;
        }
        if (n.written + n.skipped).is_multiple_of(10_000) {
            progress(n.written + n.skipped);
        }
    };
    match opts.format {
        ExportFormat::Geojson | ExportFormat::Geojsonseq => {
            let mut w = if opts.format == ExportFormat::Geojson {
                GeoJsonWriter::collection(out)
            } else {
                GeoJsonWriter::sequence(out)
            };
            db.for_each_incident(&filter, |i| {
                count(&mut n, w.write(&i)?);
                Ok(())
            })?;
            w.finish()?;
        }
        ExportFormat::Csv => {
            let mut w = RowWriter::new(out, OutputFormat::Csv, COLUMNS, opts.raw);
            db.for_each_incident(&filter, |i| {
                count(&mut n, true);
                w.write(&incident_row(&i)?)
            })?;
            w.finish()?;
        }
        ExportFormat::Acled => {
            let mut w = acled::writer(out, opts.raw);
            db.for_each_incident(&filter, |i| {
                count(&mut n, true);
                w.write(&acled::incident_row(&i))
            })?;
            w.finish()?;
        }
        ExportFormat::Gpkg => {
            return Err(Error::invalid(
                "format",
                "gpkg",
                "an output file (a GeoPackage is a database file)",
            ));
        }
    }
    Ok(n)
}

/// A temporary name beside `path`, renamed over it once the export is
/// complete, so an interrupted export never leaves a file that looks whole.
fn partial(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".partial");
    PathBuf::from(p)
}

/// Writes `bytes` (a picture, a page) to `path`, which appears only
/// complete: a failed write leaves no truncated file.
pub fn write_complete(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.is_dir() {
        return Err(Error::invalid(
            "output",
            path.display(),
            "a file path, not a directory",
        ));
    }
    let tmp = partial(path);
    let result = std::fs::write(&tmp, bytes)
        .map_err(|e| Error::io(tmp.display(), e))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| Error::io(path.display(), e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes the selected incidents to the file at `path`, which appears
/// only when the export is complete.
pub fn to_file(
    db: &Database,
    filter: &Filter,
    opts: Options,
    path: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<Exported> {
    if path.is_dir() {
        return Err(Error::invalid(
            "output",
            path.display(),
            "a file path, not a directory",
        ));
    }
    if opts.format == ExportFormat::Gpkg {
        let mut w = GpkgWriter::create(path, "incidents")?;
        let mut n = Exported::default();
        db.for_each_incident(&filter.clone(), |i| {
            if w.write(&i)? {
                n.written += 1;
            } else {
                n.skipped += 1;
            }
            if (n.written + n.skipped).is_multiple_of(10_000) {
                progress(n.written + n.skipped);
            }
            Ok(())
        })?;
        w.finish()?;
        return Ok(n);
    }
    let tmp = partial(path);
    let result = File::create(&tmp)
        .map_err(|e| Error::io(tmp.display(), e))
        .and_then(|f| {
            to_writer(
                db,
                filter,
                opts,
                BufWriter::with_capacity(1 << 16, f),
                progress,
            )
        })
        .and_then(|n| {
            std::fs::rename(&tmp, path).map_err(|e| Error::io(path.display(), e))?;
            Ok(n)
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
