//! `incidents init`: create the database and say what it holds.

use incidents::Result;
use incidents::store::schema_version;

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _a: Args) -> Result<()> {
    let existed = ctx.db.exists();
    let store = ctx.store()?;
    let regions = ctx.regions(&store)?;
    let gazetteer = ctx.gazetteer(&store)?;
    say(format!(
        "{} {} (schema version {}): {} incidents; bundled gazetteer of {} places; {} regions",
        if existed { "opened" } else { "created" },
        ctx.db.display(),
        schema_version(),
        store.count_incidents()?,
        gazetteer.len(),
        regions.list(None).len(),
    ))
}
