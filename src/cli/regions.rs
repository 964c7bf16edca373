//! `incidents regions list|import`: built-in admin units and your own polygons.

use std::fs::File;
use std::path::PathBuf;

use incidents::geo::{Level, Regions};
use incidents::{Error, Result};
use serde_json::{Map, Value};

use super::{Ctx, OutputArgs, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: RegionsCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum RegionsCommand {
    /// List regions (admin1, districts where bundled, and custom regions)
    /// with the boundary set each comes from.
    List {
        /// Only this country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: Option<String>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Import polygons from a GeoJSON FeatureCollection as custom regions.
    Import {
        file: PathBuf,
        /// The feature property holding each region's name.
        #[arg(long)]
        name_field: String,
    },
}

/// Which boundary set serves which country, and the overlap rule (see
/// `geo::regions`), said on stderr so the listing stays data.
const BOUNDARY_SOURCES: &str = "note: boundaries: OCHA COD-AB (UN) for Syria (SY) and Iraq (IQ), \
with districts; Natural Earth admin-1 for every other country. Where they overlap \
(the occupied Golan, parts of the Syria-Jordan and Syria-Turkey borders) the UN boundary wins: \
the Golan is Quneitra governorate (SY-QU).";

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    match a.command {
        RegionsCommand::List { country, output } => {
            let store = ctx.reader()?;
            let regions = ctx.region_names(&store)?;
            let country = country.map(|c| c.to_ascii_uppercase());
            super::note(BOUNDARY_SOURCES);
            let mut out = output.writer(&[
                "code",
                "pcode",
                "name",
                "name_ar",
                "level",
                "country",
                "parent",
                "boundaries",
            ]);
            for r in regions.list(country.as_deref()) {
                let mut row = Map::new();
                row.insert("code".into(), r.code.clone().into());
                row.insert("pcode".into(), r.pcode.clone().into());
                row.insert("name".into(), r.name.clone().into());
                row.insert("name_ar".into(), r.name_ar.clone().into());
                row.insert(
                    "level".into(),
                    Value::from(format!("{:?}", r.level).to_lowercase()),
                );
                row.insert("country".into(), r.country.clone().into());
                row.insert("parent".into(), r.parent.clone().into());
                let boundaries = match (r.level, &r.pcode) {
                    (Level::Custom, _) => "custom",
                    (_, Some(_)) => "OCHA COD-AB",
                    (_, None) => "Natural Earth",
                };
                row.insert("boundaries".into(), boundaries.into());
                out.write(&row)?;
            }
            out.finish()
        }
        RegionsCommand::Import { file, name_field } => {
            let f = File::open(&file).map_err(|e| Error::io(file.display(), e))?;
            let imported =
                Regions::read_geojson_regions(f, &name_field).map_err(|e| e.in_file(&file))?;
            let n = imported.len();
            let source = file.display().to_string();
            // The store links the incidents inside each region.
            ctx.store()?.write(|w| {
                for r in &imported {
                    debug_assert_eq!(r.level, Level::Custom);
                    w.upsert_custom_region(r, &source)?;
                }
                Ok(())
            })?;
            say(format!(
                "imported {n} custom regions from {}",
                file.display()
            ))
        }
    }
}
