//! Drafting incidents and tallies from the text of a report, as a coder
//! would: one incident per distinct event (same day, place and actors),
//! dated relative to the publication date without inventing a day, placed
//! through the gazetteer in the report's context, typed in ACLED's
//! taxonomy, with the spans of text each field came from. Aggregate
//! figures become tallies, never incidents. Everything drafted is a
//! `draft` until a person reviews it.

mod actors;
pub mod dates;
mod events;
pub mod numbers;
mod places;
mod tallies;
pub mod text;

use std::ops::Range;

use chrono::{Duration, NaiveDate};

use self::dates::{DateKind, DateMention};
use self::events::Signal;
use self::numbers::Count;
use self::places::{Located, Mention, Resolver};
use self::text::{Sentence, Word};
use crate::geo::gazetteer::Gazetteer;
use crate::geo::regions::Regions;
use crate::locate;
use crate::model::{
    DatePrecision, DateSpan, Evidence, Fatalities, GeoPrecision, Incident, Review, Source, Tally,
};

/// What one report gave.
#[derive(Debug, Default)]
pub struct Drafts {
    pub incidents: Vec<Incident>,
    pub tallies: Vec<Tally>,
    /// Things a reviewer should know (a place name not in the gazetteer).
    pub warnings: Vec<String>,
}

/// The report being read and what is known about it.
pub struct Report<'a> {
    pub text: &'a str,
    pub published: NaiveDate,
    pub source: Source,
}

/// Reads a report from a file or standard input, refusing what is not a
/// readable English report (see [`text::check_report`]).
pub fn read_report(input: &crate::stream::Input) -> crate::Result<String> {
    use std::io::Read;
    let name = input.name();
    let mut bytes = Vec::new();
    // One byte over the limit is enough to refuse: a 50 MB file is not read whole.
    let limit = text::MAX_REPORT_BYTES as u64 + 1;
    input
        .open(crate::stream::no_progress())?
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::Error::io(&name, e))?;
    text::check_report(&name, bytes)
}

/// "A day later", "the next day": the story's date moved by a day.
fn next_day(text: &str, r: &Reading, story: DateSpan) -> DateSpan {
    let lower = text[r.sentence.range.clone()].to_lowercase();
    let shift = if [
        "a day later",
        "the next day",
        "the following day",
        "the day after",
    ]
    .iter()
    .any(|p| lower.contains(p))
    {
        1
    } else if ["a day earlier", "the day before", "the previous day"]
        .iter()
        .any(|p| lower.contains(p))
    {
        -1
    } else {
        return story;
    };
    let moved = |d: NaiveDate| d + Duration::days(shift);
    DateSpan::new(moved(story.start), moved(story.end), story.precision).unwrap_or(story)
}

/// A date phrase longer than this is a period, not an event's date.
const MAX_EVENT_DAYS: i64 = 62;

/// Events older than this before publication are background ("in 2014,
/// ISIS seized Mosul"), not news: a coder does not draft them.
const BACKGROUND_DAYS: i64 = 365;

/// One sentence's reading.
struct Reading<'r> {
    sentence: &'r Sentence,
    /// In the report's first paragraph (its lead).
    lead: bool,
    words: Vec<Word>,
    mentions: Vec<Mention>,
    dates: Vec<&'r DateMention>,
    counts: Vec<&'r Count>,
}

/// A place as the text named it: where it is, the words, the name.
type Placed<'a> = (Located<'a>, Range<usize>, String);

