//! Where: place names found in a report ("in the town of Nawa", "the
//! Al-Masmiyah checkpoint", "Jasim, north of Daraa", "the eastern Daraa
//! countryside"), and what they mean in the report's context: the
//! countries and provinces the report is about rank namesakes, so "Nawa"
//! in a Daraa report is the Syrian town, not the larger one in India.

use std::collections::HashMap;
use std::ops::Range;

use super::text::Word;
use crate::geo::countries;
use crate::geo::gazetteer::{Gazetteer, MatchKind, Place};
use crate::geo::normalize::{normalize_name, skeleton_key};
use crate::geo::region::{Level, Region};
use crate::geo::regions::Regions;
use crate::model::GeoPrecision;

/// How a name is introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// "in X", "the town of X": the event is at X.
    At,
    /// "near X", "outside X", "north of X": the event is close to X.
    Near,
    /// "X province", "X countryside": X is meant as a province.
    Province,
    /// "from X": where someone came from, the event's place only when no
    /// other is named.
    From,
}

/// A place name in the text.
#[derive(Debug, Clone)]
pub struct Mention {
    pub range: Range<usize>,
    pub name: String,
    pub cue: Cue,
    /// "X, north of Y": Y, where the event is when X is not known.
    pub anchor: Option<Box<Mention>>,
}

/// Words after which a capitalised name is a place.
const BEFORE: &[&str] = &[
    "in",
    "near",
    "at",
    "outside",
    "into",
    "to",
    "toward",
    "towards",
    "across",
    "around",
    "inside",
    "between",
    "hit",
    "struck",
    "targeted",
    "targeting",
    "stormed",
    "entered",
    "captured",
    "seized",
    "recaptured",
    "shelled",
    "bombed",
    "attacked",
    "besieged",
    "on",
    "outskirts",
    "within",
    "through",
    "via",
    "retook",
    "liberated",
];
const NEAR: &[&str] = &["near", "outside", "outskirts", "around"];
const DIRECTIONS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "north-east",
    "north-west",
    "south-east",
    "south-west",
];
/// Nouns that make "the NOUN of X" introduce a place.
const PLACE_NOUNS: &[&str] = &[
    "town",
    "village",
    "villages",
    "city",
    "district",
    "neighbourhood",
    "neighborhood",
    "area",
    "province",
    "governorate",
    "region",
    "camp",
    "suburb",
    "outskirts",
    "countryside",
    "municipality",
    "subdistrict",
    "capital",
    "towns",
    "cities",
    "hamlet",
    "locality",
];
/// Nouns after a name that make it a province ("Daraa countryside").
const PROVINCE_AFTER: &[&str] = &["province", "governorate", "countryside", "region"];
/// Nouns after a name that make it a place ("the Masmiyah checkpoint").
const PLACE_AFTER: &[&str] = &[
    "city",
    "town",
    "village",
    "district",
    "camp",
    "checkpoint",
    "neighbourhood",
    "neighborhood",
    "area",
    "subdistrict",
    "suburb",
    "road",
    "highway",
    "bridge",
    "crossing",
    "airport",
    "base",
    "prison",
    "market",
    "square",
    "hospital",
    "dam",
    "refinery",
    "field",
    "oilfield",
];
/// Names that are not places even after a cue (besides months): days,
/// titles, organisations.
const NOT_PLACE: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "forces",
    "force",
    "army",
    "state",
    "council",
    "ministry",
    "network",
    "office",
    "observatory",
    "brigade",
    "brigades",
    "group",
    "front",
    "party",
    "movement",
    "committee",
    "agency",
    "news",
    "gathering",
    "union",
    "organization",
    "organisation",
    "coalition",
    "police",
    "guard",
    "units",
    "division",
    "battalion",
    "regiment",
    "corps",
    "president",
    "minister",
    "general",
    "government",
    "islamic",
    "isis",
    "isil",
    "daesh",
    "reuters",
    "afp",
    "ap",
    "mp",
    "un",
    "us",
    "u.s",
    "eu",
    "international",
    "human",
    "rights",
    "security",
    "intelligence",
    "revolutionary",
    "popular",
    "mobilization",
    "mobilisation",
    "democratic",
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "its",
    "this",
    "that",
    "these",
    "those",
    "some",
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "tt",
    "photo",
    "archive",
    "internal",
    "ramadan",
    "eid",
    "christmas",
    "hezbollah",
    "hamas",
    "taliban",
    "houthis",
    "houthi",
    "peshmerga",
    "shabaab",
    "haram",
    "pkk",
    "sdf",
    "hts",
    "pmf",
    "ypg",
    "idf",
    "nato",
    "ocha",
    "sohr",
    "acled",
    "ucdp",
];
/// Words capitalised only because they start a sentence.
const STARTERS: &[&str] = &[
    "in",
    "on",
    "at",
    "near",
    "outside",
    "the",
    "a",
    "an",
    "from",
    "after",
    "before",
    "during",
    "as",
    "and",
    "but",
    "while",
    "when",
    "since",
    "for",
    "by",
    "with",
    "of",
    "to",
    "into",
    "meanwhile",
    "separately",
    "earlier",
    "later",
    "elsewhere",
    "also",
    "there",
    "late",
    "early",
];

