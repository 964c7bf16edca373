//! The one `Filter` that `list`, `report` and `export` share, so every filter
//! means the same thing everywhere. Pure data: the store translates it to SQL.

use chrono::NaiveDate;

/// A region an incident may be filtered by, as resolved by `geo::Regions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionKey {
    /// First-level unit by ISO 3166-2 code (or Natural Earth code).
    Admin1(String),
    /// District by P-code.
    Admin2(String),
    /// A user polygon by its code.
    Custom(String),
}

/// A circle around a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_km: f64,
}

/// The order incidents come in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// By first possible date, then by when they were recorded.
    #[default]
    Date,
    /// By the single date ACLED would give each (the day; the middle day of
    /// a span of up to a week; the 15th of the month otherwise), then by
    /// uid: stable across an ACLED export, import and export again.
    AcledDate,
}

/// Which incidents to select. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub region: Option<RegionKey>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// First day of the period (inclusive).
    pub from: Option<NaiveDate>,
    /// Last day of the period (inclusive).
    pub to: Option<NaiveDate>,
    /// By default an incident counts only when its whole date span lies
    /// inside `from..=to`; with `overlapping` a shared day is enough.
    pub overlapping: bool,
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    /// Case-insensitive substring of actor1, actor2 or the associated actors.
    pub actor: Option<String>,
    /// Case-insensitive substring of title, notes or place.
    pub text: Option<String>,
    /// Exact tag.
    pub tag: Option<String>,
    pub near: Option<Near>,
    /// min lon, min lat, max lon, max lat.
    pub bbox: Option<[f64; 4]>,
    pub limit: Option<usize>,
    pub order: Order,
}

/// Great-circle distance in kilometres (haversine, mean Earth radius).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * a.sqrt().min(1.0).asin()
}

impl Near {
    /// Bounding boxes (min lon, min lat, max lon, max lat) that together
    /// contain the circle: two where it crosses the antimeridian (one each
    /// side of 180°), one otherwise. A circle around a pole takes every
    /// longitude.
    pub fn bboxes(&self) -> Vec<[f64; 4]> {
        let dlat = self.radius_km / 111.0;
        let (south, north) = (self.latitude - dlat, self.latitude + dlat);
        let (south, north) = (south.max(-90.0), north.min(90.0));
        let coslat = self.latitude.to_radians().cos().abs().max(0.01);
        let dlon = self.radius_km / (111.0 * coslat);
        let (west, east) = (self.longitude - dlon, self.longitude + dlon);
        if dlon >= 180.0 || north >= 90.0 || south <= -90.0 {
            vec![[-180.0, south, 180.0, north]]
        } else if west < -180.0 {
            vec![
                [west + 360.0, south, 180.0, north],
                [-180.0, south, east, north],
            ]
        } else if east > 180.0 {
            vec![
                [west, south, 180.0, north],
                [-180.0, south, east - 360.0, north],
            ]
        } else {
            vec![[west, south, east, north]]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_daraa_to_damascus() {
        let d = distance_km(32.6189, 36.1021, 33.5138, 36.2765);
        assert!((d - 100.6).abs() < 2.0, "{d}");
        assert_eq!(distance_km(10.0, 10.0, 10.0, 10.0), 0.0);
    }

    #[test]
    fn near_bbox_contains_circle() {
        let n = Near {
            latitude: 33.0,
            longitude: 36.0,
            radius_km: 25.0,
        };
        let b = n.bboxes();
        assert_eq!(b.len(), 1);
        let b = b[0];
        assert!(b[0] < 36.0 - 0.26 && b[2] > 36.0 + 0.26);
        assert!(b[1] < 33.0 - 0.22 && b[3] > 33.0 + 0.22);
    }

    #[test]
    fn near_bbox_splits_at_the_antimeridian() {
        let inside = |boxes: &[[f64; 4]], lat: f64, lon: f64| {
            boxes
                .iter()
                .any(|b| b[0] <= lon && lon <= b[2] && b[1] <= lat && lat <= b[3])
        };
        for lon in [179.95, -179.95] {
            let n = Near {
                latitude: -17.0,
                longitude: lon,
                radius_km: 50.0,
            };
            let boxes = n.bboxes();
            assert_eq!(boxes.len(), 2, "{boxes:?}");
            assert!(inside(&boxes, -17.0, -179.9), "{boxes:?}");
            assert!(inside(&boxes, -17.0, 179.9), "{boxes:?}");
            assert!(!inside(&boxes, -17.0, 0.0), "{boxes:?}");
        }
        let polar = Near {
            latitude: 89.9,
            longitude: 10.0,
            radius_km: 50.0,
        };
        assert_eq!(polar.bboxes()[0][0], -180.0);
    }
}