/// An event being assembled from one or more sentences.
#[derive(Clone)]
struct Draft<'a> {
    signals: Vec<(Range<usize>, Signal)>,
    words: Vec<Word>,
    span: DateSpan,
    date_confidence: f64,
    date_range: Option<Range<usize>>,
    /// The date is when someone spoke of the event, not of the event.
    date_spoken: bool,
    located: Option<(Located<'a>, Range<usize>, String)>,
    unknown_place: Option<(String, Range<usize>)>,
    fatalities: Option<Toll>,
    civilians: Option<(u32, Range<usize>)>,
    actors: Vec<(Range<usize>, &'static str, bool)>,
    paragraph: usize,
}

/// Drafts the incidents and tallies of a report.
pub fn extract(report: &Report, gazetteer: &Gazetteer, regions: &Regions) -> Drafts {
    let text = report.text;
    let sentences = reported_sentences(text);
    let mut resolver = Resolver::new(gazetteer, regions);
    let all_words: Vec<Word> = sentences
        .iter()
        .flat_map(|s| text::words_in(text, s.range.clone()))
        .collect();
    let mut readings: Vec<Reading> = Vec::new();
    let country_guess = {
        let mut all_mentions = Vec::new();
        for s in &sentences {
            let words = text::words_in(text, s.range.clone());
            all_mentions.extend(places::mentions(text, &words));
        }
        resolver.learn(&all_words, &all_mentions);
        resolver.context.countries.first().cloned()
    };
    let mut date_mentions = dates::find_dates(text, report.published, country_guess.as_deref());
    since_clauses(text, report.published, &mut date_mentions);
    // A date after publication ("by Jan. 15") is a plan or a deadline:
    // it dates no event.
    date_mentions.retain(|d| d.span.start <= report.published);
    let counts = numbers::find_counts(text);
    for s in &sentences {
        let words = text::words_in(text, s.range.clone());
        let within = |r: Range<usize>| r.start >= s.range.start && r.end <= s.range.end;
        readings.push(Reading {
            sentence: s,
            lead: s.paragraph == sentences[0].paragraph,
            mentions: places::mentions(text, &words),
            dates: date_mentions
                .iter()
                .filter(|d| within(d.start..d.end))
                .collect(),
            counts: counts.iter().filter(|c| within(c.start..c.end)).collect(),
            words,
        });
    }
    let mut out = Drafts::default();
    let mut drafts: Vec<Draft> = Vec::new();
    // The place last named in the paragraph, for a sentence naming none.
    let mut named: Option<(usize, Placed)> = None;
    for r in &readings {
        let earlier = named
            .take()
            .filter(|(paragraph, _)| *paragraph == r.sentence.paragraph);
        named = r
            .mentions
            .iter()
            .rev()
            .filter(|m| m.cue != places::Cue::From)
            .find_map(|m| {
                resolver
                    .locate(m)
                    .map(|l| (l, m.range.clone(), m.name.clone()))
            })
            .map(|p| (r.sentence.paragraph, p))
            .or(earlier.clone());
        let earlier = earlier.map(|(_, p)| p);
        let mut signals = events::signals(
            &r.words,
            &text[r.sentence.range.clone()],
            r.sentence.range.start,
            !r.dates.is_empty(),
        );
        let singular = signals.iter().any(|f| f.singular && f.signal.is_violent());
        if let Some(found) =
            tallies::tallies(text, r, &resolver, report, out.tallies.last(), singular)
        {
            out.tallies.extend(found);
            continue;
        }
        // "attacks" with no day: a trend, not an event.
        let day = r.dates.iter().any(|d| d.span.start == d.span.end);
        signals
            .retain(|f| day || f.signal != Signal::Attack || !text[f.range.clone()].ends_with('s'));
        if signals.is_empty() || tallies::aggregate(r) {
            continue;
        }
        // A sentence whose every signal refers back ("the bombing", "the
        // gunmen") adds to the event it refers to, however far back.
        if signals.iter().all(|f| f.anaphoric) {
            let strongest = signals.iter().map(|f| f.signal).min();
            // Its own day (not when it was spoken of) makes it another event.
            let own_day = r.dates.iter().find(|d| {
                d.span.start == d.span.end && !reporting(text, d) && !possessive(text, d)
            });
            let places: Vec<Located> = r
                .mentions
                .iter()
                .filter_map(|m| resolver.locate(m))
                .collect();
            if let Some(e) = drafts.iter_mut().rev().find(|e| {
                strongest.is_some_and(|s| e.strongest().compatible(s))
                    && own_day
                        .is_none_or(|d| e.span.start <= d.span.start && d.span.end <= e.span.end)
                    && places.iter().all(|l| close(l, &e.located))
            }) {
                for d in sentence_drafts(text, r, &signals, &resolver, report, &[], None) {
                    absorb(e, d);
                }
                continue;
            }
        }
        for d in sentence_drafts(
            text,
            r,
            &signals,
            &resolver,
            report,
            &drafts,
            earlier.as_ref(),
        ) {
            merge_or_push(&mut drafts, d);
        }
    }
    for d in drafts {
        if let Some(inc) = finish(text, d, &resolver, report, &mut out.warnings) {
            out.incidents.push(inc);
        }
    }
    out
}

/// "Wednesday's strike": a date naming the event referred to, not a new one.
fn possessive(text: &str, d: &DateMention) -> bool {
    text[..d.end].ends_with("'s") || text[..d.end].ends_with("’s")
}

/// Whether a place is the same as, within, or close to an event's place.
fn close(l: &Located, event: &Option<(Located, Range<usize>, String)>) -> bool {
    match (l, event) {
        (_, None) => true,
        (Located::Region(a), Some((Located::Region(b), _, _))) => a.code == b.code,
        (Located::Region(r), Some((Located::Place(p, _), _, _))) => {
            p.admin1_code.as_deref() == Some(r.code.as_str())
        }
        (Located::Place(p, _), Some((Located::Region(r), _, _))) => {
            p.admin1_code.as_deref() == Some(r.code.as_str())
        }
        (Located::Place(p, _), Some((Located::Place(q, _), _, _))) => km(p, q) <= NEAR_KM,
    }
}

/// Whether a date follows a verb of speaking ("said on Tuesday", "told
/// AFP yesterday").
fn reporting(text: &str, d: &DateMention) -> bool {
    let before = &text[text[..d.start]
        .rfind(['.', ';', ',', '\n'])
        .map_or(0, |i| i + 1)..d.start];
    before.split_whitespace().rev().take(3).any(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "said" | "told" | "reported" | "announced" | "added" | "stated" | "says" | "tells"
        )
    })
}

