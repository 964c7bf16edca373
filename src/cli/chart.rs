//! `incidents chart`: incidents or fatalities per month, week or year as
//! stacked bars, with the figures sources report beside them, in SVG or PNG.

use incidents::Result;
use incidents::chart::{By, ChartSpec, Stack};
use incidents::map::Measure;

use super::picture::PictureArgs;
use super::{Ctx, FilterArgs, NearArgs, PeriodArgs};

#[derive(Debug, clap::Args)]
#[command(
    after_long_help = "PERIODS: one bar per whole month, ISO week or year from the one holding \
--from to the one holding --to, empty ones too; a range that starts or ends inside a period is \
widened to the whole of it, and a note under the chart says so. At most 260 bars (five years by \
week).

COUNTING RULE (as `report`): an incident counts in a bar only when its whole date span lies in \
that bar's period. One spanning several periods is counted in no bar and never given a made-up \
date: the note under the chart says how many, and how many more only overlap the range. By actor, \
an incident counts under each of its actors.

REPORTED FIGURES: the region's reviewed tallies are drawn as markers (solid when stated, hollow \
when derived) at the bar whose period holds the tally's, next to our count of the same measure: \
--measure fatalities shows the tallies of people killed (killings, civilian killings, deaths, \
killed, fatalities, dead), --measure incidents those of events (incidents, attacks, \
assassinations, executions, strikes, raids, bombings, explosions, clashes, shelling); figures of \
anything else (injuries, arrests) go with neither. A tally whose period spans several bars, or \
that counts another area (a district of the governorate charted), is listed under the chart, not \
drawn."
)]
#[command(mut_arg("status", |a| a
    .value_parser(super::report::counted_status)
    .help("reviewed (the default, and the only one: a chart never counts a draft, a rejected or a merged incident)")))]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub near: NearArgs,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// One bar per month, week (ISO) or year.
    #[arg(long, value_enum, default_value = "month")]
    pub by: By,
    /// What the bars count: incidents, or fatalities (best estimates summed).
    #[arg(long, value_enum, default_value = "incidents")]
    pub measure: Measure,
    /// What the bars are divided by: type (the six ACLED event types),
    /// admin1, admin2 or actor (the largest, the rest as "other").
    #[arg(long, value_enum, default_value = "type")]
    pub stack: Stack,
    #[command(flatten)]
    pub picture: PictureArgs,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let svg = draw(&ctx.read()?, &a)?;
    a.picture.write(svg)
}

/// The chart the flags ask for, as SVG.
pub fn draw(db: &incidents::Database, a: &Args) -> Result<String> {
    let filter = a.filter.to_filter(db, false, &a.near)?;
    let period = a.period.require(&a.filter)?;
    let (width, height) = a.picture.size((1100, 650))?;
    let spec = ChartSpec {
        from: period.start,
        to: period.end,
        by: a.by,
        stack: a.stack,
        measure: a.measure,
    };
    let chart = db.chart(&filter, spec)?;
    let layout = incidents::formats::chart::Layout {
        width,
        height,
        title: a.picture.title.clone(),
    };
    Ok(incidents::formats::chart::draw(&chart, &layout))
}
