//! `incidents seed`: load the seed incidents and tallies (idempotent).

use incidents::Result;

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _a: Args) -> Result<()> {
    let (i, t) = ctx.open()?.seed()?;
    say(format!("seed: incidents {i}; tallies {t}"))
}
