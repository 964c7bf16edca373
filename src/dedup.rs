//! Finding incidents that report the same event, within one source or
//! across sources: candidate pairs are blocked by time and space (buckets of
//! days and grid cells, never a scan of every pair), then scored from how
//! sources differ: date spans of different precision, points a few km
//! apart, place names in other transliterations, actor names in other
//! spellings (`data/actor_aliases.tsv`), fatality figures that disagree.
//!
//! A score alone cannot tell an event's twin from a neighbouring event of
//! the same actors in the same town a day later: the verdict `duplicate`
//! also needs the pair to be each one's best match in the other's dataset
//! (matched one to one, best pairs first).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::Datelike;
use serde::Serialize;

use crate::filter::distance_km;
use crate::fold::fold;
use crate::geo::{is_variant, normalize_name};
use crate::model::{GeoPrecision, Incident};

/// The score at and above which a pair that is each one's best match is
/// called a duplicate: chosen on the development set (benches/README.md,
/// "Issue 15") as the lowest that keeps near misses (other events of the
/// same actors nearby) under 1 % on every set.
pub const DUPLICATE: f64 = 0.96;

/// What `dedup` looks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Most days between two date spans (0: they share a day).
    pub window_days: u32,
    /// Farthest apart two located incidents may be.
    pub radius_km: f64,
    /// Pairs scoring below this are not reported.
    pub min_score: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            window_days: 3,
            radius_km: 25.0,
            min_score: 0.5,
        }
    }
}

impl Options {
    /// Refuses values that make no sense, naming the flag's field.
    pub fn check(&self) -> crate::error::Result<()> {
        use crate::error::Error;
        if self.window_days > 366 {
            return Err(Error::invalid(
                "window",
                self.window_days,
                "at most 366 days",
            ));
        }
        if !(self.radius_km > 0.0 && self.radius_km <= 500.0) {
            return Err(Error::invalid(
                "radius",
                self.radius_km,
                "a distance in km above 0, up to 500",
            ));
        }
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(Error::invalid(
                "min_score",
                self.min_score,
                "a score from 0 to 1",
            ));
        }
        Ok(())
    }
}

/// Spans longer than this (a month, a year) say too little to match on.
const LONGEST_SPAN_DAYS: i32 = 62;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Duplicate,
    Possible,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Duplicate => "duplicate",
            Verdict::Possible => "possible",
        }
    }
}

/// How two values of a field compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Likeness {
    Same,
    /// Not equal, but names of one thing (a transliteration, an alias, a
    /// related event type) or partly the same (one actor of two).
    Related,
    Different,
    /// One side or both do not say.
    Unknown,
}

impl Likeness {
    pub fn as_str(self) -> &'static str {
        match self {
            Likeness::Same => "same",
            Likeness::Related => "related",
            Likeness::Different => "different",
            Likeness::Unknown => "unknown",
        }
    }
}

/// Why a pair scored as it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reasons {
    /// Days between the two date spans; 0 when they share a day.
    pub days_apart: i64,
    /// Distance between the points, when both are located to a place.
    pub km_apart: Option<f64>,
    pub place: Likeness,
    pub event_type: Likeness,
    pub actors: Likeness,
    /// The best fatality figures of `a` and `b`.
    pub fatalities: [Option<u32>; 2],
    /// Both come from one dataset, which coded them as two events.
    pub same_source: bool,
    /// Each is the other's best match in the other's dataset.
    pub best_match: bool,
}

/// Two incidents that may report one event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub score: f64,
    pub verdict: Verdict,
    pub reasons: Reasons,
}

/// What scoring needs of an incident, compact so that 100,000 fit easily.
struct Item {
    uid: String,
    dataset: String,
    start: i32,
    end: i32,
    /// Only when located to a place or near one (geo precision 1 or 2).
    point: Option<(f64, f64)>,
    admin1: Option<String>,
    country: Option<String>,
    admin2: Option<String>,
    place: Option<String>,
    event_type: String,
    actors: Vec<String>,
    fatalities: Option<u32>,
}