/// "since President X took office on May 29": a day after a "since"
/// clause starts a period that runs to publication.
fn since_clauses(text: &str, published: NaiveDate, mentions: &mut [DateMention]) {
    for d in mentions.iter_mut() {
        let before = &text[text[..d.start].rfind(['.', ';', '\n']).map_or(0, |i| i + 1)..d.start];
        let words: Vec<&str> = before.split_whitespace().rev().take(8).collect();
        if d.kind != DateKind::Vague
            && d.span.end < published
            && words.iter().enumerate().any(|(i, w)| {
                w.eq_ignore_ascii_case("since")
                    // "the clashes, which began on Aug. 26"
                    || (i > 0
                        && ["began", "started", "erupted"].iter().any(|v| w.eq_ignore_ascii_case(v)))
            })
            && let Ok(span) = DateSpan::new(d.span.start, published, DatePrecision::Range)
        {
            d.span = span;
            d.kind = DateKind::Vague;
        }
    }
}

/// The sentences that report something: not website furniture (photo
/// captions, a lone "TT") and each only once (pages repeat headlines).
fn reported_sentences(text: &str) -> Vec<Sentence> {
    let mut seen = std::collections::HashSet::new();
    text::sentences(text)
        .into_iter()
        .filter(|s| {
            let t = &text[s.range.clone()];
            let lower = t.to_lowercase();
            let caption = lower.contains("(photo")
                || lower.contains("(archive")
                || lower.contains("file photo");
            // A line that does not end as a sentence ends is a headline, a
            // byline or a caption: it repeats or frames the story.
            let sentence = t
                .trim_end()
                .ends_with(['.', '!', '?', '"', '”', '\'', '’', ')']);
            sentence && text::words(t).len() >= 4 && !caption && seen.insert(t.trim().to_string())
        })
        .collect()
}

