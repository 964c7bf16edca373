//! Draws a [`MapData`] as an SVG choropleth: the units shaded by class,
//! the incidents as marks coloured by event type and sized by fatalities,
//! neighbours in grey, a legend, a scale bar and the sources. It runs no
//! query: everything it says comes from the `MapData`.

use geo::{BoundingRect, Coord, Intersects, MultiPolygon, Rect};

use crate::formats::palette::{self, Classes};
use crate::formats::plural;
use crate::formats::svg::{
    Anchor, LEGEND_HEAD, LEGEND_NOTE, LEGEND_TEXT, Svg, TextStyle, num, text_width, wrap,
};
use crate::geo::Level;
use crate::group::Dim;
use crate::map::{MapData, Measure, extent};

/// Picture size and title, as the user asked.
#[derive(Debug, Clone)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub title: Option<String>,
    pub points: bool,
}

const MARGIN: f64 = 16.0;
const LEGEND_WIDTH: f64 = 250.0;
const HEADER: f64 = 78.0;
const FOOTER: f64 = 58.0;
/// Vertices closer than this (pixels) to the last one drawn are dropped.
const MIN_STEP: f64 = 0.8;
/// At most this many places are labelled (more would hide the map).
const PLACE_LABELS: usize = 12;

/// Equirectangular projection scaled by the cosine of the centre latitude
/// (true to scale near the centre, good for a province or a country),
/// fitted into a box with a margin.
struct Projection {
    cos: f64,
    lon0: f64,
    lat0: f64,
    scale: f64,
    cx: f64,
    cy: f64,
}

impl Projection {
    fn fit(view: Rect<f64>, x: f64, y: f64, w: f64, h: f64) -> Projection {
        let lat0 = view.center().y;
        let cos = lat0.to_radians().cos().max(0.1);
        let span_x = (view.width() * cos).max(1e-6);
        let span_y = view.height().max(1e-6);
        let scale = (w / span_x).min(h / span_y) * 0.92;
        Projection {
            cos,
            lon0: view.center().x,
            lat0,
            scale,
            cx: x + w / 2.0,
            cy: y + h / 2.0,
        }
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.cx + (lon - self.lon0) * self.cos * self.scale,
            self.cy - (lat - self.lat0) * self.scale,
        )
    }

    /// The area of the map in degrees (for choosing context).
    fn view(&self, w: f64, h: f64) -> Rect<f64> {
        let dx = w / 2.0 / self.scale / self.cos;
        let dy = h / 2.0 / self.scale;
        Rect::new(
            Coord {
                x: self.lon0 - dx,
                y: self.lat0 - dy,
            },
            Coord {
                x: self.lon0 + dx,
                y: self.lat0 + dy,
            },
        )
    }

    /// Kilometres per pixel (111.32 km a degree of latitude).
    fn km_per_px(&self) -> f64 {
        111.32 / self.scale
    }

    fn path(&self, shape: &MultiPolygon<f64>) -> String {
        let mut d = String::new();
        for polygon in shape {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let mut last: Option<(f64, f64)> = None;
                for c in ring.coords() {
                    let (x, y) = self.xy(c.x, c.y);
                    // A vertex within a pixel of the last adds nothing seen.
                    if let Some((lx, ly)) = last {
                        if (x - lx).hypot(y - ly) < MIN_STEP {
                            continue;
                        }
                        d.push('L');
                    } else {
                        d.push('M');
                    }
                    d.push_str(&num(x));
                    d.push(',');
                    d.push_str(&num(y));
                    last = Some((x, y));
                }
                d.push('Z');
            }
        }
        d
    }
}

/// The unit noun of a level ("district", "governorate").
fn unit_noun(level: Dim, many: bool) -> &'static str {
    match (level, many) {
        (Dim::Admin2, false) => "district",
        (Dim::Admin2, true) => "districts",
        (_, false) => "province",
        (_, true) => "provinces",
    }
}

/// The default title: region, measure, period.
pub fn title(m: &MapData) -> String {
    format!(
        "{}: {} in {}",
        m.region.name,
        m.measure.name(),
        m.period.label()
    )
}

/// A mark's radius: the area grows with the toll, so 40 dead look
/// bigger than 4 without hiding the map.
fn radius(fatalities: Option<u64>) -> f64 {
    let f = fatalities.unwrap_or(0) as f64;
    (3.0 + 1.6 * f.sqrt()).min(22.0)
}

