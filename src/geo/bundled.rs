//! The bundled gazetteer as build.rs derived it from
//! data/gazetteer_places.tsv.gz and data/gazetteer_index.tsv.gz: flat
//! arrays embedded in the binary and read in place, so that loading parses
//! and indexes nothing, and only the places a search returns are parsed
//! from their lines. Ranking is the gazetteer's.

use std::fmt;
use std::ops::Range;
use std::str::SplitTerminator;

use super::gazetteer::Place;
use super::gazetteer_lines::{COUNTRY_LEN, FEATURE_LEN, PlaceLine, admin1_line};

/// Embeds a file that build.rs derived into OUT_DIR.
macro_rules! derived {
    (bytes $file:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $file))
    };
    (str $file:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $file))
    };
}

/// The `N` bytes of element `i` of a flat array of `N`-byte values.
fn element<const N: usize>(bytes: &[u8], i: usize) -> [u8; N] {
    let mut out = [0; N];
    out.copy_from_slice(&bytes[N * i..N * (i + 1)]);
    out
}

/// A flat array of little-endian u32 (offsets, place ids) as build.rs
/// wrote it, read in place.
#[derive(Debug, Clone, Copy)]
struct U32s(&'static [u8]);

impl U32s {
    fn get(self, i: usize) -> u32 {
        u32::from_le_bytes(element(self.0, i))
    }

    /// Entries `i` and `i + 1` of an array of starts: where item `i` lies.
    fn range(self, i: usize) -> Range<usize> {
        self.get(i) as usize..self.get(i + 1) as usize
    }

    /// The number of items an array of starts (one more entry) delimits.
    fn items(self) -> usize {
        (self.0.len() / 4).saturating_sub(1)
    }
}

/// Binary search over `len` sorted keys.
fn search_sorted<'k>(
    len: usize,
    key_at: impl Fn(usize) -> &'k str,
    key: &str,
) -> Result<usize, usize> {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match key_at(mid).cmp(key) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Ok(mid),
        }
    }
    Err(lo)
}

/// One section of the bundled index (names or skeletons): sorted keys, each
/// with the places it names as `place * 2 + is_main_name`.
#[derive(Debug, Clone, Copy)]
pub(super) struct SortedKeys {
    /// The keys, concatenated.
    text: &'static str,
    key_starts: U32s,
    id_starts: U32s,
    ids: U32s,
}

impl SortedKeys {
    pub(super) fn len(&self) -> usize {
        self.key_starts.items()
    }

    pub(super) fn key(&self, i: usize) -> &'static str {
        &self.text[self.key_starts.range(i)]
    }

    fn ids_in(&self, range: Range<usize>) -> impl Iterator<Item = u32> + 'static {
        let ids = self.ids;
        range.map(move |j| ids.get(j))
    }

    pub(super) fn ids_of(&self, i: usize) -> impl Iterator<Item = u32> + 'static {
        self.ids_in(self.id_starts.range(i))
    }

    pub(super) fn get(&self, key: &str) -> impl Iterator<Item = u32> + 'static {
        self.ids_in(match self.position(key) {
            Ok(i) => self.id_starts.range(i),
            Err(_) => 0..0,
        })
    }

    pub(super) fn position(&self, key: &str) -> Result<usize, usize> {
        search_sorted(self.len(), |i| self.key(i), key)
    }
}

/// The bundled places and their name index.
pub(super) struct Bundled {
    /// The places file: `#admin1` lines, then one line per place.
    text: &'static str,
    admin1_lines: U32s,
    place_lines: U32s,
    /// What ranking reads for every match, one entry per place: i64 ids,
    /// u64 populations, two-letter countries, space-padded feature codes.
    ids: &'static [u8],
    populations: &'static [u8],
    countries: &'static str,
    features: &'static str,
    pub(super) names: SortedKeys,
    pub(super) skeletons: SortedKeys,
    /// Each place's normalised names (the name index inverted), each
    /// followed by a newline, so that ranking a skeleton match compares
    /// stored keys instead of normalising the place's names again, and
    /// reads them from one short stretch of memory.
    place_keys: &'static str,
    place_key_starts: U32s,
}

