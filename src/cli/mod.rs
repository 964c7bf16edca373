//! Command-line definitions: one file per subcommand, each a thin layer
//! over the library. Flags are defined here once and shared.

mod add;
mod backup;
pub mod chart;
mod check;
mod completions;
mod dedup;
mod delete;
mod demo;
mod edit;
pub mod export;
mod extract;
mod fields;
mod geocode;
pub mod history;
mod import;
mod init;
pub mod list;
mod man;
pub mod map;
mod merge;
mod picture;
mod places;
mod progress;
mod regions;
pub mod report;
mod review;
mod seed;
pub mod show;
mod tally;
mod types;
mod undelete;
mod unmerge;

use std::io::{IsTerminal, Write};

use clap::{Parser, Subcommand};
use incidents::filter::Filter;
use incidents::formats::{OutputFormat, RowWriter};
use incidents::stream::{Output, STDOUT};
use incidents::{Author, Location};
use incidents::{Database, Error, Result};

/// A database of dated, geolocated conflict incidents.
#[derive(Debug, Parser)]
#[command(name = "incidents", version, about, long_about = None)]
pub struct Cli {
    /// Database: a SQLite file (created with the schema on first use), or a
    /// PostgreSQL server as postgresql://USER@HOST:PORT/DBNAME (PGPASSWORD,
    /// PGHOST and the other libpq variables are honoured).
    #[arg(
        long,
        global = true,
        env = "INCIDENTS_DB",
        default_value = "incidents.db"
    )]
    pub db: String,
    /// Record your changes under this name as well as your login.
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub author: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database (or bring an old one up to date) and say what it holds.
    Init(init::Args),
    /// Record a new incident; prints its uid.
    Add(add::Args),
    /// List incidents matching filters.
    List(list::Args),
    /// Show one incident in full.
    Show(show::Args),
    /// Change fields of an incident (the old values stay in its history).
    Edit(edit::Args),
    /// Delete an incident (its last values stay in its history).
    Delete(delete::Args),
    /// Restore a deleted incident as it was (from its history).
    Undelete(undelete::Args),
    /// Find incidents that may report the same event; --apply merges the duplicates.
    Dedup(dedup::Args),
    /// Make one incident of several reports of one event (the others are kept, hidden).
    Merge(merge::Args),
    /// Undo a merge exactly.
    Unmerge(unmerge::Args),
    /// Draft incidents and tallies from a report's text, for review.
    Extract(extract::Args),
    /// Show every recorded change of an incident or tally.
    History(history::Args),
    /// Drafts awaiting review: list them, show one with its evidence, accept or reject.
    Review(review::Args),
    /// List the ACLED event types and sub-event types.
    Types(types::Args),
    /// Figures that sources report in aggregate (not individual incidents).
    Tally(tally::Args),
    /// Load the incidents and tallies from the seed reports (idempotent).
    Seed(seed::Args),
    /// Create a database from the seeds and show what a new user should see first.
    Demo(demo::Args),
    /// Find places by name in the bundled gazetteer and your own places.
    Geocode(geocode::Args),
    /// Add your own places or import a GeoNames gazetteer file.
    Places(places::Args),
    /// List regions, or import your own polygons.
    Regions(regions::Args),
    /// Counts, fatalities and reported tallies for a region and period.
    Report(report::Args),
    /// Draw a report's region and period as a map (SVG or PNG).
    Map(map::Args),
    /// Draw incidents or fatalities per month, week or year as stacked bars (SVG or PNG).
    Chart(chart::Args),
    /// Import incidents from our CSV, ACLED, UCDP GED, GeoJSON or GeoJSONSeq.
    Import(import::Args),
    /// Export incidents to GeoJSON, GeoJSONSeq, CSV, ACLED CSV, GeoPackage or xlsx.
    Export(export::Args),
    /// Write a consistent copy of the database (safe while others write).
    Backup(backup::Args),
    /// Check integrity and invariants (dates, coordinates, regions); exit 1 on problems.
    Check(check::Args),
    /// Serve the database read-only as a web map and JSON API on this machine.
    Serve(crate::serve::Args),
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell).
    Completions(completions::Args),
    /// Print the manual page (roff); --dir writes one page per command.
    Man(man::Args),
}