/// Draws the map as an SVG document.
pub fn draw(m: &MapData, layout: &Layout) -> String {
    let (width, height) = (layout.width, layout.height);
    let mut svg = Svg::new(width, height);
    let title = layout.title.clone().unwrap_or_else(|| title(m));
    let plot = (
        MARGIN,
        HEADER,
        (width - 3.0 * MARGIN - LEGEND_WIDTH).max(100.0),
        (height - HEADER - FOOTER).max(100.0),
    );

    header(&mut svg, m, &title, width);

    let values: Vec<u64> = m.units.iter().map(|u| m.measure.of(&u.figures)).collect();
    let classes = Classes::of(&values);
    let view = extent(m.units.iter().map(|u| u.region))
        .or_else(|| m.outline.and_then(|r| r.geometry.bounding_rect()))
        .unwrap_or(Rect::new(
            Coord { x: 35.0, y: 32.0 },
            Coord { x: 37.0, y: 34.0 },
        ));
    let proj = Projection::fit(view, plot.0, plot.1, plot.2, plot.3);

    svg.open("clipPath", &[("id", "plot")]);
    svg.rect(plot.0, plot.1, plot.2, plot.3, &[]);
    svg.close("clipPath");
    svg.rect(plot.0, plot.1, plot.2, plot.3, &[("fill", "#f4f7fa")]);
    svg.open("g", &[("clip-path", "url(#plot)")]);
    context(&mut svg, m, &proj, proj.view(plot.2, plot.3));
    units(&mut svg, m, &proj, &classes);
    if let Some(outline) = m.outline {
        svg.empty(
            "path",
            &[
                ("class", "outline"),
                ("d", &proj.path(&outline.geometry)),
                ("fill", "none"),
                ("stroke", "#000"),
                ("stroke-width", "1.6"),
                ("stroke-dasharray", "5 3"),
            ],
        );
    }
    unit_labels(&mut svg, m, &proj);
    if layout.points {
        points(&mut svg, m, &proj);
    }
    svg.close("g");
    svg.rect(
        plot.0,
        plot.1,
        plot.2,
        plot.3,
        &[
            ("fill", "none"),
            ("stroke", "#888"),
            ("stroke-width", "0.8"),
        ],
    );
    scale_bar(
        &mut svg,
        &proj,
        plot.0 + 12.0,
        plot.1 + plot.3 - 14.0,
        plot.2 / 4.0,
    );
    legend(
        &mut svg,
        m,
        &classes,
        layout,
        width - MARGIN - LEGEND_WIDTH,
        HEADER,
    );
    attribution(&mut svg, m, width, height);
    svg.finish(&title)
}

fn header(svg: &mut Svg, m: &MapData, title: &str, width: f64) {
    let bold = TextStyle {
        bold: true,
        ..TextStyle::plain(21.0)
    };
    svg.text(MARGIN, 34.0, bold, title, &[("class", "title")]);
    let fatalities = match m.fatalities.best {
        Some(f) if m.fatalities.unknown_incidents > 0 => format!(
            "{} (best estimates of {} of {})",
            plural(f, "fatality", "fatalities"),
            m.fatalities.known_incidents,
            m.incidents
        ),
        Some(f) => plural(f, "fatality", "fatalities"),
        None => "fatalities unknown".into(),
    };
    let line = format!(
        "{} counted, {fatalities}; {} to {}",
        plural(m.incidents, "incident", "incidents"),
        m.period.start,
        m.period.end
    );
    let sub = TextStyle {
        fill: "#444",
        ..TextStyle::plain(13.0)
    };
    svg.paragraph(MARGIN, 56.0, width - 2.0 * MARGIN, sub, &line);
}

