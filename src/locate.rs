//! Turns names into places and regions for incidents and filters: fills an
//! incident's coordinates and admin units, and resolves the place and
//! region names in filter flags. Uses `geo`; knows nothing of SQL or clap.

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::filter::{Filter, Near, RegionKey, Status};
pub use crate::geo::{Answer, Resolution, resolve};
use crate::geo::{
    Candidate, Gazetteer, HOLD_KM, Level, MatchKind, OutsideCountry, Place, Region, Regions,
};
use crate::model::{
    DateSpan, GeoPrecision, Incident, canonical_event_type, canonical_sub_event_type,
};
use crate::store::Store;

/// The bundled regions plus the database's custom regions, with polygons.
pub fn regions_with_custom(store: &dyn Store) -> Result<Regions> {
    add_custom(store, Regions::bundled()?)
}

/// Region names and codes (bundled and custom) without the bundled
/// polygons: enough to resolve `--region` and list regions, and much faster
/// to load than [`regions_with_custom`].
pub fn region_names_with_custom(store: &dyn Store) -> Result<Regions> {
    add_custom(store, Regions::bundled_names()?)
}

fn add_custom(store: &dyn Store, mut regions: Regions) -> Result<Regions> {
    for region in store.custom_regions()? {
        regions.add_custom(region);
    }
    Ok(regions)
}

/// The bundled gazetteer plus the database's own places.
pub fn gazetteer_with_places(store: &dyn Store) -> Result<Gazetteer> {
    let mut g = Gazetteer::bundled();
    let places = store.places()?;
    if places.is_empty() {
        // Loading the region polygons takes longer than geocoding.
        return Ok(g);
    }
    let regions = Regions::bundled()?;
    for p in places {
        let a = regions.assign(p.latitude, p.longitude);
        g.add_place(Place {
            id: -p.id,
            name: p.name,
            latitude: p.latitude,
            longitude: p.longitude,
            country: p.country.or(a.country).unwrap_or_default(),
            admin1_code: a.admin1.as_ref().map(|(c, _)| c.clone()),
            admin1_name: a.admin1.map(|(_, n)| n),
            feature_code: p.feature_code,
            population: p.population,
            alt_names: p.alt_names,
        });
    }
    Ok(g)
}

/// Where region assignment put an incident's point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// The incident has no coordinates: its regions are left as they are.
    NoPoint,
    /// Inside a region.
    Inside,
    /// Outside every region; the nearest, this many km away, was used.
    Nearest(f64),
    /// Outside its stated country but within `HOLD_KM` of it (a coast, a
    /// border, rounded coordinates): the country's nearest region, this many
    /// km away, was used.
    Held(f64),
    /// In no region at all (open sea): no admin units.
    Nowhere,
}

impl Placement {
    /// A note for the user when the placement is not plain.
    pub fn note(&self, inc: &Incident) -> Option<String> {
        let (lat, lon) = (inc.latitude?, inc.longitude?);
        let name = match (&inc.admin1, &inc.admin1_code) {
            (Some(name), Some(code)) => format!("{name} ({code})"),
            _ => inc.country.clone().unwrap_or_else(|| "?".into()),
        };
        match self {
            Placement::Nearest(km) => Some(format!(
                "note: {lat},{lon} is outside every region boundary; assigned to the nearest, {name}, {km:.1} km away"
            )),
            Placement::Held(km) if *km == 0.0 => Some(format!(
                "note: {lat},{lon} lies where the boundaries of {} and a neighbour overlap; assigned to {name}, in the country its source states",
                inc.country.as_deref().unwrap_or("?")
            )),
            Placement::Held(km) => Some(format!(
                "note: {lat},{lon} lies outside {}, the country its source states; assigned to its nearest region, {name}, {km:.1} km away",
                inc.country.as_deref().unwrap_or("?")
            )),
            Placement::Nowhere => Some(format!(
                "note: {lat},{lon} is not inside any region (open sea?); no admin units assigned"
            )),
            Placement::NoPoint | Placement::Inside => None,
        }
    }
}

