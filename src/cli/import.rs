//! `incidents import FILE`: our CSV, ACLED, UCDP GED, GeoJSON, GeoJSONSeq.

use std::io::IsTerminal;
use std::path::PathBuf;

use incidents::import::{self, ImportFormat, Options};
use incidents::{Error, Result};

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to import.
    pub file: PathBuf,
    /// The file's format (detected from the extension and header when left out).
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Report what would change without changing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows and write the rejected ones, with their reasons,
    /// to --rejects (by default the whole import is refused on a bad row).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Where --skip-invalid writes rejected rows (default FILE.rejects.csv).
    #[arg(long, requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let (format, rows) = import::open(&a.file, a.format)?;
    let mut db = ctx.open()?;
    let rejects_path = a.rejects.clone().unwrap_or_else(|| {
        let mut p = a.file.clone().into_os_string();
        p.push(".rejects.csv");
        PathBuf::from(p)
    });
    let mut rejects: Option<csv::Writer<std::fs::File>> = None;
    let mut reject = |e: &incidents::formats::fields::RowError| -> Result<()> {
        if rejects.is_none() {
            let mut w = csv::Writer::from_path(&rejects_path).map_err(|err| Error::Input {
                input: rejects_path.display().to_string(),
                location: "-".into(),
                reason: err.to_string(),
            })?;
            w.write_record(["location", "field", "reason"])?;
            rejects = Some(w);
        }
        if let Some(w) = rejects.as_mut() {
            w.write_record([&e.location, &e.field, &e.reason])?;
        }
        Ok(())
    };
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new_spinner();
        b.set_message(format!("importing {}", a.file.display()));
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let input = a.file.display().to_string();
    let summary = db.import(
        &input,
        format,
        rows,
        Options {
            dry_run: a.dry_run,
            skip_invalid: a.skip_invalid,
        },
        &mut reject,
        &mut |n| bar.set_position(n),
    );
    bar.finish_and_clear();
    let s = summary?;
    if let Some(mut w) = rejects {
        w.flush()
            .map_err(|e| Error::io(rejects_path.display(), e))?;
        say(format!(
            "rejected rows written to {}",
            rejects_path.display()
        ))?;
    }
    if s.admin1_disagreements > 0 {
        say(format!(
            "{} rows: the file's admin1 names another region than the boundaries; both are kept (reported_admin1 beside admin1). Most frequent:",
            s.admin1_disagreements
        ))?;
        for (pair, n) in &s.disagreement_pairs {
            say(format!("  {pair}: {n}"))?;
        }
    }
    if s.fatalities_inconsistent > 0 {
        say(format!(
            "{} rows have fatality estimates out of order (low > best, best > high or low > high); kept as given",
            s.fatalities_inconsistent
        ))?;
    }
    say(format!(
        "{}{} ({:?}): {} rows, {} new, {} updated, {} unchanged, {} rejected, {} without coordinates, {} placed in the nearest region, {} held in their stated country, {} admin1 disagreements, {} unrecognised admin1 labels",
        if s.dry_run {
            "dry run, nothing changed: "
        } else {
            ""
        },
        a.file.display(),
        format,
        s.rows,
        s.inserted,
        s.updated,
        s.unchanged,
        s.rejected,
        s.without_coordinates,
        s.nearest_region,
        s.held_in_country,
        s.admin1_disagreements,
        s.admin1_unrecognised
    ))
}