/// The events of one sentence: usually one; one per place when the
/// sentence lists several places ("shelling hit A, B and C").
fn sentence_drafts<'a>(
    text: &str,
    r: &Reading,
    signals: &[events::Found],
    resolver: &Resolver<'a>,
    report: &Report,
    before: &[Draft<'a>],
    earlier: Option<&Placed<'a>>,
) -> Vec<Draft<'a>> {
    let previous = before
        .last()
        .filter(|d| d.paragraph == r.sentence.paragraph);
    // The date nearest the first signal; else the paragraph's event's;
    // else the story's (a report tells of one day unless it says
    // otherwise); else the publication date. All but the first less sure.
    // A period ("since 1991", "this year") dates no event.
    let first_signal = signals[0].range.start;
    // A date that says when someone spoke ("told AFP yesterday", "said on
    // Tuesday") dates the event only when nothing else does.
    let date = r
        .dates
        .iter()
        .filter(|d| (d.span.end - d.span.start).num_days() <= MAX_EVENT_DAYS)
        .min_by_key(|d| (reporting(text, d), d.start.abs_diff(first_signal)));
    let published = DateSpan {
        start: report.published,
        end: report.published,
        precision: DatePrecision::Day,
    };
    // The story's date: that of the last event the report dated.
    let story = before
        .iter()
        .rev()
        .find(|d| d.date_range.is_some())
        .map(|d| d.span);
    let date_spoken = date.is_some_and(|d| reporting(text, d));
    let (span, date_confidence, date_range) = match (date, previous, story) {
        (Some(d), _, _) => (
            d.span,
            match d.kind {
                DateKind::Explicit => 0.95,
                DateKind::Relative => 0.9,
                DateKind::Vague => 0.6,
            },
            Some(d.start..d.end),
        ),
        (None, Some(p), _) => (p.span, p.date_confidence.min(0.7), None),
        (None, None, Some(span)) => (next_day(text, r, span), 0.5, None),
        _ => (published, 0.4, None),
    };
    if span.end < report.published - Duration::days(BACKGROUND_DAYS) {
        return Vec::new();
    }
    // A development or a change of hands told with no date of its own,
    // outside the lead and any dated event's paragraph, is background
    // ("Regime forces took control of the governorate with Russia's help").
    let weak = signals
        .iter()
        .all(|f| !f.signal.is_violent() || f.signal == Signal::Territory);
    if weak && date.is_none() && previous.is_none() && !r.lead {
        return Vec::new();
    }
    let located: Vec<(Located<'a>, Range<usize>, String, places::Cue)> = r
        .mentions
        .iter()
        .filter_map(|m| {
            resolver
                .locate(m)
                .map(|l| (l, m.range.clone(), m.name.clone(), m.cue))
        })
        .collect();
    let unknown = r
        .mentions
        .iter()
        .find(|m| {
            m.cue != places::Cue::Province
                && !places::is_country(&m.name)
                && resolver.locate(m).is_none()
        })
        .map(|m| (m.name.clone(), m.range.clone()));
    let base = Draft {
        signals: signals
            .iter()
            .map(|f| (f.range.clone(), f.signal))
            .collect(),
        words: r.words.clone(),
        span,
        date_confidence,
        date_range,
        date_spoken,
        located: None,
        unknown_place: unknown,
        fatalities: deaths(text, r),
        civilians: civilian_deaths(text, r),
        actors: actors::actors(&r.words)
            .into_iter()
            .map(|a| (a.range, a.name, a.state))
            .collect(),
        paragraph: r.sentence.paragraph,
    };
    let towns: Vec<&(Located, Range<usize>, String, places::Cue)> = located
        .iter()
        .filter(|(l, _, _, cue)| matches!(l, Located::Place(..)) && *cue != places::Cue::From)
        .collect();
    if towns.len() > 1 && listed(text, &towns) {
        // Different villages are different events; the toll cannot be
        // shared out, so each is unknown.
        return towns
            .into_iter()
            .map(|(l, range, name, _)| Draft {
                located: Some((l.clone(), range.clone(), name.clone())),
                fatalities: None,
                civilians: None,
                unknown_place: None,
                ..base.clone()
            })
            .collect();
    }
    let best = located
        .iter()
        .min_by_key(|(l, range, _, cue)| (*cue == places::Cue::From, rank(l), range.start))
        .map(|(l, range, name, _)| (l.clone(), range.clone(), name.clone()))
        .or_else(|| {
            // No place of its own: the paragraph's event's place, else the
            // place the paragraph named last.
            previous
                .and_then(|p| p.located.clone())
                .or_else(|| earlier.cloned())
        });
    vec![Draft {
        located: best,
        ..base
    }]
}

