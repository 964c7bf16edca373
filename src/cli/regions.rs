//! `incidents regions list|import`: built-in admin units and your own polygons.

use std::path::PathBuf;

use incidents::Result;
use incidents::stream::Input;
use serde_json::Map;

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
        /// The GeoJSON file, or - for standard input.
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
            let db = ctx.read()?;
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
            for r in db.list_regions(country.as_deref())? {
                let mut row = Map::new();
                row.insert("code".into(), r.code.clone().into());
                row.insert("pcode".into(), r.pcode.clone().into());
                row.insert("name".into(), r.name.clone().into());
                row.insert("name_ar".into(), r.name_ar.clone().into());
                row.insert("level".into(), r.level.as_str().into());
                row.insert("country".into(), r.country.clone().into());
                row.insert("parent".into(), r.parent.clone().into());
                row.insert("boundaries".into(), r.boundaries().into());
                out.write(&row)?;
            }
            out.finish()
        }
        RegionsCommand::Import { file, name_field } => {
            let input = Input::from_arg(&file);
            let n = ctx.open()?.import_regions(&input, &name_field)?;
            say(format!("imported {n} custom regions from {input}"))
        }
    }
}
