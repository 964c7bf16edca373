//! The filter's conformance: on ten thousand generated incidents imported
//! through the binary (about one in eight then merged into another, and
//! some made drafts or rejected drafts, as review statuses go),
//! `list`, `export --format csv`, a period `report` and `report --group-by`
//! select, for hundreds of random filters, exactly the incidents that
//! `Filter::matches` (the filter's meaning in plain Rust) selects. One
//! import, then many cheap queries, two at a time.
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, Duration, Months, NaiveDate};
use common::{Session, both};
use incidents::filter::Filter;
use incidents::geo::Regions;
use incidents::locate::FilterSpec;
use incidents::model::{DatePrecision, DateSpan, Incident, Review, TAXONOMY};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

const INCIDENTS: usize = 10_500;
const FILTERS: usize = 240;

/// Points inside bundled regions: Syria and Iraq (OCHA's districts), their
/// neighbours (Natural Earth), and Fiji on both sides of the antimeridian.
const ANCHORS: &[(f64, f64)] = &[
    (32.62, 36.10),
    (33.07, 36.18),
    (32.85, 36.25),
    (33.51, 36.29),
    (36.20, 37.15),
    (34.73, 36.71),
    (35.95, 39.01),
    (35.33, 40.14),
    (35.93, 36.63),
    (37.05, 41.22),
    (35.52, 35.85),
    (33.31, 44.37),
    (36.34, 43.13),
    (35.47, 44.39),
    (30.51, 47.81),
    (33.42, 43.30),
    (36.19, 44.01),
    (33.89, 35.55),
    (31.95, 35.93),
    (37.07, 37.38),
    (-17.80, 178.00),
    (-16.55, 179.95),
    (-16.45, -179.97),
];

/// Custom regions, rectangles (min lon, min lat, max lon, max lat): the
/// first is imported before the incidents, the second after them.
const CUSTOM: [(&str, &str, [f64; 4]); 2] = [
    ("AOI-DARAA", "AOI North Daraa", [36.0, 32.7, 36.4, 33.1]),
    ("AOI-MOSUL", "AOI Mosul", [42.9, 36.2, 43.4, 36.5]),
];

const TITLES: &[&str] = &[
    "Émeute à Alep",
    "Frappe aérienne près de Raqqa",
    "Clashes near Dar'a",
    "ATTAQUE À DEIR EZ-ZŌR",
    "IED détonné sur la route",
    "Çatışma in Afrin",
    "Protest in Baghdād",
    "Shelling of the Idlib countryside",
    "Kidnapping in Mosul",
    "Mob violence in Qāmishli",
    "Drone strike on a convoy",
    "سيارة مفخخة في درعا",
    "100% of the market_place destroyed",
];

const NOTES: &[&str] = &[
    "Toll revised by a second source",
    "Sources disagree (Ḥasakah)",
    "Según testigos, dos muertos",
    "Reported by SOHR",
    "Ärzte ohne Grenzen report",
    "ISTANBUL-based outlet",
];

const PLACES: &[&str] = &[
    "Al-Bāb",
    "Manbij",
    "Qāmishli",
    "Mosul",
    "Kirkūk",
    "Dar'a",
    "Şanlıurfa",
    "Ḥamāh",
    "Tall Abyaḍ",
    "بصرى الشام",
];

const ACTORS: &[&str] = &[
    "Jaysh al-Islām",
    "HAYʼAT TAHRIR AL-SHAM",
    "Syrian Democratic Forces",
    "Forces démocratiques syriennes",
    "Islamic State (Iraq)",
    "Ahrar al-Shām",
    "Türkiye Armed Forces",
    "Peshmerga",
    "Unidentified Armed Group (Syria)",
    "Kata'ib Hizballah",
    "Military Forces of Syria (2024-)",
    "ÉTAT ISLAMIQUE",
];

const TAGS: &[&str] = &[
    "airstrike",
    "checkpoint",
    "IED",
    "kidnapping",
    "ucdp:date_prec=1",
    "civilians",
    "Émeute",
];