/// Places rank before provinces; exact before near.
fn rank(l: &Located) -> u8 {
    match l {
        Located::Place(_, GeoPrecision::Exact) => 0,
        Located::Place(..) => 1,
        Located::Region(_) => 2,
    }
}

/// Whether places follow each other as a list ("A, B and C").
fn listed(text: &str, towns: &[&(Located, Range<usize>, String, places::Cue)]) -> bool {
    towns.windows(2).all(|w| {
        let between = text[w[0].1.end..w[1].1.start].trim();
        matches!(between, "," | "and" | ", and" | "or")
    })
}

impl<'a> Draft<'a> {
    fn strongest(&self) -> Signal {
        self.signals
            .iter()
            .map(|(_, s)| *s)
            .min()
            .unwrap_or(Signal::Announcement)
    }

    fn place_key(&self) -> Option<String> {
        self.located.as_ref().map(|(l, _, _)| match l {
            Located::Place(p, _) => format!("p{}", p.id),
            Located::Region(r) => format!("r{}", r.code),
        })
    }
}

/// Same day(s), same place and compatible signals: one event told in
/// several sentences ("An air strike hit X on Monday. It killed five.").
fn merge_or_push<'a>(drafts: &mut Vec<Draft<'a>>, d: Draft<'a>) {
    let same = drafts.iter_mut().rev().find(|e| {
        e.span.start <= d.span.end
            && d.span.start <= e.span.end
            && (e.place_key() == d.place_key()
                || within(&e.located, &d.located)
                || within(&d.located, &e.located)
                || (d.place_key().is_none() && e.paragraph == d.paragraph))
            && e.strongest().compatible(d.strongest())
    });
    match same {
        Some(e) => absorb(e, d),
        None => drafts.push(d),
    }
}

/// Adds what a later sentence tells of an event to it.
fn absorb<'a>(e: &mut Draft<'a>, d: Draft<'a>) {
    e.signals.extend(d.signals);
    e.words.extend(d.words);
    // A date of the event itself over none, or over when it was spoken of
    // ("said Thursday", then "Wednesday's strike").
    if d.date_range.is_some() && (e.date_range.is_none() || (e.date_spoken && !d.date_spoken)) {
        (e.span, e.date_range, e.date_confidence, e.date_spoken) =
            (d.span, d.date_range, d.date_confidence, d.date_spoken);
    }
    // The finer place: "in Kirkuk province" then "the town of Dibis";
    // "near Hodeida" then "the market of Bayt el-Faqih".
    if e.located.is_none() || within(&d.located, &e.located) || finer(&d.located, &e.located) {
        e.located = d.located;
    }
    if e.unknown_place.is_none() {
        e.unknown_place = d.unknown_place;
    }
    // The larger toll: later sentences often update it.
    if d.fatalities.as_ref().map(|f| f.best) > e.fatalities.as_ref().map(|f| f.best) {
        e.fatalities = d.fatalities;
    }
    if d.civilians.as_ref().map(|f| f.0) > e.civilians.as_ref().map(|f| f.0) {
        e.civilians = d.civilians;
    }
    for a in d.actors {
        if !e.actors.iter().any(|b| b.1 == a.1) {
            e.actors.push(a);
        }
    }
}