pub(super) static BUNDLED: Bundled = Bundled {
    text: derived!(str "gazetteer_places.tsv"),
    admin1_lines: U32s(derived!(bytes "gazetteer_admin1_lines.u32")),
    place_lines: U32s(derived!(bytes "gazetteer_place_lines.u32")),
    ids: derived!(bytes "gazetteer_ids.i64"),
    populations: derived!(bytes "gazetteer_populations.u64"),
    countries: derived!(str "gazetteer_countries.txt"),
    features: derived!(str "gazetteer_features.txt"),
    names: SortedKeys {
        text: derived!(str "gazetteer_names.txt"),
        key_starts: U32s(derived!(bytes "gazetteer_names_key_starts.u32")),
        id_starts: U32s(derived!(bytes "gazetteer_names_id_starts.u32")),
        ids: U32s(derived!(bytes "gazetteer_names_ids.u32")),
    },
    skeletons: SortedKeys {
        text: derived!(str "gazetteer_skeletons.txt"),
        key_starts: U32s(derived!(bytes "gazetteer_skeletons_key_starts.u32")),
        id_starts: U32s(derived!(bytes "gazetteer_skeletons_id_starts.u32")),
        ids: U32s(derived!(bytes "gazetteer_skeletons_ids.u32")),
    },
    place_keys: derived!(str "gazetteer_place_keys.txt"),
    place_key_starts: U32s(derived!(bytes "gazetteer_place_key_starts.u32")),
};

/// No bundled places, for a gazetteer of user places only.
pub(super) static NONE: Bundled = {
    let none = SortedKeys {
        text: "",
        key_starts: U32s(&[]),
        id_starts: U32s(&[]),
        ids: U32s(&[]),
    };
    Bundled {
        text: "",
        admin1_lines: U32s(&[]),
        place_lines: U32s(&[]),
        ids: &[],
        populations: &[],
        countries: "",
        features: "",
        names: none,
        skeletons: none,
        place_keys: "",
        place_key_starts: U32s(&[]),
    }
};

/// build.rs parsed every bundled line with the same code and fails the
/// build on any error, so the lines embedded in this binary parse.
#[allow(clippy::expect_used, reason = "build.rs checked every line")]
fn checked<T>(parsed: Option<T>) -> T {
    parsed.expect("build.rs checked every bundled line")
}

impl Bundled {
    pub(super) fn len(&self) -> usize {
        self.place_lines.items()
    }

    /// Line `i` of the lines that `starts` delimits, without its newline.
    fn line(&self, starts: U32s, i: usize) -> &'static str {
        let r = starts.range(i);
        &self.text[r.start..r.end - 1]
    }

    fn admin1(&self, i: usize) -> (&'static str, &'static str) {
        checked(admin1_line(self.line(self.admin1_lines, i)).and_then(Result::ok))
    }

    pub(super) fn place(&self, i: usize) -> Place {
        let p = checked(PlaceLine::parse(self.line(self.place_lines, i)).ok());
        let admin1 = (!p.admin1_code.is_empty()).then(|| {
            let found = search_sorted(
                self.admin1_lines.items(),
                |a| self.admin1(a).0,
                p.admin1_code,
            );
            checked(found.ok().map(|a| self.admin1(a)))
        });
        Place {
            id: p.id,
            name: p.name.to_string(),
            latitude: p.latitude,
            longitude: p.longitude,
            country: p.country.to_string(),
            admin1_code: admin1.map(|(code, _)| code.to_string()),
            admin1_name: admin1.map(|(_, name)| name.to_string()),
            feature_code: p.feature_code.to_string(),
            population: p.population,
            alt_names: p
                .alt_names
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
        }
    }

    pub(super) fn id(&self, i: usize) -> i64 {
        i64::from_le_bytes(element(self.ids, i))
    }

    pub(super) fn population(&self, i: usize) -> u64 {
        u64::from_le_bytes(element(self.populations, i))
    }

    pub(super) fn country(&self, i: usize) -> &'static str {
        &self.countries[COUNTRY_LEN * i..COUNTRY_LEN * (i + 1)]
    }

    pub(super) fn feature_code(&self, i: usize) -> &'static str {
        self.features[FEATURE_LEN * i..FEATURE_LEN * (i + 1)].trim_end_matches(' ')
    }

    pub(super) fn keys(&self, i: usize) -> SplitTerminator<'_, char> {
        self.place_keys[self.place_key_starts.range(i)].split_terminator('\n')
    }
}

impl fmt::Debug for Bundled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bundled")
            .field("places", &self.len())
            .finish_non_exhaustive()
    }
}
