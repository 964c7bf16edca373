//! The date grammar: the date phrases of a report ("on Tuesday", "last
//! month", "5 June", "since the fall of the regime") and the span of days
//! each means, read against the report's publication date. A phrase gives
//! the span it says and no narrower: "last month" is that month, never a day
//! in it.
//!
//! Choices where English is loose, each applied the same way everywhere:
//! - A date without a year is the most recent such date on or before
//!   publication ("30 December" in a report of 3 January is last year's); a
//!   range without a year starts on the most recent such start.
//! - "Tuesday" is the most recent Tuesday on or before publication (the same
//!   day for a Tuesday report); "last Tuesday" is strictly before it.
//! - "N weeks ago" is the ISO week (Monday to Sunday) holding the day N weeks
//!   before publication; "N months ago" that calendar month.
//! - "Early", "mid" and "late" a month are its days 1-10, 11-20 and 21 to
//!   the end; of a year, January-April, May-August and September-December.
//! - "5/6/2023" is day/month/year, as most outlets outside the US write it.
//! - "Days after X" is X+1 to X+10, "weeks after X" X+7 to X+42 (and the
//!   mirror for "before"), ending at publication at the latest.
//! - "May" and "March" are months only when capitalised and in a date
//!   context ("in May", "May 5", "May 2023"), as the lower-case words are a
//!   verb and a noun; no month is read from a bare month name.
//! - Anchors ("the fall of the regime") come from `data/date_anchors.tsv`
//!   and are read only after "since", "after" and "before". On a tie with
//!   a date ("since October 7"), the anchor wins.

use std::sync::OnceLock;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::numbers::{Kind, Token, at, cardinal, joined, phrase, pieces, tokenize};
use crate::model::{DatePrecision, DateSpan};

/// A date phrase found in text: byte offsets into the text and the span it
/// means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub start: usize,
    pub end: usize,
    pub span: DateSpan,
    pub kind: DateKind,
}

/// How the phrase pins the date: Explicit (a calendar date or month written
/// out), Relative (yesterday, on Tuesday, last week), Vague (since X,
/// earlier this month, days after X).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    Explicit,
    Relative,
    Vague,
}

/// Every date phrase in `text`, in order, not overlapping, relative to
/// `published`; `country` (ISO alpha-2, e.g. "SY") chooses the anchors ("the
/// fall of the regime" means 2024-12-08 in Syria, 2003-04-09 in Iraq).
pub fn find_dates(text: &str, published: NaiveDate, country: Option<&str>) -> Vec<DateMention> {
    let periods = periods(published).unwrap_or_default();
    let mut mentions = Vec::new();
    for (offset, piece) in pieces(text) {
        let toks = tokenize(piece);
        let reader = Reader {
            toks: &toks,
            published,
            country,
            periods: &periods,
        };
        let mut i = 0;
        while i < toks.len() {
            match reader.mention(i).filter(|hit| hit.end > i) {
                Some(hit) => {
                    mentions.push(DateMention {
                        start: offset + toks[i].start,
                        end: offset + toks[hit.end - 1].end,
                        span: hit.span,
                        kind: hit.kind,
                    });
                    i = hit.end;
                }
                None => i += 1,
            }
        }
    }
    mentions
}