/// The dataset an incident comes from, as its uid says: the letters before
/// its number ("UCDP-", "SYR"); for our own uids, the first source's publisher.
pub fn dataset(inc: &Incident) -> String {
    let prefix = crate::sync::namespace(inc.uid.as_deref().unwrap_or(""));
    if prefix == "INC-" {
        let publisher = inc.sources.first().map_or("", |s| s.publisher.as_str());
        format!("INC-:{}", fold(publisher))
    } else {
        prefix.to_string()
    }
}

/// The alias table (`data/actor_aliases.tsv`): names to group keys, and
/// pairs of related groups.
struct Aliases {
    groups: HashMap<String, String>,
    related: HashSet<(String, String)>,
}

fn aliases() -> &'static Aliases {
    static TABLE: OnceLock<Aliases> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Aliases {
            groups: HashMap::new(),
            related: HashSet::new(),
        };
        let lines = include_str!("../data/actor_aliases.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        for line in lines {
            let Some((key, value)) = line.split_once('\t') else {
                continue;
            };
            match key.strip_prefix('~') {
                Some(a) => {
                    table.related.insert((a.to_string(), value.to_string()));
                    table.related.insert((value.to_string(), a.to_string()));
                }
                None => {
                    table
                        .groups
                        .insert(actor_words(value).join(" "), key.to_string());
                }
            }
        }
        table
    })
}

/// Words that say what kind of actor, not which one.
const GENERIC_WORDS: &[&str] = &[
    "of",
    "the",
    "and",
    "forces",
    "force",
    "military",
    "government",
    "army",
    "armed",
    "group",
    "groups",
    "militia",
    "unidentified",
    "al",
];