/// Neighbouring units and countries in grey: every region of the units'
/// level or above whose box meets the view, under the units.
fn context(svg: &mut Svg, m: &MapData, proj: &Projection, view: Rect<f64>) {
    let shown: std::collections::HashSet<&str> =
        m.units.iter().map(|u| u.region.code.as_str()).collect();
    svg.open(
        "g",
        &[
            ("class", "context"),
            ("fill", palette::CONTEXT_FILL),
            ("stroke", palette::CONTEXT_STROKE),
            ("stroke-width", "0.6"),
        ],
    );
    let neighbours = m.regions.list(None).into_iter().filter(|r| {
        let level_ok = match r.level {
            Level::Admin1 => true,
            Level::Admin2 => m.level == Dim::Admin2,
            Level::Custom => false,
        };
        level_ok
            && !shown.contains(r.code.as_str())
            && r.geometry
                .bounding_rect()
                .is_some_and(|b| b.intersects(&view))
    });
    for r in neighbours {
        svg.empty(
            "path",
            &[("d", &proj.path(&r.geometry)), ("data-code", &r.code)],
        );
    }
    svg.close("g");
}

fn units(svg: &mut Svg, m: &MapData, proj: &Projection, classes: &Classes) {
    svg.open(
        "g",
        &[
            ("class", "units"),
            ("stroke", "#4d4d4d"),
            ("stroke-width", "0.7"),
        ],
    );
    for u in &m.units {
        let value = m.measure.of(&u.figures);
        let class = classes
            .index(value)
            .map_or("none".to_string(), |c| c.to_string());
        let tip = format!(
            "{}: {}, {}",
            u.region.name,
            plural(u.figures.incidents, "incident", "incidents"),
            plural(u.figures.fatalities, "fatality", "fatalities")
        );
        svg.open(
            "path",
            &[
                ("class", "unit"),
                ("d", &proj.path(&u.region.geometry)),
                ("fill", classes.fill(value)),
                ("data-code", &u.region.code),
                ("data-name", &u.region.name),
                ("data-value", &value.to_string()),
                ("data-incidents", &u.figures.incidents.to_string()),
                ("data-class", &class),
            ],
        );
        svg.element("title", &[], &tip);
        svg.close("path");
    }
    svg.close("g");
}

/// Unit names at their label points, where the name fits inside the unit.
fn unit_labels(svg: &mut Svg, m: &MapData, proj: &Projection) {
    let style = TextStyle {
        anchor: Anchor::Middle,
        fill: "#1a1a1a",
        ..TextStyle::plain(11.0)
    };
    svg.open(
        "g",
        &[
            ("class", "unit-labels"),
            ("stroke", "#ffffff"),
            ("stroke-width", "2.5"),
            ("stroke-opacity", "0.8"),
            ("paint-order", "stroke"),
        ],
    );
    for u in &m.units {
        let Some(b) = u.region.geometry.bounding_rect() else {
            continue;
        };
        let (x0, y1) = proj.xy(b.min().x, b.min().y);
        let (x1, y0) = proj.xy(b.max().x, b.max().y);
        let fits = text_width(&u.region.name, style.size, false) < (x1 - x0) * 0.9
            && (y1 - y0) > style.size * 1.5;
        if fits {
            let (x, y) = proj.xy(u.region.label.1, u.region.label.0);
            svg.text(x, y + 4.0, style, &u.region.name, &[]);
        }
    }
    svg.close("g");
}

fn points(svg: &mut Svg, m: &MapData, proj: &Projection) {
    svg.open(
        "g",
        &[
            ("class", "incidents"),
            ("stroke", "#1a1a1a"),
            ("stroke-width", "0.6"),
            ("fill-opacity", "0.85"),
        ],
    );
    for p in &m.points {
        let (x, y) = proj.xy(p.lon, p.lat);
        let tip = format!(
            "{}{}: {}, {}",
            p.place.as_deref().unwrap_or("incidents here"),
            if p.incidents > 1 {
                format!(" ({})", plural(p.incidents, "incident", "incidents"))
            } else {
                String::new()
            },
            p.event_type,
            p.fatalities.map_or("fatalities unknown".into(), |f| plural(
                f,
                "fatality",
                "fatalities"
            ))
        );
        svg.open(
            "circle",
            &[
                ("class", "incident"),
                ("cx", &num(x)),
                ("cy", &num(y)),
                ("r", &num(radius(p.fatalities))),
                ("fill", palette::event_type_colour(&p.event_type)),
                ("data-type", &p.event_type),
                ("data-incidents", &p.incidents.to_string()),
                (
                    "data-fatalities",
                    &p.fatalities.map_or(String::new(), |f| f.to_string()),
                ),
            ],
        );
        svg.element("title", &[], &tip);
        svg.close("circle");
    }
    svg.close("g");
    place_labels(svg, m, proj);
}

