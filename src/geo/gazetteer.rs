//! The gazetteer: place name -> ranked candidate places, from the bundled
//! GeoNames extract (with the Who's On First villages of Syria and Iraq)
//! plus places the user adds. Owns name matching and
//! ranking; region assignment of bundled places was done at build time
//! with `Regions`, so the two always agree.
//!
//! Ranking: an exact match of the normalised main name scores 1.0, of an
//! alternate name 0.96, of the consonant skeleton 0.8 times the normalised
//! Levenshtein similarity of the query to the place's closest name, a fuzzy
//! match (only when no exact or variant match was found) at most 0.5; a place's importance (feature
//! code: capital, admin seat, ...; population) adds up to 0.1, so among
//! equally good matches the bigger and more important place comes first.
//!
//! Each candidate also carries its [`MatchKind`]: only exact and variant
//! matches name the place asked for; fuzzy and loose skeleton matches are
//! suggestions (different names), ranked after them.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};

use flate2::read::GzDecoder;

use super::normalize::{is_variant, normalize_name, skeleton_key};
use super::regions::Regions;
use crate::Error;

/// Bundled places, one per line (see data/README.md).
static BUNDLED_PLACES: &[u8] = include_bytes!("../../data/gazetteer_places.tsv.gz");
/// Bundled name and skeleton keys, sorted, with the places they name.
static BUNDLED_INDEX: &[u8] = include_bytes!("../../data/gazetteer_index.tsv.gz");

const SCORE_MAIN: f64 = 1.0;
const SCORE_ALT: f64 = 0.96;
const SCORE_SKELETON: f64 = 0.8;
const SCORE_FUZZY: f64 = 0.5;
const IMPORTANCE_WEIGHT: f64 = 0.1;
/// Fuzzy matches below this Jaro-Winkler similarity are noise.
const FUZZY_MIN_SIMILARITY: f64 = 0.88;

#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// GeoNames id for gazetteer places; the caller's id for user places.
    pub id: i64,
    pub name: String,
    pub latitude: f64,
    pub longitude: f64,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Region code as assigned by `Regions::assign` (ISO 3166-2 mostly).
    pub admin1_code: Option<String>,
    pub admin1_name: Option<String>,
    /// GeoNames feature code: PPL, PPLA, PPLA2, PPLC, ...
    pub feature_code: String,
    pub population: u64,
    pub alt_names: Vec<String>,
}

impl Place {
    /// Sets the admin1 code and name from region assignment.
    pub fn assign_admin1(&mut self, regions: &Regions) {
        let a = regions.assign(self.latitude, self.longitude);
        (self.admin1_code, self.admin1_name) = match a.admin1 {
            Some((code, name)) => (Some(code), Some(name)),
            None => (None, None),
        };
    }

    /// Abandoned (PPLQ) or destroyed (PPLW): such a place never rivals an
    /// inhabited namesake.
    pub fn is_abandoned(&self) -> bool {
        matches!(self.feature_code.as_str(), "PPLQ" | "PPLW")
    }

    /// 0..=1: capitals and admin seats over plain places, then population.
    fn importance(&self) -> f64 {
        let feature = match self.feature_code.as_str() {
            "PPLC" => 1.0,
            "PPLA" => 0.8,
            "PPLA2" => 0.6,
            "PPLA3" | "PPLA4" | "PPLA5" | "PPLG" => 0.4,
            "PPL" => 0.2,
            _ => 0.1,
        };
        let population = ((self.population as f64 + 1.0).log10() / 7.0).min(1.0);
        0.5 * feature + 0.5 * population
    }
}

/// How a candidate's name relates to the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// The query's normalised form is the place's name or an alternate name.
    Exact,
    /// The same name in another transliteration (Deir/Dayr, Tel/Tall):
    /// see [`is_variant`].
    Variant,
    /// A different name that is spelled alike: never used as the place.
    Suggestion,
}

