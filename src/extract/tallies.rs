//! Aggregate figures ("38 killings in Daraa in June, 23 of them
//! civilians", "17 assassinations since the regime's fall", "79 civilians
//! killed and 99 injured in July"): counts of events or of victims over a
//! period longer than a week, drafted as tallies, never as incidents. A
//! figure given relative to another ("double May's toll") is drafted as
//! derived.

use std::ops::Range;

use super::dates::DateMention;
use super::places::{self, Located};
use super::{Reading, Report, evidence_of, main_province};
use crate::geo::countries;
use crate::model::{DateSpan, Review, Tally};

/// Nouns that make a count a count of events, with the metric they give.
const METRICS: &[(&str, &str)] = &[
    ("killings", "killings"),
    ("deaths", "killings"),
    ("dead", "killings"),
    ("murders", "killings"),
    ("fatalities", "killings"),
    ("assassinations", "assassinations"),
    ("executions", "executions"),
    ("kidnappings", "abductions"),
    ("abductions", "abductions"),
    ("arrests", "arrests"),
    ("airstrikes", "airstrikes"),
    ("raids", "raids"),
    ("strikes", "strikes"),
    ("attacks", "attacks"),
    ("bombings", "bombings"),
    ("incidents", "incidents"),
    ("violations", "violations"),
    ("explosions", "explosions"),
    ("casualties", "casualties"),
    ("injuries", "injuries"),
    ("clashes", "clashes"),
    ("operations", "operations"),
];

/// Words that say what happened to people counted ("79 civilians killed").
const VICTIM_WORDS: &[(&str, &str)] = &[
    ("killed", "killings"),
    ("killing", "killings"),
    ("dead", "killings"),
    ("died", "killings"),
    ("injured", "injuries"),
    ("wounded", "injuries"),
    ("hurt", "injuries"),
    ("abducted", "abductions"),
    ("kidnapped", "abductions"),
    ("arrested", "arrests"),
    ("detained", "arrests"),
];

/// Quantities that are no figure a source reports.
const VAGUE: &[&str] = &[
    "many",
    "several",
    "a few",
    "few",
    "some",
    "scores",
    "dozens",
    "dozens of",
    "numerous",
    "a couple",
];

/// Periods shorter than this are an event's dates, not a tally's.
const MIN_DAYS: i64 = 7;

/// Whether a sentence counts events in aggregate ("415 assassinations",
/// "13 attacks ... killing 15") without saying on which day: then it
/// reports no incident of its own, even when it gives no period either.
pub(super) fn aggregate(r: &Reading) -> bool {
    let day = r.dates.iter().any(|d| d.span.start == d.span.end);
    !day && r.counts.iter().any(|c| {
        c.best.or(c.low).is_some_and(|n| n > 1)
            && r.words
                .iter()
                .skip_while(|w| w.range.start < c.end)
                .take(2)
                .any(|w| METRICS.iter().any(|(noun, _)| *noun == w.lower))
    })
}

/// The metric a count measures, from the words around it, and whether it
/// counts civilians; None when it is not a count of events or victims.
fn metric_of(r: &Reading, count: &Range<usize>) -> Option<(String, bool)> {
    let after: Vec<&str> = r
        .words
        .iter()
        .skip_while(|w| w.range.start < count.end)
        .take(4)
        .map(|w| w.lower.as_str())
        .collect();
    let before: Vec<&str> = r
        .words
        .iter()
        .take_while(|w| w.range.end <= count.start)
        .map(|w| w.lower.as_str())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .take(3)
        .collect();
    let civilian = after.iter().take(2).any(|w| w.starts_with("civilian"));
    let noun = after
        .iter()
        .take(3)
        .find_map(|w| METRICS.iter().find(|(n, _)| n == w).map(|(_, m)| *m));
    let person = after
        .iter()
        .take(2)
        .any(|w| super::events::is_person(w) || w.starts_with("civilian"));
    let victim = |ws: &[&str]| {
        ws.iter()
            .find_map(|w| VICTIM_WORDS.iter().find(|(v, _)| v == w).map(|(_, m)| *m))
    };
    let metric = noun
        // "8 killed", "43 people were killed", "killed 79 civilians",
        // "the killing of 43 people", "injured another 99"
        .or_else(|| victim(&after[..after.len().min(1)]))
        .or_else(|| if person { victim(&after) } else { None })
        .or_else(|| {
            let near: Vec<&str> = before
                .iter()
                .copied()
                .filter(|w| !matches!(*w, "of" | "another" | "the"))
                .collect();
            victim(&near[..near.len().min(1)])
        })?;
    let metric = if civilian && !metric.starts_with("civilian") {
        format!("civilian {metric}")
    } else {
        metric.to_string()
    };
    Some((metric, civilian))
}