/// The month a lowercase word names, full or abbreviated (0 for January).
pub(super) fn month_index(word: &str) -> Option<usize> {
    MONTHS
        .iter()
        .position(|m| *m == word)
        .or_else(|| MONTH_ABBREVIATIONS.iter().position(|m| *m == word))
        .or_else(|| (word == "sept").then_some(8))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const MONTH_ABBREVIATIONS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The month (1-12) a token names: "June", "Jun", "Sept". "May", "March"
/// and "Mar" only capitalised: lower-case, they are a verb and a noun.
pub(super) fn month_of(tok: &Token<'_>) -> Option<u32> {
    let word = &*tok.lower;
    let index = month_index(word)?;
    let ambiguous = matches!(word, "may" | "march" | "mar");
    (!ambiguous || tok.raw.starts_with(char::is_uppercase)).then_some(index as u32 + 1)
}

fn weekday_of(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// A phrase read at some token: the token after it, its span and its kind.
struct Hit {
    end: usize,
    span: DateSpan,
    kind: DateKind,
}

fn hit(end: usize, start: NaiveDate, last: NaiveDate, kind: DateKind) -> Option<Hit> {
    let span = DateSpan::new(start, last, DatePrecision::of(start, last)).ok()?;
    Some(Hit { end, span, kind })
}

/// The hit that reads furthest; the first of equals, so rules listed first
/// win ties.
fn longest(hits: impl IntoIterator<Item = Option<Hit>>) -> Option<Hit> {
    hits.into_iter()
        .flatten()
        .reduce(|a, b| if b.end > a.end { b } else { a })
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn plus(date: NaiveDate, days: u64) -> Option<NaiveDate> {
    date.checked_add_days(Days::new(days))
}

fn minus(date: NaiveDate, days: u64) -> Option<NaiveDate> {
    date.checked_sub_days(Days::new(days))
}

fn month_span(year: i32, month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = ymd(year, month, 1)?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
    Some((first, last))
}

fn year_span(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((ymd(year, 1, 1)?, ymd(year, 12, 31)?))
}

fn monday_of(date: NaiveDate) -> Option<NaiveDate> {
    minus(date, u64::from(date.weekday().num_days_from_monday()))
}

/// The third (`part` 0, 1 or 2) of a month or a year: see the module doc.
fn third(
    start: NaiveDate,
    last: NaiveDate,
    part: u32,
    of_year: bool,
) -> Option<(NaiveDate, NaiveDate)> {
    if of_year {
        let (first, _) = month_span(start.year(), 1 + 4 * part)?;
        let (_, end) = month_span(start.year(), 4 + 4 * part)?;
        Some((first, end))
    } else {
        let first = start.with_day(1 + 10 * part)?;
        let end = if part == 2 {
            last
        } else {
            start.with_day(10 + 10 * part)?
        };
        Some((first, end))
    }
}

/// Where a phrase stands: free in the text, after "in"/"on"/"during" (where
/// a bare year or month is a date: "in 2023"), or after "since"/"after"/
/// "before" (where anchors are read too).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Free,
    Preposition,
    Reference,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// The number before a unit: "three", "a", a vague "a few", or nothing.
#[derive(Clone, Copy)]
enum Amount {
    Number(u64),
    Article,
    Few,
    Bare,
}

impl Amount {
    /// How many units the amount and a singular or plural unit say:
    /// Some(Some(n)), Some(None) for an unstated number ("days", "a few
    /// days", "the days"), None when they do not fit ("a days").
    fn units(self, plural: bool) -> Option<Option<u64>> {
        match (self, plural) {
            (Amount::Number(n), _) => Some(Some(n)),
            (Amount::Article, false) => Some(Some(1)),
            (Amount::Article | Amount::Few | Amount::Bare, true) => Some(None),
            (Amount::Few | Amount::Bare, false) => None,
        }
    }
}

/// Parts of a month or year: the first, middle and last third.
const PARTS: &[(&[&str], u32)] = &[
    (&["early"], 0),
    (&["beginning", "of"], 0),
    (&["the", "beginning", "of"], 0),
    (&["start", "of"], 0),
    (&["the", "start", "of"], 0),
    (&["mid"], 1),
    (&["middle", "of"], 1),
    (&["the", "middle", "of"], 1),
    (&["late"], 2),
    (&["end", "of"], 2),
    (&["the", "end", "of"], 2),
];

/// Words opening an explicit range, and the words that may join its ends.
const RANGES: &[(&[&str], &[&str])] = &[
    (&[], &["to", "until", "till", "through", "-", "–"]),
    (&["between"], &["and"]),
    (&["from"], &["to", "until", "till", "through", "-", "–"]),
    (&["the", "night", "of"], &["to", "-", "–", "and"]),
    (&["on", "the", "night", "of"], &["to", "-", "–", "and"]),
    (&["the", "night", "between"], &["and"]),
    (&["on", "the", "night", "between"], &["and"]),
];

/// A day and month as written, before the year is settled.
struct DayMonth {
    day: u32,
    month: Option<u32>,
    year: Option<i32>,
    end: usize,
}

struct Reader<'t> {
    toks: &'t [Token<'t>],
    published: NaiveDate,
    country: Option<&'t str>,
    periods: &'t [Period],
}

impl Reader<'_> {
    fn at(&self, i: usize) -> &str {
        at(self.toks, i)
    }

    fn phrase(&self, i: usize, words: &[&str]) -> Option<usize> {
        phrase(self.toks, i, words)
    }

    fn joined(&self, i: usize) -> bool {
        joined(self.toks, i)
    }

    /// The longest phrase starting at token `i`.
    fn mention(&self, i: usize) -> Option<Hit> {
        // Every phrase starts with a word or a number.
        if self.toks[i].kind == Kind::Mark {
            return None;
        }
        longest([
            self.since(i),
            self.offset(i),
            self.preposition(i),
            self.last_month_named(i),
            self.point(i, Context::Free),
        ])
    }

    /// "last April": the most recent April before the month of publication.
    fn last_month_named(&self, i: usize) -> Option<Hit> {
        if self.at(i) != "last" {
            return None;
        }
        let (month, end) = self.month_name(i + 1)?;
        let p = self.published;
        let year = if month < p.month() {
            p.year()
        } else {
            p.year() - 1
        };
        let (start, last) = month_span(year, month)?;
        hit(end, start, last, DateKind::Explicit)
    }

    /// A phrase naming a day or span by itself, in `context`.
    fn point(&self, i: usize, context: Context) -> Option<Hit> {
        let reference = context == Context::Reference;
        let free = context == Context::Free;
        longest([
            if reference { self.anchor(i) } else { None },
            self.explicit_range(i),
            self.explicit_day(i),
            self.numeric_date(i),
            self.part_of_period(i),
            self.month(i, free),
            if free { None } else { self.year(i) },
            self.relative_day(i),
            self.weekday(i),
            self.ago(i),
            self.relative_period(i),
            self.past(i),
        ])
    }

    /// "in June", "in 2023", "on 5 June", "during the past week".
    fn preposition(&self, i: usize) -> Option<Hit> {
        if !matches!(self.at(i), "in" | "on" | "during" | "throughout") {
            return None;
        }
        self.point(i + 1, Context::Preposition)
    }

    /// "since X": from the start of X to publication.
    fn since(&self, i: usize) -> Option<Hit> {
        if self.at(i) != "since" {
            return None;
        }
        let x = self.point(i + 1, Context::Reference)?;
        if x.span.start > self.published {
            return None;
        }
        hit(x.end, x.span.start, self.published, DateKind::Vague)
    }

    /// "days after X", "two weeks before X", "the day after X", "hours
    /// after X".
    fn offset(&self, i: usize) -> Option<Hit> {
        let (amount, j) = self.amount(i);
        let (unit, plural) = self.unit(j)?;
        let after = match self.at(j + 1) {
            "after" => true,
            "before" => false,
            _ => return None,
        };
        let x = self.point(j + 2, Context::Reference)?;
        let (a, b) = (x.span.start, x.span.end);
        let (start, last, kind) = match (amount.units(plural)?, unit) {
            (Some(n), Unit::Day | Unit::Week) => {
                let n = if unit == Unit::Week {
                    n.checked_mul(7)?
                } else {
                    n
                };
                if after {
                    (plus(a, n)?, plus(b, n)?, DateKind::Relative)
                } else {
                    (minus(a, n)?, minus(b, n)?, DateKind::Relative)
                }
            }
            (_, Unit::Hour) if after => (a, plus(b, 1)?, DateKind::Vague),
            (_, Unit::Hour) => (minus(a, 1)?, b, DateKind::Vague),
            (None, Unit::Day) if after => (plus(b, 1)?, plus(b, 10)?, DateKind::Vague),
            (None, Unit::Day) => (minus(a, 10)?, minus(a, 1)?, DateKind::Vague),
            (None, Unit::Week) if after => (plus(b, 7)?, plus(b, 42)?, DateKind::Vague),
            (None, Unit::Week) => (minus(a, 42)?, minus(a, 7)?, DateKind::Vague),
            _ => return None,
        };
        // What a report tells of happened by its publication.
        let last = if kind == DateKind::Vague && start <= self.published {
            last.min(self.published)
        } else {
            last
        };
        hit(x.end, start, last, kind)
    }

    /// The amount before a unit, and the token after it.
    fn amount(&self, i: usize) -> (Amount, usize) {
        if let Some(j) = self.phrase(i, &["a", "few"]) {
            return (Amount::Few, j);
        }
        match self.at(i) {
            "several" | "some" | "few" => return (Amount::Few, i + 1),
            "a" | "an" | "the" => return (Amount::Article, i + 1),
            _ => {}
        }
        match cardinal(self.toks, i) {
            Some((n, j)) => (Amount::Number(n), j),
            None => (Amount::Bare, i),
        }
    }

    /// The unit at `i` and whether it is plural.
    fn unit(&self, i: usize) -> Option<(Unit, bool)> {
        Some(match self.at(i) {
            "hour" => (Unit::Hour, false),
            "hours" => (Unit::Hour, true),
            "day" => (Unit::Day, false),
            "days" => (Unit::Day, true),
            "week" => (Unit::Week, false),
            "weeks" => (Unit::Week, true),
            "month" => (Unit::Month, false),
            "months" => (Unit::Month, true),
            "year" => (Unit::Year, false),
            "years" => (Unit::Year, true),
            _ => return None,
        })
    }

    /// The anchor phrase at `i`: a row of the report's country, else one
    /// whose phrase means the same day wherever it is used and that the
    /// country's rows lack ("the liberation of Mosul" in a Syrian report).
    fn anchor(&self, i: usize) -> Option<Hit> {
        let start = if self.at(i) == "the" { i + 1 } else { i };
        let table = anchors();
        let ours = |a: &Anchor| {
            self.country
                .is_some_and(|c| a.country.eq_ignore_ascii_case(c))
        };
        let hits = table.iter().map(|a| {
            let end = self.anchor_words(start, &a.words)?;
            let usable =
                ours(a) || (a.unambiguous && !table.iter().any(|b| ours(b) && b.words == a.words));
            if !usable {
                return None;
            }
            hit(end, a.date, a.date, DateKind::Explicit)
        });
        longest(hits)
    }

    /// The token after `words` read from `i`, apostrophes skipped.
    fn anchor_words(&self, mut i: usize, words: &[String]) -> Option<usize> {
        for word in words {
            while is_apostrophe(self.at(i)) {
                i += 1;
            }
            if self.at(i) != word {
                return None;
            }
            i += 1;
        }
        Some(i)
    }

    /// "3-5 June", "between 3 and 5 June 2023", "June 3-5", "from 30
    /// December to 2 January", "on the night of 5 to 6 June".
    fn explicit_range(&self, i: usize) -> Option<Hit> {
        let hits = RANGES.iter().map(|(open, joins)| {
            let first = self.day_month(self.phrase(i, open)?, true)?;
            if !joins.contains(&self.at(first.end)) {
                return None;
            }
            let second = self.day_month(first.end + 1, true)?;
            let (start, last) = self.settle_range(&first, &second)?;
            hit(second.end, start, last, DateKind::Explicit)
        });
        longest(hits)
    }

    /// The days of a range, each end taking what it lacks (month, year)
    /// from the other.
    fn settle_range(&self, first: &DayMonth, second: &DayMonth) -> Option<(NaiveDate, NaiveDate)> {
        let m1 = first.month.or(second.month)?;
        let m2 = second.month.or(first.month)?;
        let (start, last) = match (first.year, second.year) {
            (Some(y1), Some(y2)) => (ymd(y1, m1, first.day)?, ymd(y2, m2, second.day)?),
            (None, Some(y2)) => {
                let last = ymd(y2, m2, second.day)?;
                let start = ymd(y2, m1, first.day)
                    .filter(|s| *s <= last)
                    .or_else(|| ymd(y2 - 1, m1, first.day))?;
                (start, last)
            }
            (_, None) => {
                let start = match first.year {
                    Some(y1) => ymd(y1, m1, first.day)?,
                    None => self.recent_day(m1, first.day)?,
                };
                let last = ymd(start.year(), m2, second.day)
                    .filter(|l| *l >= start)
                    .or_else(|| ymd(start.year() + 1, m2, second.day))?;
                (start, last)
            }
        };
        (start <= last && (last - start).num_days() <= 366).then_some((start, last))
    }

    /// "5 June", "June 5th, 2023", "the 5th of June", "Tuesday, 3 June",
    /// "the night of 5 June".
    fn explicit_day(&self, i: usize) -> Option<Hit> {
        let mut j = self
            .phrase(i, &["on", "the", "night", "of"])
            .or_else(|| self.phrase(i, &["the", "night", "of"]))
            .unwrap_or(i);
        if weekday_of(self.at(j)).is_some() {
            j += if self.at(j + 1) == "," { 2 } else { 1 };
        }
        let dm = self.day_month(j, false)?;
        let month = dm.month?;
        let date = match dm.year {
            Some(year) => ymd(year, month, dm.day)?,
            None => self.recent_day(month, dm.day)?,
        };
        hit(dm.end, date, date, DateKind::Explicit)
    }

    /// A day with its month and year as written: "5 June", "5th of June
    /// 2023", "June 5, 2023", "June the 5th"; with `bare`, also a day alone
    /// ("5", "5, 2023") for one end of a range.
    fn day_month(&self, j: usize, bare: bool) -> Option<DayMonth> {
        let k = if self.at(j) == "the" { j + 1 } else { j };
        if let Some((day, e)) = self.day(k) {
            let m = if self.at(e) == "of" { e + 1 } else { e };
            if let Some((month, e)) = self.month_name(m) {
                let (year, end) = self.year_after(e);
                return Some(DayMonth {
                    day,
                    month: Some(month),
                    year,
                    end,
                });
            }
            if !bare || k != j {
                return None;
            }
            let (year, end) = self.year_after(e);
            return Some(DayMonth {
                day,
                month: None,
                year,
                end,
            });
        }
        let (month, e) = self.month_name(j)?;
        let e = if self.at(e) == "the" { e + 1 } else { e };
        let (day, e) = self.day(e)?;
        let (year, end) = self.year_after(e);
        Some(DayMonth {
            day,
            month: Some(month),
            year,
            end,
        })
    }

    /// A day of the month at `k` ("5", "05", "5th"), not a time or a measure.
    fn day(&self, k: usize) -> Option<(u32, usize)> {
        let t = self
            .toks
            .get(k)
            .filter(|t| t.kind == Kind::Digits && t.raw.len() <= 2)?;
        let day: u32 = t.raw.parse().ok()?;
        if !(1..=31).contains(&day) {
            return None;
        }
        // The end of a time ("5:30"), a fraction or a name ("A30")
        if self.joined(k)
            && (self.toks[k - 1].kind != Kind::Mark || matches!(self.at(k - 1), ":" | "/" | "."))
        {
            return None;
        }
        if self.joined(k + 1) {
            if matches!(self.at(k + 1), "st" | "nd" | "rd" | "th") {
                return Some((day, k + 2));
            }
            if self.toks[k + 1].kind != Kind::Mark || self.at(k + 1) == ":" {
                return None;
            }
        }
        Some((day, k + 1))
    }

    /// The month named at `k`, with the full stop of an abbreviation.
    fn month_name(&self, k: usize) -> Option<(u32, usize)> {
        let month = month_of(self.toks.get(k)?)?;
        let abbreviated = MONTH_ABBREVIATIONS.contains(&self.at(k)) || self.at(k) == "sept";
        let stop = abbreviated && self.at(k + 1) == "." && self.joined(k + 1);
        Some((month, if stop { k + 2 } else { k + 1 }))
    }

    /// A year at `k`: four digits from 1900 to 2100, not part of a longer
    /// word ("1990s").
    fn year_at(&self, k: usize) -> Option<(i32, usize)> {
        let t = self
            .toks
            .get(k)
            .filter(|t| t.kind == Kind::Digits && t.raw.len() == 4)?;
        if self.joined(k + 1) && self.toks[k + 1].kind != Kind::Mark {
            return None;
        }
        let year: i32 = t.raw.parse().ok()?;
        (1900..=2100).contains(&year).then_some((year, k + 1))
    }

    /// An optional year after a day, with or without a comma before it.
    fn year_after(&self, e: usize) -> (Option<i32>, usize) {
        let k = if self.at(e) == "," { e + 1 } else { e };
        match self.year_at(k) {
            Some((year, end)) => (Some(year), end),
            None => (None, e),
        }
    }

    /// "2023-06-05", "2023/06/05", and day first "5/6/2023", "05.06.2023".
    fn numeric_date(&self, i: usize) -> Option<Hit> {
        let sep = self.at(i + 1);
        if !matches!(sep, "-" | "/" | ".")
            || self.at(i + 3) != sep
            || !(1..=4).all(|k| self.joined(i + k))
        {
            return None;
        }
        let digits = |k: usize| self.toks.get(k).filter(|t| t.kind == Kind::Digits);
        let (a, b, c) = (digits(i)?, digits(i + 2)?, digits(i + 4)?);
        let n = |t: &Token<'_>| t.raw.parse::<u32>().ok();
        let date = match (a.raw.len(), b.raw.len(), c.raw.len()) {
            (4, 1..=2, 1..=2) => ymd(n(a)? as i32, n(b)?, n(c)?)?,
            (1..=2, 1..=2, 4) => ymd(n(c)? as i32, n(b)?, n(a)?)?,
            _ => return None,
        };
        hit(i + 5, date, date, DateKind::Explicit)
    }

    /// "early June", "mid-June 2023", "late last month", "the end of 2024",
    /// "the start of the year".
    fn part_of_period(&self, i: usize) -> Option<Hit> {
        let (mut j, part) = PARTS
            .iter()
            .filter_map(|(words, part)| Some((self.phrase(i, words)?, *part)))
            .max_by_key(|(j, _)| *j)?;
        if self.at(j) == "-" && self.joined(j) {
            j += 1;
        }
        let p = self.published;
        let ((start, last), end, kind, of_year) = if let Some((month, k)) = self.month_name(j) {
            match self.year_at(k) {
                Some((year, k)) => (month_span(year, month)?, k, DateKind::Explicit, false),
                None => (
                    month_span(self.recent_month(month), month)?,
                    k,
                    DateKind::Explicit,
                    false,
                ),
            }
        } else if let Some((year, k)) = self.year_at(j) {
            (year_span(year)?, k, DateKind::Explicit, true)
        } else if let Some(k) = self.phrase(j, &["last", "month"]) {
            let last_month = p.checked_sub_months(Months::new(1))?;
            (
                month_span(last_month.year(), last_month.month())?,
                k,
                DateKind::Relative,
                false,
            )
        } else if let Some(k) = self
            .phrase(j, &["this", "month"])
            .or_else(|| self.phrase(j, &["the", "month"]))
        {
            (
                month_span(p.year(), p.month())?,
                k,
                DateKind::Relative,
                false,
            )
        } else if let Some(k) = self.phrase(j, &["last", "year"]) {
            (year_span(p.year() - 1)?, k, DateKind::Relative, true)
        } else if let Some(k) = self
            .phrase(j, &["this", "year"])
            .or_else(|| self.phrase(j, &["the", "year"]))
        {
            (year_span(p.year())?, k, DateKind::Relative, true)
        } else {
            return None;
        };
        let (start, last) = third(start, last, part, of_year)?;
        hit(end, start, last, kind)
    }

    /// "June 2023"; a month alone ("June") only after a preposition.
    fn month(&self, i: usize, free: bool) -> Option<Hit> {
        let (month, j) = self.month_name(i)?;
        let (year, end) = match self.year_at(j) {
            Some((year, end)) => (year, end),
            None if free => return None,
            None => (self.recent_month(month), j),
        };
        let (start, last) = month_span(year, month)?;
        hit(end, start, last, DateKind::Explicit)
    }

    /// A year alone ("2023"), read only after a preposition.
    fn year(&self, i: usize) -> Option<Hit> {
        let (year, end) = self.year_at(i)?;
        let (start, last) = year_span(year)?;
        hit(end, start, last, DateKind::Explicit)
    }

    /// "today", "yesterday", "last night", "overnight", "the day before
    /// yesterday".
    fn relative_day(&self, i: usize) -> Option<Hit> {
        const DAYS: &[(&[&str], u64, u64)] = &[
            (&["today"], 0, 0),
            (&["tonight"], 0, 0),
            (&["earlier", "today"], 0, 0),
            (&["this", "morning"], 0, 0),
            (&["this", "afternoon"], 0, 0),
            (&["this", "evening"], 0, 0),
            (&["yesterday"], 1, 1),
            (&["yesterday", "morning"], 1, 1),
            (&["yesterday", "afternoon"], 1, 1),
            (&["yesterday", "evening"], 1, 1),
            (&["late", "yesterday"], 1, 1),
            (&["last", "night"], 1, 1),
            (&["the", "day", "before", "yesterday"], 2, 2),
            (&["overnight"], 1, 0),
        ];
        let hits = DAYS.iter().map(|(words, back_start, back_end)| {
            let end = self.phrase(i, words)?;
            let start = minus(self.published, *back_start)?;
            let last = minus(self.published, *back_end)?;
            hit(end, start, last, DateKind::Relative)
        });
        longest(hits)
    }

    /// "Tuesday", "on Tuesday night", "Tuesday's attack", "last Tuesday",
    /// "earlier on Tuesday".
    fn weekday(&self, i: usize) -> Option<Hit> {
        const PREFIXES: &[(&[&str], bool)] = &[
            (&[], false),
            (&["this"], false),
            (&["earlier", "on"], false),
            (&["early", "on"], false),
            (&["late", "on"], false),
            (&["overnight"], false),
            (&["last"], true),
            (&["past"], true),
            (&["this", "past"], true),
        ];
        let (j, strictly_before) = PREFIXES
            .iter()
            .filter_map(|(words, strict)| Some((self.phrase(i, words)?, *strict)))
            .filter(|(j, _)| weekday_of(self.at(*j)).is_some())
            .max_by_key(|(j, _)| *j)?;
        let day = weekday_of(self.at(j))?;
        let mut end = j + 1;
        if matches!(self.at(end), "night" | "morning" | "afternoon" | "evening") {
            end += 1;
        } else if is_apostrophe(self.at(end)) && self.joined(end) && self.at(end + 1) == "s" {
            end += 2;
        }
        let back =
            (7 + self.published.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
        let back = if back == 0 && strictly_before {
            7
        } else {
            back
        };
        let date = minus(self.published, u64::from(back))?;
        hit(end, date, date, DateKind::Relative)
    }

    /// "three days ago", "two weeks ago", "a month ago", "a few days ago".
    fn ago(&self, i: usize) -> Option<Hit> {
        let (amount, j) = self.amount(i);
        let (unit, plural) = self.unit(j)?;
        if self.at(j + 1) != "ago" {
            return None;
        }
        let (end, p) = (j + 2, self.published);
        match (amount.units(plural)?, unit) {
            (Some(n), Unit::Day) => {
                let day = minus(p, n)?;
                hit(end, day, day, DateKind::Relative)
            }
            (Some(n), Unit::Week) => {
                let monday = monday_of(minus(p, n.checked_mul(7)?)?)?;
                hit(end, monday, plus(monday, 6)?, DateKind::Relative)
            }
            (Some(n), Unit::Month) => {
                let then = p.checked_sub_months(Months::new(u32::try_from(n).ok()?))?;
                let (start, last) = month_span(then.year(), then.month())?;
                hit(end, start, last, DateKind::Relative)
            }
            (Some(n), Unit::Year) => {
                let (start, last) = year_span(p.year().checked_sub(i32::try_from(n).ok()?)?)?;
                hit(end, start, last, DateKind::Relative)
            }
            (Some(n), Unit::Hour) => hit(end, minus(p, n.div_ceil(24))?, p, DateKind::Vague),
            (None, Unit::Hour) => hit(end, minus(p, 1)?, p, DateKind::Vague),
            (None, Unit::Day) => hit(end, minus(p, 7)?, minus(p, 2)?, DateKind::Vague),
            (None, Unit::Week) => hit(end, minus(p, 42)?, minus(p, 14)?, DateKind::Vague),
            (None, Unit::Month | Unit::Year) => None,
        }
    }

    /// "this week", "last week", "earlier this month", "last month", "this
    /// year", "last year", "in recent days", "over the weekend".
    fn relative_period(&self, i: usize) -> Option<Hit> {
        let hits = self.periods.iter().map(|period| {
            hit(
                self.phrase(i, period.words)?,
                period.start,
                period.last,
                period.kind,
            )
        });
        longest(hits)
    }

    /// "the past 24 hours", "the last three days", "the past week", "the
    /// past few days": back from publication.
    fn past(&self, i: usize) -> Option<Hit> {
        let j = if self.at(i) == "the" { i + 1 } else { i };
        if !matches!(self.at(j), "past" | "last") {
            return None;
        }
        let (amount, k) = self.amount(j + 1);
        let (unit, plural) = self.unit(k)?;
        let n = match (amount, plural) {
            (Amount::Number(n), _) => n,
            (Amount::Bare, false) => 1,
            // "the past few days": a week, "the past few weeks": a month
            (Amount::Few, true) => match unit {
                Unit::Day => 7,
                Unit::Week => 4,
                _ => return None,
            },
            _ => return None,
        };
        let p = self.published;
        let start = match unit {
            Unit::Hour => minus(p, n.div_ceil(24))?,
            Unit::Day => minus(p, n)?,
            Unit::Week => minus(p, n.checked_mul(7)?)?,
            Unit::Month => p.checked_sub_months(Months::new(u32::try_from(n).ok()?))?,
            Unit::Year => {
                p.checked_sub_months(Months::new(u32::try_from(n.checked_mul(12)?).ok()?))?
            }
        };
        hit(k + 1, start, p, DateKind::Vague)
    }

    /// The most recent `day` of `month` on or before publication (29
    /// February looks back to the last leap year).
    fn recent_day(&self, month: u32, day: u32) -> Option<NaiveDate> {
        let p = self.published;
        (0..8).find_map(|back| ymd(p.year() - back, month, day).filter(|d| *d <= p))
    }

    /// The year of the most recent `month` begun by publication.
    fn recent_month(&self, month: u32) -> i32 {
        let p = self.published;
        if month <= p.month() {
            p.year()
        } else {
            p.year() - 1
        }
    }
}

/// A span named relative to publication ("last week"), worked out once
/// per text.
struct Period {
    words: &'static [&'static str],
    start: NaiveDate,
    last: NaiveDate,
    kind: DateKind,
}