impl MatchKind {
    pub fn is_confident(self) -> bool {
        self != MatchKind::Suggestion
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::Variant => "variant",
            MatchKind::Suggestion => "suggestion",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub place: &'a Place,
    pub score: f64,
    pub kind: MatchKind,
    /// Edits (Levenshtein, on normalised names) from the query to the
    /// place's closest name: its distance in spelling.
    pub edits: usize,
}

/// Keys sorted as in the bundled index; ids are `place * 2 + is_main_name`.
#[derive(Debug, Default)]
struct SortedKeys {
    keys: Vec<(u32, u32)>,
    start: Vec<u32>,
    ids: Vec<u32>,
}

impl SortedKeys {
    fn key<'t>(&self, text: &'t str, i: usize) -> &'t str {
        let (s, e) = self.keys[i];
        &text[s as usize..e as usize]
    }

    fn ids_of(&self, i: usize) -> &[u32] {
        &self.ids[self.start[i] as usize..self.start[i + 1] as usize]
    }

    fn get(&self, text: &str, key: &str) -> &[u32] {
        match self.position(text, key) {
            Ok(i) => self.ids_of(i),
            Err(_) => &[],
        }
    }

    fn position(&self, text: &str, key: &str) -> Result<usize, usize> {
        let mut lo = 0;
        let mut hi = self.keys.len();
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.key(text, mid).cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }
}

/// Each place's normalised names (main and alternate), in place order, so
/// that ranking a skeleton match compares stored keys instead of
/// normalising the place's names again, and reads them from one short
/// stretch of memory. Bundled places' keys come from inverting the name
/// index at load.
#[derive(Debug)]
struct PlaceKeys {
    /// Every key followed by a newline (keys never contain one).
    text: String,
    /// Place `i`'s keys are `text[start[i]..start[i + 1]]`.
    start: Vec<u32>,
}

impl Default for PlaceKeys {
    fn default() -> PlaceKeys {
        PlaceKeys {
            text: String::new(),
            start: vec![0],
        }
    }
}

impl PlaceKeys {
    fn invert(index_text: &str, names: &SortedKeys, n_places: usize) -> Result<PlaceKeys, Error> {
        let mut start = vec![0u32; n_places + 1];
        for k in 0..names.keys.len() {
            let len = names.key(index_text, k).len() as u32 + 1;
            for &f in names.ids_of(k) {
                start[f as usize / 2 + 1] += len;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut fill = start.clone();
        let mut bytes = vec![b'\n'; start[n_places] as usize];
        for k in 0..names.keys.len() {
            let key = names.key(index_text, k).as_bytes();
            for &f in names.ids_of(k) {
                let at = &mut fill[f as usize / 2];
                bytes[*at as usize..*at as usize + key.len()].copy_from_slice(key);
                *at += key.len() as u32 + 1;
            }
        }
        let text = String::from_utf8(bytes)
            .map_err(|_| bundled_error("gazetteer_index.tsv", 0, "keys are not UTF-8"))?;
        Ok(PlaceKeys { text, start })
    }

    fn push(&mut self, keys: &[String]) {
        for key in keys {
            self.text.push_str(key);
            self.text.push('\n');
        }
        self.start.push(self.text.len() as u32);
    }

    fn of(&self, place: usize) -> impl Iterator<Item = &str> {
        self.text[self.start[place] as usize..self.start[place + 1] as usize].split_terminator('\n')
    }
}

#[derive(Debug, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    /// The decompressed bundled index, which `names` and `skeletons` point into.
    index_text: String,
    names: SortedKeys,
    skeletons: SortedKeys,
    place_keys: PlaceKeys,
    /// `Place::importance` of each place, computed once.
    importance: Vec<f64>,
    extra_names: HashMap<String, Vec<u32>>,
    extra_skeletons: HashMap<String, Vec<u32>>,
}

impl Gazetteer {
    /// The bundled GeoNames extract, decompressed and indexed.
    pub fn bundled() -> Result<Gazetteer, Error> {
        let places = read_bundled_places(&gunzip(BUNDLED_PLACES)?)?;
        let index = gunzip(BUNDLED_INDEX)?;
        let (names, skeletons) = read_bundled_index(&index, places.len())?;
        let place_keys = PlaceKeys::invert(&index, &names, places.len())?;
        let importance = places.iter().map(Place::importance).collect();
        Ok(Gazetteer {
            places,
            index_text: index,
            names,
            skeletons,
            place_keys,
            importance,
            ..Gazetteer::default()
        })
    }

