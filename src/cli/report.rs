//! `incidents report`: per-region, per-period counts and fatalities next to
//! the figures sources report, or grouped aggregates over a range.

use std::io::Write;

use incidents::filter::{Filter, RegionKey};
use incidents::formats::OutputFormat;
use incidents::geo::{Level, Regions};
use incidents::report::{self, Period, RegionSummary};
use incidents::store::Dim;
use incidents::{Error, Result};

use super::{Ctx, FilterArgs, note};

/// Report output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Markdown,
    Csv,
    Json,
    /// The regions of the result as polygons with the aggregates as
    /// properties, for a choropleth in QGIS or kepler.gl.
    Geojson,
}

#[derive(Debug, clap::Args)]
#[command(
    after_long_help = "COUNTING RULE: an incident counts in the period only when its whole \
date span lies inside the period. An incident whose span only overlaps the period (for example \
\"since December 2024\" in a June report) is not counted: a period report lists it under \
\"overlapping\" with its span, and --group-by leaves it out. So a report takes no --overlapping \
(list and export do). Unknown fatalities are never counted as 0: the number of incidents with \
unknown fatalities is shown separately. Reported tallies from sources that overlap the region \
and period are shown next to the counts, never added to them."
)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    /// An ISO week, YYYY-Www.
    #[arg(long, conflicts_with_all = ["month", "from", "to", "year"])]
    pub week: Option<String>,
    /// A year, YYYY.
    #[arg(long, conflicts_with_all = ["month", "from", "to"])]
    pub year: Option<String>,
    /// Aggregate over --from/--to by these dimensions, comma-separated:
    /// month, week, year, day, country, admin1, admin2, type, sub_type, actor.
    #[arg(long, value_delimiter = ',')]
    pub group_by: Vec<String>,
    /// Output format (table on a terminal, csv otherwise).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Do not neutralise spreadsheet formulas in CSV cells.
    #[arg(long)]
    pub raw: bool,
}

fn io(e: std::io::Error) -> Error {
    Error::io("<stdout>", e)
}

/// The report's period from --month, --week, --year or --from/--to.
fn period(a: &Args) -> Result<Option<Period>> {
    let check =
        |p: Period, field: &str, s: &str, want: incidents::model::DatePrecision, expected: &str| {
            if p.kind == want {
                Ok(Some(p))
            } else {
                Err(Error::invalid(field, s, expected))
            }
        };
    use incidents::model::DatePrecision as P;
    if let Some(m) = &a.filter.month {
        return check(
            Period::parse("--month", m)?,
            "--month",
            m,
            P::Month,
            "a month as YYYY-MM",
        );
    }
    if let Some(w) = &a.week {
        return check(
            Period::parse("--week", w)?,
            "--week",
            w,
            P::Week,
            "an ISO week as YYYY-Www",
        );
    }
    if let Some(y) = &a.year {
        return check(
            Period::parse("--year", y)?,
            "--year",
            y,
            P::Year,
            "a year as YYYY",
        );
    }
    match (&a.filter.from, &a.filter.to) {
        (Some(f), Some(t)) => {
            let from = Period::parse("--from", f)?;
            let to = Period::parse("--to", t)?;
            if to.end < from.start {
                return Err(Error::invalid(
                    "--to",
                    t,
                    format!("a date on or after --from ({f})"),
                ));
            }
            Ok(Some(Period::range(from.start, to.end)?))
        }
        (None, None) => Ok(None),
        _ => Err(Error::invalid(
            "--from/--to",
            "(only one given)",
            "both --from and --to",
        )),
    }
}

