//! What both backends need to keep custom regions: a stored region read
//! back from its GeoJSON geometry, the regions indexed for the point
//! lookups that link incidents to them, and the area a replaced polygon
//! can change. No SQL here.

use geo::{BoundingRect, Coord, InteriorPoint, MultiPolygon, Rect};

use crate::error::{Error, Result};
use crate::geo::{Level, Region, Regions};

/// The custom regions as a write transaction sees them, indexed for point
/// lookups; `None` when there are none (nothing to link).
pub(super) struct CustomRegions {
    regions: Option<Regions>,
}

impl CustomRegions {
    pub(super) fn new(regions: Vec<Region>) -> CustomRegions {
        CustomRegions {
            regions: (!regions.is_empty()).then(|| Regions::new(regions)),
        }
    }

    /// The codes of the custom regions holding a point, if there are any regions.
    pub(super) fn containing(&self, latitude: f64, longitude: f64) -> Vec<String> {
        match &self.regions {
            Some(r) => r
                .custom_containing(latitude, longitude)
                .into_iter()
                .map(str::to_string)
                .collect(),
            None => Vec::new(),
        }
    }

    /// Whether there are no custom regions.
    pub(super) fn is_empty(&self) -> bool {
        self.regions.is_none()
    }

    /// Adds (or replaces) a region the transaction has just stored.
    pub(super) fn add(&mut self, region: Region) {
        match &mut self.regions {
            Some(regions) => regions.add_custom(region),
            None => self.regions = Some(Regions::new(vec![region])),
        }
    }
}

/// The GeoJSON text a custom region's geometry is stored as.
pub(super) fn geometry_json(region: &Region) -> Result<String> {
    Ok(serde_json::to_string(&geojson::Geometry::from(
        &region.geometry,
    ))?)
}

/// The box (west, south, east, north) where replacing `old` by `new`
/// can change which incidents a region holds: both polygons' boxes.
pub(super) fn changed_box(new: &Region, old: Option<&Region>) -> Option<[f64; 4]> {
    let union = |a: Rect, b: Rect| {
        Rect::new(
            Coord {
                x: a.min().x.min(b.min().x),
                y: a.min().y.min(b.min().y),
            },
            Coord {
                x: a.max().x.max(b.max().x),
                y: a.max().y.max(b.max().y),
            },
        )
    };
    let b = match (
        new.geometry.bounding_rect(),
        old.and_then(|o| o.geometry.bounding_rect()),
    ) {
        (Some(a), Some(b)) => Some(union(a, b)),
        (a, b) => a.or(b),
    }?;
    Some([b.min().x, b.min().y, b.max().x, b.max().y])
}

/// A custom region from its stored GeoJSON geometry.
pub(super) fn custom_region(code: &str, name: &str, geometry: &str) -> Result<Region> {
    let bad = |reason: String| Error::Data {
        what: format!("custom region {code:?} in the database"),
        reason,
    };
    let g: geojson::Geometry = geometry
        .parse()
        .map_err(|e: geojson::Error| bad(e.to_string()))?;
    let geometry: geo::Geometry<f64> = g
        .try_into()
        .map_err(|e: geojson::Error| bad(e.to_string()))?;
    let multi = match geometry {
        geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
        geo::Geometry::MultiPolygon(m) => m,
        _ => return Err(bad("expected a Polygon or MultiPolygon".into())),
    };
    let label = multi
        .interior_point()
        .map(|p| (p.y(), p.x()))
        .unwrap_or((0.0, 0.0));
    Ok(Region {
        code: code.to_string(),
        pcode: None,
        name: name.to_string(),
        name_ar: None,
        alt_names: Vec::new(),
        level: Level::Custom,
        country: String::new(),
        parent: None,
        label,
        geometry: multi,
    })
}
