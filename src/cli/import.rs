//! `incidents import FILE`: our CSV, ACLED, UCDP GED, GeoJSON, GeoJSONSeq.

use std::path::PathBuf;

use incidents::import::{self, ImportFormat, Options};
use incidents::stream::{Input, Output};
use incidents::{Error, Result};

use super::progress::{self, Unit};
use super::{Ctx, dry_run_prefix, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to import, or - for standard input.
    pub file: PathBuf,
    /// The file's format (detected from the extension and header when left
    /// out; on standard input, from the content alone).
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Report what would change without changing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the valid rows and write the rejected ones, with their reasons,
    /// to --rejects (by default the whole import is refused on a bad row).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Where --skip-invalid writes rejected rows (default FILE.rejects.csv;
    /// needed when FILE is standard input).
    #[arg(long, requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
    /// FILE is its dataset's whole current content for what it covers (its
    /// id namespace, countries and period): incidents it no longer holds
    /// are deleted (`undelete UID` restores one).
    #[arg(long, conflicts_with = "deletions")]
    pub sync: bool,
    /// FILE is ACLED's deleted-events list (event_id_cnty,deleted_timestamp):
    /// those incidents are deleted.
    #[arg(long, conflicts_with_all = ["format", "skip_invalid"])]
    pub deletions: bool,
    /// Where upstream changed or deleted an incident that was edited or
    /// merged here, take upstream's version (by default local changes win).
    #[arg(long)]
    pub theirs: bool,
}

/// Lists the conflicts: upstream changes that met local ones.
fn say_conflicts(conflicts: &[incidents::sync::Conflict], theirs: bool) -> Result<()> {
    for c in conflicts {
        say(format!(
            "conflict: {} {} upstream, {} here: {}",
            c.uid,
            c.upstream,
            c.local,
            if theirs {
                "upstream taken (--theirs)"
            } else {
                "kept as it is here (--theirs takes upstream's)"
            }
        ))?;
    }
    Ok(())
}

fn run_deletions(ctx: &Ctx, a: &Args, input: &Input) -> Result<()> {
    let d = ctx.open()?.import_deletions(input, a.theirs, a.dry_run)?;
    say_conflicts(&d.conflicts, a.theirs)?;
    say(format!(
        "{}{} (deletions): {} rows, {} deleted, {} not in this database, {} conflicts",
        dry_run_prefix(d.dry_run),
        input,
        d.rows,
        d.deleted,
        d.absent,
        d.conflicts.len()
    ))
}

/// Where --skip-invalid writes the rejected rows: --rejects, else beside
/// the file. Standard input has no file to write beside, and standard
/// output carries the import's summary.
fn rejects_path(a: &Args, input: &Input) -> Result<PathBuf> {
    match (&a.rejects, input) {
        (Some(r), _) if Output::from_arg(r) == Output::Stdout => Err(Error::invalid(
            "--rejects",
            "-",
            "a file path (standard output carries the import's summary)",
        )),
        (Some(r), _) => Ok(r.clone()),
        (None, Input::File(file)) => {
            let mut p = file.clone().into_os_string();
            p.push(".rejects.csv");
            Ok(PathBuf::from(p))
        }
        (None, Input::Stdin) => Err(Error::invalid(
            "--rejects",
            "(missing)",
            "a file for the rejected rows: with FILE - (standard input) there is no file to put them beside",
        )),
    }
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let input = Input::from_arg(&a.file);
    if a.deletions {
        return run_deletions(ctx, &a, &input);
    }
    // Only --skip-invalid hands rows to `reject` below.
    let rejects_path = if a.skip_invalid {
        rejects_path(&a, &input)?
    } else {
        PathBuf::new()
    };
    let bar = progress::bar(
        Unit::Bytes,
        input.size(),
        format!("importing {input}"),
        true,
    );
    let read = bar.clone();
    let (format, rows) = import::open(&input, a.format, Box::new(move |n| read.inc(n)))?;
    // A database file is read whole before the import starts: its
    // progress is in incidents, not bytes.
    let by_rows = format == ImportFormat::Db;
    if by_rows {
        progress::restyle(&bar, Unit::Rows, None);
    }
    let mut db = ctx.open()?;
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
    let summary = db.import(
        &input.name(),
        format,
        rows,
        Options {
            dry_run: a.dry_run,
            skip_invalid: a.skip_invalid,
            sync: a.sync,
            theirs: a.theirs,
        },
        &mut reject,
        &mut |n| {
            if by_rows {
                bar.set_position(n);
            }
        },
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
    say_conflicts(&s.conflicts, a.theirs)?;
    if a.sync && s.dry_run {
        for uid in &s.deleted_uids {
            say(format!("would delete {uid} (no longer in the file)"))?;
        }
    }
    let sync = if a.sync || !s.conflicts.is_empty() {
        format!(", {} deleted, {} conflicts", s.deleted, s.conflicts.len())
    } else {
        String::new()
    };
    say(format!(
        "{}{} ({:?}): {} rows, {} new, {} updated, {} unchanged, {} rejected, {} without coordinates, {} placed in the nearest region, {} held in their stated country, {} admin1 disagreements, {} unrecognised admin1 labels{sync}",
        dry_run_prefix(s.dry_run),
        input,
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
