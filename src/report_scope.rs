//! What a report covers, resolved from the values a user gave: its period
//! (a month, week, year or range), the region or country it names, and the
//! region codes whose reported tallies belong beside it.

use crate::error::{Error, Result};
use crate::filter::{Filter, RegionKey};
use crate::geo::{Region, Regions};
use crate::model::DatePrecision;
use crate::report::{Period, RegionSummary};

/// The period values as given (`month`, `week`, `year`, or `from` and `to`).
#[derive(Debug, Clone, Default)]
pub struct PeriodSpec {
    pub month: Option<String>,
    pub week: Option<String>,
    pub year: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl PeriodSpec {
    /// The period, or `None` when no value was given.
    pub fn resolve(&self) -> Result<Option<Period>> {
        let exact = |field: &str, s: &str, want: DatePrecision, expected: &str| {
            let p = Period::parse(field, s)?;
            if p.kind == want {
                Ok(Some(p))
            } else {
                Err(Error::invalid(field, s, expected))
            }
        };
        if let Some(m) = &self.month {
            return exact("month", m, DatePrecision::Month, "a month as YYYY-MM");
        }
        if let Some(w) = &self.week {
            return exact("week", w, DatePrecision::Week, "an ISO week as YYYY-Www");
        }
        if let Some(y) = &self.year {
            return exact("year", y, DatePrecision::Year, "a year as YYYY");
        }
        match (&self.from, &self.to) {
            (Some(f), Some(t)) => {
                let from = Period::parse("from", f)?;
                let to = Period::parse("to", t)?;
                if to.end < from.start {
                    return Err(Error::invalid(
                        "to",
                        t,
                        format!("a date on or after from ({f})"),
                    ));
                }
                Ok(Some(Period::range(from.start, to.end)?))
            }
            (None, None) => Ok(None),
            _ => Err(Error::invalid(
                "from/to",
                "(only one given)",
                "both from and to",
            )),
        }
    }
}

/// A region's code and the codes of its districts: the tallies reported
/// for any of them belong beside the region's figures.
pub fn region_codes(regions: &Regions, region: &Region) -> Vec<String> {
    let mut codes = vec![region.code.clone()];
    codes.extend(
        regions
            .list(Some(&region.country))
            .into_iter()
            .filter(|r| r.parent.as_deref() == Some(region.code.as_str()))
            .map(|r| r.code.clone()),
    );
    codes
}

/// The region the report covers and the region codes whose tallies go with
/// it (`None`: every tally).
pub fn scope(
    filter: &Filter,
    regions: Option<&Regions>,
) -> Result<(RegionSummary, Option<Vec<String>>)> {
    // The region the filter resolved, so the report names what it counted.
    let resolved = filter.region.as_ref().and_then(|key| {
        let (RegionKey::Admin1(code) | RegionKey::Admin2(code) | RegionKey::Custom(code)) = key;
        regions?.get(code)
    });
    if let (Some(r), Some(regions)) = (resolved, regions) {
        let mut codes = region_codes(regions, r);
        if let Some(parent) = &r.parent {
            codes.push(parent.clone());
        }
        let level = r.level.as_str();
        return Ok((
            RegionSummary {
                name: r.name.clone(),
                code: Some(r.code.clone()),
                level: level.into(),
                country: Some(r.country.clone()).filter(|c| !c.is_empty()),
                parent: r.parent.clone(),
            },
            Some(codes),
        ));
    }
    if let Some(c) = &filter.country {
        let codes = regions
            .map(|r| {
                r.list(Some(c))
                    .into_iter()
                    .map(|r| r.code.clone())
                    .collect()
            })
            .unwrap_or_default();
        return Ok((
            RegionSummary {
                name: c.clone(),
                code: Some(c.clone()),
                level: "country".into(),
                country: Some(c.clone()),
                parent: None,
            },
            Some(codes),
        ));
    }
    Ok((
        RegionSummary {
            name: "all regions".into(),
            code: None,
            level: "all".into(),
            country: None,
            parent: None,
        },
        None,
    ))
}