/// Credits an incident to its regions: country, admin1 and admin2 from its
/// point, kept inside the country it states (`inc.country`, as its source
/// gave it), then only down to the level its geo precision vouches for
/// ([`Incident::credit_to_precision`]). Every way an incident enters or
/// changes goes through here, so the rules hold everywhere. A point farther
/// than `HOLD_KM` from its stated country is refused as a probable
/// coordinate error.
pub fn assign_regions(regions: &Regions, inc: &mut Incident) -> Result<Placement> {
    let (Some(lat), Some(lon)) = (inc.latitude, inc.longitude) else {
        inc.credit_to_precision();
        return Ok(Placement::NoPoint);
    };
    let a = regions
        .assign_in(lat, lon, inc.country.as_deref())
        .map_err(|o| outside_country(lat, lon, &o))?;
    if a.country.is_some() {
        inc.country = a.country.clone();
    }
    inc.admin1_code = a.admin1.as_ref().map(|(c, _)| c.clone());
    inc.admin1 = a.admin1.as_ref().map(|(_, n)| n.clone());
    inc.admin2_code = a.admin2.as_ref().map(|(c, _)| c.clone());
    inc.admin2 = a.admin2.as_ref().map(|(_, n)| n.clone());
    inc.credit_to_precision();
    Ok(match (a.held_km, a.nearest, &a.admin1) {
        (Some(km), _, _) => Placement::Held(km),
        (_, _, None) => Placement::Nowhere,
        (_, Some(km), _) => Placement::Nearest(km),
        (_, None, _) => Placement::Inside,
    })
}

/// The error for a point that lies too far from the country its source states.
fn outside_country(lat: f64, lon: f64, o: &OutsideCountry) -> Error {
    let place = match (&o.found, o.distance_km) {
        (Some(c), Some(km)) => format!("it lies in {c}, {km:.0} km from {}", o.country),
        (Some(c), None) => format!("it lies in {c}, over 100 km from {}", o.country),
        (None, Some(km)) => format!("it lies in no country, {km:.0} km from {}", o.country),
        (None, None) => format!("it lies in no country, over 100 km from {}", o.country),
    };
    let hint = if o.swapped {
        "; latitude and longitude look swapped"
    } else {
        ""
    };
    Error::invalid(
        "coordinates",
        format!("{lat},{lon}"),
        format!(
            "a point in {} (the stated country) or within {HOLD_KM} km of it: {place}{hint} (a probable coordinate error)",
            o.country
        ),
    )
}

/// Codes of the custom regions containing the incident.
pub fn custom_regions_of(regions: &Regions, inc: &Incident) -> Vec<String> {
    match (inc.latitude, inc.longitude) {
        (Some(lat), Some(lon)) => regions
            .custom_containing(lat, lon)
            .into_iter()
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// One line describing a gazetteer candidate, for choices and errors; a
/// suggestion says that its name is a different one.
pub fn describe(c: &Candidate) -> String {
    let p = &c.place;
    let kind = match c.kind {
        MatchKind::Suggestion => format!("suggestion, a different name, {} edits", c.edits),
        kind => kind.as_str().to_string(),
    };
    format!(
        "{} ({}, {}{}) {:.5},{:.5} {} pop {} [{kind}]",
        p.name,
        p.country,
        p.admin1_name.as_deref().unwrap_or("?"),
        p.admin1_code
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default(),
        p.latitude,
        p.longitude,
        p.feature_code,
        p.population,
    )
}

/// Candidates listed when a name is ambiguous or has only suggestions.
const CANDIDATES_SHOWN: usize = 8;

/// Geocodes `name` to the one place the gazetteer is sure of (see
/// [`resolve`]). When several distinct places match equally well, `pick` is
/// asked to choose (it returns `None` when no one can answer, e.g. not on a
/// terminal) and the error lists them. A name with only suggestions fails,
/// listing them as different names.
pub fn choose_place(
    gazetteer: &Gazetteer,
    name: &str,
    country: Option<&str>,
    pick: impl FnOnce(&[String]) -> Option<usize>,
) -> Result<Place> {
    let r = resolve(gazetteer, name, country, CANDIDATES_SHOWN);
    let n = match r.answer {
        Answer::One => return Ok(r.candidates[0].place.clone()),
        Answer::NoMatch => {
            return Err(Error::NoPlace {
                name: name.into(),
                suggestions: r
                    .candidates
                    .iter()
                    .map(|c| format!("  {}", describe(c)))
                    .collect(),
            });
        }
        Answer::Ambiguous(n) => n.min(r.candidates.len()),
    };
    let lines: Vec<String> = r.candidates[..n]
        .iter()
        .enumerate()
        .map(|(i, c)| format!("  {}. {}", i + 1, describe(c)))
        .collect();
    match pick(&lines) {
        Some(i) if i < n => Ok(r.candidates[i].place.clone()),
        _ => Err(Error::Ambiguous {
            name: name.into(),
            candidates: lines,
        }),
    }
}

/// What adding and editing need to locate an incident: the regions (with
/// the database's custom ones), who chooses among namesakes when a place
/// name is geocoded (`None` when no one can: the error then lists them),
/// and where notes for the user go.
pub struct Locator<'a> {
    pub regions: &'a Regions,
    pub pick: &'a dyn Fn(&[String]) -> Option<usize>,
    pub note: &'a dyn Fn(&str),
}

impl Locator<'_> {
    /// The one place `name` means in the gazetteer and the database's own
    /// places, narrowed to `country` when given (see [`choose_place`]).
    pub fn place(&self, store: &dyn Store, name: &str, country: Option<&str>) -> Result<Place> {
        choose_place(&gazetteer_with_places(store)?, name, country, self.pick)
    }

    /// Credits the incident to its regions ([`assign_regions`]), saying
    /// where a point outside every boundary went.
    pub fn assign_regions(&self, inc: &mut Incident) -> Result<()> {
        if let Some(msg) = assign_regions(self.regions, inc)?.note(inc) {
            (self.note)(&msg);
        }
        Ok(())
    }
}

