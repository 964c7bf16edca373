//! `incidents delete UID`: remove an incident; its last values stay in history.

use incidents::Result;

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The incident's uid.
    pub uid: String,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    ctx.open()?.delete(&a.uid)?;
    say(format!(
        "{}: deleted (see `incidents history {}`)",
        a.uid, a.uid
    ))
}