/// An actor name's words, folded, without parenthesised parts
/// ("Military Forces of Syria (2000-2024)" -> military forces of syria).
fn actor_words(name: &str) -> Vec<String> {
    let mut plain = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    normalize_name(&plain)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The key an actor is compared by: its alias group (looked up whole, then
/// by each side of a colon: "NDF: National Defence Forces"), else its
/// distinctive words ("Syrian Army" and "Army of Syria" differ; the table
/// joins them).
fn actor_key(name: &str) -> Option<String> {
    let groups = &aliases().groups;
    let whole = std::iter::once(name);
    let sides = name.split_once(':').into_iter().flat_map(|(a, b)| [a, b]);
    for part in whole.chain(sides) {
        if let Some(key) = groups.get(&actor_words(part).join(" ")) {
            return Some(key.clone());
        }
    }
    let words = actor_words(name);
    if words.is_empty() {
        return None;
    }
    let distinctive: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !GENERIC_WORDS.contains(w))
        .collect();
    Some(if distinctive.is_empty() {
        words.join(" ")
    } else {
        distinctive.join(" ")
    })
}

fn day_number(d: chrono::NaiveDate) -> i32 {
    d.num_days_from_ce()
}

fn item(inc: &Incident) -> Item {
    let located = matches!(
        inc.geo_precision,
        None | Some(GeoPrecision::Exact) | Some(GeoPrecision::Near)
    );
    // A field may name several groups ("Ahrar al-Sham, HTS").
    let mut actors: Vec<String> = [&inc.actor1, &inc.actor2]
        .into_iter()
        .flatten()
        .flat_map(|a| a.split([',', ';']))
        .filter_map(actor_key)
        .collect();
    actors.sort();
    actors.dedup();
    Item {
        uid: inc.uid.clone().unwrap_or_default(),
        dataset: dataset(inc),
        start: day_number(inc.span.start),
        end: day_number(inc.span.end),
        point: match (inc.latitude, inc.longitude) {
            (Some(lat), Some(lon)) if located => Some((lat, lon)),
            _ => None,
        },
        admin1: inc.admin1_code.clone(),
        country: inc.country.clone(),
        admin2: inc.admin2_code.clone(),
        place: inc
            .place
            .as_deref()
            .map(normalize_name)
            .filter(|p| !p.is_empty()),
        event_type: inc.event_type.clone(),
        actors,
        fatalities: inc.fatalities.best,
    }
}

/// Event types one source may code where another codes the other: a UCDP
/// state-based event is ACLED's battle or shelling alike.
fn related_types(a: &str, b: &str) -> bool {
    let pair = |x: &str, y: &str| (a == x && b == y) || (a == y && b == x);
    pair("Battles", "Explosions/Remote violence")
        || pair("Violence against civilians", "Explosions/Remote violence")
        || pair("Riots", "Protests")
}

fn place_likeness(a: &Option<String>, b: &Option<String>) -> Likeness {
    let (Some(a), Some(b)) = (a, b) else {
        return Likeness::Unknown;
    };
    if a == b {
        return Likeness::Same;
    }
    // "Daraa town" and "Dar'a", "Al Bab" and "al-Bab city": a name inside
    // the other, or one name in two transliterations.
    let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
    let (wa, wb) = (words(a), words(b));
    let shares = wa.iter().any(|x| {
        x.len() > 2
            && wb
                .iter()
                .any(|y| y == x || (y.len() > 2 && is_variant(x, y)))
    });
    if shares || is_variant(a, b) {
        Likeness::Related
    } else {
        Likeness::Different
    }
}

fn actor_likeness(a: &[String], b: &[String]) -> Likeness {
    if a.is_empty() || b.is_empty() {
        return Likeness::Unknown;
    }
    if a == b {
        return Likeness::Same;
    }
    let related = &aliases().related;
    if a.iter().any(|x| {
        b.iter()
            .any(|y| x == y || related.contains(&(x.clone(), y.clone())))
    }) {
        Likeness::Related
    } else {
        Likeness::Different
    }
}

/// A piecewise-linear curve through `points` (x ascending), flat beyond them.
fn curve(points: &[(f64, f64)], x: f64) -> f64 {
    let Some(&(x0, y0)) = points.first() else {
        return 0.0;
    };
    if x <= x0 {
        return y0;
    }
    for w in points.windows(2) {
        let ((xa, ya), (xb, yb)) = (w[0], w[1]);
        if x <= xb {
            return ya + (yb - ya) * (x - xa) / (xb - xa);
        }
    }
    points.last().map_or(0.0, |p| p.1)
}

/// Scores a pair: evidence for and against, added as log-odds and turned
/// into 0..1.
fn score(a: &Item, b: &Item) -> (f64, Reasons) {
    let mut z = -2.5;
    let gap = (a.start.max(b.start) - a.end.min(b.end)).max(0);
    let width = (a.end - a.start).max(b.end - b.start) + 1;
    z += match gap {
        // Sharing a day says more the shorter the spans are.
        0 => curve(&[(1.0, 2.5), (7.0, 1.3), (31.0, 0.4)], f64::from(width)),
        1 => 1.8,
        2 => -2.0,
        3 => -2.0,
        _ => -3.5,
    };
    let km = match (a.point, b.point) {
        (Some(p), Some(q)) => Some(distance_km(p.0, p.1, q.0, q.1)),
        _ => None,
    };
    let place = place_likeness(&a.place, &b.place);
    match km {
        Some(d) => {
            z += curve(
                &[
                    (0.5, 2.2),
                    (3.0, 1.6),
                    (7.0, 0.8),
                    (12.0, -0.6),
                    (25.0, -3.0),
                ],
                d,
            );
            // Near points already say "same place"; a name that differs
            // says a village nearby.
            z += match place {
                Likeness::Same => 0.3,
                Likeness::Related => 0.2,
                Likeness::Different => -0.8,
                Likeness::Unknown => 0.0,
            };
        }
        None => {
            z += match (&a.admin1, &b.admin1) {
                (Some(x), Some(y)) if x != y => -3.0,
                (Some(_), Some(_)) if a.admin2.is_some() && a.admin2 == b.admin2 => 0.6,
                (Some(_), Some(_)) => 0.0,
                // One known only to the country: it may be anywhere in it.
                _ if a.country == b.country => -0.3,
                _ => -3.0,
            };
            z += match place {
                Likeness::Same => 1.0,
                Likeness::Related => 0.7,
                Likeness::Different => -0.6,
                Likeness::Unknown => 0.0,
            };
        }
    }
    let event_type = if a.event_type == b.event_type {
        Likeness::Same
    } else if related_types(&a.event_type, &b.event_type) {
        Likeness::Related
    } else {
        Likeness::Different
    };
    z += match event_type {
        Likeness::Same => 0.4,
        Likeness::Related => 0.0,
        _ => -1.0,
    };
    let actors = actor_likeness(&a.actors, &b.actors);
    z += match actors {
        Likeness::Same => 1.2,
        Likeness::Related => 0.4,
        Likeness::Different => -1.5,
        Likeness::Unknown => 0.0,
    };
    // Sources mostly agree on a toll, or nearly (a few or a third more or
    // less): equal is evidence, a larger toll more so (fewer events share
    // it); far apart is strong evidence of two events.
    z += match (a.fatalities, b.fatalities) {
        (Some(x), Some(y)) if x == y => {
            if x >= 3 {
                1.5
            } else {
                1.2
            }
        }
        (Some(x), Some(y)) => {
            let (lo, hi) = (x.min(y), x.max(y));
            let diff = f64::from(hi - lo);
            if diff <= (0.35 * f64::from(hi)).max(3.0) {
                0.4 - 0.15 * diff.min(3.0)
            } else {
                -2.5
            }
        }
        _ => 0.0,
    };
    let same_source = a.dataset == b.dataset;
    if same_source {
        z -= 2.0;
    }
    let score = 1.0 / (1.0 + (-z).exp());
    let reasons = Reasons {
        days_apart: i64::from(gap),
        km_apart: km.map(|d| (d * 10.0).round() / 10.0),
        place,
        event_type,
        actors,
        fatalities: [a.fatalities, b.fatalities],
        same_source,
        best_match: false,
    };
    (score, reasons)
}

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.195;

/// The incidents each incident is compared with: those whose spans are at
/// most `window_days` apart and whose points are within `radius_km` (or,
/// when one is located only to its province, in the same province).
struct Blocks {
    bucket_days: i32,
    cell_degrees: f64,
    cells: HashMap<(i32, i32, i32), Vec<u32>>,
    /// By province and by country: every incident, and those located only
    /// to it (under the finest of the two they have).
    regions: HashMap<(String, i32), Vec<u32>>,
    unlocated: HashMap<(String, i32), Vec<u32>>,
}

impl Blocks {
    fn new(items: &[Item], opts: &Options) -> Blocks {
        let mut b = Blocks {
            bucket_days: i32::try_from(opts.window_days).unwrap_or(i32::MAX / 4) + 1,
            cell_degrees: (opts.radius_km / KM_PER_DEGREE).max(1e-3),
            cells: HashMap::new(),
            regions: HashMap::new(),
            unlocated: HashMap::new(),
        };
        for (i, it) in items.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            for t in b.buckets(it.start, it.end) {
                if let Some((y, x)) = it.point.map(|p| b.cell(p)) {
                    b.cells.entry((y, x, t)).or_default().push(i);
                }
                for r in it.admin1.iter().chain(&it.country) {
                    b.regions.entry((r.clone(), t)).or_default().push(i);
                }
                if it.point.is_none()
                    && let Some(r) = it.admin1.as_ref().or(it.country.as_ref())
                {
                    b.unlocated.entry((r.clone(), t)).or_default().push(i);
                }
            }
        }
        b
    }

    fn buckets(&self, start: i32, end: i32) -> std::ops::RangeInclusive<i32> {
        start.div_euclid(self.bucket_days)..=end.div_euclid(self.bucket_days)
    }

    fn cell(&self, (lat, lon): (f64, f64)) -> (i32, i32) {
        (
            (lat / self.cell_degrees).floor() as i32,
            (lon / self.cell_degrees).floor() as i32,
        )
    }

    /// Calls `f` with every candidate of item `i` (each once, some more
    /// than needed: the caller checks the window and radius).
    fn candidates(&self, items: &[Item], i: usize, seen: &mut [u32], mut f: impl FnMut(usize)) {
        let it = &items[i];
        let stamp = u32::try_from(i).unwrap_or(u32::MAX);
        let mut visit = |list: Option<&Vec<u32>>| {
            for &j in list.into_iter().flatten() {
                let j = j as usize;
                if j != i && seen[j] != stamp {
                    seen[j] = stamp;
                    f(j);
                }
            }
        };
        let window = self.bucket_days - 1;
        for t in self.buckets(it.start - window, it.end + window) {
            if let Some((lat, lon)) = it.point {
                let (y, x) = self.cell((lat, lon));
                // Cells are narrower in km away from the equator.
                let wide = (1.0 / lat.to_radians().cos().max(0.01)).ceil() as i32;
                for dy in -1..=1 {
                    for dx in -wide..=wide {
                        visit(self.cells.get(&(y + dy, x + dx, t)));
                    }
                }
            }
            // Those located only to the province or country it is in; for
            // one located only to a province or country, every incident in
            // it, and those located only to its country. (Each pair is
            // found from both sides.)
            let key = |r: &String| (r.clone(), t);
            match (it.point.is_some(), &it.admin1, &it.country) {
                (true, admin1, country) => {
                    for r in admin1.iter().chain(country) {
                        visit(self.unlocated.get(&key(r)));
                    }
                }
                (false, Some(admin1), country) => {
                    visit(self.regions.get(&key(admin1)));
                    if let Some(c) = country {
                        visit(self.unlocated.get(&key(c)));
                    }
                }
                (false, None, Some(country)) => visit(self.regions.get(&key(country))),
                (false, None, None) => {}
            }
        }
    }
}