const HEADER: &[&str] = &[
    "uid",
    "title",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "date_precision",
    "place",
    "latitude",
    "longitude",
    "geo_precision",
    "country",
    "reported_admin1",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "actor1",
    "actor2",
    "assoc_actors",
    "notes",
    "tags",
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A span of every precision: a day, an ISO week, a month, a year or a range.
fn span(rng: &mut StdRng) -> (NaiveDate, NaiveDate, &'static str) {
    let day = date(2023, 1, 1) + Duration::days(rng.random_range(0..3 * 365));
    match rng.random_range(0..5) {
        0 => (day, day, "day"),
        1 => {
            let monday = day - Duration::days(day.weekday().num_days_from_monday().into());
            (monday, monday + Duration::days(6), "week")
        }
        2 => {
            let first = date(day.year(), day.month(), 1);
            let next = first + Months::new(1);
            (first, next - Duration::days(1), "month")
        }
        3 => (date(day.year(), 1, 1), date(day.year(), 12, 31), "year"),
        _ => (day, day + Duration::days(rng.random_range(1..500)), "range"),
    }
}

fn maybe(rng: &mut StdRng, p: f64, options: &[&str]) -> String {
    if rng.random_bool(p) {
        options.choose(rng).expect("options").to_string()
    } else {
        String::new()
    }
}

/// One generated row of our CSV, in `HEADER`'s order.
fn row(rng: &mut StdRng, n: usize) -> Vec<String> {
    let (start, end, precision) = span(rng);
    let (event_type, subs) = TAXONOMY.choose(rng).expect("taxonomy");
    let sub = maybe(rng, 0.7, subs);
    let (mut lat, mut lon, mut geo, mut country, mut admin1) = Default::default();
    if rng.random_bool(0.85) {
        let (a, b) = ANCHORS.choose(rng).expect("anchors");
        let y: f64 = a + rng.random_range(-0.2..0.2);
        let mut x: f64 = b + rng.random_range(-0.2..0.2);
        if x > 180.0 {
            x -= 360.0;
        } else if x < -180.0 {
            x += 360.0;
        }
        (lat, lon) = (format!("{y:.6}"), format!("{x:.6}"));
        geo = rng.random_range(1..=4).to_string();
    } else {
        country = maybe(rng, 0.8, &["SY", "IQ", "LB"]);
        admin1 = maybe(rng, 0.5, &["Daraa", "Nineveh", "Aleppo Governorate"]);
    }
    let best: Option<u32> = rng.random_bool(0.7).then(|| rng.random_range(0..40));
    let number = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    let low = best.filter(|_| rng.random_bool(0.3)).map(|b| b / 2);
    let high = best.filter(|_| rng.random_bool(0.3)).map(|b| b * 2);
    let mut tags: Vec<&str> = Vec::new();
    for _ in 0..rng.random_range(0..=3) {
        let t = TAGS.choose(rng).expect("tags");
        if !tags.contains(t) {
            tags.push(t);
        }
    }
    let assoc = if rng.random_bool(0.2) {
        format!(
            "{}; {}",
            ACTORS.choose(rng).expect("actors"),
            ACTORS.choose(rng).expect("actors")
        )
    } else {
        String::new()
    };
    vec![
        format!("CONF-{n:05}"),
        maybe(rng, 0.85, TITLES),
        event_type.to_string(),
        sub,
        start.to_string(),
        end.to_string(),
        precision.into(),
        maybe(rng, 0.7, PLACES),
        lat,
        lon,
        geo,
        country,
        admin1,
        number(best),
        number(low),
        number(high),
        maybe(rng, 0.9, ACTORS),
        maybe(rng, 0.5, ACTORS),
        assoc,
        maybe(rng, 0.5, NOTES),
        tags.join(";"),
    ]
}

/// A custom region as a GeoJSON FeatureCollection for `regions import`.
fn custom_region((code, name, [w, s, e, n]): (&str, &str, [f64; 4])) -> String {
    serde_json::json!({
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": {"name": name, "code": code},
            "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}
        }]
    })
    .to_string()
}

/// An incident as the database holds it, with the custom regions that
/// contain its point.
struct Stored {
    inc: Incident,
    custom: Vec<String>,
}