/// Refuses `-` for a database: a database is a file opened in place (or a
/// server), never a stream on standard input or output.
pub fn not_a_stream(field: &str, value: &str) -> Result<()> {
    if Output::from_arg(value) == Output::Stdout {
        return Err(Error::invalid(
            field,
            value,
            "a database file path or a postgresql:// URL: a database is opened in place, \
             not read from standard input or written to standard output (./- is a file named -)",
        ));
    }
    Ok(())
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    not_a_stream("--db", &cli.db)?;
    let ctx = Ctx {
        db: Location::parse(&cli.db),
        author: Author { label: cli.author },
    };
    match cli.command {
        Command::Init(a) => init::run(&ctx, a),
        Command::Add(a) => add::run(&ctx, a),
        Command::List(a) => list::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Edit(a) => edit::run(&ctx, a),
        Command::Delete(a) => delete::run(&ctx, a),
        Command::Undelete(a) => undelete::run(&ctx, a),
        Command::Dedup(a) => dedup::run(&ctx, a),
        Command::Merge(a) => merge::run(&ctx, a),
        Command::Unmerge(a) => unmerge::run(&ctx, a),
        Command::History(a) => history::run(&ctx, a),
        Command::Review(a) => review::run(&ctx, a),
        Command::Types(a) => types::run(a),
        Command::Tally(a) => tally::run(&ctx, a),
        Command::Seed(a) => seed::run(&ctx, a),
        Command::Demo(a) => demo::run(&ctx, a),
        Command::Geocode(a) => geocode::run(&ctx, a),
        Command::Places(a) => places::run(&ctx, a),
        Command::Extract(a) => extract::run(&ctx, a),
        Command::Regions(a) => regions::run(&ctx, a),
        Command::Report(a) => report::run(&ctx, a),
        Command::Map(a) => map::run(&ctx, a),
        Command::Chart(a) => chart::run(&ctx, a),
        Command::Import(a) => import::run(&ctx, a),
        Command::Export(a) => export::run(&ctx, a),
        Command::Backup(a) => backup::run(&ctx, a),
        Command::Check(a) => check::run(&ctx, a),
        Command::Serve(a) => crate::serve::run(&ctx.db, a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => man::run(a),
    }
}

/// What every command shares: where the database is, and who writes.
pub struct Ctx {
    pub db: Location,
    pub author: Author,
}

impl Ctx {
    /// Opens the database for writing, creating it on first use.
    pub fn open(&self) -> Result<Database> {
        Database::open(&self.db, &self.author)
    }

    /// Opens the database for reading; a read-only file works.
    pub fn read(&self) -> Result<Database> {
        Database::open_for_reading(&self.db)
    }
}

/// Output flags shared by every command that prints rows.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Output format (table on a terminal, csv otherwise).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Do not neutralise spreadsheet formulas (= + - @) in CSV cells.
    #[arg(long)]
    pub raw: bool,
}

impl OutputArgs {
    pub fn format(&self) -> OutputFormat {
        self.format
            .unwrap_or_else(|| OutputFormat::default_for(std::io::stdout().is_terminal()))
    }

    /// A row writer on stdout with these columns.
    pub fn writer(&self, columns: &[&str]) -> RowWriter<std::io::StdoutLock<'static>> {
        RowWriter::new(std::io::stdout().lock(), self.format(), columns, self.raw)
    }
}

/// Filter flags shared by list, report and export.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Region: name in any known form (Daraa, Dar'a, درعا), ISO 3166-2 code
    /// (SY-DR), district P-code (SY1202) or a custom region's name.
    #[arg(long)]
    pub region: Option<String>,
    /// Country (ISO 3166-1 alpha-2, e.g. SY).
    #[arg(long)]
    pub country: Option<String>,
    /// First day (YYYY-MM-DD; a month or year means its first day).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD; a month or year means its last day).
    #[arg(long)]
    pub to: Option<String>,
    /// A calendar month, YYYY-MM.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub month: Option<String>,
    /// Event type (case-insensitive).
    #[arg(long = "type")]
    pub event_type: Option<String>,
    /// Sub-event type (case-insensitive; needs --type).
    #[arg(long = "sub-type", requires = "event_type")]
    pub sub_event_type: Option<String>,
    /// Text in actor1, actor2 or associated actors.
    #[arg(long)]
    pub actor: Option<String>,
    /// Text in the title, notes or place.
    #[arg(long)]
    pub text: Option<String>,
    /// An exact tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Bounding box: MIN_LON,MIN_LAT,MAX_LON,MAX_LAT.
    #[arg(long, allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// reviewed (the default: reviewed and not merged into another
    /// incident; `active` too), draft, rejected, merged, or all.
    #[arg(long)]
    pub status: Option<String>,
    /// At most this many incidents.
    #[arg(long)]
    pub limit: Option<usize>,
}

/// `--near` and its `--radius`: a filter flag of list, report and export,
/// apart from the others because `dedup` has a `--radius` of its own.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct NearArgs {
    /// A place or LAT,LON to search around (with --radius).
    #[arg(long, allow_hyphen_values = true)]
    pub near: Option<String>,
    /// Radius for --near, e.g. 25km (default 10km).
    #[arg(long, requires = "near", allow_hyphen_values = true)]
    pub radius: Option<String>,
}

/// The period flags beside the filter's `--month`/`--from`/`--to`: a
/// report, a map and a chart take the same periods.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PeriodArgs {
    /// An ISO week, YYYY-Www.
    #[arg(long, conflicts_with_all = ["month", "from", "to", "year"])]
    pub week: Option<String>,
    /// A year, YYYY.
    #[arg(long, conflicts_with_all = ["month", "from", "to"])]
    pub year: Option<String>,
}

impl PeriodArgs {
    /// The period these flags and the filter's dates give, if any.
    pub fn resolve(&self, filter: &FilterArgs) -> Result<Option<incidents::report::Period>> {
        incidents::report_scope::PeriodSpec {
            month: filter.month.clone(),
            week: self.week.clone(),
            year: self.year.clone(),
            from: filter.from.clone(),
            to: filter.to.clone(),
        }
        .resolve()
    }

