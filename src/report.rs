//! Reports: a filter and a period in, a `Report` out (serialisable; the
//! rendering lives in `formats`).
//!
//! A report counts reviewed records only, always: drafts in its scope are
//! said (`awaiting_review`), never counted, and any other status is refused.
//!
//! The counting rule: an incident counts in a period only when its whole
//! date span lies inside the period. One whose span merely overlaps the
//! period ("since December 2024") is listed under `overlapping` with its
//! span, never counted, because we cannot know that it happened inside.
//!
//! The fatality rule: the best, low and high sums cover the same incidents,
//! those with a best estimate, so that low <= best <= high holds for the
//! sums; an incident's missing bound (or one on the wrong side of its best
//! estimate) is its best estimate. An incident without a best estimate, even
//! one with a range, is in none of them. Civilian fatalities sum the
//! incidents with a civilian toll. Every sum says how many incidents it
//! covers, and a sum that covers none of a group's incidents is unknown
//! (`None`), never 0.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::filter::{Filter, RegionKey, Status};
use crate::group::Dim;
use crate::model::{DatePrecision, DateSpan, Tally};
use crate::store::{Aggregate, Store};

/// A reporting period and how it was given (which decides the previous one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
    #[serde(skip)]
    pub kind: DatePrecision,
}

impl Period {
    /// A month (`2025-06`), ISO week (`2025-W24`), year (`2025`) or day.
    pub fn parse(field: &str, s: &str) -> Result<Period> {
        let span = DateSpan::parse(field, s)?;
        Ok(Period {
            start: span.start,
            end: span.end,
            kind: span.precision,
        })
    }

    /// An arbitrary range of days.
    pub fn range(start: NaiveDate, end: NaiveDate) -> Result<Period> {
        let span = DateSpan::new(start, end, DatePrecision::Range)?;
        Ok(Period {
            start: span.start,
            end: span.end,
            kind: DatePrecision::Range,
        })
    }

    /// The period for people: "June 2025", "2025", "week 2025-W24
    /// (9 Jun – 15 Jun 2025)", "2 June 2025", "2025-06-10 to 2025-06-19".
    pub fn label(&self) -> String {
        match self.kind {
            DatePrecision::Month => self.start.format("%B %Y").to_string(),
            DatePrecision::Year => self.start.format("%Y").to_string(),
            DatePrecision::Day => self.start.format("%-d %B %Y").to_string(),
            DatePrecision::Week => format!(
                "week {} ({} – {})",
                self.start.format("%G-W%V"),
                self.start.format("%-d %b"),
                self.end.format("%-d %b %Y")
            ),
            _ => format!("{} to {}", self.start, self.end),
        }
    }

    /// The period just before: the previous month, week or year, or for a
    /// range the same number of days just before it.
    pub fn previous(&self) -> Period {
        let (start, end) = match self.kind {
            DatePrecision::Month => {
                let start = self
                    .start
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(self.start);
                (start, self.start - Duration::days(1))
            }
            DatePrecision::Year => {
                let y = self.start.year() - 1;
                (
                    NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(self.start),
                    NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(self.start),
                )
            }
            _ => {
                let days = (self.end - self.start).num_days() + 1;
                (
                    self.start - Duration::days(days),
                    self.start - Duration::days(1),
                )
            }
        };
        Period {
            start,
            end,
            kind: self.kind,
        }
    }
}

/// The region a report covers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RegionSummary {
    pub name: String,
    pub code: Option<String>,
    /// admin1, admin2, custom, country or all.
    pub level: String,
    pub country: Option<String>,
    /// The governorate (admin1 code) of a district.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// For a district report: the incidents of its governorate in the period
/// that have no district (known only to the governorate), which cannot be
/// counted in any district.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WithoutDistrict {
    pub admin1_code: String,
    pub incidents: u64,
}

