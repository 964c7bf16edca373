//! Aggregate figures a source reports (tallies), which are not incidents.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::incident::{Source, check_text, check_uid};
use super::review::{Evidence, Review};
use super::span::{DatePrecision, DateSpan};
use crate::error::{Error, Result};

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

/// Writes whole numbers without a fractional part (38, not 38.0).
pub fn whole_as_integer<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

impl Tally {
    /// Whether two tallies report the same figure, whatever their uids and
    /// the times they were written: storing one over the other changes nothing.
    pub fn same_figure(&self, other: &Tally) -> bool {
        let strip = |t: &Tally| Tally {
            created_at: None,
            updated_at: None,
            uid: None,
            ..t.clone()
        };
        strip(self) == strip(other)
    }

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
