//! When an incident happened: date spans and the precision the source gave,
//! parsed from YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How precisely an incident's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
    Range,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Range => "range",
        }
    }

    pub fn parse(s: &str) -> Result<DatePrecision> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(DatePrecision::Day),
            "week" => Ok(DatePrecision::Week),
            "month" => Ok(DatePrecision::Month),
            "year" => Ok(DatePrecision::Year),
            "range" => Ok(DatePrecision::Range),
            _ => Err(Error::invalid(
                "date_precision",
                s,
                "day, week, month, year or range",
            )),
        }
    }

    /// The precision the dates of `start..=end` say by themselves: `day` for
    /// one day, `week` for an ISO week (Monday to Sunday), `month` for a
    /// calendar month, `year` for a calendar year, otherwise `range`. The one
    /// rule every reader and `check` use, so a span gets the same precision
    /// whichever format it came in.
    pub fn of(start: NaiveDate, end: NaiveDate) -> DatePrecision {
        if start == end {
            DatePrecision::Day
        } else if start.weekday() == Weekday::Mon && end == start + Duration::days(6) {
            DatePrecision::Week
        } else if start.day() == 1 && month_end(start.year(), start.month()) == Some(end) {
            DatePrecision::Month
        } else if start.ordinal() == 1 && NaiveDate::from_ymd_opt(start.year(), 12, 31) == Some(end)
        {
            DatePrecision::Year
        } else {
            DatePrecision::Range
        }
    }

    /// True when a span `start..=end` may carry this precision: `range` fits
    /// any span, the others only the span that is exactly that unit.
    pub fn fits(self, start: NaiveDate, end: NaiveDate) -> bool {
        self == DatePrecision::Range || self == DatePrecision::of(start, end)
    }
}

/// The dates an incident may have happened on: `start..=end`, with the
/// precision the source gave. "On Tuesday" is a day, "in June" a month, and
/// "since the regime's fall" a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateSpan {
    #[serde(rename = "date_start")]
    pub start: NaiveDate,
    #[serde(rename = "date_end")]
    pub end: NaiveDate,
    #[serde(rename = "date_precision")]
    pub precision: DatePrecision,
}

/// Earliest and latest dates accepted: older or later dates are typos.
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2100;

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
}

impl DateSpan {
    /// Builds a span, checking that it is not reversed, is in range and has
    /// a precision that fits it (see [`DatePrecision::fits`]).
    pub fn new(start: NaiveDate, end: NaiveDate, precision: DatePrecision) -> Result<DateSpan> {
        if end < start {
            return Err(Error::invalid(
                "date range",
                format!("{start} to {end}"),
                "an end date on or after the start date",
            ));
        }
        for d in [start, end] {
            if !(MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
                return Err(Error::invalid(
                    "date",
                    d,
                    format!("a year between {MIN_YEAR} and {MAX_YEAR}"),
                ));
            }
        }
        if !precision.fits(start, end) {
            let fitting = match DatePrecision::of(start, end) {
                DatePrecision::Range => "range".to_string(),
                p => format!("{} or range", p.as_str()),
            };
            return Err(Error::invalid(
                "date_precision",
                precision.as_str(),
                format!("{fitting} for {start} to {end}"),
            ));
        }
        Ok(DateSpan {
            start,
            end,
            precision,
        })
    }

    /// The span `start..=end` with the precision its dates say
    /// ([`DatePrecision::of`]): for readers of files that give only dates.
    pub fn infer(start: NaiveDate, end: NaiveDate) -> Result<DateSpan> {
        DateSpan::new(start, end, DatePrecision::of(start, end))
    }

    /// A single day.
    pub fn day(date: NaiveDate) -> Result<DateSpan> {
        DateSpan::new(date, date, DatePrecision::Day)
    }

    /// Parses `YYYY-MM-DD` (day), `YYYY-Www` (ISO week), `YYYY-MM` (month) or
    /// `YYYY` (year). `field` names the flag or column in errors.
    pub fn parse(field: &str, s: &str) -> Result<DateSpan> {
        DateSpan::parse_unnamed(field, s).map_err(|e| match e {
            Error::Invalid {
                value, expected, ..
            } => Error::Invalid {
                field: field.to_string(),
                value,
                expected,
            },
            other => other,
        })
    }

