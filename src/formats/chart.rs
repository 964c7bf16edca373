//! Draws a [`ChartData`] as an SVG: stacked bars per period on an axis of
//! whole numbers, the figures the sources report as markers beside them, a
//! legend, the notes on what the bars leave out, and the sources. It runs
//! no query: everything it says comes from the `ChartData`.

use crate::chart::{By, ChartData, ReportedFigure, Stack};
use crate::formats::palette;
use crate::formats::plural;
use crate::formats::svg::{
    Anchor, LEGEND_HEAD, LEGEND_NOTE, LEGEND_TEXT, Svg, TextStyle, num, text_width, wrap,
};
use crate::map::Measure;

/// Picture size and title, as the user asked.
#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub title: Option<String>,
}

const MARGIN: f64 = 16.0;
const LEGEND_WIDTH: f64 = 230.0;
const HEADER: f64 = 78.0;
/// Room left of the plot for the value labels.
const AXIS_LEFT: f64 = 48.0;
/// Room under the plot for the period labels.
const AXIS_BOTTOM: f64 = 30.0;
const NOTE_SIZE: f64 = 10.5;
const SOURCE_SIZE: f64 = 10.0;
/// Reported figures listed by name under the chart; more are counted.
const FIGURES_LISTED: usize = 4;
/// The plot keeps at least this share of the picture's height; notes
/// beyond it are cut (the last line says so).
const MIN_PLOT_SHARE: f64 = 0.4;

/// The default title: region, measure, periods and range.
pub fn title(c: &ChartData) -> String {
    let range = match (c.bars.first(), c.bars.last()) {
        (Some(a), Some(b)) if a != b => format!("{} – {}", a.bucket.label(), b.bucket.label()),
        (Some(a), _) => a.bucket.label(),
        _ => format!("{} – {}", c.asked.0, c.asked.1),
    };
    format!(
        "{}: {} per {}, {range}",
        c.region.name,
        c.measure.name(),
        c.by.name()
    )
}

/// A reported value as written: 38, or 2.5.
fn figure_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

fn publisher(f: &ReportedFigure) -> &str {
    f.tally
        .source
        .as_ref()
        .map_or("source not recorded", |s| s.publisher.as_str())
}

/// Whole-number ticks from 0 covering `max`: a step of 1, 2 or 5 times a
/// power of ten, about five of them.
pub fn ticks(max: f64) -> Vec<u64> {
    let max = max.max(1.0);
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|f| f * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
        .round()
        .max(1.0) as u64;
    let top = (max / step as f64).ceil() as u64 * step;
    (0..=top / step).map(|i| i * step).collect()
}

/// The notes under a chart: what the bars leave out and why, and the
/// reported figures that are not drawn.
pub fn notes(c: &ChartData) -> Vec<String> {
    let by = c.by.name();
    let periods = match c.by {
        By::Week => "weeks",
        By::Month => "months",
        By::Year => "years",
    };
    let mut notes = Vec::new();
    let spanning_toll = if c.measure == Measure::Fatalities && c.spanning > 0 {
        format!(
            " ({})",
            plural(c.spanning_fatalities, "fatality", "fatalities")
        )
    } else {
        String::new()
    };
    notes.push(format!(
        "Counted: incidents whose whole date span lies in one {by}, in that {by}'s bar. \
         {} from {} to {} {} several {periods}: counted in no bar, never given a date{spanning_toll}. \
         {} more only {} the range: not counted.",
        plural(c.spanning, "more incident", "more incidents"),
        c.start(),
        c.end(),
        if c.spanning == 1 { "spans" } else { "span" },
        c.overlapping,
        if c.overlapping == 1 { "overlaps" } else { "overlap" },
    ));
    if c.widened() {
        notes.push(format!(
            "The range asked, {} to {}, is drawn as whole {periods}: {} to {}.",
            c.asked.0,
            c.asked.1,
            c.start(),
            c.end()
        ));
    }
    let unknown = c.fatalities().unknown_incidents;
    if c.measure == Measure::Fatalities && unknown > 0 {
        notes.push(format!(
            "Fatalities are best estimates summed; {} counted without an estimate {} nothing \
             (a bar of such incidents alone is marked ?).",
            plural(unknown, "incident", "incidents"),
            if unknown == 1 { "adds" } else { "add" }
        ));
    }
    if c.stack == Stack::Actor {
        notes.push(
            "By actor, an incident counts under each of its actors (once when both sides are the \
             same group), so a bar can be higher than its period's incidents."
                .into(),
        );
    }
    if let Some(n) = c.awaiting_review.note() {
        let mut n = n;
        if let Some(first) = n.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        notes.push(format!("{n}."));
    }
    let listed: Vec<&ReportedFigure> = c.figures.iter().filter(|f| f.bar.is_none()).collect();
    for f in listed.iter().take(FIGURES_LISTED) {
        let t = &f.tally;
        let place = t
            .region
            .as_deref()
            .or(t.region_code.as_deref())
            .unwrap_or("an unnamed area");
        let mut why = Vec::new();
        if f.spans_periods {
            why.push(format!("its period is not one {by} of the chart"));
        }
        if f.other_scope {
            why.push(format!("it counts {place}, not {}", c.region.name));
        }
        let why = why.join(", and ");
        notes.push(format!(
            "Reported, not drawn: {} {}{} in {place}, {} to {} ({}): {why}.",
            figure_value(t.value),
            t.metric,
            if t.derived { " (derived)" } else { "" },
            t.period_start,
            t.period_end,
            publisher(f),
        ));
    }
    if listed.len() > FIGURES_LISTED {
        notes.push(format!(
            "{} reported figures not drawn: see `incidents report`.",
            listed.len() - FIGURES_LISTED
        ));
    }
    if !c.other_metrics.is_empty() {
        let parts: Vec<String> = c
            .other_metrics
            .iter()
            .map(|m| match Measure::for_tally_metric(m) {
                Some(other) => format!("{m} (with --measure {})", other.name()),
                None => format!("{m} (comparable with neither measure)"),
            })
            .collect();
        notes.push(format!(
            "Also reported for these periods, not drawn: {}.",
            parts.join("; ")
        ));
    }
    notes
}

