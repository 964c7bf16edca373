//! Where a record stands in review, and the evidence a machine-drafted
//! record carries so a reviewer can see why it was drafted.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A record's review status. `add`, `import` and `seed` write `reviewed`
/// (a person's or a dataset's decision); `extract` writes `draft`. Only
/// reviewed records are counted, listed and exported by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Review {
    Draft,
    #[default]
    Reviewed,
    Rejected,
}

impl Review {
    pub fn as_str(self) -> &'static str {
        match self {
            Review::Draft => "draft",
            Review::Reviewed => "reviewed",
            Review::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Result<Review> {
        match s.trim().to_ascii_lowercase().as_str() {
            "draft" => Ok(Review::Draft),
            "reviewed" => Ok(Review::Reviewed),
            "rejected" => Ok(Review::Rejected),
            _ => Err(Error::invalid("status", s, "draft, reviewed or rejected")),
        }
    }
}

/// One span of a report a draft came from: which field it supports
/// (`date`, `place`, `fatalities`, `event_type`, `actor`, `value`, ...),
/// its position in the report in characters (Unicode scalar values, not
/// bytes, so any language's string slicing finds it) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub field: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The sentence around the span, so a reviewer sees it in context
    /// without the report at hand; `context_start` is its offset.
    #[serde(default)]
    pub context: String,
    #[serde(default)]
    pub context_start: usize,
}