/// A sum over a group's incidents, of which `known` have the figure: unknown
/// when none of them has it, never 0 (a group without incidents sums to 0).
fn sum(value: u64, known: u64, incidents: u64) -> Option<u64> {
    (known > 0 || incidents == 0).then_some(value)
}

/// Fatality totals over the `known_incidents` with a best estimate; the
/// `unknown_incidents` without one are never added as 0.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FatalityTotals {
    pub best: Option<u64>,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub known_incidents: u64,
    pub unknown_incidents: u64,
}

impl From<&Aggregate> for FatalityTotals {
    fn from(a: &Aggregate) -> Self {
        let covered = |v| sum(v, a.fatalities_known, a.incidents);
        FatalityTotals {
            best: covered(a.fatalities),
            low: covered(a.fatalities_low),
            high: covered(a.fatalities_high),
            known_incidents: a.fatalities_known,
            unknown_incidents: a.incidents.saturating_sub(a.fatalities_known),
        }
    }
}

/// The previous period's totals and the change to this one.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub incidents: u64,
    pub fatalities: FatalityTotals,
    pub incidents_change: i64,
    /// Null when either period's best sum is unknown.
    pub fatalities_change: Option<i64>,
    /// This period's incidents over the previous period's (null when it had none).
    pub incidents_ratio: Option<f64>,
    /// Null when either best sum is unknown or the previous one is 0.
    pub fatalities_ratio: Option<f64>,
}

/// An incident whose date span only overlaps the period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Overlapping {
    pub uid: Option<String>,
    pub title: Option<String>,
    pub event_type: String,
    pub date_start: NaiveDate,
    pub date_end: NaiveDate,
    pub date_precision: DatePrecision,
    pub place: Option<String>,
    pub fatalities: Option<u32>,
}

/// A reported figure next to the counted incidents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportedTally {
    pub uid: Option<String>,
    pub metric: String,
    #[serde(serialize_with = "crate::model::whole_as_integer")]
    pub value: f64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub region: Option<String>,
    pub region_code: Option<String>,
    pub source: Option<String>,
    pub derived: bool,
    /// "within" when the figure's period lies inside the report's period,
    /// "overlapping" when it only overlaps it, "previous_period" when it
    /// lies inside the previous period (for the comparison).
    pub coverage: &'static str,
    pub notes: Option<String>,
}

/// The drafts in a report's scope: awaiting review, never counted.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct AwaitingReview {
    pub incidents: u64,
    pub tallies: u64,
}

impl AwaitingReview {
    /// "3 draft incidents and 1 draft tally in this scope await review
    /// (not counted)", or `None` when there are none.
    pub fn note(&self) -> Option<String> {
        let count = |n: u64, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 draft {one}")),
            n => Some(format!("{n} draft {many}")),
        };
        let parts: Vec<String> = [
            count(self.incidents, "incident", "incidents"),
            count(self.tallies, "tally", "tallies"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            return None;
        }
        let verb = if self.incidents + self.tallies == 1 {
            "awaits"
        } else {
            "await"
        };
        Some(format!(
            "{} in this scope {verb} review (not counted)",
            parts.join(" and ")
        ))
    }
}

/// A one-period report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub region: RegionSummary,
    pub period: Period,
    pub incidents: u64,
    pub fatalities: FatalityTotals,
    /// Over the `civilian_known_incidents` with a civilian toll.
    pub civilian_fatalities: Option<u64>,
    pub civilian_known_incidents: u64,
    pub by_type: Map<String, Value>,
    pub by_sub_type: Map<String, Value>,
    /// Each unit's [`AGGREGATE_COLUMNS`].
    pub by_admin1: Map<String, Value>,
    pub by_admin2: Map<String, Value>,
    pub by_actor: Map<String, Value>,
    pub by_week: Map<String, Value>,
    pub by_day: Map<String, Value>,
    pub overlapping: Vec<Overlapping>,
    /// How many overlapping incidents there are (the list stops at 1,000).
    pub overlapping_total: u64,
    pub previous_period: Comparison,
    pub tallies: Vec<ReportedTally>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_without_district: Option<WithoutDistrict>,
    pub awaiting_review: AwaitingReview,
}

