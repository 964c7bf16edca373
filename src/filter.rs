//! The one `Filter` that `list`, `report` and `export` share, so every filter
//! means the same thing everywhere. Pure data: the store translates it to
//! SQL, and [`Filter::matches`] is the reference meaning that SQL must agree
//! with (tests/conformance.rs checks that it does).

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::fold::fold;
use crate::model::{Incident, Review};

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

/// Which records by where they stand: reviewed, draft or rejected (see
/// [`Review`]), or merged into another incident (kept, to unmerge it).
/// The first four split the records between them: a merged record is in
/// `Merged` whatever its review status. Tallies are never merged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Status {
    /// Reviewed and not merged: what list, report and export show by default.
    #[default]
    Reviewed,
    /// Drafted (by `extract`), awaiting review; not merged.
    Draft,
    /// Rejected by a reviewer; not merged.
    Rejected,
    /// Merged into another incident.
    Merged,
    /// Every record.
    All,
}

impl Status {
    /// `reviewed` (or `active`, its name before review statuses existed),
    /// `draft`, `rejected`, `merged` or `all`.
    pub fn parse(s: &str) -> Result<Status> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reviewed" | "active" => Ok(Status::Reviewed),
            "draft" => Ok(Status::Draft),
            "rejected" => Ok(Status::Rejected),
            "merged" => Ok(Status::Merged),
            "all" => Ok(Status::All),
            _ => Err(Error::invalid(
                "status",
                s,
                "reviewed, draft, rejected, merged or all",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reviewed => "reviewed",
            Status::Draft => "draft",
            Status::Rejected => "rejected",
            Status::Merged => "merged",
            Status::All => "all",
        }
    }

    /// The review status it selects among records not merged; `None` for
    /// `Merged` and `All`, which do not select by it.
    pub fn review(self) -> Option<Review> {
        match self {
            Status::Reviewed => Some(Review::Reviewed),
            Status::Draft => Some(Review::Draft),
            Status::Rejected => Some(Review::Rejected),
            Status::Merged | Status::All => None,
        }
    }

    /// Whether a record with this review status, merged into another
    /// incident or not, is selected: the meaning the stores' SQL follows.
    pub fn selects(self, review: Review, merged: bool) -> bool {
        match self {
            Status::Merged => merged,
            Status::All => true,
            other => !merged && other.review() == Some(review),
        }
    }
}

/// Which incidents to select. Empty fields do not filter; `status` selects
/// reviewed incidents not merged unless told otherwise.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub region: Option<RegionKey>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// First day of the period (inclusive).
    pub from: Option<NaiveDate>,
    /// Last day of the period (inclusive).
    pub to: Option<NaiveDate>,
    /// By default an incident matches only when its whole date span lies
    /// inside `from..=to`; with `overlapping` a shared day is enough. Reports
    /// refuse `overlapping`: they never count such incidents.
    pub overlapping: bool,
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    /// Substring of actor1, actor2 or the associated actors, case and
    /// diacritics ignored ([`crate::fold`]).
    pub actor: Option<String>,
    /// Substring of title, notes or place, case and diacritics ignored.
    pub text: Option<String>,
    /// Exact tag.
    pub tag: Option<String>,
    pub near: Option<Near>,
    /// min lon, min lat, max lon, max lat.
    pub bbox: Option<[f64; 4]>,
    pub status: Status,
    pub limit: Option<usize>,
    pub order: Order,
}

/// Mean Earth radius (IUGG), in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in kilometres (haversine, mean Earth radius).
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

impl Near {
    /// Whether a point lies in the circle: on its edge counts as inside.
    pub fn contains(&self, latitude: f64, longitude: f64) -> bool {
        distance_km(self.latitude, self.longitude, latitude, longitude) <= self.radius_km
    }