    /// An empty gazetteer, for user places only.
    pub fn new() -> Gazetteer {
        Gazetteer::default()
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Adds a place (a user place, or one from another gazetteer file).
    pub fn add_place(&mut self, place: Place) {
        let id = self.places.len() as u32;
        let main = normalize_name(&place.name);
        let mut keys = vec![(main.clone(), id * 2 + 1)];
        for alt in &place.alt_names {
            let key = normalize_name(alt);
            if !keys.iter().any(|(k, _)| *k == key) {
                keys.push((key, id * 2));
            }
        }
        let mut place_keys = Vec::with_capacity(keys.len());
        for (key, flagged) in keys {
            if key.is_empty() {
                continue;
            }
            if let Some(skeleton) = skeleton_key(&key) {
                self.extra_skeletons
                    .entry(skeleton)
                    .or_default()
                    .push(flagged);
            }
            self.extra_names
                .entry(key.clone())
                .or_default()
                .push(flagged);
            place_keys.push(key);
        }
        self.place_keys.push(&place_keys);
        self.importance.push(place.importance());
        self.places.push(place);
    }

    /// Places matching `query`: exact matches, then variants, then
    /// suggestions, each best first (see the module doc for the scores);
    /// `country` (ISO alpha-2, any case) keeps only that country's.
    pub fn search(&self, query: &str, country: Option<&str>, limit: usize) -> Vec<Candidate<'_>> {
        let key = normalize_name(query);
        if key.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut best: HashMap<u32, (f64, MatchKind)> = HashMap::new();
        let mut consider = |flagged: &[u32], main: f64, alt: f64| {
            for &f in flagged {
                let base = if f & 1 == 1 { main } else { alt };
                let slot = best.entry(f / 2).or_insert((0.0, MatchKind::Exact));
                slot.0 = slot.0.max(base);
            }
        };
        consider(
            self.names.get(&self.index_text, &key),
            SCORE_MAIN,
            SCORE_ALT,
        );
        if let Some(ids) = self.extra_names.get(&key) {
            consider(ids, SCORE_MAIN, SCORE_ALT);
        }
        let in_country = |p: &Place| country.is_none_or(|c| p.country.eq_ignore_ascii_case(c));
        let exact = best
            .keys()
            .filter(|&&i| in_country(&self.places[i as usize]))
            .count();
        // Skeleton matches always rank below exact ones: skip them when
        // exact matches already fill the answer.
        if exact < limit
            && let Some(skeleton) = skeleton_key(&key)
        {
            let bundled = self.skeletons.get(&self.index_text, &skeleton);
            let extra = self
                .extra_skeletons
                .get(&skeleton)
                .map_or(&[][..], Vec::as_slice);
            for &f in bundled.iter().chain(extra) {
                let place = f / 2;
                if best.contains_key(&place) {
                    continue;
                }
                let similarity = self.closest_similarity(&key, place);
                let kind = if self
                    .place_keys
                    .of(place as usize)
                    .any(|n| is_variant(&key, n))
                {
                    MatchKind::Variant
                } else {
                    MatchKind::Suggestion
                };
                best.insert(place, (SCORE_SKELETON * similarity, kind));
            }
        }
        let confident = |(&i, &(_, kind)): (&u32, &(f64, MatchKind))| {
            kind.is_confident() && in_country(&self.places[i as usize])
        };
        if !best.iter().any(confident) {
            self.fuzzy(&key, &mut best);
        }
        let mut ranked: Vec<(u32, f64, MatchKind)> = best
            .into_iter()
            .filter(|&(i, _)| in_country(&self.places[i as usize]))
            .map(|(i, (base, kind))| {
                (
                    i,
                    base + IMPORTANCE_WEIGHT * self.importance[i as usize],
                    kind,
                )
            })
            .collect();
        // Within a kind, inhabited places come before abandoned or
        // destroyed namesakes, then the better score.
        ranked.sort_by(|&(i, score_a, kind_a), &(j, score_b, kind_b)| {
            let (a, b) = (&self.places[i as usize], &self.places[j as usize]);
            kind_a
                .cmp(&kind_b)
                .then(a.is_abandoned().cmp(&b.is_abandoned()))
                .then(score_b.total_cmp(&score_a))
                .then(b.population.cmp(&a.population))
                .then(a.id.cmp(&b.id))
        });
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|(i, score, kind)| Candidate {
                place: &self.places[i as usize],
                score,
                kind,
                edits: self
                    .place_keys
                    .of(i as usize)
                    .map(|n| strsim::levenshtein(&key, n))
                    .min()
                    .unwrap_or(0),
            })
            .collect()
    }