/// The places with incidents, named when they are few.
fn place_labels(svg: &mut Svg, m: &MapData, proj: &Projection) {
    let mut places: Vec<(&str, f64, f64)> = Vec::new();
    for p in &m.points {
        if let Some(name) = p.place.as_deref()
            && !places.iter().any(|(n, _, _)| *n == name)
        {
            places.push((name, p.lon, p.lat));
        }
    }
    if m.merged || places.is_empty() || places.len() > PLACE_LABELS {
        return;
    }
    let style = TextStyle {
        fill: "#000",
        ..TextStyle::plain(10.5)
    };
    svg.open(
        "g",
        &[
            ("class", "place-labels"),
            ("stroke", "#ffffff"),
            ("stroke-width", "2.5"),
            ("paint-order", "stroke"),
        ],
    );
    for (name, lon, lat) in places {
        let (x, y) = proj.xy(lon, lat);
        svg.text(x + 7.0, y - 5.0, style, name, &[]);
    }
    svg.close("g");
}

/// A bar of a round number of kilometres, at most `max_px` long.
fn scale_bar(svg: &mut Svg, proj: &Projection, x: f64, y: f64, max_px: f64) {
    let max_km = proj.km_per_px() * max_px;
    let magnitude = 10f64.powf(max_km.log10().floor());
    let km = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|f| f * magnitude)
        .find(|km| *km <= max_km)
        .unwrap_or(magnitude);
    let px = km / proj.km_per_px();
    svg.open("g", &[("class", "scale-bar")]);
    svg.rect(
        x - 4.0,
        y - 16.0,
        px + 8.0 + 50.0,
        24.0,
        &[("fill", "#ffffff"), ("fill-opacity", "0.8")],
    );
    svg.line(
        x,
        y,
        x + px,
        y,
        &[("stroke", "#000"), ("stroke-width", "2")],
    );
    for tx in [x, x + px] {
        svg.line(
            tx,
            y - 5.0,
            tx,
            y + 1.0,
            &[("stroke", "#000"), ("stroke-width", "1.5")],
        );
    }
    let label = if km >= 1.0 {
        format!("{} km", km as u64)
    } else {
        format!("{km} km")
    };
    svg.text(x + px + 6.0, y + 3.0, TextStyle::plain(11.0), &label, &[]);
    svg.close("g");
}