/// Arabic articles written lowercase inside names ("Deir ez-Zor", "Abu al-Duhur").
const CONNECTORS: &[&str] = &[
    "al", "el", "ad", "ar", "as", "ash", "az", "ez", "ed", "es", "at", "an", "bin", "ibn", "bani",
    "de", "du", "des", "la", "le",
];

fn is_name_word(w: &Word) -> bool {
    if w.is_capitalised() {
        return !w.lower.chars().all(|c| c.is_ascii_digit());
    }
    // "al-Bab", "as-Suwayda": a lowercase article joined to a capital.
    w.text.split_once('-').is_some_and(|(a, rest)| {
        CONNECTORS.contains(&a) && rest.chars().next().is_some_and(char::is_uppercase)
    })
}

/// The place names of one sentence's words.
pub fn mentions(text: &str, words: &[Word]) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_name_word(&words[i]) {
            i += 1;
            continue;
        }
        // A capitalised cue starting a sentence ("In Nawa, ...") is a cue.
        if STARTERS.contains(&words[i].lower.as_str()) {
            i += 1;
            continue;
        }
        // The run of name words, split at a possessive ("Syria's Daraa").
        let start = i;
        let mut end = i + 1;
        while end < words.len() && !ends_possessive(&words[end - 1]) {
            let w = &words[end];
            let joined = text[words[end - 1].range.end..w.range.start].trim() == "";
            if !joined {
                break;
            }
            if is_name_word(w) {
                end += 1;
            } else if CONNECTORS.contains(&w.lower.as_str())
                && end + 1 < words.len()
                && is_name_word(&words[end + 1])
            {
                end += 2;
            } else {
                break;
            }
        }
        i = end;
        // "Borno State", "Nineveh Province": a province by its unit word.
        let unit = end - start >= 2
            && matches!(
                words[end - 1].lower.as_str(),
                "state" | "province" | "governorate"
            )
            && !matches!(words[end - 2].lower.as_str(), "islamic");
        let end = if unit { end - 1 } else { end };
        let run = &words[start..end];
        let acronym =
            |w: &Word| w.text.chars().count() <= 6 && w.text.chars().all(|c| c.is_uppercase());
        if run.iter().any(|w| {
            NOT_PLACE.contains(&strip_possessive(&w.lower))
                || super::dates::month_index(&w.lower).is_some()
                || DEMONYMS.iter().any(|(d, _)| *d == strip_possessive(&w.lower))
        }) || (run.len() == 1 && acronym(&run[0]))
            // "SDF-held", "Turkish-backed": who holds it, not where.
            || run.iter().any(|w| {
                ["-held", "-controlled", "-led", "-backed", "-based", "-run", "-linked"]
                    .iter()
                    .any(|s| w.lower.ends_with(s))
            })
        {
            continue;
        }
        let before: Vec<&str> = words[..start]
            .iter()
            .rev()
            .take(5)
            .map(|w| w.lower.as_str())
            .collect();
        let after = words.get(end).map(|w| w.lower.as_str());
        let cue = if unit || after.is_some_and(|a| PROVINCE_AFTER.contains(&a)) {
            Some(Cue::Province)
        } else if before.first().is_some_and(|b| NEAR.contains(b))
            // "north of X", "west of the city of X"
            || before.windows(2).any(|p| {
                p[0] == "of" && (DIRECTIONS.contains(&p[1]) || p[1] == "outskirts")
            })
        {
            Some(Cue::Near)
        } else if before.first() == Some(&"to") && before.get(1) == Some(&"according") {
            // "according to Zira": a source, not a place.
            None
        } else if before.first() == Some(&"from") {
            Some(Cue::From)
        } else if before.first().is_some_and(|b| BEFORE.contains(b))
            || (before.first() == Some(&"of")
                && before.get(1).is_some_and(|b| PLACE_NOUNS.contains(b)))
            || after.is_some_and(|a| PLACE_AFTER.contains(&a))
            || possessive_before(words, start)
            // "the eastern Daraa countryside", "western Idlib"
            || before.first().is_some_and(|b| is_direction_adjective(b))
        {
            Some(Cue::At)
        } else if let Some(prev) = out.last()
            && list_continues(text, words, prev, start)
        {
            Some(prev.cue)
        } else {
            None
        };
        let Some(cue) = cue else { continue };
        let range = run[0].range.start..run[run.len() - 1].range.end;
        let name = strip_possessive(&text[range.clone()]).to_string();
        let range = range.start..range.start + name.len();
        // "X, north of Y": Y anchors X.
        let anchor = anchor_after(text, words, end);
        out.push(Mention {
            range,
            name,
            cue,
            anchor: anchor.map(Box::new),
        });
    }
    out
}

