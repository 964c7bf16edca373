//! The dimensions a report groups incidents by: a time bucket, a region
//! level, the event type or the actor. Pure data; the store turns each into
//! its query.

use serde::Serialize;

use crate::error::{Error, Result};

/// A dimension to group incidents by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    Year,
    Month,
    Week,
    Day,
    Country,
    Admin1,
    Admin2,
    Type,
    SubType,
    Actor,
}

impl Dim {
    /// Parses a `--group-by` name.
    pub fn parse(s: &str) -> Result<Dim> {
        Ok(
            match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
                "year" => Dim::Year,
                "month" => Dim::Month,
                "week" => Dim::Week,
                "day" => Dim::Day,
                "country" => Dim::Country,
                "admin1" => Dim::Admin1,
                "admin2" => Dim::Admin2,
                "type" | "event_type" => Dim::Type,
                "sub_type" | "subtype" | "sub_event_type" => Dim::SubType,
                "actor" => Dim::Actor,
                _ => {
                    return Err(Error::invalid(
                        "group-by",
                        s,
                        "year, month, week, day, country, admin1, admin2, type, sub_type or actor",
                    ));
                }
            },
        )
    }

    /// The key's name in output rows.
    pub fn name(self) -> &'static str {
        match self {
            Dim::Year => "year",
            Dim::Month => "month",
            Dim::Week => "week",
            Dim::Day => "day",
            Dim::Country => "country",
            Dim::Admin1 => "admin1",
            Dim::Admin2 => "admin2",
            Dim::Type => "type",
            Dim::SubType => "sub_type",
            Dim::Actor => "actor",
        }
    }

    /// What a NULL key means, for people.
    pub fn null_label(self) -> &'static str {
        match self {
            Dim::Year => "(spans several years)",
            Dim::Month => "(spans several months)",
            Dim::Week => "(spans several weeks)",
            Dim::Day => "(not a single day)",
            Dim::Actor => "(no actor)",
            // Known only to a coarser level (geo precision), or no districts
            // there: never credited to a unit it was not placed in.
            Dim::Admin2 => "(district unknown)",
            Dim::Admin1 => "(province unknown)",
            _ => "(unknown)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_by_names_parse() {
        assert_eq!(Dim::parse("sub_type").unwrap(), Dim::SubType);
        assert_eq!(Dim::parse("Admin1").unwrap(), Dim::Admin1);
        assert!(
            Dim::parse("colour")
                .unwrap_err()
                .to_string()
                .contains("group-by")
        );
    }
}