fn legend(svg: &mut Svg, m: &MapData, classes: &Classes, layout: &Layout, x: f64, y: f64) {
    let (head, small, note) = (LEGEND_HEAD, LEGEND_TEXT, LEGEND_NOTE);
    svg.open("g", &[("class", "legend")]);
    let mut y = y + 14.0;
    let heading = format!(
        "{} per {}",
        match m.measure {
            Measure::Incidents => "Incidents",
            Measure::Fatalities => "Fatalities",
        },
        unit_noun(m.level, false)
    );
    svg.text(x, y, head, &heading, &[]);
    y += 10.0;
    for (i, _) in classes.bounds.iter().enumerate() {
        svg.rect(
            x,
            y,
            22.0,
            14.0,
            &[
                ("fill", classes.colour(i)),
                ("stroke", "#4d4d4d"),
                ("stroke-width", "0.7"),
                ("class", "class-swatch"),
            ],
        );
        svg.text(
            x + 30.0,
            y + 11.5,
            small,
            &classes.label(i),
            &[("class", "class-label")],
        );
        y += 19.0;
    }
    svg.rect(
        x,
        y,
        22.0,
        14.0,
        &[
            ("fill", palette::EMPTY),
            ("stroke", "#4d4d4d"),
            ("stroke-width", "0.7"),
        ],
    );
    svg.text(
        x + 30.0,
        y + 11.5,
        small,
        &format!("0 (no {})", m.measure.name()),
        &[],
    );
    y += 19.0;
    if m.measure == Measure::Fatalities && m.fatalities.unknown_incidents > 0 {
        y = svg.paragraph(
            x,
            y + 10.0,
            LEGEND_WIDTH,
            note,
            &format!(
                "Best estimates summed; {} without an estimate add nothing.",
                plural(m.fatalities.unknown_incidents, "incident", "incidents")
            ),
        );
    }

    if layout.points {
        y += 14.0;
        svg.text(x, y, head, "Incidents", &[]);
        y += 6.0;
        for (name, colour) in palette::EVENT_TYPES {
            y += 17.0;
            svg.circle(
                x + 8.0,
                y - 4.0,
                5.0,
                &[
                    ("fill", colour),
                    ("stroke", "#1a1a1a"),
                    ("stroke-width", "0.6"),
                ],
            );
            svg.text(x + 22.0, y, small, name, &[("class", "type-key")]);
        }
        y += 22.0;
        let mut cx = x + 8.0;
        for f in [1u64, 10, 50] {
            let r = radius(Some(f));
            svg.circle(
                cx,
                y,
                r,
                &[
                    ("fill", "none"),
                    ("stroke", "#1a1a1a"),
                    ("stroke-width", "0.8"),
                ],
            );
            let label = f.to_string();
            svg.text(cx + r + 3.0, y + 4.0, small, &label, &[]);
            cx += 2.0 * r + text_width(&label, 11.5, false) + 16.0;
        }
        svg.text(cx, y + 4.0, small, "fatalities", &[]);
        y += 26.0;
        let mut notes = Vec::new();
        if m.merged {
            notes.push(format!(
                "{} drawn as {} marks: nearby incidents of a type share one.",
                plural(m.incidents - m.not_drawn, "incident", "incidents"),
                m.points.len()
            ));
        }
        if m.not_drawn > 0 {
            notes.push(format!(
                "{} known only to the province or country (or without coordinates): counted in the shading, not drawn.",
                plural(m.not_drawn, "incident", "incidents")
            ));
        }
        for n in notes {
            y = svg.paragraph(x, y, LEGEND_WIDTH, note, &n) + 4.0;
        }
    }
    let mut notes = Vec::new();
    if m.outside_units > 0 {
        notes.push(format!(
            "{} in no {} shown ({} unknown): counted in the total, not in a unit.",
            plural(m.outside_units, "incident", "incidents"),
            unit_noun(m.level, false),
            unit_noun(m.level, false)
        ));
    }
    if m.awaiting_review > 0 {
        notes.push(format!(
            "{} await review (not counted).",
            plural(m.awaiting_review, "draft", "drafts")
        ));
    }
    notes.push(counting_note(m.overlapping));
    y += 6.0;
    for n in notes {
        y = svg.paragraph(x, y, LEGEND_WIDTH, note, &n) + 4.0;
    }
    svg.close("g");
}

/// The counting rule as a map states it, with how many it leaves out.
pub fn counting_note(overlapping: u64) -> String {
    format!(
        "Counted: incidents whose whole date span lies in the period; {overlapping} more only overlap it."
    )
}

/// The sources of the boundaries, the places and the incidents.
pub fn attribution_text(m: &MapData) -> String {
    let mut boundaries: Vec<&str> = m.units.iter().map(|u| u.region.boundaries()).collect();
    boundaries.push("Natural Earth");
    if let Some(o) = m.outline {
        boundaries.push(o.boundaries());
    }
    boundaries.sort_unstable();
    boundaries.dedup();
    let boundaries: Vec<String> = boundaries
        .into_iter()
        .map(|b| match b {
            "OCHA COD-AB" => "OCHA COD-AB (CC BY-IGO 3.0)".to_string(),
            "custom" => "your own regions".to_string(),
            other => other.to_string(),
        })
        .collect();
    let incidents = if m.publishers.is_empty() {
        "no source recorded".to_string()
    } else {
        m.publishers.join(", ")
    };
    format!(
        "Boundaries: {}. Places: GeoNames (CC BY 4.0), Who's On First. Incidents: {incidents}. Made with incidents.",
        boundaries.join(", ")
    )
}

fn attribution(svg: &mut Svg, m: &MapData, width: f64, height: f64) {
    let style = TextStyle {
        fill: "#555",
        ..TextStyle::plain(10.0)
    };
    let text = attribution_text(m);
    let lines = wrap(&text, width - 2.0 * MARGIN, style.size, false);
    let mut y = height - FOOTER + 22.0;
    svg.open("g", &[("class", "attribution")]);
    for line in lines.iter().take(3) {
        svg.text(MARGIN, y, style, line, &[]);
        y += 13.0;
    }
    svg.close("g");
}
