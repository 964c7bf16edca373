//! `incidents init`: create the database and say what it holds.

use incidents::Result;

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _a: Args) -> Result<()> {
    let db = ctx.open()?;
    let d = db.describe()?;
    say(format!(
        "{} {} (schema version {}): {} incidents; bundled gazetteer of {} places; {} regions",
        if d.created { "created" } else { "opened" },
        db.location(),
        d.schema_version,
        d.incidents,
        d.gazetteer_places,
        d.regions,
    ))
}
