//! `incidents map`: a report's region and period as a choropleth with the
//! incidents on top, in SVG or PNG.

use incidents::Result;
use incidents::group::Dim;
use incidents::map::Measure;

use super::picture::PictureArgs;
use super::{Ctx, FilterArgs, NearArgs, PeriodArgs};

/// The unit level of a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    Admin1,
    Admin2,
}

#[derive(Debug, clap::Args)]
#[command(
    after_long_help = "The units are shaded by the report's counting rule: an incident counts \
only when its whole date span lies inside the period (the legend says how many more only overlap \
it). Units with nothing are drawn empty, never in the lowest class. Incidents known only to the \
province or country are counted in the shading but not drawn as points."
)]
#[command(mut_arg("status", |a| a
    .value_parser(super::report::counted_status)
    .help("reviewed (the default, and the only one: a map never counts a draft, a rejected or a merged incident)")))]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[command(flatten)]
    pub near: NearArgs,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// What shades the units: incidents, or fatalities (best estimates summed).
    #[arg(long, value_enum, default_value = "incidents")]
    pub measure: Measure,
    /// The units: admin1 (governorates) or admin2 (districts; the default
    /// for a governorate that has them).
    #[arg(long, value_enum)]
    pub by: Option<Level>,
    /// Draw the incidents as points (the default).
    #[arg(long, overrides_with = "no_points")]
    pub points: bool,
    /// Shade the units only.
    #[arg(long)]
    pub no_points: bool,
    #[command(flatten)]
    pub picture: PictureArgs,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let db = ctx.read()?;
    let (width, height) = a.picture.size((1100, 800))?;
    let m = data(&db, &a)?;
    let layout = incidents::formats::map::Layout {
        width,
        height,
        title: a.picture.title.clone(),
        points: a.points || !a.no_points,
    };
    a.picture.write(incidents::formats::map::draw(&m, &layout))
}

/// What the flags ask the map to show.
pub fn data<'a>(db: &'a incidents::Database, a: &Args) -> Result<incidents::map::MapData<'a>> {
    let filter = a.filter.to_filter(db, false, &a.near)?;
    let period = a.period.require(&a.filter)?;
    let by = a.by.map(|l| match l {
        Level::Admin1 => Dim::Admin1,
        Level::Admin2 => Dim::Admin2,
    });
    db.map(&filter, period, by, a.measure)
}
