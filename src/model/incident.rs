//! Pure domain types with validation: incidents, the ACLED event taxonomy,
//! date spans with their precision, fatality estimates, sources and tallies.
//! No SQL, no clap, no output formatting here.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The ACLED event taxonomy: event types and their sub-event types.
pub const TAXONOMY: &[(&str, &[&str])] = &[
    (
        "Battles",
        &[
            "Armed clash",
            "Government regains territory",
            "Non-state actor overtakes territory",
        ],
    ),
    (
        "Explosions/Remote violence",
        &[
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        ],
    ),
    (
        "Violence against civilians",
        &[
            "Sexual violence",
            "Attack",
            "Abduction/forced disappearance",
        ],
    ),
    (
        "Protests",
        &[
            "Peaceful protest",
            "Protest with intervention",
            "Excessive force against protesters",
        ],
    ),
    ("Riots", &["Violent demonstration", "Mob violence"]),
    (
        "Strategic developments",
        &[
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ],
    ),
];

/// Folds a taxonomy name for comparison: case, spaces and punctuation ignored.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Returns up to `n` of `options` closest to `value`, best first.
pub fn closest<'a>(
    value: &str,
    options: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let v = fold(value);
    let mut scored: Vec<(f64, &str)> = options
        .into_iter()
        .map(|o| {
            let f = fold(o);
            let mut s = strsim::jaro_winkler(&v, &f);
            if !v.is_empty() && (f.contains(&v) || v.contains(&f)) {
                s += 0.5;
            }
            (s, o)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored
        .into_iter()
        .take(n)
        .map(|(_, o)| o.to_string())
        .collect()
}

/// Canonical event type for a case-insensitive name (also accepts sub-type-free
/// short forms such as "explosions" or "vac").
pub fn canonical_event_type(value: &str) -> Result<&'static str> {
    let f = fold(value);
    let short = match f.as_str() {
        "explosions" | "remoteviolence" => Some("Explosions/Remote violence"),
        "vac" | "violence" => Some("Violence against civilians"),
        "strategic" => Some("Strategic developments"),
        _ => None,
    };
    if let Some(s) = short {
        return Ok(s);
    }
    TAXONOMY
        .iter()
        .map(|(t, _)| *t)
        .find(|t| fold(t) == f || fold(t).trim_end_matches('s') == f)
        .ok_or_else(|| {
            Error::invalid(
                "event type",
                value,
                format!(
                    "one of the ACLED event types (see `incidents types`); closest: {}",
                    closest(value, TAXONOMY.iter().map(|(t, _)| *t), 3).join(", ")
                ),
            )
        })
}

/// Canonical sub-event type of `event_type` for a case-insensitive name.
pub fn canonical_sub_event_type(event_type: &str, value: &str) -> Result<&'static str> {
    let subs = TAXONOMY
        .iter()
        .find(|(t, _)| *t == event_type)
        .map(|(_, s)| *s)
        .unwrap_or(&[]);
    let f = fold(value);
    subs.iter().copied().find(|s| fold(s) == f).ok_or_else(|| {
        Error::invalid(
            "sub-event type",
            value,
            format!(
                "a sub-event type of {event_type:?}; closest: {}",
                closest(value, subs.iter().copied(), 3).join(", ")
            ),
        )
    })
}

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

/// How precisely an incident's location is known: ACLED's geo_precision
/// (1-3), plus 4 for a location known only to the country (UCDP where_prec
/// 5 without a province, 6 and 7), which ACLED's scale cannot say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum GeoPrecision {
    /// The exact place is known.
    Exact = 1,
    /// Near a place, or only the district is known.
    Near = 2,
    /// Only the province or region is known.
    Region = 3,
    /// Only the country is known.
    Country = 4,
}

/// The administrative levels an incident can be credited to, coarsest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AdminLevel {
    Country,
    Admin1,
    Admin2,
}

impl GeoPrecision {
    /// The finest level this precision vouches for. The one rule for which
    /// regions an incident counts in: a point stored for a province known
    /// only as a province (its label point, a centroid) lies in some
    /// district, but crediting that district would be false precision.
    pub fn finest_level(self) -> AdminLevel {
        match self {
            GeoPrecision::Exact | GeoPrecision::Near => AdminLevel::Admin2,
            GeoPrecision::Region => AdminLevel::Admin1,
            GeoPrecision::Country => AdminLevel::Country,
        }
    }
}

impl TryFrom<u8> for GeoPrecision {
    type Error = Error;
    fn try_from(v: u8) -> Result<GeoPrecision> {
        match v {
            1 => Ok(GeoPrecision::Exact),
            2 => Ok(GeoPrecision::Near),
            3 => Ok(GeoPrecision::Region),
            4 => Ok(GeoPrecision::Country),
            _ => Err(Error::invalid(
                "geo precision",
                v,
                "1 (exact place), 2 (near a place or district), 3 (province/region only) or 4 (country only)",
            )),
        }
    }
}

