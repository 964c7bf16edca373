//! `incidents check`: integrity check plus the project's invariants.

use incidents::{Error, Result};

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let report = ctx.read()?.check()?;
    if a.json {
        say(serde_json::to_string_pretty(&report)?)?;
    } else {
        for p in &report.problems {
            say(format!(
                "{}: {}",
                p.uid.as_deref().unwrap_or("database"),
                p.problem
            ))?;
        }
        say(format!(
            "checked {}: integrity ok{}, {} incidents, {} problems",
            ctx.db,
            if report.problems.iter().any(|p| p.uid.is_none()) {
                " NOT"
            } else {
                ""
            },
            report.incidents_checked,
            report.problems.len()
        ))?;
    }
    if report.problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Data {
            what: ctx.db.to_string(),
            reason: format!("{} problems found (listed above)", report.problems.len()),
        })
    }
}