/// The spans "this week", "last month", "over the weekend" and the like
/// name when published on `p` (none for a date at the end of chrono's range).
fn periods(p: NaiveDate) -> Option<Vec<Period>> {
    use DateKind::{Relative, Vague};
    let week = monday_of(p)?;
    let month = month_span(p.year(), p.month())?.0;
    let last_month = p.checked_sub_months(Months::new(1))?;
    let last_month = month_span(last_month.year(), last_month.month())?;
    let year = ymd(p.year(), 1, 1)?;
    let last_year = year_span(p.year() - 1)?;
    // The weekend just past: this one from Saturday, on a Saturday or
    // Sunday; "last weekend" then is the one before.
    let saturday = minus(p, u64::from((p.weekday().num_days_from_monday() + 2) % 7))?;
    let weekend = (saturday, plus(saturday, 1)?.min(p));
    let last_weekend = if minus(p, 1)? <= saturday {
        (minus(saturday, 7)?, minus(saturday, 6)?)
    } else {
        weekend
    };
    let table: [(&'static [&'static str], (NaiveDate, NaiveDate), DateKind); 16] = [
        (&["this", "week"], (week, p), Relative),
        (&["earlier", "this", "week"], (week, p), Vague),
        (
            &["last", "week"],
            (minus(week, 7)?, minus(week, 1)?),
            Relative,
        ),
        (&["this", "month"], (month, p), Relative),
        (&["earlier", "this", "month"], (month, p), Vague),
        (&["last", "month"], last_month, Relative),
        (&["this", "year"], (year, p), Relative),
        (&["earlier", "this", "year"], (year, p), Vague),
        (&["last", "year"], last_year, Relative),
        (&["recent", "days"], (minus(p, 7)?, p), Vague),
        (&["recent", "weeks"], (minus(p, 28)?, p), Vague),
        (&["the", "weekend"], weekend, Relative),
        (&["over", "the", "weekend"], weekend, Relative),
        (&["at", "the", "weekend"], weekend, Relative),
        (&["this", "weekend"], weekend, Relative),
        (&["last", "weekend"], last_weekend, Relative),
    ];
    let periods = table
        .into_iter()
        .map(|(words, (start, last), kind)| Period {
            words,
            start,
            last,
            kind,
        });
    Some(periods.collect())
}

