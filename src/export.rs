//! Export: the incidents a filter selects, written in one of the mapping
//! and analysis formats. The one place that decides order and format, so
//! the CLI and the web server write the same bytes.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::database::Database;
use crate::error::{Error, Result};
use crate::filter::{Filter, Order, RegionKey, Status};
use crate::formats::csv::{COLUMNS, incident_row};
use crate::formats::geojson::GeoJsonWriter;
use crate::formats::gpkg::GpkgWriter;
use crate::formats::xlsx::{self, CutCell, XlsxWriter};
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
    /// Excel workbook: our CSV columns, typed, frozen header (needs a file).
    Xlsx,
}

impl ExportFormat {
    /// True for the formats that are written as a whole file, not a stream
    /// (a GeoPackage is a database, a workbook a zip archive).
    pub fn needs_file(self) -> bool {
        matches!(self, ExportFormat::Gpkg | ExportFormat::Xlsx)
    }
}

/// What an export wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Exported {
    pub written: u64,
    /// Incidents without coordinates, which the point formats leave out.
    pub skipped: u64,
    /// Text cells longer than a spreadsheet cell holds, cut and marked (xlsx).
    pub cut: Vec<CutCell>,
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

/// Writes the selected incidents to `out` (every format but GeoPackage and
/// xlsx, which need [`to_file`]). `progress` is called with the number of
/// incidents handled so far (written or left out).
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
        ExportFormat::Gpkg | ExportFormat::Xlsx => return Err(needs_file(opts.format, "-")),
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
    if opts.format == ExportFormat::Xlsx {
        return in_place(path, |tmp| to_xlsx(db, filter, path, tmp, progress));
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
    in_place(path, |tmp| {
        let f = File::create(tmp).map_err(|e| Error::io(tmp.display(), e))?;
        to_writer(
            db,
            filter,
            opts,
            BufWriter::with_capacity(1 << 16, f),
            progress,
        )
    })
}

/// Runs `write` on a temporary name beside `path` and renames the result
/// over `path` once it succeeded; on failure the temporary file is removed.
fn in_place(path: &Path, write: impl FnOnce(&Path) -> Result<Exported>) -> Result<Exported> {
    let tmp = partial(path);
    let result = write(&tmp).and_then(|n| {
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path.display(), e))?;
        Ok(n)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The error for a whole-file format asked to write a stream.
pub fn needs_file(format: ExportFormat, given: &str) -> Error {
    Error::invalid(
        "-o/--output",
        given,
        format!(
            "an output file for --format {} (-o FILE: a {} cannot be streamed to standard output)",
            clap::ValueEnum::to_possible_value(&format)
                .map(|v| v.get_name().to_string())
                .unwrap_or_default(),
            match format {
                ExportFormat::Gpkg => "GeoPackage is a database file that",
                _ => "workbook is a zip archive that",
            }
        ),
    )
}

/// Writes the workbook to `tmp`; `path` is the name the user gave.
fn to_xlsx(
    db: &Database,
    filter: &Filter,
    path: &Path,
    tmp: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<Exported> {
    let about = xlsx::About {
        exported_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        filter: criteria(filter),
    };
    let spill_dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut w = XlsxWriter::new(path, spill_dir)?;
    db.for_each_incident(&ordered(filter, ExportFormat::Xlsx), |i| {
        w.write(&i)?;
        if w.written().is_multiple_of(10_000) {
            progress(w.written());
        }
        Ok(())
    })?;
    let written = w.written();
    let cut = w.finish(&about, tmp)?;
    Ok(Exported {
        written,
        skipped: 0,
        cut,
    })
}

/// The filter's criteria in words, for the record an export keeps of
/// itself (the xlsx about sheet).
fn criteria(f: &Filter) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut put = |name: &str, value: String| out.push((name.to_string(), value));
    if let Some(r) = &f.region {
        put(
            "region",
            match r {
                RegionKey::Admin1(c) => format!("first-level unit {c}"),
                RegionKey::Admin2(c) => format!("district {c}"),
                RegionKey::Custom(c) => format!("custom region {c}"),
            },
        );
    }
    if let Some(c) = &f.country {
        put("country", c.clone());
    }
    let rule = if f.overlapping {
        "incidents sharing a day with the period"
    } else {
        "incidents whose whole date span lies in the period"
    };
    match (f.from, f.to) {
        (Some(a), Some(b)) => put("period", format!("{a} to {b} ({rule})")),
        (Some(a), None) => put("period", format!("from {a} ({rule})")),
        (None, Some(b)) => put("period", format!("to {b} ({rule})")),
        (None, None) => {}
    }
    for (name, value) in [
        ("event type", &f.event_type),
        ("sub-event type", &f.sub_event_type),
        ("actor contains", &f.actor),
        ("text contains", &f.text),
        ("tag", &f.tag),
    ] {
        if let Some(v) = value {
            put(name, v.clone());
        }
    }
    if let Some(n) = &f.near {
        put(
            "near",
            format!("{} km around {}, {}", n.radius_km, n.latitude, n.longitude),
        );
    }
    if let Some([w, s, e, n]) = f.bbox {
        put("bounding box", format!("{w},{s},{e},{n} (W,S,E,N)"));
    }
    if f.status != Status::default() {
        put("status", f.status.as_str().to_string());
    }
    if let Some(n) = f.limit {
        put("limit", n.to_string());
    }
    out
}
