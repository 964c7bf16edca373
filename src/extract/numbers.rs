//! The number grammar: the counts a report writes ("38", "1,200",
//! "twenty-five", "a dozen", "at least 200", "between 5 and 7", "dozens") and
//! the estimate each gives. Numbers that count nothing are skipped: days and
//! years of dates, times, ordinals, measures, money, ages and names such as
//! "F-16". Whether a count counts people is the caller's business.
//!
//! Also the tokenizer and token helpers the date grammar shares.

use std::borrow::Cow;

use super::dates::month_of;

/// A number phrase found in text: byte offsets into the text, and the
/// estimate it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub start: usize,
    pub end: usize,
    pub best: Option<u32>,
    pub low: Option<u32>,
    pub high: Option<u32>,
}

/// Every number phrase in `text`, in order, not overlapping.
pub fn find_counts(text: &str) -> Vec<Count> {
    let mut counts = Vec::new();
    for (offset, piece) in pieces(text) {
        let toks = tokenize(piece);
        let mut i = 0;
        while i < toks.len() {
            let next = match count_at(&toks, i) {
                Found::Count(end, estimate) => {
                    let (start, end_byte) = (offset + toks[i].start, offset + toks[end - 1].end);
                    counts.extend(estimate.count(start, end_byte));
                    end
                }
                Found::Skip(end) => end,
                Found::Nothing => i + 1,
            };
            i = next.max(i + 1);
        }
    }
    counts
}

// ---------------------------------------------------------------------------
// Tokens, shared with the date grammar

/// The most text the grammars tokenize at once, so that memory stays small
/// whatever the size of the input.
const PIECE: usize = 100_000;

/// `text` in pieces of at most [`PIECE`] bytes with their offsets, cut at the
/// last blank line of each piece, else at its last white space. No phrase
/// spans a blank line; one spanning the cut of a paragraph longer than a
/// piece is lost.
pub(super) fn pieces(text: &str) -> Vec<(usize, &str)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while text.len() - start > PIECE {
        let mut end = start + PIECE;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let window = &text[start..end];
        let space = || {
            let (k, c) = window
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())?;
            Some(start + k + c.len_utf8())
        };
        let cut = window
            .rfind("\n\n")
            .map(|k| start + k + 2)
            .or_else(space)
            .unwrap_or(end);
        pieces.push((start, &text[start..cut]));
        start = cut;
    }
    pieces.push((start, &text[start..]));
    pieces
}

/// What a token is: a run of letters, a run of ASCII digits, or any other
/// single character (punctuation, symbols). Digits of other scripts count as
/// letters, so "٥" is never read as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Digits,
    Mark,
}

/// A token of the text with its byte offsets; `lower` is the lower-cased
/// text that grammars match on, `raw` the text as written.
#[derive(Debug, Clone)]
pub(super) struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub raw: &'a str,
    pub lower: Cow<'a, str>,
    pub kind: Kind,
}

/// Splits `text` into words, digit runs and single marks; white space
/// separates tokens and is dropped. Letters and digits touching each other
/// are separate tokens ("5th" is "5" + "th"), so grammars can tell an
/// ordinal, a unit or a name from a bare number.
pub(super) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let kind_of = |c: char| {
        if c.is_ascii_digit() {
            Some(Kind::Digits)
        } else if c.is_alphanumeric() {
            Some(Kind::Word)
        } else if c.is_whitespace() {
            None
        } else {
            Some(Kind::Mark)
        }
    };
    let mut toks = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let Some(kind) = kind_of(c) else { continue };
        let mut end = start + c.len_utf8();
        if kind != Kind::Mark {
            while let Some(&(at, next)) = chars.peek() {
                if kind_of(next) != Some(kind) {
                    break;
                }
                end = at + next.len_utf8();
                chars.next();
            }
        }
        let raw = &text[start..end];
        let lower = if raw.chars().any(char::is_uppercase) {
            Cow::Owned(raw.to_lowercase())
        } else {
            Cow::Borrowed(raw)
        };
        toks.push(Token {
            start,
            end,
            raw,
            lower,
            kind,
        });
    }
    toks
}

