//! What a chart of incidents over time shows: one bar per month, ISO week
//! or year, stacked by event type, region or actor, counted by the
//! report's rule, with the figures the sources report for the same region
//! and metric beside the bars. The queries are here; the drawing is
//! `formats::chart`, which runs none.
//!
//! The periods are whole: a range that starts or ends inside a period is
//! widened to the whole of it (the chart says so), so that no bar is a
//! partial month that looks like a quiet one.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate};

use crate::error::{Error, Result};
use crate::filter::{Filter, Status};
use crate::formats::palette;
use crate::geo::Regions;
use crate::group::Dim;
use crate::map::Measure;
use crate::model::{DatePrecision, TAXONOMY, Tally};
use crate::report::{self, AwaitingReview, FatalityTotals, Period, RegionSummary};
use crate::store::{Aggregate, Store};

/// Most bars a chart draws: five years by week. More would be slivers a
/// reader cannot tell apart; a coarser `--by` says the same more clearly.
pub const MAX_BARS: usize = 260;

/// The periods a chart's bars stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    Week,
    Month,
    Year,
}

impl By {
    pub fn name(self) -> &'static str {
        match self {
            By::Week => "week",
            By::Month => "month",
            By::Year => "year",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            By::Week => "weeks",
            By::Month => "months",
            By::Year => "years",
        }
    }

    /// The grouping whose keys are this period's (`2025-06`, `2025-W24`,
    /// `2025`), NULL for an incident whose span is not inside one.
    pub fn dim(self) -> Dim {
        match self {
            By::Week => Dim::Week,
            By::Month => Dim::Month,
            By::Year => Dim::Year,
        }
    }

    /// The whole period holding `day`.
    pub fn bucket(self, day: NaiveDate) -> Bucket {
        let (start, end) = match self {
            By::Week => {
                let back = Days::new(u64::from(day.weekday().num_days_from_monday()));
                let monday = day.checked_sub_days(back).unwrap_or(day);
                (monday, monday.checked_add_days(Days::new(6)).unwrap_or(day))
            }
            By::Month => {
                let first = day.with_day(1).unwrap_or(day);
                (first, last_of_month(first))
            }
            By::Year => (
                NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
                NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day),
            ),
        };
        Bucket {
            by: self,
            start,
            end,
        }
    }

    /// The periods a report's period is drawn against: its own kind
    /// (a week by weeks, a year by years), a month for a range of a month
    /// or more, else weeks.
    pub fn of_period(period: &Period) -> By {
        match period.kind {
            DatePrecision::Year => By::Year,
            DatePrecision::Month => By::Month,
            DatePrecision::Week | DatePrecision::Day => By::Week,
            _ if (period.end - period.start).num_days() >= 27 => By::Month,
            _ => By::Week,
        }
    }
}

fn last_of_month(first: NaiveDate) -> NaiveDate {
    first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|next| next.pred_opt())
        .unwrap_or(first)
}

/// One whole month, ISO week or year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub by: By,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Bucket {
    /// The key the grouped report gives it: `2025-06`, `2025-W24`, `2025`.
    pub fn key(&self) -> String {
        let f = match self.by {
            By::Week => "%G-W%V",
            By::Month => "%Y-%m",
            By::Year => "%Y",
        };
        self.start.format(f).to_string()
    }

    /// A short label for an axis: `Jun 2025`, `2025-W24`, `2025`.
    pub fn label(&self) -> String {
        match self.by {
            By::Month => self.start.format("%b %Y").to_string(),
            _ => self.key(),
        }
    }

    /// The next period (`None` at the end of the calendar).
    fn next(&self) -> Option<Bucket> {
        Some(self.by.bucket(self.end.succ_opt()?))
    }

    /// The period before (`None` at the start of the calendar).
    fn previous(&self) -> Option<Bucket> {
        Some(self.by.bucket(self.start.pred_opt()?))
    }
}

