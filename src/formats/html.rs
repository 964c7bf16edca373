//! A one-period `Report` as one self-contained HTML page: the headline
//! figures, the map and the chart (inline SVG), the breakdowns, the
//! reported tallies and the overlapping incidents. No script, no link to
//! the network; fonts inline; laid out for a screen and for A4 paper.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{Map, Value};

use crate::formats::plural;
use crate::formats::report::signed;
use crate::formats::svg::{FONT_FAMILY, escape, font_faces};
use crate::report::Report;

// The page's CSS selects by element as well as class (`p.note`), so it
// never restyles the inline pictures, whose SVG elements have classes too.

/// What the page shows beside the report.
pub struct Page<'a> {
    pub report: &'a Report,
    /// The map, an SVG document.
    pub map: &'a str,
    /// The chart of the preceding periods, an SVG document.
    pub chart: Option<&'a str>,
    /// Region names by code, for the breakdown by unit.
    pub names: &'a BTreeMap<String, String>,
    /// The sources of the boundaries, places and incidents.
    pub attribution: &'a str,
}

const STYLE: &str = "
:root{color:#1a1a1a;background:#fff}
body{font-family:FAMILY,sans-serif;margin:0 auto;max-width:60rem;padding:1.5rem;line-height:1.4}
h1{font-size:1.7rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ccc}
p.sub{color:#555;margin:0 0 1rem}
section.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.6rem;margin:1rem 0}
div.figure{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .8rem}
div.figure .value{font-size:1.6rem;font-weight:bold}div.figure .label{color:#444;font-size:.85rem}
figure{margin:1rem 0}figure svg{width:100%;height:auto;border:1px solid #eee}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0 1rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
p.note{color:#444;font-size:.85rem}
footer{margin-top:2rem;color:#555;font-size:.8rem;border-top:1px solid #ccc;padding-top:.6rem}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;padding:0;font-size:10pt}h2{break-after:avoid}
figure,table,section.figures{break-inside:avoid}figure svg{border:none}}
";

fn cell(s: &str) -> String {
    format!("<td>{}</td>", escape(s))
}

fn num_cell(v: impl std::fmt::Display) -> String {
    format!("<td class=\"n\">{v}</td>")
}

/// A JSON figure for people: null is "unknown", never 0.
fn figure(v: Option<&Value>) -> String {
    match v {
        Some(Value::Null) | None => "unknown".into(),
        Some(v) => v.to_string(),
    }
}

/// A table; the columns whose heading starts with `#` hold numbers.
fn table(out: &mut String, id: &str, heads: &[&str], rows: &[String]) {
    let _ = write!(out, "<table id=\"{id}\"><thead><tr>");
    for h in heads {
        let (class, h) = match h.strip_prefix('#') {
            Some(h) => (" class=\"n\"", h),
            None => ("", *h),
        };
        let _ = write!(out, "<th{class}>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        let _ = write!(out, "<tr>{r}</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// A breakdown of plain counts (by type, actor, week).
fn counts(out: &mut String, id: &str, title: &str, what: &str, m: &Map<String, Value>) {
    if m.is_empty() {
        return;
    }
    let _ = write!(out, "<h2>{}</h2>", escape(title));
    let rows: Vec<String> = m
        .iter()
        .map(|(k, v)| cell(k) + &num_cell(figure(Some(v))))
        .collect();
    table(out, id, &[what, "#incidents"], &rows);
}

/// The SVG of a picture without its XML declaration, to sit inline.
fn inline(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// The whole page.
pub fn page(p: &Page) -> String {
    let r = p.report;
    let title = format!("{}: {}", r.region.name, r.period.label());
    let mut out = String::with_capacity(256 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; font-src data:; img-src data:\">\
         <title>{}</title><style>{}{}</style></head><body>\n",
        escape(&title),
        font_faces(),
        STYLE.replace("FAMILY", &format!("\"{FONT_FAMILY}\""))
    );
    let _ = writeln!(
        out,
        "<header><h1>{}</h1><p class=\"sub\">{} to {}{}</p></header>",
        escape(&title),
        r.period.start,
        r.period.end,
        r.region
            .code
            .as_deref()
            .map(|c| format!(" · {} {}", escape(&r.region.level), escape(c)))
            .unwrap_or_default()
    );

    // Headline figures.
    let f = &r.fatalities;
    let p_ = &r.previous_period;
    let headline = [
        (
            r.incidents.to_string(),
            "incidents whose whole date span lies in the period".to_string(),
        ),
        (
            f.best.map_or("unknown".into(), |b| b.to_string()),
            format!(
                "fatalities, best estimates over {} of {}",
                f.known_incidents,
                plural(r.incidents, "incident", "incidents")
            ),
        ),
        (
            r.civilian_fatalities
                .map_or("unknown".into(), |c| c.to_string()),
            format!(
                "civilian fatalities (over {} of {})",
                r.civilian_known_incidents,
                plural(r.incidents, "incident", "incidents")
            ),
        ),
        (
            signed(p_.incidents_change),
            format!(
                "incidents against the previous period ({} to {}: {})",
                p_.start, p_.end, p_.incidents
            ),
        ),
        (
            r.overlapping_total.to_string(),
            "incidents only overlap the period (not counted)".to_string(),
        ),
    ];
    out.push_str("<section class=\"figures\">");
    for (value, label) in headline {
        let _ = write!(
            out,
            "<div class=\"figure\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
            escape(&value),
            escape(&label)
        );
    }
    out.push_str("</section>\n");
    if let Some(n) = r.awaiting_review.note() {
        let _ = write!(out, "<p class=\"note\">{}</p>", escape(&n));
    }
    if let Some(w) = &r.parent_without_district {
        let _ = write!(
            out,
            "<p class=\"note\">{} of {} in this period known only to the governorate: not counted in any district.</p>",
            plural(w.incidents, "incident", "incidents"),
            escape(&w.admin1_code)
        );
    }

    let _ = writeln!(
        out,
        "<h2>Map</h2><figure id=\"map\">{}</figure>",
        inline(p.map)
    );
    if let Some(chart) = p.chart {
        let _ = writeln!(
            out,
            "<h2>The preceding periods</h2><figure id=\"chart\">{}</figure>",
            inline(chart)
        );
    }

    // Breakdowns.
    counts(
        &mut out,
        "by-type",
        "By event type",
        "event type",
        &r.by_type,
    );
    counts(
        &mut out,
        "by-sub-type",
        "By sub-event type",
        "sub-event type",
        &r.by_sub_type,
    );
    for (id, title, m) in [
        ("by-admin1", "By governorate", &r.by_admin1),
        ("by-admin2", "By district", &r.by_admin2),
    ] {
        if m.is_empty() {
            continue;
        }
        let _ = write!(out, "<h2>{title}</h2>");
        let rows: Vec<String> = m
            .iter()
            .map(|(code, v)| {
                let name = p
                    .names
                    .get(code)
                    .map_or(code.clone(), |n| format!("{n} ({code})"));
                cell(&name)
                    + &num_cell(figure(v.get("incidents")))
                    + &num_cell(figure(v.get("fatalities")))
                    + &num_cell(figure(v.get("fatalities_known")))
            })
            .collect();
        table(
            &mut out,
            id,
            &[
                "unit",
                "#incidents",
                "#fatalities",
                "#incidents with a toll",
            ],
            &rows,
        );
    }
    counts(&mut out, "by-actor", "By actor", "actor", &r.by_actor);
    counts(&mut out, "by-week", "By ISO week", "week", &r.by_week);

    out.push_str("<h2>Figures the sources report</h2>");
    if r.tallies.is_empty() {
        out.push_str("<p class=\"note\">No reported tally for this region and period.</p>");
    } else {
        let rows: Vec<String> = r
            .tallies
            .iter()
            .map(|t| {
                cell(&t.metric)
                    + &num_cell(if t.value.fract() == 0.0 {
                        format!("{}", t.value as i64)
                    } else {
                        t.value.to_string()
                    })
                    + &cell(&format!("{} to {}", t.period_start, t.period_end))
                    + &cell(t.region.as_deref().unwrap_or(""))
                    + &cell(t.source.as_deref().unwrap_or(""))
                    + &cell(
                        match (t.coverage, t.derived) {
                            (c, true) => format!("{c}, derived"),
                            (c, false) => c.to_string(),
                        }
                        .as_str(),
                    )
            })
            .collect();
        table(
            &mut out,
            "tallies",
            &["metric", "#value", "period", "region", "source", "coverage"],
            &rows,
        );
        out.push_str(
            "<p class=\"note\">Reported figures are shown beside the counted incidents, never added to them.</p>",
        );
    }

    if !r.overlapping.is_empty() {
        out.push_str("<h2>Incidents that only overlap the period (not counted)</h2>");
        let rows: Vec<String> = r
            .overlapping
            .iter()
            .map(|o| {
                cell(o.uid.as_deref().unwrap_or(""))
                    + &cell(o.title.as_deref().unwrap_or(""))
                    + &cell(&o.event_type)
                    + &cell(&format!("{} to {}", o.date_start, o.date_end))
                    + &cell(o.place.as_deref().unwrap_or(""))
                    + &num_cell(o.fatalities.map_or("unknown".into(), |f| f.to_string()))
            })
            .collect();
        table(
            &mut out,
            "overlapping",
            &["uid", "title", "type", "date span", "place", "#fatalities"],
            &rows,
        );
        if r.overlapping_total > r.overlapping.len() as u64 {
            let _ = write!(
                out,
                "<p class=\"note\">The first {} of {} are listed.</p>",
                r.overlapping.len(),
                r.overlapping_total
            );
        }
    }

    let _ = write!(
        out,
        "<footer><p>Counting rule: an incident counts in the period only when its whole date span \
         lies inside it; one whose span only overlaps the period is listed, not counted. Fatality \
         sums cover the incidents with a best estimate; an unknown toll is never 0.</p><p>{}</p>\
         <p>Made with incidents {}.</p></footer>\n</body></html>\n",
        escape(p.attribution),
        env!("CARGO_PKG_VERSION")
    );
    out
}