/// Merges about one incident in eight into the next, and makes about one
/// in ten a draft and one in twenty a rejected draft (with the store's
/// writer: merging and reviewing are not this test's subject), so that
/// `--status` has every kind to select; returns the merged uids with the
/// uid each was merged into.
fn merge_and_review_some(s: &Session, rng: &mut StdRng) -> BTreeMap<String, String> {
    let uid = |n: usize| format!("CONF-{:05}", n % INCIDENTS);
    let merged: BTreeMap<String, String> = (0..INCIDENTS)
        .filter(|_| rng.random_bool(0.12))
        .map(|n| (uid(n), uid(n + 1)))
        .collect();
    let reviewed: BTreeMap<String, Review> = (0..INCIDENTS)
        .filter_map(|n| match rng.random_range(0..20) {
            0 | 1 => Some((uid(n), Review::Draft)),
            2 => Some((uid(n), Review::Rejected)),
            _ => None,
        })
        .collect();
    let location = incidents::store::Location::parse(&s.db_arg());
    let mut db = incidents::store::open(&location, &incidents::Author::default()).expect("open");
    incidents::store::write(db.as_mut(), |w| {
        for (other, keep) in &merged {
            let mut inc = w.get_incident(other)?.expect("imported");
            inc.merged_into = Some(keep.clone());
            w.update_incident(&inc)?;
        }
        for (u, status) in &reviewed {
            let mut inc = w.get_incident(u)?.expect("imported");
            inc.status = *status;
            w.update_incident(&inc)?;
        }
        Ok(())
    })
    .expect("merge and review");
    merged
}

