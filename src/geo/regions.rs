//! Regions: administrative units (bundled) and custom user regions, point ->
//! region assignment and region name/code -> region resolution. Owns the
//! border rule and the resolution order; knows nothing of incidents.
//!
//! The bundled regions load in microseconds: their names are found in key
//! tables precomputed at build time and read in place (`bundle`), a region
//! is decoded when it is first asked for, and a polygon when a point first
//! falls in its bounding box (`index`).
//!
//! Rules, decided once here:
//! - Boundary sources: OCHA/UN COD-AB for Syria and Iraq (the regions with a
//!   P-code), Natural Earth admin-1 everywhere else.
//! - A point strictly inside a region belongs to it. Where regions overlap
//!   (the sources disagree: Natural Earth's Israel covers the occupied Golan,
//!   which the UN counts in Quneitra governorate; its Jordan reaches into
//!   OCHA's Rural Damascus), the UN boundary wins: a region with a P-code
//!   before one without. Then, and for a point on the border of several
//!   regions, the smallest code wins (districts: the smallest governorate
//!   code, then district code, so they still nest).
//! - A point in no region but within [`NEAREST_TOLERANCE_DEG`] degrees
//!   (planar lon/lat, about 5.5 km) of one belongs to the nearest, and
//!   `Assignment::nearest` says how far it was in km.
//! - Districts (admin2) exist for Syria and Iraq only. Where a district is
//!   found inside the same country as the admin1 answer, its governorate is
//!   the admin1 answer, so admin2 always nests in admin1.
//! - `assign_in` trusts the source's own country: a point outside it but
//!   within [`HOLD_KM`] (a coast, a border, rounded coordinates) goes to the
//!   country's nearest admin1 region (and that region's nearest district);
//!   farther, it is refused with [`OutsideCountry`]. A point the overlap rule
//!   gave to another country is refused too: the UN boundary decides there;
//!   but where two UN boundaries overlap (slivers along a border), a point
//!   its source places in the country that lost it by code order is held
//!   there (0 km).
//! - `resolve_in` tries ISO 3166-2 codes, P-codes and code aliases first,
//!   then names. Dataset labels lose their unit word: "X governorate" asks
//!   for an admin1 region, "X district", "Mintaqat X" and "Markaz X" for a
//!   district, and a governorate's name then means its central district
//!   (the one named after it, or P-code ending in 00). Several matches are
//!   ordered: the level the label asked for; the closest spelling; a region
//!   in the preferred countries; a name spelt as given (articles and
//!   punctuation aside, "Al Bab" is not "Bab"); admin1, admin2, custom (the
//!   central district usually shares its governorate's name, and the
//!   governorate is what people mean); own name before alternate; code.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::sync::OnceLock;

use geo::{InteriorPoint, MultiPolygon};

use super::bundle::Bundle;
use super::countries;
use super::encoding::bundled_region;
pub use super::index::NEAREST_TOLERANCE_DEG;
use super::index::{BULK_AFTER, Layer};
use super::name_index::{KeyMaps, region_keys};
use super::normalize::{normalize_name, skeleton_key};
use super::region::{Level, Region};
use crate::Error;

/// The bundled regions (see data/README.md), decompressed by build.rs.
static DATA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/regions.bin"));

/// The index build.rs derives from them (see `bundle`), with the names of
/// `data/region_aliases.tsv` (spellings that datasets such as UCDP and
/// ACLED use and neither boundary source gives).
static INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/regions_index.bin"));

/// km: a point outside its stated country but this close to it goes to the country's nearest region
pub const HOLD_KM: f64 = 10.0;

/// How far from its stated country a refused point's distance is measured;
/// beyond, `OutsideCountry::distance_km` is None.
const OUTSIDE_MEASURED_KM: f64 = 100.0;

/// Grid cell sizes (degrees) of the point-location index; see `index`.
const ADMIN1_CELL_DEG: f64 = 0.2;
const ADMIN2_CELL_DEG: f64 = 0.05;

/// How many names `resolve` suggests when nothing matches.
const SUGGESTIONS: usize = 5;

/// How close (normalised Levenshtein) a skeleton match must be to a region
/// name to be taken as the same name.
const SKELETON_MIN_SIMILARITY: f64 = 0.6;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assignment {
    pub country: Option<String>,
    /// (code, name)
    pub admin1: Option<(String, String)>,
    /// (code, name)
    pub admin2: Option<(String, String)>,
    /// Some(distance in km) when resolved by the nearest-region fallback.
    pub nearest: Option<f64>,
    /// Some(km) when moved into the stated country (see `assign_in`).
    pub held_km: Option<f64>,
}

/// A point that lies outside the country its source states, farther than
/// [`HOLD_KM`] (or in another country by the overlap rule).
#[derive(Debug, Clone, PartialEq)]
pub struct OutsideCountry {
    /// The stated country (alpha-2).
    pub country: String,
    /// The country the point lies in.
    pub found: Option<String>,
    /// km to the stated country, when within 100 km.
    pub distance_km: Option<f64>,
    /// (lon, lat) lies in the stated country: latitude and longitude swapped.
    pub swapped: bool,
}

/// The outcome of [`Regions::resolve`]: the chosen region and the other
/// regions the query also matched, best first, so a caller can show them.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    pub region: &'a Region,
    pub also: Vec<&'a Region>,
}

#[derive(Debug)]
pub struct Regions {
    /// The bundled regions (ids from 0), read in place.
    bundled: Option<Bundled>,
    /// Regions given at run time, with ids after the bundled ones: custom
    /// regions, or every region of [`Regions::new`].
    given: Vec<Region>,
    given_keys: KeyMaps,
    /// Built on first use.
    admin1: OnceLock<Layer>,
    admin2: OnceLock<Layer>,
    custom: Layer,
    /// Countries with admin1 regions.
    countries: OnceLock<HashSet<String>>,
    /// When layers build their bulk indexes (`index::BULK_AFTER`; tests
    /// pin it to compare the two ways of finding candidates).
    bulk_after: u32,
}

#[derive(Debug)]
struct Bundled {
    data: Bundle<'static>,
    /// Whether regions are decoded with their polygons (and points located).
    geometry: bool,
    /// Each region decoded on first use (boxed: 16 bytes a slot to set up
    /// at load, instead of a whole region's).
    regions: Vec<OnceLock<Box<Region>>>,
}

/// A region as the rules read it, without decoding it: each field is
/// read in place when asked for.
#[derive(Debug, Clone, Copy)]
enum Entry<'a> {
    Bundled(&'a Bundle<'static>, usize),
    Given(&'a Region),
}