/// The whole periods from the one holding `from` to the one holding `to`
/// (so a partial first or last period is widened to the whole of it), at
/// most [`MAX_BARS`].
pub fn buckets(from: NaiveDate, to: NaiveDate, by: By) -> Result<Vec<Bucket>> {
    if to < from {
        return Err(Error::invalid(
            "to",
            to,
            format!("a date on or after from ({from})"),
        ));
    }
    let (first, last) = (by.bucket(from), by.bucket(to));
    let count = match by {
        By::Week => (last.start - first.start).num_days() / 7 + 1,
        By::Month => {
            i64::from(last.start.year() - first.start.year()) * 12 + i64::from(last.start.month())
                - i64::from(first.start.month())
                + 1
        }
        By::Year => i64::from(last.start.year() - first.start.year()) + 1,
    };
    if count > MAX_BARS as i64 {
        return Err(Error::invalid(
            "by",
            by.name(),
            format!(
                "at most {MAX_BARS} periods in a chart ({} to {} has {count} {}): a coarser --by \
                 (week, month, year) or a shorter --from/--to",
                first.start,
                last.end,
                by.plural()
            ),
        ));
    }
    let mut out = Vec::with_capacity(count as usize);
    let mut b = first;
    out.push(b);
    while b.end < last.end {
        let Some(next) = b.next() else { break };
        out.push(next);
        b = next;
    }
    Ok(out)
}

/// The range a chart of the `count` periods ending with `period` covers,
/// and its periods' kind (see [`By::of_period`]): the "preceding 12
/// months" of a month's report.
pub fn preceding(period: &Period, count: usize) -> (NaiveDate, NaiveDate, By) {
    let by = By::of_period(period);
    let last = by.bucket(period.end);
    let mut first = last;
    for _ in 1..count.max(1) {
        let Some(before) = first.previous() else {
            break;
        };
        first = before;
    }
    (first.start, last.end, by)
}

/// What a chart divides its bars by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Stack {
    /// The six ACLED event types, in ACLED's order.
    Type,
    Admin1,
    Admin2,
    Actor,
}

impl Stack {
    pub fn dim(self) -> Dim {
        match self {
            Stack::Type => Dim::Type,
            Stack::Admin1 => Dim::Admin1,
            Stack::Admin2 => Dim::Admin2,
            Stack::Actor => Dim::Actor,
        }
    }

    /// What the legend calls the stack.
    pub fn heading(self) -> &'static str {
        match self {
            Stack::Type => "Event type",
            Stack::Admin1 => "Province",
            Stack::Admin2 => "District",
            Stack::Actor => "Actor",
        }
    }
}

/// The words that make a reported figure a count of people killed, and
/// those that make it a count of events; see [`Measure::for_tally_metric`].
const KILLED_WORDS: &[&str] = &[
    "killing",
    "killings",
    "killed",
    "death",
    "deaths",
    "dead",
    "fatality",
    "fatalities",
];
const EVENT_WORDS: &[&str] = &[
    "incident",
    "incidents",
    "event",
    "events",
    "attack",
    "attacks",
    "assassination",
    "assassinations",
    "execution",
    "executions",
    "airstrike",
    "airstrikes",
    "strike",
    "strikes",
    "raid",
    "raids",
    "bombing",
    "bombings",
    "explosion",
    "explosions",
    "clash",
    "clashes",
    "shelling",
    "shellings",
];

impl Measure {
    /// The measure a reported tally's metric is comparable with: one that
    /// counts people killed ("killings", "civilian killings", "deaths",
    /// "killed", "fatalities", "dead") goes with fatalities; one that
    /// counts events ("incidents", "attacks", "assassinations",
    /// "executions", "strikes", "raids", "bombings", "explosions",
    /// "clashes", "shelling") with incidents. A figure of anything else
    /// (injuries, casualties, arrests, abductions, the displaced) is
    /// comparable with neither. A metric naming both ("attacks killing")
    /// counts what its last such word names.
    pub fn for_tally_metric(metric: &str) -> Option<Measure> {
        metric
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .rev()
            .find_map(|w| {
                if KILLED_WORDS.contains(&w.as_str()) {
                    Some(Measure::Fatalities)
                } else if EVENT_WORDS.contains(&w.as_str()) {
                    Some(Measure::Incidents)
                } else {
                    None
                }
            })
    }