/// Every incident, read back with `export --format csv --status all`;
/// `merged` says which were merged (the export has no column for it).
fn read_back(s: &Session, merged: &BTreeMap<String, String>) -> Vec<Stored> {
    let csv = s.ok(&["export", "--format", "csv", "--raw", "--status", "all"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header = r.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.expect("a CSV record");
        let text = |name: &str| Some(rec[col(name)].to_string()).filter(|t| !t.is_empty());
        let number = |name: &str| text(name).map(|t| t.parse::<f64>().expect(name));
        let day = |name: &str| text(name).expect(name).parse().expect(name);
        let precision = DatePrecision::parse(&text("date_precision").expect("precision"));
        let span = DateSpan::new(
            day("date_start"),
            day("date_end"),
            precision.expect("precision"),
        );
        let mut inc = Incident::new(&text("event_type").expect("type"), span.expect("span"));
        inc.uid = text("uid");
        inc.title = text("title");
        inc.sub_event_type = text("sub_event_type");
        inc.place = text("place");
        inc.latitude = number("latitude");
        inc.longitude = number("longitude");
        inc.country = text("country");
        inc.admin1_code = text("admin1_code");
        inc.admin2_code = text("admin2_code");
        inc.actor1 = text("actor1");
        inc.actor2 = text("actor2");
        inc.assoc_actors = text("assoc_actors");
        inc.notes = text("notes");
        inc.tags = text("tags")
            .map(|t| t.split(';').map(str::to_string).collect())
            .unwrap_or_default();
        inc.merged_into = inc.uid.as_ref().and_then(|u| merged.get(u)).cloned();
        inc.status = Review::parse(&text("status").expect("status")).expect("status");
        let custom = match (inc.latitude, inc.longitude) {
            (Some(lat), Some(lon)) => CUSTOM
                .iter()
                .filter(|(_, _, [w, s, e, n])| *w < lon && lon < *e && *s < lat && lat < *n)
                .map(|(code, _, _)| code.to_string())
                .collect(),
            _ => Vec::new(),
        };
        out.push(Stored { inc, custom });
    }
    out
}

/// A random piece of one of `corpus`'s texts, in some case or folded, or
/// a text found nowhere.
fn needle(rng: &mut StdRng, corpus: &[&str]) -> String {
    if rng.random_bool(0.1) {
        return "qzx".into();
    }
    let chars: Vec<char> = corpus.choose(rng).expect("corpus").chars().collect();
    let len = rng.random_range(2..=8).min(chars.len());
    let start = rng.random_range(0..=chars.len() - len);
    let piece: String = chars[start..start + len].iter().collect();
    match rng.random_range(0..4) {
        0 => piece,
        1 => piece.to_uppercase(),
        2 => piece.to_lowercase(),
        _ => incidents::fold::fold(&piece),
    }
}

/// A day as `--from`/`--to` take it: the day, or its month or year.
fn bound(rng: &mut StdRng, d: NaiveDate) -> String {
    match rng.random_range(0..10) {
        0 => d.format("%Y").to_string(),
        1 | 2 => d.format("%Y-%m").to_string(),
        _ => d.to_string(),
    }
}

/// A random combination of filters, as the user would type them.
fn random_spec(rng: &mut StdRng, all: &[Stored]) -> FilterSpec {
    let mut f = FilterSpec::default();
    let some_incident = |rng: &mut StdRng| &all[rng.random_range(0..all.len())].inc;
    if rng.random_bool(0.25) {
        f.region = match rng.random_range(0..6) {
            0 => Some(CUSTOM[rng.random_range(0..2)].1.to_string()),
            1 => ["Daraa", "Dar'a", "Nineveh", "Aleppo"]
                .choose(rng)
                .map(|s| s.to_string()),
            2 | 3 => some_incident(rng).admin2_code.clone(),
            _ => some_incident(rng)
                .admin1_code
                .clone()
                .filter(|c| c.starts_with("SY-") || c.starts_with("IQ-")),
        };
    }
    if rng.random_bool(0.2) {
        f.country = Some(maybe(rng, 1.0, &["SY", "IQ", "LB", "JO", "TR", "sy", "FJ"]));
    }
    if rng.random_bool(0.15) {
        let d = date(2023, 1, 1) + Duration::days(rng.random_range(0..3 * 365));
        f.month = Some(d.format("%Y-%m").to_string());
    } else if rng.random_bool(0.6) {
        let from = date(2022, 6, 1) + Duration::days(rng.random_range(0..4 * 365));
        let to = from + Duration::days(rng.random_range(0..900));
        match rng.random_range(0..4) {
            0 => f.from = Some(bound(rng, from)),
            1 => f.to = Some(bound(rng, to)),
            _ => (f.from, f.to) = (Some(bound(rng, from)), Some(bound(rng, to))),
        }
    }
    f.overlapping = rng.random_bool(0.4);
    if rng.random_bool(0.2) {
        let (t, subs) = TAXONOMY.choose(rng).expect("taxonomy");
        f.event_type = Some(t.to_lowercase());
        if rng.random_bool(0.5) {
            f.sub_event_type = subs.choose(rng).map(|s| s.to_string());
        }
    }
    if rng.random_bool(0.25) {
        f.actor = Some(needle(rng, ACTORS));
    }
    if rng.random_bool(0.25) {
        let corpus = [TITLES, NOTES, PLACES].choose(rng).expect("corpora");
        f.text = Some(needle(rng, corpus));
    }
    if rng.random_bool(0.15) {
        f.tag = Some(maybe(rng, 1.0, TAGS));
    }
    if rng.random_bool(0.25) {
        let (lat, lon) = match some_incident(rng) {
            Incident {
                latitude: Some(lat),
                longitude: Some(lon),
                ..
            } if rng.random_bool(0.6) => (*lat, *lon),
            _ => *ANCHORS.choose(rng).expect("anchors"),
        };
        let radius = [0.5, 3.0, 10.0, 25.0, 60.0, 150.0, 400.0, 1500.0, 4000.0]
            .choose(rng)
            .expect("radii")
            * rng.random_range(0.5..1.5);
        f.near = Some(format!("{lat:.5},{lon:.5}"));
        f.radius = Some(format!("{radius:.3}km"));
    }
    if rng.random_bool(0.5) {
        f.status = Some(maybe(
            rng,
            1.0,
            &[
                "reviewed", "active", "draft", "rejected", "merged", "all", "Merged", "Draft",
            ],
        ));
    }
    if rng.random_bool(0.15) {
        let (lat, lon) = ANCHORS.choose(rng).expect("anchors");
        let (dx, dy): (f64, f64) = (rng.random_range(0.05..3.0), rng.random_range(0.05..3.0));
        f.bbox = Some(format!(
            "{:.4},{:.4},{:.4},{:.4}",
            (lon - dx).max(-180.0),
            (lat - dy).max(-90.0),
            (lon + dx).min(180.0),
            (lat + dy).min(90.0)
        ));
    }
    f
}

/// The command-line flags of `f`; `--overlapping` only when `overlapping`.
fn args(f: &FilterSpec, overlapping: bool) -> Vec<String> {
    let mut out: Vec<String> = [
        ("region", &f.region),
        ("country", &f.country),
        ("from", &f.from),
        ("to", &f.to),
        ("month", &f.month),
        ("type", &f.event_type),
        ("sub-type", &f.sub_event_type),
        ("actor", &f.actor),
        ("text", &f.text),
        ("tag", &f.tag),
        ("near", &f.near),
        ("radius", &f.radius),
        ("bbox", &f.bbox),
        ("status", &f.status),
    ]
    .into_iter()
    .filter_map(|(flag, v)| v.as_ref().map(|v| format!("--{flag}={v}")))
    .collect();
    if overlapping {
        out.push("--overlapping".into());
    }
    out
}

/// What the library and the test know of the database.
struct World {
    session: Session,
    all: Vec<Stored>,
    regions: Regions,
    countries: Vec<String>,
}

impl World {
    /// The `Filter` the binary builds from these flags.
    fn filter(&self, spec: &FilterSpec) -> Filter {
        let spec = FilterSpec {
            countries: if spec.region.is_some() && spec.country.is_none() {
                self.countries.clone()
            } else {
                Vec::new()
            },
            ..spec.clone()
        };
        spec.build(
            || Ok(&self.regions),
            || panic!("no place names in these filters"),
            &mut |_| {},
        )
        .unwrap_or_else(|e| panic!("{spec:?}: {e}"))
    }

    /// The uids `Filter::matches` selects.
    fn expected(&self, f: &Filter) -> BTreeSet<String> {
        self.all
            .iter()
            .filter(|s| f.matches(&s.inc, &s.custom))
            .map(|s| s.inc.uid.clone().expect("uid"))
            .collect()
    }

    /// Runs `incidents ARGS` and returns stdout.
    fn run(&self, command: &[&str], filter_args: &[String]) -> String {
        let mut a: Vec<&str> = command.to_vec();
        a.extend(filter_args.iter().map(String::as_str));
        self.session.ok(&a)
    }
}

/// The uids of our CSV.
fn csv_uids(text: &str) -> BTreeSet<String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|rec| rec.expect("a CSV record")[0].to_string())
        .collect()
}

