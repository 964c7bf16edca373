//! `incidents undelete UID`: restore a deleted incident from its history.

use incidents::Result;

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The deleted incident's uid.
    pub uid: String,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    ctx.open()?.undelete(&a.uid)?;
    say(format!("{}: restored as it was when deleted", a.uid))
}