impl From<GeoPrecision> for u8 {
    fn from(p: GeoPrecision) -> u8 {
        p as u8
    }
}

/// Fatality estimates: `best` with optional `low`/`high` bounds. `None` means
/// unknown, which is never the same as zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fatalities {
    #[serde(rename = "fatalities")]
    pub best: Option<u32>,
    #[serde(rename = "fatalities_low")]
    pub low: Option<u32>,
    #[serde(rename = "fatalities_high")]
    pub high: Option<u32>,
}

impl Fatalities {
    /// Checks that `low <= best <= high` where they are given: for values
    /// a user types. Imported datasets are kept as published even when
    /// inconsistent (UCDP GED has rows with low > high), and counted with
    /// [`Fatalities::inconsistent`] instead.
    pub fn validate(&self) -> Result<()> {
        if self.inconsistent() {
            return Err(Error::invalid(
                "fatalities",
                format!(
                    "low {:?}, best {:?}, high {:?}",
                    self.low, self.best, self.high
                ),
                "low <= best <= high",
            ));
        }
        Ok(())
    }

    /// True when the estimates are out of order (low > best, best > high or low > high).
    pub fn inconsistent(&self) -> bool {
        let out_of_order =
            |a: Option<u32>, b: Option<u32>| matches!((a, b), (Some(a), Some(b)) if a > b);
        out_of_order(self.low, self.best)
            || out_of_order(self.best, self.high)
            || out_of_order(self.low, self.high)
    }
}

/// Where an incident's information comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub publisher: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// Publication date as written (YYYY, YYYY-MM or YYYY-MM-DD).
    #[serde(default)]
    pub published: Option<String>,
    /// A short excerpt or a page locator.
    #[serde(default)]
    pub excerpt: Option<String>,
}

/// One incident. Region fields are filled from coordinates by the caller
/// (see `geo::Regions::assign`); the model only checks the values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Stable id: generated (`INC-000123`) or kept from an imported dataset.
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    pub event_type: String,
    #[serde(default)]
    pub sub_event_type: Option<String>,
    #[serde(flatten)]
    pub span: DateSpan,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    #[serde(default)]
    pub geo_precision: Option<GeoPrecision>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub admin1: Option<String>,
    #[serde(default)]
    pub admin1_code: Option<String>,
    #[serde(default)]
    pub admin2: Option<String>,
    #[serde(default)]
    pub admin2_code: Option<String>,
    /// Admin1 as an imported dataset coded it, kept beside the polygon's answer.
    #[serde(default)]
    pub reported_admin1: Option<String>,
    /// Admin2 as an imported dataset coded it.
    #[serde(default)]
    pub reported_admin2: Option<String>,
    #[serde(flatten)]
    pub fatalities: Fatalities,
    #[serde(default)]
    pub civilian_fatalities: Option<u32>,
    #[serde(default)]
    pub actor1: Option<String>,
    #[serde(default)]
    pub actor2: Option<String>,
    #[serde(default)]
    pub assoc_actors: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// Longest text accepted in any one field: longer values are almost
/// certainly a broken file, not a report.
pub const MAX_TEXT: usize = 100_000;

fn check_text(field: &str, value: &Option<String>) -> Result<()> {
    if let Some(v) = value {
        if v.len() > MAX_TEXT {
            return Err(Error::invalid(
                field,
                format!(
                    "{}... ({} bytes)",
                    v.chars().take(20).collect::<String>(),
                    v.len()
                ),
                format!("at most {MAX_TEXT} bytes"),
            ));
        }
        if v.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            return Err(Error::invalid(field, v, "text without control characters"));
        }
    }
    Ok(())
}

/// Checks a latitude/longitude pair.
pub fn check_coordinates(lat: f64, lon: f64) -> Result<()> {
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err(Error::invalid("latitude", lat, "a number from -90 to 90"));
    }
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(Error::invalid(
            "longitude",
            lon,
            "a number from -180 to 180",
        ));
    }
    Ok(())
}

impl Incident {
    /// The finest level the incident may be credited to: its precision's,
    /// or admin2 for a point whose precision nobody stated.
    pub fn finest_level(&self) -> AdminLevel {
        self.geo_precision
            .map_or(AdminLevel::Admin2, GeoPrecision::finest_level)
    }