fn is_direction_adjective(w: &str) -> bool {
    matches!(
        w,
        "eastern"
            | "western"
            | "northern"
            | "southern"
            | "northeastern"
            | "northwestern"
            | "southeastern"
            | "southwestern"
            | "central"
    )
}

fn ends_possessive(w: &Word) -> bool {
    w.lower.ends_with("'s")
}

fn strip_possessive(s: &str) -> &str {
    s.strip_suffix("'s")
        .or_else(|| s.strip_suffix("’s"))
        .unwrap_or(s)
}

/// "Syria's Daraa": a name right after a possessive name.
fn possessive_before(words: &[Word], start: usize) -> bool {
    start > 0 && ends_possessive(&words[start - 1]) && is_name_word(&words[start - 1])
}

/// "in A, B and C": a name joined to the previous mention by a comma or "and".
fn list_continues(text: &str, words: &[Word], prev: &Mention, start: usize) -> bool {
    let between = &text[prev.range.end.min(words[start].range.start)..words[start].range.start];
    let between = between.trim();
    between == "," || between == "and" || between == ", and" || between == "or"
}

/// ", north of Y" right after a name.
fn anchor_after(text: &str, words: &[Word], end: usize) -> Option<Mention> {
    let w = |k: usize| words.get(end + k).map(|w| w.lower.as_str());
    let comma = words
        .get(end)
        .is_some_and(|w| text[..w.range.start].trim_end().ends_with(','));
    if !comma || !w(0).is_some_and(|d| DIRECTIONS.contains(&d)) || w(1) != Some("of") {
        return None;
    }
    let first = end + 2;
    let mut last = first;
    while last < words.len() && is_name_word(&words[last]) {
        last += 1;
    }
    if last == first {
        return None;
    }
    let range = words[first].range.start..words[last - 1].range.end;
    Some(Mention {
        name: strip_possessive(&text[range.clone()]).to_string(),
        range,
        cue: Cue::Near,
        anchor: None,
    })
}