/// Whether `a` is an exact place close to `b`, which is only near a place.
fn finer(
    a: &Option<(Located, Range<usize>, String)>,
    b: &Option<(Located, Range<usize>, String)>,
) -> bool {
    match (a, b) {
        (
            Some((Located::Place(p, GeoPrecision::Exact), _, _)),
            Some((Located::Place(q, GeoPrecision::Near), _, _)),
        ) => km(p, q) <= NEAR_KM,
        _ => false,
    }
}

/// Places this close are one place for telling an event again.
const NEAR_KM: f64 = 30.0;

fn km(p: &crate::geo::gazetteer::Place, q: &crate::geo::gazetteer::Place) -> f64 {
    use geo::{Distance, Haversine, Point};
    Haversine.distance(
        Point::new(p.longitude, p.latitude),
        Point::new(q.longitude, q.latitude),
    ) / 1000.0
}

/// Whether place `a` lies in province or district `b` ("Dibis" in
/// "Kirkuk province"): a lead and its detail, one event.
fn within(
    a: &Option<(Located, Range<usize>, String)>,
    b: &Option<(Located, Range<usize>, String)>,
) -> bool {
    match (a, b) {
        (Some((Located::Place(p, _), _, _)), Some((Located::Region(r), _, _))) => {
            p.admin1_code.as_deref() == Some(r.code.as_str())
        }
        _ => false,
    }
}

/// The dead a sentence counts: the best figure, its bounds, its words.
#[derive(Debug, Clone)]
struct Toll {
    best: u32,
    low: Option<u32>,
    high: Option<u32>,
    range: Range<usize>,
}

impl Toll {
    /// A figure the text gives as one number.
    fn of(best: u32, range: Range<usize>) -> Toll {
        Toll {
            best,
            low: None,
            high: None,
            range,
        }
    }
}

/// Words that say people died.
const DEATH: &[&str] = &[
    "killed",
    "killing",
    "dead",
    "died",
    "deaths",
    "death",
    "lives",
    "bodies",
    "fatalities",
    "kills",
    "slain",
    "perished",
    "executed",
    "assassinated",
    "murdered",
    "toll",
];

/// The deaths a sentence reports: a count next to people and a death word
/// ("killing five civilians", "12 soldiers were killed"), or one person
/// named as killed ("a man was shot dead"). None when no number is given.
fn deaths(text: &str, r: &Reading) -> Option<Toll> {
    let words = &r.words;
    let death_near = |at: usize| {
        let lo = at.saturating_sub(6);
        words[lo..(at + 9).min(words.len())]
            .iter()
            .any(|w| DEATH.contains(&w.lower.as_str()))
    };
    for c in &r.counts {
        let Some(i) = words.iter().position(|w| w.range.start >= c.end) else {
            continue;
        };
        // "five civilians", "12 members of the security forces", "2 dead"
        let people = words[i..(i + 3).min(words.len())]
            .iter()
            .any(|w| events::is_person(&w.lower) || DEATH.contains(&w.lower.as_str()));
        let injured = words[i..(i + 2).min(words.len())]
            .iter()
            .any(|w| matches!(w.lower.as_str(), "injured" | "wounded" | "injuries"));
        if people && !injured && death_near(i) && !after_including(text, c) {
            // "three soldiers and two civilians": one toll in two parts.
            let more: u32 = r
                .counts
                .iter()
                .skip_while(|o| o.start <= c.start)
                .take(1)
                .filter(|o| {
                    let between = &text[c.end..o.start];
                    between.split_whitespace().count() <= 3
                        && between.trim_end().ends_with(" and")
                        && !between.contains(',')
                })
                .filter_map(|o| o.best)
                .sum();
            return Some(Toll {
                best: c.best.or(c.low)? + more,
                low: c.low.filter(|l| Some(*l) != c.best),
                high: c.high,
                range: c.start..c.end,
            });
        }
    }
    // "a man was killed", "killing a soldier", "his son, who was shot dead"
    let killed = words.iter().position(|w| {
        matches!(
            w.lower.as_str(),
            "killed" | "killing" | "dead" | "died" | "assassinated" | "executed" | "murdered"
        )
    })?;
    let lo = killed.saturating_sub(8);
    let window = &words[lo..(killed + 4).min(words.len())];
    let nobody = window.windows(2).any(|p| {
        p[0].lower == "no" && matches!(p[1].lower.as_str(), "one" | "casualties" | "deaths")
    });
    if nobody {
        return Some(Toll::of(
            0,
            window[0].range.start..window[window.len() - 1].range.end,
        ));
    }
    window.windows(2).find_map(|p| {
        if p[0].lower == "both" && events::is_person(&p[1].lower) {
            return Some(Toll::of(2, p[0].range.start..p[1].range.end));
        }
        let single = matches!(
            p[0].lower.as_str(),
            "a" | "an" | "one" | "his" | "her" | "their"
        );
        let person = events::is_person(&p[1].lower) && !p[1].lower.ends_with('s')
            || matches!(p[1].lower.as_str(), "son" | "brother" | "father");
        // "a mother and her son": two.
        let pair = text[p[1].range.end..]
            .split_whitespace()
            .take(3)
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .collect::<Vec<_>>();
        let two = pair.first().is_some_and(|w| w == "and")
            && pair
                .get(2)
                .is_some_and(|w| events::is_person(w) && !w.ends_with('s'));
        (single && person)
            .then(|| Toll::of(if two { 2 } else { 1 }, p[0].range.start..p[1].range.end))
    })
}