/// The lower-cased text of token `i`, or "" past either end.
pub(super) fn at<'t>(toks: &'t [Token<'_>], i: usize) -> &'t str {
    toks.get(i).map_or("", |t| &t.lower)
}

/// The lower-cased text of the token before `i`, or "" at the start.
fn before<'t>(toks: &'t [Token<'_>], i: usize) -> &'t str {
    i.checked_sub(1).map_or("", |p| at(toks, p))
}

/// The index after `words` when they are the tokens from `i` on.
pub(super) fn phrase(toks: &[Token<'_>], i: usize, words: &[&str]) -> Option<usize> {
    let matches = words.iter().enumerate().all(|(k, w)| at(toks, i + k) == *w);
    matches.then_some(i + words.len())
}

/// True when token `i` touches the token before it (no space between).
pub(super) fn joined(toks: &[Token<'_>], i: usize) -> bool {
    i > 0 && i < toks.len() && toks[i - 1].end == toks[i].start
}

/// A number written in digits or words ("3", "1,200", "twenty-one"), and
/// the token after it. No context is checked: the date grammar uses it for
/// the number in "two weeks ago".
pub(super) fn cardinal(toks: &[Token<'_>], i: usize) -> Option<(u64, usize)> {
    if toks.get(i)?.kind == Kind::Digits {
        digits(toks, i)
    } else {
        number_words(toks, i)
    }
}

// ---------------------------------------------------------------------------
// Counts

/// The estimate a count phrase gives. `best` is the figure to code: the
/// stated number for bounds and approximations, the lower end of a range
/// (ACLED codes the most conservative figure a report gives).
#[derive(Debug, Clone, Copy)]
struct Estimate {
    best: u64,
    low: Option<u64>,
    high: Option<u64>,
}

impl Estimate {
    fn exact(n: u64) -> Estimate {
        Estimate {
            best: n,
            low: None,
            high: None,
        }
    }

    fn at_least(n: u64) -> Estimate {
        Estimate {
            low: Some(n),
            ..Estimate::exact(n)
        }
    }

    fn at_most(n: u64) -> Estimate {
        Estimate {
            high: Some(n),
            ..Estimate::exact(n)
        }
    }

    fn range(low: u64, high: u64) -> Estimate {
        Estimate {
            best: low,
            low: Some(low),
            high: Some(high),
        }
    }

    /// The count at `start..end`, or None when a figure exceeds `u32`.
    fn count(self, start: usize, end: usize) -> Option<Count> {
        let fit = |n: Option<u64>| n.map(u32::try_from).transpose().ok();
        Some(Count {
            start,
            end,
            best: fit(Some(self.best))?,
            low: fit(self.low)?,
            high: fit(self.high)?,
        })
    }
}

enum Found {
    /// A count ending before token `.0`.
    Count(usize, Estimate),
    /// Not a count, up to token `.0` (a date, a time, a measure, ...).
    Skip(usize),
    Nothing,
}

#[derive(Clone, Copy)]
enum Bound {
    Low,
    High,
    About,
}

/// Words before a number that bound or soften it. "More than N" and "over
/// N" give N as both the best figure and the low bound, as ACLED codes the
/// stated number rather than guessing above it; "up to N" and "as many as
/// N" give N as the high bound and, being the only figure stated, the best.
const QUALIFIERS: &[(&[&str], Bound)] = &[
    (&["at", "least"], Bound::Low),
    (&["no", "fewer", "than"], Bound::Low),
    (&["no", "less", "than"], Bound::Low),
    (&["not", "less", "than"], Bound::Low),
    (&["more", "than"], Bound::Low),
    (&["over"], Bound::Low),
    (&["just", "over"], Bound::Low),
    (&["upwards", "of"], Bound::Low),
    (&["in", "excess", "of"], Bound::Low),
    (&["a", "minimum", "of"], Bound::Low),
    (&["up", "to"], Bound::High),
    (&["as", "many", "as"], Bound::High),
    (&["at", "most"], Bound::High),
    (&["no", "more", "than"], Bound::High),
    (&["a", "maximum", "of"], Bound::High),
    (&["about"], Bound::About),
    (&["around"], Bound::About),
    (&["nearly"], Bound::About),
    (&["almost"], Bound::About),
    (&["just", "under"], Bound::About),
    (&["some"], Bound::About),
    (&["approximately"], Bound::About),
    (&["roughly"], Bound::About),
    (&["an", "estimated"], Bound::About),
    (&["estimated"], Bound::About),
    (&["close", "to"], Bound::About),
];

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Plural words for an unstated number, coded as ACLED codes them: "tens" 10,
/// "dozens" 12, "hundreds" 100 "and so on" (ACLED, "FAQs: ACLED Fatality
/// Methodology", acleddata.com knowledge base, 2023, updated 2024: "When
/// sources report estimates such as 'tens' or 'dozens' or 'hundreds,' ACLED
/// codes 10 for 'tens,' 12 for 'dozens,' 100 for 'hundreds'"). "Scores" and
/// "thousands" follow the same rule: one of the unit the word multiplies.
const PLURALS: [(&str, u64); 6] = [
    ("tens", 10),
    ("dozens", 12),
    ("scores", 20),
    ("hundreds", 100),
    ("thousands", 1_000),
    ("millions", 1_000_000),
];

/// Vague small numbers, coded as the fewest the word is used for: the same
/// FAQ says that for a vague estimate ACLED uses the most conservative one.
/// "Several" and "many" are never fewer than "a few".
const FEW: [(&[&str], u64); 5] = [
    (&["a", "couple", "of"], 2),
    (&["a", "couple"], 2),
    (&["a", "few"], 3),
    (&["several"], 3),
    (&["many"], 3),
];

/// What a number after these words measures: not a count of anything the
/// extractor counts.
const MEASURES: &[&str] = &[
    "km",
    "kms",
    "kilometre",
    "kilometres",
    "kilometer",
    "kilometers",
    "mile",
    "miles",
    "metre",
    "metres",
    "meter",
    "meters",
    "m",
    "mm",
    "cm",
    "sq",
    "square",
    "kg",
    "kilogram",
    "kilograms",
    "ton",
    "tons",
    "tonne",
    "tonnes",
    "degree",
    "degrees",
    "°",
    "hectare",
    "hectares",
    "acres",
    "dunams",
    "%",
    "percent",
    "dollar",
    "dollars",
    "usd",
    "euro",
    "euros",
    "pound",
    "pounds",
    "lira",
    "liras",
    "dinar",
    "dinars",
    "syp",
    "iqd",
    "am",
    "pm",
    "gmt",
    "utc",
    "hrs",
];

/// Marks that make a number touching them part of something else: a name
/// ("F-16"), money ("$5"), a phone number ("+963") or a longer figure.
const JOINERS: &[&str] = &["-", "–", "/", ".", ":", "$", "€", "£", "#", "+", "№"];

/// Words before a four-digit number that make it a year ("in 2023").
const YEAR_WORDS: &[&str] = &[
    "in", "since", "during", "until", "till", "before", "after", "early", "mid", "late", "spring",
    "summer", "autumn", "winter", "year",
];

/// Words before "of" that make a following four-digit number a year ("the
/// end of 2024").
const PART_WORDS: &[&str] = &["end", "start", "beginning", "middle", "half"];

/// The count phrase starting at token `i`, if any.
fn count_at(toks: &[Token<'_>], i: usize) -> Found {
    if let Some((j, bound)) = qualifier(toks, i) {
        return match quantity(toks, j, false) {
            Parsed::Value(n, end) => {
                let estimate = match bound {
                    Bound::Low => Estimate::at_least(n),
                    Bound::High => Estimate::at_most(n),
                    Bound::About => Estimate::exact(n),
                };
                finish(toks, j, end, estimate)
            }
            Parsed::Skip(end) => Found::Skip(end),
            Parsed::Nothing => Found::Nothing,
        };
    }
    for (open, sep) in [("between", "and"), ("from", "to")] {
        if at(toks, i) != open {
            continue;
        }
        if let Parsed::Value(n, j) = quantity(toks, i + 1, false)
            && at(toks, j) == sep
            && let Parsed::Value(m, end) = quantity(toks, j + 1, true)
            && m > n
        {
            return finish(toks, i + 1, end, Estimate::range(n, m));
        }
    }
    match quantity(toks, i, false) {
        Parsed::Value(n, j) => {
            let (end, estimate) = suffix(toks, j, n);
            finish(toks, i, end, estimate)
        }
        Parsed::Skip(end) => Found::Skip(end),
        Parsed::Nothing => Found::Nothing,
    }
}

/// The longest qualifier at `i`, and the token after it.
fn qualifier(toks: &[Token<'_>], i: usize) -> Option<(usize, Bound)> {
    QUALIFIERS
        .iter()
        .filter_map(|(words, bound)| Some((phrase(toks, i, words)?, *bound)))
        .max_by_key(|(j, _)| *j)
}

/// What follows a number `n` ending before `j`: "or more", "or so", "+", or
/// a second number making a range ("5 to 7", "5-7", "one or two").
fn suffix(toks: &[Token<'_>], j: usize, n: u64) -> (usize, Estimate) {
    if let Some(end) = phrase(toks, j, &["or", "more"]) {
        return (end, Estimate::at_least(n));
    }
    if let Some(end) = phrase(toks, j, &["or", "so"]) {
        return (end, Estimate::exact(n));
    }
    if at(toks, j) == "+" && joined(toks, j) {
        return (j + 1, Estimate::at_least(n));
    }
    let dash = matches!(at(toks, j), "-" | "–") && joined(toks, j) && joined(toks, j + 1);
    if (dash || matches!(at(toks, j), "to" | "or"))
        && let Parsed::Value(m, end) = quantity(toks, j + 1, true)
        && m > n
    {
        return (end, Estimate::range(n, m));
    }
    (j, Estimate::exact(n))
}

/// `toks[first..end]` reads as `estimate`: a count unless the words around
/// make it a date, a year, a time, a measure, money or an age.
fn finish(toks: &[Token<'_>], first: usize, end: usize, estimate: Estimate) -> Found {
    let largest = estimate.high.unwrap_or(estimate.best);
    let month_after = toks.get(end).and_then(month_of).is_some()
        || (at(toks, end) == "of" && toks.get(end + 1).and_then(month_of).is_some());
    let month_before = month_ends_at(toks, first.checked_sub(1));
    let day_of_month = (1..=31).contains(&largest) && (month_after || month_before);
    let not_count = day_of_month
        || is_year(toks, first, end)
        || MEASURES.contains(&at(toks, end))
        || phrase(toks, end, &["per", "cent"]).is_some()
        || matches!(before(toks, first), "$" | "€" | "£")
        || phrase(toks, end, &["year", "old"]).is_some()
        || phrase(toks, end, &["years", "old"]).is_some()
        || clock(toks, end);
    if not_count {
        return Found::Skip(end);
    }
    // Joined by a hyphen to a word, a number is a modifier: "two-day",
    // "10-year-old", "5-km", "twenty-first".
    if matches!(at(toks, end), "-" | "–")
        && joined(toks, end)
        && joined(toks, end + 1)
        && toks[end + 1].kind == Kind::Word
    {
        return Found::Skip(end + 2);
    }
    Found::Count(end, estimate)
}

/// True when the number at `first` is a year: four digits from 1900 to 2100
/// after a month ("June 2023", "June 5, 2023") or a word such as "in" or
/// "since", or the two ends of a span of years ("2011-2024").
fn is_year(toks: &[Token<'_>], first: usize, end: usize) -> bool {
    let year = |k: usize| {
        toks.get(k).is_some_and(|t| {
            t.kind == Kind::Digits
                && t.raw.len() == 4
                && t.raw.parse().is_ok_and(|y: u32| (1900..=2100).contains(&y))
        })
    };
    if !year(first) {
        return false;
    }
    if end > first + 1 {
        return end >= first + 3 && year(end - 1);
    }
    let prev = before(toks, first);
    month_ends_at(toks, first.checked_sub(1))
        || YEAR_WORDS.contains(&prev)
        || (prev == "of" && PART_WORDS.contains(&before(toks, first - 1)))
        || (prev == ","
            && first >= 2
            && toks[first - 2].kind == Kind::Digits
            && month_ends_at(toks, first.checked_sub(3)))
}

/// True when a month name ends at token `k`: "June", "Jun", "Jun.".
fn month_ends_at(toks: &[Token<'_>], k: Option<usize>) -> bool {
    let is_month = |k: usize| toks.get(k).and_then(month_of).is_some();
    k.is_some_and(|k| is_month(k) || (at(toks, k) == "." && joined(toks, k) && is_month(k - 1)))
}

/// True when the tokens at `i` say a time of day: "a.m.", "p.m.", "o'clock".
fn clock(toks: &[Token<'_>], i: usize) -> bool {
    [
        &["a", ".", "m"][..],
        &["p", ".", "m"],
        &["o", "'", "clock"],
        &["o", "’", "clock"],
    ]
    .iter()
    .any(|words| phrase(toks, i, words).is_some())
}

enum Parsed {
    /// A number ending before token `.1`.
    Value(u64, usize),
    /// Not a count, up to token `.0`.
    Skip(usize),
    Nothing,
}

/// The number at `i` in digits, words or a vague word. `second` is true for
/// the second number of a range, which may follow a hyphen ("5-7").
fn quantity(toks: &[Token<'_>], i: usize, second: bool) -> Parsed {
    match toks.get(i) {
        Some(t) if t.kind == Kind::Digits => in_digits(toks, i, second),
        Some(_) => in_words(toks, i),
        None => Parsed::Nothing,
    }
}

/// The digits at `i` ("38", "1,200"), and the token after them.
fn digits(toks: &[Token<'_>], i: usize) -> Option<(u64, usize)> {
    let t = toks.get(i).filter(|t| t.kind == Kind::Digits)?;
    let mut value: u64 = t.raw.parse().ok()?;
    let mut j = i + 1;
    if t.raw.len() <= 3 {
        while at(toks, j) == ","
            && joined(toks, j)
            && joined(toks, j + 1)
            && toks[j + 1].kind == Kind::Digits
            && toks[j + 1].raw.len() == 3
        {
            let group: u64 = toks[j + 1].raw.parse().ok()?;
            value = value.checked_mul(1000)?.checked_add(group)?;
            j += 2;
        }
    }
    Some((value, j))
}

/// The end of the run of digits and marks joined to each other from `i`
/// ("2023-06-05", "10:30", "1.5"), skipped whole when it is not a count.
fn run_end(toks: &[Token<'_>], i: usize) -> usize {
    let mut j = i + 1;
    while joined(toks, j)
        && (toks[j].kind == Kind::Digits
            || matches!(at(toks, j), "-" | "–" | "/" | "." | ":" | ","))
    {
        j += 1;
    }
    j
}

fn in_digits(toks: &[Token<'_>], i: usize, second: bool) -> Parsed {
    let skip = Parsed::Skip(run_end(toks, i));
    if !second
        && joined(toks, i)
        && (toks[i - 1].kind != Kind::Mark || JOINERS.contains(&at(toks, i - 1)))
    {
        return skip;
    }
    let Some((mut value, mut j)) = digits(toks, i) else {
        return skip;
    };
    if joined(toks, j) {
        // "5th", "5km", "10pm", "1990s"
        if toks[j].kind == Kind::Word {
            return Parsed::Skip(j + 1);
        }
        let digits_follow = joined(toks, j + 1) && toks[j + 1].kind == Kind::Digits;
        let decimal_or_time = matches!(at(toks, j), "." | "/" | ":") && digits_follow;
        let dashed = |k: usize| matches!(at(toks, k), "-" | "–") && joined(toks, k);
        let three_parts = dashed(j) && digits_follow && dashed(j + 2);
        if decimal_or_time || three_parts {
            return skip;
        }
    }
    while let Some(scale) = multiplier(at(toks, j)) {
        let Some(scaled) = value.checked_mul(scale) else {
            return Parsed::Skip(j + 1);
        };
        value = scaled;
        j += 1;
    }
    Parsed::Value(value, j)
}

fn in_words(toks: &[Token<'_>], i: usize) -> Parsed {
    // "half a dozen", "half a million"
    if let Some(j) = phrase(toks, i, &["half", "a"])
        && let Some(scale) = multiplier(at(toks, j))
    {
        return Parsed::Value(scale / 2, j + 1);
    }
    if let Some((value, j)) = number_words(toks, i) {
        // "no one" is nobody
        if at(toks, i) == "one" && before(toks, i) == "no" {
            return Parsed::Skip(j);
        }
        return Parsed::Value(value, j);
    }
    if let Some(value) = plural(at(toks, i)) {
        let mut value = value;
        let mut j = i + 1;
        // "tens of thousands", "hundreds of thousands"
        if at(toks, j) == "of"
            && let Some(scale) = plural(at(toks, j + 1))
        {
            value = value.saturating_mul(scale);
            j += 2;
        }
        if at(toks, j) == "of" {
            j += 1;
        }
        return Parsed::Value(value, j);
    }
    let few = FEW
        .iter()
        .find_map(|(words, value)| Some((*value, phrase(toks, i, words)?)));
    if let Some((value, j)) = few {
        // "how many", "as many as possible", "so many", "too many"
        if at(toks, i) == "many" && matches!(before(toks, i), "how" | "as" | "so" | "too") {
            return Parsed::Nothing;
        }
        // "several hundred", "a few dozen"
        return match multiplier(at(toks, j)).or_else(|| plural(at(toks, j))) {
            Some(scale) => Parsed::Value(value * scale, j + 1),
            None => Parsed::Value(value, j),
        };
    }
    Parsed::Nothing
}

fn plural(word: &str) -> Option<u64> {
    PLURALS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n)
}

/// The factor a word multiplies the number before it by ("3 thousand",
/// "two dozen").
fn multiplier(word: &str) -> Option<u64> {
    match word {
        "dozen" => Some(12),
        "hundred" => Some(100),
        "thousand" => Some(1_000),
        "million" => Some(1_000_000),
        _ => None,
    }
}

/// A number in words: "seven", "twenty-five", "a hundred", "two hundred and
/// fifty", "a dozen", "three thousand five hundred".
fn number_words(toks: &[Token<'_>], i: usize) -> Option<(u64, usize)> {
    let mut total = 0u64;
    let mut j = i;
    let mut any = false;
    while let Some((group, k)) = below_thousand(toks, j) {
        any = true;
        match multiplier(at(toks, k)) {
            Some(scale) => {
                total = total.checked_add(group.checked_mul(scale)?)?;
                j = k + 1;
                if at(toks, j) == "and" && below_thousand(toks, j + 1).is_some() {
                    j += 1;
                }
            }
            None => {
                total = total.checked_add(group)?;
                j = k;
                break;
            }
        }
    }
    any.then_some((total, j))
}

/// A number in words below a thousand ("seven", "two hundred and fifty"),
/// or "a"/"an" standing for one before "hundred", "thousand" or "dozen".
fn below_thousand(toks: &[Token<'_>], i: usize) -> Option<(u64, usize)> {
    let (mut value, mut j) = match below_hundred(toks, i) {
        Some(found) => found,
        None if matches!(at(toks, i), "a" | "an") && multiplier(at(toks, i + 1)).is_some() => {
            (1, i + 1)
        }
        None => return None,
    };
    if at(toks, j) == "hundred" {
        value *= 100;
        j += 1;
        let k = if at(toks, j) == "and" { j + 1 } else { j };
        if let Some((rest, end)) = below_hundred(toks, k) {
            value += rest;
            j = end;
        }
    }
    Some((value, j))
}

/// A number in words below a hundred: "seven", "forty", "twenty-five",
/// "twenty five".
fn below_hundred(toks: &[Token<'_>], i: usize) -> Option<(u64, usize)> {
    let word = at(toks, i);
    if let Some(n) = UNITS.iter().position(|u| *u == word) {
        return Some((n as u64, i + 1));
    }
    let tens = 20 + 10 * TENS.iter().position(|t| *t == word)? as u64;
    let hyphen = at(toks, i + 1) == "-" && joined(toks, i + 1) && joined(toks, i + 2);
    let j = if hyphen { i + 2 } else { i + 1 };
    match UNITS[1..10].iter().position(|u| *u == at(toks, j)) {
        Some(unit) => Some((tens + unit as u64 + 1, j + 1)),
        None => Some((tens, i + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a count says: (best, low, high).
    type Figures = (Option<u32>, Option<u32>, Option<u32>);

    /// The counts in `text` as (phrase, figures).
    fn counts(text: &str) -> Vec<(&str, Figures)> {
        find_counts(text)
            .into_iter()
            .map(|c| (&text[c.start..c.end], (c.best, c.low, c.high)))
            .collect()
    }

    /// The only count in `text`.
    fn one(text: &str) -> (&str, Figures) {
        let found = counts(text);
        assert_eq!(found.len(), 1, "{text:?} gave {found:?}");
        found[0]
    }

    fn exact(n: u32) -> Figures {
        (Some(n), None, None)
    }

    #[test]
    fn digits_and_thousands() {
        assert_eq!(one("38 people were killed"), ("38", exact(38)));
        assert_eq!(one("1,200 families fled"), ("1,200", exact(1200)));
        assert_eq!(
            one("displaced 12,345,678"),
            ("12,345,678", exact(12_345_678))
        );
        // Only commas group thousands: "1.200" is a decimal, not a count.
        assert_eq!(counts("1.200 families"), vec![]);
        assert_eq!(counts("a 1.5 tonne bomb"), vec![]);
        assert_eq!(one("(5) killed"), ("5", exact(5)));
        assert_eq!(one("3 thousand"), ("3 thousand", exact(3000)));
    }

    #[test]
    fn number_words() {
        for (text, n) in [
            ("two", 2),
            ("Two", 2),
            ("eleven", 11),
            ("twenty-five", 25),
            ("twenty five", 25),
            ("ninety-nine", 99),
            ("forty", 40),
            ("a hundred", 100),
            ("one hundred", 100),
            ("two hundred and fifty", 250),
            ("two hundred fifty", 250),
            ("a thousand", 1000),
            ("three thousand five hundred", 3500),
            ("two thousand and twelve", 2012),
            ("a dozen", 12),
            ("two dozen", 24),
            ("half a dozen", 6),
            ("half a million", 500_000),
            ("zero", 0),
        ] {
            assert_eq!(one(&format!("{text} people")), (text, exact(n)), "{text}");
        }
    }

    #[test]
    fn vague_words_as_acled_codes_them() {
        for (text, n) in [
            ("dozens", 12),
            ("dozens of", 12),
            ("Dozens of", 12),
            ("tens of", 10),
            ("scores of", 20),
            ("hundreds of", 100),
            ("thousands of", 1000),
            ("tens of thousands of", 10_000),
            ("hundreds of thousands of", 100_000),
            ("several", 3),
            ("a few", 3),
            ("many", 3),
            ("a couple of", 2),
            ("several hundred", 300),
            ("a few dozen", 36),
        ] {
            assert_eq!(
                one(&format!("{text} civilians")),
                (text, exact(n)),
                "{text}"
            );
        }
        // The quantifier, not the phrase: "how many", "as many as possible".
        assert_eq!(counts("how many died is unknown"), vec![]);
        assert_eq!(counts("as many as possible"), vec![]);
    }

    #[test]
    fn a_or_an_alone_is_not_a_count() {
        assert_eq!(counts("a man was killed and an officer wounded"), vec![]);
        assert_eq!(counts("no one was hurt"), vec![]);
    }

    #[test]
    fn bounds_and_approximations() {
        let low = |n| (Some(n), Some(n), None);
        let high = |n| (Some(n), None, Some(n));
        assert_eq!(one("at least 38 killed"), ("at least 38", low(38)));
        assert_eq!(one("At least 200"), ("At least 200", low(200)));
        assert_eq!(one("no fewer than five"), ("no fewer than five", low(5)));
        assert_eq!(one("more than 100"), ("more than 100", low(100)));
        assert_eq!(one("over 20 people"), ("over 20", low(20)));
        assert_eq!(one("more than a dozen"), ("more than a dozen", low(12)));
        assert_eq!(one("10 or more"), ("10 or more", low(10)));
        assert_eq!(one("50+ dead"), ("50+", low(50)));
        assert_eq!(one("up to 30"), ("up to 30", high(30)));
        assert_eq!(one("as many as 30 fighters"), ("as many as 30", high(30)));
        assert_eq!(one("no more than 4"), ("no more than 4", high(4)));
        for q in [
            "about",
            "around",
            "nearly",
            "some",
            "approximately",
            "roughly",
            "an estimated",
        ] {
            let text = format!("{q} 40 people");
            assert_eq!(one(&text), (&text[..text.len() - 7], exact(40)), "{q}");
        }
        assert_eq!(one("a dozen or so"), ("a dozen or so", exact(12)));
        // A qualifier with no number after it is not a count.
        assert_eq!(counts("over the weekend, some reports"), vec![]);
    }

    #[test]
    fn ranges_give_low_high_and_the_low_as_best() {
        let range = |l, h| (Some(l), Some(l), Some(h));
        assert_eq!(
            one("between 5 and 7 killed"),
            ("between 5 and 7", range(5, 7))
        );
        assert_eq!(one("5 to 7"), ("5 to 7", range(5, 7)));
        assert_eq!(one("5-7 dead"), ("5-7", range(5, 7)));
        assert_eq!(one("5–7 dead"), ("5–7", range(5, 7)));
        assert_eq!(one("5 or 6"), ("5 or 6", range(5, 6)));
        assert_eq!(one("one or two"), ("one or two", range(1, 2)));
        assert_eq!(one("from 10 to 15"), ("from 10 to 15", range(10, 15)));
        assert_eq!(
            one("dozens to hundreds"),
            ("dozens to hundreds", range(12, 100))
        );
        // Not a range when the second is not larger.
        assert_eq!(counts("7 to 5"), vec![("7", exact(7)), ("5", exact(5))]);
    }

    #[test]
    fn ordinals_are_not_counts() {
        for text in [
            "the second attack",
            "the 3rd brigade",
            "the 21st century",
            "twenty-first",
            "the first time",
        ] {
            assert_eq!(counts(text), vec![], "{text}");
        }
    }

    #[test]
    fn dates_and_years_are_not_counts() {
        for text in [
            "on 5 June",
            "June 5",
            "June 5th",
            "the 5th of June",
            "5 of June",
            "in 2023",
            "since 2011",
            "June 2023",
            "June 5, 2023",
            "on 5 June 2023",
            "2023-06-05",
            "5/6/2023",
            "05.06.2023",
            "between 3 and 5 June",
            "3-5 June",
            "from 3 to 5 June",
            "June 3-5",
            "2011-2024",
            "between 2011 and 2024",
            "the end of 2024",
            "on 5 May",
            "on Nov. 17",
            "by Jan. 15, 2021",
        ] {
            assert_eq!(counts(text), vec![], "{text}");
        }
        // A number far from a month, or too large for a day, is a count.
        assert_eq!(one("in June, 5 people"), ("5", exact(5)));
        assert_eq!(one("in June 40 people"), ("40", exact(40)));
        // "may" the verb is not the month
        assert_eq!(one("5 may have died"), ("5", exact(5)));
        // 2000 people is a count; only "in 2000" is a year
        assert_eq!(
            one("more than 2000 people"),
            ("more than 2000", (Some(2000), Some(2000), None))
        );
    }

    #[test]
    fn times_measures_money_and_ages_are_not_counts() {
        for text in [
            "at 10:30",
            "at 10 p.m.",
            "at 10pm",
            "at 10 pm",
            "at 9 o'clock",
            "5 km away",
            "5km away",
            "10 kilometres",
            "10 miles",
            "500 metres",
            "50%",
            "50 %",
            "20 percent",
            "20 per cent",
            "$5",
            "5 dollars",
            "a 10-year-old boy",
            "a ten-year-old boy",
            "10 years old",
            "a two-day offensive",
            "F-16 jets",
            "an M4 rifle",
            "the 1990s",
            "120mm mortar",
            "call +963",
        ] {
            assert_eq!(counts(text), vec![], "{text}");
        }
    }

    #[test]
    fn several_counts_in_order_with_offsets() {
        let text = "Two soldiers and at least 5 civilians were killed; dozens of others fled.";
        let found = find_counts(text);
        let phrases: Vec<&str> = found.iter().map(|c| &text[c.start..c.end]).collect();
        assert_eq!(phrases, ["Two", "at least 5", "dozens of"]);
        assert!(found.windows(2).all(|w| w[0].end <= w[1].start));
    }

    #[test]
    fn offsets_are_bytes_in_unicode_text() {
        let text = "قُتل 5 أشخاص في درعا، وأصيب twenty-one — «٥» لا";
        let found = counts(text);
        assert_eq!(found, vec![("5", exact(5)), ("twenty-one", exact(21))]);
        let first = find_counts(text)[0];
        assert_eq!(first.start, text.find('5').unwrap());
    }

    #[test]
    fn long_texts_are_read_in_pieces_with_offsets_kept() {
        let filler = "word ".repeat(30_000);
        let text = format!("{filler}\n\n12 killed. {filler}{filler}at least 7 {filler}ثلاثة 9");
        assert!(pieces(&text).len() > 3);
        assert_eq!(
            counts(&text),
            vec![
                ("12", exact(12)),
                ("at least 7", (Some(7), Some(7), None)),
                ("9", exact(9))
            ]
        );
        // Pieces cover the text, in order, each cut at a char boundary.
        let multibyte = "ثلاثة ".repeat(40_000);
        let parts = pieces(&multibyte);
        assert!(parts.len() > 1);
        assert_eq!(parts.iter().map(|(_, p)| *p).collect::<String>(), multibyte);
        assert!(parts.windows(2).all(|w| w[0].0 + w[0].1.len() == w[1].0));
        let unbroken = "x".repeat(250_001);
        assert_eq!(pieces(&unbroken).len(), 3);
    }

    #[test]
    fn figures_beyond_u32_are_dropped() {
        assert_eq!(counts("99999999999 people"), vec![]);
        assert_eq!(counts("4294967296 people"), vec![]);
        assert_eq!(counts("5 million million"), vec![]);
        assert_eq!(one("4294967295"), ("4294967295", exact(u32::MAX)));
    }

    /// Text mixing number words, digits, months, marks and any characters.
    fn tricky_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            proptest::sample::select(
                &[
                    " ",
                    "-",
                    "–",
                    ",",
                    ".",
                    ":",
                    "/",
                    "'",
                    "’",
                    "+",
                    "$",
                    "%",
                    "at least ",
                    "between ",
                    " and ",
                    " to ",
                    " or ",
                    "a ",
                    "half ",
                    "dozen",
                    "dozens of ",
                    "hundred",
                    "twenty",
                    "-five",
                    "one",
                    "5",
                    "12",
                    "1,200",
                    "2023",
                    "June ",
                    "May ",
                    "th",
                    "km",
                    "year-old",
                    "a.m.",
                    "ي",
                    "٥",
                    "é",
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
        fn never_panics_and_spans_are_ordered_char_boundaries(text in tricky_text()) {
            let found = find_counts(&text);
            for c in &found {
                prop_assert!(c.start < c.end && c.end <= text.len());
                prop_assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
                prop_assert!(c.low.is_none_or(|l| Some(l) <= c.best));
                prop_assert!(c.high.is_none_or(|h| Some(h) >= c.best));
            }
            prop_assert!(found.windows(2).all(|w| w[0].end <= w[1].start));
        }

        #[test]
        fn arbitrary_strings_never_panic(text in "\\PC*") {
            for c in find_counts(&text) {
                prop_assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
            }
        }
    }
}
