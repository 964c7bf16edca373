//! Incident field flags shared by `add` and `edit`.

use incidents::edit::Patch;
use incidents::model::{GeoPrecision, Source};
use incidents::{Error, Result};

/// Optional incident fields, as flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Fields {
    /// Last day of a date range (YYYY-MM-DD, YYYY-MM or YYYY): "since
    /// December 2024" is --date 2024-12-08 --end-date 2025-07-15.
    #[arg(long)]
    pub end_date: Option<String>,
    /// Short title.
    #[arg(long)]
    pub title: Option<String>,
    /// ACLED sub-event type (see `incidents types`).
    #[arg(long = "sub-type")]
    pub sub_type: Option<String>,
    /// Place name as reported (geocoded when --lat/--lon are not given).
    #[arg(long)]
    pub place: Option<String>,
    /// Latitude, -90 to 90.
    #[arg(long, allow_hyphen_values = true)]
    pub lat: Option<f64>,
    /// Longitude, -180 to 180.
    #[arg(long, allow_hyphen_values = true)]
    pub lon: Option<f64>,
    /// 1 exact place, 2 near a place or district, 3 only the province known,
    /// 4 only the country known.
    #[arg(long)]
    pub geo_precision: Option<u8>,
    /// Country, ISO 3166-1 alpha-2 (also narrows --place).
    #[arg(long)]
    pub country: Option<String>,
    /// Best estimate of fatalities (leave out when unknown: unknown is not 0).
    #[arg(long)]
    pub fatalities: Option<u32>,
    /// Lowest estimate of fatalities.
    #[arg(long)]
    pub fatalities_low: Option<u32>,
    /// Highest estimate of fatalities.
    #[arg(long)]
    pub fatalities_high: Option<u32>,
    /// Civilian fatalities (best estimate).
    #[arg(long)]
    pub civilian_fatalities: Option<u32>,
    #[arg(long)]
    pub actor1: Option<String>,
    #[arg(long)]
    pub actor2: Option<String>,
    /// Associated actors.
    #[arg(long)]
    pub assoc_actors: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// A tag (repeat for several).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Source publisher (e.g. "Asharq Al-Awsat").
    #[arg(long)]
    pub source: Option<String>,
    /// Source article title.
    #[arg(long, requires = "source")]
    pub source_title: Option<String>,
    /// Source URL.
    #[arg(long, requires = "source")]
    pub source_url: Option<String>,
    /// Source publication date.
    #[arg(long, requires = "source")]
    pub source_date: Option<String>,
    /// A short excerpt or page locator in the source.
    #[arg(long, requires = "source")]
    pub excerpt: Option<String>,
}

impl Fields {
    /// The library's patch for the fields given as flags (dates and the
    /// event type are parsed by the caller).
    pub fn patch(&self) -> Result<Patch> {
        let coordinates = match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => Some((lat, lon)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(Error::invalid("--lon", "(missing)", "--lon with --lat"));
            }
            (None, Some(_)) => {
                return Err(Error::invalid("--lat", "(missing)", "--lat with --lon"));
            }
        };
        let geo_precision = self
            .geo_precision
            .map(|p| {
                GeoPrecision::try_from(p).map_err(|_| {
                    Error::invalid(
                        "--geo-precision",
                        p,
                        "1 (exact), 2 (near), 3 (province only) or 4 (country only)",
                    )
                })
            })
            .transpose()?;
        Ok(Patch {
            title: self.title.clone(),
            sub_event_type: self.sub_type.clone(),
            place: self.place.clone(),
            coordinates,
            geo_precision,
            country: self.country.clone(),
            fatalities: self.fatalities,
            fatalities_low: self.fatalities_low,
            fatalities_high: self.fatalities_high,
            civilian_fatalities: self.civilian_fatalities,
            actor1: self.actor1.clone(),
            actor2: self.actor2.clone(),
            assoc_actors: self.assoc_actors.clone(),
            notes: self.notes.clone(),
            tags: self.tags.clone(),
            source: self.source.as_ref().map(|publisher| Source {
                publisher: publisher.clone(),
                title: self.source_title.clone(),
                url: self.source_url.clone(),
                published: self.source_date.clone(),
                excerpt: self.excerpt.clone(),
            }),
            ..Patch::default()
        })
    }
}