/// The sources of the incidents and of the reported figures.
pub fn sources_text(c: &ChartData) -> String {
    let incidents = if c.publishers.is_empty() {
        "no source recorded".to_string()
    } else {
        c.publishers.join(", ")
    };
    let figures = c.figure_sources();
    let reported = if figures.is_empty() {
        String::new()
    } else {
        format!(" Reported figures: {}.", figures.join(", "))
    };
    format!("Incidents: {incidents}.{reported} Made with incidents.")
}

/// The colour of a category of the stack.
fn colour(c: &ChartData, i: usize) -> &'static str {
    let cat = &c.categories[i];
    if cat.other {
        palette::OTHER
    } else if c.stack == Stack::Type {
        palette::event_type_colour(&cat.label)
    } else {
        palette::category_colour(i)
    }
}

/// A marker's outline, one shape per metric: diamond, triangle, square,
/// circle.
fn marker_path(shape: usize, x: f64, y: f64, r: f64) -> String {
    match shape % 4 {
        0 => format!(
            "M{},{}L{},{}L{},{}L{},{}Z",
            num(x),
            num(y - r),
            num(x + r),
            num(y),
            num(x),
            num(y + r),
            num(x - r),
            num(y)
        ),
        1 => format!(
            "M{},{}L{},{}L{},{}Z",
            num(x),
            num(y - r),
            num(x + r),
            num(y + 0.8 * r),
            num(x - r),
            num(y + 0.8 * r)
        ),
        2 => {
            let s = 0.8 * r;
            format!(
                "M{},{}H{}V{}H{}Z",
                num(x - s),
                num(y - s),
                num(x + s),
                num(y + s),
                num(x - s)
            )
        }
        _ => {
            let s = 0.85 * r;
            format!(
                "M{},{}a{},{} 0 1,0 {},0a{},{} 0 1,0 {},0Z",
                num(x - s),
                num(y),
                num(s),
                num(s),
                num(2.0 * s),
                num(s),
                num(s),
                num(-2.0 * s)
            )
        }
    }
}

/// How a marker is painted: solid for a stated figure, hollow and dashed
/// for a derived one.
fn marker_paint(derived: bool) -> [(&'static str, &'static str); 4] {
    if derived {
        [
            ("fill", "#ffffff"),
            ("stroke", "#000000"),
            ("stroke-width", "1.4"),
            ("stroke-dasharray", "2 1.5"),
        ]
    } else {
        [
            ("fill", "#000000"),
            ("stroke", "#ffffff"),
            ("stroke-width", "1.2"),
            ("stroke-dasharray", "none"),
        ]
    }
}