/// Most overlapping incidents listed in a report.
const OVERLAPPING_LISTED: usize = 1000;

fn counts(rows: &[Aggregate], dim: Dim) -> Map<String, Value> {
    rows.iter()
        .map(|r| {
            let key = r.keys[0]
                .clone()
                .unwrap_or_else(|| dim.null_label().to_string());
            (key, Value::from(r.incidents))
        })
        .collect()
}

/// The figures of a grouped row, after its keys: `fatalities_known` and
/// `civilian_known` count the incidents the sums before them cover.
pub const AGGREGATE_COLUMNS: [&str; 8] = [
    "incidents",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "fatalities_known",
    "fatalities_unknown",
    "civilian_fatalities",
    "civilian_known",
];

/// The [`AGGREGATE_COLUMNS`] of one group.
fn figures(a: &Aggregate) -> Map<String, Value> {
    let f = FatalityTotals::from(a);
    let values: [Value; 8] = [
        a.incidents.into(),
        f.best.into(),
        f.low.into(),
        f.high.into(),
        f.known_incidents.into(),
        f.unknown_incidents.into(),
        sum(a.civilian_fatalities, a.civilian_known, a.incidents).into(),
        a.civilian_known.into(),
    ];
    AGGREGATE_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .zip(values)
        .collect()
}

/// The [`AGGREGATE_COLUMNS`] of a unit without incidents (for a map).
pub fn no_incidents() -> Map<String, Value> {
    figures(&Aggregate::default())
}

fn counts_with_fatalities(rows: &[Aggregate], dim: Dim) -> Map<String, Value> {
    rows.iter()
        .map(|r| {
            let key = r.keys[0]
                .clone()
                .unwrap_or_else(|| dim.null_label().to_string());
            (key, Value::Object(figures(r)))
        })
        .collect()
}

/// A report counts reviewed records only: any other status is refused.
pub fn check_status(status: Status) -> Result<()> {
    if status == Status::Reviewed {
        return Ok(());
    }
    Err(Error::invalid(
        "status",
        status.as_str(),
        "reviewed: a report counts reviewed rows only; see drafts with `incidents review` or \
         `list --status draft`",
    ))
}

/// A report counts reviewed records by the counting rule, so a filter that
/// selects other records, or the incidents that only overlap the period,
/// is refused, not silently read another way (a period report lists those
/// apart, in `overlapping`).
pub fn check_counting_rule(filter: &Filter) -> Result<()> {
    check_status(filter.status)?;
    if filter.overlapping {
        return Err(Error::invalid(
            "overlapping",
            true,
            "false in a report: it counts an incident only when its whole date span lies inside \
             the period (a period report lists the incidents that only overlap it apart)",
        ));
    }
    if let Some(n) = filter.limit {
        return Err(Error::invalid(
            "limit",
            n,
            "no limit in a report, map or chart: each counts every incident the filter selects \
             (--limit is for list and export)",
        ));
    }
    Ok(())
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| (a as f64 / b as f64 * 100.0).round() / 100.0)
}

fn reported(t: Tally, coverage: &'static str) -> ReportedTally {
    ReportedTally {
        coverage,
        uid: t.uid,
        metric: t.metric,
        value: t.value,
        period_start: t.period_start,
        period_end: t.period_end,
        region: t.region,
        region_code: t.region_code,
        source: t.source.map(|s| s.publisher),
        derived: t.derived,
        notes: t.notes,
    }
}