    /// Whether a tally of `metric` is drawn beside this measure's bars.
    pub fn matches_tally_metric(self, metric: &str) -> bool {
        Measure::for_tally_metric(metric) == Some(self)
    }
}

/// One part of the stacks: an event type, a region, an actor, the smaller
/// ones together ("other"), or those without one ("(no actor)").
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// The grouping key (a type, a region code, an actor); `None` for
    /// "other" and for the incidents without one.
    pub key: Option<String>,
    pub label: String,
    /// The smaller categories folded together.
    pub other: bool,
    /// The category's total over the bars.
    pub total: u64,
}

/// One period's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub bucket: Bucket,
    /// The measure per category, in [`ChartData::categories`]' order.
    pub values: Vec<u64>,
    /// The incidents counted in this period (each once, whatever the stack).
    pub incidents: u64,
    /// Their fatalities (best estimates).
    pub fatalities: u64,
    /// Those of them with a best estimate: with none, the period's
    /// fatalities are unknown, not 0.
    pub fatalities_known: u64,
}

impl Bar {
    /// The bar's height: the sum of its segments.
    pub fn height(&self) -> u64 {
        self.values.iter().sum()
    }
}

/// A reported figure beside the bars.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedFigure {
    pub tally: Tally,
    /// The bar it is drawn at: the one whose period holds the figure's;
    /// `None` when it is listed under the chart instead.
    pub bar: Option<usize>,
    /// Its period spans several bars or reaches outside the chart: it is
    /// not a figure for one period.
    pub spans_periods: bool,
    /// It counts another area (a district of the governorate charted, or
    /// its province): not what the bars count.
    pub other_scope: bool,
}

/// Everything a chart draws.
#[derive(Debug, Clone)]
pub struct ChartData {
    pub region: RegionSummary,
    /// The range as asked, before it was widened to whole periods.
    pub asked: (NaiveDate, NaiveDate),
    pub by: By,
    pub stack: Stack,
    pub measure: Measure,
    pub categories: Vec<Category>,
    pub bars: Vec<Bar>,
    /// Incidents inside the chart's range whose span is not inside one
    /// period: counted in no bar, never given a made-up date.
    pub spanning: u64,
    /// The best estimates of those.
    pub spanning_fatalities: u64,
    /// Incidents whose span only overlaps the chart's range: not counted.
    pub overlapping: u64,
    pub awaiting_review: AwaitingReview,
    /// The region's reviewed tallies of a metric that goes with the
    /// measure, whose period overlaps the chart's, by period.
    pub figures: Vec<ReportedFigure>,
    /// The metrics of the region's other tallies in the range, which go
    /// with the other measure or with neither.
    pub other_metrics: Vec<String>,
    /// The publishers of the incidents' sources, most first.
    pub publishers: Vec<String>,
}

impl ChartData {
    /// The first day of the first bar.
    pub fn start(&self) -> NaiveDate {
        self.bars.first().map_or(self.asked.0, |b| b.bucket.start)
    }

    /// The last day of the last bar.
    pub fn end(&self) -> NaiveDate {
        self.bars.last().map_or(self.asked.1, |b| b.bucket.end)
    }

    /// True when the range asked was widened to whole periods.
    pub fn widened(&self) -> bool {
        self.asked != (self.start(), self.end())
    }

    /// The incidents counted in the bars.
    pub fn incidents(&self) -> u64 {
        self.bars.iter().map(|b| b.incidents).sum()
    }

    /// The fatalities of the incidents in the bars: the best estimates
    /// summed and the incidents they cover, as a report gives them.
    pub fn fatalities(&self) -> FatalityTotals {
        let a = Aggregate {
            incidents: self.incidents(),
            fatalities: self.bars.iter().map(|b| b.fatalities).sum(),
            fatalities_known: self.bars.iter().map(|b| b.fatalities_known).sum(),
            ..Aggregate::default()
        };
        FatalityTotals::from(&a)
    }