impl<'a> Entry<'a> {
    fn code(self) -> &'a str {
        match self {
            Entry::Bundled(b, i) => b.code(i),
            Entry::Given(r) => &r.code,
        }
    }

    fn pcode(self) -> Option<&'a str> {
        match self {
            Entry::Bundled(b, i) => b.pcode(i),
            Entry::Given(r) => r.pcode.as_deref(),
        }
    }

    fn name(self) -> &'a str {
        match self {
            Entry::Bundled(b, i) => b.name(i),
            Entry::Given(r) => &r.name,
        }
    }

    fn level(self) -> Level {
        match self {
            Entry::Bundled(b, i) => b.level(i),
            Entry::Given(r) => r.level,
        }
    }

    fn country(self) -> &'a str {
        match self {
            Entry::Bundled(b, i) => b.country(i),
            Entry::Given(r) => &r.country,
        }
    }

    fn parent(self) -> Option<&'a str> {
        match self {
            Entry::Bundled(b, i) => b.parent(i),
            Entry::Given(r) => r.parent.as_deref(),
        }
    }
}

impl Regions {
    /// The bundled admin1 and admin2 regions. Loads in microseconds: a
    /// region is decoded when it is asked for, a polygon when a point falls
    /// in its bounding box.
    pub fn bundled() -> Result<Regions, Error> {
        Regions::load_bundled(true)
    }

    /// The bundled regions' names, codes and levels without their polygons,
    /// for resolving `--region` and listing: `assign` finds nothing in it
    /// (use [`Regions::bundled`] for that).
    pub fn bundled_names() -> Result<Regions, Error> {
        Regions::load_bundled(false)
    }

    fn load_bundled(geometry: bool) -> Result<Regions, Error> {
        let data = Bundle::read(INDEX, DATA).map_err(|reason| Error::Data {
            what: "bundled regions index".into(),
            reason,
        })?;
        let bundled = Bundled {
            data,
            geometry,
            regions: (0..data.region_count()).map(|_| OnceLock::new()).collect(),
        };
        Ok(Regions::with(Some(bundled), Vec::new()))
    }

    /// Indexes regions of any level (custom ones too).
    pub fn new(regions: Vec<Region>) -> Regions {
        Regions::with(None, regions)
    }

    fn with(bundled: Option<Bundled>, given: Vec<Region>) -> Regions {
        let mut out = Regions {
            bundled,
            given,
            given_keys: KeyMaps::default(),
            admin1: OnceLock::new(),
            admin2: OnceLock::new(),
            custom: Layer::new([], None, BULK_AFTER),
            countries: OnceLock::new(),
            bulk_after: BULK_AFTER,
        };
        for i in 0..out.given.len() {
            out.index_given(i);
        }
        out.custom = out.given_layer(Level::Custom, None);
        out
    }

    fn index_given(&mut self, i: usize) {
        let r = &self.given[i];
        let keys = region_keys(
            names_of(r)
                .chain([&r.code])
                .chain(&r.pcode)
                .map(String::as_str),
            r.level,
        );
        self.given_keys
            .insert((self.bundled_len() + i) as u32, keys);
    }

    /// Adds a custom region (its level becomes `Custom`). A custom region
    /// with the same code is replaced.
    pub fn add_custom(&mut self, mut region: Region) {
        region.level = Level::Custom;
        let same = self
            .given
            .iter()
            .position(|r| r.level == Level::Custom && r.code == region.code);
        match same {
            Some(i) => {
                self.given[i] = region;
                self.given_keys = KeyMaps::default();
                for i in 0..self.given.len() {
                    self.index_given(i);
                }
            }
            None => {
                self.given.push(region);
                self.index_given(self.given.len() - 1);
            }
        }
        self.custom = self.given_layer(Level::Custom, None);
    }

    fn bundled_len(&self) -> usize {
        self.bundled.as_ref().map_or(0, |b| b.regions.len())
    }

    fn ids(&self) -> std::ops::Range<u32> {
        0..(self.bundled_len() + self.given.len()) as u32
    }

    fn region(&self, id: u32) -> &Region {
        let i = id as usize;
        match &self.bundled {
            Some(b) if i < b.regions.len() => {
                b.regions[i].get_or_init(|| Box::new(bundled_region(&b.data, i, b.geometry)))
            }
            _ => &self.given[i - self.bundled_len()],
        }
    }