fn is_apostrophe(word: &str) -> bool {
    matches!(word, "'" | "’")
}

/// A row of `data/date_anchors.tsv`: the words of its phrase as matched.
struct Anchor {
    country: &'static str,
    words: Vec<String>,
    date: NaiveDate,
    /// True when every row with these words has this date, so the phrase
    /// can be read without knowing the report's country.
    unambiguous: bool,
}

static ANCHOR_TABLE: &str = include_str!("../../data/date_anchors.tsv");

fn anchors() -> &'static [Anchor] {
    static ANCHORS: OnceLock<Vec<Anchor>> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        // The table is bundled and checked by a test; a malformed row is skipped.
        let rows = ANCHOR_TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        let mut anchors: Vec<Anchor> = rows
            .filter_map(|line| {
                let [country, phrase, date, _note] = line.split('\t').collect::<Vec<_>>()[..]
                else {
                    return None;
                };
                let words = anchor_words(phrase);
                Some(Anchor {
                    country,
                    date: NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?,
                    unambiguous: true,
                    words: (!words.is_empty()).then_some(words)?,
                })
            })
            .collect();
        for k in 0..anchors.len() {
            let (words, date) = (&anchors[k].words, anchors[k].date);
            let unambiguous = anchors.iter().all(|a| a.words != *words || a.date == date);
            anchors[k].unambiguous = unambiguous;
        }
        anchors
    })
}