    /// The publishers of the drawn and listed figures, in order.
    pub fn figure_sources(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in &self.figures {
            let p = f.tally.source.as_ref().map_or("", |s| s.publisher.as_str());
            if !p.is_empty() && !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }
}

/// What a chart is of: its range, periods, stack and measure.
#[derive(Debug, Clone, Copy)]
pub struct ChartSpec {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: By,
    pub stack: Stack,
    pub measure: Measure,
}

/// Builds the chart of the incidents `filter` selects from `spec.from` to
/// `spec.to` (widened to whole periods) by the report's rules (reviewed
/// incidents only; `overlapping` refused). `tally_codes` are the region
/// codes whose tallies go with it (`None`: all); `names` names the regions
/// of an admin1 or admin2 stack.
pub fn build(
    store: &dyn Store,
    filter: &Filter,
    region: RegionSummary,
    tally_codes: Option<&[String]>,
    names: Option<&Regions>,
    spec: ChartSpec,
) -> Result<ChartData> {
    report::check_counting_rule(filter)?;
    let buckets = buckets(spec.from, spec.to, spec.by)?;
    let (start, end) = match (buckets.first(), buckets.last()) {
        (Some(first), Some(last)) => (first.start, last.end),
        _ => (spec.from, spec.to),
    };
    let within = Filter {
        from: Some(start),
        to: Some(end),
        limit: None,
        ..filter.clone()
    };
    let index: HashMap<String, usize> = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| (b.key(), i))
        .collect();
    let rows = store.aggregate(&within, &[spec.by.dim(), spec.stack.dim()])?;
    // By actor an incident is in a row per actor, so the periods' own
    // counts come from a query of their own; the other stacks partition
    // the incidents and their rows add up.
    let by_period = if spec.stack == Stack::Actor {
        store.aggregate(&within, &[spec.by.dim()])?
    } else {
        rows.iter()
            .map(|r| Aggregate {
                keys: vec![r.keys[0].clone()],
                ..r.clone()
            })
            .collect()
    };

    let mut bars: Vec<Bar> = buckets
        .iter()
        .map(|b| Bar {
            bucket: *b,
            values: Vec::new(),
            incidents: 0,
            fatalities: 0,
            fatalities_known: 0,
        })
        .collect();
    let (mut spanning, mut spanning_fatalities, mut within_total) = (0, 0, 0);
    for r in &by_period {
        within_total += r.incidents;
        match r.keys[0].as_deref().and_then(|k| index.get(k)) {
            Some(&i) => {
                bars[i].incidents += r.incidents;
                bars[i].fatalities += r.fatalities;
                bars[i].fatalities_known += r.fatalities_known;
            }
            None => {
                spanning += r.incidents;
                spanning_fatalities += r.fatalities;
            }
        }
    }

    let categories = categories(&rows, &index, spec, names);
    let slot: HashMap<Option<&str>, usize> = categories
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.other)
        .map(|(i, c)| (c.key.as_deref(), i))
        .collect();
    let other = categories.iter().position(|c| c.other);
    for bar in &mut bars {
        bar.values = vec![0; categories.len()];
    }
    for r in &rows {
        let Some(&b) = r.keys[0].as_deref().and_then(|k| index.get(k)) else {
            continue;
        };
        if let Some(c) = slot.get(&r.keys[1].as_deref()).copied().or(other) {
            bars[b].values[c] += spec.measure.of(r);
        }
    }

    let touching = Filter {
        overlapping: true,
        ..within.clone()
    };
    let touching = store
        .aggregate(&touching, &[])?
        .first()
        .map_or(0, |a| a.incidents);

    let (figures, other_metrics) = figures(store, tally_codes, &region, &bars, spec.measure)?;
    Ok(ChartData {
        asked: (spec.from, spec.to),
        by: spec.by,
        stack: spec.stack,
        measure: spec.measure,
        categories,
        spanning,
        spanning_fatalities,
        overlapping: touching.saturating_sub(within_total),
        awaiting_review: AwaitingReview {
            incidents: report::drafts(store, &within)?,
            tallies: store
                .tallies(tally_codes, Some(start), Some(end), Status::Draft)?
                .len() as u64,
        },
        figures,
        other_metrics,
        publishers: store.publishers(&within, 5)?,
        bars,
        region,
    })
}