    /// Bounding boxes (min lon, min lat, max lon, max lat) that together
    /// contain the circle: two where it crosses the antimeridian (one each
    /// side of 180°), one otherwise. A circle around a pole takes every
    /// longitude. The boxes only narrow the search down (an index can use
    /// them); [`Near::contains`] decides.
    pub fn bboxes(&self) -> Vec<[f64; 4]> {
        // The angular radius, a hair (6 mm) wider so that rounding never
        // leaves outside the box a point that `contains` accepts.
        let d = self.radius_km / EARTH_RADIUS_KM + 1e-9;
        let dlat = d.to_degrees();
        let (south, north) = (self.latitude - dlat, self.latitude + dlat);
        if north >= 90.0 || south <= -90.0 {
            return vec![[-180.0, south.max(-90.0), 180.0, north.min(90.0)]];
        }
        // The widest longitude of a spherical cap is not at its centre's
        // latitude but nearer the pole: asin(sin d / cos lat), which a flat
        // radius / cos(lat) underestimates for large circles.
        let ratio = d.sin() / self.latitude.to_radians().cos();
        let dlon = ratio.min(1.0).asin().to_degrees();
        let (west, east) = (self.longitude - dlon, self.longitude + dlon);
        if west < -180.0 {
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

impl Filter {
    /// Whether `inc` is selected: the meaning of every field, written once in
    /// plain Rust. The store's SQL selects exactly these incidents.
    /// `custom_regions` are the codes of the custom regions that contain the
    /// incident's point (a property of the database's regions, not of the
    /// incident). `limit` and `order` shape a result, not a selection: they
    /// are not checked here.
    pub fn matches(&self, inc: &Incident, custom_regions: &[String]) -> bool {
        let is = |field: &Option<String>, want: &str| field.as_deref() == Some(want);
        let region = match &self.region {
            None => true,
            Some(RegionKey::Admin1(code)) => is(&inc.admin1_code, code),
            Some(RegionKey::Admin2(code)) => is(&inc.admin2_code, code),
            Some(RegionKey::Custom(code)) => custom_regions.contains(code),
        };
        let (from, to) = (
            self.from.unwrap_or(NaiveDate::MIN),
            self.to.unwrap_or(NaiveDate::MAX),
        );
        let dates = if self.overlapping {
            inc.span.overlaps(from, to)
        } else {
            inc.span.within(from, to)
        };
        let contains = |fields: [&Option<String>; 3], needle: &str| {
            let needle = fold(needle);
            fields
                .into_iter()
                .flatten()
                .any(|f| fold(f).contains(&needle))
        };
        let point = inc.latitude.zip(inc.longitude);
        let status = self.status.selects(inc.status, inc.merged_into.is_some());
        region
            && dates
            && status
            && self
                .country
                .as_ref()
                .is_none_or(|c| is(&inc.country, &c.to_ascii_uppercase()))
            && self
                .event_type
                .as_ref()
                .is_none_or(|t| inc.event_type == *t)
            && self
                .sub_event_type
                .as_ref()
                .is_none_or(|t| is(&inc.sub_event_type, t))
            && self
                .actor
                .as_ref()
                .is_none_or(|a| contains([&inc.actor1, &inc.actor2, &inc.assoc_actors], a))
            && self
                .text
                .as_ref()
                .is_none_or(|t| contains([&inc.title, &inc.notes, &inc.place], t))
            && self.tag.as_ref().is_none_or(|t| inc.tags.contains(t))
            && self
                .near
                .is_none_or(|n| point.is_some_and(|(lat, lon)| n.contains(lat, lon)))
            && self.bbox.is_none_or(|[w, s, e, n]| {
                point.is_some_and(|(lat, lon)| (w..=e).contains(&lon) && (s..=n).contains(&lat))
            })
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

    /// The point `km` away from (lat, lon) on `bearing` degrees.
    fn destination(lat: f64, lon: f64, km: f64, bearing: f64) -> (f64, f64) {
        let (p, l, b) = (lat.to_radians(), lon.to_radians(), bearing.to_radians());
        let d = km / EARTH_RADIUS_KM;
        let p2 = (p.sin() * d.cos() + p.cos() * d.sin() * b.cos()).asin();
        let l2 = l + (b.sin() * d.sin() * p.cos()).atan2(d.cos() - p.sin() * p2.sin());
        (p2.to_degrees(), (l2.to_degrees() + 540.0) % 360.0 - 180.0)
    }

    #[test]
    fn near_bboxes_hold_every_point_of_large_circles() {
        for (lat, lon, radius_km) in [
            (60.0, 0.0, 2000.0),
            (-45.0, 170.0, 3000.0),
            (33.0, 36.0, 60.0),
            (80.0, 10.0, 900.0),
            (0.0, -179.0, 5000.0),
        ] {
            let n = Near {
                latitude: lat,
                longitude: lon,
                radius_km,
            };
            let boxes = n.bboxes();
            for step in 0..720 {
                let (plat, plon) = destination(lat, lon, radius_km * 0.999_999, step as f64 / 2.0);
                assert!(n.contains(plat, plon), "{plat},{plon} in {n:?}");
                assert!(
                    boxes
                        .iter()
                        .any(|b| b[0] <= plon && plon <= b[2] && b[1] <= plat && plat <= b[3]),
                    "{plat},{plon} of {n:?} outside {boxes:?}"
                );
            }
        }
    }

    #[test]
    fn near_edge_is_inside() {
        let d = distance_km(32.6, 36.1, 33.0, 36.5);
        let n = Near {
            latitude: 32.6,
            longitude: 36.1,
            radius_km: d,
        };
        assert!(n.contains(33.0, 36.5));
        let smaller = Near {
            radius_km: d * (1.0 - 1e-12),
            ..n
        };
        assert!(!smaller.contains(33.0, 36.5));
    }

    #[test]
    fn matches_folds_case_and_diacritics() {
        let mut i = Incident::new(
            "Riots",
            crate::model::DateSpan::parse("d", "2025-06-17").unwrap(),
        );
        i.title = Some("Émeute à Alep".into());
        i.actor2 = Some("Jaysh al-Islām".into());
        let f = |text: &str, actor: &str| Filter {
            text: Some(text.into()),
            actor: Some(actor.into()),
            ..Filter::default()
        };
        assert!(f("émeute", "ISLĀM").matches(&i, &[]));
        assert!(f("EMEUTE A", "islam").matches(&i, &[]));
        assert!(!f("emeutes", "islam").matches(&i, &[]));
    }

    #[test]
    fn status_selects_by_review_and_merge() {
        let mut i = Incident::new(
            "Riots",
            crate::model::DateSpan::parse("d", "2025-06-17").unwrap(),
        );
        let f = |status| Filter {
            status,
            ..Filter::default()
        };
        let selected = |i: &Incident| {
            [
                Status::Reviewed,
                Status::Draft,
                Status::Rejected,
                Status::Merged,
                Status::All,
            ]
            .map(|s| f(s).matches(i, &[]))
        };
        assert_eq!(selected(&i), [true, false, false, false, true]);
        i.status = Review::Draft;
        assert_eq!(selected(&i), [false, true, false, false, true]);
        assert!(
            !Filter::default().matches(&i, &[]),
            "drafts hidden by default"
        );
        i.status = Review::Rejected;
        assert_eq!(selected(&i), [false, false, true, false, true]);
        i.merged_into = Some("INC-000001".into());
        assert_eq!(selected(&i), [false, false, false, true, true]);
        i.status = Review::Reviewed;
        assert_eq!(selected(&i), [false, false, false, true, true]);
        assert!(
            !Filter::default().matches(&i, &[]),
            "merged hidden by default"
        );
    }

    #[test]
    fn status_names() {
        for s in [
            Status::Reviewed,
            Status::Draft,
            Status::Rejected,
            Status::Merged,
            Status::All,
        ] {
            assert_eq!(Status::parse(s.as_str()).unwrap(), s);
        }
        assert_eq!(Status::parse(" Active ").unwrap(), Status::Reviewed);
        let e = Status::parse("deleted").unwrap_err().to_string();
        assert!(
            e.contains("reviewed, draft, rejected, merged or all"),
            "{e}"
        );
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
