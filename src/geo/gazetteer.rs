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
use std::str::SplitTerminator;

use super::bundled::{BUNDLED, Bundled, NONE};
use super::normalize::{is_variant, normalize_name, skeleton_key};
use super::regions::Regions;
use crate::Error;

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
        is_abandoned(&self.feature_code)
    }
}

fn is_abandoned(feature_code: &str) -> bool {
    matches!(feature_code, "PPLQ" | "PPLW")
}

/// 0..=1: capitals and admin seats over plain places, then population.
fn importance(feature_code: &str, population: u64) -> f64 {
    let feature = match feature_code {
        "PPLC" => 1.0,
        "PPLA" => 0.8,
        "PPLA2" => 0.6,
        "PPLA3" | "PPLA4" | "PPLA5" | "PPLG" => 0.4,
        "PPL" => 0.2,
        _ => 0.1,
    };
    let population = ((population as f64 + 1.0).log10() / 7.0).min(1.0);
    0.5 * feature + 0.5 * population
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

#[derive(Debug, Clone)]
pub struct Candidate {
    pub place: Place,
    pub score: f64,
    pub kind: MatchKind,
    /// Edits (Levenshtein, on normalised names) from the query to the
    /// place's closest name: its distance in spelling.
    pub edits: usize,
}

/// The normalised names of the places added with `add_place`, kept as
/// `Bundled::place_keys` keeps those of the bundled places.
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
    fn push(&mut self, keys: &[String]) {
        for key in keys {
            self.text.push_str(key);
            self.text.push('\n');
        }
        self.start.push(self.text.len() as u32);
    }

    fn of(&self, place: usize) -> SplitTerminator<'_, char> {
        self.text[self.start[place] as usize..self.start[place + 1] as usize].split_terminator('\n')
    }
}

/// What ranking orders a matching place by, read once per place.
struct Ranked {
    place: u32,
    kind: MatchKind,
    abandoned: bool,
    score: f64,
    population: u64,
    id: i64,
}

/// The places an added place's key names.
fn ids_of<'m>(map: &'m HashMap<String, Vec<u32>>, key: &str) -> impl Iterator<Item = u32> + 'm {
    map.get(key).into_iter().flatten().copied()
}

/// Places are numbered bundled first, then added ones; keys name them as
/// `place * 2 + is_main_name`.
#[derive(Debug)]
pub struct Gazetteer {
    bundled: &'static Bundled,
    /// Places added with `add_place`: place `bundled.len() + i` is `added[i]`.
    added: Vec<Place>,
    added_keys: PlaceKeys,
    extra_names: HashMap<String, Vec<u32>>,
    extra_skeletons: HashMap<String, Vec<u32>>,
}

impl Default for Gazetteer {
    /// An empty gazetteer, for user places only.
    fn default() -> Gazetteer {
        Gazetteer {
            bundled: &NONE,
            added: Vec::new(),
            added_keys: PlaceKeys::default(),
            extra_names: HashMap::new(),
            extra_skeletons: HashMap::new(),
        }
    }
}

impl Gazetteer {
    /// The bundled places (GeoNames and Who's On First), already indexed
    /// at build time: this takes no time.
    pub fn bundled() -> Gazetteer {
        Gazetteer {
            bundled: &BUNDLED,
            ..Gazetteer::default()
        }
    }

    /// An empty gazetteer, for user places only.
    pub fn new() -> Gazetteer {
        Gazetteer::default()
    }

    pub fn len(&self) -> usize {
        self.bundled.len() + self.added.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every place, bundled ones first (each parsed from its line as it comes).
    pub fn places(&self) -> impl Iterator<Item = Place> + '_ {
        (0..self.len() as u32).map(|i| self.place(i))
    }

    /// The added place numbered `i`, if it is not a bundled one.
    fn added(&self, i: u32) -> Option<&Place> {
        (i as usize)
            .checked_sub(self.bundled.len())
            .map(|a| &self.added[a])
    }

    fn place(&self, i: u32) -> Place {
        match self.added(i) {
            Some(p) => p.clone(),
            None => self.bundled.place(i as usize),
        }
    }

    fn id(&self, i: u32) -> i64 {
        self.added(i)
            .map_or_else(|| self.bundled.id(i as usize), |p| p.id)
    }

    fn population(&self, i: u32) -> u64 {
        self.added(i)
            .map_or_else(|| self.bundled.population(i as usize), |p| p.population)
    }