/// Demonyms that point at a country (weakly: "Turkish drones" strike Syria).
const DEMONYMS: &[(&str, &str)] = &[
    ("syrian", "SY"),
    ("iraqi", "IQ"),
    ("yemeni", "YE"),
    ("lebanese", "LB"),
    ("libyan", "LY"),
    ("somali", "SO"),
    ("nigerian", "NG"),
    ("afghan", "AF"),
    ("sudanese", "SD"),
    ("malian", "ML"),
    ("pakistani", "PK"),
    ("ukrainian", "UA"),
    ("palestinian", "PS"),
    ("egyptian", "EG"),
    ("jordanian", "JO"),
    ("burkinabe", "BF"),
    ("ethiopian", "ET"),
    ("congolese", "CD"),
    ("cameroonian", "CM"),
    ("nigerien", "NE"),
    ("mozambican", "MZ"),
    ("kurdish", "IQ"),
    ("turkish", "TR"),
    ("russian", "RU"),
    ("israeli", "IL"),
    ("iranian", "IR"),
    ("american", "US"),
    ("british", "GB"),
    ("french", "FR"),
    ("saudi", "SA"),
    ("emirati", "AE"),
];

/// Province names are written every which way ("Salahaddin", "Salah
/// al-Din"): the same name, or for longer names the same consonant
/// skeleton once the spaces are gone.
fn same_region_name(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let joined = |s: &str| s.replace(' ', "");
    let (a, b) = (joined(a), joined(b));
    a.len() >= 6 && b.len() >= 6 && skeleton_key(&a).is_some_and(|k| skeleton_key(&b) == Some(k))
}

/// Whether a name is a country's ("Iraq", "Syria").
pub fn is_country(name: &str) -> bool {
    countries::alpha2(name).is_some_and(|_| name.chars().count() > 3)
}

/// The country a demonym names ("iraqi" -> IQ).
pub fn demonym(lower: &str) -> Option<&'static str> {
    DEMONYMS.iter().find(|(d, _)| *d == lower).map(|(_, c)| *c)
}

/// What a report is about: its countries (most named first) and provinces.
#[derive(Debug, Default, Clone)]
pub struct Context {
    pub countries: Vec<String>,
    pub admin1: Vec<String>,
    /// The town the report keeps coming back to (named at least twice):
    /// where an event it does not place happened, most likely.
    pub main_place: Option<(Place, String)>,
    /// The province at least half of the report's places are in.
    pub province: Option<String>,
}

/// Where a mention is.
#[derive(Debug, Clone)]
pub enum Located<'a> {
    Place(Place, GeoPrecision),
    Region(&'a Region),
}

pub struct Resolver<'a> {
    pub gazetteer: &'a Gazetteer,
    pub regions: &'a Regions,
    pub context: Context,
}