/// The metrics of the drawn figures, in order of appearance: each gets a
/// marker shape.
fn drawn_metrics(c: &ChartData) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for f in c.figures.iter().filter(|f| f.bar.is_some()) {
        if !out.contains(&f.tally.metric.as_str()) {
            out.push(&f.tally.metric);
        }
    }
    out
}

/// Draws the chart as an SVG document.
pub fn draw(c: &ChartData, layout: &Layout) -> String {
    let (width, height) = (layout.width, layout.height);
    let mut svg = Svg::new(width, height);
    let title = layout.title.clone().unwrap_or_else(|| title(c));
    header(&mut svg, c, &title, width);

    // The notes and sources take what they need under the plot, up to
    // what leaves the plot its share of the height.
    let text_width = width - 2.0 * MARGIN;
    let mut note_lines: Vec<String> = notes(c)
        .iter()
        .flat_map(|n| wrap(n, text_width, NOTE_SIZE, false))
        .collect();
    let source_lines = wrap(&sources_text(c), text_width, SOURCE_SIZE, false);
    let line = |size: f64| size * 1.3;
    let room = height * (1.0 - MIN_PLOT_SHARE)
        - HEADER
        - AXIS_BOTTOM
        - source_lines.len() as f64 * line(SOURCE_SIZE)
        - 24.0;
    let fit = (room / line(NOTE_SIZE)).floor().max(1.0) as usize;
    if note_lines.len() > fit {
        note_lines.truncate(fit.saturating_sub(1));
        note_lines.push("(more notes than fit: see `incidents report`)".into());
    }
    let footer = note_lines.len() as f64 * line(NOTE_SIZE)
        + source_lines.len() as f64 * line(SOURCE_SIZE)
        + 24.0;

    let plot_x = MARGIN + AXIS_LEFT;
    let plot_y = HEADER + 20.0;
    let plot_w = (width - plot_x - 2.0 * MARGIN - LEGEND_WIDTH).max(100.0);
    let plot_h = (height - plot_y - AXIS_BOTTOM - footer).max(80.0);
    let plot = Plot {
        x: plot_x,
        y: plot_y,
        w: plot_w,
        h: plot_h,
        top: 1.0,
    };
    let max = c
        .bars
        .iter()
        .map(|b| b.height() as f64)
        .chain(
            c.figures
                .iter()
                .filter(|f| f.bar.is_some())
                .map(|f| f.tally.value),
        )
        .fold(0.0, f64::max);
    let ticks = ticks(max);
    let plot = Plot {
        top: ticks.last().copied().unwrap_or(1).max(1) as f64,
        ..plot
    };

    axes(&mut svg, c, &plot, &ticks);
    bars(&mut svg, c, &plot);
    figures(&mut svg, c, &plot);
    legend(&mut svg, c, width - MARGIN - LEGEND_WIDTH, plot_y);

    let mut y = plot_y + plot_h + AXIS_BOTTOM + 14.0;
    let note_style = TextStyle {
        fill: "#333",
        ..TextStyle::plain(NOTE_SIZE)
    };
    svg.open(
        "g",
        &[
            ("class", "notes"),
            ("data-spanning", &c.spanning.to_string()),
            ("data-overlapping", &c.overlapping.to_string()),
            (
                "data-awaiting-review",
                &c.awaiting_review.incidents.to_string(),
            ),
        ],
    );
    for l in &note_lines {
        svg.text(MARGIN, y, note_style, l, &[("class", "note")]);
        y += line(NOTE_SIZE);
    }
    svg.close("g");
    let source_style = TextStyle {
        fill: "#555",
        ..TextStyle::plain(SOURCE_SIZE)
    };
    y += 6.0;
    svg.open("g", &[("class", "sources")]);
    for l in &source_lines {
        svg.text(MARGIN, y, source_style, l, &[]);
        y += line(SOURCE_SIZE);
    }
    svg.close("g");
    svg.finish(&title)
}

/// The plot's box and the value at its top.
struct Plot {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    top: f64,
}

impl Plot {
    fn y_of(&self, v: f64) -> f64 {
        self.y + self.h - v / self.top * self.h
    }

    /// The width of a period's slot.
    fn slot(&self, n: usize) -> f64 {
        self.w / n.max(1) as f64
    }
}

