//! Aggregate figures ("38 killings in Daraa in June, 23 of them
//! civilians", "17 assassinations since the regime's fall"): a count of
//! events over a period longer than a week, drafted as tallies, never as
//! incidents. A figure given relative to another ("double May's toll")
//! is drafted as derived.

use super::places::Located;
use super::{Reading, Report, evidence_of, main_province};
use crate::model::{Review, Tally};

/// Nouns that make a count a count of events, with the metric they give.
const METRICS: &[(&str, &str)] = &[
    ("killings", "killings"),
    ("killed", "killings"),
    ("deaths", "killings"),
    ("dead", "killings"),
    ("murders", "killings"),
    ("assassinations", "assassinations"),
    ("assassination", "assassinations"),
    ("executions", "executions"),
    ("kidnappings", "abductions"),
    ("abductions", "abductions"),
    ("arrests", "arrests"),
    ("airstrikes", "airstrikes"),
    ("raids", "airstrikes"),
    ("strikes", "strikes"),
    ("attacks", "attacks"),
    ("incidents", "incidents"),
    ("violations", "violations"),
    ("explosions", "explosions"),
    ("casualties", "casualties"),
];

/// Periods shorter than this are an event's dates, not a tally's.
const MIN_DAYS: i64 = 7;

/// The tallies of a sentence, or None when it reports none (then it may
/// report incidents).
pub(super) fn tallies(
    text: &str,
    r: &Reading,
    resolver: &super::Resolver,
    report: &Report,
) -> Option<Vec<Tally>> {
    let period = r
        .dates
        .iter()
        .filter(|d| (d.span.end - d.span.start).num_days() + 1 >= MIN_DAYS)
        .collect::<Vec<_>>();
    if period.is_empty() {
        return None;
    }
    let words = &r.words;
    let mut out: Vec<Tally> = Vec::new();
    for c in &r.counts {
        let Some(value) = c.best.or(c.low) else {
            continue;
        };
        let Some(i) = words.iter().position(|w| w.range.start >= c.end) else {
            continue;
        };
        let next: Vec<&str> = words[i..(i + 4).min(words.len())]
            .iter()
            .map(|w| w.lower.as_str())
            .collect();
        let civilian = next.first().is_some_and(|w| matches!(*w, "civilians" | "civilian"));
        let metric = next.iter().take(3).find_map(|w| {
            METRICS.iter().find(|(noun, _)| noun == w).map(|(_, m)| *m)
        });
        let (metric, civilian, part_of) = match (metric, civilian, out.last()) {
            (Some(m), civ, _) => (m.to_string(), civ, None),
            // "including 23 civilians": part of the figure before it, for
            // the same period.
            (None, true, Some(prev)) => (
                prev.metric.clone(),
                true,
                Some((prev.period_start, prev.period_end)),
            ),
            _ => continue,
        };
        let metric = if civilian && !metric.starts_with("civilian") {
            format!("civilian {metric}")
        } else {
            metric
        };
        // The period nearest the count, preferring one after it.
        let Some(p) = period
            .iter()
            .filter(|d| part_of.is_none_or(|(s, e)| d.span.start == s && d.span.end == e))
            .min_by_key(|d| (d.start < c.start, d.start.abs_diff(c.end)))
        else {
            continue;
        };
        let (region, place) = tally_region(r, resolver)
            .or_else(|| main_province(resolver).map(|r| (r.name.clone(), None)))
            .unwrap_or_default();
        let sentence = [r.sentence.range.clone()];
        let mut t = Tally {
            uid: None,
            region: (!region.is_empty()).then_some(region),
            region_code: None,
            place,
            period_start: p.span.start,
            period_end: p.span.end,
            metric,
            value: f64::from(value),
            derived: false,
            source: Some(report.source.clone()),
            notes: None,
            status: Review::Draft,
            review_note: None,
            evidence: vec![
                evidence_of(text, "value", c.start..c.end, &sentence),
                evidence_of(text, "period", p.start..p.end, &sentence),
            ],
            confidence: Some(0.8),
            created_at: None,
            updated_at: None,
        };
        if civilian {
            t.confidence = Some(0.75);
        }
        out.push(t);
    }
    if out.is_empty() {
        return None;
    }
    if let Some(d) = derived(text, r, &out[0], &period) {
        out.push(d);
    }
    Some(out)
}

/// "double the toll in May", "twice May's figure", "half of": the other
/// period's figure from this one, marked derived.
fn derived(text: &str, r: &Reading, first: &Tally, period: &[&&super::DateMention]) -> Option<Tally> {
    let lower = text[r.sentence.range.clone()].to_lowercase();
    let factor = [("double", 0.5), ("twice", 0.5), ("triple", 1.0 / 3.0), ("half", 2.0)]
        .iter()
        .find(|(w, _)| lower.contains(w))?
        .1;
    let other = period
        .iter()
        .find(|d| d.span.start != first.period_start || d.span.end != first.period_end)?;
    let value = (first.value * factor).round();
    let sentence = [r.sentence.range.clone()];
    Some(Tally {
        period_start: other.span.start,
        period_end: other.span.end,
        value,
        derived: true,
        confidence: Some(0.6),
        evidence: vec![evidence_of(text, "period", other.start..other.end, &sentence)],
        ..first.clone()
    })
}

/// The region a tally sentence names: a province, or a town's district
/// (with the town as the tally's place).
fn tally_region(r: &Reading, resolver: &super::Resolver) -> Option<(String, Option<String>)> {
    r.mentions.iter().find_map(|m| match resolver.locate(m)? {
        Located::Region(region) => Some((region.name.clone(), None)),
        Located::Place(p, _) => {
            let a = resolver.regions.assign(p.latitude, p.longitude);
            let (_, name) = a.admin2.or(a.admin1)?;
            Some((name, Some(m.name.clone())))
        }
    })
}