    /// The period, which a map or chart must have.
    pub fn require(&self, filter: &FilterArgs) -> Result<incidents::report::Period> {
        self.resolve(filter)?.ok_or_else(|| {
            Error::invalid(
                "period",
                "(none)",
                "--month YYYY-MM, --week YYYY-Www, --year YYYY or --from and --to (each a day, a \
                 month or a year)",
            )
        })
    }
}

/// `--overlapping`, for the commands that select incidents without counting
/// them (list, export). A report has no such flag: by its counting rule it
/// never counts an incident that only overlaps its period.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OverlappingArg {
    /// Also take incidents whose date span only overlaps the period (by
    /// default the whole span must lie inside it). Reports never count
    /// those; a period report lists them under "overlapping".
    #[arg(long)]
    pub overlapping: bool,
}

impl FilterArgs {
    /// Turns the flags into a library `Filter`, resolving region and place
    /// names (the chosen region is reported on stderr when ambiguous).
    /// `overlapping` is [`OverlappingArg`] and `near` [`NearArgs`], for the
    /// commands that have them.
    pub fn to_filter(&self, db: &Database, overlapping: bool, near: &NearArgs) -> Result<Filter> {
        let spec = incidents::locate::FilterSpec {
            region: self.region.clone(),
            country: self.country.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            month: self.month.clone(),
            overlapping,
            event_type: self.event_type.clone(),
            sub_event_type: self.sub_event_type.clone(),
            actor: self.actor.clone(),
            text: self.text.clone(),
            tag: self.tag.clone(),
            near: near.near.clone(),
            radius: near.radius.clone(),
            bbox: self.bbox.clone(),
            status: self.status.clone(),
            limit: self.limit,
            countries: Vec::new(),
        };
        db.filter(&spec, &mut note)
    }
}

/// The library names fields (`month`, `sub-type`); on the command line the
/// same fields are flags, so an error about one names the flag
/// (`--month`) when the command that ran has it.
pub fn with_flag_names(e: Error, matches: &clap::ArgMatches) -> Error {
    let Error::Invalid {
        field,
        value,
        expected,
    } = e
    else {
        return e;
    };
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut m = matches;
    while let Some((name, sub)) = m.subcommand() {
        match cmd.find_subcommand(name) {
            Some(c) => cmd = c.clone(),
            None => break,
        }
        m = sub;
    }
    let flag = |f: &str| {
        let long = f.replace('_', "-");
        if cmd
            .get_arguments()
            .any(|a| a.get_long() == Some(long.as_str()))
        {
            format!("--{long}")
        } else {
            f.to_string()
        }
    };
    let field = field.split('/').map(flag).collect::<Vec<_>>().join("/");
    Error::Invalid {
        field,
        value,
        expected,
    }
}

/// How to act on an error with this program's commands and flags.
pub fn hint(e: &Error) -> Option<String> {
    match e {
        Error::NoPlace { name, .. } => Some(format!(
            "add it with `incidents places add {name:?} --lat LAT --lon LON`, or give --lat/--lon"
        )),
        Error::Ambiguous { .. } => {
            Some("choose one with --lat/--lon, or narrow it with --country".into())
        }
        _ => None,
    }
}

/// Prints a message for the user on stderr (never mixed into data output).
pub fn note(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// How a summary of a write starts when it was a dry run.
pub fn dry_run_prefix(dry_run: bool) -> &'static str {
    if dry_run {
        "dry run, nothing changed: "
    } else {
        ""
    }
}

/// Writes a line to stdout, reporting a closed pipe as an error to stop on.
pub fn say(msg: impl std::fmt::Display) -> Result<()> {
    writeln!(std::io::stdout().lock(), "{msg}").map_err(|e| Error::io(STDOUT, e))
}

/// Writes bytes made whole beforehand (a script, a page) to stdout.
pub fn say_bytes(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(STDOUT, e))
}

/// Whether output to `stream` may be styled (colour, reverse video): only
/// on a terminal, and never when NO_COLOR is set to anything but the
/// empty string (https://no-color.org). The one rule every styled output
/// follows: the review's marked evidence, the progress bars and clap's help.
pub fn styled(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && !no_color()
}

/// NO_COLOR is set, and not empty.
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// How clap styles its help and usage errors: as it sees fit on a
/// terminal (`Auto`), never when NO_COLOR is set.
pub fn clap_color() -> clap::ColorChoice {
    if no_color() {
        clap::ColorChoice::Never
    } else {
        clap::ColorChoice::Auto
    }
}

/// Asks the user to choose one of `options` on the terminal; `None` when
/// there is no terminal to ask (the caller then fails with the list).
pub fn pick(options: &[String]) -> Option<usize> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return None;
    }
    note("Several places match; choose one:");
    for o in options {
        note(o);
    }
    let _ = write!(std::io::stderr(), "number (1-{}): ", options.len());
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok()?;
    line.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=options.len()).contains(n))
        .map(|n| n - 1)
}
