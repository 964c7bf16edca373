//! `incidents places add|import`: your own places beside the bundled gazetteer.

use std::path::PathBuf;

use incidents::Result;
use incidents::database::NewPlace;
use incidents::stream::Input;

use super::{Ctx, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: PlacesCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum PlacesCommand {
    /// Add a place (a village the gazetteer lacks, a checkpoint, a camp).
    Add {
        name: String,
        #[arg(long, allow_hyphen_values = true)]
        lat: f64,
        #[arg(long, allow_hyphen_values = true)]
        lon: f64,
        /// Other spellings, comma-separated.
        #[arg(long, value_delimiter = ',')]
        alt_names: Vec<String>,
        /// Country (ISO 3166-1 alpha-2); found from the coordinates when left out.
        #[arg(long)]
        country: Option<String>,
    },
    /// Import a gazetteer file in GeoNames format (e.g. a country dump, SY.txt).
    Import {
        /// The GeoNames file, or - for standard input.
        file: PathBuf,
    },
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let mut db = ctx.open()?;
    match a.command {
        PlacesCommand::Add {
            name,
            lat,
            lon,
            alt_names,
            country,
        } => {
            db.add_place(NewPlace {
                name: name.clone(),
                latitude: lat,
                longitude: lon,
                alt_names,
                country,
            })?;
            say(format!("added place {name:?} at {lat},{lon}"))
        }
        PlacesCommand::Import { file } => {
            let input = Input::from_arg(&file);
            let n = db.import_places(&input)?;
            say(format!("imported {n} places from {input}"))
        }
    }
}
