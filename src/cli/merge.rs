//! `incidents merge KEEP OTHER...`: one incident of several reports of one event.

use incidents::Result;

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident to keep: it gains the others' sources and the fields it lacks.
    pub keep: String,
    /// The incidents merged into it (kept, hidden; `list --status merged` shows them).
    #[arg(required = true)]
    pub others: Vec<String>,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let records = ctx.open()?.merge(&a.keep, &a.others)?;
    for r in &records {
        let filled = if r.filled.is_empty() {
            "no field".to_string()
        } else {
            r.filled.join(", ")
        };
        say(format!(
            "{} merged into {}: {} source(s) attached, filled {filled} (undo: incidents unmerge {})",
            r.other,
            r.keep,
            r.sources.len(),
            r.other
        ))?;
    }
    Ok(())
}