    fn parse_unnamed(field: &str, s: &str) -> Result<DateSpan> {
        let t = s.trim();
        let bad = |why: &str| Error::invalid(field, s, why);
        let expected = "a date as YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY";
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = t.split('-').collect();
        match parts.as_slice() {
            [y] if y.len() == 4 && digits(y) => {
                let year: i32 = y.parse().map_err(|_| bad(expected))?;
                let start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| bad(expected))?;
                let end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| bad(expected))?;
                DateSpan::new(start, end, DatePrecision::Year)
            }
            [y, w] if y.len() == 4 && digits(y) && (w.starts_with('W') || w.starts_with('w')) => {
                let year: i32 = y.parse().map_err(|_| bad(expected))?;
                let week: u32 = w[1..]
                    .parse()
                    .map_err(|_| bad("an ISO week as YYYY-Www, week 01 to 53"))?;
                let start = NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)
                    .ok_or_else(|| bad("an ISO week that exists in that year (01 to 52 or 53)"))?;
                DateSpan::new(start, start + Duration::days(6), DatePrecision::Week)
            }
            [y, m] if y.len() == 4 && digits(y) && m.len() == 2 && digits(m) => {
                let year: i32 = y.parse().map_err(|_| bad(expected))?;
                let month: u32 = m.parse().map_err(|_| bad(expected))?;
                let start = NaiveDate::from_ymd_opt(year, month, 1)
                    .ok_or_else(|| bad("a month from 01 to 12"))?;
                let end = month_end(year, month).ok_or_else(|| bad(expected))?;
                DateSpan::new(start, end, DatePrecision::Month)
            }
            [y, m, d] if y.len() == 4 && digits(y) && digits(m) && digits(d) => {
                let date = NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .map_err(|_| bad("a real calendar date as YYYY-MM-DD"))?;
                DateSpan::day(date)
            }
            _ => Err(bad(expected)),
        }
    }

    /// A span from `--date` and an optional `--end-date`: with an end date the
    /// span runs from the start of the first to the end of the second and its
    /// precision is `range`.
    pub fn from_flags(date: &str, end_date: Option<&str>) -> Result<DateSpan> {
        let first = DateSpan::parse("date", date)?;
        match end_date {
            None => Ok(first),
            Some(e) => {
                let last = DateSpan::parse("end-date", e)?;
                DateSpan::new(first.start, last.end, DatePrecision::Range)
            }
        }
    }

    /// True when the whole span lies inside `start..=end`.
    pub fn within(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.start >= start && self.end <= end
    }

    /// True when the span shares at least one day with `start..=end`.
    pub fn overlaps(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.start <= end && self.end >= start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_each_precision() {
        let day = DateSpan::parse("--date", "2025-06-17").unwrap();
        assert_eq!(
            (day.start, day.end, day.precision),
            (d("2025-06-17"), d("2025-06-17"), DatePrecision::Day)
        );
        let month = DateSpan::parse("--date", "2024-02").unwrap();
        assert_eq!(
            (month.start, month.end, month.precision),
            (d("2024-02-01"), d("2024-02-29"), DatePrecision::Month)
        );
        let dec = DateSpan::parse("--date", "2025-12").unwrap();
        assert_eq!(dec.end, d("2025-12-31"));
        let year = DateSpan::parse("--date", "2025").unwrap();
        assert_eq!(
            (year.start, year.end, year.precision),
            (d("2025-01-01"), d("2025-12-31"), DatePrecision::Year)
        );
        let week = DateSpan::parse("--date", "2025-W01").unwrap();
        assert_eq!(
            (week.start, week.end, week.precision),
            (d("2024-12-30"), d("2025-01-05"), DatePrecision::Week)
        );
    }

    #[test]
    fn the_dates_say_the_precision() {
        for (start, end, want) in [
            ("2016-01-01", "2016-01-01", DatePrecision::Day),
            ("2016-01-04", "2016-01-10", DatePrecision::Week),
            ("2024-12-30", "2025-01-05", DatePrecision::Week),
            ("2016-02-01", "2016-02-29", DatePrecision::Month),
            ("2025-12-01", "2025-12-31", DatePrecision::Month),
            ("2016-01-01", "2016-12-31", DatePrecision::Year),
            ("2016-01-02", "2016-01-05", DatePrecision::Range),
            ("2016-01-05", "2016-01-11", DatePrecision::Range),
            ("2016-02-01", "2016-02-28", DatePrecision::Range),
            ("2016-01-01", "2017-12-31", DatePrecision::Range),
        ] {
            let span = DateSpan::infer(d(start), d(end)).unwrap();
            assert_eq!(span.precision, want, "{start}..{end}");
            assert!(DatePrecision::Range.fits(d(start), d(end)));
        }
    }

    #[test]
    fn a_stated_precision_must_fit_the_dates() {
        let e = DateSpan::new(d("2025-06-01"), d("2025-06-02"), DatePrecision::Day).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid date_precision \"day\": expected range for 2025-06-01 to 2025-06-02"
        );
        let e = DateSpan::new(d("2025-06-01"), d("2025-06-30"), DatePrecision::Week).unwrap_err();
        assert!(e.to_string().contains("expected month or range"), "{e}");
        let month = DateSpan::new(d("2025-06-01"), d("2025-06-30"), DatePrecision::Range);
        assert_eq!(month.unwrap().precision, DatePrecision::Range);
    }

    #[test]
    fn range_from_flags() {
        let r = DateSpan::from_flags("2024-12-08", Some("2025-07-15")).unwrap();
        assert_eq!(
            (r.start, r.end, r.precision),
            (d("2024-12-08"), d("2025-07-15"), DatePrecision::Range)
        );
        let r = DateSpan::from_flags("2025-05", Some("2025-06")).unwrap();
        assert_eq!((r.start, r.end), (d("2025-05-01"), d("2025-06-30")));
    }

    #[test]
    fn rejects_bad_dates_naming_the_flag() {
        for bad in [
            "2025-02-30",
            "2025-13",
            "2025-00",
            "25-01-01",
            "2025/01/01",
            "",
            "2025-W54",
            "abcd",
            "2025-1-1x",
            "0000",
            "-2025",
        ] {
            let e = DateSpan::parse("--date", bad).unwrap_err().to_string();
            assert!(e.contains("--date"), "{bad}: {e}");
        }
        let e = DateSpan::from_flags("2025-07-15", Some("2024-12-08"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("end date on or after"), "{e}");
        assert!(DateSpan::parse("--date", "1850-01-01").is_err());
    }

    #[test]
    fn within_and_overlaps() {
        let s = DateSpan::from_flags("2024-12-08", Some("2025-07-15")).unwrap();
        assert!(!s.within(d("2025-06-01"), d("2025-06-30")));
        assert!(s.overlaps(d("2025-06-01"), d("2025-06-30")));
        let june = DateSpan::parse("x", "2025-06").unwrap();
        assert!(june.within(d("2025-06-01"), d("2025-06-30")));
        assert!(!june.overlaps(d("2025-07-01"), d("2025-07-31")));
    }
}
