//! `incidents demo`: a fresh database from the seeds, and what a new user
//! should see first.

use std::path::PathBuf;

use incidents::Location;
use incidents::Result;
use incidents::formats::OutputFormat;

use super::{Ctx, FilterArgs, OutputArgs, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the database (default: the --db server when it is
    /// one, else a new file in the temp directory).
    pub path: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let fresh = |what: String| {
        incidents::Error::invalid(
            "demo database",
            what,
            "a database that does not exist yet or holds no incidents (the demo starts from a fresh one)",
        )
    };
    if let Some(p) = &a.path {
        super::not_a_stream("PATH", &p.to_string_lossy())?;
    }
    let db = match (a.path, &ctx.db) {
        (Some(p), _) => Location::File(p),
        (None, Location::Server(_)) => ctx.db.clone(),
        (None, Location::File(_)) => Location::File(std::env::temp_dir().join(format!(
            "incidents-demo-{}-{}.db",
            std::process::id(),
            chrono::Utc::now().format("%Y%m%d%H%M%S")
        ))),
    };
    match &db {
        Location::File(p) if p.exists() => return Err(fresh(p.display().to_string())),
        Location::Server(_) if ctx.read()?.describe()?.incidents > 0 => {
            return Err(fresh(db.to_string()));
        }
        _ => {}
    }
    let path = db.to_string();
    let ctx = Ctx {
        db,
        author: ctx.author.clone(),
    };
    say(format!("== incidents demo: a fresh database at {path}"))?;
    super::seed::run(&ctx, super::seed::Args {})?;
    let table = OutputArgs {
        format: Some(OutputFormat::Table),
        raw: false,
    };
    say("\n== The Daraa June 2025 report (incidents report --region Daraa --month 2025-06)")?;
    super::report::run(
        &ctx,
        super::report::Args {
            filter: FilterArgs {
                region: Some("Daraa".into()),
                month: Some("2025-06".into()),
                ..FilterArgs::default()
            },
            near: Default::default(),
            period: Default::default(),
            group_by: Vec::new(),
            format: Some(super::report::ReportFormat::Table),
            output: None,
            raw: false,
        },
    )?;
    say("\n== The seed incidents (incidents list)")?;
    super::list::run(
        &ctx,
        super::list::Args {
            filter: FilterArgs::default(),
            near: Default::default(),
            period: Default::default(),
            output: table.clone(),
        },
    )?;
    say("\n== Reported figures (incidents tally list)")?;
    super::tally::run(
        &ctx,
        super::tally::Args {
            command: super::tally::TallyCommand::List(super::tally::ListArgs {
                region: None,
                from: None,
                to: None,
                status: None,
                output: table,
            }),
        },
    )?;
    say(format!(
        "\nTry: incidents --db {path} report --region Daraa --month 2025-07"
    ))
}