/// The differences between what a command selected and what `matches`
/// selects, or None when they agree.
fn disagreement(what: &str, got: &BTreeSet<String>, want: &BTreeSet<String>) -> Option<String> {
    (got != want).then(|| {
        let extra: Vec<_> = got.difference(want).take(5).collect();
        let missing: Vec<_> = want.difference(got).take(5).collect();
        format!(
            "{what}: {} selected, {} expected; not expected {extra:?}; missing {missing:?}",
            got.len(),
            want.len()
        )
    })
}

/// Checks one combination of filters on every command; returns the
/// disagreements and how many incidents `list` should select.
fn check(w: &World, spec: &FilterSpec, period: &str, dim: &str) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let context = format!("{:?}", args(spec, spec.overlapping));
    let want = w.expected(&w.filter(spec));
    let flags = args(spec, spec.overlapping);
    let listed = csv_uids(&w.run(&["list", "--format", "csv"], &flags));
    problems.extend(disagreement("list", &listed, &want));
    let exported = csv_uids(&w.run(&["export", "--format", "csv", "--raw"], &flags));
    problems.extend(disagreement("export", &exported, &want));

    // A report counts by the counting rule over its period: the filter's
    // own dates when it has both ends, else `period` (a month).
    // It counts reviewed incidents only (any other --status is refused).
    let dated = |spec: &FilterSpec| {
        let mut r = FilterSpec {
            overlapping: false,
            status: None,
            ..spec.clone()
        };
        let both = r.month.is_some() || (r.from.is_some() && r.to.is_some());
        if !both {
            (r.from, r.to, r.month) = (None, None, Some(period.to_string()));
        }
        r
    };
    let in_period = dated(spec);
    let within = w.filter(&in_period);
    let counted = w.expected(&within);
    let touching = w.expected(&Filter {
        overlapping: true,
        ..within.clone()
    });
    let apart: BTreeSet<String> = touching.difference(&counted).cloned().collect();
    let r: Value =
        serde_json::from_str(&w.run(&["report", "--format", "json"], &args(&in_period, false)))
            .expect("report JSON");
    if r["incidents"].as_u64() != Some(counted.len() as u64) {
        problems.push(format!(
            "report: {} counted, {} expected",
            r["incidents"],
            counted.len()
        ));
    }
    let listed_apart: BTreeSet<String> = r["overlapping"]
        .as_array()
        .expect("overlapping")
        .iter()
        .map(|o| o["uid"].as_str().expect("uid").to_string())
        .collect();
    if r["overlapping_total"].as_u64() != Some(apart.len() as u64) {
        problems.push(format!(
            "report: {} overlapping, {} expected",
            r["overlapping_total"],
            apart.len()
        ));
    } else if apart.len() <= 1000 {
        problems.extend(disagreement("report overlapping", &listed_apart, &apart));
    }

    // --group-by takes the filter's dates as they are when it has both ends
    // or none (it needs both or none).
    let grouped_spec = if spec.from.is_some() != spec.to.is_some() {
        in_period
    } else {
        FilterSpec {
            overlapping: false,
            status: None,
            ..spec.clone()
        }
    };
    let grouped_want = w.expected(&w.filter(&grouped_spec)).len() as u64;
    let rows: Value = serde_json::from_str(&w.run(
        &["report", "--format", "json", "--group-by", dim],
        &args(&grouped_spec, false),
    ))
    .expect("group-by JSON");
    let total: u64 = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["incidents"].as_u64().expect("incidents"))
        .sum();
    if total != grouped_want {
        problems.push(format!(
            "report --group-by {dim}: {total} counted, {grouped_want} expected"
        ));
    }
    let problems = problems
        .into_iter()
        .map(|p| format!("{context} (period {period}): {p}"))
        .collect();
    (problems, want.len())
}