/// The incidents to compare, kept compact (what scoring needs of each).
#[derive(Default)]
pub struct Pool {
    items: Vec<Item>,
}

impl Pool {
    /// Adds an incident; those with spans too long to match on are left out.
    pub fn add(&mut self, inc: &Incident) {
        let it = item(inc);
        if it.end - it.start < LONGEST_SPAN_DAYS {
            self.items.push(it);
        }
    }

    /// Candidate pairs scoring at least `opts.min_score`, best first, with verdicts.
    pub fn pairs(&self, opts: &Options) -> Vec<Pair> {
        let items = &self.items;
        let blocks = Blocks::new(items, opts);
        let window = i32::try_from(opts.window_days).unwrap_or(i32::MAX);
        let mut seen = vec![u32::MAX; items.len()];
        let mut pairs = Vec::new();
        for i in 0..items.len() {
            let a = &items[i];
            blocks.candidates(items, i, &mut seen, |j| {
                let b = &items[j];
                // Each pair once, from its first item.
                if j < i || a.start.max(b.start) - a.end.min(b.end) > window {
                    return;
                }
                if let (Some(p), Some(q)) = (a.point, b.point)
                    && distance_km(p.0, p.1, q.0, q.1) > opts.radius_km
                {
                    return;
                }
                let (a, b) = if a.uid <= b.uid { (a, b) } else { (b, a) };
                let (s, reasons) = score(a, b);
                if s >= opts.min_score {
                    pairs.push(Pair {
                        a: a.uid.clone(),
                        b: b.uid.clone(),
                        score: (s * 10_000.0).round() / 10_000.0,
                        verdict: Verdict::Possible,
                        reasons,
                    });
                }
            });
        }
        pairs.sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then_with(|| x.a.cmp(&y.a))
                .then_with(|| x.b.cmp(&y.b))
        });
        match_best(&mut pairs, items);
        // A pair that lost its incidents to better matches is less likely
        // (the report matched elsewhere is the better explanation): where an
        // incident has two near-identical candidates, the one another
        // report does not explain comes first.
        for p in pairs.iter_mut().filter(|p| !p.reasons.best_match) {
            let s = 1.0 / (1.0 + (UNMATCHED - log_odds(p.score)).exp());
            p.score = (s * 10_000.0).round() / 10_000.0;
        }
        pairs.retain(|p| p.score >= opts.min_score);
        pairs.sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then_with(|| y.reasons.best_match.cmp(&x.reasons.best_match))
                .then_with(|| x.a.cmp(&y.a))
                .then_with(|| x.b.cmp(&y.b))
        });
        pairs
    }

    /// The duplicate pairs as groups of incidents that report one event:
    /// three reports of one event are one group. A group never takes two
    /// incidents of one dataset (a dataset's own pairs are never duplicates).
    pub fn groups(&self, pairs: &[Pair]) -> Vec<Vec<String>> {
        let dataset: HashMap<&str, &str> = self
            .items
            .iter()
            .map(|it| (it.uid.as_str(), it.dataset.as_str()))
            .collect();
        let dataset_of = |u: &str| dataset.get(u).copied().unwrap_or("");
        let mut group_of: HashMap<String, usize> = HashMap::new();
        let mut members: Vec<Vec<String>> = Vec::new();
        for p in pairs.iter().filter(|p| p.verdict == Verdict::Duplicate) {
            let (ga, gb) = (group_of.get(&p.a).copied(), group_of.get(&p.b).copied());
            match (ga, gb) {
                (Some(x), Some(y)) if x == y => {}
                (Some(x), Some(y)) => {
                    let datasets = |g: usize| -> HashSet<&str> {
                        members[g].iter().map(|u| dataset_of(u)).collect()
                    };
                    if datasets(x).is_disjoint(&datasets(y)) {
                        let moved = std::mem::take(&mut members[y]);
                        for u in &moved {
                            group_of.insert(u.clone(), x);
                        }
                        members[x].extend(moved);
                    }
                }
                (Some(g), None) | (None, Some(g)) => {
                    let new = if ga.is_some() { &p.b } else { &p.a };
                    let ds = dataset_of(new);
                    if !members[g].iter().any(|u| dataset_of(u) == ds) {
                        group_of.insert(new.clone(), g);
                        members[g].push(new.clone());
                    }
                }
                (None, None) => {
                    group_of.insert(p.a.clone(), members.len());
                    group_of.insert(p.b.clone(), members.len());
                    members.push(vec![p.a.clone(), p.b.clone()]);
                }
            }
        }
        members.retain(|g| g.len() > 1);
        members
    }
}