    fn entry(&self, id: u32) -> Entry<'_> {
        let i = id as usize;
        match &self.bundled {
            Some(b) if i < b.regions.len() => Entry::Bundled(&b.data, i),
            _ => Entry::Given(&self.given[i - self.bundled_len()]),
        }
    }

    /// Ids of regions with a name whose key is `key`, ascending.
    fn ids_named(&self, key: &str) -> Vec<u32> {
        let bundled = self.bundled.iter().flat_map(|b| b.data.keys.names.get(key));
        let given = self.given_keys.names.get(key).into_iter().flatten();
        bundled.chain(given.copied()).collect()
    }

    /// Ids of regions with a name whose skeleton is `skeleton`, ascending.
    fn ids_by_skeleton(&self, skeleton: &str) -> Vec<u32> {
        let bundled = self
            .bundled
            .iter()
            .flat_map(|b| b.data.keys.skeletons.get(skeleton));
        let given = self
            .given_keys
            .skeletons
            .get(skeleton)
            .into_iter()
            .flatten();
        bundled.chain(given.copied()).collect()
    }

    /// The first region with an upper-cased code, P-code or code alias.
    fn id_by_code(&self, code: &str) -> Option<u32> {
        let bundled = self
            .bundled
            .as_ref()
            .and_then(|b| b.data.keys.codes.get(code).next());
        bundled.or_else(|| {
            let ids = self.given_keys.codes.get(code)?;
            ids.first().copied()
        })
    }

    /// The point-location layer of admin1 or admin2 regions, built on first
    /// use.
    fn admin_layer(&self, level: Level) -> &Layer {
        let (layer, cell) = match level {
            Level::Admin1 => (&self.admin1, ADMIN1_CELL_DEG),
            _ => (&self.admin2, ADMIN2_CELL_DEG),
        };
        layer.get_or_init(|| match &self.bundled {
            Some(b) if b.geometry => {
                let data = &b.data;
                let polygons = self
                    .ranked(0..b.regions.len() as u32, level)
                    .into_iter()
                    .flat_map(|(id, rank)| {
                        data.polygons(id as usize)
                            .map(move |p| (id, rank, data.polygon_box(p), data.polygon_bytes(p)))
                    });
                Layer::bundled(polygons, Some(cell), self.bulk_after)
            }
            Some(_) => Layer::new([], None, self.bulk_after),
            None => self.given_layer(level, Some(cell)),
        })
    }

    /// A layer of the given regions of one level.
    fn given_layer(&self, level: Level, cell: Option<f64>) -> Layer {
        let first = self.bundled_len();
        let members = self
            .ranked(first as u32..self.ids().end, level)
            .into_iter()
            .map(|(id, rank)| (id, rank, &self.given[id as usize - first].geometry));
        Layer::new(members, cell, self.bulk_after)
    }

    /// The regions of a level among `ids` with their rank in the order the
    /// overlap and border rules go by: regions with a P-code (the UN's
    /// boundaries) first, then by code. Districts order by their
    /// governorate's code first, so that on a border the district chosen
    /// lies in the governorate chosen. (Ranks only compare within a level,
    /// whose regions are all bundled or all given.)
    fn ranked(&self, ids: std::ops::Range<u32>, level: Level) -> Vec<(u32, u32)> {
        let mut members: Vec<(u32, Entry)> = ids
            .map(|id| (id, self.entry(id)))
            .filter(|(_, e)| e.level() == level)
            .collect();
        members.sort_by_cached_key(|(_, e)| {
            (
                e.pcode().is_none(),
                e.parent().unwrap_or(e.code()),
                e.code(),
            )
        });
        members
            .into_iter()
            .enumerate()
            .map(|(rank, (id, _))| (id, rank as u32))
            .collect()
    }

    /// The admin1 (and, in Syria and Iraq, admin2) regions of a point.
    pub fn assign(&self, lat: f64, lon: f64) -> Assignment {
        let a1 = self.admin_layer(Level::Admin1).locate(lon, lat);
        let a2 = self.admin_layer(Level::Admin2).locate(lon, lat);
        let mut admin1 = a1.map(|h| (self.entry(h.region), h.nearest_km));
        let mut admin2 = None;
        if let Some(h2) = a2 {
            let district = self.entry(h2.region);
            let parent = district
                .parent()
                .and_then(|p| self.id_by_code(p))
                .map(|i| self.entry(i));
            let same_country = admin1.is_none_or(|(r, _)| r.country() == district.country());
            // A district found by the fallback never overrides a governorate
            // found strictly inside another one.
            let admin1_strict_elsewhere = admin1.is_some_and(|(r, km)| {
                km.is_none() && h2.nearest_km.is_some() && Some(r.code()) != district.parent()
            });
            if same_country && !admin1_strict_elsewhere {
                if let Some(parent) = parent {
                    let km = match (admin1, h2.nearest_km) {
                        (Some((_, None)), _) | (None, _) => h2.nearest_km,
                        (Some((_, Some(k1))), k2) => Some(k2.map_or(k1, |k2| k1.max(k2))),
                    };
                    admin1 = Some((parent, km));
                }
                admin2 = Some(district);
            }
        }
        Assignment {
            country: admin1.map(|(r, _)| r.country().to_string()),
            admin1: admin1.map(|(r, _)| code_and_name(r)),
            admin2: admin2.map(code_and_name),
            nearest: admin1.and_then(|(_, km)| km),
            held_km: None,
        }
    }

    /// Like [`Regions::assign`], for a point whose source states its
    /// country (alpha-2, alpha-3, numeric or name); see the module doc. A
    /// country the bundled regions do not know is ignored.
    pub fn assign_in(
        &self,
        lat: f64,
        lon: f64,
        country: Option<&str>,
    ) -> Result<Assignment, OutsideCountry> {
        let here = self.assign(lat, lon);
        let Some(stated) = country.and_then(|c| self.known_country(c)) else {
            return Ok(here);
        };
        if here.country.as_deref() == Some(stated.as_str()) {
            return Ok(here);
        }
        let in_stated = |id: u32| self.entry(id).country() == stated;
        let admin1 = self.admin_layer(Level::Admin1);
        // Two UN boundaries that overlap along a border (the two countries'
        // datasets draw it a little differently) give the sliver to the
        // smaller code; a point there that its source places in the other
        // country lies in that country's UN polygon too: it is held there.
        let inside_stated = admin1
            .containing(lon, lat)
            .into_iter()
            .find(|&id| in_stated(id) && self.entry(id).pcode().is_some())
            .map(|id| (self.entry(id), 0.0));
        let near = inside_stated.or_else(|| {
            admin1
                .nearest_where(lon, lat, OUTSIDE_MEASURED_KM, in_stated)
                .and_then(|h| Some((self.entry(h.region), h.nearest_km?)))
        });
        match near {
            Some((region, km)) if km <= HOLD_KM => {
                let in_region = |id: u32| self.entry(id).parent() == Some(region.code());
                let admin2 = self.admin_layer(Level::Admin2);
                // Districts nest exactly in their governorate, so its nearest
                // district is as near; the slack absorbs rounding.
                let district = admin2
                    .containing(lon, lat)
                    .into_iter()
                    .find(|&id| in_region(id))
                    .or_else(|| {
                        admin2
                            .nearest_where(lon, lat, km + 0.5, in_region)
                            .map(|h| h.region)
                    })
                    .map(|id| self.entry(id));
                Ok(Assignment {
                    country: Some(stated),
                    admin1: Some(code_and_name(region)),
                    admin2: district.map(code_and_name),
                    nearest: None,
                    held_km: Some(km),
                })
            }
            _ => Err(OutsideCountry {
                swapped: self.assign(lon, lat).country.as_deref() == Some(stated.as_str()),
                country: stated,
                found: here.country,
                distance_km: near.map(|(_, km)| km),
            }),
        }
    }

    /// The bundled regions' key for a country given in any form, if it has
    /// regions.
    fn known_country(&self, country: &str) -> Option<String> {
        let code = countries::alpha2(country).unwrap_or_else(|| country.trim().to_uppercase());
        let countries = self.countries.get_or_init(|| {
            self.ids()
                .map(|id| self.entry(id))
                .filter(|e| e.level() == Level::Admin1)
                .map(|e| e.country().to_string())
                .collect()
        });
        countries.contains(&code).then_some(code)
    }

    /// Codes of the custom regions whose closed polygon holds the point; a
    /// point on a border shared by custom regions counts for the one with
    /// the smallest code only.
    pub fn custom_containing(&self, lat: f64, lon: f64) -> Vec<&str> {
        let mut codes: Vec<&str> = self
            .custom
            .containing(lon, lat)
            .into_iter()
            .map(|i| self.entry(i).code())
            .collect();
        codes.sort_unstable();
        codes
    }

    /// A region from a code (ISO 3166-2, P-code, alias) or a name in any
    /// known form; see the module doc for the order among several matches.
    pub fn resolve(&self, query: &str) -> Result<Resolved<'_>, Error> {
        self.resolve_in(query, &[])
    }

    /// Like [`Regions::resolve`], preferring regions of `preferred_countries`
    /// (alpha-2) among matches that are otherwise as good: a database's own
    /// countries, or the `--country` given.
    pub fn resolve_in(
        &self,
        query: &str,
        preferred_countries: &[&str],
    ) -> Result<Resolved<'_>, Error> {
        let trimmed = query.trim();
        if let Some(id) = self.id_by_code(&trimmed.to_uppercase()) {
            return Ok(Resolved {
                region: self.region(id),
                also: Vec::new(),
            });
        }
        let whole = Label {
            name: trimmed.to_string(),
            level: None,
        };
        let label = Label::parse(trimmed);
        // The whole query first ("Federal District" is a name), then the
        // label without its unit word; spellings only alike come last.
        let attempts = [
            (&whole, false),
            (&label, false),
            (&label, true),
            (&whole, true),
        ];
        let found = attempts.iter().find_map(|&(l, alike)| {
            let ids = self.name_matches(&normalize_name(&l.name), alike);
            (!ids.is_empty()).then_some((l, ids))
        });
        let Some((label, ids)) = found else {
            return Err(Error::UnknownRegion {
                query: query.to_string(),
                suggestions: self.suggest(&normalize_name(&label.name)),
            });
        };
        let key = normalize_name(&label.name);
        let spelt = literal_key(&label.name);
        let mut found: Vec<(f64, &Region)> = ids
            .into_iter()
            .map(|(id, closeness)| {
                let r = self.region(id);
                // A governorate's name in a district label means its
                // central district ("Markaz Daraa district", "Latakia district").
                let r = match (label.level, r.level) {
                    (Some(Level::Admin2), Level::Admin1) => self.central_district(r).unwrap_or(r),
                    _ => r,
                };
                (closeness, r)
            })
            .collect();
        let asked = |r: &Region| label.level.is_none_or(|l| l == r.level);
        let preferred = |r: &Region| {
            preferred_countries
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&r.country))
        };
        let spelt_so = |r: &Region| names_of(r).any(|n| literal_key(n) == spelt);
        let own = |r: &Region| {
            normalize_name(&r.name) == key
                || r.name_ar.as_deref().map(normalize_name) == Some(key.clone())
        };
        found.sort_by(|(ca, a), (cb, b)| {
            asked(b)
                .cmp(&asked(a))
                .then_with(|| cb.total_cmp(ca))
                .then_with(|| preferred(b).cmp(&preferred(a)))
                .then_with(|| spelt_so(b).cmp(&spelt_so(a)))
                .then_with(|| (a.level, !own(a), &a.code).cmp(&(b.level, !own(b), &b.code)))
        });
        let mut found: Vec<&Region> = found.into_iter().map(|(_, r)| r).collect();
        // Dedup keeps the first of equal neighbours only; a region reached
        // both by name and as a central district may be apart.
        let mut seen = HashSet::new();
        found.retain(|r| seen.insert(std::ptr::from_ref(*r)));
        let mut found = found.into_iter();
        match found.next() {
            Some(region) => Ok(Resolved {
                region,
                also: found.collect(),
            }),
            None => Err(Error::UnknownRegion {
                query: query.to_string(),
                suggestions: self.suggest(&key),
            }),
        }
    }

    /// Regions with a name whose key is `key`, each with its closeness
    /// (1 for the same key); with `alike`, regions whose names are only
    /// spelt alike instead (the same consonant skeleton and a close
    /// spelling: Deraa ~ Daraa, Sanamein ~ Sanamayn, but not Narnia ~ Nariño).
    fn name_matches(&self, key: &str, alike: bool) -> Vec<(u32, f64)> {
        if !alike {
            return self
                .ids_named(key)
                .into_iter()
                .map(|id| (id, 1.0))
                .collect();
        }
        let ids = skeleton_key(key).map(|s| self.ids_by_skeleton(&s));
        ids.into_iter()
            .flatten()
            .map(|id| (id, self.name_similarity(id, key)))
            .filter(|&(_, closeness)| closeness >= SKELETON_MIN_SIMILARITY)
            .collect()
    }

    /// The district at the centre of a governorate: named after it (Dar'a
    /// in Dar'a), or else, as OCHA codes Syria, the one whose P-code is the
    /// governorate's followed by 00 (Jebel Saman, SY0200, in Aleppo).
    fn central_district(&self, admin1: &Region) -> Option<&Region> {
        let names: Vec<String> = names_of(admin1).map(|n| normalize_name(n)).collect();
        let central_pcode = admin1.pcode.as_ref().map(|p| format!("{p}00"));
        let mut districts = self.ids().filter(|&id| {
            let e = self.entry(id);
            e.level() == Level::Admin2 && e.parent() == Some(admin1.code.as_str())
        });
        let named = districts
            .clone()
            .find(|&id| names.contains(&normalize_name(self.entry(id).name())));
        named
            .or_else(|| {
                districts.find(|&id| {
                    let pcode = self.entry(id).pcode();
                    pcode.is_some() && pcode == central_pcode.as_deref()
                })
            })
            .map(|id| self.region(id))
    }

    /// Best normalised Levenshtein similarity between `key` and any name of region `id`.
    fn name_similarity(&self, id: u32, key: &str) -> f64 {
        names_of(self.region(id))
            .map(|n| strsim::normalized_levenshtein(key, &normalize_name(n)))
            .fold(0.0, f64::max)
    }

    fn suggest(&self, key: &str) -> Vec<String> {
        let mut best: HashMap<u32, f64> = HashMap::new();
        let mut score = |name: &str, ids: &mut dyn Iterator<Item = u32>| {
            let score = strsim::jaro_winkler(key, name);
            for id in ids {
                let entry = best.entry(id).or_insert(0.0);
                *entry = entry.max(score);
            }
        };
        if let Some(b) = &self.bundled {
            for (name, mut ids) in b.data.keys.names.iter() {
                score(name, &mut ids);
            }
        }
        for (name, ids) in &self.given_keys.names {
            score(name, &mut ids.iter().copied());
        }
        let mut scored: Vec<(u32, f64)> = best.into_iter().filter(|&(_, s)| s >= 0.7).collect();
        scored.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.entry(a.0).code().cmp(self.entry(b.0).code()))
        });
        scored
            .into_iter()
            .take(SUGGESTIONS)
            .map(|(id, _)| {
                let e = self.entry(id);
                format!("{} ({})", e.name(), e.code())
            })
            .collect()
    }

    /// Regions of a country (ISO alpha-2, any case), or all: admin1, then
    /// admin2, then custom, each by code.
    pub fn list(&self, country: Option<&str>) -> Vec<&Region> {
        let mut out: Vec<&Region> = self
            .ids()
            .filter(|&id| country.is_none_or(|c| self.entry(id).country().eq_ignore_ascii_case(c)))
            .map(|id| self.region(id))
            .collect();
        out.sort_by(|a, b| (a.level, &a.code).cmp(&(b.level, &b.code)));
        out
    }

    /// A region by code, P-code or code alias (any case), or a custom
    /// region by its exact code.
    pub fn get(&self, code: &str) -> Option<&Region> {
        self.id_by_code(&code.to_uppercase())
            .map(|id| self.region(id))
            .or_else(|| {
                self.given
                    .iter()
                    .find(|r| r.level == Level::Custom && r.code == code)
            })
    }

    /// Custom regions from a GeoJSON FeatureCollection of Polygons and
    /// MultiPolygons. `name_field` names each region; an optional `code`
    /// property gives its code (else the name), and `country` its country.
    pub fn read_geojson_regions<R: Read>(r: R, name_field: &str) -> Result<Vec<Region>, Error> {
        let data_error = |what: String, reason: &str| Error::Data {
            what,
            reason: reason.to_string(),
        };
        let geojson = geojson::GeoJson::from_reader(r)?;
        let geojson::GeoJson::FeatureCollection(fc) = geojson else {
            return Err(data_error(
                "GeoJSON".to_string(),
                "expected a FeatureCollection",
            ));
        };
        let mut out = Vec::with_capacity(fc.features.len());
        for (i, feature) in fc.features.into_iter().enumerate() {
            let what = |field: &str| format!("feature {i}, field '{field}'");
            let text = |field: &str| -> Option<String> {
                feature
                    .property(field)
                    .and_then(|v| v.as_str())
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            };
            let name = text(name_field)
                .ok_or_else(|| data_error(what(name_field), "missing, empty or not a string"))?;
            let code = text("code").unwrap_or_else(|| name.clone());
            let country = text("country").unwrap_or_default();
            let geometry = feature
                .geometry
                .clone()
                .ok_or_else(|| data_error(what("geometry"), "missing"))?;
            let geometry = geo::Geometry::<f64>::try_from(geometry)
                .map_err(|e| data_error(what("geometry"), &e.to_string()))?;
            let geometry = match geometry {
                geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
                geo::Geometry::MultiPolygon(mp) => mp,
                _ => {
                    return Err(data_error(
                        what("geometry"),
                        "expected a Polygon or MultiPolygon",
                    ));
                }
            };
            let label = geometry
                .interior_point()
                .ok_or_else(|| data_error(what("geometry"), "empty polygon"))?;
            out.push(Region {
                code,
                pcode: None,
                name,
                name_ar: None,
                alt_names: Vec::new(),
                level: Level::Custom,
                country,
                parent: None,
                label: (label.y(), label.x()),
                geometry,
            });
        }
        Ok(out)
    }
}

