//! `incidents places add|import`: your own places beside the bundled gazetteer.

use std::fs::File;
use std::path::PathBuf;

use incidents::geo::Gazetteer;
use incidents::model::check_coordinates;
use incidents::store::PlaceRow;
use incidents::{Error, Result};

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
    Import { file: PathBuf },
}

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let mut store = ctx.store()?;
    match a.command {
        PlacesCommand::Add {
            name,
            lat,
            lon,
            alt_names,
            country,
        } => {
            check_coordinates(lat, lon)?;
            if name.trim().is_empty() {
                return Err(Error::invalid("name", name, "a non-empty place name"));
            }
            let row = PlaceRow {
                id: 0,
                name: name.clone(),
                alt_names: alt_names
                    .into_iter()
                    .filter(|s| !s.trim().is_empty())
                    .collect(),
                latitude: lat,
                longitude: lon,
                country: country.map(|c| c.to_ascii_uppercase()),
                feature_code: "PPL".into(),
                population: 0,
                geonameid: None,
            };
            store.write(|w| w.upsert_place(&row))?;
            say(format!("added place {name:?} at {lat},{lon}"))
        }
        PlacesCommand::Import { file } => {
            let f = File::open(&file).map_err(|e| Error::io(file.display(), e))?;
            let places = Gazetteer::read_geonames(f).map_err(|e| e.in_file(&file))?;
            let n = places.len();
            store.write(|w| {
                for p in places {
                    w.upsert_place(&PlaceRow {
                        id: 0,
                        name: p.name,
                        alt_names: p.alt_names,
                        latitude: p.latitude,
                        longitude: p.longitude,
                        country: Some(p.country).filter(|c| !c.is_empty()),
                        feature_code: p.feature_code,
                        population: p.population,
                        geonameid: Some(p.id),
                    })?;
                }
                Ok(())
            })?;
            say(format!("imported {n} places from {}", file.display()))
        }
    }
}