fn header(svg: &mut Svg, c: &ChartData, title: &str, width: f64) {
    let room = width - 2.0 * MARGIN;
    let size = (21.0 * room / text_width(title, 21.0, true).max(1.0)).clamp(11.0, 21.0);
    let bold = TextStyle {
        bold: true,
        ..TextStyle::plain(size)
    };
    svg.text(MARGIN, 34.0, bold, title, &[("class", "title")]);
    let f = c.fatalities();
    let fatalities = match f.best {
        Some(best) if f.unknown_incidents > 0 => format!(
            "{} (best estimates of {} of them)",
            plural(best, "fatality", "fatalities"),
            f.known_incidents
        ),
        Some(best) => plural(best, "fatality", "fatalities"),
        None => "fatalities unknown".into(),
    };
    let line = format!(
        "{} counted in the bars, {fatalities}; {} to {} by {}, stacked by {}",
        plural(c.incidents(), "incident", "incidents"),
        c.start(),
        c.end(),
        c.by.name(),
        c.stack.heading().to_lowercase()
    );
    let sub = TextStyle {
        fill: "#444",
        ..TextStyle::plain(13.0)
    };
    svg.paragraph(MARGIN, 56.0, room, sub, &line);
}

fn axes(svg: &mut Svg, c: &ChartData, plot: &Plot, ticks: &[u64]) {
    let small = TextStyle {
        anchor: Anchor::End,
        fill: "#444",
        ..TextStyle::plain(11.0)
    };
    svg.open("g", &[("class", "y-axis")]);
    for t in ticks {
        let y = plot.y_of(*t as f64);
        svg.line(
            plot.x,
            y,
            plot.x + plot.w,
            y,
            &[
                ("stroke", if *t == 0 { "#555" } else { "#dddddd" }),
                ("stroke-width", if *t == 0 { "1" } else { "0.7" }),
            ],
        );
        svg.text(
            plot.x - 6.0,
            y + 4.0,
            small,
            &t.to_string(),
            &[("class", "tick")],
        );
    }
    let unit = match c.measure {
        Measure::Incidents => "Incidents",
        Measure::Fatalities => "Fatalities",
    };
    svg.text(
        MARGIN,
        plot.y - 12.0,
        TextStyle {
            fill: "#444",
            ..TextStyle::plain(11.0)
        },
        &format!("{unit} per {}", c.by.name()),
        &[("class", "axis-title")],
    );
    svg.close("g");

    // Period labels, thinned to every k-th so that none overlaps.
    let n = c.bars.len();
    let slot = plot.slot(n);
    let size = 11.0;
    let widest = c
        .bars
        .iter()
        .map(|b| text_width(&b.bucket.label(), size, false))
        .fold(0.0, f64::max);
    let every = ((widest + 10.0) / slot).ceil().max(1.0) as usize;
    let style = TextStyle {
        anchor: Anchor::Middle,
        fill: "#333",
        ..TextStyle::plain(size)
    };
    let base = plot.y + plot.h;
    svg.open("g", &[("class", "x-axis")]);
    for (i, b) in c.bars.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let x = plot.x + (i as f64 + 0.5) * slot;
        svg.line(x, base, x, base + 4.0, &[("stroke", "#555")]);
        svg.text(
            x,
            base + 17.0,
            style,
            &b.bucket.label(),
            &[("class", "period-label")],
        );
    }
    svg.close("g");
}