/// Builds the report for `period`: `filter` selects region, country, type
/// and so on (its dates are replaced by the period's; `overlapping` is
/// refused); `tally_codes` are the region codes whose reported tallies are
/// shown (`None`: all).
pub fn build(
    store: &dyn Store,
    filter: &Filter,
    region: RegionSummary,
    tally_codes: Option<&[String]>,
    period: Period,
) -> Result<Report> {
    check_counting_rule(filter)?;
    let within = Filter {
        from: Some(period.start),
        to: Some(period.end),
        limit: None,
        ..filter.clone()
    };
    let total = store.aggregate(&within, &[])?;
    let total = total.first().cloned().unwrap_or_default();
    let by = |d: Dim| store.aggregate(&within, &[d]);

    let mut overlapping = Vec::new();
    let mut overlapping_total = 0;
    let touching = Filter {
        overlapping: true,
        ..within.clone()
    };
    store.for_each_incident(&touching, &mut |i| {
        if !i.span.within(period.start, period.end) {
            overlapping_total += 1;
            if overlapping.len() < OVERLAPPING_LISTED {
                overlapping.push(Overlapping {
                    uid: i.uid,
                    title: i.title,
                    event_type: i.event_type,
                    date_start: i.span.start,
                    date_end: i.span.end,
                    date_precision: i.span.precision,
                    place: i.place,
                    fatalities: i.fatalities.best,
                });
            }
        }
        Ok(())
    })?;

    let prev = period.previous();
    let prev_total = store.aggregate(
        &Filter {
            from: Some(prev.start),
            to: Some(prev.end),
            ..within.clone()
        },
        &[],
    )?;
    let prev_total = prev_total.first().cloned().unwrap_or_default();

    // This period's figures, then the previous period's ("double May's
    // toll") so that the comparison the sources make is visible too.
    let mut tallies: Vec<ReportedTally> = Vec::new();
    for t in store.tallies(
        tally_codes,
        Some(period.start),
        Some(period.end),
        Status::Reviewed,
    )? {
        let within = t.period_start >= period.start && t.period_end <= period.end;
        tallies.push(reported(t, if within { "within" } else { "overlapping" }));
    }
    for t in store.tallies(
        tally_codes,
        Some(prev.start),
        Some(prev.end),
        Status::Reviewed,
    )? {
        if t.period_start >= prev.start && t.period_end <= prev.end {
            tallies.push(reported(t, "previous_period"));
        }
    }

    let awaiting_review = AwaitingReview {
        incidents: drafts(store, &within)?,
        tallies: store
            .tallies(
                tally_codes,
                Some(period.start),
                Some(period.end),
                Status::Draft,
            )?
            .len() as u64,
    };

    let parent_without_district = match (region.level.as_str(), &region.parent) {
        ("admin2", Some(parent)) => {
            let parent_filter = Filter {
                region: Some(RegionKey::Admin1(parent.clone())),
                ..within.clone()
            };
            let rows = store.aggregate(&parent_filter, &[Dim::Admin2])?;
            Some(WithoutDistrict {
                admin1_code: parent.clone(),
                incidents: rows
                    .iter()
                    .find(|r| r.keys[0].is_none())
                    .map_or(0, |r| r.incidents),
            })
        }
        _ => None,
    };

    let fatalities = FatalityTotals::from(&total);
    let prev_fatalities = FatalityTotals::from(&prev_total);
    let fatalities_change = fatalities
        .best
        .zip(prev_fatalities.best)
        .map(|(now, before)| now as i64 - before as i64);
    let fatalities_ratio = fatalities
        .best
        .zip(prev_fatalities.best)
        .and_then(|(now, before)| ratio(now, before));
    Ok(Report {
        parent_without_district,
        region,
        period,
        incidents: total.incidents,
        fatalities,
        civilian_fatalities: sum(
            total.civilian_fatalities,
            total.civilian_known,
            total.incidents,
        ),
        civilian_known_incidents: total.civilian_known,
        by_type: counts(&by(Dim::Type)?, Dim::Type),
        by_sub_type: counts(&by(Dim::SubType)?, Dim::SubType),
        by_admin1: counts_with_fatalities(&by(Dim::Admin1)?, Dim::Admin1),
        by_admin2: counts_with_fatalities(&by(Dim::Admin2)?, Dim::Admin2),
        by_actor: counts(&by(Dim::Actor)?, Dim::Actor),
        by_week: counts(&by(Dim::Week)?, Dim::Week),
        by_day: counts(&by(Dim::Day)?, Dim::Day),
        overlapping,
        overlapping_total,
        previous_period: Comparison {
            start: prev.start,
            end: prev.end,
            incidents: prev_total.incidents,
            fatalities: prev_fatalities,
            incidents_change: total.incidents as i64 - prev_total.incidents as i64,
            fatalities_change,
            incidents_ratio: ratio(total.incidents, prev_total.incidents),
            fatalities_ratio,
        },
        tallies,
        awaiting_review,
    })
}