    fn country(&self, i: u32) -> &str {
        self.added(i)
            .map_or_else(|| self.bundled.country(i as usize), |p| &p.country)
    }

    fn feature_code(&self, i: u32) -> &str {
        self.added(i).map_or_else(
            || self.bundled.feature_code(i as usize),
            |p| &p.feature_code,
        )
    }

    /// The place's normalised names (main and alternate).
    fn keys(&self, i: u32) -> SplitTerminator<'_, char> {
        match (i as usize).checked_sub(self.bundled.len()) {
            Some(a) => self.added_keys.of(a),
            None => self.bundled.keys(i as usize),
        }
    }

    /// Adds a place (a user place, or one from another gazetteer file).
    pub fn add_place(&mut self, place: Place) {
        let id = self.len() as u32;
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
        self.added_keys.push(&place_keys);
        self.added.push(place);
    }

    /// Places matching `query`: exact matches, then variants, then
    /// suggestions, each best first (see the module doc for the scores);
    /// `country` (ISO alpha-2, any case) keeps only that country's.
    pub fn search(&self, query: &str, country: Option<&str>, limit: usize) -> Vec<Candidate> {
        let key = normalize_name(query);
        if key.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut best: HashMap<u32, (f64, MatchKind)> = HashMap::new();
        for f in self
            .bundled
            .names
            .get(&key)
            .chain(ids_of(&self.extra_names, &key))
        {
            let base = if f & 1 == 1 { SCORE_MAIN } else { SCORE_ALT };
            let slot = best.entry(f / 2).or_insert((0.0, MatchKind::Exact));
            slot.0 = slot.0.max(base);
        }
        let in_country = |i: u32| country.is_none_or(|c| self.country(i).eq_ignore_ascii_case(c));
        let exact = best.keys().filter(|&&i| in_country(i)).count();
        // Skeleton matches always rank below exact ones: skip them when
        // exact matches already fill the answer.
        if exact < limit
            && let Some(skeleton) = skeleton_key(&key)
        {
            let bundled = self.bundled.skeletons.get(&skeleton);
            for f in bundled.chain(ids_of(&self.extra_skeletons, &skeleton)) {
                let place = f / 2;
                if best.contains_key(&place) {
                    continue;
                }
                let similarity = self.closest_similarity(&key, place);
                let kind = if self.keys(place).any(|n| is_variant(&key, n)) {
                    MatchKind::Variant
                } else {
                    MatchKind::Suggestion
                };
                best.insert(place, (SCORE_SKELETON * similarity, kind));
            }
        }
        let confident =
            |(&i, &(_, kind)): (&u32, &(f64, MatchKind))| kind.is_confident() && in_country(i);
        if !best.iter().any(confident) {
            self.fuzzy(&key, &mut best);
        }
        let mut ranked: Vec<Ranked> = best
            .into_iter()
            .filter(|&(i, _)| in_country(i))
            .map(|(i, (base, kind))| {
                let (feature, population) = (self.feature_code(i), self.population(i));
                Ranked {
                    place: i,
                    kind,
                    abandoned: is_abandoned(feature),
                    score: base + IMPORTANCE_WEIGHT * importance(feature, population),
                    population,
                    id: self.id(i),
                }
            })
            .collect();
        // Within a kind, inhabited places come before abandoned or
        // destroyed namesakes, then the better score.
        ranked.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then(a.abandoned.cmp(&b.abandoned))
                .then(b.score.total_cmp(&a.score))
                .then(b.population.cmp(&a.population))
                .then(a.id.cmp(&b.id))
        });
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|r| Candidate {
                place: self.place(r.place),
                score: r.score,
                kind: r.kind,
                edits: self
                    .keys(r.place)
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
        self.keys(place).for_each(&mut consider);
        best
    }

    /// Jaro-Winkler over the keys that share the query's first letter.
    fn fuzzy(&self, key: &str, best: &mut HashMap<u32, (f64, MatchKind)>) {
        let Some(first) = key.chars().next() else {
            return;
        };
        let mut prefix = [0u8; 4];
        let prefix: &str = first.encode_utf8(&mut prefix);
        let mut consider = |name: &str, ids: &mut dyn Iterator<Item = u32>| {
            let sim = strsim::jaro_winkler(key, name);
            if sim >= FUZZY_MIN_SIMILARITY {
                for f in ids {
                    let slot = best.entry(f / 2).or_insert((0.0, MatchKind::Suggestion));
                    slot.0 = slot.0.max(SCORE_FUZZY * sim);
                }
            }
        };
        let names = &self.bundled.names;
        let start = names.position(prefix).unwrap_or_else(|i| i);
        for i in start..names.len() {
            let name = names.key(i);
            if !name.starts_with(prefix) {
                break;
            }
            consider(name, &mut names.ids_of(i));
        }
        for (name, ids) in &self.extra_names {
            if name.starts_with(prefix) {
                consider(name, &mut ids.iter().copied());
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn bundled() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(Gazetteer::bundled)
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
                let p = &best.place;
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
        for (i, p) in g.places().enumerate().step_by(997) {
            let mut ids = g.bundled.names.get(&normalize_name(&p.name));
            assert!(ids.any(|f| f == i as u32 * 2 + 1), "main key of {}", p.name);
            for alt in &p.alt_names {
                let key = normalize_name(alt);
                let mut ids = g.bundled.names.get(&key);
                assert!(
                    ids.any(|f| f / 2 == i as u32),
                    "alt key '{key}' of {}",
                    p.name
                );
                if let Some(s) = skeleton_key(&key) {
                    let mut ids = g.bundled.skeletons.get(&s);
                    assert!(
                        ids.any(|f| f / 2 == i as u32),
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
        for (i, p) in g.places().enumerate().step_by(499) {
            let mut want: Vec<String> = std::iter::once(&p.name)
                .chain(&p.alt_names)
                .map(|n| normalize_name(n))
                .filter(|k| !k.is_empty())
                .collect();
            want.sort();
            want.dedup();
            let mut got: Vec<&str> = g.keys(i as u32).collect();
            got.sort_unstable();
            assert_eq!(got, want, "keys of {}", p.name);
        }
    }

    /// The index build.rs derived answers as `add_place`, which normalises
    /// each place's names at run time, does over the same places: the same
    /// places, scores, kinds and edits, in the same order.
    #[test]
    fn bundled_index_answers_as_the_same_places_added_at_run_time() {
        let g = bundled();
        let mut added = Gazetteer::new();
        for p in g.places() {
            added.add_place(p);
        }
        assert_eq!(added.len(), g.len());
        // Fuzzy matching (a misspelling no key matches) reads every key
        // with the query's first letter: only a few such queries.
        let mut queries: Vec<(String, Option<String>)> = [
            "Damascus",
            "Deraa",
            "Tal Hara",
            "Baghdadd",
            "Kafr Nasik",
            "درعا",
        ]
        .map(|q| (q.to_string(), None))
        .to_vec();
        for p in g.places().step_by(1009) {
            let country = Some(p.country.clone());
            if let Some(alt) = p.alt_names.first() {
                queries.push((alt.clone(), None));
            }
            // Another vowel: a skeleton match, a variant or a suggestion.
            queries.push((p.name.replacen('a', "e", 1), None));
            queries.push((p.name.clone(), None));
            queries.push((p.name, country));
        }
        let answers = |g: &Gazetteer, q: &str, country: Option<&str>| -> Vec<_> {
            g.search(q, country, 10)
                .into_iter()
                .map(|c| (c.place, c.score.to_bits(), c.kind, c.edits))
                .collect()
        };
        for (q, country) in &queries {
            let country = country.as_deref();
            assert_eq!(
                answers(g, q, country),
                answers(&added, q, country),
                "{q} in {country:?}"
            );
        }
    }

    #[test]
    fn user_places_are_numbered_after_the_bundled_ones() {
        let mut g = Gazetteer::bundled();
        let n = g.len();
        g.add_place(Place {
            id: -1,
            name: "Damascus".to_string(),
            latitude: 35.0,
            longitude: 37.0,
            country: "SY".to_string(),
            admin1_code: None,
            admin1_name: None,
            feature_code: "PPL".to_string(),
            population: 0,
            alt_names: vec!["Tell al-Hara".to_string()],
        });
        assert_eq!(g.len(), n + 1);
        let ids = |q: &str| -> Vec<i64> {
            g.search(q, Some("SY"), 3)
                .iter()
                .map(|c| c.place.id)
                .collect()
        };
        assert_eq!(ids("Damascus"), [170654, -1]);
        assert_eq!(ids("Tall Hara")[0], -1);
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