/// Sets an incident's coordinates from a gazetteer place (an exact place).
pub fn set_place(inc: &mut Incident, place: &Place) {
    inc.latitude = Some(place.latitude);
    inc.longitude = Some(place.longitude);
    inc.geo_precision.get_or_insert(GeoPrecision::Exact);
    if inc.country.is_none() && !place.country.is_empty() {
        inc.country = Some(place.country.clone());
    }
}

/// Places an incident known only by region at the region's label point:
/// geo precision 2 for a district (the district is known), 3 otherwise
/// (only the province), so it is never credited to whichever district the
/// label point of a province happens to lie in.
pub fn set_region_label(inc: &mut Incident, region: &Region) {
    inc.latitude = Some(region.label.0);
    inc.longitude = Some(region.label.1);
    inc.geo_precision = Some(match region.level {
        Level::Admin2 => GeoPrecision::Near,
        Level::Admin1 | Level::Custom => GeoPrecision::Region,
    });
    if !region.country.is_empty() {
        inc.country = Some(region.country.clone());
    }
}

/// Resolves a region name or code; when it also matched other regions the
/// choice is reported through `note`.
pub fn resolve_region<'a>(
    regions: &'a Regions,
    query: &str,
    note: &mut dyn FnMut(&str),
) -> Result<&'a Region> {
    resolve_region_in(regions, query, &[], note)
}

/// [`resolve_region`], preferring regions in these countries (alpha-2)
/// when the name matches in several.
pub fn resolve_region_in<'a>(
    regions: &'a Regions,
    query: &str,
    preferred_countries: &[&str],
    note: &mut dyn FnMut(&str),
) -> Result<&'a Region> {
    let r = regions.resolve_in(query, preferred_countries)?;
    if !r.also.is_empty() {
        let others: Vec<String> = r
            .also
            .iter()
            .map(|o| format!("{} ({}, {:?})", o.name, o.code, o.level))
            .collect();
        note(&format!(
            "note: {query:?} means {} ({}, {:?}); it also matches {}",
            r.region.name,
            r.region.code,
            r.region.level,
            others.join(", ")
        ));
    }
    Ok(r.region)
}

/// The filter key for a region.
pub fn region_key(region: &Region) -> RegionKey {
    match region.level {
        Level::Admin1 => RegionKey::Admin1(region.code.clone()),
        Level::Admin2 => RegionKey::Admin2(region.code.clone()),
        Level::Custom => RegionKey::Custom(region.code.clone()),
    }
}