/// The draft incidents a report with `filter` would count once reviewed.
pub fn drafts(store: &dyn Store, filter: &Filter) -> Result<u64> {
    let drafts = Filter {
        status: Status::Draft,
        ..filter.clone()
    };
    Ok(store
        .aggregate(&drafts, &[])?
        .first()
        .map_or(0, |a| a.incidents))
}

/// One row of a grouped report: a key per dimension plus the
/// [`AGGREGATE_COLUMNS`] of the incidents whose whole span lies in
/// `filter`'s dates (`overlapping` is refused).
pub fn grouped(
    store: &dyn Store,
    filter: &Filter,
    dims: &[Dim],
) -> Result<Vec<Map<String, Value>>> {
    if dims.is_empty() {
        return Err(Error::invalid("group-by", "", "at least one dimension"));
    }
    check_counting_rule(filter)?;
    let rows = store.aggregate(filter, dims)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut m = Map::new();
            for (d, k) in dims.iter().zip(&r.keys) {
                let k = k.as_deref().unwrap_or_else(|| d.null_label());
                m.insert(d.name().into(), Value::from(k));
            }
            m.extend(figures(&r));
            m
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn awaiting_review_notes() {
        let note = |incidents, tallies| AwaitingReview { incidents, tallies }.note();
        assert_eq!(note(0, 0), None);
        assert_eq!(
            note(3, 1).as_deref(),
            Some("3 draft incidents and 1 draft tally in this scope await review (not counted)")
        );
        assert_eq!(
            note(1, 0).as_deref(),
            Some("1 draft incident in this scope awaits review (not counted)")
        );
        assert_eq!(
            note(0, 2).as_deref(),
            Some("2 draft tallies in this scope await review (not counted)")
        );
    }

    #[test]
    fn previous_periods() {
        let m = Period::parse("--month", "2025-03").unwrap().previous();
        assert_eq!((m.start, m.end), (d("2025-02-01"), d("2025-02-28")));
        let y = Period::parse("--year", "2025").unwrap().previous();
        assert_eq!((y.start, y.end), (d("2024-01-01"), d("2024-12-31")));
        let w = Period::parse("--week", "2025-W02").unwrap().previous();
        assert_eq!((w.start, w.end), (d("2024-12-30"), d("2025-01-05")));
        let r = Period::range(d("2025-06-10"), d("2025-06-19"))
            .unwrap()
            .previous();
        assert_eq!((r.start, r.end), (d("2025-05-31"), d("2025-06-09")));
        assert_eq!(
            Period::parse("--month", "2025-06").unwrap().label(),
            "June 2025"
        );
        assert_eq!(
            Period::parse("--week", "2025-W24").unwrap().label(),
            "week 2025-W24 (9 Jun – 15 Jun 2025)"
        );
        assert_eq!(r.label(), "2025-05-31 to 2025-06-09");
        let jan = Period::parse("--month", "2025-01").unwrap().previous();
        assert_eq!((jan.start, jan.end), (d("2024-12-01"), d("2024-12-31")));
    }
}
