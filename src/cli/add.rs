//! `incidents add`: record a new incident.

use incidents::Result;
use incidents::model::{DateSpan, Incident};

use super::fields::Fields;
use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Date: YYYY-MM-DD (day), YYYY-Www (week), YYYY-MM (month) or YYYY (year).
    #[arg(long)]
    pub date: String,
    /// ACLED event type (case-insensitive; see `incidents types`).
    #[arg(long = "type")]
    pub event_type: String,
    /// Region name or code when only the region is known: the incident gets
    /// the region's label point and geo precision 3 (2 for a district), and
    /// counts in that region only, never in a district it did not name.
    #[arg(long)]
    pub region: Option<String>,
    /// Keep this uid instead of generating INC-000123.
    #[arg(long)]
    pub uid: Option<String>,
    #[command(flatten)]
    pub fields: Fields,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let span = DateSpan::from_flags(&a.date, a.fields.end_date.as_deref())?;
    let mut inc = Incident::new(&a.event_type, span);
    inc.uid = a.uid;
    a.fields.patch()?.set(&mut inc);
    let uid = ctx
        .open()?
        .add(inc, a.region.as_deref(), &super::pick, &super::note)?;
    say(uid)
}