    /// The normalised Levenshtein similarity of `key` (not empty) to the
    /// closest of the place's normalised names.
    fn closest_similarity(&self, key: &str, place: u32) -> f64 {
        let key_len = key.chars().count();
        let mut best = 0.0;
        let mut consider = |name: &str| {
            // The distance is at least the difference in length: skip names
            // whose length alone keeps them from beating the best so far.
            let len = name.chars().count();
            let bound = 1.0 - key_len.abs_diff(len) as f64 / key_len.max(len) as f64;
            if bound > best {
                best = f64::max(best, strsim::normalized_levenshtein(key, name));
            }
        };
        self.place_keys.of(place as usize).for_each(&mut consider);
        best
    }

    /// Jaro-Winkler over the keys that share the query's first letter.
    fn fuzzy(&self, key: &str, best: &mut HashMap<u32, (f64, MatchKind)>) {
        let Some(first) = key.chars().next() else {
            return;
        };
        let mut prefix = [0u8; 4];
        let prefix: &str = first.encode_utf8(&mut prefix);
        let start = self
            .names
            .position(&self.index_text, prefix)
            .unwrap_or_else(|i| i);
        let mut consider = |name: &str, ids: &[u32]| {
            let sim = strsim::jaro_winkler(key, name);
            if sim >= FUZZY_MIN_SIMILARITY {
                for &f in ids {
                    let slot = best.entry(f / 2).or_insert((0.0, MatchKind::Suggestion));
                    slot.0 = slot.0.max(SCORE_FUZZY * sim);
                }
            }
        };
        for i in start..self.names.keys.len() {
            let name = self.names.key(&self.index_text, i);
            if !name.starts_with(prefix) {
                break;
            }
            consider(name, self.names.ids_of(i));
        }
        for (name, ids) in &self.extra_names {
            if name.starts_with(prefix) {
                consider(name, ids);
            }
        }
    }

    /// Places in GeoNames' tab-separated format (the columns of cities500;
    /// at least the first 15). Admin1 is left empty: GeoNames' own admin1
    /// codes are not ISO codes; use [`Place::assign_admin1`].
    pub fn read_geonames<R: Read>(r: R) -> Result<Vec<Place>, Error> {
        let mut out = Vec::new();
        for (n, line) in BufReader::new(r).lines().enumerate() {
            let line = line?;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            out.push(parse_geonames_line(&line, n + 1)?);
        }
        Ok(out)
    }
}