fn code_and_name(e: Entry) -> (String, String) {
    (e.code().to_string(), e.name().to_string())
}

/// A region's names: its own, Arabic, and alternates.
fn names_of(r: &Region) -> impl Iterator<Item = &String> {
    std::iter::once(&r.name)
        .chain(r.name_ar.iter())
        .chain(r.alt_names.iter())
}

/// A name as spelt, case and punctuation aside: unlike `normalize_name` it
/// keeps articles and letters, so "Al Bab" and "Bab" differ.
fn literal_key(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A region name as datasets write it, without its unit word: "Homs
/// Governorate" asks for an admin1 region; "Ar Rastan district",
/// "Mintaqat Azaz" and "Markaz Daraa" (the central district) for a district.
struct Label {
    name: String,
    level: Option<Level>,
}

impl Label {
    fn parse(query: &str) -> Label {
        const ADMIN1_WORDS: &[&str] = &[
            "governorate",
            "governorat",
            "province",
            "muhafazat",
            "mohafaza",
        ];
        const DISTRICT_WORDS: &[&str] = &["district", "mantiqa", "mantiqat", "mintaqa", "mintaqat"];
        const DISTRICT_PREFIXES: &[&str] = &["mintaqat", "mantiqat", "markaz"];
        let mut words: Vec<&str> = query.split_whitespace().collect();
        let mut level = None;
        let is = |w: &str, set: &[&str]| set.iter().any(|s| w.eq_ignore_ascii_case(s));
        if let [_, .., last] = words[..] {
            if is(last, ADMIN1_WORDS) {
                level = Some(Level::Admin1);
                words.pop();
            } else if is(last, DISTRICT_WORDS) {
                level = Some(Level::Admin2);
                words.pop();
            }
        }
        while words.len() > 1 && is(words[0], DISTRICT_PREFIXES) {
            level = Some(Level::Admin2);
            words.remove(0);
        }
        Label {
            name: words.join(" "),
            level,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    static ALIASES: &str = include_str!("../../data/region_aliases.tsv");

    pub(crate) fn bundled() -> &'static Regions {
        static REGIONS: OnceLock<Regions> = OnceLock::new();
        REGIONS.get_or_init(|| Regions::bundled().expect("bundled regions load"))
    }

    /// The regions as the data file decodes them, with the alias table's
    /// names, indexed at run time by `Regions::new` (as every region was
    /// before the index was built at build time): the regions read in
    /// place must be these and answer as these do.
    fn decoded() -> &'static Regions {
        static REGIONS: OnceLock<Regions> = OnceLock::new();
        REGIONS.get_or_init(|| {
            let gz = include_bytes!("../../data/regions.bin.gz");
            let mut regions = crate::geo::encoding::decode_regions(gz).expect("decode");
            for line in ALIASES
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            {
                let (code, name) = line.split_once('\t').expect("CODE<TAB>NAME");
                let r = regions.iter_mut().find(|r| r.code == code).expect(code);
                if !r.alt_names.iter().any(|n| n == name) {
                    r.alt_names.push(name.to_string());
                }
            }
            Regions::new(regions)
        })
    }

    type Fields<'a> = (
        &'a str,
        Option<&'a str>,
        &'a str,
        Option<&'a str>,
        &'a [String],
        Level,
        &'a str,
        Option<&'a str>,
        (f64, f64),
        &'a MultiPolygon<f64>,
    );

    fn fields(r: &Region) -> Fields<'_> {
        (
            &r.code,
            r.pcode.as_deref(),
            &r.name,
            r.name_ar.as_deref(),
            &r.alt_names,
            r.level,
            &r.country,
            r.parent.as_deref(),
            r.label,
            &r.geometry,
        )
    }

    #[test]
    fn regions_read_in_place_are_the_decoded_data_file() {
        let (read, want) = (bundled(), decoded());
        let names = Regions::bundled_names().expect("names");
        assert_eq!(read.ids(), want.ids());
        for id in want.ids() {
            assert_eq!(fields(read.region(id)), fields(want.region(id)), "{id}");
            let mut names_only = fields(names.region(id));
            let empty = MultiPolygon(Vec::new());
            names_only.9 = &empty;
            let mut without_geometry = fields(want.region(id));
            without_geometry.9 = &empty;
            assert_eq!(names_only, without_geometry, "{id}");
        }
    }

    /// Key -> ids of a key table, or of the keys computed here.
    type KeyIds = BTreeMap<String, Vec<u32>>;

    fn table(t: crate::geo::name_index::KeyTable) -> KeyIds {
        t.iter()
            .map(|(k, ids)| (k.to_string(), ids.collect()))
            .collect()
    }

    #[test]
    fn precomputed_name_keys_are_the_normalisers() {
        let Some(b) = &bundled().bundled else {
            panic!("bundled regions are read in place");
        };
        let (mut names, mut skeletons, mut codes) = (KeyIds::new(), KeyIds::new(), KeyIds::new());
        let add = |map: &mut KeyIds, key: String, id: u32| {
            let ids = map.entry(key).or_default();
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        };
        let mut count = 0;
        for id in decoded().ids() {
            let r = decoded().region(id);
            for name in names_of(r).chain([&r.code]).chain(&r.pcode) {
                count += 1;
                let key = normalize_name(name);
                if key.is_empty() {
                    continue;
                }
                if let Some(skeleton) = skeleton_key(&key) {
                    add(&mut skeletons, skeleton, id);
                }
                add(&mut names, key, id);
            }
            let names = names_of(r).chain([&r.code]).chain(&r.pcode);
            let keys = region_keys(names.map(String::as_str), r.level);
            for code in keys.codes {
                add(&mut codes, code, id);
            }
        }
        assert!(count > 23_000, "{count} names and codes");
        assert_eq!(table(b.data.keys.names), names);
        assert_eq!(table(b.data.keys.skeletons), skeletons);
        assert_eq!(table(b.data.keys.codes), codes);
        assert!(codes.contains_key("SY-DR") && codes.contains_key("SY1202"));
    }

    #[test]
    fn regions_read_in_place_resolve_as_decoded() {
        let r = decoded();
        let mut queries: Vec<String> = Vec::new();
        for id in r.ids() {
            let region = r.region(id);
            let near = ["SY", "IQ"].contains(&region.country.as_str());
            if !near && id % 5 != 0 {
                continue;
            }
            for name in names_of(region).chain([&region.code]).chain(&region.pcode) {
                queries.push(name.clone());
                if near {
                    // Label forms, and a misspelling that only the
                    // skeletons or the suggestions find.
                    queries.push(format!("{name} district"));
                    queries.push(format!("Markaz {name} governorate"));
                    let mut chars: Vec<char> = name.chars().collect();
                    chars.remove(chars.len() / 2);
                    queries.push(chars.into_iter().collect());
                }
            }
        }
        let answer = |regions: &Regions, q: &str, countries: &[&str]| match regions
            .resolve_in(q, countries)
        {
            Ok(found) => Ok(std::iter::once(found.region)
                .chain(found.also)
                .map(|r| r.code.clone())
                .collect::<Vec<_>>()),
            Err(e) => Err(e.to_string()),
        };
        let names = Regions::bundled_names().expect("names");
        let mut unknown = 0;
        for (i, q) in queries.iter().enumerate() {
            let countries: &[&str] = if i % 2 == 0 { &[] } else { &["SY"] };
            let want = answer(r, q, countries);
            unknown += usize::from(want.is_err());
            assert_eq!(answer(&names, q, countries), want, "{q}");
        }
        assert!(
            queries.len() > 5_000 && unknown > 100,
            "{} {unknown}",
            queries.len()
        );
    }

    /// Points world-wide, in Syria and Iraq, and on and around the
    /// vertices of their borders, from a fixed xorshift.
    fn sample_points() -> Vec<(f64, f64)> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut points = Vec::new();
        for _ in 0..30_000 {
            points.push((-90.0 + 180.0 * next(), -180.0 + 360.0 * next()));
        }
        for _ in 0..30_000 {
            points.push((29.0 + 8.4 * next(), 35.6 + 13.0 * next()));
        }
        let r = decoded();
        for region in r.list(Some("SY")).into_iter().chain(r.list(Some("JO"))) {
            for c in region
                .geometry
                .0
                .iter()
                .flat_map(|p| &p.exterior().0)
                .step_by(5)
            {
                points.push((c.y, c.x));
                let (dy, dx) = (0.1 * (next() - 0.5), 0.1 * (next() - 0.5));
                points.push((c.y + dy, c.x + dx));
            }
        }
        points
    }

    #[test]
    fn point_location_without_bulk_indexes_answers_as_with_them() {
        // Pinned: one set never builds the R-tree and grids, one builds
        // them at once; the regions indexed at run time are a third answer.
        let scanned = Regions {
            bulk_after: u32::MAX,
            ..Regions::bundled().expect("bundled")
        };
        let bulk = Regions {
            bulk_after: 0,
            ..Regions::bundled().expect("bundled")
        };
        let points = sample_points();
        assert!(points.len() > 70_000, "{}", points.len());
        let (mut inside, mut nearest, mut held) = (0, 0, 0);
        for (i, &(lat, lon)) in points.iter().enumerate() {
            let want = decoded().assign(lat, lon);
            assert_eq!(scanned.assign(lat, lon), want, "{lat},{lon}");
            assert_eq!(bulk.assign(lat, lon), want, "{lat},{lon}");
            inside += usize::from(want.admin1.is_some() && want.nearest.is_none());
            nearest += usize::from(want.nearest.is_some());
            if i % 10 == 0 {
                let want = decoded().assign_in(lat, lon, Some("SY"));
                assert_eq!(scanned.assign_in(lat, lon, Some("SY")), want, "{lat},{lon}");
                assert_eq!(bulk.assign_in(lat, lon, Some("SY")), want, "{lat},{lon}");
                held += usize::from(want.is_ok_and(|a| a.held_km.is_some()));
            }
        }
        assert!(
            inside > 40_000 && nearest > 500 && held > 50,
            "{inside} {nearest} {held}"
        );
        for level in [Level::Admin1, Level::Admin2] {
            assert!(!scanned.admin_layer(level).has_bulk());
            assert!(bulk.admin_layer(level).has_bulk());
        }
    }

    fn admin1(lat: f64, lon: f64) -> Option<String> {
        bundled().assign(lat, lon).admin1.map(|(c, _)| c)
    }

    #[test]
    fn resolve_accepts_names_codes_and_arabic() {
        for q in ["Daraa", "SY-DR", "sy-dr", "درعا", "Dar'a", "Deraa", "SY12"] {
            let r = bundled().resolve(q).expect(q);
            assert_eq!(r.region.code, "SY-DR", "{q}");
        }
        // The governorate wins over its central district of the same name.
        let daraa = bundled().resolve("Dar'a").expect("Dar'a");
        assert!(daraa.also.iter().any(|r| r.code == "SY1200"));
        assert_eq!(
            bundled().resolve("IQ-TS").expect("alias").region.code,
            "IQ-KI"
        );
        assert_eq!(
            bundled().resolve("Ninawa").expect("Ninawa").region.code,
            "IQ-NI"
        );
        assert_eq!(
            bundled().resolve("Saladin").expect("Saladin").region.code,
            "IQ-SD"
        );
        assert_eq!(
            bundled()
                .resolve("As-Sanamayn")
                .expect("district")
                .region
                .code,
            "SY1202"
        );
    }

    #[test]
    fn names_only_resolve_like_the_full_regions() {
        let names = Regions::bundled_names().expect("names");
        assert_eq!(names.list(None).len(), bundled().list(None).len());
        for q in ["Daraa", "SY1202", "Ninawa", "Homs", "درعا"] {
            assert_eq!(
                names.resolve(q).expect(q).region.code,
                bundled().resolve(q).expect(q).region.code
            );
        }
        assert_eq!(names.assign(32.62, 36.10).admin1, None);
    }

    #[test]
    fn own_names_beat_alternate_names() {
        let r = bundled().resolve("Homs").expect("Homs");
        assert_eq!(r.region.code, "SY-HI");
        assert!(r.also.iter().any(|o| o.country == "LY"));
    }

    #[test]
    fn skeleton_matches_must_also_be_close_spellings() {
        assert_eq!(
            bundled().resolve("Sanamein").expect("variant").region.code,
            "SY1202"
        );
        assert!(matches!(
            bundled().resolve("Narnia"),
            Err(Error::UnknownRegion { .. })
        ));
    }

    #[test]
    fn unknown_region_lists_suggestions() {
        match bundled().resolve("Darraaa governate") {
            Err(Error::UnknownRegion { suggestions, .. }) => {
                assert!(!suggestions.is_empty() && suggestions.len() <= SUGGESTIONS);
            }
            other => panic!("expected UnknownRegion, got {other:?}"),
        }
        match bundled().resolve("Daraq") {
            Err(Error::UnknownRegion { suggestions, .. }) => {
                assert!(
                    suggestions.iter().any(|s| s.contains("SY-DR")),
                    "{suggestions:?}"
                );
            }
            other => panic!("expected UnknownRegion, got {other:?}"),
        }
    }

    #[test]
    fn shared_border_vertex_goes_to_the_smallest_code() {
        let regions = bundled();
        let (dr, su) = (
            regions.get("SY-DR").expect("SY-DR"),
            regions.get("SY-SU").expect("SY-SU"),
        );
        let su_coords: std::collections::HashSet<(u64, u64)> = su
            .geometry
            .0
            .iter()
            .flat_map(|p| p.exterior().0.iter())
            .map(|c| (c.x.to_bits(), c.y.to_bits()))
            .collect();
        let shared = dr
            .geometry
            .0
            .iter()
            .flat_map(|p| p.exterior().0.iter())
            .find(|c| su_coords.contains(&(c.x.to_bits(), c.y.to_bits())))
            .expect("SY-DR and SY-SU share a vertex");
        let a = regions.assign(shared.y, shared.x);
        assert_eq!(a.admin1.map(|(c, _)| c).as_deref(), Some("SY-DR"));
        assert_eq!(a.nearest, None);
    }

    #[test]
    fn water_points_fall_back_to_the_nearest_region() {
        // About 2 km off the coast at Tartus.
        let a = bundled().assign(34.889, 35.85);
        assert_eq!(a.admin1.map(|(c, _)| c).as_deref(), Some("SY-TA"));
        assert!(
            a.nearest.is_some_and(|km| km > 0.0 && km < 6.0),
            "{:?}",
            a.nearest
        );
        // Mid-Atlantic: nothing within the tolerance.
        assert_eq!(bundled().assign(0.0, -30.0), Assignment::default());
    }

    #[test]
    fn seed_points_and_districts() {
        assert_eq!(admin1(32.61889, 36.10213).as_deref(), Some("SY-DR"));
        assert_eq!(admin1(32.70896, 36.56951).as_deref(), Some("SY-SU"));
        assert_eq!(admin1(33.34058, 44.40088).as_deref(), Some("IQ-BG"));
        let a = bundled().assign(33.07186, 36.18316);
        assert_eq!(a.admin2.map(|(c, _)| c).as_deref(), Some("SY1202"));
        assert_eq!(a.country.as_deref(), Some("SY"));
        assert_eq!(admin1(48.8566, 2.3522).as_deref(), Some("FR-75"));
    }

    #[test]
    fn simplified_regions_match_full_resolution_at_checkpoints() {
        let text = include_str!("../../data/border_checkpoints.tsv");
        let (mut checked, mut wrong) = (0, Vec::new());
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            let (lat, lon): (f64, f64) = (f[0].parse().expect("lat"), f[1].parse().expect("lon"));
            let a = bundled().assign(lat, lon);
            let got = [
                a.country.unwrap_or_default(),
                a.admin1.map(|(c, _)| c).unwrap_or_default(),
                a.admin2.map(|(c, _)| c).unwrap_or_default(),
            ];
            if got != [f[2], f[3], f[4]] {
                wrong.push(format!("{line} -> {got:?}"));
            }
            checked += 1;
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        assert!(checked > 100, "{checked} checkpoints");
    }

    #[test]
    fn un_boundaries_win_where_sources_overlap() {
        // 10.5 km inside OCHA's Quneitra district, inside Natural Earth's
        // Israel too: the occupied Golan is Quneitra governorate.
        let golan = bundled().assign(33.03333, 35.78333);
        assert_eq!(golan.country.as_deref(), Some("SY"));
        assert_eq!(golan.admin1.map(|(c, _)| c).as_deref(), Some("SY-QU"));
        assert_eq!(golan.admin2.map(|(c, _)| c).as_deref(), Some("SY1400"));
        // Inside OCHA's Rural Damascus and Natural Earth's Mafraq (Jordan).
        for (lat, lon) in [(32.858632, 37.819238), (32.690407, 37.498709)] {
            assert_eq!(admin1(lat, lon).as_deref(), Some("SY-RD"), "{lat},{lon}");
        }
        // Israel stated for the Golan: refused, the UN boundary decides.
        let err = bundled()
            .assign_in(33.03333, 35.78333, Some("IL"))
            .expect_err("the Golan is not Israel's");
        assert_eq!(err.found.as_deref(), Some("SY"));
    }

    /// Ground distance (km) from a point to a country's admin1 polygons, by
    /// brute force over every vertex and edge in a plane scaled to the
    /// point's latitude: an independent check of `assign_in`'s distances.
    fn km_to_country(lat: f64, lon: f64, country: &str) -> f64 {
        use geo::{Closest, ClosestPoint, MapCoords};
        let k = lat.to_radians().cos();
        let p = geo::Point::new(lon * k, lat);
        bundled()
            .list(Some(country))
            .into_iter()
            .filter(|r| r.level == Level::Admin1)
            .filter_map(|r| {
                let scaled = r.geometry.map_coords(|c| geo::Coord { x: c.x * k, y: c.y });
                let boundary = geo::MultiLineString(
                    scaled
                        .0
                        .iter()
                        .flat_map(|poly| {
                            std::iter::once(poly.exterior().clone())
                                .chain(poly.interiors().iter().cloned())
                        })
                        .collect(),
                );
                match boundary.closest_point(&p) {
                    Closest::Intersection(c) | Closest::SinglePoint(c) => Some(
                        super::super::index::haversine_km(lon, lat, c.x() / k, c.y()),
                    ),
                    Closest::Indeterminate => None,
                }
            })
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    fn stated_country_holds_within_hold_km_across_syrian_borders() {
        let regions = bundled();
        // (what, south, west, north, east): boxes straddling the line.
        let lines = [
            ("Syria-Jordan", 32.25, 35.95, 32.85, 36.95),
            ("Syria-Turkey", 36.45, 37.0, 37.15, 38.5),
            ("Golan", 32.65, 35.45, 33.35, 35.95),
        ];
        let step = 0.04;
        let (mut held, mut refused, mut inside) = (0, 0, 0);
        for (what, s, w, n, e) in lines {
            let mut lat = s;
            while lat <= n {
                let mut lon = w;
                while lon <= e {
                    let here = regions.assign(lat, lon);
                    let got = regions.assign_in(lat, lon, Some("SY"));
                    if here.country.as_deref() == Some("SY") {
                        assert_eq!(got, Ok(here), "{what} {lat},{lon}");
                        inside += 1;
                    } else {
                        let km = km_to_country(lat, lon, "SY");
                        // Near HOLD_KM the two measures may round either way.
                        if (km - HOLD_KM).abs() > 0.5 {
                            match got {
                                Ok(a) => {
                                    assert!(km < HOLD_KM, "{what} {lat},{lon}: held at {km} km");
                                    let held_km = a.held_km.expect("held");
                                    assert!(
                                        (held_km - km).abs() < 0.5,
                                        "{what} {lat},{lon}: {held_km} vs {km}"
                                    );
                                    assert_eq!(a.country.as_deref(), Some("SY"));
                                    let (a1, _) = a.admin1.expect("admin1");
                                    let (a2, _) =
                                        a.admin2.expect("a district where districts exist");
                                    assert_eq!(
                                        regions.get(&a2).and_then(|d| d.parent.clone()),
                                        Some(a1),
                                        "{what} {lat},{lon}"
                                    );
                                    held += 1;
                                }
                                Err(out) => {
                                    assert!(km > HOLD_KM, "{what} {lat},{lon}: refused at {km} km");
                                    assert_eq!(out.country, "SY");
                                    assert_eq!(out.found, here.country);
                                    assert!(!out.swapped);
                                    refused += 1;
                                }
                            }
                        }
                    }
                    lon += step;
                }
                lat += step;
            }
        }
        assert!(
            held > 50 && refused > 50 && inside > 50,
            "{held} {refused} {inside}"
        );
    }

    #[test]
    fn swapped_coordinates_are_detected() {
        // Damascus as (lon, lat) lies in Turkey.
        let err = bundled()
            .assign_in(36.2765, 33.5138, Some("Syria"))
            .expect_err("far outside Syria");
        assert!(err.swapped, "{err:?}");
        assert_eq!(err.country, "SY");
        assert!(err.distance_km.is_none_or(|km| km > HOLD_KM));
    }

    #[test]
    fn unknown_or_missing_country_assigns_as_usual() {
        let (lat, lon) = (32.61889, 36.10213);
        let plain = bundled().assign(lat, lon);
        assert_eq!(bundled().assign_in(lat, lon, None), Ok(plain.clone()));
        assert_eq!(
            bundled().assign_in(lat, lon, Some("Narnia")),
            Ok(plain.clone())
        );
        assert_eq!(bundled().assign_in(lat, lon, Some("760")), Ok(plain));
    }

    #[test]
    fn names_resolve_within_preferred_countries() {
        for q in ["Al Bab", "Al-Bab", "al bab"] {
            assert_eq!(bundled().resolve(q).expect(q).region.code, "SY0202", "{q}");
        }
        let r = bundled().resolve_in("Bab", &["SY"]).expect("Bab");
        assert_eq!(r.region.code, "SY0202");
        assert!(r.also.iter().any(|o| o.country == "AZ"));
        for (q, want) in [
            ("Albu Kamal", "SY0902"),
            ("Al Bukamal", "SY0902"),
            ("Ma'arrat an Nu'man", "SY0702"),
            ("Homs Governorate", "SY-HI"),
            ("Homs district", "SY0401"),
            ("Markaz Daraa district", "SY1200"),
            ("Mintaqat Markaz Hamah district", "SY0501"),
            ("Markaz Rif Dimashq district", "SY0301"),
            ("Jabal Saman district", "SY0200"),
            ("Latakia district", "SY0600"),
        ] {
            assert_eq!(
                bundled().resolve_in(q, &["SY"]).expect(q).region.code,
                want,
                "{q}"
            );
        }
    }

    #[test]
    fn dataset_labels_lose_their_unit_word() {
        let parse = |q: &str| {
            let l = Label::parse(q);
            (l.name, l.level)
        };
        assert_eq!(
            parse("Homs Governorate"),
            ("Homs".into(), Some(Level::Admin1))
        );
        assert_eq!(
            parse("Ar Rastan district"),
            ("Ar Rastan".into(), Some(Level::Admin2))
        );
        assert_eq!(
            parse("Mintaqat Markaz Homs district"),
            ("Homs".into(), Some(Level::Admin2))
        );
        assert_eq!(parse("District"), ("District".into(), None));
        assert_eq!(parse("Daraa"), ("Daraa".into(), None));
    }

    #[test]
    fn every_alias_names_a_bundled_region() {
        let names = Regions::bundled_names().expect("names");
        for line in ALIASES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (code, name) = line.split_once('\t').expect("CODE<TAB>NAME");
            assert!(names.get(code).is_some(), "{line}");
            assert_eq!(
                names.resolve_in(name, &["SY"]).expect(name).region.code,
                code,
                "{line}"
            );
        }
    }

    #[test]
    fn custom_regions_join_the_bundled_ones() {
        let mut regions = Regions::bundled().expect("bundled");
        regions.add_custom(square("Daraa", 36.0));
        let daraa = regions.resolve("Daraa").expect("Daraa");
        assert_eq!(daraa.region.code, "SY-DR");
        assert!(daraa.also.iter().any(|r| r.level == Level::Custom));
        assert_eq!(regions.get("Daraa").map(|r| r.level), Some(Level::Custom));
        assert_eq!(regions.get("SY-DR").map(|r| r.level), Some(Level::Admin1));
        assert_eq!(regions.custom_containing(0.5, 36.5), vec!["Daraa"]);
        // Replaced in place: the old square no longer holds the point.
        regions.add_custom(square("Daraa", 40.0));
        assert!(regions.custom_containing(0.5, 36.5).is_empty());
        assert_eq!(regions.custom_containing(0.5, 40.5), vec!["Daraa"]);
        regions.add_custom(square("Second", 50.0));
        assert_eq!(
            regions.resolve("second").expect("custom").region.code,
            "Second"
        );
        assert_eq!(regions.list(None).len(), decoded().list(None).len() + 2);
    }

    fn square(code: &str, x0: f64) -> Region {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"name":"{code}"}},
            "geometry":{{"type":"Polygon","coordinates":[[[{x0},0],[{x1},0],[{x1},1],[{x0},1],[{x0},0]]]}}}}]}}"#,
            x1 = x0 + 1.0
        );
        Regions::read_geojson_regions(text.as_bytes(), "name")
            .expect("square")
            .remove(0)
    }

    #[test]
    fn custom_regions_share_borders_once() {
        let mut regions = Regions::new(Vec::new());
        regions.add_custom(square("west", 0.0));
        regions.add_custom(square("east", 1.0));
        assert_eq!(regions.custom_containing(0.5, 0.5), vec!["west"]);
        assert_eq!(regions.custom_containing(0.5, 1.0), vec!["east"]);
        assert!(regions.custom_containing(0.5, 5.0).is_empty());
        assert_eq!(regions.resolve("West").expect("custom").region.code, "west");
        assert_eq!(regions.get("east").map(|r| r.level), Some(Level::Custom));
    }

    #[test]
    fn geojson_errors_name_feature_and_field() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"label":"x"},
            "geometry":{"type":"Point","coordinates":[1,2]}}]}"#;
        let err = Regions::read_geojson_regions(text.as_bytes(), "name").expect_err("no name");
        assert!(err.to_string().contains("feature 0, field 'name'"), "{err}");
        let err = Regions::read_geojson_regions(text.as_bytes(), "label").expect_err("point");
        assert!(
            err.to_string().contains("feature 0, field 'geometry'"),
            "{err}"
        );
    }
}