/// "including 23 civilians": a part of the toll, not the toll.
fn after_including(text: &str, c: &Count) -> bool {
    let before = text[..c.start].trim_end().to_lowercase();
    before.ends_with("including") || before.ends_with("among them") || before.ends_with("of whom")
}

/// Civilians among the dead: "including 23 civilians", "killing two children".
fn civilian_deaths(text: &str, r: &Reading) -> Option<(u32, Range<usize>)> {
    r.counts.iter().find_map(|c| {
        let rest = text[c.end..].trim_start();
        let rest = rest.strip_prefix("of them ").unwrap_or(rest);
        let next = rest.split_whitespace().next()?.to_lowercase();
        let next = next.trim_matches(|ch: char| !ch.is_alphanumeric());
        let n = c.best?;
        (events::is_civilian(next) && next != "people" && next != "person")
            .then_some((n, c.start..c.end))
    })
}

/// An incident from an assembled event, or none when it has no place the
/// report can be read to give and no violence to anchor it.
fn finish(
    text: &str,
    d: Draft,
    resolver: &Resolver,
    report: &Report,
    warnings: &mut Vec<String>,
) -> Option<Incident> {
    let strongest = d.strongest();
    let kinds: Vec<Signal> = d.signals.iter().map(|s| s.1).collect();
    let state = d.actors.iter().any(|a| a.2);
    let (event_type, sub) = events::classify(
        strongest,
        &kinds,
        events::victims(
            &d.words,
            d.actors
                .iter()
                .any(|a| !matches!(a.1, "Civilians" | "Protesters" | "Rioters")),
        ),
        state,
        &d.words,
    );
    let mut inc = Incident::new(event_type, d.span);
    inc.sub_event_type = Some(sub.to_string());
    inc.status = Review::Draft;
    inc.sources = vec![report.source.clone()];
    let mut evidence = Vec::new();
    let mut add = |field: &str, range: &Range<usize>| {
        evidence.push(evidence_of(text, field, range.clone()));
    };
    let signal_range = d
        .signals
        .iter()
        .find(|s| s.1 == strongest)
        .map(|s| s.0.clone())?;
    add("event_type", &signal_range);
    if let Some(r) = &d.date_range {
        add("date", r);
    }
    let mut place_confidence = 0.3;
    match &d.located {
        Some((Located::Place(p, precision), range, name)) => {
            add("place", range);
            inc.place = Some(name.clone());
            locate::set_place(&mut inc, p);
            inc.geo_precision = Some(*precision);
            place_confidence = if *precision == GeoPrecision::Exact {
                0.95
            } else {
                0.8
            };
        }
        Some((Located::Region(region), range, name)) => {
            add("place", range);
            inc.place = Some(name.clone());
            locate::set_region_label(&mut inc, region);
            place_confidence = 0.6;
        }
        None => {}
    }
    if let Some((name, range)) = &d.unknown_place
        && d.located
            .as_ref()
            .is_none_or(|l| matches!(l.0, Located::Region(_)))
    {
        add("place", range);
        let at = match &d.located {
            Some((Located::Region(r), _, _)) => format!("drafted at {} (province only)", r.name),
            _ => "drafted without coordinates".to_string(),
        };
        warnings.push(format!(
            "{:?} (character {}) is no place the gazetteer knows in {}; {at}: add it with `incidents places add` and edit the draft",
            name,
            text::char_offset(text, range.start),
            match resolver.context.countries.join(", ") {
                c if c.is_empty() => "the report's countries".to_string(),
                c => c,
            }
        ));
        inc.place = Some(name.clone());
        place_confidence = 0.4;
    }
    if inc.latitude.is_none() {
        // Nothing placed: the town the report is about, else its province.
        if let Some((p, name)) = &resolver.context.main_place {
            inc.place.get_or_insert_with(|| name.clone());
            locate::set_place(&mut inc, p);
            inc.geo_precision = Some(GeoPrecision::Near);
            place_confidence = 0.4;
        } else if let Some(r) = main_province(resolver) {
            locate::set_region_label(&mut inc, r);
            place_confidence = 0.3;
        }
    }
    if let Some(t) = &d.fatalities {
        add("fatalities", &t.range);
        inc.fatalities = Fatalities {
            best: Some(t.best),
            low: t.low,
            high: t.high,
        };
    }
    if let Some((n, range)) = &d.civilians
        && inc.fatalities.best.is_some_and(|b| b >= *n)
    {
        add("civilian_fatalities", range);
        inc.civilian_fatalities = Some(*n);
    }
    let perpetrators: Vec<&(Range<usize>, &str, bool)> = d
        .actors
        .iter()
        .filter(|a| !matches!(a.1, "Civilians"))
        .collect();
    if let Some(a) = perpetrators.first() {
        add("actor1", &a.0);
        inc.actor1 = Some(a.1.to_string());
    }
    if let Some(a) = perpetrators.get(1) {
        add("actor2", &a.0);
        inc.actor2 = Some(a.1.to_string());
    } else if inc.event_type == "Violence against civilians" {
        inc.actor2 = Some("Civilians".into());
    }
    if locate::assign_regions(resolver.regions, &mut inc).is_err() {
        return None;
    }
    let type_confidence = if strongest.is_violent() { 0.9 } else { 0.6 };
    let c: f64 = d.date_confidence * place_confidence * type_confidence;
    inc.confidence = Some((c.cbrt() * 100.0).round() / 100.0);
    inc.evidence = evidence;
    inc.normalize().ok()?;
    Some(inc)
}

/// The province a report is about, when most of its places are in one.
fn main_province<'a>(resolver: &Resolver<'a>) -> Option<&'a crate::geo::region::Region> {
    let code = resolver.context.province.as_ref()?;
    resolver.regions.get(code)
}

/// Evidence for `range`, with the sentence it is in as context.
fn evidence_of(text: &str, field: &str, range: Range<usize>) -> Evidence {
    let sentence = text::sentence_around(text, range.clone());
    Evidence {
        field: field.to_string(),
        start: text::char_offset(text, range.start),
        end: text::char_offset(text, range.end),
        text: text[range].to_string(),
        context: text[sentence.clone()].to_string(),
        context_start: text::char_offset(text, sentence.start),
    }
}