fn parse_geonames_line(line: &str, line_no: usize) -> Result<Place, Error> {
    let fields: Vec<&str> = line.split('\t').collect();
    let error = |field: &str, reason: String| Error::Data {
        what: format!("GeoNames line {line_no}, field '{field}'"),
        reason,
    };
    if fields.len() < 15 {
        return Err(error(
            "columns",
            format!(
                "expected at least 15 tab-separated columns, found {}",
                fields.len()
            ),
        ));
    }
    let number = |i: usize, field: &str| -> Result<f64, Error> {
        fields[i]
            .trim()
            .parse::<f64>()
            .map_err(|_| error(field, format!("expected a number, found '{}'", fields[i])))
    };
    let id = fields[0].trim().parse::<i64>().map_err(|_| {
        error(
            "geonameid",
            format!("expected an integer, found '{}'", fields[0]),
        )
    })?;
    let name = fields[1].trim();
    if name.is_empty() {
        return Err(error("name", "empty".to_string()));
    }
    let latitude = number(4, "latitude")?;
    if !(-90.0..=90.0).contains(&latitude) {
        return Err(error("latitude", format!("{latitude} is outside -90..90")));
    }
    let longitude = number(5, "longitude")?;
    if !(-180.0..=180.0).contains(&longitude) {
        return Err(error(
            "longitude",
            format!("{longitude} is outside -180..180"),
        ));
    }
    let population = match fields[14].trim() {
        "" => 0,
        p => p.parse::<u64>().map_err(|_| {
            error(
                "population",
                format!("expected a whole number, found '{p}'"),
            )
        })?,
    };
    Ok(Place {
        id,
        name: name.to_string(),
        latitude,
        longitude,
        country: fields[8].trim().to_string(),
        admin1_code: None,
        admin1_name: None,
        feature_code: fields[7].trim().to_string(),
        population,
        alt_names: fields[3]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

fn gunzip(gz: &[u8]) -> Result<String, Error> {
    let mut text = String::new();
    GzDecoder::new(gz).read_to_string(&mut text)?;
    Ok(text)
}

fn bundled_error(file: &str, line: usize, reason: &str) -> Error {
    Error::Data {
        what: format!("bundled {file}, line {line}"),
        reason: reason.to_string(),
    }
}

/// Columns: id, name, lat, lon, country, feature code, population, admin1
/// code, alternate names (comma-separated); admin1 names come from the
/// `#admin1` lines (code, name) that precede the places.
fn read_bundled_places(text: &str) -> Result<Vec<Place>, Error> {
    let file = "gazetteer_places.tsv";
    let mut admin1: HashMap<&str, &str> = HashMap::new();
    let mut places = Vec::with_capacity(200_000);
    for (n, line) in text.lines().enumerate() {
        let bad = |reason: &str| bundled_error(file, n + 1, reason);
        if let Some(rest) = line.strip_prefix("#admin1\t") {
            let (code, name) = rest.split_once('\t').ok_or_else(|| bad("admin1 line"))?;
            admin1.insert(code, name);
            continue;
        }
        let mut f = line.split('\t');
        let mut next = || f.next().ok_or_else(|| bad("missing column"));
        let id = next()?.parse::<i64>().map_err(|_| bad("id"))?;
        let name = next()?.to_string();
        let latitude = next()?.parse::<f64>().map_err(|_| bad("latitude"))?;
        let longitude = next()?.parse::<f64>().map_err(|_| bad("longitude"))?;
        let country = next()?.to_string();
        let feature_code = next()?.to_string();
        let population = next()?.parse::<u64>().map_err(|_| bad("population"))?;
        let code = next()?;
        let alts = next()?;
        let (admin1_code, admin1_name) = if code.is_empty() {
            (None, None)
        } else {
            let name = admin1.get(code).ok_or_else(|| bad("unknown admin1 code"))?;
            (Some(code.to_string()), Some((*name).to_string()))
        };
        places.push(Place {
            id,
            name,
            latitude,
            longitude,
            country,
            admin1_code,
            admin1_name,
            feature_code,
            population,
            alt_names: if alts.is_empty() {
                Vec::new()
            } else {
                alts.split(',').map(str::to_string).collect()
            },
        });
    }
    Ok(places)
}

/// Two sections, `#names` then `#skeletons`, each of sorted lines
/// `key<TAB>id,id,...`.
fn read_bundled_index(text: &str, n_places: usize) -> Result<(SortedKeys, SortedKeys), Error> {
    let file = "gazetteer_index.tsv";
    let split = text
        .find("#skeletons\n")
        .ok_or_else(|| bundled_error(file, 0, "no #skeletons section"))?;
    let names_start = "#names\n".len();
    if !text.starts_with("#names\n") {
        return Err(bundled_error(file, 1, "no #names section"));
    }
    let parse = |range: std::ops::Range<usize>, first_line: usize| -> Result<SortedKeys, Error> {
        let mut keys = Vec::new();
        let mut start = vec![0u32];
        let mut ids = Vec::new();
        let mut pos = range.start;
        for (n, line) in text[range.clone()].lines().enumerate() {
            let bad = |reason: &str| bundled_error(file, first_line + n, reason);
            let (key, list) = line.split_once('\t').ok_or_else(|| bad("no tab"))?;
            keys.push((pos as u32, (pos + key.len()) as u32));
            for id in list.split(',') {
                let id = id.parse::<u32>().map_err(|_| bad("place id"))?;
                if id as usize / 2 >= n_places {
                    return Err(bad("place id out of range"));
                }
                ids.push(id);
            }
            start.push(ids.len() as u32);
            pos += line.len() + 1;
        }
        Ok(SortedKeys { keys, start, ids })
    };
    let names_lines = text[..split].lines().count();
    let names = parse(names_start..split, 2)?;
    let skeletons = parse(split + "#skeletons\n".len()..text.len(), names_lines + 2)?;
    Ok((names, skeletons))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn bundled() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| Gazetteer::bundled().expect("bundled gazetteer loads"))
    }

    fn regions() -> &'static Regions {
        static REGIONS: OnceLock<Regions> = OnceLock::new();
        REGIONS.get_or_init(|| Regions::bundled().expect("bundled regions load"))
    }

    fn geocodes_to(queries: &[&str], region: &str) {
        for q in queries {
            for country in [None, Some("SY"), Some("IQ")] {
                let Some(best) = bundled().search(q, country, 3).into_iter().next() else {
                    assert!(country.is_some(), "no candidate for {q}");
                    continue;
                };
                if country.is_some_and(|c| !region.starts_with(c)) {
                    continue;
                }
                let p = best.place;
                let got = regions()
                    .assign(p.latitude, p.longitude)
                    .admin1
                    .map(|(c, _)| c);
                assert_eq!(got.as_deref(), Some(region), "{q} -> {} ({})", p.name, p.id);
                assert_eq!(
                    p.admin1_code.as_deref(),
                    Some(region),
                    "stored admin1 of {}",
                    p.name
                );
            }
        }
    }

    #[test]
    fn seed_places_geocode_to_their_governorates() {
        geocodes_to(&["Al-Masmiyah", "Mismiyah", "Mesmiye", "المسمية"], "SY-DR");
        geocodes_to(&["Al-Sanamayn", "Sanamein", "الصنمين"], "SY-DR");
        geocodes_to(&["Busra al-Sham", "Bosra", "بصرى الشام"], "SY-DR");
        geocodes_to(&["Daraa", "Dar'a", "Deraa", "درعا"], "SY-DR");
        geocodes_to(&["As-Suwayda", "السويداء"], "SY-SU");
        geocodes_to(&["Baghdad", "بغداد"], "IQ-BG");
        geocodes_to(&["Mosul", "الموصل"], "IQ-NI");
        geocodes_to(&["Ramadi", "الرمادي"], "IQ-AN");
        geocodes_to(&["Tikrit", "تكريت"], "IQ-SD");
    }

    #[test]
    fn ranking_prefers_exact_then_importance() {
        let found = bundled().search("Damascus", None, 5);
        assert_eq!(
            found.first().map(|c| c.place.feature_code.as_str()),
            Some("PPLC")
        );
        assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
        let sy = bundled().search("Tell", Some("sy"), 10);
        assert!(sy.iter().all(|c| c.place.country == "SY"));
        // A misspelling no key matches still finds the place by fuzzy match.
        let fuzzy = bundled().search("Baghdadd", Some("IQ"), 1);
        assert_eq!(fuzzy.first().map(|c| c.place.id), Some(98182));
    }

    #[test]
    fn stored_keys_equal_the_normaliser() {
        let g = bundled();
        for (i, p) in g.places().iter().enumerate().step_by(997) {
            let ids = g.names.get(&g.index_text, &normalize_name(&p.name));
            assert!(ids.contains(&(i as u32 * 2 + 1)), "main key of {}", p.name);
            for alt in &p.alt_names {
                let key = normalize_name(alt);
                let ids = g.names.get(&g.index_text, &key);
                assert!(
                    ids.iter().any(|f| f / 2 == i as u32),
                    "alt key '{key}' of {}",
                    p.name
                );
                if let Some(s) = skeleton_key(&key) {
                    let ids = g.skeletons.get(&g.index_text, &s);
                    assert!(
                        ids.iter().any(|f| f / 2 == i as u32),
                        "skeleton '{s}' of {}",
                        p.name
                    );
                }
            }
        }
    }

    #[test]
    fn place_keys_are_the_places_normalised_names() {
        let g = bundled();
        for (i, p) in g.places().iter().enumerate().step_by(499) {
            let mut want: Vec<String> = std::iter::once(&p.name)
                .chain(&p.alt_names)
                .map(|n| normalize_name(n))
                .filter(|k| !k.is_empty())
                .collect();
            want.sort();
            want.dedup();
            let mut got: Vec<&str> = g.place_keys.of(i).collect();
            got.sort_unstable();
            assert_eq!(got, want, "keys of {}", p.name);
        }
    }

    #[test]
    fn user_places_are_searchable() {
        let mut g = Gazetteer::new();
        g.add_place(Place {
            id: -1,
            name: "Tell al-Hara".to_string(),
            latitude: 33.0,
            longitude: 36.0,
            country: "SY".to_string(),
            admin1_code: None,
            admin1_name: None,
            feature_code: "PPL".to_string(),
            population: 0,
            alt_names: vec!["تل الحارة".to_string()],
        });
        let loose = g.search("Tal Hara", None, 1);
        assert!(
            loose[0].place.id == -1 && loose[0].score < SCORE_ALT,
            "skeleton match"
        );
        assert_eq!(g.search("tell el hara", None, 1)[0].place.id, -1);
        assert_eq!(g.search("تل الحاره", None, 1)[0].place.id, -1);
    }

    fn kind_of(g: &Gazetteer, query: &str, id: i64) -> Option<MatchKind> {
        g.search(query, None, 10)
            .into_iter()
            .find(|c| c.place.id == id)
            .map(|c| c.kind)
    }

    #[test]
    fn matches_are_classified_exact_variant_or_suggestion() {
        let mut g = Gazetteer::new();
        for (id, name, alts) in [
            (-1, "Dayr Hafir", &["دير حافر"][..]),
            (-2, "Hama", &[][..]),
            (-3, "Kafr Nasij", &[][..]),
        ] {
            g.add_place(Place {
                id,
                name: name.to_string(),
                latitude: 36.0,
                longitude: 37.0,
                country: "SY".to_string(),
                admin1_code: None,
                admin1_name: None,
                feature_code: "PPL".to_string(),
                population: 0,
                alt_names: alts.iter().map(|a| a.to_string()).collect(),
            });
        }
        assert_eq!(kind_of(&g, "Dayr Hafir", -1), Some(MatchKind::Exact));
        assert_eq!(kind_of(&g, "دير حافر", -1), Some(MatchKind::Exact));
        assert_eq!(kind_of(&g, "Deir Hafer", -1), Some(MatchKind::Variant));
        assert_eq!(kind_of(&g, "Kfar Nasij", -3), Some(MatchKind::Variant));
        // Same consonants, another name: only a suggestion.
        assert_eq!(kind_of(&g, "Hamiyah", -2), Some(MatchKind::Suggestion));
        // Fuzzy: a suggestion, listed after any confident match.
        assert_eq!(kind_of(&g, "Kafr Nasik", -3), Some(MatchKind::Suggestion));
        let found = g.search("Kafr Nasik", None, 5);
        assert_eq!(found[0].edits, 1);
    }

    #[test]
    fn bundled_villages_of_syria_and_iraq_are_exact_matches() {
        for (name, country, lat, lon) in [
            ("Kafr Nasij", "SY", 33.151, 36.039),
            ("Al Yadudah", "SY", 32.675, 36.056),
            ("Daquq", "IQ", 35.139, 44.449),
        ] {
            let found = bundled().search(name, Some(country), 3);
            let best = found.first().unwrap_or_else(|| panic!("{name}"));
            assert_eq!(best.kind, MatchKind::Exact, "{name}");
            assert!(
                (best.place.latitude - lat).abs() < 0.02
                    && (best.place.longitude - lon).abs() < 0.02,
                "{name}"
            );
        }
    }

    #[test]
    fn geonames_errors_name_line_and_field() {
        let good = "173462\tMismīyah\tMismiyah\tAl Mismiyah,المسمية\t33.12902\t36.39402\tP\tPPLA3\tSY\t\t06\t\t\t\t0\t\t618\tAsia/Damascus\t2020-06-10\n";
        let places = Gazetteer::read_geonames(good.as_bytes()).expect("valid line");
        assert_eq!(places[0].alt_names.len(), 2);
        let bad = format!("{good}{}", good.replace("33.12902", "north"));
        let err = Gazetteer::read_geonames(bad.as_bytes()).expect_err("bad latitude");
        assert!(
            err.to_string().contains("line 2, field 'latitude'"),
            "{err}"
        );
    }
}