/// The stack's categories with a total over the bars: the event types in
/// ACLED's order; the largest regions or actors, the rest as "other".
fn categories(
    rows: &[Aggregate],
    index: &HashMap<String, usize>,
    spec: ChartSpec,
    names: Option<&Regions>,
) -> Vec<Category> {
    let mut totals: Vec<(Option<String>, u64)> = Vec::new();
    for r in rows {
        if !r.keys[0].as_deref().is_some_and(|k| index.contains_key(k)) {
            continue;
        }
        let v = spec.measure.of(r);
        match totals.iter_mut().find(|(k, _)| *k == r.keys[1]) {
            Some((_, t)) => *t += v,
            None => totals.push((r.keys[1].clone(), v)),
        }
    }
    totals.retain(|(_, t)| *t > 0);
    let dim = spec.stack.dim();
    let label = |key: &Option<String>| match key {
        None => dim.null_label().to_string(),
        Some(k) if matches!(spec.stack, Stack::Admin1 | Stack::Admin2) => names
            .and_then(|n| n.get(k))
            .map_or_else(|| k.clone(), |r| r.name.clone()),
        Some(k) => k.clone(),
    };
    let category = |(key, total): (Option<String>, u64)| Category {
        label: label(&key),
        key,
        other: false,
        total,
    };
    if spec.stack == Stack::Type {
        let rank = |k: &Option<String>| {
            TAXONOMY
                .iter()
                .position(|(t, _)| Some(*t) == k.as_deref())
                .unwrap_or(TAXONOMY.len())
        };
        totals.sort_by_key(|(k, _)| (rank(k), k.clone()));
        return totals.into_iter().map(category).collect();
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| label(&a.0).cmp(&label(&b.0))));
    if totals.len() <= palette::MAX_CATEGORIES {
        return totals.into_iter().map(category).collect();
    }
    let rest = totals.split_off(palette::MAX_CATEGORIES - 1);
    let mut out: Vec<Category> = totals.into_iter().map(category).collect();
    out.push(Category {
        key: None,
        label: format!("other ({})", rest.len()),
        other: true,
        total: rest.iter().map(|(_, t)| t).sum(),
    });
    out
}