/// What the report covers, and which tallies belong with it.
fn scope(
    a: &Args,
    filter: &Filter,
    regions: Option<&Regions>,
) -> Result<(RegionSummary, Option<Vec<String>>)> {
    // The region the filter resolved, so the report names what it counted.
    let resolved = filter.region.as_ref().and_then(|key| {
        let (RegionKey::Admin1(code) | RegionKey::Admin2(code) | RegionKey::Custom(code)) = key;
        regions?.get(code)
    });
    if let (Some(r), Some(regions)) = (resolved, regions) {
        let mut codes = super::tally::region_codes(regions, r);
        if let Some(parent) = &r.parent {
            codes.push(parent.clone());
        }
        let level = match r.level {
            Level::Admin1 => "admin1",
            Level::Admin2 => "admin2",
            Level::Custom => "custom",
        };
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
    if let Some(c) = &a.filter.country {
        let c = c.to_ascii_uppercase();
        let codes = regions
            .map(|r| {
                r.list(Some(&c))
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
                country: Some(c),
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

pub fn run(ctx: &Ctx, a: Args) -> Result<()> {
    let store = ctx.reader()?;
    let format = a.format.unwrap_or_else(|| {
        match OutputFormat::default_for(std::io::IsTerminal::is_terminal(&std::io::stdout())) {
            OutputFormat::Table => ReportFormat::Table,
            _ => ReportFormat::Csv,
        }
    });
    let filter = a.filter.to_filter(ctx, &store, false)?;
    let needs_regions =
        a.filter.region.is_some() || a.filter.country.is_some() || format == ReportFormat::Geojson;
    // Polygons only for the GeoJSON map; names resolve regions otherwise.
    let regions = match (needs_regions, format == ReportFormat::Geojson) {
        (false, _) => None,
        (true, true) => Some(ctx.regions(&store)?),
        (true, false) => Some(ctx.region_names(&store)?),
    };
    let period = period(&a)?;
    let mut out = std::io::stdout().lock();

    if !a.group_by.is_empty() {
        let dims: Vec<Dim> = a
            .group_by
            .iter()
            .map(|d| Dim::parse(d))
            .collect::<Result<_>>()?;
        let mut f = filter.clone();
        if let Some(p) = period {
            f.from = Some(p.start);
            f.to = Some(p.end);
        }
        let rows = report::grouped(&store, &f, &dims)?;
        if rows.is_empty() {
            note("no incidents match these filters and period");
        }
        return match format {
            ReportFormat::Geojson => {
                let regions = regions
                    .as_ref()
                    .ok_or_else(|| Error::invalid("--format", "geojson", "regions"))?;
                incidents::formats::choropleth::write_grouped(&mut out, regions, &dims, &rows)
            }
            other => {
                let of = match other {
                    ReportFormat::Table => OutputFormat::Table,
                    ReportFormat::Markdown => OutputFormat::Markdown,
                    ReportFormat::Csv => OutputFormat::Csv,
                    _ => OutputFormat::Json,
                };
                let mut columns: Vec<&str> = dims.iter().map(|d| d.name()).collect();
                columns.extend([
                    "incidents",
                    "fatalities",
                    "fatalities_low",
                    "fatalities_high",
                    "fatalities_unknown",
                    "civilian_fatalities",
                ]);
                let mut w = incidents::formats::RowWriter::new(&mut out, of, &columns, a.raw);
                for r in &rows {
                    w.write(r)?;
                }
                w.finish()
            }
        };
    }

    let period = period.ok_or_else(|| {
        Error::invalid("period", "(none)", "--month YYYY-MM, --week YYYY-Www, --year YYYY or --from/--to (or --group-by over a range)")
    })?;
    let (summary, tally_codes) = scope(&a, &filter, regions.as_ref())?;
    let r = report::build(&store, &filter, summary, tally_codes.as_deref(), period)?;
    if r.incidents == 0 && r.overlapping_total == 0 && r.tallies.is_empty() {
        note(&format!(
            "no incidents in {} from {} to {}",
            r.region.name, period.start, period.end
        ));
    }
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &r)?;
            writeln!(out).map_err(io)
        }
        ReportFormat::Csv => incidents::formats::report::write_csv(&mut out, &r, a.raw),
        ReportFormat::Table => {
            incidents::formats::report::write_text(&mut out, &r, OutputFormat::Table)
        }
        ReportFormat::Markdown => {
            incidents::formats::report::write_text(&mut out, &r, OutputFormat::Markdown)
        }
        ReportFormat::Geojson => {
            let regions = regions
                .as_ref()
                .ok_or_else(|| Error::invalid("--format", "geojson", "regions"))?;
            let (dim, parent) = match (&r.region.level[..], &r.region.code) {
                ("admin1", Some(code))
                    if !regions
                        .list(None)
                        .iter()
                        .all(|x| x.parent.as_deref() != Some(code)) =>
                {
                    (Dim::Admin2, Some(code.clone()))
                }
                ("admin2", Some(_)) => (Dim::Admin2, None),
                _ => (Dim::Admin1, None),
            };
            let mut f = filter.clone();
            f.from = Some(period.start);
            f.to = Some(period.end);
            let rows = report::grouped(&store, &f, &[dim])?;
            incidents::formats::choropleth::write_report(
                &mut out,
                regions,
                &r,
                dim,
                parent.as_deref(),
                &rows,
            )
        }
    }
}