/// Filter values as the user typed them; `build` checks and resolves them.
#[derive(Debug, Clone, Default)]
pub struct FilterSpec {
    pub region: Option<String>,
    pub country: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub month: Option<String>,
    pub overlapping: bool,
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    pub actor: Option<String>,
    pub text: Option<String>,
    pub tag: Option<String>,
    pub near: Option<String>,
    pub radius: Option<String>,
    pub bbox: Option<String>,
    /// reviewed (the default; `active` too), draft, rejected, merged or all.
    pub status: Option<String>,
    pub limit: Option<usize>,
    /// The database's countries (alpha-2): a region name that matches in
    /// several countries means the one here, unless `country` is given.
    pub countries: Vec<String>,
}

/// Parses a radius such as `25km`, `25 km`, `500m` or `25` (kilometres).
pub fn parse_radius(s: &str) -> Result<f64> {
    let t = s.trim().to_ascii_lowercase();
    let (num, factor) = if let Some(n) = t.strip_suffix("km") {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 0.001)
    } else {
        (t.as_str(), 1.0)
    };
    match num.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v * factor <= 20_000.0 => Ok(v * factor),
        _ => Err(Error::invalid(
            "radius",
            s,
            "a distance such as 25km or 500m, up to 20000km",
        )),
    }
}

fn parse_numbers(field: &str, s: &str, n: usize, expected: &str) -> Result<Vec<f64>> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() != n {
        return Err(Error::invalid(field, s, expected));
    }
    parts
        .iter()
        .map(|p| match p.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(Error::invalid(field, s, expected)),
        })
        .collect()
}