fn bars(svg: &mut Svg, c: &ChartData, plot: &Plot) {
    let slot = plot.slot(c.bars.len());
    let bar_w = (slot * 0.72).max(1.0);
    let separate = bar_w > 6.0;
    let total_style = TextStyle {
        anchor: Anchor::Middle,
        fill: "#222",
        ..TextStyle::plain(10.5)
    };
    svg.open("g", &[("class", "bars")]);
    for (i, b) in c.bars.iter().enumerate() {
        let label = b.bucket.label();
        let x = plot.x + i as f64 * slot + (slot - bar_w) / 2.0;
        svg.open(
            "g",
            &[
                ("class", "period"),
                ("data-period", &b.bucket.key()),
                ("data-start", &b.bucket.start.to_string()),
                ("data-end", &b.bucket.end.to_string()),
                ("data-incidents", &b.incidents.to_string()),
                ("data-fatalities", &b.fatalities.to_string()),
                ("data-value", &b.height().to_string()),
            ],
        );
        let mut below = 0u64;
        for (k, v) in b.values.iter().enumerate().filter(|(_, v)| **v > 0) {
            let (y_top, y_bottom) = (plot.y_of((below + v) as f64), plot.y_of(below as f64));
            below += v;
            let cat = &c.categories[k];
            let (rx, ry, rw, rh) = (num(x), num(y_top), num(bar_w), num(y_bottom - y_top));
            let (period, value) = (b.bucket.key(), v.to_string());
            // The grouped report's key of the category, for comparing.
            let key = match (&cat.key, cat.other) {
                (_, true) => "(other)",
                (Some(k), false) => k.as_str(),
                (None, false) => c.stack.dim().null_label(),
            };
            let mut attrs = vec![
                ("class", "bar"),
                ("x", rx.as_str()),
                ("y", ry.as_str()),
                ("width", rw.as_str()),
                ("height", rh.as_str()),
                ("fill", colour(c, k)),
                ("data-period", period.as_str()),
                ("data-stack", cat.label.as_str()),
                ("data-key", key),
                ("data-value", value.as_str()),
            ];
            if separate {
                attrs.extend([("stroke", "#ffffff"), ("stroke-width", "0.6")]);
            }
            svg.open("rect", &attrs);
            svg.element(
                "title",
                &[],
                &format!(
                    "{label}, {}: {}",
                    cat.label,
                    plural(*v, measure_one(c.measure), c.measure.name())
                ),
            );
            svg.close("rect");
        }
        let total = b.height();
        if c.measure == Measure::Fatalities && b.incidents > 0 && b.fatalities_known == 0 {
            // Incidents whose tolls are all unknown: not a quiet period.
            svg.open(
                "text",
                &[
                    ("class", "unknown"),
                    ("x", &num(x + bar_w / 2.0)),
                    ("y", &num(plot.y_of(0.0) - 4.0)),
                    ("font-size", "12"),
                    ("font-weight", "bold"),
                    ("fill", "#555"),
                    ("text-anchor", "middle"),
                ],
            );
            svg.element(
                "title",
                &[],
                &format!(
                    "{label}: {}, fatalities unknown",
                    plural(b.incidents, "incident", "incidents")
                ),
            );
            svg.element("tspan", &[], "?");
            svg.close("text");
        }
        let text = total.to_string();
        if total > 0 && text_width(&text, total_style.size, false) + 2.0 < slot {
            svg.text(
                x + bar_w / 2.0,
                plot.y_of(total as f64) - 4.0,
                total_style,
                &text,
                &[("class", "bar-total")],
            );
        }
        svg.close("g");
    }
    svg.close("g");
}

/// The reported figures at their bars: one marker shape per metric, solid
/// when stated and hollow when derived, with the value beside it.
fn figures(svg: &mut Svg, c: &ChartData, plot: &Plot) {
    let metrics = drawn_metrics(c);
    let slot = plot.slot(c.bars.len());
    let label_style = TextStyle {
        fill: "#000",
        bold: true,
        ..TextStyle::plain(11.0)
    };
    svg.open(
        "g",
        &[
            ("class", "tallies"),
            ("stroke-linejoin", "round"),
            ("paint-order", "stroke"),
        ],
    );
    for (i, bar) in c.bars.iter().enumerate() {
        let here: Vec<&ReportedFigure> = c.figures.iter().filter(|f| f.bar == Some(i)).collect();
        for (k, f) in here.iter().enumerate() {
            let t = &f.tally;
            // Several figures of one period side by side across its slot.
            let x = plot.x + i as f64 * slot + slot * (k as f64 + 1.0) / (here.len() as f64 + 1.0);
            let y = plot.y_of(t.value);
            let shape = metrics.iter().position(|m| *m == t.metric).unwrap_or(0);
            let value = figure_value(t.value);
            let d = marker_path(shape, x, y, 6.5);
            let mut attrs = vec![
                ("class", "tally"),
                ("d", d.as_str()),
                ("data-value", value.as_str()),
                ("data-metric", t.metric.as_str()),
                ("data-source", publisher(f)),
                ("data-derived", if t.derived { "true" } else { "false" }),
            ];
            let period = bar.bucket.key();
            attrs.push(("data-period", &period));
            attrs.extend(marker_paint(t.derived));
            svg.open("path", &attrs);
            svg.element(
                "title",
                &[],
                &format!(
                    "{value} {}{}, {} to {}: {}",
                    t.metric,
                    if t.derived { " (derived)" } else { "" },
                    t.period_start,
                    t.period_end,
                    publisher(f)
                ),
            );
            svg.close("path");
            let label = if t.derived {
                format!("{value} (derived)")
            } else {
                value
            };
            svg.text(
                x + 9.0,
                y + 4.0,
                label_style,
                &label,
                &[
                    ("class", "tally-label"),
                    ("stroke", "#ffffff"),
                    ("stroke-width", "3"),
                ],
            );
        }
    }
    svg.close("g");
}