impl<'a> Resolver<'a> {
    pub fn new(gazetteer: &'a Gazetteer, regions: &'a Regions) -> Resolver<'a> {
        Resolver {
            gazetteer,
            regions,
            context: Context::default(),
        }
    }

    /// Learns the report's countries and provinces from all its words and
    /// place mentions: country names and provinces count most, demonyms and
    /// the countries of a name's namesakes least.
    pub fn learn(&mut self, words: &[Word], mentions: &[Mention]) {
        let mut votes: HashMap<String, f64> = HashMap::new();
        // Bare country names and demonyms count least: "Iran's proxies in
        // Iraq" is about Iraq. Names where something happened count most.
        for w in words {
            if !w.is_capitalised() {
                continue;
            }
            let lower = strip_possessive(&w.lower);
            if let Some((_, c)) = DEMONYMS.iter().find(|(d, _)| *d == lower) {
                *votes.entry(c.to_string()).or_default() += 0.5;
            } else if is_country(strip_possessive(&w.text))
                && let Some(c) = countries::alpha2(strip_possessive(&w.text))
            {
                *votes.entry(c).or_default() += 1.0;
            }
        }
        for m in mentions {
            if let Some(c) = countries::alpha2(&m.name).filter(|_| is_country(&m.name)) {
                *votes.entry(c).or_default() += 3.0;
                continue;
            }
            if let Some(r) = self.region(&m.name, &[]) {
                *votes.entry(r.country.clone()).or_default() += 2.0;
            }
            let found: Vec<Place> = self.places(&m.name, None);
            let mut cs: Vec<&str> = found.iter().map(|p| p.country.as_str()).collect();
            cs.sort_unstable();
            cs.dedup();
            for c in &cs {
                *votes.entry(c.to_string()).or_default() += 1.0 / cs.len() as f64;
            }
        }
        let mut ranked: Vec<(String, f64)> = votes.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let top = ranked.first().map_or(0.0, |r| r.1);
        self.context.countries = ranked
            .into_iter()
            .filter(|(_, v)| *v >= top * 0.5 && *v > 0.0)
            .map(|(c, _)| c)
            .collect();
        let countries: Vec<&str> = self.context.countries.iter().map(String::as_str).collect();
        // Provinces named first, then the provinces of the towns named,
        // each town read among the provinces already known.
        self.context.admin1.clear();
        for pass in [true, false] {
            for m in mentions.iter().filter(|m| !is_country(&m.name)) {
                let code = match self.region(&m.name, &countries) {
                    Some(r) if r.level == Level::Admin1 => Some(r.code.clone()),
                    Some(r) => r.parent.clone(),
                    None if pass => None,
                    None => self
                        .places(&m.name, Some(&countries))
                        .first()
                        .and_then(|p| p.admin1_code.clone()),
                };
                if let Some(c) = code
                    && !self.context.admin1.contains(&c)
                {
                    self.context.admin1.push(c);
                }
            }
        }
        let mut per_province: HashMap<String, usize> = HashMap::new();
        let mut placed = 0;
        for m in mentions.iter().filter(|m| !is_country(&m.name)) {
            let code = match self.locate(m) {
                Some(Located::Region(r)) if r.level == Level::Admin1 => Some(r.code.clone()),
                Some(Located::Region(r)) => r.parent.clone(),
                Some(Located::Place(p, _)) => p.admin1_code.clone(),
                None => None,
            };
            if let Some(c) = code {
                *per_province.entry(c).or_default() += 1;
                placed += 1;
            }
        }
        self.context.province = per_province
            .into_iter()
            .filter(|(_, n)| 2 * n >= placed)
            .max_by_key(|(c, n)| (*n, std::cmp::Reverse(c.clone())))
            .map(|(c, _)| c);
        let main_province = self.context.province.clone();
        // The town named most often (at least twice, by any wording) in
        // the report's province.
        let mut seen: HashMap<i64, (usize, Place, String)> = HashMap::new();
        for m in mentions
            .iter()
            .filter(|m| !matches!(m.cue, Cue::Province | Cue::From))
        {
            if let Some(Located::Place(p, _)) = self.locate(m)
                && (main_province.is_none() || p.admin1_code == main_province)
            {
                let key = normalize_name(&m.name);
                let times = words
                    .iter()
                    .filter(|w| w.is_capitalised() && normalize_name(&w.text) == key)
                    .count()
                    .max(1);
                seen.entry(p.id).or_insert((times, p, m.name.clone()));
            }
        }
        self.context.main_place = seen
            .into_values()
            .filter(|(n, _, _)| *n >= 2)
            .max_by_key(|(n, p, _)| (*n, std::cmp::Reverse(p.id)))
            .map(|(_, p, name)| (p, name));
    }

    /// A province or district named exactly `name` (any known spelling),
    /// preferring `countries`.
    pub fn region(&self, name: &str, countries: &[&str]) -> Option<&'a Region> {
        let key = normalize_name(name);
        if key.is_empty() {
            return None;
        }
        let r = self.regions.resolve_in(name, countries).ok()?;
        std::iter::once(r.region)
            .chain(r.also)
            .filter(|r| r.level != Level::Custom)
            .filter(|r| countries.is_empty() || countries.contains(&r.country.as_str()))
            .find(|r| {
                std::iter::once(&r.name)
                    .chain(&r.alt_names)
                    .chain(&r.name_ar)
                    .any(|n| same_region_name(&normalize_name(n), &key))
            })
    }

    /// The gazetteer's places named `name` exactly or in a variant
    /// spelling, best first; within `countries` when given.
    fn places(&self, name: &str, countries: Option<&[&str]>) -> Vec<Place> {
        let found = match countries {
            Some(cs) => cs
                .iter()
                .flat_map(|c| self.gazetteer.search(name, Some(c), 10))
                .collect(),
            None => self.gazetteer.search(name, None, 10),
        };
        let mut found: Vec<_> = found
            .into_iter()
            // A variant spelling far from the name written ("Zuhour" for
            // "Az Zubayr") is another place more often than not.
            .filter(|c| c.kind.is_confident() && !c.place.is_abandoned())
            .filter(|c| c.kind == MatchKind::Exact || c.edits * 4 <= name.chars().count())
            .collect();
        let in_context = |p: &Place| {
            p.admin1_code
                .as_ref()
                .is_some_and(|a| self.context.admin1.contains(a))
        };
        found.sort_by(|a, b| {
            in_context(&b.place)
                .cmp(&in_context(&a.place))
                .then(b.score.total_cmp(&a.score))
        });
        // A village outside every province the report names is more
        // likely a namesake than the place meant: leave it to the reviewer.
        let known = !self.context.admin1.is_empty();
        found
            .into_iter()
            .filter(|c| !known || in_context(&c.place) || c.place.population >= 50_000)
            .map(|c| c.place)
            .collect()
    }

    /// Where a mention is in the report's context, if anywhere known. A
    /// country's name is no place: an event known only to the country is
    /// placed by the rest of the report.
    pub fn locate(&self, m: &Mention) -> Option<Located<'a>> {
        if is_country(&m.name) {
            return None;
        }
        let countries: Vec<&str> = self.context.countries.iter().map(String::as_str).collect();
        let region = self.region(&m.name, &countries);
        if m.cue == Cue::Province
            && let Some(r) = region
        {
            return Some(Located::Region(r));
        }
        let precision = if m.cue == Cue::Near {
            GeoPrecision::Near
        } else {
            GeoPrecision::Exact
        };
        // A province's name is also its capital's: the town is meant
        // unless the text says "province"; a province with no such town
        // stays a province.
        if let Some(place) = self.places(&m.name, Some(&countries)).into_iter().next() {
            return Some(Located::Place(place, precision));
        }
        if let Some(r) = region {
            return Some(Located::Region(r));
        }
        let anchor = m.anchor.as_ref()?;
        match self.locate(anchor)? {
            Located::Place(p, _) => Some(Located::Place(p, GeoPrecision::Near)),
            other => Some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::words;

    fn names(s: &str) -> Vec<(String, Cue)> {
        mentions(s, &words(s))
            .into_iter()
            .map(|m| (m.name, m.cue))
            .collect()
    }

    #[test]
    fn names_after_cues_are_places() {
        assert_eq!(
            names("Gunmen killed a man in the town of Nawa in the western Daraa countryside"),
            [
                ("Nawa".to_string(), Cue::At),
                ("Daraa".to_string(), Cue::Province)
            ]
        );
        assert_eq!(
            names("clashes at the Al-Masmiyah checkpoint, north of Daraa"),
            [
                ("Al-Masmiyah".to_string(), Cue::At),
                ("Daraa".to_string(), Cue::Near)
            ]
        );
        assert_eq!(
            names("Syria's Daraa province and the Syrian Democratic Forces"),
            [("Daraa".to_string(), Cue::Province)]
        );
        assert_eq!(
            names("shelling hit Kafr Nabl, Maarat al-Numan and Saraqib"),
            [
                ("Kafr Nabl".to_string(), Cue::At),
                ("Maarat al-Numan".to_string(), Cue::At),
                ("Saraqib".to_string(), Cue::At)
            ]
        );
        assert_eq!(names("On Tuesday, Ahmad said in March"), []);
    }

    #[test]
    fn a_name_north_of_another_is_anchored_to_it() {
        let s = "fighting in Jasim, north of Daraa";
        let m = mentions(s, &words(s));
        assert_eq!(m[0].name, "Jasim");
        assert_eq!(m[0].anchor.as_ref().map(|a| a.name.as_str()), Some("Daraa"));
    }
}
