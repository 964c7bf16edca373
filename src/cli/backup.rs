//! `incidents backup FILE`: a consistent copy, safe while others write.

use std::path::PathBuf;

use incidents::Result;

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the copy (must not exist).
    pub file: PathBuf,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    ctx.read()?.backup(&a.file)?;
    say(format!("backed up {} to {}", ctx.db, a.file.display()))
}
