//! `incidents demo`: a fresh database from the seeds, and what a new user
//! should see first.

use std::path::PathBuf;

use incidents::Result;
use incidents::formats::OutputFormat;

use super::{Ctx, FilterArgs, OutputArgs, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the database (default: a new file in the temp directory).
    pub path: Option<PathBuf>,
}

pub fn run(a: Args) -> Result<()> {
    let path = match a.path {
        Some(p) => p,
        None => std::env::temp_dir().join(format!(
            "incidents-demo-{}-{}.db",
            std::process::id(),
            chrono::Utc::now().format("%Y%m%d%H%M%S")
        )),
    };
    if path.exists() {
        return Err(incidents::Error::invalid(
            "demo database",
            path.display(),
            "a path that does not exist yet (the demo starts from a fresh database)",
        ));
    }
    let ctx = Ctx { db: path.clone() };
    say(format!(
        "== incidents demo: a fresh database at {}",
        path.display()
    ))?;
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
            week: None,
            year: None,
            group_by: Vec::new(),
            format: Some(super::report::ReportFormat::Table),
            raw: false,
        },
    )?;
    say("\n== The seed incidents (incidents list)")?;
    super::list::run(
        &ctx,
        super::list::Args {
            filter: FilterArgs::default(),
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
                output: table,
            }),
        },
    )?;
    say(format!(
        "\nTry: incidents --db {} report --region Daraa --month 2025-07",
        path.display()
    ))
}
