//! One incident and its parts: geo precision and the admin levels it
//! vouches for, fatality estimates, sources, and the field checks
//! (text, coordinates, uid) the model's types share.

use serde::{Deserialize, Serialize};

use super::review::{Evidence, Review};
use super::span::DateSpan;
use super::taxonomy::{canonical_event_type, canonical_sub_event_type};
use crate::error::{Error, Result};

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
            let show = |v: Option<u32>| v.map_or("unknown".to_string(), |n| n.to_string());
            return Err(Error::invalid(
                "fatalities (low, best, high)",
                format!(
                    "low {}, best {}, high {}",
                    show(self.low),
                    show(self.best),
                    show(self.high)
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
    /// The uid of the incident this one was merged into: it is kept, but
    /// hidden from list, report and export (see `filter::Status`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
    /// Draft (machine-drafted, not yet counted), reviewed or rejected.
    #[serde(default)]
    pub status: Review,
    /// Why a reviewer rejected (or annotated) the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_note: Option<String>,
    /// The report spans a draft came from (empty for records a person typed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// The drafter's confidence, 0..=1 (none for records a person typed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// Longest text accepted in any one field: longer values are almost
/// certainly a broken file, not a report.
pub const MAX_TEXT: usize = 100_000;

/// Refuses a text too long to be a report's, or with control characters.
pub fn check_text(field: &str, value: &Option<String>) -> Result<()> {
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
            merged_into: None,
            status: Review::Reviewed,
            review_note: None,
            evidence: Vec::new(),
            confidence: None,
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(v.get("merged_into").is_none(), "left out when not merged");
        let back: Incident = serde_json::from_value(v).unwrap();
        assert_eq!(back, i);
        let mut merged = i.clone();
        merged.merged_into = Some("INC-000002".into());
        let v = serde_json::to_value(&merged).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        let at = keys.iter().position(|k| *k == "merged_into").unwrap();
        assert_eq!(keys[at + 1], "status");
        assert_eq!(serde_json::from_value::<Incident>(v).unwrap(), merged);
    }
}