/// The region's reviewed tallies in the chart's range that go with the
/// measure, each at its bar or listed with why not; and the metrics of
/// the others.
fn figures(
    store: &dyn Store,
    tally_codes: Option<&[String]>,
    region: &RegionSummary,
    bars: &[Bar],
    measure: Measure,
) -> Result<(Vec<ReportedFigure>, Vec<String>)> {
    let (Some(first), Some(last)) = (bars.first(), bars.last()) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut figures = Vec::new();
    let mut other_metrics: Vec<String> = Vec::new();
    for t in store.tallies(
        tally_codes,
        Some(first.bucket.start),
        Some(last.bucket.end),
        Status::Reviewed,
    )? {
        if !measure.matches_tally_metric(&t.metric) {
            if !other_metrics.contains(&t.metric) {
                other_metrics.push(t.metric.clone());
            }
            continue;
        }
        // A figure sits beside the bars only when it counts the same area:
        // the region's own, not one of its districts' nor its province's.
        let same_scope = region.code.is_some() && t.region_code == region.code;
        let bar = bars
            .iter()
            .position(|b| b.bucket.start <= t.period_start && t.period_end <= b.bucket.end);
        figures.push(ReportedFigure {
            bar: bar.filter(|_| same_scope),
            spans_periods: bar.is_none(),
            other_scope: !same_scope,
            tally: t,
        });
    }
    Ok((figures, other_metrics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn tally_metrics_go_with_one_measure() {
        for m in [
            "killings",
            "civilian killings",
            "deaths",
            "killed",
            "fatalities",
            "dead",
            "Civilians killed",
        ] {
            assert_eq!(
                Measure::for_tally_metric(m),
                Some(Measure::Fatalities),
                "{m}"
            );
            assert!(Measure::Fatalities.matches_tally_metric(m));
            assert!(!Measure::Incidents.matches_tally_metric(m));
        }
        for m in ["assassinations", "attacks", "incidents", "airstrikes"] {
            assert_eq!(
                Measure::for_tally_metric(m),
                Some(Measure::Incidents),
                "{m}"
            );
        }
        for m in [
            "injuries",
            "casualties",
            "arrests",
            "abductions",
            "displaced",
        ] {
            assert_eq!(Measure::for_tally_metric(m), None, "{m}");
        }
    }

    #[test]
    fn buckets_are_whole_periods_covering_the_range() {
        let months = buckets(d("2025-05-10"), d("2025-07-20"), By::Month).unwrap();
        let keys: Vec<String> = months.iter().map(Bucket::key).collect();
        assert_eq!(keys, ["2025-05", "2025-06", "2025-07"]);
        assert_eq!(months[0].start, d("2025-05-01"));
        assert_eq!(months[2].end, d("2025-07-31"));
        assert_eq!(months[1].label(), "Jun 2025");

        // 2025-06-01 is a Sunday: its week began on 26 May.
        let weeks = buckets(d("2025-06-01"), d("2025-06-30"), By::Week).unwrap();
        assert_eq!(weeks[0].key(), "2025-W22");
        assert_eq!(weeks[0].start, d("2025-05-26"));
        assert_eq!(weeks.last().unwrap().key(), "2025-W27");
        for w in weeks.windows(2) {
            assert_eq!(w[1].start, w[0].end + Duration::days(1));
        }
        // ISO years: 2024-12-30 is in 2025-W01.
        let new_year = buckets(d("2024-12-30"), d("2025-01-05"), By::Week).unwrap();
        assert_eq!(new_year.len(), 1);
        assert_eq!(new_year[0].key(), "2025-W01");

        let years = buckets(d("2023-03-01"), d("2025-01-01"), By::Year).unwrap();
        assert_eq!(years.len(), 3);
        assert_eq!(years[2].end, d("2025-12-31"));

        let one = buckets(d("2025-06-15"), d("2025-06-15"), By::Month).unwrap();
        assert_eq!(one.len(), 1);
    }

    #[test]
    fn too_many_bars_and_reversed_ranges_are_refused() {
        let e = buckets(d("2015-01-01"), d("2025-12-31"), By::Week)
            .unwrap_err()
            .to_string();
        assert!(e.contains("by") && e.contains("at most 260"), "{e}");
        assert!(buckets(d("2015-01-01"), d("2025-12-31"), By::Month).is_ok());
        let e = buckets(d("2025-07-01"), d("2025-06-01"), By::Month)
            .unwrap_err()
            .to_string();
        assert!(e.contains("to"), "{e}");
    }

    #[test]
    fn preceding_periods_end_with_the_reports() {
        let june = Period::parse("--month", "2025-06").unwrap();
        assert_eq!(
            preceding(&june, 12),
            (d("2024-07-01"), d("2025-06-30"), By::Month)
        );
        let week = Period::parse("--week", "2025-W02").unwrap();
        let (from, to, by) = preceding(&week, 12);
        assert_eq!(by, By::Week);
        assert_eq!(buckets(from, to, by).unwrap().len(), 12);
        assert_eq!(to, d("2025-01-12"));
        let year = Period::parse("--year", "2025").unwrap();
        assert_eq!(
            preceding(&year, 3),
            (d("2023-01-01"), d("2025-12-31"), By::Year)
        );
        let range = Period::range(d("2025-03-10"), d("2025-06-19")).unwrap();
        assert_eq!(preceding(&range, 2).2, By::Month);
        assert_eq!(preceding(&range, 2).0, d("2025-05-01"));
    }
}