    /// Empties the admin units finer than the geo precision vouches for.
    pub fn credit_to_precision(&mut self) {
        let finest = self.finest_level();
        if finest < AdminLevel::Admin2 {
            self.admin2 = None;
            self.admin2_code = None;
        }
        if finest < AdminLevel::Admin1 {
            self.admin1 = None;
            self.admin1_code = None;
        }
    }

    /// The finest level the incident is credited to, when it is finer than
    /// its precision vouches for (for `check`).
    pub fn credited_below_precision(&self) -> Option<AdminLevel> {
        let credited = if self.admin2_code.is_some() {
            AdminLevel::Admin2
        } else if self.admin1_code.is_some() {
            AdminLevel::Admin1
        } else {
            AdminLevel::Country
        };
        (credited > self.finest_level()).then_some(credited)
    }

    /// A new incident with only the required fields set.
    pub fn new(event_type: &str, span: DateSpan) -> Incident {
        Incident {
            uid: None,
            title: None,
            event_type: event_type.to_string(),
            sub_event_type: None,
            span,
            place: None,
            latitude: None,
            longitude: None,
            geo_precision: None,
            country: None,
            admin1: None,
            admin1_code: None,
            admin2: None,
            admin2_code: None,
            reported_admin1: None,
            reported_admin2: None,
            fatalities: Fatalities::default(),
            civilian_fatalities: None,
            actor1: None,
            actor2: None,
            assoc_actors: None,
            notes: None,
            tags: Vec::new(),
            sources: Vec::new(),
            created_at: None,
            updated_at: None,
        }
    }

    /// Validates every field and puts the event types in canonical spelling.
    /// Blank text is unknown (None), as an empty cell is on import.
    pub fn normalize(&mut self) -> Result<()> {
        for field in [
            &mut self.title,
            &mut self.sub_event_type,
            &mut self.place,
            &mut self.actor1,
            &mut self.actor2,
            &mut self.assoc_actors,
            &mut self.notes,
            &mut self.reported_admin1,
            &mut self.reported_admin2,
        ] {
            if field.as_deref().is_some_and(|t| t.trim().is_empty()) {
                *field = None;
            }
        }
        self.tags.retain(|t| !t.trim().is_empty());
        self.event_type = canonical_event_type(&self.event_type)?.to_string();
        if let Some(sub) = &self.sub_event_type {
            self.sub_event_type =
                Some(canonical_sub_event_type(&self.event_type, sub)?.to_string());
        }
        DateSpan::new(self.span.start, self.span.end, self.span.precision)?;
        match (self.latitude, self.longitude) {
            (Some(lat), Some(lon)) => check_coordinates(lat, lon)?,
            (None, None) => {}
            (Some(_), None) => {
                return Err(Error::invalid(
                    "longitude",
                    "(missing)",
                    "a longitude to go with the latitude",
                ));
            }
            (None, Some(_)) => {
                return Err(Error::invalid(
                    "latitude",
                    "(missing)",
                    "a latitude to go with the longitude",
                ));
            }
        }
        if let (Some(c), Some(b)) = (self.civilian_fatalities, self.fatalities.best)
            && c > b
        {
            return Err(Error::invalid(
                "civilian fatalities",
                c,
                format!("at most the total fatalities ({b})"),
            ));
        }
        if let Some(c) = &self.country {
            let c = c.trim().to_ascii_uppercase();
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(Error::invalid(
                    "country",
                    c,
                    "an ISO 3166-1 alpha-2 code such as SY or IQ",
                ));
            }
            self.country = Some(c);
        }
        if let Some(uid) = &self.uid {
            check_uid(uid)?;
        }
        for (field, value) in [
            ("title", &self.title),
            ("place", &self.place),
            ("actor1", &self.actor1),
            ("actor2", &self.actor2),
            ("assoc_actors", &self.assoc_actors),
            ("notes", &self.notes),
            ("reported_admin1", &self.reported_admin1),
            ("reported_admin2", &self.reported_admin2),
        ] {
            check_text(field, value)?;
        }
        for tag in &self.tags {
            check_text("tag", &Some(tag.clone()))?;
        }
        for s in &self.sources {
            check_text("source", &Some(s.publisher.clone()))?;
            check_text("source title", &s.title)?;
            check_text("source url", &s.url)?;
            check_text("source excerpt", &s.excerpt)?;
        }
        Ok(())
    }
}

/// Checks a uid: non-empty, printable, no spaces, at most 100 bytes.
pub fn check_uid(uid: &str) -> Result<()> {
    if uid.is_empty() || uid.len() > 100 || uid.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::invalid(
            "uid",
            uid,
            "1 to 100 printable characters without spaces",
        ));
    }
    Ok(())
}