impl FilterSpec {
    /// Checks every value and resolves names. Regions and the gazetteer are
    /// loaded only when a flag needs them.
    pub fn build<'g>(
        &self,
        regions: impl FnOnce() -> Result<&'g Regions>,
        gazetteer: impl FnOnce() -> Result<&'g Gazetteer>,
        note: &mut dyn FnMut(&str),
    ) -> Result<Filter> {
        let mut f = Filter {
            overlapping: self.overlapping,
            limit: self.limit,
            ..Filter::default()
        };
        if let Some(m) = &self.month {
            let span = DateSpan::parse("month", m)?;
            if span.precision != crate::model::DatePrecision::Month {
                return Err(Error::invalid("month", m, "a month as YYYY-MM"));
            }
            f.from = Some(span.start);
            f.to = Some(span.end);
        }
        let bound = |field: &str, s: &Option<String>, first: bool| -> Result<Option<NaiveDate>> {
            s.as_deref()
                .map(|s| DateSpan::parse(field, s).map(|d| if first { d.start } else { d.end }))
                .transpose()
        };
        if let Some(d) = bound("from", &self.from, true)? {
            f.from = Some(d);
        }
        if let Some(d) = bound("to", &self.to, false)? {
            f.to = Some(d);
        }
        if let (Some(a), Some(b)) = (f.from, f.to)
            && b < a
        {
            return Err(Error::invalid(
                "to",
                b,
                format!("a date on or after --from ({a})"),
            ));
        }
        if let Some(c) = &self.country {
            let c = c.trim().to_ascii_uppercase();
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(Error::invalid(
                    "country",
                    c,
                    "an ISO 3166-1 alpha-2 code such as SY",
                ));
            }
            f.country = Some(c);
        }
        if let Some(t) = &self.event_type {
            let t = canonical_event_type(t)?;
            f.event_type = Some(t.to_string());
            if let Some(s) = &self.sub_event_type {
                f.sub_event_type = Some(canonical_sub_event_type(t, s)?.to_string());
            }
        }
        f.actor = self.actor.clone();
        f.text = self.text.clone();
        f.tag = self.tag.clone();
        if let Some(s) = &self.status {
            f.status = Status::parse(s)?;
        }
        if let Some(b) = &self.bbox {
            let v = parse_numbers("bbox", b, 4, "MIN_LON,MIN_LAT,MAX_LON,MAX_LAT in degrees")?;
            if v[0] > v[2]
                || v[1] > v[3]
                || v[1] < -90.0
                || v[3] > 90.0
                || v[0] < -180.0
                || v[2] > 180.0
            {
                return Err(Error::invalid(
                    "bbox",
                    b,
                    "MIN_LON,MIN_LAT,MAX_LON,MAX_LAT with min <= max, within -180..180 and -90..90",
                ));
            }
            f.bbox = Some([v[0], v[1], v[2], v[3]]);
        }
        let radius_km = self
            .radius
            .as_deref()
            .map(parse_radius)
            .transpose()?
            .unwrap_or(10.0);
        let needs_regions = self.region.is_some();
        let loaded = if needs_regions {
            Some(regions()?)
        } else {
            None
        };
        if let (Some(q), Some(regions)) = (&self.region, loaded) {
            let preferred: Vec<&str> = match &f.country {
                Some(c) => vec![c.as_str()],
                None => self.countries.iter().map(String::as_str).collect(),
            };
            let r = resolve_region_in(regions, q, &preferred, note)?;
            f.region = Some(region_key(r));
        }
        if let Some(n) = &self.near {
            let coords = parse_numbers("near", n, 2, "LAT,LON");
            let (lat, lon) = match coords {
                Ok(v) => {
                    crate::model::check_coordinates(v[0], v[1]).map_err(|_| {
                        Error::invalid("near", n, "LAT,LON within -90..90, -180..180")
                    })?;
                    (v[0], v[1])
                }
                Err(_) => {
                    let g = gazetteer()?;
                    let p = choose_place(g, n, f.country.as_deref(), |_| None)?;
                    note(&format!(
                        "note: --near {n:?} is {} ({}) at {:.5},{:.5}",
                        p.name, p.country, p.latitude, p.longitude
                    ));
                    (p.latitude, p.longitude)
                }
            };
            f.near = Some(Near {
                latitude: lat,
                longitude: lon,
                radius_km,
            });
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radius_units() {
        assert_eq!(parse_radius("25km").unwrap(), 25.0);
        assert_eq!(parse_radius("500m").unwrap(), 0.5);
        assert_eq!(parse_radius("7").unwrap(), 7.0);
        for bad in ["-1km", "NaN", "km", "1e9km", ""] {
            assert!(parse_radius(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filter_spec_checks_values() {
        let no_regions = || -> Result<&Regions> { Err(Error::invalid("x", "y", "not loaded")) };
        let no_gaz = || -> Result<&Gazetteer> { Err(Error::invalid("x", "y", "not loaded")) };
        let spec = FilterSpec {
            month: Some("2025-06".into()),
            event_type: Some("battles".into()),
            ..Default::default()
        };
        let f = spec.build(no_regions, no_gaz, &mut |_| {}).unwrap();
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2025, 6, 1));
        assert_eq!(f.to, NaiveDate::from_ymd_opt(2025, 6, 30));
        assert_eq!(f.event_type.as_deref(), Some("Battles"));
        assert_eq!(f.status, Status::Reviewed);
        for (given, status) in [
            ("active", Status::Reviewed),
            ("Draft", Status::Draft),
            ("Merged", Status::Merged),
            ("all", Status::All),
        ] {
            let spec = FilterSpec {
                status: Some(given.into()),
                ..Default::default()
            };
            let f = spec.build(no_regions, no_gaz, &mut |_| {}).unwrap();
            assert_eq!(f.status, status, "{given}");
        }
        let e = FilterSpec {
            status: Some("deleted".into()),
            ..Default::default()
        }
        .build(no_regions, no_gaz, &mut |_| {})
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("status") && e.contains("reviewed, draft, rejected, merged or all"),
            "{e}"
        );
        for bad in [
            FilterSpec {
                month: Some("2025".into()),
                ..Default::default()
            },
            FilterSpec {
                from: Some("2025-07-01".into()),
                to: Some("2025-06-01".into()),
                ..Default::default()
            },
            FilterSpec {
                country: Some("Syria".into()),
                ..Default::default()
            },
            FilterSpec {
                bbox: Some("1,2,3".into()),
                ..Default::default()
            },
            FilterSpec {
                bbox: Some("10,0,5,1".into()),
                ..Default::default()
            },
            FilterSpec {
                near: Some("95,10".into()),
                ..Default::default()
            },
            FilterSpec {
                event_type: Some("battel".into()),
                ..Default::default()
            },
        ] {
            assert!(
                bad.build(no_regions, no_gaz, &mut |_| {}).is_err(),
                "{bad:?}"
            );
        }
    }
}