both!(every_command_selects_what_matches_selects);
fn every_command_selects_what_matches_selects() {
    let mut rng = StdRng::seed_from_u64(20250617);
    let session = Session::new();
    let region = |i: usize, file: &str| {
        let path = session.file(file, custom_region(CUSTOM[i]).as_bytes());
        let path = path.to_str().expect("a UTF-8 path");
        session.ok(&["regions", "import", path, "--name-field", "name"]);
    };
    region(0, "aoi_daraa.geojson");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).expect("header");
    for n in 0..INCIDENTS {
        w.write_record(row(&mut rng, n)).expect("row");
    }
    let bytes = w.into_inner().expect("CSV bytes");
    let path = session.file("generated.csv", &bytes);
    session.ok(&["import", path.to_str().expect("a UTF-8 path")]);
    region(1, "aoi_mosul.geojson");
    let merged = merge_and_review_some(&session, &mut rng);

    let all = read_back(&session, &merged);
    assert_eq!(all.len(), INCIDENTS);
    let store =
        incidents::store::open_read_only(&incidents::store::Location::parse(&session.db_arg()))
            .expect("open");
    let world = World {
        regions: incidents::locate::region_names_with_custom(store.as_ref()).expect("regions"),
        countries: store.countries().expect("countries"),
        all,
        session,
    };
    drop(store);

    let dims = [
        "type", "sub_type", "admin1", "admin2", "country", "month", "week", "year", "day",
    ];
    let combinations: Vec<(FilterSpec, String, &str)> = (0..FILTERS)
        .map(|_| {
            let spec = random_spec(&mut rng, &world.all);
            let month = date(2023, 1, 1) + Months::new(rng.random_range(0..36));
            let period = month.format("%Y-%m").to_string();
            (spec, period, *dims.choose(&mut rng).expect("dims"))
        })
        .collect();
    for status in ["active", "reviewed", "draft", "rejected", "merged", "all"] {
        assert!(
            combinations.iter().any(|(spec, _, _)| spec
                .status
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(status))),
            "no filter with --status {status}"
        );
    }

    let next = AtomicUsize::new(0);
    let problems = Mutex::new(Vec::new());
    let sizes = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while let Some((spec, period, dim)) =
                    combinations.get(next.fetch_add(1, Ordering::Relaxed))
                {
                    let (p, n) = check(&world, spec, period, dim);
                    problems.lock().expect("lock").extend(p);
                    sizes.lock().expect("lock").push(n);
                }
            });
        }
    });
    let problems = problems.into_inner().expect("lock");
    assert!(
        problems.is_empty(),
        "{} disagreements, the first:\n{}",
        problems.len(),
        problems[..problems.len().min(10)].join("\n")
    );
    // The filters must be worth checking: most select something, and
    // many select neither nothing nor everything.
    let sizes = sizes.into_inner().expect("lock");
    let some = sizes.iter().filter(|&&n| n > 0).count();
    let partial = sizes.iter().filter(|&&n| n > 0 && n < INCIDENTS).count();
    assert!(
        some >= FILTERS / 2,
        "{some} of {FILTERS} filters select anything"
    );
    assert!(
        partial >= FILTERS / 3,
        "{partial} of {FILTERS} select a part"
    );
}