/// A figure that a source reports in aggregate (e.g. 38 killings in Daraa in
/// June 2025), which is not an individual incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    #[serde(default)]
    pub uid: Option<String>,
    /// The region as written (resolved to `region_code` when it is known).
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub metric: String,
    #[serde(serialize_with = "whole_as_integer")]
    pub value: f64,
    /// True when the figure is computed from the source's words (e.g. "double
    /// May's toll") rather than stated.
    #[serde(default)]
    pub derived: bool,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// Writes whole numbers without a fractional part (38, not 38.0).
pub fn whole_as_integer<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

impl Tally {
    /// Validates the tally's fields.
    pub fn normalize(&mut self) -> Result<()> {
        DateSpan::new(self.period_start, self.period_end, DatePrecision::Range)?;
        if self.metric.trim().is_empty() {
            return Err(Error::invalid(
                "metric",
                &self.metric,
                "a non-empty name such as killings",
            ));
        }
        if !self.value.is_finite() || self.value < 0.0 {
            return Err(Error::invalid("value", self.value, "a non-negative number"));
        }
        if let Some(uid) = &self.uid {
            check_uid(uid)?;
        }
        for (field, value) in [
            ("region", &self.region),
            ("place", &self.place),
            ("notes", &self.notes),
            ("metric", &Some(self.metric.clone())),
        ] {
            check_text(field, value)?;
        }
        Ok(())
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

    #[test]
    fn taxonomy_is_case_insensitive_and_suggests() {
        assert_eq!(canonical_event_type("battles").unwrap(), "Battles");
        assert_eq!(
            canonical_event_type("VIOLENCE AGAINST CIVILIANS").unwrap(),
            "Violence against civilians"
        );
        assert_eq!(
            canonical_event_type("explosions/remote violence").unwrap(),
            "Explosions/Remote violence"
        );
        assert_eq!(
            canonical_sub_event_type("Battles", "armed CLASH").unwrap(),
            "Armed clash"
        );
        let e = canonical_event_type("battel").unwrap_err().to_string();
        assert!(e.contains("Battles"), "{e}");
        let e = canonical_sub_event_type("Battles", "air strike")
            .unwrap_err()
            .to_string();
        assert!(e.contains("sub-event type"), "{e}");
        for (t, subs) in TAXONOMY {
            for s in *subs {
                assert_eq!(canonical_sub_event_type(t, s).unwrap(), *s);
            }
        }
    }

    #[test]
    fn fatalities_order_and_unknown() {
        assert!(
            Fatalities {
                best: Some(3),
                low: Some(2),
                high: Some(5)
            }
            .validate()
            .is_ok()
        );
        let odd = Fatalities {
            best: Some(3),
            low: Some(4),
            high: None,
        };
        assert!(odd.validate().is_err() && odd.inconsistent());
        let reversed = Fatalities {
            best: None,
            low: Some(5),
            high: Some(2),
        };
        assert!(reversed.validate().is_err());
        assert!(
            Fatalities {
                best: None,
                low: None,
                high: None
            }
            .validate()
            .is_ok()
        );
        assert_eq!(Fatalities::default().best, None);
    }

    #[test]
    fn incident_validation() {
        let span = DateSpan::parse("d", "2025-06-17").unwrap();
        let mut i = Incident::new("battles", span);
        i.latitude = Some(123.0);
        i.longitude = Some(36.0);
        assert!(i.normalize().unwrap_err().to_string().contains("latitude"));
        i.latitude = Some(f64::NAN);
        assert!(i.normalize().is_err());
        i.latitude = Some(32.6);
        i.normalize().unwrap();
        assert_eq!(i.event_type, "Battles");
        i.notes = Some("bad\u{0}byte".into());
        assert!(i.normalize().unwrap_err().to_string().contains("notes"));
        i.notes = None;
        i.civilian_fatalities = Some(5);
        i.fatalities.best = Some(2);
        assert!(i.normalize().is_err());
        i.civilian_fatalities = None;
        i.fatalities.low = Some(9);
        assert!(i.normalize().is_ok(), "imports keep inconsistent estimates");
        assert!(
            i.fatalities.validate().is_err(),
            "typed values must be ordered"
        );
        i.fatalities.low = None;
        i.civilian_fatalities = Some(1);
        i.country = Some("Syria".into());
        assert!(i.normalize().unwrap_err().to_string().contains("country"));
    }

    #[test]
    fn serde_flattens_span_and_fatalities() {
        let span = DateSpan::parse("d", "2025-06").unwrap();
        let i = Incident::new("Battles", span);
        let v = serde_json::to_value(&i).unwrap();
        assert_eq!(v["date_start"], "2025-06-01");
        assert_eq!(v["date_precision"], "month");
        assert!(v["fatalities"].is_null());
        let back: Incident = serde_json::from_value(v).unwrap();
        assert_eq!(back, i);
    }
}
