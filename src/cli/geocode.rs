//! `incidents geocode NAME`: ranked place candidates from the gazetteer.

use incidents::Result;
use serde_json::{Map, Value};

use super::{Ctx, OutputArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Place name in any spelling or script (Al-Masmiyah, Mismiyah, المسمية).
    pub name: String,
    /// Only places in this country (ISO 3166-1 alpha-2).
    #[arg(long)]
    pub country: Option<String>,
    /// At most this many candidates.
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let store = ctx.reader()?;
    let gazetteer = ctx.gazetteer(&store)?;
    let country = a.country.as_deref().map(str::to_ascii_uppercase);
    let found = gazetteer.search(&a.name, country.as_deref(), a.limit);
    if found.is_empty() {
        return Err(incidents::Error::NotFound {
            what: "place".into(),
            name: a.name,
            suggestions: vec!["check the spelling, or add it with `incidents places add`".into()],
        });
    }
    let mut out = a.output.writer(&[
        "name",
        "latitude",
        "longitude",
        "country",
        "admin1",
        "admin1_code",
        "feature_code",
        "population",
        "score",
    ]);
    for c in found {
        let p = c.place.clone();
        let mut row = Map::new();
        row.insert("name".into(), p.name.into());
        row.insert("latitude".into(), p.latitude.into());
        row.insert("longitude".into(), p.longitude.into());
        row.insert("country".into(), p.country.into());
        row.insert("admin1".into(), p.admin1_name.into());
        row.insert("admin1_code".into(), p.admin1_code.into());
        row.insert("feature_code".into(), p.feature_code.into());
        row.insert("population".into(), p.population.into());
        row.insert(
            "score".into(),
            Value::from((c.score * 1000.0).round() / 1000.0),
        );
        out.write(&row)?;
    }
    out.finish()
}