/// The tallies of a sentence, or None when it reports none (then it may
/// report incidents). `last` is the report's previous tally: a sentence
/// going on with the figures ("Leaving police out, 71 were killed during
/// the month") keeps its period.
pub(super) fn tallies(
    text: &str,
    r: &Reading,
    resolver: &super::Resolver,
    report: &Report,
    last: Option<&Tally>,
    singular_event: bool,
) -> Option<Vec<Tally>> {
    // "In April, a car bomb attack killed four": one event, however long
    // its date.
    if singular_event {
        return None;
    }
    // A sentence dated to a day tells an event, whatever else it counts.
    if r.dates
        .iter()
        .any(|d| d.span.start == d.span.end && !super::reporting(text, d))
    {
        return None;
    }
    let long = |d: &&&DateMention| (d.span.end - d.span.start).num_days() + 1 >= MIN_DAYS;
    let periods: Vec<&DateMention> = r.dates.iter().filter(long).copied().collect();
    let inherited = match (periods.is_empty(), r.dates.is_empty(), last) {
        (true, true, Some(t)) => Some(DateSpan {
            start: t.period_start,
            end: t.period_end,
            precision: crate::model::DatePrecision::Range,
        }),
        (true, _, _) => return None,
        _ => None,
    };
    let mut out: Vec<Tally> = Vec::new();
    for c in &r.counts {
        let Some(value) = c.best.or(c.low) else {
            continue;
        };
        // "many of the assassinations": a manner of speaking, not a figure.
        if VAGUE.contains(&text[c.start..c.end].to_lowercase().as_str()) {
            continue;
        }
        let (metric, civilian, part_of) = match (metric_of(r, &(c.start..c.end)), out.last()) {
            (Some((m, civ)), _) => (m, civ, None),
            // "including 23 civilians", "eight of them civilians": part of
            // the figure before it, for the same period.
            (None, Some(prev))
                if text[c.end..]
                    .trim_start()
                    .to_lowercase()
                    .starts_with("civilian")
                    || text[c.end..].trim_start().starts_with("of them civilians") =>
            {
                (
                    format!("civilian {}", prev.metric.trim_start_matches("civilian ")),
                    true,
                    Some((prev.period_start, prev.period_end)),
                )
            }
            _ => continue,
        };
        // The period nearest the count, preferring one after it.
        let period = periods
            .iter()
            .filter(|d| part_of.is_none_or(|(s, e)| d.span.start == s && d.span.end == e))
            .min_by_key(|d| (d.start < c.start, d.start.abs_diff(c.end)));
        let (span, period_range) = match (period, inherited) {
            (Some(p), _) => (p.span, Some(p.start..p.end)),
            (None, Some(span)) => (span, None),
            (None, None) => continue,
        };
        let (region, region_code, place) =
            tally_region(r, c.start, resolver).unwrap_or((None, None, None));
        let mut evidence = vec![evidence_of(text, "value", c.start..c.end)];
        if let Some(p) = period_range {
            evidence.push(evidence_of(text, "period", p));
        }
        out.push(Tally {
            uid: None,
            region,
            region_code,
            place,
            period_start: span.start,
            period_end: span.end,
            metric,
            value: f64::from(value),
            derived: false,
            source: Some(report.source.clone()),
            notes: None,
            status: Review::Draft,
            review_note: None,
            evidence,
            confidence: Some(if civilian || inherited.is_some() {
                0.7
            } else {
                0.8
            }),
            created_at: None,
            updated_at: None,
        });
    }
    if out.is_empty() {
        return None;
    }
    if let Some(d) = derived(text, r, &out[0], &periods) {
        out.push(d);
    }
    Some(out)
}

/// "double the toll in May", "twice May's figure", "half of": the other
/// period's figure from this one, marked derived.
fn derived(text: &str, r: &Reading, first: &Tally, periods: &[&DateMention]) -> Option<Tally> {
    let lower = text[r.sentence.range.clone()].to_lowercase();
    let factor = [
        ("double", 0.5),
        ("twice", 0.5),
        ("triple", 1.0 / 3.0),
        ("half", 2.0),
    ]
    .iter()
    .find(|(w, _)| lower.contains(w))?
    .1;
    let other = periods
        .iter()
        .find(|d| d.span.start != first.period_start || d.span.end != first.period_end)?;
    Some(Tally {
        period_start: other.span.start,
        period_end: other.span.end,
        value: (first.value * factor).round(),
        derived: true,
        confidence: Some(0.6),
        evidence: vec![evidence_of(text, "period", other.start..other.end)],
        ..first.clone()
    })
}

/// (region as written, its code, the town) for a count at `at`: the place
/// named nearest before it in the sentence (else the first after), a
/// town's district; else the country the sentence names; else the
/// report's province when it is about one, or its country.
fn tally_region(
    r: &Reading,
    at: usize,
    resolver: &super::Resolver,
) -> Option<(Option<String>, Option<String>, Option<String>)> {
    let mut order: Vec<&places::Mention> =
        r.mentions.iter().filter(|m| m.range.end <= at).collect();
    order.reverse();
    order.extend(r.mentions.iter().filter(|m| m.range.start >= at));
    let named = order.into_iter().find_map(|m| match resolver.locate(m)? {
        Located::Region(region) => Some((Some(m.name.clone()), Some(region.code.clone()), None)),
        Located::Place(p, _) => {
            let a = resolver.regions.assign(p.latitude, p.longitude);
            let (code, name) = a.admin2.or(a.admin1)?;
            Some((Some(name), Some(code), Some(m.name.clone())))
        }
    });
    if named.is_some() {
        return named;
    }
    let country = r
        .mentions
        .iter()
        .find(|m| places::is_country(&m.name))
        .map(|m| m.name.clone())
        .or_else(|| {
            r.words.iter().find_map(|w| {
                let c = places::demonym(&w.lower)?;
                countries::name(c).map(str::to_string)
            })
        });
    if country.is_some() {
        return Some((country, None, None));
    }
    if let Some(p) = main_province(resolver) {
        return Some((Some(p.name.clone()), Some(p.code.clone()), None));
    }
    let c = resolver.context.countries.first()?;
    Some((countries::name(c).map(str::to_string), None, None))
}
