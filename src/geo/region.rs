//! One region: its codes, names, level and polygon. A plain type, shared by
//! the regions index (`regions`) and the bundled file's encoding
//! (`encoding`), so that neither has to import the other's internals.

use geo::MultiPolygon;

pub use super::level::Level;

#[derive(Debug, Clone)]
pub struct Region {
    /// ISO 3166-2 for admin1 (Natural Earth `adm1_code` where there is no
    /// usable unique ISO code), P-code for admin2, user's code for custom.
    pub code: String,
    pub pcode: Option<String>,
    pub name: String,
    pub name_ar: Option<String>,
    /// Other names and code aliases (e.g. IQ-TS for IQ-KI).
    pub alt_names: Vec<String>,
    pub level: Level,
    /// ISO 3166-1 alpha-2, or Natural Earth's adm0_a3 where it has none.
    pub country: String,
    /// Admin1 code of an admin2 region.
    pub parent: Option<String>,
    /// (lat, lon) of a point inside the region, for labels.
    pub label: (f64, f64),
    pub geometry: MultiPolygon<f64>,
}

impl Region {
    /// Which boundary data the region comes from.
    pub fn boundaries(&self) -> &'static str {
        match (self.level, &self.pcode) {
            (Level::Custom, _) => "custom",
            (_, Some(_)) => "OCHA COD-AB",
            (_, None) => "Natural Earth",
        }
    }
}
