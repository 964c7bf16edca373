//! `incidents unmerge UID`: undo a merge exactly.

use incidents::Result;

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A merged incident (undoes its merge), or a kept one (undoes every
    /// merge into it).
    pub uid: String,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    for r in ctx.open()?.unmerge(&a.uid)? {
        say(format!("{} is no longer merged into {}", r.other, r.keep))?;
    }
    Ok(())
}