/// The words of an anchor phrase as matched: lower case, without
/// apostrophes or a leading "the".
fn anchor_words(phrase: &str) -> Vec<String> {
    let mut words: Vec<String> = tokenize(phrase)
        .iter()
        .filter(|t| !is_apostrophe(&t.lower))
        .map(|t| t.lower.to_string())
        .collect();
    if words.first().is_some_and(|w| w == "the") {
        words.remove(0);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A Tuesday.
    const TUESDAY: &str = "2025-06-17";

    /// The mentions in `text` as (phrase, start, end, precision, kind).
    fn dates_in(
        text: &str,
        published: &str,
        country: Option<&str>,
    ) -> Vec<(String, String, String, DatePrecision, DateKind)> {
        find_dates(text, d(published), country)
            .into_iter()
            .map(|m| {
                (
                    text[m.start..m.end].to_string(),
                    m.span.start.to_string(),
                    m.span.end.to_string(),
                    m.span.precision,
                    m.kind,
                )
            })
            .collect()
    }

    /// The only mention in `text`: its phrase must be all of `text`; returns
    /// (start, end, precision, kind).
    fn only(
        text: &str,
        published: &str,
        country: Option<&str>,
    ) -> (String, String, DatePrecision, DateKind) {
        let found = dates_in(text, published, country);
        assert_eq!(found.len(), 1, "{text:?} ({published}) gave {found:?}");
        let (phrase, start, end, precision, kind) = found.into_iter().next().unwrap();
        assert_eq!(phrase, text, "{text:?} matched only {phrase:?}");
        (start, end, precision, kind)
    }

    /// Asserts the span `text` gives when published on `published`.
    fn says(text: &str, published: &str, start: &str, end: &str, precision: DatePrecision) {
        let (s, e, p, _) = only(text, published, None);
        assert_eq!(
            (s.as_str(), e.as_str(), p),
            (start, end, precision),
            "{text:?} published {published}"
        );
    }

    fn kind(text: &str, published: &str) -> DateKind {
        only(text, published, None).3
    }

    use DatePrecision::{Day, Month, Range, Week, Year};

    #[test]
    fn today_yesterday_and_the_night() {
        for text in [
            "today",
            "Today",
            "tonight",
            "this morning",
            "this afternoon",
            "this evening",
            "earlier today",
        ] {
            says(text, TUESDAY, TUESDAY, TUESDAY, Day);
        }
        for text in [
            "yesterday",
            "Yesterday",
            "last night",
            "yesterday evening",
            "late yesterday",
        ] {
            says(text, TUESDAY, "2025-06-16", "2025-06-16", Day);
        }
        says(
            "the day before yesterday",
            TUESDAY,
            "2025-06-15",
            "2025-06-15",
            Day,
        );
        says("overnight", TUESDAY, "2025-06-16", "2025-06-17", Range);
        says("yesterday", "2025-01-01", "2024-12-31", "2024-12-31", Day);
        assert_eq!(kind("yesterday", TUESDAY), DateKind::Relative);
    }

    #[test]
    fn weekdays_are_the_most_recent_on_or_before_publication() {
        // Published on a Tuesday, "Tuesday" is that day.
        for text in [
            "on Tuesday",
            "Tuesday",
            "on Tuesday night",
            "Tuesday morning",
            "earlier on Tuesday",
            "Tuesday's",
        ] {
            says(text, TUESDAY, TUESDAY, TUESDAY, Day);
        }
        // Published the day after.
        says("on Tuesday", "2025-06-18", TUESDAY, TUESDAY, Day);
        says("on Monday", TUESDAY, "2025-06-16", "2025-06-16", Day);
        says("on Wednesday", TUESDAY, "2025-06-11", "2025-06-11", Day);
        says("on Sunday", TUESDAY, "2025-06-15", "2025-06-15", Day);
        // "Last Tuesday" published on a Tuesday is a week before.
        says("last Tuesday", TUESDAY, "2025-06-10", "2025-06-10", Day);
        says("last Tuesday", "2025-06-18", TUESDAY, TUESDAY, Day);
        // Across a year boundary: Thursday 2 January 2025.
        says("on Monday", "2025-01-02", "2024-12-30", "2024-12-30", Day);
        assert_eq!(kind("on Tuesday", TUESDAY), DateKind::Relative);
        let found = dates_in("Tuesday's attack killed two", TUESDAY, None);
        assert_eq!(found[0].0, "Tuesday's");
        // A plural is not a day.
        assert_eq!(dates_in("protests on Mondays", TUESDAY, None), vec![]);
    }

    #[test]
    fn days_and_weeks_ago() {
        says("three days ago", TUESDAY, "2025-06-14", "2025-06-14", Day);
        says("2 days ago", TUESDAY, "2025-06-15", "2025-06-15", Day);
        says("a day ago", TUESDAY, "2025-06-16", "2025-06-16", Day);
        // N weeks ago: the ISO week holding the day N weeks back.
        says("two weeks ago", TUESDAY, "2025-06-02", "2025-06-08", Week);
        says("a week ago", TUESDAY, "2025-06-09", "2025-06-15", Week);
        says("a week ago", "2025-01-06", "2024-12-30", "2025-01-05", Week);
        says("a month ago", TUESDAY, "2025-05-01", "2025-05-31", Month);
        says("two years ago", TUESDAY, "2023-01-01", "2023-12-31", Year);
        says("a few days ago", TUESDAY, "2025-06-10", "2025-06-15", Range);
        assert_eq!(kind("a few days ago", TUESDAY), DateKind::Vague);
        assert_eq!(kind("two weeks ago", TUESDAY), DateKind::Relative);
    }

    #[test]
    fn weeks_months_and_years_around_publication() {
        says("this week", TUESDAY, "2025-06-16", TUESDAY, Range);
        says("earlier this week", TUESDAY, "2025-06-16", TUESDAY, Range);
        says("last week", TUESDAY, "2025-06-09", "2025-06-15", Week);
        // Across a year boundary (Thursday 2 January 2025).
        says("last week", "2025-01-02", "2024-12-23", "2024-12-29", Week);
        says("this month", TUESDAY, "2025-06-01", TUESDAY, Range);
        says("earlier this month", TUESDAY, "2025-06-01", TUESDAY, Range);
        says("last month", TUESDAY, "2025-05-01", "2025-05-31", Month);
        says(
            "last month",
            "2025-01-10",
            "2024-12-01",
            "2024-12-31",
            Month,
        );
        says(
            "last month",
            "2024-03-31",
            "2024-02-01",
            "2024-02-29",
            Month,
        );
        // Early, mid and late: thirds of the month.
        says(
            "early last month",
            "2025-01-10",
            "2024-12-01",
            "2024-12-10",
            Range,
        );
        says(
            "mid last month",
            "2025-01-10",
            "2024-12-11",
            "2024-12-20",
            Range,
        );
        says(
            "late last month",
            "2025-01-10",
            "2024-12-21",
            "2024-12-31",
            Range,
        );
        says("this year", TUESDAY, "2025-01-01", TUESDAY, Range);
        says("earlier this year", TUESDAY, "2025-01-01", TUESDAY, Range);
        says("last year", "2025-01-03", "2024-01-01", "2024-12-31", Year);
        says("the past week", TUESDAY, "2025-06-10", TUESDAY, Range);
        says("the past 24 hours", TUESDAY, "2025-06-16", TUESDAY, Range);
        says("the last three days", TUESDAY, "2025-06-14", TUESDAY, Range);
        says("in recent days", TUESDAY, "2025-06-10", TUESDAY, Range);
        // The weekend before a Tuesday; on a Sunday, this one and the one before.
        says(
            "over the weekend",
            TUESDAY,
            "2025-06-14",
            "2025-06-15",
            Range,
        );
        says(
            "over the weekend",
            "2025-06-15",
            "2025-06-14",
            "2025-06-15",
            Range,
        );
        says(
            "last weekend",
            "2025-06-15",
            "2025-06-07",
            "2025-06-08",
            Range,
        );
        assert_eq!(kind("earlier this month", TUESDAY), DateKind::Vague);
        assert_eq!(kind("last month", TUESDAY), DateKind::Relative);
    }

    #[test]
    fn last_and_a_month_name_is_that_month_before_the_current_one() {
        says(
            "Last April",
            "2024-06-05",
            "2024-04-01",
            "2024-04-30",
            DatePrecision::Month,
        );
        says(
            "last June",
            "2024-06-05",
            "2023-06-01",
            "2023-06-30",
            DatePrecision::Month,
        );
        says(
            "last December",
            "2025-01-03",
            "2024-12-01",
            "2024-12-31",
            DatePrecision::Month,
        );
    }

    #[test]
    fn explicit_days_with_and_without_a_year() {
        for text in [
            "5 June",
            "June 5",
            "June 5th",
            "5th of June",
            "the 5th of June",
            "on 5 June",
            "Jun. 5",
            "on Thursday, 5 June",
        ] {
            says(text, TUESDAY, "2025-06-05", "2025-06-05", Day);
        }
        for text in [
            "on 5 June 2023",
            "June 5, 2023",
            "5 June, 2023",
            "2023-06-05",
            "5/6/2023",
            "05.06.2023",
        ] {
            says(text, TUESDAY, "2023-06-05", "2023-06-05", Day);
        }
        // Without a year: the most recent such date on or before publication.
        says(
            "on 30 December",
            "2025-01-03",
            "2024-12-30",
            "2024-12-30",
            Day,
        );
        says("on 20 June", TUESDAY, "2024-06-20", "2024-06-20", Day);
        says("on 17 June", TUESDAY, TUESDAY, TUESDAY, Day);
        says("29 February", TUESDAY, "2024-02-29", "2024-02-29", Day);
        assert_eq!(kind("5 June", TUESDAY), DateKind::Explicit);
        // Not days: an impossible day, a time, a measure.
        let found = dates_in("31 June 2025", TUESDAY, None);
        assert_eq!(
            found.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(),
            ["June 2025"]
        );
        for text in ["June 40", "at 5:30 June", "5km June", "room 12/5 June"] {
            assert_eq!(dates_in(text, TUESDAY, None), vec![], "{text}");
        }
    }

    #[test]
    fn months_and_years() {
        says("in June", TUESDAY, "2025-06-01", "2025-06-30", Month);
        says("in July", TUESDAY, "2024-07-01", "2024-07-31", Month);
        says(
            "in December",
            "2025-01-03",
            "2024-12-01",
            "2024-12-31",
            Month,
        );
        says("in June 2023", TUESDAY, "2023-06-01", "2023-06-30", Month);
        says("June 2023", TUESDAY, "2023-06-01", "2023-06-30", Month);
        says(
            "during Feb 2024",
            TUESDAY,
            "2024-02-01",
            "2024-02-29",
            Month,
        );
        says("in 2023", TUESDAY, "2023-01-01", "2023-12-31", Year);
        // Early, mid and late June: days 1-10, 11-20 and 21-30.
        says("early June", TUESDAY, "2025-06-01", "2025-06-10", Range);
        says("mid-June", TUESDAY, "2025-06-11", "2025-06-20", Range);
        says("in late June", TUESDAY, "2025-06-21", "2025-06-30", Range);
        says(
            "the end of June 2023",
            TUESDAY,
            "2023-06-21",
            "2023-06-30",
            Range,
        );
        says("late 2024", TUESDAY, "2024-09-01", "2024-12-31", Range);
        // A bare month or year is read only after a preposition.
        assert_eq!(dates_in("June said 2023 was hard", TUESDAY, None), vec![]);
    }

    #[test]
    fn may_and_march_only_as_months() {
        says("in May", TUESDAY, "2025-05-01", "2025-05-31", Month);
        says("May 5", TUESDAY, "2025-05-05", "2025-05-05", Day);
        says("early March", TUESDAY, "2025-03-01", "2025-03-10", Range);
        for text in [
            "fighters may attack",
            "in may",
            "Mayadin was shelled",
            "the march on 5 routes",
            "they may 5 times",
            "the town of Mayadin in Deir ez-Zor",
        ] {
            assert_eq!(dates_in(text, TUESDAY, None), vec![], "{text}");
        }
    }

    #[test]
    fn explicit_ranges() {
        for text in [
            "between 3 and 5 June",
            "3-5 June",
            "3–5 June",
            "from 3 to 5 June",
            "June 3-5",
            "3 to 5 June",
            "3 June to 5 June",
        ] {
            says(text, TUESDAY, "2025-06-03", "2025-06-05", Range);
        }
        says(
            "on the night of 5 to 6 June",
            TUESDAY,
            "2025-06-05",
            "2025-06-06",
            Range,
        );
        says(
            "the night of 5-6 June",
            TUESDAY,
            "2025-06-05",
            "2025-06-06",
            Range,
        );
        says(
            "on the night of 5 June",
            TUESDAY,
            "2025-06-05",
            "2025-06-05",
            Day,
        );
        says(
            "between 3 June and 5 July 2023",
            TUESDAY,
            "2023-06-03",
            "2023-07-05",
            Range,
        );
        says("June 3-5, 2023", TUESDAY, "2023-06-03", "2023-06-05", Range);
        // Across a year boundary, with and without the year.
        says(
            "30 December to 2 January",
            "2025-01-10",
            "2024-12-30",
            "2025-01-02",
            Range,
        );
        says(
            "from 30 December to 2 January 2025",
            TUESDAY,
            "2024-12-30",
            "2025-01-02",
            Range,
        );
        // A range runs from the most recent such start.
        says("16-18 June", TUESDAY, "2025-06-16", "2025-06-18", Range);
        assert_eq!(kind("3-5 June", TUESDAY), DateKind::Explicit);
    }

    #[test]
    fn anchors_by_country() {
        let since_fall = (
            "2024-12-08".to_string(),
            TUESDAY.to_string(),
            Range,
            DateKind::Vague,
        );
        for text in [
            "since the fall of the regime",
            "since the fall of Assad",
            "since the regime's fall",
            "since the regime’s fall",
            "since the fall of the Assad regime",
            "since Assad's ouster",
        ] {
            assert_eq!(only(text, TUESDAY, Some("SY")), since_fall, "{text}");
        }
        assert_eq!(
            only("since the fall of the regime", TUESDAY, Some("sy")),
            since_fall
        );
        let (start, ..) = only("since the fall of the regime", TUESDAY, Some("IQ"));
        assert_eq!(start, "2003-04-09");
        // Without a country only phrases that mean one day are read.
        assert_eq!(
            dates_in("since the fall of the regime", TUESDAY, None),
            vec![]
        );
        says(
            "since the liberation of Mosul",
            TUESDAY,
            "2017-07-10",
            TUESDAY,
            Range,
        );
        // An anchor is read only after since, after or before.
        assert_eq!(
            dates_in("the fall of the regime", TUESDAY, Some("SY")),
            vec![]
        );
        // A phrase the country lacks is read when it means one day everywhere.
        let (start, ..) = only("since the liberation of Mosul", TUESDAY, Some("SY"));
        assert_eq!(start, "2017-07-10");
        assert_eq!(dates_in("since the invasion", TUESDAY, Some("SY")), vec![]);
        let (start, ..) = only("since the invasion", TUESDAY, Some("UA"));
        assert_eq!(start, "2022-02-24");
        // "October 7" is the 2023 attack, not the most recent 7 October.
        let (start, ..) = only("since October 7", TUESDAY, Some("PS"));
        assert_eq!(start, "2023-10-07");
        let (start, ..) = only("on October 7", TUESDAY, Some("PS"));
        assert_eq!(start, "2024-10-07");
    }

    #[test]
    fn since_and_days_after() {
        says("since 5 June", TUESDAY, "2025-06-05", TUESDAY, Range);
        says("since June", TUESDAY, "2025-06-01", TUESDAY, Range);
        says("since 2023", TUESDAY, "2023-01-01", TUESDAY, Range);
        says("since Sunday", TUESDAY, "2025-06-15", TUESDAY, Range);
        says("since last week", TUESDAY, "2025-06-09", TUESDAY, Range);
        says(
            "since the start of the year",
            TUESDAY,
            "2025-01-01",
            TUESDAY,
            Range,
        );
        assert_eq!(kind("since June", TUESDAY), DateKind::Vague);
        let sy = |text| only(text, TUESDAY, Some("SY"));
        // Days after X: X+1 .. X+10; weeks after X: X+7 .. X+42.
        assert_eq!(
            sy("days after the fall of the regime"),
            (
                "2024-12-09".into(),
                "2024-12-18".into(),
                Range,
                DateKind::Vague
            )
        );
        assert_eq!(
            sy("weeks after the fall of the regime"),
            (
                "2024-12-15".into(),
                "2025-01-19".into(),
                Range,
                DateKind::Vague
            )
        );
        assert_eq!(
            sy("two days after the fall of the regime"),
            (
                "2024-12-10".into(),
                "2024-12-10".into(),
                Day,
                DateKind::Relative
            )
        );
        assert_eq!(sy("the day after the fall of Assad").0, "2024-12-09");
        assert_eq!(sy("days before the fall of the regime").0, "2024-11-28");
        says(
            "days after 5 June",
            TUESDAY,
            "2025-06-06",
            "2025-06-15",
            Range,
        );
        says(
            "a week after 1 June",
            TUESDAY,
            "2025-06-08",
            "2025-06-08",
            Day,
        );
        // A vague span after X ends at publication.
        says("days after 12 June", TUESDAY, "2025-06-13", TUESDAY, Range);
        // Nothing after "since" but a date: no mention.
        assert_eq!(dates_in("since then", TUESDAY, None), vec![]);
    }

    #[test]
    fn mentions_are_in_order_and_do_not_overlap() {
        let text = "Two people were killed on Tuesday in Nawa; on 5 June a car bomb killed three, \
                    and 38 killings were recorded in June, since the fall of the regime.";
        let found = dates_in(text, TUESDAY, Some("SY"));
        let phrases: Vec<&str> = found.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(
            phrases,
            [
                "on Tuesday",
                "on 5 June",
                "in June",
                "since the fall of the regime"
            ]
        );
        let mentions = find_dates(text, d(TUESDAY), Some("SY"));
        assert!(mentions.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn offsets_are_bytes_in_unicode_text() {
        let text = "قُتل رجلان في درعا يوم الثلاثاء — on Tuesday — و«5 June» ٥";
        let mentions = find_dates(text, d(TUESDAY), None);
        let phrases: Vec<&str> = mentions.iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(phrases, ["on Tuesday", "5 June"]);
    }

    #[test]
    fn long_texts_keep_offsets() {
        let filler = "word ".repeat(30_000);
        let text = format!("{filler}\n\non Tuesday {filler}{filler}since 5 June {filler}");
        let found = dates_in(&text, TUESDAY, None);
        let phrases: Vec<&str> = found.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(phrases, ["on Tuesday", "since 5 June"]);
    }

    #[test]
    fn the_anchor_table_is_well_formed() {
        let rows: Vec<&str> = ANCHOR_TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .collect();
        assert_eq!(anchors().len(), rows.len(), "a row failed to parse");
        for line in rows {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 4, "{line}");
            assert!(
                fields[0].len() == 2 && fields[0].bytes().all(|b| b.is_ascii_uppercase()),
                "{line}"
            );
            assert!(!fields[3].is_empty(), "no note: {line}");
        }
        // Every phrase reads back as an anchor in its own country.
        for a in anchors() {
            let text = format!("since {}", a.words.join(" "));
            let found = find_dates(&text, d("2100-01-01"), Some(a.country));
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].span.start, a.date, "{text}");
        }
    }

    fn published() -> impl Strategy<Value = NaiveDate> {
        (0u64..73_000).prop_map(|n| plus(d("1900-01-01"), n).unwrap())
    }

    /// Text mixing date words, numbers, marks and any characters.
    fn tricky_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            proptest::sample::select(
                &[
                    " ",
                    "-",
                    "–",
                    ",",
                    ".",
                    "/",
                    ":",
                    "'",
                    "’",
                    "on ",
                    "in ",
                    "since ",
                    "between ",
                    " and ",
                    " to ",
                    "the ",
                    "night of ",
                    "early ",
                    "mid-",
                    "last ",
                    "this ",
                    "week",
                    "month",
                    "year",
                    "days",
                    "weeks",
                    " ago",
                    " after ",
                    " before ",
                    "Tuesday",
                    "yesterday",
                    "overnight",
                    "June ",
                    "May ",
                    "Feb.",
                    "5",
                    "31",
                    "29",
                    "2023",
                    "2100",
                    "1899",
                    "th",
                    "fall of the regime",
                    "a few ",
                    "99999999999",
                    "ي",
                    "٥",
                    "\u{301}",
                ][..]
            )
            .prop_map(str::to_string),
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_are_ordered_char_boundaries(
            text in tricky_text(),
            published in published(),
            country in proptest::option::of(proptest::sample::select(&["SY", "IQ", "PS", "xx"][..])),
        ) {
            let found = find_dates(&text, published, country);
            for m in &found {
                prop_assert!(m.start < m.end && m.end <= text.len());
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
                prop_assert!(m.span.start <= m.span.end);
            }
            prop_assert!(found.windows(2).all(|w| w[0].end <= w[1].start));
        }

        #[test]
        fn arbitrary_strings_never_panic(text in "\\PC*", published in published()) {
            for m in find_dates(&text, published, Some("SY")) {
                prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            }
        }
    }
}