impl FromIterator<Incident> for Pool {
    fn from_iter<I: IntoIterator<Item = Incident>>(incidents: I) -> Pool {
        let mut pool = Pool::default();
        for inc in incidents {
            pool.add(&inc);
        }
        pool
    }
}

/// How much more likely (in log-odds) a duplicate must be than the next
/// best candidate of either side in the same dataset: a dataset's events
/// that agree in everything another source reports (the same actors, place,
/// day and toll) cannot be told apart, and a guess is no verdict.
const MARGIN: f64 = 1.0;

/// What a pair loses (in log-odds) when either incident is matched better
/// elsewhere in the same dataset.
const UNMATCHED: f64 = 1.5;

fn log_odds(score: f64) -> f64 {
    let s = score.clamp(1e-6, 1.0 - 1e-6);
    (s / (1.0 - s)).ln()
}

/// Marks each incident's best match in every other dataset, one to one,
/// best pairs first, and gives the verdict `duplicate` to those scoring
/// [`DUPLICATE`] or more that stand out by [`MARGIN`] from the runners-up.
/// Two incidents of one dataset are never called duplicates: the dataset
/// coded them as two events (they stay `possible`).
fn match_best(pairs: &mut [Pair], items: &[Item]) {
    let dataset: HashMap<&str, &str> = items
        .iter()
        .map(|it| (it.uid.as_str(), it.dataset.as_str()))
        .collect();
    let ds = |u: &str| dataset.get(u).copied().unwrap_or("");
    // The best two scores of each incident in each other dataset.
    let mut top: HashMap<(&str, &str), [f64; 2]> = HashMap::new();
    for p in pairs.iter() {
        for (me, other) in [(&p.a, &p.b), (&p.b, &p.a)] {
            let t = top.entry((me.as_str(), ds(other))).or_insert([f64::MIN; 2]);
            if p.score > t[0] {
                *t = [p.score, t[0]];
            } else if p.score > t[1] {
                t[1] = p.score;
            }
        }
    }
    let runner_up = |me: &str, other: &str| top.get(&(me, ds(other))).map_or(f64::MIN, |t| t[1]);
    let mut taken: HashSet<(&str, &str)> = HashSet::new();
    let mut verdicts = Vec::with_capacity(pairs.len());
    for p in pairs.iter() {
        let (ka, kb) = ((p.a.as_str(), ds(&p.b)), (p.b.as_str(), ds(&p.a)));
        if taken.contains(&ka) || taken.contains(&kb) {
            verdicts.push((false, Verdict::Possible));
            continue;
        }
        taken.insert(ka);
        taken.insert(kb);
        let stands_out = [runner_up(&p.a, &p.b), runner_up(&p.b, &p.a)]
            .iter()
            .all(|&r| r == f64::MIN || log_odds(p.score) - log_odds(r) >= MARGIN);
        let duplicate = p.score >= DUPLICATE && stands_out && !p.reasons.same_source;
        verdicts.push((
            true,
            if duplicate {
                Verdict::Duplicate
            } else {
                Verdict::Possible
            },
        ));
    }
    for (p, (best, verdict)) in pairs.iter_mut().zip(verdicts) {
        p.reasons.best_match = best;
        p.verdict = verdict;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;

    fn inc(uid: &str, day: u32, lat: f64, lon: f64, actors: (&str, &str), deaths: u32) -> Incident {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 6, day).unwrap();
        let mut i = Incident::new("Battles", DateSpan::day(d).unwrap());
        i.uid = Some(uid.into());
        i.latitude = Some(lat);
        i.longitude = Some(lon);
        i.geo_precision = Some(GeoPrecision::Exact);
        i.admin1_code = Some("SY12".into());
        i.actor1 = Some(actors.0.into());
        i.actor2 = Some(actors.1.into());
        i.fatalities.best = Some(deaths);
        i
    }

    #[test]
    fn aliases_join_spellings_of_one_group() {
        assert_eq!(
            actor_key("Government of Syria"),
            actor_key("Military Forces of Syria (2000-2024)")
        );
        assert_eq!(actor_key("IS"), actor_key("Islamic State (Syria)"));
        assert_ne!(actor_key("IS"), actor_key("Government of Syria"));
        // Not in the table: compared by distinctive words.
        assert_eq!(
            actor_key("Jaysh al-Islam"),
            actor_key("JAYSH AL-ISLĀM (Syria)")
        );
    }

    #[test]
    fn a_rereport_matches_its_twin_not_the_next_days_event() {
        let gov = ("Government of Syria", "Syrian insurgents");
        let acled = (
            "Military Forces of Syria (2000-2024)",
            "Opposition Rebels (Syria)",
        );
        let items = vec![
            inc("UCDP-1", 10, 32.62, 36.10, gov, 4),
            inc("UCDP-2", 11, 32.62, 36.10, gov, 1),
            inc("SYR1", 10, 32.64, 36.12, acled, 4),
        ];
        let pairs = items
            .into_iter()
            .collect::<Pool>()
            .pairs(&Options::default());
        let best = &pairs[0];
        assert_eq!((best.a.as_str(), best.b.as_str()), ("SYR1", "UCDP-1"));
        assert_eq!(best.verdict, Verdict::Duplicate);
        assert_eq!(best.reasons.actors, Likeness::Same);
        // The neighbour is at most possible: SYR1 is taken.
        assert!(
            pairs
                .iter()
                .filter(|p| p.a == "SYR1" && p.b == "UCDP-2")
                .all(|p| p.verdict == Verdict::Possible)
        );
    }

    #[test]
    fn far_apart_or_days_apart_are_not_candidates() {
        let a = ("Government of Syria", "IS");
        let items = vec![
            inc("UCDP-1", 10, 32.62, 36.10, a, 4),
            inc("SYR1", 20, 32.62, 36.10, a, 4),
            inc("SYR2", 10, 34.0, 37.0, a, 4),
        ];
        let pool: Pool = items.into_iter().collect();
        assert!(pool.pairs(&Options::default()).is_empty());
    }

    #[test]
    fn groups_join_three_reports_of_one_event() {
        let a = ("Government of Syria", "IS");
        let mut local = inc("INC-000001", 10, 32.621, 36.101, a, 4);
        local.sources.push(crate::model::Source {
            publisher: "Daraa 24".into(),
            ..Default::default()
        });
        let items = vec![
            inc("UCDP-1", 10, 32.62, 36.10, a, 4),
            inc(
                "SYR1",
                10,
                32.63,
                36.10,
                ("Military Forces of Syria", "Islamic State"),
                4,
            ),
            local,
        ];
        let pool: Pool = items.into_iter().collect();
        let pairs = pool.pairs(&Options::default());
        let groups = pool.groups(&pairs);
        assert_eq!(groups.len(), 1, "{pairs:#?}");
        assert_eq!(groups[0].len(), 3);
    }
}