fn legend(svg: &mut Svg, c: &ChartData, x: f64, y: f64) {
    let (head, small, note) = (LEGEND_HEAD, LEGEND_TEXT, LEGEND_NOTE);
    svg.open("g", &[("class", "legend")]);
    let mut y = y + 10.0;
    svg.text(x, y, head, c.stack.heading(), &[]);
    y += 8.0;
    if c.categories.is_empty() {
        y += 14.0;
        svg.text(
            x,
            y,
            note,
            &format!("No {} in these periods", c.measure.name()),
            &[],
        );
        y += 6.0;
    }
    // Top of the legend is top of the stack.
    for i in (0..c.categories.len()).rev() {
        let cat = &c.categories[i];
        svg.rect(
            x,
            y,
            14.0,
            14.0,
            &[
                ("fill", colour(c, i)),
                ("stroke", "#4d4d4d"),
                ("stroke-width", "0.5"),
                ("class", "stack-swatch"),
            ],
        );
        let lines = wrap(&cat.label, LEGEND_WIDTH - 24.0, small.size, false);
        let mut ly = y + 11.5;
        for l in &lines {
            svg.text(
                x + 22.0,
                ly,
                small,
                l,
                &[("class", "stack-key"), ("data-stack", cat.label.as_str())],
            );
            ly += 14.0;
        }
        y += (lines.len().max(1) as f64 * 14.0).max(18.0) + 2.0;
    }

    let metrics = drawn_metrics(c);
    if !metrics.is_empty() {
        y += 14.0;
        svg.text(x, y, head, "Reported by sources", &[]);
        y += 6.0;
        for (shape, metric) in metrics.iter().enumerate() {
            let mut sources: Vec<&str> = Vec::new();
            for f in c.figures.iter().filter(|f| f.bar.is_some()) {
                if f.tally.metric == *metric && !sources.contains(&publisher(f)) {
                    sources.push(publisher(f));
                }
            }
            y += 16.0;
            let paint = marker_paint(false);
            let d = marker_path(shape, x + 7.0, y - 4.0, 6.0);
            let mut attrs = vec![("d", d.as_str()), ("class", "tally-key")];
            attrs.extend(paint);
            svg.empty("path", &attrs);
            svg.text(x + 22.0, y, small, metric, &[("class", "tally-metric")]);
            y = svg.paragraph(
                x + 22.0,
                y + 13.0,
                LEGEND_WIDTH - 22.0,
                note,
                &sources.join("; "),
            ) - 10.0;
        }
        if c.figures.iter().any(|f| f.bar.is_some() && f.tally.derived) {
            y += 18.0;
            let d = marker_path(0, x + 7.0, y - 4.0, 6.0);
            let mut attrs = vec![("d", d.as_str()), ("class", "derived-key")];
            attrs.extend(marker_paint(true));
            svg.empty("path", &attrs);
            svg.paragraph(
                x + 22.0,
                y,
                LEGEND_WIDTH - 22.0,
                note,
                "hollow: derived, computed from the source's words, not stated",
            );
        }
    }
    svg.close("g");
}

/// The singular of the measure's noun ("incident", "fatality").
fn measure_one(m: Measure) -> &'static str {
    match m {
        Measure::Incidents => "incident",
        Measure::Fatalities => "fatality",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_whole_and_cover_the_maximum() {
        assert_eq!(ticks(0.0), vec![0, 1]);
        assert_eq!(ticks(3.0), vec![0, 1, 2, 3]);
        assert_eq!(ticks(38.0), vec![0, 10, 20, 30, 40]);
        assert_eq!(ticks(7.0), vec![0, 2, 4, 6, 8]);
        for max in [1.0, 9.0, 11.0, 99.0, 101.0, 1234.0, 987_654.0] {
            let t = ticks(max);
            assert!(*t.last().unwrap() as f64 >= max, "{max}: {t:?}");
            assert!(t.len() <= 11, "{max}: {t:?}");
        }
    }

    #[test]
    fn markers_are_closed_paths() {
        for shape in 0..4 {
            let d = marker_path(shape, 10.0, 10.0, 6.0);
            assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
        }
        assert_eq!(figure_value(38.0), "38");
        assert_eq!(figure_value(2.5), "2.5");
    }
}
